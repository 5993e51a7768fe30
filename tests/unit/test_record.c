/*
 * Records both ways, driven by tables: export_data rows and the records
 * they become; records and the load rows they become; records and the
 * problems --check finds. The rows of the real 17.0 transcripts are used as
 * they are (tests/unit/data/); the others follow export_data's layout.
 */
#include <stdlib.h>
#include <string.h>

#include "odf/check.h"
#include "odf/load_rows.h"
#include "odf/record.h"
#include "odf/rows.h"
#include "fixtures.h"
#include "unit.h"

static struct odf_schema *schema;

static const struct odf_fields *
model(const char *name)
{
	return schema ? odf_schema_get(schema, name) : NULL;
}

/* Split "a,b,c" into the array paths (at most 32). */
static size_t
split_paths(const char *list, char *buf, size_t size, const char **paths)
{
	size_t n = 0;

	snprintf(buf, size, "%s", list);
	for (char *p = buf; n < 32;) {
		paths[n++] = p;
		if ((p = strchr(p, ',')) == NULL)
			break;
		*p++ = '\0';
	}
	return n;
}

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

/* ---- records → load rows ------------------------------------------- */

/* Load fields and data for records (one a line, ' for "), as text. */
static const char *
load_text(const char *modelname, const char *records)
{
	static char out[16384];
	struct odf_load_batch *b = odf_load_batch_new(model(modelname), odf_schema_lookup, schema);
	char line[4096];
	const char *p = records;
	cJSON *fields, *data;
	struct odf_error err;

	out[0] = '\0';
	if (b == NULL)
		return "no batch";
	while (*p) {
		size_t len = strcspn(p, "\n"), used = strlen(out);
		cJSON *rec;
		int rc;
		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		p += len + (p[len] == '\n');
		rec = J(line);
		rc = odf_load_batch_add(b, rec, 0, &err);
		if (rc < 0)
			snprintf(out + used, sizeof(out) - used, "error: %s\n", err.message);
		else if (rc > 0)
			snprintf(out + used, sizeof(out) - used, "conflict\n");
		cJSON_Delete(rec);
	}
	if (odf_load_batch_build(b, &fields, &data, &err) == 0) {
		size_t used = strlen(out);
		snprintf(out + used, sizeof(out) - used, "%s ", text_of(fields));
		used = strlen(out);
		snprintf(out + used, sizeof(out) - used, "%s", text_of(data));
		cJSON_Delete(fields);
		cJSON_Delete(data);
	}
	odf_load_batch_free(b);
	return out;
}

/* "fields data" written with ' for ", normalized. */
static const char *
rows_text(const char *prefix, const char *fields, const char *data)
{
	static char out[16384];

	snprintf(out, sizeof(out), "%s%s ", prefix, J_text(fields));
	snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s", J_text(data));
	return out;
}

