/*
 * export_data rows → records (lib/rows.c), driven by tables: the rows of
 * the real 17.0 transcripts as they are (tests/unit/data/), the others in
 * export_data's layout.
 */
#include <stdlib.h>
#include <string.h>

#include "odf/rows.h"
#include "record_fixtures.h"
#include "unit.h"

static struct odf_rows *
new_export(const char *modelname, const char *fields, unsigned flags,
    struct odf_error *err)
{
	char buf[1024];
	const char *paths[32];
	size_t n = split_paths(fields, buf, sizeof(buf), paths);

	return odf_rows_new(model(modelname), odf_schema_lookup, schema, paths, n,
	    flags, err);
}

/* Export datas and return the records as text, one a line (static). */
static const char *
export_text(const char *modelname, const char *fields, unsigned flags,
    const cJSON *datas)
{
	static char out[16384];
	struct odf_error err;
	struct odf_rows *ex = new_export(modelname, fields, flags, &err);
	cJSON *rec;
	int r;

	out[0] = '\0';
	if (ex == NULL) {
		snprintf(out, sizeof(out), "error: %s", err.message);
		return out;
	}
	if (odf_rows_set(ex, datas, &err) < 0) {
		snprintf(out, sizeof(out), "error: %s\n", err.message);
		odf_rows_free(ex);
		return out;
	}
	while ((r = odf_rows_next(ex, &rec, &err)) != 0) {
		size_t len = strlen(out);
		if (r < 0)
			snprintf(out + len, sizeof(out) - len, "error: %s\n", err.message);
		else
			snprintf(out + len, sizeof(out) - len, "%s\n", text_of(rec));
		cJSON_Delete(rec);
	}
	odf_rows_free(ex);
	return out;
}

/* Records written with ' for ", one a line, as compact text lines. */
static const char *
lines_text(const char *records)
{
	static char out[16384];
	char line[4096];
	const char *p = records;

	out[0] = '\0';
	while (*p) {
		size_t len = strcspn(p, "\n"), used = strlen(out);
		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		if (strncmp(line, "error: ", 7) == 0)
			snprintf(out + used, sizeof(out) - used, "%s\n", line);
		else
			snprintf(out + used, sizeof(out) - used, "%s\n", J_text(line));
		p += len + (p[len] == '\n');
	}
	return out;
}

/* ---- export_data rows → records ------------------------------------ */

