#!/usr/bin/env bash
# Benchmark odf-transform against jq 1.6 on partner-like records.
#
#   bench/transform.sh BIN_DIR WORKDIR [RECORDS]
#
# RECORDS defaults to BENCH_RECORDS, else 200000. Prints tab-separated rows:
#   transform<TAB>WHAT<TAB>VALUE<TAB>UNIT<TAB>BASELINE_VALUE<TAB>BASELINE_NAME
# (records a second, and peak memory in KiB, also on a tenth of the records),
# after checking that every odf-transform output is byte for byte jq's.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init transform "$@"

n=${3:-${BENCH_RECORDS:-200000}}
small=$((n / 10))
odf=$bin/odf-transform
input=$work/partners.ndjson
label=$(count_label "$n")

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

same() {
	cmp -s "$work/$1.out" "$work/$2.out" || die "$2 output differs from $1"
}

measure jq-identity jq -c . <"$input"
jq_rate=$(rate "$n" "$secs") jq_kib=$kib
measure odf-identity "$odf" <"$input"
same jq-identity odf-identity
row "identity $label" "$(rate "$n" "$secs")" rec/s "$jq_rate" "jq -c"
row "identity $label peak memory" "$kib" KiB "$jq_kib" "jq -c"

measure jq-prefix jq -c "$prog" <"$input"
jq_rate=$(rate "$n" "$secs") jq_kib=$kib
measure odf-prefix "$odf" "$prog" <"$input"
same jq-prefix odf-prefix
row "prefix $label" "$(rate "$n" "$secs")" rec/s "$jq_rate" "jq -c"
row "prefix $label peak memory" "$kib" KiB "$jq_kib" "jq -c"
big_kib=$kib

measure odf-prefix-j2 "$odf" -j 2 "$prog" <"$input"
same jq-prefix odf-prefix-j2
row "prefix $label -j 2" "$(rate "$n" "$secs")" rec/s "$jq_rate" "jq -c"
row "prefix $label -j 2 peak memory" "$kib" KiB "$jq_kib" "jq -c"

# Memory must not grow with the input: the same program on a tenth of it.
head -n "$small" "$input" >"$work/small.ndjson"
measure odf-prefix-small "$odf" "$prog" <"$work/small.ndjson"
row "prefix $label peak memory" "$big_kib" KiB "$kib" "same, $(count_label "$small") records"

# Checked: the outputs are not worth keeping.
rm -f "$work"/*.out "$work"/*.ndjson
