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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "odf/connect.h"
#include "odf/domain.h"
#include "odf/importer.h"
#include "odf/options.h"
#include "odf/pool.h"
#include "odf/progress.h"
#include "odf/report.h"

/* Some records are in the fail file (or --check found problems). */
#define EXIT_SOME_FAILED EX_DATAERR

static const char *const prog = "odf import";

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

static struct options opt;

static const struct odf_option options[] = {
	ODF_OPT_STRING('c', "config", &opt.conf, "CONF", "connection.conf of the destination"),
	ODF_OPT_STRING('m', "model", &opt.model, "MODEL", "the model, e.g. res.partner"),
	ODF_OPT_COUNT('b', "batch-size", &opt.batch_size, "N", 1, ODF_IMPORT_MAX_BATCH,
	    "records a load call"),
	ODF_OPT_COUNT('w', "worker", &opt.workers, "N", 1, ODF_POOL_MAX_WORKERS,
	    "parallel workers, each its own connection"),
	ODF_OPT_COUNT(0, "workers", &opt.workers, "N", 1, ODF_POOL_MAX_WORKERS, NULL),
	ODF_OPT_STRING(0, "context", &opt.context, "DICT",
	    "load's context (default {'tracking_disable': True})"),
	ODF_OPT_LIST(0, "ignore", &opt.ignore, &opt.nignore, "FIELDS",
	    "drop these fields from every record"),
	ODF_OPT_LIST(0, "groupby", &opt.groupby, &opt.ngroupby, "FIELDS",
	    "records with equal values go to one worker"),
	ODF_OPT_LIST(0, "deferred", &opt.deferred, &opt.ndeferred, "FIELDS",
	    "write these fields in a second pass (many2one\n"
	    "fields to MODEL itself are deferred anyway)"),
	ODF_OPT_STRING(0, "fail-file", &opt.fail_file, "PATH", "default MODEL_fail.ndjson"),
	ODF_OPT_FLAG(0, "check", &opt.check, "check the records against the model, load nothing"),
	ODF_OPT_FLAG('q', "quiet", &opt.quiet, "no progress, no retry notices, no summary\n"
	    "unless something failed"),
	ODF_OPT_END(),
};

static const struct odf_command command = {
	"odf import", "-c CONF -m MODEL [options] [FILE]",
	"Load NDJSON records (nested or flat, as odf-export writes them) from FILE\n"
	"or standard input into MODEL with Odoo's load. Records that do not land\n"
	"go to the fail file with the reason; feed it back in to retry them.\n",
	"Exit status: 0 every record landed, 65 some records are in the fail file\n"
	"(or --check found problems), 64 usage, unknown model or field, 66 no input,\n"
	"69 server unreachable, 74 i/o error, 77 login refused, 78 bad conf.\n"
	"See odf-import(1).\n",
	options,
};

/* Fill opt from argv. -1 to go on, else the exit status. */
static int
parse_options(int argc, char **argv)
{
	int rc, operand;

	opt.batch_size = ODF_IMPORT_DEFAULT_BATCH;
	opt.workers = 1;
	opt.context = "{'tracking_disable': True}";
	if ((rc = odf_parse_options(&command, argc, argv, &operand)) != ODF_OPTIONS_GO_ON)
		return rc;
	if (opt.conf == NULL || opt.model == NULL)
		return odf_usage_error(&command, "%s is required",
		    opt.conf == NULL ? "-c CONF" : "-m MODEL");
	if (argc - operand > 1)
		return odf_usage_error(&command, "one input file at most");
	opt.input = operand < argc ? argv[operand] : NULL;
	if (opt.fail_file == NULL) {
		snprintf(opt.default_fail, sizeof(opt.default_fail), "%s_fail.ndjson", opt.model);
		opt.fail_file = opt.default_fail;
	}
	return -1;
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
			fprintf(stderr, "%s: %s: checked %ld record%s: %ld with problems (%ld "
			    "problem%s)\n", prog, o->model, st->read, st->read == 1 ? "" : "s",
			    st->failed, st->problems, st->problems == 1 ? "" : "s");
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
		fprintf(stderr, "%s: %ld of them may be in Odoo: the call was cut short, and "
		    "they have no external id or Odoo could not be asked\n", prog, st->unknown);
	return EXIT_SOME_FAILED;
}

/* Open what the run needs before connecting; the exit status on failure. */
static int
prepare(const struct options *o, struct odf_conf *conf, cJSON **context,
    struct odf_ndjson_reader **in, struct odf_failfile **fail, struct ui *u,
    struct odf_error *err)
{
	const struct odf_connect_opts copts = { prog, stderr, o->quiet, 0, 0 };
	struct stat sb;

	if (odf_context_parse(o->context, context, err) != 0) {
		odf_error_prefix(err, "--context");
		return EX_USAGE;
	}
	if ((*in = odf_ndjson_open(o->input, err)) == NULL)
		return odf_error_exit_status(err);
	if (o->input != NULL && stat(o->input, &sb) == 0 && S_ISREG(sb.st_mode))
		u->size = (long long)sb.st_size;
	if (odf_connect_load(o->conf, &copts, conf, err) != 0)
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
		    "records after it were not all loaded (run the same command again)\n", prog, strsignal(stop_signal),
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
	struct odf_conf conf = { 0 };
	struct odf_import_stats st = { 0 };
	struct odf_import_opts io;
	struct odf_ndjson_reader *in = NULL;
	struct odf_failfile *fail = NULL;
	struct odf_importer *im;
	struct odf_error err;
	struct odf_connect_opts copts = { prog, stderr, 0, 0, 0 };
	struct ui u = { 0 };
	cJSON *context = NULL;
	int rc, status;

	signal(SIGPIPE, SIG_IGN);
	odf_error_clear(&err);
	if ((status = parse_options(argc, argv)) >= 0) {
		odf_options_free(&command);
		return status;
	}
	if ((status = prepare(&opt, &conf, &context, &in, &fail, &u, &err)) != 0) {
		odf_error_print(prog, &err);
		goto out;
	}
	import_opts(&io, &opt, &conf, context, fail, &u);
	copts.quiet = opt.quiet;
	odf_report_open(&u.report);
	odf_progress_init(&u.bar, stderr, !opt.quiet && isatty(STDERR_FILENO), opt.model, -1);
	/* One login; the workers forked by the importer reuse its uid. */
	if (odf_connect_login(&conf, &copts, &err) != 0 ||
	    (im = odf_importer_new(&io, &err)) == NULL) {
		odf_error_print(prog, &err);
		status = odf_error_exit_status(&err);
		goto out;
	}
	catch_stop_signals();
	rc = odf_importer_run(im, in, &st, &err);
	status = finish(&opt, im, fail, &u, &st, rc, &err);
	fail = NULL;
out:
	(void)odf_failfile_close(fail, 0, &err);
	odf_ndjson_close(in);
	cJSON_Delete(context);
	odf_conf_free(&conf);
	odf_options_free(&command);
	return status;
}
