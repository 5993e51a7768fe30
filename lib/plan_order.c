/*
 * The order of a migration plan's steps: the models that others reference
 * first (Kahn's algorithm); a cycle is named and broken by deferring the
 * fields of one of its models to a last pass (plan_int.h).
 */
#include <stdio.h>
#include <string.h>

#include "odf/buf.h"
#include "odf/plan.h"
#include "plan_int.h"

/* The refs from m's steps into models not placed yet (self excluded) that
 * reference records the plan migrates. */
static size_t
open_edges(const struct pmodel *m, struct ref **out, size_t max)
{
	struct step *st[2] = { m->dep, m->sel };
	size_t n = 0;

	for (int k = 0; k < 2; k++)
		for (size_t i = 0; st[k] != NULL && i < st[k]->nrefs; i++) {
			struct ref *r = &st[k]->refs[i];

			if (r->pub.self || r->pub.dropped || r->pub.deferred || !r->orders ||
			    !in_plan(r->target) || r->target->placed)
				continue;
			if (n < max)
				out[n] = r;
			n++;
		}
	return n;
}

/* Whether one of m's open edges is a field the destination requires: a
 * record cannot be created without it and have it written later. */
static int
requires_open(const struct pmodel *m)
{
	struct ref *edges[4 * ODF_PLAN_MAX_MODELS];
	size_t n = open_edges(m, edges, sizeof(edges) / sizeof(edges[0]));

	for (size_t i = 0; i < n && i < sizeof(edges) / sizeof(edges[0]); i++)
		if (edges[i]->required)
			return 1;
	return 0;
}

/* Whether deferring a's open edges breaks a cycle better than b's: none
 * of them required by the destination, then fewer of them. */
static int
breaks_better(const struct pmodel *a, const struct pmodel *b)
{
	int ra = requires_open(a), rb = requires_open(b);

	if (ra != rb)
		return rb;
	return open_edges(a, NULL, 0) < open_edges(b, NULL, 0);
}

/* Name a cycle among the unplaced models and break it: the model of the
 * cycle with the fewest open edges, none of them required by the
 * destination, goes first, those edges deferred. When every model of the
 * cycle has a required one, the cycle is a problem. */
static int
break_cycle(struct odf_plan *p, struct odf_error *err)
{
	struct pmodel *walk[ODF_PLAN_MAX_MODELS + 1], *m = NULL, *best;
	struct ref *edges[4 * ODF_PLAN_MAX_MODELS];
	struct odf_buf text = ODF_BUF_INIT;
	size_t n = 0, start = 0, i, k, path;
	int rc;

	for (i = 0; i < p->nmodels && m == NULL; i++)
		if (in_plan(p->models[i]) && !p->models[i]->placed)
			m = p->models[i];
	/* Every unplaced model has an open edge: walk until a model repeats. */
	while (m != NULL && n <= ODF_PLAN_MAX_MODELS) {
		for (i = 0; i < n; i++)
			if (walk[i] == m)
				break;
		if (i < n) {
			start = i;
			break;
		}
		walk[n++] = m;
		m = open_edges(m, edges, 1) > 0 ? edges[0]->target : NULL;
	}
	if (m == NULL || n == 0)
		return odf_error_set(err, ODF_E_SOFTWARE, "plan: no cycle among the models left");
	best = walk[start];
	for (i = start + 1; i < n; i++)
		if (breaks_better(walk[i], best))
			best = walk[i];
	for (i = start; i <= n; i++)
		odf_buf_addf(&text, NULL, "%s%s", i > start ? " → " : "",
		    (i < n ? walk[i] : walk[start])->name);
	path = text.len;
	k = open_edges(best, edges, sizeof(edges) / sizeof(edges[0]));
	for (i = 0; i < k && i < sizeof(edges) / sizeof(edges[0]); i++) {
		edges[i]->pub.deferred = 1;
		odf_buf_addf(&text, NULL, "%s%s.%s", i == 0 ? "; deferred: " : ", ", best->name,
		    edges[i]->pub.field);
	}
	rc = text.failed ? nomem(err) : push_string(&p->cycles, &p->ncycles, text.data, err);
	for (i = 0; rc == 0 && i < k && i < sizeof(edges) / sizeof(edges[0]); i++) {
		char line[1024];

		if (!edges[i]->required)
			continue;
		snprintf(line, sizeof(line), "cycle %.*s: %s.%s is required in the destination and "
		    "cannot be written in a last pass; migrate the models of the cycle one at a "
		    "time, with --fields leaving out what is not there yet", (int)path, text.data,
		    best->name, edges[i]->pub.field);
		rc = push_string(&p->problems, &p->nproblems, line, err);
	}
	odf_buf_release(&text);
	return rc;
}

int
plan_order_models(struct odf_plan *p, struct odf_error *err)
{
	size_t placed = 0, total = 0, i;

	for (i = 0; i < p->nmodels; i++) {
		struct step *st[2] = { p->models[i]->dep, p->models[i]->sel };

		total += in_plan(p->models[i]);
		for (int k = 0; k < 2; k++)
			for (size_t j = 0; st[k] != NULL && j < st[k]->nrefs; j++) {
				struct ref *r = &st[k]->refs[j];
				long id = 0;

				while (!r->orders && r->ids != NULL &&
				    (id = odf_idset_next(r->ids, id)) != 0)
					r->orders = planned(r->target, id);
			}
	}
	while (placed < total) {
		struct pmodel *next = NULL;

		for (i = 0; i < p->nmodels && next == NULL; i++) {
			struct pmodel *m = p->models[i];

			if (in_plan(m) && !m->placed && open_edges(m, NULL, 0) == 0)
				next = m;
		}
		if (next == NULL) {
			if (break_cycle(p, err) != 0)
				return -1;
			continue;
		}
		next->placed = 1;
		p->order[p->norder++] = next->name;
		if (next->dep != NULL)
			p->steps[p->nsteps++] = &next->dep->pub;
		if (next->sel != NULL)
			p->steps[p->nsteps++] = &next->sel->pub;
		placed++;
	}
	return 0;
}
