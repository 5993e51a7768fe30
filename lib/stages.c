/*
 * The stages of odf migrate: their command lines, one pipeline of them
 * with its progress line, the outcome of the first stage to fail; the
 * odf-verify runs of --verify. See odf/stages.h.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "odf/conf.h"
#include "odf/path.h"
#include "odf/pipeline.h"
#include "odf/progress.h"
#include "odf/report.h"
#include "odf/stages.h"

#define MAX_ARGS 40
#define MAX_STAGES (ODF_STAGES_MAX_FILTERS + 4)

/* One stage's command line, built up argument by argument. */
struct argv_buf {
	char *argv[MAX_ARGS];
	int argc;
	char path[PATH_MAX];
	char numbers[2][24];    /* counts formatted for the command line */
	char env[2][160];       /* ODF_UID=... or ODF_UID_<NAME>=... */
};

/* What the stages told us, for the progress line and the last words. */
struct stages_state {
	long exported, total, read, created, updated, failed;
	struct odf_progress bar;
};

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
		snprintf(a->env[0], sizeof(a->env[0]), "ODF_UID=%d", uid);
		st->env[0] = a->env[0];
	}
}

/* odf-verify reads both databases: each file's uid goes in its own
 * variable, ODF_UID_<NAME>, unless both files have one name. */
static void
verify_uids(struct argv_buf *a, struct odf_stage *st, const struct odf_stages_opts *o,
    const struct odf_preflight_uids *uids)
{
	char src[128], dst[128];

	odf_conf_variable("ODF_UID", o->m.conf_export, src, sizeof(src));
	odf_conf_variable("ODF_UID", o->m.conf_import, dst, sizeof(dst));
	if (uids->export_uid <= 0 || uids->import_uid <= 0 || strcmp(src, dst) == 0)
		return;
	snprintf(a->env[0], sizeof(a->env[0]), "%s=%d", src, uids->export_uid);
	snprintf(a->env[1], sizeof(a->env[1]), "%s=%d", dst, uids->import_uid);
	st->env[0] = a->env[0];
	st->env[1] = a->env[1];
}

/* Build the stages: export, the transform when asked, the user's filters,
 * import. Returns their number. */
static size_t
build_stages(const struct odf_stages_opts *o, const struct odf_preflight_uids *uids,
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
on_report(const char *line, void *a)
{
	struct stages_state *s = a;
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
on_tick(void *a)
{
	struct stages_state *s = a;

	odf_progress_set_total(&s->bar, s->total > 0 ? s->total : -1);
	odf_progress_count(&s->bar, "exported", s->exported);
	odf_progress_count(&s->bar, "failed", s->failed);
	odf_progress_update(&s->bar, s->created + s->updated + s->failed);
}

/* Name the stage that failed first, and what became of the rest. */
static int
report_outcome(const struct odf_stages_opts *o, const struct odf_stage *st, size_t n,
    const struct stages_state *s)
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
	fprintf(o->diag, "%s: %s %s\n", o->prog, first->name,
	    odf_stage_describe(first, how, sizeof(how)));
	for (i = 0; i < n && !o->quiet; i++)
		if (&st[i] != first && st[i].status != 0)
			fprintf(o->diag, "%s: then %s %s\n", o->prog, st[i].name,
			    odf_stage_describe(&st[i], how, sizeof(how)));
	if (first == &st[n - 1] && !WIFEXITED(first->status))
		fprintf(o->diag, "%s: the import stopped after %ld records read (%ld loaded, "
		    "%ld failed); run the same command again: records load by external id\n",
		    o->prog, s->read, s->created + s->updated, s->failed);
	/* The importer's own status says the most: 65 for records in the fail
	 * file, 77 for a refused login... Other stages: EX_SOFTWARE. */
	if (first == &st[n - 1] && WIFEXITED(first->status))
		return WEXITSTATUS(first->status);
	if (st[0].order != 0 && first == &st[0] && WIFEXITED(first->status))
		return WEXITSTATUS(first->status);
	return EX_SOFTWARE;
}

int
odf_stages_run(const struct odf_stages_opts *o, const struct odf_preflight_uids *uids,
    struct odf_stages_counts *total)
{
	struct argv_buf bufs[MAX_STAGES];
	struct odf_stage stages[MAX_STAGES];
	struct stages_state state;
	struct odf_pipeline_opts popts = { on_report, on_tick, &state, 10 };
	struct odf_error err;
	size_t n;
	int rc;

	memset(stages, 0, sizeof(stages));
	memset(&state, 0, sizeof(state));
	odf_progress_init(&state.bar, o->diag, !o->quiet && isatty(fileno(o->diag)),
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
		odf_error_fprint(o->diag, o->prog, &err);
		return odf_error_exit_status(&err);
	}
	return report_outcome(o, stages, n, &state);
}

int
odf_stages_verify(const struct odf_stages_opts *o, const struct odf_preflight_uids *uids,
    const struct odf_modelargs *ma, char *const *ignore)
{
	struct odf_pipeline_opts popts = { NULL, NULL, NULL, 10 };
	struct odf_stage st[1];
	struct odf_error err;
	struct argv_buf a;
	char how[128];
	int rc = 0, r;
	size_t i;

	if (o->nfilters > 0 && !o->quiet)
		fprintf(o->diag, "%s: --verify compares without the --filter commands\n",
		    o->prog);
	for (i = 0; i < ma->nmodels; i++) {
		memset(st, 0, sizeof(st));
		program(&a, &st[0], "odf-verify", 0);
		verify_uids(&a, &st[0], o, uids);
		opt_arg(&a, "--config-export", o->m.conf_export);
		opt_arg(&a, "--config-import", o->m.conf_import);
		opt_arg(&a, "--model", ma->models[i]);
		opt_arg(&a, "--fields", ma->value[ODF_MA_FIELDS][i]);
		opt_arg(&a, "--domain", ma->value[ODF_MA_DOMAIN][i]);
		opt_arg(&a, "--transformer-file", ma->value[ODF_MA_TRANSFORMER][i]);
		opt_arg(&a, "--ignore", ignore != NULL ? ignore[i] : NULL);
		count_arg(&a, 0, "--worker", o->export_worker);
		count_arg(&a, 1, "--batch-size", o->export_batch_size);
		if (o->quiet)
			arg(&a, "-q");
		odf_error_clear(&err);
		if (odf_pipeline_run(st, 1, &popts, &err) < 0) {
			odf_error_fprint(o->diag, o->prog, &err);
			return odf_error_exit_status(&err);
		}
		if (WIFEXITED(st[0].status) && WEXITSTATUS(st[0].status) <= 1) {
			r = WEXITSTATUS(st[0].status);
			if (r == 1)
				fprintf(o->diag, "%s: verify: %s: the destination differs from the "
				    "source\n", o->prog, ma->models[i]);
		} else {
			fprintf(o->diag, "%s: odf-verify %s\n", o->prog,
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
