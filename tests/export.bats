#!/usr/bin/env bats
# odf-export: the record format, field paths, --flat, domains, contexts.
# One server for the file: these tests only read (and export_data's
# __export__ ids, created once, are then reused).

bats_require_minimum_version 1.5.0
load lib/common
load lib/odoo

# py EXPR: evaluate a Python expression over `lines` (the records of
# $output, parsed) and fail with the records shown when it is false.
py() {
	OUT=$output python3 -c '
import json, os, sys
lines = [json.loads(l) for l in os.environ["OUT"].split("\n") if l]
ok = eval("(" + sys.argv[1] + ")")
if not ok:
    print("expected:", sys.argv[1]); print(os.environ["OUT"])
sys.exit(0 if ok else 1)' "$1"
}

# expect ID JSON [ID JSON...]: the record of $output with each ID equals JSON.
expect() {
	OUT=$output python3 -c '
import json, os, sys
got = {}
for l in os.environ["OUT"].split("\n"):
    if l:
        r = json.loads(l)
        got[r["id"]] = r
ok = True
for rid, want in zip(sys.argv[1::2], sys.argv[2::2]):
    if got.get(rid) != json.loads(want):
        ok = False
        print("record", rid); print("  got: ", json.dumps(got.get(rid), ensure_ascii=False))
        print("  want:", json.dumps(json.loads(want), ensure_ascii=False))
sys.exit(0 if ok else 1)' "$@"
}

setup_file() {
	odoo_start src
	odoo_call src res.partner.category load \
		'[["id","name"],[["__import__.tag_vip","VIP"],["__import__.tag_b2b","B2B"]]]' >/dev/null
	odoo_call src res.partner load '[["id","name","is_company","country_id/id","category_id/id","color",
		"partner_latitude","date","lang","comment","image_1920","website"],
		[["__import__.acme","Acme Holding","1","base.be","__import__.tag_vip,__import__.tag_b2b","3",
		"50.85","2024-02-29","fr_FR","<p>Line1\nLine2 \"q\"</p>","iVBORw0KGgo=","https://acme.example"]]]' >/dev/null
	odoo_call src res.partner load '[["id","name","parent_id/id","type","email","signup_expiration","function"],
		[["__import__.ann","Ann Ünïcødé 日本 \"q\" \\ back","__import__.acme","invoice","ann@example.com",
		"2024-03-01 12:34:56","tab\there\u0001ctl\u001f"]]]' >/dev/null
	odoo_call src res.partner load '[["id","name","active","country_id/id"],[["__import__.old","Old Archived","0","base.nl"]]]' >/dev/null
	odoo_call src res.partner create '[{"name": "No Xmlid", "city": "Gent"}]' >/dev/null
	odoo_call src product.template load '[["id","name"],[["__import__.widget","Widget"]]]' >/dev/null
	local pid
	pid=$(odoo_call src product.product search '[[["product_tmpl_id.name","=","Widget"]]]' '{"order": "id"}' | tr -dc 0-9)
	odoo_call src ir.model.data create \
		"[{\"module\":\"__import__\",\"name\":\"widget_p\",\"model\":\"product.product\",\"res_id\":$pid}]" >/dev/null
	odoo_call src sale.order load '[["id","name","partner_id/id","order_line/product_id/id","order_line/product_uom_qty","order_line/name"],
		[["__import__.so1","SO001","__import__.acme","__import__.widget_p","2","Widget A"],
		 ["","","","","3.5","Line two"]]]' >/dev/null
	ACME_ID=$(odoo_call src res.partner search '[[["name","=","Acme Holding"]]]' | tr -dc 0-9)
	export ACME_ID CONF=$BATS_FILE_TMPDIR/src.conf
}

teardown_file() {
	odoo_stop_all
}

@test "each record is one compact JSON line with its external id as \"id\", and nothing else reaches stdout" {
	run --separate-stderr odf-export -c "$CONF" -m res.partner -f id,name
	[ "$status" -eq 0 ]
	py 'len(lines) >= 4 and all(list(r) == ["id", "name"] for r in lines)'
	# compact: no space after separators, one object a line, newline-terminated
	[[ "$output" != *'", "'* ]]
	printf '%s\n' "$output" | grep -q '^{"id":"__import__.acme","name":"Acme Holding"}$'
	[[ "$stderr" == *"res.partner:"*"records"* ]]
}

