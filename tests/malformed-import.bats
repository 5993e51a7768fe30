#!/usr/bin/env bats
# Malformed input through odf-import: whatever the bytes, it never crashes,
# every bad line lands in the fail file with its line number, and the counts
# add up: read = created + updated + failed.

load lib/import
bats_require_minimum_version 1.5.0

setup_file() { import_server; }
teardown_file() { odoo_stop_all; }

setup() { cd "$BATS_TEST_TMPDIR"; }

# The summary in $output adds up, its failed count is the number of lines
# of the fail file FILE, and no exit status is a signal's.
counts_add_up() {
	local file=$1 read created updated failed
	[ "$status" -lt 128 ]
	[[ "$output" =~ read\ ([0-9]+),\ created\ ([0-9]+),\ updated\ ([0-9]+),\ failed\ ([0-9]+) ]]
	read=${BASH_REMATCH[1]} created=${BASH_REMATCH[2]}
	updated=${BASH_REMATCH[3]} failed=${BASH_REMATCH[4]}
	echo "read $read = $created + $updated + $failed; fail file $(fail_lines "$file")"
	[ "$read" -eq $((created + updated + failed)) ]
	[ "$failed" -eq "$(fail_lines "$file")" ]
}

# The line numbers of a fail file's records, comma-separated, in file order.
fail_line_numbers() {
	python3 -c 'import json,sys; print(",".join(str(json.loads(l.decode("utf-8", "replace"))["_odf_error"]["line"]) for l in open(sys.argv[1], "rb")))' "$1"
}

# The _odf_error message of the fail file's record for input line N.
fail_message() {
	python3 -c '
import json, sys
for l in open(sys.argv[1], "rb"):
    l = l.decode("utf-8", "replace")
    e = json.loads(l)["_odf_error"]
    if e["line"] == int(sys.argv[2]):
        print(e["message"])' "$1" "$2"
}

@test "each malformed line goes to the fail file with its line number and the rest land" {
	{
		printf '%s\n' '{"id": "mf_1", "name": "MF 1"}'
		printf '%s\n' '{"id": "mf_2", "name":'
		printf '%s\n' '"a string"' '5' '[1, 2]' 'null'
		printf '%s\n' '{"id": "mf_3", "name": {"x": 1}}'
		printf '%s\n' '{"id": "mf_4", "name": "MF 4", "color": "red"}'
		printf '%s\n' '{"id": "mf_5", "name": "a", "name": "b"}'
		printf '{"id": "mf_6", "na\0me": "MF 6"}\n'
		printf '{"id": "mf_7", "name": "MF 7"}\r\n'
		printf '%s\n' '{"id": "mf_8", "name": "MF 8", "category_id": "no such tag"}'
		printf '{"id": "mf_9", "name": "MF'
	} >in.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner -b 4 in.ndjson
	[ "$status" -eq 65 ]
	counts_add_up res.partner_fail.ndjson
	[[ "$output" == *"read 13, created 2, updated 0, failed 11"* ]]
	[ "$(fail_line_numbers res.partner_fail.ndjson | tr , '\n' | sort -n | paste -sd,)" = \
		2,3,4,5,6,7,8,9,10,12,13 ]
	[[ "$(fail_message res.partner_fail.ndjson 2)" == "not JSON (at byte "* ]]
	[ "$(fail_message res.partner_fail.ndjson 3)" = "not a JSON object" ]
	[[ "$(fail_message res.partner_fail.ndjson 7)" == "field 'name': "* ]]
	[[ "$(fail_message res.partner_fail.ndjson 8)" == *"'red' does not seem to be an integer"* ]]
	[[ "$(fail_message res.partner_fail.ndjson 9)" == "field 'name': given twice"* ]]
	[[ "$(fail_message res.partner_fail.ndjson 10)" == *"line 10: NUL byte in line" ]]
	[[ "$(fail_message res.partner_fail.ndjson 12)" == *"no such tag"* ]]
	[[ "$(fail_message res.partner_fail.ndjson 13)" == "not JSON (at byte "* ]]
	run odoo_call dst res.partner search_read '[[["name", "like", "MF "]]]' \
		'{"fields": ["name"], "order": "name"}'
	[ "$(python3 -c 'import json,sys; print(",".join(r["name"] for r in json.loads(sys.argv[1])))' "$output")" = "MF 1,MF 7" ]
}

