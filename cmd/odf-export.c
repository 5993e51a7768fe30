/*
 * odf-export: the selected records of one Odoo model, as NDJSON on stdout.
 * Options → connection.conf → export loop (lib/export.c) → summary → exit.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "odf/connect.h"
#include "odf/export.h"
#include "odf/options.h"
#include "odf/progress.h"
#include "odf/report.h"
#include "odf/timestamp.h"

struct config {
	const char *conf_path;
	struct odf_export_opts ex;
	char *domain, *context, *fields;    /* owned: may come from @file */
	long batch_size, workers, limit;
};

static struct config c;

static const struct odf_option options[] = {
	ODF_OPT_STRING('c', "config", &c.conf_path, "CONF", "connection.conf of the source database"),
	ODF_OPT_STRING('m', "model", &c.ex.model, "MODEL", "the model, e.g. res.partner"),
	ODF_OPT_TEXT('f', "fields", &c.fields, "PATHS", "comma-separated field paths: name,parent_id/id,\n"
	    "country_id/code,.id (default: every importable field)"),
	ODF_OPT_TEXT('d', "domain", &c.domain, "DOMAIN", "an Odoo domain, Python literal or JSON, or @FILE"),
	ODF_OPT_TEXT(0, "context", &c.context, "DICT", "e.g. \"{'lang': 'fr_FR'}\", or @FILE"),
	ODF_OPT_STRING(0, "order", &c.ex.order, "ORDER", "e.g. \"name desc\" (default: by id)"),
	ODF_OPT_COUNT(0, "limit", &c.limit, "N", 0, 1L << 40, "at most N records, 0: all"),
	ODF_OPT_FLAG(0, "flat", &c.ex.flat, "Odoo's column paths as keys (\"parent_id/id\")"),
	ODF_OPT_FLAG(0, "archived", &c.ex.archived, "archived records too, with their active field"),
	ODF_OPT_STRING(0, "since", &c.ex.since, "TIME", "records written at or after TIME (UTC,\n"
	    "\"2026-01-31 23:59:00\"), archived ones too"),
	ODF_OPT_COUNT('b', "batch-size", &c.batch_size, "N", 1, ODF_EXPORT_MAX_BATCH,
	    "records per export_data call"),
	ODF_OPT_COUNT('w', "worker", &c.workers, "N", 1, ODF_EXPORT_MAX_WORKERS,
	    "parallel connections"),
	ODF_OPT_COUNT(0, "workers", &c.workers, "N", 1, ODF_EXPORT_MAX_WORKERS, NULL),
	ODF_OPT_FLAG('q', "quiet", &c.ex.quiet, "no progress, no summary, no retry notices"),
	ODF_OPT_END(),
};

static const struct odf_command command = {
	"odf export", "-c CONF -m MODEL [options]",
	"Write the records of MODEL to standard output, one JSON object a line.\n",
	"The record format is described in odf-records(7); see odf-export(1).\n",
	options,
};

/* Fill c from argv. Returns -1 to go on, else the exit status. */
static int
parse_options(int argc, char **argv)
{
	struct odf_error err;
	long long t;
	int rc, operand;

	c.batch_size = ODF_EXPORT_DEFAULT_BATCH;
	c.workers = 1;
	if ((rc = odf_parse_options(&command, argc, argv, &operand)) != ODF_OPTIONS_GO_ON)
		return rc;
	if (operand != argc)
		return odf_usage_error(&command, "unexpected argument '%s'", argv[operand]);
	if (c.conf_path == NULL || c.ex.model == NULL)
		return odf_usage_error(&command, "%s is required",
		    c.conf_path == NULL ? "-c CONF" : "-m MODEL");
	if (c.ex.since != NULL && odf_timestamp_parse("--since", c.ex.since, &t, &err) != 0)
		return odf_usage_error_value(&command, &err);
	c.ex.fields = c.fields;
	c.ex.domain = c.domain;
	c.ex.context = c.context;
	c.ex.limit = c.limit;
	c.ex.batch_size = c.batch_size;
	c.ex.workers = (int)c.workers;
	return -1;
}

/* What the user (or odf migrate) sees while it runs. */
struct ui {
	struct odf_progress bar;
	struct odf_report report;
};

static void
report(struct ui *u, long long done, long long total, int final)
{
	static const char *const keys[] = { "done", "total" };
	long values[2] = { (long)done, (long)total };

	odf_report_send(&u->report, "export", keys, values, total >= 0 ? 2 : 1, final);
}

static void
on_progress(long long done, long long total, void *arg)
{
	struct ui *u = arg;

	odf_progress_set_total(&u->bar, total);
	odf_progress_update(&u->bar, done);
	report(u, done, total, 0);
}

/* The export, with its progress line and its reports to odf migrate. */
static int
run(const struct odf_conf *conf, struct odf_export_summary *sum, struct odf_error *err)
{
	struct ui u;
	int rc;

	memset(&u, 0, sizeof(u));
	odf_report_open(&u.report);
	odf_progress_init(&u.bar, stderr, !c.ex.quiet && isatty(STDERR_FILENO), c.ex.model, -1);
	c.ex.on_progress = on_progress;
	c.ex.progress_arg = &u;
	c.ex.count_total = u.bar.enabled || u.report.fd >= 0;
	rc = odf_export_run(&c.ex, conf, stdout, sum, err);
	odf_progress_end(&u.bar);
	if (rc == 0)
		report(&u, sum->records, sum->total, 1);
	return rc;
}

static void
print_summary(const struct odf_export_summary *sum)
{
	char line[256];

	if (c.ex.quiet)
		return;
	fprintf(stderr, "%s: %s: %s\n", command.name, c.ex.model,
	    odf_progress_summary(line, sizeof(line), sum->records, sum->seconds));
}

int
main(int argc, char **argv)
{
	struct odf_connect_opts copts = { command.name, stderr, 0, 0, 0 };
	struct odf_conf conf;
	struct odf_export_summary sum;
	struct odf_error err;
	int status;

	memset(&conf, 0, sizeof(conf));
	memset(&sum, 0, sizeof(sum));
	c.ex.prog = command.name;
	c.ex.diag = stderr;
	/* A closed reader is an EPIPE to stop on, not a signal to die of. */
	signal(SIGPIPE, SIG_IGN);
	if ((status = parse_options(argc, argv)) >= 0) {
		odf_options_free(&command);
		return status;
	}
	odf_error_clear(&err);
	if (odf_connect_load(c.conf_path, &copts, &conf, &err) != 0) {
		odf_error_print(command.name, &err);
		odf_options_free(&command);
		return odf_error_exit_status(&err);
	}
	status = 0;
	if (run(&conf, &sum, &err) != 0) {
		odf_error_print(command.name, &err);
		status = odf_error_exit_status(&err);
	} else if (!sum.reader_gone) {
		print_summary(&sum);
	}
	if (fclose(stdout) != 0 && status == 0 && !sum.reader_gone) {
		fprintf(stderr, "%s: standard output: write error\n", command.name);
		status = EX_IOERR;
	}
	odf_conf_free(&conf);
	odf_options_free(&command);
	return status;
}
