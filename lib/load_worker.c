/*
 * odf-import's worker (include/odf/load_worker.h): one batch of records
 * into as few load calls as it takes, what load refuses set apart, and one
 * outcome a record back to the parent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/buf.h"
#include "odf/connect.h"
#include "odf/fields.h"
#include "odf/load_worker.h"
#include "odf/load_rows.h"
#include "odf/record.h"
#include "odf/rpc.h"
#include "odf/schema.h"
#include "odf/strmap.h"
#include "odf/xmlids.h"

/* The answer's names of the outcomes, by enum odf_load_outcome. */
static const char *const outcome_names[] = {
	[ODF_LOAD_PENDING] = "pending",
	[ODF_LOAD_CREATED] = "created",
	[ODF_LOAD_UPDATED] = "updated",
	[ODF_LOAD_LANDED] = "landed",
	[ODF_LOAD_FAILED] = "failed",
};

/* A record's outcome as the worker keeps it: the strings are its own. */
struct wres {
	enum odf_load_outcome outcome;
	int unknown;
	char *msg, *field, *exc;
};

struct worker {
	const struct odf_load_worker_conf *c;
	struct odf_rpc *rpc;
	struct odf_schema *schema;
	const struct odf_fields *fields;
	struct odf_load_batch *batch;
	cJSON *kwargs;                  /* {"context": ...} */
	cJSON **recs;
	struct wres *res;
	size_t n, caprecs, capres;
	struct odf_strmap *existing;    /* full xmlids known to be in Odoo */
	int unsure;                     /* existing could not be read */
	int precheck;                   /* the job asked which ids existed (pass 1) */
	int rounds;                     /* lost answers being resolved, nested */
	long calls;
};

#define RESOLVE_ROUNDS 3        /* times a lost load answer is asked about and retried */

static void
worker_reset(struct worker *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		cJSON_Delete(w->recs[i]);
		free(w->res[i].msg);
		free(w->res[i].field);
		free(w->res[i].exc);
	}
	w->n = 0;
	w->calls = 0;
	w->unsure = 0;
	w->precheck = 0;
	w->rounds = 0;
	if (w->existing != NULL)
		odf_strmap_clear(w->existing);
}

void
odf_load_worker_fini(void *state, void *arg)
{
	struct worker *w = state;

	(void)arg;
	if (w == NULL)
		return;
	worker_reset(w);
	free(w->recs);
	free(w->res);
	odf_load_batch_free(w->batch);
	cJSON_Delete(w->kwargs);
	odf_strmap_free(w->existing);
	odf_schema_free(w->schema);
	odf_rpc_free(w->rpc);
	free(w);
}

/*
 * {"context": the user's context, tz UTC}: records carry datetimes in UTC,
 * and load reads them in the context's time zone, else in the user's
 * (Odoo's _input_tz), which would shift them.
 */
