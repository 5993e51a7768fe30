#!/usr/bin/env bats
# odf-export with several workers: the same bytes as with one, in id order
# (or --order), a dead worker reported by name, progress on a terminal.

bats_require_minimum_version 1.5.0
load lib/common
load lib/odoo

setup() {
	odoo_start src
	CONF=$BATS_TEST_TMPDIR/src.conf
}

teardown() {
	odoo_stop_all
}

@test "-w 1 and -w 3 write the same bytes, records in id order" {
	odoo_seed src 230
	# The first export creates the __export__ ids; compare exports that reuse them.
	odf-export -c "$CONF" -m res.partner -f id -q -w 3 >/dev/null
	odf-export -c "$CONF" -m res.partner -q -b 7 -w 1 --context "{'active_test': False}" \
		-f id,.id,name,email,is_company,parent_id,category_id >"$BATS_TEST_TMPDIR/w1"
	odf-export -c "$CONF" -m res.partner -q -b 7 -w 3 --context "{'active_test': False}" \
		-f id,.id,name,email,is_company,parent_id,category_id >"$BATS_TEST_TMPDIR/w3"
	cmp "$BATS_TEST_TMPDIR/w1" "$BATS_TEST_TMPDIR/w3"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/w1")" -ge 230 ]
	python3 -c '
import json, sys
ids = [json.loads(l)[".id"] for l in open(sys.argv[1])]
assert ids == sorted(ids) and len(set(ids)) == len(ids), "not in id order"' "$BATS_TEST_TMPDIR/w1"
}

@test "with --order, several workers keep that order, the same as one worker" {
	odoo_seed src 120
	odf-export -c "$CONF" -m res.partner -q -b 9 -w 1 -f .id,is_company --order "is_company desc" \
		>"$BATS_TEST_TMPDIR/w1"
	odf-export -c "$CONF" -m res.partner -q -b 9 -w 4 -f .id,is_company --order "is_company desc" \
		>"$BATS_TEST_TMPDIR/w4"
	cmp "$BATS_TEST_TMPDIR/w1" "$BATS_TEST_TMPDIR/w4"
	# companies first; id breaks the ties, so that pages never overlap
	python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
keys = [(not r["is_company"], r[".id"]) for r in rows]
assert keys == sorted(keys) and len(set(keys)) == len(keys) > 100, "not in --order"
assert rows[0]["is_company"] and not rows[-1]["is_company"]' "$BATS_TEST_TMPDIR/w1"
}

@test "a worker killed mid-export is named with its pid and signal; the lines written are whole" {
	odoo_seed src 60
	odoo_faults src '{"latency_ms": 150, "methods": ["export_data"]}'
	odf-export -c "$CONF" -m res.partner -b 5 -w 2 -q >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	local pid=$! i victim=
	for i in $(seq 1 200); do
		[ -s "$BATS_TEST_TMPDIR/out" ] && victim=$(pgrep -P $pid | head -n 1)
		[ -n "$victim" ] && break
		sleep 0.02
	done
	[ -n "$victim" ]
	kill -9 "$victim"
	local rc=0
	wait $pid || rc=$?
	[ "$rc" -eq 70 ]
	grep -q "^odf export: worker [01] (pid $victim) was killed by signal 9" "$BATS_TEST_TMPDIR/err"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/err")" -eq 1 ]
	python3 -c '
import json, sys
data = open(sys.argv[1], "rb").read()
assert data.endswith(b"\n")
assert all(isinstance(json.loads(l), dict) for l in data.decode().splitlines())' "$BATS_TEST_TMPDIR/out"
	# no worker outlives the export
	run pgrep -P $pid
	[ "$status" -ne 0 ]
}

@test "on a terminal, a progress line shows records done of the total, then the summary" {
	odoo_seed src 40
	odoo_faults src '{"latency_ms": 120, "methods": ["export_data"]}'
	on_a_terminal "odf-export -c '$CONF' -m res.partner -f id -b 4 >'$BATS_TEST_TMPDIR/out'" \
		>"$BATS_TEST_TMPDIR/tty"
	local n
	n=$(wc -l <"$BATS_TEST_TMPDIR/out")
	[ "$n" -ge 40 ]
	grep -aq "res.partner: [0-9,]* / $n records" "$BATS_TEST_TMPDIR/tty"
	grep -aq "res.partner: $n records in" "$BATS_TEST_TMPDIR/tty"
	# stdout got records only
	run grep -c 'records' "$BATS_TEST_TMPDIR/out"
	[ "$output" = 0 ]
}

