/* Field metadata from fields_get, indexed by name. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/fields.h"
#include "odf/strmap.h"

/* ---- field tables -------------------------------------------------- */

struct odf_fields {
	char *model;
	cJSON *json;            /* our copy of fields_get; the strings point into it */
	struct odf_field *v;    /* sorted by name */
	size_t n;
	struct odf_strmap *byname;
	struct odf_selection_item *items;   /* every selection list, end to end */
	struct odf_selection_index *selidx;     /* one per field, for long lists */
};

/* Long selection lists (tz, lang: hundreds of options) are hashed both ways. */
#define SELECTION_HASH_MIN 16

struct odf_selection_index {
	struct odf_strmap *bykey, *bylabel;
};

static const char *const type_names[] = {
	[ODF_FT_CHAR] = "char", [ODF_FT_TEXT] = "text", [ODF_FT_HTML] = "html",
	[ODF_FT_INTEGER] = "integer", [ODF_FT_FLOAT] = "float",
	[ODF_FT_MONETARY] = "monetary", [ODF_FT_BOOLEAN] = "boolean",
	[ODF_FT_DATE] = "date", [ODF_FT_DATETIME] = "datetime",
	[ODF_FT_SELECTION] = "selection", [ODF_FT_MANY2ONE] = "many2one",
	[ODF_FT_MANY2MANY] = "many2many", [ODF_FT_ONE2MANY] = "one2many",
	[ODF_FT_BINARY] = "binary", [ODF_FT_REFERENCE] = "reference",
	[ODF_FT_MANY2ONE_REFERENCE] = "many2one_reference", [ODF_FT_JSON] = "json",
	[ODF_FT_PROPERTIES] = "properties", [ODF_FT_OTHER] = "other",
};

enum odf_field_type
odf_field_type_from_name(const char *name)
{
	for (size_t i = 0; i < ODF_FT_OTHER; i++) {
		if (strcmp(type_names[i], name) == 0)
			return (enum odf_field_type)i;
	}
	return ODF_FT_OTHER;
}

const char *
odf_field_type_name(enum odf_field_type type)
{
	if ((size_t)type > ODF_FT_OTHER)
		return "other";
	return type_names[type];
}

int
odf_field_type_is_relational(enum odf_field_type type)
{
	return type == ODF_FT_MANY2ONE || type == ODF_FT_MANY2MANY ||
	    type == ODF_FT_ONE2MANY;
}

static int
by_key(const void *a, const void *b)
{
	return strcmp((*(cJSON *const *)a)->string, (*(cJSON *const *)b)->string);
}

static const char *
attr_string(const cJSON *attrs, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A boolean attribute; Odoo sends booleans, but be lenient with 0/1. */
static int
attr_bool(const cJSON *attrs, const char *key, int dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, key);

	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v);
	if (cJSON_IsNumber(v))
		return v->valuedouble != 0;
	return dflt;
}

/*
 * Make every selection key and label a string inside our copy (Odoo allows
 * integer keys), so that the items can point at them. Returns the number of
 * options, or -1 when the list is malformed.
 */
static long
normalize_selection(cJSON *list)
{
	long n = 0;
	cJSON *pair;

	cJSON_ArrayForEach(pair, list) {
		if (!cJSON_IsArray(pair) || cJSON_GetArraySize(pair) < 2)
			return -1;
		for (int k = 0; k < 2; k++) {
			cJSON *v = cJSON_GetArrayItem(pair, k), *s;
			char text[64];
			if (cJSON_IsString(v))
				continue;
			if (cJSON_IsNumber(v))
				snprintf(text, sizeof(text), "%.17g", v->valuedouble);
			else if (cJSON_IsFalse(v) || cJSON_IsNull(v))
				text[0] = '\0';
			else
				return -1;
			s = cJSON_CreateString(text);
			if (s == NULL || !cJSON_ReplaceItemInArray(pair, k, s))
				return -1;
		}
		n++;
	}
	return n;
}

static int
index_selection(struct odf_selection_index *idx, const struct odf_field *f)
{
	idx->bykey = odf_strmap_new();
	idx->bylabel = odf_strmap_new();
	if (idx->bykey == NULL || idx->bylabel == NULL)
		return -1;
	/* Backwards, so that the first of equal labels is the one kept. */
	for (size_t i = f->nselection; i-- > 0;) {
		const struct odf_selection_item *it = &f->selection[i];
		if (odf_strmap_put(idx->bykey, it->key, strlen(it->key), (long)i) < 0 ||
		    odf_strmap_put(idx->bylabel, it->label, strlen(it->label), (long)i) < 0)
			return -1;
	}
	return 0;
}

