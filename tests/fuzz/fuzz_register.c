/*
** libFuzzer target: the transfer-register reader (register.c) on arbitrary
** bytes written as a CSV file, or as an XLSX file when they start like a
** ZIP archive. Any outcome but a crash, a sanitizer report or a leak is fine.
*/
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dates.h"
#include "register.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lc_ctx *ctx;
    static char csv[64], xlsx[64];
    if (!ctx) {
        ctx = lc_ctx_new();
        snprintf(csv, sizeof csv, "/tmp/landcons-fuzz-%d.csv", (int)getpid());
        snprintf(xlsx, sizeof xlsx, "/tmp/landcons-fuzz-%d.xlsx", (int)getpid());
    }
    const char *path = size >= 2 && data[0] == 'P' && data[1] == 'K' ? xlsx : csv;
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    lc_register_opts o;
    memset(&o, 0, sizeof o);
    o.today = lc_days_from_civil(2026, 1, 1);
    lc_qa qa;
    memset(&qa, 0, sizeof qa);
    lc_register *r = NULL;
    if (lc_register_read(ctx, path, &o, &qa, &r) == LC_OK)
        for (size_t i = 0; i < r->n_entries; i++)
            if (lc_register_find(r, r->entries[i].key) != &r->entries[i]) __builtin_trap();
    lc_register_free(r);
    lc_qa_release(&qa);
    unlink(path);
    return 0;
}
