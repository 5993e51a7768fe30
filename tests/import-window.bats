#!/usr/bin/env bats
# odf-import's window: records regrouped so that one parent's records travel
# in one load call, parents first; a reference to a record earlier in the same
# call is left to load, not deferred.

load lib/import

setup_file() {
	import_server
}

teardown_file() {
	odoo_stop_all
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	odoo_reset dst
}

# families PREFIX N K: N companies then their K contacts each, the contacts
# interleaved (contact j of every company, then contact j+1 ...), with the
# same keys, as an export in id order gives them.
families() {
	python3 - "$@" <<-'PY'
	import json, sys
	pre, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
	for c in range(n):
	    print(json.dumps({"id": "%s.c%d" % (pre, c), "name": "%s C%d" % (pre, c), "is_company": True,
	                      "parent_id": None}))
	for j in range(k):
	    for c in range(n):
	        print(json.dumps({"id": "%s.p%d_%d" % (pre, c, j), "name": "%s P%d.%d" % (pre, c, j),
	                          "is_company": False, "parent_id": {"id": "%s.c%d" % (pre, c)}}))
	PY
}

# load_calls: the xmlids of each load call in dst's call log, one call a line.
load_calls() {
	odoo_log dst | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    if e["method"] == "load":
        print(" ".join(e["xmlids"]))'
}

# parents_right PREFIX N K: every contact of the families has its company.
parents_right() {
	odoo_call dst res.partner search_read "[[[\"name\", \"=like\", \"$1 P%\"]]]" \
	    '{"fields": ["name", "parent_id"], "context": {"active_test": false}}' | python3 -c '
import json, sys
rows = json.load(sys.stdin)
assert len(rows) == int(sys.argv[2]) * int(sys.argv[3]), len(rows)
for r in rows:
    company = r["name"].split()[1].split(".")[0].replace("P", "C")
    assert r["parent_id"] and r["parent_id"][1] == "%s %s" % (sys.argv[1], company), r' "$@"
}

@test "interleaved contacts travel with their company, one family a call, and nothing is deferred" {
	families fam 4 9 >in.ndjson
	odoo_reset dst
	run odf-import -c "$(imp_conf)" -m res.partner -b 10 -w 1 in.ndjson
	[ "$status" -eq 0 ]
	import_counts "$output"
	[ "$c" -eq 40 ] && [ "$f" -eq 0 ]
	load_calls >calls.txt
	cat calls.txt
	# 4 calls, no second pass: each holds one company first, then its 9 contacts
	[ "$(wc -l <calls.txt)" -eq 4 ]
	python3 -c '
import sys
for line in open(sys.argv[1]):
    ids = line.split()
    c = ids[0].split(".")[1]
    assert c.startswith("c") and len(ids) == 10, ids
    assert all(i.startswith("fam.p%s_" % c[1:]) for i in ids[1:]), ids' calls.txt
	parents_right fam 4 9
}

@test "a contact read before its company still lands with it" {
	{ families rev 3 4 | tac; } >in.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner -b 5 -w 1 in.ndjson
	[ "$status" -eq 0 ]
	import_counts "$output"
	[ "$c" -eq 15 ] && [ "$f" -eq 0 ]
	# the company heads each call it shares with its contacts
	load_calls | python3 -c '
import sys
for line in sys.stdin:
    ids = line.split()
    if any(".c" in i for i in ids):
        assert ".c" in ids[0], ids'
	parents_right rev 3 4
}

@test "families split across batches and workers still get every parent" {
	families spl 7 6 >in.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner -b 4 -w 3 in.ndjson
	[ "$status" -eq 0 ]
	import_counts "$output"
	[ "$c" -eq 49 ] && [ "$f" -eq 0 ]
	parents_right spl 7 6
}

@test "a refused company takes the contacts that point at it in its batch to the fail file" {
	families bad 2 3 >in.ndjson
	# bad.c0 loses its name: refused (res_partner_check_name)
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["id"] == "bad.c0":
        r["name"] = False
    print(json.dumps(r))' in.ndjson >in2.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner -b 10 -w 1 in2.ndjson
	[ "$status" -eq 65 ]
	import_counts "$output"
	[ "$c" -eq 4 ] && [ "$f" -eq 4 ]
	[ "$(fail_lines res.partner_fail.ndjson)" -eq 4 ]
	[ "$(odoo_count res.partner '["name", "=like", "bad %"]')" -eq 4 ]
	grep -c '"bad.p0_' res.partner_fail.ndjson | grep -qx 3
}
