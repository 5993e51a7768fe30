#!/usr/bin/env bats
# odf-import against a failing server: retries, lost answers, refusals. The
# promise holds throughout: read = created + updated + failed, every failed
# record is in the fail file, and Odoo holds exactly what was reported.

load lib/import

setup_file() { import_server; }
teardown_file() { odoo_stop_all; }

setup() { cd "$BATS_TEST_TMPDIR"; }
teardown() { odoo_faults dst '{"error_rate": 0, "drop_rate": 0, "serialization_rate": 0,
	"drop_after_commit_rate": 0, "hang_rate": 0, "hang_ms": 0, "latency_ms": 0,
	"error_status": 503, "methods": null}'; }

# records PREFIX N [with-id]: N records named "PREFIX i".
records() {
	local i
	for ((i = 1; i <= $2; i++)); do
		if [ "${3:-}" = noid ]; then
			echo "{\"name\": \"$1 $i\"}"
		else
			echo "{\"id\": \"${1}_$i\", \"name\": \"$1 $i\"}"
		fi
	done
}

# The numbers of the summary line: "read created updated failed".
counts() {
	sed -n 's/.*: read \([0-9]*\), created \([0-9]*\), updated \([0-9]*\), failed \([0-9]*\);.*/\1 \2 \3 \4/p' <<<"$1"
}

# The promise, for N records of PREFIX loaded by the run whose output is $output.
promise_holds() {
	local prefix=$1 n=$2 read created updated failed
	read -r read created updated failed <<<"$(counts "$output")"
	echo "read=$read created=$created updated=$updated failed=$failed"
	[ "$read" = "$n" ]
	[ $((created + updated + failed)) -eq "$n" ]
	[ "$(fail_lines res.partner_fail.ndjson)" = "$failed" ]
	[ "$(odoo_count res.partner "[\"name\",\"like\",\"$prefix \"]")" = $((created + updated)) ]
}

@test "503s, serialization failures and slow answers are retried and every record lands once" {
	records FA 60 >in.ndjson
	odoo_faults dst '{"error_rate": 0.2, "serialization_rate": 0.2, "latency_ms": 5,
		"methods": ["load", "search_read"], "seed": 11}'
	run odf-import -c "$(imp_conf)" -m res.partner -w 2 -b 7 in.ndjson
	[ "$status" -eq 0 ]
	promise_holds FA 60
	[[ "$output" == *"read 60, created 60, updated 0, failed 0"* ]]
	[[ "$output" == *"HTTP 503; try 2"* ]]
	[ "$(odoo_stats dst | python3 -c 'import json,sys; print(json.load(sys.stdin)["faults"]["error"] > 0)')" = True ]
}

@test "answers lost after the commit are retried for records with an external id and land once" {
	records FB 40 >in.ndjson
	odoo_faults dst '{"drop_after_commit_rate": 0.3, "methods": ["load"], "seed": 5}'
	run odf-import -c "$(imp_conf)" -m res.partner -w 2 -b 5 in.ndjson
	[ "$status" -eq 0 ]
	promise_holds FB 40
	[ "$(odoo_count res.partner '["name","like","FB "]')" = 40 ]
}

@test "a record without an external id is not sent twice when the outcome is unknown" {
	records FC 6 noid >in.ndjson
	odoo_faults dst '{"drop_after_commit_rate": 1.0, "methods": ["load"]}'
	run odf-import -c "$(imp_conf)" -m res.partner -b 3 in.ndjson
	[ "$status" -eq 65 ]
	[[ "$output" == *"read 6, created 0, updated 0, failed 6"* ]]
	[[ "$output" == *"6 of them may be in Odoo"* ]]
	grep -q '"message":"outcome unknown, the record may be in Odoo' res.partner_fail.ndjson
	[ "$(fail_lines res.partner_fail.ndjson)" = 6 ]
	# each call went through once: the records are there, once each
	[ "$(odoo_count res.partner '["name","like","FC "]')" = 6 ]
}

