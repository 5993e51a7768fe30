#!/usr/bin/env bats
# Malformed input through odf-transform: whatever the bytes, it never
# crashes, names each bad line by number, and loses nothing: every input
# record is either written or in the reject file.

load lib/common
bats_require_minimum_version 1.5.0

setup() { cd "$BATS_TEST_TMPDIR"; }

# accounted IN OUT REJ: every record of IN (a line not blank, as the
# reader sees it) is a line of OUT or of REJ (identity program), and the exit
# status is not a signal's.
accounted() {
	[ "$status" -lt 128 ]
	python3 -c '
import sys
data = open(sys.argv[1], "rb").read()
lines = data.split(b"\n")
if lines and lines[-1] == b"":
    lines.pop()
records = sum(1 for l in lines if l.strip(b" \t\r"))
count = lambda p: sum(1 for _ in open(p, "rb")) if p else 0
outputs, rejects = count(sys.argv[2]), count(sys.argv[3])
print("records %d, outputs %d, rejects %d" % (records, outputs, rejects))
sys.exit(records != outputs + rejects)' "$1" "$2" "$([ -f "$3" ] && echo "$3")"
}

# The line numbers in a reject file, comma-separated.
reject_lines() {
	python3 -c 'import json,sys; print(",".join(str(json.loads(l)["_odf_error"]["line"]) for l in open(sys.argv[1])))' "$1"
}

