/*
 * odf migrate: odf-export | odf-transform | FILTER... | odf-import, as one
 * command with the options of odoo-data-flow's migrate. The stages run at
 * once, joined by pipes; no data passes through this process.
 *
 * Options → the checks that need no server → one login per database, the
 * model looked for on both → the stages, with the uids → progress → the
 * outcome of the first stage to fail.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "odf/export.h"
#include "odf/importer.h"
#include "odf/options.h"
#include "odf/path.h"
#include "odf/pipeline.h"
#include "odf/pool.h"
#include "odf/preflight.h"
#include "odf/progress.h"
#include "odf/report.h"

#define MAX_FILTERS 16
#define MAX_ARGS 40

struct migrate_opts {
	struct odf_migration m;
	const char *fail_file;
	long export_worker, export_batch_size, import_worker, import_batch_size;
	const char *filters[MAX_FILTERS];
	int nfilters, check, quiet;
};

/* One stage's command line, built up argument by argument. */
struct argv_buf {
	char *argv[MAX_ARGS];
	int argc;
	char path[PATH_MAX];
	char numbers[2][24];    /* counts formatted for the command line */
	char env[32];           /* ODF_UID=... */
};

/* What the stages told us, for the progress line and the last words. */
struct migrate_state {
	long exported, total, read, created, updated, failed;
	struct odf_progress bar;
};

static struct migrate_opts opt;

static int
add_filter(const struct odf_option *o, const char *arg, const char *arg2,
    struct odf_error *err)
{
	(void)o;
	(void)arg2;
	if (opt.nfilters == MAX_FILTERS)
		return odf_error_set(err, ODF_E_USAGE, "at most %d --filter commands",
		    MAX_FILTERS);
	opt.filters[opt.nfilters++] = arg;
	return 0;
}

static const struct odf_option options[] = {
	ODF_OPT_STRING(0, "config-export", &opt.m.conf_export, "CONF",
	    "connection.conf of the source database"),
	ODF_OPT_STRING(0, "config-import", &opt.m.conf_import, "CONF",
	    "connection.conf of the destination database"),
	ODF_OPT_STRING('m', "model", &opt.m.model, "MODEL", "the model, e.g. res.partner"),
	ODF_OPT_STRING(0, "fields", &opt.m.fields, "F,...",
	    "the fields to move (default: every importable field)"),
	ODF_OPT_STRING('d', "domain", &opt.m.domain, "DOMAIN", "which source records (default: all)"),
	ODF_OPT_STRING(0, "transformer-file", &opt.m.transformer_file, "FILE.jq",
	    "reshape each record with this jq program"),
	ODF_OPT_CALLBACK(0, "filter", add_filter, NULL, "CMD",
	    "a shell command the records pass through\n(repeatable; after the transformer)"),
	ODF_OPT_COUNT(0, "export-worker", &opt.export_worker, "N", 1, ODF_EXPORT_MAX_WORKERS,
	    "parallel export connections"),
	ODF_OPT_COUNT(0, "export-batch-size", &opt.export_batch_size, "N", 1,
	    ODF_EXPORT_MAX_BATCH, "records per export_data call"),
	ODF_OPT_COUNT(0, "import-worker", &opt.import_worker, "N", 1, ODF_POOL_MAX_WORKERS,
	    "parallel import workers"),
	ODF_OPT_COUNT(0, "import-batch-size", &opt.import_batch_size, "N", 1,
	    ODF_IMPORT_MAX_BATCH, "records per load call"),
	ODF_OPT_STRING(0, "fail-file", &opt.fail_file, "PATH", "default MODEL_fail.ndjson"),
	ODF_OPT_STRING(0, "context", &opt.m.context, "CTX", "the import's context"),
	ODF_OPT_FLAG(0, "check", &opt.check, "check the records against the destination,\n"
	    "load nothing"),
	ODF_OPT_FLAG('q', "quiet", &opt.quiet, "no progress, no summary unless something failed"),
	ODF_OPT_END(),
};

static const struct odf_command command = {
	"odf migrate", "--config-export CONF --config-import CONF --model MODEL [options]",
	"Move the records of MODEL from one Odoo database to another: odf-export,\n"
	"the transformer and filters, odf-import, joined by pipes.\n",
	"Exit status: that of the stage that failed first (odf-import's 65 when\n"
	"records are in the fail file), 64 usage, 70 a stage that crashed.\n"
	"See odf-migrate(1).\n",
	options,
};