/* The transcripts' own rows, with the paths they were asked for. */
UNIT_TEST(real_export_data_rows_become_nested_records)
{
	static const struct { const char *file, *records; } t[] = {
		{ "export_data-first.json",
		  "{'id':'__export__.res_partner_4051_fe494f59','name':'Se\u00e1n O\\u0027Brien D\\u0027Angelo',"
		  "'parent_id':{'id':'__import__.odf_company_00010'},'country_id':{'id':'base.no'},"
		  "'category_id':[{'id':'__export__.res_partner_category_26_aae1244a'}],"
		  "'email':'senobrien.dangelo.00010@example.org'}\n"
		  "{'id':'__export__.res_partner_4111_975a7a74','name':'Quentin Garc\u00eda',"
		  "'parent_id':{'id':'__import__.odf_company_00070'},'country_id':{'id':'base.gr'},"
		  "'category_id':[{'id':'__export__.res_partner_category_18_1107378c'}],"
		  "'email':'quentin.garca.00070@example.org'}\n"
		  "{'id':'__import__.odf_company_00000','name':'Nordic M\u00fcller Sp. z o.o. (Holding, \\'Intl\\')',"
		  "'parent_id':null,'country_id':{'id':'base.pl'},"
		  "'category_id':[{'id':'__export__.res_partner_category_12_da159db4'}],'email':null}\n" },
		{ "export_data-loaded.json",
		  "{'id':'__import__.odf_wire_company_1','name':'Wire Company SA','parent_id':null,"
		  "'category_id':[{'id':'__import__.odf_wire_tag_1'},{'id':'__import__.odf_wire_tag_2'}],"
		  "'country_id':{'id':'base.be'}}\n"
		  "{'id':'__import__.odf_wire_contact_1','name':'Wire Contact \u00dcn\u00eb (renamed)',"
		  "'parent_id':{'id':'__import__.odf_wire_company_1'},"
		  "'category_id':[{'id':'__import__.odf_wire_tag_3'}],'country_id':{'id':'base.be'}}\n"
		  "{'id':'__import__.odf_wire_contact_2','name':'Wire Contact \\'Two\\'',"
		  "'parent_id':{'id':'__import__.odf_wire_company_1'},'category_id':[],'country_id':{'id':'base.be'}}\n"
		  "{'id':'__import__.odf_wire_contact_13','name':'Wire Contact Thirteen',"
		  "'parent_id':{'id':'__import__.odf_wire_company_1'},"
		  "'category_id':[{'id':'__import__.odf_wire_tag_1'}],'country_id':{'id':'base.be'}}\n"
		  "{'id':'__import__.odf_wire_contact_14','name':'Wire Contact Fourteen','parent_id':null,"
		  "'category_id':[{'id':'__import__.odf_wire_tag_3'},{'id':'__import__.odf_wire_tag_2'}],"
		  "'country_id':null}\n"
		  "{'id':'__import__.odf_wire_contact_15','name':'Wire Contact 15','parent_id':null,"
		  "'category_id':[],'country_id':null}\n"
		  "{'id':'__import__.odf_wire_contact_16','name':'Wire Contact 16','parent_id':null,"
		  "'category_id':[],'country_id':null}\n" },
		/* booleans and numbers come raw, selections as labels */
		{ "export_data-typed-fields.json",
		  "{'id':'base.partner_admin','name':'Administrator','is_company':false,'color':0,"
		  "'partner_latitude':0,'type':'contact','email':'admin@example.com','parent_id':null,"
		  "'category_id':[]}\n" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cJSON *d = read_json(t[i].file);
		char fields[1024] = "";
		const cJSON *f;
		cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(d, "fields")) {
			size_t len = strlen(fields);
			snprintf(fields + len, sizeof(fields) - len, "%s%s", len ? "," : "", f->valuestring);
		}
		CHECK_STR(export_text("res.partner", fields, 0,
		    cJSON_GetObjectItemCaseSensitive(d, "result")), lines_text(t[i].records));
		cJSON_Delete(d);
	}
}

/* The transcript's rows for .id, display names and raw booleans/labels,
 * taken under paths that ask for the same cells. */
UNIT_TEST(database_ids_and_names_become_numbers_and_name_objects)
{
	cJSON *d = read_json("export_data-names-and-dbids.json");

	CHECK_STR(export_text("res.partner",
	    ".id,name,parent_id/display_name,parent_id/.id,country_id/name,category_id/name,"
	    "is_company,type", 0, cJSON_GetObjectItemCaseSensitive(d, "result")),
	    lines_text(
	    "{'.id':4051,'name':'Se\u00e1n O\\u0027Brien D\\u0027Angelo',"
	    "'parent_id':{'display_name':'Alpha Garc\u00eda AS','.id':51},"
	    "'country_id':{'name':'Norway'},'category_id':[{'name':'ODF Finance'}],"
	    "'is_company':false,'type':'contact'}\n"
	    "{'.id':4111,'name':'Quentin Garc\u00eda',"
	    "'parent_id':{'display_name':'Soci\u00e9t\u00e9 G\u00e9n\u00e9rale d\\u0027\u00c9tudes Papadopoulos A.E.','.id':111},"
	    "'country_id':{'name':'Greece'},'category_id':[{'name':'ODF VIP / ODF Supplier'}],"
	    "'is_company':false,'type':'contact'}\n"
	    "{'.id':41,'name':'Nordic M\u00fcller Sp. z o.o. (Holding, \\'Intl\\')','parent_id':null,"
	    "'country_id':{'name':'Poland'},'category_id':[{'name':'ODF \u0141\u00f3d\u017a Region'}],"
	    "'is_company':true,'type':'contact'}\n"));
	cJSON_Delete(d);
}

