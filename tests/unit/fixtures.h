/*
 * Fixtures of the record layer's unit tests, read from tests/unit/data/
 * (the tests run from the repository root, as tests/run does):
 *
 *   res.partner.fields_get.json   fields_get of res.partner, from the 17.0
 *                                 transcript (string,type,relation,...)
 *   res.partner.selections.json   selection lists the transcript did not ask
 *                                 for (type: labels as load's messages list them)
 *   models.fields_get.json        hand-written tables of related models
 *                                 (sale.order, lines, a kitchen sink of types)
 *   export_data-*.json, load-*.json  requests and answers of the transcripts
 *
 * JSON written inside C strings uses ' for " (J() swaps them back), so that
 * tables stay readable; an apostrophe is the JSON escape \\u0027 and a
 * double quote \\' (a backslash, then the quote).
 */
#ifndef ODF_TEST_FIXTURES_H
#define ODF_TEST_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "odf/fields.h"
#include "odf/schema.h"

#define DATA_DIR "tests/unit/data/"

static inline cJSON *
read_json(const char *name)
{
	char path[512], *text = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f;
	cJSON *v;

	snprintf(path, sizeof(path), DATA_DIR "%s", name);
	if ((f = fopen(path, "rb")) == NULL) {
		printf("# cannot open %s (run from the repository root)\n", path);
		return NULL;
	}
	do {
		if (len + 4096 + 1 > cap) {
			char *p = realloc(text, cap = (len + 4096) * 2 + 1);
			if (p == NULL)
				break;
			text = p;
		}
		n = fread(text + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	fclose(f);
	if (text == NULL)
		return NULL;
	text[len] = '\0';
	v = cJSON_Parse(text);
	free(text);
	if (v == NULL)
		printf("# %s: not JSON\n", path);
	return v;
}

/* Parse JSON written with ' for " (a new tree; NULL and a note if bad). */
static inline cJSON *
J(const char *single_quoted)
{
	char *s = strdup(single_quoted);
	cJSON *v;

	if (s == NULL)
		return NULL;
	for (char *p = s; *p; p++) {
		if (*p == '\'')
			*p = '"';
	}
	v = cJSON_Parse(s);
	if (v == NULL)
		printf("# bad test JSON: %s\n", s);
	free(s);
	return v;
}

/* Compact text of v (static buffer, for comparisons). */
static inline const char *
text_of(const cJSON *v)
{
	static char buf[8192];
	char *s = v ? cJSON_PrintUnformatted(v) : NULL;

	snprintf(buf, sizeof(buf), "%s", s ? s : "(null)");
	free(s);
	return buf;
}

/* The same JSON written with ' for ", normalized to compact text. */
static inline const char *
J_text(const char *single_quoted)
{
	static char buf[8192];
	cJSON *v = J(single_quoted);

	snprintf(buf, sizeof(buf), "%s", text_of(v));
	cJSON_Delete(v);
	return buf;
}

/* res.partner's table with the selection lists filled in. */
static inline struct odf_fields *
partner_fields(void)
{
	cJSON *fg = read_json("res.partner.fields_get.json");
	cJSON *sel = read_json("res.partner.selections.json"), *item;
	struct odf_fields *fs = NULL;
	struct odf_error err;

	if (fg != NULL && sel != NULL) {
		cJSON_ArrayForEach(item, sel) {
			cJSON *attrs = cJSON_GetObjectItemCaseSensitive(fg, item->string);
			cJSON_AddItemToObject(attrs, "selection", cJSON_Duplicate(item, 1));
		}
		if ((fs = odf_fields_new("res.partner", fg, &err)) == NULL)
			printf("# %s\n", err.message);
	}
	cJSON_Delete(fg);
	cJSON_Delete(sel);
	return fs;
}

/* Every model of the fixtures. */
static inline struct odf_schema *
fixture_schema(void)
{
	struct odf_schema *s = odf_schema_new();
	cJSON *models = read_json("models.fields_get.json"), *m;
	struct odf_error err;

	if (s == NULL || models == NULL || odf_schema_add(s, partner_fields(), &err) < 0) {
		printf("# fixture schema: %s\n", models ? err.message : "no models");
		cJSON_Delete(models);
		odf_schema_free(s);
		return NULL;
	}
	cJSON_ArrayForEach(m, models) {
		struct odf_fields *fs = odf_fields_new(m->string, m, &err);
		if (fs == NULL || odf_schema_add(s, fs, &err) < 0) {
			printf("# %s\n", err.message);
			cJSON_Delete(models);
			odf_schema_free(s);
			return NULL;
		}
	}
	cJSON_Delete(models);
	return s;
}

#endif
