#!/usr/bin/env bats
# odf-transform: records through a jq program, its options, order and size.

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR"
	printf '%s\n' '{"id":"p1","name":"Acme","n":1}' '{"id":"p2","name":"Zoë","n":2}' \
		'{"id":"p3","name":"Bob","n":3}' >in.ndjson
}

@test "the seed's prefix program changes the name and keeps every other field" {
	run odf-transform '.name = "[STAGING] " + .name' in.ndjson
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '{"id":"p1","name":"[STAGING] Acme","n":1}' ]
	[ "${lines[1]}" = '{"id":"p2","name":"[STAGING] Zoë","n":2}' ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "without a program each object is written compact and unchanged" {
	printf '{ "b" : [1, 2.50, true],\t"a": {"x": null} }\n' | odf-transform >out
	[ "$(cat out)" = '{"b":[1,2.5,true],"a":{"x":null}}' ]
}

@test "the output is byte for byte jq -c's on awkward values" {
	printf '%s\n' '{"s":"q\" b\\ / \u0001\u007f\t\n é \ud83d\ude00","n":[0,-0,1.0,1e16,1e15,0.1,1e-7,123456789012]}' \
		'{"z":1,"a":2,"z":3,"o":{},"e":[]}' >awk.ndjson
	odf-transform '.x = [.s, .n]' awk.ndjson >ours
	jq -c '.x = [.s, .n]' awk.ndjson >theirs
	cmp ours theirs
}

@test "-f reads the program from a file, and the shipped example is the seed's mapping" {
	run odf-transform -f "$ODF_REPO/examples/partner_migrator.jq" in.ndjson
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = '{"id":"p3","name":"[STAGING] Bob","n":3}' ]
	run odf-transform --from-file "$ODF_REPO/examples/partner_migrator.jq" in.ndjson
	[ "${lines[0]}" = '{"id":"p1","name":"[STAGING] Acme","n":1}' ]
}

@test "--arg binds a string and --argjson a JSON value, as in jq" {
	run odf-transform --arg p '[S] ' --argjson m '{"1":"one"}' \
		'.name = $p + .name | .word = $m[.n | tostring]' in.ndjson
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '{"id":"p1","name":"[S] Acme","n":1,"word":"one"}' ]
	[ "${lines[1]}" = '{"id":"p2","name":"[S] Zoë","n":2,"word":null}' ]
}

@test "options may follow the program and the inputs" {
	run odf-transform '.name = $p' in.ndjson --arg p X -j 2
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = '{"id":"p3","name":"X","n":3}' ]
}

@test "--argjson with text that is not JSON is a usage error" {
	run odf-transform --argjson m '{nope' . in.ndjson
	[ "$status" -eq 64 ]
	[[ "$output" == *"--argjson m: not JSON"* ]]
}

@test "-L adds a module directory, searched before the odf module" {
	mkdir lib
	echo 'def shout: ascii_upcase + "!";' >lib/my.jq
	run odf-transform -L lib 'import "my" as my; .name |= my::shout' in.ndjson
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '{"id":"p1","name":"ACME!","n":1}' ]
}

@test "a program file imports modules from its own directory with search ./" {
	mkdir -p prog
	echo 'def twice: . * 2;' >prog/util.jq
	echo 'import "util" as u {search: "./"}; .n |= u::twice' >prog/main.jq
	run odf-transform -f prog/main.jq in.ndjson
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = '{"id":"p3","name":"Bob","n":6}' ]
}

