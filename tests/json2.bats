#!/usr/bin/env bats
# Odoo 19's JSON-2 API (protocol = json2, the API key as password): export
# and import work over it as over JSON-RPC.

load lib/common
load lib/odoo

setup_file() {
	odoo_start src --version 19.0
	odoo_seed src 60
}

teardown_file() {
	odoo_stop_all
}

@test "an export over json2 gives the same records as over jsonrpc" {
	run odf-export -q -c "$ODOO_SRC_JSON2_CONF" -m res.partner --fields id,name,parent_id/id,category_id/id
	[ "$status" -eq 0 ]
	json2=$output
	run odf-export -q -c "$ODOO_SRC_CONF" -m res.partner --fields id,name,parent_id/id,category_id/id
	[ "$status" -eq 0 ]
	[ "$output" = "$json2" ]
	[ "$(wc -l <<<"$output")" -gt 60 ]
}

@test "an import over json2 creates, then updates, the records" {
	printf '%s\n' '{"id":"j2_co","name":"J2 Company","is_company":true}' \
	    '{"id":"j2_ct","name":"J2 Contact","parent_id":{"id":"j2_co"}}' >"$BATS_TEST_TMPDIR/in.ndjson"
	run odf-import -c "$ODOO_SRC_JSON2_CONF" -m res.partner --fail-file "$BATS_TEST_TMPDIR/fail" \
	    "$BATS_TEST_TMPDIR/in.ndjson"
	[ "$status" -eq 0 ]
	[[ "$output" == *"read 2, created 2, updated 0, failed 0"* ]]
	run odoo_call src res.partner search_read '[[["name","like","J2 C"]]]' \
	    '{"fields":["name","parent_id"],"order":"id"}'
	[[ "$output" == *'"name": "J2 Contact", "parent_id": ['*', "J2 Company"]'* ]]
	run odf-import -c "$ODOO_SRC_JSON2_CONF" -m res.partner --fail-file "$BATS_TEST_TMPDIR/fail" \
	    "$BATS_TEST_TMPDIR/in.ndjson"
	[ "$status" -eq 0 ]
	[[ "$output" == *"read 2, created 0, updated 2, failed 0"* ]]
}

@test "over json2 a record that makes load fail whole is narrowed down to itself" {
	odoo_faults src '{"load_error_on": "BOOM"}'
	printf '%s\n' '{"id":"j2_b1","name":"B1"}' '{"id":"j2_b2","name":"B2","ref":"BOOM"}' \
	    '{"id":"j2_b3","name":"B3"}' >"$BATS_TEST_TMPDIR/in.ndjson"
	run odf-import -c "$ODOO_SRC_JSON2_CONF" -m res.partner -b 3 \
	    --fail-file "$BATS_TEST_TMPDIR/fail" "$BATS_TEST_TMPDIR/in.ndjson"
	odoo_faults src '{"load_error_on": null}'
	[ "$status" -eq 65 ]
	[[ "$output" == *"created 2, updated 0, failed 1"* ]]
	run cat "$BATS_TEST_TMPDIR/fail"
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *'"id":"j2_b2"'*'builtins.ValueError'* ]]
}
