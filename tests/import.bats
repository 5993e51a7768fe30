#!/usr/bin/env bats
# odf-import: records of both shapes into Odoo with load, every field type,
# relations, options, and the checks made before anything is written.

load lib/import

setup_file() { import_server; }
teardown_file() { odoo_stop_all; }

setup() { cd "$BATS_TEST_TMPDIR"; }

@test "nested records load and the summary counts them as created" {
	cat >in.ndjson <<-'EOF'
	{"id": "n1_co", "name": "N1 Company", "is_company": true}
	{"id": "n1_p1", "name": "N1 Person", "parent_id": {"id": "n1_co"}, "email": "p1@n1.example"}
	EOF
	run odf-import -c "$(imp_conf)" -m res.partner in.ndjson
	[ "$status" -eq 0 ]
	[[ "$output" == *"read 2, created 2, updated 0, failed 0"* ]]
	run odoo_call dst res.partner search_read '[[["name","like","N1 "]]]' \
	    '{"fields":["name","parent_id","email","is_company"],"order":"id"}'
	[[ "$output" == *'"name": "N1 Company", "parent_id": false, "email": false, "is_company": true'* ]]
	[[ "$output" == *'"name": "N1 Person", "parent_id": ['*', "N1 Company"], "email": "p1@n1.example", "is_company": false'* ]]
	[ ! -e res.partner_fail.ndjson ]
}

@test "flat path keys, dotted keys and nested keys mix in one stream" {
	cat >in.ndjson <<-'EOF'
	{"id": "mx_co", "name": "MX Company", "is_company": true}
	{"id": "mx_a", "name": "MX A", "parent_id/id": "mx_co"}
	{"id": "mx_b", "name": "MX B", "parent_id.id": "mx_co"}
	{"id": "mx_c", "name": "MX C", "parent_id": {"id": "mx_co"}}
	EOF
	run odf-import -c "$(imp_conf)" -m res.partner -b 2 in.ndjson
	[ "$status" -eq 0 ]
	run odoo_count res.partner '["parent_id.name","=","MX Company"]'
	[ "$output" = 3 ]
}

@test "every field type lands as Odoo reads it back" {
	cat >tags.ndjson <<-'EOF'
	{"id": "ty_tag1", "name": "TY Tag 1"}
	{"id": "ty_tag2", "name": "TY Tag 2"}
	EOF
	odf-import -q -c "$(imp_conf)" -m res.partner.category tags.ndjson
	cat >in.ndjson <<-'EOF'
	{"id": "ty_1", "name": "TY Ünïcode \"quoted\"", "is_company": false, "active": true, "color": 7, "partner_latitude": 50.8503, "date": "2024-02-29", "signup_expiration": "2024-03-01 12:30:00", "type": "invoice", "comment": "<p>line 1<br>line 2</p>", "street2": "Bâtiment A\nÉtage 2", "country_id": {"id": "base.be"}, "category_id": [{"id": "ty_tag1"}, {"id": "ty_tag2"}]}
	{"id": "ty_2", "name": "TY Two", "is_company": true, "color": 0, "partner_latitude": -1.5, "type": "Delivery Address", "category_id/id": "ty_tag2", "date": null}
	EOF
	run odf-import -c "$(imp_conf)" -m res.partner in.ndjson
	[ "$status" -eq 0 ]
	run odoo_call dst res.partner search_read '[[["name","like","TY "]]]' \
	    '{"fields":["name","is_company","color","partner_latitude","date","signup_expiration","type","comment","street2","country_id","category_id"],"order":"id"}'
	echo "$output"
	[[ "$output" == *'"name": "TY Ünïcode \"quoted\"", "is_company": false, "color": 7, "partner_latitude": 50.8503, "date": "2024-02-29", "signup_expiration": "2024-03-01 12:30:00", "type": "invoice", "comment": "<p>line 1<br>line 2</p>", "street2": "Bâtiment A\nÉtage 2", "country_id": ['*', "Belgium"], "category_id": ['*', '*']'* ]]
	[[ "$output" == *'"name": "TY Two", "is_company": true, "color": 0, "partner_latitude": -1.5, "date": false, "signup_expiration": false, "type": "delivery"'* ]]
	run odoo_count res.partner '["category_id.name","=","TY Tag 1"]'
	[ "$output" = 1 ]
	run odoo_count res.partner '["category_id.name","=","TY Tag 2"]'
	[ "$output" = 2 ]
}

