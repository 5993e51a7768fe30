#!/usr/bin/env bats
# The odf jq module: found without -L, and each helper on a table of cases.

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# cases FILTER: each line of stdin is "INPUT<TAB>WANT", INPUT a JSON text,
# WANT the compact JSON that .in | FILTER gives, or error:TEXT for an error
# whose message holds TEXT. All cases go through one odf-transform run.
cases() {
	local filter=$1 n=0 input want got
	local -A wants=()
	: >in.ndjson
	while IFS=$'\t' read -r input want; do
		n=$((n + 1))
		printf '{"i":%d,"in":%s}\n' "$n" "$input" >>in.ndjson
		wants[$n]=$want
	done
	odf-transform --reject rej.ndjson "import \"odf\" as odf; {i, out: (.in | $filter)}" \
		in.ndjson >out.ndjson 2>/dev/null || true
	{
		jq -r '"\(.i)\t\(.out | tojson)"' out.ndjson
		jq -r '"\(._odf_error.line)\terror:\(._odf_error.message)"' rej.ndjson
	} | sort -n >got
	[ "$(wc -l <got)" -eq "$n" ] || { echo "$n cases, $(wc -l <got) results"; return 1; }
	while IFS=$'\t' read -r n got; do
		want=${wants[$n]}
		if [[ $want == error:* && $got == error:*"${want#error:}"* ]] || [ "$got" = "$want" ]; then
			continue
		fi
		echo "case $n: $(sed -n "${n}p" in.ndjson) | $filter: got $got, want $want"
		return 1
	done <got
}

@test "the module is found without -L from the build tree, and by ODF_JQ_LIBRARY_PATH" {
	run odf-transform 'import "odf" as odf; .x |= odf::to_xmlid' <<<'{"x":"a b"}'
	[ "$status" -eq 0 ]
	[ "$output" = '{"x":"a_b"}' ]
	mkdir alt
	echo 'def to_xmlid: "from alt";' >alt/odf.jq
	run env ODF_JQ_LIBRARY_PATH="/nonexistent:$PWD/alt" \
		odf-transform 'import "odf" as odf; .x |= odf::to_xmlid' <<<'{"x":"a b"}'
	[ "$output" = '{"x":"from alt"}' ]
}

@test "the module is found beside an installed binary" {
	mkdir -p root/bin root/share/odf/jq
	cp "$ODF_BIN_DIR/odf-transform" root/bin/
	cp "$ODF_REPO/share/jq/odf.jq" root/share/odf/jq/
	run root/bin/odf-transform 'import "odf" as odf; .x |= odf::to_number' <<<'{"x":"1,5"}'
	[ "$status" -eq 0 ]
	[ "$output" = '{"x":1.5}' ]
}

@test "is_empty: null, false, blank strings, [] and {} are empty; 0 is not" {
	cases 'odf::is_empty' <<-'END'
	null	true
	false	true
	""	true
	" \t "	true
	[]	true
	{}	true
	0	false
	"0"	false
	true	false
	[null]	false
	END
}

@test "default: the value, or the default when empty" {
	cases 'odf::default("n/a")' <<-'END'
	"x"	"x"
	null	"n/a"
	""	"n/a"
	false	"n/a"
	0	0
	END
}

@test "concat joins the non-empty values with the separator" {
	cases 'odf::concat(" "; .[])' <<-'END'
	["Ann","Lee"]	"Ann Lee"
	["Ann",null,"","Lee"]	"Ann Lee"
	["No",3,true]	"No 3 true"
	[null,""]	""
	END
}

@test "concat_all joins all values or gives null when one is empty" {
	cases 'odf::concat_all("-"; .[])' <<-'END'
	["a","b",1]	"a-b-1"
	["a",null]	null
	["a",""]	null
	END
}

@test "map_value maps by the value's text, with a default or an error" {
	cases 'odf::map_value({"draft": "new", "1": "one"}; "other")' <<-'END'
	"draft"	"new"
	1	"one"
	"x"	"other"
	null	"other"
	END
	cases 'odf::map_value({"draft": "new"})' <<-'END'
	"draft"	"new"
	"done"	error:odf::map_value: "done" is not in the map
	END
}

@test "to_number reads numbers with . or , decimals" {
	cases 'odf::to_number' <<-'END'
	"12,5"	12.5
	"12.5"	12.5
	" 7 "	7
	"-0,25"	-0.25
	"+3"	3
	",5"	0.5
	"10"	10
	42	42
	""	null
	null	null
	"1.234,5"	error:odf::to_number: "1.234,5" is not a number
	"abc"	error:is not a number
	true	error:is not a number
	END
	cases 'odf::to_number(0)' <<-'END'
	"3,5"	3.5
	"x"	0
	null	0
	END
}

