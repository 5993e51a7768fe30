/*
 * What a migration plan reads from the servers: the selected records'
 * relational and selection fields, page by page, into id sets; the external
 * ids of the records they reference, on both sides (plan_int.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "odf/plan.h"
#include "odf/rpc.h"
#include "odf/strmap.h"
#include "odf/xmlids.h"
#include "plan_int.h"

/* One record read: its id, the ids it references, its selection values. */
static int
note_record(struct step *s, const cJSON *rec, long *last, struct odf_error *err)
{
	long id = json_id(cJSON_GetObjectItemCaseSensitive(rec, "id"));
	const cJSON *v, *x;
	size_t i;

	if (id == 0)
		return odf_error_set(err, ODF_E_PROTOCOL, "search_read of %s: a record without an id",
		    s->m->name);
	if (id > *last)
		*last = id;
	if (note_id(s->ids, id, err) != 0)
		return -1;
	for (i = 0; i < s->nrefs; i++) {
		if (s->refs[i].pub.dropped)
			continue;
		v = cJSON_GetObjectItemCaseSensitive(rec, s->refs[i].field->name);
		if (cJSON_IsArray(v) && s->refs[i].field->type == ODF_FT_MANY2ONE) {
			/* [id, "name"] */
			if (note_id(s->refs[i].ids, json_id(cJSON_GetArrayItem(v, 0)), err) != 0)
				return -1;
		} else if (cJSON_IsArray(v)) {
			cJSON_ArrayForEach(x, v)
				if (note_id(s->refs[i].ids, json_id(x), err) != 0)
					return -1;
		} else if (note_id(s->refs[i].ids, json_id(v), err) != 0) {
			return -1;
		}
	}
	for (i = 0; i < s->nselvals; i++) {
		v = cJSON_GetObjectItemCaseSensitive(rec, s->selvals[i].field->name);
		if (cJSON_IsString(v) && strcmp(v->valuestring, s->selvals[i].value) == 0)
			s->selvals[i].records++;
	}
	return 0;
}

/* search_read(domain, fields) of the step's relational and selection
 * fields, active_test off, by id; returns the records or NULL with err. */
static cJSON *
read_page(struct odf_plan *p, struct step *s, cJSON *domain, struct odf_error *err)
{
	cJSON *kwargs = cJSON_CreateObject(), *fields = cJSON_CreateArray(), *res;
	size_t i;
	int ok = 1;

	if (kwargs == NULL || fields == NULL || domain == NULL ||
	    !cJSON_AddItemToObject(kwargs, "fields", fields)) {
		cJSON_Delete(kwargs);
		cJSON_Delete(fields);
		cJSON_Delete(domain);
		nomem(err);
		return NULL;
	}
	push(fields, cJSON_CreateString("id"), &ok);
	/* Dropped relations are not read: a tag's partners may be many. */
	for (i = 0; i < s->nrefs; i++)
		if (!s->refs[i].pub.dropped)
			push(fields, cJSON_CreateString(s->refs[i].field->name), &ok);
	for (i = 0; i < s->nselvals; i++)
		push(fields, cJSON_CreateString(s->selvals[i].field->name), &ok);
	if (!ok) {
		cJSON_Delete(kwargs);
		cJSON_Delete(domain);
		nomem(err);
		return NULL;
	}
	if (!cJSON_AddItemToObject(kwargs, "domain", domain) ||
	    cJSON_AddNumberToObject(kwargs, "limit", (double)PAGE_SIZE) == NULL ||
	    cJSON_AddStringToObject(kwargs, "order", "id") == NULL ||
	    !cJSON_AddItemToObject(kwargs, "context", cJSON_Duplicate(p->context, 1))) {
		cJSON_Delete(kwargs);
		nomem(err);
		return NULL;
	}
	res = odf_rpc_call(p->src, s->m->name, "search_read", NULL, kwargs, ODF_RPC_IDEMPOTENT, err);
	cJSON_Delete(kwargs);
	if (res != NULL && !cJSON_IsArray(res)) {
		cJSON_Delete(res);
		odf_error_set(err, ODF_E_PROTOCOL, "search_read of %s: not a list", s->m->name);
		return NULL;
	}
	if (res == NULL)
		odf_error_prefix(err, "%s: %s", src_label(p), s->m->name);
	return res;
}

/* ("id", op, value): a new term, or NULL when out of memory (value, which
 * it takes, is then freed). */
static cJSON *
id_term(const char *op, cJSON *value)
{
	cJSON *t = cJSON_CreateArray();
	int ok = 1;

	push(t, cJSON_CreateString("id"), &ok);
	push(t, cJSON_CreateString(op), &ok);
	push(t, value, &ok);
	if (!ok) {
		cJSON_Delete(t);
		return NULL;
	}
	return t;
}

