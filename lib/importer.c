/*
 * The import loop (include/odf/importer.h): the parent's side. It reads
 * and prepares records, routes them in batches to the workers
 * (load_worker.h, which also holds the wire format of jobs and answers),
 * keeps the input text of every record in flight, and turns the answers
 * into counts, fail-file lines and deferred values.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/buf.h"
#include "odf/check.h"
#include "odf/connect.h"
#include "odf/deferred.h"
#include "odf/fields.h"
#include "odf/importer.h"
#include "odf/load_worker.h"
#include "odf/pool.h"
#include "odf/record.h"
#include "odf/rpc.h"
#include "odf/schema.h"
#include "odf/strmap.h"
#include "odf/window.h"
#include "odf/xmlids.h"

#define POOL_DEPTH 2
#define LANDED_MAX 200000       /* xmlids remembered as in Odoo, then forgotten */
#define WINDOW_BATCHES 50       /* the window: this many batches a worker, */
#define WINDOW_MIN 5000         /* at least this many records, */
#define WINDOW_MAX 50000        /* at most this many */

/* ---- small shared helpers ------------------------------------------ */

static const char *
rec_string(const cJSON *rec, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, key));
}

struct odf_importer {
	struct odf_import_opts o;
	struct odf_connect_opts connect;        /* for every connection opened */
	struct odf_load_worker_conf wconf;      /* what the workers inherit */
	struct odf_pool *pool;
	struct odf_rpc *rpc;
	struct odf_schema *schema;
	const struct odf_fields *fields;
	struct odf_strmap *deferred;    /* field names */
	struct odf_strmap *ignore;
	struct odf_strmap *groupby;
	struct odf_strmap *columns;     /* top-level keys found known, once checked */
	struct odf_strmap *landed;      /* full xmlids in Odoo (bounded) */
	const char *parent;             /* the field records are grouped on, or NULL */
	struct odf_window *window;      /* pass 1: records regrouped by parent */
	int nworkers;
	struct batch *batches;          /* one a worker with groupby, else one */
	int nbatches;
	struct job *jobs;
	size_t njobs;
	struct odf_deferred *spool;     /* deferred values of landed records */
	const char *file;               /* input name for messages */
	struct odf_import_stats *st;
	int seen_record;                /* a JSON record was read */
	int pass;
};

/* ---- the parent: records in, jobs out, answers back ----------------- */

struct prec {                   /* a record the parent waits on */
	char *line;                 /* the input text, for the fail file */
	size_t len;
	long lineno;
	char *deferred;             /* pass 1: {"id", deferred keys} as JSON */
	char *xmlid;                /* full external id, when tracked */
	enum odf_load_outcome kind; /* pass 2: how pass 1 counted it */
};

struct batch {                  /* records gathered for one job */
	struct odf_buf text;
	struct prec *recs;
	size_t n, cap;
	struct odf_strmap *ids;     /* full xmlids of its records, to refer to */
};

struct job {
	long number;                /* the pool's; -1: free slot */
	int pass;
	struct prec *recs;
	size_t n;
};


static void
prec_free(struct prec *r)
{
	free(r->line);
	free(r->deferred);
	free(r->xmlid);
	memset(r, 0, sizeof(*r));
}

static void
batch_free(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		prec_free(&b->recs[i]);
	free(b->recs);
	odf_buf_release(&b->text);
	odf_strmap_free(b->ids);
	memset(b, 0, sizeof(*b));
}

static void
job_free(struct job *j)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		prec_free(&j->recs[i]);
	free(j->recs);
	memset(j, 0, sizeof(*j));
	j->number = -1;
}

static void
progress(struct odf_importer *im)
{
	if (im->o.progress != NULL)
		im->o.progress(im->st, im->o.progress_arg);
}

/* Send a record to the fail file and count it. */
static int
fail_record(struct odf_importer *im, const char *line, size_t len, long lineno,
    const struct odf_fail_reason *why_in, struct odf_error *err)
{
	struct odf_fail_reason why = *why_in;

	why.file = im->file;
	why.line = lineno;
	if (odf_failfile_add(im->o.fail, line, len, &why, err) != 0)
		return -1;
	im->st->failed++;
	return 0;
}

