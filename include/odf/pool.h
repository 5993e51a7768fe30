/*
 * A pool of forked worker processes that turn job buffers into result
 * buffers. Processes, not threads: libjq and odf_rpc handles must not be
 * shared, so each worker builds its own state (a connection, a compiled jq
 * program) in its init callback, after the fork. Create the pool before
 * opening any connection in the parent.
 *
 * Jobs and results are byte buffers sent over pipes as length-prefixed
 * frames. The parent never blocks on a pipe: odf_pool_submit queues the
 * frame and odf_pool_next polls job and result pipes together, so a worker
 * writing a large result while the parent writes a large job cannot
 * deadlock.
 *
 * Two modes:
 *   ODF_POOL_ORDERED  the pool picks the worker; odf_pool_next returns the
 *                     results in submission order (export writes batches in
 *                     id order). At most workers * depth jobs are pending
 *                     (submitted and not yet returned), so memory is bounded
 *                     however slow the earliest job is.
 *   ODF_POOL_ROUTED   the caller picks the worker (same group, same worker);
 *                     odf_pool_next returns results as they arrive, tagged
 *                     with their job number. At most depth jobs are pending
 *                     per worker.
 * When the pool is full, odf_pool_submit fails (a bug in the caller): take a
 * result with odf_pool_next first; odf_pool_can_submit says when to.
 *
 * A worker that dies (crash, SIGKILL, exit) is detected by the end of its
 * result pipe: each job it held comes back as an ODF_POOL_LOST result that
 * names the worker and how it died, with the job's input given back so that
 * the caller can record it as failed. Jobs later routed to a dead worker
 * come back LOST too; in ordered mode the pool routes around it, and when no
 * worker is left every job comes back LOST.
 *
 * Even with one worker the pool forks: the parent and the worker then run
 * concurrently (the export pages ids while the worker fetches a batch), and
 * every program has one code path.
 *
 * In a worker: standard output is /dev/null (nothing but the parent writes
 * records), standard error is inherited, SIGPIPE is ignored, and the worker
 * ends with _exit, so the parent's stdio buffers are never flushed twice.
 * The parent should ignore SIGPIPE too (odf_pool_new does not change the
 * parent's signal handling).
 */
#ifndef ODF_POOL_H
#define ODF_POOL_H

#include <stddef.h>

#include "odf/error.h"

#define ODF_POOL_MAX_WORKERS 64
#define ODF_POOL_MAX_FRAME ((size_t)1 << 31)   /* 2 GiB, per job or result */

enum odf_pool_mode {
	ODF_POOL_ORDERED,
	ODF_POOL_ROUTED
};

/*
 * Run in the worker after the fork, once, before any job: build the
 * worker's state (e.g. connect and log in) into *state. worker is the
 * index, 0 .. workers-1. Return 0, or -1 with err set: odf_pool_new then
 * fails with that error.
 */
typedef int odf_pool_init_fn(int worker, void *arg, void **state,
    struct odf_error *err);

/*
 * Do one job: job/len is the input (the buffer is the pool's, valid during
 * the call; it is followed by a NUL byte not counted in len). On success
 * set *out to a malloc'd buffer of *out_len bytes (the pool frees it; NULL
 * with 0 is an empty result) and return 0. On failure return -1 with err
 * set: the parent gets an ODF_POOL_FAILED result carrying err, and the
 * worker goes on with its next job.
 */
typedef int odf_pool_work_fn(void *state, const char *job, size_t len,
    char **out, size_t *out_len, struct odf_error *err);

/* Run in the worker when its job pipe closes; frees the state. May be NULL. */
typedef void odf_pool_fini_fn(void *state, void *arg);

struct odf_pool_ops {
	odf_pool_init_fn *init;         /* may be NULL: state is NULL */
	odf_pool_work_fn *work;
	odf_pool_fini_fn *fini;         /* may be NULL */
	void *arg;                      /* passed to init and fini, in the worker */
};

struct odf_pool_opts {
	int workers;                    /* 1 .. ODF_POOL_MAX_WORKERS */
	enum odf_pool_mode mode;
	int depth;                      /* jobs in flight per worker; 0: 2 */
};

enum odf_pool_status {
	ODF_POOL_DONE,                  /* the worker returned data */
	ODF_POOL_FAILED,                /* the work callback failed: see error */
	ODF_POOL_LOST                   /* the worker died holding the job */
};

struct odf_pool_result {
	long job;                       /* submission number, from 0 */
	int worker;                     /* -1: lost with no worker left */
	enum odf_pool_status status;
	char *data;                     /* DONE: the output, NUL-terminated; else NULL */
	size_t len;
	char *input;                    /* the job as submitted, NUL-terminated */
	size_t input_len;
	struct odf_error error;         /* FAILED, LOST: why */
};

struct odf_pool;

/*
 * Fork opts->workers workers, run ops->init in each and wait until every
 * one is ready. ops and its arg are copied into each worker by the fork.
 * Returns the pool, or NULL with err set (bad options, fork or pipe
 * failure, or the first worker init error, message as the worker set it);
 * on failure no worker is left running.
 */
struct odf_pool *odf_pool_new(const struct odf_pool_opts *opts,
    const struct odf_pool_ops *ops, struct odf_error *err);

/*
 * Whether a job may be submitted now: to worker (ROUTED), or to any worker
 * (ORDERED; worker is ignored). When not, take a result first.
 */
int odf_pool_can_submit(const struct odf_pool *pool, int worker);

/*
 * ROUTED: the worker to send a job to. want >= 0 (a group's worker): want
 * while it is alive, else the next live worker after it; want < 0: the
 * live worker with the fewest jobs submitted to it and not yet taken. When
 * no worker is alive: want, or 0 (the job then comes back LOST).
 */
int odf_pool_route(const struct odf_pool *pool, int want);

/*
 * Queue a copy of job (len bytes) for worker (ROUTED: 0 .. workers-1;
 * ORDERED: pass -1, the least busy live worker takes it). Does not block.
 * Returns the job number (0, 1, 2, ... in submission order), or -1 with
 * err set: the pool is full (ODF_E_SOFTWARE), a bad worker index, the job is
 * too large, no memory.
 */
long odf_pool_submit(struct odf_pool *pool, int worker, const char *job,
    size_t len, struct odf_error *err);

/* Number of jobs submitted and not yet returned by odf_pool_next. */
long odf_pool_pending(const struct odf_pool *pool);

/*
 * The next result into *res (ORDERED: the earliest job's; ROUTED: the first
 * arrived). When wait is nonzero, block until one is ready; when zero,
 * only take what is ready now. Returns 1 with *res filled (free it with
 * odf_pool_result_free), 0 when none is pending (or, without wait, none is
 * ready yet), or -1 with err set when the pool itself fails (poll, memory,
 * a corrupt frame): then odf_pool_free it.
 */
int odf_pool_next(struct odf_pool *pool, struct odf_pool_result *res, int wait,
    struct odf_error *err);

/* Free the buffers a result holds (not res itself); accepts a zeroed res. */
void odf_pool_result_free(struct odf_pool_result *res);

/*
 * Clean shutdown: close the job pipes, let each worker finish and run its
 * fini, and reap every one. Pending results are discarded. Returns 0, or
 * -1 with err naming the first worker that exited badly (status or signal).
 * The pool is then only good for odf_pool_free.
 */
int odf_pool_close(struct odf_pool *pool, struct odf_error *err);

/*
 * Free the pool; a worker still running (odf_pool_close was not called:
 * the parent is failing) is killed with SIGKILL and reaped. Accepts NULL.
 */
void odf_pool_free(struct odf_pool *pool);

#endif
