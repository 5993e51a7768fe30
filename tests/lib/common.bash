# Shared set-up for odf's bats tests: the programs under test and helpers.
# tests/run sets ODF_BIN_DIR; by hand it defaults to the normal build.
ODF_REPO=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
: "${ODF_BIN_DIR:=$ODF_REPO/build/bin}"
PATH="$ODF_BIN_DIR:$PATH"
export ODF_BIN_DIR ODF_REPO PATH

# A TCP port on 127.0.0.1 with nothing listening on it.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# write_conf FILE KEY=VALUE...: a connection file with the given keys.
write_conf() {
	local file=$1
	shift
	{
		echo "[Connection]"
		for kv in "$@"; do echo "${kv%%=*} = ${kv#*=}"; done
	} >"$file"
	chmod 600 "$file"
}

# on_a_terminal COMMAND: run the sh(1) command line COMMAND with a
# pseudo-terminal as its standard streams; what it drew goes to stdout.
# script(1) runs COMMAND through $SHELL, which CI leaves unset: pin it, so
# a test behaves here as it does there.
on_a_terminal() {
	SHELL=/bin/sh script -qec "$1" /dev/null
}

# import_counts TEXT: the numbers of odf-import's summary line in TEXT, into
# $r (read), $c (created), $u (updated), $f (failed).
import_counts() {
	local line
	line=$(grep -o 'read [0-9]*, created [0-9]*, updated [0-9]*, failed [0-9]*' <<<"$1" | tail -n 1)
	read -r _ r _ c _ u _ f <<<"${line//,/}"
}

# interrupt_after SECONDS PID: send SIGINT, wait; the exit status in $status.
interrupt_after() {
	sleep "$1"
	kill -INT "$2"
	status=0
	wait "$2" || status=$?
}
