/* A migration plan as a table, as NDJSON, as a Graphviz digraph (plan.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "odf/ndjson.h"
#include "odf/plan.h"

static const char *const issue_names[] = {
	[ODF_PLAN_FIELD_MISSING] = "missing_in_destination",
	[ODF_PLAN_FIELD_NEW] = "new_in_destination",
	[ODF_PLAN_TYPE_DIFFERS] = "type_differs",
	[ODF_PLAN_SELECTION_UNKNOWN] = "selection_value_unknown",
	[ODF_PLAN_REQUIRED_NOT_FILLED] = "required_not_filled",
};

static int
io_error(FILE *out, struct odf_error *err)
{
	int e = ferror(out) ? errno : 0;

	return odf_error_set(err, ODF_E_IO, "cannot write the plan: %s",
	    e != 0 ? strerror(e) : "write error");
}

static const char *
role_name(enum odf_plan_role role)
{
	return role == ODF_PLAN_DEPENDENCY ? "dependency" : "selected";
}

static long
total_records(const struct odf_plan *plan)
{
	long n = 0;

	for (size_t i = 0; i < odf_plan_nsteps(plan); i++)
		n += odf_plan_step(plan, i)->records;
	return n;
}

/* ---- table ---------------------------------------------------------- */

/* "a, b, c" of the issues of one kind. */
static void
print_issue_list(const struct odf_plan_step *s, enum odf_plan_issue_kind kind,
    const char *title, FILE *out)
{
	size_t i, n = 0;

	for (i = 0; i < s->nissues; i++) {
		const struct odf_plan_issue *is = &s->issues[i];

		if (is->kind != kind)
			continue;
		fprintf(out, "%s%s", n++ == 0 ? title : ", ", is->field);
		if (kind == ODF_PLAN_TYPE_DIFFERS)
			fprintf(out, " (%s → %s)", is->source_type, is->destination_type);
		if (kind == ODF_PLAN_SELECTION_UNKNOWN)
			fprintf(out, " '%s' (%ld record%s)", is->value, is->records,
			    is->records == 1 ? "" : "s");
	}
	if (n > 0)
		fputc('\n', out);
}

int
odf_plan_print_table(const struct odf_plan *plan, FILE *out, struct odf_error *err)
{
	size_t i, k, unused;

	for (i = 0; i < odf_plan_nsteps(plan); i++) {
		const struct odf_plan_step *s = odf_plan_step(plan, i);

		fprintf(out, "%zu. %s: %ld record%s%s%s\n", i + 1, s->model, s->records,
		    s->records == 1 ? "" : "s",
		    s->role == ODF_PLAN_DEPENDENCY ? ", referenced and not in the destination" : "",
		    s->in_destination ? "" : " (the destination has no such model)");
		for (k = 0, unused = 0; k < s->nrefs; k++)
			unused += s->refs[k].referenced == 0;
		if (s->nrefs > unused)
			fprintf(out, "   %-28s %-28s %10s %8s %11s %8s\n", "relation", "target",
			    "referenced", "in plan", "destination", "missing");
		for (k = 0; k < s->nrefs; k++) {
			const struct odf_plan_ref *r = &s->refs[k];

			if (r->referenced == 0)
				continue;
			fprintf(out, "   %-28s %-28s %10ld %8ld %11ld %8ld%s\n", r->field, r->target,
			    r->referenced, r->in_plan, r->in_destination, r->missing,
			    r->dropped ? "  not migrated" : r->deferred ? "  deferred (cycle)" :
			    r->self ? "  self: deferred by odf-import" : "");
		}
		if (unused > 0)
			fprintf(out, "   (%zu more relation%s: nothing referenced)\n", unused,
			    unused == 1 ? "" : "s");
		print_issue_list(s, ODF_PLAN_FIELD_MISSING,
		    "   fields the destination lacks (dropped): ", out);
		print_issue_list(s, ODF_PLAN_TYPE_DIFFERS, "   types that differ: ", out);
		print_issue_list(s, ODF_PLAN_SELECTION_UNKNOWN,
		    "   selection values the destination lacks: ", out);
		print_issue_list(s, ODF_PLAN_REQUIRED_NOT_FILLED,
		    "   required in the destination, not filled: ", out);
		print_issue_list(s, ODF_PLAN_FIELD_NEW, "   new in the destination: ", out);
	}
	fputs("order:", out);
	for (i = 0; i < odf_plan_norder(plan); i++)
		fprintf(out, "%s%s", i == 0 ? " " : ", ", odf_plan_order(plan, i));
	fputc('\n', out);
	for (i = 0; i < odf_plan_ncycles(plan); i++)
		fprintf(out, "cycle: %s\n", odf_plan_cycle(plan, i));
	for (i = 0; i < odf_plan_nproblems(plan); i++)
		fprintf(out, "would fail: %s\n", odf_plan_problem(plan, i));
	fprintf(out, "%ld record%s in %zu step%s; %s\n", total_records(plan),
	    total_records(plan) == 1 ? "" : "s", odf_plan_nsteps(plan),
	    odf_plan_nsteps(plan) == 1 ? "" : "s",
	    odf_plan_nproblems(plan) == 0 ? "the migration would run clean" :
	    "the migration would fail");
	if (fflush(out) != 0 || ferror(out))
		return io_error(out, err);
	return 0;
}

