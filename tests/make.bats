#!/usr/bin/env bats
# The README's commands on a fresh machine: make installs the Debian
# packages before it compiles anything, whatever it decides about
# intermediate files. Proven from `make -n` on a copy of the tree, so that
# a machine which already has the packages still catches a regression.

load lib/common

setup() {
	tree="$BATS_TEST_TMPDIR/tree"
	mkdir "$tree"
	git -C "$ODF_REPO" ls-files -z | (cd "$ODF_REPO" && xargs -0 tar -cf -) | tar -xf - -C "$tree"
}

# first_step TARGET [MAKEFLAGS...]: "deps" or "cc", whichever make -n runs first.
first_step() {
	make -C "$tree" -n "$@" 2>/dev/null |
	    awk '/tests\/deps/ { print "deps"; exit } /(^|[ \/])(cc|gcc|clang) / { print "cc"; exit }'
}

@test "make demo installs the packages before it compiles" {
	[ "$(first_step demo)" = deps ]
}

@test "make check installs the packages before it compiles" {
	[ "$(first_step check)" = deps ]
}

@test "make check -j2 installs the packages before it compiles" {
	[ "$(first_step check -j2)" = deps ]
}

@test "make with no target installs the packages before it compiles" {
	[ "$(first_step all)" = deps ]
}

@test "CI runs the README's two set-up commands, in the README's order" {
	readme=$(sed -n '/^## Set-up/,/^## /p' "$ODF_REPO/README.md" | grep -oE '^make [a-z]+')
	ci=$(grep -oE '^make [a-z]+' "$ODF_REPO/.ci/run")
	[ -n "$readme" ]
	[ "$readme" = "$ci" ]
}
