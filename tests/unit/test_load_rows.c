/*
 * Records → load rows (lib/load_rows.c), driven by tables, checked against
 * the load requests of the real transcripts, and the round trip from
 * exported rows back to the same cells.
 */
#include <stdlib.h>
#include <string.h>

#include "odf/load_rows.h"
#include "odf/rows.h"
#include "record_fixtures.h"
#include "unit.h"

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

int
main(void)
{
	if (record_tests_start() != 0)
		return 1;
	RUN(records_become_load_rows);
	RUN(records_give_the_load_requests_of_the_transcripts);
	RUN(exported_records_load_back_as_the_same_cells);
	RUN(load_messages_are_mapped_back_to_their_records);
	RUN(a_record_refused_for_conflict_fits_a_cleared_batch);
	odf_schema_free(schema);
	return unit_done();
}
