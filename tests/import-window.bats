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

@test "the companies land first, then their contacts grouped by company; nothing is deferred" {
	families fam 4 9 >in.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner -b 10 -w 1 in.ndjson
	[ "$status" -eq 0 ]
	import_counts "$output"
	[ "$c" -eq 40 ] && [ "$f" -eq 0 ]
	load_calls >calls.txt
	cat calls.txt
	# one call of the 4 companies, then 36 contacts in 4 calls: no second pass
	[ "$(wc -l <calls.txt)" -eq 5 ]
	[ "$(head -n 1 calls.txt)" = "fam.c0 fam.c1 fam.c2 fam.c3" ]
	# the contacts in company order, each company's together
	[ "$(tail -n +2 calls.txt | tr ' ' '\n' | sed 's/_.*//')" = "$(for c in 0 1 2 3; do for j in $(seq 9); do echo "fam.p$c"; done; done)" ]
	parents_right fam 4 9
}

@test "contacts read before their companies still wait for them" {
	{ families rev 3 4 | tac; } >in.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner -b 5 -w 2 in.ndjson
	[ "$status" -eq 0 ]
	import_counts "$output"
	[ "$c" -eq 15 ] && [ "$f" -eq 0 ]
	# the first call holds the companies (in input order), the others contacts
	load_calls >calls.txt
	[ "$(head -n 1 calls.txt)" = "rev.c2 rev.c1 rev.c0" ]
	[ "$(tail -n +2 calls.txt | grep -c '\.c')" -eq 0 ]
	[ "$(wc -l <calls.txt)" -eq 4 ]
	parents_right rev 3 4
}

@test "a contact of a contact waits one level more; families split across batches and workers keep every parent" {
	families spl 7 6 >in.ndjson
	# a sub-contact under each of two contacts, read first
	printf '%s\n' '{"id": "spl.s1", "name": "spl S1", "is_company": false, "parent_id": {"id": "spl.p3_2"}}' \
	    '{"id": "spl.s2", "name": "spl S2", "is_company": false, "parent_id": {"id": "spl.p5_0"}}' \
	    | cat - in.ndjson >in2.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner -b 4 -w 3 in2.ndjson
	[ "$status" -eq 0 ]
	import_counts "$output"
	[ "$c" -eq 51 ] && [ "$f" -eq 0 ]
	# each level starts once the one before has landed: the sub-contacts go
	# in one call of their own, after every contact's; the contacts after
	# every company's
	odoo_log dst | python3 -c '
import json, sys
calls = [e for e in json.load(sys.stdin) if e["method"] == "load"]
def level(i):
    return 2 if ".s" in i else 0 if ".c" in i else 1
for c in calls:
    assert len({level(i) for i in c["xmlids"]}) == 1, c["xmlids"]
sub = [c for c in calls if level(c["xmlids"][0]) == 2]
assert len(sub) == 1 and sorted(sub[0]["xmlids"]) == ["spl.s1", "spl.s2"], sub
for lv in (1, 2):
    first = min(c["start"] for c in calls if level(c["xmlids"][0]) == lv)
    assert all(c["end"] <= first for c in calls if level(c["xmlids"][0]) == lv - 1), lv'

	parents_right spl 7 6
	[ "$(odoo_call dst res.partner search_count '[[["name", "=", "spl S1"], ["parent_id.name", "=", "spl P3.2"]]]')" -eq 1 ]
}

@test "contacts of a refused company land without it, in the fail file with their parent left out" {
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
	# c1 and its 3 contacts whole; c0's contacts in Odoo without their parent
	[ "$(odoo_count res.partner '["name", "=like", "bad %"]')" -eq 7 ]
	[ "$(grep -c '"landed": *true' res.partner_fail.ndjson)" -eq 3 ]
	[ "$(grep -c '"bad.p0_' res.partner_fail.ndjson)" -eq 3 ]
}
