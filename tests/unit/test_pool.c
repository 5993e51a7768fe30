/* lib/pool.c with toy workers: echo, reverse, slow, crashing, failing. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "odf/pool.h"
#include "unit.h"

/* Jobs are text commands: "echo X", "rev X", "sleep MS X", "die", "kill",
 * "fail", "big N" (a result of N bytes), "pid". */
static int
toy_work(void *state, const char *job, size_t len, char **out, size_t *out_len,
    struct odf_error *err)
{
	const char *prefix = state != NULL ? state : "";
	size_t plen = strlen(prefix), i;
	char *p;

	if (strncmp(job, "sleep ", 6) == 0) {
		char *end;
		long ms = strtol(job + 6, &end, 10);
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
		job = end + 1;
		len = strlen(job);
	}
	if (strcmp(job, "die") == 0)
		abort();
	if (strcmp(job, "kill") == 0)
		raise(SIGKILL);
	if (strcmp(job, "fail") == 0)
		return odf_error_set(err, ODF_E_DATA, "job says fail");
	if (strncmp(job, "big ", 4) == 0) {
		size_t n = (size_t)strtol(job + 4, NULL, 10);

		if ((*out = malloc(n)) == NULL)
			return odf_error_set(err, ODF_E_NOMEM, "no memory");
		memset(*out, 'x', n);
		*out_len = n;
		return 0;
	}
	if (strcmp(job, "pid") == 0) {
		char buf[32];

		*out_len = (size_t)snprintf(buf, sizeof(buf), "%ld", (long)getpid());
		*out = strdup(buf);
		return *out == NULL ? -1 : 0;
	}
	if ((p = malloc(plen + len + 1)) == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "no memory");
	memcpy(p, prefix, plen);
	if (strncmp(job, "rev ", 4) == 0) {
		for (i = 4; i < len; i++)
			p[plen + i - 4] = job[len - 1 - (i - 4)];
		len -= 4;
	} else if (strncmp(job, "echo ", 5) == 0) {
		memcpy(p + plen, job + 5, len - 5);
		len -= 5;
	} else {
		memcpy(p + plen, job, len);
	}
	p[plen + len] = '\0';
	*out = p;
	*out_len = plen + len;
	return 0;
}

/* Each worker prefixes its results with "wN:". */
static int
toy_init(int worker, void *arg, void **state, struct odf_error *err)
{
	char *s;

	if (arg != NULL && worker == *(int *)arg)
		return odf_error_set(err, ODF_E_AUTH, "worker %d cannot log in", worker);
	if ((s = malloc(16)) == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "no memory");
	snprintf(s, 16, "w%d:", worker);
	*state = s;
	return 0;
}

static void
toy_fini(void *state, void *arg)
{
	(void)arg;
	free(state);
}

static const struct odf_pool_ops plain_ops = { NULL, toy_work, NULL, NULL };
static const struct odf_pool_ops prefix_ops = { toy_init, toy_work, toy_fini, NULL };

/* No child is left to reap: every worker was waited for. */
static int
no_children(void)
{
	return waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD;
}

static struct odf_pool *
start(int workers, enum odf_pool_mode mode, int depth, const struct odf_pool_ops *ops)
{
	struct odf_pool_opts opts = { workers, mode, depth };
	struct odf_error err;

	odf_error_clear(&err);
	return odf_pool_new(&opts, ops, &err);
}

/* Submit text, taking results first when full; results go to sink. */
static long
submit(struct odf_pool *pool, int worker, const char *text)
{
	struct odf_error err;

	return odf_pool_submit(pool, worker, text, strlen(text), &err);
}

UNIT_TEST(ordered_results_come_back_in_submission_order)
{
	struct odf_pool *pool = start(3, ODF_POOL_ORDERED, 2, &plain_ops);
	struct odf_pool_result res;
	struct odf_error err;
	/* Early jobs are slow, so later ones finish first. */
	const char *jobs[] = { "sleep 80 a", "sleep 40 b", "c", "d", "sleep 20 e", "f",
		"g", "h", "i", "j" };
	const char *want = "abcdefghij";
	char got[16] = "";
	size_t i, n = 0;
	long expect = 0;

	CHECK(pool != NULL);
	if (pool == NULL)
		return;
	for (i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++) {
		while (!odf_pool_can_submit(pool, -1)) {
			CHECK_INT(odf_pool_next(pool, &res, 1, &err), 1);
			CHECK_INT(res.job, expect++);
			CHECK_INT(res.status, ODF_POOL_DONE);
			got[n++] = res.data[0];
			odf_pool_result_free(&res);
		}
		CHECK_INT(submit(pool, -1, jobs[i]), (long)i);
		CHECK(odf_pool_pending(pool) <= 6);
	}
	while (odf_pool_next(pool, &res, 1, &err) == 1) {
		CHECK_INT(res.job, expect++);
		got[n++] = res.data[0];
		odf_pool_result_free(&res);
	}
	got[n] = '\0';
	CHECK_STR(got, want);
	CHECK_INT(odf_pool_pending(pool), 0);
	CHECK_INT(odf_pool_close(pool, &err), 0);
	odf_pool_free(pool);
	CHECK(no_children());
}

