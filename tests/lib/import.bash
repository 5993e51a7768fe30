# Helpers for the odf-import bats files: one test server a file, and ways to
# ask it what landed.
#
#   setup_file() { import_server; }    teardown_file() { odoo_stop_all; }
#   imp_conf [KEY=VALUE...]            a conf for the server (fast retries), its path
#   odoo_count MODEL DOMAIN_JSON       how many records match
#   fail_lines FILE                    lines in FILE (0 when it does not exist)

load lib/common
load lib/odoo

import_server() {
	odoo_start dst
	export ODOO_DST_PORT ODOO_DST_URL
}

imp_conf() {
	local f="$BATS_TEST_TMPDIR/dst-$RANDOM.conf"
	write_conf "$f" hostname=127.0.0.1 "port=$ODOO_DST_PORT" database=dst login=admin \
	    password=admin retry_delay=0.01 retries=4 "$@"
	echo "$f"
}

odoo_count() {
	odoo_call dst "$1" search_count "[[$2]]"
}

fail_lines() {
	if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi
}

# The n-th line of a file (1-based).
nth_line() {
	sed -n "${2}p" "$1"
}
