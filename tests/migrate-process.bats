#!/usr/bin/env bats
# odf migrate's process handling, with stand-in stages: how the stages are
# started, joined, waited for and stopped. (tests/migrate.bats runs the
# real programs against two test servers.)

load lib/common
load lib/odoo

# odf migrate logs in to both databases and looks for the model before it
# starts a stage: one test server answers for both.
setup_file() {
	odoo_start pp
	export ODOO_PP_PORT ODOO_PP_URL ODOO_PP_CONF
}

teardown_file() {
	odoo_stop_all
}

setup() {
	bin=$BATS_TEST_TMPDIR/bin
	mkdir -p "$bin"
	cp "$ODF_BIN_DIR/odf" "$ODF_BIN_DIR/odf-migrate" "$bin/"
	log=$BATS_TEST_TMPDIR/log
	mkdir -p "$log"
	export LOG=$log
	# Stand-ins: each logs its arguments and pid, then does what the
	# variables of the test ask.
	cat >"$bin/odf-export" <<-'SH'
	#!/bin/bash
	echo "$@" >"$LOG/export.args"; echo $$ >"$LOG/export.pid"
	n=${EXPORT_RECORDS:-3}
	for ((i = 1; i <= n; i++)); do
		printf '{"id":"x.%d","name":"r%d"}\n' "$i" "$i" || exit 0
		[ -n "$ODF_PROGRESS_FD" ] && echo "export done=$i total=$n" >&"$ODF_PROGRESS_FD"
		sleep "${EXPORT_DELAY:-0}"
	done
	exit "${EXPORT_STATUS:-0}"
	SH
	cat >"$bin/odf-transform" <<-'SH'
	#!/bin/bash
	echo "$@" >"$LOG/transform.args"
	exec sed 's/"name":"/"name":"T /'
	SH
	cat >"$bin/odf-import" <<-'SH'
	#!/bin/bash
	echo "$@" >"$LOG/import.args"; echo $$ >"$LOG/import.pid"
	trap 'echo interrupted >"$LOG/import.signal"; exit 130' INT
	trap 'echo terminated >"$LOG/import.signal"; exit 143' TERM
	while IFS= read -r line; do
		echo "$line" >>"$LOG/imported"
		sleep "${IMPORT_DELAY:-0}"
	done
	exit "${IMPORT_STATUS:-0}"
	SH
	chmod +x "$bin"/odf-*
}

# --no-check: the stand-ins stand for one pipeline, not for a plan of steps.
migrate() {
	"$bin/odf" migrate --config-export "$ODOO_PP_CONF" --config-import "$ODOO_PP_CONF" \
	    --model res.partner --no-check "$@"
}

# migrate_bg: odf migrate in the background as itself (not a subshell, which
# would ignore SIGINT), its pid in $pid, its stderr in $LOG/err.
migrate_bg() {
	EXPORT_RECORDS=100000 EXPORT_DELAY=0.01 IMPORT_DELAY=0.01 \
	    "$bin/odf-migrate" --config-export "$ODOO_PP_CONF" --config-import "$ODOO_PP_CONF" \
	    --model res.partner --no-check 2>"$LOG/err" &
	pid=$!
	for _ in $(seq 100); do [ -s "$LOG/imported" ] && break; sleep 0.05; done
}

@test "the guide's options reach the stages with their defaults" {
	run migrate
	[ "$status" -eq 0 ]
	[ "$(cat "$LOG/export.args")" = "-c $ODOO_PP_CONF -m res.partner --worker 1 --batch-size 100 --archived -q" ]
	[ "$(cat "$LOG/import.args")" = "-c $ODOO_PP_CONF -m res.partner --worker 1 --batch-size 10" ]
	[ ! -e "$LOG/transform.args" ]
	[ "$(wc -l <"$LOG/imported")" -eq 3 ]
}

