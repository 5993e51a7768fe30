/*
 * odf-import: NDJSON records into an Odoo model with load, in batches, by
 * parallel workers; what does not land goes to the fail file.
 *
 *   odf-import -c CONF -m MODEL [options] [FILE]
 *
 * Parse options → open the input and the fail file → start the workers and
 * connect (nothing written yet) → run the load loop → summary → exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "odf/cli.h"
#include "odf/domain.h"
#include "odf/importer.h"
#include "odf/progress.h"
#include "odf/report.h"

/* Some records are in the fail file (or --check found problems). */
#define EXIT_SOME_FAILED EX_DATAERR

static const char *prog = "odf-import";

struct options {
	const char *conf, *model, *input, *fail_file, *context;
	long batch_size, workers;
	char **ignore, **groupby, **deferred;
	size_t nignore, ngroupby, ndeferred;
	int check, quiet;
	char default_fail[300];
};

/* What the user sees while it runs. */
struct ui {
	struct odf_progress bar;
	struct odf_report report;
	long long size;         /* input bytes, when a regular file */
};

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: %s -c CONF -m MODEL [options] [FILE]\n"
	    "\n"
	    "Load NDJSON records (nested or flat, as odf-export writes them) from FILE\n"
	    "or standard input into MODEL with Odoo's load. Records that do not land\n"
	    "go to the fail file with the reason; feed it back in to retry them.\n"
	    "\n"
	    "  -c, --config CONF        connection.conf of the destination\n"
	    "  -m, --model MODEL        the model, e.g. res.partner\n"
	    "  -b, --batch-size N       records a load call (default 10)\n"
	    "  -w, --worker N           parallel workers, each its own connection (1)\n"
	    "      --context DICT       load's context (default {'tracking_disable': True})\n"
	    "      --ignore FIELDS      drop these fields from every record\n"
	    "      --groupby FIELDS     records with equal values go to one worker\n"
	    "      --deferred FIELDS    write these fields in a second pass (many2one\n"
	    "                           fields to MODEL itself are deferred anyway)\n"
	    "      --fail-file PATH     default MODEL_fail.ndjson\n"
	    "      --check              check the records against the model, load nothing\n"
	    "  -q, --quiet              no progress, no retry notices, no summary\n"
	    "                           unless something failed\n"
	    "  -h, --help               this help;  -V, --version  the version\n"
	    "\n"
	    "Exit status: 0 every record landed, 65 some records are in the fail file\n"
	    "(or --check found problems), 64 usage, unknown model or field, 66 no input,\n"
	    "69 server unreachable, 74 i/o error, 77 login refused, 78 bad conf.\n"
	    "See odf-import(1).\n", prog);
}

/* A comma-separated option into a list (the last given wins). */
static int
list_option(const char *option, const char *arg, char ***list, size_t *n,
    struct odf_error *err)
{
	free(*list);
	*list = odf_split_list(option, arg, n, err);
	return *list == NULL ? -1 : 0;
}

/* 0 to run, 1 when done (help, version), -1 with err. */
static int
parse_options(int argc, char **argv, struct options *o, struct odf_error *err)
{
	enum { OPT_CONTEXT = 256, OPT_IGNORE, OPT_GROUPBY, OPT_DEFERRED, OPT_FAIL,
		OPT_CHECK };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "model", required_argument, NULL, 'm' },
		{ "batch-size", required_argument, NULL, 'b' },
		{ "worker", required_argument, NULL, 'w' },
		{ "workers", required_argument, NULL, 'w' },
		{ "context", required_argument, NULL, OPT_CONTEXT },
		{ "ignore", required_argument, NULL, OPT_IGNORE },
		{ "groupby", required_argument, NULL, OPT_GROUPBY },
		{ "deferred", required_argument, NULL, OPT_DEFERRED },
		{ "fail-file", required_argument, NULL, OPT_FAIL },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	o->batch_size = 10;
	o->workers = 1;
	o->context = "{'tracking_disable': True}";
	opterr = 0;
	while (rc == 0 && (c = getopt_long(argc, argv, ":c:m:b:w:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->conf = optarg; break;
		case 'm': o->model = optarg; break;
		case 'b':
			rc = odf_parse_count("--batch-size", optarg, 1, ODF_IMPORT_MAX_BATCH,
			    &o->batch_size, err);
			break;
		case 'w':
			rc = odf_parse_count("--worker", optarg, 1, 64, &o->workers, err);
			break;
		case OPT_CONTEXT: o->context = optarg; break;
		case OPT_IGNORE: rc = list_option("--ignore", optarg, &o->ignore, &o->nignore, err); break;
		case OPT_GROUPBY: rc = list_option("--groupby", optarg, &o->groupby, &o->ngroupby, err); break;
		case OPT_DEFERRED: rc = list_option("--deferred", optarg, &o->deferred, &o->ndeferred, err); break;
		case OPT_FAIL: o->fail_file = optarg; break;
		case OPT_CHECK: o->check = 1; break;
		case 'q': o->quiet = 1; break;
		case 'h': usage(stdout); return 1;
		case 'V': printf("%s %s\n", prog, ODF_VERSION); return 1;
		case ':':
			return odf_error_set(err, ODF_E_USAGE, "%s needs a value", argv[optind - 1]);
		default:
			return odf_error_set(err, ODF_E_USAGE, "unknown option %s", argv[optind - 1]);
		}
	}
	if (rc != 0)
		return -1;
	if (o->conf == NULL || o->model == NULL)
		return odf_error_set(err, ODF_E_USAGE, "-c CONF and -m MODEL are required");
	if (argc - optind > 1)
		return odf_error_set(err, ODF_E_USAGE, "one input file at most");
	o->input = optind < argc ? argv[optind] : NULL;
	if (o->fail_file == NULL) {
		snprintf(o->default_fail, sizeof(o->default_fail), "%s_fail.ndjson", o->model);
		o->fail_file = o->default_fail;
	}
	return 0;
}

