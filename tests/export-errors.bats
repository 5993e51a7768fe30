#!/usr/bin/env bats
# odf-export's errors: one line on stderr naming the culprit, a documented
# exit status, and never a partial record on stdout.

bats_require_minimum_version 1.5.0
load lib/common
load lib/odoo

# One server for the tests that only read; those that seed or inject
# faults start their own.
setup_file() {
	odoo_start src
	export CONF=$BATS_FILE_TMPDIR/src.conf
}

teardown_file() {
	odoo_stop_all
}

teardown() {
	odoo_stop_all
}

# one_line: stderr is exactly one line, starting with "odf-export: ".
one_line() {
	[ "${#stderr_lines[@]}" -eq 1 ] || { printf 'stderr: %s\n' "$stderr"; return 1; }
	[[ "$stderr" == "odf export: "* ]]
}

# complete_lines FILE: every line of FILE is a whole JSON object.
complete_lines() {
	python3 -c '
import json, sys
data = open(sys.argv[1], "rb").read()
assert data == b"" or data.endswith(b"\n"), "last line cut"
for line in data.decode().splitlines():
    assert isinstance(json.loads(line), dict)' "$1"
}

@test "an unknown model is a usage error naming it" {
	run --separate-stderr odf-export -c "$CONF" -m res.partnr
	[ "$status" -eq 64 ]
	one_line
	[ "$stderr" = "odf export: unknown model 'res.partnr'" ]
	[ -z "$output" ]
}

@test "an unknown field is a usage error suggesting the closest names" {
	run --separate-stderr odf-export -c "$CONF" -m res.partner -f id,nmae
	[ "$status" -eq 64 ]
	one_line
	[[ "$stderr" == *"'nmae'"*"res.partner"*"did you mean 'name'"* ]]
	run --separate-stderr odf-export -c "$CONF" -m res.partner -f id,country_id/cod
	[ "$status" -eq 64 ]
	one_line
	[[ "$stderr" == *"'cod'"*"res.country"*"'code'"* ]]
	[ -z "$output" ]
}

@test "a path through a field that is not relational is a usage error" {
	run --separate-stderr odf-export -c "$CONF" -m res.partner -f id,name/id
	[ "$status" -eq 64 ]
	one_line
	[[ "$stderr" == *"name/id"* || "$stderr" == *"'name'"* ]]
}

@test "a domain that does not parse is reported with the position of the error" {
	run --separate-stderr odf-export -c "$CONF" -m res.partner -d "[('name', '=', 'x'), ('a' 'b')]"
	[ "$status" -eq 64 ]
	one_line
	[[ "$stderr" == "odf export: domain: position "[0-9]*": "* ]]
	run --separate-stderr odf-export -c "$CONF" -m res.partner -d "[('name', '=', 'x']"
	[ "$status" -eq 64 ]
	[[ "$stderr" == "odf export: domain: position "* ]]
}

@test "a domain the server refuses is a usage error with the server's reason" {
	run --separate-stderr odf-export -c "$CONF" -m res.partner -d "[('no_such_field', '=', 1)]"
	[ "$status" -eq 64 ]
	one_line
	[[ "$stderr" == "odf export: domain: "*"no_such_field"* ]]
	[ -z "$output" ]
}

@test "a context that is not a dict literal is a usage error" {
	run --separate-stderr odf-export -c "$CONF" -m res.partner --context "{'lang': }"
	[ "$status" -eq 64 ]
	one_line
	[[ "$stderr" == "odf export: context: position "* ]]
	run --separate-stderr odf-export -c "$CONF" -m res.partner --context "['not', 'a', 'dict']"
	[ "$status" -eq 64 ]
	[[ "$stderr" == "odf export: context: "* ]]
}

@test "bad option values are usage errors naming the option" {
	local args
	for args in "--batch-size 0" "-b x" "-w 0" "-w 99" "--limit -1" "--limit 1x" "--bogus" "extra"; do
		# shellcheck disable=SC2086
		run --separate-stderr odf-export -c "$CONF" -m res.partner $args
		[ "$status" -eq 64 ] || { echo "$args: status $status"; return 1; }
		[ -z "$output" ]
		[[ "$stderr" == *"usage: odf export"* ]]
	done
	run --separate-stderr odf-export -m res.partner
	[ "$status" -eq 64 ]
	[[ "$stderr" == *"-c CONF is required"* ]]
	run --separate-stderr odf-export -c "$CONF"
	[ "$status" -eq 64 ]
	[[ "$stderr" == *"-m MODEL is required"* ]]
}

@test "a missing connection file is EX_NOINPUT, a refused login EX_NOPERM" {
	run --separate-stderr odf-export -c "$BATS_TEST_TMPDIR/nope.conf" -m res.partner
	[ "$status" -eq 66 ]
	one_line
	[[ "$stderr" == *"nope.conf"* ]]
	sed 's/^password.*/password = Sekr1t-Guess/' "$CONF" >"$BATS_TEST_TMPDIR/bad.conf"
	chmod 600 "$BATS_TEST_TMPDIR/bad.conf"
	run --separate-stderr odf-export -c "$BATS_TEST_TMPDIR/bad.conf" -m res.partner
	[ "$status" -eq 77 ]
	one_line
	[[ "$stderr" == *"login refused"* ]]
	[[ "$stderr" != *"Sekr1t-Guess"* ]]
}

