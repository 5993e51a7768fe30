/*
 * The import loop behind odf-import (lib/importer.c): NDJSON records →
 * Odoo's load, in batches, by parallel workers (load_worker.h), with a fail
 * file for what does not land.
 *
 * Its promise: every record read is either in Odoo or in the fail file
 * with the reason, and the counts say which: read = created + updated +
 * failed.
 *
 *   - Workers are forked processes (pool.h), each with its own connection.
 *     Records go to them in batches of batch_size; with groupby, records
 *     with the same values of those fields always go to the same worker, so
 *     never two at once.
 *   - A batch load refuses is not lost: the records its messages name are
 *     set apart and the rest loaded again; a refusal that names no record
 *     (an error envelope) is split in halves, down to the single record.
 *     What fails alone goes to the fail file with Odoo's message.
 *   - Transient failures are retried by the RPC layer. A batch of records
 *     that all have an external id ("id") or a database id (".id") is
 *     retried also when the outcome of a call is unknown (a timeout): load
 *     by id is an update the second time. A record with neither is never
 *     sent twice: when a call holding it has an unknown outcome it goes to
 *     the fail file saying so (it may be in Odoo).
 *   - Deferred fields (many2one fields to the model itself, and those named)
 *     are left out of the first pass for records with an external id, and
 *     written in a second pass as "id, field/id" rows once every record is
 *     in. They wait in a temporary file, so memory stays bounded. A record
 *     whose deferred value then fails goes to the fail file with
 *     "landed": true in its error, and counts as failed, not as created or
 *     updated (landed_partial says how many such records are in Odoo).
 *   - Columns are checked against fields_get: an unknown field in the first
 *     record stops the run before anything is written (ODF_E_USAGE, with the
 *     closest names); one that appears later sends its records to the fail
 *     file.
 */
#ifndef ODF_IMPORTER_H
#define ODF_IMPORTER_H

#include <signal.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "odf/conf.h"
#include "odf/error.h"
#include "odf/failfile.h"
#include "odf/ndjson.h"

#define ODF_IMPORT_DEFAULT_BATCH 10    /* odoo-data-flow's --import-batch-size */
#define ODF_IMPORT_MAX_BATCH 10000

struct odf_import_stats {
	long read;              /* records read: JSON or not */
	long long bytes;        /* input bytes read, for an estimate of the total */
	long created, updated;  /* landed whole */
	long failed;            /* in the fail file */
	long landed_partial;    /* of failed: in Odoo without deferred values */
	long unknown;           /* of failed: outcome unknown (no id, timeout) */
	long unsure;            /* of created: could not tell them from updates */
	long deferred;          /* records whose deferred values were written */
	long calls;             /* load calls made */
	long problems;          /* --check: problems found */
	int phase;              /* 1: loading, 2: writing deferred values */
	int interrupted;        /* reading stopped early on o->stop */
	long last_line;         /* the last input line read */
};

/* Called a few times a second and at the end of each phase. */
typedef void odf_import_progress_fn(const struct odf_import_stats *st, void *arg);

struct odf_import_opts {
	const struct odf_conf *conf;    /* loaded; borrowed for the whole run */
	const char *model;
	const char *prog;               /* prefix of retry notices and warnings */
	FILE *diag;                     /* warnings, retry notices; NULL: none */
	int quiet;                      /* no retry notices */
	long batch_size;                /* 1 .. ODF_IMPORT_MAX_BATCH */
	int workers;                    /* 1 .. ODF_POOL_MAX_WORKERS */
	const cJSON *context;           /* load's context (an object), or NULL */
	const char *const *ignore;      /* fields dropped from every record */
	size_t nignore;
	const char *const *groupby;     /* fields whose values pick the worker */
	size_t ngroupby;
	const char *const *deferred;    /* fields deferred besides the automatic ones */
	size_t ndeferred;
	int check;                      /* validate only, write nothing */
	struct odf_failfile *fail;      /* where failed records go (not with check) */
	odf_import_progress_fn *progress;
	void *progress_arg;
	/* When *stop turns non-zero (a signal handler sets it), no further
	 * record is read: the batches under way are finished, the deferred
	 * values of what was read are written, and the run returns 0 with
	 * st->interrupted set. NULL: never. */
	volatile sig_atomic_t *stop;
};

struct odf_importer;

/*
 * Get ready: start the workers (each logs in), log in, read the model's
 * fields and settle the deferred fields. Nothing is written. NULL with err:
 * bad options (ODF_E_USAGE, e.g. a --deferred or --groupby field the model
 * does not have), what connecting reports (ODF_E_AUTH, ODF_E_CONNECT, ...),
 * an unknown model (ODF_E_USAGE, with Odoo's message). With o->check no worker is
 * started. o is copied; what it points to is borrowed until
 * odf_importer_free.
 */
struct odf_importer *odf_importer_new(const struct odf_import_opts *o,
    struct odf_error *err);

/*
 * Import every record of in (or, with check, validate them; problems go to
 * o->diag as "prog: file: line N: field 'f': what"). Counts go to st,
 * which is filled also on failure. Returns 0 when the input was read to
 * its end and every record accounted for, even when some failed; -1 with
 * err when the run had to stop: an unknown field in the first record
 * (ODF_E_USAGE: the records do not fit the model), the fail file cannot be written (ODF_E_IO), the input
 * cannot be read, a worker pool failure. After -1, records read but not
 * accounted for are read - created - updated - failed.
 */
int odf_importer_run(struct odf_importer *im, struct odf_ndjson_reader *in,
    struct odf_import_stats *st, struct odf_error *err);

/* Stop the workers and free. Accepts NULL. */
void odf_importer_free(struct odf_importer *im);

#endif
