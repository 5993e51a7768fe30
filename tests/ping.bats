#!/usr/bin/env bats
# odf ping: the first check of a connection file, against the test server.

load lib/common
load lib/odoo

setup_file() {
	odoo_start src
	export ODOO_SRC_PORT ODOO_SRC_URL
}

teardown_file() {
	odoo_stop_all
}

conf() {
	write_conf "$BATS_TEST_TMPDIR/$1.conf" hostname=127.0.0.1 "port=$ODOO_SRC_PORT" \
	    database=src login=admin retry_delay=0.01 retries=1 "${@:2}"
	echo "$BATS_TEST_TMPDIR/$1.conf"
}

@test "ping logs in and prints server, version, database and uid" {
	run odf ping -c "$(conf ok password=admin)"
	[ "$status" -eq 0 ]
	[[ "$output" == *"server     http://127.0.0.1:$ODOO_SRC_PORT"* ]]
	[[ "$output" == *"version    17.0"* ]]
	[[ "$output" == *"database   src"* ]]
	[[ "$output" == *"uid        2"* ]]
}

@test "a wrong password is refused with exit 77 and the password is never shown" {
	run odf ping -c "$(conf bad password=Hunter2-wrong)"
	[ "$status" -eq 77 ]
	[[ "$output" == *"login refused for user 'admin' on database 'src'"* ]]
	[[ "$output" != *"Hunter2-wrong"* ]]
}

@test "an unknown database is named in the error" {
	run odf ping -c "$(conf nodb password=admin database=no_such_db)"
	[ "$status" -ne 0 ]
	[[ "$output" == *"database 'no_such_db'"* ]]
}

@test "the password may come from the variable named after the file" {
	f=$(conf staging)
	ODF_PASSWORD_STAGING=admin run odf ping -c "$f"
	[ "$status" -eq 0 ]
	[[ "$output" == *"uid        2"* ]]
}

@test "a configured uid skips the login call" {
	odoo_reset src
	run odf ping -c "$(conf withuid password=admin uid=2)"
	[ "$status" -eq 0 ]
	[[ "$output" == *"uid        2"* ]]
	# admin's uid is 2 either way: only the server's log tells.
	[ "$(odoo_log src | python3 -c '
import json, sys
print(sum(1 for e in json.load(sys.stdin) if e["method"] == "login"))')" -eq 0 ]
}

@test "protocol xmlrpc is served over JSON-RPC with one notice" {
	run odf ping -c "$(conf xml password=admin protocol=xmlrpc)"
	[ "$status" -eq 0 ]
	[ "$(grep -c 'protocol xmlrpc: talking JSON-RPC' <<<"$output")" -eq 1 ]
}

@test "an unreachable server fails with exit 69 naming host and port" {
	port=$(free_port)
	write_conf "$BATS_TEST_TMPDIR/down.conf" hostname=127.0.0.1 "port=$port" \
	    database=src login=admin password=admin retries=2 retry_delay=0.01
	run odf ping -c "$BATS_TEST_TMPDIR/down.conf"
	[ "$status" -eq 69 ]
	[[ "$output" == *"127.0.0.1:$port: cannot connect"* ]]
	[[ "$output" == *"after 3 tries"* ]]
}

@test "a host name that does not resolve fails with exit 68" {
	write_conf "$BATS_TEST_TMPDIR/dns.conf" hostname=no-such-host.invalid \
	    database=src login=admin password=admin
	run odf ping -c "$BATS_TEST_TMPDIR/dns.conf"
	[ "$status" -eq 68 ]
	[[ "$output" == *"cannot resolve host name 'no-such-host.invalid'"* ]]
}

@test "a server that is not Odoo is told apart" {
	mkdir "$BATS_TEST_TMPDIR/www"
	port=$(free_port)
	python3 -m http.server --bind 127.0.0.1 --directory "$BATS_TEST_TMPDIR/www" "$port" \
	    >/dev/null 2>&1 &
	pid=$!
	for _ in $(seq 50); do curl -s "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
	write_conf "$BATS_TEST_TMPDIR/www.conf" hostname=127.0.0.1 "port=$port" \
	    database=src login=admin password=admin
	run odf ping -c "$BATS_TEST_TMPDIR/www.conf"
	kill "$pid"
	[ "$status" -eq 69 ]
	[[ "$output" == *"HTTP 501"* || "$output" == *"is this an Odoo server"* ]]
}

@test "a config with a missing key fails with exit 78 naming file and key" {
	write_conf "$BATS_TEST_TMPDIR/nohost.conf" database=src login=admin password=admin
	run odf ping -c "$BATS_TEST_TMPDIR/nohost.conf"
	[ "$status" -eq 78 ]
	[ "$output" = "odf ping: $BATS_TEST_TMPDIR/nohost.conf: missing key 'hostname'" ]
}

@test "a missing config file fails with exit 66" {
	run odf ping -c "$BATS_TEST_TMPDIR/none.conf"
	[ "$status" -eq 66 ]
	[[ "$output" == *"none.conf: No such file or directory"* ]]
}

@test "an unknown key is a warning naming file and line, and ping goes on" {
	f=$(conf typo password=admin timout=5)
	run odf ping -c "$f"
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: $f: line 9: unknown key 'timout' ignored"* ]]
}

json2_conf() {
	write_conf "$BATS_TEST_TMPDIR/$1.conf" hostname=127.0.0.1 "port=$ODOO_SRC_PORT" \
	    database=src protocol=json2 retry_delay=0.01 retries=1 "${@:2}"
	echo "$BATS_TEST_TMPDIR/$1.conf"
}

@test "ping over JSON-2 checks the API key and prints the key owner's uid" {
	run odf ping -c "$(json2_conf j2 "password=$ODOO_SRC_API_KEY")"
	[ "$status" -eq 0 ]
	[[ "$output" == *"version    17.0"* ]]
	[[ "$output" == *"database   src"* ]]
	[[ "$output" == *"uid        2"* ]]
	[[ "$output" == *"protocol   json2"* ]]
	[[ "$output" != *"login"* ]]
}

@test "a bad API key over JSON-2 fails with exit 77 and the key is never shown" {
	run odf ping -c "$(json2_conf j2bad password=Bad-Key-7f3e9a)"
	[ "$status" -eq 77 ]
	[[ "$output" == *"Invalid apikey"* ]]
	[[ "$output" != *"Bad-Key-7f3e9a"* ]]
}

@test "ping without -c is a usage error" {
	run odf ping
	[ "$status" -eq 64 ]
	[[ "$output" == *"usage: odf ping -c CONF"* ]]
}
