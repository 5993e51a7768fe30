/*
 * odf-transform: NDJSON records through a jq program, compiled once.
 *
 *   odf-transform [options] [PROGRAM | -f FILE] [INPUT...]
 *
 * Parse options into the engine → compile (before any input is read) →
 * run over the inputs → report failures and the summary → exit status.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "odf/options.h"
#include "odf/transform.h"

/* The reader of standard output went away: a quiet stop, as if by SIGPIPE. */
#define EXIT_OUTPUT_CLOSED (128 + SIGPIPE)
/* Failures printed on standard error when they also go to a reject file. */
#define MAX_SHOWN 10

struct options {
	const char *program;    /* text, or NULL */
	const char *from_file;  /* -f FILE, or NULL */
	const char *reject;     /* --reject FILE, or NULL */
	int fail_fast;
	long jobs;
	char **inputs;
	int ninputs;
};

struct report {
	const char *reject;
	long shown;
};

static struct options opt;
/* The engine the options go into: variables and module paths. */
static struct odf_transform *engine;

static int
library_path_option(const struct odf_option *o, const char *arg, const char *arg2,
    struct odf_error *err)
{
	(void)o;
	(void)arg2;
	return odf_transform_library_path(engine, arg, err) < 0 ? -1 : 0;
}

static int
arg_option(const struct odf_option *o, const char *name, const char *value,
    struct odf_error *err)
{
	if (o->aux != NULL)
		return odf_transform_argjson(engine, name, value, err) < 0 ? -1 : 0;
	return odf_transform_arg(engine, name, value, err) < 0 ? -1 : 0;
}

static const struct odf_option options[] = {
	ODF_OPT_STRING('f', "from-file", &opt.from_file, "FILE", "read the program from FILE"),
	ODF_OPT_CALLBACK2(0, "arg", arg_option, NULL, "NAME VALUE", "$NAME is the string VALUE"),
	ODF_OPT_CALLBACK2(0, "argjson", arg_option, "json", "NAME JSON", "$NAME is the JSON value"),
	ODF_OPT_CALLBACK('L', "library-path", library_path_option, NULL, "DIR",
	    "search jq modules in DIR (the odf module is\n"
	    "found without it: import \"odf\" as odf;)"),
	ODF_OPT_COUNT('j', "jobs", &opt.jobs, "N", 1, 64, "worker processes (output in input order)"),
	ODF_OPT_STRING(0, "reject", &opt.reject, "FILE", "write failed records there, with _odf_error"),
	ODF_OPT_FLAG(0, "fail-fast", &opt.fail_fast, "stop at the first failed record"),
	ODF_OPT_END(),
};

static const struct odf_command command = {
	"odf transform", "[options] [PROGRAM | -f FILE] [INPUT...]",
	"Each record (one JSON object a line) goes through the jq PROGRAM; its\n"
	"outputs (objects, zero or more) are written one a line. No program:\n"
	"each line is checked to be a JSON object and written compact.\n",
	"Exit status: 0 all records done, 65 some records failed, 64 usage or a\n"
	"program that does not compile, 66 an input missing, 74 an i/o error,\n"
	"141 standard output closed; halt_error's own status. See odf-transform(1).\n",
	options,
};

/* Options into opt and into the engine. -1 to go on, else the exit status. */
static int
parse_options(int argc, char **argv)
{
	int rc, operand;

	opt.jobs = 1;
	if ((rc = odf_parse_options(&command, argc, argv, &operand)) != ODF_OPTIONS_GO_ON)
		return rc;
	if (opt.from_file == NULL && operand < argc)
		opt.program = argv[operand++];
	opt.inputs = argv + operand;
	opt.ninputs = argc - operand;
	return -1;
}

/* Whether path is one of the inputs (standard input for "-" or when there
 * is none): opening it as the reject file would empty it unread. */
static int
reject_is_input(const char *path, char *const *inputs, int ninputs)
{
	static char *const stdin_only[] = { "-" };
	struct stat rs, is;

	if (stat(path, &rs) != 0 || !S_ISREG(rs.st_mode))
		return 0;
	if (ninputs == 0) {
		inputs = stdin_only;
		ninputs = 1;
	}
	for (int i = 0; i < ninputs; i++) {
		int r = strcmp(inputs[i], "-") == 0 ? fstat(STDIN_FILENO, &is) :
		    stat(inputs[i], &is);

		if (r == 0 && is.st_dev == rs.st_dev && is.st_ino == rs.st_ino)
			return 1;
	}
	return 0;
}