@test "a record can become several records, or none" {
	run odf-transform 'if .n == 2 then empty else ., {id: (.id + "b")} end' in.ndjson
	[ "$status" -eq 0 ]
	[ "$output" = '{"id":"p1","name":"Acme","n":1}
{"id":"p1b"}
{"id":"p3","name":"Bob","n":3}
{"id":"p3b"}' ]
}

@test "several inputs are read in order, - is standard input" {
	echo '{"id":"s"}' | odf-transform '{id}' in.ndjson - in.ndjson >out
	[ "$(tr -d '\n' <out)" = '{"id":"p1"}{"id":"p2"}{"id":"p3"}{"id":"s"}{"id":"p1"}{"id":"p2"}{"id":"p3"}' ]
}

@test "a named pipe as input loses no record" {
	mkfifo fifo
	for i in 1 2 3 4 5 6 7 8 9 10; do
		printf '{"i":%d}\n' "$i" >fifo &
		run timeout 5 odf-transform . fifo
		kill $! 2>/dev/null || true
		[ "$output" = "{\"i\":$i}" ] || { echo "try $i: status $status, output '$output'"; return 1; }
	done
}

@test "blank lines are skipped, a missing last newline and CRLF endings are fine" {
	printf '\n{"a":1}\r\n  \n{"a":2}' | odf-transform >out
	[ "$(cat out)" = '{"a":1}
{"a":2}' ]
}

@test "empty inputs and inputs of blank lines give nothing, and status 0" {
	: >empty.ndjson
	printf '\n \n' >blank.ndjson
	run odf-transform -j 2 . empty.ndjson blank.ndjson in.ndjson empty.ndjson
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	run odf-transform . empty.ndjson
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "-j 4 keeps the output in input order and equal to one process" {
	seq 1 20000 | awk '{ printf "{\"n\":%d,\"s\":\"%0*d\"}\n", $1, $1 % 300, 0 }' >many.ndjson
	odf-transform '.m = .n * 2 | if .n % 7 == 0 then ., {n: -.n} else . end' many.ndjson >one
	odf-transform -j 4 '.m = .n * 2 | if .n % 7 == 0 then ., {n: -.n} else . end' many.ndjson >four
	[ "$(wc -l <one)" -eq 22857 ]
	cmp one four
}

@test "-j takes a count from 1 to 64" {
	run odf-transform -j 0 . in.ndjson
	[ "$status" -eq 64 ]
	[[ "$output" == *"--jobs: '0' is not a number from 1 to 64"* ]]
	run odf-transform -j x . in.ndjson
	[ "$status" -eq 64 ]
}

@test "non-ASCII text passes through intact" {
	printf '%s\n' '{"name":"Łukasz Dvořák — 田中 😀","city":"São Paulo"}' >u.ndjson
	run odf-transform '.name |= . + " ✓"' u.ndjson
	[ "$status" -eq 0 ]
	[ "$output" = '{"name":"Łukasz Dvořák — 田中 😀 ✓","city":"São Paulo"}' ]
}

@test "a record of several megabytes passes whole, alone and among workers" {
	python3 -c 'import json; print(json.dumps({"id": "big", "blob": "é" * 3000000}, ensure_ascii=False))' >big.ndjson
	cat in.ndjson big.ndjson in.ndjson >mix.ndjson
	odf-transform '.blob |= (if . then length else . end)' mix.ndjson >one
	[ "$(sed -n 4p one)" = '{"id":"big","blob":3000000}' ]
	odf-transform . big.ndjson | cmp - <(jq -c . big.ndjson)
	odf-transform -j 3 '.blob |= (if . then length else . end)' mix.ndjson | cmp - one
}

@test "the examples turn sample records into what they promise" {
	ex=$ODF_REPO/examples
	run odf-transform -f "$ex/rename_fields.jq" <<<'{"name":"A","mobile":"+32","ref":"R1","customer":true,"supplier":false}'
	[ "$output" = '{"name":"A","phone_mobile":"+32","customer_ref":"R1","customer_rank":1,"supplier_rank":0}' ]
	run odf-transform -f "$ex/remap_xmlids.jq" --arg prefix legacy <<<'{"id":"__export__.res_partner_7","parent_id":{"id":"__export__.res_partner_1"},"category_id":[{"id":"__export__.c_2"},{"id":"base.c_0"}],"country_id":{"id":"base.be"}}'
	[ "$output" = '{"id":"legacy.res_partner_7","parent_id":{"id":"legacy.res_partner_1"},"category_id":[{"id":"legacy.c_2"},{"id":"base.c_0"}],"country_id":{"id":"base.be"}}' ]
	run odf-transform -f "$ex/drop_records.jq" <<<'{"name":"A","active":false}
{"name":"","active":true}
{"name":"B"}'
	[ "$output" = '{"name":"B"}' ]
	run odf-transform -f "$ex/split_company_contact.jq" <<<'{"code":"C 1","company":"Acme","country":"be","contact":"Ann","email":"a@x.test"}'
	[ "$output" = '{"id":"legacy.C_1","name":"Acme","is_company":true,"country_id":{"id":"base.be"}}
{"id":"legacy.C_1_contact","name":"Ann","is_company":false,"email":"a@x.test","parent_id":{"id":"legacy.C_1"}}' ]
	run odf-transform -f "$ex/order_lines.jq" <<<'{"number":"SO 42","customer":"C1","date":"31/12/2024 13:45","items":"P1:2;P2:0,5;;P3:"}'
	[ "$output" = '{"id":"legacy_order.SO_42","partner_id":{"id":"legacy.C1"},"date_order":"2024-12-31 13:45:00","order_line":[{"product_id":{"id":"legacy_product.P1"},"product_uom_qty":2},{"product_id":{"id":"legacy_product.P2"},"product_uom_qty":0.5},{"product_id":{"id":"legacy_product.P3"},"product_uom_qty":1}]}' ]
	run odf-transform -f "$ex/legacy_contacts.jq" <<<'{"code":"L1","first_name":"Zoë","last_name":"","is_company":"no","customer":"Yes","credit":"2500,50","language":"French","country":"fr","tags":"vip| wholesale ||","note":"  ","since":"01/02/2019"}'
	[ "$output" = '{"id":"legacy.L1","name":"Zoë","is_company":false,"customer_rank":1,"credit_limit":2500.5,"lang":"fr_FR","country_id":{"id":"base.fr"},"category_id":[{"id":"legacy_tag.vip"},{"id":"legacy_tag.wholesale"}],"comment":null,"date":"2019-02-01"}' ]
}

@test "--help shows the usage on stdout and --version the version" {
	run odf-transform --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: odf transform [options] [PROGRAM | -f FILE] [INPUT...]"* ]]
	run odf-transform --version
	[ "$output" = "odf $(cat "$ODF_REPO/VERSION")" ]
}

@test "an unknown option is a usage error" {
	run odf-transform --frobnicate . in.ndjson
	[ "$status" -eq 64 ]
	[ "${lines[0]}" = "odf transform: unknown option '--frobnicate'" ]
	[ "${lines[1]}" = "usage: odf transform [options] [PROGRAM | -f FILE] [INPUT...]; see 'odf transform --help'" ]
}

@test "the man page renders without warnings" {
	run env MANWIDTH=80 man --warnings -l "$ODF_REPO/man/odf-transform.1"
	[ "$status" -eq 0 ]
	[[ "$output" == *"odf-transform"* ]]
	[[ "$output" != *"warning"* ]]
}
