/* A pool of forked workers fed over pipes; see include/odf/pool.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "odf/pool.h"

/* Frames from a worker: a header, then len payload bytes. */
enum frame_kind {
	FRAME_DONE = ODF_POOL_DONE,
	FRAME_FAILED = ODF_POOL_FAILED,   /* payload: a struct odf_error */
	FRAME_READY = 10,
	FRAME_INIT_FAILED                 /* payload: a struct odf_error */
};

struct res_header {
	uint32_t kind;
	uint32_t pad;
	uint64_t len;
};

/* A submitted job, kept until odf_pool_next hands its result out. */
struct job {
	long no;
	int worker;
	int arrived;
	char *input;
	size_t input_len;
	enum odf_pool_status status;
	char *data;
	size_t len;
	struct odf_error error;
	struct job *next;       /* ORDERED: submission order; ROUTED: arrival order */
	struct job *wnext;      /* the worker's queue */
};

struct worker {
	pid_t pid;              /* 0 once reaped */
	int job_fd;             /* parent's write end, non-blocking; -1 closed */
	int res_fd;             /* parent's read end, non-blocking; -1 closed */
	int alive;
	int ready;
	char died[256];         /* how it ended, once it has */
	struct job *qhead, *qtail;  /* jobs sent or to send, oldest first */
	struct job *sending;    /* first job not wholly written */
	size_t sent;            /* bytes of it written, header included */
	long inflight;          /* jobs in the queue */
	long pending;           /* ROUTED: submitted to it, not yet taken */
	struct res_header hdr;  /* the frame being read */
	size_t hdr_got;
	char *payload;
	size_t got;
	struct odf_error init_error;
	int init_failed;
};

struct odf_pool {
	enum odf_pool_mode mode;
	int nworkers;
	int depth;
	long next_no;
	long pending;
	struct job *head, *tail;
	struct worker w[ODF_POOL_MAX_WORKERS];
};

static int
set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl == -1 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void
close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

/* --- the worker's side: blocking reads and writes on its two pipes --- */

static int
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* 1 when len bytes were read, 0 at a clean end before any, -1 otherwise. */
static int
read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return got == 0 ? 0 : -1;
		got += (size_t)n;
	}
	return 1;
}

static int
send_frame(int fd, enum frame_kind kind, const void *data, size_t len)
{
	struct res_header h = { (uint32_t)kind, 0, (uint64_t)len };

	if (write_all(fd, &h, sizeof(h)) != 0)
		return -1;
	return len == 0 ? 0 : write_all(fd, data, len);
}

static void __attribute__((noreturn))
worker_main(struct odf_pool *pool, int index, int job_fd, int res_fd,
    const struct odf_pool_ops *ops)
{
	struct odf_error err;
	void *state = NULL;
	uint64_t len;
	int devnull, i, r;

	signal(SIGPIPE, SIG_IGN);
	/* A Ctrl-C reaches the whole process group: the parent decides when
	 * to stop, and a worker finishes the job it holds; it ends when its
	 * job pipe closes, or when the parent dies (SIGTERM). */
	signal(SIGINT, SIG_IGN);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	/* Only the parent writes records; a stray printf must not reach them. */
	if ((devnull = open("/dev/null", O_WRONLY)) >= 0) {
		dup2(devnull, STDOUT_FILENO);
		if (devnull != STDOUT_FILENO)
			close(devnull);
	}
	/* The parent's ends of earlier workers' pipes: holding them would keep
	 * those workers from seeing their job pipe close. */
	for (i = 0; i < index; i++) {
		if (pool->w[i].job_fd >= 0)
			close(pool->w[i].job_fd);
		if (pool->w[i].res_fd >= 0)
			close(pool->w[i].res_fd);
	}
	odf_error_clear(&err);
	if (ops->init != NULL && ops->init(index, ops->arg, &state, &err) != 0) {
		send_frame(res_fd, FRAME_INIT_FAILED, &err, sizeof(err));
		_exit(1);
	}
	if (send_frame(res_fd, FRAME_READY, NULL, 0) != 0)
		_exit(1);
	while ((r = read_all(job_fd, &len, sizeof(len))) == 1) {
		char *job, *out = NULL;
		size_t out_len = 0;
		int rc;

		if (len >= ODF_POOL_MAX_FRAME || (job = malloc((size_t)len + 1)) == NULL)
			_exit(1);
		if (len > 0 && read_all(job_fd, job, (size_t)len) != 1)
			_exit(1);
		job[len] = '\0';
		odf_error_clear(&err);
		if (ops->work(state, job, (size_t)len, &out, &out_len, &err) == 0)
			rc = send_frame(res_fd, FRAME_DONE, out, out != NULL ? out_len : 0);
		else
			rc = send_frame(res_fd, FRAME_FAILED, &err, sizeof(err));
		free(out);
		free(job);
		if (rc != 0)
			_exit(1);   /* the parent is gone */
	}
	if (ops->fini != NULL)
		ops->fini(state, ops->arg);
	_exit(r == 0 ? 0 : 1);
}