UNIT_TEST(the_pool_is_full_at_workers_times_depth)
{
	struct odf_pool *pool = start(2, ODF_POOL_ORDERED, 3, &plain_ops);
	struct odf_pool_result res;
	struct odf_error err;
	int i;

	CHECK(pool != NULL);
	if (pool == NULL)
		return;
	for (i = 0; i < 6; i++)
		CHECK_INT(submit(pool, -1, "sleep 10 x"), i);
	CHECK(!odf_pool_can_submit(pool, -1));
	CHECK_INT(odf_pool_submit(pool, -1, "y", 1, &err), -1);
	CHECK_INT(err.code, ODF_E_SOFTWARE);
	CHECK_INT(odf_pool_next(pool, &res, 1, &err), 1);
	odf_pool_result_free(&res);
	CHECK(odf_pool_can_submit(pool, -1));
	odf_pool_free(pool);   /* kills the busy workers */
	CHECK(no_children());
}

UNIT_TEST(init_runs_in_each_worker_after_the_fork)
{
	struct odf_pool *pool = start(2, ODF_POOL_ROUTED, 2, &prefix_ops);
	struct odf_pool_result res;
	struct odf_error err;

	CHECK(pool != NULL);
	if (pool == NULL)
		return;
	CHECK_INT(submit(pool, 1, "rev abc"), 0);
	CHECK_INT(submit(pool, 0, "echo hello"), 1);
	CHECK_INT(odf_pool_next(pool, &res, 1, &err), 1);
	if (res.job == 0) {
		CHECK_STR(res.data, "w1:cba");
	} else {
		CHECK_STR(res.data, "w0:hello");
	}
	odf_pool_result_free(&res);
	CHECK_INT(odf_pool_next(pool, &res, 1, &err), 1);
	CHECK_INT(res.worker, res.job == 0 ? 1 : 0);
	CHECK_STR(res.input, res.job == 0 ? "rev abc" : "echo hello");
	odf_pool_result_free(&res);
	CHECK_INT(odf_pool_next(pool, &res, 1, &err), 0);
	CHECK_INT(odf_pool_close(pool, &err), 0);
	odf_pool_free(pool);
	CHECK(no_children());
}

UNIT_TEST(routed_results_arrive_as_they_finish)
{
	struct odf_pool *pool = start(2, ODF_POOL_ROUTED, 2, &prefix_ops);
	struct odf_pool_result res;
	struct odf_error err;

	CHECK(pool != NULL);
	if (pool == NULL)
		return;
	submit(pool, 0, "sleep 150 slow");
	submit(pool, 1, "fast");
	CHECK_INT(odf_pool_next(pool, &res, 1, &err), 1);
	CHECK_INT(res.job, 1);
	CHECK_STR(res.data, "w1:fast");
	odf_pool_result_free(&res);
	CHECK_INT(odf_pool_next(pool, &res, 0, &err), 0);   /* not ready yet */
	CHECK_INT(odf_pool_pending(pool), 1);
	CHECK_INT(odf_pool_next(pool, &res, 1, &err), 1);
	CHECK_STR(res.data, "w0:slow");
	odf_pool_result_free(&res);
	/* Same worker, same order. */
	CHECK(odf_pool_can_submit(pool, 1));
	submit(pool, 1, "sleep 30 one");
	submit(pool, 1, "two");
	CHECK(!odf_pool_can_submit(pool, 1));
	CHECK(odf_pool_can_submit(pool, 0));
	CHECK_INT(odf_pool_next(pool, &res, 1, &err), 1);
	CHECK_STR(res.data, "w1:one");
	odf_pool_result_free(&res);
	CHECK_INT(odf_pool_next(pool, &res, 1, &err), 1);
	CHECK_STR(res.data, "w1:two");
	odf_pool_result_free(&res);
	CHECK_INT(odf_pool_close(pool, &err), 0);
	odf_pool_free(pool);
	CHECK(no_children());
}

