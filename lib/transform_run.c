/*
 * A transform run: input lines go in chunks to the engine, in this process
 * or in a pool of forked workers (odf_pool, ordered), and the results come
 * back in input order.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "odf/ndjson.h"
#include "odf/pool.h"
#include "odf/transform.h"

#define CHUNK_BYTES ((size_t)64 << 10)
#define CHUNK_ITEMS 1024

/* A chunk: a chunk_head, then items, each an item_head and its bytes. */
struct chunk_head {
	uint64_t size;          /* bytes after this head */
	uint32_t file;          /* index into the inputs */
	uint32_t items;
};

enum { ITEM_LINE, ITEM_BAD };   /* a line, or the reader's error about one */

struct item_head {
	int64_t lineno;
	uint64_t len;
	uint32_t kind;
	uint32_t pad;
};

/* A result: a result_head, then out, rej, msg and halt bytes. msg holds
 * one item_head (kind unused) and the message for each failed record;
 * halt the message of halt_error. */
struct result_head {
	uint64_t out_len, rej_len, msg_len, halt_len;
	uint32_t file;
	int32_t records, outputs, failed;
	int32_t halted, halt_status, has_halt_message, stopped;
};

/* A result made here. */
struct result {
	struct result_head h;
	struct odf_buf out, rej, msg, halt;
};

struct run {
	struct odf_transform *t;
	char *const *inputs;
	int ninputs;
	const struct odf_transform_run_opts *o;
	struct odf_transform_stats *stats;
	/* input */
	struct odf_ndjson_reader *reader;
	int file;               /* index of the input being read */
	int input_done;
	struct odf_error input_err;     /* a read error that ended the input */
	int input_failed;
	/* the chunk being built or sent */
	struct odf_buf chunk;
	/* the result being made */
	struct result res;
	int stop;
};

static void
result_reset(struct result *r)
{
	memset(&r->h, 0, sizeof(r->h));
	odf_buf_reset(&r->out);
	odf_buf_reset(&r->rej);
	odf_buf_reset(&r->msg);
	odf_buf_reset(&r->halt);
}

static void
result_free(struct result *r)
{
	odf_buf_release(&r->out);
	odf_buf_release(&r->rej);
	odf_buf_release(&r->msg);
	odf_buf_release(&r->halt);
}

static size_t
result_size(const struct result_head *h)
{
	return h->out_len + h->rej_len + h->msg_len + h->halt_len;
}

static const char *
input_name(const struct run *run, uint32_t file)
{
	const char *p = file < (uint32_t)run->ninputs ? run->inputs[file] : "-";

	return strcmp(p, "-") == 0 ? "<stdin>" : p;
}

/* Add one item to the chunk. */
static int
chunk_add(struct odf_buf *c, uint32_t kind, long lineno, const char *s, size_t len,
    struct odf_error *err)
{
	struct item_head ih = { .lineno = lineno, .len = len, .kind = kind };
	struct chunk_head *ch;

	if (odf_buf_add(c, (const char *)&ih, sizeof(ih), err) < 0 ||
	    odf_buf_add(c, s, len, err) < 0)
		return -1;
	ch = (struct chunk_head *)c->data;
	ch->size += sizeof(ih) + len;
	ch->items++;
	return 0;
}

/*
 * Fill run->chunk with the next lines of one input: 1 with a chunk, 0 when
 * the inputs are done, -1 with err (an input that cannot be opened, a read
 * error: the chunk so far is kept for sending first).
 */
static int
chunk_fill(struct run *run, struct odf_error *err)
{
	struct chunk_head head = { 0 };
	struct odf_error rerr;
	const char *line;
	size_t len;

	odf_buf_reset(&run->chunk);
	while (run->reader == NULL) {
		if (run->file >= run->ninputs)
			return 0;
		run->reader = odf_ndjson_open(run->inputs[run->file], err);
		if (run->reader == NULL)
			return -1;
	}
	head.file = (uint32_t)run->file;
	if (odf_buf_add(&run->chunk, (const char *)&head, sizeof(head), err) < 0)
		return -1;
	for (;;) {
		int rc = odf_ndjson_next(run->reader, &line, &len, &rerr);
		long lineno = odf_ndjson_lineno(run->reader);

		if (rc == 0) {
			odf_ndjson_close(run->reader);
			run->reader = NULL;
			run->file++;
			break;
		}
		if (rc < 0 && rerr.code != ODF_E_DATA) {
			*err = rerr;
			return -1;
		}
		/* A bad line is the record's failure, reported in its place. */
		if (rc < 0) {
			const char *msg = rerr.message;
			const char *at = strstr(msg, ": line ");

			if (at != NULL && (at = strstr(at + 7, ": ")) != NULL)
				msg = at + 2;
			rc = chunk_add(&run->chunk, ITEM_BAD, lineno, msg, strlen(msg), err);
		} else {
			rc = chunk_add(&run->chunk, ITEM_LINE, lineno, line, len, err);
		}
		if (rc < 0)
			return -1;
		if (run->chunk.len >= CHUNK_BYTES ||
		    ((struct chunk_head *)run->chunk.data)->items >= CHUNK_ITEMS)
			break;
	}
	return 1;
}