static const struct load_case {
	const char *name, *model;
	const char *records;    /* one a line */
	const char *fields, *data, *errors;
} load_cases[] = {
	{ "types become load's text: booleans 1/0, numbers, null empty", "res.partner",
	  "{'id':'t1','is_company':true,'color':3,'partner_latitude':1.5,'email':null,"
	  "'type':'invoice','date':'2024-01-31','active':false}",
	  "['id','is_company','color','partner_latitude','email','type','date','active']",
	  "[['t1','1','3','1.5','','invoice','2024-01-31','0']]", "" },
	{ "every field type becomes load's text", "odf.kitchen.sink",
	  "{'c_char':'x','c_text':'a\\nb','c_html':'<p/>','c_int':1,'c_float':1.25,'c_money':3,"
	  "'c_bool':false,'c_date':'2024-01-01','c_datetime':'2024-01-01 10:00:00','c_sel':'a',"
	  "'c_tz':'UTC','c_m2o':{'id':'p'},'c_m2m':[{'id':'t1'},{'id':'t2'}],"
	  "'c_o2m':[{'c_char':'kid'}],'c_bin':'aGk=','c_ref':'res.partner,1','c_res_id':1,"
	  "'c_json':{'k':[1,'\u00e9']},'c_props':[],'c_odd':'?'}",
	  "['c_char','c_text','c_html','c_int','c_float','c_money','c_bool','c_date','c_datetime',"
	  "'c_sel','c_tz','c_m2o/id','c_m2m/id','c_o2m/c_char','c_bin','c_ref','c_res_id','c_json',"
	  "'c_props','c_odd']",
	  "[['x','a\\nb','<p/>','1','1.25','3','0','2024-01-01','2024-01-01 10:00:00','a','UTC',"
	  "'p','t1,t2','kid','aGk=','res.partner,1','1','{\\'k\\':[1,\\'\u00e9\\']}','[]','?']]", "" },
	{ "numbers are written in their shortest exact form", "odf.kitchen.sink",
	  "{'c_float':0.1,'c_int':-3,'c_money':2.5e-7,'c_res_id':123456789012,'c_char':1e20}",
	  "['c_float','c_int','c_money','c_res_id','c_char']",
	  "[['0.1','-3','2.5e-07','123456789012','1e+20']]", "" },
	{ "false on a field that is not boolean is empty, as read gives it", "res.partner",
	  "{'id':'x','email':false,'parent_id':false,'category_id':[]}",
	  "['id','email','parent_id/id','category_id/id']", "[['x','','','']]", "" },
	{ "strings pass as they are: labels, spellings of booleans, text", "res.partner",
	  "{'id':'x','type':'Invoice Address','is_company':'True','active':'yes','name':'\u0141\u00f3d\u017a \u00dcn\u00eb \u6771\u4eac','comment':'<p>a\\nb</p>'}",
	  "['id','type','is_company','active','name','comment']",
	  "[['x','Invoice Address','True','yes','\u0141\u00f3d\u017a \u00dcn\u00eb \u6771\u4eac','<p>a\\nb</p>']]", "" },
	{ "database ids, single and many", "res.partner",
	  "{'.id':7,'parent_id':{'.id':3},'category_id':[{'.id':1},{'.id':2}]}",
	  "['.id','parent_id/.id','category_id/.id']", "[['7','3','1,2']]", "" },
	{ "records by name: a plain string, name objects", "res.partner",
	  "{'id':'x','country_id':{'name':'Belgium'},'category_id':[{'name':'VIP'},{'display_name':'A / B'}],'parent_id':'Acme'}",
	  "['id','country_id','category_id','parent_id']",
	  "[['x','Belgium','VIP,A / B','Acme']]", "" },
	{ "a related record is referenced by id; its other keys describe it", "res.partner",
	  "{'id':'x','parent_id':{'id':'p','name':'P','.id':4,'country_id':{'code':'BE'}}}",
	  "['id','parent_id/id']", "[['x','p']]", "" },
	{ "dotted keys are paths; .id stays one segment", "res.partner",
	  "{'id':'x','parent_id.id':'p','country_id/.id':21,'state_id..id':5}",
	  "['id','parent_id/id','country_id/.id','state_id/.id']", "[['x','p','21','5']]", "" },
	{ "keys starting with _odf are not imported", "res.partner",
	  "{'id':'x','name':'n','_odf_error':'boom','_odf':{'line':3},"
	  "'order_line':[{'_odf_note':1,'name':'l'}]}",
	  "['id','name','order_line/name']", "[['x','n','l']]", "" },
	{ "id goes first whatever the order of keys and records", "res.partner",
	  "{'name':'a'}\n{'name':'b','id':'x'}",
	  "['id','name']", "[['','a'],['x','b']]", "" },
	{ "one2many lines take a row each; main cells only on the first", "sale.order",
	  "{'id':'so1','name':'S1','partner_id':{'id':'p1'},'order_line':["
	  "{'product_id':{'id':'a'},'product_uom_qty':2,'name':'A'},"
	  "{'product_id':{'id':'b'},'product_uom_qty':1.5,'name':'B'}],'state':'sale'}\n"
	  "{'id':'so2','name':'S2','partner_id':{'id':'p2'},'order_line':[],'state':'draft'}",
	  "['id','name','partner_id/id','order_line/product_id/id','order_line/product_uom_qty',"
	  "'order_line/name','state']",
	  "[['so1','S1','p1','a','2','A','sale'],['','','','b','1.5','B',''],"
	  "['so2','S2','p2','','','','draft']]", "" },
	{ "lines of lines follow their line; an empty list adds no column", "sale.order",
	  "{'id':'so1','order_line':[{'name':'L1','lot_ids':[{'name':'X'},{'name':'Y'}]},"
	  "{'name':'L2','lot_ids':[{'name':'Z'}]},{'name':'L3','lot_ids':[]}]}",
	  "['id','order_line/name','order_line/lot_ids/name']",
	  "[['so1','L1','X'],['','','Y'],['','L2','Z'],['','L3','']]", "" },
	{ "two one2many fields share the record's rows", "res.partner",
	  "{'id':'P','child_ids':[{'name':'C1'},{'name':'C2'}],"
	  "'bank_ids':[{'acc_number':'B1'},{'acc_number':'B2'},{'acc_number':'B3'}]}",
	  "['id','child_ids/name','bank_ids/acc_number']",
	  "[['P','C1','B1'],['','C2','B2'],['','','B3']]", "" },
	{ "one2many lines that are only ids are one comma-joined cell", "res.partner",
	  "{'id':'P','child_ids':[{'id':'c1'},{'id':'c2'}]}",
	  "['id','child_ids/id']", "[['P','c1,c2']]", "" },
	{ "lines with an id and fields update those lines", "res.partner",
	  "{'id':'P','child_ids':[{'id':'c1','name':'One'},{'id':'c2','name':'Two'}]}",
	  "['id','child_ids/id','child_ids/name']", "[['P','c1','One'],['','c2','Two']]", "" },
	{ "flat and nested mixed; the same value twice is taken once", "res.partner",
	  "{'id':'x','parent_id/id':'p','parent_id':{'id':'p'},'category_id/id':'a,b','country_id':{'id':'base.be'}}",
	  "['id','parent_id/id','category_id/id','country_id/id']", "[['x','p','a,b','base.be']]", "" },
	{ "lines in flat shape", "sale.order",
	  "{'id':'so1','order_line':[{'product_id/id':'a','name':'A'},{'product_id.id':'b','name':'B'}]}",
	  "['id','order_line/product_id/id','order_line/name']",
	  "[['so1','a','A'],['','b','B']]", "" },
	{ "an empty value fills the column the batch has for the field", "res.partner",
	  "{'id':'a','parent_id':null,'category_id':[]}\n{'id':'b','parent_id':{'.id':5},'category_id':[{'name':'T'}]}",
	  "['id','parent_id/.id','category_id']", "[['a','',''],['b','5','T']]", "" },
	{ "an empty value alone adds the field's column, to clear it", "res.partner",
	  "{'id':'a','parent_id':null,'email':null,'child_ids':[]}",
	  "['id','parent_id/id','email','child_ids/id']", "[['a','','','']]", "" },
	{ "records that cannot be converted are refused one by one", "res.partner",
	  "{'id':'ok1'}\n[1,2]\n{'category_id':['a','b']}\n{'parent_id':[{'id':'x'}]}\n"
	  "{'country_id':{'code':'BE'}}\n{'name':{'x':1}}\n{'email':true}\n"
	  "{'parent_id/id':'a','parent_id':{'id':'b'}}\n{'parent_id/id':'a','parent_id/.id':3}\n"
	  "{'category_id':[{'id':'a'},{'.id':2}]}\n{'category_id':[{'name':'a,b'}]}\n"
	  "{'category_id':[{'id':'a'},{'code':'b'}]}\n{'category_id':[{'id':''}]}\n"
	  "{'a//b':1}\n{'parent_id/id/x':1}\n{'parent_id':{'id':[1]}}\n{'parent_id/id':{'id':'x'}}\n"
	  "{'name/':1}\n{'':1}\n{'id':'ok2'}",
	  "['id']", "[['ok1'],['ok2']]",
	  "error: record is not a JSON object\n"
	  "error: field 'category_id': list items must be objects such as {\"id\": ...}\n"
	  "error: field 'parent_id': a many2one takes one record, not a list\n"
	  "error: field 'country_id': a related record needs \"id\", \".id\" or \"name\"\n"
	  "error: field 'name': a char field takes no list or object\n"
	  "error: field 'email': true is not a char value\n"
	  "error: field 'parent_id/id': given twice, as 'a' and 'b'\n"
	  "error: field 'parent_id': given both as 'parent_id/id' and 'parent_id/.id'\n"
	  "error: field 'category_id': item 2 is referenced unlike the first (all by id, all by .id or all by name)\n"
	  "error: field 'category_id': reference 'a,b' has a comma, which load reads as a separator\n"
	  "error: field 'category_id': item 2 has no \"id\", \".id\" or \"name\"\n"
	  "error: field 'category_id': item 1 has an empty reference\n"
	  "error: key 'a//b': empty field name\n"
	  "error: key 'parent_id/id/x': 'id' and '.id' must end the path\n"
	  "error: field 'parent_id': the reference must be text\n"
	  "error: field 'parent_id/id': a reference must be text or a number\n"
	  "error: key 'name/': empty field name\n"
	  "error: key '': empty field name\n" },
	{ "lines must have values of their own", "sale.order",
	  "{'id':'s','order_line':{'name':'x'}}\n{'id':'s','order_line':[{'name':'a'},{}]}\n"
	  "{'id':'s','order_line':[{'name':''}]}\n{'order_line':[{'name':'x'}]}\n"
	  "{'id':'s','order_line':[{'lot_ids':[{'name':'x'}]}]}",
	  "[]", "[]",
	  "error: field 'order_line': a one2many takes a list of lines\n"
	  "error: field 'order_line': line 2 has no value of its own (load would drop or merge it)\n"
	  "error: field 'order_line': line 1 has no value of its own (load would drop or merge it)\n"
	  "error: record has only one2many lines: it needs a value of its own, such as its id\n"
	  "error: field 'order_line': line 1 has no value of its own (load would drop or merge it)\n" },
	{ "a relation named two ways goes to the next batch", "res.partner",
	  "{'id':'a','parent_id':{'id':'p'}}\n{'id':'b','parent_id':{'.id':3}}\n{'id':'c','parent_id':'P'}\n"
	  "{'id':'d','parent_id':{'id':'q'}}",
	  "['id','parent_id/id']", "[['a','p'],['d','q']]", "conflict\nconflict\n" },
	{ "without metadata records are taken by shape", "res.unknown",
	  "{'id':'x','flag':true,'n':2,'rel':{'id':'r'},'tags':[{'id':'a'}],'lines':[{'k':'v'},{'k':'w'}],'none':null}",
	  "['id','flag','n','rel/id','tags/id','lines/k','none']",
	  "[['x','1','2','r','a','v',''],['','','','','','w','']]", "" },
};