static int
fill_field(struct odf_field *f, cJSON *attrs, struct odf_error *err)
{
	const char *type = attr_string(attrs, "type");

	if (type == NULL)
		return odf_error_set(err, ODF_E_PROTOCOL,
		    "fields_get: field '%s': no type", f->name);
	f->type_name = type;
	f->type = odf_field_type_from_name(type);
	f->string = attr_string(attrs, "string");
	if (f->string == NULL)
		f->string = "";
	f->relation = attr_string(attrs, "relation");
	if (f->relation != NULL && f->relation[0] == '\0')
		f->relation = NULL;
	f->relation_field = attr_string(attrs, "relation_field");
	f->required = attr_bool(attrs, "required", 0);
	f->readonly = attr_bool(attrs, "readonly", 0);
	f->store = attr_bool(attrs, "store", 1);
	f->exportable = attr_bool(attrs, "exportable", 1);
	return 0;
}

/* Fill fs->v[i] from attrs; selection items go at fs->items + *nitems. */
static int
add_field(struct odf_fields *fs, size_t i, cJSON *attrs, size_t *nitems,
    struct odf_error *err)
{
	struct odf_field *f = &fs->v[i];
	cJSON *sel, *pair;

	f->name = attrs->string;
	if (!cJSON_IsObject(attrs))
		return odf_error_set(err, ODF_E_PROTOCOL,
		    "fields_get of %s: field '%s': not an object", fs->model, f->name);
	if (fill_field(f, attrs, err) < 0) {
		odf_error_prefix(err, "%s", fs->model);
		return -1;
	}
	if (odf_strmap_put(fs->byname, f->name, strlen(f->name), (long)i) < 0)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	sel = cJSON_GetObjectItemCaseSensitive(attrs, "selection");
	if (!cJSON_IsArray(sel))
		return 0;
	f->selection = &fs->items[*nitems];
	cJSON_ArrayForEach(pair, sel) {
		fs->items[*nitems].key = cJSON_GetArrayItem(pair, 0)->valuestring;
		fs->items[*nitems].label = cJSON_GetArrayItem(pair, 1)->valuestring;
		(*nitems)++;
		f->nselection++;
	}
	if (f->nselection >= SELECTION_HASH_MIN) {
		if (index_selection(&fs->selidx[i], f) < 0)
			return odf_error_set(err, ODF_E_NOMEM, "out of memory");
		f->selection_index = &fs->selidx[i];
	}
	return 0;
}

struct odf_fields *
odf_fields_new(const char *model, const cJSON *fields_get, struct odf_error *err)
{
	struct odf_fields *fs;
	cJSON **sorted = NULL, *attrs;
	size_t nitems = 0, at = 0;

	if (!cJSON_IsObject(fields_get)) {
		odf_error_set(err, ODF_E_PROTOCOL, "fields_get of %s: not an object", model);
		return NULL;
	}
	fs = calloc(1, sizeof(*fs));
	if (fs == NULL || (fs->model = strdup(model)) == NULL ||
	    (fs->json = cJSON_Duplicate(fields_get, 1)) == NULL ||
	    (fs->byname = odf_strmap_new()) == NULL)
		goto nomem;
	fs->n = (size_t)cJSON_GetArraySize(fs->json);
	fs->v = calloc(fs->n + 1, sizeof(*fs->v));
	fs->selidx = calloc(fs->n + 1, sizeof(*fs->selidx));
	sorted = malloc((fs->n + 1) * sizeof(*sorted));
	if (fs->v == NULL || fs->selidx == NULL || sorted == NULL)
		goto nomem;

	/* First pass: count the options, making their keys strings. */
	cJSON_ArrayForEach(attrs, fs->json) {
		cJSON *sel = cJSON_GetObjectItemCaseSensitive(attrs, "selection");
		sorted[at++] = attrs;
		if (cJSON_IsArray(sel)) {
			long n = normalize_selection(sel);
			if (n < 0) {
				odf_error_set(err, ODF_E_PROTOCOL,
				    "fields_get of %s: field '%s': bad selection list",
				    model, attrs->string);
				goto fail;
			}
			nitems += (size_t)n;
		}
	}
	qsort(sorted, fs->n, sizeof(*sorted), by_key);
	fs->items = calloc(nitems + 1, sizeof(*fs->items));
	if (fs->items == NULL)
		goto nomem;
	nitems = 0;
	for (size_t i = 0; i < fs->n; i++) {
		if (add_field(fs, i, sorted[i], &nitems, err) < 0)
			goto fail;
	}
	free(sorted);
	return fs;
nomem:
	odf_error_set(err, ODF_E_NOMEM, "fields_get of %s: out of memory", model);
fail:
	free(sorted);
	odf_fields_free(fs);
	return NULL;
}

void
odf_fields_free(struct odf_fields *fs)
{
	if (fs == NULL)
		return;
	for (size_t i = 0; fs->selidx != NULL && i < fs->n; i++) {
		odf_strmap_free(fs->selidx[i].bykey);
		odf_strmap_free(fs->selidx[i].bylabel);
	}
	free(fs->selidx);
	free(fs->items);
	odf_strmap_free(fs->byname);
	free(fs->v);
	cJSON_Delete(fs->json);
	free(fs->model);
	free(fs);
}

const char *
odf_fields_model(const struct odf_fields *fs)
{
	return fs->model;
}

size_t
odf_fields_count(const struct odf_fields *fs)
{
	return fs->n;
}

