#!/bin/sh
# The demo migration: two local Odoo test servers, "staging" seeded with
# partners and tags, "production" empty; the guide's migration between
# them, then a look at the result.
#
#   examples/demo.sh [BIN_DIR]     (make demo runs it with build/bin)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$top/build/bin}" && pwd)
partners=${DEMO_PARTNERS:-2000}
work=$(mktemp -d "${TMPDIR:-/tmp}/odf-demo.XXXXXX")
pids=

cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

# start NAME: a test server for database NAME, and conf/NAME.conf for it.
start() {
	python3 "$top/tests/odoo_server/server.py" --data-dir "$work/$1.data" --db "$1" \
	    --port 0 --port-file "$work/$1.port" --exit-with-parent >"$work/$1.log" 2>&1 &
	pids="$pids $!"
	i=0
	until [ -s "$work/$1.port" ]; do
		i=$((i + 1))
		if [ $i -gt 100 ]; then
			echo "demo: the test server '$1' did not start:" >&2
			cat "$work/$1.log" >&2
			exit 1
		fi
		sleep 0.1
	done
	mkdir -p "$work/conf"
	umask 077
	printf '[Connection]\nhostname = 127.0.0.1\nport = %s\ndatabase = %s\nlogin = admin\npassword = admin\nprotocol = jsonrpc\n' \
	    "$(cat "$work/$1.port")" "$1" >"$work/conf/$1.conf"
}

# Bold only on a terminal, and not when NO_COLOR asks for none.
bold= plain=
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
	bold=$(printf '\033[1m') plain=$(printf '\033[0m')
fi

say() {
	printf '\n%s$ %s%s\n' "$bold" "$*" "$plain"
}

count() {
	python3 "$top/tests/odoo_server/call.py" --url "http://127.0.0.1:$(cat "$work/$1.port")" \
	    --db "$1" "$2" search_count '[[]]' '{"context": {"active_test": false}}'
}

python3 "$top/tests/odoo_server/seed.py" --data-dir "$work/staging.data" --db staging \
    --partners "$partners" >/dev/null
start staging
start production
cp "$top/examples/partner_migrator.jq" "$work/"
cd "$work"
PATH="$bin:$PATH"

echo "Two Odoo test servers: staging with $(count staging res.partner) partners" \
    "and $(count staging res.partner.category) tags, production with" \
    "$(count production res.partner) partners."

say odf ping -c conf/production.conf
odf ping -c conf/production.conf

say cat partner_migrator.jq
cat partner_migrator.jq

say odf migrate --config-export conf/staging.conf --config-import conf/production.conf \
    --model res.partner.category --fields id,name,color,parent_id
odf migrate --config-export conf/staging.conf --config-import conf/production.conf \
    --model res.partner.category --fields id,name,color,parent_id

fields=id,name,is_company,email,phone,street,city,zip,country_id,parent_id,category_id,type
say odf migrate --config-export "conf/staging.conf" --config-import "conf/production.conf" \
    --model "res.partner" --fields "$fields" --transformer-file "partner_migrator.jq" \
    --import-worker 2
odf migrate --config-export "conf/staging.conf" --config-import "conf/production.conf" \
    --model "res.partner" --fields "$fields" --transformer-file "partner_migrator.jq" \
    --import-worker 2

domain="[('parent_id', '!=', False), ('email', '!=', False)]"
say odf export -c conf/production.conf -m res.partner --fields "$fields" \
    -d "\"$domain\"" --limit 3
odf export -c conf/production.conf -m res.partner --fields "$fields" -d "$domain" --limit 3

echo
echo "production now holds $(count production res.partner) partners" \
    "(staging: $(count staging res.partner)) and $(count production res.partner.category) tags."
echo "Run the same migrate command again: it updates by external id and creates nothing."