@test "every option is passed to the stage it belongs to" {
	echo '.' >"$BATS_TEST_TMPDIR/t.jq"
	run migrate --fields id,name --domain "[('is_company','=',True)]" \
	    --transformer-file "$BATS_TEST_TMPDIR/t.jq" --export-worker 2 \
	    --export-batch-size 50 --import-worker 3 --import-batch-size 20 \
	    --fail-file f.ndjson --context "{'lang': 'fr_FR'}" --check -q
	[ "$status" -eq 0 ]
	[ "$(cat "$LOG/export.args")" = "-c $ODOO_PP_CONF -m res.partner --fields id,name --domain [('is_company','=',True)] --worker 2 --batch-size 50 --archived -q" ]
	[ "$(cat "$LOG/transform.args")" = "-f $BATS_TEST_TMPDIR/t.jq" ]
	[ "$(cat "$LOG/import.args")" = "-c $ODOO_PP_CONF -m res.partner --worker 3 --batch-size 20 --fail-file f.ndjson --context {'lang': 'fr_FR'} --check -q" ]
	grep -q '"name":"T r1"' "$LOG/imported"
}

@test "a filter mid-stream sees and shapes the records" {
	run migrate --filter 'grep -v x.2' --filter 'tr r R'
	[ "$status" -eq 0 ]
	[ "$(cat "$LOG/imported")" = $'{"id":"x.1","name":"R1"}\n{"id":"x.3","name":"R3"}' ]
}

@test "a failing filter is named, and the import still ends cleanly" {
	run migrate --filter 'head -c 5 >/dev/null; exit 3'
	[ "$status" -ne 0 ]
	[[ "$output" == *"head -c 5 >/dev/null; exit 3 exited with status 3"* ]]
	[ ! -e "$LOG/import.signal" ]
}

@test "a killed importer stops the exporter and nothing is left running" {
	migrate_bg
	kill -9 "$(cat "$LOG/import.pid")"
	status=0
	wait $pid || status=$?
	[ "$status" -eq 70 ]
	grep -q "odf-import was killed by signal 9" "$LOG/err"
	grep -q "the import stopped after" "$LOG/err"
	run kill -0 "$(cat "$LOG/export.pid")"
	[ "$status" -ne 0 ]
}

@test "the exit status and message name the stage that failed first" {
	IMPORT_STATUS=65 run migrate
	[ "$status" -eq 65 ]
	[[ "$output" == *"odf migrate: odf-import exited with status 65"* ]]
	EXPORT_STATUS=69 run migrate
	[ "$status" -eq 69 ]
	[[ "$output" == *"odf migrate: odf-export exited with status 69"* ]]
}

@test "SIGINT to odf migrate reaches the importer once and the summary says where it stopped" {
	migrate_bg
	kill -INT $pid
	status=0
	wait $pid || status=$?
	[ "$status" -eq 130 ] || { echo "status $status"; cat "$LOG/err"; cat "$LOG/import.signal"; false; }
	[ "$(cat "$LOG/import.signal")" = interrupted ]
	grep -q "odf-import exited with status 130" "$LOG/err"
	run kill -0 "$(cat "$LOG/export.pid")"
	[ "$status" -ne 0 ]
}

@test "a missing stage program is a clear error" {
	rm "$bin/odf-import"
	run migrate
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot run odf-import"* ]]
}

@test "missing required options are a usage error" {
	run "$bin/odf" migrate --model res.partner
	[ "$status" -eq 64 ]
	[ "${lines[0]}" = "odf migrate: --config-export is required" ]
}

@test "an unreadable transformer file stops before anything starts" {
	run migrate --transformer-file "$BATS_TEST_TMPDIR/none.jq"
	[ "$status" -eq 64 ]
	[[ "${lines[0]}" == "odf migrate: --transformer-file: $BATS_TEST_TMPDIR/none.jq: cannot read the program: "* ]]
	[ ! -e "$LOG/export.args" ]
}

@test "the progress pipe carries the stages' counts" {
	# Without a terminal there is no progress line, but the pipe must
	# still be there for each stage.
	cat >"$bin/odf-import" <<-'SH'
	#!/bin/bash
	cat >/dev/null
	[ -n "$ODF_PROGRESS_FD" ] && [ -w /dev/fd/$ODF_PROGRESS_FD ] && echo ok >"$LOG/fd"
	SH
	run migrate
	[ "$status" -eq 0 ]
	[ "$(cat "$LOG/fd")" = ok ]
}
