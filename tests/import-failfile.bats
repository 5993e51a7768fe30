#!/usr/bin/env bats
# odf-import's fail file: what did not land is kept, byte for byte, with the
# reason; feeding it back retries exactly those records.

load lib/import

setup_file() { import_server; }
teardown_file() { odoo_stop_all; }

setup() { cd "$BATS_TEST_TMPDIR"; }

# The value of a key of _odf_error in the n-th line of a file.
err_of() {
	python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readlines()[int(sys.argv[2])-1])["_odf_error"].get(sys.argv[3]))' "$@"
}

@test "a bad record goes to the fail file and the rest of its batch lands" {
	cat >in.ndjson <<-'EOF'
	{"id": "bb_1", "name": "BB 1", "type": "contact"}
	{"id": "bb_2", "name": "BB 2", "type": "invoice"}
	{"id": "bb_3", "name": "BB 3", "type": "bogus"}
	{"id": "bb_4", "name": "BB 4", "type": "delivery"}
	{"id": "bb_5", "name": "BB 5", "type": "other"}
	EOF
	run odf-import -c "$(imp_conf)" -m res.partner -b 5 in.ndjson
	[ "$status" -eq 65 ]
	[[ "$output" == *"read 5, created 4, updated 0, failed 1"* ]]
	[[ "$output" == *"res.partner_fail.ndjson"* ]]
	run odoo_count res.partner '["name","like","BB "]'
	[ "$output" = 4 ]
	[ "$(fail_lines res.partner_fail.ndjson)" = 1 ]
	[ "$(err_of res.partner_fail.ndjson 1 field)" = type ]
	[ "$(err_of res.partner_fail.ndjson 1 line)" = 3 ]
	[ "$(err_of res.partner_fail.ndjson 1 file)" = in.ndjson ]
	[[ "$(err_of res.partner_fail.ndjson 1 message)" == *"'bogus' not found in selection"* ]]
}

@test "several bad records in one batch all fail with their own message" {
	cat >in.ndjson <<-'EOF'
	{"id": "sb_1", "name": "SB 1", "color": "x"}
	{"id": "sb_2", "name": "SB 2", "color": 1}
	{"id": "sb_3", "name": "", "color": 2}
	{"id": "sb_4", "name": "SB 4", "color": "y"}
	{"id": "sb_5", "name": "SB 5", "color": 3}
	{"id": "sb_6", "name": "SB 6", "color": 4}
	EOF
	run odf-import -c "$(imp_conf)" -m res.partner -b 6 in.ndjson
	[ "$status" -eq 65 ]
	[[ "$output" == *"read 6, created 3, updated 0, failed 3"* ]]
	run odoo_count res.partner '["name","like","SB "]'
	[ "$output" = 3 ]
	run cut -c1-12 res.partner_fail.ndjson
	[ "${lines[0]}" = '{"id": "sb_1' ]
	[ "${lines[1]}" = '{"id": "sb_3' ]
	[ "${lines[2]}" = '{"id": "sb_4' ]
	[[ "$(err_of res.partner_fail.ndjson 1 message)" == *"'x' does not seem to be an integer"* ]]
	[[ "$(err_of res.partner_fail.ndjson 2 message)" == *"Contacts require a name"* ]]
	[[ "$(err_of res.partner_fail.ndjson 3 message)" == *"'y' does not seem to be an integer"* ]]
}

@test "the fail file keeps each input line byte for byte with _odf_error added last" {
	printf '%s\n' '{ "name" : "KB 1",  "id":"kb_1" , "type": "bogus", "x_note": 1.50e0 }' >in.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner --ignore x_note in.ndjson
	[ "$status" -eq 65 ]
	run cat res.partner_fail.ndjson
	[[ "$output" == '{ "name" : "KB 1",  "id":"kb_1" , "type": "bogus", "x_note": 1.50e0 ,"_odf_error":{"message":'*'}}' ]]
}

@test "a line that is not JSON goes to the fail file as _odf_line and reading goes on" {
	printf '%s\n' '{"id": "nj_1", "name": "NJ 1"}' '{"id": "nj_2", "name": ' '[1, 2]' '' \
	    '{"id": "nj_3", "name": "NJ 3"}' >in.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner in.ndjson
	[ "$status" -eq 65 ]
	[[ "$output" == *"read 4, created 2, updated 0, failed 2"* ]]
	[ "$(err_of res.partner_fail.ndjson 1 line)" = 2 ]
	[[ "$(err_of res.partner_fail.ndjson 1 message)" == "not JSON"* ]]
	[ "$(err_of res.partner_fail.ndjson 2 line)" = 3 ]
	[ "$(err_of res.partner_fail.ndjson 2 message)" = "not a JSON object" ]
	run python3 -c 'import json; print(json.loads(open("res.partner_fail.ndjson").readline())["_odf_line"])'
	[ "$output" = '{"id": "nj_2", "name": ' ]
}

