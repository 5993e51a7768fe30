#!/usr/bin/env bats
# odf-transform's failures: compile errors, failed records and their reject
# file, stops, and the exit status of each.

load lib/common
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR"
	printf '%s\n' '{"n":1}' '{"n":"two"}' '' '[3]' '{"n":4' '{"n":5}' >in.ndjson
}

@test "a program that does not compile stops before reading, with jq's message and position" {
	mkfifo never
	run odf-transform '.a | .b +' never
	[ "$status" -eq 64 ]
	[[ "${lines[0]}" == "odf transform: program: syntax error, unexpected \$end"*"at <top-level>, line 1:" ]]
	[[ "$output" == *"1 compile error"* ]]
}

@test "a program file that does not compile is named with the line of the error" {
	printf '.a\n| nosuch(1)\n' >bad.jq
	run odf-transform -f bad.jq in.ndjson
	[ "$status" -eq 64 ]
	[[ "${lines[0]}" == "odf transform: bad.jq: nosuch/1 is not defined at <top-level>, line 2:" ]]
}

@test "a program file that cannot be read is exit status 66" {
	run odf-transform -f missing.jq in.ndjson
	[ "$status" -eq 66 ]
	[[ "$output" == *"missing.jq: cannot read the program"* ]]
}

@test "a missing input stops the run before any record is read" {
	run odf-transform . in.ndjson nope.ndjson
	[ "$status" -eq 66 ]
	[ "$output" = "odf transform: nope.ndjson: cannot open: No such file or directory" ]
}

