/*
 * A pipeline of programs joined by pipes, as a shell would run
 * "a | b | c", without a shell: fork, exec, wait, and stop the others when
 * one fails. Nothing of the data passes through the caller.
 */
#ifndef ODF_PIPELINE_H
#define ODF_PIPELINE_H

#include <sys/types.h>

#include "odf/error.h"

struct odf_stage {
	const char *name;       /* for messages, e.g. "odf-import" */
	char *const *argv;      /* argv[0] is the path to execute; borrowed */
	const char *env[2];     /* "NAME=VALUE" strings added to its environment,
	                         * borrowed; NULL for none */
	/* Filled in by odf_pipeline_run: */
	pid_t pid;
	int status;             /* as from waitpid */
	int order;              /* 1 for the first stage to end, 2 next, ... */
	int stopped;            /* ended by a signal the pipeline sent */
	int interrupted;        /* was passed on a SIGINT */
};

struct odf_pipeline_opts {
	/* Called with each line a stage writes to the shared progress pipe,
	 * whose descriptor the stages find in ODF_PROGRESS_FD; NULL: none. */
	void (*progress)(const char *line, void *arg);
	/* Called about four times a second while the stages run. */
	void (*tick)(void *arg);
	void *arg;
	/* Seconds the others get to finish after one stage failed or after
	 * SIGINT/SIGTERM, before they are sent SIGTERM, then SIGKILL. */
	double grace;
};

/*
 * Run the n stages, the standard output of each feeding the standard input
 * of the next; the first reads /dev/null, the last writes to our standard
 * output, all share our standard error. Returns when every stage has been
 * waited for: 0 when all exited 0, 1 when one did not (see the stages'
 * status, order and stopped), -1 with err when a stage could not be
 * started (those already started are stopped and waited for).
 */
int odf_pipeline_run(struct odf_stage *stages, size_t n,
    const struct odf_pipeline_opts *opts, struct odf_error *err);

/* "exited with status 65", "was killed by signal 9", ... into buf. */
const char *odf_stage_describe(const struct odf_stage *stage, char *buf, size_t size);

/* Whether a stage ended badly on its own: not stopped by the pipeline,
 * nor by a closed pipe downstream (SIGPIPE, or exit status 141). */
int odf_stage_failed(const struct odf_stage *stage);

#endif