/* --- the parent's side --- */

static void
describe_status(char *buf, size_t size, int index, pid_t pid, int status)
{
	if (WIFSIGNALED(status))
		snprintf(buf, size, "worker %d (pid %ld) was killed by signal %d (%s)",
		    index, (long)pid, WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (WIFEXITED(status))
		snprintf(buf, size, "worker %d (pid %ld) exited with status %d",
		    index, (long)pid, WEXITSTATUS(status));
	else
		snprintf(buf, size, "worker %d (pid %ld) ended", index, (long)pid);
}

static int
reap(struct worker *w, int index, int *status)
{
	pid_t r;

	*status = 0;
	if (w->pid <= 0)
		return 0;
	while ((r = waitpid(w->pid, status, 0)) == -1 && errno == EINTR)
		;
	if (r == -1)
		snprintf(w->died, sizeof(w->died), "worker %d (pid %ld) vanished: %s",
		    index, (long)w->pid, strerror(errno));
	else
		describe_status(w->died, sizeof(w->died), index, w->pid, *status);
	w->pid = 0;
	return r == -1 ? -1 : 0;
}

static void
job_arrive(struct odf_pool *pool, struct job *j)
{
	j->arrived = 1;
	if (pool->mode == ODF_POOL_ROUTED) {
		j->next = NULL;
		if (pool->tail != NULL)
			pool->tail->next = j;
		else
			pool->head = j;
		pool->tail = j;
	}
}

static void
job_lost(struct odf_pool *pool, struct job *j, const char *why)
{
	j->status = ODF_POOL_LOST;
	odf_error_clear(&j->error);
	odf_error_set(&j->error, ODF_E_SOFTWARE, "%s; job %ld was lost", why, j->no);
	job_arrive(pool, j);
}

/* The worker's result pipe ended (or broke): reap it and give back each job
 * it held as LOST. kill_first when it may still be running. */
static void
worker_died(struct odf_pool *pool, int index, int kill_first)
{
	struct worker *w = &pool->w[index];
	struct job *j;
	int status;

	if (kill_first && w->pid > 0)
		kill(w->pid, SIGKILL);
	close_fd(&w->job_fd);
	close_fd(&w->res_fd);
	reap(w, index, &status);
	w->alive = 0;
	free(w->payload);
	w->payload = NULL;
	while ((j = w->qhead) != NULL) {
		w->qhead = j->wnext;
		job_lost(pool, j, w->died);
	}
	w->qtail = w->sending = NULL;
	w->inflight = 0;
}

static int
frame_done(struct odf_pool *pool, int index, struct odf_error *err)
{
	struct worker *w = &pool->w[index];
	struct job *j;
	char *payload = w->payload;
	size_t len = (size_t)w->hdr.len;

	w->payload = NULL;
	w->hdr_got = w->got = 0;
	switch (w->hdr.kind) {
	case FRAME_READY:
		free(payload);
		w->ready = 1;
		return 0;
	case FRAME_INIT_FAILED:
		if (len == sizeof(w->init_error))
			memcpy(&w->init_error, payload, len);
		else
			odf_error_set(&w->init_error, ODF_E_SOFTWARE,
			    "worker %d failed to start", index);
		free(payload);
		w->init_failed = 1;
		return 0;
	case FRAME_DONE:
	case FRAME_FAILED:
		break;
	default:
		free(payload);
		return odf_error_set(err, ODF_E_SOFTWARE,
		    "worker %d sent a frame of unknown kind %u", index, (unsigned)w->hdr.kind);
	}
	if ((j = w->qhead) == NULL || j == w->sending) {
		free(payload);
		return odf_error_set(err, ODF_E_SOFTWARE,
		    "worker %d answered a job it was not given", index);
	}
	w->qhead = j->wnext;
	if (w->qhead == NULL)
		w->qtail = NULL;
	w->inflight--;
	if (w->hdr.kind == FRAME_DONE) {
		j->status = ODF_POOL_DONE;
		j->data = payload;
		j->len = len;
	} else {
		j->status = ODF_POOL_FAILED;
		if (len == sizeof(j->error))
			memcpy(&j->error, payload, len);
		else
			odf_error_set(&j->error, ODF_E_SOFTWARE,
			    "worker %d sent a bad error frame", index);
		free(payload);
	}
	job_arrive(pool, j);
	return 0;
}

/* Read what the worker has sent; 0, or -1 with err on a corrupt frame. */
static int
worker_read(struct odf_pool *pool, int index, struct odf_error *err)
{
	struct worker *w = &pool->w[index];
	ssize_t n;

	for (;;) {
		if (w->hdr_got < sizeof(w->hdr)) {
			n = read(w->res_fd, (char *)&w->hdr + w->hdr_got,
			    sizeof(w->hdr) - w->hdr_got);
		} else {
			if (w->payload == NULL) {
				if (w->hdr.len >= ODF_POOL_MAX_FRAME) {
					worker_died(pool, index, 1);
					return odf_error_set(err, ODF_E_SOFTWARE,
					    "worker %d sent a frame of %llu bytes", index,
					    (unsigned long long)w->hdr.len);
				}
				if ((w->payload = malloc((size_t)w->hdr.len + 1)) == NULL)
					return odf_error_set(err, ODF_E_NOMEM,
					    "out of memory for a result of %llu bytes",
					    (unsigned long long)w->hdr.len);
				w->payload[w->hdr.len] = '\0';
			}
			if (w->got == w->hdr.len) {
				if (frame_done(pool, index, err) != 0)
					return -1;
				continue;
			}
			n = read(w->res_fd, w->payload + w->got, (size_t)w->hdr.len - w->got);
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0) {
			worker_died(pool, index, n < 0);
			return 0;
		}
		if (w->hdr_got < sizeof(w->hdr))
			w->hdr_got += (size_t)n;
		else
			w->got += (size_t)n;
	}
}

/* Write what the pipe takes of the queued jobs. */
static void
worker_write(struct odf_pool *pool, int index)
{
	struct worker *w = &pool->w[index];

	while (w->sending != NULL) {
		struct job *j = w->sending;
		uint64_t len = j->input_len;
		ssize_t n;

		if (w->sent < sizeof(len))
			n = write(w->job_fd, (char *)&len + w->sent, sizeof(len) - w->sent);
		else
			n = write(w->job_fd, j->input + (w->sent - sizeof(len)),
			    j->input_len - (w->sent - sizeof(len)));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				/* It is dying: its result pipe will end. */
				close_fd(&w->job_fd);
				w->sending = NULL;
			}
			return;
		}
		w->sent += (size_t)n;
		if (w->sent == sizeof(len) + j->input_len) {
			w->sending = j->wnext;
			w->sent = 0;
		}
	}
}