UNIT_TEST(a_failing_job_carries_its_error_and_the_worker_goes_on)
{
	struct odf_pool *pool = start(1, ODF_POOL_ORDERED, 2, &plain_ops);
	struct odf_pool_result res;
	struct odf_error err;

	CHECK(pool != NULL);
	if (pool == NULL)
		return;
	submit(pool, -1, "fail");
	submit(pool, -1, "echo after");
	CHECK_INT(odf_pool_next(pool, &res, 1, &err), 1);
	CHECK_INT(res.status, ODF_POOL_FAILED);
	CHECK_INT(res.error.code, ODF_E_DATA);
	CHECK_STR(res.error.message, "job says fail");
	CHECK_STR(res.input, "fail");
	CHECK(res.data == NULL);
	odf_pool_result_free(&res);
	CHECK_INT(odf_pool_next(pool, &res, 1, &err), 1);
	CHECK_INT(res.status, ODF_POOL_DONE);
	CHECK_STR(res.data, "after");
	odf_pool_result_free(&res);
	CHECK_INT(odf_pool_close(pool, &err), 0);
	odf_pool_free(pool);
	CHECK(no_children());
}

UNIT_TEST(a_crashed_worker_gives_back_the_jobs_it_held)
{
	struct odf_pool *pool = start(2, ODF_POOL_ROUTED, 3, &plain_ops);
	struct odf_pool_result res;
	struct odf_error err;
	int lost = 0, done = 0;

	CHECK(pool != NULL);
	if (pool == NULL)
		return;
	submit(pool, 0, "echo ok");
	submit(pool, 0, "die");
	submit(pool, 0, "echo never");
	submit(pool, 1, "echo other");
	while (odf_pool_next(pool, &res, 1, &err) == 1) {
		if (res.status == ODF_POOL_LOST) {
			lost++;
			CHECK_INT(res.worker, 0);
			CHECK(strstr(res.error.message, "worker 0") != NULL);
			CHECK(strstr(res.error.message, "signal 6") != NULL);
			CHECK(strcmp(res.input, "die") == 0 || strcmp(res.input, "echo never") == 0);
		} else {
			done++;
			CHECK_INT(res.status, ODF_POOL_DONE);
		}
		odf_pool_result_free(&res);
	}
	CHECK_INT(lost, 2);
	CHECK_INT(done, 2);
	/* A job routed to the dead worker comes straight back. */
	CHECK_INT(submit(pool, 0, "echo late"), 4);
	CHECK_INT(odf_pool_next(pool, &res, 0, &err), 1);
	CHECK_INT(res.status, ODF_POOL_LOST);
	CHECK_STR(res.input, "echo late");
	odf_pool_result_free(&res);
	/* The survivor still works. */
	submit(pool, 1, "echo alive");
	CHECK_INT(odf_pool_next(pool, &res, 1, &err), 1);
	CHECK_STR(res.data, "alive");
	odf_pool_result_free(&res);
	CHECK_INT(odf_pool_close(pool, &err), 0);
	odf_pool_free(pool);
	CHECK(no_children());
}

UNIT_TEST(a_sigkilled_worker_is_named_with_its_job_and_ordered_mode_routes_around)
{
	struct odf_pool *pool = start(2, ODF_POOL_ORDERED, 1, &plain_ops);
	struct odf_pool_result res;
	struct odf_error err;
	char want[64];
	int n = 0;

	CHECK(pool != NULL);
	if (pool == NULL)
		return;
	submit(pool, -1, "kill");
	submit(pool, -1, "sleep 50 b");
	CHECK_INT(odf_pool_next(pool, &res, 1, &err), 1);
	CHECK_INT(res.job, 0);
	CHECK_INT(res.status, ODF_POOL_LOST);
	snprintf(want, sizeof(want), "worker %d (pid", res.worker);
	CHECK(strstr(res.error.message, want) != NULL);
	CHECK(strstr(res.error.message, "killed by signal 9") != NULL);
	CHECK(strstr(res.error.message, "job 0 was lost") != NULL);
	CHECK_STR(res.input, "kill");
	odf_pool_result_free(&res);
	while (odf_pool_can_submit(pool, -1) && n < 3) {
		submit(pool, -1, "c");
		n++;
	}
	while (odf_pool_next(pool, &res, 1, &err) == 1) {
		CHECK_INT(res.status, ODF_POOL_DONE);
		odf_pool_result_free(&res);
	}
	odf_pool_free(pool);
	CHECK(no_children());
}

