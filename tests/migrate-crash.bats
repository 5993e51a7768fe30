#!/usr/bin/env bats
# A migration killed with SIGKILL at a random point, in any of its
# processes, then run again with the same command, ends with the destination
# equal to the source: nothing missing, nothing twice. Records load by
# external id (the export gives every record one), so running again is safe.
#
# Each test runs ODF_CRASH_ITERATIONS iterations (default 2), each into a
# fresh destination database: one or two kills, then a run to the end. The
# random choices (workers, the call after which to kill, the kill target)
# come from a seed printed with each iteration; ODF_CRASH_SEED=N replays
# them (the timing of the processes varies all the same).
#
# Then two crashes of another kind: a worker outliving its killed importer,
# and an interrupted import of a fail file.

load lib/migrate

setup_file() {
	odoo_start src
	odoo_seed src 300
	# A little slow, so that the kill lands on a stream in motion.
	set_faults src '{"latency_ms": 2}'
	export ODOO_SRC_PORT ODOO_SRC_URL ODOO_SRC_PASSWORD
	export CRASH_SEED=${ODF_CRASH_SEED:-$(( $(date +%s) % 100000 ))}
	# Archived partners are migrated too; empty tag lists are dropped on the
	# way, so records with and without category_id go to separate loads.
	printf '%s\n' 'if .category_id == [] then del(.category_id) else . end' \
	    >"$BATS_FILE_TMPDIR/tags.jq"
}

teardown_file() { odoo_stop_all; }

teardown() { odoo_stop_all; }

# stage_pid PARENT NAME: the pid of PARENT's child running NAME (empty: none).
# A zombie (ended, not yet waited for) is no target.
stage_pid() {
	ps -o pid=,stat=,comm= --ppid "$1" 2>/dev/null |
	    awk -v n="$2" '$3 == n && $2 !~ /^Z/ { print $1; exit }'
}

# The processes left in session SID, as "pid stat comm" lines.
session_procs() {
	ps -o pid=,stat=,comm= -s "$1" 2>/dev/null || true
}

# target_pid TARGET MIGRATE_PID: the process to kill for TARGET.
target_pid() {
	local stage
	case $1 in
	migrate) echo "$2" ;;
	export | transform | import) stage_pid "$2" "odf-$1" ;;
	export-worker | import-worker)
		stage=$(stage_pid "$2" "odf-${1%-worker}")
		if [ -n "$stage" ]; then stage_pid "$stage" "odf-${1%-worker}"; fi
		;;
	esac
}

# tee_fd3: standard input to standard output and to bats' fd 3. Not "tee
# /dev/fd/3": opening that path anew starts writing at offset 0, over what
# bats --jobs has already written to the file behind fd 3.
tee_fd3() {
	local line
	while IFS= read -r line; do
		printf '%s\n' "$line"
		printf '%s\n' "$line" >&3
	done
}

# kill_run TARGET SERVER METHOD K MS CMD...: run CMD (an odf migrate) in
# its own session; once SERVER has received K calls of METHOD, and MS
# milliseconds more, SIGKILL TARGET (a stage, a worker, odf migrate itself,
# or "all": the process group); wait for it, its status in $status.
# Counting calls rather than time puts the kill mid-stream however fast the
# machine is. Whatever survived the kill must end by itself, soon.
kill_run() {
	local target=$1 server=$2 method=$3 k=$4 ms=$5 pid victim i left
	local out=$BATS_TEST_TMPDIR/killed.out
	shift 5
	status=0
	reset_stats "$server"
	setsid "$@" >"$out" 2>&1 3>&- &
	pid=$!
	while kill -0 "$pid" 2>/dev/null && [ "$(call_count "$server" "$method")" -lt "$k" ]; do
		sleep 0.005
	done
	sleep "0.$(printf '%03d' "$ms")"
	victim=$(target_pid "$target" "$pid")
	if [ "$target" = all ]; then
		kill -KILL -- "-$pid" 2>/dev/null && victim="the process group"
	elif [ -n "$victim" ]; then
		kill -KILL "$victim" 2>/dev/null || victim=
	fi
	wait "$pid" || status=$?
	echo "#   kill at $method call $k on $server + $ms ms:" \
	    "${victim:-nothing, the process had ended}; odf migrate status $status" | tee_fd3
	sed 's/^/  | /' "$out"
	for ((i = 0; i < 100; i++)); do
		left=$(session_procs "$pid")
		[ -z "$left" ] && break
		sleep 0.05
	done
	[ -z "$left" ] || { echo "still running 5 s after the kill:"; echo "$left"; return 1; }
}

