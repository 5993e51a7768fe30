# shellcheck shell=bash
# Helpers for the whole-migration bats files (migrate-crash, migrate-faults):
# two test servers, the migration of partners with their tags, and a check
# that the destination holds what the source holds.
#
#   mig_conf NAME [KEY=VALUE...]   a conf for server NAME with fast, many retries; its path
#   migrate_tags [DST]             migrate res.partner.category from src to DST (dst)
#   migrate_partners [ARGS...]     odf migrate of res.partner with $PARTNER_FIELDS
#                                  (archived ones too), from $SRC_CONF to $DST_CONF
#                                  (default: src to dst); sets $status, $output and
#                                  mig_read, mig_created, mig_updated, mig_failed
#   compare_dbs SRC DST MODEL FIELDS [--read N] [--fail FILE]
#                                  the records of MODEL in DST equal those in SRC for
#                                  FIELDS, matched by external id: each source record
#                                  once, no record more (see below)
#   counts_add_up [FAIL_FILE]      read = created + updated + failed, and the fail file
#                                  holds the failed ones
#   set_faults NAME JSON           fault injection on NAME (as odoo_faults, faster)
#   clear_faults NAME              no more fault injection on NAME
#   reset_stats NAME               the counters of NAME (calls, faults) back to zero
#   fault_count NAME KIND          how many faults of KIND NAME injected since
#   call_count NAME METHOD         how many METHOD calls NAME received since

load lib/common
load lib/odoo

PARTNER_FIELDS=id,name,is_company,parent_id,type,category_id,email,phone,street,street2,zip,city,country_id,lang,active,comment
TAG_FIELDS=id,name,parent_id,color,active
# Odoo leaves archived records out unless the domain names 'active'.
ALL_DOMAIN="['|', ('active', '=', True), ('active', '=', False)]"

mig_conf() {
	local name=$1 port var
	shift
	var="ODOO_$(_odoo_var "$name")_PORT"
	port=${!var}
	local f="$BATS_TEST_TMPDIR/$name-$RANDOM$RANDOM.conf"
	write_conf "$f" hostname=127.0.0.1 "port=$port" "database=$name" login=admin \
	    password=admin retry_delay=0.01 retries=8 "$@"
	echo "$f"
}

migrate_tags() {
	odf migrate --config-export "$(mig_conf src)" --config-import "$(mig_conf "${1:-dst}")" \
	    --model res.partner.category --fields "$TAG_FIELDS" --domain "$ALL_DOMAIN" -q
}

# The summary line of odf-import in $output, as mig_* numbers (empty when
# there is none).
parse_summary() {
	local line
	line=$(sed -n 's/.*odf import: [a-z.]*: read \([0-9]*\), created \([0-9]*\), updated \([0-9]*\), failed \([0-9]*\);.*/\1 \2 \3 \4/p' <<<"$output" | tail -n 1)
	read -r mig_read mig_created mig_updated mig_failed <<<"$line"
}

# migrate_partners [ARGS...]: with SRC_CONF / DST_CONF when set, else fresh ones.
migrate_partners() {
	local src=${SRC_CONF:-$(mig_conf src)} dst=${DST_CONF:-$(mig_conf dst)}
	run odf migrate --config-export "$src" --config-import "$dst" --model res.partner \
	    --fields "$PARTNER_FIELDS" --domain "$ALL_DOMAIN" "$@"
	parse_summary
	echo "odf migrate: status $status"
	echo "$output"
}

counts_add_up() {
	local fail=${1:-res.partner_fail.ndjson} lines=0
	[ -n "$mig_read" ] || { echo "no importer summary"; return 1; }
	[ -f "$fail" ] && lines=$(wc -l <"$fail")
	echo "read $mig_read = created $mig_created + updated $mig_updated + failed $mig_failed; $lines in $fail"
	[ $((mig_created + mig_updated + mig_failed)) -eq "$mig_read" ]
	[ "$lines" -eq "$mig_failed" ]
}