@test "a malformed first line does not stop the run" {
	printf '%s\n' '{"id": "ff_1", "name":' '{"id": "ff_2", "name": "FF 2"}' >in.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner in.ndjson
	[ "$status" -eq 65 ]
	counts_add_up res.partner_fail.ndjson
	[[ "$output" == *"read 2, created 1, updated 0, failed 1"* ]]
	[ "$(fail_line_numbers res.partner_fail.ndjson)" = 1 ]
}

@test "input that cannot be read ends the run with 74, said once, and is no record" {
	mkdir adir
	run odf-import -c "$(imp_conf)" -m res.partner adir
	[ "$status" -eq 74 ]
	[[ "$output" == *"read 0, created 0, updated 0, failed 0"* ]]
	[ "$(grep -c 'adir: line 1: read error: Is a directory' <<<"$output")" -eq 1 ]
	[[ "$output" != *"not loaded"* ]]
	printf '{"id": "x", "name": [}\n' >one.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner --check one.ndjson
	[ "$status" -eq 65 ]
	[[ "$output" == *"checked 1 record: 1 with problems (1 problem)"* ]]
	run odf-import -c "$(imp_conf)" -m res.partner --check adir
	[ "$status" -eq 74 ]
	[[ "$output" == *"checked 0 records: 0 with problems"* ]]
	[ "$(grep -c 'adir: line 1: read error: Is a directory' <<<"$output")" -eq 1 ]
}

@test "empty input, a lone newline and blank lines import nothing and exit 0" {
	: >empty.ndjson
	printf '\n' >nl.ndjson
	printf ' \n\t\r\n\n' >blank.ndjson
	for f in empty.ndjson nl.ndjson blank.ndjson; do
		run odf-import -c "$(imp_conf)" -m res.partner "$f"
		[ "$status" -eq 0 ]
		[[ "$output" == *"read 0, created 0, updated 0, failed 0"* ]]
		[ ! -e res.partner_fail.ndjson ]
	done
}

@test "invalid UTF-8 is refused before it is sent, naming the byte, and its batch lands" {
	printf '{"id": "u8_1", "name": "U8 \xff\xfe"}\n{"id": "u8_2", "name": "U8 \xc3\xa9"}\n{"id": "u8_3", "name": "U8 \xed\xa0\x80"}\n' >utf.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner -b 3 utf.ndjson
	[ "$status" -eq 65 ]
	counts_add_up res.partner_fail.ndjson
	[[ "$output" == *"read 3, created 1, updated 0, failed 2"* ]]
	[ "$(fail_message res.partner_fail.ndjson 1)" = "not UTF-8 (at byte 28)" ]
	[ "$(fail_message res.partner_fail.ndjson 3)" = "not UTF-8 (at byte 28)" ]
	# The line is kept byte for byte, to be fixed and fed back.
	[ "$(head -c 30 res.partner_fail.ndjson | od -An -tx1 | tr -d ' \n')" = \
		"$(head -c 30 utf.ndjson | od -An -tx1 | tr -d ' \n')" ]
	run odoo_call dst res.partner search_count '[[["name", "like", "U8 "]]]'
	[ "$output" = 1 ]
}

@test "100,000 nested brackets fail their record, not the run" {
	python3 -c '
print("{\"id\": \"dn_1\", \"name\": \"DN 1\"}")
print("{\"id\": \"dn_2\", \"name\": " + "[" * 100000 + "]" * 100000 + "}")
print("[" * 100000)' >deep.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner deep.ndjson
	[ "$status" -eq 65 ]
	counts_add_up res.partner_fail.ndjson
	[[ "$output" == *"read 3, created 1, updated 0, failed 2"* ]]
	[ "$(fail_line_numbers res.partner_fail.ndjson)" = 2,3 ]
}

