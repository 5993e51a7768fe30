/* Records and the problems --check finds in them (lib/check.c). */
#include <stdlib.h>
#include <string.h>

#include "odf/check.h"
#include "record_fixtures.h"
#include "unit.h"

static char problems[8192];

static void
collect(const char *path, const char *message, void *arg)
{
	size_t len = strlen(problems);

	(void)arg;
	snprintf(problems + len, sizeof(problems) - len, "%s: %s\n", path, message);
}

static const struct check_case {
	const char *model, *record, *problems;
} check_cases[] = {
	{ "res.partner", "{'id':'x','name':'ok','type':'invoice','is_company':true,'color':3,"
	  "'partner_latitude':'1e3','date':'2024-02-29','signup_expiration':'2024-01-01',"
	  "'parent_id':{'id':'p'},'category_id':[{'.id':1},{'.id':2}],'country_id':'Belgium',"
	  "'lang':'en_US','type':'Invoice Address'}", "" },
	{ "res.partner", "{'nmae':'x'}", "nmae: no field 'nmae' in res.partner (did you mean 'name'?)\n" },
	{ "res.partner", "{'zzzzzzzz':null}", "zzzzzzzz: no field 'zzzzzzzz' in res.partner\n" },
	{ "res.partner", "{'type':'bogus'}",
	  "type: value 'bogus' not in selection (contact, invoice, delivery, other)\n" },
	{ "res.partner", "{'is_company':'maybe','active':'Yes'}",
	  "is_company: value 'maybe' is not a boolean (use 1/0, true/false or yes/no)\n" },
	{ "res.partner", "{'color':'not-an-int','partner_latitude':'north','partner_longitude':' 2.5 '}",
	  "color: value 'not-an-int' is not an integer\n"
	  "partner_latitude: value 'north' is not a number\n" },
	{ "res.partner", "{'date':'2024-02-30','signup_expiration':'2024-01-01 25:00:00'}",
	  "date: value '2024-02-30' is not a date (YYYY-MM-DD)\n"
	  "signup_expiration: value '2024-01-01 25:00:00' is not a datetime (YYYY-MM-DD HH:MM:SS, UTC)\n" },
	{ "res.partner", "{'date':'2024-1-5','signup_expiration':'2024-01-01T10:00:00'}",
	  "date: value '2024-1-5' is not a date (YYYY-MM-DD)\n"
	  "signup_expiration: value '2024-01-01T10:00:00' is not a datetime (YYYY-MM-DD HH:MM:SS, UTC)\n" },
	{ "res.partner", "{'display_name':'y','commercial_partner_id':{'id':'c'}}",
	  "display_name: field is read-only\n"
	  "commercial_partner_id/id: field is read-only\n" },
	{ "res.partner", "{'country_id/code':'BE','name/x':'1'}",
	  "country_id/code: load takes a many2one as country_id/id, country_id/.id or country_id "
	  "(by name), not by its sub-field 'code'\n"
	  "name/x: name is a char field, not a relation\n" },
	{ "res.partner", "{'parent_id/.id':'abc','category_id/.id':'1,2','country_id/.id':'1,2','.id':'x'}",
	  "parent_id/.id: value 'abc' is not a database id\n"
	  "country_id/.id: value '1,2' is not a database id\n"
	  ".id: value 'x' is not a database id\n" },
	{ "sale.order", "{'id':'s','order_line':[{'nmae':'x'},{'nmae':'y'}]}",
	  "order_line/nmae: no field 'nmae' in sale.order.line (did you mean 'name'?)\n" },
	{ "sale.order", "{'id':'s','order_line':[{'name':'a','product_uom_qty':'x'},"
	  "{'name':'b','product_uom_qty':'y','lot_ids':[{'qty':'z'}]}]}",
	  "order_line/product_uom_qty: value 'x' is not a number\n"
	  "order_line/product_uom_qty: value 'y' is not a number\n"
	  "order_line/lot_ids/qty: value 'z' is not a number\n" },
	{ "res.partner", "{'id':'P','bank_ids':[{'acc_number':'x','whatever':'y'}]}", "" },
	{ "odf.kitchen.sink", "{'c_tz':'Europe / Paris','c_sel':'Gamma','c_money':'12.5','c_res_id':'x'}",
	  "c_sel: value 'Gamma' not in selection (a, b, 3)\n"
	  "c_res_id: value 'x' is not an integer\n" },
};

UNIT_TEST(check_finds_what_load_would_refuse)
{
	for (size_t i = 0; i < sizeof(check_cases) / sizeof(check_cases[0]); i++) {
		const struct check_case *c = &check_cases[i];
		struct odf_error err;
		cJSON *rec = J(c->record);
		int n;
		const char *p;
		int want = 0;
		problems[0] = '\0';
		n = odf_record_check(rec, model(c->model), odf_schema_lookup, schema, collect,
		    NULL, &err);
		for (p = c->problems; *p; p++)
			want += *p == '\n';
		CHECK_STR(problems, c->problems);
		CHECK_INT(n, want);
		cJSON_Delete(rec);
	}
}

UNIT_TEST(check_refuses_what_cannot_be_converted)
{
	struct odf_error err;
	cJSON *rec = J("{'category_id':['a']}");

	problems[0] = '\0';
	CHECK_INT(odf_record_check(rec, model("res.partner"), odf_schema_lookup, schema,
	    collect, NULL, &err), -1);
	CHECK_INT(err.code, ODF_E_DATA);
	CHECK_STR(err.message, "field 'category_id': list items must be objects such as {\"id\": ...}");
	CHECK_STR(problems, "");
	cJSON_Delete(rec);
}

UNIT_TEST(keys_name_external_ids_nested_or_flat)
{
	static const struct {
		const char *key, *value, *id;
	} t[] = {
		{ "parent_id", "{'id':'base.a'}", "base.a" },
		{ "parent_id", "{'id':''}", "" },
		{ "parent_id", "{'name':'Acme'}", NULL },
		{ "parent_id", "{'id':7}", NULL },
		{ "parent_id/id", "'x'", "x" },
		{ "parent_id.id", "'x'", "x" },
		{ "parent_id/.id", "'7'", NULL },
		{ "parent_id", "'Acme'", NULL },
		{ "parent_id/id", "null", NULL },
		{ "id", "'x'", NULL },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cJSON *v = J(t[i].value);

		CHECK_STR(odf_key_xmlid(t[i].key, v), t[i].id);
		cJSON_Delete(v);
	}
}

int
main(void)
{
	if (record_tests_start() != 0)
		return 1;
	RUN(check_finds_what_load_would_refuse);
	RUN(check_refuses_what_cannot_be_converted);
	RUN(keys_name_external_ids_nested_or_flat);
	odf_schema_free(schema);
	return unit_done();
}
