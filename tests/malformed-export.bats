#!/usr/bin/env bats
# Malformed input to odf-export's own inputs (--domain, --context, --fields,
# the connection file): each is refused with one line naming where, a
# documented exit status (64 usage, 78 config), no output and never a crash.

bats_require_minimum_version 1.5.0
load lib/common
load lib/odoo

setup_file() {
	odoo_start src
	export CONF=$BATS_FILE_TMPDIR/src.conf
}

teardown_file() { odoo_stop_all; }

setup() { cd "$BATS_TEST_TMPDIR"; }

# refused STATUS TEXT: the last run exited STATUS, wrote nothing on stdout,
# and its stderr is one line starting with "odf-export: " and holding TEXT
# (and, for an option's error, the usage hint).
refused() {
	echo "status $status; stderr: $stderr"
	[ "$status" -eq "$1" ]
	[ -z "$output" ]
	[[ "${stderr_lines[0]}" == "odf export: "*"$2"* ]]
	[ "${#stderr_lines[@]}" -eq 1 ] ||
		{ [ "${#stderr_lines[@]}" -eq 2 ] && [[ "${stderr_lines[1]}" == "usage: "* ]]; }
}

# A connection file of the test server with LINES... after its keys.
conf_with() {
	{
		cat "$CONF"
		printf '%s\n' "$@"
	} >extra.conf
	chmod 600 extra.conf
}

@test "a domain cut short, nested 100,000 deep or not UTF-8 is a usage error naming the position" {
	run --separate-stderr odf-export -c "$CONF" -m res.partner --domain "[('name', '=', 'x'"
	refused 64 "domain: position 19: expected ',' or ')' after an item, got end of input"
	python3 -c 'print("[" * 100000)' >deep.txt
	run --separate-stderr odf-export -c "$CONF" -m res.partner --domain @deep.txt
	refused 64 "domain: position 513: nesting deeper than 512 levels"
	run --separate-stderr odf-export -c "$CONF" -m res.partner \
		--domain "$(printf "[('name', '=', 'a\xffb')]")"
	refused 64 "domain: position 18: invalid UTF-8 byte 0xFF in a string"
}

@test "a domain's strings are quoted on one line in messages, whatever they hold" {
	run --separate-stderr odf-export -c "$CONF" -m res.partner \
		--domain "$(printf "[('name', '=', 1), 'a\\\\nb\x01']")"
	refused 64 "unknown logical operator 'a\\x0ab\\x01'"
	run --separate-stderr odf-export -c "$CONF" -m res.partner --domain "$(printf -- '-\n  0123')"
	refused 64 "invalid number '-0123'"
}

@test "a domain file of binary bytes is a usage error, not a crash" {
	python3 -c 'import random,sys; r=random.Random(1); sys.stdout.buffer.write(bytes(r.randrange(1,256) for _ in range(3000)))' >bin.txt
	run --separate-stderr odf-export -c "$CONF" -m res.partner --domain @bin.txt
	refused 64 "domain: "
	printf '[\0]' >nul.txt
	run --separate-stderr odf-export -c "$CONF" -m res.partner --domain @nul.txt
	refused 64 "--domain: nul.txt: contains a NUL byte"
}

@test "a context that is not a dict, cut short or nested deep is a usage error" {
	run --separate-stderr odf-export -c "$CONF" -m res.partner --context "[1]"
	refused 64 "context: position 1: expected a dict, got a list"
	run --separate-stderr odf-export -c "$CONF" -m res.partner --context "{'lang': "
	refused 64 "context: position 10: expected a value, got end of input"
	python3 -c 'print("{\"a\": " * 100000)' >deep.txt
	run --separate-stderr odf-export -c "$CONF" -m res.partner --context @deep.txt
	refused 64 "context: position 3073: nesting deeper than 512 levels"
}

@test "--fields with empty items, bad paths or bytes that are no name is a usage error" {
	run --separate-stderr odf-export -c "$CONF" -m res.partner --fields "id,,name"
	refused 64 "--fields: empty item after 'id'"
	run --separate-stderr odf-export -c "$CONF" -m res.partner --fields ","
	refused 64 "--fields: empty first item"
	run --separate-stderr odf-export -c "$CONF" -m res.partner --fields "id,name/x/y"
	refused 64 "field 'name/x/y': name is a char field, not a relation"
	run --separate-stderr odf-export -c "$CONF" -m res.partner --fields "$(printf 'id,na\xffme')"
	refused 64 "(did you mean 'name'?)"
}

@test "a connection file of binary garbage is EX_CONFIG, its bytes not echoed raw" {
	python3 -c 'import random,sys; r=random.Random(2); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(4000)))' >bin.conf
	chmod 600 bin.conf
	run --separate-stderr odf-export -c bin.conf -m res.partner
	echo "$stderr"
	[ "$status" -eq 78 ]
	[ -z "$output" ]
	[[ "${stderr_lines[-1]}" == "odf export: bin.conf: line "* ]]
	# Warnings quote keys; control characters (an escape sequence) are masked.
	[ -z "$(printf '%s' "${stderr//$'\n'/}" | LC_ALL=C tr -d '[:print:]\200-\377')" ]
}

@test "empty, blank and NUL-filled connection files say what is missing" {
	: >empty.conf
	printf '\n' >nl.conf
	head -c 1000 /dev/zero >zero.conf
	chmod 600 empty.conf nl.conf zero.conf
	for f in empty.conf nl.conf zero.conf; do
		run --separate-stderr odf-export -c "$f" -m res.partner
		refused 78 "$f: no [Connection] section"
	done
}

@test "a connection file line longer than the reader takes is named, not split in two" {
	conf_with "ca_file = /$(printf 'd%.0s' {1..250})" "hostname = elsewhere"
	run --separate-stderr odf-export -c extra.conf -m res.partner --limit 1
	refused 78 "extra.conf: line $(($(wc -l <"$CONF") + 1)): longer than 198 bytes"
}

@test "a long comment in a connection file is only a comment" {
	conf_with "# $(printf 'c%.0s' {1..300}) password = wrong"
	python3 -c 'print(";", "x" * 3000000)' >>extra.conf
	run --separate-stderr odf-export -c extra.conf -m res.partner --limit 1
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 1 ]
}

@test "a connection file of a million garbage lines fails at the first, fast" {
	python3 -c '
import sys
sys.stdout.write("[Connection]\n" + "not a key value line\n" * 1000000)' >big.conf
	chmod 600 big.conf
	SECONDS=0
	run --separate-stderr odf-export -c big.conf -m res.partner
	refused 78 "big.conf: line 2: not an INI line"
	[ "$SECONDS" -lt 5 ]
}
