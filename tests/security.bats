#!/usr/bin/env bats
# Secrets (password, API key) never show: not in any process's argv or
# environment, not in ps, not on stderr whatever goes wrong, not in the
# fail file; and a password full of shell metacharacters and quotes works.

load lib/common
load lib/odoo

# Shell, INI and JSON metacharacters; no " ;" (an INI inline comment).
PW='S3cr3t-$(touch PWNED)-`touch PWNED2`-"dq"-'"'"'sq'"'"'-\x-|&;<>*?!~%{}[]'
KEY='K3y-$(touch PWNED3)-"k"-\k'

setup_file() {
	export PW KEY
	odoo_start src --password "$PW" --api-key "$KEY"
	odoo_start dst --password "$PW" --api-key "$KEY"
	odoo_seed src 120
}

teardown_file() {
	odoo_stop_all
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	odoo_faults src '{"error_rate": 0, "drop_rate": 0, "serialization_rate": 0, "latency_ms": 0,
	    "echo_request_rate": 0, "methods": null}'
	odoo_faults dst '{"error_rate": 0, "drop_rate": 0, "serialization_rate": 0, "latency_ms": 0,
	    "echo_request_rate": 0, "methods": null}'
}

# no_secret TEXT...: fails, showing where, if a secret (or its start) is there.
no_secret() {
	local t
	for t in "$@"; do
		if [[ "$t" == *"$PW"* || "$t" == *"$KEY"* || "$t" == *"S3cr3t"* || "$t" == *"K3y-"* ]]; then
			echo "secret found in: $t" >&2
			return 1
		fi
	done
	[ ! -e PWNED ] && [ ! -e PWNED2 ] && [ ! -e PWNED3 ]
}

# conf NAME SERVER [KEY=VALUE...]: a JSON-RPC conf for SERVER with the secret password.
conf() {
	local var="ODOO_${2^^}_PORT"
	write_conf "$BATS_TEST_TMPDIR/$1.conf" hostname=127.0.0.1 "port=${!var}" "database=$2" \
	    login=admin "password=$PW" retries=2 retry_delay=0.01 "${@:3}"
	echo "$BATS_TEST_TMPDIR/$1.conf"
}

@test "a password and an API key full of shell metacharacters and quotes work" {
	run odf ping -c "$(conf src src)"
	[ "$status" -eq 0 ]
	[[ "$output" == *"uid        2"* ]]
	no_secret "$output"
	run odf ping -c "$ODOO_SRC_JSON2_CONF"
	[ "$status" -eq 0 ]
	[[ "$output" == *"uid        2"* ]]
	no_secret "$output"
	# from the environment too
	write_conf "$BATS_TEST_TMPDIR/envpw.conf" hostname=127.0.0.1 "port=$ODOO_SRC_PORT" database=src login=admin
	ODF_PASSWORD_ENVPW=$PW run odf ping -c "$BATS_TEST_TMPDIR/envpw.conf"
	[ "$status" -eq 0 ]
	no_secret "$output"
}

@test "no odf process of a running migrate, workers included, has a secret in argv, environ or ps" {
	odoo_faults src '{"latency_ms": 40}'
	odoo_faults dst '{"latency_ms": 40}'
	# a clean environment: this test's own variables hold the secrets
	env -i PATH="$PATH" odf migrate --config-export "$(conf s src)" --config-import "$(conf d dst)" \
	    -m res.partner --fields id,name,type --export-worker 2 --export-batch-size 10 \
	    --import-worker 2 --import-batch-size 10 -q >out 2>err &
	mig=$!
	seen=" " psout=""
	while kill -0 "$mig" 2>/dev/null; do
		snap=$(ps -e -ww -o pid=,comm=,args=)
		while read -r pid comm args; do
			[[ "$comm" == odf* ]] || continue
			no_secret "$args" "$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" \
			    "$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/environ")"
			[[ "$seen" == *" $pid "* ]] || seen+="$pid "
			# the test servers' own argv holds the secret: only odf's lines
			psout+="$args"$'\n'
		done <<<"$snap"
		sleep 0.02
	done
	wait "$mig" || { cat err res.partner_fail.ndjson >&2; false; }
	no_secret "$psout" "$(cat err out)"
	grep -q "odf-migrate" <<<"$psout"
	# migrate, export, import and their workers were all looked at
	read -ra pids <<<"$seen"
	echo "odf processes seen: ${#pids[@]}" >&2
	[ "${#pids[@]}" -ge 7 ]
	[ "$(odoo_call dst res.partner search_count '[[]]')" -ge 120 ]
}

