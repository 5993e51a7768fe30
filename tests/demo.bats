#!/usr/bin/env bats
# The demo (make demo): it runs to its end, and prints terminal escapes
# only to a terminal that has not asked for none (NO_COLOR).

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR"
}

demo() {
	DEMO_PARTNERS=40 "$ODF_REPO/examples/demo.sh" "$ODF_BIN_DIR"
}

# The same, as a command line for on_a_terminal (the variables are exported).
DEMO_LINE='DEMO_PARTNERS=40 "$ODF_REPO/examples/demo.sh" "$ODF_BIN_DIR"'

@test "the demo migrates every partner and prints no escape into a pipe" {
	run demo
	[ "$status" -eq 0 ]
	[[ "$output" == *"production now holds "*" partners (staging: "* ]]
	held=$(sed -n 's/^production now holds \([0-9]*\) partners (staging: \([0-9]*\)).*/\1 \2/p' <<<"$output")
	[ -n "$held" ]
	[ "${held% *}" = "${held#* }" ]
	[[ "$output" != *$'\033'* ]]
}

@test "on a terminal the demo's commands are bold, and NO_COLOR turns that off" {
	on_a_terminal "$DEMO_LINE" >tty.txt
	grep -aq $'\033\\[1m\\$ odf migrate' tty.txt
	NO_COLOR=1 on_a_terminal "$DEMO_LINE" >tty-nocolor.txt
	grep -aq '^\$ odf migrate' tty-nocolor.txt
	run grep -ac $'\033\\[1m' tty-nocolor.txt
	[ "$output" = 0 ]
}