@test "datetimes land as the records carry them, in UTC, whatever the user's time zone" {
	# load reads datetimes in the context's time zone, else the user's.
	odoo_call dst res.users write '[[2], {"tz": "Europe/Brussels"}]'
	echo '{"id": "tz_1", "name": "TZ 1", "signup_expiration": "2026-07-01 10:00:00"}' >in.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner --context "{'tz': 'Asia/Tokyo'}" in.ndjson
	odoo_call dst res.users write '[[2], {"tz": false}]'
	[ "$status" -eq 0 ]
	run odoo_call dst res.partner search_read '[[["name", "=", "TZ 1"]]]' '{"fields": ["signup_expiration"]}'
	[[ "$output" == *'"signup_expiration": "2026-07-01 10:00:00"'* ]]
}

@test "a re-run updates by external id instead of creating duplicates" {
	for i in 1 2 3 4 5; do echo "{\"id\": \"rr_$i\", \"name\": \"RR $i\"}"; done >in.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner -b 2 in.ndjson
	[[ "$output" == *"read 5, created 5, updated 0, failed 0"* ]]
	sed -i 's/RR 3/RR three/' in.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner -b 2 -w 2 in.ndjson
	[ "$status" -eq 0 ]
	[[ "$output" == *"read 5, created 0, updated 5, failed 0"* ]]
	run odoo_count res.partner '["name","like","RR "]'
	[ "$output" = 5 ]
	run odoo_count res.partner '["name","=","RR three"]'
	[ "$output" = 1 ]
}

@test "records come from standard input when no file is given" {
	run sh -c "printf '%s\n' '{\"id\": \"si_1\", \"name\": \"SI 1\"}' | odf-import -c '$(imp_conf)' -m res.partner"
	[ "$status" -eq 0 ]
	[[ "$output" == *"read 1, created 1"* ]]
	run odoo_count res.partner '["name","=","SI 1"]'
	[ "$output" = 1 ]
}

@test "one2many lines load as the lines of their record" {
	echo '{"id": "ol_cust", "name": "OL Customer"}' | odf-import -q -c "$(imp_conf)" -m res.partner
	cat >in.ndjson <<-'EOF'
	{"id": "ol_so1", "name": "OL001", "partner_id": {"id": "ol_cust"}, "order_line": [{"name": "two chairs", "product_uom_qty": 2, "price_unit": 12.5}, {"name": "a desk", "product_uom_qty": 1, "price_unit": 99}]}
	{"id": "ol_so2", "name": "OL002", "partner_id/id": "ol_cust", "order_line": [{"name": "one lamp", "product_uom_qty": 3, "price_unit": 4}]}
	EOF
	run odf-import -c "$(imp_conf)" -m sale.order in.ndjson
	[ "$status" -eq 0 ]
	[[ "$output" == *"read 2, created 2"* ]]
	run odoo_call dst sale.order.line search_read '[[["order_id.name","like","OL00"]]]' \
	    '{"fields":["name","order_id","product_uom_qty"],"order":"id"}'
	[[ "$output" == *'"name": "two chairs", "order_id": ['*', "OL001"], "product_uom_qty": 2.0'* ]]
	[[ "$output" == *'"name": "a desk", "order_id": ['*', "OL001"], "product_uom_qty": 1.0'* ]]
	[[ "$output" == *'"name": "one lamp", "order_id": ['*', "OL002"], "product_uom_qty": 3.0'* ]]
}

@test "a key a record lacks is left alone, not cleared" {
	echo '{"id": "ka_1", "name": "KA 1", "email": "keep@ka.example"}' >first.ndjson
	odf-import -q -c "$(imp_conf)" -m res.partner first.ndjson
	cat >in.ndjson <<-'EOF'
	{"id": "ka_2", "name": "KA 2", "email": "two@ka.example"}
	{"id": "ka_1", "name": "KA 1 renamed"}
	EOF
	run odf-import -c "$(imp_conf)" -m res.partner in.ndjson
	[ "$status" -eq 0 ]
	run odoo_call dst res.partner search_read '[[["name","=","KA 1 renamed"]]]' '{"fields":["email"]}'
	[[ "$output" == *'"email": "keep@ka.example"'* ]]
}

@test "--ignore drops fields before anything is sent" {
	echo '{"id": "ig_1", "name": "IG 1", "legacy_code": "X1", "email": "ig@x.example"}' >in.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner --ignore legacy_code,email in.ndjson
	[ "$status" -eq 0 ]
	run odoo_call dst res.partner search_read '[[["name","=","IG 1"]]]' '{"fields":["email"]}'
	[[ "$output" == *'"email": false'* ]]
}

