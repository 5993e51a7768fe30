/*
 * The stages of odf migrate: the command lines of odf-export,
 * odf-transform (the transformer, the fields dropped after it), the user's
 * filters and odf-import, each logged in already by ODF_UID; one pipeline
 * of them run with its progress line, and the report of the first stage
 * that failed. Also the odf-verify runs of --verify.
 *
 * Everything here borrows: the strings of odf_stages_opts belong to the
 * caller and must outlive the call. Messages go to opts->diag as
 * "prog: ...", the way odf migrate always printed them.
 */
#ifndef ODF_STAGES_H
#define ODF_STAGES_H

#include <stdio.h>

#include "odf/modelargs.h"
#include "odf/preflight.h"

#define ODF_STAGES_MAX_FILTERS 16

/* One pipeline's settings. */
struct odf_stages_opts {
	const char *prog;               /* for messages, e.g. "odf migrate" */
	FILE *diag;                     /* progress, summary and errors */
	struct odf_migration m;         /* the model, its selection, the confs */
	const char *fail_file;          /* NULL: odf-import's default */
	long export_worker, export_batch_size, import_worker, import_batch_size;
	const char *filters[ODF_STAGES_MAX_FILTERS];    /* shell commands */
	int nfilters, check, quiet;
	const char *drop;               /* jq deleting fields after the transformer */
	const char *since;              /* odf-export --since, or NULL */
};

/* The counts of the pipelines run, added up. */
struct odf_stages_counts {
	long read, created, updated, failed;
	int pipelines;
};

/*
 * Run the pipeline of o with uids' logins handed to the export and the
 * import, drawing the progress line on o->diag unless o->quiet. The counts
 * the stages reported are added to total (may be NULL). Returns the exit
 * status: 0, that of the first stage that failed (after naming it on
 * o->diag), or that of a pipeline that could not start.
 */
int odf_stages_run(const struct odf_stages_opts *o, const struct odf_preflight_uids *uids,
    struct odf_stages_counts *total);

/*
 * --verify: odf-verify of each model of ma over its selection (o's confs,
 * export workers and batch size, logged in as uids), its lines on our
 * stdout, leaving out the fields ignore[i] names (NULL: none; ignore may
 * be NULL). Returns the first non-zero exit status (1: the databases
 * differ), or 0.
 */
int odf_stages_verify(const struct odf_stages_opts *o, const struct odf_preflight_uids *uids,
    const struct odf_modelargs *ma, char *const *ignore);

#endif