@test "an unreachable server is EX_UNAVAILABLE after the retries, naming host and port" {
	local port
	port=$(free_port)
	write_conf "$BATS_TEST_TMPDIR/down.conf" hostname=127.0.0.1 port="$port" database=src \
		login=admin password=admin retries=1 retry_delay=0.05
	run --separate-stderr odf-export -c "$BATS_TEST_TMPDIR/down.conf" -m res.partner -q
	[ "$status" -eq 69 ]
	one_line
	[[ "$stderr" == *"127.0.0.1:$port"* ]]
	[ -z "$output" ]
}

@test "a server failing mid-export stops it with EX_UNAVAILABLE; the records written are whole lines" {
	odoo_start flaky
	odoo_seed flaky 100
	odoo_faults flaky '{"latency_ms": 100, "methods": ["export_data"]}'
	write_conf "$BATS_TEST_TMPDIR/flaky.conf" hostname=127.0.0.1 port="$ODOO_FLAKY_PORT" \
		database=flaky login=admin password=admin retries=1 retry_delay=0.05
	odf-export -c "$BATS_TEST_TMPDIR/flaky.conf" -m res.partner -b 5 -q \
		>"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	local pid=$! i rc=0 n
	for i in $(seq 1 300); do
		[ "$(wc -l <"$BATS_TEST_TMPDIR/out")" -ge 5 ] && break
		sleep 0.02
	done
	odoo_faults flaky '{"error_rate": 1.0, "error_status": 503, "methods": ["export_data"]}'
	wait $pid || rc=$?
	[ "$rc" -eq 69 ]
	complete_lines "$BATS_TEST_TMPDIR/out"
	n=$(wc -l <"$BATS_TEST_TMPDIR/out")
	[ "$n" -ge 5 ] && [ "$n" -lt 100 ] && [ $((n % 5)) -eq 0 ]
	[ "$(wc -l <"$BATS_TEST_TMPDIR/err")" -eq 1 ]
	grep -q '^odf export: export_data: .*HTTP 503' "$BATS_TEST_TMPDIR/err"
}

@test "a full disk is EX_IOERR" {
	[ -w /dev/full ] || skip "no /dev/full"
	run --separate-stderr bash -c "odf-export -c '$CONF' -m res.partner -f id,name -q >/dev/full"
	[ "$status" -eq 74 ]
	one_line
	[[ "$stderr" == *"standard output"*"No space left on device"* ]]
}

@test "a reader that goes away stops the export quietly with status 0" {
	# More than a pipe holds, so that writing must fail with EPIPE; without -q,
	# an export that ran to its end would print its summary.
	odoo_start big
	odoo_seed big 300
	run --separate-stderr bash -c "odf-export -c '$BATS_TEST_TMPDIR/big.conf' -m res.partner -b 20 | head -n 1 >/dev/null; echo \${PIPESTATUS[0]}"
	[ "$output" = 0 ]
	[ -z "$stderr" ]
}

@test "a user denied the model is EX_NOPERM with Odoo's reason, and nothing is written" {
	sed -e 's/^login.*/login = portal/' -e 's/^password.*/password = portal/' "$CONF" \
	    >"$BATS_TEST_TMPDIR/portal.conf"
	chmod 600 "$BATS_TEST_TMPDIR/portal.conf"
	run --separate-stderr odf-export -c "$BATS_TEST_TMPDIR/portal.conf" -m res.partner \
	    --fields id,name
	[ "$status" -eq 77 ]
	one_line
	[[ "$stderr" == *"You are not allowed to access 'Contact' (res.partner) records"* ]]
	[ -z "$output" ]
}

@test "started with standard output closed, odf-export says so and loses no worker" {
	# Without a descriptor in its place, a worker's socket or pipe took fd 1
	# and the records were written into it: "job 0 was lost", status 70.
	# With /dev/null open for writing there, the records would vanish with
	# status 0; cat(1) and jq say "Bad file descriptor", and so does odf.
	local status=0
	odf-export -c "$CONF" -m res.partner -f id,name -b 20 -w 2 >&- 2>"$BATS_TEST_TMPDIR/err" ||
	    status=$?
	cat "$BATS_TEST_TMPDIR/err"
	[ "$status" -eq 74 ]
	grep -q "^odf export: standard output: write error: Bad file descriptor$" "$BATS_TEST_TMPDIR/err"
	run grep -c "worker\|lost" "$BATS_TEST_TMPDIR/err"
	[ "$output" = 0 ]
}

@test "started with standard input closed, odf-import and odf-transform say so" {
	# Closed by the shell that execs each, not by run: run's own pipe would
	# take fd 0.
	run bash -c 'exec odf-import -c "$1" -m res.partner <&-' - "$CONF"
	[ "$status" -eq 74 ]
	[[ "$output" == *"odf import: <stdin>: line 1: read error: Bad file descriptor"* ]]
	run bash -c 'exec odf-transform . <&-'
	[ "$status" -eq 74 ]
	[[ "$output" == *"odf transform: <stdin>: line 1: read error: Bad file descriptor"* ]]
}
