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

[ $# -eq 2 ] || { echo "usage: bench/export.sh BIN_DIR WORKDIR" >&2; exit 64; }
bin=$(cd "$1" && pwd)
mkdir -p "$2"
work=$(cd "$2" && pwd)
repo=$(cd "$(dirname "$0")/.." && pwd)
records=${BENCH_RECORDS:-100000}
small=$((records / 10))
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench/export.sh: $TIME is missing (Debian package 'time')" >&2; exit 69; }

rm -rf "$work/data" "$work/port"
mkdir -p "$work/data"
python3 "$repo/tests/odoo_server/server.py" --data-dir "$work/data" --db bench \
	--seed-partners "$records" --port-file "$work/port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 3000); do
	[ -s "$work/port" ] && break
	kill -0 $server 2>/dev/null || { cat "$work/server.log" >&2; exit 69; }
	sleep 0.1
done
[ -s "$work/port" ] || { echo "bench/export.sh: the server did not start" >&2; exit 69; }
port=$(cat "$work/port")
conf=$work/bench.conf
printf '[Connection]\nhostname = 127.0.0.1\nport = %s\ndatabase = bench\nlogin = admin\npassword = admin\n' \
	"$port" >"$conf"
chmod 600 "$conf"

# measure NAME CMD...: run with stdout to $work/NAME.ndjson; sets secs, kib, lines.
measure() {
	local name=$1
	shift
	"$TIME" -f '%e %M' -o "$work/$name.time" "$@" >"$work/$name.ndjson"
	read -r secs kib <"$work/$name.time"
	lines=$(wc -l <"$work/$name.ndjson")
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
row() { printf 'export\t%s\t%s\t%s\t%s\t%s\n' "$@"; }

# The first export creates the __export__ ids (writes); measure reads only.
"$bin/odf-export" -c "$conf" -m res.partner -f id -w 2 -q >/dev/null

measure base python3 "$repo/bench/xmlrpc_export.py" "http://127.0.0.1:$port" bench admin admin res.partner
base_rate=$(rate "$lines" "$secs") base_kib=$kib base_lines=$lines
measure w1 "$bin/odf-export" -c "$conf" -m res.partner -q
w1_rate=$(rate "$lines" "$secs") w1_kib=$kib w1_lines=$lines
measure w2 "$bin/odf-export" -c "$conf" -m res.partner -q -w 2
w2_rate=$(rate "$lines" "$secs") w2_kib=$kib
measure small "$bin/odf-export" -c "$conf" -m res.partner -q --limit "$small"
small_kib=$kib

if [ "$w1_lines" -ne "$base_lines" ] || ! cmp -s "$work/w1.ndjson" "$work/w2.ndjson"; then
	echo "bench/export.sh: outputs differ ($w1_lines vs $base_lines lines, or -w 1 vs -w 2)" >&2
	exit 70
fi
row "records/s, -w 1 ($records records)" "$w1_rate" "rec/s" "$base_rate" "xmlrpc_export.py"
row "records/s, -w 2 ($records records)" "$w2_rate" "rec/s" "$base_rate" "xmlrpc_export.py"
row "peak memory, -w 1 ($records records)" "$w1_kib" "KiB" "$base_kib" "xmlrpc_export.py"
row "peak memory, -w 2 ($records records)" "$w2_kib" "KiB" "$base_kib" "xmlrpc_export.py"
row "peak memory, -w 1 ($small records)" "$small_kib" "KiB" "$w1_kib" "odf-export, $records records"
