#!/usr/bin/env bats
# Bash completion for odf and its programs (share/bash-completion/odf).

load lib/common

setup() {
	# shellcheck source=/dev/null
	source "$ODF_REPO/share/bash-completion/odf"
	cd "$BATS_TEST_TMPDIR"
}

# complete WORD...: what _odf offers for the command line WORD... (the last
# word is the one being completed), one a line, sorted.
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_odf
	printf '%s\n' "${COMPREPLY[@]}" | sort
}

@test "odf completes its commands" {
	run complete_words odf ""
	[ "$output" = "$(printf '%s\n' export help import migrate ping plan transform verify version)" ]
	run complete_words odf mi
	[ "$output" = migrate ]
}

@test "odf COMMAND completes the command's long options, from its --help" {
	run complete_words odf migrate --config-
	[ "$output" = "$(printf '%s\n' --config-export --config-import)" ]
	run complete_words odf export --ar
	[ "$output" = --archived ]
	run complete_words odf ping --
	[[ "$output" == *--config* && "$output" == *--quiet* ]]
	run complete_words odf plan --with
	[ "$output" = --with-dependencies ]
}

@test "odf-PROGRAM completes its options too" {
	run complete_words odf-import --fail
	[ "$output" = --fail-file ]
	run complete_words odf-transform --rej
	[ "$output" = --reject ]
}

@test "a connection file option completes .conf files and directories" {
	mkdir conf
	touch staging.conf notes.txt
	run complete_words odf migrate --config-export ""
	[ "$output" = "$(printf '%s\n' conf staging.conf)" ]
}

@test "values that are not files complete to nothing" {
	run complete_words odf export -m res.
	[ -z "$output" ]
}

@test "make install puts the completion where bash-completion looks, for every program" {
	run make -C "$ODF_REPO" --no-print-directory -s install DESTDIR="$BATS_TEST_TMPDIR/root" PREFIX=/usr \
	    BUILD="$(cd "$ODF_BIN_DIR/.." && pwd)"
	[ "$status" -eq 0 ]
	dir=$BATS_TEST_TMPDIR/root/usr/share/bash-completion/completions
	[ -f "$dir/odf" ]
	for p in odf-export odf-import odf-transform odf-migrate odf-plan; do
		[ "$(readlink "$dir/$p")" = odf ]
	done
}
