/*
 * Whether a line is a record odf-import can load (include/odf/check.h):
 * read it, its keys against the model's fields, and for --check its values.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "odf/check.h"
#include "odf/failfile.h"
#include "odf/record.h"
#include "odf/strmap.h"
#include "odf/utf8.h"

size_t
odf_key_field_len(const char *key)
{
	if (strncmp(key, ".id", 3) == 0)
		return 3;
	return strcspn(key, "/.");
}

const char *
odf_key_xmlid(const char *key, const cJSON *value)
{
	size_t len = odf_key_field_len(key);

	if (cJSON_IsObject(value))
		return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(value, "id"));
	if (cJSON_IsString(value) && key[len] != '\0' && strcmp(key + len + 1, "id") == 0)
		return value->valuestring;
	return NULL;
}

int
odf_key_is_odf(const char *key)
{
	return strncmp(key, "_odf", 4) == 0;
}

static void check_object(const struct odf_fields *fields, odf_fields_lookup_fn *lookup,
    void *arg, const cJSON *obj, char *why, size_t size);

void
odf_check_key(const struct odf_fields *fields, odf_fields_lookup_fn *lookup, void *arg,
    const char *key, const cJSON *value, char *why, size_t size)
{
	const struct odf_fields *sub;
	const struct odf_field *f;
	const cJSON *line;
	size_t len = odf_key_field_len(key);

	why[0] = '\0';
	if (odf_key_is_odf(key) || strcmp(key, "id") == 0 || strcmp(key, ".id") == 0)
		return;
	if ((f = odf_fields_getn(fields, key, len)) == NULL) {
		odf_fields_describe_unknown(why, size, fields, "unknown field", key, len);
		return;
	}
	if (f->relation == NULL || (sub = lookup(f->relation, arg)) == NULL)
		return;
	if (key[len] != '\0') {
		odf_check_key(sub, lookup, arg, key + len + 1, NULL, why, size);
		return;
	}
	if (f->type != ODF_FT_ONE2MANY || !cJSON_IsArray(value))
		return;
	cJSON_ArrayForEach(line, value) {
		if (cJSON_IsObject(line))
			check_object(sub, lookup, arg, line, why, size);
		if (why[0] != '\0')
			return;
	}
}

static void
check_object(const struct odf_fields *fields, odf_fields_lookup_fn *lookup, void *arg,
    const cJSON *obj, char *why, size_t size)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, obj) {
		odf_check_key(fields, lookup, arg, item->string, item, why, size);
		if (why[0] != '\0')
			return;
	}
}

void
odf_record_drop_keys(cJSON *rec, const struct odf_strmap *ignore)
{
	cJSON *item = rec->child, *next;

	for (; item != NULL; item = next) {
		next = item->next;
		if (odf_key_is_odf(item->string) ||
		    odf_strmap_get(ignore, item->string, odf_key_field_len(item->string)) >= 0)
			cJSON_Delete(cJSON_DetachItemViaPointer(rec, item));
	}
}

void
odf_record_parse_line(const char *line, size_t len, cJSON **rec, char *why, size_t size)
{
	const char *end = NULL, *old;
	cJSON *doc;
	size_t i;

	*rec = NULL;
	why[0] = '\0';
	if ((i = odf_utf8_invalid_at(line, len)) < len) {
		snprintf(why, size, "not UTF-8 (at byte %zu)", i + 1);
		return;
	}
	doc = cJSON_ParseWithLengthOpts(line, len, &end, 0);
	if (doc != NULL && end != NULL) {
		for (i = (size_t)(end - line); i < len; i++)
			if (!strchr(" \t\r\n", line[i]))
				break;
		if (i < len) {
			cJSON_Delete(doc);
			doc = NULL;
		}
	}
	if (doc == NULL) {
		end = cJSON_GetErrorPtr();
		if (end != NULL && end >= line && end <= line + len)
			snprintf(why, size, "not JSON (at byte %zu)", (size_t)(end - line) + 1);
		else
			snprintf(why, size, "not JSON");
		return;
	}
	if (!cJSON_IsObject(doc)) {
		snprintf(why, size, "not a JSON object");
		cJSON_Delete(doc);
		return;
	}
	/* odf-transform's reject file keeps bad lines as "_odf_input". */
	if (cJSON_GetObjectItemCaseSensitive(doc, ODF_FAIL_LINE_KEY) != NULL ||
	    cJSON_GetObjectItemCaseSensitive(doc, "_odf_input") != NULL) {
		/* A bad line kept by an earlier run: fixed only by replacing it. */
		old = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(doc, ODF_FAIL_KEY), "message"));
		snprintf(why, size, "still not a record (replace this line with the fixed "
		    "record): %s", old != NULL ? old : "not JSON");
		cJSON_Delete(doc);
		return;
	}
	*rec = doc;
}

