#!/usr/bin/env bats
# odf plan: what a migration would do, read from both servers, written nowhere.

load lib/common
load lib/odoo

# ODF_UPDATE_GOLDEN=1 tests/run ... tests/plan.bats writes them anew.
GOLDEN=$BATS_TEST_DIRNAME/data/plan

golden() {
	if [ -n "${ODF_UPDATE_GOLDEN:-}" ]; then
		printf '%s\n' "$output" >"$GOLDEN/$1"
	fi
	diff -u "$GOLDEN/$1" <(printf '%s\n' "$output")
}
# The issue's selection: the first 60 partners, base ones included.
SELECTION="[('id', '<=', 60)]"
FIELDS=id,name,is_company,type,parent_id,category_id,country_id,lang

setup_file() {
	odoo_seed src 200
	odoo_start src
	odoo_start d19 --version 19.0
	export ODOO_SRC_CONF ODOO_SRC_URL ODOO_SRC_PORT ODOO_D19_JSON2_CONF ODOO_D19_URL ODOO_D19_PORT
}

teardown_file() {
	odoo_stop_all
}

setup() {
	odoo_start dst
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	odoo_stop_all
}

plan() {
	odf plan --config-export "$ODOO_SRC_CONF" --config-import "$ODOO_DST_CONF" "$@"
}

# The same, standard output only (the machine formats).
plan_out() {
	plan "$@" 2>/dev/null
}

# Distinct tags the selection references, in the source.
tags_referenced() {
	odoo_call src res.partner search_read "[[[\"id\", \"<=\", 60]]]" \
	    '{"fields": ["category_id"], "context": {"active_test": false}}' |
	    python3 -c 'import json, sys; print(len({t for r in json.load(sys.stdin) for t in r["category_id"]}))'
}

@test "the tags the partners need and the destination lacks make it fail, named with the way out" {
	n=$(tags_referenced)
	[ "$n" -gt 0 ]
	run plan --model res.partner --domain "$SELECTION" --fields "$FIELDS"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"would fail: category_id → res.partner.category: $n referenced records are not in the destination; add --with-dependencies, or migrate res.partner.category first"* ]]
	[[ "$output" == *"order: res.partner"* ]]
	# Nothing was written anywhere.
	[ "$(odoo_call dst res.partner search_count '[[["id", ">", 6]]]' '{"context": {"active_test": false}}')" -eq 0 ]
}

@test "with --with-dependencies the tags come first and it would run clean" {
	run plan --model res.partner --domain "$SELECTION" --fields "$FIELDS" --with-dependencies
	echo "$output"
	[ "$status" -eq 0 ]
	# The tags, and the parents of tags.
	[[ "$output" == *"1. res.partner.category: "*" records, referenced and not in the destination"* ]]
	[[ "$output" == *"order: res.partner.category, res.partner"* ]]
	[[ "$output" == *"the migration would run clean"* ]]
}

@test "--json is the documented NDJSON (golden)" {
	run plan_out --model res.partner --domain "$SELECTION" --fields "$FIELDS" --with-dependencies --json
	[ "$status" -eq 0 ]
	golden partners.ndjson
	# Every line is a JSON object with a type.
	printf '%s\n' "$output" | jq -e -s 'all(.[]; type == "object" and (.type | type) == "string")'
}

@test "--dot is the dependency graph (golden)" {
	run plan_out --model res.partner,res.partner.category --domain "$SELECTION" --with-dependencies --dot
	[ "$status" -eq 0 ]
	golden partners.dot
}

@test "two models that point at each other: the cycle is named and broken by deferral" {
	run plan_out --model res.partner.category --model res.partner --with-dependencies --json
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | jq -e -s '
	    (map(select(.type == "cycle")) | length == 1) and
	    (map(select(.type == "cycle"))[0].cycle | contains("res.partner.category") and contains("deferred")) and
	    (map(select(.type == "relation" and .deferred)) | length == 1)'
}

@test "a relation that references no record of the plan orders nothing: no cycle, users after partners" {
	# res.partner.user_id points at res.users, but no selected partner has a
	# salesperson: the users' partner_id (required) must not be deferred.
	run plan --model res.users,res.partner --fields "res.users=id,login,partner_id" \
	    --fields "res.partner=id,name,user_id" --json
	echo "$output"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | jq -e -s '
	    (map(select(.type == "relation" and .model == "res.partner" and .field == "user_id"))[0].in_plan == 0) and
	    (map(select(.type == "cycle")) | length == 0) and
	    (map(select(.type == "relation" and .deferred)) | length == 0) and
	    (map(select(.type == "order"))[0].models == ["res.partner", "res.users"])'
}

@test "parents outside the selection: the way out is not to migrate the model first" {
	run plan --model res.partner --domain "[('parent_id', '!=', False)]" --fields id,name,parent_id
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"would fail: parent_id → res.partner: "*" referenced records are neither selected nor in the destination; add --with-dependencies, or widen the domain"* ]]
	[[ "$output" != *"migrate res.partner first"* ]]
}

