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
