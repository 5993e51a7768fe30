#!/usr/bin/env bash
# Benchmark odf plan: its memory must not grow with the records it reads.
#
#   bench/plan.sh BIN_DIR WORKDIR
#
# Seeds BENCH_RECORDS partners (default 100000) into a test server, and a
# tenth of them into another, and plans the migration of every partner with
# every importable field into an empty server, with --with-dependencies
# (the tags the partners use come in as dependencies). Measures wall time
# and peak RSS (/usr/bin/time) at both sizes; odf-export of the same
# records and fields is the yardstick for the time (odf plan reads the
# relational fields of each record once, as search_read pages of 1000).
# Prints rows
#   plan<TAB>WHAT<TAB>VALUE<TAB>UNIT<TAB>BASELINE_VALUE<TAB>BASELINE_NAME
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init plan "$@"

records=${BENCH_RECORDS:-100000}
small=$((records / 10))
label=$(count_label "$records") small_label=$(count_label "$small")
all='["|", ["active", "=", true], ["active", "=", false]]'

server_start big --seed-partners "$records"
server_start small --seed-partners "$small"
server_start dst
total=$(server_count big res.partner "$all")

plan() {   # plan SRC NAME
	measure "$2" "$bin/odf-plan" --config-export "$work/$1.conf" --config-import "$work/dst.conf" \
		--model res.partner --with-dependencies --json
	grep -q '"type":"summary".*"clean":true' "$work/$2.out" || die "$2: the plan is not clean"
}

plan small plan-small
small_secs=$secs small_kib=$kib
plan big plan-big
big_secs=$secs big_kib=$kib
# The same records and relations through odf-export, for the time.
measure export "$bin/odf-export" -c "$work/big.conf" -m res.partner \
	-f id,parent_id,category_id,country_id,state_id,title,user_id --archived -q
export_secs=$secs

row "records/s, $label" "$(rate "$total" "$big_secs")" "rec/s" "$(rate "$total" "$export_secs")" \
	"odf-export of its relations"
row "peak memory, $label" "$big_kib" "KiB" "$small_kib" "same, $small_label records"
row "wall, $small_label" "$small_secs" "s" "" ""