static cJSON *
load_kwargs(const struct odf_load_worker_conf *c)
{
	cJSON *kwargs = cJSON_CreateObject();
	cJSON *context = c->context != NULL ? cJSON_Duplicate(c->context, 1) :
	    cJSON_CreateObject();

	if (kwargs == NULL || context == NULL || !cJSON_AddItemToObject(kwargs, "context", context)) {
		cJSON_Delete(kwargs);
		cJSON_Delete(context);
		return NULL;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(context, "tz");
	if (cJSON_AddStringToObject(context, "tz", "UTC") == NULL) {
		cJSON_Delete(kwargs);
		return NULL;
	}
	return kwargs;
}

int
odf_load_worker_init(int index, void *arg, void **state, struct odf_error *err)
{
	const struct odf_load_worker_conf *c = arg;
	struct worker *w = calloc(1, sizeof(*w));

	(void)index;
	*state = w;
	if (w == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	w->c = c;
	if ((w->rpc = odf_connect_conf(c->conf, c->connect, err)) == NULL ||
	    (w->schema = odf_schema_open(w->rpc, c->model, &w->fields, err)) == NULL)
		goto fail;
	w->batch = odf_load_batch_new(w->fields, odf_schema_lookup, w->schema);
	w->existing = odf_strmap_new();
	if (w->batch == NULL || w->existing == NULL || (w->kwargs = load_kwargs(c)) == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		goto fail;
	}
	return 0;
fail:
	odf_load_worker_fini(w, NULL);
	*state = NULL;
	return -1;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? strdup(s) : NULL;
}

static void
fail_rec(struct worker *w, long i, const char *msg, const char *field,
    const char *exc, int unknown)
{
	struct wres *r = &w->res[i];

	if (r->outcome != ODF_LOAD_PENDING)
		return;
	r->outcome = ODF_LOAD_FAILED;
	r->unknown = unknown;
	r->msg = strdup(msg != NULL && msg[0] != '\0' ? msg : "load refused the record");
	r->field = dup_or_null(field);
	r->exc = dup_or_null(exc);
}

static void
fail_err(struct worker *w, long i, const struct odf_error *err)
{
	fail_rec(w, i, err->message, NULL, err->name, err->outcome_unknown);
}

static const char *
rec_string(const cJSON *rec, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, key));
}

/* Whether load may be repeated for the record: it names what it updates. */
static int
rec_has_id(const cJSON *rec)
{
	const char *id = rec_string(rec, "id");

	return (id != NULL && id[0] != '\0') ||
	    cJSON_GetObjectItemCaseSensitive(rec, ".id") != NULL;
}

static void
landed(struct worker *w, long i)
{
	const char *id = rec_string(w->recs[i], "id");
	char *full = id != NULL && id[0] != '\0' ? odf_xmlid_full(id) : NULL;
	int existed = cJSON_GetObjectItemCaseSensitive(w->recs[i], ".id") != NULL;

	if (w->res[i].outcome != ODF_LOAD_PENDING) {
		free(full);
		return;
	}
	if (full != NULL) {
		existed = existed || odf_strmap_get(w->existing, full, strlen(full)) >= 0;
		(void)odf_strmap_put(w->existing, full, strlen(full), 1);
	}
	w->res[i].outcome = w->unsure ? ODF_LOAD_LANDED : existed ? ODF_LOAD_UPDATED :
	    ODF_LOAD_CREATED;
	free(full);
}

/*
 * Which external ids of records idx[0..n) are in Odoo now: one read of
 * ir.model.data, the full ids put in into. 0, or -1 when Odoo could not be
 * asked.
 */
static int
ask_existing(struct worker *w, const long *idx, size_t n, struct odf_strmap *into)
{
	cJSON *names = cJSON_CreateArray(), *res, *row;
	struct odf_error err;
	char key[1024];
	const char *id, *dot;
	size_t i;
	int any = 0, len;

	for (i = 0; names != NULL && i < n; i++) {
		if (w->recs[idx[i]] == NULL || (id = rec_string(w->recs[idx[i]], "id")) == NULL ||
		    id[0] == '\0')
			continue;
		dot = strchr(id, '.');
		/* A name left out would read as "not in Odoo": fail whole. */
		if (!cJSON_AddItemToArray(names, cJSON_CreateString(dot ? dot + 1 : id))) {
			cJSON_Delete(names);
			return -1;
		}
		any = 1;
	}
	if (!any) {
		cJSON_Delete(names);
		return names != NULL ? 0 : -1;
	}
	res = odf_xmlids_read(w->rpc, w->c->model, "name", names, ODF_XMLIDS_NAME, 0, &err);
	if (res == NULL)
		return -1;
	cJSON_ArrayForEach(row, res) {
		if ((len = odf_xmlid_format(row, key, sizeof(key))) > 0 &&
		    odf_strmap_put(into, key, (size_t)len, 1) != 0) {
			cJSON_Delete(res);
			return -1;
		}
	}
	cJSON_Delete(res);
	return 0;
}

