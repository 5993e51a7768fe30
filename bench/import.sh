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

[ $# -eq 2 ] || { echo "usage: bench/import.sh BIN_DIR WORKDIR" >&2; exit 64; }
bin=$(cd "$1" && pwd)
mkdir -p "$2"
work=$(cd "$2" && pwd)
repo=$(cd "$(dirname "$0")/.." && pwd)
records=${BENCH_RECORDS:-2000}
input=$work/partners.ndjson
server=

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

stop_server() {
	if [ -n "$server" ]; then
		kill "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
		server=
	fi
}
trap stop_server EXIT

# A fresh server with an empty database: sets port and conf.
start_server() {
	stop_server
	rm -rf "$work/data" "$work/port"
	mkdir -p "$work/data"
	python3 "$repo/tests/odoo_server/server.py" --data-dir "$work/data" --db bench \
		--port-file "$work/port" >"$work/server.log" 2>&1 &
	server=$!
	for _ in $(seq 1 300); do
		[ -s "$work/port" ] && break
		kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 69; }
		sleep 0.05
	done
	[ -s "$work/port" ] || { echo "bench/import.sh: the server did not start" >&2; exit 69; }
	port=$(cat "$work/port")
	conf=$work/bench.conf
	printf '[Connection]\nhostname = 127.0.0.1\nport = %s\ndatabase = bench\nlogin = admin\npassword = admin\n' \
		"$port" >"$conf"
	chmod 600 "$conf"
}

now() { date +%s.%N; }
rate() { awk -v n="$records" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
row() { printf 'import\t%s\t%s\t%s\t%s\t%s\n' "$@"; }

# All records in, each once?
check_landed() {
	local n
	n=$(python3 "$repo/tests/odoo_server/call.py" --url "http://127.0.0.1:$port" --db bench \
		ir.model.data search_count '[[["model","=","res.partner"],["name","=like","bench_%"]]]')
	[ "$n" -eq "$records" ] ||
		{ echo "bench/import.sh: $1 left $n records of $records" >&2; exit 70; }
}

# timed NAME CMD...: seconds for CMD (after start_server), into secs.
timed() {
	local name=$1 t0
	shift
	t0=$(now)
	"$@" >"$work/$name.out" 2>"$work/$name.err" ||
		{ cat "$work/$name.err" >&2; exit 70; }
	secs=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }')
	check_landed "$name"
}

for b in 10 100 500; do
	start_server
	timed "xmlrpc-b$b" python3 "$repo/bench/xmlrpc_load.py" "http://127.0.0.1:$port" \
		bench admin admin res.partner "$b" "$input"
	base=$(rate "$secs")
	for w in 1 2; do
		start_server
		timed "odf-b$b-w$w" "$bin/odf-import" -q -c "$conf" -m res.partner -b "$b" -w "$w" "$input"
		row "records/s, -b $b -w $w ($records records)" "$(rate "$secs")" rec/s "$base" \
			"xmlrpc_load.py, batch $b"
	done
done
