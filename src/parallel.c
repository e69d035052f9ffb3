/* Worker threads with their own GEOS/PROJ contexts and a shared counter. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "parallel.h"

typedef struct shared {
    const lc_parallel *job;
    size_t n;
    atomic_size_t next;
    atomic_size_t done;
    atomic_int failed;
    lc_ctx *main;
    pthread_mutex_t lock;      /* guards the first error */
    lc_status status;
} shared;

typedef struct worker {
    shared *sh;
    lc_ctx *ctx;
    void *state;
} worker;

int lc_thread_count(const lc_ctx *ctx)
{
    if (ctx->threads > 0) return ctx->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)(n > 64 ? 64 : n) : 1;
}

void *lc_thread_state(lc_ctx *tctx) { return tctx->thread_state; }

static void fail(shared *sh, lc_ctx *ctx, lc_status rc)
{
    pthread_mutex_lock(&sh->lock);
    if (sh->status == LC_OK) {
        sh->status = rc;
        if (ctx != sh->main) memcpy(sh->main->errmsg, ctx->errmsg, sizeof ctx->errmsg);
    }
    pthread_mutex_unlock(&sh->lock);
    atomic_store(&sh->failed, 1);
}

static void *run(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    const lc_parallel *job = sh->job;
    lc_status rc = LC_OK;
    if (job->thread_init) rc = job->thread_init(w->ctx, w->state, job->userdata);
    while (rc == LC_OK && !atomic_load(&sh->failed)) {
        size_t i = atomic_fetch_add(&sh->next, 1);
        if (i >= sh->n) break;
        rc = job->item(w->ctx, i, job->userdata);
        size_t done = atomic_fetch_add(&sh->done, 1) + 1;
        /* only the calling thread reports: the callback is not thread-safe */
        if (w->ctx == sh->main && job->phase) lc_report_progress(sh->main, job->phase, done, sh->n);
    }
    if (job->thread_done) {
        lc_status d = job->thread_done(w->ctx, w->state, job->userdata);
        if (rc == LC_OK) rc = d;
    }
    if (rc != LC_OK) fail(sh, w->ctx, rc);
    return NULL;
}

lc_status lc_parallel_for(lc_ctx *ctx, size_t n, const lc_parallel *job)
{
    if (n == 0) return LC_OK;
    int threads = lc_thread_count(ctx);
    if ((size_t)threads > n) threads = (int)n;
    shared sh;
    memset(&sh, 0, sizeof sh);
    sh.job = job;
    sh.n = n;
    sh.main = ctx;
    atomic_init(&sh.next, 0);
    atomic_init(&sh.done, 0);
    atomic_init(&sh.failed, 0);
    pthread_mutex_init(&sh.lock, NULL);
    worker *w = lc_calloc(ctx, (size_t)threads, sizeof *w);
    pthread_t *tid = lc_calloc(ctx, (size_t)threads, sizeof *tid);
    lc_status rc = w && tid ? LC_OK : LC_ENOMEM;
    /* thread 0 is the calling thread with the caller's context */
    for (int k = 0; k < threads && rc == LC_OK; k++) {
        w[k].sh = &sh;
        w[k].ctx = k == 0 ? ctx : lc_ctx_new();
        w[k].state = job->thread_state_size ? calloc(1, job->thread_state_size) : NULL;
        if (!w[k].ctx || (job->thread_state_size && !w[k].state)) {
            rc = lc_error(ctx, LC_ENOMEM, "out of memory starting worker threads");
            break;
        }
        if (k) {
            w[k].ctx->cancel = ctx->cancel;
            w[k].ctx->threads = 1;
        }
        w[k].ctx->thread_state = w[k].state;
    }
    int started = 0;
    void *saved_state = ctx->thread_state;
    if (rc == LC_OK) {
        for (int k = 1; k < threads; k++)
            if (pthread_create(&tid[k], NULL, run, &w[k]) == 0) started = k;
            else break;
        /* among other workers the calling thread starts no task of its own,
        ** as they do not (lc_task_try_start): the cores are taken */
        int own_threads = ctx->threads;
        if (started) ctx->threads = 1;
        run(&w[0]);
        ctx->threads = own_threads;
        for (int k = 1; k <= started; k++) pthread_join(tid[k], NULL);
        rc = sh.status;
    }
    ctx->thread_state = saved_state;
    for (int k = 0; w && k < threads; k++) {
        if (k && w[k].ctx) lc_ctx_free(w[k].ctx);
        free(w[k].state);
    }
    free(w);
    free(tid);
    pthread_mutex_destroy(&sh.lock);
#ifdef __GLIBC__
    /* the workers' copies and temporaries were freed in their own malloc
    ** arenas, which glibc keeps: hand the free pages back, or a million
    ** parcels' run holds 300 MiB of them at its peak (nothing to hand back
    ** where the program allocates through tcmalloc, which returns them) */
    if (started) malloc_trim(0);
#endif
    return rc;
}