@test "plain fields keep their JSON types: text, integer, float, boolean, date, datetime, html, binary" {
	run odf-export -c "$CONF" -m res.partner -q \
		-f id,name,color,partner_latitude,is_company,date,signup_expiration,comment,image_1920,email,website
	[ "$status" -eq 0 ]
	expect __import__.acme '{"id": "__import__.acme", "name": "Acme Holding", "color": 3,
		"partner_latitude": 50.85, "is_company": true, "date": "2024-02-29", "signup_expiration": null,
		"comment": "<p>Line1\nLine2 \"q\"</p>", "image_1920": "iVBORw0KGgo=", "email": null,
		"website": "https://acme.example"}' \
		__import__.ann '{"id": "__import__.ann", "name": "Ann Ünïcødé 日本 \"q\" \\ back",
		"color": 0, "partner_latitude": 0, "is_company": false, "date": null,
		"signup_expiration": "2024-03-01 12:34:56", "comment": null, "image_1920": null,
		"email": "ann@example.com", "website": null}'
}

@test "non-ASCII text is raw UTF-8 and control characters are escaped, so a record stays one line" {
	run odf-export -c "$CONF" -m res.partner -q -f id,name,function -d "[('name','like','Ann')]"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *'"name":"Ann Ünïcødé 日本 \"q\" \\ back"'* ]]
	[[ "$output" == *'"function":"tab\there\u0001ctl\u001f"'* ]]
	expect __import__.ann '{"id": "__import__.ann", "name": "Ann Ünïcødé 日本 \"q\" \\ back",
		"function": "tab\there\u0001ctl\u001f"}'
}

@test "a selection is written as its technical key, not its label, in any language" {
	for ctx in "{}" "{'lang': 'fr_FR'}" '{"lang": "en_US"}'; do
		run odf-export -c "$CONF" -m res.partner -q -f id,type,lang --context "$ctx"
		echo "$output"
		[ "$status" -eq 0 ]
		expect __import__.ann '{"id": "__import__.ann", "type": "invoice", "lang": "en_US"}' \
			__import__.acme '{"id": "__import__.acme", "type": "contact", "lang": "fr_FR"}'
	done
}

@test "a many2one is an external id reference or null; a many2many a list of references" {
	run odf-export -c "$CONF" -m res.partner -q -f id,parent_id/id,country_id/id,category_id/id
	[ "$status" -eq 0 ]
	expect __import__.acme '{"id": "__import__.acme", "parent_id": null, "country_id": {"id": "base.be"},
		"category_id": [{"id": "__import__.tag_b2b"}, {"id": "__import__.tag_vip"}]}' \
		__import__.ann '{"id": "__import__.ann", "parent_id": {"id": "__import__.acme"},
		"country_id": null, "category_id": []}'
}

@test "a bare relational field exports its external id reference" {
	run odf-export -c "$CONF" -m res.partner -q -f id,parent_id,category_id
	[ "$status" -eq 0 ]
	expect __import__.ann '{"id": "__import__.ann", "parent_id": {"id": "__import__.acme"}, "category_id": []}' \
		__import__.acme '{"id": "__import__.acme", "parent_id": null,
		"category_id": [{"id": "__import__.tag_b2b"}, {"id": "__import__.tag_vip"}]}'
}

@test "field paths map onto the nesting: country_id/code, parent_id/name, .id and parent_id/.id" {
	run odf-export -c "$CONF" -m res.partner -q -f id,country_id/code,parent_id/name,parent_id/.id \
		-d "[('name','like','Ann')]"
	[ "$status" -eq 0 ]
	expect __import__.ann "{\"id\": \"__import__.ann\", \"country_id\": null,
		\"parent_id\": {\"name\": \"Acme Holding\", \".id\": $ACME_ID}}"
	run odf-export -c "$CONF" -m res.partner -q -f .id,id,country_id/code -d "[('name','=','Acme Holding')]"
	[ "$output" = "{\".id\":$ACME_ID,\"id\":\"__import__.acme\",\"country_id\":{\"code\":\"BE\"}}" ]
}

@test "one2many lines exported with sub-fields carry them" {
	run odf-export -c "$CONF" -m sale.order -q \
		-f id,name,partner_id,order_line/product_id/id,order_line/product_uom_qty,order_line/name
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	expect __import__.so1 '{"id": "__import__.so1", "name": "SO001", "partner_id": {"id": "__import__.acme"},
		"order_line": [{"product_id": {"id": "__import__.widget_p"}, "product_uom_qty": 2, "name": "Widget A"},
		               {"product_id": null, "product_uom_qty": 3.5, "name": "Line two"}]}'
}

@test "--flat writes Odoo's column paths as keys and a many2many as one comma-separated string" {
	run odf-export -c "$CONF" -m res.partner -q --flat -f id,name,parent_id/id,country_id/code,category_id/id
	[ "$status" -eq 0 ]
	expect __import__.acme '{"id": "__import__.acme", "name": "Acme Holding", "parent_id/id": null,
		"country_id/code": "BE", "category_id/id": "__import__.tag_b2b,__import__.tag_vip"}' \
		__import__.ann '{"id": "__import__.ann", "name": "Ann Ünïcødé 日本 \"q\" \\ back",
		"parent_id/id": "__import__.acme", "country_id/code": null, "category_id/id": null}'
}

