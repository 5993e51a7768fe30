#!/usr/bin/env bats
# odf verify: a model compared between two databases by external id.

load lib/migrate

setup_file() {
	odoo_seed src 300
	odoo_start src
	export ODOO_SRC_PORT ODOO_SRC_URL ODOO_SRC_CONF
}

teardown_file() {
	odoo_stop_all
}

# Each test: a fresh destination holding the migration of the source.
setup() {
	odoo_start dst
	cd "$BATS_TEST_TMPDIR"
	migrate_tags
	run odf migrate --config-export "$ODOO_SRC_CONF" --config-import "$ODOO_DST_CONF" \
	    --model res.partner --fields "$PARTNER_FIELDS" -q
	[ "$status" -eq 0 ]
}

teardown() {
	odoo_stop_all
}

verify() {
	odf verify --config-export "$ODOO_SRC_CONF" --config-import "$ODOO_DST_CONF" \
	    --model res.partner --fields "$PARTNER_FIELDS" "$@"
}

# migrate_through FILE.jq: migrate the partners again through a transformer.
migrate_through() {
	odf migrate --config-export "$ODOO_SRC_CONF" --config-import "$ODOO_DST_CONF" \
	    --model res.partner --fields "$PARTNER_FIELDS" --domain "$ALL_DOMAIN" \
	    --transformer-file "$1" -q
}

# The database id of the record with external id XMLID (module.name) in NAME.
db_id() {
	odoo_call "$1" ir.model.data search_read \
	    "[[[\"module\", \"=\", \"${2%%.*}\"], [\"name\", \"=\", \"${2#*.}\"]]]" \
	    '{"fields": ["res_id"]}' | jq '.[0].res_id'
}

@test "a migrated model verifies clean: exit 0, nothing on stdout, the counts on stderr" {
	verify >out.ndjson 2>err.txt
	cat err.txt
	[ ! -s out.ndjson ]
	n=$(odoo_call src res.partner search_count '[[]]' '{"context": {"active_test": false}}')
	grep -q "^odf verify: res.partner: $n source, $n destination: $n equal, 0 missing, 0 extra, 0 differ in " err.txt
}

@test "a planted difference, a missing and an extra record: each reported once, exit 1" {
	mapfile -t ids < <(odf export -c "$ODOO_SRC_CONF" -m res.partner --fields id,name \
	    -d "[('is_company', '=', False), ('child_ids', '=', False)]" -q | jq -r .id | head -n 2)
	changed=${ids[0]} gone=${ids[1]}
	odoo_call dst res.partner write "[[$(db_id dst "$changed")], {\"phone\": \"+32 000 00 00\"}]"
	odoo_call dst res.partner unlink "[[$(db_id dst "$gone")]]"
	odoo_call dst res.partner load '[["id", "name"], [["__import__.only_in_dst", "Zed Extra"]]]'
	run verify
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(grep -c '"status":' <<<"$output")" -eq 3 ]
	phone=$(odf export -c "$ODOO_SRC_CONF" -m res.partner --fields id,phone -q |
	    jq -c --arg id "$changed" 'select(.id == $id) | .phone')
	# The whole line, byte for byte.
	grep -qxF "{\"id\":\"$changed\",\"status\":\"differs\",\"fields\":{\"phone\":{\"source\":$phone,\"destination\":\"+32 000 00 00\"}}}" <<<"$output"
	[ "$(jq -r --arg id "$gone" 'select(.id == $id) | .status' <<<"$(grep '^{' <<<"$output")")" = missing ]
	[ "$(jq -r --arg id "$gone" 'select(.id == $id) | .source.id' <<<"$(grep '^{' <<<"$output")")" = "$gone" ]
	grep -qxF '{"id":"__import__.only_in_dst","status":"extra","destination":{"id":"__import__.only_in_dst","name":"Zed Extra","is_company":false,"parent_id":null,"type":"contact","category_id":[],"email":null,"phone":null,"street":null,"street2":null,"zip":null,"city":null,"country_id":null,"lang":"en_US","active":true,"comment":null}}' <<<"$output"
	grep -q ' equal, 1 missing, 1 extra, 1 differ in ' <<<"$output"
}

@test "the differences come out in external id order, the same with 3 workers and 1 MiB of memory" {
	odoo_call dst res.partner write "[$(odoo_call dst res.partner search '[[["is_company", "=", true]]]' '{"limit": 40}'), {\"comment\": \"changed\"}]"
	run verify
	[ "$status" -eq 1 ]
	grep '^{' <<<"$output" >one.ndjson
	[ "$(wc -l <one.ndjson)" -eq 40 ]
	jq -r .id one.ndjson >ids
	LC_ALL=C sort -c ids
	run verify -w 3 --memory 1 -b 7 -q
	[ "$status" -eq 1 ]
	cmp one.ndjson <(printf '%s\n' "$output")
}