/* Before loading: which external ids of the job are in Odoo already. */
static void
find_existing(struct worker *w)
{
	long *idx = malloc((w->n ? w->n : 1) * sizeof(long));
	size_t i;

	for (i = 0; idx != NULL && i < w->n; i++)
		idx[i] = (long)i;
	if (idx == NULL || ask_existing(w, idx, w->n, w->existing) != 0)
		w->unsure = 1;
	free(idx);
}

static void load_records(struct worker *w, const long *idx, size_t n);

/* Load the records idx[0..n) in two halves. */
static void
load_halves(struct worker *w, const long *idx, size_t n)
{
	load_records(w, idx, n / 2);
	load_records(w, idx + n / 2, n - n / 2);
}

/* One message of load's answer as text: its message and the field. */
static void
message_text(const cJSON *msg, char *buf, size_t size, const char **field)
{
	const char *m = rec_string(msg, "message");

	*field = rec_string(msg, "field");
	snprintf(buf, size, "%s", m != NULL ? m : "load refused the record");
}

static int
is_error_message(const cJSON *msg)
{
	const char *type = rec_string(msg, "type");

	return type == NULL || strcmp(type, "error") == 0;
}

/*
 * load refused the chunk (the batch holds it, in order) with messages:
 * those naming records set them apart. Every record named: each fails with
 * its messages. Some: the others are loaded again, and the named ones
 * again on their own (the naming is a hint, not proof). None: halves.
 */
static void
refused(struct worker *w, const long *chunk, size_t k, const cJSON *messages)
{
	char **text = calloc(k, sizeof(char *));
	const char **field = calloc(k, sizeof(char *));
	long *named = malloc(k * sizeof(long)), *rest = malloc(k * sizeof(long));
	const cJSON *msg;
	char one[1024];
	size_t nnamed = 0, nrest = 0, i;
	long b;

	if (text == NULL || field == NULL || named == NULL || rest == NULL) {
		for (i = 0; i < k; i++)
			fail_rec(w, chunk[i], "out of memory", NULL, NULL, 0);
		goto out;
	}
	cJSON_ArrayForEach(msg, messages) {
		const char *f;
		char *joined;
		size_t len;

		if (!is_error_message(msg))
			continue;
		b = odf_load_batch_message_record(w->batch, msg);
		if (b < 0 || (size_t)b >= k)
			continue;
		message_text(msg, one, sizeof(one), &f);
		if (text[b] == NULL) {
			text[b] = strdup(one);
			field[b] = f;
			continue;
		}
		len = strlen(text[b]) + strlen(one) + 3;
		if ((joined = malloc(len)) != NULL) {
			snprintf(joined, len, "%s; %s", text[b], one);
			free(text[b]);
			text[b] = joined;
		}
	}
	for (i = 0; i < k; i++) {
		if (text[i] != NULL)
			named[nnamed++] = chunk[i];
		else
			rest[nrest++] = chunk[i];
	}
	if (nnamed == k) {
		for (i = 0; i < k; i++)
			fail_rec(w, chunk[i], text[i], field[i], NULL, 0);
	} else if (nnamed == 0) {
		if (k == 1) {
			msg = cJSON_GetArrayItem(messages, 0);
			message_text(msg, one, sizeof(one), &field[0]);
			fail_rec(w, chunk[0], msg != NULL ? one : "load refused the record "
			    "without saying why", field[0], NULL, 0);
		} else {
			load_halves(w, chunk, k);
		}
	} else {
		load_records(w, rest, nrest);
		load_records(w, named, nnamed);
	}
out:
	for (i = 0; text != NULL && i < k; i++)
		free(text[i]);
	free(text);
	free(field);
	free(named);
	free(rest);
}

/*
 * The answer of a load of chunk[0..k) (every record named by an external or
 * database id) was lost after the retries: ask Odoo which external ids it
 * holds now. A record that was not there before the job and is now was
 * created by the lost call: it landed. The others are sent again, exactly
 * them (an update or a second-pass write is the same when repeated). 0, or
 * -1 when Odoo could not be asked: the outcome stays unknown.
 */
