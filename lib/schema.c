/* The fields of models: fields_get, fetched once a model and kept. */
#include <stdlib.h>
#include <string.h>

#include "odf/schema.h"
#include "odf/strmap.h"

struct odf_schema {
	struct odf_fields **v;
	size_t n, cap;
	struct odf_strmap *bymodel;
	struct odf_rpc *rpc;            /* fetch on lookup; NULL: never */
	struct odf_strmap *missing;     /* models whose fetch failed */
};

static const char *const field_attributes[] = {
	"string", "type", "relation", "relation_field", "required", "readonly",
	"store", "selection", "exportable",
};

struct odf_schema *
odf_schema_new(void)
{
	struct odf_schema *s = calloc(1, sizeof(*s));

	if (s != NULL && ((s->bymodel = odf_strmap_new()) == NULL ||
	    (s->missing = odf_strmap_new()) == NULL)) {
		odf_schema_free(s);
		return NULL;
	}
	return s;
}

void
odf_schema_free(struct odf_schema *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		odf_fields_free(s->v[i]);
	free(s->v);
	odf_strmap_free(s->bymodel);
	odf_strmap_free(s->missing);
	free(s);
}

int
odf_schema_add(struct odf_schema *s, struct odf_fields *fs, struct odf_error *err)
{
	const char *model;
	long i;

	if (fs == NULL)
		return odf_error_set(err, ODF_E_SOFTWARE, "schema: no table to add");
	model = odf_fields_model(fs);
	i = odf_strmap_get(s->bymodel, model, strlen(model));

	if (i >= 0) {
		odf_fields_free(s->v[i]);
		s->v[i] = fs;
		return 0;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		struct odf_fields **v = realloc(s->v, cap * sizeof(*v));
		if (v == NULL)
			goto nomem;
		s->v = v;
		s->cap = cap;
	}
	if (odf_strmap_put(s->bymodel, model, strlen(model), (long)s->n) < 0)
		goto nomem;
	s->v[s->n++] = fs;
	return 0;
nomem:
	odf_fields_free(fs);
	return odf_error_set(err, ODF_E_NOMEM, "out of memory");
}

const struct odf_fields *
odf_schema_get(const struct odf_schema *s, const char *model)
{
	long i = odf_strmap_get(s->bymodel, model, strlen(model));

	return i < 0 ? NULL : s->v[i];
}

/* fields_get of model asking for the n attributes attrs, with the keys of kwargs
 * (may be NULL): the answer (caller frees), or NULL with err and *unknown
 * set when Odoo refused it (the model is unknown). */
static cJSON *
fields_get(struct odf_rpc *rpc, const char *model, const cJSON *kwargs,
    const char *const *attrs_asked, size_t n, int *unknown, struct odf_error *err)
{
	cJSON *kw, *attrs, *res;

	*unknown = 0;
	kw = kwargs != NULL ? cJSON_Duplicate(kwargs, 1) : cJSON_CreateObject();
	attrs = cJSON_CreateStringArray(attrs_asked, (int)n);
	if (kw == NULL || attrs == NULL || !cJSON_AddItemToObject(kw, "attributes", attrs)) {
		cJSON_Delete(kw);
		cJSON_Delete(attrs);
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	res = odf_rpc_call(rpc, model, "fields_get", NULL, kw, ODF_RPC_IDEMPOTENT, err);
	cJSON_Delete(kw);
	/* JSON-RPC: Odoo's "Object x doesn't exist"; JSON-2: a 404. */
	*unknown = res == NULL && (err->code == ODF_E_ODOO ||
	    (err->code == ODF_E_USAGE && err->http_status == 404));
	return res;
}

struct odf_fields *
odf_fields_fetch(struct odf_rpc *rpc, const char *model, const cJSON *kwargs,
    int *unknown, struct odf_error *err)
{
	struct odf_fields *f;
	cJSON *res = fields_get(rpc, model, kwargs, field_attributes,
	    sizeof(field_attributes) / sizeof(field_attributes[0]), unknown, err);

	if (res == NULL)
		return NULL;
	f = odf_fields_new(model, res, err);
	cJSON_Delete(res);
	return f;
}

int
odf_schema_fetch(struct odf_schema *s, struct odf_rpc *rpc, const char *model,
    const cJSON *kwargs, struct odf_error *err)
{
	struct odf_fields *f;
	int unknown;

	if (odf_schema_get(s, model) != NULL)
		return 0;
	if ((f = odf_fields_fetch(rpc, model, kwargs, &unknown, err)) == NULL)
		return unknown ? 1 : -1;
	return odf_schema_add(s, f, err);
}

int
odf_schema_has_model(struct odf_rpc *rpc, const char *model, struct odf_error *err)
{
	int unknown;
	static const char *const type[] = { "type" };
	cJSON *res = fields_get(rpc, model, NULL, type, 1, &unknown, err);

	if (res == NULL)
		return unknown ? 1 : -1;
	cJSON_Delete(res);
	return 0;
}

void
odf_schema_set_source(struct odf_schema *s, struct odf_rpc *rpc)
{
	s->rpc = rpc;
}

struct odf_schema *
odf_schema_open(struct odf_rpc *rpc, const char *model,
    const struct odf_fields **fields, struct odf_error *err)
{
	struct odf_schema *s = odf_schema_new();
	int r;

	if (s == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	odf_schema_set_source(s, rpc);
	if ((r = odf_schema_fetch(s, rpc, model, NULL, err)) != 0) {
		/* Odoo's "Object x doesn't exist": the -m argument is wrong (the
		 * RPC layer words JSON-2's 404 already). */
		if (r > 0 && err->code == ODF_E_ODOO) {
			err->code = ODF_E_USAGE;
			odf_error_prefix(err, "model '%s'", model);
		}
		odf_schema_free(s);
		return NULL;
	}
	*fields = odf_schema_get(s, model);
	return s;
}

const struct odf_fields *
odf_schema_lookup(const char *model, void *arg)
{
	struct odf_schema *s = arg;
	const struct odf_fields *have = odf_schema_get(s, model);
	struct odf_error err;

	if (have != NULL || s->rpc == NULL ||
	    odf_strmap_get(s->missing, model, strlen(model)) >= 0)
		return have;
	if (odf_schema_fetch(s, s->rpc, model, NULL, &err) != 0) {
		/* Unknown to us then: paths through it go unchecked. */
		(void)odf_strmap_put(s->missing, model, strlen(model), 1);
		return NULL;
	}
	return odf_schema_get(s, model);
}
