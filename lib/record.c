/* Records: export_data rows → nested or flat records; records → load rows. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "odf/buf.h"
#include "odf/record.h"
#include "odf/strmap.h"

/* ---- small helpers shared by both directions ------------------------ */

/* Append n bytes and a NUL to a pool of strings; the offset of the copy,
 * or SIZE_MAX when out of memory. */
static size_t
pool_add(struct odf_buf *b, const char *s, size_t n)
{
	size_t off = b->len;

	if (odf_buf_add(b, s, n, NULL) < 0 || odf_buf_add(b, "", 1, NULL) < 0)
		return SIZE_MAX;
	return off;
}

/* Make room for n items of size in *v (capacity *cap). */
static int
grow(void *vp, size_t *cap, size_t n, size_t size)
{
	void **v = vp;
	size_t c;
	void *p;

	if (n <= *cap)
		return 0;
	c = *cap ? *cap : 16;
	while (c < n)
		c *= 2;
	p = realloc(*v, c * size);
	if (p == NULL)
		return -1;
	*v = p;
	*cap = c;
	return 0;
}

static int
is_ref(const char *seg, size_t len)
{
	return (len == 2 && memcmp(seg, "id", 2) == 0) ||
	    (len == 3 && memcmp(seg, ".id", 3) == 0);
}

/* The shortest text that reads back as d, as Python's float() and int() take it. */
static void
format_number(double d, char *out, size_t size)
{
	if (d == floor(d) && fabs(d) < 1e15) {
		snprintf(out, size, "%.0f", d);
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(out, size, "%.*g", prec, d);
		if (strtod(out, NULL) == d)
			return;
	}
}

static int
parse_double(const char *s, double *d)
{
	char *end;

	errno = 0;
	*d = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	return end != s && *end == '\0' && errno == 0 && isfinite(*d);
}

static int
parse_long(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	return end != s && *end == '\0' && errno == 0;
}

/* Odoo's spellings of a boolean in load: 1 for yes, -1 for no, 0 neither. */
static int
parse_boolean(const char *s)
{
	static const char *const yes[] = { "1", "true", "yes" };
	static const char *const no[] = { "0", "false", "no", "" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		if (strcasecmp(s, no[i]) == 0)
			return -1;
	}
	return 0;
}

/* The text of a scalar reference into num (or its own string); NULL if none. */
static const char *
ref_text(const cJSON *v, char *num, size_t size)
{
	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsNumber(v)) {
		format_number(v->valuedouble, num, size);
		return num;
	}
	return NULL;
}

/* ---- export: export_data rows → records ----------------------------- */

enum xkind {
	X_ROOT,         /* the record itself */
	X_VALUE,        /* a field's value */
	X_XMLID,        /* "id": external id */
	X_DBID,         /* ".id": database id */
	X_M2O,          /* one related record, cells on the same row */
	X_M2M,          /* a comma-joined cell of references */
	X_LINES         /* one2many lines: rows of their own */
};

struct xnode {
	char *key;              /* the segment: output key in nested records */
	char *flatkey;          /* the path from the enclosing record level */
	const struct odf_field *field;  /* NULL for id, .id and unknown models */
	enum xkind kind;
	int col;                /* X_VALUE, X_XMLID, X_DBID, X_M2M: the column */
	char *subkey;           /* X_M2M: "id", "name" or "display_name" */
	const struct odf_fields *model; /* of the records below */
	struct xnode **kids;
	size_t nkids, capkids;
	int *own;               /* levels: columns on a record's first row */
	size_t nown, capown;
	int *all;               /* every column below */
	size_t nall, capall;
};

struct odf_export {
	struct xnode *root;
	char **paths;           /* normalized, one per column */
	size_t npaths;
	unsigned flags;
	odf_fields_lookup_fn *lookup;
	void *lookup_arg;
	const cJSON **cells;    /* the rows set: nrows × npaths */
	size_t cells_cap, nrows, next_row;
	struct odf_buf join;        /* flat one2many references */
	size_t *starts;         /* line starts, a stack shared by the levels */
	size_t nstarts, capstarts;
};

static void
xnode_free(struct xnode *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		xnode_free(n->kids[i]);
	free(n->kids);
	free(n->own);
	free(n->all);
	free(n->key);
	free(n->flatkey);
	free(n->subkey);
	free(n);
}

void
odf_export_free(struct odf_export *ex)
{
	if (ex == NULL)
		return;
	xnode_free(ex->root);
	for (size_t i = 0; i < ex->npaths; i++)
		free(ex->paths[i]);
	free(ex->paths);
	free(ex->cells);
	odf_buf_release(&ex->join);
	free(ex->starts);
	free(ex);
}

static struct xnode *
xnode_new(const char *key, size_t len, enum xkind kind)
{
	struct xnode *n = calloc(1, sizeof(*n));

	if (n == NULL)
		return NULL;
	n->kind = kind;
	n->col = -1;
	n->key = strndup(key, len);
	if (n->key == NULL) {
		free(n);
		return NULL;
	}
	return n;
}

static struct xnode *
xnode_kid(const struct xnode *n, const char *key, size_t len)
{
	for (size_t i = 0; i < n->nkids; i++) {
		if (strlen(n->kids[i]->key) == len && memcmp(n->kids[i]->key, key, len) == 0)
			return n->kids[i];
	}
	return NULL;
}

static struct xnode *
xnode_add(struct xnode *n, const char *key, size_t len, enum xkind kind)
{
	struct xnode *kid;

	if (grow(&n->kids, &n->capkids, n->nkids + 1, sizeof(*n->kids)) < 0 ||
	    (kid = xnode_new(key, len, kind)) == NULL)
		return NULL;
	n->kids[n->nkids++] = kid;
	return kid;
}

static int
add_col(int **v, size_t *n, size_t *cap, int col)
{
	if (grow(v, cap, *n + 1, sizeof(**v)) < 0)
		return -1;
	(*v)[(*n)++] = col;
	return 0;
}

/* "no field 'nmae' in res.partner (did you mean 'name'?)" into out. */
static void
describe_unknown(char *out, size_t size, const struct odf_fields *model,
    const char *seg, size_t len)
{
	char name[128];
	const char *near[3];
	size_t n, used;

	snprintf(name, sizeof(name), "%.*s", (int)len, seg);
	n = odf_fields_suggest(model, name, near, 3);
	used = (size_t)snprintf(out, size, "no field '%s' in %s", name, odf_fields_model(model));
	for (size_t i = 0; i < n && used < size; i++) {
		used += (size_t)snprintf(out + used, size - used, "%s'%s'%s",
		    i == 0 ? " (did you mean " : i + 1 == n ? " or " : ", ", near[i],
		    i + 1 == n ? "?)" : "");
	}
}

static int
unknown_field(const struct odf_fields *model, const char *path, const char *seg,
    size_t len, struct odf_error *err)
{
	char what[512];

	describe_unknown(what, sizeof(what), model, seg, len);
	return odf_error_set(err, ODF_E_USAGE, "field '%s': %s", path, what);
}

/*
 * Check path against the models and give its normalized form (a bare
 * relational field gets "/id"): a new string, or NULL with err.
 */
static char *
normalize_path(const struct odf_export *ex, const char *path, struct odf_error *err)
{
	const struct odf_fields *model = ex->root->model;
	const char *seg = path;
	int bare_relational = 0;
	char *out;

	for (;;) {
		const char *slash = strchr(seg, '/');
		size_t len = slash ? (size_t)(slash - seg) : strlen(seg);
		const struct odf_field *f;

		if (len == 0) {
			odf_error_set(err, ODF_E_USAGE, "field '%s': empty field name", path);
			return NULL;
		}
		if (is_ref(seg, len)) {
			if (slash != NULL) {
				odf_error_set(err, ODF_E_USAGE,
				    "field '%s': '%.*s' must end the path", path, (int)len, seg);
				return NULL;
			}
			break;
		}
		f = model ? odf_fields_getn(model, seg, len) : NULL;
		if (model != NULL && f == NULL) {
			unknown_field(model, path, seg, len, err);
			return NULL;
		}
		if (slash == NULL) {
			bare_relational = f != NULL && odf_field_type_is_relational(f->type);
			break;
		}
		if (f != NULL && !odf_field_type_is_relational(f->type)) {
			odf_error_set(err, ODF_E_USAGE, "field '%s': %s is a %s field, not a relation",
			    path, f->name, f->type_name);
			return NULL;
		}
		model = f != NULL && f->relation != NULL && ex->lookup != NULL ?
		    ex->lookup(f->relation, ex->lookup_arg) : NULL;
		seg = slash + 1;
	}
	if (!bare_relational)
		out = strdup(path);
	else if ((out = malloc(strlen(path) + 4)) != NULL)
		snprintf(out, strlen(path) + 4, "%s/id", path);
	if (out == NULL)
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
	return out;
}