static const struct export_case {
	const char *name, *model, *fields;
	unsigned flags;
	const char *datas;      /* ' for " */
	const char *records;    /* one a line, ' for " */
} export_cases[] = {
	{ "every field type, raw cells", "odf.kitchen.sink",
	  "c_char,c_text,c_html,c_int,c_float,c_money,c_bool,c_date,c_datetime,c_sel,c_tz,"
	  "c_m2o/id,c_m2m/id,c_bin,c_ref,c_res_id,c_json,c_odd,.id", 0,
	  "[['H\u00e9llo, w\u00f6rld','two\\nlines','<p>x</p>',42,3.25,19.99,true,'2024-02-29',"
	  "'2024-02-29 13:45:00','Alpha','Europe / Brussels','base.p1','t1,t2','aGVsbG8=',"
	  "'res.partner,7',7,{'a':[1]},'whatever','12']]",
	  "{'c_char':'H\u00e9llo, w\u00f6rld','c_text':'two\\nlines','c_html':'<p>x</p>','c_int':42,"
	  "'c_float':3.25,'c_money':19.99,'c_bool':true,'c_date':'2024-02-29',"
	  "'c_datetime':'2024-02-29 13:45:00','c_sel':'a','c_tz':'Europe/Brussels',"
	  "'c_m2o':{'id':'base.p1'},'c_m2m':[{'id':'t1'},{'id':'t2'}],'c_bin':'aGVsbG8=',"
	  "'c_ref':'res.partner,7','c_res_id':7,'c_json':{'a':[1]},'c_odd':'whatever','.id':12}" },
	{ "every field type, cells as text and empty", "odf.kitchen.sink",
	  "c_char,c_text,c_int,c_float,c_money,c_bool,c_date,c_datetime,c_sel,c_tz,c_m2o/id,"
	  "c_m2m/id,c_bin,c_res_id,c_json,.id", 0,
	  "[['','','7','-2.5','1e3',false,'','','b','UTC','','','','','','3'],"
	  " [false,false,'','','','','','','','','','','','','','4'],"
	  " ['x','y','0','0.0','0','True','2024-01-01','2024-01-01 00:00:00','Three','Europe/Paris','a','b','','0','','5']]",
	  "{'c_char':null,'c_text':null,'c_int':7,'c_float':-2.5,'c_money':1000,'c_bool':false,"
	  "'c_date':null,'c_datetime':null,'c_sel':'b','c_tz':'UTC','c_m2o':null,'c_m2m':[],"
	  "'c_bin':null,'c_res_id':null,'c_json':null,'.id':3}\n"
	  "{'c_char':null,'c_text':null,'c_int':null,'c_float':null,'c_money':null,'c_bool':null,"
	  "'c_date':null,'c_datetime':null,'c_sel':null,'c_tz':null,'c_m2o':null,'c_m2m':[],"
	  "'c_bin':null,'c_res_id':null,'c_json':null,'.id':4}\n"
	  "{'c_char':'x','c_text':'y','c_int':0,'c_float':0,'c_money':0,'c_bool':true,"
	  "'c_date':'2024-01-01','c_datetime':'2024-01-01 00:00:00','c_sel':'3','c_tz':'Europe/Paris',"
	  "'c_m2o':{'id':'a'},'c_m2m':[{'id':'b'}],'c_bin':null,'c_res_id':0,'c_json':null,'.id':5}" },
	{ "a selection value that is neither key nor label is kept", "res.partner",
	  "id,type", 0, "[['a','Adresse de facturation']]",
	  "{'id':'a','type':'Adresse de facturation'}" },
	{ "one2many lines span rows; a record without lines has []", "sale.order",
	  "id,name,partner_id/id,order_line/product_id/id,order_line/product_uom_qty,"
	  "order_line/name,state,tag_ids/id", 0,
	  "[['so1','S001','p1','prod_a',2.0,'Line A','Sales Order','tag1,tag2'],"
	  " ['','','','prod_b',1.5,'Line B','',''],"
	  " ['so2','S002','p2','','','','Quotation',''],"
	  " ['so3','S003','p1','prod_c',0.0,'Line \u00c7','Cancelled','']]",
	  "{'id':'so1','name':'S001','partner_id':{'id':'p1'},'order_line':["
	  "{'product_id':{'id':'prod_a'},'product_uom_qty':2,'name':'Line A'},"
	  "{'product_id':{'id':'prod_b'},'product_uom_qty':1.5,'name':'Line B'}],"
	  "'state':'sale','tag_ids':[{'id':'tag1'},{'id':'tag2'}]}\n"
	  "{'id':'so2','name':'S002','partner_id':{'id':'p2'},'order_line':[],'state':'draft','tag_ids':[]}\n"
	  "{'id':'so3','name':'S003','partner_id':{'id':'p1'},'order_line':["
	  "{'product_id':{'id':'prod_c'},'product_uom_qty':0,'name':'Line \u00c7'}],"
	  "'state':'cancel','tag_ids':[]}" },
	{ "the same, flat: path keys, lines as flat objects", "sale.order",
	  "id,name,partner_id/id,order_line/product_id/id,order_line/product_uom_qty,"
	  "order_line/name,state,tag_ids/id", ODF_ROWS_FLAT,
	  "[['so1','S001','p1','prod_a',2.0,'Line A','Sales Order','tag1,tag2'],"
	  " ['','','','prod_b',1.5,'Line B','',''],"
	  " ['so2','S002','','','','','Quotation','']]",
	  "{'id':'so1','name':'S001','partner_id/id':'p1','order_line':["
	  "{'product_id/id':'prod_a','product_uom_qty':2,'name':'Line A'},"
	  "{'product_id/id':'prod_b','product_uom_qty':1.5,'name':'Line B'}],"
	  "'state':'sale','tag_ids/id':'tag1,tag2'}\n"
	  "{'id':'so2','name':'S002','partner_id/id':null,'order_line':[],'state':'draft','tag_ids/id':null}" },
	{ "lines of lines: a line's extra rows come before the next line", "sale.order",
	  "id,name,order_line/name,order_line/lot_ids/name,order_line/lot_ids/qty", 0,
	  "[['so1','S1','L1','X',1.0],"
	  " ['','','','Y',2.0],"
	  " ['','','L2','Z',0.0],"
	  " ['','','L3','',''],"
	  " ['so2','S2','','','']]",
	  "{'id':'so1','name':'S1','order_line':[{'name':'L1','lot_ids':[{'name':'X','qty':1},"
	  "{'name':'Y','qty':2}]},{'name':'L2','lot_ids':[{'name':'Z','qty':0}]},"
	  "{'name':'L3','lot_ids':[]}]}\n"
	  "{'id':'so2','name':'S2','order_line':[]}" },
	{ "a first line with only lines of its own is still a line", "sale.order",
	  "id,order_line/name,order_line/lot_ids/name", 0,
	  "[['so1','','X'],['','L2','Y']]",
	  "{'id':'so1','order_line':[{'name':null,'lot_ids':[{'name':'X'}]},"
	  "{'name':'L2','lot_ids':[{'name':'Y'}]}]}" },
	{ "two one2many fields: the second's lines follow the first's", "res.partner",
	  "id,child_ids/name,bank_ids/acc_number,name", 0,
	  "[['P','C1','B1','Parent'],['','C2','',''],['','','B2',''],['','','B3',''],"
	  " ['Q','','','Other']]",
	  "{'id':'P','child_ids':[{'name':'C1'},{'name':'C2'}],"
	  "'bank_ids':[{'acc_number':'B1'},{'acc_number':'B2'},{'acc_number':'B3'}],'name':'Parent'}\n"
	  "{'id':'Q','child_ids':[],'bank_ids':[],'name':'Other'}" },
	{ "a bare one2many is its lines' ids", "res.partner", "id,child_ids", 0,
	  "[['P','C1'],['','C2'],['Q','']]",
	  "{'id':'P','child_ids':[{'id':'C1'},{'id':'C2'}]}\n{'id':'Q','child_ids':[]}" },
	{ "flat, a one2many of ids only is one comma-joined value", "res.partner",
	  "id,child_ids/id", ODF_ROWS_FLAT,
	  "[['P','C1'],['','C2'],['Q','']]",
	  "{'id':'P','child_ids/id':'C1,C2'}\n{'id':'Q','child_ids/id':null}" },
	{ "a bare many2one is its id; fields of related records nest", "res.partner",
	  "id,parent_id,parent_id/country_id/code,parent_id/is_company,country_id/.id", 0,
	  "[['a','base.p','BE',true,'21'],['b','','','','']]",
	  "{'id':'a','parent_id':{'id':'base.p','country_id':{'code':'BE'},'is_company':true},"
	  "'country_id':{'.id':21}}\n"
	  "{'id':'b','parent_id':null,'country_id':null}" },
	{ "the same, flat", "res.partner",
	  "id,parent_id,parent_id/country_id/code,parent_id/is_company,country_id/.id",
	  ODF_ROWS_FLAT,
	  "[['a','base.p','BE',true,'21'],['b','','','','']]",
	  "{'id':'a','parent_id/id':'base.p','parent_id/country_id/code':'BE',"
	  "'parent_id/is_company':true,'country_id/.id':21}\n"
	  "{'id':'b','parent_id/id':null,'parent_id/country_id/code':null,"
	  "'parent_id/is_company':null,'country_id/.id':null}" },
	{ "a model without metadata passes its cells through", "res.partner",
	  "id,bank_ids/acc_number,bank_ids/active,bank_ids/sequence", 0,
	  "[['P','BE71',true,10],['','',false,'']]",
	  "{'id':'P','bank_ids':[{'acc_number':'BE71','active':true,'sequence':10},"
	  "{'acc_number':null,'active':false,'sequence':null}]}" },
	{ "without metadata paths are unchecked and cells untyped", "res.unknown",
	  "id,x/id,y,z", 0, "[['a','b',false,'7']]", "{'id':'a','x':{'id':'b'},'y':false,'z':'7'}" },
	{ "records come from the result object or the datas list alike", "res.partner",
	  "id", 0, "{'datas':[['a'],['b']]}", "{'id':'a'}\n{'id':'b'}" },
	{ "no rows, no records", "res.partner", "id,name", 0, "[]", "" },
	{ "without a main field each row is a record", "sale.order", "order_line/name", 0,
	  "[['A'],['B']]", "{'order_line':[{'name':'A'}]}\n{'order_line':[{'name':'B'}]}" },
	{ "a bad cell fails its record only", "odf.kitchen.sink", "c_char,c_int,c_bool", 0,
	  "[['a','1',true],['b','one',false],['c','3','maybe'],['d','4',false]]",
	  "{'c_char':'a','c_int':1,'c_bool':true}\n"
	  "error: export_data: row 2: field 'c_int': \"one\" is not an integer\n"
	  "error: export_data: row 3: field 'c_bool': \"maybe\" is not a boolean\n"
	  "{'c_char':'d','c_int':4,'c_bool':false}" },
	{ "a row of the wrong width is a protocol error", "res.partner", "id,name", 0,
	  "[['a','x'],['b']]", "error: export_data: row 2 has 1 cells, want 2" },
	{ "a row that is not a list is a protocol error", "res.partner", "id", 0,
	  "[['a'],'b']", "error: export_data: row 2 is not a list" },
	{ "an answer without datas is a protocol error", "res.partner", "id", 0,
	  "{'rows':[]}", "error: export_data: no datas array" },
};

