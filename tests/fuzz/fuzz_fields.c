/*
 * A model's fields_get answer, as the server sends it, into a field table
 * (lib/fields.c): any JSON either builds a table or is refused with
 * ODF_E_PROTOCOL; a table finds each of its fields by name, maps each
 * selection key to a label and back to a key, and suggests for a name
 * only other fields of the table.
 */
#include <cjson/cJSON.h>

#include "fuzz.h"
#include "odf/fields.h"

FUZZ_TARGET(fields)(const uint8_t *data, size_t size)
{
	cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
	struct odf_fields *fs;
	struct odf_error err;
	size_t n, ndefault;

	if (doc == NULL)
		return 0;
	fs = odf_fields_new("fuzz.model", doc, &err);
	cJSON_Delete(doc);
	if (fs == NULL) {
		/* May quote a field name on more lines: Odoo's are identifiers. */
		fuzz_check_error_text(&err);
		FUZZ_ASSERT(err.code == ODF_E_PROTOCOL || err.code == ODF_E_NOMEM);
		return 0;
	}
	FUZZ_ASSERT(strcmp(odf_fields_model(fs), "fuzz.model") == 0);
	n = odf_fields_count(fs);
	ndefault = odf_fields_default_export(fs, NULL, 0);
	FUZZ_ASSERT(ndefault <= n);
	for (size_t i = 0; i < n; i++) {
		const struct odf_field *f = odf_fields_at(fs, i), *g;
		const char *suggested[2];

		FUZZ_ASSERT(f != NULL && f->name != NULL && f->type_name != NULL &&
		    f->string != NULL);
		FUZZ_ASSERT(f->type == odf_field_type_from_name(f->type_name));
		g = odf_fields_get(fs, f->name);
		FUZZ_ASSERT(g != NULL && strcmp(g->name, f->name) == 0);
		g = odf_fields_getn(fs, f->name, strlen(f->name));
		FUZZ_ASSERT(g != NULL && strcmp(g->name, f->name) == 0);
		if (i > 0)
			FUZZ_ASSERT(strcmp(odf_fields_at(fs, i - 1)->name, f->name) <= 0);
		for (size_t k = odf_fields_suggest(fs, f->name, suggested, 2); k-- > 0;) {
			FUZZ_ASSERT(strcmp(suggested[k], f->name) != 0);
			FUZZ_ASSERT(odf_fields_get(fs, suggested[k]) != NULL);
		}
		for (size_t k = 0; k < f->nselection; k++) {
			const struct odf_selection_item *it = &f->selection[k];

			FUZZ_ASSERT(it->key != NULL && it->label != NULL);
			FUZZ_ASSERT(odf_field_selection_key(f, it->key) != NULL);
			FUZZ_ASSERT(odf_field_selection_key(f, it->label) != NULL);
			FUZZ_ASSERT(odf_field_selection_label(f, it->key) != NULL);
		}
		if (f->nselection == 0)
			FUZZ_ASSERT(odf_field_selection_key(f, "x") == NULL);
	}
	odf_fields_free(fs);
	return 0;
}