struct lc_task {
    pthread_t tid;
    lc_ctx *owner;               /* the context that started it */
    lc_ctx *tctx;
    lc_task_fn fn;
    void *userdata;
    lc_status status;
};

static void *run_task(void *arg)
{
    lc_task *t = arg;
    t->status = t->fn(t->tctx, t->userdata);
    return NULL;
}

void lc_task_try_start(lc_ctx *ctx, lc_task_fn fn, void *userdata, lc_task **out)
{
    *out = NULL;
    lc_task *t = lc_thread_count(ctx) > 1 ? calloc(1, sizeof *t) : NULL;
    lc_ctx *tctx = t ? lc_ctx_new() : NULL;
    if (tctx) {
        tctx->cancel = ctx->cancel;
        tctx->threads = 1;
        *t = (lc_task){.owner = ctx, .tctx = tctx, .fn = fn, .userdata = userdata};
        if (pthread_create(&t->tid, NULL, run_task, t) == 0) {
            ctx->alongside++;
            *out = t;
            return;
        }
        lc_ctx_free(tctx);
    }
    free(t);
}

lc_status lc_task_start(lc_ctx *ctx, lc_task_fn fn, void *userdata, lc_task **out)
{
    lc_task_try_start(ctx, fn, userdata, out);
    return *out ? LC_OK : fn(ctx, userdata);
}

lc_status lc_task_join(lc_ctx *ctx, lc_task *t)
{
    if (!t) return LC_OK;
    pthread_join(t->tid, NULL);
    t->owner->alongside--;
    lc_status rc = t->status;
    if (rc != LC_OK && ctx) memcpy(ctx->errmsg, t->tctx->errmsg, sizeof ctx->errmsg);
    lc_ctx_free(t->tctx);
    free(t);
    return rc;
}

void lc_latch_init(lc_latch *l)
{
    pthread_mutex_init(&l->lock, NULL);
    pthread_cond_init(&l->set, NULL);
    l->is_set = 0;
    l->status = LC_OK;
}

void lc_latch_set(lc_latch *l, lc_status status)
{
    pthread_mutex_lock(&l->lock);
    l->status = status;
    l->is_set = 1;
    pthread_cond_broadcast(&l->set);
    pthread_mutex_unlock(&l->lock);
}

lc_status lc_latch_wait(lc_latch *l)
{
    pthread_mutex_lock(&l->lock);
    while (!l->is_set) pthread_cond_wait(&l->set, &l->lock);
    lc_status rc = l->status;
    pthread_mutex_unlock(&l->lock);
    return rc;
}

int lc_latch_done(lc_latch *l)
{
    pthread_mutex_lock(&l->lock);
    int done = l->is_set && l->status == LC_OK;
    pthread_mutex_unlock(&l->lock);
    return done;
}

void lc_latch_destroy(lc_latch *l)
{
    pthread_cond_destroy(&l->set);
    pthread_mutex_destroy(&l->lock);
}
