/*
** A parallel loop over independent items (blocks, parcels): worker threads,
** each with its own lc_ctx (GEOS handle, PROJ context), take the next index
** from a shared counter, so big items do not leave a thread idle. Results
** must be written per item; the order of work never shows in the output.
*/
#ifndef LC_PARALLEL_H
#define LC_PARALLEL_H

#include <pthread.h>

#include "lc_internal.h"

/* Work on item i with the thread's own context; returns an lc_status. */
typedef lc_status (*lc_item_fn)(lc_ctx *tctx, size_t i, void *userdata);
/* Called once per thread before and after its items (may be NULL), e.g. to
** clone PJ objects into the thread's PROJ context. */
typedef lc_status (*lc_thread_fn)(lc_ctx *tctx, void *thread_state, void *userdata);

typedef struct lc_parallel {
    lc_item_fn item;
    lc_thread_fn thread_init, thread_done;
    size_t thread_state_size;  /* bytes of per-thread state handed to the fns */
    void *userdata;
    const char *phase;         /* progress label, NULL: none */
} lc_parallel;

/* The number of threads to use: ctx's setting, else the online CPUs. */
int lc_thread_count(const lc_ctx *ctx);

/* Runs item(i) for i in [0, n) on up to lc_thread_count(ctx) threads (the
** calling thread runs alone when n is small or one thread is asked for).
** The first failure stops the others; its message lands on ctx. */
lc_status lc_parallel_for(lc_ctx *ctx, size_t n, const lc_parallel *job);

/* The per-thread state of the running thread, for item functions. */
void *lc_thread_state(lc_ctx *tctx);

/*
** One task run alongside the calling thread, on a worker with its own
** context, from lc_task_start to lc_task_join. With one thread asked for
** (or no thread to be had) it runs inside lc_task_start instead. The task
** must touch nothing the caller uses meanwhile.
*/
typedef struct lc_task lc_task;
typedef lc_status (*lc_task_fn)(lc_ctx *tctx, void *userdata);

/* Starts fn; *out is the handle to join (NULL when fn already ran). Returns
** fn's status when it ran here, else LC_OK or an allocation failure. */
lc_status lc_task_start(lc_ctx *ctx, lc_task_fn fn, void *userdata, lc_task **out);

/* Starts fn on a worker only: *out is NULL when no worker could be had (one
** thread asked for, the caller is itself a worker of lc_parallel_for, or none
** to be had), and fn has not run. */
void lc_task_try_start(lc_ctx *ctx, lc_task_fn fn, void *userdata, lc_task **out);

/* Waits for the task and frees it (NULL: nothing to wait for); returns its
** status, its message on ctx (when not NULL) when it failed. */
lc_status lc_task_join(lc_ctx *ctx, lc_task *t);

/* A status one thread sets once and others wait for (a result complete). */
typedef struct lc_latch {
    pthread_mutex_t lock;
    pthread_cond_t set;
    int is_set;
    lc_status status;
} lc_latch;
void lc_latch_init(lc_latch *l);
void lc_latch_set(lc_latch *l, lc_status status);
/* Waits until the latch is set; its status. */
lc_status lc_latch_wait(lc_latch *l);
/* 1 when the latch is set with LC_OK (a result complete), without waiting. */
int lc_latch_done(lc_latch *l);
void lc_latch_destroy(lc_latch *l);

#endif
