#!/usr/bin/env bats
# odf migrate with the real programs, between two test servers.

load lib/common
load lib/odoo

PARTNER_FIELDS=id,name,is_company,email,phone,street,city,zip,country_id,parent_id,category_id,type

setup_file() {
	odoo_seed src 200
	odoo_start src
	export ODOO_SRC_PORT ODOO_SRC_URL ODOO_SRC_CONF
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

migrate() {
	odf migrate --config-export "$ODOO_SRC_CONF" --config-import "$ODOO_DST_CONF" "$@"
}

migrate_tags() {
	migrate --model res.partner.category --fields id,name,color,parent_id -q
}

# "name|xmlid of parent|xmlids of tags" for every partner of db NAME, by xmlid.
partners() {
	python3 - "$1" <<-'PY'
	import json, os, subprocess, sys
	name = sys.argv[1]
	def call(model, method, args, kwargs=None):
	    out = subprocess.run(["bash", "-c", 'source "$0"; odoo_call "$@"',
	        os.environ["ODF_REPO"] + "/tests/lib/odoo.bash", name, model, method,
	        json.dumps(args)] + ([json.dumps(kwargs)] if kwargs else []),
	        capture_output=True, text=True, check=True)
	    return json.loads(out.stdout)
	ctx = {"context": {"active_test": False}}
	xmlid = {}
	for d in call("ir.model.data", "search_read", [[["model", "in", ["res.partner", "res.partner.category"]]]],
	              {"fields": ["module", "name", "model", "res_id"]}):
	    xmlid[(d["model"], d["res_id"])] = d["module"] + "." + d["name"]
	rows = []
	for p in call("res.partner", "search_read", [[]], dict(ctx, fields=["name", "parent_id", "category_id", "active"])):
	    key = xmlid.get(("res.partner", p["id"]))
	    if key is None or key.startswith("base."):
	        continue
	    parent = xmlid.get(("res.partner", p["parent_id"][0])) if p["parent_id"] else ""
	    tags = ",".join(sorted(xmlid[("res.partner.category", t)] for t in p["category_id"]))
	    rows.append(f'{key}|{p["name"]}|{parent}|{tags}|{p["active"]}')
	print("\n".join(sorted(rows)))
	PY
}

@test "the guide's example migrates names with the transformer's prefix" {
	mkdir conf
	cp "$ODOO_SRC_CONF" conf/staging.conf
	cp "$ODOO_DST_CONF" conf/production.conf
	cp "$ODF_REPO/examples/partner_migrator.jq" .
	run odf migrate \
	    --config-export "conf/staging.conf" \
	    --config-import "conf/production.conf" \
	    --model "res.partner" \
	    --fields "id,name,phone" \
	    --transformer-file "partner_migrator.jq"
	echo "$output"
	[ "$status" -eq 0 ]
	src=$(odoo_call src res.partner search_count '[[]]' '{"context": {"active_test": false}}')
	[[ "$output" == *"read $src, "*"failed 0"* ]]
	# Every migrated name carries the prefix, and none is missing.
	names=$(odoo_call dst res.partner search_read '[[["name", "=like", "[STAGING] %"]]]' \
	    '{"fields": ["name"], "context": {"active_test": false}}')
	[ "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <<<"$names")" -eq "$src" ]
}

@test "companies, contacts, sub-contacts and their tags land with every link" {
	run migrate_tags
	[ "$status" -eq 0 ]
	run migrate --model res.partner --fields "$PARTNER_FIELDS" --import-worker 3
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(partners src)" = "$(partners dst)" ]
	# The seed has three levels: a contact whose parent has a parent.
	[ "$(odoo_call dst res.partner search_count '[[["parent_id.parent_id", "!=", false]]]')" -gt 0 ]
}

@test "a second run updates and creates nothing new" {
	migrate_tags
	migrate --model res.partner --fields "$PARTNER_FIELDS" -q
	before=$(odoo_call dst res.partner search_count '[[]]' '{"context": {"active_test": false}}')
	run migrate --model res.partner --fields "$PARTNER_FIELDS"
	[ "$status" -eq 0 ]
	[[ "$output" == *" created 0, "* ]]
	[ "$(odoo_call dst res.partner search_count '[[]]' '{"context": {"active_test": false}}')" -eq "$before" ]
}

@test "archived records are migrated and stay archived" {
	migrate_tags
	run migrate --model res.partner --fields "$PARTNER_FIELDS"
	[ "$status" -eq 0 ]
	archived=$(odoo_call src res.partner search_count '[[["active", "=", false]]]' '{"context": {"active_test": false}}')
	[ "$archived" -gt 0 ]
	[ "$(odoo_call dst res.partner search_count '[[["active", "=", false]]]' '{"context": {"active_test": false}}')" -eq "$archived" ]
}

@test "a filter mid-stream drops records before the import" {
	migrate_tags
	run migrate --model res.partner --fields id,name,email \
	    --filter 'grep -v "\"email\":null"'
	echo "$output"
	[ "$status" -eq 0 ]
	with=$(odoo_call src res.partner search_count '[[["email", "!=", false]]]' '{"context": {"active_test": false}}')
	[[ "$output" == *"read $with, "* ]]
	[ "$(odoo_call dst res.partner search_count '[[["email", "=", false], ["id", ">", 6]]]' '{"context": {"active_test": false}}')" -eq 0 ]
}

@test "a failing filter stops the migration and is named" {
	run migrate --model res.partner --fields id,name --filter 'head -n 3; exit 4'
	[ "$status" -ne 0 ]
	[[ "$output" == *"head -n 3; exit 4 exited with status 4"* ]]
}

@test "--check validates against the destination and writes nothing" {
	run migrate --model res.partner --fields id,name,phone --check
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(odoo_call dst res.partner search_count '[[["id", ">", 6]]]' '{"context": {"active_test": false}}')" -eq 0 ]
}

@test "records the destination refuses go to the fail file and the counts add up" {
	# Tags are not migrated first, and the check that would refuse is
	# skipped: partners with tags cannot land.
	run migrate --model res.partner --fields id,name,type,category_id --fail-file f.ndjson \
	    --import-batch-size 7 --no-check
	echo "$output"
	[ "$status" -eq 65 ]
	[[ "$output" == *"odf-import exited with status 65"* ]]
	import_counts "$output"
	[ "$r" -eq $((c + u + f)) ]
	[ "$f" -eq "$(wc -l <f.ndjson)" ]
	[ "$f" -eq "$(odoo_call src res.partner search_count '[[["category_id", "!=", false]]]' '{"context": {"active_test": false}}')" ]
	grep -q '"_odf_error"' f.ndjson
}

@test "several export and import workers give the same destination" {
	migrate_tags
	run migrate --model res.partner --fields "$PARTNER_FIELDS" --export-worker 3 \
	    --export-batch-size 17 --import-worker 2 --import-batch-size 5
	[ "$status" -eq 0 ]
	[ "$(partners src)" = "$(partners dst)" ]
}

@test "an unknown model stops everything before a stage starts, with one line" {
	odoo_reset dst
	run migrate --model res.no_such_model
	[ "$status" -eq 64 ]
	[ "$output" = "odf migrate: --config-export $ODOO_SRC_CONF: unknown model 'res.no_such_model'" ]
	# The destination was asked nothing but the login (logins are in the log).
	[ "$(odoo_log dst | python3 -c 'import json, sys; print(len([e for e in json.load(sys.stdin) if e.get("service") != "common"]))')" -eq 0 ]
}

@test "Ctrl-C stops every stage; the importer reports where the stream stopped" {
	migrate_tags
	odoo_faults dst '{"latency_ms": 80, "methods": ["load"]}'
	odf-migrate --config-export "$ODOO_SRC_CONF" --config-import "$ODOO_DST_CONF" \
	    --model res.partner --fields id,name,type --import-batch-size 5 2>err.txt &
	interrupt_after 1 $!
	odoo_faults dst '{}'
	cat err.txt
	[ "$status" -eq 130 ]
	grep -q "odf import: interrupted by Interrupt: stopped reading after line" err.txt
	grep -q "odf migrate: odf-import exited with status 130" err.txt
	run pgrep -f "odf-export -c $ODOO_SRC_CONF"
	[ "$status" -eq 1 ]
	import_counts "$(cat err.txt)"
	[ "$r" -eq $((c + u + f)) ]
	# Then the same command finishes the job.
	run migrate --model res.partner --fields id,name,type
	[ "$status" -eq 0 ]
	[ "$(odoo_call dst res.partner search_count '[[]]' '{"context": {"active_test": false}}')" -eq \
	    "$(odoo_call src res.partner search_count '[[]]' '{"context": {"active_test": false}}')" ]
}

@test "without --fields every importable field goes across" {
	migrate_tags
	run migrate --model res.partner
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *", failed 0;"* ]]
	[ "$(partners src)" = "$(partners dst)" ]
}

