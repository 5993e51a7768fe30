/*
 * odf-transform: NDJSON records through a jq program, compiled once.
 *
 *   odf-transform [options] [PROGRAM | -f FILE] [INPUT...]
 *
 * Parse options into the engine → compile (before any input is read) →
 * run over the inputs → report failures and the summary → exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "odf/cli.h"
#include "odf/transform.h"

/* The reader of standard output went away: a quiet stop, as if by SIGPIPE. */
#define EXIT_OUTPUT_CLOSED (128 + SIGPIPE)
/* Failures printed on standard error when they also go to a reject file. */
#define MAX_SHOWN 10

static const char *prog = "odf-transform";

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

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: %s [options] [PROGRAM | -f FILE] [INPUT...]\n"
	    "\n"
	    "Each record (one JSON object a line) goes through the jq PROGRAM; its\n"
	    "outputs (objects, zero or more) are written one a line. No program:\n"
	    "each line is checked to be a JSON object and written compact.\n"
	    "\n"
	    "  -f, --from-file FILE     read the program from FILE\n"
	    "      --arg NAME VALUE     $NAME is the string VALUE\n"
	    "      --argjson NAME JSON  $NAME is the JSON value\n"
	    "  -L, --library-path DIR   search jq modules in DIR (the odf module is\n"
	    "                           found without it: import \"odf\" as odf;)\n"
	    "  -j, --jobs N             N worker processes (output in input order)\n"
	    "      --reject FILE        write failed records there, with _odf_error\n"
	    "      --fail-fast          stop at the first failed record\n"
	    "  -h, --help               this help;  -V, --version  the version\n"
	    "\n"
	    "Exit status: 0 all records done, 65 some records failed, 64 usage or a\n"
	    "program that does not compile, 66 an input missing, 74 an i/o error,\n"
	    "141 standard output closed; halt_error's own status. See odf-transform(1).\n",
	    prog);
}

/*
 * Options into o and into the engine (variables, module path). 0 to run,
 * 1 when done (help, version), -1 with err.
 */
static int
parse_options(int argc, char **argv, struct options *o, struct odf_transform *t,
    struct odf_error *err)
{
	enum { OPT_ARG = 256, OPT_ARGJSON, OPT_REJECT, OPT_FAIL_FAST };
	static const struct option longopts[] = {
		{ "from-file", required_argument, NULL, 'f' },
		{ "arg", required_argument, NULL, OPT_ARG },
		{ "argjson", required_argument, NULL, OPT_ARGJSON },
		{ "library-path", required_argument, NULL, 'L' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "reject", required_argument, NULL, OPT_REJECT },
		{ "fail-fast", no_argument, NULL, OPT_FAIL_FAST },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	o->jobs = 1;
	opterr = 0;
	while (rc == 0 && (c = getopt_long(argc, argv, ":f:L:j:hV", longopts, NULL)) != -1) {
		const char *value;

		switch (c) {
		case 'f': o->from_file = optarg; break;
		case 'L': rc = odf_transform_library_path(t, optarg, err); break;
		case 'j': rc = odf_parse_count("--jobs", optarg, 1, 64, &o->jobs, err); break;
		case OPT_REJECT: o->reject = optarg; break;
		case OPT_FAIL_FAST: o->fail_fast = 1; break;
		case OPT_ARG:
		case OPT_ARGJSON:
			/* Two values, as in jq: the name, then the next argument. */
			if (optind >= argc)
				return odf_error_set(err, ODF_E_USAGE, "--%s takes a name and a value",
				    c == OPT_ARG ? "arg" : "argjson");
			value = argv[optind++];
			rc = c == OPT_ARG ? odf_transform_arg(t, optarg, value, err) :
			    odf_transform_argjson(t, optarg, value, err);
			break;
		case 'h': usage(stdout); return 1;
		case 'V': printf("%s %s\n", prog, ODF_VERSION); return 1;
		case ':':
			return odf_error_set(err, ODF_E_USAGE, "%s needs a value", argv[optind - 1]);
		default:
			return odf_error_set(err, ODF_E_USAGE, "unknown option %s", argv[optind - 1]);
		}
	}
	if (rc < 0)
		return -1;
	if (o->from_file == NULL && optind < argc)
		o->program = argv[optind++];
	o->inputs = argv + optind;
	o->ninputs = argc - optind;
	return 0;
}

/* The odf module, then compile: before any input is read. */
static int
compile(struct odf_transform *t, const struct options *o, struct odf_error *err)
{
	char dir[PATH_MAX];

	if (odf_transform_module_dir(NULL, dir, sizeof(dir)) == 0 &&
	    odf_transform_library_path(t, dir, err) < 0)
		return -1;
	if (o->from_file != NULL)
		return odf_transform_compile_file(t, o->from_file, err);
	return odf_transform_compile(t, o->program, NULL, NULL, err);
}

static void
report_failure(void *ctx, const char *file, long lineno, const char *message)
{
	struct report *r = ctx;

	if (r->reject == NULL || r->shown < MAX_SHOWN)
		fprintf(stderr, "%s: %s: line %ld: %s\n", prog, file, lineno, message);
	else if (r->shown == MAX_SHOWN)
		fprintf(stderr, "%s: further failures are only in %s\n", prog, r->reject);
	r->shown++;
}

/* Say how the run ended; the exit status. */
static int
summary(const struct options *o, const struct odf_transform_stats *st)
{
	if (st->halt_message != NULL)
		fputs(st->halt_message, stderr);
	if (st->failed > 0)
		fprintf(stderr, "%s: %ld of %ld records failed%s%s%s\n", prog, st->failed,
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
	struct options o = { 0 };
	struct odf_transform_stats st = { 0 };
	struct report rep = { 0 };
	struct odf_transform_run_opts run = { .out_fd = STDOUT_FILENO,
	    .on_reject = report_failure, .ctx = &rep };
	struct odf_transform *t;
	struct odf_error err;
	int rc, status;

	prog = odf_prog_name(argv[0]);
	signal(SIGPIPE, SIG_IGN);
	odf_error_clear(&err);
	if ((t = odf_transform_new(&err)) == NULL) {
		odf_error_print(prog, &err);
		return EX_OSERR;
	}
	rc = parse_options(argc, argv, &o, t, &err);
	if (rc != 0) {
		if (rc < 0) {
			odf_error_print(prog, &err);
			fprintf(stderr, "try '%s --help'\n", prog);
		}
		odf_transform_free(t);
		return rc < 0 ? EX_USAGE : 0;
	}
	if (compile(t, &o, &err) < 0) {
		odf_error_print(prog, &err);
		odf_transform_free(t);
		return odf_error_exit_status(&err);
	}
	if (o.reject != NULL && (run.reject = fopen(o.reject, "w")) == NULL) {
		fprintf(stderr, "%s: %s: cannot create: %s\n", prog, o.reject, strerror(errno));
		odf_transform_free(t);
		return EX_CANTCREAT;
	}
	run.workers = (int)o.jobs;
	run.fail_fast = o.fail_fast;
	rep.reject = o.reject;
	rc = odf_transform_run(t, o.inputs, o.ninputs, &run, &st, &err);
	status = summary(&o, &st);
	if (rc < 0) {
		odf_error_print(prog, &err);
		status = odf_error_exit_status(&err);
	}
	if (run.reject != NULL && fclose(run.reject) != 0 && rc == 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, o.reject, strerror(errno));
		status = EX_IOERR;
	}
	free(st.halt_message);
	odf_transform_free(t);
	return status;
}
