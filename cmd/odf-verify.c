/*
 * odf-verify: does the destination hold what the source holds? One model
 * compared by external id; each difference an NDJSON line on stdout.
 * Options → the two connection.conf → compare (lib/verify.c) → summary → exit.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "odf/conf.h"
#include "odf/connect.h"
#include "odf/export.h"
#include "odf/options.h"
#include "odf/progress.h"
#include "odf/verify.h"

#define EXIT_DIFFERENT 1

struct config {
	const char *config_export, *config_import;
	struct odf_verify_opts v;
	char *domain, *context, *fields;    /* owned: may come from @file */
	long workers, batch_size, memory;
};

static struct config c;

static const struct odf_option options[] = {
	ODF_OPT_STRING(0, "config-export", &c.config_export, "CONF",
	    "connection.conf of the source database"),
	ODF_OPT_STRING(0, "config-import", &c.config_import, "CONF",
	    "connection.conf of the destination database"),
	ODF_OPT_STRING('m', "model", &c.v.model, "MODEL", "the model, e.g. res.partner"),
	ODF_OPT_TEXT(0, "fields", &c.fields, "F,...", "the fields to compare (default: every\n"
	    "importable field); \"id\" is added"),
	ODF_OPT_TEXT('d', "domain", &c.domain, "DOMAIN", "the records to compare, on both sides,\n"
	    "or @FILE"),
	ODF_OPT_TEXT(0, "context", &c.context, "DICT", "both exports' context, or @FILE"),
	ODF_OPT_STRING('f', "transformer-file", &c.v.transformer, "FILE.jq",
	    "the migration's jq program, run on the\nsource side first"),
	ODF_OPT_STRING(0, "ignore", &c.v.ignore, "F,...",
	    "fields left out of the comparison (not\nread from the destination)"),
	ODF_OPT_COUNT('w', "worker", &c.workers, "N", 1, ODF_EXPORT_MAX_WORKERS,
	    "parallel connections per side"),
	ODF_OPT_COUNT(0, "workers", &c.workers, "N", 1, ODF_EXPORT_MAX_WORKERS, NULL),
	ODF_OPT_COUNT('b', "batch-size", &c.batch_size, "N", 1, ODF_EXPORT_MAX_BATCH,
	    "records per export_data call"),
	ODF_OPT_COUNT(0, "memory", &c.memory, "MIB", 1, 1L << 20,
	    "records held in memory per side (MiB);\nthe rest is sorted on disk"),
	ODF_OPT_FLAG('q', "quiet", &c.v.quiet, "no summary, no retry notices"),
	ODF_OPT_END(),
};

static const struct odf_command command = {
	"odf verify", "--config-export CONF --config-import CONF --model MODEL [options]",
	"Compare MODEL between the source and the destination database by external\n"
	"id; write one JSON line per difference, a summary on standard error.\n",
	"Exit status: 0 the two agree, 1 they differ, 64 usage, 65 bad data,\n"
	"66 a file that cannot be read, 69 a server unreachable, 77 access refused.\n"
	"See odf-verify(1).\n",
	options,
};

/* Fill c from argv. Returns -1 to go on, else the exit status. */
static int
parse_options(int argc, char **argv)
{
	int rc, operand;

	c.workers = 1;
	c.batch_size = ODF_EXPORT_DEFAULT_BATCH;
	c.memory = (long)(ODF_VERIFY_DEFAULT_MEMORY >> 20);
	if ((rc = odf_parse_options(&command, argc, argv, &operand)) != ODF_OPTIONS_GO_ON)
		return rc;
	if (operand != argc)
		return odf_usage_error(&command, "unexpected argument '%s'", argv[operand]);
	if (c.config_export == NULL || c.config_import == NULL || c.v.model == NULL)
		return odf_usage_error(&command, "%s is required",
		    c.config_export == NULL ? "--config-export" :
		    c.config_import == NULL ? "--config-import" : "--model");
	if (c.v.transformer != NULL && access(c.v.transformer, R_OK) != 0) {
		fprintf(stderr, "%s: --transformer-file %s: cannot be read\n", command.name,
		    c.v.transformer);
		return EX_NOINPUT;
	}
	c.v.fields = c.fields;
	c.v.domain = c.domain;
	c.v.context = c.context;
	c.v.workers = (int)c.workers;
	c.v.batch_size = c.batch_size;
	c.v.memory = (size_t)c.memory << 20;
	return -1;
}

/* Load a conf and log in once (odf_connect_login), so that the exports'
 * connections reuse the uid instead of logging in again: bad logins are
 * also told before anything starts. */
static int
load_conf(struct odf_conf *conf, const char *path, const char *side)
{
	struct odf_connect_opts copts = { command.name, stderr, 0, 0, 0 };
	struct odf_error err;

	odf_error_clear(&err);
	if (odf_connect_load(path, &copts, conf, &err) != 0 ||
	    odf_connect_login(conf, &copts, &err) != 0) {
		odf_error_prefix(&err, "%s", side);
		odf_error_print(command.name, &err);
		return odf_error_exit_status(&err);
	}
	return 0;
}

/* "res.partner: 10,000 source, 10,000 destination: 9,990 equal, 3 missing,
 * 2 extra, 5 differ in 4.2s" */
static void
print_summary(const struct odf_verify_summary *s)
{
	char a[32], b[32], e[32], m[32], x[32], d[32], t[32];

	if (c.v.quiet)
		return;
	fprintf(stderr, "%s: %s: %s source, %s destination: %s equal, %s missing, "
	    "%s extra, %s differ", command.name, c.v.model,
	    odf_format_count(a, sizeof(a), s->source),
	    odf_format_count(b, sizeof(b), s->destination),
	    odf_format_count(e, sizeof(e), s->equal),
	    odf_format_count(m, sizeof(m), s->missing),
	    odf_format_count(x, sizeof(x), s->extra),
	    odf_format_count(d, sizeof(d), s->differs));
	if (s->duplicates > 0)
		fprintf(stderr, ", %s duplicate", odf_format_count(a, sizeof(a), s->duplicates));
	if (s->rejected > 0)
		fprintf(stderr, ", %s rejected by the transformer",
		    odf_format_count(a, sizeof(a), s->rejected));
	fprintf(stderr, " in %s\n", odf_format_duration(t, sizeof(t), s->seconds));
}

int
main(int argc, char **argv)
{
	struct odf_conf src, dst;
	struct odf_verify_summary sum;
	struct odf_error err;
	int status;

	memset(&src, 0, sizeof(src));
	memset(&dst, 0, sizeof(dst));
	c.v.prog = command.name;
	c.v.diag = stderr;
	signal(SIGPIPE, SIG_IGN);
	if ((status = parse_options(argc, argv)) >= 0) {
		odf_options_free(&command);
		return status;
	}
	if ((status = load_conf(&src, c.config_export, "source")) != 0 ||
	    (status = load_conf(&dst, c.config_import, "destination")) != 0)
		goto done;
	odf_error_clear(&err);
	if (odf_verify_run(&c.v, &src, &dst, stdout, &sum, &err) != 0) {
		odf_error_print(command.name, &err);
		status = odf_error_exit_status(&err);
		goto done;
	}
	if (!sum.reader_gone)
		print_summary(&sum);
	status = odf_verify_differences(&sum) > 0 ? EXIT_DIFFERENT : 0;
	if (fclose(stdout) != 0 && !sum.reader_gone) {
		fprintf(stderr, "%s: standard output: write error\n", command.name);
		status = EX_IOERR;
	}
done:
	odf_conf_free(&src);
	odf_conf_free(&dst);
	odf_options_free(&command);
	return status;
}