static int
record_failure(struct result *r, const char *file, int want_rejects, const char *line,
    size_t len, long lineno, const char *message, struct odf_error *err)
{
	struct item_head ih = { .lineno = lineno, .len = strlen(message) };

	r->h.failed++;
	if (want_rejects && odf_transform_reject_line(line, len, file, lineno, message,
	    &r->rej, err) < 0)
		return -1;
	return odf_buf_add(&r->msg, (const char *)&ih, sizeof(ih), err) < 0 ||
	    odf_buf_add(&r->msg, message, ih.len, err) < 0 ? -1 : 0;
}

/* Run the engine over one chunk (data after its head) into r. */
static int
chunk_process(struct odf_transform *t, const struct odf_transform_run_opts *o,
    const char *file, const struct chunk_head *ch, const char *data, struct result *r,
    struct odf_error *err)
{
	const char *p = data, *end = data + ch->size;

	result_reset(r);
	r->h.file = ch->file;
	while (p + sizeof(struct item_head) <= end) {
		struct item_head ih;
		struct odf_error rerr;
		size_t before = r->out.len;
		int rc;

		memcpy(&ih, p, sizeof(ih));
		p += sizeof(ih);
		r->h.records++;
		if (ih.kind == ITEM_BAD) {
			char msg[sizeof(rerr.message)];

			snprintf(msg, sizeof(msg), "%.*s", (int)ih.len, p);
			rc = ODF_TRANSFORM_REJECTED;
			odf_error_set(&rerr, ODF_E_DATA, "%s", msg);
		} else {
			rc = odf_transform_record(t, p, ih.len, &r->out, &rerr);
		}
		if (rc < 0) {
			*err = rerr;
			return -1;
		}
		if (rc == ODF_TRANSFORM_REJECTED &&
		    record_failure(r, file, o->reject != NULL, ih.kind == ITEM_LINE ? p : NULL,
		    ih.len, (long)ih.lineno, rerr.message, err) < 0)
			return -1;
		r->h.outputs += (int)odf_ndjson_count(r->out.data + before, r->out.len - before);
		p += ih.len;
		if (rc == ODF_TRANSFORM_HALTED) {
			char *msg;
			int status;

			odf_transform_halt(t, &status, &msg);
			r->h.halted = 1;
			r->h.halt_status = status;
			r->h.has_halt_message = msg != NULL;
			if (msg != NULL && odf_buf_add(&r->halt, msg, strlen(msg), err) < 0) {
				free(msg);
				return -1;
			}
			free(msg);
			break;
		}
		if (rc == ODF_TRANSFORM_REJECTED && o->fail_fast) {
			r->h.stopped = 1;
			break;
		}
	}
	r->h.out_len = r->out.len;
	r->h.rej_len = r->rej.len;
	r->h.msg_len = r->msg.len;
	r->h.halt_len = r->halt.len;
	return 0;
}

static const char *
reject_name(const struct odf_transform_run_opts *o)
{
	return o->reject_name != NULL ? o->reject_name : "the reject file";
}

static int
write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Deliver a result (its head and its parts, in order after one another
 * from body): records out, rejects written, failures reported.
 */
static int
result_apply(struct run *run, const struct result_head *h, const char *out,
    const char *rej, const char *msg, const char *halt, struct odf_error *err)
{
	struct odf_transform_stats *st = run->stats;
	const char *file = input_name(run, h->file);
	const char *p = msg, *end = msg + h->msg_len;

	st->records += h->records;
	st->outputs += h->outputs;
	st->failed += h->failed;
	if (h->out_len > 0 && write_all(run->o->out_fd, out, h->out_len) < 0) {
		if (errno != EPIPE)
			return odf_error_set(err, ODF_E_IO, "standard output: write error: %s",
			    strerror(errno));
		/* The records are gone with the reader; the failures, counted
		 * above, are still kept and told. */
		st->output_closed = 1;
		run->stop = 1;
	}
	/* Flushed with the records out: a run killed later leaves no failure
	 * unwritten behind records written. */
	if (h->rej_len > 0 && (fwrite(rej, 1, h->rej_len, run->o->reject) != h->rej_len ||
	    fflush(run->o->reject) != 0))
		return odf_error_set(err, ODF_E_IO, "%s: write error: %s",
		    reject_name(run->o), strerror(errno));
	while (p + sizeof(struct item_head) <= end) {
		struct item_head ih;
		char text[1024];

		memcpy(&ih, p, sizeof(ih));
		p += sizeof(ih);
		snprintf(text, sizeof(text), "%.*s", (int)ih.len, p);
		p += ih.len;
		if (run->o->on_reject != NULL)
			run->o->on_reject(run->o->ctx, file, (long)ih.lineno, text);
	}
	if (h->halted) {
		st->halted = 1;
		st->halt_status = h->halt_status;
		if (h->has_halt_message && (st->halt_message = malloc(h->halt_len + 1)) != NULL) {
			memcpy(st->halt_message, halt, h->halt_len);
			st->halt_message[h->halt_len] = '\0';
		}
		run->stop = 1;
	}
	if (h->stopped) {
		st->stopped = 1;
		run->stop = 1;
	}
	return 0;
}

