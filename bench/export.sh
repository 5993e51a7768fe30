#!/usr/bin/env bash
# Benchmark odf-export against a plain xmlrpc.client script on the test server.
#
#   bench/export.sh BIN_DIR WORKDIR
#
# Seeds BENCH_RECORDS partners (default 100000) into a fresh test server, then
# measures wall time and peak RSS (/usr/bin/time; for odf-export the largest
# of its processes) of: odf-export with the default fields (-w 1 and -w 2),
# bench/xmlrpc_export.py doing the same export, and odf-export limited to a
# tenth of the records (memory must not grow with the model). Prints rows
#   export<TAB>WHAT<TAB>VALUE<TAB>UNIT<TAB>BASELINE_VALUE<TAB>BASELINE_NAME
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init export "$@"

records=${BENCH_RECORDS:-100000}
small=$((records / 10))
label=$(count_label "$records") small_label=$(count_label "$small")

server_start bench --seed-partners "$records"
conf=$work/bench.conf

# The first export creates the __export__ ids (writes); measure reads only.
"$bin/odf-export" -c "$conf" -m res.partner -f id -w 2 -q >/dev/null

measure base python3 "$repo/bench/xmlrpc_export.py" "http://127.0.0.1:$(server_port bench)" \
	bench admin admin res.partner
base_lines=$(wc -l <"$work/base.out")
base_rate=$(rate "$base_lines" "$secs") base_kib=$kib
measure w1 "$bin/odf-export" -c "$conf" -m res.partner -q
w1_lines=$(wc -l <"$work/w1.out")
w1_rate=$(rate "$w1_lines" "$secs") w1_kib=$kib
measure w2 "$bin/odf-export" -c "$conf" -m res.partner -q -w 2
w2_rate=$(rate "$w1_lines" "$secs") w2_kib=$kib
measure small "$bin/odf-export" -c "$conf" -m res.partner -q --limit "$small"
small_kib=$kib

if [ "$w1_lines" -ne "$base_lines" ] || ! cmp -s "$work/w1.out" "$work/w2.out"; then
	die "outputs differ ($w1_lines vs $base_lines lines, or -w 1 vs -w 2)"
fi
row "records/s, -w 1, $label" "$w1_rate" "rec/s" "$base_rate" "xmlrpc_export.py"
row "records/s, -w 2, $label" "$w2_rate" "rec/s" "$base_rate" "xmlrpc_export.py"
row "peak memory, -w 1, $label" "$w1_kib" "KiB" "$base_kib" "xmlrpc_export.py"
row "peak memory, -w 2, $label" "$w2_kib" "KiB" "$base_kib" "xmlrpc_export.py"
row "peak memory, -w 1, $label" "$w1_kib" "KiB" "$small_kib" "same, --limit $small_label"

# Checked: the 100k outputs and the database are not worth keeping.
servers_stop
rm -rf "$work"/*.out "$work/bench.data"
