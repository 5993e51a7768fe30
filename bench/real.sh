#!/usr/bin/env bash
# make bench-real: odf against a real Odoo, each figure beside its baselines
# measured in the same run (bench/README.md, "Real Odoo").
#
#   BENCH_REAL_SRC=src.conf BENCH_REAL_DST=dst.conf \
#   BENCH_REAL_RESET="reset-command" bench/real.sh BIN_DIR
#
# BENCH_REAL_SRC    connection file of the source (partners to export)
# BENCH_REAL_DST    connection file of the destination (emptied before each import)
# BENCH_REAL_RESET  shell command that brings the destination back to its empty
#                   state; without it the import and migrate rows are skipped
# BENCH_REAL_REPEAT runs of each measurement, the median reported (default 3)
# BENCH_REAL_DIR    work directory, emptied first (default build/bench-real)
# BENCH_REAL_PARTS  what to run: "export set" (default), or one of them
set -uo pipefail

if [ -z "${BENCH_REAL_SRC:-}" ] || [ -z "${BENCH_REAL_DST:-}" ]; then
	cat <<-'TXT'
	bench-real: no real Odoo given; nothing measured.
	  Set BENCH_REAL_SRC and BENCH_REAL_DST to the connection files of a real source and
	  destination, and BENCH_REAL_RESET to a command that empties the destination. On a
	  Debian 12 machine, ../shared/realodoo/setup makes them (see its README.md), e.g.:
	    sudo ../shared/realodoo/setup 17 odoo17.git@62a16a12e3e0e898e712402d0bf2ec62f31a6964
	    make bench-real BENCH_REAL_SRC=/opt/odoo17-run/src.conf \
	        BENCH_REAL_DST=/opt/odoo17-run/dst.conf \
	        BENCH_REAL_RESET="../shared/realodoo/reset /opt/odoo17-run odf_dst"
	TXT
	exit 0
fi
[ $# -eq 1 ] || { echo "usage: bench/real.sh BIN_DIR" >&2; exit 64; }
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "$1" && pwd) || exit 66
src=$BENCH_REAL_SRC dst=$BENCH_REAL_DST reset=${BENCH_REAL_RESET:-}
repeat=${BENCH_REAL_REPEAT:-3}
parts=" ${BENCH_REAL_PARTS:-export set} "
work=${BENCH_REAL_DIR:-$repo/build/bench-real}
py=$repo/bench/real_baseline.py
rm -rf "$work" && mkdir -p "$work" || exit 73
rows=$work/rows.tsv
: >"$rows"
log=$work/run.log
MODEL=res.partner
F8=id,name,is_company,email,phone,parent_id,country_id,category_id
P8=id,name,is_company,email,phone,parent_id/id,country_id/id,category_id/id
SET_DOMAIN="['|', ('id', '<=', 600), ('parent_id', '<=', 600)]"
SET_JSON='["|", ["id", "<=", 600], ["parent_id", "<=", 600]]'
TAGS=id,name,parent_id