/* ---- --check: the values of a record ------------------------------- */

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
		if (!odf_parse_long(one, &v) || v <= 0)
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
	odf_escape_controls(text, msg, sizeof(msg));
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
		if (odf_parse_boolean(value) == 0)
			report(ck, path, "value '%.80s' is not a boolean "
			    "(use 1/0, true/false or yes/no)", value);
		break;
	case ODF_FT_INTEGER:
	case ODF_FT_MANY2ONE_REFERENCE:
		if (!odf_parse_long(value, &n))
			report(ck, path, "value '%.80s' is not an integer", value);
		break;
	case ODF_FT_FLOAT:
	case ODF_FT_MONETARY:
		if (!odf_parse_double(value, &d))
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
		if (odf_path_is_ref(seg, len)) {
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
				odf_fields_describe_unknown(what, sizeof(what), model, "no field", seg,
				    len);
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
		if (f->type != ODF_FT_ONE2MANY && !odf_path_is_ref(slash + 1, strlen(slash + 1))) {
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
	struct odf_flat fl = { .lookup = lookup, .lookup_arg = lookup_arg };
	struct checker ck = {
		.lookup = lookup, .lookup_arg = lookup_arg,
		.report = fn, .report_arg = report_arg,
	};
	unsigned rows;

	if ((ck.seen = odf_strmap_new()) == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	if (odf_flat_record(&fl, record, fields, &rows, err) < 0) {
		odf_strmap_free(ck.seen);
		odf_flat_free(&fl);
		return -1;
	}
	for (size_t i = 0; i < fl.n; i++) {
		const struct odf_flat_cell *c = &fl.cells[i];
		check_cell(&ck, fields, fl.text.data + c->path,
		    c->flags & ODF_FLAT_WEAK ? NULL : fl.text.data + c->value);
	}
	odf_strmap_free(ck.seen);
	odf_flat_free(&fl);
	return ck.count;
}

struct check_ctx {
	const struct odf_check_opts *o;
	long lineno;
	int problems;
};

static void
check_report(const char *path, const char *message, void *arg)
{
	struct check_ctx *c = arg;

	c->problems++;
	if (c->o->diag != NULL)
		fprintf(c->o->diag, "%s: %s: line %ld: field '%s': %s\n", c->o->prog,
		    c->o->file, c->lineno, path, message);
}

int
odf_check_line(const struct odf_check_opts *o, const char *line, size_t len,
    long lineno)
{
	struct check_ctx c = { o, lineno, 0 };
	struct odf_error err;
	char why[1024];
	cJSON *rec;
	int rc;

	odf_record_parse_line(line, len, &rec, why, sizeof(why));
	if (rec == NULL) {
		if (o->diag != NULL)
			fprintf(o->diag, "%s: %s: line %ld: %s\n", o->prog, o->file,
			    lineno, why);
		return 1;
	}
	odf_record_drop_keys(rec, o->ignore);
	odf_error_clear(&err);
	rc = odf_record_check(rec, o->fields, o->lookup, o->lookup_arg, check_report,
	    &c, &err);
	if (rc < 0) {
		c.problems++;
		if (o->diag != NULL)
			fprintf(o->diag, "%s: %s: line %ld: %s\n", o->prog, o->file,
			    lineno, err.message);
	}
	cJSON_Delete(rec);
	return c.problems;
}