/* ---- NDJSON --------------------------------------------------------- */

/* obj (taken) as a line; the caller says the error once, at the end. */
static int
emit(cJSON *obj, FILE *out)
{
	int rc = obj != NULL ? odf_ndjson_write_json(out, obj, NULL) : -1;

	cJSON_Delete(obj);
	return rc;
}

static cJSON *
line(const char *type)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "type", type);
	return o;
}

static cJSON *
string_array(const char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

int
odf_plan_print_json(const struct odf_plan *plan, FILE *out, struct odf_error *err)
{
	const char *order[ODF_PLAN_MAX_MODELS];
	size_t i, k;
	int rc = 0;
	cJSON *o;

	for (i = 0; i < odf_plan_nsteps(plan); i++) {
		const struct odf_plan_step *s = odf_plan_step(plan, i);

		o = line("step");
		cJSON_AddNumberToObject(o, "step", (double)(i + 1));
		cJSON_AddStringToObject(o, "model", s->model);
		cJSON_AddStringToObject(o, "role", role_name(s->role));
		cJSON_AddNumberToObject(o, "records", (double)s->records);
		cJSON_AddBoolToObject(o, "in_destination", s->in_destination);
		cJSON_AddItemToObject(o, "fields", string_array(s->fields, s->nfields));
		cJSON_AddItemToObject(o, "deferred", string_array(s->deferred, s->ndeferred));
		rc |= emit(o, out);
		for (k = 0; k < s->nrefs; k++) {
			const struct odf_plan_ref *r = &s->refs[k];

			o = line("relation");
			cJSON_AddStringToObject(o, "model", s->model);
			cJSON_AddStringToObject(o, "role", role_name(s->role));
			cJSON_AddStringToObject(o, "field", r->field);
			cJSON_AddStringToObject(o, "field_type", r->type);
			cJSON_AddStringToObject(o, "target", r->target);
			cJSON_AddNumberToObject(o, "referenced", (double)r->referenced);
			cJSON_AddNumberToObject(o, "in_plan", (double)r->in_plan);
			cJSON_AddNumberToObject(o, "in_destination", (double)r->in_destination);
			cJSON_AddNumberToObject(o, "missing", (double)r->missing);
			cJSON_AddBoolToObject(o, "self", r->self);
			cJSON_AddBoolToObject(o, "deferred", r->deferred);
			cJSON_AddBoolToObject(o, "dropped", r->dropped);
			rc |= emit(o, out);
		}
		for (k = 0; k < s->nissues; k++) {
			const struct odf_plan_issue *is = &s->issues[k];

			o = line("field");
			cJSON_AddStringToObject(o, "model", s->model);
			cJSON_AddStringToObject(o, "role", role_name(s->role));
			cJSON_AddStringToObject(o, "field", is->field);
			cJSON_AddStringToObject(o, "issue", issue_names[is->kind]);
			if (is->kind == ODF_PLAN_TYPE_DIFFERS) {
				cJSON_AddStringToObject(o, "source", is->source_type);
				cJSON_AddStringToObject(o, "destination", is->destination_type);
			}
			if (is->kind == ODF_PLAN_SELECTION_UNKNOWN) {
				cJSON_AddStringToObject(o, "value", is->value);
				cJSON_AddNumberToObject(o, "records", (double)is->records);
			}
			cJSON_AddBoolToObject(o, "problem", is->problem);
			rc |= emit(o, out);
		}
	}
	for (i = 0; i < odf_plan_norder(plan); i++)
		order[i] = odf_plan_order(plan, i);
	o = line("order");
	cJSON_AddItemToObject(o, "models", string_array(order, odf_plan_norder(plan)));
	rc |= emit(o, out);
	for (i = 0; i < odf_plan_ncycles(plan); i++) {
		o = line("cycle");
		cJSON_AddStringToObject(o, "cycle", odf_plan_cycle(plan, i));
		rc |= emit(o, out);
	}
	for (i = 0; i < odf_plan_nproblems(plan); i++) {
		o = line("problem");
		cJSON_AddStringToObject(o, "message", odf_plan_problem(plan, i));
		rc |= emit(o, out);
	}
	o = line("summary");
	cJSON_AddNumberToObject(o, "steps", (double)odf_plan_nsteps(plan));
	cJSON_AddNumberToObject(o, "records", (double)total_records(plan));
	cJSON_AddNumberToObject(o, "problems", (double)odf_plan_nproblems(plan));
	cJSON_AddBoolToObject(o, "clean", odf_plan_nproblems(plan) == 0);
	rc |= emit(o, out);
	if (rc != 0 || fflush(out) != 0 || ferror(out))
		return io_error(out, err);
	return 0;
}

/* ---- DOT ------------------------------------------------------------ */

/* A DOT string: quotes and backslashes escaped. */
static void
dot_string(const char *s, FILE *out)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '\n') {
			fputs("\\n", out);
			continue;
		}
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