/* Move bytes both ways, waiting up to timeout ms (-1: until something
 * happens). Returns 0, 1 when no worker is left to wait for, or -1 with
 * err. */
static int
pump(struct odf_pool *pool, int timeout, struct odf_error *err)
{
	struct pollfd pfd[2 * ODF_POOL_MAX_WORKERS];
	int who[2 * ODF_POOL_MAX_WORKERS];
	int i, n = 0, r;

	for (i = 0; i < pool->nworkers; i++) {
		struct worker *w = &pool->w[i];

		if (!w->alive)
			continue;
		if (w->sending != NULL && w->job_fd >= 0) {
			pfd[n].fd = w->job_fd;
			pfd[n].events = POLLOUT;
			who[n++] = i;
		}
		pfd[n].fd = w->res_fd;
		pfd[n].events = POLLIN;
		who[n++] = i;
	}
	if (n == 0)
		return 1;
	while ((r = poll(pfd, (nfds_t)n, timeout)) == -1 && errno == EINTR)
		;
	if (r == -1)
		return odf_error_set(err, ODF_E_SOFTWARE, "poll: %s", strerror(errno));
	for (i = 0; i < n; i++) {
		struct worker *w = &pool->w[who[i]];

		if (pfd[i].revents == 0 || !w->alive)
			continue;
		if (pfd[i].fd == w->job_fd)
			worker_write(pool, who[i]);
		else if (pfd[i].fd == w->res_fd && worker_read(pool, who[i], err) != 0)
			return -1;
	}
	return 0;
}