static void
report_failure(void *ctx, const char *file, long lineno, const char *message)
{
	struct report *r = ctx;

	if (r->reject == NULL || r->shown < MAX_SHOWN)
		fprintf(stderr, "%s: %s: line %ld: %s\n", command.name, file, lineno, message);
	else if (r->shown == MAX_SHOWN)
		fprintf(stderr, "%s: further failures are only in %s\n", command.name, r->reject);
	r->shown++;
}

/* Say how the run ended; the exit status. */
static int
summary(const struct options *o, const struct odf_transform_stats *st)
{
	if (st->halt_message != NULL) {
		size_t n = strlen(st->halt_message);

		/* As is, as jq prints it; but on a line of its own when the
		 * count follows. */
		fputs(st->halt_message, stderr);
		if (n > 0 && st->halt_message[n - 1] != '\n' && st->failed > 0)
			fputc('\n', stderr);
	}
	if (st->failed > 0)
		fprintf(stderr, "%s: %ld of %ld records failed%s%s%s\n", command.name, st->failed,
		    st->records, o->reject != NULL ? "; they are in " : "",
		    o->reject != NULL ? o->reject : "; use --reject FILE to keep them",
		    st->stopped ? "; stopped at the first (--fail-fast)" : "");
	if (st->halted && st->halt_status != 0)
		return st->halt_status;
	if (st->failed > 0)
		return EX_DATAERR;
	if (st->output_closed)
		return EXIT_OUTPUT_CLOSED;
	return 0;
}

int
main(int argc, char **argv)
{
	struct odf_transform_stats st = { 0 };
	struct report rep = { 0 };
	struct odf_transform_run_opts run = { .out_fd = STDOUT_FILENO,
	    .on_reject = report_failure, .ctx = &rep };
	struct odf_transform *t;
	struct odf_error err;
	int rc, status;

	signal(SIGPIPE, SIG_IGN);
	odf_error_clear(&err);
	if ((t = engine = odf_transform_new(&err)) == NULL) {
		odf_error_print(command.name, &err);
		return EX_OSERR;
	}
	if ((status = parse_options(argc, argv)) >= 0) {
		odf_transform_free(t);
		return status;
	}
	if (odf_transform_prepare(t, opt.program, opt.from_file, &err) < 0) {
		odf_error_print(command.name, &err);
		odf_transform_free(t);
		return odf_error_exit_status(&err);
	}
	if (opt.reject != NULL && reject_is_input(opt.reject, opt.inputs, opt.ninputs)) {
		fprintf(stderr, "%s: %s: the reject file is also an input\n", command.name,
		    opt.reject);
		odf_transform_free(t);
		return EX_USAGE;
	}
	/* A missing input must not cost an earlier reject file its records. */
	if (opt.reject != NULL && odf_transform_check_inputs(opt.inputs, opt.ninputs, &err) < 0) {
		odf_error_print(command.name, &err);
		odf_transform_free(t);
		return odf_error_exit_status(&err);
	}
	if (opt.reject != NULL && (run.reject = fopen(opt.reject, "w")) == NULL) {
		fprintf(stderr, "%s: %s: cannot create: %s\n", command.name, opt.reject,
		    strerror(errno));
		odf_transform_free(t);
		return EX_CANTCREAT;
	}
	run.workers = (int)opt.jobs;
	run.fail_fast = opt.fail_fast;
	run.reject_name = rep.reject = opt.reject;
	rc = odf_transform_run(t, opt.inputs, opt.ninputs, &run, &st, &err);
	status = summary(&opt, &st);
	if (rc < 0) {
		odf_error_print(command.name, &err);
		status = odf_error_exit_status(&err);
	}
	if (run.reject != NULL && fclose(run.reject) != 0 && rc == 0) {
		fprintf(stderr, "%s: %s: %s\n", command.name, opt.reject, strerror(errno));
		status = EX_IOERR;
	}
	free(st.halt_message);
	odf_transform_free(t);
	return status;
}
