#!/usr/bin/env bats
# Odoo 19's JSON-2 API (protocol = json2, the API key as password): export
# and import work over it as over JSON-RPC, and each answer of JSON-2 that
# the user can meet is mapped to its exit code and message.

load lib/common
load lib/odoo

setup_file() {
	odoo_start src --version 19.0
	odoo_seed src 60
}

teardown_file() {
	odoo_stop_all
}

teardown() {
	odoo_faults src '{"error_rate": 0, "drop_rate": 0, "methods": null, "load_error_on": null,
	    "load_error_name": "ValueError"}'
}

# conf NAME KEY=VALUE...: a JSON-2 connection file to the test server, quick
# retries, the admin's API key unless a password is given.
conf() {
	write_conf "$BATS_TEST_TMPDIR/$1.conf" hostname=127.0.0.1 "port=$ODOO_SRC_PORT" \
	    database=src protocol=json2 retries=2 retry_delay=0.01 "password=$ODOO_SRC_API_KEY" "${@:2}"
	echo "$BATS_TEST_TMPDIR/$1.conf"
}

# calls METHOD: how many calls of METHOD the server's call log holds
calls() {
	odoo_log src | python3 -c 'import json, sys; print(sum(c["method"] == sys.argv[1] for c in json.load(sys.stdin)))' "$1"
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

@test "ping over json2 shows the server's version from /json/version and the key's uid" {
	run odf ping -c "$(conf ok)"
	[ "$status" -eq 0 ]
	[[ "$output" == *"version    19.0"* ]]
	[[ "$output" == *"uid        2"* ]]
	[[ "$output" == *"protocol   json2"* ]]
	[[ "$output" != *"login"* ]]
}

@test "a refused API key is exit 77, 'API key refused' with a hint, and the key is never shown" {
	f=$(conf badkey password=Wr0ng-K3y-s3cret)
	for cmd in "odf ping -c $f" "odf-export -q -c $f -m res.partner --fields id" \
	    "odf-import -q -c $f -m res.partner /dev/null"; do
		run $cmd
		[ "$status" -eq 77 ]
		[[ "$output" == *"database 'src': API key refused: Invalid apikey (check the API key given as password of the connection file)"* ]]
		[[ "$output" != *"Wr0ng-K3y-s3cret"* ]]
	done
}

@test "an unknown database over json2 is a configuration error naming it" {
	run odf ping -c "$(conf nodb database=no_such_db)"
	[ "$status" -eq 78 ]
	[[ "$output" == *"database 'no_such_db': the server has no such database"* ]]
}

@test "an unknown model over json2 is a usage error naming it" {
	run odf-export -q -c "$(conf ok)" -m res.nonexistent --fields id
	[ "$status" -eq 64 ]
	[ "$output" = "odf export: unknown model 'res.nonexistent'" ]
	run odf-import -q -c "$(conf ok)" -m res.nonexistent /dev/null
	[ "$status" -eq 64 ]
	[ "$output" = "odf import: unknown model 'res.nonexistent'" ]
}

@test "an access error (403) over json2 is exit 77 with Odoo's message" {
	run odf-export -q -c "$(conf portal password=portal)" -m res.partner --fields id,name
	[ "$status" -eq 77 ]
	[[ "$output" == *"You are not allowed to access 'Contact' (res.partner) records."* ]]
}

@test "a record refused with a 422 goes to the fail file with Odoo's message and the rest lands" {
	odoo_faults src '{"load_error_on": "BOOM422", "load_error_name": "ValidationError"}'
	printf '%s\n' '{"id":"j2_v1","name":"V1"}' '{"id":"j2_v2","name":"V2","ref":"BOOM422"}' \
	    '{"id":"j2_v3","name":"V3"}' >"$BATS_TEST_TMPDIR/in.ndjson"
	run odf-import -c "$(conf ok)" -m res.partner -b 3 --fail-file "$BATS_TEST_TMPDIR/fail" \
	    "$BATS_TEST_TMPDIR/in.ndjson"
	[ "$status" -eq 65 ]
	[[ "$output" == *"created 2, updated 0, failed 1"* ]]
	run cat "$BATS_TEST_TMPDIR/fail"
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *'"id":"j2_v2"'*"the record holding 'BOOM422' cannot be saved"*'odoo.exceptions.ValidationError'* ]]
}

@test "a bad domain (500) is not retried and shows Odoo's message" {
	odoo_reset src
	run odf-export -q -c "$(conf ok)" -m res.partner --fields id -d "[('no_such_field', '=', 1)]"
	[ "$status" -eq 64 ]
	[ "$output" = "odf export: domain: Invalid field res.partner.no_such_field in condition ('no_such_field', '=', 1)" ]
	[ "$(calls search)" -eq 1 ]
}

@test "an HTTP 500 without Odoo's error is not retried" {
	odoo_faults src '{"error_rate": 1, "error_status": 500, "methods": ["search"]}'
	odoo_reset src
	run odf-export -c "$(conf ok)" -m res.partner --fields id
	[ "$status" -eq 69 ]
	[[ "$output" == *": HTTP 500" ]]
	[[ "$output" != *"try 2"* ]]
	[ "$(calls search)" -eq 1 ]
}

@test "502, 503 and 504 are retried, then exit 69" {
	for code in 502 503 504; do
		odoo_faults src "{\"error_rate\": 1, \"error_status\": $code, \"methods\": [\"search\"]}"
		odoo_reset src
		run odf-export -c "$(conf ok)" -m res.partner --fields id
		[ "$status" -eq 69 ]
		[[ "$output" == *"HTTP $code; try 2 in"* ]]
		[[ "$output" == *"HTTP $code (after 3 tries)"* ]]
		[ "$(calls search)" -eq 3 ]
	done
}

@test "a lost connection over json2 is retried, then exit 69" {
	odoo_faults src '{"drop_rate": 1, "methods": ["search"]}'
	run odf-export -c "$(conf ok)" -m res.partner --fields id
	[ "$status" -eq 69 ]
	[[ "$output" == *"connection lost"*"try 2 in"* ]]
	[[ "$output" == *"(after 3 tries)"* ]]
}
