/*
** QA findings: everything wrong or notable about the inputs, each with a
** severity, a stable kind, the parcel key and source position, a sentence,
** and a place when it has one. The list owns its strings.
*/
#ifndef LC_QA_H
#define LC_QA_H

#include "arena.h"
#include "lc_internal.h"

typedef struct lc_qa_item {
    lc_severity severity;
    const char *kind;     /* static string */
    char *key, *source, *detail; /* in the arena; key may be NULL */
    int has_point;
    double x, y;
} lc_qa_item;

typedef struct lc_qa {
    lc_qa_item *items;
    size_t n, cap;
    lc_arena arena;
} lc_qa;

/* Appends a finding; returns LC_ENOMEM on failure. `key` may be NULL. */
lc_status lc_qa_add(lc_ctx *ctx, lc_qa *qa, lc_severity sev, const char *kind, const char *key,
                    const char *source, int has_point, double x, double y, const char *fmt, ...)
    __attribute__((format(printf, 10, 11)));
/* Appends from's findings to qa in their order, then empties from. */
lc_status lc_qa_take(lc_ctx *ctx, lc_qa *qa, lc_qa *from);
/* The public view of one finding (its strings stay the list's). */
void lc_qa_finding(const lc_qa_item *it, lc_finding *out);
size_t lc_qa_count(const lc_qa *qa, lc_severity sev);
size_t lc_qa_count_kind(const lc_qa *qa, const char *kind);
void lc_qa_release(lc_qa *qa);
/* Chinese words for a severity (错误, 警告, 提示) and a kind; the kind's is
** NULL when it has none. Static strings. */
const char *lc_severity_zh(lc_severity s);
const char *lc_qa_kind_zh(const char *kind);

#endif