@test "feeding the fail file back retries exactly the failed records and removes it when they land" {
	cat >in.ndjson <<-'EOF'
	{"id": "rt_1", "name": "RT 1"}
	{"id": "rt_2", "name": "RT 2", "type": "bogus"}
	{"id": "rt_3", "name": "RT 3", "color": "blue"}
	EOF
	run odf-import -q -c "$(imp_conf)" -m res.partner in.ndjson
	[ "$status" -eq 65 ]
	[ "$(fail_lines res.partner_fail.ndjson)" = 2 ]
	sed -i 's/"bogus"/"invoice"/; s/"blue"/4/' res.partner_fail.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner res.partner_fail.ndjson
	[ "$status" -eq 0 ]
	[[ "$output" == *"read 2, created 2, updated 0, failed 0"* ]]
	[ ! -e res.partner_fail.ndjson ]
	run odoo_call dst res.partner search_read '[[["name","like","RT "]]]' '{"fields":["type","color"],"order":"id"}'
	[[ "$output" == *'"type": "contact", "color": 0'*'"type": "invoice", "color": 0'*'"type": "contact", "color": 4'* ]]
}

@test "a record that fails again gets its error replaced, not nested" {
	echo '{"id": "nn_1", "name": "NN 1", "type": "bogus"}' >in.ndjson
	run odf-import -q -c "$(imp_conf)" -m res.partner in.ndjson
	[ "$status" -eq 65 ]
	cp res.partner_fail.ndjson first.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner res.partner_fail.ndjson
	[ "$status" -eq 65 ]
	[ "$(fail_lines res.partner_fail.ndjson)" = 1 ]
	[ "$(grep -o _odf_error res.partner_fail.ndjson | wc -l)" = 1 ]
	[ "$(err_of res.partner_fail.ndjson 1 file)" = res.partner_fail.ndjson ]
	# the record itself is unchanged
	diff <(sed 's/,"_odf_error".*//' first.ndjson) <(sed 's/,"_odf_error".*//' res.partner_fail.ndjson)
}

@test "a line kept as _odf_line is reported again until it is replaced" {
	printf '%s\n' 'oops {' >in.ndjson
	run odf-import -q -c "$(imp_conf)" -m res.partner in.ndjson
	[ "$status" -eq 65 ]
	run odf-import -c "$(imp_conf)" -m res.partner res.partner_fail.ndjson
	[ "$status" -eq 65 ]
	[[ "$(err_of res.partner_fail.ndjson 1 message)" == *"replace this line"* ]]
	run python3 -c 'import json; print(json.loads(open("res.partner_fail.ndjson").readline())["_odf_line"])'
	[ "$output" = 'oops {' ]
}

@test "no fail file is created when nothing failed, and --fail-file puts it elsewhere" {
	echo '{"id": "ff_1", "name": "FF 1"}' >ok.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner ok.ndjson
	[ "$status" -eq 0 ]
	[ ! -e res.partner_fail.ndjson ]
	echo '{"id": "ff_2", "name": "FF 2", "type": "bogus"}' >bad.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner --fail-file failed/here.ndjson bad.ndjson
	[ "$status" -eq 74 ]
	[[ "$output" == *"failed/here.ndjson: cannot create"* ]]
	mkdir failed
	run odf-import -c "$(imp_conf)" -m res.partner --fail-file failed/here.ndjson bad.ndjson
	[ "$status" -eq 65 ]
	[ "$(fail_lines failed/here.ndjson)" = 1 ]
	[ ! -e res.partner_fail.ndjson ]
}

@test "a field unknown to the model that appears late sends its records to the fail file" {
	printf '%s\n' '{"id": "lf_1", "name": "LF 1"}' '{"id": "lf_2", "name": "LF 2", "emial": "a@b.example"}' \
	    '{"id": "lf_3", "name": "LF 3"}' >in.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner in.ndjson
	[ "$status" -eq 65 ]
	[[ "$output" == *"read 3, created 2, updated 0, failed 1"* ]]
	[[ "$(err_of res.partner_fail.ndjson 1 message)" == *"unknown field 'emial' in res.partner (did you mean 'email'"* ]]
}

@test "a whole-call error is narrowed down to its record" {
	odoo_faults dst '{"load_error_on": "BOOM"}'
	for i in 1 2 3 4 5 6 7; do echo "{\"id\": \"wc_$i\", \"name\": \"WC $i\"}"; done >in.ndjson
	sed -i 's/WC 5/BOOM/' in.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner -b 7 in.ndjson
	odoo_faults dst '{"load_error_on": null}'
	[ "$status" -eq 65 ]
	[[ "$output" == *"read 7, created 6, updated 0, failed 1"* ]]
	[ "$(err_of res.partner_fail.ndjson 1 line)" = 5 ]
	[ "$(err_of res.partner_fail.ndjson 1 exception)" = builtins.ValueError ]
}

@test "the fail file fed back on standard input is replaced, not truncated while read" {
	for i in 1 2 3 4 5 6; do echo "{\"id\": \"sf_$i\", \"name\": \"SF $i\", \"type\": \"bogus\"}"; done >in.ndjson
	run odf-import -q -c "$(imp_conf)" -m res.partner -b 2 in.ndjson
	[ "$status" -eq 65 ]
	[ "$(fail_lines res.partner_fail.ndjson)" = 6 ]
	sed -i '1,3s/"bogus"/"invoice"/' res.partner_fail.ndjson
	run odf-import -c "$(imp_conf)" -m res.partner -b 2 <res.partner_fail.ndjson
	[ "$status" -eq 65 ]
	[[ "$output" == *"read 6, created 3, updated 0, failed 3"* ]]
	[ "$(fail_lines res.partner_fail.ndjson)" = 3 ]
	[ "$(err_of res.partner_fail.ndjson 1 file)" = "<stdin>" ]
}
