/* QA findings list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qa.h"

lc_status lc_qa_add(lc_ctx *ctx, lc_qa *qa, lc_severity sev, const char *kind, const char *key,
                    const char *source, int has_point, double x, double y, const char *fmt, ...)
{
    if (lc_grow(ctx, (void **)&qa->items, &qa->cap, qa->n + 1, sizeof *qa->items)) return LC_ENOMEM;
    char detail[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    lc_qa_item *it = &qa->items[qa->n];
    it->severity = sev;
    it->kind = kind;
    it->key = key ? lc_arena_strdup(&qa->arena, key) : NULL;
    it->source = lc_arena_strdup(&qa->arena, source ? source : "");
    it->detail = lc_arena_strdup(&qa->arena, detail);
    if ((key && !it->key) || !it->source || !it->detail)
        return lc_error(ctx, LC_ENOMEM, "out of memory recording a QA finding");
    it->has_point = has_point;
    it->x = x;
    it->y = y;
    qa->n++;
    return LC_OK;
}

void lc_qa_finding(const lc_qa_item *it, lc_finding *out)
{
    *out = (lc_finding){it->severity, it->kind, it->key, it->source, it->detail, it->has_point, it->x, it->y};
}

size_t lc_qa_count(const lc_qa *qa, lc_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < qa->n; i++) n += qa->items[i].severity == sev;
    return n;
}

size_t lc_qa_count_kind(const lc_qa *qa, const char *kind)
{
    size_t n = 0;
    for (size_t i = 0; i < qa->n; i++) n += !strcmp(qa->items[i].kind, kind);
    return n;
}

void lc_qa_release(lc_qa *qa)
{
    if (!qa) return;
    free(qa->items);
    lc_arena_release(&qa->arena);
    memset(qa, 0, sizeof *qa);
}