@test "in a mixed batch with an unknown outcome only the records with an id are sent again" {
	{ records FD 2; records FDX 2 noid; } >in.ndjson
	odoo_faults dst '{"drop_after_commit_rate": 1.0, "methods": ["load"]}'
	run odf-import -c "$(imp_conf retries=1)" -m res.partner -b 4 in.ndjson
	[ "$status" -eq 65 ]
	# without an id: failed at once, outcome unknown; with one: tried again,
	# lost again, then found in Odoo by their ids: created
	[[ "$output" == *"read 4, created 2, updated 0, failed 2"* ]]
	[ "$(grep -c 'outcome unknown, the record may be in Odoo' res.partner_fail.ndjson)" = 2 ]
	[ "$(grep -c '"id": "FD_' res.partner_fail.ndjson)" = 0 ]
	[ "$(odoo_count res.partner '["name","like","FDX "]')" = 2 ]
	[ "$(odoo_count res.partner '["name","like","FD "]')" = 2 ]
}

@test "answers lost past every retry: odf asks Odoo which ids landed, sends exactly the others, counts exactly" {
	records FL 60 >in.ndjson
	odoo_faults dst '{"drop_after_commit_rate": 0.6, "methods": ["load"], "seed": 3}'
	odoo_reset dst
	run odf-import -c "$(imp_conf retries=1)" -m res.partner -w 2 -b 5 in.ndjson
	odoo_faults dst '{"drop_after_commit_rate": 0}'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"read 60, created 60, updated 0, failed 0"* ]]
	[ ! -e res.partner_fail.ndjson ]
	# what the destination holds = what was reported: each record once
	[ "$(odoo_count res.partner '["name","like","FL "]')" = 60 ]
	# answers were lost past the retries (both tries of a call), and asked
	# about: more reads of ir.model.data than the one a job makes first
	local jobs reads
	jobs=$(odoo_log dst | python3 -c '
import json, sys
print(len({tuple(e["xmlids"]) for e in json.load(sys.stdin) if e["method"] == "load"}))')
	reads=$(odoo_log dst | python3 -c '
import json, sys
print(sum(1 for e in json.load(sys.stdin) if e["method"] == "search_read"))')
	echo "jobs=$jobs reads=$reads"
	[ "$reads" -gt 12 ]
	# the same run again: every record is there, updated
	odoo_faults dst '{"drop_after_commit_rate": 0.6, "methods": ["load"], "seed": 4}'
	run odf-import -c "$(imp_conf retries=1)" -m res.partner -w 2 -b 5 in.ndjson
	odoo_faults dst '{"drop_after_commit_rate": 0}'
	[ "$status" -eq 0 ]
	[[ "$output" == *"read 60, created 0, updated 60, failed 0"* ]]
	[ "$(odoo_count res.partner '["name","like","FL "]')" = 60 ]
}

@test "when Odoo cannot be asked about a lost answer, the outcome stays unknown" {
	records FN 4 >in.ndjson
	odoo_faults dst '{"drop_after_commit_rate": 1.0, "methods": ["load", "search_read"]}'
	run odf-import -c "$(imp_conf retries=1)" -m res.partner -b 4 in.ndjson
	odoo_faults dst '{"drop_after_commit_rate": 0}'
	[ "$status" -eq 65 ]
	[[ "$output" == *"read 4, created 0, updated 0, failed 4"* ]]
	[ "$(fail_lines res.partner_fail.ndjson)" = 4 ]
	grep -q '"unknown"\|may be in Odoo\|connection lost' res.partner_fail.ndjson
	[ "$(odoo_count res.partner '["name","like","FN "]')" = 4 ]
}

@test "a batch that still fails after the retries goes to the fail file whole with the error" {
	records FE 5 >in.ndjson
	odoo_faults dst '{"error_rate": 1.0, "methods": ["load"]}'
	run odf-import -c "$(imp_conf retries=2)" -m res.partner -b 5 in.ndjson
	[ "$status" -eq 65 ]
	promise_holds FE 5
	[[ "$output" == *"failed 5"* ]]
	[ "$(grep -c '127.0.0.1:[0-9]*: HTTP 503 (after 3 tries)' res.partner_fail.ndjson)" = 5 ]
}

@test "server errors that are not transient are narrowed down and the counts add up" {
	records FF 40 >in.ndjson
	odoo_faults dst '{"error_rate": 0.3, "error_status": 500, "methods": ["load"], "seed": 2}'
	run odf-import -c "$(imp_conf)" -m res.partner -w 2 -b 8 in.ndjson
	[ "$status" -eq 0 ] || [ "$status" -eq 65 ]
	promise_holds FF 40
	# the server did refuse calls, each refused batch was split
	[ "$(odoo_stats dst | python3 -c 'import json,sys; s = json.load(sys.stdin); print(s["faults"]["error"] > 0 and s["calls"]["load"] > 5)')" = True ]
	read -r _ created _ failed <<<"$(counts "$output")"
	# split down to the record: most land, only records refused alone fail
	[ "$created" -gt 30 ]
	[ "$failed" -eq 0 ] ||
	    [ "$(grep -c '"message":"127.0.0.1:[0-9]*: HTTP 500"' res.partner_fail.ndjson)" = "$failed" ]
}

@test "dropped connections, 503s and lost answers together: the counts still add up" {
	records FG 50 >in.ndjson
	odoo_faults dst '{"error_rate": 0.1, "drop_rate": 0.1, "serialization_rate": 0.1,
		"drop_after_commit_rate": 0.1, "methods": ["load", "search_read"], "seed": 9}'
	run odf-import -c "$(imp_conf)" -m res.partner -w 3 -b 5 in.ndjson
	[ "$status" -eq 0 ] || [ "$status" -eq 65 ]
	cat res.partner_fail.ndjson 2>/dev/null | head -3
	promise_holds FG 50
}

