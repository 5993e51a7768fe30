/*
 * The export loop of odf-export: the selected records of one model, written
 * as NDJSON records (odf-records(7)) in constant memory.
 *
 * How: one connection in the parent searches ids 10,000 at a time (keyset
 * paging on id, or offset paging when an order is given) and hands each
 * page of them to a pool of workers (pool.h), each with its own connection,
 * which call export_data and turn its rows into record lines (rows.h).
 * The parent writes the pages' lines in page order, so the output does not
 * depend on the number of workers. At most workers x 2 pages, and 10,000
 * ids, are in memory at once.
 *
 * The parent logs in once, reads the model's fields (fields_get, in the
 * export's context, so that selection labels map back to keys) and checks
 * the field paths before any worker starts; it then closes that connection,
 * forks the workers, and opens a new one: no connection is ever shared by a
 * fork, and every one uses the uid of that one login.
 */
#ifndef ODF_EXPORT_H
#define ODF_EXPORT_H

#include <stdio.h>

#include "odf/conf.h"
#include "odf/error.h"

#define ODF_EXPORT_DEFAULT_BATCH 100  /* odoo-data-flow's --export-batch-size */
#define ODF_EXPORT_MAX_BATCH 100000
#define ODF_EXPORT_MAX_WORKERS 32

struct odf_export_opts {
	const char *prog;       /* for retry notices, e.g. "odf-export" */
	FILE *diag;             /* retry notices; NULL: none */
	int quiet;              /* no retry notices */
	int count_total;        /* search_count first, for a progress total */
	/* After each batch written, and once before the first: the records
	 * written so far and the total (-1 when not counted). NULL: none. */
	void (*on_progress)(long long done, long long total, void *arg);
	void *progress_arg;
	const char *model;
	const char *fields;     /* comma-separated paths; NULL: every importable field */
	const char *domain;     /* Python literal or JSON; NULL: all records */
	const char *context;    /* Python dict literal or JSON; NULL: {} */
	const char *order;      /* NULL: by id, with keyset paging */
	long limit;             /* 0: no limit */
	long batch_size;        /* 0: ODF_EXPORT_DEFAULT_BATCH */
	int workers;            /* 0: 1 */
	int flat;               /* Odoo's column paths as keys */
	int archived;           /* archived records too (active_test False), and
	                           their active field when fields are named */
	const char *since;      /* NULL, or only records with write_date >= this
	                           UTC time (odf_timestamp_parse), archived ones
	                           too as with archived */
};

struct odf_export_summary {
	long long records;      /* lines written */
	long long total;        /* records selected (search_count), -1 when not counted */
	long batches;
	double seconds;
	int reader_gone;        /* out was closed by its reader (EPIPE): stopped early */
};

/*
 * Run the export of opts on the server of conf (borrowed; loaded by the
 * caller, who keeps it alive) to out. Returns 0 when every selected record
 * was written, or when out's reader went away (summary->reader_gone), and
 * -1 with err otherwise: ODF_E_USAGE for a bad option, an unknown model or
 * field (with the closest names), a domain or context that does not parse
 * (naming the position) or that the server refuses; ODF_E_AUTH for a
 * refused login or access; the RPC layer's codes when the server is
 * unreachable or fails mid-export (after its retries); ODF_E_IO when out
 * cannot be written (full disk). Lines already written are complete.
 * summary (may be NULL) is filled in every case.
 */
int odf_export_run(const struct odf_export_opts *opts, const struct odf_conf *conf,
    FILE *out, struct odf_export_summary *summary, struct odf_error *err);

#endif