const struct odf_field *
odf_fields_at(const struct odf_fields *fs, size_t i)
{
	return i < fs->n ? &fs->v[i] : NULL;
}

const struct odf_field *
odf_fields_getn(const struct odf_fields *fs, const char *name, size_t len)
{
	long i = odf_strmap_get(fs->byname, name, len);

	return i < 0 ? NULL : &fs->v[i];
}

const struct odf_field *
odf_fields_get(const struct odf_fields *fs, const char *name)
{
	return odf_fields_getn(fs, name, strlen(name));
}

static long
selection_find(const struct odf_field *f, const char *value, int by_label)
{
	const struct odf_selection_index *idx = f->selection_index;

	if (idx != NULL)
		return odf_strmap_get(by_label ? idx->bylabel : idx->bykey, value, strlen(value));
	for (size_t i = 0; i < f->nselection; i++) {
		const char *s = by_label ? f->selection[i].label : f->selection[i].key;
		if (strcmp(s, value) == 0)
			return (long)i;
	}
	return -1;
}

const char *
odf_field_selection_key(const struct odf_field *f, const char *value)
{
	long i = selection_find(f, value, 1);

	if (i < 0)
		i = selection_find(f, value, 0);
	return i < 0 ? NULL : f->selection[i].key;
}

const char *
odf_field_selection_label(const struct odf_field *f, const char *key)
{
	long i = selection_find(f, key, 0);

	return i < 0 ? NULL : f->selection[i].label;
}

int
odf_field_is_default_export(const struct odf_field *f)
{
	static const char *const magic[] = {
		"id", "create_uid", "create_date", "write_uid", "write_date",
		"__last_update", "display_name",
		/* database ids ("17/18/"), computed from the parent by Odoo */
		"parent_path",
	};

	if (!f->store || !f->exportable || f->readonly || f->type == ODF_FT_ONE2MANY ||
	    f->type == ODF_FT_PROPERTIES || strcmp(f->type_name, "properties_definition") == 0)
		return 0;
	for (size_t i = 0; i < sizeof(magic) / sizeof(magic[0]); i++) {
		if (strcmp(f->name, magic[i]) == 0)
			return 0;
	}
	return 1;
}

size_t
odf_fields_default_export(const struct odf_fields *fs, const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < fs->n; i++) {
		if (!odf_field_is_default_export(&fs->v[i]))
			continue;
		if (n < max)
			out[n] = fs->v[i].name;
		n++;
	}
	return n;
}

/* ---- suggestions --------------------------------------------------- */

#define SUGGEST_MAX_LEN 64

/* Optimal string alignment distance, case ignored; -1 when too long. */
static int
edit_distance(const char *a, const char *b)
{
	int row0[SUGGEST_MAX_LEN + 1] = { 0 }, row1[SUGGEST_MAX_LEN + 1], row2[SUGGEST_MAX_LEN + 1];
	int *prev2 = row0, *prev = row1, *cur = row2;
	size_t la = strlen(a), lb = strlen(b);

	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
		return -1;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int ca = tolower((unsigned char)a[i - 1]);
		cur[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int cb = tolower((unsigned char)b[j - 1]);
			int d = prev[j - 1] + (ca != cb);
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;
			cur[j] = d;
		}
		int *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

size_t
odf_fields_suggest(const struct odf_fields *fs, const char *name,
    const char **out, size_t max)
{
	int best[16];
	size_t n = 0;
	int limit = 1 + (int)strlen(name) / 4;

	if (max > sizeof(best) / sizeof(best[0]))
		max = sizeof(best) / sizeof(best[0]);
	/* Insertion into a short sorted list; fields are in name order, so
	 * ties stay alphabetical. */
	for (size_t i = 0; i < fs->n && max > 0; i++) {
		int d = edit_distance(name, fs->v[i].name);
		size_t at;
		if (d < 0 || d > limit || strcmp(name, fs->v[i].name) == 0)
			continue;
		if (n == max && d >= best[n - 1])
			continue;
		at = n < max ? n++ : n - 1;
		while (at > 0 && best[at - 1] > d) {
			best[at] = best[at - 1];
			out[at] = out[at - 1];
			at--;
		}
		best[at] = d;
		out[at] = fs->v[i].name;
	}
	return n;
}

/* "no field 'nmae' in res.partner (did you mean 'name'?)" into out, lead
 * ("no field") first. */
void
odf_fields_describe_unknown(char *out, size_t size, const struct odf_fields *model,
    const char *lead, const char *seg, size_t len)
{
	char name[256];
	const char *near[3];
	size_t n, used;

	snprintf(name, sizeof(name), "%.*s", (int)len, seg);
	n = odf_fields_suggest(model, name, near, 3);
	used = (size_t)snprintf(out, size, "%s '%s' in %s", lead, name,
	    odf_fields_model(model));
	for (size_t i = 0; i < n && used < size; i++) {
		used += (size_t)snprintf(out + used, size - used, "%s'%s'%s",
		    i == 0 ? " (did you mean " : i + 1 == n ? " or " : ", ", near[i],
		    i + 1 == n ? "?)" : "");
	}
}