static enum xkind
relation_kind(const struct odf_field *f)
{
	if (f == NULL || f->type == ODF_FT_MANY2ONE)
		return X_M2O;
	return f->type == ODF_FT_MANY2MANY ? X_M2M : X_LINES;
}

/* Add the normalized path of column col to the tree. */
static int
compile_path(struct odf_export *ex, int col, struct odf_error *err)
{
	const char *path = ex->paths[col], *seg = path;
	const char *level_path = path;  /* where paths of the current level start */
	struct xnode *node = ex->root, *level = ex->root;
	struct xnode *stack[64];
	size_t depth = 0;

	for (;;) {
		const char *slash = strchr(seg, '/');
		size_t len = slash ? (size_t)(slash - seg) : strlen(seg);
		struct xnode *kid = xnode_kid(node, seg, len);
		const struct odf_field *f = NULL;
		enum xkind kind;

		if (depth == sizeof(stack) / sizeof(stack[0]))
			return odf_error_set(err, ODF_E_USAGE, "field '%s': path too deep", path);
		if (is_ref(seg, len))
			kind = len == 2 ? X_XMLID : X_DBID;
		else {
			f = node->model ? odf_fields_getn(node->model, seg, len) : NULL;
			kind = slash == NULL ? X_VALUE : relation_kind(f);
		}
		if (kid != NULL && (slash == NULL || kid->kind != kind))
			return odf_error_set(err, ODF_E_USAGE, "field '%s' asked twice", path);
		if (kid == NULL && (kid = xnode_add(node, seg, len, kind)) == NULL)
			goto nomem;
		kid->field = f;
		stack[depth++] = node;
		if (slash == NULL) {
			kid->col = col;
			if ((kid->flatkey = strdup(level_path)) == NULL)
				goto nomem;
			break;
		}
		if (kind == X_M2M) {
			const char *sub = slash + 1;
			if (strchr(sub, '/') != NULL || (strcmp(sub, "id") != 0 &&
			    strcmp(sub, "name") != 0 && strcmp(sub, "display_name") != 0))
				return odf_error_set(err, ODF_E_USAGE,
				    "field '%s': a many2many is exported as %.*s/id or %.*s/name",
				    path, (int)len, seg, (int)len, seg);
			if (kid->col >= 0)
				return odf_error_set(err, ODF_E_USAGE,
				    "field '%s': many2many %.*s can be exported once", path, (int)len, seg);
			if ((kid->subkey = strdup(sub)) == NULL ||
			    (kid->flatkey = strdup(level_path)) == NULL)
				goto nomem;
			kid->col = col;
			break;
		}
		if (kid->model == NULL && f != NULL && f->relation != NULL && ex->lookup != NULL)
			kid->model = ex->lookup(f->relation, ex->lookup_arg);
		if (kind == X_LINES) {
			if (kid->flatkey == NULL && (kid->flatkey =
			    strndup(level_path, (size_t)(slash - level_path))) == NULL)
				goto nomem;
			level = kid;
			level_path = slash + 1;
		}
		node = kid;
		seg = slash + 1;
	}
	/* The column counts for every node above it and is on the first row
	 * of its innermost level's records. */
	for (size_t i = 1; i < depth; i++) {
		if (add_col(&stack[i]->all, &stack[i]->nall, &stack[i]->capall, col) < 0)
			goto nomem;
	}
	if (add_col(&level->own, &level->nown, &level->capown, col) < 0)
		goto nomem;
	return 0;
nomem:
	return odf_error_set(err, ODF_E_NOMEM, "out of memory");
}

struct odf_export *
odf_export_new(const struct odf_fields *fields, odf_fields_lookup_fn *lookup,
    void *lookup_arg, const char *const *paths, size_t npaths, unsigned flags,
    struct odf_error *err)
{
	struct odf_export *ex = calloc(1, sizeof(*ex));

	if (ex == NULL || (ex->root = xnode_new("", 0, X_ROOT)) == NULL ||
	    (ex->paths = calloc(npaths + 1, sizeof(*ex->paths))) == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		odf_export_free(ex);
		return NULL;
	}
	ex->root->model = fields;
	ex->flags = flags;
	ex->lookup = lookup;
	ex->lookup_arg = lookup_arg;
	if (npaths == 0 || npaths > INT_MAX) {
		odf_error_set(err, ODF_E_USAGE, "no fields to export");
		odf_export_free(ex);
		return NULL;
	}
	for (size_t i = 0; i < npaths; i++) {
		if ((ex->paths[i] = normalize_path(ex, paths[i], err)) == NULL) {
			odf_export_free(ex);
			return NULL;
		}
		ex->npaths++;
	}
	for (size_t i = 0; i < npaths; i++) {
		if (compile_path(ex, (int)i, err) < 0) {
			odf_export_free(ex);
			return NULL;
		}
	}
	return ex;
}

size_t
odf_export_count(const struct odf_export *ex)
{
	return ex->npaths;
}

const char *
odf_export_path(const struct odf_export *ex, size_t i)
{
	return i < ex->npaths ? ex->paths[i] : NULL;
}

cJSON *
odf_export_paths_json(const struct odf_export *ex)
{
	return cJSON_CreateStringArray((const char *const *)ex->paths, (int)ex->npaths);
}

int
odf_export_set_rows(struct odf_export *ex, const cJSON *datas, struct odf_error *err)
{
	const cJSON *row;
	size_t r = 0;

	if (cJSON_IsObject(datas))
		datas = cJSON_GetObjectItemCaseSensitive(datas, "datas");
	ex->nrows = ex->next_row = 0;
	if (!cJSON_IsArray(datas))
		return odf_error_set(err, ODF_E_PROTOCOL, "export_data: no datas array");
	if (grow(&ex->cells, &ex->cells_cap,
	    (size_t)cJSON_GetArraySize(datas) * ex->npaths, sizeof(*ex->cells)) < 0)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	cJSON_ArrayForEach(row, datas) {
		const cJSON *cell;
		size_t c = 0;
		if (!cJSON_IsArray(row))
			return odf_error_set(err, ODF_E_PROTOCOL,
			    "export_data: row %zu is not a list", r + 1);
		cJSON_ArrayForEach(cell, row) {
			if (c < ex->npaths)
				ex->cells[r * ex->npaths + c] = cell;
			c++;
		}
		if (c != ex->npaths)
			return odf_error_set(err, ODF_E_PROTOCOL,
			    "export_data: row %zu has %zu cells, want %zu", r + 1, c, ex->npaths);
		r++;
	}
	ex->nrows = r;
	return 0;
}

static const cJSON *
cell_at(const struct odf_export *ex, size_t row, int col)
{
	return ex->cells[row * ex->npaths + (size_t)col];
}

/* Empty as export_data writes it: "" (false is a boolean's value). */
static int
cell_empty(const cJSON *c)
{
	int type = c != NULL ? c->type & 0xff : cJSON_NULL;

	return type == cJSON_NULL || (type == cJSON_String && c->valuestring[0] == '\0');
}

static int
any_filled(const struct odf_export *ex, size_t row, const int *cols, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!cell_empty(cell_at(ex, row, cols[i])))
			return 1;
	}
	return 0;
}

static int
bad_cell(const struct odf_export *ex, size_t row, int col, const char *what,
    struct odf_error *err)
{
	char *text = cJSON_PrintUnformatted(cell_at(ex, row, col));