static int
made_apply(struct run *run, struct result *r, struct odf_error *err)
{
	return result_apply(run, &r->h, r->out.data, r->rej.data, r->msg.data,
	    r->halt.data, err);
}

/*
 * Every input must be readable before any is read. A named pipe is not
 * opened to see: its writer would take our close for the end of its reader
 * and die of SIGPIPE, with the records it had still to write.
 */
int
odf_transform_check_inputs(char *const *inputs, int ninputs, struct odf_error *err)
{
	for (int i = 0; i < ninputs; i++) {
		struct stat sb;
		int fd;

		if (strcmp(inputs[i], "-") == 0)
			continue;
		if (stat(inputs[i], &sb) == 0 && !S_ISREG(sb.st_mode)) {
			if (access(inputs[i], R_OK) != 0)
				return odf_error_set(err, ODF_E_NOINPUT, "%s: cannot open: %s",
				    inputs[i], strerror(errno));
			continue;
		}
		fd = open(inputs[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return odf_error_set(err, ODF_E_NOINPUT, "%s: cannot open: %s",
			    inputs[i], strerror(errno));
		close(fd);
	}
	return 0;
}

/* The next chunk, with a read error kept for after the chunks before it. */
static int
next_chunk(struct run *run)
{
	int rc;

	/* An empty input makes an empty chunk: go on to the next input. */
	do {
		if (run->input_done)
			return 0;
		rc = chunk_fill(run, &run->input_err);
		if (rc < 0) {
			run->input_failed = 1;
			run->input_done = 1;
			/* The lines read before the error still go through. */
			rc = run->chunk.len > sizeof(struct chunk_head);
		} else if (rc == 0) {
			run->input_done = 1;
		}
	} while (rc > 0 && ((struct chunk_head *)run->chunk.data)->items == 0);
	return rc;
}

static int
run_here(struct run *run, struct odf_error *err)
{
	while (!run->stop && next_chunk(run) > 0) {
		const struct chunk_head *ch = (const struct chunk_head *)run->chunk.data;

		if (chunk_process(run->t, run->o, input_name(run, ch->file), ch,
		    run->chunk.data + sizeof(*ch), &run->res, err) < 0 ||
		    made_apply(run, &run->res, err) < 0)
			return -1;
	}
	return 0;
}

/* In a worker: the engine is the one compiled before the fork. */
static int
worker_init(int worker, void *arg, void **state, struct odf_error *err)
{
	(void)worker;
	(void)err;
	*state = arg;
	return 0;
}

/* In a worker whose jobs are done: its copy of the engine goes. */
static void
worker_fini(void *state, void *arg)
{
	struct run *run = state;

	(void)arg;
	result_free(&run->res);
	odf_transform_free(run->t);
	run->t = NULL;
}

/* In a worker: one chunk in, its result out as one buffer (head, parts). */
static int
worker_chunk(void *state, const char *job, size_t len, char **out, size_t *out_len,
    struct odf_error *err)
{
	struct run *run = state;
	struct result *r = &run->res;
	struct chunk_head ch;
	char *p;

	if (len < sizeof(ch))
		return odf_error_set(err, ODF_E_SOFTWARE, "a chunk of %zu bytes", len);
	memcpy(&ch, job, sizeof(ch));
	if (chunk_process(run->t, run->o, input_name(run, ch.file), &ch, job + sizeof(ch),
	    r, err) < 0)
		return -1;
	*out_len = sizeof(r->h) + result_size(&r->h);
	if ((p = *out = malloc(*out_len)) == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	memcpy(p, &r->h, sizeof(r->h));
	p += sizeof(r->h);
	if (r->out.len > 0)
		memcpy(p, r->out.data, r->out.len);
	p += r->out.len;
	if (r->rej.len > 0)
		memcpy(p, r->rej.data, r->rej.len);
	p += r->rej.len;
	if (r->msg.len > 0)
		memcpy(p, r->msg.data, r->msg.len);
	p += r->msg.len;
	if (r->halt.len > 0)
		memcpy(p, r->halt.data, r->halt.len);
	return 0;
}

/* A result from a worker: its head, then its parts. */
static int
received_apply(struct run *run, const char *data, size_t len, struct odf_error *err)
{
	struct result_head h;
	const char *out, *rej, *msg;

	if (len < sizeof(h))
		return odf_error_set(err, ODF_E_SOFTWARE, "a worker's result is cut short");
	memcpy(&h, data, sizeof(h));
	if (len != sizeof(h) + result_size(&h))
		return odf_error_set(err, ODF_E_SOFTWARE, "a worker's result is cut short");
	out = data + sizeof(h);
	rej = out + h.out_len;
	msg = rej + h.rej_len;
	return result_apply(run, &h, out, rej, msg, msg + h.msg_len, err);
}

/*
 * A chunk whose worker died, or failed: each of its records fails with
 * why, so that none is lost without a word.
 */
static int
chunk_lost(struct run *run, const char *job, size_t len, const char *why,
    struct odf_error *err)
{
	struct result *r = &run->res;
	struct chunk_head ch;
	const char *p, *end = job + len;

	result_reset(r);
	if (len < sizeof(ch))
		return odf_error_set(err, ODF_E_SOFTWARE, "%s", why);
	memcpy(&ch, job, sizeof(ch));
	r->h.file = ch.file;
	for (p = job + sizeof(ch); p + sizeof(struct item_head) <= end; ) {
		struct item_head ih;

		memcpy(&ih, p, sizeof(ih));
		p += sizeof(ih);
		r->h.records++;
		if (record_failure(r, input_name(run, ch.file), run->o->reject != NULL,
		    ih.kind == ITEM_LINE ? p : NULL, ih.len, (long)ih.lineno, why, err) < 0)
			return -1;
		p += ih.len;
	}
	r->h.rej_len = r->rej.len;
	r->h.msg_len = r->msg.len;
	return made_apply(run, r, err);
}

static int
run_pool(struct run *run, int n, struct odf_error *err)
{
	const struct odf_pool_opts opts = { .workers = n, .mode = ODF_POOL_ORDERED };
	const struct odf_pool_ops ops = { .init = worker_init, .work = worker_chunk,
	    .fini = worker_fini, .arg = run };
	struct odf_pool *pool = odf_pool_new(&opts, &ops, err);
	int rc = 0;

	if (pool == NULL)
		return -1;
	while (rc == 0 && !run->stop) {
		struct odf_pool_result res = { 0 };
		char why[sizeof(res.error.message) + 32];
		int got;

		while (!run->input_done && odf_pool_can_submit(pool, -1) && next_chunk(run) > 0)
			if (odf_pool_submit(pool, -1, run->chunk.data, run->chunk.len, err) < 0) {
				odf_pool_free(pool);
				return -1;
			}
		got = odf_pool_next(pool, &res, 1, err);
		if (got <= 0) {
			rc = got;
			break;
		}
		switch (res.status) {
		case ODF_POOL_DONE:
			rc = received_apply(run, res.data, res.len, err);
			break;
		case ODF_POOL_FAILED:
		case ODF_POOL_LOST:
			snprintf(why, sizeof(why), "not transformed: %s", res.error.message);
			rc = chunk_lost(run, res.input, res.input_len, why, err);
			break;
		}
		odf_pool_result_free(&res);
	}
	/* Stopped early: what the workers still hold is not wanted. */
	if (rc == 0 && !run->stop)
		rc = odf_pool_close(pool, err);
	odf_pool_free(pool);
	return rc;
}

int
odf_transform_run(struct odf_transform *t, char *const *inputs, int ninputs,
    const struct odf_transform_run_opts *o, struct odf_transform_stats *stats,
    struct odf_error *err)
{
	static char *const stdin_only[] = { "-" };
	struct run run = { .t = t, .inputs = inputs, .ninputs = ninputs, .o = o,
	    .stats = stats };
	int rc;

	memset(stats, 0, sizeof(*stats));
	if (ninputs == 0) {
		run.inputs = stdin_only;
		run.ninputs = 1;
	}
	if (odf_transform_check_inputs(run.inputs, run.ninputs, err) < 0)
		return -1;
	rc = o->workers > 1 ? run_pool(&run, o->workers, err) : run_here(&run, err);
	if (rc == 0 && run.input_failed && !run.stop) {
		*err = run.input_err;
		rc = -1;
	}
	odf_ndjson_close(run.reader);
	odf_buf_release(&run.chunk);
	result_free(&run.res);
	if (o->reject != NULL && fflush(o->reject) != 0 && rc == 0)
		rc = odf_error_set(err, ODF_E_IO, "%s: write error: %s", reject_name(o),
		    strerror(errno));
	return rc;
}
