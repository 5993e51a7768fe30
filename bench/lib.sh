# shellcheck shell=bash disable=SC2034
# (SC2034: bin, work, repo, secs, kib are for the script that sources this.)
# What every bench script needs: arguments, test servers, measuring, rows.
#
#   . "$(dirname "$0")/lib.sh"
#   bench_init AREA "$@"          BIN_DIR WORKDIR -> $bin, $work, $repo (absolute)
#   server_start NAME [ARGS...]   a fresh test server with database NAME, its data
#                                 in $work/NAME.data; writes $work/NAME.conf
#   server_port NAME / server_stop NAME   (every server stops on exit anyway)
#   measure NAME CMD...           run CMD (stdin inherited, stdout to $work/NAME.out,
#                                 stderr to $work/NAME.err); sets secs and kib
#   rate N SECS, count_label N, row WHAT VALUE UNIT BASELINE BASELINE_NAME
#
# Peak memory is /usr/bin/time's %M: the largest resident set of the command
# or of any process it waited for (its workers), in KiB.

TIME=/usr/bin/time
bench_servers=()

die() {
	echo "bench/$bench_area.sh: $*" >&2
	exit 70
}

bench_init() {
	bench_area=$1
	shift
	if [ $# -lt 2 ]; then
		echo "usage: bench/$bench_area.sh BIN_DIR WORKDIR" >&2
		exit 64
	fi
	if [ ! -x "$TIME" ]; then
		echo "bench/$bench_area.sh: $TIME is missing: apt-get install time" >&2
		exit 69
	fi
	bin=$(cd "$1" && pwd)
	mkdir -p "$2"
	work=$(cd "$2" && pwd)
	repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	trap servers_stop EXIT
}

# server_start NAME [server.py ARGS...]: e.g. --seed-partners 100000 (seeding
# happens before the server listens, hence the long wait).
server_start() {
	local name=$1 pid i
	shift
	server_stop "$name"
	rm -rf "$work/$name.data" "$work/$name.port"
	mkdir -p "$work/$name.data"
	python3 "$repo/tests/odoo_server/server.py" --data-dir "$work/$name.data" --db "$name" \
		--port-file "$work/$name.port" --exit-with-parent --login-cost "${BENCH_LOGIN_COST:-0.5}" \
		"$@" >"$work/$name.log" 2>&1 &
	pid=$!
	printf -v "bench_pid_$name" %s "$pid"
	bench_servers+=("$name")
	for ((i = 0; i < 6000; i++)); do
		[ -s "$work/$name.port" ] && break
		kill -0 "$pid" 2>/dev/null || { cat "$work/$name.log" >&2; die "server $name exited"; }
		sleep 0.1
	done
	[ -s "$work/$name.port" ] || die "server $name did not start in 10 minutes"
	(
		umask 077
		printf '[Connection]\nhostname = 127.0.0.1\nport = %s\ndatabase = %s\nlogin = admin\npassword = admin\n' \
			"$(server_port "$name")" "$name" >"$work/$name.conf"
	)
}

server_port() { cat "$work/$1.port"; }

server_stop() {
	local var="bench_pid_$1"
	[ -n "${!var:-}" ] || return 0
	kill "${!var}" 2>/dev/null || true
	wait "${!var}" 2>/dev/null || true
	printf -v "$var" %s ""
}

servers_stop() {
	local name
	for name in "${bench_servers[@]}"; do
		server_stop "$name"
	done
}

# server_count NAME MODEL DOMAIN_JSON: search_count on the server.
server_count() {
	python3 "$repo/tests/odoo_server/call.py" --url "http://127.0.0.1:$(server_port "$1")" \
		--db "$1" "$2" search_count "[$3]"
}

measure() {
	local name=$1
	shift
	if ! "$TIME" -f '%e %M' -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err"; then
		cat "$work/$name.err" "$work/$name.time" >&2
		die "$name failed: $*"
	fi
	# A first line may say "Command exited with non-zero status".
	read -r secs kib < <(tail -n 1 "$work/$name.time")
}

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

# count_label 100000 -> 100k; 2500 -> 2500
count_label() {
	if [ $(($1 % 1000)) -eq 0 ]; then echo "$(($1 / 1000))k"; else echo "$1"; fi
}

row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$bench_area" "$@"; }