UNIT_TEST(records_become_load_rows)
{
	for (size_t i = 0; i < sizeof(load_cases) / sizeof(load_cases[0]); i++) {
		const struct load_case *c = &load_cases[i];
		char want[16384];
		const char *got;
		snprintf(want, sizeof(want), "%s", rows_text(c->errors, c->fields, c->data));
		got = load_text(c->model, c->records);
		if (strcmp(got, want) != 0)
			printf("# case: %s\n", c->name);
		CHECK_STR(got, want);
	}
}

/* The records behind the transcripts' load requests give the same request. */
UNIT_TEST(records_give_the_load_requests_of_the_transcripts)
{
	static const struct { const char *file, *records; } t[] = {
		{ "load-good-batch.json",
		  "{'id':'odf_wire_company_1','name':'Wire Company SA','is_company':true,'parent_id':null,"
		  "'category_id':[{'id':'odf_wire_tag_1'},{'id':'odf_wire_tag_2'}],'country_id':{'id':'base.be'},"
		  "'email':'info@wire-company.example.com','street2':'B\u00e2timent A\\n\u00c9tage 2'}\n"
		  "{'id':'odf_wire_contact_1','name':'Wire Contact \u00dcn\u00eb','is_company':false,"
		  "'parent_id':{'id':'odf_wire_company_1'},'category_id':[{'id':'odf_wire_tag_3'}],"
		  "'country_id':{'id':'base.be'},'email':'one@wire-company.example.com','street2':null}\n"
		  "{'id':'odf_wire_contact_2','name':'Wire Contact \\'Two\\'','is_company':false,"
		  "'parent_id':{'id':'odf_wire_company_1'},'category_id':[],'country_id':{'id':'base.fr'},"
		  "'email':'two@wire-company.example.com','street2':''}" },
		{ "load-tracking-disable.json",
		  "{'id':'odf_wire_contact_13','name':'Wire Contact Thirteen','parent_id/id':'odf_wire_company_1',"
		  "'category_id/id':'odf_wire_tag_1'}\n"
		  "{'id':'odf_wire_contact_14','name':'Wire Contact Fourteen','parent_id':null,"
		  "'category_id':[{'id':'odf_wire_tag_2'},{'id':'odf_wire_tag_3'}]}" },
		{ "load-string-booleans.json",
		  "{'id':'odf_wire_t5','name':'Typed Five','is_company':'True','active':'1'}\n"
		  "{'id':'odf_wire_t6','name':'Typed Six','is_company':'0','active':'False'}\n"
		  "{'id':'odf_wire_t7','name':'Typed Seven','is_company':'yes','active':'true'}" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cJSON *d = read_json(t[i].file);
		char want[8192];
		snprintf(want, sizeof(want), "%s ", text_of(cJSON_GetObjectItemCaseSensitive(d, "fields")));
		snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s",
		    text_of(cJSON_GetObjectItemCaseSensitive(d, "data")));
		CHECK_STR(load_text("res.partner", t[i].records), want);
		cJSON_Delete(d);
	}
}

