#!/usr/bin/env bats
# odf, the front door: its own commands and the dispatch to odf-COMMAND.

load lib/common

@test "odf version prints the version of the build" {
	run odf version
	[ "$status" -eq 0 ]
	[ "$output" = "odf $(cat "$ODF_REPO/VERSION")" ]
}

@test "odf without a command prints usage and exits 64" {
	run odf
	[ "$status" -eq 64 ]
	[[ "$output" == *"usage: odf COMMAND"* ]]
}

@test "odf --help lists the commands on stdout" {
	run odf --help
	[ "$status" -eq 0 ]
	for c in export transform import migrate ping version; do
		[[ "$output" == *"  $c "* ]]
	done
}

@test "an unknown command is named in the error" {
	run odf frobnicate
	[ "$status" -eq 64 ]
	[[ "$output" == *"'frobnicate' is not an odf command"* ]]
}

@test "a command runs the odf- program beside odf, not one on PATH" {
	dir=$BATS_TEST_TMPDIR
	cp "$ODF_BIN_DIR/odf" "$dir/odf"
	printf '#!/bin/sh\necho "beside: $*"\n' >"$dir/odf-hello"
	mkdir "$dir/elsewhere"
	printf '#!/bin/sh\necho "on path: $*"\n' >"$dir/elsewhere/odf-hello"
	chmod +x "$dir/odf-hello" "$dir/elsewhere/odf-hello"
	PATH="$dir/elsewhere:$PATH" run "$dir/odf" hello a 'b c'
	[ "$status" -eq 0 ]
	[ "$output" = "beside: a b c" ]
}

@test "a command not beside odf is found on PATH" {
	dir=$BATS_TEST_TMPDIR
	cp "$ODF_BIN_DIR/odf" "$dir/odf"
	mkdir "$dir/elsewhere"
	printf '#!/bin/sh\necho "on path: $*"\n' >"$dir/elsewhere/odf-hello"
	chmod +x "$dir/elsewhere/odf-hello"
	PATH="$dir/elsewhere:$PATH" run "$dir/odf" hello x
	[ "$status" -eq 0 ]
	[ "$output" = "on path: x" ]
}

@test "every program has a man page that renders without warnings" {
	for c in "$ODF_REPO"/cmd/*.c; do
		name=$(basename "$c" .c)
		page=$(ls "$ODF_REPO"/man/"$name".[0-9])
		run sh -c "MANWIDTH=80 man --warnings -l '$page' 2>&1 >/dev/null"
		[ -z "$output" ] || { echo "$page: $output"; false; }
	done
}
