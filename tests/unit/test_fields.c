/* Field metadata: the res.partner table of a real fields_get, types,
 * selections, the default export list, suggestions. */
#include <stdlib.h>
#include <string.h>

#include "odf/fields.h"
#include "fixtures.h"
#include "unit.h"

UNIT_TEST(partner_fields_are_read_from_a_real_fields_get)
{
	struct odf_fields *fs = partner_fields();
	const struct odf_field *f;

	CHECK(fs != NULL);
	if (fs == NULL)
		return;
	CHECK_STR(odf_fields_model(fs), "res.partner");
	CHECK_INT(odf_fields_count(fs), 109);
	f = odf_fields_get(fs, "parent_id");
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK_INT(f->type, ODF_FT_MANY2ONE);
		CHECK_STR(f->type_name, "many2one");
		CHECK_STR(f->relation, "res.partner");
		CHECK_STR(f->string, "Related Company");
		CHECK_INT(f->readonly, 0);
		CHECK_INT(f->store, 1);
	}
	f = odf_fields_get(fs, "display_name");
	CHECK(f != NULL && f->readonly && !f->store && f->type == ODF_FT_CHAR);
	f = odf_fields_get(fs, "category_id");
	CHECK(f != NULL && f->type == ODF_FT_MANY2MANY &&
	    strcmp(f->relation, "res.partner.category") == 0);
	f = odf_fields_get(fs, "child_ids");
	CHECK(f != NULL && f->type == ODF_FT_ONE2MANY);
	f = odf_fields_get(fs, "name");
	CHECK(f != NULL && f->type == ODF_FT_CHAR && f->relation == NULL && f->selection == NULL);
	CHECK(odf_fields_get(fs, "no_such_field") == NULL);
	CHECK(odf_fields_get(fs, "") == NULL);
	/* A segment of a longer path is looked up by length. */
	CHECK(odf_fields_getn(fs, "parent_id/id", 9) == odf_fields_get(fs, "parent_id"));
	odf_fields_free(fs);
}

UNIT_TEST(fields_are_in_name_order)
{
	struct odf_fields *fs = partner_fields();

	if (fs == NULL) {
		CHECK(fs != NULL);
		return;
	}
	for (size_t i = 1; i < odf_fields_count(fs); i++)
		CHECK(strcmp(odf_fields_at(fs, i - 1)->name, odf_fields_at(fs, i)->name) < 0);
	CHECK_STR(odf_fields_at(fs, 0)->name, "active");
	CHECK(odf_fields_at(fs, odf_fields_count(fs)) == NULL);
	odf_fields_free(fs);
}

