/*
 * The record flattener (lib/record.c and lib/load_rows.c): NDJSON records into
 * the fields and rows of Odoo's load, for res.partner as the 17.0
 * transcript describes it (tests/unit/data/) and for no model at all
 * (records taken by shape). Also odf_record_check (--check), and the
 * mapping of load's messages back to records.
 *
 * Input: NDJSON, one record a line. What the batch builds must be what
 * load takes: an array of column paths and rows of strings as wide.
 */
#include <cjson/cJSON.h>

#include "fuzz.h"
#include "odf/check.h"
#include "odf/load_rows.h"
#include "../unit/fixtures.h"

#define RECORD_MAX_LINES 64

static struct odf_schema *
record_schema(void)
{
	static struct odf_schema *schema;

	if (schema == NULL)
		schema = fixture_schema();
	FUZZ_ASSERT(schema != NULL);
	return schema;
}

static void
record_problem(const char *path, const char *message, void *arg)
{
	FUZZ_ASSERT(path != NULL && message != NULL && message[0] != '\0');
	++*(int *)arg;
}

/* Build b and check the shape of load's arguments. */
static void
record_build(struct odf_load_batch *b)
{
	struct odf_error err;
	cJSON *fields = NULL, *data = NULL, *row, *cell, *item;
	int width, rows;

	if (odf_load_batch_build(b, &fields, &data, &err) != 0) {
		fuzz_check_error(&err);
		FUZZ_ASSERT(err.code == ODF_E_NOMEM);
		return;
	}
	FUZZ_ASSERT(cJSON_IsArray(fields) && cJSON_IsArray(data));
	width = cJSON_GetArraySize(fields);
	cJSON_ArrayForEach(item, fields)
		FUZZ_ASSERT(cJSON_IsString(item) && item->valuestring[0] != '\0');
	cJSON_ArrayForEach(row, data) {
		FUZZ_ASSERT(cJSON_IsArray(row) && cJSON_GetArraySize(row) == width);
		cJSON_ArrayForEach(cell, row)
			FUZZ_ASSERT(cJSON_IsString(cell));
	}
	rows = cJSON_GetArraySize(data);
	/* Every record sent has rows, in order, and the rows name it back. */
	for (size_t i = 0; i < odf_load_batch_count(b); i++) {
		long from, to;
		cJSON *msg;
		char text[96];

		if (odf_load_batch_is_excluded(b, i)) {
			FUZZ_ASSERT(odf_load_batch_rows(b, i, &from, &to) != 0 || from < 0);
			continue;
		}
		if (odf_load_batch_rows(b, i, &from, &to) != 0 || from < 0)
			continue;       /* left out of the build (no columns at all) */
		FUZZ_ASSERT(from <= to && to < rows);
		FUZZ_ASSERT(odf_load_batch_at_row(b, from) == (long)i);
		FUZZ_ASSERT(odf_load_batch_at_row(b, to) == (long)i);
		snprintf(text, sizeof(text), "{\"rows\": {\"from\": %ld, \"to\": %ld}}", from, to);
		msg = cJSON_Parse(text);
		FUZZ_ASSERT(msg != NULL);
		FUZZ_ASSERT(odf_load_batch_message_record(b, msg) == (long)i);
		cJSON_Delete(msg);
	}
	FUZZ_ASSERT(odf_load_batch_at_row(b, rows) == -1);
	FUZZ_ASSERT(odf_load_batch_at_row(b, -1) == -1);
	cJSON_Delete(fields);
	cJSON_Delete(data);
}

/* Add rec to b as the importer does: a conflict sends the batch. */
static void
record_add(struct odf_load_batch *b, const cJSON *rec, long tag)
{
	struct odf_error err;
	int rc = odf_load_batch_add(b, rec, tag, &err);

	if (rc == ODF_BATCH_CONFLICT) {
		FUZZ_ASSERT(odf_load_batch_count(b) > 0);
		record_build(b);
		odf_load_batch_clear(b);
		rc = odf_load_batch_add(b, rec, tag, &err);
		FUZZ_ASSERT(rc != ODF_BATCH_CONFLICT);
	}
	if (rc < 0) {
		fuzz_check_error(&err);
		FUZZ_ASSERT(err.code == ODF_E_DATA || err.code == ODF_E_NOMEM);
	} else {
		FUZZ_ASSERT(rc == 0);
		FUZZ_ASSERT(odf_load_batch_tag(b, odf_load_batch_count(b) - 1) == tag);
	}
}

FUZZ_TARGET(record)(const uint8_t *data, size_t size)
{
	struct odf_schema *schema = record_schema();
	const struct odf_fields *partner = odf_schema_get(schema, "res.partner");
	struct odf_load_batch *typed = odf_load_batch_new(partner, odf_schema_lookup, schema);
	struct odf_load_batch *shaped = odf_load_batch_new(NULL, NULL, NULL);
	const char *s = (const char *)data, *end = s + size;
	cJSON *recs[RECORD_MAX_LINES];
	size_t nrecs = 0;
	long lineno = 0;

	FUZZ_ASSERT(typed != NULL && shaped != NULL);
	while (s < end && lineno < RECORD_MAX_LINES) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);
		cJSON *rec = cJSON_ParseWithLength(s, n);

		lineno++;
		s += n + 1;
		if (!cJSON_IsObject(rec)) {
			cJSON_Delete(rec);
			continue;
		}
		{
			struct odf_error err;
			int problems = 0, rc;

			record_add(typed, rec, lineno);
			record_add(shaped, rec, lineno);
			rc = odf_record_check(rec, partner, odf_schema_lookup, schema,
			    record_problem, &problems, &err);
			if (rc < 0)
				fuzz_check_error(&err);
			else
				FUZZ_ASSERT(rc == problems);
		}
		recs[nrecs++] = rec;
	}
	record_build(typed);
	record_build(shaped);
	/* Each line also as one of load's messages about the batch. */
	for (size_t i = 0; i < nrecs; i++) {
		long k = odf_load_batch_message_record(typed, recs[i]);

		FUZZ_ASSERT(k >= -1 && k < (long)odf_load_batch_count(typed));
		cJSON_Delete(recs[i]);
	}
	if (odf_load_batch_count(typed) > 0) {
		odf_load_batch_exclude(typed, 0);
		FUZZ_ASSERT(odf_load_batch_is_excluded(typed, 0));
		FUZZ_ASSERT(odf_load_batch_included(typed) == odf_load_batch_count(typed) - 1);
		record_build(typed);
	}
	odf_load_batch_free(typed);
	odf_load_batch_free(shaped);
	return 0;
}