@test "a line of 20 MB fails alone, kept whole; the records around it land" {
	python3 -c '
import sys
w = sys.stdout.write
w("{\"id\": \"hl_1\", \"name\": \"HL 1\"}\n")
w("{\"id\": \"hl_2\", \"name\": \"" + "x" * 20000000 + "\n")
w("{\"id\": \"hl_3\", \"name\": \"HL 3\", \"_odf_note\": \"" + "y" * 20000000 + "\"}\n")' >huge.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner huge.ndjson
	[ "$status" -eq 65 ]
	counts_add_up res.partner_fail.ndjson
	[[ "$output" == *"read 3, created 2, updated 0, failed 1"* ]]
	[ "$(fail_line_numbers res.partner_fail.ndjson)" = 2 ]
	[ "$(wc -c <res.partner_fail.ndjson)" -gt 20000000 ]
}

@test "CRLF records land without the CR in their values" {
	printf '{"id": "cr_1", "name": "CR 1"}\r\n{"id": "cr_2", "name": "CR 2"}\r\n' >crlf.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner crlf.ndjson
	[ "$status" -eq 0 ]
	[[ "$output" == *"read 2, created 2, updated 0, failed 0"* ]]
	run odoo_call dst res.partner search_count '[[["name", "in", ["CR 1", "CR 2"]]]]'
	[ "$output" = 2 ]
}

@test "a stream of random bytes never crashes and every record is accounted for" {
	python3 -c '
import random, sys
r = random.Random(9)
pieces = [b"{", b"}", b"[", b"]", b"\"", b":", b",", b"\\", b"\n", b"\r\n", b"\x00",
          b"\xff", b"\xc3\xa9", b"1e999", b"null", b" "]
sys.stdout.buffer.write(b"".join(r.choice(pieces) for _ in range(3000)))' >noise.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner noise.ndjson
	[ "$status" -eq 65 ]
	counts_add_up res.partner_fail.ndjson
	records=$(python3 -c '
import sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
print(sum(1 for l in lines if l.strip(b" \t\r")))' noise.ndjson)
	[[ "$output" == *"read $records, "* ]]
}

@test "with workers and small batches, good and malformed lines mixed are all accounted for" {
	# Lines that cannot land: not JSON, not UTF-8, a bad value, not an
	# object, and a parent that is one of those (it lands, "landed": true).
	python3 -c '
import random, sys
r = random.Random(5)
out, bad, kinds = [], [], {}
for i in range(300):
    k = kinds[i] = r.randrange(6)
    if k == 0: out.append(b"{\"id\": \"wk_%d\", \"name\": \"WK %d\"}" % (i, i))
    elif k == 1: out.append(b"{\"id\": \"wk_%d\", \"name\":" % i)
    elif k == 2: out.append(b"{\"id\": \"wk_%d\", \"name\": \"W\xff\"}" % i)
    elif k == 3: out.append(b"{\"id\": \"wk_%d\", \"name\": \"WK\", \"color\": \"x\"}" % i)
    elif k == 4: out.append(b"[1]")
    else:
        p = r.randrange(300)
        out.append(b"{\"id\": \"wk_%d\", \"name\": \"WK %d\", \"parent_id\": {\"id\": \"wk_%d\"}}" % (i, i, p))
        kinds[i] = (5, p)
for i, k in kinds.items():
    if k in (1, 2, 3, 4) or (isinstance(k, tuple) and kinds[k[1]] in (1, 2, 3, 4)):
        bad.append(i + 1)
sys.stdout.buffer.write(b"\n".join(out) + b"\n")
open("bad.txt", "w").write(",".join(map(str, bad)))' >wk.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner -w 2 -b 7 wk.ndjson
	[ "$status" -eq 65 ]
	counts_add_up res.partner_fail.ndjson
	[ "$(fail_line_numbers res.partner_fail.ndjson | tr , '\n' | sort -n | paste -sd,)" = "$(cat bad.txt)" ]
}
