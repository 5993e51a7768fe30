#!/usr/bin/env bats
# odf migrate of a whole graph: the checks before anything moves, several
# models in dependency order, --with-dependencies, cycles, a 17 → 19 upgrade.

load lib/common
load lib/odoo
load lib/migrate

setup_file() {
	odoo_seed src 200
	odoo_start src
	export ODOO_SRC_CONF ODOO_SRC_URL ODOO_SRC_PORT
}

teardown_file() {
	odoo_stop_all
}

setup() {
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	odoo_stop_all
}

# The guide's command, without --fields: every importable field.
guide() {
	odf migrate --config-export "$ODOO_SRC_CONF" --config-import "${DST_CONF:-$ODOO_DST_CONF}" \
	    --model res.partner "$@"
}

count() {   # count DB MODEL: records beyond the base ones, archived included
	local min=6
	[ "$2" = res.partner.category ] && min=0
	odoo_call "$1" "$2" search_count "[[[\"id\", \">\", $min]]]" '{"context": {"active_test": false}}'
}

@test "the guide's command into an empty destination is refused before anything moves" {
	odoo_start dst
	run guide
	echo "$output"
	[ "$status" -eq 65 ]
	[[ "$output" == *"odf migrate: category_id → res.partner.category: "*" referenced records are not in the destination; add --with-dependencies, or migrate res.partner.category first"* ]]
	[[ "$output" != *"odf import"* ]]
	[ "$(count dst res.partner)" -eq 0 ]
	[ "$(count dst res.partner.category)" -eq 0 ]
}

@test "a conf's warnings are said once, however many models" {
	write_conf typo.conf hostname=127.0.0.1 port=1 database=src login=admin password=admin \
	    retries=0 timout=5
	write_conf none.conf hostname=127.0.0.1 port=1 database=dst login=admin password=admin \
	    retries=0
	run odf migrate --config-export typo.conf --config-import none.conf \
	    --model res.partner,res.partner.category,res.country
	[ "$status" -eq 69 ]
	[ "$(grep -c "warning: typo.conf: line 8: unknown key 'timout' ignored" <<<"$output")" -eq 1 ]
}

@test "with --with-dependencies it lands everything: tags, parents, contacts, with their links" {
	odoo_start dst
	run guide --with-dependencies
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"odf import: res.partner.category: read "* ]]
	[[ "$output" == *"odf migrate: total: read "*", failed 0 in 2 pipelines"* ]]
	# Only the tags the partners use (and their parents), all of them.
	[ "$(count dst res.partner.category)" -gt 0 ]
	[ "$(count dst res.partner.category)" -le "$(count src res.partner.category)" ]
	compare_dbs src dst res.partner name,is_company,type,parent_id,category_id,email,country_id,active
	# A second run finds everything there and updates.
	run guide
	[ "$status" -eq 0 ]
	[[ "$output" == *"created 0"* ]]
}

@test "only the referenced records of a dependency move, not the whole model" {
	odoo_start dst
	# A tag nobody uses stays behind.
	odoo_call src res.partner.category create '[{"name": "Unused tag"}]' >/dev/null
	run guide --domain "[('id', '<=', 40)]" --with-dependencies
	[ "$status" -eq 0 ]
	[ "$(odoo_call dst res.partner.category search_count '[[["name", "=", "Unused tag"]]]')" -eq 0 ]
	[ "$(count dst res.partner.category)" -lt "$(count src res.partner.category)" ]
	[ "$(count dst res.partner)" -le 40 ]
	# Every tag of the partners that moved is there, linked.
	[ "$(odoo_call dst res.partner search_count '[[["category_id", "!=", false]]]' '{"context": {"active_test": false}}')" -eq \
	    "$(odoo_call src res.partner search_count '[[["category_id", "!=", false], ["id", "<=", 40]]]' '{"context": {"active_test": false}}')" ]
}

# "company|tag,tag" of the companies of the contacts in DB, by name.
companies_of_contacts() {
	local ids
	ids=$(odoo_call "$1" res.partner search_read '[[["parent_id", "!=", false], ["is_company", "=", false]]]' \
	    '{"fields": ["parent_id"], "context": {"active_test": false}}' | jq -c '[.[].parent_id[0]] | unique')
	odoo_call "$1" res.partner read "[$ids, [\"name\", \"category_id\"]]" '{"context": {"active_test": false}}' |
	    jq -r '.[] | [.name, (.category_id | length)] | @tsv' | sort
}

