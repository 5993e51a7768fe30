/*
 * odf migrate, the whole migration: one model as one pipeline, or the
 * plan's steps in dependency order, each in its --state window; the
 * bookmarks moved when everything landed; --verify. See odf/migrate.h.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "odf/buf.h"
#include "odf/conf.h"
#include "odf/connect.h"
#include "odf/migrate.h"
#include "odf/plan.h"
#include "odf/sync.h"

/* Ids of dependency records a pipeline: the domain stays one argument. */
#define DEPENDENCY_BATCH 5000

/* --state: the window of each model asked for, opened when its first
 * pipeline starts, and the records it loaded. */
struct window {
	struct odf_sync sync;
	char *model;            /* sync.model: the plan's names do not outlive it */
	long long records;
};

/* One run of odf_migrate_run. */
struct migration {
	const struct odf_migrate_opts *o;
	struct odf_preflight_uids uids;
	struct window windows[ODF_MODELARGS_MAX];
	size_t nwindows;
	/* --verify: the fields of each model of o->ma the destination lacks
	 * (not moved, so not compared), or NULL. */
	char *verify_ignore[ODF_MODELARGS_MAX];
};

static void
print_error(const struct odf_migrate_opts *o, const struct odf_error *err)
{
	odf_error_fprint(o->p.diag, o->p.prog, err);
}

/* The checks that need no server: the confs once (and their warnings),
 * each model's selection. The exit status of what is wrong, or -1 to go on. */
static int
local_checks(const struct odf_migrate_opts *o)
{
	struct odf_connect_opts copts = { o->p.prog, o->p.diag, 1, 0, 0 };
	struct odf_migration m = o->p.m;
	struct odf_error err;

	odf_error_clear(&err);
	for (size_t i = 0; i < o->ma.nmodels; i++) {
		m.model = o->ma.models[i];
		m.fields = o->ma.value[ODF_MA_FIELDS][i];
		m.domain = o->ma.value[ODF_MA_DOMAIN][i];
		m.transformer_file = o->ma.value[ODF_MA_TRANSFORMER][i];
		if ((i == 0 ? odf_preflight_local(&m, &copts, &err) :
		    odf_preflight_selection(&m, &err)) != 0) {
			/* What the user typed is wrong: a usage error, whatever the cause. */
			print_error(o, &err);
			return EX_USAGE;
		}
	}
	return -1;
}

/* Everything that can be checked before a stage starts; the exit status
 * of what is wrong, or -1 to go on. */
static int
preflight(const struct odf_migrate_opts *o, struct odf_preflight_uids *uids)
{
	/* The local checks said the confs' warnings already. */
	struct odf_connect_opts copts = { o->p.prog, o->p.diag, o->p.quiet, 0, 1 };
	struct odf_error err;
	int rc;

	if ((rc = local_checks(o)) >= 0)
		return rc;
	odf_error_clear(&err);
	if (odf_preflight_servers(&o->p.m, &copts, uids, &err) != 0) {
		print_error(o, &err);
		return odf_error_exit_status(&err);
	}
	return -1;
}

/* --state: the window of model: its bookmark (NULL the first time) in
 * *since, the source's clock read now. -1 to go on, or the exit status. */
static int
window_open(struct migration *g, const char *model, struct window **out, const char **since)
{
	const struct odf_migrate_opts *o = g->o;
	struct window *w = NULL;
	struct odf_conf conf;
	struct odf_error err;
	size_t i;
	int r;

	for (i = 0; i < g->nwindows && w == NULL; i++)
		if (strcmp(g->windows[i].sync.model, model) == 0)
			w = &g->windows[i];
	if (w == NULL) {
		if (g->nwindows == ODF_MODELARGS_MAX)
			return EX_SOFTWARE;
		w = &g->windows[g->nwindows];
		odf_error_clear(&err);
		if ((w->model = strdup(model)) == NULL) {
			fprintf(o->p.diag, "%s: out of memory\n", o->p.prog);
			return EX_OSERR;
		}
		/* The source's conf names the bookmark's source and reads its clock. */
		memset(&conf, 0, sizeof(conf));
		r = odf_conf_load(&conf, o->p.m.conf_export, NULL, NULL, &err);
		if (r == 0)
			r = odf_sync_begin(&w->sync, o->state_file, &conf, w->model, o->overlap,
			    o->p.prog, o->p.quiet ? NULL : o->p.diag, &err);
		odf_conf_free(&conf);
		if (r != 0) {
			free(w->model);
			w->model = NULL;
			print_error(o, &err);
			return odf_error_exit_status(&err);
		}
		g->nwindows++;
		if (!o->p.quiet)
			fprintf(o->p.diag, "%s: %s: %s%s (%s)\n", o->p.prog, model,
			    w->sync.incremental ? "records written since " :
			    "no bookmark: every record", w->sync.incremental ?
			    w->sync.last.since : "", o->state_file);
	}
	*out = w;
	*since = w->sync.incremental ? w->sync.last.since : NULL;
	return -1;
}