@test "timeouts are outcome unknown: records with an id are retried and land once" {
	records FH 12 >in.ndjson
	odoo_faults dst '{"hang_ms": 800, "hang_rate": 0.3, "methods": ["load"], "seed": 4}'
	run odf-import -c "$(imp_conf timeout=0.3)" -m res.partner -w 2 -b 3 in.ndjson
	[ "$status" -eq 0 ]
	promise_holds FH 12
	[[ "$output" == *"no answer within 0.3 s"* ]]
	sleep 0.8   # let the hung calls finish on the server before counting
	[ "$(odoo_count res.partner '["name","like","FH "]')" = 12 ]
}

# load calls since the last odoo_reset.
load_calls() {
	odoo_stats dst | python3 -c 'import json, sys; print(json.load(sys.stdin)["calls"].get("load", 0))'
}

# refused_mid_import PREFIX CONF CREDENTIALS RESTORE WHAT: records named
# PREFIX (new to the server, which the file's tests share); change the credentials
# after the third load; the rest fails batch by batch with WHAT in the fail
# file, never narrowed down (a refusal refuses every record alike).
refused_mid_import() {
	local prefix=$1 conf=$2 change=$3 restore=$4 what=$5 pid i
	records "$prefix" 100 >in.ndjson
	odoo_faults dst '{"latency_ms": 150, "methods": ["load"]}'
	odoo_reset dst
	odf-import -c "$conf" -m res.partner -b 10 in.ndjson >out.txt 2>&1 &
	pid=$!
	for ((i = 0; i < 200; i++)); do
		[ "$(load_calls)" -ge 3 ] && break
		sleep 0.05
	done
	odoo_credentials dst "$change"
	status=0
	wait "$pid" || status=$?
	odoo_credentials dst "$restore"
	output=$(cat out.txt)
	echo "status $status, load calls $(load_calls)"
	echo "$output"
	[ "$status" -eq 65 ]
	promise_holds "$prefix" 100
	read -r _ _ _ failed <<<"$(counts "$output")"
	[ "$failed" -gt 0 ]
	grep -q "$what" res.partner_fail.ndjson
	# Ten batches, one load each.
	[ "$(load_calls)" -le 10 ]
}

@test "a password changed mid-import fails the rest batch by batch, without narrowing down" {
	refused_mid_import FK "$(imp_conf)" '{"password": "changed"}' '{"password": "admin"}' \
	    '"Access Denied"'
}

@test "an API key revoked mid-import (JSON-2) fails the rest batch by batch, without narrowing down" {
	refused_mid_import FJ "$ODOO_DST_JSON2_CONF" '{"api_key": "revoked"}' \
	    "{\"api_key\": \"$ODOO_DST_API_KEY\"}" 'API key refused'
}
