/*
 * Stages joined by pipes, started with fork/exec and waited for. Stages
 * share our process group, so a Ctrl-C from the terminal reaches each of
 * them once, as in a shell pipeline; a signal sent to us alone is passed on.
 */
#define _GNU_SOURCE             /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "odf/clock.h"
#include "odf/pipeline.h"

static volatile sig_atomic_t got_signal;     /* to pass on to the stages */
static volatile sig_atomic_t interrupted;

static void
on_signal(int sig, siginfo_t *info, void *ctx)
{
	(void)ctx;
	interrupted = sig;
	/* The terminal's signals already reached every stage. */
	if (sig == SIGTERM || info->si_code == SI_USER || info->si_code == SI_QUEUE)
		got_signal = sig;
}

static void
close_if_open(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* In the child: wire stdin/stdout, then exec; on failure report errno on
 * the close-on-exec pipe, which the parent reads as "exec failed". */
static void __attribute__((noreturn))
exec_stage(const struct odf_stage *s, int in, int out, int progress, int report)
{
	char env[32];
	size_t i;
	int e;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if ((in != STDIN_FILENO && dup2(in, STDIN_FILENO) < 0) ||
	    (out != STDOUT_FILENO && dup2(out, STDOUT_FILENO) < 0))
		goto fail;
	if (progress >= 0) {
		if (fcntl(progress, F_SETFD, 0) < 0)
			goto fail;
		snprintf(env, sizeof(env), "%d", progress);
		setenv("ODF_PROGRESS_FD", env, 1);
	}
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	for (i = 0; i < sizeof(s->env) / sizeof(s->env[0]); i++)
		if (s->env[i] != NULL && putenv((char *)s->env[i]) != 0)
			goto fail;
	execv(s->argv[0], s->argv);
fail:
	e = errno;
	if (write(report, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

static int
start_stage(struct odf_stage *s, int in, int out, int progress, struct odf_error *err)
{
	int report[2], e, n;

	if (pipe2(report, O_CLOEXEC) < 0)
		return odf_error_set(err, ODF_E_IO, "pipe: %s", strerror(errno));
	s->pid = fork();
	if (s->pid < 0) {
		e = errno;
		close(report[0]);
		close(report[1]);
		return odf_error_set(err, ODF_E_IO, "fork: %s", strerror(e));
	}
	if (s->pid == 0) {
		close(report[0]);
		exec_stage(s, in, out, progress, report[1]);
	}
	close(report[1]);
	do
		n = (int)read(report[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(report[0]);
	if (n == (int)sizeof(e)) {
		waitpid(s->pid, &s->status, 0);
		s->pid = 0;
		return odf_error_set(err, ODF_E_SOFTWARE, "cannot run %s (%s): %s", s->name,
		    s->argv[0], strerror(e));
	}
	return 0;
}

static void
signal_stages(struct odf_stage *stages, size_t n, size_t upto, int sig)
{
	size_t i;

	for (i = 0; i < n && i < upto; i++) {
		if (stages[i].pid > 0 && stages[i].order == 0) {
			kill(stages[i].pid, sig);
			/* A stage may catch SIGINT and fail on its own account;
			 * one that just dies of it was stopped (see reap). */
			if (sig != SIGINT)
				stages[i].stopped = 1;
			else
				stages[i].interrupted = 1;
		}
	}
}

/* Pass the progress pipe's complete lines to the callback. */
static void
read_progress(int fd, char *buf, size_t size, size_t *len,
    const struct odf_pipeline_opts *opts)
{
	ssize_t r;
	char *nl;

	while ((r = read(fd, buf + *len, size - 1 - *len)) > 0) {
		*len += (size_t)r;
		buf[*len] = '\0';
		while ((nl = strchr(buf, '\n')) != NULL) {
			*nl = '\0';
			if (opts->progress != NULL)
				opts->progress(buf, opts->arg);
			*len -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, *len + 1);
		}
		if (*len == size - 1)
			*len = 0;       /* a line too long to be ours */
	}
}

/* Reap what has ended; on a failure stop the stages upstream of it, which
 * would otherwise go on fetching data nobody reads. */
static size_t
reap(struct odf_stage *stages, size_t n, int *order, double *deadline, double grace)
{
	size_t i, left = 0;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < n; i++) {
			if (stages[i].pid != pid)
				continue;
			stages[i].status = status;
			stages[i].order = ++*order;
			if (stages[i].interrupted && WIFSIGNALED(status) &&
			    WTERMSIG(status) == SIGINT)
				stages[i].stopped = 1;
			if (odf_stage_failed(&stages[i])) {
				signal_stages(stages, n, i, SIGTERM);
				if (*deadline == 0)
					*deadline = odf_clock() + grace;
			}
		}
	}
	for (i = 0; i < n; i++)
		left += stages[i].pid > 0 && stages[i].order == 0;
	return left;
}

int
odf_pipeline_run(struct odf_stage *stages, size_t n, const struct odf_pipeline_opts *opts,
    struct odf_error *err)
{
	struct sigaction sa, old_int, old_term, old_pipe;
	int in = -1, fds[2], progress[2] = { -1, -1 }, order = 0, rc = 0, killed = 0;
	double deadline = 0, grace = opts->grace > 0 ? opts->grace : 10;
	char line[4096];
	size_t i, len = 0, left;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigaction(SIGPIPE, &sa, &old_pipe);
	got_signal = interrupted = 0;

	if (pipe2(progress, O_CLOEXEC | O_NONBLOCK) < 0) {
		rc = odf_error_set(err, ODF_E_IO, "pipe: %s", strerror(errno));
		goto restore;
	}
	if ((in = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
		rc = odf_error_set(err, ODF_E_IO, "/dev/null: %s", strerror(errno));
		goto restore;
	}
	for (i = 0; i < n; i++) {
		stages[i].pid = 0;
		stages[i].status = stages[i].order = stages[i].stopped = 0;
		stages[i].interrupted = 0;
	}
	for (i = 0; i < n; i++) {
		int out = STDOUT_FILENO;

		fds[0] = fds[1] = -1;
		if (i + 1 < n) {
			if (pipe2(fds, O_CLOEXEC) < 0) {
				rc = odf_error_set(err, ODF_E_IO, "pipe: %s", strerror(errno));
				break;
			}
			out = fds[1];
		}
		rc = start_stage(&stages[i], in, out, progress[1], err);
		close_if_open(&in);
		close_if_open(&fds[1]);
		in = fds[0];
		if (rc != 0)
			break;
	}
	close_if_open(&in);
	close_if_open(&progress[1]);
	if (rc != 0) {
		/* Those started see end of input or a closed pipe; make sure. */
		signal_stages(stages, n, n, SIGTERM);
		deadline = odf_clock() + grace;
	}

	while ((left = reap(stages, n, &order, &deadline, grace)) > 0) {
		struct pollfd pfd = { progress[0], POLLIN, 0 };

		if (got_signal) {
			signal_stages(stages, n, n, got_signal == SIGTERM ? SIGTERM : SIGINT);
			got_signal = 0;
		}
		if (interrupted && deadline == 0)
			deadline = odf_clock() + grace;
		if (deadline != 0 && odf_clock() > deadline) {
			signal_stages(stages, n, n, killed ? SIGKILL : SIGTERM);
			killed = 1;
			deadline = odf_clock() + grace;
		}
		if (poll(&pfd, 1, 250) > 0)
			read_progress(progress[0], line, sizeof(line), &len, opts);
		if (opts->tick != NULL)
			opts->tick(opts->arg);
	}
	read_progress(progress[0], line, sizeof(line), &len, opts);
	if (rc == 0)
		for (i = 0; i < n; i++)
			if (stages[i].status != 0 || stages[i].stopped)
				rc = 1;
restore:
	close_if_open(&in);
	close_if_open(&progress[0]);
	close_if_open(&progress[1]);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	return rc;
}

int
odf_stage_failed(const struct odf_stage *s)
{
	/* A stage whose reader went away ends by SIGPIPE (or, ignoring it,
	 * with 141 as a shell would show it): the cause lies downstream. */
	if (s->stopped || (WIFSIGNALED(s->status) && WTERMSIG(s->status) == SIGPIPE) ||
	    (WIFEXITED(s->status) && WEXITSTATUS(s->status) == 128 + SIGPIPE))
		return 0;
	return s->status != 0;
}

const char *
odf_stage_describe(const struct odf_stage *s, char *buf, size_t size)
{
	if (WIFEXITED(s->status))
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(s->status));
	else if (WIFSIGNALED(s->status))
		snprintf(buf, size, "was %s by signal %d (%s)",
		    s->stopped ? "stopped" : "killed", WTERMSIG(s->status),
		    strsignal(WTERMSIG(s->status)));
	else
		snprintf(buf, size, "ended with status %d", s->status);
	return buf;
}
