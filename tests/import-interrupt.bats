#!/usr/bin/env bats
# Ctrl-C during odf-import: the batches under way finish, the summary says
# where reading stopped, and what it reports is what Odoo holds.

load lib/import

setup_file() {
	import_server
}

teardown_file() {
	odoo_stop_all
}

setup() {
	cd "$BATS_TEST_TMPDIR"
}

records() {
	for ((i = 1; i <= $1; i++)); do
		printf '{"id":"intr.p%d","name":"Partner %d"}\n' "$i" "$i"
	done
}

@test "SIGINT stops the reading, finishes the batches under way and reports them" {
	records 400 >in.ndjson
	odoo_faults dst '{"latency_ms": 60, "methods": ["load"]}'
	odf-import -c "$(imp_conf)" -m res.partner -w 2 --batch-size 5 in.ndjson \
	    2>err.txt &
	interrupt_after 1 $!
	odoo_faults dst '{}'
	cat err.txt
	[ "$status" -eq 130 ]
	grep -q "interrupted by Interrupt: stopped reading after line [0-9]* of in.ndjson" err.txt
	import_counts "$(cat err.txt)"
	[ "$r" -lt 400 ]
	[ "$r" -eq $((c + u + f)) ]
	[ "$(odoo_count res.partner '["name", "=like", "Partner %"]')" -eq $((c + u)) ]
}

@test "after an interruption the same command loads the rest and duplicates nothing" {
	records 400 >in.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner in.ndjson
	[ "$status" -eq 0 ]
	[ "$(odoo_count res.partner '["name", "=like", "Partner %"]')" -eq 400 ]
}
