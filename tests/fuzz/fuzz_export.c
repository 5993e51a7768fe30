/*
 * The export row converter (lib/rows.c): export_data's
 * rows into records, nested and flat, for the models of the unit-test
 * fixtures (res.partner from the 17.0 transcript, sale.order and the
 * others of models.fields_get.json).
 *
 * Input: a JSON object as the transcripts hold one,
 *   {"model": "res.partner", "fields": ["id", "name", ...],
 *    "result": {"datas": [[...], ...]}}            ("datas" may be at the top)
 * Every record given must be an object, and a load batch of the same
 * model must take it back or say why.
 */
#include <cjson/cJSON.h>

#include "fuzz.h"
#include "odf/load_rows.h"
#include "odf/rows.h"
#include "../unit/fixtures.h"

#define EXPORT_MAX_PATHS 64

static struct odf_schema *
export_schema(void)
{
	static struct odf_schema *schema;

	if (schema == NULL)
		schema = fixture_schema();
	FUZZ_ASSERT(schema != NULL);
	return schema;
}

static void
export_run(const cJSON *doc, const struct odf_fields *fields, struct odf_schema *schema,
    const char *const *paths, size_t npaths, unsigned flags)
{
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(doc, "result");
	struct odf_rows *ex;
	struct odf_load_batch *b;
	struct odf_error err;
	cJSON *rec;
	int rc;

	if (rows == NULL)
		rows = cJSON_GetObjectItemCaseSensitive(doc, "datas");
	ex = odf_rows_new(fields, odf_schema_lookup, schema, paths, npaths, flags, &err);
	if (ex == NULL) {
		fuzz_check_error(&err);
		FUZZ_ASSERT(err.code == ODF_E_USAGE || err.code == ODF_E_NOMEM);
		return;
	}
	{
		cJSON *given = odf_rows_paths_json(ex);

		FUZZ_ASSERT(given == NULL || cJSON_GetArraySize(given) == (int)npaths);
		for (int i = 0; given != NULL && i < (int)npaths; i++)
			FUZZ_ASSERT(cJSON_IsString(cJSON_GetArrayItem(given, i)));
		cJSON_Delete(given);
	}
	if (odf_rows_set(ex, rows, &err) < 0) {
		fuzz_check_error(&err);
		FUZZ_ASSERT(err.code == ODF_E_PROTOCOL || err.code == ODF_E_NOMEM);
		odf_rows_free(ex);
		return;
	}
	b = odf_load_batch_new(fields, odf_schema_lookup, schema);
	FUZZ_ASSERT(b != NULL);
	while ((rc = odf_rows_next(ex, &rec, &err)) != 0) {
		if (rc < 0) {
			fuzz_check_error(&err);
			FUZZ_ASSERT(err.code == ODF_E_PROTOCOL || err.code == ODF_E_NOMEM);
			continue;
		}
		FUZZ_ASSERT(rc == 1 && cJSON_IsObject(rec));
		odf_load_batch_clear(b);
		rc = odf_load_batch_add(b, rec, 1, &err);
		/* Not every record goes back: one may name a relation only by
		 * descriptive sub-fields ("parent_id/email"), or twice in flat
		 * form; the batch must then say why, and never conflict with
		 * itself. */
		if (rc < 0) {
			fuzz_check_error(&err);
			FUZZ_ASSERT(err.code == ODF_E_DATA);
		} else {
			FUZZ_ASSERT(rc == 0);
		}
		cJSON_Delete(rec);
	}
	odf_load_batch_free(b);
	odf_rows_free(ex);
}

FUZZ_TARGET(export)(const uint8_t *data, size_t size)
{
	struct odf_schema *schema = export_schema();
	cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
	const cJSON *model, *path;
	const char *paths[EXPORT_MAX_PATHS];
	size_t npaths = 0;
	const struct odf_fields *fields;

	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return 0;
	}
	model = cJSON_GetObjectItemCaseSensitive(doc, "model");
	fields = odf_schema_get(schema, cJSON_IsString(model) ? model->valuestring :
	    "res.partner");
	cJSON_ArrayForEach(path, cJSON_GetObjectItemCaseSensitive(doc, "fields")) {
		/* --fields is split at newlines: a path never holds one. */
		if (cJSON_IsString(path) && npaths < EXPORT_MAX_PATHS &&
		    strchr(path->valuestring, '\n') == NULL)
			paths[npaths++] = path->valuestring;
	}
	/* A model the fixtures do not have: paths unchecked, cells untyped. */
	export_run(doc, fields, schema, paths, npaths, 0);
	export_run(doc, fields, schema, paths, npaths, ODF_ROWS_FLAT);
	cJSON_Delete(doc);
	return 0;
}