/* Whether the plan has steps of model. */
static int
planned_model(const struct odf_plan *plan, const char *model)
{
	for (size_t i = 0; i < odf_plan_norder(plan); i++)
		if (strcmp(odf_plan_order(plan, i), model) == 0)
			return 1;
	return 0;
}

/* The models referenced that the plan leaves alone (all their records are
 * in the destination), once each, in grey. */
static void
dot_outside(const struct odf_plan *plan, FILE *out)
{
	const char *seen[4 * ODF_PLAN_MAX_MODELS];
	size_t nseen = 0, i, k, j;

	for (i = 0; i < odf_plan_nsteps(plan); i++) {
		const struct odf_plan_step *s = odf_plan_step(plan, i);

		for (k = 0; k < s->nrefs; k++) {
			const struct odf_plan_ref *r = &s->refs[k];

			if (r->referenced == 0 || r->dropped || planned_model(plan, r->target))
				continue;
			for (j = 0; j < nseen && strcmp(seen[j], r->target) != 0; j++)
				;
			if (j < nseen || nseen == sizeof(seen) / sizeof(seen[0]))
				continue;
			seen[nseen++] = r->target;
			fputc('\t', out);
			dot_string(r->target, out);
			fputs(" [shape=ellipse, color=gray];\n", out);
		}
	}
}

/* The ref of step s on field, or NULL. */
static const struct odf_plan_ref *
step_ref(const struct odf_plan_step *s, const char *field)
{
	for (size_t k = 0; s != NULL && k < s->nrefs; k++)
		if (strcmp(s->refs[k].field, field) == 0)
			return &s->refs[k];
	return NULL;
}

/* One edge per relational field of a model, its steps' counts summed. */
static void
dot_edges(const struct odf_plan_step *dep, const struct odf_plan_step *sel, FILE *out)
{
	const struct odf_plan_step *st[2] = { dep, sel };
	char label[256];

	for (int j = 0; j < 2; j++)
		for (size_t k = 0; st[j] != NULL && k < st[j]->nrefs; k++) {
			const struct odf_plan_ref *r = &st[j]->refs[k], *o;
			long referenced = r->referenced, missing = r->missing;
			int deferred = r->deferred;

			if (j == 0 && step_ref(sel, r->field) != NULL)
				continue;       /* summed into the selected step's edge */
			if (j == 1 && (o = step_ref(dep, r->field)) != NULL && !o->dropped) {
				referenced += o->referenced;
				missing += o->missing;
				deferred |= o->deferred;
			}
			if (referenced == 0 || r->dropped)
				continue;
			if (missing > 0)
				snprintf(label, sizeof(label), "%s\n%ld referenced, %ld missing",
				    r->field, referenced, missing);
			else
				snprintf(label, sizeof(label), "%s\n%ld referenced", r->field, referenced);
			fputc('\t', out);
			dot_string(st[j]->model, out);
			fputs(" -> ", out);
			dot_string(r->target, out);
			fputs(" [label=", out);
			dot_string(label, out);
			if (deferred || r->self)
				fputs(", style=dashed", out);
			if (missing > 0)
				fputs(", color=red", out);
			fputs("];\n", out);
		}
}

int
odf_plan_print_dot(const struct odf_plan *plan, FILE *out, struct odf_error *err)
{
	size_t i, k;

	fputs("digraph odf_plan {\n\trankdir=RL;\n\tnode [shape=box];\n", out);
	for (i = 0; i < odf_plan_norder(plan); i++) {
		const char *model = odf_plan_order(plan, i);
		const struct odf_plan_step *dep = NULL, *sel = NULL;
		char label[512];
		size_t len;

		for (k = 0; k < odf_plan_nsteps(plan); k++) {
			const struct odf_plan_step *s = odf_plan_step(plan, k);

			if (strcmp(s->model, model) == 0)
				*(s->role == ODF_PLAN_DEPENDENCY ? &dep : &sel) = s;
		}
		len = (size_t)snprintf(label, sizeof(label), "%zu. %s", i + 1, model);
		if (sel != NULL && len < sizeof(label))
			len += (size_t)snprintf(label + len, sizeof(label) - len, "\n%ld selected",
			    sel->records);
		if (dep != NULL && len < sizeof(label))
			snprintf(label + len, sizeof(label) - len, "\n%ld referenced", dep->records);
		fputc('\t', out);
		dot_string(model, out);
		fputs(" [label=", out);
		dot_string(label, out);
		fputs(sel == NULL ? ", style=dashed];\n" : "];\n", out);
		dot_edges(dep, sel, out);
	}
	dot_outside(plan, out);
	fputs("}\n", out);
	if (fflush(out) != 0 || ferror(out))
		return io_error(out, err);
	return 0;
}
