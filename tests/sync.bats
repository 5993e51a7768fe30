#!/usr/bin/env bats
# Incremental runs: odf-export --since, odf migrate --state and --verify.

load lib/migrate

setup() {
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	odoo_stop_all
}

state_since() {
	jq -r --arg src "http://127.0.0.1:$ODOO_SRC_PORT/src" '.sources[$src]["res.partner"].since' "$1"
}

# The xmlids of the records NAME loaded since its counters were reset.
loaded_xmlids() {
	odoo_log "$1" | jq -r '.[] | select(.method == "load" and .model == "res.partner") | .xmlids[]' | sort
}

@test "odf-export --since: the records written at or after the time, archived ones too" {
	odoo_seed src 50
	odoo_start src
	# Seeded records carry a write_date of 2024.
	run odf export -c "$ODOO_SRC_CONF" -m res.partner --fields id,name --since "2025-01-01" -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	odoo_call src res.partner write '[[10, 11], {"phone": "+1"}]'
	odoo_call src res.partner write '[[12], {"active": false}]'
	run odf export -c "$ODOO_SRC_CONF" -m res.partner --fields id,name --since "2025-01-01T00:00:00Z" -q
	[ "$status" -eq 0 ]
	[ "$(wc -l <<<"$output")" -eq 3 ]
	[ "$(jq -s 'map(select(.active == false)) | length' <<<"$output")" -eq 1 ]
	run odf export -c "$ODOO_SRC_CONF" -m res.partner --since "yesterday"
	[ "$status" -eq 64 ]
	[[ $output == *"--since: 'yesterday' is not a time"* ]]
}

