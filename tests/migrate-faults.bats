#!/usr/bin/env bats
# Whole migrations (partners with their parents and tags) against servers
# that fail: slow answers, 502/503, lost connections, answers lost after the
# commit, serialization failures, calls hanging past the client's timeout;
# on the source, the destination, or both. Each time the counts add up (read
# = created + updated + failed), what was reported as loaded is in the
# destination equal to the source, what failed is in the fail file; faults
# that pass are retried until every record lands once, and when retries run
# out a second run without faults completes the migration.

load lib/migrate

setup_file() {
	odoo_start src
	odoo_seed src 200
	export ODOO_SRC_PORT ODOO_SRC_URL ODOO_SRC_PASSWORD
	# The export gives the source's records their external ids once, here,
	# so that the source is not written to under faults.
	odf-export -c "$BATS_FILE_TMPDIR/src.conf" -m res.partner -f id -q \
	    --context "{'active_test': False}" >/dev/null
	SRC_TOTAL=$(odoo_call src res.partner search_count '[[]]' '{"context": {"active_test": false}}')
	export SRC_TOTAL
}

teardown_file() { odoo_stop_all; }

setup() { cd "$BATS_TEST_TMPDIR"; }

teardown() { odoo_stop_all; }

# faulty_migration SIDE KIND FAULTS [CONF_KEYS...]: into a fresh database,
# with FAULTS set on SIDE (src, dst or both; $SRC_FAULTS / $DST_FAULTS
# instead when set) and CONF_KEYS in both confs, migrate the partners; check
# that faults of KIND happened, and what the run reported against both
# databases, and that its status is $EXPECT_STATUS (default 0); when
# something failed, run again without faults and check that the migration
# is complete.
faulty_migration() {
	local side=$1 kind=$2 faults=$3 db n seen=0 c first
	shift 3
	db=d$((++DB_SEQ))
	echo "--- faults on $side: $faults"
	odoo_start "$db"
	migrate_tags "$db"
	local SRC_CONF DST_CONF sides=()
	SRC_CONF=$(mig_conf src "$@")
	DST_CONF=$(mig_conf "$db" "$@")
	case $side in src) sides=(src) ;; dst) sides=("$db") ;; both) sides=(src "$db") ;; esac
	for n in "${sides[@]}"; do
		reset_stats "$n"
		if [ "$n" = src ]; then
			set_faults "$n" "${SRC_FAULTS:-$faults}"
		else
			set_faults "$n" "${DST_FAULTS:-$faults}"
		fi
	done
	migrate_partners "${MIG_ARGS[@]}"
	for n in "${sides[@]}"; do
		clear_faults "$n"
		c=$(fault_count "$n" "$kind")
		echo "$n: $c faults of kind $kind"
		seen=$((seen + c))
	done
	[ "$seen" -gt 0 ]

	counts_add_up fail.ndjson
	if [ "$status" -eq 0 ]; then
		[ "$mig_read" -eq "$SRC_TOTAL" ]
		[ "$mig_failed" -eq 0 ]
	else
		# Records failed, or the export gave up: what was read is accounted for.
		[ "$status" -eq 65 ] || [[ "$output" == *"odf-export exited with status 69"* ]]
		[ "$status" -eq 65 ] || [ "$mig_read" -lt "$SRC_TOTAL" ]
	fi
	compare_dbs src "$db" res.partner "$PARTNER_FIELDS" --read "$mig_read" --fail fail.ndjson
	first=$status
	[ "$first" -eq "${EXPECT_STATUS:-0}" ]

	# What did not land, lands on a run without faults.
	if [ "$first" -ne 0 ]; then
		migrate_partners "${MIG_ARGS[@]}"
		[ "$status" -eq 0 ]
		[ ! -e fail.ndjson ]
		compare_dbs src "$db" res.partner "$PARTNER_FIELDS"
	fi
	kill -TERM "$(eval echo "\$ODOO_$(_odoo_var "$db")_PID")"
}

MIG_ARGS=(--import-batch-size 20 --export-batch-size 50 --fail-file fail.ndjson)

# on_each_side KIND FAULTS [CONF_KEYS...]: faulty_migration on src, dst,
# then both with two workers on each side.
on_each_side() {
	faulty_migration src "$@"
	faulty_migration dst "$@"
	local MIG_ARGS=("${MIG_ARGS[@]}" --export-worker 2 --import-worker 2)
	faulty_migration both "$@"
}