static int
resolve_lost(struct worker *w, const long *chunk, size_t k)
{
	struct odf_strmap *now = odf_strmap_new();
	long *again = malloc(k * sizeof(long));
	size_t i, n = 0;
	int rc = -1;

	if (now == NULL || again == NULL || ask_existing(w, chunk, k, now) != 0)
		goto out;
	for (i = 0; i < k; i++) {
		const char *id = rec_string(w->recs[chunk[i]], "id");
		char *full = id != NULL && id[0] != '\0' ? odf_xmlid_full(id) : NULL;
		int created = full != NULL && w->precheck && !w->unsure &&
		    odf_strmap_get(now, full, strlen(full)) >= 0 &&
		    odf_strmap_get(w->existing, full, strlen(full)) < 0;

		free(full);
		if (created)
			landed(w, chunk[i]);
		else
			again[n++] = chunk[i];
	}
	w->rounds++;
	load_records(w, again, n);
	w->rounds--;
	rc = 0;
out:
	odf_strmap_free(now);
	free(again);
	return rc;
}

/* The call failed: decide by what failed. */
static void
call_failed(struct worker *w, const long *chunk, size_t k, int idempotent,
    const struct odf_error *err)
{
	char msg[1200];
	long *with_id;
	size_t i, n = 0;

	if (err->outcome_unknown && !idempotent) {
		/* Those that name their record can be sent again safely. */
		if ((with_id = malloc(k * sizeof(long))) == NULL) {
			for (i = 0; i < k; i++)
				fail_err(w, chunk[i], err);
			return;
		}
		snprintf(msg, sizeof(msg), "outcome unknown, the record may be in Odoo: "
		    "it has no external id, so it was not sent again (%s)", err->message);
		for (i = 0; i < k; i++) {
			if (rec_has_id(w->recs[chunk[i]]))
				with_id[n++] = chunk[i];
			else
				fail_rec(w, chunk[i], msg, NULL, err->name, 1);
		}
		load_records(w, with_id, n);
		free(with_id);
		return;
	}
	if (err->outcome_unknown && idempotent && w->rounds < RESOLVE_ROUNDS &&
	    resolve_lost(w, chunk, k) == 0)
		return;
	/* Retried already, or refused credentials, which refuse every record
	 * alike: the batch goes to the fail file whole. */
	if (odf_error_is_transient(err) || odf_error_is_credentials(err)) {
		for (i = 0; i < k; i++)
			fail_err(w, chunk[i], err);
		return;
	}
	switch (err->code) {
	case ODF_E_ODOO:
	case ODF_E_AUTH:
	case ODF_E_HTTP:
	case ODF_E_PROTOCOL:
		/* Bad data can make load fail whole: find the record. */
		if (k == 1)
			fail_err(w, chunk[0], err);
		else
			load_halves(w, chunk, k);
		return;
	default:
		for (i = 0; i < k; i++)
			fail_err(w, chunk[i], err);
	}
}