@test "with several workers, a first export gives each record one external id, the one it is named by" {
	# Companies and tags without external ids, each named by many contacts
	# that land in different pages, exported by different workers.
	local tags companies
	tags=$(odoo_call src res.partner.category create '[[{"name":"t1"},{"name":"t2"},{"name":"t3"}]]')
	companies=$(odoo_call src res.partner create '[[{"name":"C1","is_company":true},{"name":"C2","is_company":true}]]')
	odoo_call src res.partner create "$(python3 -c '
import json, sys
tags, companies = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(json.dumps([[{"name": "P%02d" % i, "parent_id": companies[i % 2],
    "category_id": [[6, 0, tags[:1 + i % 3]]]} for i in range(60)]]))' "$tags" "$companies")" >/dev/null
	odf-export -c "$CONF" -m res.partner -q -w 3 -b 2 -f id,name,parent_id,category_id >"$BATS_TEST_TMPDIR/out"
	odoo_call src ir.model.data search_read \
		'[[["model", "in", ["res.partner", "res.partner.category"]], ["module", "=", "__export__"]]]' \
		'{"fields": ["model", "res_id", "name"]}' >"$BATS_TEST_TMPDIR/imd"
	python3 -c '
import collections, json, sys
imd = json.load(open(sys.argv[2]))
per = collections.Counter((r["model"], r["res_id"]) for r in imd)
assert per and max(per.values()) == 1, "records with several ids: %s" % [k for k, n in per.items() if n > 1]
xmlid = {(r["model"], r["res_id"]): "__export__." + r["name"] for r in imd}
known = set(xmlid.values())
rows = [json.loads(l) for l in open(sys.argv[1])]
named = {ref["id"] for r in rows for ref in [r["parent_id"]] + r["category_id"] if ref}
assert named <= known, "named by ids that are not theirs: %s" % (named - known)
assert len([r for r in rows if r["name"].startswith("P")]) == 60' \
		"$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/imd"
}

@test "several workers skip the ids-first pass once every record they can reach has its id" {
	odoo_seed src 90
	# The first export has ids to create: each page's ids first, by the parent.
	odoo_reset src
	odf-export -c "$CONF" -m res.partner -q -w 2 -b 10 --archived -f id,name,parent_id,category_id \
		>"$BATS_TEST_TMPDIR/first"
	local pages
	pages=$(( ($(wc -l <"$BATS_TEST_TMPDIR/first") + 9) / 10 ))
	[ "$(odoo_log src | python3 -c '
import json, sys
print(sum(1 for e in json.load(sys.stdin) if e["method"] == "export_data"))')" -eq $((2 * pages)) ]
	# Now every partner and tag has one: one export_data a page, the same bytes.
	odoo_reset src
	odf-export -c "$CONF" -m res.partner -q -w 2 -b 10 --archived -f id,name,parent_id,category_id \
		>"$BATS_TEST_TMPDIR/again"
	[ "$(odoo_log src | python3 -c '
import json, sys
print(sum(1 for e in json.load(sys.stdin) if e["method"] == "export_data"))')" -eq "$pages" ]
	cmp "$BATS_TEST_TMPDIR/first" "$BATS_TEST_TMPDIR/again"
	# A tag no partner has changes nothing; once one has it, the pass is back.
	local tag partner
	tag=$(odoo_call src res.partner.category create '[{"name": "new tag"}]' | tr -dc 0-9)
	odoo_reset src
	odf-export -c "$CONF" -m res.partner -q -w 2 -b 10 --archived -f id,name,parent_id,category_id \
		>/dev/null
	[ "$(odoo_log src | python3 -c '
import json, sys
print(sum(1 for e in json.load(sys.stdin) if e["method"] == "export_data"))')" -eq "$pages" ]
	partner=$(odoo_call src res.partner search '[[["is_company", "=", false]]]' '{"limit": 1}' | tr -dc 0-9)
	odoo_call src res.partner write "[[$partner], {\"category_id\": [[4, $tag]]}]" >/dev/null
	odoo_reset src
	odf-export -c "$CONF" -m res.partner -q -w 2 -b 10 --archived -f id,name,parent_id,category_id \
		>/dev/null
	[ "$(odoo_log src | python3 -c '
import json, sys
print(sum(1 for e in json.load(sys.stdin) if e["method"] == "export_data"))')" -eq $((2 * pages)) ]
}

@test "the external ids of a model several paths reach are read once for the ids-first check" {
	odoo_seed src 40
	odf-export -c "$CONF" -m res.partner -q -w 2 -b 10 --archived \
		-f id,name,parent_id,child_ids,category_id >"$BATS_TEST_TMPDIR/first"
	# parent_id and child_ids both reach res.partner: one read of its ids,
	# one of the tags', and the pass is skipped.
	odoo_reset src
	odf-export -c "$CONF" -m res.partner -q -w 2 -b 10 --archived \
		-f id,name,parent_id,child_ids,category_id >"$BATS_TEST_TMPDIR/again"
	cmp "$BATS_TEST_TMPDIR/first" "$BATS_TEST_TMPDIR/again"
	odoo_log src | python3 -c '
import collections, json, sys
calls = collections.Counter((e["model"], e["method"]) for e in json.load(sys.stdin))
pages = (int(sys.argv[1]) + 9) // 10
assert calls[("ir.model.data", "search_read")] == 2, calls
assert calls[("res.partner", "export_data")] == pages, calls' "$(wc -l <"$BATS_TEST_TMPDIR/again")"
}