UNIT_TEST(every_type_name_maps_to_its_type_and_back)
{
	static const struct { const char *name; enum odf_field_type type; int rel; } t[] = {
		{ "char", ODF_FT_CHAR, 0 }, { "text", ODF_FT_TEXT, 0 }, { "html", ODF_FT_HTML, 0 },
		{ "integer", ODF_FT_INTEGER, 0 }, { "float", ODF_FT_FLOAT, 0 },
		{ "monetary", ODF_FT_MONETARY, 0 }, { "boolean", ODF_FT_BOOLEAN, 0 },
		{ "date", ODF_FT_DATE, 0 }, { "datetime", ODF_FT_DATETIME, 0 },
		{ "selection", ODF_FT_SELECTION, 0 }, { "many2one", ODF_FT_MANY2ONE, 1 },
		{ "many2many", ODF_FT_MANY2MANY, 1 }, { "one2many", ODF_FT_ONE2MANY, 1 },
		{ "binary", ODF_FT_BINARY, 0 }, { "reference", ODF_FT_REFERENCE, 0 },
		{ "many2one_reference", ODF_FT_MANY2ONE_REFERENCE, 0 }, { "json", ODF_FT_JSON, 0 },
		{ "properties", ODF_FT_PROPERTIES, 0 }, { "other", ODF_FT_OTHER, 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CHECK_INT(odf_field_type_from_name(t[i].name), t[i].type);
		CHECK_STR(odf_field_type_name(t[i].type), t[i].name);
		CHECK_INT(odf_field_type_is_relational(t[i].type), t[i].rel);
	}
	CHECK_INT(odf_field_type_from_name("image_gallery"), ODF_FT_OTHER);
	CHECK_INT(odf_field_type_from_name("Char"), ODF_FT_OTHER);
}

UNIT_TEST(selection_values_map_between_key_and_label)
{
	static const struct { const char *field, *value, *key; } t[] = {
		{ "type", "Invoice Address", "invoice" },       /* a label */
		{ "type", "delivery", "delivery" },             /* a key */
		{ "type", "Contact", "contact" },
		{ "type", "bogus_type", NULL },
		{ "type", "invoice address", NULL },            /* exact, as load */
		{ "c_sel", "Beta", "b" },
		{ "c_sel", "3", "3" },                          /* integer key */
		{ "c_sel", "Three", "3" },
		{ "c_tz", "Europe / Brussels", "Europe/Brussels" },  /* hashed list */
		{ "c_tz", "UTC", "UTC" },
		{ "c_tz", "Europe/Paris", "Europe/Paris" },
		{ "c_tz", "Mars/Olympus", NULL },
		{ "c_char", "x", NULL },                        /* no selection */
	};
	struct odf_schema *s = fixture_schema();
	const struct odf_fields *partner, *sink;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	partner = odf_schema_get(s, "res.partner");
	sink = odf_schema_get(s, "odf.kitchen.sink");
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const struct odf_field *f = odf_fields_get(
		    strncmp(t[i].field, "c_", 2) == 0 ? sink : partner, t[i].field);
		CHECK(f != NULL);
		if (f != NULL)
			CHECK_STR(odf_field_selection_key(f, t[i].value), t[i].key);
	}
	CHECK_STR(odf_field_selection_label(odf_fields_get(partner, "type"), "other"),
	    "Other Address");
	CHECK_STR(odf_field_selection_label(odf_fields_get(sink, "c_tz"), "Asia/Tokyo"),
	    "Asia / Tokyo");
	CHECK(odf_field_selection_label(odf_fields_get(partner, "type"), "Contact") == NULL);
	CHECK_INT(odf_fields_get(sink, "c_tz")->nselection, 18);
	odf_schema_free(s);
}

UNIT_TEST(default_export_takes_stored_writable_fields_only)
{
	static const char *const in[] = {
		"name", "email", "parent_id", "category_id", "country_id", "is_company",
		"type", "street2", "active", "color", "partner_latitude", "date",
		"comment", "image_1920", "lang", "tz", "user_id",
	};
	static const char *const out[] = {
		"id", "display_name", "create_date", "create_uid", "write_date", "write_uid",
		"child_ids", "bank_ids",                        /* one2many */
		"commercial_partner_id", "image_128",           /* read-only */
		"activity_summary", "barcode",                  /* not stored */
	};
	struct odf_fields *fs = partner_fields();
	const char *names[200];
	size_t n;

	if (fs == NULL) {
		CHECK(fs != NULL);
		return;
	}
	n = odf_fields_default_export(fs, names, 200);
	CHECK(n > 0 && n < 109);
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		CHECK(odf_field_is_default_export(odf_fields_get(fs, in[i])));
	for (size_t i = 0; i < sizeof(out) / sizeof(out[0]); i++)
		CHECK(!odf_field_is_default_export(odf_fields_get(fs, out[i])));
	for (size_t i = 0; i < n && i < 200; i++) {
		CHECK(odf_field_is_default_export(odf_fields_get(fs, names[i])));
		if (i > 0)
			CHECK(strcmp(names[i - 1], names[i]) < 0);
	}
	/* The count alone, without room for names. */
	CHECK_INT(odf_fields_default_export(fs, NULL, 0), n);
	odf_fields_free(fs);
}

UNIT_TEST(unknown_names_get_the_closest_field_names)
{
	static const struct { const char *typo, *first; size_t n; } t[] = {
		{ "nmae", "name", 1 },          /* a transposition */
		{ "emial", "email", 1 },
		{ "parnet_id", "parent_id", 1 },
		{ "Name", "name", 1 },          /* case */
		{ "is_compnay", "is_company", 1 },
		{ "contry_id", "country_id", 1 },
		{ "zzzzzzzz", NULL, 0 },
		{ "x", NULL, 0 },
	};
	struct odf_fields *fs = partner_fields();

	if (fs == NULL) {
		CHECK(fs != NULL);
		return;
	}
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *out[3] = { NULL, NULL, NULL };
		size_t n = odf_fields_suggest(fs, t[i].typo, out, 3);
		CHECK(n >= t[i].n);
		if (t[i].n == 0)
			CHECK_INT(n, 0);
		else
			CHECK_STR(out[0], t[i].first);
	}
	/* A name that exists is not its own suggestion. */
	{
		const char *out[5];
		size_t n = odf_fields_suggest(fs, "zip", out, 5);
		for (size_t i = 0; i < n; i++)
			CHECK(strcmp(out[i], "zip") != 0);
	}
	{
		const char *out[1];
		CHECK_INT(odf_fields_suggest(fs, "nmae", out, 0), 0);
	}
	odf_fields_free(fs);
}