/* One load call for chunk[0..k), which the batch holds in this order. */
static void
load_chunk(struct worker *w, const long *chunk, size_t k)
{
	cJSON *fields = NULL, *data = NULL, *args = NULL, *res = NULL, *ids, *item;
	struct odf_error err;
	long *rest = NULL;
	size_t i, m = 0, nrest = 0;
	int idempotent = 1;
	long b;

	odf_error_clear(&err);
	for (i = 0; i < k; i++)
		idempotent = idempotent && rec_has_id(w->recs[chunk[i]]);
	if (odf_load_batch_build(w->batch, &fields, &data, &err) != 0 ||
	    (args = cJSON_CreateArray()) == NULL) {
		cJSON_Delete(fields);
		cJSON_Delete(data);
		for (i = 0; i < k; i++)
			fail_err(w, chunk[i], &err);
		return;
	}
	cJSON_AddItemToArray(args, fields);
	cJSON_AddItemToArray(args, data);
	w->calls++;
	res = odf_rpc_call(w->rpc, w->c->model, "load", args, w->kwargs,
	    idempotent ? ODF_RPC_IDEMPOTENT : 0, &err);
	cJSON_Delete(args);
	if (res == NULL) {
		call_failed(w, chunk, k, idempotent, &err);
		return;
	}
	ids = cJSON_GetObjectItemCaseSensitive(res, "ids");
	if (!cJSON_IsArray(ids)) {
		refused(w, chunk, k, cJSON_GetObjectItemCaseSensitive(res, "messages"));
		cJSON_Delete(res);
		return;
	}
	/* ids[j] is the j-th record sent; fewer than sent when an import
	 * limit in the context stopped load early (nextrow): go on. */
	cJSON_ArrayForEach(item, ids) {
		b = odf_load_batch_sent(w->batch, (long)m++);
		if (b >= 0 && (size_t)b < k)
			landed(w, chunk[b]);
	}
	if (m < k && (rest = malloc(k * sizeof(long))) != NULL) {
		for (i = 0; i < k; i++)
			if (w->res[chunk[i]].outcome == ODF_LOAD_PENDING)
				rest[nrest++] = chunk[i];
		if (m == 0) {
			for (i = 0; i < nrest; i++)
				fail_rec(w, rest[i], "load imported none of the records "
				    "(is there an _import_limit of 0 in the context?)", NULL, NULL, 0);
		} else {
			load_records(w, rest, nrest);
		}
	}
	free(rest);
	cJSON_Delete(res);
}

/*
 * Whether two records have the same keys. A load call takes records with
 * the same keys only: load writes every column of every row, so a key one
 * record lacks would be cleared in it, where the user meant "leave as is".
 */
static int
same_keys(const cJSON *a, const cJSON *b)
{
	const cJSON *item;

	if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
		return 0;
	cJSON_ArrayForEach(item, b)
		if (cJSON_GetObjectItemCaseSensitive(a, item->string) == NULL)
			return 0;
	return 1;
}

/*
 * Load records idx[0..n) of the job: as few calls as the batch allows (a
 * record with other keys, or one that names a relation in another way than
 * the batch does, starts the next call), a record that cannot be converted
 * failing on its own.
 */
static void
load_records(struct worker *w, const long *idx, size_t n)
{
	struct odf_error err;
	long *chunk;
	size_t used, k;
	int rc;

	if (n == 0)
		return;
	if ((chunk = malloc(n * sizeof(long))) == NULL) {
		for (used = 0; used < n; used++)
			fail_rec(w, idx[used], "out of memory", NULL, NULL, 0);
		return;
	}
	while (n > 0) {
		odf_load_batch_clear(w->batch);
		for (used = 0, k = 0; used < n; used++) {
			if (k > 0 && !same_keys(w->recs[chunk[0]], w->recs[idx[used]]))
				break;
			odf_error_clear(&err);
			rc = odf_load_batch_add(w->batch, w->recs[idx[used]], idx[used], &err);
			if (rc == ODF_BATCH_CONFLICT && k > 0)
				break;
			if (rc != 0) {
				fail_rec(w, idx[used], rc < 0 ? err.message :
				    "the record cannot be loaded", NULL, NULL, 0);
				continue;
			}
			chunk[k++] = idx[used];
		}
		/* load_chunk may clear the batch to split it: chunk is ours. */
		if (k > 0)
			load_chunk(w, chunk, k);
		idx += used;
		n -= used;
	}
	free(chunk);
}