/* The whole run landed: move every bookmark. 0, or the exit status. */
static int
windows_close(struct migration *g)
{
	const struct odf_migrate_opts *o = g->o;
	struct odf_bookmark b;
	struct odf_error err;
	size_t i;

	for (i = 0; i < g->nwindows; i++) {
		odf_error_clear(&err);
		if (odf_sync_end(&g->windows[i].sync, g->windows[i].records, &b, &err) != 0) {
			print_error(o, &err);
			return odf_error_exit_status(&err);
		}
		if (!o->p.quiet)
			fprintf(o->p.diag, "%s: %s: bookmark moved to %s (%s)\n", o->p.prog,
			    g->windows[i].sync.model, b.since, o->state_file);
	}
	return 0;
}

static void
windows_free(struct migration *g)
{
	size_t i;

	for (i = 0; i < g->nwindows; i++)
		free(g->windows[i].model);
	g->nwindows = 0;
}

/* A pipeline of the selection of so->m.model: in its --state window when
 * there is one, its records counted for the bookmark. */
static int
run_selected(struct migration *g, struct odf_stages_opts *so, struct odf_stages_counts *total)
{
	struct odf_stages_counts none = { 0, 0, 0, 0, 0 }, *t = total != NULL ? total : &none;
	struct window *w = NULL;
	long before = t->read;
	int rc;

	if (g->o->state_file != NULL && (rc = window_open(g, so->m.model, &w, &so->since)) >= 0)
		return rc;
	rc = odf_stages_run(so, &g->uids, t);
	so->since = NULL;
	if (w != NULL)
		w->records += t->read - before;
	return rc;
}

/* ---- several models: the plan's steps, one pipeline each ---- */

/* The text of b for the caller to free, or NULL when an add failed. */
static char *
detach(struct odf_buf *b)
{
	if (b->failed) {
		odf_buf_release(b);
		return NULL;
	}
	return odf_buf_detach(b, NULL);
}

/* "a,b,c" of n names, after prefix (may be NULL). The caller frees it. */
static char *
join(const char *prefix, const char *const *v, size_t n, const char *sep)
{
	struct odf_buf b = ODF_BUF_INIT;

	odf_buf_adds(&b, prefix != NULL ? prefix : "", NULL);
	for (size_t i = 0; i < n; i++)
		odf_buf_addf(&b, NULL, "%s%s", b.len > 0 ? sep : "", v[i]);
	return detach(&b);
}

