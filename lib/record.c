/*
 * A record's values (include/odf/record.h): flattening a record into the
 * cells load reads, and the small conversions the record rooms share.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "odf/buf.h"
#include "odf/check.h"
#include "odf/record.h"

/* Make room for n items of size in *v (capacity *cap). */
int
odf_grow(void *vp, size_t *cap, size_t n, size_t size)
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

int
odf_path_is_ref(const char *seg, size_t len)
{
	return (len == 2 && memcmp(seg, "id", 2) == 0) ||
	    (len == 3 && memcmp(seg, ".id", 3) == 0);
}

/* The shortest text that reads back as d, as Python's float() and int() take it. */
void
odf_format_number(double d, char *out, size_t size)
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

int
odf_parse_double(const char *s, double *d)
{
	char *end;

	errno = 0;
	*d = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	return end != s && *end == '\0' && errno == 0 && isfinite(*d);
}

int
odf_parse_long(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	return end != s && *end == '\0' && errno == 0;
}

/* Odoo's spellings of a boolean in load: 1 for yes, -1 for no, 0 neither. */
int
odf_parse_boolean(const char *s)
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
const char *
odf_ref_text(const cJSON *v, char *num, size_t size)
{
	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsNumber(v)) {
		odf_format_number(v->valuedouble, num, size);
		return num;
	}
	return NULL;
}

/* What a key leads to. */
struct keywalk {
	const struct odf_field *field;  /* of the last segment; NULL: id, .id, unknown */
	const struct odf_fields *model; /* of the records it relates to, if known */
	int ref;                        /* the last segment is id or .id */
	int o2m;                        /* the first is a one2many: its cells are lines' */
};

void
odf_flat_free(struct odf_flat *fl)
{
	odf_buf_release(&fl->text);
	free(fl->cells);
	odf_buf_release(&fl->path);
	odf_buf_release(&fl->join);
}

static int
nomem(struct odf_error *err)
{
	return odf_error_set(err, ODF_E_NOMEM, "out of memory");
}

/* A cell at the current path followed by suffix. */
static int
add_cell(struct odf_flat *fl, const char *suffix, const char *value, unsigned row,
    unsigned flags, struct odf_error *err)
{
	struct odf_flat_cell *c;
	size_t path = fl->text.len;

	if (odf_buf_add(&fl->text, fl->path.data, fl->path.len, NULL) < 0 ||
	    odf_buf_add(&fl->text, suffix, strlen(suffix) + 1, NULL) < 0)  /* and its NUL */
		return nomem(err);
	if (odf_grow(&fl->cells, &fl->cap, fl->n + 1, sizeof(*fl->cells)) < 0)
		return nomem(err);
	c = &fl->cells[fl->n];
	c->path = path;
	c->row = row;
	c->flags = flags;
	c->value = 0;
	if (!(flags & ODF_FLAT_WEAK) &&
	    (c->value = odf_buf_addz(&fl->text, value, strlen(value))) == SIZE_MAX)
		return nomem(err);
	fl->n++;
	return 0;
}