@test "counts per model and per relation add up" {
	run plan_out --model res.partner --domain "$SELECTION" --fields "$FIELDS" --json
	[ "$status" -eq 1 ]
	want=$(odoo_call src res.partner search_count "[[[\"id\", \"<=\", 60]]]" '{"context": {"active_test": false}}')
	printf '%s\n' "$output" | jq -e -s --argjson n "$want" '
	    (map(select(.type == "step"))[0].records == $n) and
	    all(.[] | select(.type == "relation"); .referenced == .in_plan + .in_destination + .missing)'
	# Countries are there by external id; parents are in the selection.
	printf '%s\n' "$output" | jq -e -s '
	    (map(select(.type == "relation" and .field == "country_id"))[0] | .missing == 0 and .in_destination > 0) and
	    (map(select(.type == "relation" and .field == "parent_id"))[0] | .self and .missing == 0)'
}

@test "to a 19.0 destination: the fields it lacks are listed, the fields it adds too" {
	run odf plan --config-export "$ODOO_SRC_CONF" --config-import "$ODOO_D19_JSON2_CONF" \
	    --model res.partner --with-dependencies --json
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | jq -e -s '
	    ([.[] | select(.type == "field" and .issue == "missing_in_destination") | .field] | index("additional_info") != null) and
	    ([.[] | select(.type == "field" and .issue == "missing_in_destination") | .field] | index("mobile") != null) and
	    all(.[] | select(.type == "field" and .issue == "missing_in_destination"); .problem == false) and
	    (map(select(.type == "step" and .model == "res.partner"))[0].fields | index("additional_info") == null)'
	run odf plan --config-export "$ODOO_SRC_CONF" --config-import "$ODOO_D19_JSON2_CONF" \
	    --model res.partner --with-dependencies --strict
	[ "$status" -eq 1 ]
	[[ "$output" == *"would fail: res.partner.additional_info: the destination has no such field (--strict)"* ]]
}

@test "a required destination field left out of the selection, with no default, would fail" {
	run plan --model res.partner.category --fields id,color
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"would fail: res.partner.category.name: required in the destination, not in the fields migrated, and without a default"* ]]
	run plan --model res.partner.category --fields id,name,color
	[ "$status" -eq 0 ]
	# The same question over JSON-2, where default_get names its argument fields.
	run odf plan --config-export "$ODOO_SRC_CONF" --config-import "$ODOO_D19_JSON2_CONF" \
	    --model res.partner.category --fields id,color
	[ "$status" -eq 1 ]
	[[ "$output" == *"would fail: res.partner.category.name: required in the destination"* ]]
}

@test "usage and connection errors exit as the other programs do" {
	run plan --model res.no_such_model
	[ "$status" -eq 64 ]
	[[ "$output" == *"unknown model 'res.no_such_model'"* ]]
	run plan --model res.partner,res.partner.category --fields id,name
	[ "$status" -eq 64 ]
	[[ "$output" == *"--fields: with several models, say which one"* ]]
	run plan --model res.partner --fields res.nope=id,name
	[ "$status" -eq 64 ]
	run plan --model res.partner --fields id,name,nope_id/id
	[ "$status" -eq 64 ]
	[[ "$output" == *"--fields: unknown field 'nope_id' in res.partner"* ]]
	write_conf down.conf hostname=127.0.0.1 "port=$(free_port)" database=x login=admin password=admin \
	    retries=1
	run odf plan --config-export down.conf --config-import "$ODOO_DST_CONF" --model res.partner
	[ "$status" -eq 69 ]
}

@test "--fields and --domain take @FILE, as odf-export does" {
	echo "$FIELDS" >fields.txt
	echo "$SELECTION" >domain.txt
	run plan_out --model res.partner --fields @fields.txt --domain @domain.txt --json
	[ "$status" -eq 1 ]
	from_files=$output
	run plan_out --model res.partner --fields "$FIELDS" --domain "$SELECTION" --json
	[ "$status" -eq 1 ]
	[ "$output" = "$from_files" ]
	run plan --model res.partner --domain @missing.txt
	[ "$status" -eq 64 ]
	[[ "$output" == *"--domain: missing.txt"* ]]
}

@test "a dependency keeps a required relation back into what brought it in: the cycle is broken on the other side" {
	# A partner whose salesperson the destination lacks: the user comes as a
	# dependency, and res.users.partner_id is required, so it is not dropped.
	seller=$(odoo_call src res.partner create '[{"name": "Plan Seller"}]')
	user=$(odoo_call src res.users create "[{\"login\": \"plan.seller\", \"partner_id\": $seller}]")
	client=$(odoo_call src res.partner create "[{\"name\": \"Plan Client\", \"user_id\": $user}]")
	run plan --model res.partner --domain "[('name', '=', 'Plan Client')]" --fields id,name,user_id \
	    --with-dependencies --json
	echo "$output"
	odoo_call src res.partner write "[[$client], {\"user_id\": false}]"
	odoo_call src res.users unlink "[[$user]]"
	odoo_call src res.partner unlink "[[$client, $seller]]"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | jq -e -s '
	    (map(select(.type == "relation" and .model == "res.users" and .field == "partner_id"))[0] |
	        .dropped == false and .deferred == false and .in_plan == 1) and
	    (map(select(.type == "relation" and .role == "selected" and .field == "user_id"))[0].deferred) and
	    (map(select(.type == "order"))[0].models == ["res.partner", "res.users"])'
}
