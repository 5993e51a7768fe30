#!/usr/bin/env bats
# One login per program and database: workers forked after the login reuse
# its uid, and odf migrate logs in once to each side and hands the uids to
# its stages (ODF_UID). Logins are counted in the test server's call log
# (common.login / authenticate; over JSON-2, res.users.context_get).

bats_require_minimum_version 1.5.0
load lib/common
load lib/odoo

setup() {
	odoo_start src
	odoo_start dst
	odoo_seed src 120
}

teardown() {
	odoo_stop_all
}

# logins NAME: the logins in NAME's call log since the last reset.
logins() {
	odoo_log "$1" | python3 -c '
import json, sys
print(sum(1 for e in json.load(sys.stdin) if e.get("service") == "common"
          and e["method"] in ("login", "authenticate")))'
}

# calls NAME METHOD: how many METHOD calls NAME's call log holds.
calls() {
	odoo_log "$1" | python3 -c '
import json, sys
print(sum(1 for e in json.load(sys.stdin) if e["method"] == sys.argv[1]))' "$2"
}

@test "odf-export logs in once, with one worker and with four" {
	odoo_reset src
	odf-export -c "$ODOO_SRC_CONF" -m res.partner -f id,name -b 10 -w 1 -q >"$BATS_TEST_TMPDIR/w1"
	[ "$(logins src)" -eq 1 ]
	[ "$(calls src export_data)" -eq 12 ]
	[ "$(calls src search)" -eq 1 ]
	odoo_reset src
	odf-export -c "$ODOO_SRC_CONF" -m res.partner -f id,name -b 10 -w 4 -q >"$BATS_TEST_TMPDIR/w4"
	[ "$(logins src)" -eq 1 ]
	cmp "$BATS_TEST_TMPDIR/w1" "$BATS_TEST_TMPDIR/w4"
}

@test "odf-import -w 2 logs in once; its workers load with the uid" {
	odf-export -c "$ODOO_SRC_CONF" -m res.partner -f id,name,email -d "[('name', '!=', False)]" -q >"$BATS_TEST_TMPDIR/p.ndjson"
	odoo_reset dst
	odf-import -c "$ODOO_DST_CONF" -m res.partner -w 2 -b 10 -q "$BATS_TEST_TMPDIR/p.ndjson"
	[ "$(logins dst)" -eq 1 ]
	# both workers loaded: two connections made load calls
	[ "$(odoo_log dst | python3 -c '
import json, sys
print(len({e["peer"] for e in json.load(sys.stdin) if e["method"] == "load"}))')" -eq 2 ]
}

@test "odf migrate logs in once to each database, two logins in all, whatever the workers" {
	odoo_reset src
	odoo_reset dst
	odf migrate --config-export "$ODOO_SRC_CONF" --config-import "$ODOO_DST_CONF" \
	    --model res.partner --fields id,name,email --domain "[('name', '!=', False)]" --export-worker 2 --import-worker 2 \
	    --import-batch-size 20 -q
	[ "$(logins src)" -eq 1 ]
	[ "$(logins dst)" -eq 1 ]
	[ "$(calls dst load)" -ge 6 ]
	[ "$(odoo_call dst res.partner search_count '[[["email", "!=", false]]]')" -eq \
	  "$(odoo_call src res.partner search_count '[[["email", "!=", false]]]')" ]
}

@test "odf migrate --verify checks the destination without logging in again" {
	odoo_reset src
	odoo_reset dst
	run odf migrate --config-export "$ODOO_SRC_CONF" --config-import "$ODOO_DST_CONF" \
	    --model res.partner --fields id,name,email --domain "[('name', '!=', False)]" \
	    --verify
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"odf verify: res.partner: "*" equal, 0 missing, 0 extra, 0 differ"* ]]
	[ "$(logins src)" -eq 1 ]
	[ "$(logins dst)" -eq 1 ]
}

@test "a file's own ODF_UID_<NAME> wins over ODF_UID" {
	odoo_reset src
	cp "$ODOO_SRC_CONF" "$BATS_TEST_TMPDIR/staging.conf"
	ODF_UID_STAGING=2 ODF_UID=999 odf-export -c "$BATS_TEST_TMPDIR/staging.conf" \
	    -m res.partner -f id,name -q >"$BATS_TEST_TMPDIR/out.ndjson"
	[ "$(logins src)" -eq 0 ]
	[ -s "$BATS_TEST_TMPDIR/out.ndjson" ]
}

@test "odf migrate stops before any stage when a login is refused, and names the file" {
	write_conf "$BATS_TEST_TMPDIR/bad.conf" hostname=127.0.0.1 "port=$ODOO_DST_PORT" \
	    database=dst login=admin password=n0t-the-pa55
	odoo_reset src
	run odf migrate --config-export "$ODOO_SRC_CONF" --config-import "$BATS_TEST_TMPDIR/bad.conf" \
	    --model res.partner --fields id,name
	[ "$status" -eq 77 ]
	[[ "$output" == *"odf migrate: "*"login refused for user 'admin' on database 'dst'"* ]]
	[[ "$output" != *n0t-the-pa55* ]]
	# no stage ran: nothing was searched or exported
	[ "$(calls src search)" -eq 0 ]
	[ "$(calls src export_data)" -eq 0 ]
}

@test "with ODF_UID set (as odf migrate does for its stages) no program logs in" {
	odoo_reset src
	ODF_UID=2 odf-export -c "$ODOO_SRC_CONF" -m res.partner -f id -w 3 -b 20 -q >/dev/null
	[ "$(logins src)" -eq 0 ]
	[ "$(calls src export_data)" -ge 6 ]
	odf-export -c "$ODOO_SRC_CONF" -m res.partner -f id -q >/dev/null
	[ "$(logins src)" -eq 1 ]
}

@test "over JSON-2, the key is checked once (context_get) however many workers" {
	odoo_reset src
	odf-export -c "$ODOO_SRC_JSON2_CONF" -m res.partner -f id,name -b 10 -w 3 -q >/dev/null
	[ "$(calls src context_get)" -eq 1 ]
	[ "$(logins src)" -eq 0 ]
}

@test "with --login-cost the server takes that long to log in, and odf pays it once" {
	odoo_start slow --login-cost 0.5
	odoo_seed slow 40
	local t0 t1
	t0=$(date +%s.%N)
	odf-export -c "$ODOO_SLOW_CONF" -m res.partner -f id,name -b 5 -w 4 -q >/dev/null
	t1=$(date +%s.%N)
	[ "$(logins slow)" -eq 1 ]
	odoo_log slow | python3 -c '
import json, sys
e = [e for e in json.load(sys.stdin) if e["method"] == "login"][0]
assert e["end"] - e["start"] >= 0.5, e'
	# one login of 0.5 s, not five
	python3 -c 'import sys; d = float(sys.argv[2]) - float(sys.argv[1]); assert 0.5 <= d < 2.4, d' "$t0" "$t1"
}
