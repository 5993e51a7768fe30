/*
 * The plan of a migration between two Odoo databases: which models move,
 * in which order, which records they reference and whether the destination
 * has them, and what differs between the two schemas. odf plan prints it;
 * odf migrate checks it before moving anything and runs its steps.
 *
 * Building a plan reads fields_get on both sides, reads the selected
 * records' relational fields on the source page by page, and looks the
 * referenced records up by external id (ir.model.data) on both sides. It
 * writes nothing anywhere.
 *
 * Memory: what the plan keeps of records is sets of ids (idset.h, one bit
 * per id up to the largest id): per step the ids it selects, per relational
 * field the ids it references, per referenced model the ids already looked
 * up and those the destination has. One page of records and one batch of
 * external ids are in memory at a time.
 */
#ifndef ODF_PLAN_H
#define ODF_PLAN_H

#include <stddef.h>
#include <stdio.h>

#include "odf/connect.h"
#include "odf/error.h"
#include "odf/idset.h"
#include "odf/rpc.h"

#define ODF_PLAN_MAX_MODELS 64

struct odf_plan_opts {
	/* The models the user named, in the user's order, with for each the
	 * field list (comma-separated, as odf-export's --fields; NULL: every
	 * importable field) and the domain (NULL: every record). Archived
	 * records are selected too, as odf migrate exports them. */
	const char *const *models;
	const char *const *fields;
	const char *const *domains;
	size_t nmodels;
	/* Add the referenced records the destination lacks, recursively. */
	int with_dependencies;
	/* Fields the destination lacks are problems, not just dropped. */
	int strict;
	/* What errors from each server start with, e.g. "--config-export
	 * staging.conf"; NULL: "source", "destination". */
	const char *src_label, *dst_label;
};

enum odf_plan_role {
	ODF_PLAN_SELECTED,      /* the records the user selected */
	ODF_PLAN_DEPENDENCY     /* records the others reference (--with-dependencies) */
};

/* One relational field of a step, and the records it points at. */
struct odf_plan_ref {
	const char *field;
	const char *target;             /* the related model */
	const char *type;               /* "many2one", "many2many" */
	long referenced;                /* distinct records referenced */
	long in_plan;                   /* of those, records the plan migrates */
	long in_destination;            /* of the others, those the destination has */
	long missing;                   /* neither: the import would fail on them */
	int self;                       /* target is the step's own model */
	int deferred;                   /* part of a cycle: written in a last pass */
	int dropped;                    /* not migrated: the destination lacks the
	                                   field, or a dependency's relation back
	                                   into the models that brought it in (set
	                                   from their side) that the destination
	                                   does not require; its references are
	                                   not read */
};

enum odf_plan_issue_kind {
	ODF_PLAN_FIELD_MISSING,         /* the destination lacks the field: dropped */
	ODF_PLAN_FIELD_NEW,             /* the destination has an importable field the source lacks */
	ODF_PLAN_TYPE_DIFFERS,          /* source_type, destination_type */
	ODF_PLAN_SELECTION_UNKNOWN,     /* value, records: not in the destination's selection */
	ODF_PLAN_REQUIRED_NOT_FILLED    /* required in the destination, not selected, no default */
};

struct odf_plan_issue {
	enum odf_plan_issue_kind kind;
	const char *field;
	const char *source_type, *destination_type;     /* TYPE_DIFFERS, else NULL */
	const char *value;                              /* SELECTION_UNKNOWN, else NULL */
	long records;                                   /* SELECTION_UNKNOWN: records with it */
	int problem;                                    /* the migration would fail on it */
};

struct odf_plan_step {
	const char *model;
	enum odf_plan_role role;
	const char *domain;             /* SELECTED: the user's domain, or NULL */
	const struct odf_idset *ids;    /* the source ids of the step's records */
	long records;                   /* how many */
	int in_destination;             /* the destination has the model */
	/* What odf migrate exports, "id" first: the selected fields less those
	 * the destination lacks, the dropped and the deferred ones. */
	const char *const *fields;
	size_t nfields;
	/* Fields written in a last pass, after every step (cycles). */
	const char *const *deferred;
	size_t ndeferred;
	const struct odf_plan_ref *refs;
	size_t nrefs;
	const struct odf_plan_issue *issues;
	size_t nissues;
};

struct odf_plan;

/*
 * Build the plan of opts (borrowed) between the logged-in connections src
 * and dst (borrowed). Returns a plan to free with odf_plan_free, or NULL with
 * err: ODF_E_USAGE for an unknown model or field, or a domain that does not
 * parse; the RPC layer's codes when a server fails. A migration that would
 * fail is not an error: see odf_plan_problems.
 */
struct odf_plan *odf_plan_build(const struct odf_plan_opts *opts, struct odf_rpc *src,
    struct odf_rpc *dst, struct odf_error *err);

/*
 * odf_plan_build between the databases of two connection.conf files, as
 * odf plan and odf migrate build it: both connected (odf_connect, with
 * copts), the plan built, both closed. The logins' uids go to *export_uid
 * and *import_uid (either may be NULL), for the stages to reuse. NULL with
 * err, which names the option of a side that cannot be reached
 * ("--config-import: ...").
 */
struct odf_plan *odf_plan_connect(const struct odf_plan_opts *opts, const char *conf_export,
    const char *conf_import, const struct odf_connect_opts *copts, int *export_uid,
    int *import_uid, struct odf_error *err);

void odf_plan_free(struct odf_plan *plan);     /* accepts NULL */

/* The steps in the order they run: dependencies before what needs them. */
size_t odf_plan_nsteps(const struct odf_plan *plan);
const struct odf_plan_step *odf_plan_step(const struct odf_plan *plan, size_t i);

/* The models in dependency order (those of the steps, each once). */
size_t odf_plan_norder(const struct odf_plan *plan);
const char *odf_plan_order(const struct odf_plan *plan, size_t i);

/* The cycles found, each as "a → b → a", broken by deferring fields. */
size_t odf_plan_ncycles(const struct odf_plan *plan);
const char *odf_plan_cycle(const struct odf_plan *plan, size_t i);

/* What would make the migration fail, one line each, in the words odf
 * migrate refuses with. None: the migration would run clean. */
size_t odf_plan_nproblems(const struct odf_plan *plan);
const char *odf_plan_problem(const struct odf_plan *plan, size_t i);

/*
 * The next batch of a step's ids as a domain, "[('id', 'in', [3, 5, 8])]":
 * at most max ids greater than *cursor, which moves past them. A new string
 * the caller frees; NULL with err clear when no id is left, NULL with err
 * set (ODF_E_NOMEM) otherwise.
 */
char *odf_plan_ids_domain(const struct odf_idset *ids, long *cursor, size_t max,
    struct odf_error *err);

/*
 * The plan as text: a table for people, NDJSON (odf-plan(1) documents each
 * line), or a Graphviz digraph. 0, or -1 with err (ODF_E_IO) when out
 * cannot be written.
 */
int odf_plan_print_table(const struct odf_plan *plan, FILE *out, struct odf_error *err);
int odf_plan_print_json(const struct odf_plan *plan, FILE *out, struct odf_error *err);
int odf_plan_print_dot(const struct odf_plan *plan, FILE *out, struct odf_error *err);

#endif