static void
kill_all(struct odf_pool *pool)
{
	int i, status;

	for (i = 0; i < pool->nworkers; i++) {
		struct worker *w = &pool->w[i];

		if (w->pid > 0)
			kill(w->pid, SIGKILL);
		close_fd(&w->job_fd);
		close_fd(&w->res_fd);
		reap(w, i, &status);
		w->alive = 0;
	}
}

static void
job_free(struct job *j)
{
	if (j == NULL)
		return;
	free(j->input);
	free(j->data);
	free(j);
}

void
odf_pool_free(struct odf_pool *pool)
{
	struct job *j;
	int i;

	if (pool == NULL)
		return;
	kill_all(pool);
	/* Every job is either on the pool's list or in a worker's queue,
	 * never both unless ORDERED, where the list holds all. */
	if (pool->mode == ODF_POOL_ROUTED) {
		for (i = 0; i < pool->nworkers; i++) {
			while ((j = pool->w[i].qhead) != NULL) {
				pool->w[i].qhead = j->wnext;
				job_free(j);
			}
		}
	}
	while ((j = pool->head) != NULL) {
		pool->head = j->next;
		job_free(j);
	}
	for (i = 0; i < pool->nworkers; i++)
		free(pool->w[i].payload);
	free(pool);
}

static int
spawn(struct odf_pool *pool, int index, const struct odf_pool_ops *ops,
    struct odf_error *err)
{
	struct worker *w = &pool->w[index];
	int jp[2], rp[2];
	pid_t pid;

	if (pipe(jp) != 0)
		return odf_error_set(err, ODF_E_SOFTWARE, "pipe: %s", strerror(errno));
	if (pipe(rp) != 0) {
		close(jp[0]);
		close(jp[1]);
		return odf_error_set(err, ODF_E_SOFTWARE, "pipe: %s", strerror(errno));
	}
	if ((pid = fork()) == -1) {
		odf_error_set(err, ODF_E_SOFTWARE, "fork: %s", strerror(errno));
		close(jp[0]);
		close(jp[1]);
		close(rp[0]);
		close(rp[1]);
		return -1;
	}
	if (pid == 0) {
		close(jp[1]);
		close(rp[0]);
		worker_main(pool, index, jp[0], rp[1], ops);
	}
	close(jp[0]);
	close(rp[1]);
	w->pid = pid;
	w->job_fd = jp[1];
	w->res_fd = rp[0];
	w->alive = 1;
	/* Not in a program a worker might exec; never blocking the parent. */
	if (fcntl(w->job_fd, F_SETFD, FD_CLOEXEC) != 0 ||
	    fcntl(w->res_fd, F_SETFD, FD_CLOEXEC) != 0 ||
	    set_nonblock(w->job_fd) != 0 || set_nonblock(w->res_fd) != 0)
		return odf_error_set(err, ODF_E_SOFTWARE, "fcntl: %s", strerror(errno));
	return 0;
}