@test "compare_dbs notices a record missing, one differing and one created twice" {
	odoo_start dst
	migrate_tags dst
	migrate_partners
	[ "$status" -eq 0 ]
	run compare_dbs src dst res.partner "$PARTNER_FIELDS"
	[ "$status" -eq 0 ]
	[[ "$output" == "equal $SRC_TOTAL, failed 0, not read 0" ]]

	# Two contacts: one changed, one that loses its external id (a record
	# created again instead of updated looks so); and one more record.
	local ids
	ids=$(odoo_call dst res.partner search '[[["parent_id", "!=", false]]]' '{"limit": 2, "order": "id"}')
	ids=${ids//[][ ]/}
	odoo_call dst res.partner write "[[${ids%,*}], {\"city\": \"Elsewhere\"}]"
	odoo_call dst ir.model.data unlink \
	    "[$(odoo_call dst ir.model.data search "[[[\"model\", \"=\", \"res.partner\"], [\"res_id\", \"=\", ${ids#*,}]]]")]"
	odoo_call dst res.partner create '[{"name": "Nobody"}]'
	run compare_dbs src dst res.partner "$PARTNER_FIELDS"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"differs: "*"city: source "*", destination 'Elsewhere'"* ]]
	[[ "$output" == *"missing: source id "* ]]
	[[ "$output" == *"extra in destination: id ${ids#*,} []"* ]]
	[[ "$output" == *"'Nobody'"* ]]
}

@test "slow answers on either side or both: every record is migrated once" {
	on_each_side latency '{"latency_ms": 3}'
}

@test "502 and 503 answers on either side or both are retried: every record is migrated once" {
	faulty_migration src error '{"error_rate": 0.15, "error_status": 502, "seed": 1}'
	faulty_migration dst error '{"error_rate": 0.15, "error_status": 503, "seed": 2}'
	faulty_migration both error '{"error_rate": 0.15, "error_status": 503, "seed": 3}'
}

@test "connections dropped mid-answer on either side or both are retried: every record is migrated once" {
	on_each_side drop '{"drop_rate": 0.1, "seed": 4}'
}

@test "answers lost after the commit are retried without creating anything twice" {
	on_each_side drop_after_commit '{"drop_after_commit_rate": 0.15, "seed": 5}'
}

@test "serialization failures of concurrent updates are retried: every record is migrated once" {
	# Only writes fail so (load here): the source is read, never written.
	faulty_migration dst serialization '{"serialization_rate": 0.2, "seed": 6}'
	# Two workers loading at once, with failures besides.
	MIG_ARGS+=(--import-worker 2)
	faulty_migration both serialization '{"serialization_rate": 0.2, "error_rate": 0.05, "seed": 7}'
}

@test "a call hanging past the client's timeout is given up and retried: every record is migrated once" {
	# Each hang costs a second: few calls, few hangs.
	MIG_ARGS+=(--import-batch-size 50)
	SRC_FAULTS='{"hang_ms": 1300, "hang_rate": 0.3, "methods": ["export_data"], "seed": 10}'
	DST_FAULTS='{"hang_ms": 1300, "hang_rate": 0.1, "methods": ["load"], "seed": 8}'
	on_each_side hang '' timeout=1
}

@test "when the retries run out, what failed is in the fail file and a second run completes the migration" {
	# The destination: batches given up go to the fail file whole.
	EXPECT_STATUS=65 faulty_migration dst error '{"error_rate": 0.5, "methods": ["load"], "seed": 9}' \
	    retries=1
	# The source: the export gives up, the import accounts for what it read.
	EXPECT_STATUS=69 faulty_migration src error \
	    '{"error_rate": 0.6, "methods": ["export_data"], "seed": 1}' retries=1
}

@test "faults during a source's first export give each record one external id, and every record migrates" {
	# export_data writes on the source the first time: it creates the
	# __export__ ids. Answers lost after that commit are retried.
	odoo_start src2
	odoo_seed src2 200 2
	odoo_start dst
	local SRC_CONF DST_CONF
	SRC_CONF=$(mig_conf src2)
	DST_CONF=$(mig_conf dst)
	odf migrate --config-export "$SRC_CONF" --config-import "$DST_CONF" \
	    --model res.partner.category --fields "$TAG_FIELDS" -q
	set_faults src2 '{"drop_after_commit_rate": 0.2, "drop_rate": 0.05, "error_rate": 0.05, "seed": 3}'
	migrate_partners --export-worker 2 --import-worker 2 --export-batch-size 30 --fail-file fail.ndjson
	[ "$(fault_count src2 drop_after_commit)" -gt 0 ]
	clear_faults src2
	[ "$status" -eq 0 ]
	counts_add_up fail.ndjson
	compare_dbs src2 dst res.partner "$PARTNER_FIELDS"
	[ "$(odoo_call src2 res.partner search_count '[[]]' '{"context": {"active_test": false}}')" = \
	    "$(odoo_call src2 ir.model.data search_count '[[["model", "=", "res.partner"]]]')" ]
}

@test "a 503 while migrate checks the servers is retried, and says so" {
	odoo_start dst
	migrate_tags dst
	# The seed makes the first fields_get fail and the next one pass.
	set_faults src '{"error_rate": 0.5, "error_status": 503, "methods": ["fields_get"], "seed": 1}'
	migrate_partners --fail-file fail.ndjson
	clear_faults src
	[ "$status" -eq 0 ]
	[[ "$output" == *"odf migrate: 127.0.0.1:"*": HTTP 503; try 2 in"* ]]
	[ "$(fault_count src error)" -gt 0 ]
}