static void
on_progress(const struct odf_import_stats *st, void *arg)
{
	static const char *const keys[] = { "read", "created", "updated", "failed" };
	struct ui *u = arg;
	long values[4] = { st->read, st->created, st->updated, st->failed };

	/* The total, estimated from the bytes read so far. */
	if (u->size > 0 && st->bytes > 0 && st->phase == 1)
		odf_progress_set_total(&u->bar, (long long)((double)st->read *
		    (double)u->size / (double)st->bytes + 0.5));
	odf_progress_count(&u->bar, "failed", st->failed);
	if (st->phase == 2)
		odf_progress_count(&u->bar, "deferred written", st->deferred);
	odf_progress_update(&u->bar, st->created + st->updated + st->failed);
	odf_report_send(&u->report, "import", keys, values, 4, 0);
}

/* Say how it went; the exit status when the run went to its end. */
static int
summary(const struct options *o, const struct odf_import_stats *st, double seconds,
    const char *fail_where)
{
	char rate[96];

	odf_progress_summary(rate, sizeof(rate), st->read, seconds);
	if (o->check) {
		if (!o->quiet || st->failed > 0)
			fprintf(stderr, "%s: %s: checked %ld records: %ld with problems (%ld "
			    "problems)\n", prog, o->model, st->read, st->failed, st->problems);
		return st->failed > 0 ? EXIT_SOME_FAILED : 0;
	}
	if (o->quiet && st->failed == 0)
		return 0;
	fprintf(stderr, "%s: %s: read %ld, created %ld, updated %ld, failed %ld; %s\n",
	    prog, o->model, st->read, st->created, st->updated, st->failed, rate);
	if (st->unsure > 0)
		fprintf(stderr, "%s: %ld of the created may be updates (ir.model.data "
		    "could not be read)\n", prog, st->unsure);
	if (st->failed == 0)
		return 0;
	fprintf(stderr, "%s: the failed records are in %s, each with its \"_odf_error\"\n",
	    prog, fail_where);
	if (st->landed_partial > 0)
		fprintf(stderr, "%s: %ld of them are in Odoo without their deferred values "
		    "(\"landed\": true)\n", prog, st->landed_partial);
	if (st->unknown > 0)
		fprintf(stderr, "%s: %ld of them may be in Odoo: the call was cut short "
		    "and they have no external id\n", prog, st->unknown);
	return EXIT_SOME_FAILED;
}

static void
free_options(struct options *o)
{
	free(o->ignore);
	free(o->groupby);
	free(o->deferred);
}

static void
conf_warning(const char *message, void *arg)
{
	(void)arg;
	fprintf(stderr, "%s: warning: %s\n", prog, message);
}

/* Open what the run needs before connecting; the exit status on failure. */
static int
prepare(const struct options *o, struct odf_conf *conf, cJSON **context,
    struct odf_ndjson_reader **in, struct odf_failfile **fail, struct ui *u,
    struct odf_error *err)
{
	struct stat sb;

	if (odf_context_parse(o->context, context, err) != 0) {
		odf_error_prefix(err, "--context");
		return EX_USAGE;
	}
	if ((*in = odf_ndjson_open(o->input, err)) == NULL)
		return odf_error_exit_status(err);
	if (o->input != NULL && stat(o->input, &sb) == 0 && S_ISREG(sb.st_mode))
		u->size = (long long)sb.st_size;
	if (odf_conf_load(conf, o->conf, conf_warning, NULL, err) != 0)
		return odf_error_exit_status(err);
	if (!o->check && (*fail = odf_failfile_open(o->fail_file, o->input, err)) == NULL)
		return odf_error_exit_status(err);
	return 0;
}

static volatile sig_atomic_t stop_signal;

/* The first Ctrl-C (or SIGTERM) stops the reading and lets the batches
 * under way finish; a second one stops at once. */