/* The jq program that deletes these fields: del(.a, .b). The caller frees it. */
static char *
drop_program(const char *const *names, size_t n)
{
	struct odf_buf b = ODF_BUF_INIT;

	odf_buf_adds(&b, "del(", NULL);
	for (size_t i = 0; i < n; i++)
		odf_buf_addf(&b, NULL, "%s.%s", i > 0 ? ", " : "", names[i]);
	odf_buf_adds(&b, ")", NULL);
	return detach(&b);
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
model_value(const struct odf_migrate_opts *o, enum odf_modelarg kind, const char *model)
{
	for (size_t i = 0; i < o->ma.nmodels; i++)
		if (strcmp(o->ma.models[i], model) == 0)
			return o->ma.value[kind][i];
	return NULL;
}

/* Connect to both sides, build the plan, hang up. NULL with *rc set; the
 * logins go to uids, for the stages. */
static struct odf_plan *
build_plan(const struct odf_migrate_opts *o, struct odf_preflight_uids *uids, int *rc)
{
	/* The local checks said the confs' warnings already. */
	struct odf_connect_opts copts = { o->p.prog, o->p.diag, o->p.quiet, 0, 1 };
	struct odf_plan_opts po;
	struct odf_plan *plan;
	struct odf_error err;
	char src_label[PATH_MAX + 32], dst_label[PATH_MAX + 32];

	snprintf(src_label, sizeof(src_label), "--config-export %s", o->p.m.conf_export);
	snprintf(dst_label, sizeof(dst_label), "--config-import %s", o->p.m.conf_import);
	po = (struct odf_plan_opts){ o->ma.models, o->ma.value[ODF_MA_FIELDS],
	    o->ma.value[ODF_MA_DOMAIN], o->ma.nmodels, o->with_dependencies, o->strict,
	    src_label, dst_label };
	odf_error_clear(&err);
	plan = odf_plan_connect(&po, o->p.m.conf_export, o->p.m.conf_import, &copts,
	    &uids->export_uid, &uids->import_uid, &err);
	if (plan == NULL) {
		print_error(o, &err);
		*rc = odf_error_exit_status(&err);
	}
	return plan;
}

/* One warning per model whose fields the destination lacks. */
static void
warn_dropped(const struct odf_migrate_opts *o, const struct odf_plan *plan)
{
	const char *names[256], *done[ODF_PLAN_MAX_MODELS];
	size_t ndone = 0, i, j, n;
	char *list;

	for (i = 0; i < odf_plan_nsteps(plan) && !o->strict; i++) {
		const struct odf_plan_step *s = odf_plan_step(plan, i);

		for (j = 0; j < ndone && strcmp(done[j], s->model) != 0; j++)
			;
		if (j < ndone || (n = missing_fields(s, names, 256)) == 0)
			continue;
		done[ndone++] = s->model;
		if ((list = join(NULL, names, n, ", ")) == NULL)
			continue;
		fprintf(o->p.diag, "%s: warning: %s: the destination has no field%s %s: left out "
		    "(their values stay in the source; --strict refuses)\n", o->p.prog, s->model,
		    n == 1 ? "" : "s", list);
		free(list);
	}
}

/*
 * The pipelines of so over the records of step s: its selection (in its
 * --state window), or its ids, DEPENDENCY_BATCH a pipeline, the failures
 * of the first in STEM_fail.ndjson, of the k-th in STEM_k_fail.ndjson.
 * Records that fail (status 65) do not stop the batches; anything else does.
 */
static int
run_records(struct migration *g, const struct odf_plan_step *s, struct odf_stages_opts *so,
    const char *stem, struct odf_stages_counts *total)
{
	char *domain, fail[PATH_MAX];
	long cursor = 0;
	int rc = 0, r, batch = 0;
	struct odf_error err;

	if (s->role == ODF_PLAN_SELECTED) {
		so->m.domain = s->domain != NULL ? s->domain : "[]";
		return run_selected(g, so, total);
	}
	while ((domain = odf_plan_ids_domain(s->ids, &cursor, DEPENDENCY_BATCH, &err)) != NULL) {
		if (++batch == 1)
			snprintf(fail, sizeof(fail), "%s_fail.ndjson", stem);
		else
			snprintf(fail, sizeof(fail), "%s_%d_fail.ndjson", stem, batch);
		so->fail_file = fail;
		so->m.domain = domain;
		r = odf_stages_run(so, &g->uids, total);
		so->m.domain = NULL;
		free(domain);
		if (r != 0 && rc == 0)
			rc = r;
		if (r != 0 && r != EX_DATAERR)
			return rc;
	}
	if (err.code != ODF_OK) {
		print_error(g->o, &err);
		return odf_error_exit_status(&err);
	}
	return rc;
}

/* --verify leaves out of the comparison the fields of the selection of
 * step s that the destination lacks (they were not moved). 0, or the exit
 * status. */
static int
remember_verify_ignore(struct migration *g, const struct odf_plan_step *s)
{
	const char *missing[256];
	size_t k, nmissing;

	if (s->role != ODF_PLAN_SELECTED || (nmissing = missing_fields(s, missing, 256)) == 0)
		return 0;
	for (k = 0; k < g->o->ma.nmodels && strcmp(g->o->ma.models[k], s->model) != 0; k++)
		;
	if (k == g->o->ma.nmodels || g->verify_ignore[k] != NULL)
		return 0;
	if ((g->verify_ignore[k] = join(NULL, missing, nmissing, ",")) == NULL) {
		fprintf(g->o->p.diag, "%s: out of memory\n", g->o->p.prog);
		return EX_OSERR;
	}
	return 0;
}

/* The pipelines of step s, with the fields the destination has. */
static int
run_step(struct migration *g, const struct odf_plan_step *s, struct odf_stages_counts *total)
{
	const struct odf_migrate_opts *o = g->o;
	const char *names[512], *missing[256];
	struct odf_stages_opts so = o->p;
	char *fields, *drop = NULL, stem[PATH_MAX];
	size_t n = 0, nmissing;
	int rc;

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
		fprintf(o->p.diag, "%s: out of memory\n", o->p.prog);
		return EX_OSERR;
	}
	so.m.fields = fields;
	snprintf(stem, sizeof(stem), "%s_dependencies", s->model);
	rc = run_records(g, s, &so, stem, total);
	free(fields);
	free(drop);
	return rc;
}