UNIT_TEST(bad_fields_get_results_are_refused_with_the_field_named)
{
	static const struct { const char *json, *message; } t[] = {
		{ "[1,2]", "fields_get of x.y: not an object" },
		{ "{'name': 3}", "fields_get of x.y: field 'name': not an object" },
		{ "{'name': {'string': 'Name'}}", "x.y: fields_get: field 'name': no type" },
		{ "{'state': {'type': 'selection', 'selection': [['a']]}}",
		  "fields_get of x.y: field 'state': bad selection list" },
		{ "{'state': {'type': 'selection', 'selection': ['a', 'b']}}",
		  "fields_get of x.y: field 'state': bad selection list" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct odf_error err;
		cJSON *v = J(t[i].json);
		struct odf_fields *fs = odf_fields_new("x.y", v, &err);
		CHECK(fs == NULL);
		if (fs == NULL) {
			CHECK_INT(err.code, ODF_E_PROTOCOL);
			CHECK_STR(err.message, t[i].message);
		}
		odf_fields_free(fs);
		cJSON_Delete(v);
	}
}

UNIT_TEST(fields_not_exportable_or_of_database_ids_are_not_exported_by_default)
{
	/* res.users' group fields as Odoo 17's fields_get adds them: no store,
	 * and export_data raises KeyError on them; parent_path holds ids. */
	cJSON *v = J("{'login': {'type': 'char', 'store': true}, 'parent_path': {'type': "
	    "'char', 'store': true}, 'in_group_12': {'type': "
	    "'boolean', 'string': 'Settings', 'exportable': false, 'selectable': false}, "
	    "'sel_groups_1_9_10': {'type': 'selection', 'selection': [[false, ''], [1, 'A']], "
	    "'exportable': false}}");
	struct odf_error err;
	struct odf_fields *fs = odf_fields_new("res.users", v, &err);
	const char *names[4];

	cJSON_Delete(v);
	CHECK(fs != NULL);
	if (fs == NULL)
		return;
	CHECK_INT(odf_fields_default_export(fs, names, 4), 1);
	CHECK_STR(names[0], "login");
	odf_fields_free(fs);
}

UNIT_TEST(missing_attributes_take_odoo_defaults)
{
	cJSON *v = J("{'x': {'type': 'many2one', 'relation': ''}, 'y': {'type': 'boolean', "
	    "'store': false, 'required': true, 'readonly': 1}}");
	struct odf_error err;
	struct odf_fields *fs = odf_fields_new("m", v, &err);
	const struct odf_field *x, *y;

	cJSON_Delete(v);    /* the table keeps its own copy */
	CHECK(fs != NULL);
	if (fs == NULL)
		return;
	x = odf_fields_get(fs, "x");
	y = odf_fields_get(fs, "y");
	CHECK(x != NULL && y != NULL);
	if (x == NULL || y == NULL) {
		odf_fields_free(fs);
		return;
	}
	CHECK_STR(x->string, "");
	CHECK(x->relation == NULL);
	CHECK(x->store && !x->required && !x->readonly);
	CHECK(!y->store && y->required && y->readonly);
	odf_fields_free(fs);
}

int
main(void)
{
	RUN(partner_fields_are_read_from_a_real_fields_get);
	RUN(fields_are_in_name_order);
	RUN(every_type_name_maps_to_its_type_and_back);
	RUN(selection_values_map_between_key_and_label);
	RUN(default_export_takes_stored_writable_fields_only);
	RUN(unknown_names_get_the_closest_field_names);
	RUN(bad_fields_get_results_are_refused_with_the_field_named);
	RUN(fields_not_exportable_or_of_database_ids_are_not_exported_by_default);
	RUN(missing_attributes_take_odoo_defaults);
	return unit_done();
}