@test "without --fields every importable stored field is exported, and no computed or magic one" {
	run odf-export -c "$CONF" -m res.partner -q
	[ "$status" -eq 0 ]
	py 'all(list(r)[0] == "id" for r in lines)
		and all(k in lines[0] for k in ("name", "parent_id", "category_id", "country_id", "type", "is_company", "active", "comment"))
		and not any(k in r for r in lines for k in ("create_uid", "write_date", "create_date", "write_uid",
			"display_name", "email_formatted", "company_type", "contact_address", "child_ids", "commercial_partner_id"))
		and [{k: r[k] for k in ("parent_id", "category_id", "type")} for r in lines if r["id"] == "__import__.ann"]
			== [{"parent_id": {"id": "__import__.acme"}, "category_id": [], "type": "invoice"}]'
	# parent_path holds database ids ("3/7/"), which Odoo computes.
	run odf-export -c "$CONF" -m res.partner.category -q
	[ "$status" -eq 0 ]
	py 'len(lines) > 0 and all("name" in r and "parent_path" not in r for r in lines)'
}

@test "a record without external id gets an __export__ one, which the next export reuses" {
	run odf-export -c "$CONF" -m res.partner -q -f id,name -d "[('name','=','No Xmlid')]"
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^\{\"id\":\"__export__\.res_partner_[0-9]+_[0-9a-f]{8}\",\"name\":\"No\ Xmlid\"\}$ ]]
	local first=$output
	run odf-export -c "$CONF" -m res.partner -q -f id,name -d "[('name','=','No Xmlid')]"
	[ "$output" = "$first" ]
}

@test "a Python-literal domain, the same domain in JSON and from @file select the same records" {
	run odf-export -c "$CONF" -m res.partner -q -f id \
		-d "[('is_company','=',True), ('country_id.code','in',['BE','NL'])]"
	[ "$status" -eq 0 ]
	[ "$output" = '{"id":"__import__.acme"}' ]
	run odf-export -c "$CONF" -m res.partner -q -f id \
		-d '[["is_company", "=", true], ["country_id.code", "in", ["BE", "NL"]]]'
	[ "$output" = '{"id":"__import__.acme"}' ]
	printf "['|', ('name', '=', 'Acme Holding'),\n # and Ann\n ('name', 'like', 'Ann')]\n" >"$BATS_TEST_TMPDIR/domain.py"
	run odf-export -c "$CONF" -m res.partner -q -f id -d "@$BATS_TEST_TMPDIR/domain.py"
	[ "$status" -eq 0 ]
	[ "$output" = $'{"id":"__import__.acme"}\n{"id":"__import__.ann"}' ]
}

@test "archived records are exported only when the context says active_test False" {
	run odf-export -c "$CONF" -m res.partner -q -f id,active -d "[('country_id.code','=','NL')]"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run odf-export -c "$CONF" -m res.partner -q -f id,active -d "[('country_id.code','=','NL')]" \
		--context "{'active_test': False}"
	[ "$status" -eq 0 ]
	[ "$output" = '{"id":"__import__.old","active":false}' ]
}

@test "an export that selects no record writes nothing and succeeds" {
	run --separate-stderr odf-export -c "$CONF" -m res.partner -f id -d "[('name','=','nobody at all')]"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[[ "$stderr" == *" 0 records"* ]]
}

@test "--limit caps the records and --order sets their order, with small batches" {
	run odf-export -c "$CONF" -m res.partner -q -f name --order "name desc" -b 2 \
		--context "{'active_test': False}"
	[ "$status" -eq 0 ]
	py '[r["name"] for r in lines] == sorted([r["name"] for r in lines], reverse=True) and len(lines) >= 6'
	local all=$output
	run odf-export -c "$CONF" -m res.partner -q -f name --order "name desc" -b 2 --limit 3 \
		--context "{'active_test': False}"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' "$all" | head -3)" ]
	run odf-export -c "$CONF" -m res.partner -q -f id -b 1 --limit 2
	[ "${#lines[@]}" -eq 2 ]
}

@test "--help and --version print on stdout and succeed" {
	run odf-export --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: odf export -c CONF -m MODEL"* ]]
	[[ "$output" == *"--batch-size"* ]]
	run odf-export --version
	[ "$status" -eq 0 ]
	[ "$output" = "odf $(cat "$ODF_REPO/VERSION")" ]
}

@test "-q silences the summary; a stderr that is not a terminal gets no progress line" {
	run --separate-stderr odf-export -c "$CONF" -m res.partner -f id -q
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	run --separate-stderr odf-export -c "$CONF" -m res.partner -f id -b 1
	[[ "$stderr" != *$'\r'* ]]
	[[ "$stderr" =~ ^odf\ export:\ res.partner:\ [0-9]+\ records\ in\ [^$'\n']*$ ]]
}
