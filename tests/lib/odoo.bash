# shellcheck shell=bash
# Bats helpers to run Odoo test servers (tests/odoo_server).  Usage:
#
#   load lib/odoo
#   setup()    { odoo_start src; odoo_start dst; odoo_seed src 1000; }
#   teardown() { odoo_stop_all; }
#
#   odoo_start NAME [server args...]  start a server with database NAME, wait until it answers;
#                                     exports ODOO_<NAME>_{PORT,URL,PID,PASSWORD,API_KEY,CONF,
#                                     JSON2_CONF,DATA}, writes $DIR/NAME.conf (JSON-RPC, admin and
#                                     the --password given, default admin) and $DIR/NAME.json2.conf
#                                     (JSON-2, the --api-key, default odf-test-api-key), chmod 600.
#                                     With --tls-cert the server speaks HTTPS: URL https://, the
#                                     confs say jsonrpcs/json2s (add ca_file or verify_ssl yourself)
#   odoo_seed NAME N [SEED]           seed N partners into NAME (running or not; a server not
#                                     started yet gets its data dir $DIR/NAME.data pre-filled)
#   odoo_faults NAME JSON             set fault injection (POST /odf-test/faults)
#   odoo_credentials NAME JSON        change admin's password/API key (POST /odf-test/credentials)
#   odoo_stats NAME                   print the counters (GET /odf-test/stats)
#   odoo_log NAME                     print the call log (GET /odf-test/log): a JSON array of
#                                     {model, method, peer, start, end[, xmlids][, ids][, fault][, error]}
#   odoo_reset NAME                   clear counters and call log (POST /odf-test/stats/reset)
#   odoo_call NAME MODEL METHOD ARGS_JSON [KWARGS_JSON]   print the JSON result of execute_kw
#   odoo_stop_all                     stop every server started in this scope (test or file)
#
# Each database also has the user portal/portal (uid 5), denied res.partner.
#
# DIR is ${BATS_TEST_TMPDIR:-$BATS_FILE_TMPDIR}: servers started in setup_file
# live for the file, those started in a test only for the test.

ODOO_SERVER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../odoo_server" && pwd)"

_odoo_dir() {
    local d="${BATS_TEST_TMPDIR:-${BATS_FILE_TMPDIR:-}}"
    if [[ -z "$d" ]]; then
        d="${TMPDIR:-/tmp}/odoo-bash.$$"
        mkdir -p "$d"
    fi
    printf '%s\n' "$d"
}

_odoo_var() {   # NAME -> upper-case identifier part
    local v="${1^^}"
    printf '%s\n' "${v//[^A-Z0-9_]/_}"
}

_odoo_url() {
    local var
    var="ODOO_$(_odoo_var "$1")_URL"
    if [[ -z "${!var:-}" ]]; then
        echo "odoo: no server '$1' started (missing \$$var)" >&2
        return 1
    fi
    printf '%s\n' "${!var}"
}