	odf_error_set(err, ODF_E_PROTOCOL, "export_data: row %zu: field '%s': %s is not %s",
	    row + 1, ex->paths[col], text ? text : "the value", what);
	free(text);
	return -1;
}

static cJSON *
number_cell(const struct odf_export *ex, size_t row, int col, int integer,
    struct odf_error *err)
{
	const cJSON *c = cell_at(ex, row, col);
	double d;

	if (cJSON_IsNumber(c))
		d = c->valuedouble;
	else if (!cJSON_IsString(c) || !parse_double(c->valuestring, &d) ||
	    (integer && d != floor(d))) {
		bad_cell(ex, row, col, integer ? "an integer" : "a number", err);
		return NULL;
	}
	return cJSON_CreateNumber(d);
}

static cJSON *
boolean_cell(const struct odf_export *ex, size_t row, int col, struct odf_error *err)
{
	const cJSON *c = cell_at(ex, row, col);
	int b;

	if (cJSON_IsBool(c))
		return cJSON_CreateBool(cJSON_IsTrue(c));
	if (cJSON_IsNumber(c))
		return cJSON_CreateBool(c->valuedouble != 0);
	if (cJSON_IsString(c) && (b = parse_boolean(c->valuestring)) != 0)
		return cJSON_CreateBool(b > 0);
	bad_cell(ex, row, col, "a boolean", err);
	return NULL;
}

/* The JSON value of the cell of leaf n on row. */
static cJSON *
convert_cell(const struct odf_export *ex, const struct xnode *n, size_t row,
    struct odf_error *err)
{
	const cJSON *c = cell_at(ex, row, n->col);
	enum odf_field_type type = n->field ? n->field->type : ODF_FT_OTHER;
	const char *key;

	if (cell_empty(c))
		return cJSON_CreateNull();
	if (n->kind == X_DBID)
		return number_cell(ex, row, n->col, 1, err);
	if (n->kind == X_XMLID || n->field == NULL)
		return cJSON_Duplicate(c, 1);
	if (type == ODF_FT_BOOLEAN)
		return boolean_cell(ex, row, n->col, err);
	/* A false of any other type is Odoo's empty value. */
	if (cJSON_IsFalse(c))
		return cJSON_CreateNull();
	switch (type) {
	case ODF_FT_INTEGER:
	case ODF_FT_MANY2ONE_REFERENCE:
		return number_cell(ex, row, n->col, 1, err);
	case ODF_FT_FLOAT:
	case ODF_FT_MONETARY:
		return number_cell(ex, row, n->col, 0, err);
	case ODF_FT_SELECTION:
		if (cJSON_IsString(c) &&
		    (key = odf_field_selection_key(n->field, c->valuestring)) != NULL)
			return cJSON_CreateString(key);
		return cJSON_Duplicate(c, 1);
	default:
		return cJSON_Duplicate(c, 1);
	}
}

static int build_into(struct odf_export *ex, const struct xnode *n, cJSON *obj,
    size_t a, size_t b, struct odf_error *err);

static cJSON *
build_object(struct odf_export *ex, const struct xnode *n, size_t a, size_t b,
    struct odf_error *err)
{
	cJSON *obj = cJSON_CreateObject();

	if (obj == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	if (build_into(ex, n, obj, a, b, err) < 0) {
		cJSON_Delete(obj);
		return NULL;
	}
	return obj;
}

/* "a,b" → [{"id": "a"}, {"id": "b"}]. */
static cJSON *
split_references(const struct xnode *n, const cJSON *c)
{
	cJSON *list = cJSON_CreateArray();
	const char *s;

	if (list == NULL || cell_empty(c) || !cJSON_IsString(c))
		return list;
	s = c->valuestring;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		cJSON *item = cJSON_CreateObject(), *v = NULL;
		char *part = strndup(s, len);
		if (part != NULL)
			v = cJSON_CreateString(part);
		free(part);
		if (item == NULL || v == NULL || !cJSON_AddItemToArray(list, item) ||
		    !cJSON_AddItemToObject(item, n->subkey, v)) {
			cJSON_Delete(v);
			cJSON_Delete(list);
			return NULL;
		}
		if (comma == NULL)
			break;
		s = comma + 1;
	}
	return list;
}

/*
 * The lines of level n among rows [a, b): a line starts on each row with a
 * main cell of its own; rows with none, but with cells of lines below,
 * continue it. Pushes the starts on ex->starts, returning how many.
 */
static long
line_starts(struct odf_export *ex, const struct xnode *n, size_t a, size_t b)
{
	size_t count = 0;

	for (size_t r = a; r < b; r++) {
		if (!any_filled(ex, r, n->own, n->nown) &&
		    (count > 0 || !any_filled(ex, r, n->all, n->nall)))
			continue;
		if (grow(&ex->starts, &ex->capstarts, ex->nstarts + 1, sizeof(*ex->starts)) < 0)
			return -1;
		ex->starts[ex->nstarts++] = r;
		count++;
	}
	return (long)count;
}

/* Flat: a one2many asked only as f/id or f/.id is one comma-joined cell. */
static int
lines_as_references(const struct xnode *n)
{
	return n->nkids == 1 && (n->kids[0]->kind == X_XMLID || n->kids[0]->kind == X_DBID);
}

static cJSON *
build_lines(struct odf_export *ex, const struct xnode *n, size_t a, size_t b,
    struct odf_error *err)
{
	size_t base = ex->nstarts;
	long count = line_starts(ex, n, a, b);
	int joined = (ex->flags & ODF_EXPORT_FLAT) && lines_as_references(n);
	cJSON *list = NULL;

	if (count < 0)
		goto nomem;
	if (joined) {
		odf_buf_reset(&ex->join);
		for (long i = 0; i < count; i++) {
			const cJSON *c = cell_at(ex, ex->starts[base + (size_t)i], n->kids[0]->col);
			char num[64];
			const char *s = ref_text(c, num, sizeof(num));
			if (s == NULL || s[0] == '\0')
				continue;
			if ((ex->join.len > 0 && odf_buf_add(&ex->join, ",", 1, NULL) < 0) ||
			    odf_buf_add(&ex->join, s, strlen(s), NULL) < 0)
				goto nomem;
		}
		ex->nstarts = base;
		if (ex->join.len == 0)
			return cJSON_CreateNull();
		return cJSON_CreateString(ex->join.data);
	}
	if ((list = cJSON_CreateArray()) == NULL)
		goto nomem;
	for (long i = 0; i < count; i++) {
		size_t from = ex->starts[base + (size_t)i];
		size_t to = i + 1 < count ? ex->starts[base + (size_t)i + 1] : b;
		cJSON *line = build_object(ex, n, from, to, err);
		if (line == NULL)
			goto fail;
		if (!cJSON_AddItemToArray(list, line)) {
			cJSON_Delete(line);
			goto nomem;
		}
	}
	ex->nstarts = base;
	return list;
nomem:
	odf_error_set(err, ODF_E_NOMEM, "out of memory");
fail:
	ex->nstarts = base;
	cJSON_Delete(list);
	return NULL;
}

/* A NULL from a constructor: out of memory unless a cause was given. */
static int
nomem_unless_set(struct odf_error *err)
{
	if (err->code == ODF_OK)
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
	return -1;
}

/* Add the values of n's children for rows [a, b) to obj. */
static int
build_into(struct odf_export *ex, const struct xnode *n, cJSON *obj, size_t a,
    size_t b, struct odf_error *err)
{
	int flat = ex->flags & ODF_EXPORT_FLAT;

	for (size_t i = 0; i < n->nkids; i++) {
		const struct xnode *kid = n->kids[i];
		const char *key = flat ? kid->flatkey : kid->key;
		char joinkey[512];
		const cJSON *c;
		cJSON *v;

		switch (kid->kind) {
		case X_M2O:
			if (flat) {
				if (build_into(ex, kid, obj, a, b, err) < 0)
					return -1;
				continue;
			}
			if (!any_filled(ex, a, kid->all, kid->nall))
				v = cJSON_CreateNull();
			else
				v = build_object(ex, kid, a, b, err);
			break;
		case X_M2M:
			c = cell_at(ex, a, kid->col);
			if (flat)
				v = cell_empty(c) ? cJSON_CreateNull() : cJSON_Duplicate(c, 1);
			else
				v = split_references(kid, c);
			break;
		case X_LINES:
			v = build_lines(ex, kid, a, b, err);
			if (flat && lines_as_references(kid)) {
				snprintf(joinkey, sizeof(joinkey), "%s/%s", kid->flatkey,
				    kid->kids[0]->key);
				key = joinkey;
			}
			break;
		default:
			v = convert_cell(ex, kid, a, err);
			break;
		}
		if (v == NULL)
			return nomem_unless_set(err);
		if (!cJSON_AddItemToObject(obj, key, v)) {
			cJSON_Delete(v);
			return nomem_unless_set(err);
		}
	}
	return 0;
}