@test "--ignore leaves fields out of the comparison, with or without a transformer" {
	mapfile -t ids < <(odf export -c "$ODOO_SRC_CONF" -m res.partner --fields id,name \
	    -d "[('is_company', '=', False), ('child_ids', '=', False)]" -q | jq -r .id | head -n 1)
	odoo_call dst res.partner write "[[$(db_id dst "${ids[0]}")], {\"phone\": \"+32 000 00 00\"}]"
	run verify -q
	[ "$status" -eq 1 ]
	run verify --ignore phone,city
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" equal, 0 missing, 0 extra, 0 differ in "* ]]
	# A field the transformer adds and the destination does not have is
	# not read there.
	echo '.x_legacy = "kept in the source"' >legacy.jq
	run verify -f legacy.jq --ignore phone,x_legacy
	echo "$output"
	[ "$status" -eq 0 ]
	run verify --ignore id
	[ "$status" -eq 64 ]
	[[ "$output" == *"--ignore: 'id' is how records are matched"* ]]
}

@test "a domain on database ids is warned of: in the destination it selects other records" {
	run verify --domain "[('id', '<', 60)]"
	echo "$output"
	[[ "$output" == *"odf verify: warning: the domain selects by database id"* ]]
	run verify --domain "[('is_company', '=', True)]"
	[ "$status" -eq 0 ]
	[[ "$output" != *"warning"* ]]
}

@test "a transformer migration verifies clean with -f, and differs without it" {
	echo '.name = "[STAGING] " + (.name // "")' >prefix.jq
	migrate_through prefix.jq
	run verify -f prefix.jq
	echo "$output"
	[ "$status" -eq 0 ]
	run verify -q
	[ "$status" -eq 1 ]
	[ "$(jq -r '.fields | keys[]' <<<"$output" | sort -u)" = name ]
}

@test "a transformer that imports the odf module verifies as odf migrate ran it" {
	printf '%s\n' 'import "odf" as odf;' '.name = ("[STAGING] " + (.name // "") | odf::trim)' >module.jq
	migrate_through module.jq
	run verify -f module.jq
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" equal, 0 missing, 0 extra, 0 differ"* ]]
}

@test "an external id twice on one side: one duplicate line, and the record still compared" {
	echo '., .' >twice.jq
	rc=0
	verify -f twice.jq >out.ndjson 2>err.txt || rc=$?
	cat err.txt
	[ "$rc" -eq 1 ]
	n=$(odoo_call src res.partner search_count '[[]]' '{"context": {"active_test": false}}')
	[ "$(jq -c 'select(.status != "duplicate" or .side != "source")' out.ndjson)" = "" ]
	[ "$(jq -r .id out.ndjson | sort -u | wc -l)" -eq "$n" ]
	[ "$(wc -l <out.ndjson)" -eq "$n" ]
	grep -q "^odf verify: res.partner: $((2 * n)) source, $n destination: $n equal, 0 missing, 0 extra, 0 differ, $n duplicate in " err.txt
}