static void
on_stop_signal(int sig)
{
	if (stop_signal) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	stop_signal = sig;
}

static void
catch_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void
import_opts(struct odf_import_opts *io, const struct options *o,
    const struct odf_conf *conf, const cJSON *context, struct odf_failfile *fail,
    struct ui *u)
{
	*io = (struct odf_import_opts){
		.conf = conf, .model = o->model, .prog = prog, .diag = stderr,
		.quiet = o->quiet, .batch_size = o->batch_size, .workers = (int)o->workers,
		.context = context,
		.ignore = (const char *const *)o->ignore, .nignore = o->nignore,
		.groupby = (const char *const *)o->groupby, .ngroupby = o->ngroupby,
		.deferred = (const char *const *)o->deferred, .ndeferred = o->ndeferred,
		.check = o->check, .fail = fail, .progress = on_progress, .progress_arg = u,
		.stop = &stop_signal,
	};
}

/*
 * After the run (rc and err its outcome): stop the workers, put the fail
 * file in place, say how it went. Frees im and fail; the exit status.
 */
static int
finish(const struct options *o, struct odf_importer *im, struct odf_failfile *fail,
    struct ui *u, const struct odf_import_stats *st, int rc, const struct odf_error *err)
{
	static const char *const keys[] = { "read", "created", "updated", "failed" };
	const long values[] = { st->read, st->created, st->updated, st->failed };
	long unloaded = st->read - st->created - st->updated - st->failed;
	/* An interrupted run has not read its input whole: the fail file it
	 * reads from must not be replaced, nor an earlier one removed. */
	int complete = rc == 0 && !st->interrupted;
	struct odf_error cerr;
	char where[1100];
	int status = 0, crc;

	odf_progress_end(&u->bar);
	odf_report_send(&u->report, "import", keys, values, 4, 1);
	/* The workers are done before the fail file replaces anything. */
	odf_importer_free(im);
	snprintf(where, sizeof(where), "%s", fail != NULL ? odf_failfile_where(fail) : "");
	odf_error_clear(&cerr);
	crc = odf_failfile_close(fail, complete, &cerr);
	/* A usage error stopped the run before anything was sent: no summary. */
	if (rc == 0 || err->code != ODF_E_USAGE)
		status = summary(o, st, odf_progress_elapsed(&u->bar),
		    complete ? o->fail_file : where);
	if (rc == 0 && st->interrupted) {
		fprintf(stderr, "%s: interrupted by %s: stopped reading after line %ld of %s; "
		    "the records after it were not read\n", prog, strsignal(stop_signal),
		    st->last_line, o->input != NULL ? o->input : "<stdin>");
		status = 128 + stop_signal;
	}
	if (rc != 0) {
		odf_error_print(prog, err);
		status = odf_error_exit_status(err);
		if (err->code != ODF_E_USAGE && unloaded > 0)
			fprintf(stderr, "%s: stopped: %ld records read were not loaded; run the "
			    "same command again (records with an external id load again safely)\n",
			    prog, unloaded);
	}
	if (crc != 0) {
		odf_error_print(prog, &cerr);
		if (complete)
			status = odf_error_exit_status(&cerr);
	}
	return status;
}

int
main(int argc, char **argv)
{
	struct options o = { 0 };
	struct odf_conf conf = { 0 };
	struct odf_import_stats st = { 0 };
	struct odf_import_opts io;
	struct odf_ndjson_reader *in = NULL;
	struct odf_failfile *fail = NULL;
	struct odf_importer *im;
	struct odf_error err;
	struct ui u = { 0 };
	cJSON *context = NULL;
	int rc, status;

	prog = odf_prog_name(argv[0]);
	signal(SIGPIPE, SIG_IGN);
	odf_error_clear(&err);
	if ((rc = parse_options(argc, argv, &o, &err)) != 0) {
		if (rc < 0) {
			odf_error_print(prog, &err);
			fprintf(stderr, "try '%s --help'\n", prog);
		}
		free_options(&o);
		return rc < 0 ? EX_USAGE : 0;
	}
	if ((status = prepare(&o, &conf, &context, &in, &fail, &u, &err)) != 0) {
		odf_error_print(prog, &err);
		goto out;
	}
	import_opts(&io, &o, &conf, context, fail, &u);
	odf_report_open(&u.report);
	odf_progress_init(&u.bar, stderr, !o.quiet && isatty(STDERR_FILENO), o.model, -1);
	if ((im = odf_importer_new(&io, &err)) == NULL) {
		odf_error_print(prog, &err);
		status = odf_error_exit_status(&err);
		goto out;
	}
	catch_stop_signals();
	rc = odf_importer_run(im, in, &st, &err);
	status = finish(&o, im, fail, &u, &st, rc, &err);
	fail = NULL;
out:
	(void)odf_failfile_close(fail, 0, &err);
	odf_ndjson_close(in);
	cJSON_Delete(context);
	odf_conf_free(&conf);
	free_options(&o);
	return status;
}
