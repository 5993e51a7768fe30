/* Odoo's export_data rows → nested or flat records (include/odf/rows.h). */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/buf.h"
#include "odf/record.h"
#include "odf/rows.h"

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

struct odf_rows {
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
odf_rows_free(struct odf_rows *ex)
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

	if (odf_grow(&n->kids, &n->capkids, n->nkids + 1, sizeof(*n->kids)) < 0 ||
	    (kid = xnode_new(key, len, kind)) == NULL)
		return NULL;
	n->kids[n->nkids++] = kid;
	return kid;
}

static int
add_col(int **v, size_t *n, size_t *cap, int col)
{
	if (odf_grow(v, cap, *n + 1, sizeof(**v)) < 0)
		return -1;
	(*v)[(*n)++] = col;
	return 0;
}

static int
unknown_field(const struct odf_fields *model, const char *path, const char *seg,
    size_t len, struct odf_error *err)
{
	char what[512];

	odf_fields_describe_unknown(what, sizeof(what), model, "no field", seg, len);
	return odf_error_set(err, ODF_E_USAGE, "field '%s': %s", path, what);
}

/*
 * Check path against the models and give its normalized form (a bare
 * relational field gets "/id"): a new string, or NULL with err.
 */
static char *
normalize_path(const struct odf_rows *ex, const char *path, struct odf_error *err)
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
		if (odf_path_is_ref(seg, len)) {
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
compile_path(struct odf_rows *ex, int col, struct odf_error *err)
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
		if (odf_path_is_ref(seg, len))
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

struct odf_rows *
odf_rows_new(const struct odf_fields *fields, odf_fields_lookup_fn *lookup,
    void *lookup_arg, const char *const *paths, size_t npaths, unsigned flags,
    struct odf_error *err)
{
	struct odf_rows *ex = calloc(1, sizeof(*ex));

	if (ex == NULL || (ex->root = xnode_new("", 0, X_ROOT)) == NULL ||
	    (ex->paths = calloc(npaths + 1, sizeof(*ex->paths))) == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		odf_rows_free(ex);
		return NULL;
	}
	ex->root->model = fields;
	ex->flags = flags;
	ex->lookup = lookup;
	ex->lookup_arg = lookup_arg;
	if (npaths == 0 || npaths > INT_MAX) {
		odf_error_set(err, ODF_E_USAGE, "no fields to export");
		odf_rows_free(ex);
		return NULL;
	}
	for (size_t i = 0; i < npaths; i++) {
		if ((ex->paths[i] = normalize_path(ex, paths[i], err)) == NULL) {
			odf_rows_free(ex);
			return NULL;
		}
		ex->npaths++;
	}
	for (size_t i = 0; i < npaths; i++) {
		if (compile_path(ex, (int)i, err) < 0) {
			odf_rows_free(ex);
			return NULL;
		}
	}
	return ex;
}

cJSON *
odf_rows_paths_json(const struct odf_rows *ex)
{
	return cJSON_CreateStringArray((const char *const *)ex->paths, (int)ex->npaths);
}

int
odf_rows_set(struct odf_rows *ex, const cJSON *datas, struct odf_error *err)
{
	const cJSON *row;
	size_t r = 0;

	if (cJSON_IsObject(datas))
		datas = cJSON_GetObjectItemCaseSensitive(datas, "datas");
	ex->nrows = ex->next_row = 0;
	if (!cJSON_IsArray(datas))
		return odf_error_set(err, ODF_E_PROTOCOL, "export_data: no datas array");
	if (odf_grow(&ex->cells, &ex->cells_cap,
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
cell_at(const struct odf_rows *ex, size_t row, int col)
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
any_filled(const struct odf_rows *ex, size_t row, const int *cols, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!cell_empty(cell_at(ex, row, cols[i])))
			return 1;
	}
	return 0;
}

static int
bad_cell(const struct odf_rows *ex, size_t row, int col, const char *what,
    struct odf_error *err)
{
	char *text = cJSON_PrintUnformatted(cell_at(ex, row, col));

	odf_error_set(err, ODF_E_PROTOCOL, "export_data: row %zu: field '%s': %s is not %s",
	    row + 1, ex->paths[col], text ? text : "the value", what);
	free(text);
	return -1;
}

static cJSON *
number_cell(const struct odf_rows *ex, size_t row, int col, int integer,
    struct odf_error *err)
{
	const cJSON *c = cell_at(ex, row, col);
	double d;

	if (cJSON_IsNumber(c))
		d = c->valuedouble;
	else if (!cJSON_IsString(c) || !odf_parse_double(c->valuestring, &d) ||
	    (integer && d != floor(d))) {
		bad_cell(ex, row, col, integer ? "an integer" : "a number", err);
		return NULL;
	}
	return cJSON_CreateNumber(d);
}

static cJSON *
boolean_cell(const struct odf_rows *ex, size_t row, int col, struct odf_error *err)
{
	const cJSON *c = cell_at(ex, row, col);
	int b;

	if (cJSON_IsBool(c))
		return cJSON_CreateBool(cJSON_IsTrue(c));
	if (cJSON_IsNumber(c))
		return cJSON_CreateBool(c->valuedouble != 0);
	if (cJSON_IsString(c) && (b = odf_parse_boolean(c->valuestring)) != 0)
		return cJSON_CreateBool(b > 0);
	bad_cell(ex, row, col, "a boolean", err);
	return NULL;
}

/* The JSON value of the cell of leaf n on row. */
static cJSON *
convert_cell(const struct odf_rows *ex, const struct xnode *n, size_t row,
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

static int build_into(struct odf_rows *ex, const struct xnode *n, cJSON *obj,
    size_t a, size_t b, struct odf_error *err);

static cJSON *
build_object(struct odf_rows *ex, const struct xnode *n, size_t a, size_t b,
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
line_starts(struct odf_rows *ex, const struct xnode *n, size_t a, size_t b)
{
	size_t count = 0;

	for (size_t r = a; r < b; r++) {
		if (!any_filled(ex, r, n->own, n->nown) &&
		    (count > 0 || !any_filled(ex, r, n->all, n->nall)))
			continue;
		if (odf_grow(&ex->starts, &ex->capstarts, ex->nstarts + 1, sizeof(*ex->starts)) < 0)
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
build_lines(struct odf_rows *ex, const struct xnode *n, size_t a, size_t b,
    struct odf_error *err)
{
	size_t base = ex->nstarts;
	long count = line_starts(ex, n, a, b);
	int joined = (ex->flags & ODF_ROWS_FLAT) && lines_as_references(n);
	cJSON *list = NULL;

	if (count < 0)
		goto nomem;
	if (joined) {
		odf_buf_reset(&ex->join);
		for (long i = 0; i < count; i++) {
			const cJSON *c = cell_at(ex, ex->starts[base + (size_t)i], n->kids[0]->col);
			char num[64];
			const char *s = odf_ref_text(c, num, sizeof(num));
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
build_into(struct odf_rows *ex, const struct xnode *n, cJSON *obj, size_t a,
    size_t b, struct odf_error *err)
{
	int flat = ex->flags & ODF_ROWS_FLAT;

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
odf_rows_next(struct odf_rows *ex, cJSON **record, struct odf_error *err)
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