/* Export rows → records (nested, then flat) → load rows: the same cells. */
UNIT_TEST(exported_records_load_back_as_the_same_cells)
{
	static const struct { const char *file, *model, *fields, *datas; } t[] = {
		{ "export_data-first.json", NULL, NULL, NULL },
		{ "export_data-loaded.json", NULL, NULL, NULL },
		{ NULL, "sale.order", "id,name,partner_id/id,order_line/product_id/id,order_line/name,tag_ids/id",
		  "[['so1','S\u00d8','p1','a','A \u00e9','t1,t2'],['','','','b','B',''],['','','','c','C',''],"
		  " ['so2','S2','','','','t3'],['so3','S3','p2','d','D','']]" },
		{ NULL, "sale.order", "id,order_line/name,order_line/lot_ids/name",
		  "[['so1','L1','X'],['','','Y'],['','L2','Z'],['','L3',''],['so2','','']]" },
		{ NULL, "res.partner", "id,child_ids/id,parent_id/.id",
		  "[['P','c1','3'],['','c2',''],['Q','','']]" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cJSON *d = t[i].file ? read_json(t[i].file) : NULL, *datas, *rows;
		char fields[1024] = "";
		const char *paths[32];
		char buf[1024];
		size_t n;

		if (d != NULL) {
			const cJSON *f;
			cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(d, "fields")) {
				size_t len = strlen(fields);
				snprintf(fields + len, sizeof(fields) - len, "%s%s", len ? "," : "",
				    f->valuestring);
			}
			datas = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(d,
			    "result"), "datas");
		} else {
			snprintf(fields, sizeof(fields), "%s", t[i].fields);
			datas = d = J(t[i].datas);
		}
		n = split_paths(fields, buf, sizeof(buf), paths);
		for (unsigned flags = 0; flags <= ODF_ROWS_FLAT; flags += ODF_ROWS_FLAT) {
			const char *m = t[i].model ? t[i].model : "res.partner";
			struct odf_error err;
			struct odf_rows *ex = odf_rows_new(model(m), odf_schema_lookup, schema,
			    paths, n, flags, &err);
			struct odf_load_batch *b = odf_load_batch_new(model(m), odf_schema_lookup, schema);
			cJSON *rec, *lf = NULL, *ld = NULL, *want = odf_rows_paths_json(ex);
			CHECK(ex != NULL && b != NULL);
			if (ex == NULL || b == NULL || odf_rows_set(ex, datas, &err) < 0) {
				odf_rows_free(ex);
				odf_load_batch_free(b);
				cJSON_Delete(want);
				continue;
			}
			while (odf_rows_next(ex, &rec, &err) == 1) {
				CHECK_INT(odf_load_batch_add(b, rec, 0, &err), 0);
				cJSON_Delete(rec);
			}
			CHECK_INT(odf_load_batch_build(b, &lf, &ld, &err), 0);
			CHECK_STR(text_of(lf), text_of(want));
			rows = datas;
			CHECK_STR(text_of(ld), text_of(rows));
			cJSON_Delete(lf);
			cJSON_Delete(ld);
			cJSON_Delete(want);
			odf_rows_free(ex);
			odf_load_batch_free(b);
		}
		cJSON_Delete(d);
	}
}

