#!/usr/bin/env bash
# Benchmark odf-transform against jq 1.6 on 200,000 partner-like records.
#
#   bench/transform.sh BIN_DIR WORKDIR [RECORDS]
#
# Prints tab-separated rows on stdout:
#   transform<TAB>WHAT<TAB>VALUE<TAB>UNIT<TAB>BASELINE_VALUE<TAB>BASELINE_NAME
# (records a second, and peak memory in KiB), after checking that every
# odf-transform output is byte for byte jq's.
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 BIN_DIR WORKDIR [RECORDS]" >&2; exit 64; }
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (Debian package time)" >&2; exit 69; }
bin=$1 work=$2 n=${3:-200000}
odf=$bin/odf-transform
mkdir -p "$work"
input=$work/partners.ndjson
label="$((n / 1000))k"

# Realistic records: relations as {"id": xmlid}, non-ASCII text, nulls.
python3 - "$n" >"$input" <<'PY'
import json, random, sys
n = int(sys.argv[1])
rnd = random.Random(42)
first = ["Anaïs", "Björn", "Chloé", "Dmitri", "Émile", "François", "Günther",
         "Håkon", "Iñaki", "José", "Łukasz", "Zoë", "Ana", "Ben", "Carla"]
last = ["Müller", "García", "Dupont", "Nowak", "Søren", "O'Brien", "Rossi",
        "Dvořák", "Kowalski", "Smith", "Yılmaz", "Петров", "田中"]
cities = ["Bruxelles", "Köln", "Zürich", "Kraków", "São Paulo", "Malmö", "Gent"]
countries = ["be", "de", "ch", "pl", "br", "se", "fr", "nl"]
out = sys.stdout
for i in range(1, n + 1):
    name = f"{rnd.choice(first)} {rnd.choice(last)}"
    is_company = i % 7 == 0
    rec = {
        "id": f"__export__.res_partner_{i}",
        "name": name,
        "email": f"user{i}@example.com" if i % 5 else None,
        "is_company": is_company,
        "parent_id": None if is_company or i % 3 else {"id": f"__export__.res_partner_{i - i % 7}"},
        "category_id": [{"id": f"__export__.res_partner_category_{c}"}
                        for c in range(i % 4)],
        "city": rnd.choice(cities),
        "country_id": {"id": f"base.{rnd.choice(countries)}"},
        "comment": f"Client depuis {2000 + i % 24} — « fidèle » ✓ n°{i}",
    }
    out.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
    out.write("\n")
PY

prog='.name = "[STAGING] " + .name'

# measure NAME CMD...: run with stdin from the input, stdout to WORKDIR/NAME.out;
# sets secs (wall clock) and kib (peak resident memory: the largest of the
# command and its workers, as wait4(2) reports it).
measure() {
	local name=$1
	shift
	/usr/bin/time -f '%e %M' -o "$work/$name.time" "$@" <"$input" >"$work/$name.out"
	read -r secs kib <"$work/$name.time"
}

same() {
	cmp -s "$work/$1.out" "$work/$2.out" ||
		{ echo "bench: $2 output differs from $1" >&2; exit 1; }
}

rate() { awk -v n="$n" -v s="$1" 'BEGIN { printf "%d", n / (s > 0 ? s : 0.01) }'; }

row() { printf 'transform\t%s\t%s\t%s\t%s\t%s\n' "$@"; }

measure jq-identity jq -c .
jq_rate=$(rate "$secs") jq_kib=$kib
measure odf-identity "$odf"
same jq-identity odf-identity
row "identity $label" "$(rate "$secs")" rec/s "$jq_rate" "jq -c"
row "identity $label peak memory" "$kib" KiB "$jq_kib" "jq -c"

measure jq-prefix jq -c "$prog"
jq_rate=$(rate "$secs") jq_kib=$kib
measure odf-prefix "$odf" "$prog"
same jq-prefix odf-prefix
row "prefix $label" "$(rate "$secs")" rec/s "$jq_rate" "jq -c"
row "prefix $label peak memory" "$kib" KiB "$jq_kib" "jq -c"

measure odf-prefix-j2 "$odf" -j 2 "$prog"
same jq-prefix odf-prefix-j2
row "prefix $label -j 2" "$(rate "$secs")" rec/s "$jq_rate" "jq -c"
row "prefix $label -j 2 peak memory" "$kib" KiB "$jq_kib" "jq -c"
