/*
 * The plan of a migration: schemas compared, references counted and looked
 * up by external id, dependencies added, steps ordered (plan.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "odf/cli.h"
#include "odf/domain.h"
#include "odf/fields.h"
#include "odf/plan.h"
#include "odf/record.h"
#include "odf/schema.h"
#include "plan_int.h"

/* ---- small helpers ------------------------------------------------- */

static int
add_problem(struct odf_plan *p, struct odf_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
add_problem(struct odf_plan *p, struct odf_error *err, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return push_string(&p->problems, &p->nproblems, buf, err);
}

static struct odf_plan_issue *
add_issue(struct step *s, enum odf_plan_issue_kind kind, const char *field,
    struct odf_error *err)
{
	struct odf_plan_issue *v;

	if (odf_grow(&s->issues, &s->cissues, s->nissues + 1, sizeof(*s->issues)) < 0) {
		nomem(err);
		return NULL;
	}
	v = &s->issues[s->nissues++];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->field = field;
	return v;
}


/* The field name an item starts with: "parent_id" of "parent_id/id". */
static size_t
item_field_len(const char *item)
{
	size_t n = strcspn(item, "/");
	const char *dot = memchr(item, '.', n);

	if (dot != NULL && dot != item)
		n = (size_t)(dot - item);
	return n;
}

/* Whether an item names a relation by external id: "f", "f/id", "f.id". */
static int
item_is_xmlid_ref(const char *item)
{
	size_t n = item_field_len(item);

	return item[n] == '\0' || strcmp(item + n, "/id") == 0 || strcmp(item + n, ".id") == 0;
}

/* ---- models and their fields --------------------------------------- */

/* fields_get of model on rpc into *out; *out NULL when there is no such
 * model. */
static int
fetch_fields(struct odf_rpc *rpc, const char *model, struct odf_fields **out,
    struct odf_error *err)
{
	int unknown;

	if ((*out = odf_fields_fetch(rpc, model, NULL, &unknown, err)) != NULL)
		return 0;
	if (!unknown)
		return -1;
	odf_error_clear(err);
	return 0;
}

static struct pmodel *
find_model(struct odf_plan *p, const char *name)
{
	for (size_t i = 0; i < p->nmodels; i++)
		if (strcmp(p->models[i]->name, name) == 0)
			return p->models[i];
	return NULL;
}

static struct pmodel *
get_model(struct odf_plan *p, const char *name, struct odf_error *err)
{
	struct pmodel *m = find_model(p, name);

	if (m != NULL)
		return m;
	if (p->nmodels == ODF_PLAN_MAX_MODELS) {
		odf_error_set(err, ODF_E_USAGE, "more than %d models in the plan", ODF_PLAN_MAX_MODELS);
		return NULL;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL || (m->name = strdup(name)) == NULL ||
	    (m->checked = odf_idset_new()) == NULL || (m->indest = odf_idset_new()) == NULL) {
		if (m != NULL) {
			free(m->name);
			odf_idset_free(m->checked);
			free(m);
		}
		nomem(err);
		return NULL;
	}
	m->index = (int)p->nmodels;
	p->models[p->nmodels++] = m;
	return m;
}



/* Both sides' fields of m; the destination is not asked about a model the
 * source does not have. */
static int
model_fetch(struct odf_plan *p, struct pmodel *m, struct odf_error *err)
{
	if (m->fetched)
		return 0;
	if (fetch_fields(p->src, m->name, &m->src, err) != 0) {
		odf_error_prefix(err, "%s", src_label(p));
		return -1;
	}
	if (m->src != NULL && fetch_fields(p->dst, m->name, &m->dst, err) != 0) {
		odf_error_prefix(err, "%s", dst_label(p));
		return -1;
	}
	m->fetched = 1;
	return 0;
}

/* ---- steps ---------------------------------------------------------- */

static void
step_free(struct step *s)
{
	size_t i;

	if (s == NULL)
		return;
	free(s->domain_text);
	cJSON_Delete(s->domain);
	odf_idset_free(s->ids);
	odf_idset_free(s->pending);
	for (i = 0; i < s->nitems; i++)
		free(s->items[i]);
	free(s->items);
	free(s->fields);
	free(s->deferred);
	for (i = 0; i < s->nrefs; i++)
		odf_idset_free(s->refs[i].ids);
	free(s->refs);
	free(s->pubrefs);
	free(s->selvals);
	free(s->issues);
	free(s);
}


/* Whether t is among the models whose references brought m in. */
static int
upstream(const struct pmodel *t, const struct pmodel *m)
{
	int hops = 0;

	for (m = m->origin; m != NULL && hops < ODF_PLAN_MAX_MODELS; m = m->origin, hops++)
		if (m == t)
			return 1;
	return 0;
}

/*
 * The relational fields of the step's items become refs; for a dependency,
 * relations back into the models that brought it in are dropped (a tag's
 * partners: the partners write those links themselves).
 */
static int
step_refs(struct odf_plan *p, struct step *s, struct odf_error *err)
{
	const struct odf_field *f;
	struct pmodel *t;
	size_t i;

	if ((s->refs = calloc(s->nitems + 1, sizeof(*s->refs))) == NULL)
		return nomem(err);
	for (i = 0; i < s->nitems; i++) {
		size_t n = item_field_len(s->items[i]);
		struct ref *r;

		f = odf_fields_getn(s->m->src, s->items[i], n);
		if (f == NULL || f->relation == NULL || !item_is_xmlid_ref(s->items[i]) ||
		    (f->type != ODF_FT_MANY2ONE && f->type != ODF_FT_MANY2MANY))
			continue;
		if ((t = get_model(p, f->relation, err)) == NULL)
			return -1;
		r = &s->refs[s->nrefs++];
		r->field = f;
		r->target = t;
		r->pub.field = f->name;
		r->pub.target = t->name;
		r->pub.type = f->type_name;
		r->pub.self = t == s->m;
		r->required = s->m->dst != NULL && dst_requires(odf_fields_get(s->m->dst, f->name));
		/* Not migrated: a field the destination lacks, or a dependency's
		 * relation back into the models that brought it in, unless the
		 * destination requires it (a user's partner_id): then it is a
		 * cycle, broken on the other side. */
		r->pub.dropped = (s->m->dst != NULL && odf_fields_get(s->m->dst, f->name) == NULL) ||
		    (s->pub.role == ODF_PLAN_DEPENDENCY && t != s->m && upstream(t, s->m) &&
		    !r->required);
		if ((r->ids = odf_idset_new()) == NULL)
			return nomem(err);
	}
	return 0;
}

/* Selection keys of the source that the destination's field lacks. */
static int
step_selvals(struct step *s, struct odf_error *err)
{
	const struct odf_field *fs, *fd;
	size_t i, k;

	if ((s->selvals = calloc(1, sizeof(*s->selvals))) == NULL)
		return nomem(err);
	for (i = 0; i < s->nitems; i++) {
		size_t n = item_field_len(s->items[i]);

		fs = odf_fields_getn(s->m->src, s->items[i], n);
		fd = s->m->dst != NULL ? odf_fields_getn(s->m->dst, s->items[i], n) : NULL;
		if (fs == NULL || fd == NULL || fs->type != ODF_FT_SELECTION ||
		    fd->type != ODF_FT_SELECTION || fs->selection == NULL || fd->selection == NULL)
			continue;
		for (k = 0; k < fs->nselection; k++) {
			struct selval *v;

			if (odf_field_selection_label(fd, fs->selection[k].key) != NULL)
				continue;
			v = realloc(s->selvals, (s->nselvals + 1) * sizeof(*v));
			if (v == NULL)
				return nomem(err);
			s->selvals = v;
			s->selvals[s->nselvals++] = (struct selval){ fs, fs->selection[k].key, 0 };
		}
	}
	return 0;
}

/* The items of a step: "id" and the user's list, or every importable field
 * (for a dependency: of its model, or the selected step's list). */
static int
step_items(struct step *s, const char *fields, struct odf_error *err)
{
	const char **names;
	size_t n, i;
	int has_id = 0, rc = 0;

	if (fields != NULL) {
		if ((names = (const char **)odf_split_list("--fields", fields, &n, err)) == NULL)
			return -1;
	} else {
		n = odf_fields_default_export(s->m->src, NULL, 0);
		if ((names = calloc(n + 1, sizeof(*names))) == NULL)
			return nomem(err);
		odf_fields_default_export(s->m->src, names, n);
	}
	for (i = 0; i < n && rc == 0; i++) {
		size_t len = item_field_len(names[i]);

		if (odf_fields_getn(s->m->src, names[i], len) == NULL &&
		    strcmp(names[i], "id") != 0 && strcmp(names[i], ".id") != 0)
			rc = odf_error_set(err, ODF_E_USAGE, "--fields: unknown field '%.*s' in %s",
			    (int)len, names[i], s->m->name);
		has_id |= strcmp(names[i], "id") == 0;
	}
	if (rc == 0 && !has_id)
		rc = push_string(&s->items, &s->nitems, "id", err);
	for (i = 0; i < n && rc == 0; i++)
		rc = push_string(&s->items, &s->nitems, names[i], err);
	free(names);
	return rc;
}

/* fields and domain may be "@FILE", as odf-export takes them. */
static struct step *
step_new(struct odf_plan *p, struct pmodel *m, enum odf_plan_role role,
    const char *fields_arg, const char *domain, struct odf_error *err)
{
	struct step *s = calloc(1, sizeof(*s));
	char *fields = NULL, *domain_text = NULL;

	if (s == NULL) {
		nomem(err);
		return NULL;
	}
	if ((fields_arg != NULL &&
	    (fields = odf_arg_text("--fields", fields_arg, ODF_MAX_OPTION_TEXT, err)) == NULL) ||
	    (domain != NULL &&
	    (domain_text = odf_arg_text("--domain", domain, ODF_MAX_OPTION_TEXT, err)) == NULL)) {
		err->code = ODF_E_USAGE;
		goto fail;
	}
	s->m = m;
	s->pub.model = m->name;
	s->pub.role = role;
	s->pub.in_destination = m->dst != NULL;
	if ((s->ids = odf_idset_new()) == NULL || (s->pending = odf_idset_new()) == NULL) {
		nomem(err);
		goto fail;
	}
	/* The domain as given: odf-export reads an @FILE itself. */
	if (domain != NULL) {
		if ((s->domain_text = strdup(domain)) == NULL) {
			nomem(err);
			goto fail;
		}
		s->pub.domain = s->domain_text;
	}
	if (odf_domain_parse(domain_text != NULL ? domain_text : "", &s->domain, err) != 0) {
		err->code = ODF_E_USAGE;
		goto fail;
	}
	if (step_items(s, fields, err) != 0 || step_refs(p, s, err) != 0 ||
	    step_selvals(s, err) != 0)
		goto fail;
	free(fields);
	free(domain_text);
	return s;
fail:
	free(fields);
	free(domain_text);
	step_free(s);
	return NULL;
}

/* ---- looking referenced records up by external id -------------------- */

/* Look up what a ref points at that the plan does not migrate and that
 * was not looked up yet. */
static int
resolve_ref(struct odf_plan *p, struct ref *r, struct odf_error *err)
{
	long batch[XMLID_BATCH], id = 0;
	size_t n = 0;

	if (r->pub.dropped)
		return 0;
	while ((id = odf_idset_next(r->ids, id)) != 0) {
		if (planned(r->target, id) || odf_idset_has(r->target->checked, id))
			continue;
		batch[n++] = id;
		if (n == XMLID_BATCH) {
			if (plan_lookup_batch(p, r->target, batch, n, err) != 0)
				return -1;
			n = 0;
		}
	}
	return n > 0 ? plan_lookup_batch(p, r->target, batch, n, err) : 0;
}

/* --with-dependencies: the records a ref misses become a dependency step
 * of the target model. Returns how many ids were added, or -1. */
static long
add_dependencies(struct odf_plan *p, const struct step *s, struct ref *r,
    struct odf_error *err)
{
	struct pmodel *t = r->target;
	long id = 0, added = 0;

	if (r->pub.dropped)
		return 0;
	while ((id = odf_idset_next(r->ids, id)) != 0) {
		if (planned(t, id) || odf_idset_has(t->indest, id))
			continue;
		if (t->dep == NULL) {
			if (model_fetch(p, t, err) != 0)
				return -1;
			if (t->src == NULL || t->dst == NULL)
				return 0;       /* a problem, named later */
			if (t->origin == NULL && t != s->m)
				t->origin = s->m;
			/* A dependency of a selected model takes the same fields. */
			t->dep = step_new(p, t, ODF_PLAN_DEPENDENCY, t->fields, NULL, err);
			if (t->dep == NULL)
				return -1;
		}
		if (note_id(t->dep->ids, id, err) != 0 || note_id(t->dep->pending, id, err) != 0)
			return -1;
		added++;
	}
	return added;
}

/* ---- field checks -------------------------------------------------- */

/* Fields the destination lacks, types that differ, selection values it
 * does not know, required fields not filled, importable fields it has and
 * the source lacks. */
static int
check_fields(struct odf_plan *p, struct step *s, struct odf_error *err)
{
	const struct odf_fields *src = s->m->src, *dst = s->m->dst;
	const struct odf_field *fs, *fd;
	struct odf_plan_issue *is;
	cJSON *need = NULL, *kwargs, *res;
	size_t i, n;
	int ok = 1;

	if (dst == NULL)
		return 0;
	for (i = 0; i < s->nitems; i++) {
		n = item_field_len(s->items[i]);
		if (strcmp(s->items[i], "id") == 0 || strcmp(s->items[i], ".id") == 0)
			continue;
		fs = odf_fields_getn(src, s->items[i], n);
		fd = odf_fields_getn(dst, s->items[i], n);
		if (fs == NULL)
			continue;
		if (fd == NULL) {
			if ((is = add_issue(s, ODF_PLAN_FIELD_MISSING, fs->name, err)) == NULL)
				return -1;
			is->problem = p->o->strict;
		} else if (fs->type != fd->type ||
		    (fs->relation != NULL && fd->relation != NULL &&
		    strcmp(fs->relation, fd->relation) != 0)) {
			if ((is = add_issue(s, ODF_PLAN_TYPE_DIFFERS, fs->name, err)) == NULL)
				return -1;
			/* The types, or the related models when only they differ. */
			if (fs->type == fd->type) {
				is->source_type = fs->relation;
				is->destination_type = fd->relation;
			} else {
				is->source_type = fs->type_name;
				is->destination_type = fd->type_name;
			}
		}
	}
	for (i = 0; i < s->nselvals; i++) {
		if (s->selvals[i].records == 0)
			continue;
		if ((is = add_issue(s, ODF_PLAN_SELECTION_UNKNOWN, s->selvals[i].field->name,
		    err)) == NULL)
			return -1;
		is->value = s->selvals[i].value;
		is->records = s->selvals[i].records;
		is->problem = 1;
	}
	for (i = 0; i < odf_fields_count(dst); i++) {
		fd = odf_fields_at(dst, i);
		if (odf_fields_get(src, fd->name) == NULL && odf_field_is_default_export(fd) &&
		    add_issue(s, ODF_PLAN_FIELD_NEW, fd->name, err) == NULL)
			return -1;
	}
	/* Required fields not selected: filled if the destination has a default. */
	for (i = 0; i < odf_fields_count(dst); i++) {
		int selected = 0;

		fd = odf_fields_at(dst, i);
		if (!dst_requires(fd))
			continue;
		for (n = 0; n < s->nitems && !selected; n++)
			selected = item_field_len(s->items[n]) == strlen(fd->name) &&
			    strncmp(s->items[n], fd->name, strlen(fd->name)) == 0;
		/* A relation the plan drops does not fill it either. */
		for (n = 0; n < s->nrefs && selected; n++)
			if (s->refs[n].pub.dropped && strcmp(s->refs[n].pub.field, fd->name) == 0)
				selected = 0;
		if (selected)
			continue;
		if (need == NULL && (need = cJSON_CreateArray()) == NULL)
			return nomem(err);
		push(need, cJSON_CreateString(fd->name), &ok);
	}
	if (!ok) {
		cJSON_Delete(need);
		return nomem(err);
	}
	if (need == NULL || s->pub.records == 0) {
		cJSON_Delete(need);
		return 0;
	}
	/* Positional: 17.0's res.users names it fields, the others fields_list. */
	kwargs = cJSON_CreateArray();
	push(kwargs, need, &ok);
	if (!ok) {
		cJSON_Delete(kwargs);
		return nomem(err);
	}
	res = odf_rpc_call(p->dst, s->m->name, "default_get", kwargs, NULL, ODF_RPC_IDEMPOTENT, err);
	if (res == NULL) {
		cJSON_Delete(kwargs);
		odf_error_prefix(err, "%s: %s: default_get", dst_label(p), s->m->name);
		return -1;
	}
	cJSON_ArrayForEach(need, cJSON_GetArrayItem(kwargs, 0)) {
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(res, need->valuestring);

		if (d != NULL && !cJSON_IsFalse(d) && !cJSON_IsNull(d))
			continue;
		fd = odf_fields_get(dst, need->valuestring);
		if ((is = add_issue(s, ODF_PLAN_REQUIRED_NOT_FILLED, fd->name, err)) == NULL) {
			cJSON_Delete(res);
			cJSON_Delete(kwargs);
			return -1;
		}
		is->problem = 1;
	}
	cJSON_Delete(res);
	cJSON_Delete(kwargs);
	return 0;
}

/* ---- the outcome ----------------------------------------------------- */

/* Counts of each ref, the fields to export, the problems. */
static int
finish_step(struct odf_plan *p, struct step *s, struct odf_error *err)
{
	const struct odf_fields *dst = s->m->dst;
	size_t i, k, n;
	long id;

	for (i = 0; i < s->nrefs; i++) {
		struct ref *r = &s->refs[i];

		r->pub.referenced = odf_idset_count(r->ids);
		for (id = 0; (id = odf_idset_next(r->ids, id)) != 0;) {
			if (planned(r->target, id))
				r->pub.in_plan++;
			else if (odf_idset_has(r->target->indest, id))
				r->pub.in_destination++;
			else if (!r->pub.dropped)
				r->pub.missing++;
		}
		if (r->pub.missing == 0)
			continue;
		if (r->target->fetched && r->target->dst == NULL) {
			if (add_problem(p, err, "%s → %s: %ld referenced record%s, and the "
			    "destination has no such model", r->pub.field, r->pub.target,
			    r->pub.missing, r->pub.missing == 1 ? "" : "s") != 0)
				return -1;
		} else if (r->pub.self) {
			/* Not the model first: it is the one migrated. */
			if (add_problem(p, err, "%s → %s: %ld referenced record%s %s neither selected "
			    "nor in the destination; add --with-dependencies, or widen the domain",
			    r->pub.field, r->pub.target, r->pub.missing, r->pub.missing == 1 ? "" : "s",
			    r->pub.missing == 1 ? "is" : "are") != 0)
				return -1;
		} else if (add_problem(p, err, "%s → %s: %ld referenced record%s %s not in the "
		    "destination; add --with-dependencies, or migrate %s first", r->pub.field,
		    r->pub.target, r->pub.missing, r->pub.missing == 1 ? "" : "s",
		    r->pub.missing == 1 ? "is" : "are", r->pub.target) != 0) {
			return -1;
		}
	}
	if ((s->pubrefs = calloc(s->nrefs + 1, sizeof(*s->pubrefs))) == NULL)
		return nomem(err);
	for (i = 0; i < s->nrefs; i++)
		s->pubrefs[i] = s->refs[i].pub;
	s->pub.refs = s->pubrefs;
	s->pub.nrefs = s->nrefs;
	if ((s->fields = calloc(s->nitems + 1, sizeof(*s->fields))) == NULL ||
	    (s->deferred = calloc(s->nitems + 1, sizeof(*s->deferred))) == NULL)
		return nomem(err);
	for (i = 0; i < s->nitems; i++) {
		const char *item = s->items[i];
		int keep = 1, defer = 0;

		n = item_field_len(item);
		if (dst != NULL && strcmp(item, "id") != 0 && strcmp(item, ".id") != 0 &&
		    odf_fields_getn(dst, item, n) == NULL)
			keep = 0;
		for (k = 0; k < s->nrefs && keep; k++)
			if (strlen(s->refs[k].pub.field) == n &&
			    strncmp(s->refs[k].pub.field, item, n) == 0 &&
			    item_is_xmlid_ref(item)) {
				if (s->refs[k].pub.dropped)
					keep = 0;
				else if (s->refs[k].pub.deferred)
					keep = 0, defer = 1;
			}
		if (keep)
			s->fields[s->pub.nfields++] = s->items[i];
		if (defer)
			s->deferred[s->pub.ndeferred++] = s->items[i];
	}
	s->pub.fields = (const char *const *)s->fields;
	s->pub.deferred = (const char *const *)s->deferred;
	s->pub.issues = s->issues;
	s->pub.nissues = s->nissues;
	for (i = 0; i < s->nissues; i++) {
		const struct odf_plan_issue *is = &s->issues[i];

		if (!is->problem)
			continue;
		if (is->kind == ODF_PLAN_SELECTION_UNKNOWN && add_problem(p, err,
		    "%s.%s: value '%s' of %ld record%s is not in the destination's selection",
		    s->m->name, is->field, is->value, is->records, is->records == 1 ? "" : "s") != 0)
			return -1;
		if (is->kind == ODF_PLAN_REQUIRED_NOT_FILLED && add_problem(p, err,
		    "%s.%s: required in the destination, not in the fields migrated, and without "
		    "a default", s->m->name, is->field) != 0)
			return -1;
		if (is->kind == ODF_PLAN_FIELD_MISSING && add_problem(p, err,
		    "%s.%s: the destination has no such field (--strict)", s->m->name,
		    is->field) != 0)
			return -1;
	}
	return 0;
}

/* ---- building --------------------------------------------------------- */

static int
plan_selected(struct odf_plan *p, struct odf_error *err)
{
	size_t i;

	for (i = 0; i < p->o->nmodels; i++) {
		struct pmodel *m = get_model(p, p->o->models[i], err);

		if (m == NULL || model_fetch(p, m, err) != 0)
			return -1;
		if (m->sel != NULL)
			return odf_error_set(err, ODF_E_USAGE, "--model %s: given twice", m->name);
		if (m->src == NULL)
			return odf_error_set(err, ODF_E_USAGE, "%s: unknown model '%s'",
			    src_label(p), m->name);
		m->fields = p->o->fields[i];
		if ((m->sel = step_new(p, m, ODF_PLAN_SELECTED, p->o->fields[i], p->o->domains[i],
		    err)) == NULL)
			return -1;
		if (m->dst == NULL && add_problem(p, err,
		    "%s: the destination has no such model", m->name) != 0)
			return -1;
	}
	return 0;
}

/* Read what is to read, look up what is referenced, add dependencies;
 * again while dependencies bring new records. */
static int
plan_references(struct odf_plan *p, struct odf_error *err)
{
	long added;
	size_t i, k;
	int again = 1;

	while (again) {
		again = 0;
		for (i = 0; i < p->nmodels; i++) {
			struct pmodel *m = p->models[i];

			if (m->sel != NULL && !m->sel->scanned && plan_scan_selected(p, m->sel, err) != 0)
				return -1;
			if (m->dep != NULL && odf_idset_count(m->dep->pending) > 0 &&
			    plan_scan_pending(p, m->dep, err) != 0)
				return -1;
		}
		for (i = 0; i < p->nmodels; i++) {
			struct step *st[2] = { p->models[i]->sel, p->models[i]->dep };

			for (int s = 0; s < 2; s++)
				for (k = 0; st[s] != NULL && k < st[s]->nrefs; k++)
					if (resolve_ref(p, &st[s]->refs[k], err) != 0)
						return -1;
		}
		if (!p->o->with_dependencies)
			break;
		for (i = 0; i < p->nmodels; i++) {
			struct step *st[2] = { p->models[i]->sel, p->models[i]->dep };

			for (int s = 0; s < 2; s++)
				for (k = 0; st[s] != NULL && k < st[s]->nrefs; k++) {
					if ((added = add_dependencies(p, st[s], &st[s]->refs[k], err)) < 0)
						return -1;
					again |= added > 0;
				}
		}
	}
	return 0;
}

struct odf_plan *
odf_plan_build(const struct odf_plan_opts *o, struct odf_rpc *src, struct odf_rpc *dst,
    struct odf_error *err)
{
	struct odf_plan *p = calloc(1, sizeof(*p));
	size_t i;

	if (p == NULL) {
		nomem(err);
		return NULL;
	}
	p->o = o;
	p->src = src;
	p->dst = dst;
	if ((p->context = cJSON_CreateObject()) == NULL ||
	    cJSON_AddFalseToObject(p->context, "active_test") == NULL) {
		nomem(err);
		goto fail;
	}
	if (o->nmodels == 0) {
		odf_error_set(err, ODF_E_USAGE, "no model given");
		goto fail;
	}
	if (plan_selected(p, err) != 0 || plan_references(p, err) != 0)
		goto fail;
	for (i = 0; i < p->nmodels; i++) {
		struct step *st[2] = { p->models[i]->dep, p->models[i]->sel };

		for (int s = 0; s < 2; s++)
			if (st[s] != NULL) {
				st[s]->pub.ids = st[s]->ids;
				st[s]->pub.records = odf_idset_count(st[s]->ids);
				if (check_fields(p, st[s], err) != 0)
					goto fail;
			}
	}
	if (plan_order_models(p, err) != 0)
		goto fail;
	for (i = 0; i < p->nsteps; i++) {
		struct pmodel *m = find_model(p, p->steps[i]->model);
		struct step *s = m->sel != NULL && p->steps[i] == &m->sel->pub ? m->sel : m->dep;

		if (finish_step(p, s, err) != 0)
			goto fail;
	}
	return p;
fail:
	odf_plan_free(p);
	return NULL;
}

struct odf_plan *
odf_plan_connect(const struct odf_plan_opts *o, const char *conf_export,
    const char *conf_import, const struct odf_connect_opts *copts, int *export_uid,
    int *import_uid, struct odf_error *err)
{
	struct odf_conf src_conf, dst_conf;
	struct odf_rpc *src, *dst;
	struct odf_plan *plan = NULL;

	if ((src = odf_connect(conf_export, copts, &src_conf, err)) == NULL) {
		odf_error_prefix(err, "--config-export");
		return NULL;
	}
	if ((dst = odf_connect(conf_import, copts, &dst_conf, err)) == NULL) {
		odf_error_prefix(err, "--config-import");
	} else {
		if (export_uid != NULL)
			*export_uid = odf_rpc_uid(src);
		if (import_uid != NULL)
			*import_uid = odf_rpc_uid(dst);
		plan = odf_plan_build(o, src, dst, err);
		odf_rpc_free(dst);
		odf_conf_free(&dst_conf);
	}
	odf_rpc_free(src);
	odf_conf_free(&src_conf);
	return plan;
}

void
odf_plan_free(struct odf_plan *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nmodels; i++) {
		struct pmodel *m = p->models[i];

		step_free(m->sel);
		step_free(m->dep);
		odf_fields_free(m->src);
		odf_fields_free(m->dst);
		odf_idset_free(m->checked);
		odf_idset_free(m->indest);
		free(m->name);
		free(m);
	}
	for (i = 0; i < p->ncycles; i++)
		free(p->cycles[i]);
	free(p->cycles);
	for (i = 0; i < p->nproblems; i++)
		free(p->problems[i]);
	free(p->problems);
	cJSON_Delete(p->context);
	free(p);
}