static int
add_line(struct odf_buf *out, const cJSON *value, struct odf_error *err)
{
	char *s = cJSON_PrintUnformatted(value);
	int rc;

	if (s == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	rc = odf_buf_add(out, s, strlen(s), err);
	free(s);
	return rc < 0 ? -1 : odf_buf_add(out, "\n", 1, err) < 0 ? -1 : 0;
}

static int
worker_answer(struct worker *w, char **out, size_t *out_len, struct odf_error *err)
{
	struct odf_buf buf = ODF_BUF_INIT;
	cJSON *line;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i <= w->n; i++) {
		line = cJSON_CreateObject();
		if (i == 0) {
			cJSON_AddNumberToObject(line, "calls", (double)w->calls);
		} else {
			const struct wres *r = &w->res[i - 1];
			enum odf_load_outcome o = r->outcome != ODF_LOAD_PENDING ?
			    r->outcome : ODF_LOAD_FAILED;

			cJSON_AddStringToObject(line, "outcome", outcome_names[o]);
			if (o == ODF_LOAD_FAILED)
				cJSON_AddStringToObject(line, "message", r->msg != NULL ? r->msg :
				    "the worker lost track of the record");
			if (r->field != NULL)
				cJSON_AddStringToObject(line, "field", r->field);
			if (r->exc != NULL)
				cJSON_AddStringToObject(line, "exception", r->exc);
			if (r->unknown)
				cJSON_AddTrueToObject(line, "unknown");
		}
		rc = line == NULL ? odf_error_set(err, ODF_E_NOMEM, "out of memory") :
		    add_line(&buf, line, err);
		cJSON_Delete(line);
	}
	if (rc != 0) {
		odf_buf_release(&buf);
		return -1;
	}
	*out = buf.data;
	*out_len = buf.len;
	return 0;
}

int
odf_load_worker_work(void *state, const char *job, size_t len, char **out, size_t *out_len,
    struct odf_error *err)
{
	struct worker *w = state;
	const char *p = job, *end = job + len, *nl;
	cJSON *header;
	long *idx;
	size_t k = 0, i;
	int precheck;

	worker_reset(w);
	nl = memchr(p, '\n', len);
	if (nl == NULL)
		return odf_error_set(err, ODF_E_SOFTWARE, "a job without its header");
	header = cJSON_ParseWithLength(p, (size_t)(nl - p));
	precheck = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(header, "precheck"));
	cJSON_Delete(header);
	w->precheck = precheck;
	for (p = nl + 1; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (odf_grow(&w->recs, &w->caprecs, w->n + 1, sizeof(*w->recs)) < 0 ||
		    odf_grow(&w->res, &w->capres, w->n + 1, sizeof(*w->res)) < 0)
			return odf_error_set(err, ODF_E_NOMEM, "out of memory");
		memset(&w->res[w->n], 0, sizeof(w->res[0]));
		w->recs[w->n++] = cJSON_ParseWithLength(p, (size_t)(nl - p));
	}
	if ((idx = malloc((w->n ? w->n : 1) * sizeof(long))) == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	for (i = 0; i < w->n; i++) {
		if (cJSON_IsObject(w->recs[i]))
			idx[k++] = (long)i;
		else
			fail_rec(w, (long)i, "the record was garbled on its way to the worker",
			    NULL, NULL, 0);
	}
	if (precheck)
		find_existing(w);
	load_records(w, idx, k);
	free(idx);
	return worker_answer(w, out, out_len, err);
}

const char *
odf_load_job_header(int precheck)
{
	return precheck ? "{\"precheck\":true}\n" : "{}\n";
}

long
odf_load_answer_calls(const cJSON *header)
{
	const cJSON *calls = cJSON_GetObjectItemCaseSensitive(header, "calls");

	return cJSON_IsNumber(calls) && calls->valuedouble >= 0 &&
	    calls->valuedouble < 1e15 ? (long)calls->valuedouble : 0;
}

void
odf_load_answer_read(const cJSON *line, struct odf_load_result *r)
{
	const char *name = rec_string(line, "outcome");
	size_t i;

	r->outcome = ODF_LOAD_FAILED;
	for (i = ODF_LOAD_CREATED; name != NULL && i < ODF_LOAD_FAILED; i++)
		if (strcmp(name, outcome_names[i]) == 0)
			r->outcome = (enum odf_load_outcome)i;
	r->unknown = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(line, "unknown"));
	r->message = rec_string(line, "message");
	r->field = rec_string(line, "field");
	r->exception = rec_string(line, "exception");
}
