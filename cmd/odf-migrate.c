/*
 * odf migrate: odf-export | odf-transform | FILTER... | odf-import, as one
 * command with the options of odoo-data-flow's migrate. The stages run at
 * once, joined by pipes; no data passes through this process.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "odf/clock.h"
#include "odf/path.h"
#include "odf/pipeline.h"
#include "odf/report.h"

static const char *prog = "odf migrate";

#define MAX_FILTERS 16
#define MAX_ARGS 40

struct migrate_opts {
	const char *config_export, *config_import, *model, *fields, *domain;
	const char *transformer_file, *fail_file, *context;
	const char *export_worker, *export_batch_size, *import_worker, *import_batch_size;
	const char *filters[MAX_FILTERS];
	int nfilters, check, quiet;
};

/* One stage's command line, built up argument by argument. */
struct argv_buf {
	char *argv[MAX_ARGS];
	int argc;
	char path[PATH_MAX];
};

/* What the stages told us, for the progress line and the last words. */
struct migrate_state {
	long exported, total, read, created, updated, failed;
	double start, drawn;
	int tty;
};

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: odf migrate --config-export CONF --config-import CONF --model MODEL\n"
	    "           [--fields F,...] [--domain DOMAIN] [--transformer-file FILE.jq]\n"
	    "           [--filter CMD]... [--export-worker N] [--export-batch-size N]\n"
	    "           [--import-worker N] [--import-batch-size N] [--fail-file PATH]\n"
	    "           [--context CTX] [--check] [-q]\n");
}

static void
arg(struct argv_buf *a, const char *s)
{
	if (a->argc < MAX_ARGS - 1)
		a->argv[a->argc++] = (char *)s;
	a->argv[a->argc] = NULL;
}

static void
opt(struct argv_buf *a, const char *name, const char *value)
{
	if (value == NULL)
		return;
	arg(a, name);
	arg(a, value);
}

static void
program(struct argv_buf *a, const char *name)
{
	a->argc = 0;
	odf_program_path(name, a->path, sizeof(a->path));
	arg(a, a->path);
}