UNIT_TEST(large_jobs_and_results_cross_without_deadlock)
{
	struct odf_pool *pool = start(2, ODF_POOL_ORDERED, 2, &plain_ops);
	struct odf_pool_result res;
	struct odf_error err;
	size_t big = 3u << 20;   /* far beyond a pipe's buffer */
	char *job = malloc(big + 6);
	int i, got = 0;

	CHECK(pool != NULL && job != NULL);
	if (pool == NULL || job == NULL) {
		free(job);
		odf_pool_free(pool);
		return;
	}
	memcpy(job, "echo ", 5);
	memset(job + 5, 'y', big);
	for (i = 0; i < 8; i++) {
		while (!odf_pool_can_submit(pool, -1)) {
			CHECK_INT(odf_pool_next(pool, &res, 1, &err), 1);
			CHECK_INT(res.len, res.job % 2 ? big : 2u << 20);
			odf_pool_result_free(&res);
			got++;
		}
		if (i % 2)
			CHECK(odf_pool_submit(pool, -1, job, big + 5, &err) == i);
		else
			CHECK(submit(pool, -1, "big 2097152") == i);
	}
	while (odf_pool_next(pool, &res, 1, &err) == 1) {
		CHECK_INT(res.len, res.job % 2 ? big : 2u << 20);
		CHECK(res.data[0] == (res.job % 2 ? 'y' : 'x'));
		odf_pool_result_free(&res);
		got++;
	}
	CHECK_INT(got, 8);
	free(job);
	CHECK_INT(odf_pool_close(pool, &err), 0);
	odf_pool_free(pool);
	CHECK(no_children());
}

UNIT_TEST(an_init_failure_fails_the_pool_and_leaves_no_worker)
{
	int bad = 1;
	struct odf_pool_ops ops = { toy_init, toy_work, toy_fini, &bad };
	struct odf_pool_opts opts = { 3, ODF_POOL_ORDERED, 2 };
	struct odf_error err;

	odf_error_clear(&err);
	CHECK(odf_pool_new(&opts, &ops, &err) == NULL);
	CHECK_INT(err.code, ODF_E_AUTH);
	CHECK_STR(err.message, "worker 1 cannot log in");
	CHECK(no_children());
}

UNIT_TEST(bad_worker_counts_are_usage_errors)
{
	struct odf_pool_opts opts = { 0, ODF_POOL_ORDERED, 2 };
	struct odf_error err;

	odf_error_clear(&err);
	CHECK(odf_pool_new(&opts, &plain_ops, &err) == NULL);
	CHECK_INT(err.code, ODF_E_USAGE);
	opts.workers = ODF_POOL_MAX_WORKERS + 1;
	CHECK(odf_pool_new(&opts, &plain_ops, &err) == NULL);
	CHECK(no_children());
}

UNIT_TEST(workers_are_separate_processes_and_close_reaps_them)
{
	struct odf_pool *pool = start(3, ODF_POOL_ROUTED, 1, &plain_ops);
	struct odf_pool_result res;
	struct odf_error err;
	long pids[3] = { 0, 0, 0 };
	int i;

	CHECK(pool != NULL);
	if (pool == NULL)
		return;
	for (i = 0; i < 3; i++)
		submit(pool, i, "pid");
	while (odf_pool_next(pool, &res, 1, &err) == 1) {
		pids[res.worker] = strtol(res.data, NULL, 10);
		odf_pool_result_free(&res);
	}
	CHECK(pids[0] > 0 && pids[0] != pids[1] && pids[1] != pids[2] && pids[0] != pids[2]);
	CHECK(pids[0] != (long)getpid());
	CHECK_INT(odf_pool_close(pool, &err), 0);
	for (i = 0; i < 3; i++)
		CHECK(kill((pid_t)pids[i], 0) == -1 && errno == ESRCH);
	odf_pool_free(pool);
	CHECK(no_children());
}

UNIT_TEST(close_reports_a_worker_that_died_idle)
{
	struct odf_pool *pool = start(1, ODF_POOL_ROUTED, 1, &plain_ops);
	struct odf_pool_result res;
	struct odf_error err;
	long pid;

	CHECK(pool != NULL);
	if (pool == NULL)
		return;
	submit(pool, 0, "pid");
	CHECK_INT(odf_pool_next(pool, &res, 1, &err), 1);
	pid = strtol(res.data, NULL, 10);
	odf_pool_result_free(&res);
	kill((pid_t)pid, SIGTERM);
	odf_error_clear(&err);
	CHECK_INT(odf_pool_close(pool, &err), -1);
	CHECK(strstr(err.message, "worker 0") != NULL);
	CHECK(strstr(err.message, "signal 15") != NULL);
	odf_pool_free(pool);
	CHECK(no_children());
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	RUN(ordered_results_come_back_in_submission_order);
	RUN(the_pool_is_full_at_workers_times_depth);
	RUN(init_runs_in_each_worker_after_the_fork);
	RUN(routed_results_arrive_as_they_finish);
	RUN(a_failing_job_carries_its_error_and_the_worker_goes_on);
	RUN(a_crashed_worker_gives_back_the_jobs_it_held);
	RUN(a_sigkilled_worker_is_named_with_its_job_and_ordered_mode_routes_around);
	RUN(large_jobs_and_results_cross_without_deadlock);
	RUN(an_init_failure_fails_the_pool_and_leaves_no_worker);
	RUN(bad_worker_counts_are_usage_errors);
	RUN(workers_are_separate_processes_and_close_reaps_them);
	RUN(close_reports_a_worker_that_died_idle);
	return unit_done();
}
