/*
** The per-thread context: GEOS and PROJ handles whose error callbacks write
** into the context's own buffers, so no global state is shared between
** threads, and the error slot every failing call fills.
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "lc_internal.h"
#include "lc_version.h"

const char *lc_version(void) { return LANDCONS_VERSION_STRING; }

static void geos_message(const char *message, void *userdata)
{
    lc_ctx *ctx = userdata;
    snprintf(ctx->geos_msg, sizeof ctx->geos_msg, "%s", message);
}

/* PROJ logs through this; its messages only matter when a call fails, and
** then the caller reports the failure with its own words. */
static void proj_log_quiet(void *userdata, int level, const char *message)
{
    (void)userdata; (void)level; (void)message;
}

/* SQLite counts every allocation under a process-wide mutex for its memory
** statistics, which nothing here reads: the database's writing pays it on
** every row. Set before SQLite is first used (PROJ opens proj.db through it);
** if it already was, SQLite keeps its default. */
static pthread_once_t sqlite_configured = PTHREAD_ONCE_INIT;
static void configure_sqlite(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

lc_ctx *lc_ctx_new(void)
{
    pthread_once(&sqlite_configured, configure_sqlite);
    lc_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return NULL;
    ctx->geos = GEOS_init_r();
    ctx->proj = proj_context_create();
    if (!ctx->geos || !ctx->proj) {
        lc_ctx_free(ctx);
        return NULL;
    }
    GEOSContext_setErrorMessageHandler_r(ctx->geos, geos_message, ctx);
    GEOSContext_setNoticeMessageHandler_r(ctx->geos, geos_message, ctx);
    proj_log_func(ctx->proj, NULL, proj_log_quiet);
    return ctx;
}

void lc_ctx_free(lc_ctx *ctx)
{
    if (!ctx) return;
    if (ctx->geos) GEOS_finish_r(ctx->geos);
    if (ctx->proj) proj_context_destroy(ctx->proj);
    free(ctx);
}

const char *lc_ctx_errmsg(const lc_ctx *ctx) { return ctx ? ctx->errmsg : ""; }

void lc_ctx_set_cancel_flag(lc_ctx *ctx, volatile const int *flag) { ctx->cancel = flag; }

int lc_cancelled(const lc_ctx *ctx) { return ctx->cancel && *ctx->cancel; }

lc_status lc_verror(lc_ctx *ctx, lc_status status, const char *fmt, va_list ap)
{
    vsnprintf(ctx->errmsg, sizeof ctx->errmsg, lc_tr(fmt), ap);
    return status;
}

lc_status lc_error(lc_ctx *ctx, lc_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    status = lc_verror(ctx, status, fmt, ap);
    va_end(ap);
    return status;
}

void *lc_malloc(lc_ctx *ctx, size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) lc_error(ctx, LC_ENOMEM, "out of memory (%zu bytes)", n);
    return p;
}

void *lc_calloc(lc_ctx *ctx, size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) lc_error(ctx, LC_ENOMEM, "out of memory (%zu x %zu bytes)", count, size);
    return p;
}

void *lc_realloc_array(lc_ctx *ctx, void *ptr, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) {
        lc_error(ctx, LC_ENOMEM, "allocation overflow");
        return NULL;
    }
    size_t bytes = count * size;
    void *p = realloc(ptr, bytes ? bytes : 1);
    if (!p) lc_error(ctx, LC_ENOMEM, "out of memory (%zu x %zu bytes)", count, size);
    return p;
}

char *lc_strdup(lc_ctx *ctx, const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = lc_malloc(ctx, n);
    if (d) memcpy(d, s, n);
    return d;
}

int lc_grow(lc_ctx *ctx, void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need) n *= 2;
    void *p = lc_realloc_array(ctx, *items, n, size);
    if (!p) return -1;
    *items = p;
    *cap = n;
    return 0;
}

lc_status lc_error_usage(lc_ctx *ctx, const char *message)
{
    return lc_error(ctx, LC_EINPUT, "%s", lc_tr(message));
}

void lc_ctx_set_verbose(lc_ctx *ctx, int verbose) { ctx->verbose = verbose; }

double lc_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

void lc_log_seconds(lc_ctx *ctx, const char *phase, double seconds)
{
    if (!ctx->verbose) return;
    if (ctx->progress) ctx->progress(ctx->progress_data, NULL, 0, 0);
    fprintf(stderr, "landcons: %-40s %8.3f s\n", phase, seconds);
}

void lc_log_phase(lc_ctx *ctx, const char *phase, double t0)
{
    lc_log_seconds(ctx, phase, lc_clock() - t0);
}

void lc_ctx_set_threads(lc_ctx *ctx, int threads) { ctx->threads = threads > 0 ? threads : 0; }

void lc_ctx_set_progress(lc_ctx *ctx, lc_progress_fn fn, void *userdata)
{
    ctx->progress = fn;
    ctx->progress_data = userdata;
}

void lc_report_progress(lc_ctx *ctx, const char *phase, size_t done, size_t total)
{
    if (ctx->progress) ctx->progress(ctx->progress_data, phase, done, total);
}