@test "a line cut short, a file ending mid-record and wrong types are rejected by line number" {
	printf '%s\n' '{"a":1}' '{"a":' '"a string"' '5' '[1,2]' 'null' '{"b":2}' >in.ndjson
	printf '{"c":' >>in.ndjson
	run --separate-stderr odf-transform --reject rej.ndjson . in.ndjson
	echo "$stderr"
	[ "$status" -eq 65 ]
	[ "$(reject_lines rej.ndjson)" = 2,3,4,5,6,8 ]
	[[ "$stderr" == *"in.ndjson: line 2: not JSON: Unfinished JSON term"* ]]
	[[ "$stderr" == *"in.ndjson: line 3: not a JSON object: string"* ]]
	[[ "$stderr" == *"in.ndjson: line 8: not JSON: Unfinished JSON term"* ]]
	[[ "$stderr" == *"6 of 8 records failed"* ]]
	[ "$output" = '{"a":1}
{"b":2}' ]
	printf '%s\n' "$output" >out.ndjson
	accounted in.ndjson out.ndjson rej.ndjson
}

@test "a reject line keeps the bad input whole, so nothing is lost" {
	printf '%s\n' '{"a":1' '{"a":"\u00e9"}x' >in.ndjson
	run odf-transform --reject rej.ndjson . in.ndjson
	[ "$status" -eq 65 ]
	run python3 -c 'import json,sys; print("|".join(json.loads(l)["_odf_input"] for l in open(sys.argv[1])))' rej.ndjson
	[ "$output" = '{"a":1|{"a":"\u00e9"}x' ]
}

@test "empty input, a lone newline and blank lines give no output and status 0" {
	: >empty.ndjson
	printf '\n' >nl.ndjson
	printf ' \n\t\n\r\n\n' >blank.ndjson
	for f in empty.ndjson nl.ndjson blank.ndjson; do
		run --separate-stderr odf-transform --reject rej.ndjson . "$f"
		[ "$status" -eq 0 ]
		[ -z "$output" ]
		[ ! -s rej.ndjson ]
	done
}

@test "CRLF line ends are line ends, not part of the record" {
	printf '{"a":"x"}\r\n{"b":"y"}\r\n' >crlf.ndjson
	run odf-transform . crlf.ndjson
	[ "$status" -eq 0 ]
	[ "$output" = '{"a":"x"}
{"b":"y"}' ]
}

@test "NUL bytes fail only their own lines, named, and the records after them pass" {
	printf '{"a":1}\n{"a":\0}\n\0\n{"a":2}\n' >nul.ndjson
	run --separate-stderr odf-transform --reject rej.ndjson . nul.ndjson
	[ "$status" -eq 65 ]
	[ "$output" = '{"a":1}
{"a":2}' ]
	[ "$(reject_lines rej.ndjson)" = 2,3 ]
	[[ "$stderr" == *"nul.ndjson: line 2: NUL byte in line"* ]]
	[[ "$stderr" == *"nul.ndjson: line 3: NUL byte in line"* ]]
}

@test "100,000 nested brackets are a rejected record, not a crash" {
	python3 -c 'print("{\"a\":" + "[" * 100000 + "]" * 100000 + "}"); print("[" * 100000); print("{\"ok\":1}")' >deep.ndjson
	run --separate-stderr odf-transform --reject rej.ndjson . deep.ndjson
	[ "$status" -eq 65 ]
	[ "$output" = '{"ok":1}' ]
	[ "$(reject_lines rej.ndjson)" = 1,2 ]
	[[ "$stderr" == *"deep.ndjson: line 1: not JSON: Exceeds depth limit for parsing"* ]]
}

@test "a line of 20 MB goes through, and a bad one is rejected whole" {
	python3 -c '
import sys
w = sys.stdout.write
w("{\"a\":1}\n")
w("{\"big\":\"" + "x" * 20000000 + "\"}\n")
w("y" * 20000000 + "\n")
w("{\"b\":2}\n")' >huge.ndjson
	run --separate-stderr odf-transform --reject rej.ndjson '.big |= length' huge.ndjson
	[ "$status" -eq 65 ]
	[ "$output" = '{"a":1,"big":0}
{"big":20000000}
{"b":2,"big":0}' ]
	[ "$(reject_lines rej.ndjson)" = 3 ]
	[ "$(wc -c <rej.ndjson)" -gt 20000000 ]
	[[ "$stderr" == *"huge.ndjson: line 3: not JSON"* ]]
}

@test "duplicate keys keep the last value, as jq does" {
	printf '{"a":1,"a":2,"b":3}\n' >dup.ndjson
	run odf-transform . dup.ndjson
	[ "$status" -eq 0 ]
	[ "$output" = '{"a":2,"b":3}' ]
}

@test "invalid UTF-8 becomes U+FFFD, as jq reads it, and the record is kept" {
	printf '{"a":"x\xff\xfey"}\n{"b":"\xc3("}\n' >utf.ndjson
	run --separate-stderr odf-transform . utf.ndjson
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '{"a":"x\xef\xbf\xbd\xef\xbf\xbdy"}\n{"b":"\xef\xbf\xbd("}')" ]
}

@test "a stream of random bytes never crashes and every line is accounted for" {
	python3 -c '
import random, sys
r = random.Random(8)
pieces = [b"{", b"}", b"[", b"]", b"\"", b":", b",", b"\\", b"\n", b"\r\n", b"\x00",
          b"\xff", b"\xc3\xa9", b"1e999", b"null", b"{\"a\":1}\n", b" "]
sys.stdout.buffer.write(b"".join(r.choice(pieces) for _ in range(20000)))' >noise.ndjson
	# libjq 1.6 leaks on some of this (its bug): not a failure of the
	# sanitized build.
	LSAN_OPTIONS=suppressions=$ODF_REPO/tests/fuzz/lsan-libjq.supp \
		run --separate-stderr odf-transform --reject rej.ndjson . noise.ndjson
	[ "$status" -eq 65 ]
	printf '%s' "$output" >out.ndjson
	[ -z "$output" ] || echo >>out.ndjson
	accounted noise.ndjson out.ndjson rej.ndjson
}

@test "a line longer than 256 MB is rejected by number and reading goes on" {
	run --separate-stderr odf-transform --reject rej.ndjson . < <(python3 -c '
import sys
w = sys.stdout.buffer.write
w(b"{\"a\":1}\n")
chunk = b"x" * (1 << 20)
for _ in range(257): w(chunk)
w(b"\n{\"b\":2}\n")')
	[ "$status" -eq 65 ]
	[ "$output" = '{"a":1}
{"b":2}' ]
	[ "$(cat rej.ndjson)" = '{"_odf_error":{"message":"line longer than 268435456 bytes","file":"<stdin>","line":2}}' ]
	[[ "$stderr" == *"<stdin>: line 2: line longer than 268435456 bytes"* ]]
}