@test "the companies of the contacts selected come as dependencies, with their tags" {
	odoo_start dst
	run guide --domain "[('is_company', '=', False), ('parent_id', '!=', False)]" --with-dependencies
	echo "$output"
	[ "$status" -eq 0 ]
	# Two steps of res.partner: the companies (dependencies), then the contacts.
	[ "$(grep -c "odf import: res.partner: read" <<<"$output")" -eq 2 ]
	[ -n "$(companies_of_contacts src)" ]
	[ "$(companies_of_contacts src)" = "$(companies_of_contacts dst)" ]
}

@test "several models given in any order run in dependency order, one summary each and a total" {
	odoo_start dst
	run odf migrate --config-export "$ODOO_SRC_CONF" --config-import "$ODOO_DST_CONF" \
	    --model res.partner --model res.partner.category \
	    --fields "res.partner=$PARTNER_FIELDS" --fields "res.partner.category=$TAG_FIELDS"
	echo "$output"
	[ "$status" -eq 0 ]
	tags_line=$(grep -n "odf import: res.partner.category:" <<<"$output" | cut -d: -f1)
	partners_line=$(grep -n "odf import: res.partner:" <<<"$output" | cut -d: -f1)
	[ "$tags_line" -lt "$partners_line" ]
	[[ "$output" == *"odf migrate: total: "* ]]
	compare_dbs src dst res.partner.category name,parent_id,color
	compare_dbs src dst res.partner name,parent_id,category_id
}

@test "a chain with a cycle lands: tags and partners pointing at each other" {
	odoo_start dst
	# Every field of both: partners name their tags, tags their partners.
	run odf migrate --config-export "$ODOO_SRC_CONF" --config-import "$ODOO_DST_CONF" \
	    --model res.partner.category,res.partner
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"odf migrate: cycle "*"deferred: "* ]]
	compare_dbs src dst res.partner.category name,parent_id,partner_ids
	compare_dbs src dst res.partner name,parent_id,category_id
}

@test "a transformer per model, MODEL=FILE" {
	odoo_start dst
	echo '.name = "P: " + .name' >p.jq
	echo '.name = "T: " + .name' >t.jq
	run odf migrate --config-export "$ODOO_SRC_CONF" --config-import "$ODOO_DST_CONF" \
	    --model res.partner.category,res.partner --fields "res.partner=id,name,category_id" \
	    --fields "res.partner.category=id,name" --domain "res.partner=[('id', '>', 6)]" \
	    --transformer-file res.partner=p.jq --transformer-file res.partner.category=t.jq
	echo "$output"
	[ "$status" -eq 0 ]
	all='{"context": {"active_test": false}}'
	[ "$(odoo_call dst res.partner search_count '[[["name", "=like", "P: %"]]]' "$all")" -eq "$(count src res.partner)" ]
	[ "$(odoo_call dst res.partner.category search_count '[[["name", "=like", "T: %"]]]' "$all")" -eq "$(count src res.partner.category)" ]
	run odf migrate --config-export "$ODOO_SRC_CONF" --config-import "$ODOO_DST_CONF" \
	    --model res.partner.category,res.partner --transformer-file p.jq
	[ "$status" -eq 64 ]
	[[ "$output" == *"--transformer-file: with several models, say which one"* ]]
}

@test "17 → 19 over JSON-2: the fields 19 dropped are left out with one warning, and everything lands" {
	odoo_start dst --version 19.0
	DST_CONF=$ODOO_DST_JSON2_CONF run guide --with-dependencies
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c "warning: res.partner: the destination has no fields" <<<"$output")" -eq 1 ]
	[[ "$output" == *"additional_info"* && "$output" == *"mobile"* && "$output" == *"title"* ]]
	compare_dbs src dst res.partner name,is_company,type,parent_id,category_id,email,phone,active
}

@test "17 → 19 with --strict refuses, and nothing moves" {
	odoo_start dst --version 19.0
	DST_CONF=$ODOO_DST_JSON2_CONF run guide --with-dependencies --strict
	echo "$output"
	[ "$status" -eq 65 ]
	[[ "$output" == *"res.partner.additional_info: the destination has no such field (--strict)"* ]]
	[ "$(count dst res.partner)" -eq 0 ]
}

@test "17 → 19: a transformer still sees a dropped field, to map it" {
	odoo_start dst --version 19.0
	odoo_call src res.partner create '[{"name": "Mobile only", "mobile": "+32 470 00 00 00"}]' >/dev/null
	echo 'if .mobile != null and .phone == null then .phone = .mobile else . end' >mobile.jq
	DST_CONF=$ODOO_DST_JSON2_CONF run guide --with-dependencies --fields id,name,phone,mobile \
	    --transformer-file mobile.jq --domain "[('name', '=', 'Mobile only')]"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(odoo_call dst res.partner search_read '[[["name", "=", "Mobile only"]]]' '{"fields": ["phone"]}' |
	    jq -r '.[0].phone')" = "+32 470 00 00 00" ]
}