@test "a transformer that renames fields: the destination is read with the new names" {
	cat >rename.jq <<-'JQ'
	{id, name, phone: .email}
	JQ
	# The destination's phone set from the source's email, as a migration would.
	odf export -c "$ODOO_SRC_CONF" -m res.partner --fields id,name,email --archived -q |
	    odf transform -f rename.jq | odf import -c "$ODOO_DST_CONF" -m res.partner -q
	run odf verify --config-export "$ODOO_SRC_CONF" --config-import "$ODOO_DST_CONF" \
	    --model res.partner --fields id,name,email -f rename.jq
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "usage and connection errors have their sysexits codes" {
	run odf-verify --config-export "$ODOO_SRC_CONF" --model res.partner
	[ "$status" -eq 64 ]
	[[ $output == *"--config-import is required"* ]]
	run verify --fields id,nosuchfield
	[ "$status" -eq 64 ]
	[[ $output == *"source: "*nosuchfield* ]]
	write_conf down.conf hostname=127.0.0.1 "port=$(free_port)" database=dst login=admin \
	    password=admin retries=0
	run odf verify --config-export "$ODOO_SRC_CONF" --config-import down.conf -m res.partner -q
	[ "$status" -eq 69 ]
	[[ $output == *destination:* ]]
	run verify -f nosuch.jq
	[ "$status" -eq 66 ]
}

@test "a reader that goes away stops odf verify quietly" {
	odoo_call dst res.partner write "[$(odoo_call dst res.partner search '[[]]' '{"limit": 50}'), {\"comment\": \"x\"}]"
	run bash -c 'odf verify --config-export "$1" --config-import "$2" --model res.partner --fields "$3" | head -n 1' _ \
	    "$ODOO_SRC_CONF" "$ODOO_DST_CONF" "$PARTNER_FIELDS"
	[ "$status" -eq 0 ]
	[ "$(grep -c '"status":"differs"' <<<"$output")" -eq 1 ]
	[[ $output != *error* ]]
}

@test "empty is empty: a transformer's \"\", null and false load as Odoo's False and verify clean" {
	# What the transformer writes for an empty value, the destination
	# exports as null (false for a boolean): the same value in Odoo.
	cat >empty.jq <<-'JQ'
	(if .email == null then .email = "" else . end)
	| (if .is_company == false then .is_company = null else . end)
	| (if .comment == null then .comment = false else . end)
	JQ
	migrate_through empty.jq
	run verify -f empty.jq
	echo "$output"
	[ "$status" -eq 0 ]
	# An empty value against a real one still differs, either way round.
	id=$(odf export -c "$ODOO_SRC_CONF" -m res.partner --fields id,email -q |
	    jq -r 'select(.email == null) | .id' | head -n 1)
	odoo_call dst res.partner write "[[$(db_id dst "$id")], {\"email\": \"a@b.c\", \"is_company\": true}]"
	run verify -f empty.jq -q
	echo "$output"
	[ "$status" -eq 1 ]
	grep -qxF "{\"id\":\"$id\",\"status\":\"differs\",\"fields\":{\"is_company\":{\"source\":null,\"destination\":true},\"email\":{\"source\":\"\",\"destination\":\"a@b.c\"}}}" <<<"$output"
}

@test "a transformer that writes flat keys (parent_id/id, category_id.id \"a,b\") verifies clean" {
	cat >flat.jq <<-'JQ'
	{id, name, "parent_id/id": .parent_id.id, "category_id.id": ([.category_id[].id] | join(","))}
	JQ
	migrate_through flat.jq
	run verify -f flat.jq
	echo "$output"
	[ "$status" -eq 0 ]
	# A tag taken off in the destination: told under the field's name.
	id=$(odf export -c "$ODOO_SRC_CONF" -m res.partner --fields id,category_id -q |
	    jq -r 'select((.category_id | length) >= 2) | .id' | head -n 1)
	odoo_call dst res.partner write "[[$(db_id dst "$id")], {\"category_id\": [[5, 0, 0]]}]"
	run verify -f flat.jq -q
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(grep -c '"status":' <<<"$output")" -eq 1 ]
	[ "$(jq -r --arg id "$id" 'select(.id == $id) | .fields | keys[]' <<<"$output")" = category_id ]
	[ "$(jq -r '.fields.category_id.destination' <<<"$output")" = "[]" ]
}

@test "a transformer that leaves empty fields out: fields the first record lacks are still read from the destination" {
	# The first record has no email and no phone: their keys are dropped.
	cat >sparse.jq <<-'JQ'
	with_entries(select(.value != null))
	JQ
	odf export -c "$ODOO_SRC_CONF" -m res.partner --fields "$PARTNER_FIELDS" --archived -q |
	    jq -c 'select(.email == null)' | head -n 1 | jq -e '.phone == null'
	run verify -f sparse.jq
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *" 0 missing, 0 extra, 0 differ in "* ]]
	id=$(odf export -c "$ODOO_SRC_CONF" -m res.partner --fields id,email -q |
	    jq -r 'select(.email != null) | .id' | tail -n 1)
	odoo_call dst res.partner write "[[$(db_id dst "$id")], {\"email\": \"changed@example.com\"}]"
	# And a value the destination has where the source has none (its key
	# left out by the transformer).
	none=$(odf export -c "$ODOO_SRC_CONF" -m res.partner --fields id,email -q |
	    jq -r 'select(.email == null) | .id' | tail -n 1)
	odoo_call dst res.partner write "[[$(db_id dst "$none")], {\"email\": \"new@example.com\"}]"
	run verify -f sparse.jq -q
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(jq -r '.id + " " + (.fields | keys | join(","))' <<<"$output" | sort)" = "$(printf '%s email\n' "$id" "$none" | sort)" ]
	grep -qxF "{\"id\":\"$none\",\"status\":\"differs\",\"fields\":{\"email\":{\"source\":null,\"destination\":\"new@example.com\"}}}" <<<"$output"
}

@test "a transformer that writes external ids without a module: matched as load() takes them, __import__.name" {
	cat >bare.jq <<-'JQ'
	def bare: sub("^__import__[.]"; "");
	.id |= bare
	| if .parent_id then .parent_id.id |= bare else . end
	| .category_id |= map(.id |= bare)
	JQ
	migrate_through bare.jq
	run verify -f bare.jq
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *" 0 missing, 0 extra, 0 differ in "* ]]
}

@test "the summary groups the thousands of every count" {
	echo '., ., ., ., .' >five.jq
	run verify -f five.jq
	[ "$status" -eq 1 ]
	n=$(odoo_call src res.partner search_count '[[]]' '{"context": {"active_test": false}}')
	[ "$n" -ge 250 ] && [ "$n" -lt 1000 ]
	group() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }
	echo "$output" | tail -n 1
	[[ $output == *"odf verify: res.partner: $(group $((5 * n))) source, $n destination: $n equal, 0 missing, 0 extra, 0 differ, $(group $((4 * n))) duplicate in "* ]]
}