int
odf_export_next(struct odf_export *ex, cJSON **record, struct odf_error *err)
{
	size_t a = ex->next_row, b = a + 1;
	struct odf_error local;

	if (err == NULL)
		err = &local;
	*record = NULL;
	if (a >= ex->nrows)
		return 0;
	while (b < ex->nrows && ex->root->nown > 0 &&
	    !any_filled(ex, b, ex->root->own, ex->root->nown))
		b++;
	ex->next_row = b;
	ex->nstarts = 0;
	odf_error_clear(err);
	*record = build_object(ex, ex->root, a, b, err);
	return *record == NULL ? nomem_unless_set(err) : 1;
}

/* ---- import: records → load rows ------------------------------------ */

enum { CELL_WEAK = 1, CELL_DROP = 2 };

/* One cell of a flattened record. */
struct fcell {
	size_t path, value;     /* offsets in flat.text */
	unsigned row;           /* from the record's first row */
	unsigned flags;         /* CELL_WEAK: an empty value, column not forced */
};

/* A record being flattened; reused from record to record. */
struct flat {
	struct odf_buf text;
	struct fcell *cells;
	size_t n, cap;
	struct odf_buf path;        /* the path of the value being walked */
	struct odf_buf join;        /* references being joined */
	odf_fields_lookup_fn *lookup;
	void *lookup_arg;
};

/* What a key leads to. */
struct keywalk {
	const struct odf_field *field;  /* of the last segment; NULL: id, .id, unknown */
	const struct odf_fields *model; /* of the records it relates to, if known */
	int ref;                        /* the last segment is id or .id */
	int o2m;                        /* the first is a one2many: its cells are lines' */
};

static void
flat_free(struct flat *fl)
{
	odf_buf_release(&fl->text);
	free(fl->cells);
	odf_buf_release(&fl->path);
	odf_buf_release(&fl->join);
}

static int
flat_nomem(struct odf_error *err)
{
	return odf_error_set(err, ODF_E_NOMEM, "out of memory");
}

/* A cell at the current path followed by suffix. */
static int
add_cell(struct flat *fl, const char *suffix, const char *value, unsigned row,
    unsigned flags, struct odf_error *err)
{
	struct fcell *c;
	size_t path = fl->text.len;

	if (odf_buf_add(&fl->text, fl->path.data, fl->path.len, NULL) < 0 ||
	    odf_buf_add(&fl->text, suffix, strlen(suffix) + 1, NULL) < 0)  /* and its NUL */
		return flat_nomem(err);
	if (grow(&fl->cells, &fl->cap, fl->n + 1, sizeof(*fl->cells)) < 0)
		return flat_nomem(err);
	c = &fl->cells[fl->n];
	c->path = path;
	c->row = row;
	c->flags = flags;
	c->value = 0;
	if (!(flags & CELL_WEAK) &&
	    (c->value = pool_add(&fl->text, value, strlen(value))) == SIZE_MAX)
		return flat_nomem(err);
	fl->n++;
	return 0;
}