# test_http NAME METHOD PATH [BODY]: a request to the server's test
# endpoints, its answer's body on stdout; fails unless the status is 200.
# Plain bash: a python start costs a quarter of a second on a busy machine.
test_http() {
	local var port body=${4:-} fd answer
	var="ODOO_$(_odoo_var "$1")_PORT"
	port=${!var:?no server $1}
	exec {fd}<>"/dev/tcp/127.0.0.1/$port" || return 1
	LC_ALL=C printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
	    "$2" "$3" "$(LC_ALL=C; echo ${#body})" "$body" >&"$fd"
	answer=$(cat <&"$fd")
	exec {fd}>&-
	printf '%s\n' "${answer#*$'\r\n\r\n'}"
	[[ $answer == "HTTP/1."?" 200 "* ]]
}

set_faults() {
	test_http "$1" POST /odf-test/faults "$2" >/dev/null
}

clear_faults() {
	set_faults "$1" '{"error_rate": 0, "drop_rate": 0, "serialization_rate": 0,
	    "drop_after_commit_rate": 0, "hang_rate": 0, "hang_ms": 0, "latency_ms": 0,
	    "error_status": 503, "methods": null}'
}

reset_stats() {
	test_http "$1" POST /odf-test/stats/reset >/dev/null
}

# stat_count NAME GROUP KEY: a counter of /odf-test/stats ({"GROUP": {"KEY": N}}).
stat_count() {
	local stats
	stats=$(test_http "$1" GET /odf-test/stats) || return 1
	stats=${stats#*\""$2"\": \{}
	if [[ ${stats%%\}*} =~ \"$3\":\ ([0-9]+) ]]; then
		echo "${BASH_REMATCH[1]}"
	else
		echo 0
	fi
}

fault_count() {
	stat_count "$1" faults "$2"
}

call_count() {
	stat_count "$1" calls "$2"
}

# compare_dbs SRC DST MODEL FIELDS [--read N] [--fail FILE]
#
# Reads MODEL in both databases (archived records too, ordered by id) and
# matches the records by external id. Relational values are compared through
# the external ids of their targets. Fails, listing the first differences,
# unless:
#   - each source record is in DST exactly once, with equal FIELDS;
#   - no DST record is left over (a duplicate, or one without an external id);
# with --read N, only the first N source records (the export's id order) are
# expected, the others may be missing; with --fail FILE, the records whose
# "id" is in FILE may be missing or differ (they were reported as failed),
# but those marked "landed" must be there.
# Prints "equal N, failed F, not read U".
compare_dbs() {
	local src=$1 dst=$2
	shift 2
	local surl durl
	surl=$(_odoo_url "$src") && durl=$(_odoo_url "$dst") || return 1
	python3 - "$surl" "$src" "$durl" "$dst" "$@" <<'PY'
import json, sys, urllib.request

surl, sdb, durl, ddb, model, fields = sys.argv[1:7]
rest = sys.argv[7:]
read_n, fail_file = None, None
while rest:
    if rest[0] == "--read":
        read_n = int(rest[1])
    elif rest[0] == "--fail":
        fail_file = rest[1]
    else:
        sys.exit("compare_dbs: unknown option " + rest[0])
    rest = rest[2:]
fields = [f for f in fields.split(",") if f not in ("id", ".id")]
ctx = {"context": {"active_test": False}}


def call(url, db, m, method, args, kwargs=None):
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
        "service": "object", "method": "execute_kw",
        "args": [db, 2, "admin", m, method, args, kwargs or {}]}}).encode()
    req = urllib.request.Request(url + "/jsonrpc", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        reply = json.loads(r.read())
    if "error" in reply:
        sys.exit("compare_dbs: %s %s: %s" % (m, method, json.dumps(reply["error"])[:500]))
    return reply["result"]


def xmlids(url, db, m):
    """res_id -> set of 'module.name'."""
    out = {}
    for r in call(url, db, "ir.model.data", "search_read", [[["model", "=", m]]],
                  {"fields": ["module", "name", "res_id"]}):
        out.setdefault(r["res_id"], set()).add(r["module"] + "." + r["name"])
    return out


def records(url, db):
    return call(url, db, model, "search_read", [[]],
                {"fields": fields, "order": "id", **ctx})


meta = call(surl, sdb, model, "fields_get", [fields], {"attributes": ["type", "relation"]})
missing_fields = [f for f in fields if f not in meta]
if missing_fields:
    sys.exit("compare_dbs: %s has no field %s" % (model, ", ".join(missing_fields)))

# For each relation: source id -> destination id, through external ids.
rel_models = {model} | {meta[f]["relation"] for f in fields if meta[f].get("relation")}
idmap, dst_xml = {}, {}
for m in rel_models:
    sx, dx = xmlids(surl, sdb, m), xmlids(durl, ddb, m)
    by_name = {x: rid for rid, names in dx.items() for x in names}
    idmap[m] = {}
    for rid, names in sx.items():
        hits = {by_name[x] for x in names if x in by_name}
        if len(hits) == 1:
            idmap[m][rid] = hits.pop()
        elif hits:
            idmap[m][rid] = ("ambiguous", tuple(sorted(hits)))
    dst_xml[m] = dx

failed, landed = set(), set()
if fail_file:
    try:
        with open(fail_file) as fh:
            for line in fh:
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                if isinstance(rec, dict) and isinstance(rec.get("id"), str):
                    failed.add(rec["id"])
                    if (rec.get("_odf_error") or {}).get("landed"):
                        landed.add(rec["id"])
    except FileNotFoundError:
        pass

src_recs = records(surl, sdb)
dst_recs = {r["id"]: r for r in records(durl, ddb)}
sx_main = xmlids(surl, sdb, model)


def norm(m, value, kind, mapped):
    """A value as the destination should hold it."""
    if kind == "many2one":
        if not value:
            return False
        rid = value[0]
        return idmap[m].get(rid, ("unmapped", rid)) if mapped else rid
    if kind in ("many2many", "one2many"):
        return sorted(map(str, (idmap[m].get(i, ("unmapped", i)) for i in value))) if mapped \
            else sorted(map(str, value))
    return value


problems, equal, excused, not_read, seen = [], 0, 0, 0, {}
for n, s in enumerate(src_recs):
    names = sx_main.get(s["id"], set())
    is_failed = bool(names & failed)
    if read_n is not None and n >= read_n:
        not_read += 1
        continue
    did = idmap[model].get(s["id"])
    if did is None or isinstance(did, tuple) or did not in dst_recs:
        if is_failed and not names & landed:
            excused += 1
            continue
        problems.append("missing: source id %d %s %r (%s)" % (
            s["id"], sorted(names), s.get("name"), "ambiguous" if isinstance(did, tuple) else "not in destination"))
        continue
    if did in seen:
        problems.append("one destination record %d for source ids %d and %d" % (did, seen[did], s["id"]))
        continue
    seen[did] = s["id"]
    d = dst_recs[did]
    diffs = []
    for f in fields:
        kind, rel = meta[f]["type"], meta[f].get("relation")
        want = norm(rel, s[f], kind, True)
        got = norm(rel, d[f], kind, False)
        if want != got:
            diffs.append("%s: source %r, destination %r" % (f, s[f], d[f]))
    if diffs:
        if is_failed:
            excused += 1
            continue
        problems.append("differs: %s: %s" % (sorted(names), "; ".join(diffs)))
    elif is_failed:
        excused += 1
    else:
        equal += 1

src_names = {x for v in sx_main.values() for x in v}
for did, d in dst_recs.items():
    if did in seen:
        continue
    names = dst_xml[model].get(did, set())
    # A record the source has but was not expected yet (--read) is no extra.
    if read_n is not None and names & src_names:
        continue
    if names & failed:
        continue
    problems.append("extra in destination: id %d %s %r" % (did, sorted(names), d.get("name")))

print("equal %d, failed %d, not read %d" % (equal, excused, not_read))
if problems:
    print("%d problems:" % len(problems))
    for p in problems[:20]:
        print("  " + p)
    sys.exit(1)
PY
}