size_t odf_plan_nsteps(const struct odf_plan *p) { return p->nsteps; }
size_t odf_plan_norder(const struct odf_plan *p) { return p->norder; }
size_t odf_plan_ncycles(const struct odf_plan *p) { return p->ncycles; }
size_t odf_plan_nproblems(const struct odf_plan *p) { return p->nproblems; }

const struct odf_plan_step *
odf_plan_step(const struct odf_plan *p, size_t i)
{
	return i < p->nsteps ? p->steps[i] : NULL;
}

const char *
odf_plan_order(const struct odf_plan *p, size_t i)
{
	return i < p->norder ? p->order[i] : NULL;
}

const char *
odf_plan_cycle(const struct odf_plan *p, size_t i)
{
	return i < p->ncycles ? p->cycles[i] : NULL;
}

const char *
odf_plan_problem(const struct odf_plan *p, size_t i)
{
	return i < p->nproblems ? p->problems[i] : NULL;
}

char *
odf_plan_ids_domain(const struct odf_idset *ids, long *cursor, size_t max,
    struct odf_error *err)
{
	size_t cap = 64 + max * 12, len, n = 0;
	char *text;
	long id = *cursor;

	odf_error_clear(err);
	if ((id = odf_idset_next(ids, id)) == 0)
		return NULL;
	if ((text = malloc(cap)) == NULL) {
		nomem(err);
		return NULL;
	}
	len = (size_t)snprintf(text, cap, "[('id', 'in', [");
	for (; id != 0 && n < max; id = odf_idset_next(ids, id), n++) {
		len += (size_t)snprintf(text + len, cap - len, "%s%ld", n > 0 ? ", " : "", id);
		*cursor = id;
	}
	snprintf(text + len, cap - len, "])]");
	return text;
}