static int
parse_options(int argc, char **argv, struct migrate_opts *o)
{
	enum { CONF_EXPORT = 256, CONF_IMPORT, FIELDS, TRANSFORMER, EXPORT_WORKER,
	    EXPORT_BATCH, IMPORT_WORKER, IMPORT_BATCH, FILTER, FAIL_FILE, CONTEXT, CHECK };
	static const struct option longopts[] = {
		{ "config-export", required_argument, NULL, CONF_EXPORT },
		{ "config-import", required_argument, NULL, CONF_IMPORT },
		{ "model", required_argument, NULL, 'm' },
		{ "fields", required_argument, NULL, FIELDS },
		{ "domain", required_argument, NULL, 'd' },
		{ "transformer-file", required_argument, NULL, TRANSFORMER },
		{ "export-worker", required_argument, NULL, EXPORT_WORKER },
		{ "export-batch-size", required_argument, NULL, EXPORT_BATCH },
		{ "import-worker", required_argument, NULL, IMPORT_WORKER },
		{ "import-batch-size", required_argument, NULL, IMPORT_BATCH },
		{ "filter", required_argument, NULL, FILTER },
		{ "fail-file", required_argument, NULL, FAIL_FILE },
		{ "context", required_argument, NULL, CONTEXT },
		{ "check", no_argument, NULL, CHECK },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->domain = "[]";
	o->export_worker = "1";
	o->export_batch_size = "100";
	o->import_worker = "1";
	o->import_batch_size = "10";
	while ((c = getopt_long(argc, argv, "m:d:qh", longopts, NULL)) != -1) {
		switch (c) {
		case CONF_EXPORT: o->config_export = optarg; break;
		case CONF_IMPORT: o->config_import = optarg; break;
		case 'm': o->model = optarg; break;
		case FIELDS: o->fields = optarg; break;
		case 'd': o->domain = optarg; break;
		case TRANSFORMER: o->transformer_file = optarg; break;
		case EXPORT_WORKER: o->export_worker = optarg; break;
		case EXPORT_BATCH: o->export_batch_size = optarg; break;
		case IMPORT_WORKER: o->import_worker = optarg; break;
		case IMPORT_BATCH: o->import_batch_size = optarg; break;
		case FAIL_FILE: o->fail_file = optarg; break;
		case CONTEXT: o->context = optarg; break;
		case CHECK: o->check = 1; break;
		case 'q': o->quiet = 1; break;
		case FILTER:
			if (o->nfilters == MAX_FILTERS) {
				fprintf(stderr, "%s: at most %d --filter commands\n", prog, MAX_FILTERS);
				return EX_USAGE;
			}
			o->filters[o->nfilters++] = optarg;
			break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("odf %s\n", ODF_VERSION); exit(0);
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog, argv[optind]);
		return EX_USAGE;
	}
	if (o->config_export == NULL || o->config_import == NULL || o->model == NULL) {
		fprintf(stderr, "%s: --config-export, --config-import and --model are required\n",
		    prog);
		usage(stderr);
		return EX_USAGE;
	}
	/* Fail now rather than after the export has started. */
	if (o->transformer_file != NULL && access(o->transformer_file, R_OK) != 0) {
		fprintf(stderr, "%s: --transformer-file %s: cannot be read\n", prog,
		    o->transformer_file);
		return EX_NOINPUT;
	}
	return 0;
}

static void
on_progress(const char *line, void *arg)
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

static void
on_tick(void *arg)
{
	struct migrate_state *s = arg;
	long done = s->created + s->updated + s->failed;
	double t = odf_clock(), elapsed = t - s->start, rate;
	char eta[32] = "", total[32] = "";

	if (!s->tty || t - s->drawn < 0.25)
		return;
	s->drawn = t;
	rate = elapsed > 0 ? (double)done / elapsed : 0;
	if (s->total > 0 && rate > 0 && done < s->total) {
		long left = (long)((double)(s->total - done) / rate);

		snprintf(eta, sizeof(eta), "  ETA %ld:%02ld", left / 60, left % 60);
	}
	if (s->total > 0)
		snprintf(total, sizeof(total), "/%ld", s->total);
	fprintf(stderr, "\r\033[Kexported %ld%s  imported %ld  failed %ld  %.0f rec/s%s",
	    s->exported, total, s->created + s->updated, s->failed, rate, eta);
}

/* Build the stages: export, the transform when asked, the user's filters,
 * import. Returns their number. */
static size_t
build_stages(const struct migrate_opts *o, struct argv_buf *bufs, struct odf_stage *st)
{
	size_t n = 0;
	int i;

	program(&bufs[n], "odf-export");
	opt(&bufs[n], "-c", o->config_export);
	opt(&bufs[n], "-m", o->model);
	opt(&bufs[n], "--fields", o->fields);
	opt(&bufs[n], "--domain", o->domain);
	opt(&bufs[n], "--worker", o->export_worker);
	opt(&bufs[n], "--batch-size", o->export_batch_size);
	/* A migration copies records as they are, archived ones included:
	 * others may point at them. */
	arg(&bufs[n], "--archived");
	arg(&bufs[n], "-q");
	st[n].name = "odf-export";
	st[n].argv = bufs[n].argv;
	n++;
	if (o->transformer_file != NULL) {
		program(&bufs[n], "odf-transform");
		opt(&bufs[n], "-f", o->transformer_file);
		st[n].name = "odf-transform";
		st[n].argv = bufs[n].argv;
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
	program(&bufs[n], "odf-import");
	opt(&bufs[n], "-c", o->config_import);
	opt(&bufs[n], "-m", o->model);
	opt(&bufs[n], "--worker", o->import_worker);
	opt(&bufs[n], "--batch-size", o->import_batch_size);
	opt(&bufs[n], "--fail-file", o->fail_file);
	opt(&bufs[n], "--context", o->context);
	if (o->check)
		arg(&bufs[n], "--check");
	if (o->quiet)
		arg(&bufs[n], "-q");
	st[n].name = "odf-import";
	st[n].argv = bufs[n].argv;
	return n + 1;
}

/* Name the stage that failed first, and what became of the rest. */
static int
report_outcome(const struct odf_stage *st, size_t n, const struct migrate_state *s,
    int quiet)
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
	fprintf(stderr, "%s: %s %s\n", prog, first->name,
	    odf_stage_describe(first, how, sizeof(how)));
	for (i = 0; i < n && !quiet; i++)
		if (&st[i] != first && st[i].status != 0)
			fprintf(stderr, "%s: then %s %s\n", prog, st[i].name,
			    odf_stage_describe(&st[i], how, sizeof(how)));
	if (first == &st[n - 1] && !WIFEXITED(first->status))
		fprintf(stderr, "%s: the import stopped after %ld records read (%ld loaded, "
		    "%ld failed); run the same command again: records load by external id\n",
		    prog, s->read, s->created + s->updated, s->failed);
	/* The importer's own status says the most: 65 for records in the fail
	 * file, 77 for a refused login... Other stages: EX_SOFTWARE. */
	if (first == &st[n - 1] && WIFEXITED(first->status))
		return WEXITSTATUS(first->status);
	if (st[0].order != 0 && first == &st[0] && WIFEXITED(first->status))
		return WEXITSTATUS(first->status);
	return EX_SOFTWARE;
}

int
main(int argc, char **argv)
{
	struct argv_buf bufs[MAX_FILTERS + 3];
	struct odf_stage stages[MAX_FILTERS + 3];
	struct migrate_state state;
	struct odf_pipeline_opts popts;
	struct migrate_opts o;
	struct odf_error err;
	size_t n;
	int rc;

	if ((rc = parse_options(argc, argv, &o)) != 0)
		return rc;
	memset(stages, 0, sizeof(stages));
	memset(&state, 0, sizeof(state));
	state.start = odf_clock();
	state.tty = !o.quiet && isatty(STDERR_FILENO);
	popts = (struct odf_pipeline_opts){ on_progress, on_tick, &state, 10 };
	n = build_stages(&o, bufs, stages);

	odf_error_clear(&err);
	rc = odf_pipeline_run(stages, n, &popts, &err);
	if (state.tty)
		fputs("\r\033[K", stderr);
	if (rc < 0) {
		odf_error_print(prog, &err);
		return odf_error_exit_status(&err);
	}
	return report_outcome(stages, n, &state, o.quiet);
}
