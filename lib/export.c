/* The export loop: page ids, export_data in workers, write in order. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "odf/buf.h"
#include "odf/clock.h"
#include "odf/cli.h"
#include "odf/domain.h"
#include "odf/connect.h"
#include "odf/export.h"
#include "odf/fields.h"
#include "odf/ndjson.h"
#include "odf/pool.h"
#include "odf/rows.h"
#include "odf/rpc.h"
#include "odf/schema.h"
#include "odf/timestamp.h"
#include "odf/xmlids.h"

/* --since takes archived records too: archiving is a write. */
#define ARCHIVED(o) ((o)->archived || (o)->since != NULL)

#define SEARCH_CHUNK 10000     /* ids a search call asks for, at least */
#define PROBE_MAX 200000       /* external ids read to know none is missing */

/* What the workers inherit through the fork: the checked plan. */
struct plan {
	const struct odf_export_opts *opts;
	const struct odf_conf *conf;
	struct odf_connect_opts connect;        /* for every connection opened */
	struct odf_schema *schema;      /* the model's fields and related ones */
	struct odf_rows *rows;        /* export_data rows → records */
	cJSON *paths;                   /* export_data's field list */
	cJSON *id_paths;                /* its external id paths, when several workers */
	cJSON *kwargs;                  /* {"context": ...} */
	cJSON *domain;
};

struct worker {
	const struct plan *plan;
	struct odf_rpc *rpc;
};

/* --- the parent's preparation: fields, paths, plan --- */

/* The related models a path goes through, fetched once each. Paths through
 * unknown fields are left for odf_rows_new to report. */
static int
fetch_related(struct odf_rpc *rpc, struct plan *plan, const char *path,
    struct odf_error *err)
{
	const struct odf_fields *fields = odf_schema_get(plan->schema, plan->opts->model);
	const char *p = path, *slash;

	while (fields != NULL && (slash = strchr(p, '/')) != NULL) {
		const struct odf_field *f = odf_fields_getn(fields, p, (size_t)(slash - p));

		if (f == NULL || !odf_field_type_is_relational(f->type) || f->relation == NULL)
			return 0;
		if ((fields = odf_schema_get(plan->schema, f->relation)) == NULL) {
			int r = odf_schema_fetch(plan->schema, rpc, f->relation,
			    plan->kwargs, err);

			if (r != 0)
				return r < 0 ? -1 : 0;   /* an unknown co-model: untyped */
			fields = odf_schema_get(plan->schema, f->relation);
		}
		p = slash + 1;
	}
	return 0;
}

/* The paths asked for, or "id" and every importable field: a
 * NULL-terminated array to free with free() (the strings are in it, or
 * belong to the schema) and its length. */
