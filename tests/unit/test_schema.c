/* Tables of models by name (lib/schema.c). */
#include <stdlib.h>

#include "odf/schema.h"
#include "fixtures.h"
#include "unit.h"

UNIT_TEST(a_schema_finds_tables_by_model_and_replaces_them)
{
	struct odf_schema *s = fixture_schema();
	struct odf_error err;
	cJSON *v = J("{'code': {'type': 'char'}}");

	CHECK(s != NULL);
	if (s == NULL) {
		cJSON_Delete(v);
		return;
	}
	CHECK(odf_schema_get(s, "sale.order.line") != NULL);
	CHECK(odf_schema_lookup("res.partner", s) == odf_schema_get(s, "res.partner"));
	CHECK(odf_schema_get(s, "res.users") == NULL);
	CHECK(odf_fields_get(odf_schema_get(s, "res.country"), "name") != NULL);
	CHECK_INT(odf_schema_add(s, odf_fields_new("res.country", v, &err), &err), 0);
	CHECK(odf_fields_get(odf_schema_get(s, "res.country"), "name") == NULL);
	CHECK(odf_fields_get(odf_schema_get(s, "res.country"), "code") != NULL);
	CHECK_INT(odf_schema_add(s, NULL, &err), -1);
	cJSON_Delete(v);
	odf_schema_free(s);
	odf_schema_free(NULL);
	odf_fields_free(NULL);
}

/* Without a source, a lookup answers from the tables added only. */
UNIT_TEST(a_schema_without_a_source_fetches_nothing)
{
	struct odf_schema *s = odf_schema_new();

	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK(odf_schema_lookup("res.partner", s) == NULL);
	CHECK(odf_schema_get(s, "res.partner") == NULL);
	odf_schema_free(s);
}

int
main(void)
{
	RUN(a_schema_finds_tables_by_model_and_replaces_them);
	RUN(a_schema_without_a_source_fetches_nothing);
	return unit_done();
}