@test "a wrong password is shown in no message of any program" {
	bad="$PW-wrong"
	f=$(conf bad src "password=$bad")
	printf '{"id":"x1","name":"X"}\n' >in.ndjson
	for cmd in "odf ping -c $f" "odf-export -c $f -m res.partner --fields id,name" \
	    "odf-import -c $f -m res.partner in.ndjson" "odf-import -c $f -m res.partner --check in.ndjson" \
	    "odf migrate --config-export $f --config-import $f -m res.partner --fields id,name" \
	    "odf migrate --config-export $f --config-import $f -m res.partner --fields id,name -q"; do
		run $cmd
		[ "$status" -eq 77 ] || { echo "$cmd: status $status: $output" >&2; false; }
		no_secret "$output"
	done
	[ ! -e res.partner_fail.ndjson ] || no_secret "$(cat res.partner_fail.ndjson)"
}

@test "server errors, retries and --check print no secret" {
	odoo_faults src '{"error_rate": 0.3, "drop_rate": 0.2, "seed": 7}'
	odoo_faults dst '{"error_rate": 0.3, "drop_rate": 0.1, "serialization_rate": 0.3, "seed": 7}'
	run odf migrate --config-export "$(conf s src retries=8)" --config-import "$(conf d dst retries=8)" \
	    -m res.partner --fields id,name --import-batch-size 20 --fail-file fail.ndjson
	[[ "$output" == *"try 2"* ]]          # retries were announced
	no_secret "$output"
	[ ! -e fail.ndjson ] || no_secret "$(cat fail.ndjson)"
	run odf migrate --config-export "$(conf s2 src retries=8)" --config-import "$(conf d2 dst retries=8)" \
	    -m res.partner --fields id,name --check
	no_secret "$output"
	odoo_faults src '{"error_rate": 1.0, "drop_rate": 0}'
	run odf-export -c "$(conf s3 src retries=1)" -m res.partner --fields id,name
	[ "$status" -eq 69 ]
	[[ "$output" == *"HTTP 503"* ]]
	no_secret "$output"
}

@test "a server error that quotes the request has the secrets masked, on stderr and in the fail file" {
	odoo_faults src '{"echo_request_rate": 1.0, "methods": ["search_count", "search"]}'
	run odf-export -c "$(conf s src)" -m res.partner --fields id,name
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot process the request"* ]]
	[[ "$output" == *'***'* ]]
	no_secret "$output"
	run odf-export -c "$ODOO_SRC_JSON2_CONF" -m res.partner --fields id,name
	[ "$status" -ne 0 ]
	[[ "$output" == *"Authorization: bearer ***"* ]]
	no_secret "$output"
	odoo_faults dst '{"echo_request_rate": 1.0, "methods": ["load"]}'
	printf '{"id":"e1","name":"E1"}\n{"id":"e2","name":"E2"}\n' >in.ndjson
	run odf-import -c "$(conf d dst)" -m res.partner --fail-file fail.ndjson in.ndjson
	[ "$status" -eq 65 ]
	no_secret "$output"
	[ "$(wc -l <fail.ndjson)" -eq 2 ]
	grep -q 'cannot process the request' fail.ndjson
	no_secret "$(cat fail.ndjson)"
}