@test "each failed record is named by file and line and the rest go through" {
	run --separate-stderr odf-transform '.n |= . + 1' in.ndjson
	[ "$status" -eq 65 ]
	[ "$output" = '{"n":2}
{"n":6}' ]
	[ "${stderr_lines[0]}" = "odf transform: in.ndjson: line 2: program error: string (\"two\") and number (1) cannot be added" ]
	[ "${stderr_lines[1]}" = "odf transform: in.ndjson: line 4: not a JSON object: array ([3])" ]
	[ "${stderr_lines[2]}" = "odf transform: in.ndjson: line 5: not JSON: Unfinished JSON term at EOF at line 1, column 6" ]
	[ "${stderr_lines[3]}" = "odf transform: 3 of 5 records failed; use --reject FILE to keep them" ]
}

@test "--reject keeps each failed record with _odf_error, the input when not an object" {
	run odf-transform --reject rej.ndjson '.n |= . + 1' in.ndjson
	[ "$status" -eq 65 ]
	[ "$(wc -l <rej.ndjson)" -eq 3 ]
	[ "$(sed -n 1p rej.ndjson)" = '{"n":"two","_odf_error":{"message":"program error: string (\"two\") and number (1) cannot be added","file":"in.ndjson","line":2}}' ]
	[ "$(sed -n 2p rej.ndjson)" = '{"_odf_error":{"message":"not a JSON object: array ([3])","file":"in.ndjson","line":4},"_odf_input":"[3]"}' ]
	[ "$(sed -n 3p rej.ndjson)" = '{"_odf_error":{"message":"not JSON: Unfinished JSON term at EOF at line 1, column 6","file":"in.ndjson","line":5},"_odf_input":"{\"n\":4"}' ]
	[[ "$output" == *"3 of 5 records failed; they are in rej.ndjson"* ]]
}

@test "a reject file is input again once the cause is fixed" {
	odf-transform --reject rej.ndjson '.n |= . + 1' in.ndjson >/dev/null 2>&1 || true
	run odf-transform 'select(has("_odf_input") | not) | del(._odf_error) | .n |= (tonumber? // 2) + 1' rej.ndjson
	[ "$status" -eq 0 ]
	[ "$output" = '{"n":3}' ]
}

@test "with --reject only the first ten failures are printed" {
	seq 1 15 | sed 's/.*/[&]/' >arrays.ndjson
	run odf-transform --reject rej.ndjson . arrays.ndjson
	[ "$status" -eq 65 ]
	[ "$(grep -c 'not a JSON object' <<<"$output")" -eq 10 ]
	[[ "$output" == *"further failures are only in rej.ndjson"* ]]
	[ "$(wc -l <rej.ndjson)" -eq 15 ]
}

@test "an output that is not an object fails its record and keeps none of its outputs" {
	run odf-transform --reject rej.ndjson '., .n' <<<'{"n":1}'
	[ "$status" -eq 65 ]
	[ "${lines[0]}" = "odf transform: <stdin>: line 1: program output 2 is not an object: number (1)" ]
	[ "$(cat rej.ndjson)" = '{"n":1,"_odf_error":{"message":"program output 2 is not an object: number (1)","file":"<stdin>","line":1}}' ]
}

@test "error() with an object is reported as JSON" {
	run odf-transform 'error({code: 7})' <<<'{}'
	[ "$status" -eq 65 ]
	[ "${lines[0]}" = 'odf transform: <stdin>: line 1: program error: {"code":7}' ]
}

@test "--fail-fast stops at the first failed record" {
	run --separate-stderr odf-transform --fail-fast --reject rej.ndjson '.n |= . + 1' in.ndjson
	[ "$status" -eq 65 ]
	[ "$output" = '{"n":2}' ]
	[[ "${stderr_lines[0]}" == *"line 2: program error"* ]]
	[ "${stderr_lines[1]}" = "odf transform: 1 of 2 records failed; they are in rej.ndjson; stopped at the first (--fail-fast)" ]
	[ "$(wc -l <rej.ndjson)" -eq 1 ]
}

@test "--fail-fast with workers writes nothing after the failed record" {
	seq 1 5000 | sed 's/.*/{"n":&}/' >many.ndjson
	sed -i '3001s/.*/{"n":"x"}/' many.ndjson
	run odf-transform -j 3 --fail-fast '.n |= . + 1' many.ndjson
	[ "$status" -eq 65 ]
	[ "$(grep -c '^{' <<<"$output")" -eq 3000 ]
	[[ "$output" == *"many.ndjson: line 3001: program error"* ]]
}

@test "failures under workers are reported and rejected in input order" {
	seq 1 3000 | sed 's/.*/{"n":&}/' >many.ndjson
	for l in 7 1500 2999; do sed -i "${l}s/.*/[$l]/" many.ndjson; done
	odf-transform -j 4 --reject rej.ndjson . many.ndjson >out4 2>err4 && false
	mv rej.ndjson rej4
	odf-transform --reject rej.ndjson . many.ndjson >out1 2>err1 && false
	cmp out1 out4
	cmp rej.ndjson rej4
	cmp err1 err4
	[ "$(jq -r '._odf_error.line' rej4 | tr '\n' ' ')" = "7 1500 2999 " ]
}

@test "a NUL byte in a line fails that line, named" {
	printf '{"a":1}\n{"a":"\0"}\n{"a":3}\n' >nul.ndjson
	run --separate-stderr odf-transform --reject rej.ndjson . nul.ndjson
	[ "$status" -eq 65 ]
	[ "$output" = '{"a":1}
{"a":3}' ]
	[ "${stderr_lines[0]}" = "odf transform: nul.ndjson: line 2: NUL byte in line" ]
	[ "$(cat rej.ndjson)" = '{"_odf_error":{"message":"NUL byte in line","file":"nul.ndjson","line":2}}' ]
}

@test "a reject file that is also an input is a usage error, and the input is kept" {
	cp in.ndjson rej.ndjson
	run odf-transform 'del(._odf_error)' --reject rej.ndjson in.ndjson ./rej.ndjson
	[ "$status" -eq 64 ]
	[ "$output" = "odf transform: rej.ndjson: the reject file is also an input" ]
	cmp in.ndjson rej.ndjson
	run odf-transform --reject rej.ndjson . <rej.ndjson
	[ "$status" -eq 64 ]
	cmp in.ndjson rej.ndjson
}

@test "a missing input leaves an earlier reject file as it was" {
	cp in.ndjson rej.ndjson
	run odf-transform --reject rej.ndjson . in.ndjson nope.ndjson
	[ "$status" -eq 66 ]
	[ "$output" = "odf transform: nope.ndjson: cannot open: No such file or directory" ]
	cmp in.ndjson rej.ndjson
}

@test "a reject file that cannot be created is exit status 73 before any record" {
	run odf-transform --reject no/such/dir/rej.ndjson . in.ndjson
	[ "$status" -eq 73 ]
	[[ "$output" == *"no/such/dir/rej.ndjson: cannot create"* ]]
	[[ "$output" != *'{"n":1}'* ]]
}

@test "halt ends the run with status 0 after the records before it" {
	run odf-transform 'if .n == 2 then halt else . end' <<<'{"n":1}
{"n":2}
{"n":3}'
	[ "$status" -eq 0 ]
	[ "$output" = '{"n":1}' ]
}

@test "halt_error ends the run with its status and message, also under workers" {
	run odf-transform 'if .n == 2 then "stop at two\n" | halt_error(3) else . end' <<<'{"n":1}
{"n":2}
{"n":3}'
	[ "$status" -eq 3 ]
	[ "$output" = '{"n":1}
stop at two' ]
	seq 1 4000 | sed 's/.*/{"n":&}/' >many.ndjson
	run odf-transform -j 2 'if .n == 2500 then halt_error else . end' many.ndjson
	[ "$status" -eq 5 ]
	[ "$(grep -c '^{"n"' <<<"$output")" -eq 2500 ]
	[ "${lines[2499]}" = '{"n":2500}' ]
}

@test "a halt_error message without a newline is not run into the summary" {
	run --separate-stderr odf-transform 'if .n == 5 then "stop" | halt_error(1) else .n += 1 end' in.ndjson
	[ "$status" -eq 1 ]
	[ "${stderr_lines[-2]}" = "stop" ]
	[ "${stderr_lines[-1]}" = "odf transform: 3 of 5 records failed; use --reject FILE to keep them" ]
}

@test "a closed standard output is a quiet stop with status 141" {
	seq 1 200000 | sed 's/.*/{"n":&}/' >many.ndjson
	odf-transform . many.ndjson 2>err | head -n 1 >first
	[ "${PIPESTATUS[0]}" -eq 141 ]
	[ "$(cat first)" = '{"n":1}' ]
	[ ! -s err ]
	odf-transform -j 2 . many.ndjson 2>err | head -n 1 >first
	[ "${PIPESTATUS[0]}" -eq 141 ]
	[ ! -s err ]
}

@test "when standard output closes, the failures counted are the failures kept" {
	seq 1 100000 | awk '{ print ($1 % 50 ? "{\"n\":" $1 "}" : "[" $1 "]") }' >many.ndjson
	for jobs in 1 2; do
		odf-transform -j $jobs --reject rej.ndjson . many.ndjson 2>err | head -n 1 >/dev/null
		failed=$(sed -n 's/.*: \([0-9]*\) of [0-9]* records failed.*/\1/p' err)
		[ -n "$failed" ]
		[ "$(wc -l <rej.ndjson)" -eq "$failed" ] ||
			{ echo "-j $jobs: $failed failed, $(wc -l <rej.ndjson) in the reject file"; return 1; }
	done
}

@test "a read error ends the run with status 74 after the records before it" {
	mkdir adir
	run --separate-stderr odf-transform . in.ndjson adir
	[ "$status" -eq 74 ]
	[ "${lines[0]}" = '{"n":1}' ]
	[[ "$stderr" == *"odf transform: adir: line 1: read error: Is a directory"* ]]
}

@test "a full disk is a write error with status 74" {
	run bash -c 'odf-transform . in.ndjson >/dev/full'
	[ "$status" -eq 74 ]
	[[ "$output" == *"odf transform: standard output: write error: No space left on device"* ]]
}

@test "a full disk under the reject file is a write error that names it" {
	run --separate-stderr odf-transform --reject /dev/full . in.ndjson
	[ "$status" -eq 74 ]
	[[ "$stderr" == *"odf transform: /dev/full: write error: No space left on device"* ]]
}

@test "a run killed while it waits for input has put the failures before in the reject file" {
	mkfifo slow
	odf-transform --reject rej.ndjson . slow >out &
	pid=$!
	exec 5<>slow
	{ echo '[1]'; seq 2 1100 | sed 's/.*/{"n":&}/'; } >&5
	for _ in $(seq 100); do [ "$(wc -l <out)" -ge 1000 ] && break; sleep 0.05; done
	kill -TERM $pid
	wait $pid || true
	exec 5>&-
	[ "$(wc -l <out)" -ge 1000 ]
	[ "$(wc -l <rej.ndjson)" -eq 1 ]
}

@test "a worker that dies loses no record without a word" {
	seq 1 2000 | sed 's/.*/{"n":&}/' >many.ndjson
	# Slow enough to be caught at work.
	odf-transform -j 2 --reject rej.ndjson '[range(3000)] as $x | .' many.ndjson \
		>out 2>err &
	pid=$!
	for _ in $(seq 50); do
		kids=$(pgrep -P "$pid" || true)
		[ "$(wc -w <<<"$kids")" -eq 2 ] && break
		sleep 0.1
	done
	sleep 0.3
	kill -9 $(head -n 1 <<<"$kids")
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 65 ]
	[ $(($(wc -l <out) + $(wc -l <rej.ndjson))) -eq 2000 ]
	[ "$(jq -r '._odf_error.message' rej.ndjson | sort -u)" = "not transformed: worker 1 killed by signal 9" ] ||
		[[ "$(jq -r '._odf_error.message' rej.ndjson | sort -u)" == "not transformed: "*"signal 9"* ]]
	grep -q "records failed; they are in rej.ndjson" err
}
