#!/usr/bin/env bash
# Benchmark odf-import against a plain xmlrpc.client load loop on the test server.
#
#   bench/import.sh BIN_DIR WORKDIR
#
# Generates BENCH_RECORDS partners (default 2000: a fifth companies, then
# contacts whose parent_id points at a company loaded before), and loads them
# into a fresh test server for each run: odf-import with -b 10, 100 and 500,
# each with -w 1 and -w 2, and bench/xmlrpc_load.py with the same batch sizes.
# Every run must land every record. Prints rows
#   import<TAB>WHAT<TAB>VALUE<TAB>UNIT<TAB>BASELINE_VALUE<TAB>BASELINE_NAME
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init import "$@"

records=${BENCH_RECORDS:-2000}
label=$(count_label "$records")
input=$work/partners.ndjson

python3 - "$records" >"$input" <<'PY'
import json, random, sys
n = int(sys.argv[1])
rnd = random.Random(7)
companies = max(1, n // 5)
first = ["Anaïs", "Björn", "Chloé", "Dmitri", "Émile", "Günther", "Iñaki", "Łukasz", "Zoë"]
last = ["Müller", "García", "Dupont", "Nowak", "O'Brien", "Rossi", "Dvořák", "Yılmaz"]
cities = ["Bruxelles", "Köln", "Zürich", "Kraków", "Malmö", "Gent"]
countries = ["be", "de", "ch", "pl", "se", "fr", "nl"]
for i in range(n):
    company = i < companies
    rec = {
        "id": "bench_%06d" % i,
        "name": ("%s %s SA" if company else "%s %s") % (rnd.choice(first), rnd.choice(last)),
        "is_company": company,
        "parent_id": None if company else {"id": "bench_%06d" % rnd.randrange(companies)},
        "email": "user%d@example.com" % i,
        "phone": "+32 2 555 %02d %02d" % (i // 100 % 100, i % 100),
        "street": "%d rue de l'Église" % (i % 200 + 1),
        "city": rnd.choice(cities),
        "zip": "%04d" % (1000 + i % 9000),
        "country_id": {"id": "base." + rnd.choice(countries)},
        "comment": "Client depuis %d — « fidèle »" % (2000 + i % 24),
    }
    print(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
PY

# run NAME CMD...: load into the fresh server, check every record landed;
# sets secs and kib.
run() {
	local name=$1 n
	shift
	measure "$name" "$@"
	n=$(server_count bench ir.model.data '[["model","=","res.partner"],["name","=like","bench_%"]]')
	[ "$n" -eq "$records" ] || die "$name left $n records of $records"
	server_stop bench
}

for b in 10 100 500; do
	server_start bench
	run "xmlrpc-b$b" python3 "$repo/bench/xmlrpc_load.py" "http://127.0.0.1:$(server_port bench)" \
		bench admin admin res.partner "$b" "$input"
	base=$(rate "$records" "$secs") base_kib=$kib
	for w in 1 2; do
		server_start bench
		run "odf-b$b-w$w" "$bin/odf-import" -q -c "$work/bench.conf" -m res.partner -b "$b" -w "$w" "$input"
		row "records/s, -b $b -w $w, $label" "$(rate "$records" "$secs")" rec/s "$base" \
			"xmlrpc_load.py, batch $b"
	done
	row "peak memory, -b $b -w 2, $label" "$kib" KiB "$base_kib" "xmlrpc_load.py, batch $b"
done