static int
fail_simple(struct odf_importer *im, const char *line, size_t len, long lineno,
    const char *message, struct odf_error *err)
{
	struct odf_fail_reason why = { message, NULL, NULL, NULL, 0, 0 };

	return fail_record(im, line, len, lineno, &why, err);
}

/* A record of a pass-1 answer: count it, spool its deferred values. */
static int
pass1_result(struct odf_importer *im, struct prec *r,
    const struct odf_load_result *res, struct odf_error *err)
{
	enum odf_load_outcome kind = res->outcome;

	if (kind != ODF_LOAD_FAILED) {
		if (kind == ODF_LOAD_UPDATED)
			im->st->updated++;
		else
			im->st->created++;
		if (kind == ODF_LOAD_LANDED)
			im->st->unsure++;
		if (r->xmlid != NULL) {
			if (odf_strmap_count(im->landed) >= LANDED_MAX)
				odf_strmap_clear(im->landed);
			(void)odf_strmap_put(im->landed, r->xmlid, strlen(r->xmlid), 1);
		}
		if (r->deferred != NULL) {
			struct odf_deferred_entry e = { r->lineno, kind, r->deferred,
				strlen(r->deferred), r->line, r->len };

			return odf_deferred_add(im->spool, &e, err);
		}
		return 0;
	} else {
		struct odf_fail_reason why = { res->message, res->field, res->exception,
			NULL, 0, 0 };

		if (fail_record(im, r->line, r->len, r->lineno, &why, err) != 0)
			return -1;
		im->st->unknown += res->unknown;
		return 0;
	}
}

/* A record of a pass-2 answer: it is in Odoo; did its deferred values go? */
static int
pass2_result(struct odf_importer *im, struct prec *r,
    const struct odf_load_result *res, struct odf_error *err)
{
	const char *m = res->message;
	char msg[1400];
	struct odf_fail_reason why = { msg, res->field, res->exception, NULL, 0, 1 };

	if (res->outcome != ODF_LOAD_FAILED) {
		im->st->deferred++;
		return 0;
	}
	snprintf(msg, sizeof(msg), "the record is in Odoo but its deferred values "
	    "were not written: %s", m != NULL ? m : "load refused them");
	if (fail_record(im, r->line, r->len, r->lineno, &why, err) != 0)
		return -1;
	/* Counted as failed now, so read = created + updated + failed holds. */
	if (r->kind == ODF_LOAD_UPDATED)
		im->st->updated--;
	else
		im->st->created--;
	if (r->kind == ODF_LOAD_LANDED)
		im->st->unsure--;
	im->st->landed_partial++;
	return 0;
}

/* Every record of a job that came back without answers fails with why. */
static int
job_failed(struct odf_importer *im, struct job *j, size_t from,
    const struct odf_error *why, struct odf_error *err)
{
	struct odf_load_result res = { ODF_LOAD_FAILED, 0, why->message, NULL,
		why->name[0] != '\0' ? why->name : NULL };
	size_t i;
	int rc = 0;

	for (i = from; rc == 0 && i < j->n; i++)
		rc = j->pass == 1 ? pass1_result(im, &j->recs[i], &res, err) :
		    pass2_result(im, &j->recs[i], &res, err);
	return rc;
}

/* Take the answers of one job. */
static int
job_done(struct odf_importer *im, struct job *j, const char *data, size_t len,
    struct odf_error *err)
{
	const char *p = data, *end = data + len, *nl;
	struct odf_error bad;
	struct odf_load_result res;
	cJSON *line;
	size_t i = 0;
	long n = -1;
	int rc = 0;