/* Fill opt; -1 to go on, else the exit status. */
static int
parse_options(int argc, char **argv)
{
	int rc, operand;

	opt.export_worker = 1;
	opt.export_batch_size = ODF_EXPORT_DEFAULT_BATCH;
	opt.import_worker = 1;
	opt.import_batch_size = ODF_IMPORT_DEFAULT_BATCH;
	if ((rc = odf_parse_options(&command, argc, argv, &operand)) != ODF_OPTIONS_GO_ON)
		return rc;
	if (operand != argc)
		return odf_usage_error(&command, "unexpected argument '%s'", argv[operand]);
	if (opt.m.conf_export == NULL)
		return odf_usage_error(&command, "--config-export is required");
	if (opt.m.conf_import == NULL)
		return odf_usage_error(&command, "--config-import is required");
	if (opt.m.model == NULL)
		return odf_usage_error(&command, "--model is required");
	return -1;
}

/* Everything that can be checked before a stage starts; the exit status
 * of what is wrong, or -1 to go on. */
static int
preflight(struct odf_preflight_uids *uids)
{
	struct odf_connect_opts copts = { command.name, stderr, 1, 0 };
	struct odf_error err;

	odf_error_clear(&err);
	/* What the user typed is wrong: a usage error, whatever the cause. */
	if (odf_preflight_local(&opt.m, &copts, &err) != 0) {
		odf_error_print(command.name, &err);
		return EX_USAGE;
	}
	if (odf_preflight_servers(&opt.m, &copts, uids, &err) != 0) {
		odf_error_print(command.name, &err);
		return odf_error_exit_status(&err);
	}
	return -1;
}

static void
arg(struct argv_buf *a, const char *s)
{
	if (a->argc < MAX_ARGS - 1)
		a->argv[a->argc++] = (char *)s;
	a->argv[a->argc] = NULL;
}

static void
opt_arg(struct argv_buf *a, const char *name, const char *value)
{
	if (value == NULL)
		return;
	arg(a, name);
	arg(a, value);
}

static void
count_arg(struct argv_buf *a, int slot, const char *name, long value)
{
	snprintf(a->numbers[slot], sizeof(a->numbers[slot]), "%ld", value);
	opt_arg(a, name, a->numbers[slot]);
}

/* An odf program as a stage, logged in already as uid. */
static void
program(struct argv_buf *a, struct odf_stage *st, const char *name, int uid)
{
	a->argc = 0;
	odf_program_path(name, a->path, sizeof(a->path));
	arg(a, a->path);
	st->name = name;
	st->argv = a->argv;
	if (uid > 0) {
		snprintf(a->env, sizeof(a->env), "ODF_UID=%d", uid);
		st->env = a->env;
	}
}

/* Build the stages: export, the transform when asked, the user's filters,
 * import. Returns their number. */
static size_t
build_stages(const struct odf_preflight_uids *uids, struct argv_buf *bufs,
    struct odf_stage *st)
{
	size_t n = 0;
	int i;

	program(&bufs[n], &st[n], "odf-export", uids->export_uid);
	opt_arg(&bufs[n], "-c", opt.m.conf_export);
	opt_arg(&bufs[n], "-m", opt.m.model);
	opt_arg(&bufs[n], "--fields", opt.m.fields);
	opt_arg(&bufs[n], "--domain", opt.m.domain);
	count_arg(&bufs[n], 0, "--worker", opt.export_worker);
	count_arg(&bufs[n], 1, "--batch-size", opt.export_batch_size);
	/* A migration copies records as they are, archived ones included:
	 * others may point at them. */
	arg(&bufs[n], "--archived");
	arg(&bufs[n], "-q");
	n++;
	if (opt.m.transformer_file != NULL) {
		program(&bufs[n], &st[n], "odf-transform", 0);
		opt_arg(&bufs[n], "-f", opt.m.transformer_file);
		n++;
	}
	for (i = 0; i < opt.nfilters; i++) {
		/* The user's filter is the one string given to a shell. */
		bufs[n].argc = 0;
		arg(&bufs[n], "/bin/sh");
		arg(&bufs[n], "-c");
		arg(&bufs[n], opt.filters[i]);
		st[n].name = opt.filters[i];
		st[n].argv = bufs[n].argv;
		n++;
	}
	program(&bufs[n], &st[n], "odf-import", uids->import_uid);
	opt_arg(&bufs[n], "-c", opt.m.conf_import);
	opt_arg(&bufs[n], "-m", opt.m.model);
	count_arg(&bufs[n], 0, "--worker", opt.import_worker);
	count_arg(&bufs[n], 1, "--batch-size", opt.import_batch_size);
	opt_arg(&bufs[n], "--fail-file", opt.fail_file);
	opt_arg(&bufs[n], "--context", opt.m.context);
	if (opt.check)
		arg(&bufs[n], "--check");
	if (opt.quiet)
		arg(&bufs[n], "-q");
	return n + 1;
}