static const char **
export_paths(const struct plan *plan, size_t *n, char ***hold, struct odf_error *err)
{
	const struct odf_fields *fields = odf_schema_get(plan->schema, plan->opts->model);
	const char **paths;
	char **list;
	size_t count, i;

	*hold = NULL;
	if (plan->opts->fields != NULL) {
		if ((list = odf_split_list("--fields", plan->opts->fields, n, err)) == NULL)
			return NULL;
		/* Archived records keep their state only with their active field. */
		if (!ARCHIVED(plan->opts) || odf_fields_get(fields, "active") == NULL)
			return (const char **)list;
		for (i = 0; i < *n; i++)
			if (strcmp(list[i], "active") == 0)
				return (const char **)list;
		if ((paths = calloc(*n + 2, sizeof(*paths))) == NULL) {
			free(list);
			odf_error_set(err, ODF_E_NOMEM, "out of memory");
			return NULL;
		}
		memcpy(paths, list, *n * sizeof(*paths));
		paths[(*n)++] = "active";
		*hold = list;
		return paths;
	}
	count = odf_fields_default_export(fields, NULL, 0);
	if ((paths = calloc(count + 2, sizeof(*paths))) == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	paths[0] = "id";
	odf_fields_default_export(fields, paths + 1, count);
	*n = count + 1;
	return paths;
}

static void
plan_free(struct plan *plan)
{
	odf_rows_free(plan->rows);
	odf_schema_free(plan->schema);
	cJSON_Delete(plan->paths);
	cJSON_Delete(plan->id_paths);
	cJSON_Delete(plan->kwargs);
	cJSON_Delete(plan->domain);
}

/* ["write_date", ">=", since] ahead of the domain's terms (and-ed). */
static int
plan_since(struct plan *plan, const char *since, struct odf_error *err)
{
	char when[ODF_TIMESTAMP_SIZE];
	long long t;
	cJSON *term;

	if (odf_timestamp_parse("--since", since, &t, err) != 0)
		return -1;
	odf_timestamp_format(t, when, sizeof(when));
	if ((term = cJSON_CreateArray()) == NULL ||
	    !cJSON_AddItemToArray(term, cJSON_CreateString("write_date")) ||
	    !cJSON_AddItemToArray(term, cJSON_CreateString(">=")) ||
	    !cJSON_AddItemToArray(term, cJSON_CreateString(when)) ||
	    !cJSON_InsertItemInArray(plan->domain, 0, term)) {
		cJSON_Delete(term);
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	}
	return 0;
}

/* Parse the domain and context: options, so their errors are usage errors. */
static int
plan_parse(struct plan *plan, struct odf_error *err)
{
	const struct odf_export_opts *o = plan->opts;
	cJSON *context;

	if (odf_domain_parse(o->domain != NULL ? o->domain : "", &plan->domain, err) != 0 ||
	    odf_context_parse(o->context != NULL ? o->context : "", &context, err) != 0) {
		err->code = ODF_E_USAGE;
		return -1;
	}
	if (!cJSON_IsObject(context)) {
		cJSON_Delete(context);
		return odf_error_set(err, ODF_E_USAGE, "context: not a dict");
	}
	if (o->since != NULL && plan_since(plan, o->since, err) != 0) {
		cJSON_Delete(context);
		return -1;
	}
	/* export_data writes datetimes in the context's time zone (Odoo's
	 * Datetime.convert_to_export); records carry them in UTC. */
	cJSON_DeleteItemFromObjectCaseSensitive(context, "tz");
	if (ARCHIVED(o)) {
		cJSON_DeleteItemFromObjectCaseSensitive(context, "active_test");
		if (cJSON_AddFalseToObject(context, "active_test") == NULL) {
			cJSON_Delete(context);
			return odf_error_set(err, ODF_E_NOMEM, "out of memory");
		}
	}
	if (cJSON_AddStringToObject(context, "tz", "UTC") == NULL ||
	    (plan->kwargs = cJSON_CreateObject()) == NULL ||
	    !cJSON_AddItemToObject(plan->kwargs, "context", context)) {
		cJSON_Delete(context);
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	}
	if ((plan->schema = odf_schema_new()) == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	return 0;
}

/* The model the last relation of path ("parent_id/country_id/id") points
 * to, or NULL when a step is not a known relation. */
static const char *
path_target(const struct plan *plan, const char *path)
{
	const struct odf_fields *fields = odf_schema_get(plan->schema, plan->opts->model);
	const char *p = path, *slash, *model = NULL;

	while (fields != NULL && (slash = strchr(p, '/')) != NULL) {
		const struct odf_field *f = odf_fields_getn(fields, p, (size_t)(slash - p));

		if (f == NULL || !odf_field_type_is_relational(f->type) || f->relation == NULL)
			return NULL;
		model = f->relation;
		fields = odf_schema_get(plan->schema, model);
		p = slash + 1;
	}
	return strcmp(p, "id") == 0 ? model : NULL;
}

/* The res_ids of model's external ids, read once a model into read (an
 * object by model, which holds them); NULL when there are more than
 * PROBE_MAX or the server would not say. */
static const cJSON *
ids_with_xmlid(struct odf_rpc *rpc, cJSON *read, const char *model)
{
	cJSON *rows, *ids;
	const cJSON *row;
	struct odf_error err;

	if ((ids = cJSON_GetObjectItemCaseSensitive(read, model)) != NULL)
		return ids;
	odf_error_clear(&err);
	rows = odf_xmlids_read(rpc, model, NULL, NULL, ODF_XMLIDS_RES_ID, PROBE_MAX + 1, &err);
	if (rows == NULL || cJSON_GetArraySize(rows) > PROBE_MAX ||
	    (ids = cJSON_CreateArray()) == NULL)
		goto done;
	cJSON_ArrayForEach(row, rows) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(row, "res_id");

		if (cJSON_IsNumber(id) &&
		    !cJSON_AddItemToArray(ids, cJSON_CreateNumber(id->valuedouble)))
			break;
	}
	if (row != NULL || !cJSON_AddItemToObject(read, model, ids)) {
		cJSON_Delete(ids);
		ids = NULL;
	}
done:
	cJSON_Delete(rows);
	return ids;
}

/*
 * Whether every record the related path ("parent_id/country_id/id", to
 * target) reaches from the selection already has an external id, so that
 * no export_data can create one there: 1 yes, 0 no or not known. Two cheap
 * calls: the res_ids of target's external ids, then a count of the selected
 * records (archived ones too: a superset) whose related record is not among
 * them.
 */
static int
path_ids_exist(struct odf_rpc *rpc, const struct plan *plan, const char *path,
    const char *target, cJSON *read)
{
	cJSON *args = NULL, *domain, *term, *kwargs = NULL, *ctx, *n = NULL;
	const cJSON *item, *xmlids;
	struct odf_error err;
	char dotted[512];
	size_t i, len = strlen(path) - 3;       /* without "/id" */
	int all = 0;

	if (len + 4 > sizeof(dotted) || (xmlids = ids_with_xmlid(rpc, read, target)) == NULL)
		return 0;
	for (i = 0; i < len; i++)
		dotted[i] = path[i] == '/' ? '.' : path[i];
	memcpy(dotted + len, ".id", 4);
	odf_error_clear(&err);
	/* the selection and [path.id, "not in", xmlids], active_test off */
	if ((args = cJSON_CreateArray()) == NULL || (domain = cJSON_CreateArray()) == NULL ||
	    !cJSON_AddItemToArray(args, domain) ||
	    (term = cJSON_CreateArray()) == NULL || !cJSON_AddItemToArray(domain, term) ||
	    !cJSON_AddItemToArray(term, cJSON_CreateString(dotted)) ||
	    !cJSON_AddItemToArray(term, cJSON_CreateString("not in")) ||
	    !cJSON_AddItemReferenceToArray(term, (cJSON *)xmlids))
		goto done;
	cJSON_ArrayForEach(item, plan->domain) {
		if (!cJSON_AddItemToArray(domain, cJSON_Duplicate(item, 1)))
			goto done;
	}
	if ((kwargs = cJSON_Duplicate(plan->kwargs, 1)) == NULL)
		goto done;
	if ((ctx = cJSON_GetObjectItemCaseSensitive(kwargs, "context")) == NULL &&
	    (ctx = cJSON_AddObjectToObject(kwargs, "context")) == NULL)
		goto done;
	cJSON_DeleteItemFromObjectCaseSensitive(ctx, "active_test");
	if (cJSON_AddFalseToObject(ctx, "active_test") == NULL)
		goto done;
	n = odf_rpc_call(rpc, plan->opts->model, "search_count", args, kwargs,
	    ODF_RPC_IDEMPOTENT, &err);
	all = cJSON_IsNumber(n) && n->valuedouble == 0;
done:
	cJSON_Delete(n);
	cJSON_Delete(args);
	cJSON_Delete(kwargs);
	return all;
}

/*
 * export_data creates the missing __export__ ids of the records it names,
 * related ones included, without a lock: two workers naming the same
 * record at once would give it two ids, and the records pointing at it one
 * or the other. With several workers the parent therefore has each page's
 * ids created first, alone, by an export_data of the id paths only —
 * unless every record the related paths can reach already has its id (a
 * source exported before): then nothing can be created and that extra
 * call, as costly as the export itself, is saved. The external ids of a
 * model several paths reach (parent_id and child_ids) are read once.
 */
static int
plan_id_paths(struct odf_rpc *rpc, struct plan *plan, struct odf_error *err)
{
	const cJSON *path;
	cJSON *read;            /* the res_ids with an external id, by model */
	int related = 0, missing = 0;

	if ((plan->id_paths = cJSON_CreateArray()) == NULL ||
	    (read = cJSON_CreateObject()) == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	cJSON_ArrayForEach(path, plan->paths) {
		const char *p = cJSON_GetStringValue(path);
		size_t len = p != NULL ? strlen(p) : 0;
		int rel = len > 3 && strcmp(p + len - 3, "/id") == 0;

		if (p == NULL || !(rel || strcmp(p, "id") == 0))
			continue;
		related |= rel;
		if (rel && !missing) {
			const char *target = path_target(plan, p);

			missing = target == NULL || !path_ids_exist(rpc, plan, p, target, read);
		}
		if (!cJSON_AddItemToArray(plan->id_paths, cJSON_CreateString(p))) {
			cJSON_Delete(read);
			return odf_error_set(err, ODF_E_NOMEM, "out of memory");
		}
	}
	cJSON_Delete(read);
	/* A record's own id is asked for in one page only: no race without
	 * related ones. */
	if (!related || !missing) {
		cJSON_Delete(plan->id_paths);
		plan->id_paths = NULL;
	}
	return 0;
}

/* Read the fields and compile the paths, on the parent's first connection. */
static int
plan_fields(struct odf_rpc *rpc, struct plan *plan, struct odf_error *err)
{
	const struct odf_export_opts *o = plan->opts;
	const char **paths;
	char **hold;
	size_t n = 0, i;
	int r;

	if ((r = odf_schema_fetch(plan->schema, rpc, o->model, plan->kwargs, err)) != 0) {
		if (r > 0)
			odf_error_set(err, ODF_E_USAGE, "unknown model '%s'", o->model);
		return -1;
	}
	if ((paths = export_paths(plan, &n, &hold, err)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (fetch_related(rpc, plan, paths[i], err) != 0) {
			free((void *)paths);
			free(hold);
			return -1;
		}
	}
	plan->rows = odf_rows_new(odf_schema_get(plan->schema, o->model),
	    odf_schema_lookup, plan->schema, paths, n,
	    o->flat ? ODF_ROWS_FLAT : 0, err);
	free((void *)paths);
	free(hold);
	if (plan->rows == NULL)
		return -1;
	if ((plan->paths = odf_rows_paths_json(plan->rows)) == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	if (o->workers > 1)
		return plan_id_paths(rpc, plan, err);
	return 0;
}

/* --- the workers: export_data for a page of ids --- */

static int
worker_init(int index, void *arg, void **state, struct odf_error *err)
{
	const struct plan *plan = arg;
	struct worker *w = calloc(1, sizeof(*w));

	(void)index;
	if (w == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	w->plan = plan;
	if ((w->rpc = odf_connect_conf(plan->conf, &plan->connect, err)) == NULL) {
		free(w);
		return -1;
	}
	*state = w;
	return 0;
}

static void
worker_fini(void *state, void *arg)
{
	struct worker *w = state;

	(void)arg;
	if (w != NULL)
		odf_rpc_free(w->rpc);
	free(w);
}

/* The lines of the records of rows into b. */
static int
write_records(struct odf_rows *rows, const cJSON *result, struct odf_buf *b,
    struct odf_error *err)
{
	cJSON *record;
	int r;

	if (odf_rows_set(rows, result, err) != 0)
		return -1;
	while ((r = odf_rows_next(rows, &record, err)) == 1) {
		char *line = cJSON_PrintUnformatted(record);

		cJSON_Delete(record);
		if (line == NULL || odf_buf_adds(b, line, NULL) != 0 ||
		    odf_buf_add(b, "\n", 1, NULL) != 0) {
			free(line);
			return odf_error_set(err, ODF_E_NOMEM, "out of memory");
		}
		free(line);
	}
	return r;
}

/* model.export_data(ids, paths) in the export's context (both borrowed);
 * the result, or NULL with err. */
static cJSON *
export_data(struct odf_rpc *rpc, const struct plan *plan, const cJSON *ids,
    const cJSON *paths, struct odf_error *err)
{
	cJSON *args = cJSON_CreateArray(), *result;

	if (args == NULL || !cJSON_AddItemReferenceToArray(args, (cJSON *)ids) ||
	    !cJSON_AddItemReferenceToArray(args, (cJSON *)paths)) {
		cJSON_Delete(args);
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	result = odf_rpc_call(rpc, plan->opts->model, "export_data", args,
	    plan->kwargs, ODF_RPC_IDEMPOTENT, err);
	cJSON_Delete(args);
	if (result == NULL)
		odf_error_prefix(err, "export_data");
	return result;
}

/* A job is a JSON array of ids; the result, their record lines. */
static int
worker_export(void *state, const char *job, size_t len, char **out, size_t *out_len,
    struct odf_error *err)
{
	struct worker *w = state;
	cJSON *ids = cJSON_ParseWithLength(job, len), *result = NULL;
	struct odf_buf b = ODF_BUF_INIT;
	int rc = -1;

	if (ids == NULL) {
		odf_error_set(err, ODF_E_SOFTWARE, "a job that is not a list of ids");
		goto done;
	}
	if ((result = export_data(w->rpc, w->plan, ids, w->plan->paths, err)) == NULL ||
	    write_records(w->plan->rows, result, &b, err) != 0)
		goto done;
	*out = odf_buf_detach(&b, out_len);
	rc = 0;
done:
	odf_buf_release(&b);
	cJSON_Delete(result);
	cJSON_Delete(ids);
	return rc;
}

/* --- the parent: paging and writing --- */

struct pager {
	struct odf_rpc *rpc;
	const struct plan *plan;
	cJSON *domain;          /* keyset: [["id", ">", last]] + the domain */
	cJSON *last;            /* the number in it */
	cJSON *kwargs;
	long limit, batch, fetched;
	long chunk_size;        /* ids a search asks for */
	cJSON *chunk;           /* ids searched, not yet handed out */
	int searched;
	int exhausted;          /* the search has nothing more */
};

/* Whether an order ("name desc, id") already sorts by id. */
static int
order_has_id(const char *order)
{
	const char *p = order;

	while (*p != '\0') {
		size_t n;

		p += strspn(p, " \t,");
		n = strcspn(p, " \t,");
		if (n == 2 && strncmp(p, "id", 2) == 0)
			return 1;
		p += strcspn(p, ",");
	}
	return 0;
}

static int
pager_init(struct pager *pg, struct odf_rpc *rpc, const struct plan *plan,
    struct odf_error *err)
{
	const struct odf_export_opts *o = plan->opts;
	const cJSON *item;
	cJSON *term;

	memset(pg, 0, sizeof(*pg));
	pg->rpc = rpc;
	pg->plan = plan;
	pg->limit = o->limit;
	pg->batch = o->batch_size > 0 ? o->batch_size : ODF_EXPORT_DEFAULT_BATCH;
	pg->chunk_size = pg->batch > SEARCH_CHUNK ? pg->batch : SEARCH_CHUNK;
	if ((pg->kwargs = cJSON_Duplicate(plan->kwargs, 1)) == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	if (o->order != NULL) {
		/* Offset paging needs a total order: id breaks the ties. */
		char order[1024];

		snprintf(order, sizeof(order), "%s%s", o->order,
		    order_has_id(o->order) ? "" : ", id");
		if (cJSON_AddStringToObject(pg->kwargs, "order", order) == NULL ||
		    (pg->domain = cJSON_Duplicate(plan->domain, 1)) == NULL)
			return odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return 0;
	}
	if (cJSON_AddStringToObject(pg->kwargs, "order", "id") == NULL ||
	    (pg->domain = cJSON_CreateArray()) == NULL ||
	    (term = cJSON_CreateArray()) == NULL ||
	    !cJSON_AddItemToArray(pg->domain, term) ||
	    !cJSON_AddItemToArray(term, cJSON_CreateString("id")) ||
	    !cJSON_AddItemToArray(term, cJSON_CreateString(">")) ||
	    !cJSON_AddItemToArray(term, pg->last = cJSON_CreateNumber(0)))
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	/* Top-level terms are and-ed, so the domain may follow as it is. */
	cJSON_ArrayForEach(item, plan->domain) {
		if (!cJSON_AddItemToArray(pg->domain, cJSON_Duplicate(item, 1)))
			return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	}
	return 0;
}

static void
pager_free(struct pager *pg)
{
	cJSON_Delete(pg->domain);
	cJSON_Delete(pg->kwargs);
	cJSON_Delete(pg->chunk);
}

/* The server refused the first search: the user's domain (or order). */
static void
refused_search(const struct odf_export_opts *o, struct odf_error *err)
{
	if (err->code != ODF_E_ODOO)
		return;
	err->code = ODF_E_USAGE;
	/* The traceback's last line only repeats the message. */
	if (strstr(err->detail, err->message) != NULL)
		err->detail[0] = '\0';
	odf_error_prefix(err, "%s", o->order != NULL ? "domain or order" : "domain");
}

/* The next chunk of ids (a new array, maybe empty); NULL with err. */
static cJSON *
pager_search(struct pager *pg, struct odf_error *err)
{
	long n = pg->chunk_size;
	cJSON *args, *ids;
	int count;

	if (pg->limit > 0 && pg->limit - pg->fetched < n)
		n = pg->limit - pg->fetched;
	if (n <= 0 || pg->exhausted) {
		pg->exhausted = 1;
		return cJSON_CreateArray();
	}
	cJSON_DeleteItemFromObject(pg->kwargs, "limit");
	cJSON_DeleteItemFromObject(pg->kwargs, "offset");
	if (cJSON_AddNumberToObject(pg->kwargs, "limit", (double)n) == NULL ||
	    (pg->last == NULL &&
	     cJSON_AddNumberToObject(pg->kwargs, "offset", (double)pg->fetched) == NULL) ||
	    (args = cJSON_CreateArray()) == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	if (!cJSON_AddItemReferenceToArray(args, pg->domain)) {
		cJSON_Delete(args);
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	ids = odf_rpc_call(pg->rpc, pg->plan->opts->model, "search", args, pg->kwargs,
	    ODF_RPC_IDEMPOTENT, err);
	cJSON_Delete(args);
	if (ids == NULL) {
		if (!pg->searched)
			refused_search(pg->plan->opts, err);
		return NULL;
	}
	pg->searched = 1;
	if (!cJSON_IsArray(ids)) {
		cJSON_Delete(ids);
		odf_error_set(err, ODF_E_PROTOCOL, "search did not answer a list of ids");
		return NULL;
	}
	count = cJSON_GetArraySize(ids);
	pg->fetched += count;
	if (count < n || (pg->limit > 0 && pg->fetched >= pg->limit))
		pg->exhausted = 1;
	if (pg->last != NULL && count > 0) {
		const cJSON *last = cJSON_GetArrayItem(ids, count - 1);

		if (!cJSON_IsNumber(last)) {
			cJSON_Delete(ids);
			odf_error_set(err, ODF_E_PROTOCOL, "search answered an id that is not a number");
			return NULL;
		}
		cJSON_SetNumberValue(pg->last, last->valuedouble);
	}
	return ids;
}

/*
 * The next page of ids (a new array, maybe empty once the selection is
 * done); NULL with err. Ids are searched a chunk of many pages at a time:
 * one search call per page would cost the server as much again as a
 * tenth of the export_data calls (a search of 500 ids takes Odoo 17 about
 * as long as one of 10,000).
 */
static cJSON *
pager_next(struct pager *pg, struct odf_error *err)
{
	cJSON *page, *id;
	long n;

	if (pg->chunk == NULL || pg->chunk->child == NULL) {
		cJSON_Delete(pg->chunk);
		pg->chunk = NULL;
		if (pg->exhausted)
			return cJSON_CreateArray();
		if ((pg->chunk = pager_search(pg, err)) == NULL)
			return NULL;
	}
	if ((page = cJSON_CreateArray()) == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	/* Detaching the head is O(1): a cJSON array is a linked list. */
	for (n = 0; n < pg->batch && (id = pg->chunk->child) != NULL; n++)
		cJSON_AddItemToArray(page, cJSON_DetachItemViaPointer(pg->chunk, id));
	return page;
}

/* Whether every id of the selection was handed out. */
static int
pager_done(const struct pager *pg)
{
	return pg->exhausted && (pg->chunk == NULL || pg->chunk->child == NULL);
}

static long long
count_selected(struct odf_rpc *rpc, const struct plan *plan, struct odf_error *err)
{
	cJSON *args = cJSON_CreateArray(), *n;
	long long total;

	if (args == NULL || !cJSON_AddItemReferenceToArray(args, plan->domain)) {
		cJSON_Delete(args);
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	}
	n = odf_rpc_call(rpc, plan->opts->model, "search_count", args, plan->kwargs,
	    ODF_RPC_IDEMPOTENT, err);
	cJSON_Delete(args);
	if (n == NULL) {
		refused_search(plan->opts, err);
		return -1;
	}
	/* A count out of range is no count (its cast would be undefined). */
	total = cJSON_IsNumber(n) && n->valuedouble >= 0 && n->valuedouble < 1e18 ?
	    (long long)n->valuedouble : -1;
	cJSON_Delete(n);
	if (total >= 0 && plan->opts->limit > 0 && total > plan->opts->limit)
		total = plan->opts->limit;
	return total;
}

/* Write one batch's lines. 0, 1 when the reader has gone, -1 with err. */
static int
write_batch(FILE *out, const char *data, size_t len, struct odf_error *err)
{
	errno = 0;
	if ((len > 0 && fwrite(data, 1, len, out) != len) || fflush(out) != 0) {
		if (errno == EPIPE)
			return 1;
		return odf_error_set(err, ODF_E_IO, "standard output: write error: %s",
		    strerror(errno != 0 ? errno : EIO));
	}
	return 0;
}

/* Hand out a result: write it, or turn it into the export's error. */
static int
take_result(struct odf_pool_result *res, FILE *out, struct odf_export_summary *sum,
    const struct odf_export_opts *o, struct odf_error *err)
{
	int r;

	if (res->status != ODF_POOL_DONE) {
		*err = res->error;
		return -1;
	}
	if ((r = write_batch(out, res->data, res->len, err)) != 0) {
		if (r > 0)
			sum->reader_gone = 1;
		return r;
	}
	sum->records += (long)odf_ndjson_count(res->data, res->len);
	sum->batches++;
	if (o->on_progress != NULL)
		o->on_progress(sum->records, sum->total, o->progress_arg);
	return 0;
}

/* Page ids ahead of the workers, write their results in order. */
static int
export_loop(struct odf_pool *pool, struct pager *pg, FILE *out,
    struct odf_export_summary *sum, struct odf_error *err)
{
	struct odf_pool_result res;
	int r;

	for (;;) {
		/* Write what is ready first, so that lines flow out early. */
		while ((r = odf_pool_next(pool, &res, 0, err)) == 1) {
			r = take_result(&res, out, sum, pg->plan->opts, err);
			odf_pool_result_free(&res);
			if (r != 0)
				return r;
		}
		if (r < 0)
			return -1;
		if (!pager_done(pg) && odf_pool_can_submit(pool, -1)) {
			cJSON *ids = pager_next(pg, err);
			char *job;

			if (ids == NULL)
				return -1;
			if (cJSON_GetArraySize(ids) == 0) {
				cJSON_Delete(ids);
				continue;
			}
			if (pg->plan->id_paths != NULL) {
				cJSON *done = export_data(pg->rpc, pg->plan, ids,
				    pg->plan->id_paths, err);

				if (done == NULL) {
					cJSON_Delete(ids);
					return -1;
				}
				cJSON_Delete(done);
			}
			job = cJSON_PrintUnformatted(ids);
			cJSON_Delete(ids);
			if (job == NULL)
				return odf_error_set(err, ODF_E_NOMEM, "out of memory");
			r = odf_pool_submit(pool, -1, job, strlen(job), err) < 0 ? -1 : 0;
			free(job);
			if (r != 0)
				return -1;
			continue;
		}
		if (odf_pool_pending(pool) == 0)
			return 0;
		if ((r = odf_pool_next(pool, &res, 1, err)) < 0)
			return -1;
		if (r == 1) {
			r = take_result(&res, out, sum, pg->plan->opts, err);
			odf_pool_result_free(&res);
			if (r != 0)
				return r;
		}
	}
}

int
odf_export_run(const struct odf_export_opts *o, const struct odf_conf *conf,
    FILE *out, struct odf_export_summary *summary, struct odf_error *err)
{
	struct plan plan = { o, conf, { o->prog, o->diag, o->quiet, 0, 0 }, NULL, NULL, NULL,
	    NULL, NULL, NULL };
	struct odf_pool_ops ops = { worker_init, worker_export, worker_fini, &plan };
	struct odf_pool_opts popts = { o->workers > 0 ? o->workers : 1, ODF_POOL_ORDERED, 2 };
	struct odf_export_summary sum = { 0, -1, 0, 0, 0 };
	struct odf_pool *pool = NULL;
	struct odf_rpc *rpc = NULL;
	struct odf_conf logged;         /* conf with the uid of the one login */
	struct pager pg;
	double start = odf_clock();
	int rc = -1;

	memset(&pg, 0, sizeof(pg));
	if (o->model == NULL || o->model[0] == '\0') {
		odf_error_set(err, ODF_E_USAGE, "no model given");
		goto done;
	}
	if (plan_parse(&plan, err) != 0 || (rpc = odf_connect_conf(conf, &plan.connect, err)) == NULL)
		goto done;
	/* One login: every later connection, the workers' too, reuses its uid. */
	logged = *conf;
	if (odf_rpc_uid(rpc) > 0)
		logged.uid = odf_rpc_uid(rpc);
	plan.conf = &logged;
	if (plan_fields(rpc, &plan, err) != 0)
		goto done;
	if (o->count_total && (sum.total = count_selected(rpc, &plan, err)) < 0)
		goto done;
	/* No connection may cross the fork: close it, fork, open anew. */
	odf_rpc_free(rpc);
	rpc = NULL;
	if ((pool = odf_pool_new(&popts, &ops, err)) == NULL ||
	    (rpc = odf_connect_conf(&logged, &plan.connect, err)) == NULL ||
	    pager_init(&pg, rpc, &plan, err) != 0)
		goto done;
	if (o->on_progress != NULL)
		o->on_progress(0, sum.total, o->progress_arg);
	rc = export_loop(pool, &pg, out, &sum, err);
	if (rc > 0)
		rc = 0;   /* the reader went away: a quiet stop, the workers killed */
	else if (rc == 0 && odf_pool_close(pool, err) != 0)
		rc = -1;
done:
	odf_pool_free(pool);
	pager_free(&pg);
	odf_rpc_free(rpc);
	plan_free(&plan);
	sum.seconds = odf_clock() - start;
	if (summary != NULL)
		*summary = sum;
	return rc;
}
