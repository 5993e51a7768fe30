#!/usr/bin/env bats
# TLS: certificates are verified by default; ca_file trusts a private CA,
# verify_ssl = false turns the check off.

load lib/common
load lib/odoo

# A private CA and a server certificate for 127.0.0.1 signed by it.
make_certs() {
	local d=$1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
	    -subj "/CN=odf test CA" -keyout "$d/ca.key" -out "$d/ca.pem" 2>/dev/null &&
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	    -subj "/CN=127.0.0.1" -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null &&
	printf 'subjectAltName=IP:127.0.0.1\n' >"$d/san.ext" &&
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
	    -CAcreateserial -days 2 -extfile "$d/san.ext" -out "$d/server.pem" 2>/dev/null
}

setup_file() {
	command -v openssl >/dev/null || skip "openssl is not installed"
	make_certs "$BATS_FILE_TMPDIR"
	odoo_start src --tls-cert "$BATS_FILE_TMPDIR/server.pem" --tls-key "$BATS_FILE_TMPDIR/server.key"
	odoo_seed src 20
}

teardown_file() {
	odoo_stop_all
}

conf() {
	write_conf "$BATS_TEST_TMPDIR/$1.conf" hostname=127.0.0.1 "port=$ODOO_SRC_PORT" \
	    database=src login=admin password=admin protocol=jsonrpcs retries=0 "${@:2}"
	echo "$BATS_TEST_TMPDIR/$1.conf"
}

@test "the test server speaks https only" {
	[[ "$ODOO_SRC_URL" == https://* ]]
	run curl -sS --max-time 5 --cacert "$BATS_FILE_TMPDIR/ca.pem" "$ODOO_SRC_URL/web/health"
	[ "$status" -eq 0 ]
	[ "$output" = '{"status": "pass"}' ]
	run curl -sS --max-time 5 "http://127.0.0.1:$ODOO_SRC_PORT/web/health"
	[ "$status" -ne 0 ]
}

@test "an unknown CA fails with exit 69, naming the host and telling to set ca_file" {
	run odf ping -c "$(conf untrusted)"
	[ "$status" -eq 69 ]
	[[ "$output" == *"127.0.0.1:$ODOO_SRC_PORT: database 'src': TLS failure"* ]]
	[[ "$output" == *"set ca_file"* ]]
	[[ "$output" != *"uid"* ]]
	run odf-export -c "$(conf untrusted2)" -m res.partner --fields id,name
	[ "$status" -eq 69 ]
	[[ "$output" == *"set ca_file"* ]]
}

@test "ca_file trusts the private CA: ping and export work" {
	f=$(conf trusted "ca_file=$BATS_FILE_TMPDIR/ca.pem")
	run odf ping -c "$f"
	[ "$status" -eq 0 ]
	[[ "$output" == *"server     https://127.0.0.1:$ODOO_SRC_PORT"* ]]
	[[ "$output" == *"uid        2"* ]]
	run odf-export -q -c "$f" -m res.partner --fields id,name
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -ge 20 ]
	[[ "${lines[0]}" == '{"id":'* ]]
}

@test "ca_file also serves json2s" {
	write_conf "$BATS_TEST_TMPDIR/j2.conf" hostname=127.0.0.1 "port=$ODOO_SRC_PORT" database=src \
	    "password=$ODOO_SRC_API_KEY" protocol=json2s "ca_file=$BATS_FILE_TMPDIR/ca.pem"
	run odf ping -c "$BATS_TEST_TMPDIR/j2.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"protocol   json2"* ]]
}

@test "a certificate for another host name is refused even with ca_file" {
	# the certificate names 127.0.0.1 only
	write_conf "$BATS_TEST_TMPDIR/name.conf" hostname=localhost "port=$ODOO_SRC_PORT" database=src \
	    login=admin password=admin protocol=jsonrpcs retries=0 "ca_file=$BATS_FILE_TMPDIR/ca.pem"
	run odf ping -c "$BATS_TEST_TMPDIR/name.conf"
	[ "$status" -eq 69 ]
	[[ "$output" == *"localhost:$ODOO_SRC_PORT: database 'src': TLS failure"* ]]
}

@test "verify_ssl = false connects without checking the certificate" {
	run odf ping -c "$(conf noverify verify_ssl=false)"
	[ "$status" -eq 0 ]
	[[ "$output" == *"uid        2"* ]]
}