static int data_error(const struct flat *fl, struct odf_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* in into out with control characters as \xNN: messages quote the keys
 * and values of records, and must stay one line. */
static void
escape_controls(const char *in, char *out, size_t size)
{
	size_t o = 0;

	for (const unsigned char *c = (const unsigned char *)in; *c != '\0' && o + 5 < size; c++) {
		if (*c < 0x20 || *c == 0x7f)
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", *c);
		else
			out[o++] = (char)*c;
	}
	out[o] = '\0';
}

/* ODF_E_DATA with a message about a record's content. */
static int data_fail(struct odf_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
data_fail(struct odf_error *err, const char *fmt, ...)
{
	char text[sizeof(err->message)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	odf_error_set(err, ODF_E_DATA, "%s", "");
	if (err != NULL)
		escape_controls(text, err->message, sizeof(err->message));
	return -1;
}

/* "field 'path': what", for the value at the current path. */
static int
data_error(const struct flat *fl, struct odf_error *err, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return data_fail(err, "field '%s': %s", fl->path.data, what);
}

/*
 * Append the segments of key to the path, resolving them from model.
 * Segments are separated by '/' or '.' (jq-friendly "parent_id.id"),
 * except that ".id" is one segment.
 */
static int
walk_key(struct flat *fl, const char *key, const struct odf_fields *model,
    struct keywalk *kw, struct odf_error *err)
{
	const char *p = key;

	memset(kw, 0, sizeof(*kw));
	kw->model = model;
	for (int first = 1; ; first = 0) {
		size_t len = strncmp(p, ".id", 3) == 0 && (p[3] == '\0' || p[3] == '/' || p[3] == '.') ?
		    3 : strcspn(p, "./");
		const struct odf_field *f;

		if (len == 0)
			return data_fail(err, "key '%s': empty field name", key);
		if (kw->ref)
			return data_fail(err,
			    "key '%s': 'id' and '.id' must end the path", key);
		if ((fl->path.len > 0 && odf_buf_add(&fl->path, "/", 1, NULL) < 0) ||
		    odf_buf_add(&fl->path, p, len, NULL) < 0)
			return flat_nomem(err);
		if (is_ref(p, len)) {
			kw->ref = 1;
			kw->field = NULL;
		} else {
			f = kw->model ? odf_fields_getn(kw->model, p, len) : NULL;
			kw->field = f;
			if (first && f != NULL && f->type == ODF_FT_ONE2MANY)
				kw->o2m = 1;
			kw->model = f != NULL && odf_field_type_is_relational(f->type) &&
			    f->relation != NULL && fl->lookup != NULL ?
			    fl->lookup(f->relation, fl->lookup_arg) : NULL;
		}
		p += len;
		if (*p == '\0')
			return 0;
		p++;                    /* the separator */
		if (*p == '\0')
			return data_fail(err, "key '%s': empty field name", key);
	}
}

/* What a relation's empty value is written under when the batch has nothing else. */
static const char *
weak_suffix(const struct keywalk *kw, int is_list_or_object)
{
	if (kw->ref)
		return "";
	if (kw->field != NULL ? odf_field_type_is_relational(kw->field->type) : is_list_or_object)
		return "/id";
	return "";
}

/* The reference of a related-record object: its value, with *suffix set. */
static const cJSON *
pick_ref(const cJSON *obj, const char **suffix)
{
	static const struct { const char *key, *suffix; } refs[] = {
		{ "id", "/id" }, { ".id", "/.id" }, { "name", "" }, { "display_name", "" },
	};

	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, refs[i].key);
		if (v != NULL) {
			*suffix = refs[i].suffix;
			return v;
		}
	}
	return NULL;
}

static int flatten_object(struct flat *fl, const cJSON *obj, const struct odf_fields *model,
    unsigned row, unsigned *rows, int *own, int *lines, struct odf_error *err);

static void
mark(const struct keywalk *kw, const char *value, int *own, int *lines)
{
	if (value[0] == '\0')
		return;
	if (kw->o2m)
		*lines = 1;
	else
		*own = 1;
}

static int
flatten_reference(struct flat *fl, const cJSON *obj, const struct keywalk *kw,
    unsigned row, int *own, int *lines, struct odf_error *err)
{
	const char *suffix, *text;
	const cJSON *ref;
	char num[64];

	if (kw->field != NULL && kw->field->type == ODF_FT_ONE2MANY)
		return data_error(fl, err, "a one2many takes a list of lines");
	if (obj->child == NULL)
		return add_cell(fl, weak_suffix(kw, 1), "", row, CELL_WEAK, err);
	if ((ref = pick_ref(obj, &suffix)) == NULL)
		return data_error(fl, err, "a related record needs \"id\", \".id\" or \"name\"");
	if (cJSON_IsNull(ref) || cJSON_IsFalse(ref))
		return add_cell(fl, suffix, "", row, CELL_WEAK, err);
	if ((text = ref_text(ref, num, sizeof(num))) == NULL)
		return data_error(fl, err, "the reference must be text");
	mark(kw, text, own, lines);
	return add_cell(fl, suffix, text, row, 0, err);
}

/* Whether every item is an object of one key, the same "id" or ".id". */
static int
single_references(const cJSON *list)
{
	const cJSON *item;
	const char *key = NULL;

	cJSON_ArrayForEach(item, list) {
		const cJSON *only = item->child;
		if (only == NULL || only->next != NULL ||
		    (strcmp(only->string, "id") != 0 && strcmp(only->string, ".id") != 0))
			return 0;
		if (key != NULL && strcmp(key, only->string) != 0)
			return 0;
		key = only->string;
	}
	return 1;
}

/* [{"id": "a"}, {"id": "b"}] → one cell "a,b" under f/id. */
static int
join_references(struct flat *fl, const cJSON *list, const struct keywalk *kw,
    unsigned row, int *own, int *lines, struct odf_error *err)
{
	const char *first_suffix = NULL;
	const cJSON *item;
	int i = 0;

	odf_buf_reset(&fl->join);
	if (odf_buf_grow(&fl->join, 0, NULL) < 0)
		return flat_nomem(err);
	cJSON_ArrayForEach(item, list) {
		const char *suffix, *text;
		const cJSON *ref = pick_ref(item, &suffix);
		char num[64], nth[32];
		snprintf(nth, sizeof(nth), "%d", ++i);
		if (ref == NULL)
			return data_error(fl, err, "item %s has no \"id\", \".id\" or \"name\"", nth);
		if (first_suffix != NULL && strcmp(first_suffix, suffix) != 0)
			return data_error(fl, err, "item %s is referenced unlike the first "
			    "(all by id, all by .id or all by name)", nth);
		first_suffix = suffix;
		text = ref_text(ref, num, sizeof(num));
		if (text == NULL || text[0] == '\0')
			return data_error(fl, err, "item %s has an empty reference", nth);
		if (strchr(text, ',') != NULL)
			return data_error(fl, err, "reference '%s' has a comma, which load reads as "
			    "a separator", text);
		if ((i > 1 && odf_buf_add(&fl->join, ",", 1, NULL) < 0) ||
		    odf_buf_add(&fl->join, text, strlen(text), NULL) < 0)
			return flat_nomem(err);
	}
	mark(kw, fl->join.data, own, lines);
	return add_cell(fl, first_suffix, fl->join.data, row, 0, err);
}

static int
flatten_list(struct flat *fl, const cJSON *list, const struct keywalk *kw,
    unsigned row, unsigned *rows, int *own, int *lines, struct odf_error *err)
{
	const struct odf_field *f = kw->field;
	size_t base = fl->path.len;
	const cJSON *item;
	unsigned total = 0;
	int i = 0;

	if (f != NULL && f->type == ODF_FT_MANY2ONE)
		return data_error(fl, err, "a many2one takes one record, not a list");
	if (list->child == NULL)
		return add_cell(fl, weak_suffix(kw, 1), "", row, CELL_WEAK, err);
	cJSON_ArrayForEach(item, list) {
		if (!cJSON_IsObject(item))
			return data_error(fl, err, "list items must be objects such as "
			    "{\"id\": ...}");
	}
	if ((f != NULL && f->type == ODF_FT_MANY2MANY) || single_references(list))
		return join_references(fl, list, kw, row, own, lines, err);

	/* Lines: each takes rows from the record's first on, one after the other. */
	cJSON_ArrayForEach(item, list) {
		unsigned used;
		int line_own, line_lines;
		char nth[32];
		snprintf(nth, sizeof(nth), "%d", ++i);
		if (flatten_object(fl, item, kw->model, row + total, &used, &line_own,
		    &line_lines, err) < 0)
			return -1;
		odf_buf_truncate(&fl->path, base);
		if (!line_own)
			return data_error(fl, err, "line %s has no value of its own (load would "
			    "drop or merge it)", nth);
		total += used;
	}
	*rows = total;
	*lines = 1;
	return 0;
}

/* A json or properties field's object or list goes as its JSON text. */
static int
json_cell(struct flat *fl, const cJSON *v, const struct keywalk *kw, unsigned row,
    int *own, int *lines, struct odf_error *err)
{
	char *text = cJSON_PrintUnformatted(v);
	int rc;

	if (text == NULL)
		return flat_nomem(err);
	mark(kw, text, own, lines);
	rc = add_cell(fl, "", text, row, 0, err);
	free(text);
	return rc;
}

static int
flatten_value(struct flat *fl, const cJSON *v, const struct keywalk *kw,
    unsigned row, unsigned *rows, int *own, int *lines, struct odf_error *err)
{
	const struct odf_field *f = kw->field;
	char num[64];

	*rows = 1;
	if (cJSON_IsString(v)) {
		mark(kw, v->valuestring, own, lines);
		return add_cell(fl, "", v->valuestring, row, 0, err);
	}
	if (cJSON_IsNumber(v)) {
		format_number(v->valuedouble, num, sizeof(num));
		mark(kw, num, own, lines);
		return add_cell(fl, "", num, row, 0, err);
	}
	if (cJSON_IsNull(v))
		return add_cell(fl, weak_suffix(kw, 0), "", row, CELL_WEAK, err);
	if (cJSON_IsBool(v)) {
		/* Only a boolean field takes true; elsewhere false is Odoo's empty. */
		if (kw->ref || (f != NULL && f->type != ODF_FT_BOOLEAN)) {
			if (cJSON_IsTrue(v))
				return data_error(fl, err, "true is not a %s value",
				    f != NULL ? f->type_name : "reference");
			return add_cell(fl, weak_suffix(kw, 0), "", row, CELL_WEAK, err);
		}
		mark(kw, "1", own, lines);
		return add_cell(fl, "", cJSON_IsTrue(v) ? "1" : "0", row, 0, err);
	}
	if (kw->ref)
		return data_error(fl, err, "a reference must be text or a number");
	if (f != NULL && (f->type == ODF_FT_JSON || f->type == ODF_FT_PROPERTIES))
		return json_cell(fl, v, kw, row, own, lines, err);
	if (f != NULL && !odf_field_type_is_relational(f->type))
		return data_error(fl, err, "a %s field takes no list or object", f->type_name);
	if (cJSON_IsObject(v))
		return flatten_reference(fl, v, kw, row, own, lines, err);
	if (cJSON_IsArray(v))
		return flatten_list(fl, v, kw, row, rows, own, lines, err);
	return data_error(fl, err, "value of unknown JSON type");
}

static int
flatten_object(struct flat *fl, const cJSON *obj, const struct odf_fields *model,
    unsigned row, unsigned *rows, int *own, int *lines, struct odf_error *err)
{
	size_t base = fl->path.len;
	const cJSON *item;

	*rows = 1;
	*own = *lines = 0;
	cJSON_ArrayForEach(item, obj) {
		struct keywalk kw;
		unsigned used;
		if (strncmp(item->string, "_odf", 4) == 0)
			continue;
		if (walk_key(fl, item->string, model, &kw, err) < 0 ||
		    flatten_value(fl, item, &kw, row, &used, own, lines, err) < 0)
			return -1;
		if (used > *rows)
			*rows = used;
		odf_buf_truncate(&fl->path, base);
	}
	return 0;
}

static int
flatten_record(struct flat *fl, const cJSON *record, const struct odf_fields *model,
    unsigned *rows, struct odf_error *err)
{
	int own, lines;

	odf_buf_reset(&fl->text);
	odf_buf_reset(&fl->path);
	fl->n = 0;
	if (odf_buf_grow(&fl->path, 0, NULL) < 0)
		return flat_nomem(err);
	if (!cJSON_IsObject(record))
		return data_fail(err, "record is not a JSON object");
	if (flatten_object(fl, record, model, 0, rows, &own, &lines, err) < 0)
		return -1;
	/* load would take its first row as more lines of the record before. */
	if (!own && lines)
		return data_fail(err, "record has only one2many lines: "
		    "it needs a value of its own, such as its id");
	return 0;
}

/* ---- the load batch ------------------------------------------------- */

struct bcol {
	size_t name;            /* offset in names */
	long group;
};

/*
 * A group is the columns that name one relation: f, f/id and f/.id. load
 * takes one of them per batch; empty values go in whichever is used.
 */
struct bgroup {
	size_t name;
	long col;               /* the column the batch's records use, or -1 */
	long stamp, stamp_col;  /* the last record that used it, and how */
	int used;               /* in the build under way */
};

struct bcell {
	long col;
	unsigned row;
	unsigned flags;
	size_t value;           /* offset in values */
};

struct brec {
	size_t first, n;        /* its cells */
	unsigned rows;
	long tag;
	int excluded;
	long from, to;          /* its rows in the last build, or -1 */
};

struct sortcell {
	long col;
	unsigned row;
	size_t i;
};

struct odf_load_batch {
	const struct odf_fields *fields;
	struct flat fl;
	struct odf_buf names, values;
	struct odf_strmap *colmap, *groupmap;
	struct bcol *cols;
	size_t ncols, capcols;
	struct bgroup *groups;
	size_t ngroups, capgroups;
	struct bcell *cells;
	size_t ncells, capcells;
	struct brec *recs;
	size_t nrecs, caprecs;
	long serial;
	/* scratch */
	long *cellcol;
	size_t capcellcol;
	struct sortcell *sort;
	size_t capsort;
	long *pos, *order;
	size_t cappos, caporder;
	const char **grid;
	size_t capgrid;
	long *sent, *sent_row;
	size_t nsent, capsent, capsentrow;
};

struct odf_load_batch *
odf_load_batch_new(const struct odf_fields *fields, odf_fields_lookup_fn *lookup,
    void *lookup_arg)
{
	struct odf_load_batch *b = calloc(1, sizeof(*b));

	if (b == NULL)
		return NULL;
	b->fields = fields;
	b->fl.lookup = lookup;
	b->fl.lookup_arg = lookup_arg;
	b->colmap = odf_strmap_new();
	b->groupmap = odf_strmap_new();
	if (b->colmap == NULL || b->groupmap == NULL) {
		odf_load_batch_free(b);
		return NULL;
	}
	return b;
}

void
odf_load_batch_free(struct odf_load_batch *b)
{
	if (b == NULL)
		return;
	flat_free(&b->fl);
	odf_buf_release(&b->names);
	odf_buf_release(&b->values);
	odf_strmap_free(b->colmap);
	odf_strmap_free(b->groupmap);
	free(b->cols);
	free(b->groups);
	free(b->cells);
	free(b->recs);
	free(b->cellcol);
	free(b->sort);
	free(b->pos);
	free(b->order);
	free(b->grid);
	free(b->sent);
	free(b->sent_row);
	free(b);
}

void
odf_load_batch_clear(struct odf_load_batch *b)
{
	odf_buf_reset(&b->names);
	odf_buf_reset(&b->values);
	odf_strmap_clear(b->colmap);
	odf_strmap_clear(b->groupmap);
	b->ncols = b->ngroups = b->ncells = b->nrecs = b->nsent = 0;
}

/* f/id and f/.id belong to f's group; anything else is its own. */
static size_t
group_len(const char *path)
{
	size_t len = strlen(path);

	if (len > 3 && strcmp(path + len - 3, "/id") == 0)
		return len - 3;
	if (len > 4 && strcmp(path + len - 4, "/.id") == 0)
		return len - 4;
	return len;
}

/* The column of path, added when new; -1 when out of memory. */
static long
intern_column(struct odf_load_batch *b, const char *path)
{
	size_t len = strlen(path), glen = group_len(path);
	long col = odf_strmap_get(b->colmap, path, len), g;

	if (col >= 0)
		return col;
	g = odf_strmap_get(b->groupmap, path, glen);
	if (g < 0) {
		struct bgroup *G;
		if (grow(&b->groups, &b->capgroups, b->ngroups + 1, sizeof(*b->groups)) < 0)
			return -1;
		G = &b->groups[b->ngroups];
		G->name = pool_add(&b->names, path, glen);
		if (G->name == SIZE_MAX ||
		    odf_strmap_put(b->groupmap, path, glen, (long)b->ngroups) < 0)
			return -1;
		G->col = G->stamp_col = -1;
		G->stamp = 0;
		g = (long)b->ngroups++;
	}
	if (grow(&b->cols, &b->capcols, b->ncols + 1, sizeof(*b->cols)) < 0)
		return -1;
	b->cols[b->ncols].group = g;
	if ((b->cols[b->ncols].name = pool_add(&b->names, path, len)) == SIZE_MAX ||
	    odf_strmap_put(b->colmap, path, len, (long)b->ncols) < 0)
		return -1;
	return (long)b->ncols++;
}

static const char *
col_name(const struct odf_load_batch *b, long col)
{
	return b->names.data + b->cols[col].name;
}

static int
by_row_col(const void *pa, const void *pb)
{
	const struct sortcell *x = pa, *y = pb;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Drop repeated cells of the flattened record (a key given flat and nested). */
static int
drop_repeats(struct odf_load_batch *b, struct odf_error *err)
{
	struct flat *fl = &b->fl;

	for (size_t i = 0; i < fl->n; i++) {
		b->sort[i].col = b->cellcol[i];
		b->sort[i].row = fl->cells[i].row;
		b->sort[i].i = i;
	}
	if (fl->n > 1)  /* b->sort is NULL while no record had cells */
		qsort(b->sort, fl->n, sizeof(*b->sort), by_row_col);
	for (size_t k = 1; k < fl->n; k++) {
		struct fcell *x = &fl->cells[b->sort[k - 1].i], *y = &fl->cells[b->sort[k].i];
		if (b->sort[k - 1].row != b->sort[k].row || b->sort[k - 1].col != b->sort[k].col)
			continue;
		if (x->flags & CELL_WEAK)
			x->flags |= CELL_DROP;
		else if ((y->flags & CELL_WEAK) ||
		    strcmp(fl->text.data + x->value, fl->text.data + y->value) == 0)
			y->flags |= CELL_DROP;
		else
			return data_fail(err,
			    "field '%s': given twice, as '%s' and '%s'",
			    col_name(b, b->sort[k].col), fl->text.data + x->value,
			    fl->text.data + y->value);
	}
	return 0;
}

int
odf_load_batch_add(struct odf_load_batch *b, const cJSON *record, long tag,
    struct odf_error *err)
{
	struct flat *fl = &b->fl;
	size_t first = b->ncells, values_len = b->values.len;
	int conflict = 0;
	unsigned rows;
	struct brec *r;

	if (flatten_record(fl, record, b->fields, &rows, err) < 0)
		return -1;
	if (grow(&b->cellcol, &b->capcellcol, fl->n, sizeof(*b->cellcol)) < 0 ||
	    grow(&b->sort, &b->capsort, fl->n, sizeof(*b->sort)) < 0)
		return flat_nomem(err);
	for (size_t i = 0; i < fl->n; i++) {
		if ((b->cellcol[i] = intern_column(b, fl->text.data + fl->cells[i].path)) < 0)
			return flat_nomem(err);
	}
	if (drop_repeats(b, err) < 0)
		return -1;

	b->serial++;
	for (size_t i = 0; i < fl->n; i++) {
		long col = b->cellcol[i];
		struct bgroup *G = &b->groups[b->cols[col].group];
		if (fl->cells[i].flags & (CELL_WEAK | CELL_DROP))
			continue;
		if (G->stamp == b->serial && G->stamp_col != col)
			return data_fail(err,
			    "field '%s': given both as '%s' and '%s'", b->names.data + G->name,
			    col_name(b, G->stamp_col), col_name(b, col));
		G->stamp = b->serial;
		G->stamp_col = col;
		if (G->col >= 0 && G->col != col)
			conflict = 1;
	}
	if (conflict)
		return ODF_BATCH_CONFLICT;

	if (grow(&b->recs, &b->caprecs, b->nrecs + 1, sizeof(*b->recs)) < 0 ||
	    grow(&b->cells, &b->capcells, b->ncells + fl->n, sizeof(*b->cells)) < 0)
		return flat_nomem(err);
	for (size_t i = 0; i < fl->n; i++) {
		const struct fcell *c = &fl->cells[i];
		struct bcell *bc = &b->cells[b->ncells];
		if (c->flags & CELL_DROP)
			continue;
		bc->col = b->cellcol[i];
		bc->row = c->row;
		bc->flags = c->flags;
		bc->value = 0;
		if (!(c->flags & CELL_WEAK) && (bc->value = pool_add(&b->values,
		    fl->text.data + c->value, strlen(fl->text.data + c->value))) == SIZE_MAX) {
			b->ncells = first;
			odf_buf_truncate(&b->values, values_len);
			return flat_nomem(err);
		}
		b->ncells++;
	}
	for (size_t i = first; i < b->ncells; i++) {
		if (!(b->cells[i].flags & CELL_WEAK))
			b->groups[b->cols[b->cells[i].col].group].col = b->cells[i].col;
	}
	r = &b->recs[b->nrecs++];
	r->first = first;
	r->n = b->ncells - first;
	r->rows = rows;
	r->tag = tag;
	r->excluded = 0;
	r->from = r->to = -1;
	return 0;
}

size_t
odf_load_batch_count(const struct odf_load_batch *b)
{
	return b->nrecs;
}

long
odf_load_batch_tag(const struct odf_load_batch *b, size_t i)
{
	return i < b->nrecs ? b->recs[i].tag : -1;
}

void
odf_load_batch_exclude(struct odf_load_batch *b, size_t i)
{
	if (i < b->nrecs)
		b->recs[i].excluded = 1;
}

int
odf_load_batch_is_excluded(const struct odf_load_batch *b, size_t i)
{
	return i < b->nrecs && b->recs[i].excluded;
}

size_t
odf_load_batch_included(const struct odf_load_batch *b)
{
	size_t n = 0;

	for (size_t i = 0; i < b->nrecs; i++)
		n += !b->recs[i].excluded;
	return n;
}

/* A column's value also stands for its relations: order_line/name has
 * order_line given, so that an empty order_line elsewhere adds no column. */
static void
mark_prefixes(struct odf_load_batch *b, long col)
{
	const char *name = col_name(b, col);

	for (const char *p = strchr(name, '/'); p != NULL; p = strchr(p + 1, '/')) {
		long g = odf_strmap_get(b->groupmap, name, (size_t)(p - name));
		if (g >= 0)
			b->groups[g].used = 1;
	}
}

/* Decide the columns of a build: b->order holds them, b->pos their place. */
static size_t
choose_columns(struct odf_load_batch *b)
{
	long id = odf_strmap_get(b->colmap, "id", 2);
	size_t width = 0;

	for (size_t c = 0; c < b->ncols; c++)
		b->pos[c] = -1;
	for (size_t g = 0; g < b->ngroups; g++)
		b->groups[g].used = 0;
	/* Values first: an empty value only adds a column for a field that no
	 * record gives a value under any of its names. */
	for (int weak = 0; weak <= 1; weak++) {
		for (size_t i = 0; i < b->nrecs; i++) {
			const struct brec *r = &b->recs[i];
			if (r->excluded)
				continue;
			for (size_t k = r->first; k < r->first + r->n; k++) {
				const struct bcell *c = &b->cells[k];
				struct bgroup *G = &b->groups[b->cols[c->col].group];
				if ((int)(c->flags & CELL_WEAK) != weak * CELL_WEAK ||
				    (weak && G->used))
					continue;
				if (!weak && b->pos[c->col] < 0)
					mark_prefixes(b, c->col);
				b->pos[c->col] = 0;
				G->used = 1;
			}
		}
	}
	if (id >= 0 && b->pos[id] == 0)
		b->order[width++] = id;
	for (size_t c = 0; c < b->ncols; c++) {
		if (b->pos[c] == 0 && (long)c != id)
			b->order[width++] = (long)c;
	}
	for (size_t k = 0; k < width; k++)
		b->pos[b->order[k]] = (long)k;
	return width;
}

static cJSON *
row_json(const char *const *cells, size_t width)
{
	cJSON *row = cJSON_CreateArray();

	for (size_t k = 0; row != NULL && k < width; k++) {
		cJSON *s = cJSON_CreateString(cells[k]);
		if (s == NULL || !cJSON_AddItemToArray(row, s)) {
			cJSON_Delete(s);
			cJSON_Delete(row);
			return NULL;
		}
	}
	return row;
}

int
odf_load_batch_build(struct odf_load_batch *b, cJSON **fields, cJSON **data,
    struct odf_error *err)
{
	size_t width, nrow = 0;

	*fields = *data = NULL;
	b->nsent = 0;
	if (grow(&b->pos, &b->cappos, b->ncols, sizeof(*b->pos)) < 0 ||
	    grow(&b->order, &b->caporder, b->ncols, sizeof(*b->order)) < 0 ||
	    grow(&b->sent, &b->capsent, b->nrecs, sizeof(*b->sent)) < 0 ||
	    grow(&b->sent_row, &b->capsentrow, b->nrecs, sizeof(*b->sent_row)) < 0)
		goto nomem;
	width = choose_columns(b);
	if ((*fields = cJSON_CreateArray()) == NULL || (*data = cJSON_CreateArray()) == NULL)
		goto nomem;
	for (size_t k = 0; k < width; k++) {
		cJSON *s = cJSON_CreateString(col_name(b, b->order[k]));
		if (s == NULL || !cJSON_AddItemToArray(*fields, s)) {
			cJSON_Delete(s);
			goto nomem;
		}
	}
	for (size_t i = 0; i < b->nrecs; i++) {
		struct brec *r = &b->recs[i];
		r->from = r->to = -1;
		if (r->excluded)
			continue;
		if (grow(&b->grid, &b->capgrid, (size_t)r->rows * width + 1, sizeof(*b->grid)) < 0)
			goto nomem;
		for (size_t k = 0; k < (size_t)r->rows * width; k++)
			b->grid[k] = "";
		for (size_t k = r->first; k < r->first + r->n; k++) {
			const struct bcell *c = &b->cells[k];
			if (!(c->flags & CELL_WEAK))
				b->grid[c->row * width + (size_t)b->pos[c->col]] = b->values.data + c->value;
		}
		for (unsigned row = 0; row < r->rows; row++) {
			cJSON *json = row_json(b->grid + row * width, width);
			if (json == NULL || !cJSON_AddItemToArray(*data, json)) {
				cJSON_Delete(json);
				goto nomem;
			}
		}
		r->from = (long)nrow;
		r->to = (long)(nrow + r->rows - 1);
		b->sent[b->nsent] = (long)i;
		b->sent_row[b->nsent++] = (long)nrow;
		nrow += r->rows;
	}
	return 0;
nomem:
	cJSON_Delete(*fields);
	cJSON_Delete(*data);
	*fields = *data = NULL;
	b->nsent = 0;
	return odf_error_set(err, ODF_E_NOMEM, "out of memory");
}

long
odf_load_batch_sent(const struct odf_load_batch *b, long k)
{
	return k >= 0 && (size_t)k < b->nsent ? b->sent[k] : -1;
}

long
odf_load_batch_at_row(const struct odf_load_batch *b, long row)
{
	size_t lo = 0, hi = b->nsent;

	if (row < 0 || b->nsent == 0)
		return -1;
	/* The last record starting at or before row. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (b->sent_row[mid] <= row)
			lo = mid;
		else
			hi = mid;
	}
	if (b->sent_row[lo] > row || row > b->recs[b->sent[lo]].to)
		return -1;
	return b->sent[lo];
}

int
odf_load_batch_rows(const struct odf_load_batch *b, size_t i, long *from, long *to)
{
	if (i >= b->nrecs || b->recs[i].from < 0)
		return -1;
	*from = b->recs[i].from;
	*to = b->recs[i].to;
	return 0;
}

/* A row or record number in load's answer; -1 when it is none (the cast
 * of a number out of range would be undefined). */
static long
message_index(const cJSON *v)
{
	return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < (double)LONG_MAX ?
	    (long)v->valuedouble : -1;
}

long
odf_load_batch_message_record(const struct odf_load_batch *b, const cJSON *message)
{
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(message, "rows");
	long from = message_index(cJSON_GetObjectItemCaseSensitive(rows, "from"));
	long record = message_index(cJSON_GetObjectItemCaseSensitive(message, "record"));
	long i = -1;

	if (from >= 0)
		i = odf_load_batch_at_row(b, from);
	if (i < 0 && record >= 0)
		i = odf_load_batch_sent(b, record);
	return i;
}

/* ---- checking ------------------------------------------------------- */

static int
days_in_month(long y, long m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* n digits at s as a number in [lo, hi], or -1. */
static long
digits(const char *s, int n, long lo, long hi)
{
	long v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v < lo || v > hi ? -1 : v;
}

/* YYYY-MM-DD, and with time also YYYY-MM-DD HH:MM:SS, as load reads them. */
static int
valid_date(const char *s, int with_time)
{
	long y = digits(s, 4, 1, 9999), m, d;
	size_t len = strlen(s);

	if (len < 10 || y < 0 || s[4] != '-' || s[7] != '-' ||
	    (m = digits(s + 5, 2, 1, 12)) < 0 || (d = digits(s + 8, 2, 1, 31)) < 0 ||
	    d > days_in_month(y, m))
		return 0;
	if (len == 10)
		return 1;
	return with_time && len == 19 && s[10] == ' ' && s[13] == ':' && s[16] == ':' &&
	    digits(s + 11, 2, 0, 23) >= 0 && digits(s + 14, 2, 0, 59) >= 0 &&
	    digits(s + 17, 2, 0, 59) >= 0;
}

/* Database ids: one, or comma-separated for a many2many/one2many. */
static int
valid_ids(const char *s, int many)
{
	char one[32];

	for (;;) {
		size_t len = strcspn(s, ",");
		long long v;
		if (len == 0 || len >= sizeof(one))
			return 0;
		memcpy(one, s, len);
		one[len] = '\0';
		if (!parse_long(one, &v) || v <= 0)
			return 0;
		if (s[len] == '\0')
			return 1;
		if (!many)
			return 0;
		s += len + 1;
	}
}

struct checker {
	odf_fields_lookup_fn *lookup;
	void *lookup_arg;
	odf_check_fn *report;
	void *report_arg;
	int count;
	struct odf_strmap *seen;        /* paths whose structure was checked */
};

static void report(struct checker *ck, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
report(struct checker *ck, const char *path, const char *fmt, ...)
{
	char text[768], msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	escape_controls(text, msg, sizeof(msg));
	ck->report(path, msg, ck->report_arg);
	ck->count++;
}

static void
check_value(struct checker *ck, const char *path, const struct odf_field *f,
    const char *value)
{
	long long n;
	double d;

	switch (f->type) {
	case ODF_FT_BOOLEAN:
		if (parse_boolean(value) == 0)
			report(ck, path, "value '%.80s' is not a boolean "
			    "(use 1/0, true/false or yes/no)", value);
		break;
	case ODF_FT_INTEGER:
	case ODF_FT_MANY2ONE_REFERENCE:
		if (!parse_long(value, &n))
			report(ck, path, "value '%.80s' is not an integer", value);
		break;
	case ODF_FT_FLOAT:
	case ODF_FT_MONETARY:
		if (!parse_double(value, &d))
			report(ck, path, "value '%.80s' is not a number", value);
		break;
	case ODF_FT_SELECTION:
		if (f->selection != NULL && odf_field_selection_key(f, value) == NULL) {
			char keys[400];
			size_t len = 0;
			keys[0] = '\0';
			for (size_t i = 0; i < f->nselection && len + 1 < sizeof(keys); i++) {
				int w = snprintf(keys + len, sizeof(keys) - len, "%s%s",
				    i ? ", " : "", f->selection[i].key);
				len += w > 0 ? (size_t)w : 0;
			}
			report(ck, path, "value '%.80s' not in selection (%s)", value, keys);
		}
		break;
	case ODF_FT_DATE:
		if (!valid_date(value, 0))
			report(ck, path, "value '%.80s' is not a date (YYYY-MM-DD)", value);
		break;
	case ODF_FT_DATETIME:
		if (!valid_date(value, 1))
			report(ck, path, "value '%.80s' is not a datetime "
			    "(YYYY-MM-DD HH:MM:SS, UTC)", value);
		break;
	default:
		break;
	}
}

/* Walk a column path through the models; value is NULL for an empty one. */
static void
check_cell(struct checker *ck, const struct odf_fields *model, const char *path,
    const char *value)
{
	const struct odf_field *f, *rel = NULL;
	const char *seg = path;
	int first = odf_strmap_get(ck->seen, path, strlen(path)) < 0;

	if (first && odf_strmap_put(ck->seen, path, strlen(path), 1) < 0)
		first = 0;      /* out of memory: at worst a problem is told twice */
	for (;;) {
		const char *slash = strchr(seg, '/');
		size_t len = slash ? (size_t)(slash - seg) : strlen(seg);
		if (is_ref(seg, len)) {
			if (len == 3 && value != NULL &&
			    !valid_ids(value, rel != NULL && rel->type != ODF_FT_MANY2ONE))
				report(ck, path, "value '%.80s' is not a database id", value);
			return;
		}
		if (model == NULL)
			return;         /* no metadata: nothing to hold it against */
		if ((f = odf_fields_getn(model, seg, len)) == NULL) {
			char what[512];
			if (first) {
				describe_unknown(what, sizeof(what), model, seg, len);
				report(ck, path, "%s", what);
			}
			return;
		}
		if (slash == NULL)
			break;
		if (!odf_field_type_is_relational(f->type)) {
			if (first)
				report(ck, path, "%s is a %s field, not a relation", f->name,
				    f->type_name);
			return;
		}
		if (f->type != ODF_FT_ONE2MANY && !is_ref(slash + 1, strlen(slash + 1))) {
			if (first)
				report(ck, path, "load takes a %s as %s/id, %s/.id or %s "
				    "(by name), not by its sub-field '%s'", f->type_name,
				    f->name, f->name, f->name, slash + 1);
			return;
		}
		if (first && f->readonly)
			report(ck, path, "field is read-only");
		rel = f;
		model = f->relation != NULL && ck->lookup != NULL ?
		    ck->lookup(f->relation, ck->lookup_arg) : NULL;
		seg = slash + 1;
	}
	if (first && f->readonly)
		report(ck, path, "field is read-only");
	if (value != NULL && value[0] != '\0')
		check_value(ck, path, f, value);
}

int
odf_record_check(const cJSON *record, const struct odf_fields *fields,
    odf_fields_lookup_fn *lookup, void *lookup_arg, odf_check_fn *fn,
    void *report_arg, struct odf_error *err)
{
	struct flat fl = { .lookup = lookup, .lookup_arg = lookup_arg };
	struct checker ck = {
		.lookup = lookup, .lookup_arg = lookup_arg,
		.report = fn, .report_arg = report_arg,
	};
	unsigned rows;

	if ((ck.seen = odf_strmap_new()) == NULL)
		return flat_nomem(err);
	if (flatten_record(&fl, record, fields, &rows, err) < 0) {
		odf_strmap_free(ck.seen);
		flat_free(&fl);
		return -1;
	}
	for (size_t i = 0; i < fl.n; i++) {
		const struct fcell *c = &fl.cells[i];
		check_cell(&ck, fields, fl.text.data + c->path,
		    c->flags & CELL_WEAK ? NULL : fl.text.data + c->value);
	}
	odf_strmap_free(ck.seen);
	flat_free(&fl);
	return ck.count;
}
