/*
** Internal umbrella header: the context every module shares, and error
** reporting. Modules include this plus the headers of the modules they use.
*/
#ifndef LC_INTERNAL_H
#define LC_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <geos_c.h>
#include <proj.h>

#include "landcons.h"

/* room for a message naming a path of PATH_MAX bytes, or listing the rows of a
** register that cannot be used */
#define LC_ERRMSG_MAX 8192
#define LC_PI 3.14159265358979323846

struct lc_ctx {
    GEOSContextHandle_t geos;   /* owned; one per thread */
    PJ_CONTEXT *proj;           /* owned; one per thread */
    char errmsg[LC_ERRMSG_MAX]; /* last failure, UTF-8 */
    char geos_msg[512];         /* last GEOS error or notice, for context */
    volatile const int *cancel; /* borrowed; non-zero asks to stop */
    int verbose;                /* 1: phase timings on stderr */
    int threads;                /* worker threads; 0: one per online CPU */
    int alongside;              /* tasks this context started and has not joined */
    lc_progress_fn progress;    /* borrowed; NULL: no progress reports */
    void *progress_data;
    void *thread_state;         /* borrowed: the parallel loop's per-thread state */
};

/* Reports that `done` of `total` items of a phase are through, to the
** progress callback (main thread only; rate-limited by the caller). */
void lc_report_progress(lc_ctx *ctx, const char *phase, size_t done, size_t total);

/* Monotonic seconds, for phase timings. */
double lc_clock(void);
/* Reports on stderr that `phase` took since t0, when ctx->verbose. */
void lc_log_phase(lc_ctx *ctx, const char *phase, double t0);
/* The same for a phase timed elsewhere (a task): it took `seconds`. */
void lc_log_seconds(lc_ctx *ctx, const char *phase, double seconds);

/* Stores a message on ctx and returns `status` so callers can
** `return lc_error(ctx, LC_EINPUT, "...")`. */
lc_status lc_error(lc_ctx *ctx, lc_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same with a va_list (the office module's lc_error forwards to it). */
lc_status lc_verror(lc_ctx *ctx, lc_status status, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* The translation of msgid in the interface's language (the catalogue of
** LC_TEXT_DOMAIN; i18n.c), or msgid itself. */
const char *lc_tr(const char *msgid) __attribute__((format_arg(1)));
/* Appends fmt (translated) to the text of buf[0..len); returns the new
** length, which may pass cap when the text was cut (then nothing more is
** appended). For messages assembled from pieces. */
size_t lc_appendf(char *buf, size_t cap, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Non-zero when the cancel flag is raised. */
int lc_cancelled(const lc_ctx *ctx);

/* Allocation that reports failure on ctx; callers test for NULL. */
void *lc_malloc(lc_ctx *ctx, size_t n);
void *lc_calloc(lc_ctx *ctx, size_t count, size_t size);
void *lc_realloc_array(lc_ctx *ctx, void *ptr, size_t count, size_t size);
char *lc_strdup(lc_ctx *ctx, const char *s);

/* Grows *items (of *cap elements of `size` bytes) to hold at least `need`. */
int lc_grow(lc_ctx *ctx, void **items, size_t *cap, size_t need, size_t size);

/* qsort that accepts an empty (possibly NULL) array, which qsort itself
** must not be given. */
static inline void lc_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1) qsort(base, n, size, cmp);
}

/* Ascending order of size_t values, for lc_sort and bsearch. */
static inline int lc_cmp_size(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return (a > b) - (a < b);
}

/* Ascending order of doubles, for lc_sort and bsearch. */
static inline int lc_cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Sorts v[0..n) and keeps each value once; returns how many are left. */
static inline size_t lc_sort_unique_doubles(double *v, size_t n)
{
    lc_sort(v, n, sizeof *v, lc_cmp_double);
    size_t u = 0;
    for (size_t k = 0; k < n; k++)
        if (!u || v[k] != v[u - 1]) v[u++] = v[k];
    return u;
}

/* Neumaier compensated sum: order-stable to about one ulp of the total. */
typedef struct lc_sum { double s, c; } lc_sum;
static inline void lc_sum_add(lc_sum *a, double x)
{
    double t = a->s + x;
    if ((a->s >= 0 ? a->s : -a->s) >= (x >= 0 ? x : -x))
        a->c += (a->s - t) + x;
    else
        a->c += (x - t) + a->s;
    a->s = t;
}
static inline double lc_sum_value(const lc_sum *a) { return a->s + a->c; }

/*
** Exact sums of areas in m²: each term is taken as a multiple of 2^-60 m²
** (every area above 2^-8 m² is exactly such a multiple; below that, bits
** under 1e-18 m² are dropped) and added in a 128-bit integer, so a sum does
** not depend on the order of its terms and is the correctly rounded total.
** Block areas, the progress series and the status totals use it, so the
** same parcels always give the same bits, however they were grouped.
** Range: |total| < 1.4e20 m² (the Earth is 5.1e14 m²).
*/
typedef struct lc_xsum { __int128 v; } lc_xsum;
static inline void lc_xsum_add(lc_xsum *a, double m2)
{
    a->v += (__int128)(m2 * 0x1p60);
}
static inline void lc_xsum_merge(lc_xsum *a, const lc_xsum *b) { a->v += b->v; }
static inline double lc_xsum_value(const lc_xsum *a) { return (double)a->v * 0x1p-60; }

#endif /* LC_INTERNAL_H */
