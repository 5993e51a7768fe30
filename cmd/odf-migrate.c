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

#include "odf/connect.h"
#include "odf/export.h"
#include "odf/importer.h"
#include "odf/modelargs.h"
#include "odf/options.h"
#include "odf/path.h"
#include "odf/pipeline.h"
#include "odf/plan.h"
#include "odf/pool.h"
#include "odf/preflight.h"
#include "odf/progress.h"
#include "odf/report.h"
#include "odf/sync.h"

#define MAX_FILTERS 16
#define MAX_ARGS 40
/* Ids of dependency records a pipeline: the domain stays one argument. */
#define DEPENDENCY_BATCH 5000

struct migrate_opts {
	struct odf_migration m;         /* the first model's, or a step's */
	const char *fail_file;
	long export_worker, export_batch_size, import_worker, import_batch_size;
	const char *filters[MAX_FILTERS];
	int nfilters, check, quiet;
	struct odf_modelargs ma;        /* --model, and MODEL=VALUE options */
	int with_dependencies, no_check, strict;
	const char *drop;               /* jq deleting fields after the transformer */
	const char *state_file;         /* --state */
	long overlap;
	int verify;
	const char *since;              /* a step's window, from the state file */
};

/* --state: the window of each model asked for, opened when its first
 * pipeline starts, and the records it loaded. */
struct window {
	struct odf_sync sync;
	struct odf_conf conf;
	char *model;            /* sync.model: the plan's names do not outlive it */
	long long records;
};

static struct window windows[ODF_MODELARGS_MAX];
static size_t nwindows;

/* The counts of every pipeline of a migration of several steps. */
struct migrate_total {
	long read, created, updated, failed;
	int pipelines;
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

/* --model, --fields, --domain, --transformer-file: per model (aux: the kind,
 * or NULL for --model). */
static int
add_model_arg(const struct odf_option *o, const char *arg, const char *arg2,
    struct odf_error *err)
{
	const enum odf_modelarg *kind = o->aux;

	(void)arg2;
	if (kind == NULL)
		return odf_modelargs_add_model(&opt.ma, arg, err);
	return odf_modelargs_add(&opt.ma, *kind, arg, err);
}

static const enum odf_modelarg kind_fields = ODF_MA_FIELDS, kind_domain = ODF_MA_DOMAIN,
    kind_transformer = ODF_MA_TRANSFORMER;

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
	ODF_OPT_CALLBACK('m', "model", add_model_arg, NULL, "MODEL",
	    "the model, e.g. res.partner; several: repeated or\ncomma-separated, run in dependency order"),
	ODF_OPT_CALLBACK(0, "fields", add_model_arg, (void *)&kind_fields, "[MODEL=]F,...",
	    "the fields to move (default: every importable field)"),
	ODF_OPT_CALLBACK('d', "domain", add_model_arg, (void *)&kind_domain, "[MODEL=]DOMAIN",
	    "which source records (default: all)"),
	ODF_OPT_CALLBACK(0, "transformer-file", add_model_arg, (void *)&kind_transformer,
	    "[MODEL=]FILE.jq", "reshape each record with this jq program\n(repeatable: one per model)"),
	ODF_OPT_FLAG(0, "with-dependencies", &opt.with_dependencies,
	    "migrate first the referenced records the\ndestination lacks, recursively"),
	ODF_OPT_FLAG(0, "no-check", &opt.no_check, "skip the plan's checks (odf plan)"),
	ODF_OPT_FLAG(0, "strict", &opt.strict, "refuse when the destination lacks a field"),
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
	ODF_OPT_STRING(0, "state", &opt.state_file, "FILE", "incremental: export only what changed\n"
	    "since the last completed run, kept in FILE"),
	ODF_OPT_COUNT(0, "overlap", &opt.overlap, "SECONDS", 0, 86400L * 366,
	    "with --state: start each window this much\nbefore the last run started"),
	ODF_OPT_FLAG(0, "verify", &opt.verify, "compare the destination with the source\n"
	    "after the import (odf verify)"),
	ODF_OPT_FLAG('q', "quiet", &opt.quiet, "no progress, no summary unless something failed"),
	ODF_OPT_END(),
};