	for (; rc == 0 && p < end && i < j->n; p = nl + 1, n++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		line = cJSON_ParseWithLength(p, (size_t)(nl - p));
		if (n < 0) {
			im->st->calls += odf_load_answer_calls(line);
		} else {
			odf_load_answer_read(line, &res);
			rc = j->pass == 1 ? pass1_result(im, &j->recs[i], &res, err) :
			    pass2_result(im, &j->recs[i], &res, err);
			i++;
		}
		cJSON_Delete(line);
	}
	if (rc == 0 && i < j->n) {
		odf_error_set(&bad, ODF_E_SOFTWARE, "the worker's answer was cut short");
		rc = job_failed(im, j, i, &bad, err);
	}
	return rc;
}

static struct job *
job_find(struct odf_importer *im, long number)
{
	size_t i;

	for (i = 0; i < im->njobs; i++)
		if (im->jobs[i].number == number)
			return &im->jobs[i];
	return NULL;
}

/*
 * Take one answer from the pool (waiting for it when wait) and account for
 * its records. 1 when one was taken, 0 when none, -1 with err.
 */
static int
take_answer(struct odf_importer *im, int wait, struct odf_error *err)
{
	struct odf_pool_result res = { 0 };
	struct job *j;
	int rc;

	if ((rc = odf_pool_next(im->pool, &res, wait, err)) <= 0)
		return rc;
	if ((j = job_find(im, res.job)) == NULL) {
		odf_pool_result_free(&res);
		return odf_error_set(err, ODF_E_SOFTWARE, "an answer to unknown job %ld",
		    res.job);
	}
	switch (res.status) {
	case ODF_POOL_DONE:
		rc = job_done(im, j, res.data, res.len, err);
		break;
	default:
		rc = job_failed(im, j, 0, &res.error, err);
		break;
	}
	job_free(j);
	odf_pool_result_free(&res);
	progress(im);
	return rc < 0 ? -1 : 1;
}

/* Send the batch as a job to worker (-1: the least busy) and empty it. */
static int
submit(struct odf_importer *im, struct batch *b, int want, struct odf_error *err)
{
	struct job *j = NULL;
	size_t i;
	long number;
	int w, rc;

	if (b->n == 0)
		return 0;
	for (;;) {
		w = odf_pool_route(im->pool, want);
		if (odf_pool_can_submit(im->pool, w))
			break;
		if ((rc = take_answer(im, 1, err)) < 0)
			return -1;
		if (rc == 0)
			return odf_error_set(err, ODF_E_SOFTWARE, "worker %d takes no job", w);
	}
	for (i = 0; i < im->njobs && j == NULL; i++)
		if (im->jobs[i].number < 0)
			j = &im->jobs[i];
	if (j == NULL)
		return odf_error_set(err, ODF_E_SOFTWARE, "more jobs in flight than slots");
	if ((number = odf_pool_submit(im->pool, w, b->text.data, b->text.len, err)) < 0)
		return -1;
	j->number = number;
	j->pass = im->pass;
	j->recs = b->recs;
	j->n = b->n;
	b->recs = NULL;
	b->n = b->cap = 0;
	odf_buf_reset(&b->text);
	if (b->ids != NULL)
		odf_strmap_clear(b->ids);
	return 0;
}

/* Add a prepared record (text: its line for the job) to batch b. */
static int
batch_add(struct odf_importer *im, struct batch *b, struct prec *r, const char *text,
    size_t len, struct odf_error *err)
{
	const char *header = odf_load_job_header(im->pass == 1);

	if (odf_grow(&b->recs, &b->cap, b->n + 1, sizeof(*b->recs)) < 0)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	if ((b->n == 0 && odf_buf_add(&b->text, header, strlen(header), err) < 0) ||
	    odf_buf_add(&b->text, text, len, err) < 0 ||
	    odf_buf_add(&b->text, "\n", 1, err) < 0)
		return -1;
	if (r->xmlid != NULL && im->pass == 1 &&
	    ((b->ids == NULL && (b->ids = odf_strmap_new()) == NULL) ||
	     odf_strmap_put(b->ids, r->xmlid, strlen(r->xmlid), 1) != 0))
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	b->recs[b->n++] = *r;
	memset(r, 0, sizeof(*r));
	return 0;
}

/* ---- preparing a record -------------------------------------------- */