@test "--state: 10,000 partners, then exactly the 17 changed, added and archived; verify agrees" {
	odoo_seed src 10000
	odoo_start src
	odoo_start dst
	migrate_tags
	migrate_partners --state state.json --import-worker 2 --verify
	[ "$status" -eq 0 ]
	[ "$mig_read" -eq "$(odoo_call src res.partner search_count '[[]]' '{"context": {"active_test": false}}')" ]
	first=$(state_since state.json)
	[ "$first" != null ]
	cp state.json state.first

	# Change 10, add 5, archive 2: contacts without contacts of their own, so
	# that no address sync writes to a record more.
	ids=$(odoo_call src res.partner search '[[["is_company", "=", false], ["child_ids", "=", false]]]' '{"limit": 12}')
	odoo_call src res.partner write "[$(jq -c '.[0:10]' <<<"$ids"), {\"phone\": \"+32 2 555 00 00\"}]"
	odoo_call src res.partner write "[$(jq -c '.[10:12]' <<<"$ids"), {\"active\": false}]"
	new=()
	for i in 1 2 3 4 5; do
		new+=("$(odoo_call src res.partner create "[{\"name\": \"New partner $i\"}]" | jq 'if type == "array" then .[0] else . end')")
	done
	sleep 1         # the bookmark has whole seconds
	reset_stats src
	reset_stats dst
	migrate_partners --state state.json
	[ "$status" -eq 0 ]
	[ "$mig_read" -eq 17 ]
	exported=$(odoo_log src | jq -r '.[] | select(.method == "export_data") | .ids[]' | sort -n)
	# The call log: the destination's loads named exactly the 17 records (each
	# in two passes: odf-import sets parent_id in a second load).
	expected=$(odf export -c "$ODOO_SRC_CONF" -m res.partner --fields id \
	    -d "[('id', 'in', $(jq -c '.' <<<"$ids"))]" --archived -q | jq -r .id | sort)
	[ "$(wc -l <<<"$expected")" -eq 12 ]
	loaded=$(loaded_xmlids dst | sort -u)
	[ "$(wc -l <<<"$loaded")" -eq 17 ]
	[ -z "$(comm -23 <(echo "$expected") <(echo "$loaded"))" ]
	# And the source's: its export_data calls asked for exactly those 17, once.
	[ "$exported" = "$( (jq -r '.[]' <<<"$ids"; printf '%s\n' "${new[@]}") | sort -n)" ]
	[[ $output == *"records written since $first"* ]]
	[[ $output == *"bookmark moved to "* ]]
	[ "$(state_since state.json)" != "$first" ]
	[ "$(jq '.sources[] | .["res.partner"].records' state.json)" -eq 17 ]
	run odf verify --config-export "$(mig_conf src)" --config-import "$(mig_conf dst)" \
	    --model res.partner --fields "$PARTNER_FIELDS"
	[ "$status" -eq 0 ]
	[[ $output == *" 0 missing, 0 extra, 0 differ"* ]]
}

@test "a run killed at a random point leaves the bookmark; the next run completes it" {
	odoo_seed src 1000
	odoo_start src
	odoo_start dst
	migrate_tags
	migrate_partners --state state.json -q
	[ "$status" -eq 0 ]
	ids=$(odoo_call src res.partner search '[[["is_company", "=", false], ["child_ids", "=", false]]]' '{"limit": 40}')
	odoo_call src res.partner write "[$ids, {\"phone\": \"+32 2 555 00 01\"}]"
	sleep 1
	cp state.json state.before
	# Slow loads: the run lasts over two seconds; it is killed, with all its
	# stages, between 0.2 and 1.6 s.
	set_faults dst '{"latency_ms": 300, "methods": ["load"]}'
	setsid odf migrate --config-export "$(mig_conf src)" --config-import "$(mig_conf dst)" \
	    --model res.partner --fields "$PARTNER_FIELDS" --domain "$ALL_DOMAIN" \
	    --state state.json --import-batch-size 5 -q 2>run.err &
	pid=$!
	sleep "$(printf '0.%03d' $((200 + RANDOM % 800)))"
	[ $((RANDOM % 2)) -eq 0 ] || sleep 0.6
	kill -0 "$pid"  # still running: killed mid-run
	kill -KILL -- "-$pid"
	wait "$pid" || true
	cmp state.json state.before
	ls state.json* | grep -v -e '^state.json$' -e '^state.json.lock$' && false
	clear_faults dst
	migrate_partners --state state.json --verify
	[ "$status" -eq 0 ]
	[ "$mig_read" -ge 40 ]
	[ "$(state_since state.json)" != "$(state_since state.before)" ]
}

@test "a record written during the export, behind it, is in the next window even with --overlap 0" {
	odoo_seed src 500
	odoo_start src
	odoo_start dst
	migrate_tags
	migrate_partners --state state.json --overlap 0 -q
	[ "$status" -eq 0 ]
	sleep 1
	ids=$(odoo_call src res.partner search '[[["is_company", "=", false], ["child_ids", "=", false]]]' '{"order": "id desc", "limit": 30}')
	odoo_call src res.partner write "[$ids, {\"phone\": \"+32 2 555 00 02\"}]"
	low=$(odoo_call src res.partner search '[[["is_company", "=", false], ["child_ids", "=", false]]]' '{"order": "id", "limit": 1}' | jq '.[0]')
	low_xmlid=$(odf export -c "$ODOO_SRC_CONF" -m res.partner --fields id -d "[('id', '=', $low)]" --archived -q | jq -r .id)
	# Slow export pages: the run lasts a few seconds; the low record is written
	# after the export has paged past it.
	set_faults src '{"latency_ms": 250, "methods": ["export_data"]}'
	reset_stats src
	reset_stats dst
	migrate_partners --state state.json --overlap 0 --export-batch-size 3 -q &
	pid=$!
	for i in $(seq 100); do
		odoo_log src | jq -e 'map(select(.method == "export_data")) | length > 0' >/dev/null && break
		sleep 0.1
	done
	odoo_call src res.partner write "[[$low], {\"phone\": \"+32 2 555 00 03\"}]"
	wait "$pid"
	clear_faults src
	# That run did not see it: it had paged past it.
	[ -z "$(loaded_xmlids dst | grep -xF "$low_xmlid")" ]
	[ "$(loaded_xmlids dst | sort -u | wc -l)" -eq 30 ]
	sleep 1
	reset_stats dst
	migrate_partners --state state.json --overlap 0 --verify
	[ "$status" -eq 0 ]
	loaded_xmlids dst | grep -qxF "$low_xmlid"
	[[ $output == *"0 missing, 0 extra, 0 differ"* ]]
}

@test "a failed run and a --check run do not move the bookmark; a bad state file is a data error" {
	odoo_seed src 100
	odoo_start src
	odoo_start dst
	migrate_tags
	migrate_partners --state state.json -q
	[ "$status" -eq 0 ]
	cp state.json state.before
	sleep 1
	migrate_partners --state state.json --check -q
	[ "$status" -eq 0 ]
	cmp state.json state.before
	odoo_call src res.partner write '[[10], {"name": "BOOM"}]'
	set_faults dst '{"load_error_on": "BOOM"}'
	migrate_partners --state state.json --import-batch-size 1
	[ "$status" -eq 65 ]
	cmp state.json state.before
	echo '{"sources": {}}' >bad.json
	migrate_partners --state bad.json -q
	[ "$status" -eq 65 ]
	[[ $output == *"bad.json: not an odf state file"* ]]
}

@test "several models in one run: a bookmark each; the next run moves only what changed" {
	odoo_seed src 200
	odoo_start src
	odoo_start dst
	run odf migrate --config-export "$(mig_conf src)" --config-import "$(mig_conf dst)" \
	    --model res.partner.category,res.partner \
	    --fields "res.partner.category=$TAG_FIELDS" --fields "res.partner=$PARTNER_FIELDS" \
	    --domain "res.partner.category=$ALL_DOMAIN" --domain "res.partner=$ALL_DOMAIN" \
	    --state state.json
	echo "$output"
	[ "$status" -eq 0 ]
	src="http://127.0.0.1:$ODOO_SRC_PORT/src"
	[ "$(jq -r --arg s "$src" '.sources[$s] | keys | join(",")' state.json)" = "res.partner,res.partner.category" ]
	tag=$(odoo_call src res.partner.category search '[[]]' '{"limit": 1}' | jq '.[0]')
	odoo_call src res.partner.category write "[[$tag], {\"color\": 7}]"
	sleep 1
	reset_stats dst
	run odf migrate --config-export "$(mig_conf src)" --config-import "$(mig_conf dst)" \
	    --model res.partner.category,res.partner \
	    --fields "res.partner.category=$TAG_FIELDS" --fields "res.partner=$PARTNER_FIELDS" \
	    --domain "res.partner.category=$ALL_DOMAIN" --domain "res.partner=$ALL_DOMAIN" \
	    --state state.json --verify
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(odoo_log dst | jq '[.[] | select(.method == "load") | .xmlids[]] | unique | length')" -eq 1 ]
	[ "$(grep -c 'bookmark moved to' <<<"$output")" -eq 2 ]
	# Each bookmark counts the records of its own model's window.
	[ "$(jq --arg s "$src" '.sources[$s]["res.partner.category"].records' state.json)" -eq 1 ]
	[ "$(jq --arg s "$src" '.sources[$s]["res.partner"].records' state.json)" -eq 0 ]
	[ "$(grep -c ' 0 missing, 0 extra, 0 differ' <<<"$output")" -eq 2 ]
}

@test "--verify into a destination that lacks fields compares the fields it has" {
	odoo_seed src 100
	odoo_start src
	odoo_start dst --version 19.0
	run odf migrate --config-export "$(mig_conf src)" --config-import "$ODOO_DST_JSON2_CONF" \
	    --model res.partner --with-dependencies --verify
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"warning: res.partner: the destination has no fields"*mobile* ]]
	[[ $output == *"odf verify: res.partner: "*" 0 missing, 0 extra, 0 differ in "* ]]
	run odf migrate --config-export "$(mig_conf src)" --config-import "$ODOO_DST_JSON2_CONF" \
	    --model res.partner --fields id,name,email,mobile --verify -q
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "--verify with a transformer into a destination that lacks fields leaves those out" {
	odoo_seed src 100
	odoo_start src
	odoo_start dst --version 19.0
	echo '.name |= (if . == null then null else ascii_upcase end)' >up.jq
	run odf migrate --config-export "$(mig_conf src)" --config-import "$ODOO_DST_JSON2_CONF" \
	    --model res.partner --domain "[('name', '!=', False)]" \
	    --fields id,name,email,mobile --transformer-file up.jq --verify
	echo "$output"
	[ ! -e res.partner_fail.ndjson ] || head -c 600 res.partner_fail.ndjson
	[ "$status" -eq 0 ]
	[[ $output == *"warning: res.partner: the destination has no field"*mobile* ]]
	[[ $output == *"odf verify: res.partner: "*" equal, 0 missing, 0 extra, 0 differ in "* ]]
}