static void
on_report(const char *line, void *arg)
{
	struct migrate_state *s = arg;
	long v;

	if (strncmp(line, "export ", 7) == 0) {
		if ((v = odf_report_value(line, "done")) >= 0)
			s->exported = v;
		if ((v = odf_report_value(line, "total")) >= 0)
			s->total = v;
	} else if (strncmp(line, "import ", 7) == 0) {
		if ((v = odf_report_value(line, "read")) >= 0)
			s->read = v;
		if ((v = odf_report_value(line, "created")) >= 0)
			s->created = v;
		if ((v = odf_report_value(line, "updated")) >= 0)
			s->updated = v;
		if ((v = odf_report_value(line, "failed")) >= 0)
			s->failed = v;
	}
}

/* "res.partner: 950 / 3,000 records  159 rec/s  ETA 0:13  2,000 exported
 * 3 failed": the records through the import out of the export's total. */
static void
on_tick(void *arg)
{
	struct migrate_state *s = arg;

	odf_progress_set_total(&s->bar, s->total > 0 ? s->total : -1);
	odf_progress_count(&s->bar, "exported", s->exported);
	odf_progress_count(&s->bar, "failed", s->failed);
	odf_progress_update(&s->bar, s->created + s->updated + s->failed);
}

/* Name the stage that failed first, and what became of the rest. */
static int
report_outcome(const struct odf_stage *st, size_t n, const struct migrate_state *s)
{
	const struct odf_stage *first = NULL;
	char how[128];
	size_t i;

	for (i = 0; i < n; i++)
		if (odf_stage_failed(&st[i]) && (first == NULL || st[i].order < first->order))
			first = &st[i];
	if (first == NULL) {
		for (i = 0; i < n; i++)
			if (st[i].stopped)
				first = &st[i];
		if (first == NULL)
			return 0;
	}
	fprintf(stderr, "%s: %s %s\n", command.name, first->name,
	    odf_stage_describe(first, how, sizeof(how)));
	for (i = 0; i < n && !opt.quiet; i++)
		if (&st[i] != first && st[i].status != 0)
			fprintf(stderr, "%s: then %s %s\n", command.name, st[i].name,
			    odf_stage_describe(&st[i], how, sizeof(how)));
	if (first == &st[n - 1] && !WIFEXITED(first->status))
		fprintf(stderr, "%s: the import stopped after %ld records read (%ld loaded, "
		    "%ld failed); run the same command again: records load by external id\n",
		    command.name, s->read, s->created + s->updated, s->failed);
	/* The importer's own status says the most: 65 for records in the fail
	 * file, 77 for a refused login... Other stages: EX_SOFTWARE. */
	if (first == &st[n - 1] && WIFEXITED(first->status))
		return WEXITSTATUS(first->status);
	if (st[0].order != 0 && first == &st[0] && WIFEXITED(first->status))
		return WEXITSTATUS(first->status);
	return EX_SOFTWARE;
}

/* Run the stages with the progress line; the exit status. */
static int
run(const struct odf_preflight_uids *uids)
{
	struct argv_buf bufs[MAX_FILTERS + 3];
	struct odf_stage stages[MAX_FILTERS + 3];
	struct migrate_state state;
	struct odf_pipeline_opts popts = { on_report, on_tick, &state, 10 };
	struct odf_error err;
	size_t n;
	int rc;

	memset(stages, 0, sizeof(stages));
	memset(&state, 0, sizeof(state));
	odf_progress_init(&state.bar, stderr, !opt.quiet && isatty(STDERR_FILENO),
	    opt.m.model, -1);
	n = build_stages(uids, bufs, stages);
	odf_error_clear(&err);
	rc = odf_pipeline_run(stages, n, &popts, &err);
	odf_progress_end(&state.bar);
	if (rc < 0) {
		odf_error_print(command.name, &err);
		return odf_error_exit_status(&err);
	}
	return report_outcome(stages, n, &state);
}

int
main(int argc, char **argv)
{
	struct odf_preflight_uids uids = { 0, 0 };
	int rc;

	if ((rc = parse_options(argc, argv)) >= 0)
		return rc;
	if ((rc = preflight(&uids)) >= 0)
		return rc;
	return run(&uids);
}