UNIT_TEST(load_messages_are_mapped_back_to_their_records)
{
	struct odf_load_batch *b = odf_load_batch_new(model("sale.order"), odf_schema_lookup, schema);
	static const char *const recs[] = {
		"{'id':'s0','name':'A'}",
		"{'id':'s1','order_line':[{'name':'x'},{'name':'y'}]}",
		"{'id':'s2','partner_id':{'id':'p'}}",
		"{'id':'s3','name':'D'}",
	};
	cJSON *fields, *data, *msg;
	struct odf_error err;
	long from, to;

	CHECK(b != NULL);
	if (b == NULL)
		return;
	for (size_t i = 0; i < 4; i++) {
		cJSON *r = J(recs[i]);
		CHECK_INT(odf_load_batch_add(b, r, 100 + (long)i, &err), 0);
		cJSON_Delete(r);
	}
	CHECK_INT(odf_load_batch_count(b), 4);
	CHECK_INT(odf_load_batch_tag(b, 2), 102);
	CHECK_INT(odf_load_batch_tag(b, 9), -1);
	CHECK_INT(odf_load_batch_build(b, &fields, &data, &err), 0);
	CHECK_INT(cJSON_GetArraySize(data), 5);
	CHECK_INT(odf_load_batch_at_row(b, 0), 0);
	CHECK_INT(odf_load_batch_at_row(b, 1), 1);
	CHECK_INT(odf_load_batch_at_row(b, 2), 1);
	CHECK_INT(odf_load_batch_at_row(b, 3), 2);
	CHECK_INT(odf_load_batch_at_row(b, 4), 3);
	CHECK_INT(odf_load_batch_at_row(b, 5), -1);
	CHECK_INT(odf_load_batch_at_row(b, -1), -1);
	CHECK_INT(odf_load_batch_rows(b, 1, &from, &to), 0);
	CHECK(from == 1 && to == 2);
	/* A real message (load-missing-xmlid): rows name the record. */
	msg = J("{'rows': {'from': 3, 'to': 3}, 'type': 'error', 'record': 2, 'field': 'parent_id'}");
	CHECK_INT(odf_load_batch_message_record(b, msg), 2);
	cJSON_Delete(msg);
	msg = J("{'record': 1, 'type': 'error'}");
	CHECK_INT(odf_load_batch_message_record(b, msg), 1);
	cJSON_Delete(msg);
	msg = J("{'type': 'error', 'message': 'whole call'}");
	CHECK_INT(odf_load_batch_message_record(b, msg), -1);
	cJSON_Delete(msg);
	cJSON_Delete(fields);
	cJSON_Delete(data);

	/* Leave out the record with lines: its columns go, the rest shift up. */
	odf_load_batch_exclude(b, 1);
	CHECK(odf_load_batch_is_excluded(b, 1));
	CHECK(!odf_load_batch_is_excluded(b, 0));
	CHECK_INT(odf_load_batch_included(b), 3);
	CHECK_INT(odf_load_batch_build(b, &fields, &data, &err), 0);
	CHECK_STR(text_of(fields), J_text("['id','name','partner_id/id']"));
	CHECK_STR(text_of(data), J_text("[['s0','A',''],['s2','','p'],['s3','D','']]"));
	CHECK_INT(odf_load_batch_sent(b, 1), 2);
	CHECK_INT(odf_load_batch_sent(b, 3), -1);
	CHECK_INT(odf_load_batch_at_row(b, 1), 2);
	CHECK_INT(odf_load_batch_rows(b, 1, &from, &to), -1);
	CHECK_INT(odf_load_batch_rows(b, 3, &from, &to), 0);
	CHECK(from == 2 && to == 2);
	msg = J("{'rows': {'from': 2, 'to': 2}, 'record': 2}");
	CHECK_INT(odf_load_batch_message_record(b, msg), 3);
	cJSON_Delete(msg);
	cJSON_Delete(fields);
	cJSON_Delete(data);

	/* Cleared, the batch starts over with nothing of the old one. */
	odf_load_batch_clear(b);
	CHECK_INT(odf_load_batch_count(b), 0);
	{
		cJSON *r = J("{'name':'new'}");
		CHECK_INT(odf_load_batch_add(b, r, 7, &err), 0);
		cJSON_Delete(r);
	}
	CHECK_INT(odf_load_batch_build(b, &fields, &data, &err), 0);
	CHECK_STR(text_of(fields), J_text("['name']"));
	CHECK_STR(text_of(data), J_text("[['new']]"));
	cJSON_Delete(fields);
	cJSON_Delete(data);
	odf_load_batch_free(b);
	odf_load_batch_free(NULL);
}