say() { printf '%s %s\n' "$(date +%T)" "$*" | tee -a "$log" >&2; }
die() { say "bench-real: $*"; exit 70; }
# timed NAME CMD...: run CMD, stdout to $work/NAME.out, stderr to $work/NAME.err;
# the wall time in $secs
timed() {
	local name=$1 t0 t1
	shift
	t0=$(date +%s.%N)
	"$@" >"$work/$name.out" 2>"$work/$name.err" || { cat "$work/$name.err" >&2; die "$name failed"; }
	t1=$(date +%s.%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	say "$name: $secs s"
}
# put AREA WHAT SECONDS: one raw measurement
put() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$rows"; }
empty_dst() {
	bash -c "$reset" >>"$log" 2>&1 || die "BENCH_REAL_RESET failed: $reset"
	# the tags the partners point at, untimed
	"$bin/odf" migrate --config-export "$src" --config-import "$dst" --model res.partner.category \
	    --fields "$TAGS" -q >>"$log" 2>&1 || die "the tags could not be copied"
	base=$(python3 "$py" count "$dst" "$MODEL")
}
check_landed() {   # NAME N: N more partners in the destination than $base
	local now
	now=$(python3 "$py" count "$dst" "$MODEL")
	[ $((now - base)) -eq "$2" ] || die "$1: $((now - base)) partners landed, not $2"
}

started=$(date -u '+%Y-%m-%d %H:%M UTC')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
(while :; do cut -d' ' -f1 /proc/loadavg; sleep 10; done) >"$work/loadavg" &
sampler=$!
trap 'kill $sampler 2>/dev/null' EXIT
version=$("$bin/odf" ping -c "$src" 2>/dev/null | awk '$1 == "version" { print $2 }')
say "bench-real: Odoo ${version:-?}, $repeat runs each, work dir $work"

# --- export: all partners, 8 fields ---
say "warm-up export (writes the missing __export__ ids)"
"$bin/odf-export" -c "$src" -m "$MODEL" --fields "$F8" -b 500 -q >"$work/warm.ndjson" || die "warm-up export failed"
total=$(wc -l <"$work/warm.ndjson")
for b in 100 500 2000; do
	[[ $parts == *" export "* ]] || break
	for ((i = 1; i <= repeat; i++)); do
		timed "export-script-b$b-$i" python3 "$py" export "$src" "$MODEL" "$P8" '[]' "$b"
		put export "script b$b" "$secs"
		for w in 1 2; do
			timed "export-odf-b$b-w$w-$i" "$bin/odf-export" -c "$src" -m "$MODEL" --fields "$F8" -b "$b" -w "$w" -q
			put export "odf b$b w$w" "$secs"
			[ "$(wc -l <"$work/export-odf-b$b-w$w-$i.out")" -eq "$total" ] || die "odf-export -b $b -w $w: not $total records"
		done
		[ "$(wc -l <"$work/export-script-b$b-$i.out")" -eq "$total" ] || die "export script: not $total rows"
	done
done

# --- the 2,556 companies and contacts: import and migrate ---
if [ -n "$reset" ] && [[ $parts == *" set "* ]]; then
	"$bin/odf-export" -c "$src" -m "$MODEL" --fields "$F8" -d "$SET_DOMAIN" -b 500 --archived -q \
	    >"$work/set.ndjson" || die "export of the set failed"
	n=$(wc -l <"$work/set.ndjson")
	python3 "$py" rows "$src" "$MODEL" "$P8" "$SET_JSON" "$work/set-rows.json" 2>>"$log" || die "rows failed"
	say "the set: $n records"
	for ((i = 1; i <= repeat; i++)); do
		empty_dst
		timed "import-odf-$i" "$bin/odf-import" -c "$dst" -m "$MODEL" -w 2 -b 50 \
		    --fail-file "$work/import-fail-$i.ndjson" "$work/set.ndjson"
		# records the empty destination already holds (its own partners, by
		# external id) are updated: the rest is what every run must add
		new=$(sed -n 's/.*created \([0-9]*\), updated \([0-9]*\), failed 0;.*/\1/p' \
		    "$work/import-odf-$i.err" | tail -n 1)
		[ -n "$new" ] || die "odf-import: some records failed (see $work/import-fail-$i.ndjson)"
		check_landed "odf-import" "$new"
		put import "odf-import -w 2 -b 50" "$secs"
		empty_dst
		timed "limit-$i" python3 "$py" limit "$dst" "$MODEL" "$work/set-rows.json" 50 2
		check_landed "limit" "$new"
		put import "limit w2 b50" "$secs"
		empty_dst
		timed "migrate-odf-$i" "$bin/odf" migrate --config-export "$src" --config-import "$dst" \
		    --model "$MODEL" --fields "$F8" --domain "$SET_DOMAIN" --import-worker 2 \
		    --import-batch-size 50 --export-batch-size 500 --fail-file "$work/migrate-fail-$i.ndjson" -q
		check_landed "odf migrate" "$new"
		put migrate "odf migrate" "$secs"
		empty_dst
		timed "migrate-script-$i" python3 "$py" script "$src" "$dst" "$MODEL" "$P8" "$SET_JSON" 500 50
		check_landed "script" "$new"
		put migrate "script" "$secs"
	done
	"$bin/odf" ping -c "$dst" >/dev/null && bash -c "$reset" >>"$log" 2>&1
else
	say "BENCH_REAL_RESET not set: import and migrate skipped"
fi
kill $sampler 2>/dev/null

# --- the report ---
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
{
	echo "bench-real, $started, Odoo ${version:-?} ($src → $dst)"
	echo
	echo "- machine: $(uname -srm), ${cpu:-unknown cpu}, $(nproc) cores, $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "- load average: $load_before before; during (every 10 s): $(awk '{ s += $1; if ($1 > m) m = $1 } END { printf "%.2f mean, %.2f max", s / NR, m }' "$work/loadavg")"
	echo "- median of $repeat runs (min-max); export: $total partners, 8 fields; set: ${n:-0} records"
	echo
	awk -F'\t' -v total="$total" -v n="${n:-0}" '
	function median(k,    i, j, t, c) {
		c = cnt[k]
		for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++)
			if (v[k, j] < v[k, i]) { t = v[k, i]; v[k, i] = v[k, j]; v[k, j] = t }
		return c % 2 ? v[k, (c + 1) / 2] : (v[k, c / 2] + v[k, c / 2 + 1]) / 2
	}
	{ k = $1 "|" $2; if (!(k in cnt)) order[++nk] = k; v[k, ++cnt[k]] = $3 + 0 }
	END {
		for (i = 1; i <= nk; i++) { k = order[i]; med[k] = median(k); lo[k] = v[k, 1]; hi[k] = v[k, cnt[k]] }
		print "| area | what | seconds | rec/s | baseline | baseline s | ratio |"
		print "| --- | --- | ---: | ---: | --- | ---: | ---: |"
		for (i = 1; i <= nk; i++) {
			k = order[i]; split(k, p, "|")
			recs = p[1] == "export" ? total : n
			base = ""; bname = ""
			if (p[2] ~ /^odf b/) { split(p[2], q, " "); bname = "script " q[2]; base = "export|" bname }
			if (p[1] == "import" && p[2] ~ /^odf/) { bname = "limit w2 b50"; base = "import|" bname }
			if (p[1] == "migrate" && p[2] == "odf migrate") { bname = "limit w2 b50"; base = "import|" bname }
			ratio = (base in med && med[k] > 0) ? sprintf("%.2f", med[base] / med[k]) : ""
			printf "| %s | %s | %.2f (%.2f-%.2f) | %.0f | %s | %s | %s |\n", p[1], p[2], med[k], lo[k], hi[k],
			    (med[k] > 0 ? recs / med[k] : 0), bname, ((base in med) ? sprintf("%.2f", med[base]) : ""), ratio
		}
		if (("migrate|odf migrate" in med) && ("migrate|script" in med))
			printf "\nodf migrate against the plain script (export_data into load, 1 worker): %.2fx as fast\n",
			    med["migrate|script"] / med["migrate|odf migrate"]
	}' "$rows"
	echo
	echo "ratio = baseline seconds / odf seconds: above 1, odf is faster."
} | tee "$work/report.md"