static int data_error(const struct odf_flat *fl, struct odf_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* in into out with control characters as \xNN: messages quote the keys
 * and values of records, and must stay one line. */
void
odf_escape_controls(const char *in, char *out, size_t size)
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

int
odf_data_fail(struct odf_error *err, const char *fmt, ...)
{
	char text[sizeof(err->message)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	odf_error_set(err, ODF_E_DATA, "%s", "");
	if (err != NULL)
		odf_escape_controls(text, err->message, sizeof(err->message));
	return -1;
}

/* "field 'path': what", for the value at the current path. */
static int
data_error(const struct odf_flat *fl, struct odf_error *err, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return odf_data_fail(err, "field '%s': %s", fl->path.data, what);
}

/*
 * Append the segments of key to the path, resolving them from model.
 * Segments are separated by '/' or '.' (jq-friendly "parent_id.id"),
 * except that ".id" is one segment.
 */
static int
walk_key(struct odf_flat *fl, const char *key, const struct odf_fields *model,
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
			return odf_data_fail(err, "key '%s': empty field name", key);
		if (kw->ref)
			return odf_data_fail(err,
			    "key '%s': 'id' and '.id' must end the path", key);
		if ((fl->path.len > 0 && odf_buf_add(&fl->path, "/", 1, NULL) < 0) ||
		    odf_buf_add(&fl->path, p, len, NULL) < 0)
			return nomem(err);
		if (odf_path_is_ref(p, len)) {
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
			return odf_data_fail(err, "key '%s': empty field name", key);
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

static int flatten_object(struct odf_flat *fl, const cJSON *obj, const struct odf_fields *model,
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
flatten_reference(struct odf_flat *fl, const cJSON *obj, const struct keywalk *kw,
    unsigned row, int *own, int *lines, struct odf_error *err)
{
	const char *suffix, *text;
	const cJSON *ref;
	char num[64];

	if (kw->field != NULL && kw->field->type == ODF_FT_ONE2MANY)
		return data_error(fl, err, "a one2many takes a list of lines");
	if (obj->child == NULL)
		return add_cell(fl, weak_suffix(kw, 1), "", row, ODF_FLAT_WEAK, err);
	if ((ref = pick_ref(obj, &suffix)) == NULL)
		return data_error(fl, err, "a related record needs \"id\", \".id\" or \"name\"");
	if (cJSON_IsNull(ref) || cJSON_IsFalse(ref))
		return add_cell(fl, suffix, "", row, ODF_FLAT_WEAK, err);
	if ((text = odf_ref_text(ref, num, sizeof(num))) == NULL)
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
join_references(struct odf_flat *fl, const cJSON *list, const struct keywalk *kw,
    unsigned row, int *own, int *lines, struct odf_error *err)
{
	const char *first_suffix = NULL;
	const cJSON *item;
	int i = 0;

	odf_buf_reset(&fl->join);
	if (odf_buf_grow(&fl->join, 0, NULL) < 0)
		return nomem(err);
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
		text = odf_ref_text(ref, num, sizeof(num));
		if (text == NULL || text[0] == '\0')
			return data_error(fl, err, "item %s has an empty reference", nth);
		if (strchr(text, ',') != NULL)
			return data_error(fl, err, "reference '%s' has a comma, which load reads as "
			    "a separator", text);
		if ((i > 1 && odf_buf_add(&fl->join, ",", 1, NULL) < 0) ||
		    odf_buf_add(&fl->join, text, strlen(text), NULL) < 0)
			return nomem(err);
	}
	mark(kw, fl->join.data, own, lines);
	return add_cell(fl, first_suffix, fl->join.data, row, 0, err);
}

static int
flatten_list(struct odf_flat *fl, const cJSON *list, const struct keywalk *kw,
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
		return add_cell(fl, weak_suffix(kw, 1), "", row, ODF_FLAT_WEAK, err);
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
json_cell(struct odf_flat *fl, const cJSON *v, const struct keywalk *kw, unsigned row,
    int *own, int *lines, struct odf_error *err)
{
	char *text = cJSON_PrintUnformatted(v);
	int rc;

	if (text == NULL)
		return nomem(err);
	mark(kw, text, own, lines);
	rc = add_cell(fl, "", text, row, 0, err);
	free(text);
	return rc;
}

static int
flatten_value(struct odf_flat *fl, const cJSON *v, const struct keywalk *kw,
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
		odf_format_number(v->valuedouble, num, sizeof(num));
		mark(kw, num, own, lines);
		return add_cell(fl, "", num, row, 0, err);
	}
	if (cJSON_IsNull(v))
		return add_cell(fl, weak_suffix(kw, 0), "", row, ODF_FLAT_WEAK, err);
	if (cJSON_IsBool(v)) {
		/* Only a boolean field takes true; elsewhere false is Odoo's empty. */
		if (kw->ref || (f != NULL && f->type != ODF_FT_BOOLEAN)) {
			if (cJSON_IsTrue(v))
				return data_error(fl, err, "true is not a %s value",
				    f != NULL ? f->type_name : "reference");
			return add_cell(fl, weak_suffix(kw, 0), "", row, ODF_FLAT_WEAK, err);
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
flatten_object(struct odf_flat *fl, const cJSON *obj, const struct odf_fields *model,
    unsigned row, unsigned *rows, int *own, int *lines, struct odf_error *err)
{
	size_t base = fl->path.len;
	const cJSON *item;

	*rows = 1;
	*own = *lines = 0;
	cJSON_ArrayForEach(item, obj) {
		struct keywalk kw;
		unsigned used;

		if (odf_key_is_odf(item->string))
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

int
odf_flat_record(struct odf_flat *fl, const cJSON *record, const struct odf_fields *model,
    unsigned *rows, struct odf_error *err)
{
	int own, lines;

	odf_buf_reset(&fl->text);
	odf_buf_reset(&fl->path);
	fl->n = 0;
	if (odf_buf_grow(&fl->path, 0, NULL) < 0)
		return nomem(err);
	if (!cJSON_IsObject(record))
		return odf_data_fail(err, "record is not a JSON object");
	if (flatten_object(fl, record, model, 0, rows, &own, &lines, err) < 0)
		return -1;
	/* load would take its first row as more lines of the record before. */
	if (!own && lines)
		return odf_data_fail(err, "record has only one2many lines: "
		    "it needs a value of its own, such as its id");
	return 0;
}