@test "to_bool reads yes/no-style strings in any case" {
	cases 'odf::to_bool' <<-'END'
	"Yes"	true
	"y"	true
	"1"	true
	"TRUE"	true
	"oui"	true
	"x"	true
	"No"	false
	"0"	false
	"off"	false
	"nein"	false
	1	true
	0	false
	true	true
	false	false
	""	null
	"maybe"	error:odf::to_bool: "maybe" is not a yes or a no
	END
	cases 'odf::to_bool(false)' <<-'END'
	"maybe"	false
	null	false
	"ja"	true
	END
}

@test "to_bool with a default keeps a no as false" {
	cases 'odf::to_bool(true)' <<-'END'
	"no"	false
	"0"	false
	0	false
	false	false
	"yes"	true
	"maybe"	true
	""	true
	END
}

@test "to_number and to_bool with a default update a field in place with |=" {
	run odf-transform 'import "odf" as odf;
		.n |= odf::to_number(-1) | .m |= odf::to_number(-1)
		| .b |= odf::to_bool(null) | .c |= odf::to_bool(null)' \
		<<<'{"n":"0","m":"x","b":"oui","c":"?"}'
	[ "$status" -eq 0 ]
	[ "$output" = '{"n":0,"m":-1,"b":true,"c":null}' ]
}

@test "to_xmlid turns spaces, commas, pipes and newlines into _ and keeps dots" {
	cases 'odf::to_xmlid' <<-'END'
	"Acme Corp, Ltd|x"	"Acme_Corp__Ltd_x"
	"mod.name"	"mod.name"
	"a\nb"	"a_b"
	"\tpadded\t"	"padded"
	42	"42"
	"Zoë"	"Zoë"
	END
}

@test "xmlid and m2o build a reference with a prefix; empty gives null" {
	cases 'odf::xmlid("legacy")' <<-'END'
	"C 1"	"legacy.C_1"
	7	"legacy.7"
	""	null
	null	null
	END
	cases 'odf::m2o("base.")' <<-'END'
	"be"	{"id":"base.be"}
	""	null
	false	null
	END
}

@test "m2m builds many2many references from values, leaving empty ones out" {
	cases 'odf::m2m("tag")' <<-'END'
	["a b","",null,"c"]	[{"id":"tag.a_b"},{"id":"tag.c"}]
	"one"	[{"id":"tag.one"}]
	[]	[]
	END
}

@test "split_m2m splits a delimited string into many2many references" {
	cases 'odf::split_m2m("tag")' <<-'END'
	"vip, wholesale,,x"	[{"id":"tag.vip"},{"id":"tag.wholesale"},{"id":"tag.x"}]
	""	[]
	null	[]
	END
	cases 'odf::split_m2m("tag"; "|")' <<-'END'
	"a|b c"	[{"id":"tag.a"},{"id":"tag.b_c"}]
	END
}

@test "reprefix moves external ids to another module, in any shape" {
	cases 'odf::reprefix("migr")' <<-'END'
	"__export__.res_partner_1"	"migr.res_partner_1"
	{"id":"__export__.x"}	{"id":"migr.x"}
	[{"id":"a.b"},"c.d.e"]	[{"id":"migr.b"},"migr.d.e"]
	"bare"	"migr.bare"
	null	null
	END
}

@test "rename renames keys and keeps the others in place" {
	cases 'odf::rename({"a": "x", "c": "z"})' <<-'END'
	{"a":1,"b":2}	{"x":1,"b":2}
	{}	{}
	END
}

@test "date and datetime reformat dates and refuse what is no date" {
	cases 'odf::date("%d/%m/%Y")' <<-'END'
	"31/12/2024"	"2024-12-31"
	" 01/02/1960 "	"1960-02-01"
	""	null
	"30/02/2024"	error:odf::date: "30/02/2024" is not a valid date
	"2024-12-31"	error:does not match format
	END
	cases 'odf::datetime("%d/%m/%Y %H:%M")' <<-'END'
	"31/12/2024 13:45"	"2024-12-31 13:45:00"
	END
	cases 'odf::date("%Y-%m-%dT%H:%M:%S"; "%d.%m.%Y")' <<-'END'
	"2024-03-09T08:00:00"	"09.03.2024"
	END
}

@test "date reads a format without a day as the first of the month" {
	cases 'odf::date("%m/%Y")' <<-'END'
	"02/2024"	"2024-02-01"
	"13/2024"	error:does not match format
	END
	cases 'odf::date("%Y"; "%Y-%m-%d %a")' <<-'END'
	"2024"	"2024-01-01 Mon"
	END
	cases 'odf::date("%m/%Y"; "%a %j")' <<-'END'
	"03/2024"	"Fri 061"
	END
}

@test "trim removes white space at both ends" {
	cases 'odf::trim' <<-'END'
	"  a b \t"	"a b"
	3	3
	END
}
