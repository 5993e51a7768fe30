/*
 * What the files of the migration plan share (lib/plan.c builds it,
 * lib/plan_source.c reads the servers, lib/plan_order.c orders the steps):
 * its structures and a few helpers. Private to libodf: see odf/plan.h for
 * the contract.
 */
#ifndef ODF_PLAN_INT_H
#define ODF_PLAN_INT_H

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "odf/fields.h"
#include "odf/plan.h"

#define PAGE_SIZE 1000         /* records a search_read */
#define XMLID_BATCH 500        /* ids an ir.model.data look-up */

struct pmodel;

struct ref {
	struct odf_plan_ref pub;
	const struct odf_field *field;
	struct pmodel *target;
	struct odf_idset *ids;          /* the source ids referenced */
	int required;                   /* the destination requires the field */
	int orders;                     /* it references records the plan migrates:
	                                   their model goes first (plan_order.c) */
};

/* A selection value of the source the destination does not know. */
struct selval {
	const struct odf_field *field;
	const char *value;              /* the key, owned by the source's fields */
	long records;
};

struct step {
	struct odf_plan_step pub;
	struct pmodel *m;
	char *domain_text;
	cJSON *domain;                  /* SELECTED: parsed */
	struct odf_idset *ids;
	struct odf_idset *pending;      /* DEPENDENCY: ids still to read */
	char **items;                   /* the field list asked for ("id" first) */
	size_t nitems;
	char **fields, **deferred;      /* pub.fields, pub.deferred (point into items) */
	struct ref *refs;
	struct odf_plan_ref *pubrefs;   /* pub.refs: the refs' public parts */
	size_t nrefs;
	struct selval *selvals;
	size_t nselvals;
	struct odf_plan_issue *issues;
	size_t nissues, cissues;
	int scanned;
};

struct pmodel {
	char *name;
	int index;                      /* order of discovery */
	int fetched;
	struct odf_fields *src, *dst;   /* NULL when the side has no such model */
	struct odf_idset *checked;      /* ids looked up in the destination */
	struct odf_idset *indest;       /* of those, the ones it has */
	struct step *sel, *dep;
	const char *fields;             /* the user's field list (borrowed), or NULL */
	struct pmodel *origin;          /* the model whose references brought its
	                                   dependency step, or NULL */
	int placed;
};

struct odf_plan {
	const struct odf_plan_opts *o;
	struct odf_rpc *src, *dst;
	struct pmodel *models[ODF_PLAN_MAX_MODELS];
	size_t nmodels;
	const struct odf_plan_step *steps[2 * ODF_PLAN_MAX_MODELS];
	size_t nsteps;
	const char *order[ODF_PLAN_MAX_MODELS];
	size_t norder;
	char **cycles;
	size_t ncycles;
	char **problems;
	size_t nproblems;
	cJSON *context;                 /* {"active_test": false} */
};

/* ---- helpers ------------------------------------------------------- */

/* A record id in a JSON number, or 0. */
static inline long
json_id(const cJSON *v)
{
	if (cJSON_IsNumber(v) && v->valuedouble >= 1 && v->valuedouble <= ODF_IDSET_MAX_ID)
		return (long)v->valuedouble;
	return 0;
}

/* err out of memory; -1. */
static inline int
nomem(struct odf_error *err)
{
	return odf_error_set(err, ODF_E_NOMEM, "out of memory");
}

/* Append a copy of s to the array *v of *n strings. 0, or -1 with err. */
static inline int
push_string(char ***v, size_t *n, const char *s, struct odf_error *err)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));
	char *copy = strdup(s);

	if (nv == NULL || copy == NULL) {
		if (nv != NULL)
			*v = nv;
		free(copy);
		return nomem(err);
	}
	*v = nv;
	(*v)[(*n)++] = copy;
	return 0;
}

/* Append item to arr; on failure (item NULL, or no memory) item is freed and
 * *ok cleared, so that a request built in several steps is checked once. */
static inline void
push(cJSON *arr, cJSON *item, int *ok)
{
	if (item == NULL || arr == NULL || !cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		*ok = 0;
	}
}

/* What errors of each side start with (plan.h, src_label and dst_label). */
static inline const char *
src_label(const struct odf_plan *p)
{
	return p->o->src_label != NULL ? p->o->src_label : "source";
}

static inline const char *
dst_label(const struct odf_plan *p)
{
	return p->o->dst_label != NULL ? p->o->dst_label : "destination";
}

/* Whether a model holds a step already, before this one is made. */
static inline int
in_plan(const struct pmodel *m)
{
	return m->sel != NULL || m->dep != NULL;
}

/* Whether the plan migrates the record id of model t. */
static inline int
planned(const struct pmodel *t, long id)
{
	return (t->sel != NULL && odf_idset_has(t->sel->ids, id)) ||
	    (t->dep != NULL && odf_idset_has(t->dep->ids, id));
}

/* Whether the destination refuses a new record without field fd: Odoo
 * holds a required field to NOT NULL on its column, so a one2many or
 * many2many (product.template's product_variant_ids) is not held to it. */
static inline int
dst_requires(const struct odf_field *fd)
{
	return fd != NULL && fd->required && !fd->readonly && fd->store &&
	    fd->type != ODF_FT_ONE2MANY && fd->type != ODF_FT_MANY2MANY &&
	    strcmp(fd->name, "id") != 0;
}

/* Add id (0: none) to set. 0, or -1 with err. */
static inline int
note_id(struct odf_idset *set, long id, struct odf_error *err)
{
	if (id > 0 && odf_idset_add(set, id) < 0)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory for the ids up to %ld", id);
	return 0;
}

/* ---- plan_source.c: reading the servers ---- */

/* The user's selection of step s, page by page on id, into its ids and
 * its refs' ids. 0, or -1 with err. */
int plan_scan_selected(struct odf_plan *p, struct step *s, struct odf_error *err);

/* The ids of dependency step s not read yet, a page of ids at a time. */
int plan_scan_pending(struct odf_plan *p, struct step *s, struct odf_error *err);

/* Which of these source ids of model t the destination has, by external
 * id: all are marked checked, those found indest. 0, or -1 with err. */
int plan_lookup_batch(struct odf_plan *p, struct pmodel *t, const long *ids, size_t n,
    struct odf_error *err);

/* ---- plan_order.c ---- */

/* The models with steps, dependencies first, into p->order and p->steps;
 * cycles named in p->cycles and broken by deferring fields. 0, or -1. */
int plan_order_models(struct odf_plan *p, struct odf_error *err);

#endif
