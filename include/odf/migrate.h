/*
 * odf migrate: the whole migration of one or several models. The checks
 * that need no server, one login per database, the plan (its checks, its
 * steps in dependency order, the dependency records in batches, the
 * fields deferred for a cycle), the dropped-field warnings, the --state
 * windows and their bookmarks, and --verify. Each pipeline is run by
 * lib/stages.c.
 *
 * The caller owns the options and what they point to; nothing is kept
 * after odf_migrate_run returns.
 */
#ifndef ODF_MIGRATE_H
#define ODF_MIGRATE_H

#include "odf/modelargs.h"
#include "odf/stages.h"

struct odf_migrate_opts {
	/* The pipeline's settings: prog and diag, the confs, the workers...;
	 * p.m holds the first model's selection. */
	struct odf_stages_opts p;
	struct odf_modelargs ma;        /* resolved: every model and its values */
	int with_dependencies, no_check, strict, verify;
	const char *state_file;         /* --state, or NULL */
	long overlap;                   /* with --state, in seconds */
};

/*
 * Run the migration o describes, printing progress, warnings, the summary
 * and errors on o->p.diag. Returns the exit status of odf migrate (see
 * odf-migrate(1)).
 */
int odf_migrate_run(const struct odf_migrate_opts *o);

#endif