@test "on a terminal the progress line counts each stage out of the export's total" {
	migrate_tags
	odoo_faults dst '{"latency_ms": 40, "methods": ["load"]}'
	on_a_terminal "odf migrate --config-export '$ODOO_SRC_CONF' --config-import '$ODOO_DST_CONF' \
	    --model res.partner --fields '$PARTNER_FIELDS' --import-batch-size 5 >/dev/null" >tty.txt
	odoo_faults dst '{}'
	total=$(odoo_call src res.partner search_count '[[]]' '{"context": {"active_test": false}}')
	# "res.partner: 45 / 205 records  110 rec/s  ETA 0:01  205 exported"
	grep -aqE "res.partner: [0-9,]+ / $total records  [0-9,]+ rec/s  ETA [0-9:]+  [0-9,]+ exported" tty.txt
	grep -aqE "read $total, created [0-9]+, updated [0-9]+, failed 0" tty.txt
}

@test "without a terminal there is no progress line and no escape" {
	run migrate --model res.partner.category --fields id,name
	[ "$status" -eq 0 ]
	[[ "$output" != *$'\r'* && "$output" != *$'\033'* ]]
}

@test "a mistake on the command line comes back at once, in one line, naming it" {
	echo 'this is not jq (' >bad.jq
	printf '[Connection]\nhostname = 127.0.0.1\n' >nodb.conf
	chmod 600 nodb.conf
	odoo_reset src
	local args want
	while IFS='|' read -r args want; do
		# shellcheck disable=SC2086
		run odf migrate --config-export "$ODOO_SRC_CONF" --config-import "$ODOO_DST_CONF" \
		    --model res.partner $args
		[ "$status" -eq 64 ] || { echo "$args: status $status: $output"; return 1; }
		# One line; jq's own compile errors go on to quote the program.
		[ "${#lines[@]}" -eq 1 ] || [[ $args == *bad.jq ]] ||
		    { echo "$args: ${#lines[@]} lines: $output"; return 1; }
		[[ "${lines[0]}" == "odf migrate: $want"* ]] || { echo "$args: $output"; return 1; }
	done <<-EOF
	--config-export missing.conf|--config-export: missing.conf: 
	--config-import nodb.conf|--config-import: nodb.conf: missing key 'database'
	--domain [('id','<',|--domain: domain: position 
	--context {'lang':|--context: context: position 
	--fields id,,name|--fields: empty item after 'id'
	--transformer-file bad.jq|--transformer-file: bad.jq: 
	--transformer-file none.jq|--transformer-file: none.jq: cannot read the program
	EOF
	# Nothing was asked of a server.
	[ "$(odoo_log src | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')" -eq 0 ]
}

@test "a refused login stops everything before a stage starts, with one line" {
	printf '[Connection]\nhostname = 127.0.0.1\nport = %s\ndatabase = dst\nlogin = admin\npassword = wrong\nretries = 0\n' \
	    "$ODOO_DST_PORT" >wrong.conf
	chmod 600 wrong.conf
	odoo_reset src
	run odf migrate --config-export "$ODOO_SRC_CONF" --config-import wrong.conf --model res.partner
	[ "$status" -eq 77 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == "odf migrate: --config-import: "*"login refused for user 'admin' on database 'dst'"* ]]
	# The source was looked at (its login, its model), never exported.
	[ "$(odoo_log src | python3 -c 'import json, sys; print(sum(c["method"] == "export_data" for c in json.load(sys.stdin)))')" -eq 0 ]
}

@test "a migration started with standard input, output and error closed lands every record" {
	# Nothing the stages open (sockets, pipes, the fail file) may take the
	# place of a closed standard stream and receive what was meant for it.
	migrate_tags
	migrate --model res.partner --fields "$PARTNER_FIELDS" --fail-file fail.ndjson \
	    <&- >&- 2>&-
	[ "$(partners src)" = "$(partners dst)" ]
	[ ! -e fail.ndjson ]
}