@test "an unknown field in the first record stops before any write and names the closest field" {
	printf '%s\n' '{"id": "uf_1", "nmae": "UF 1"}' '{"id": "uf_2", "name": "UF 2"}' >in.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner in.ndjson
	[ "$status" -eq 64 ]
	[[ "$output" == *"in.ndjson: line 1: unknown field 'nmae' in res.partner (did you mean 'name'"* ]]
	run odoo_count res.partner '["name","like","UF "]'
	[ "$output" = 0 ]
	[ ! -e res.partner_fail.ndjson ]
}

@test "an unknown model is a usage error before anything is read" {
	echo '{"name": "x"}' >in.ndjson
	run odf-import -c "$(imp_conf)" -m res.nothing in.ndjson
	[ "$status" -eq 64 ]
	[[ "$output" == *"model 'res.nothing'"* ]]
}

@test "a refused login exits 77 and a missing input 66" {
	echo '{"name": "x"}' >in.ndjson
	run odf-import -c "$(imp_conf password=s3cr3t-xyz)" -m res.partner in.ndjson
	[ "$status" -eq 77 ]
	[[ "$output" == *"login refused"* ]]
	[[ "$output" != *"s3cr3t-xyz"* ]]
	run odf-import -c "$(imp_conf)" -m res.partner nothere.ndjson
	[ "$status" -eq 66 ]
	[[ "$output" == *"nothere.ndjson"* ]]
}

@test "bad options are usage errors" {
	run odf-import -m res.partner
	[ "$status" -eq 64 ]
	run odf-import -c x.conf -m res.partner -b 0
	[ "$status" -eq 64 ]
	[[ "$output" == *"--batch-size"* ]]
	run odf-import -c "$(imp_conf)" -m res.partner --context "{'a': "
	[ "$status" -eq 64 ]
	[[ "$output" == *"--context"* ]]
	run odf-import -c "$(imp_conf)" -m res.partner --groupby nope </dev/null
	[ "$status" -eq 64 ]
	[[ "$output" == *"--groupby: unknown field 'nope'"* ]]
}

@test "the context goes to load: an import limit is followed to the end with nextrow" {
	for i in 1 2 3 4 5; do echo "{\"id\": \"il_$i\", \"name\": \"IL $i\"}"; done >in.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner -b 5 --context "{'_import_limit': 2}" in.ndjson
	[ "$status" -eq 0 ]
	[[ "$output" == *"read 5, created 5"* ]]
	run odoo_count res.partner '["name","like","IL "]'
	[ "$output" = 5 ]
}

@test "--check reports unknown fields, bad values and read-only fields without writing" {
	cat >in.ndjson <<-'EOF'
	{"id": "ck_1", "name": "CK 1"}
	{"id": "ck_2", "name": "CK 2", "type": "bogus", "color": "red"}
	{"id": "ck_3", "nmae": "CK 3"}
	not json
	EOF
	run odf-import -c "$(imp_conf)" -m res.partner --check in.ndjson
	echo "$output"
	[ "$status" -eq 65 ]
	[[ "$output" == *"in.ndjson: line 2: field 'type': "*"bogus"* ]]
	[[ "$output" == *"in.ndjson: line 2: field 'color': "* ]]
	[[ "$output" == *"in.ndjson: line 3: field 'nmae': "*"name"* ]]
	[[ "$output" == *"in.ndjson: line 4: not JSON"* ]]
	[[ "$output" == *"checked 4 records: 3 with problems"* ]]
	run odoo_count res.partner '["name","like","CK "]'
	[ "$output" = 0 ]
	[ ! -e res.partner_fail.ndjson ]
}

@test "-q prints nothing when every record landed" {
	echo '{"id": "q_1", "name": "Q 1"}' >in.ndjson
	run odf-import -q -c "$(imp_conf)" -m res.partner in.ndjson
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "a user denied the model: Odoo refuses each row, and every record is in the fail file" {
	cd "$BATS_TEST_TMPDIR"
	printf '{"id": "denied.p%d", "name": "Denied"}\n' 1 2 3 >in.ndjson
	run odf-import -c "$(imp_conf login=portal password=portal)" -m res.partner in.ndjson
	echo "$output"
	# load reports access errors as row messages, as real Odoo does.
	[ "$status" -eq 65 ]
	[ "$(grep -c "You are not allowed to create 'Contact' (res.partner) records" res.partner_fail.ndjson)" -eq 3 ]
	[ "$(odoo_count res.partner '["name", "=", "Denied"]')" -eq 0 ]
}