odoo_start() {
    local name="$1"
    shift
    local dir pidfile log portfile password="admin" api_key="odf-test-api-key" scheme=http s=""
    local deadline pid port i j
    dir="$(_odoo_dir)"
    pidfile="$dir/.odoo_pids"
    log="$dir/$name.log"
    portfile="$dir/$name.port"
    rm -f "$portfile"
    for ((i = 1; i <= $#; i++)); do
        j=$((i + 1))
        case "${!i}" in
        --password) password="${!j}" ;;
        --api-key) api_key="${!j}" ;;
        --tls-cert) scheme=https s=s ;;
        esac
    done
    python3 "$ODOO_SERVER_DIR/server.py" --data-dir "$dir/$name.data" --db "$name" \
        --port 0 --port-file "$portfile" --exit-with-parent "$@" >"$log" 2>&1 &
    pid=$!
    echo "$pid" >>"$pidfile"
    deadline=$((SECONDS + 10))
    while [[ ! -s "$portfile" ]]; do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "odoo_start $name: server exited; log:" >&2
            cat "$log" >&2
            return 1
        fi
        if ((SECONDS >= deadline)); then
            echo "odoo_start $name: no port file after 10 s; log:" >&2
            cat "$log" >&2
            return 1
        fi
        sleep 0.05
    done
    port="$(cat "$portfile")"
    until python3 "$ODOO_SERVER_DIR/call.py" --url "$scheme://127.0.0.1:$port" --timeout 2 \
        --service common --method version >/dev/null 2>&1; do
        if ((SECONDS >= deadline)) || ! kill -0 "$pid" 2>/dev/null; then
            echo "odoo_start $name: server not answering common.version; log:" >&2
            cat "$log" >&2
            return 1
        fi
        sleep 0.05
    done
    local var
    var="$(_odoo_var "$name")"
    export "ODOO_${var}_PORT=$port"
    export "ODOO_${var}_URL=$scheme://127.0.0.1:$port"
    export "ODOO_${var}_PID=$pid"
    export "ODOO_${var}_PASSWORD=$password"
    export "ODOO_${var}_API_KEY=$api_key"
    export "ODOO_${var}_CONF=$dir/$name.conf"
    export "ODOO_${var}_JSON2_CONF=$dir/$name.json2.conf"
    export "ODOO_${var}_DATA=$dir/$name.data"
    (
        umask 077
        cat >"$dir/$name.conf" <<CONF
[Connection]
hostname=127.0.0.1
port=$port
database=$name
login=admin
password=$password
protocol=jsonrpc$s
CONF
        cat >"$dir/$name.json2.conf" <<CONF
[Connection]
hostname=127.0.0.1
port=$port
database=$name
password=$api_key
protocol=json2$s
CONF
    )
    chmod 600 "$dir/$name.conf" "$dir/$name.json2.conf"
}

odoo_seed() {
    local name="$1" count="$2" seed="${3:-1}" var data
    var="ODOO_$(_odoo_var "$name")_DATA"
    data="${!var:-$(_odoo_dir)/$name.data}"
    python3 "$ODOO_SERVER_DIR/seed.py" --data-dir "$data" --db "$name" \
        --partners "$count" --seed "$seed" >/dev/null
}

odoo_faults() {
    local url
    url="$(_odoo_url "$1")" || return 1
    python3 "$ODOO_SERVER_DIR/call.py" --url "$url" --post /odf-test/faults "$2" >/dev/null
}

# odoo_credentials NAME JSON: change admin's password and/or API key, e.g.
# '{"password": "changed"}' (a key revoked while a program runs).
odoo_credentials() {
    local url
    url="$(_odoo_url "$1")" || return 1
    python3 "$ODOO_SERVER_DIR/call.py" --url "$url" --post /odf-test/credentials "$2" >/dev/null
}

odoo_stats() {
    local url
    url="$(_odoo_url "$1")" || return 1
    python3 "$ODOO_SERVER_DIR/call.py" --url "$url" --get /odf-test/stats
}

odoo_log() {
    local url
    url="$(_odoo_url "$1")" || return 1
    python3 "$ODOO_SERVER_DIR/call.py" --url "$url" --get /odf-test/log
}

odoo_reset() {
    local url
    url="$(_odoo_url "$1")" || return 1
    python3 "$ODOO_SERVER_DIR/call.py" --url "$url" --post /odf-test/stats/reset >/dev/null
}

odoo_call() {
    local name="$1" url var
    shift
    url="$(_odoo_url "$name")" || return 1
    var="ODOO_$(_odoo_var "$name")_PASSWORD"
    python3 "$ODOO_SERVER_DIR/call.py" --url "$url" --db "$name" --password "${!var:-admin}" "$@"
}

_odoo_alive() {   # running (an exited child stays a zombie until waited for)
    local state
    state="$(ps -o stat= -p "$1" 2>/dev/null)"
    [[ -n "$state" && "$state" != Z* ]]
}

odoo_stop_all() {
    local pidfile pid waited
    pidfile="$(_odoo_dir)/.odoo_pids"
    [[ -f "$pidfile" ]] || return 0
    while read -r pid; do
        [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null
    done <"$pidfile"
    while read -r pid; do
        [[ -n "$pid" ]] || continue
        waited=0
        while _odoo_alive "$pid" && ((waited < 40)); do
            sleep 0.05
            waited=$((waited + 1))
        done
        if _odoo_alive "$pid"; then
            kill -KILL "$pid" 2>/dev/null
        fi
        wait "$pid" 2>/dev/null || true
    done <"$pidfile"
    rm -f "$pidfile"
}