UNIT_TEST(a_record_refused_for_conflict_fits_a_cleared_batch)
{
	struct odf_load_batch *b = odf_load_batch_new(model("res.partner"), odf_schema_lookup, schema);
	cJSON *r1 = J("{'id':'a','parent_id':{'id':'p'}}"), *r2 = J("{'id':'b','parent_id':{'.id':3}}");
	cJSON *fields, *data;
	struct odf_error err;

	CHECK(b != NULL);
	if (b != NULL) {
		CHECK_INT(odf_load_batch_add(b, r1, 1, &err), 0);
		CHECK_INT(odf_load_batch_add(b, r2, 2, &err), ODF_BATCH_CONFLICT);
		CHECK_INT(odf_load_batch_count(b), 1);
		odf_load_batch_clear(b);
		CHECK_INT(odf_load_batch_add(b, r2, 2, &err), 0);
		CHECK_INT(odf_load_batch_build(b, &fields, &data, &err), 0);
		CHECK_STR(text_of(fields), J_text("['id','parent_id/.id']"));
		CHECK_STR(text_of(data), J_text("[['b','3']]"));
		cJSON_Delete(fields);
		cJSON_Delete(data);
	}
	odf_load_batch_free(b);
	cJSON_Delete(r1);
	cJSON_Delete(r2);
}

/* ---- --check ------------------------------------------------------- */

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

int
main(void)
{
	schema = fixture_schema();
	if (schema == NULL) {
		printf("not ok 1 - fixtures\n1..1\n");
		return 1;
	}
	RUN(real_export_data_rows_become_nested_records);
	RUN(database_ids_and_names_become_numbers_and_name_objects);
	RUN(export_data_rows_become_records);
	RUN(bad_field_paths_are_refused_with_a_reason);
	RUN(paths_are_given_to_export_data_normalized);
	RUN(export_takes_one_batch_after_another);
	RUN(records_become_load_rows);
	RUN(records_give_the_load_requests_of_the_transcripts);
	RUN(exported_records_load_back_as_the_same_cells);
	RUN(load_messages_are_mapped_back_to_their_records);
	RUN(a_record_refused_for_conflict_fits_a_cleared_batch);
	RUN(check_finds_what_load_would_refuse);
	RUN(check_refuses_what_cannot_be_converted);
	odf_schema_free(schema);
	return unit_done();
}