static const struct odf_command command = {
	"odf migrate", "--config-export CONF --config-import CONF --model MODEL [options]",
	"Move the records of MODEL from one Odoo database to another: odf-export,\n"
	"the transformer and filters, odf-import, joined by pipes. Several models\n"
	"run one after the other, in the order of their references.\n",
	"Exit status: that of the stage that failed first (odf-import's 65 when\n"
	"records are in the fail file), 65 when the checks refuse, 64 usage, 70 a\n"
	"stage that crashed; with --verify, 1 when the destination differs from\n"
	"the source. See odf-migrate(1).\n",
	options,
};

/* Fill opt; -1 to go on, else the exit status. */
static int
parse_options(int argc, char **argv)
{
	struct odf_error err;
	int rc, operand;

	opt.export_worker = 1;
	opt.export_batch_size = ODF_EXPORT_DEFAULT_BATCH;
	opt.import_worker = 1;
	opt.import_batch_size = ODF_IMPORT_DEFAULT_BATCH;
	opt.overlap = ODF_SYNC_DEFAULT_OVERLAP;
	if ((rc = odf_parse_options(&command, argc, argv, &operand)) != ODF_OPTIONS_GO_ON)
		return rc;
	if (operand != argc)
		return odf_usage_error(&command, "unexpected argument '%s'", argv[operand]);
	if (opt.m.conf_export == NULL)
		return odf_usage_error(&command, "--config-export is required");
	if (opt.m.conf_import == NULL)
		return odf_usage_error(&command, "--config-import is required");
	if (opt.ma.nmodels == 0)
		return odf_usage_error(&command, "--model is required");
	if (odf_modelargs_resolve(&opt.ma, &err) != 0)
		return odf_usage_error_value(&command, &err);
	if (opt.fail_file != NULL && opt.ma.nmodels > 1)
		return odf_usage_error(&command, "--fail-file: one model only (each model has its own)");
	opt.m.model = opt.ma.models[0];
	opt.m.fields = opt.ma.value[ODF_MA_FIELDS][0];
	opt.m.domain = opt.ma.value[ODF_MA_DOMAIN][0];
	opt.m.transformer_file = opt.ma.value[ODF_MA_TRANSFORMER][0];
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
build_stages(const struct migrate_opts *o, const struct odf_preflight_uids *uids,
    struct argv_buf *bufs, struct odf_stage *st)
{
	size_t n = 0;
	int i;

	program(&bufs[n], &st[n], "odf-export", uids->export_uid);
	opt_arg(&bufs[n], "-c", o->m.conf_export);
	opt_arg(&bufs[n], "-m", o->m.model);
	opt_arg(&bufs[n], "--fields", o->m.fields);
	opt_arg(&bufs[n], "--domain", o->m.domain);
	count_arg(&bufs[n], 0, "--worker", o->export_worker);
	count_arg(&bufs[n], 1, "--batch-size", o->export_batch_size);
	opt_arg(&bufs[n], "--since", o->since);
	/* A migration copies records as they are, archived ones included:
	 * others may point at them. */
	arg(&bufs[n], "--archived");
	arg(&bufs[n], "-q");
	n++;
	if (o->m.transformer_file != NULL) {
		program(&bufs[n], &st[n], "odf-transform", 0);
		opt_arg(&bufs[n], "-f", o->m.transformer_file);
		n++;
	}
	if (o->drop != NULL) {
		/* The fields the destination lacks, after the transformer used them. */
		program(&bufs[n], &st[n], "odf-transform", 0);
		arg(&bufs[n], o->drop);
		n++;
	}
	for (i = 0; i < o->nfilters; i++) {
		/* The user's filter is the one string given to a shell. */
		bufs[n].argc = 0;
		arg(&bufs[n], "/bin/sh");
		arg(&bufs[n], "-c");
		arg(&bufs[n], o->filters[i]);
		st[n].name = o->filters[i];
		st[n].argv = bufs[n].argv;
		n++;
	}
	program(&bufs[n], &st[n], "odf-import", uids->import_uid);
	opt_arg(&bufs[n], "-c", o->m.conf_import);
	opt_arg(&bufs[n], "-m", o->m.model);
	count_arg(&bufs[n], 0, "--worker", o->import_worker);
	count_arg(&bufs[n], 1, "--batch-size", o->import_batch_size);
	opt_arg(&bufs[n], "--fail-file", o->fail_file);
	opt_arg(&bufs[n], "--context", o->m.context);
	if (o->check)
		arg(&bufs[n], "--check");
	if (o->quiet)
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

/* --state: the window of model: its bookmark (NULL the first time) in
 * *since, the source's clock read now. -1 to go on, or the exit status. */
static int
window_open(const char *model, struct window **out, const char **since)
{
	struct window *w = NULL;
	struct odf_error err;
	size_t i;

	for (i = 0; i < nwindows && w == NULL; i++)
		if (strcmp(windows[i].sync.model, model) == 0)
			w = &windows[i];
	if (w == NULL) {
		if (nwindows == ODF_MODELARGS_MAX)
			return EX_SOFTWARE;
		w = &windows[nwindows];
		odf_error_clear(&err);
		if ((w->model = strdup(model)) == NULL) {
			fprintf(stderr, "%s: out of memory\n", command.name);
			return EX_OSERR;
		}
		if (odf_conf_load(&w->conf, opt.m.conf_export, NULL, NULL, &err) != 0 ||
		    odf_sync_begin(&w->sync, opt.state_file, &w->conf, w->model, opt.overlap,
		    command.name, opt.quiet ? NULL : stderr, &err) != 0) {
			odf_conf_free(&w->conf);
			free(w->model);
			w->model = NULL;
			odf_error_print(command.name, &err);
			return odf_error_exit_status(&err);
		}
		nwindows++;
		if (!opt.quiet)
			fprintf(stderr, "%s: %s: %s%s (%s)\n", command.name, model,
			    w->sync.incremental ? "records written since " :
			    "no bookmark: every record", w->sync.incremental ?
			    w->sync.last.since : "", opt.state_file);
	}
	*out = w;
	*since = w->sync.incremental ? w->sync.last.since : NULL;
	return -1;
}

/* The whole run landed: move every bookmark. 0, or the exit status. */
static int
windows_close(void)
{
	struct odf_bookmark b;
	struct odf_error err;
	size_t i;

	for (i = 0; i < nwindows; i++) {
		odf_error_clear(&err);
		if (odf_sync_end(&windows[i].sync, windows[i].records, &b, &err) != 0) {
			odf_error_print(command.name, &err);
			return odf_error_exit_status(&err);
		}
		if (!opt.quiet)
			fprintf(stderr, "%s: %s: bookmark moved to %s (%s)\n", command.name,
			    windows[i].sync.model, b.since, opt.state_file);
	}
	return 0;
}

static void
windows_free(void)
{
	size_t i;

	for (i = 0; i < nwindows; i++) {
		odf_conf_free(&windows[i].conf);
		free(windows[i].model);
	}
	nwindows = 0;
}

/* --verify: odf-verify of each model over the same selection, its lines on
 * our stdout. The first non-zero exit status (1: the databases differ). */
static int
run_verify(void)
{
	struct odf_pipeline_opts popts = { NULL, NULL, NULL, 10 };
	struct odf_stage st[1];
	struct odf_error err;
	struct argv_buf a;
	char how[128];
	int rc = 0, r;
	size_t i;

	if (opt.nfilters > 0 && !opt.quiet)
		fprintf(stderr, "%s: --verify compares without the --filter commands\n",
		    command.name);
	for (i = 0; i < opt.ma.nmodels; i++) {
		memset(st, 0, sizeof(st));
		program(&a, &st[0], "odf-verify", 0);
		opt_arg(&a, "--config-export", opt.m.conf_export);
		opt_arg(&a, "--config-import", opt.m.conf_import);
		opt_arg(&a, "--model", opt.ma.models[i]);
		opt_arg(&a, "--fields", opt.ma.value[ODF_MA_FIELDS][i]);
		opt_arg(&a, "--domain", opt.ma.value[ODF_MA_DOMAIN][i]);
		opt_arg(&a, "--transformer-file", opt.ma.value[ODF_MA_TRANSFORMER][i]);
		count_arg(&a, 0, "--worker", opt.export_worker);
		count_arg(&a, 1, "--batch-size", opt.export_batch_size);
		if (opt.quiet)
			arg(&a, "-q");
		odf_error_clear(&err);
		if (odf_pipeline_run(st, 1, &popts, &err) < 0) {
			odf_error_print(command.name, &err);
			return odf_error_exit_status(&err);
		}
		if (WIFEXITED(st[0].status) && WEXITSTATUS(st[0].status) <= 1) {
			r = WEXITSTATUS(st[0].status);
			if (r == 1)
				fprintf(stderr, "%s: verify: %s: the destination differs from the "
				    "source\n", command.name, opt.ma.models[i]);
		} else {
			fprintf(stderr, "%s: odf-verify %s\n", command.name,
			    odf_stage_describe(&st[0], how, sizeof(how)));
			r = WIFEXITED(st[0].status) ? WEXITSTATUS(st[0].status) : EX_SOFTWARE;
		}
		if (r != 0 && rc == 0)
			rc = r;
		if (r > 1)
			break;
	}
	return rc;
}

/* A pipeline of the selection of o->m.model: in its --state window when
 * there is one, its records counted for the bookmark. */
static int run(const struct migrate_opts *o, const struct odf_preflight_uids *uids,
    struct migrate_total *total);

static int
run_selected(struct migrate_opts *so, const struct odf_preflight_uids *uids,
    struct migrate_total *total)
{
	struct migrate_total mine = { 0, 0, 0, 0, 0 };
	struct window *w = NULL;
	int rc;

	if (so->state_file != NULL && (rc = window_open(so->m.model, &w, &so->since)) >= 0)
		return rc;
	rc = run(so, uids, &mine);
	so->since = NULL;
	if (w != NULL)
		w->records += mine.read;
	if (total != NULL) {
		total->read += mine.read;
		total->created += mine.created;
		total->updated += mine.updated;
		total->failed += mine.failed;
		total->pipelines += mine.pipelines;
	}
	return rc;
}

/* Run the stages of o with the progress line; the exit status. Its counts
 * go to total (may be NULL). */
static int
run(const struct migrate_opts *o, const struct odf_preflight_uids *uids,
    struct migrate_total *total)
{
	struct argv_buf bufs[MAX_FILTERS + 4];
	struct odf_stage stages[MAX_FILTERS + 4];
	struct migrate_state state;
	struct odf_pipeline_opts popts = { on_report, on_tick, &state, 10 };
	struct odf_error err;
	size_t n;
	int rc;

	memset(stages, 0, sizeof(stages));
	memset(&state, 0, sizeof(state));
	odf_progress_init(&state.bar, stderr, !o->quiet && isatty(STDERR_FILENO),
	    o->m.model, -1);
	n = build_stages(o, uids, bufs, stages);
	odf_error_clear(&err);
	rc = odf_pipeline_run(stages, n, &popts, &err);
	odf_progress_end(&state.bar);
	if (total != NULL) {
		total->read += state.read;
		total->created += state.created;
		total->updated += state.updated;
		total->failed += state.failed;
		total->pipelines++;
	}
	if (rc < 0) {
		odf_error_print(command.name, &err);
		return odf_error_exit_status(&err);
	}
	return report_outcome(stages, n, &state);
}

/* ---- several models: the plan's steps, one pipeline each ---- */

/* "a,b,c" of n names, after prefix (may be NULL). The caller frees it. */
static char *
join(const char *prefix, const char *const *v, size_t n, const char *sep)
{
	size_t len = prefix != NULL ? strlen(prefix) + 1 : 1, i, at = 0;
	char *out;

	for (i = 0; i < n; i++)
		len += strlen(v[i]) + strlen(sep);
	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	out[0] = '\0';
	if (prefix != NULL)
		at = (size_t)snprintf(out, len + 1, "%s", prefix);
	for (i = 0; i < n; i++)
		at += (size_t)snprintf(out + at, len + 1 - at, "%s%s",
		    at > 0 ? sep : "", v[i]);
	return out;
}

/* The jq program that deletes these fields: del(.a, .b). The caller frees it. */
static char *
drop_program(const char *const *names, size_t n)
{
	char *list = join(NULL, names, n, ", ."), *prog;
	size_t len;

	if (list == NULL)
		return NULL;
	len = strlen(list) + sizeof("del(.)");
	if ((prog = malloc(len)) != NULL)
		snprintf(prog, len, "del(.%s)", list);
	free(list);
	return prog;
}

/* The names of the fields of step s the destination lacks. */
static size_t
missing_fields(const struct odf_plan_step *s, const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nissues; i++)
		if (s->issues[i].kind == ODF_PLAN_FIELD_MISSING && n < max)
			out[n++] = s->issues[i].field;
	return n;
}

static const char *
model_value(const struct migrate_opts *o, enum odf_modelarg kind, const char *model)
{
	for (size_t i = 0; i < o->ma.nmodels; i++)
		if (strcmp(o->ma.models[i], model) == 0)
			return o->ma.value[kind][i];
	return NULL;
}

/* The checks that need no server, for each model: the exit status of what
 * is wrong, or -1 to go on. */
static int
local_checks(const struct migrate_opts *o)
{
	struct odf_connect_opts copts = { command.name, stderr, 1, 0 };
	struct odf_migration m = o->m;
	struct odf_error err;

	odf_error_clear(&err);
	for (size_t i = 0; i < o->ma.nmodels; i++) {
		m.model = o->ma.models[i];
		m.fields = o->ma.value[ODF_MA_FIELDS][i];
		m.domain = o->ma.value[ODF_MA_DOMAIN][i];
		m.transformer_file = o->ma.value[ODF_MA_TRANSFORMER][i];
		if (odf_preflight_local(&m, &copts, &err) != 0) {
			odf_error_print(command.name, &err);
			return EX_USAGE;
		}
	}
	return -1;
}

/* Connect to both sides, build the plan, hang up. NULL with *rc set; the
 * logins go to uids, for the stages. */
static struct odf_plan *
build_plan(const struct migrate_opts *o, struct odf_preflight_uids *uids, int *rc)
{
	struct odf_connect_opts copts = { command.name, stderr, o->quiet, 0 };
	struct odf_conf src_conf, dst_conf;
	struct odf_plan_opts po;
	struct odf_rpc *src, *dst = NULL;
	struct odf_plan *plan = NULL;
	struct odf_error err;
	char src_label[PATH_MAX + 32], dst_label[PATH_MAX + 32];

	snprintf(src_label, sizeof(src_label), "--config-export %s", o->m.conf_export);
	snprintf(dst_label, sizeof(dst_label), "--config-import %s", o->m.conf_import);
	odf_error_clear(&err);
	/* The local checks said the confs' warnings already. */
	copts.diag = NULL;
	if ((src = odf_connect(o->m.conf_export, &copts, &src_conf, &err)) == NULL)
		odf_error_prefix(&err, "--config-export");
	else if ((dst = odf_connect(o->m.conf_import, &copts, &dst_conf, &err)) == NULL)
		odf_error_prefix(&err, "--config-import");
	if (dst != NULL) {
		uids->export_uid = odf_rpc_uid(src);
		uids->import_uid = odf_rpc_uid(dst);
		po = (struct odf_plan_opts){ o->ma.models, o->ma.value[ODF_MA_FIELDS],
		    o->ma.value[ODF_MA_DOMAIN], o->ma.nmodels, o->with_dependencies, o->strict, 0,
		    src_label, dst_label };
		plan = odf_plan_build(&po, src, dst, &err);
		odf_rpc_free(dst);
		odf_conf_free(&dst_conf);
	}
	if (src != NULL) {
		odf_rpc_free(src);
		odf_conf_free(&src_conf);
	}
	if (plan == NULL) {
		odf_error_print(command.name, &err);
		*rc = odf_error_exit_status(&err);
	}
	return plan;
}

/* One warning per model whose fields the destination lacks. */
static void
warn_dropped(const struct odf_plan *plan, int strict)
{
	const char *names[256], *done[ODF_PLAN_MAX_MODELS];
	size_t ndone = 0, i, j, n;
	char *list;

	for (i = 0; i < odf_plan_nsteps(plan) && !strict; i++) {
		const struct odf_plan_step *s = odf_plan_step(plan, i);

		for (j = 0; j < ndone && strcmp(done[j], s->model) != 0; j++)
			;
		if (j < ndone || (n = missing_fields(s, names, 256)) == 0)
			continue;
		done[ndone++] = s->model;
		if ((list = join(NULL, names, n, ", ")) == NULL)
			continue;
		fprintf(stderr, "%s: warning: %s: the destination has no field%s %s: left out "
		    "(their values stay in the source; --strict refuses)\n", command.name, s->model,
		    n == 1 ? "" : "s", list);
		free(list);
	}
}

/* The pipelines of step s: the selection, or its ids in batches. */
static int
run_step(const struct migrate_opts *o, const struct odf_preflight_uids *uids,
    const struct odf_plan_step *s, struct migrate_total *total)
{
	const char *names[512], *missing[256];
	struct migrate_opts so = *o;
	char *fields, *drop = NULL, *domain, fail[PATH_MAX];
	size_t n = 0, nmissing;
	long cursor = 0;
	int rc = 0, r, batch = 0;
	struct odf_error err;

	so.m.model = s->model;
	so.m.transformer_file = model_value(o, ODF_MA_TRANSFORMER, s->model);
	nmissing = missing_fields(s, missing, 256);
	/* A transformer may map a field the destination lacks (a rename): it
	 * gets them, and they are dropped after it. */
	for (n = 0; n < s->nfields && n < 512; n++)
		names[n] = s->fields[n];
	if (so.m.transformer_file != NULL && nmissing > 0) {
		for (size_t i = 0; i < nmissing && n < 512; i++)
			names[n++] = missing[i];
		drop = drop_program(missing, nmissing);
	}
	so.drop = drop;
	if ((fields = join(NULL, names, n, ",")) == NULL) {
		free(drop);
		fprintf(stderr, "%s: out of memory\n", command.name);
		return EX_OSERR;
	}
	so.m.fields = fields;
	if (s->role == ODF_PLAN_SELECTED) {
		so.m.domain = s->domain != NULL ? s->domain : "[]";
		rc = run_selected(&so, uids, total);
	} else {
		while ((domain = odf_plan_ids_domain(s->ids, &cursor, DEPENDENCY_BATCH, &err)) != NULL) {
			if (++batch == 1)
				snprintf(fail, sizeof(fail), "%s_dependencies_fail.ndjson", s->model);
			else
				snprintf(fail, sizeof(fail), "%s_dependencies_%d_fail.ndjson", s->model,
				    batch);
			so.fail_file = fail;
			so.m.domain = domain;
			r = run(&so, uids, total);
			free(domain);
			if (r != 0 && rc == 0)
				rc = r;
			if (r != 0 && r != EX_DATAERR)
				break;
		}
	}
	free(fields);
	free(drop);
	return rc;
}

/* The fields left out for a cycle, once every step has run. */
static int
run_deferred(const struct migrate_opts *o, const struct odf_preflight_uids *uids,
    const struct odf_plan_step *s, struct migrate_total *total)
{
	struct migrate_opts so = *o;
	char *fields, *domain, fail[PATH_MAX];
	long cursor = 0;
	int rc = 0, r;
	struct odf_error err;

	if ((fields = join("id", s->deferred, s->ndeferred, ",")) == NULL)
		return EX_OSERR;
	so.m.model = s->model;
	so.m.fields = fields;
	so.m.transformer_file = NULL;
	so.drop = NULL;
	snprintf(fail, sizeof(fail), "%s_deferred_fail.ndjson", s->model);
	so.fail_file = fail;
	if (s->role == ODF_PLAN_SELECTED) {
		so.m.domain = s->domain != NULL ? s->domain : "[]";
		rc = run_selected(&so, uids, total);
	} else {
		while ((domain = odf_plan_ids_domain(s->ids, &cursor, DEPENDENCY_BATCH, &err)) != NULL) {
			so.m.domain = domain;
			r = run(&so, uids, total);
			free(domain);
			if (r != 0 && rc == 0)
				rc = r;
		}
	}
	free(fields);
	return rc;
}

/*
 * The plan's checks, then each step in order, then the deferred fields.
 * Records that fail (status 65) do not stop the others; anything else does.
 */
static int
migrate_graph(const struct migrate_opts *o)
{
	struct migrate_total total = { 0, 0, 0, 0, 0 };
	struct odf_preflight_uids uids = { 0, 0 };
	struct odf_plan *plan;
	size_t i;
	int rc = 0, r;

	if ((rc = local_checks(o)) >= 0)
		return rc;
	rc = 0;
	if ((plan = build_plan(o, &uids, &rc)) == NULL)
		return rc;
	if (!o->no_check && odf_plan_nproblems(plan) > 0) {
		for (i = 0; i < odf_plan_nproblems(plan); i++)
			fprintf(stderr, "%s: %s\n", command.name, odf_plan_problem(plan, i));
		fprintf(stderr, "%s: nothing was migrated (odf plan tells more; --no-check "
		    "migrates anyway)\n", command.name);
		odf_plan_free(plan);
		return EX_DATAERR;
	}
	warn_dropped(plan, o->strict);
	for (i = 0; i < odf_plan_ncycles(plan) && !o->quiet; i++)
		fprintf(stderr, "%s: cycle %s\n", command.name, odf_plan_cycle(plan, i));
	for (i = 0; i < odf_plan_nsteps(plan); i++) {
		r = run_step(o, &uids, odf_plan_step(plan, i), &total);
		if (r != 0 && rc == 0)
			rc = r;
		if (r != 0 && r != EX_DATAERR)
			break;
	}
	for (i = 0; i < odf_plan_nsteps(plan) && (rc == 0 || rc == EX_DATAERR); i++) {
		if (odf_plan_step(plan, i)->ndeferred == 0)
			continue;
		r = run_deferred(o, &uids, odf_plan_step(plan, i), &total);
		if (r != 0 && rc == 0)
			rc = r;
	}
	if (total.pipelines > 1 && !o->quiet)
		fprintf(stderr, "%s: total: read %ld, created %ld, updated %ld, failed %ld in %d "
		    "pipelines\n", command.name, total.read, total.created, total.updated, total.failed,
		    total.pipelines);
	odf_plan_free(plan);
	return rc;
}

int
main(int argc, char **argv)
{
	struct odf_preflight_uids uids = { 0, 0 };
	int rc;

	odf_modelargs_init(&opt.ma);
	if ((rc = parse_options(argc, argv)) >= 0)
		goto out;
	/* One model, told not to check: the pipeline as it always was. */
	if (opt.ma.nmodels == 1 && opt.no_check && !opt.with_dependencies) {
		if ((rc = preflight(&uids)) < 0)
			rc = run_selected(&opt, &uids, NULL);
	} else {
		rc = migrate_graph(&opt);
	}
	/* The bookmarks move only when every stage and every record made it;
	 * --check loads nothing, so they stay. */
	if (rc == 0 && opt.state_file != NULL && !opt.check)
		rc = windows_close();
	windows_free();
	if (rc == 0 && opt.verify && !opt.check)
		rc = run_verify();
out:
	odf_modelargs_release(&opt.ma);
	return rc;
}
