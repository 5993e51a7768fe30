#!/usr/bin/env bash
# Benchmark odf verify against odf-export of the same records.
#
#   bench/verify.sh BIN_DIR WORKDIR
#
# Seeds BENCH_RECORDS partners (default 100000) into a fresh test server and
# compares the database with itself: odf verify reads both sides at once and
# sorts each by external id on disk. Measured beside it: odf-export of the
# same records and fields, and that export run twice one after the other
# (the goal: verify no slower than exporting both sides in turn). Peak memory
# at BENCH_RECORDS and at a tenth of it, with the default --memory (8 MiB a
# side: flat once both sides reach it) and with --memory 1. Prints rows
#   verify<TAB>WHAT<TAB>VALUE<TAB>UNIT<TAB>BASELINE_VALUE<TAB>BASELINE_NAME
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init verify "$@"

records=${BENCH_RECORDS:-100000}
small=$((records / 10))
label=$(count_label "$records") small_label=$(count_label "$small")
fields=id,name,email,phone,street,street2,zip,city,country_id/id,parent_id/id,is_company,type,lang,active,comment,ref

# 12345 -> 12,345, as odf prints counts.
commas() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }

server_start bench --seed-partners "$records"
conf=$work/bench.conf

# The first export creates the __export__ ids (writes); measure reads only.
"$bin/odf-export" -c "$conf" -m res.partner -f id -w 2 --archived -q >/dev/null
# The tenth: the first ids (partners are seeded in id order).
last=$("$bin/odf-export" -c "$conf" -m res.partner -f .id --archived -q |
	jq -s --argjson n "$small" 'map(.[".id"]) | sort | .[$n - 1]')
tenth="[('id', '<=', $last)]"

measure export "$bin/odf-export" -c "$conf" -m res.partner -f "$fields" --archived -q
export_lines=$(wc -l <"$work/export.out") export_secs=$secs export_kib=$kib
measure export2 sh -c '"$1" -c "$2" -m res.partner -f "$3" --archived -q >/dev/null &&
	"$1" -c "$2" -m res.partner -f "$3" --archived -q' _ "$bin/odf-export" "$conf" "$fields"
twice_secs=$secs
measure verify "$bin/odf-verify" --config-export "$conf" --config-import "$conf" \
	--model res.partner --fields "$fields"
verify_secs=$secs verify_kib=$kib
grep -q " $(commas "$export_lines") equal, 0 missing, 0 extra, 0 differ" \
	"$work/verify.err" || { cat "$work/verify.err" >&2; die "verify did not find every record equal"; }
[ ! -s "$work/verify.out" ] || die "verify printed differences"
measure verify_w2 "$bin/odf-verify" --config-export "$conf" --config-import "$conf" \
	--model res.partner --fields "$fields" -w 2
verify_w2_secs=$secs
measure small "$bin/odf-verify" --config-export "$conf" --config-import "$conf" \
	--model res.partner --fields "$fields" --domain "$tenth"
small_kib=$kib
measure small_m1 "$bin/odf-verify" --config-export "$conf" --config-import "$conf" \
	--model res.partner --fields "$fields" --domain "$tenth" --memory 1
small_m1_kib=$kib
measure m1 "$bin/odf-verify" --config-export "$conf" --config-import "$conf" \
	--model res.partner --fields "$fields" --memory 1
m1_kib=$kib
measure small_export "$bin/odf-export" -c "$conf" -m res.partner -f "$fields" --archived -q \
	--domain "$tenth"
small_export_kib=$kib
grep -q "^odf verify: res.partner: $(commas "$(wc -l <"$work/small_export.out")") source" \
	"$work/small.err" || { cat "$work/small.err" >&2; die "the tenth is not the same on both"; }

row "wall, both sides of $label, -w 1" "$verify_secs" "s" "$twice_secs" "odf-export twice in turn"
row "wall, both sides of $label, -w 2" "$verify_w2_secs" "s" "$twice_secs" "odf-export twice in turn"
row "wall, both sides of $label, -w 1" "$verify_secs" "s" "$export_secs" "odf-export once"
row "peak memory, $label" "$verify_kib" "KiB" "$export_kib" "odf-export, $label"
row "peak memory, $label" "$verify_kib" "KiB" "$small_kib" "same, $small_label"
row "peak memory, $small_label" "$small_kib" "KiB" "$small_export_kib" "odf-export, $small_label"
row "peak memory, --memory 1, $label" "$m1_kib" "KiB" "$small_m1_kib" "same, $small_label"

servers_stop
rm -rf "$work"/*.out "$work/bench.data"