/* The user's selection, page by page on id. */
int
plan_scan_selected(struct odf_plan *p, struct step *s, struct odf_error *err)
{
	long last = 0, before;
	cJSON *domain, *page, *rec;
	int n;

	for (;;) {
		int ok = 1;

		domain = cJSON_Duplicate(s->domain, 1);
		push(domain, id_term(">", cJSON_CreateNumber((double)last)), &ok);
		if (!ok) {
			cJSON_Delete(domain);
			return nomem(err);
		}
		if ((page = read_page(p, s, domain, err)) == NULL)
			return -1;
		n = cJSON_GetArraySize(page);
		before = last;
		cJSON_ArrayForEach(rec, page)
			if (note_record(s, rec, &last, err) != 0) {
				cJSON_Delete(page);
				return -1;
			}
		cJSON_Delete(page);
		if (n < PAGE_SIZE || last == before)
			break;
	}
	s->scanned = 1;
	return 0;
}

/* The dependency's ids not read yet, a page of ids at a time. */
int
plan_scan_pending(struct odf_plan *p, struct step *s, struct odf_error *err)
{
	long id = 0, last = 0;
	cJSON *domain, *ids, *page, *rec;
	int n, ok;

	while ((id = odf_idset_next(s->pending, id)) != 0) {
		ok = 1;
		ids = cJSON_CreateArray();
		for (n = 0; id != 0; id = n < PAGE_SIZE ? odf_idset_next(s->pending, id) : id) {
			push(ids, cJSON_CreateNumber((double)id), &ok);
			if (++n == PAGE_SIZE)
				break;
		}
		domain = cJSON_CreateArray();
		if (!ok) {
			cJSON_Delete(ids);
			ids = NULL;
		}
		push(domain, id_term("in", ids), &ok);
		if (!ok) {
			cJSON_Delete(domain);
			return nomem(err);
		}
		if ((page = read_page(p, s, domain, err)) == NULL)
			return -1;
		cJSON_ArrayForEach(rec, page)
			if (note_record(s, rec, &last, err) != 0) {
				cJSON_Delete(page);
				return -1;
			}
		cJSON_Delete(page);
		if (id == 0)
			break;
	}
	odf_idset_free(s->pending);
	if ((s->pending = odf_idset_new()) == NULL)
		return nomem(err);
	s->scanned = 1;
	return 0;
}

/* The rows of model t's external ids on one side (rpc) whose key is in
 * values (taken), or NULL with err starting with the side's label. */
static cJSON *
side_xmlids(struct odf_rpc *rpc, const char *label, const struct pmodel *t, const char *key,
    cJSON *values, struct odf_error *err)
{
	cJSON *res = odf_xmlids_read(rpc, t->name, key, values,
	    ODF_XMLIDS_NAME | ODF_XMLIDS_RES_ID, 0, err);

	if (res == NULL)
		odf_error_prefix(err, "%s", label);
	return res;
}

/* The external ids the source gives these ids of model t, "module.name"
 * → id put in names: their names (a new array), or NULL with err. */
static cJSON *
source_names(struct odf_plan *p, const struct pmodel *t, const long *ids, size_t n,
    struct odf_strmap *names, struct odf_error *err)
{
	cJSON *values = cJSON_CreateArray(), *res, *row;
	char key[512];
	size_t i;
	int ok = 1, len;

	for (i = 0; i < n; i++)
		push(values, cJSON_CreateNumber((double)ids[i]), &ok);
	if (!ok) {
		cJSON_Delete(values);
		nomem(err);
		return NULL;
	}
	if ((res = side_xmlids(p->src, src_label(p), t, "res_id", values, err)) == NULL)
		return NULL;
	values = cJSON_CreateArray();
	cJSON_ArrayForEach(row, res) {
		long id = json_id(cJSON_GetObjectItemCaseSensitive(row, "res_id"));

		if (id == 0 || (len = odf_xmlid_format(row, key, sizeof(key))) < 0)
			continue;
		if (odf_strmap_put(names, key, (size_t)len, id) != 0) {
			ok = 0;
			break;
		}
		push(values, cJSON_CreateString(cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(row, "name"))), &ok);
	}
	cJSON_Delete(res);
	if (!ok || values == NULL) {
		cJSON_Delete(values);
		nomem(err);
		return NULL;
	}
	return values;
}

/* Which of these source ids of model t the destination has, by external
 * id: all are marked checked, those found indest. */
int
plan_lookup_batch(struct odf_plan *p, struct pmodel *t, const long *ids, size_t n,
    struct odf_error *err)
{
	struct odf_strmap *names = odf_strmap_new();
	cJSON *values, *res = NULL, *row;
	char key[512];
	size_t i;
	int rc = -1, len;
	long id;

	if (names == NULL) {
		nomem(err);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (note_id(t->checked, ids[i], err) != 0)
			goto out;
	if ((values = source_names(p, t, ids, n, names, err)) == NULL)
		goto out;
	if (cJSON_GetArraySize(values) == 0) {
		cJSON_Delete(values);
		rc = 0;
		goto out;
	}
	if ((res = side_xmlids(p->dst, dst_label(p), t, "name", values, err)) == NULL)
		goto out;
	cJSON_ArrayForEach(row, res) {
		if ((len = odf_xmlid_format(row, key, sizeof(key))) >= 0 &&
		    (id = odf_strmap_get(names, key, (size_t)len)) > 0 &&
		    note_id(t->indest, id, err) != 0)
			goto out;
	}
	rc = 0;
out:
	cJSON_Delete(res);
	odf_strmap_free(names);
	return rc;
}