/* Wait for every worker's READY; -1 with the first init error. */
static int
wait_ready(struct odf_pool *pool, struct odf_error *err)
{
	for (;;) {
		int i, waiting = 0;

		for (i = 0; i < pool->nworkers; i++) {
			struct worker *w = &pool->w[i];

			if (w->init_failed) {
				*err = w->init_error;
				return -1;
			}
			if (!w->alive)
				return odf_error_set(err, ODF_E_SOFTWARE,
				    "%s while starting", w->died);
			waiting += !w->ready;
		}
		if (waiting == 0)
			return 0;
		if (pump(pool, -1, err) < 0)
			return -1;
	}
}

struct odf_pool *
odf_pool_new(const struct odf_pool_opts *opts, const struct odf_pool_ops *ops,
    struct odf_error *err)
{
	struct odf_pool *pool;
	int i;

	if (opts->workers < 1 || opts->workers > ODF_POOL_MAX_WORKERS) {
		odf_error_set(err, ODF_E_USAGE, "workers: %d is not between 1 and %d",
		    opts->workers, ODF_POOL_MAX_WORKERS);
		return NULL;
	}
	if (opts->depth < 0 || ops->work == NULL ||
	    (opts->mode != ODF_POOL_ORDERED && opts->mode != ODF_POOL_ROUTED)) {
		odf_error_set(err, ODF_E_SOFTWARE, "odf_pool_new: bad options");
		return NULL;
	}
	if ((pool = calloc(1, sizeof(*pool))) == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	pool->mode = opts->mode;
	pool->depth = opts->depth > 0 ? opts->depth : 2;
	for (i = 0; i < ODF_POOL_MAX_WORKERS; i++)
		pool->w[i].job_fd = pool->w[i].res_fd = -1;
	/* Buffered output would be written again by each child's exit. */
	fflush(NULL);
	for (i = 0; i < opts->workers; i++) {
		pool->nworkers = i + 1;
		if (spawn(pool, i, ops, err) != 0) {
			pool->nworkers = pool->w[i].pid > 0 ? i + 1 : i;
			odf_pool_free(pool);
			return NULL;
		}
	}
	if (wait_ready(pool, err) != 0) {
		odf_pool_free(pool);
		return NULL;
	}
	return pool;
}

long
odf_pool_pending(const struct odf_pool *pool)
{
	return pool->pending;
}

int
odf_pool_can_submit(const struct odf_pool *pool, int worker)
{
	if (pool->mode == ODF_POOL_ORDERED)
		return pool->pending < (long)pool->nworkers * pool->depth;
	return worker >= 0 && worker < pool->nworkers &&
	    pool->w[worker].pending < pool->depth;
}

/* ORDERED: the live worker with the fewest jobs; -1 when none is left. */
static int
least_busy(const struct odf_pool *pool)
{
	int i, best = -1;

	for (i = 0; i < pool->nworkers; i++) {
		if (pool->w[i].alive &&
		    (best < 0 || pool->w[i].inflight < pool->w[best].inflight))
			best = i;
	}
	return best;
}

int
odf_pool_route(const struct odf_pool *pool, int want)
{
	int i, w, best = -1;

	if (want >= 0) {
		for (i = 0; i < pool->nworkers; i++) {
			w = (want + i) % pool->nworkers;
			if (pool->w[w].alive)
				return w;
		}
		return want;
	}
	for (w = 0; w < pool->nworkers; w++)
		if (pool->w[w].alive && (best < 0 || pool->w[w].pending < pool->w[best].pending))
			best = w;
	return best >= 0 ? best : 0;
}

long
odf_pool_submit(struct odf_pool *pool, int worker, const char *job, size_t len,
    struct odf_error *err)
{
	struct worker *w;
	struct job *j;