/* The fields left out for a cycle, once every step has run. */
static int
run_deferred(struct migration *g, const struct odf_plan_step *s,
    struct odf_stages_counts *total)
{
	struct odf_stages_opts so = g->o->p;
	char *fields, stem[PATH_MAX], fail[PATH_MAX];
	int rc;

	if ((fields = join("id", s->deferred, s->ndeferred, ",")) == NULL)
		return EX_OSERR;
	so.m.model = s->model;
	so.m.fields = fields;
	so.m.transformer_file = NULL;
	so.drop = NULL;
	snprintf(stem, sizeof(stem), "%s_deferred", s->model);
	snprintf(fail, sizeof(fail), "%s_fail.ndjson", stem);
	so.fail_file = fail;
	rc = run_records(g, s, &so, stem, total);
	free(fields);
	return rc;
}

/*
 * The plan's checks, then each step in order, then the deferred fields.
 * Records that fail (status 65) do not stop the others; anything else does.
 */
static int
migrate_graph(struct migration *g)
{
	const struct odf_migrate_opts *o = g->o;
	struct odf_stages_counts total = { 0, 0, 0, 0, 0 };
	struct odf_plan *plan;
	size_t i;
	int rc = 0, r;

	if ((rc = local_checks(o)) >= 0)
		return rc;
	rc = 0;
	if ((plan = build_plan(o, &g->uids, &rc)) == NULL)
		return rc;
	if (!o->no_check && odf_plan_nproblems(plan) > 0) {
		for (i = 0; i < odf_plan_nproblems(plan); i++)
			fprintf(o->p.diag, "%s: %s\n", o->p.prog, odf_plan_problem(plan, i));
		fprintf(o->p.diag, "%s: nothing was migrated (odf plan tells more; --no-check "
		    "migrates anyway)\n", o->p.prog);
		odf_plan_free(plan);
		return EX_DATAERR;
	}
	warn_dropped(o, plan);
	for (i = 0; i < odf_plan_ncycles(plan) && !o->p.quiet; i++)
		fprintf(o->p.diag, "%s: cycle %s\n", o->p.prog, odf_plan_cycle(plan, i));
	for (i = 0; i < odf_plan_nsteps(plan); i++) {
		if (o->verify && (r = remember_verify_ignore(g, odf_plan_step(plan, i))) != 0) {
			rc = r;
			break;
		}
		r = run_step(g, odf_plan_step(plan, i), &total);
		if (r != 0 && rc == 0)
			rc = r;
		if (r != 0 && r != EX_DATAERR)
			break;
	}
	for (i = 0; i < odf_plan_nsteps(plan) && (rc == 0 || rc == EX_DATAERR); i++) {
		if (odf_plan_step(plan, i)->ndeferred == 0)
			continue;
		r = run_deferred(g, odf_plan_step(plan, i), &total);
		if (r != 0 && rc == 0)
			rc = r;
	}
	if (total.pipelines > 1 && !o->p.quiet)
		fprintf(o->p.diag, "%s: total: read %ld, created %ld, updated %ld, failed %ld in %d "
		    "pipelines\n", o->p.prog, total.read, total.created, total.updated, total.failed,
		    total.pipelines);
	odf_plan_free(plan);
	return rc;
}

int
odf_migrate_run(const struct odf_migrate_opts *o)
{
	struct migration *g;
	struct odf_stages_opts so = o->p;
	int rc;

	if ((g = calloc(1, sizeof(*g))) == NULL) {
		fprintf(o->p.diag, "%s: out of memory\n", o->p.prog);
		return EX_OSERR;
	}
	g->o = o;
	/* One model, told not to check: the pipeline as it always was. */
	if (o->ma.nmodels == 1 && o->no_check && !o->with_dependencies) {
		if ((rc = preflight(o, &g->uids)) < 0)
			rc = run_selected(g, &so, NULL);
	} else {
		rc = migrate_graph(g);
	}
	/* The bookmarks move only when every stage and every record made it;
	 * --check loads nothing, so they stay. */
	if (rc == 0 && o->state_file != NULL && !o->p.check)
		rc = windows_close(g);
	if (rc == 0 && o->verify && !o->p.check)
		rc = odf_stages_verify(&o->p, &g->uids, &o->ma, g->verify_ignore);
	for (size_t k = 0; k < ODF_MODELARGS_MAX; k++)
		free(g->verify_ignore[k]);
	windows_free(g);
	free(g);
	return rc;
}