/*
 * The record's top-level keys against the model, each new one once: ""
 * when all are known. A key is known once it and its lines passed.
 */
static void
check_columns(struct odf_importer *im, const cJSON *rec, char *why, size_t size)
{
	const cJSON *item;
	size_t n;

	why[0] = '\0';
	cJSON_ArrayForEach(item, rec) {
		n = strlen(item->string);
		if (odf_strmap_get(im->columns, item->string, n) == 1 && !cJSON_IsArray(item))
			continue;
		odf_check_key(im->fields, odf_schema_lookup, im->schema, item->string, item,
		    why, size);
		if (why[0] != '\0')
			return;
		(void)odf_strmap_put(im->columns, item->string, n, 1);
	}
}

static int
is_empty_value(const cJSON *v)
{
	const cJSON *id;

	if (v == NULL || cJSON_IsNull(v) || cJSON_IsFalse(v))
		return 1;
	if (cJSON_IsString(v))
		return v->valuestring[0] == '\0';
	if (cJSON_IsArray(v))
		return v->child == NULL;
	if (cJSON_IsObject(v)) {
		id = cJSON_GetObjectItemCaseSensitive(v, "id");
		return v->child == NULL || (v->child->next == NULL && id != NULL &&
		    is_empty_value(id));
	}
	return 0;
}

/*
 * Whether load can resolve the value itself: it points at a record known
 * to be in Odoo already, or at one earlier in the batch the record joins
 * (load creates a call's rows in order, and finds an external id made by
 * an earlier row of the same call).
 */
static int
is_resolvable(struct odf_importer *im, const struct batch *b, const char *key,
    const cJSON *value)
{
	const char *id = odf_key_xmlid(key, value);
	char *full;
	int in;

	if (id == NULL || id[0] == '\0' || (full = odf_xmlid_full(id)) == NULL)
		return 0;
	in = odf_strmap_get(im->landed, full, strlen(full)) >= 0 ||
	    (b->ids != NULL && odf_strmap_get(b->ids, full, strlen(full)) >= 0);
	free(full);
	return in;
}

/*
 * Move one deferred key of rec into out. "f/id": "x" and "f.id": "x" go as
 * "f": {"id": "x"}, so that second-pass records share keys whatever the
 * input's shape. In rec, "f": null stays in its place: the record keeps the
 * keys of its neighbours and shares their load call (see same_keys); its
 * value is written in the second pass.
 */
static int
defer_value(cJSON *rec, cJSON *item, cJSON *out)
{
	size_t len = odf_key_field_len(item->string);
	const char *id = cJSON_IsString(item) ? odf_key_xmlid(item->string, item) : NULL;
	char name[256];
	cJSON *ref;

	snprintf(name, sizeof(name), "%.*s", (int)len, item->string);
	cJSON_DetachItemViaPointer(rec, item);
	if (id != NULL) {
		if ((ref = cJSON_AddObjectToObject(out, name)) == NULL ||
		    cJSON_AddStringToObject(ref, "id", id) == NULL) {
			cJSON_Delete(item);
			return -1;
		}
		cJSON_Delete(item);
	} else {
		cJSON_AddItemToObject(out, item->string, item);
	}
	if (cJSON_GetObjectItemCaseSensitive(rec, name) == NULL &&
	    cJSON_AddNullToObject(rec, name) == NULL)
		return -1;
	return 0;
}

/*
 * Take the deferred fields out of a record that has an external id, into
 * r->deferred: {"id": ..., "parent_id": {...}}. Values that are empty, or
 * that load can resolve (is_resolvable) in batch b, stay.
 */
static int
take_deferred(struct odf_importer *im, const struct batch *b, cJSON *rec, struct prec *r,
    struct odf_error *err)
{
	const char *id = rec_string(rec, "id");
	cJSON *item = rec->child, *next, *out = NULL;

