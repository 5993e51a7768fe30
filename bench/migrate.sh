#!/usr/bin/env bash
# Benchmark odf migrate against odf-export then odf-import, one after the other.
#
#   bench/migrate.sh BIN_DIR WORKDIR
#
# For BENCH_RECORDS seeded partners (default 100000) and a tenth of them:
# migrates res.partner from a seeded test server into an empty one with odf
# migrate, then does the same in two steps (odf-export to a file, odf-import
# of the file into another empty server), and compares the wall times: the
# pipeline should take about the longer of the two steps, not their sum.
# Every stage runs under /usr/bin/time (through a directory of stand-ins odf
# migrate finds beside itself), which gives its peak memory; odf migrate's
# own is sampled from /proc. Prints rows
#   migrate<TAB>WHAT<TAB>VALUE<TAB>UNIT<TAB>BASELINE_VALUE<TAB>BASELINE_NAME
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init migrate "$@"

records=${BENCH_RECORDS:-100000}
small=$((records / 10))
# What the emulator can load into an empty database: no tags (they would
# need migrating first), archived records too (they are parents). The
# pipeline is measured without the plan's checks (--no-check): bench/plan.sh
# measures those.
fields=id,name,email,phone,street,street2,zip,city,country_id/id,parent_id/id,is_company,type,lang,active,comment,ref
domain="['|', ('active', '=', True), ('active', '=', False)]"
export_workers=1 export_batch=100 import_workers=1 import_batch=100
all='["|", ["active", "=", true], ["active", "=", false]]'
stages=(odf-export odf-transform odf-import)

# odf migrate runs the stages it finds beside itself: a copy of it beside
# stand-ins that run the real programs under /usr/bin/time.
wrap=$work/wrap
rm -rf "$wrap"
mkdir -p "$wrap"
cp "$bin/odf-migrate" "$wrap/"
for s in "${stages[@]}"; do
	# shellcheck disable=SC2016 # $BENCH_MEM and $@ are the stand-in's
	printf '#!/bin/sh\nexec %s -f %%M -o "$BENCH_MEM.%s" %s "$@"\n' "$TIME" "$s" "$bin/$s" >"$wrap/$s"
	chmod +x "$wrap/$s"
done

# hwm PID FILE: the peak resident memory (VmHWM, KiB) of PID until it exits.
hwm() {
	local kib=0 v
	while v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null) && [ -n "$v" ]; do
		kib=$v
		sleep 0.2
	done
	echo "$kib" >"$2"
}

# landed N: the destination holds the N migrated partners.
landed() {
	local n
	n=$(server_count dst res.partner "$all")
	[ "$n" -eq "$1" ] || die "$2: the destination holds $n partners, expected $1"
}

# run_size N: sets wall_{migrate,export,import} and mem_{STAGE}_{migrate,alone}.
run_size() {
	local n=$1 label total job sampler
	label=$(count_label "$n")
	server_start src --seed-partners "$n"
	# The first export writes the __export__ ids; measure reads only.
	"$bin/odf-export" -c "$work/src.conf" -m res.partner -f id -d "$domain" -q >/dev/null
	total=$(server_count src res.partner "$all")

	server_start dst
	rm -f "$work/mem-$label".*
	# The sh -c writes the pid of what it becomes: odf migrate.
	# shellcheck disable=SC2016
	BENCH_MEM=$work/mem-$label measure "migrate-$label" \
		sh -c 'echo $$ >"$0"; exec "$@"' "$work/migrate.pid" "$wrap/odf-migrate" \
		--config-export "$work/src.conf" --config-import "$work/dst.conf" --model res.partner \
		--fields "$fields" --domain "$domain" --fail-file "$work/migrate-$label.fail" -q --no-check \
		--export-worker "$export_workers" --export-batch-size "$export_batch" \
		--import-worker "$import_workers" --import-batch-size "$import_batch" &
	job=$!
	until [ -s "$work/migrate.pid" ] || ! kill -0 "$job" 2>/dev/null; do sleep 0.01; done
	hwm "$(cat "$work/migrate.pid" 2>/dev/null || echo 0)" "$work/mem-$label.odf-migrate" &
	sampler=$!
	wait "$job" || exit 70
	wait "$sampler"
	rm -f "$work/migrate.pid"
	# measure ran in a subshell: read its figures again.
	read -r wall_migrate _ < <(tail -n 1 "$work/migrate-$label.time")
	landed "$total" "odf migrate"

	server_start dst
	measure "export-$label" "$bin/odf-export" -c "$work/src.conf" -m res.partner \
		--fields "$fields" --domain "$domain" -q -w "$export_workers" -b "$export_batch"
	wall_export=$secs mem_export_alone=$kib
	[ "$(wc -l <"$work/export-$label.out")" -eq "$total" ] || die "export-$label: not $total records"
	measure "import-$label" "$bin/odf-import" -c "$work/dst.conf" -m res.partner -q \
		--fail-file "$work/import-$label.fail" -w "$import_workers" -b "$import_batch" \
		"$work/export-$label.out"
	wall_import=$secs mem_import_alone=$kib
	landed "$total" "odf-import"
	server_stop src
	server_stop dst
	rm -rf "$work/src.data" "$work/dst.data" "$work/export-$label.out"
}

mem() { cat "$work/mem-$1.$2" 2>/dev/null || echo 0; }

for n in "$small" "$records"; do
	label=$(count_label "$n")
	run_size "$n"
	sum=$(awk -v a="$wall_export" -v b="$wall_import" 'BEGIN { print a + b }')
	max=$(awk -v a="$wall_export" -v b="$wall_import" 'BEGIN { print (a > b ? a : b) }')
	row "wall $label" "$wall_migrate" s "$sum" "export+import sequential"
	row "wall $label" "$wall_migrate" s "$max" "max(export, import)"
	row "odf-export peak memory in migrate, $label" "$(mem "$label" odf-export)" KiB \
		"$mem_export_alone" "odf-export alone"
	row "odf-import peak memory in migrate, $label" "$(mem "$label" odf-import)" KiB \
		"$mem_import_alone" "odf-import alone"
done
small_label=$(count_label "$small") label=$(count_label "$records")
for s in "${stages[@]}" odf-migrate; do
	[ -s "$work/mem-$label.$s" ] || continue
	row "$s peak memory, $label" "$(mem "$label" "$s")" KiB "$(mem "$small_label" "$s")" \
		"same, $small_label records"
done
