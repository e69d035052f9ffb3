/*
** The CSV sink of the cadres' lists (lists_csv.c): a table of cells and the
** exact text each must become (RFC 4180 quoting, numbers as the shortest
** text that reads back as the same double, ISO dates), written through the
** sink and read back byte for byte with the BOM and the CRLF line ends.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dates.h"
#include "lc_test.h"
#include "lists_csv.h"

enum { TEXT, NUMBER, DATE, EMPTY };

static const struct {
    int kind;
    const char *text;            /* TEXT */
    double number;               /* NUMBER */
    int y, m, d;                 /* DATE */
    const char *want;            /* the field in the file */
} cases[] = {
    {TEXT, "双城镇", 0, 0, 0, 0, "双城镇"},
    {TEXT, "2301131012010100001", 0, 0, 0, 0, "2301131012010100001"},  /* a key stays text */
    {TEXT, "王\"大\",明", 0, 0, 0, 0, "\"王\"\"大\"\",明\""},                /* quotes doubled */
    {TEXT, "a,b", 0, 0, 0, 0, "\"a,b\""},
    {TEXT, "two\nlines", 0, 0, 0, 0, "\"two\nlines\""},
    {TEXT, "cr\rhere", 0, 0, 0, 0, "\"cr\rhere\""},
    {TEXT, " spaced ", 0, 0, 0, 0, " spaced "},                             /* spaces kept as they are */
    {TEXT, "", 0, 0, 0, 0, ""},
    {NUMBER, NULL, 0.1, 0, 0, 0, "0.1"},                                    /* shortest round trip */
    {NUMBER, NULL, 1.0 / 3.0, 0, 0, 0, "0.3333333333333333"},             /* 16 digits suffice */
    {NUMBER, NULL, 0.1 + 0.2, 0, 0, 0, "0.30000000000000004"},            /* 17 needed */
    {NUMBER, NULL, 8141.248797070232, 0, 0, 0, "8141.248797070232"},
    {NUMBER, NULL, 3026, 0, 0, 0, "3026"},
    {NUMBER, NULL, -9, 0, 0, 0, "-9"},
    {NUMBER, NULL, 1.5e-7, 0, 0, 0, "1.5e-07"},
    {NUMBER, NULL, NAN, 0, 0, 0, ""},                                       /* not a number: empty */
    {DATE, NULL, 0, 2019, 5, 10, "2019-05-10"},
    {DATE, NULL, 0, 1999, 12, 31, "1999-12-31"},
    {EMPTY, NULL, 0, 0, 0, 0, ""},
};
#define N_CASES (sizeof cases / sizeof cases[0])

int main(void)
{
    lc_ctx *ctx = lc_ctx_new();
    lc_lists l;
    memset(&l, 0, sizeof l);
    /* one row per case, two columns: the case and a marker that must follow it */
    const char *headers[] = {"值 value", "标记"};
    lc_list *t = lc_lists_add(ctx, &l, "测试", headers, 2);
    CHECK(t != NULL, "table");
    for (size_t i = 0; t && i < N_CASES; i++) {
        lc_cell *c = lc_list_add_row(ctx, t, i % 2);
        CHECK(c != NULL, "row %zu", i);
        if (!c) break;
        switch (cases[i].kind) {
        case TEXT: CHECK(lc_cell_text(ctx, &l, &c[0], cases[i].text) == LC_OK, "text %zu", i); break;
        case NUMBER: lc_cell_number(&c[0], cases[i].number, LC_NUM_AREA); break;
        case DATE: lc_cell_date(&c[0], lc_days_from_civil(cases[i].y, cases[i].m, cases[i].d)); break;
        default: break;
        }
        lc_cell_text(ctx, &l, &c[1], "x");
    }
    char path[] = "/tmp/test_lists_csv-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "temporary file");
    close(fd);
    CHECK(t && lc_list_write_csv(ctx, t, path, "test.csv") == LC_OK, "write: %s", lc_ctx_errmsg(ctx));

    /* the expected bytes, built from the table */
    size_t cap = 4096, len = 0;
    char *want = malloc(cap);
    len += (size_t)snprintf(want + len, cap - len, "\xEF\xBB\xBF值 value,标记\r\n");
    for (size_t i = 0; i < N_CASES; i++) len += (size_t)snprintf(want + len, cap - len, "%s,x\r\n", cases[i].want);
    char *got = malloc(cap);
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(got, 1, cap, f) : 0;
    if (f) fclose(f);
    unlink(path);
    CHECK(n == len && memcmp(got, want, len) == 0, "file bytes differ (%zu bytes, want %zu)", n, len);
    /* on a difference, the first line that differs */
    for (size_t i = 0, line = 0; i < n && i < len; i++) {
        if (got[i] != want[i]) {
            CHECK(0, "first difference on line %zu at byte %zu: got \"%.40s\", want \"%.40s\"", line + 1, i,
                  got + i, want + i);
            break;
        }
        if (want[i] == '\n') line++;
    }
    free(got);
    free(want);
    lc_lists_release(&l);
    lc_ctx_free(ctx);
    return lc_test_report("test_lists_csv");
}