UNIT_TEST(export_data_rows_become_records)
{
	for (size_t i = 0; i < sizeof(export_cases) / sizeof(export_cases[0]); i++) {
		const struct export_case *c = &export_cases[i];
		cJSON *datas = J(c->datas);
		char want[16384];
		const char *got;
		snprintf(want, sizeof(want), "%s", lines_text(c->records));
		got = export_text(c->model, c->fields, c->flags, datas);
		if (strcmp(got, want) != 0)
			printf("# case: %s\n", c->name);
		CHECK_STR(got, want);
		cJSON_Delete(datas);
	}
}

UNIT_TEST(bad_field_paths_are_refused_with_a_reason)
{
	static const struct { const char *model, *fields, *message; } t[] = {
		{ "res.partner", "id,nmae",
		  "field 'nmae': no field 'nmae' in res.partner (did you mean 'name'?)" },
		{ "res.partner", "parent_id/nmae",
		  "field 'parent_id/nmae': no field 'nmae' in res.partner (did you mean 'name'?)" },
		{ "res.partner", "zzzzzzzz", "field 'zzzzzzzz': no field 'zzzzzzzz' in res.partner" },
		{ "res.partner", "dat",
		  "field 'dat': no field 'dat' in res.partner (did you mean 'date' or 'vat'?)" },
		{ "res.partner", "name/id", "field 'name/id': name is a char field, not a relation" },
		{ "res.partner", "name,id,name", "field 'name' asked twice" },
		{ "res.partner", "parent_id,parent_id/id", "field 'parent_id/id' asked twice" },
		{ "res.partner", "id/x", "field 'id/x': 'id' must end the path" },
		{ "res.partner", "parent_id/.id/x", "field 'parent_id/.id/x': '.id' must end the path" },
		{ "res.partner", "category_id/color",
		  "field 'category_id/color': a many2many is exported as category_id/id or category_id/name" },
		{ "res.partner", "category_id/id,category_id/name",
		  "field 'category_id/name': many2many category_id can be exported once" },
		{ "res.partner", "id,", "field '': empty field name" },
		{ "res.partner", "parent_id/", "field 'parent_id/': empty field name" },
		{ "sale.order", "order_line/lot_ids/nmae",
		  "field 'order_line/lot_ids/nmae': no field 'nmae' in sale.order.line.lot (did you mean 'name'?)" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct odf_error err;
		struct odf_rows *ex = new_export(t[i].model, t[i].fields, 0, &err);
		CHECK(ex == NULL);
		if (ex == NULL) {
			CHECK_INT(err.code, ODF_E_USAGE);
			CHECK_STR(err.message, t[i].message);
		}
		odf_rows_free(ex);
	}
}

UNIT_TEST(paths_are_given_to_export_data_normalized)
{
	struct odf_error err;
	struct odf_rows *ex = new_export("res.partner",
	    "id,parent_id,category_id,child_ids,country_id/.id,name", 0, &err);
	cJSON *paths;

	CHECK(ex != NULL);
	if (ex == NULL)
		return;
	paths = odf_rows_paths_json(ex);
	CHECK_STR(text_of(paths), J_text(
	    "['id','parent_id/id','category_id/id','child_ids/id','country_id/.id','name']"));
	cJSON_Delete(paths);
	odf_rows_free(ex);
}

UNIT_TEST(export_takes_one_batch_after_another)
{
	struct odf_error err;
	struct odf_rows *ex = new_export("sale.order", "id,order_line/name", 0, &err);
	cJSON *a = J("[['s1','A'],['','B']]"), *b = J("[['s2','C']]"), *rec;

	CHECK(ex != NULL);
	if (ex != NULL) {
		CHECK_INT(odf_rows_set(ex, a, &err), 0);
		CHECK_INT(odf_rows_next(ex, &rec, &err), 1);
		CHECK_STR(text_of(rec), J_text("{'id':'s1','order_line':[{'name':'A'},{'name':'B'}]}"));
		cJSON_Delete(rec);
		CHECK_INT(odf_rows_next(ex, &rec, &err), 0);
		CHECK(rec == NULL);
		CHECK_INT(odf_rows_set(ex, b, &err), 0);
		CHECK_INT(odf_rows_next(ex, &rec, &err), 1);
		CHECK_STR(text_of(rec), J_text("{'id':'s2','order_line':[{'name':'C'}]}"));
		cJSON_Delete(rec);
		CHECK_INT(odf_rows_next(ex, &rec, &err), 0);
	}
	odf_rows_free(ex);
	odf_rows_free(NULL);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

int
main(void)
{
	if (record_tests_start() != 0)
		return 1;
	RUN(real_export_data_rows_become_nested_records);
	RUN(database_ids_and_names_become_numbers_and_name_objects);
	RUN(export_data_rows_become_records);
	RUN(bad_field_paths_are_refused_with_a_reason);
	RUN(paths_are_given_to_export_data_normalized);
	RUN(export_takes_one_batch_after_another);
	odf_schema_free(schema);
	return unit_done();
}
