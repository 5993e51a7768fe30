/*
 * Whether a line is a record odf-import can load (include/odf/check.h):
 * read it, its keys against the model's fields, and for --check its values.
 */
#include <stdio.h>
#include <string.h>

#include "odf/check.h"
#include "odf/failfile.h"
#include "odf/record.h"
#include "odf/strmap.h"
#include "odf/utf8.h"

#define SUGGESTIONS 3

size_t
odf_key_field_len(const char *key)
{
	if (strncmp(key, ".id", 3) == 0)
		return 3;
	return strcspn(key, "/.");
}

int
odf_key_is_odf(const char *key)
{
	return strncmp(key, "_odf", 4) == 0;
}

static void check_object(const struct odf_fields *fields, odf_fields_lookup_fn *lookup,
    void *arg, const cJSON *obj, char *why, size_t size);

void
odf_check_unknown_field(const struct odf_fields *fields, const char *name, size_t len,
    char *why, size_t size)
{
	const char *near[SUGGESTIONS];
	char buf[256];
	size_t n, i, used;

	snprintf(buf, sizeof(buf), "%.*s", (int)len, name);
	n = odf_fields_suggest(fields, buf, near, SUGGESTIONS);
	used = (size_t)snprintf(why, size, "unknown field '%s' in %s", buf,
	    odf_fields_model(fields));
	for (i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(why + used, size - used, "%s'%s'",
		    i == 0 ? " (did you mean " : i + 1 == n ? " or " : ", ", near[i]);
	if (n > 0 && used < size)
		snprintf(why + used, size - used, "?)");
}

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
		odf_check_unknown_field(fields, key, len, why, size);
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