# crash_and_resume TARGET N: iteration N of killing TARGET once or twice,
# then running the same command again to the end.
crash_and_resume() {
	local target=$1 n=$2 seed ew iw kills k db cmd
	seed=$((CRASH_SEED + n))
	RANDOM=$seed
	ew=$((1 + RANDOM % 2))
	iw=$((1 + RANDOM % 2))
	kills=$((1 + RANDOM % 2))
	db=k$n
	echo "# $target: seed $seed (ODF_CRASH_SEED=$CRASH_SEED), export workers $ew," \
	    "import workers $iw, $kills kill(s)" | tee_fd3

	odoo_start "$db"
	set_faults "$db" '{"latency_ms": 2}'
	migrate_tags "$db"
	cmd=(odf migrate --config-export "$(mig_conf src)" --config-import "$(mig_conf "$db")"
	    --model res.partner --fields "$PARTNER_FIELDS" --domain "$ALL_DOMAIN"
	    --transformer-file "$BATS_FILE_TMPDIR/tags.jq" --export-worker "$ew"
	    --export-batch-size 20 --import-worker "$iw" --import-batch-size 10
	    --fail-file "$BATS_TEST_TMPDIR/$db-fail.ndjson" -q)

	for ((k = 0; k < kills; k++)); do
		# About 15 pages of export, 30 loads of records, 30 of parents.
		case $target in
		export* | transform)
			kill_run "$target" src export_data $((1 + RANDOM % 15)) $((RANDOM % 20)) "${cmd[@]}" ;;
		*)
			kill_run "$target" "$db" load $((1 + RANDOM % 60)) $((RANDOM % 20)) "${cmd[@]}" ;;
		esac
		# A run that says it succeeded must have migrated everything.
		if [ "$status" -eq 0 ]; then
			compare_dbs src "$db" res.partner "$PARTNER_FIELDS"
		fi
	done

	run "${cmd[@]}"
	echo "#   run again: status $status"
	echo "$output"
	[ "$status" -eq 0 ]
	compare_dbs src "$db" res.partner "$PARTNER_FIELDS"
	[ ! -e "$BATS_TEST_TMPDIR/$db-fail.ndjson" ]
	kill -TERM "$(eval echo "\$ODOO_$(_odoo_var "$db")_PID")"
}

# crash_test TARGET [TARGET...]: ODF_CRASH_ITERATIONS iterations, the
# targets taken in turn.
crash_test() {
	local targets=("$@") iters=${ODF_CRASH_ITERATIONS:-2} n base
	base=$(( $(printf '%s' "${targets[*]}" | cksum | cut -d' ' -f1) % 1000 * 1000 ))
	for ((n = 0; n < iters; n++)); do
		crash_and_resume "${targets[n % ${#targets[@]}]}" $((base + n))
	done
}

@test "a migration whose exporter, or one of its workers, is killed ends complete when run again" {
	crash_test export export-worker
}

@test "a migration whose transformer is killed ends complete when run again" {
	crash_test transform
}

@test "a migration whose importer, or one of its workers, is killed ends complete when run again" {
	crash_test import import-worker
}

@test "a migration killed whole, or through odf migrate alone, ends complete when run again" {
	crash_test all migrate
}

@test "an importer killed while Odoo is slow leaves no worker behind to load stale data after the run again" {
	# A worker that outlived its importer would still get its answer, then
	# Odoo would carry out a first-pass load (parents not yet set) after the
	# run again has set them.
	odoo_start dst
	migrate_tags dst
	set_faults dst '{"hang_ms": 2500, "hang_rate": 1.0, "methods": ["load"]}'
	local cmd pid imp status=0 i
	cmd=(odf migrate --config-export "$(mig_conf src)" --config-import "$(mig_conf dst)"
	    --model res.partner --fields "$PARTNER_FIELDS" --domain "$ALL_DOMAIN" -q
	    --fail-file "$BATS_TEST_TMPDIR/fail.ndjson")
	setsid "${cmd[@]}" >"$BATS_TEST_TMPDIR/first.out" 2>&1 3>&- &
	pid=$!
	for ((i = 0; i < 100; i++)); do
		[ "$(fault_count dst hang)" -gt 0 ] && break
		sleep 0.05
	done
	imp=$(target_pid import "$pid")
	[ -n "$imp" ]
	kill -KILL "$imp"
	clear_faults dst
	wait "$pid" || status=$?
	[ "$status" -eq 70 ]

	run "${cmd[@]}"
	echo "$output"
	[ "$status" -eq 0 ]
	# Past the end of the hang: a load still waiting then would be done.
	sleep 2.6
	compare_dbs src dst res.partner "$PARTNER_FIELDS"
	[ -z "$(session_procs "$pid")" ]
}

@test "an import of its own fail file, interrupted, leaves that fail file whole" {
	# Records are fed back from the fail file; a Ctrl-C midway must not
	# replace or remove it: the records not read yet are only there.
	odoo_start dst
	cd "$BATS_TEST_TMPDIR"
	local i pid status=0
	for ((i = 1; i <= 30; i++)); do
		printf '{"id": "ff_%d", "name": "FF %d", "type": "%s", "_odf_error": {"message": "earlier"}}\n' \
		    "$i" "$i" "$( ((i == 2)) && echo bogus || echo contact)"
	done >res.partner_fail.ndjson
	cp res.partner_fail.ndjson before.ndjson
	set_faults dst '{"latency_ms": 30}'
	reset_stats dst
	odf-import -c "$(mig_conf dst)" -m res.partner -b 1 res.partner_fail.ndjson 2>err 3>&- &
	pid=$!
	while kill -0 "$pid" 2>/dev/null && [ "$(call_count dst load)" -lt 5 ]; do sleep 0.01; done
	kill -INT "$pid"
	wait "$pid" || status=$?
	cat err
	[ "$status" -eq 130 ]
	grep -q "interrupted by Interrupt: stopped reading after line" err
	cmp before.ndjson res.partner_fail.ndjson
	# What failed in this run is beside it, named.
	grep -q "res.partner_fail.ndjson is unchanged and the records that failed so far are in" err
	[ "$(cat res.partner_fail.ndjson.* | wc -l)" -eq 1 ]
	grep -q '"id": "ff_2"' res.partner_fail.ndjson.*
}