	if (pool->mode == ODF_POOL_ROUTED && (worker < 0 || worker >= pool->nworkers))
		return odf_error_set(err, ODF_E_SOFTWARE,
		    "odf_pool_submit: no worker %d", worker);
	if (!odf_pool_can_submit(pool, worker))
		return odf_error_set(err, ODF_E_SOFTWARE,
		    "odf_pool_submit: the pool is full; take a result first");
	if (len >= ODF_POOL_MAX_FRAME)
		return odf_error_set(err, ODF_E_DATA, "a job of %zu bytes is too large", len);
	if ((j = calloc(1, sizeof(*j))) == NULL || (j->input = malloc(len + 1)) == NULL) {
		free(j);
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	}
	if (len > 0)
		memcpy(j->input, job, len);
	j->input[len] = '\0';
	j->input_len = len;
	j->no = pool->next_no++;
	if (pool->mode == ODF_POOL_ORDERED) {
		worker = least_busy(pool);
		if (pool->tail != NULL)
			pool->tail->next = j;
		else
			pool->head = j;
		pool->tail = j;
	}
	pool->pending++;
	j->worker = worker;
	if (worker < 0) {
		job_lost(pool, j, "no worker is left");
		return j->no;
	}
	w = &pool->w[worker];
	w->pending++;
	if (!w->alive) {
		job_lost(pool, j, w->died);
		return j->no;
	}
	if (w->qtail != NULL)
		w->qtail->wnext = j;
	else
		w->qhead = j;
	w->qtail = j;
	w->inflight++;
	if (w->sending == NULL && w->job_fd >= 0) {
		w->sending = j;
		w->sent = 0;
	}
	/* Start the worker now: the caller may go and do something slow. */
	if (pump(pool, 0, err) < 0)
		return -1;
	return j->no;
}

static void
hand_out(struct odf_pool *pool, struct job *j, struct odf_pool_result *res)
{
	pool->head = j->next;
	if (pool->head == NULL)
		pool->tail = NULL;
	pool->pending--;
	if (j->worker >= 0)
		pool->w[j->worker].pending--;
	res->job = j->no;
	res->worker = j->worker;
	res->status = j->status;
	res->data = j->data;
	res->len = j->len;
	res->input = j->input;
	res->input_len = j->input_len;
	res->error = j->error;
	free(j);
}

int
odf_pool_next(struct odf_pool *pool, struct odf_pool_result *res, int wait,
    struct odf_error *err)
{
	int pumped = 0, r;

	memset(res, 0, sizeof(*res));
	for (;;) {
		if (pool->head != NULL && pool->head->arrived) {
			hand_out(pool, pool->head, res);
			return 1;
		}
		if (pool->pending == 0 || (!wait && pumped))
			return 0;
		r = pump(pool, wait ? -1 : 0, err);
		if (r < 0)
			return -1;
		if (r > 0 && !(pool->head != NULL && pool->head->arrived))
			return odf_error_set(err, ODF_E_SOFTWARE,
			    "%ld jobs pending and no worker to wait for", pool->pending);
		pumped = 1;
	}
}

void
odf_pool_result_free(struct odf_pool_result *res)
{
	if (res == NULL)
		return;
	free(res->data);
	free(res->input);
	res->data = res->input = NULL;
}

int
odf_pool_close(struct odf_pool *pool, struct odf_error *err)
{
	int i, status, rc = 0;

	for (i = 0; i < pool->nworkers; i++)
		close_fd(&pool->w[i].job_fd);
	for (i = 0; i < pool->nworkers; i++) {
		struct worker *w = &pool->w[i];
		char buf[4096];
		ssize_t n;

		if (w->pid <= 0)
			continue;
		/* Drain what it still says, so that it can finish and exit. */
		if (w->res_fd >= 0) {
			int fl = fcntl(w->res_fd, F_GETFL);

			if (fl != -1)
				fcntl(w->res_fd, F_SETFL, fl & ~O_NONBLOCK);
			while ((n = read(w->res_fd, buf, sizeof(buf))) > 0 ||
			    (n < 0 && errno == EINTR))
				;
			close_fd(&w->res_fd);
		}
		if (reap(w, i, &status) != 0 ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			if (rc == 0)
				odf_error_set(err, ODF_E_SOFTWARE, "%s", w->died);
			rc = -1;
		}
		w->alive = 0;
	}
	return rc;
}