	if (odf_strmap_count(im->deferred) == 0 || id == NULL || id[0] == '\0')
		return 0;
	if ((r->xmlid = odf_xmlid_full(id)) == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	for (; item != NULL; item = next) {
		next = item->next;
		if (odf_strmap_get(im->deferred, item->string,
		    odf_key_field_len(item->string)) < 0 || is_empty_value(item) ||
		    is_resolvable(im, b, item->string, item))
			continue;
		if (out == NULL && ((out = cJSON_CreateObject()) == NULL ||
		    cJSON_AddStringToObject(out, "id", id) == NULL))
			goto nomem;
		if (defer_value(rec, item, out) != 0)
			goto nomem;
	}
	if (out == NULL)
		return 0;
	r->deferred = cJSON_PrintUnformatted(out);
	cJSON_Delete(out);
	if (r->deferred == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	return 0;
nomem:
	cJSON_Delete(out);
	return odf_error_set(err, ODF_E_NOMEM, "out of memory");
}

/* The worker a record's group goes to: a hash of its groupby values. */
static int
group_of(struct odf_importer *im, const cJSON *rec)
{
	const cJSON *item;
	const char *s;
	char *printed;
	uint32_t h = 2166136261u;
	size_t i;

	cJSON_ArrayForEach(item, rec) {
		if (odf_strmap_get(im->groupby, item->string, odf_key_field_len(item->string)) < 0)
			continue;
		/* parent_id: {"id": "x"} and "parent_id/id": "x" are one group. */
		s = odf_key_xmlid(item->string, item);
		printed = s != NULL ? NULL : cJSON_PrintUnformatted(item);
		if (s == NULL)
			s = printed != NULL ? printed : "";
		for (i = 0; s[i] != '\0'; i++)
			h = (h ^ (unsigned char)s[i]) * 16777619u;
		h = (h ^ 0x1f) * 16777619u;
		free(printed);
	}
	return (int)(h % (uint32_t)im->nworkers);
}

/* One line of pass 1: fail it, or into the batch of its worker. */
static int
import_line(struct odf_importer *im, const char *line, size_t len, long lineno,
    struct odf_error *err)
{
	struct prec r = { 0 };
	struct batch *b;
	char why[1024];
	cJSON *rec;
	char *text = NULL;
	int first = !im->seen_record, group = -1, rc = -1;

	odf_record_parse_line(line, len, &rec, why, sizeof(why));
	if (rec == NULL)
		return fail_simple(im, line, len, lineno, why, err);
	im->seen_record = 1;
	odf_record_drop_keys(rec, im->ignore);
	check_columns(im, rec, why, sizeof(why));
	if (why[0] != '\0') {
		cJSON_Delete(rec);
		if (first) {
			/* Nothing is sent yet: one clear error, not a fail file. */
			return odf_error_set(err, ODF_E_USAGE, "%s: line %ld: %s", im->file,
			    lineno, why);
		}
		return fail_simple(im, line, len, lineno, why, err);
	}
	if (im->nbatches > 1)
		group = group_of(im, rec);
	b = &im->batches[group < 0 ? 0 : group];
	if (take_deferred(im, b, rec, &r, err) != 0)
		goto out;
	if ((text = cJSON_PrintUnformatted(rec)) == NULL ||
	    (r.line = malloc(len + 1)) == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		goto out;
	}
	memcpy(r.line, line, len);
	r.line[len] = '\0';
	r.len = len;
	r.lineno = lineno;
	if (batch_add(im, b, &r, text, strlen(text), err) != 0)
		goto out;
	rc = 0;
	if (b->n >= (size_t)im->o.batch_size)
		rc = submit(im, b, group, err);
out:
	prec_free(&r);
	free(text);
	cJSON_Delete(rec);
	return rc;
}

static int drain(struct odf_importer *im, struct odf_error *err);

struct window_ctx {
	struct odf_importer *im;
	struct odf_error *err;
	int level;                  /* of the record before; -1 at the start */
};

/* A record out of the window into its batch; take what answers are ready. */
static int
window_line(const char *line, size_t len, long lineno, int level, void *arg)
{
	struct window_ctx *c = arg;
	int rc;

	/* Ctrl-C: what was handed out goes on, the rest is left unread. */
	if (c->im->o.stop != NULL && *c->im->o.stop)
		return 1;
	/* A new level (or window): the records before it land first, so that
	 * the references to them go in this pass and are not deferred. */
	if (level != c->level) {
		if (drain(c->im, c->err) != 0)
			return -1;
		c->level = level;
	}
	if (import_line(c->im, line, len, lineno, c->err) != 0)
		return -1;
	while ((rc = take_answer(c->im, 0, c->err)) > 0)
		;
	return rc < 0 ? -1 : 0;
}

static int
flush_window(struct odf_importer *im, struct odf_error *err)
{
	struct window_ctx c = { im, err, -1 };
	size_t unsent;
	long first;
	int rc;

	if (im->window == NULL)
		return 0;
	if ((rc = odf_window_flush(im->window, window_line, &c, &unsent, &first)) <= 0)
		return rc;
	/* Stopped: the lines from the first one not sent on count as not read. */
	im->st->interrupted = 1;
	im->st->read -= (long)unsent;
	if (first > 0)
		im->st->last_line = first - 1;
	return 0;
}

/* Send what the batches hold and wait for every answer. */
static int
drain(struct odf_importer *im, struct odf_error *err)
{
	int i, rc;

	for (i = 0; i < im->nbatches; i++)
		if (submit(im, &im->batches[i], im->nbatches > 1 ? i : -1, err) != 0)
			return -1;
	while ((rc = take_answer(im, 1, err)) > 0)
		;
	return rc;
}

/* Pass 2: the deferred values of every landed record, by external id. */
static int
write_deferred(struct odf_importer *im, struct odf_error *err)
{
	struct odf_deferred_entry e;
	struct prec r = { 0 };
	int rc;

	if (odf_deferred_rewind(im->spool, err) != 0)
		return -1;
	im->pass = 2;
	im->st->phase = 2;
	progress(im);
	while ((rc = odf_deferred_next(im->spool, &e, err)) > 0) {
		if ((r.line = malloc(e.line_len + 1)) == NULL)
			return odf_error_set(err, ODF_E_NOMEM, "out of memory");
		memcpy(r.line, e.line, e.line_len + 1);
		r.len = e.line_len;
		r.lineno = e.lineno;
		r.kind = e.kind;
		rc = batch_add(im, &im->batches[0], &r, e.values, e.values_len, err);
		prec_free(&r);
		if (rc != 0)
			return -1;
		if (im->batches[0].n >= (size_t)im->o.batch_size &&
		    submit(im, &im->batches[0], -1, err) != 0)
			return -1;
	}
	if (rc < 0)
		return -1;
	return drain(im, err);
}

/* ---- the run ------------------------------------------------------- */

static int
fill_set(struct odf_strmap **set, const char *const *names, size_t n,
    struct odf_error *err)
{
	size_t i;

	if ((*set = odf_strmap_new()) == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	for (i = 0; i < n; i++)
		if (odf_strmap_put(*set, names[i], strlen(names[i]), 1) != 0)
			return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	return 0;
}

/* Every name of an option must be a field of the model. */
static int
known_fields(struct odf_importer *im, const char *option, const char *const *names,
    size_t n, struct odf_error *err)
{
	char why[512];
	size_t i;

	for (i = 0; i < n; i++) {
		if (odf_fields_get(im->fields, names[i]) != NULL)
			continue;
		odf_fields_describe_unknown(why, sizeof(why), im->fields, "unknown field",
		    names[i], strlen(names[i]));
		return odf_error_set(err, ODF_E_USAGE, "%s: %s", option, why);
	}
	return 0;
}

/* Whether f is a stored, writable many2one of the model to itself. */
static int
is_self_many2one(const struct odf_importer *im, const struct odf_field *f)
{
	return f->type == ODF_FT_MANY2ONE && f->relation != NULL &&
	    strcmp(f->relation, im->o.model) == 0 && f->store && !f->readonly;
}

/*
 * The field records are grouped on in the window: the model's parent field
 * (parent_id, if it is a many2one to the model itself), else its one
 * writable many2one to itself; NULL when there is none or several.
 */
static const char *
parent_field(const struct odf_importer *im)
{
	const struct odf_field *f, *found = NULL;
	size_t i;

	for (i = 0; i < odf_fields_count(im->fields); i++) {
		f = odf_fields_at(im->fields, i);
		if (!is_self_many2one(im, f))
			continue;
		if (strcmp(f->name, "parent_id") == 0)
			return f->name;
		if (found != NULL)
			return NULL;
		found = f;
	}
	return found != NULL ? found->name : NULL;
}

/* The deferred fields: those named, and many2one fields to the model. */
static int
settle_deferred(struct odf_importer *im, struct odf_error *err)
{
	const struct odf_field *f;
	size_t i;

	if (known_fields(im, "--deferred", im->o.deferred, im->o.ndeferred, err) != 0 ||
	    known_fields(im, "--groupby", im->o.groupby, im->o.ngroupby, err) != 0 ||
	    fill_set(&im->deferred, im->o.deferred, im->o.ndeferred, err) != 0)
		return -1;
	for (i = 0; i < odf_fields_count(im->fields); i++) {
		f = odf_fields_at(im->fields, i);
		if (is_self_many2one(im, f) &&
		    odf_strmap_put(im->deferred, f->name, strlen(f->name), 1) != 0)
			return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	}
	return 0;
}

struct odf_importer *
odf_importer_new(const struct odf_import_opts *o, struct odf_error *err)
{
	struct odf_importer *im = calloc(1, sizeof(*im));
	struct odf_pool_opts po = { 0 };
	struct odf_pool_ops ops = { odf_load_worker_init, odf_load_worker_work,
		odf_load_worker_fini, NULL };
	size_t i;

	if (im == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	im->o = *o;
	im->connect = (struct odf_connect_opts){ o->prog, o->diag, o->quiet, 0, 0 };
	im->nworkers = o->workers;
	if (o->batch_size < 1 || o->batch_size > ODF_IMPORT_MAX_BATCH ||
	    o->workers < 1 || o->workers > ODF_POOL_MAX_WORKERS) {
		odf_error_set(err, ODF_E_USAGE, "bad batch size or number of workers");
		goto fail;
	}
	/* Workers first: a pool is forked before the parent connects. */
	if (!o->check) {
		po.workers = o->workers;
		po.mode = ODF_POOL_ROUTED;
		po.depth = POOL_DEPTH;
		im->wconf = (struct odf_load_worker_conf){ o->conf, &im->connect, o->model,
			o->context };
		ops.arg = &im->wconf;
		if ((im->pool = odf_pool_new(&po, &ops, err)) == NULL)
			goto fail;
	}
	if ((im->rpc = odf_connect_conf(o->conf, &im->connect, err)) == NULL ||
	    (im->schema = odf_schema_open(im->rpc, o->model, &im->fields, err)) == NULL ||
	    fill_set(&im->ignore, o->ignore, o->nignore, err) != 0 ||
	    fill_set(&im->groupby, o->groupby, o->ngroupby, err) != 0 ||
	    settle_deferred(im, err) != 0)
		goto fail;
	im->columns = odf_strmap_new();
	im->landed = odf_strmap_new();
	if (!o->check && (im->parent = parent_field(im)) != NULL) {
		size_t n = (size_t)o->batch_size * (size_t)o->workers * WINDOW_BATCHES;

		n = n < WINDOW_MIN ? WINDOW_MIN : n > WINDOW_MAX ? WINDOW_MAX : n;
		if ((im->window = odf_window_new(im->parent, n)) == NULL) {
			odf_error_set(err, ODF_E_NOMEM, "out of memory");
			goto fail;
		}
	}
	im->nbatches = o->ngroupby > 0 ? o->workers : 1;
	im->batches = calloc((size_t)im->nbatches, sizeof(*im->batches));
	im->njobs = (size_t)o->workers * POOL_DEPTH;
	im->jobs = calloc(im->njobs, sizeof(*im->jobs));
	if (im->columns == NULL || im->landed == NULL || im->batches == NULL ||
	    im->jobs == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		goto fail;
	}
	for (i = 0; i < im->njobs; i++)
		im->jobs[i].number = -1;
	return im;
fail:
	odf_importer_free(im);
	return NULL;
}

void
odf_importer_free(struct odf_importer *im)
{
	struct odf_error err;
	size_t i;

	if (im == NULL)
		return;
	if (im->pool != NULL) {
		(void)odf_pool_close(im->pool, &err);
		odf_pool_free(im->pool);
	}
	for (i = 0; im->jobs != NULL && i < im->njobs; i++)
		job_free(&im->jobs[i]);
	for (i = 0; im->batches != NULL && i < (size_t)im->nbatches; i++)
		batch_free(&im->batches[i]);
	free(im->jobs);
	free(im->batches);
	odf_deferred_free(im->spool);
	odf_strmap_free(im->deferred);
	odf_strmap_free(im->ignore);
	odf_strmap_free(im->groupby);
	odf_strmap_free(im->columns);
	odf_strmap_free(im->landed);
	odf_window_free(im->window);
	odf_schema_free(im->schema);
	odf_rpc_free(im->rpc);
	free(im);
}

int
odf_importer_run(struct odf_importer *im, struct odf_ndjson_reader *in,
    struct odf_import_stats *st, struct odf_error *err)
{
	const struct odf_check_opts co = { im->o.prog, odf_ndjson_name(in), im->o.diag,
		im->fields, odf_schema_lookup, im->schema, im->ignore };
	const char *line;
	char why[sizeof(err->message)];
	size_t len;
	int rc;

	memset(st, 0, sizeof(*st));
	im->st = st;
	im->file = odf_ndjson_name(in);
	im->pass = 1;
	st->phase = 1;
	if (!im->o.check && (im->spool = odf_deferred_new(err)) == NULL)
		return -1;
	for (;;) {
		odf_error_clear(err);
		if (im->o.stop != NULL && *im->o.stop) {
			st->interrupted = 1;
			break;
		}
		rc = odf_ndjson_next(in, &line, &len, err);
		if (rc == 0)
			break;
		/* A read error is the input's, not a record's: the run stops. */
		if (rc < 0 && err->code != ODF_E_DATA)
			return -1;
		st->read++;
		st->last_line = odf_ndjson_lineno(in);
		st->bytes += rc > 0 ? (long long)len + 1 : 0;
		if (rc < 0) {
			/* A line too long to hold, or holding a NUL: report it, read on. */
			if (im->o.check) {
				if (im->o.diag != NULL)
					fprintf(im->o.diag, "%s: %s\n", im->o.prog, err->message);
				st->failed++;
				st->problems++;
				continue;
			}
			snprintf(why, sizeof(why), "%s", err->message);
			if (fail_simple(im, NULL, 0, odf_ndjson_lineno(in), why, err) != 0)
				return -1;
			continue;
		}
		if (im->o.check) {
			rc = odf_check_line(&co, line, len, odf_ndjson_lineno(in));
			st->problems += rc;
			st->failed += rc > 0;
			if (st->read % 64 == 0)
				progress(im);
			continue;
		}
		if (im->window != NULL &&
		    (rc = odf_window_add(im->window, line, len, odf_ndjson_lineno(in), err)) != 0) {
			if (rc < 0 || (odf_window_full(im->window) && flush_window(im, err) != 0))
				return -1;
			if (st->interrupted)
				break;
			continue;
		}
		if (import_line(im, line, len, odf_ndjson_lineno(in), err) != 0)
			return -1;
		/* Take what is ready, so answers do not wait on reading. */
		while ((rc = take_answer(im, 0, err)) > 0)
			;
		if (rc < 0)
			return -1;
	}
	if (!im->o.check && (flush_window(im, err) != 0 || drain(im, err) != 0 ||
	    write_deferred(im, err) != 0))
		return -1;
	progress(im);
	return 0;
}
