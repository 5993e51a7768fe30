/*
 * odf verify: one model compared between a source and a destination
 * database, record by record, matched by external id.
 *
 * Both sides are exported at once (odf_export_run, each in a child process
 * with its own workers, archived records included) over the same fields,
 * domain and context. The source side may first go through the
 * migration's jq transformer, so that it looks as it was loaded. Each side's
 * records are sorted by external id in an external sort (extsort.h): at
 * most `memory` bytes of records per side are held in memory, the rest in
 * sorted runs in unnamed temporary files. The two sorted streams are then
 * walked together, and every difference is written to out as one NDJSON
 * line, in external id order:
 *
 *   {"id": "__export__.p_7", "status": "missing", "source": {...}}
 *   {"id": "__import__.x", "status": "extra", "destination": {...}}
 *   {"id": "__export__.p_9", "status": "differs",
 *    "fields": {"phone": {"source": "+32 2", "destination": null}}}
 *   {"id": "__export__.p_4", "status": "duplicate", "side": "source"}
 *   {"id": null, "status": "rejected", "line": 12, "message": "..."}
 *
 * A record is compared on the fields its source side carries (after the
 * transformer; and those other transformed records name, as null), its
 * external id and database id (".id") aside; a field the
 * destination record lacks counts as null; null, false, "", 0 and [] are
 * all Odoo's False and compare equal. Lists of related records compare
 * as sets: their order is the database's, not the data's.
 */
#ifndef ODF_VERIFY_H
#define ODF_VERIFY_H

#include <stdio.h>

#include "odf/conf.h"
#include "odf/error.h"

#define ODF_VERIFY_DEFAULT_MEMORY ((size_t)8 << 20)

struct odf_verify_opts {
	const char *prog;       /* for retry notices */
	FILE *diag;             /* retry notices, warnings; NULL: none */
	int quiet;
	const char *model;
	const char *fields;     /* NULL: every importable field; "id" is added */
	const char *domain;     /* NULL: all records (archived ones too) */
	const char *context;
	const char *transformer;        /* a jq file for the source side, or NULL */
	const char *ignore;     /* comma-separated fields not compared, or NULL */
	long batch_size;        /* 0: odf_export_run's default */
	int workers;            /* per side; 0: 1 */
	size_t memory;          /* per side; 0: ODF_VERIFY_DEFAULT_MEMORY */
};

struct odf_verify_summary {
	long long source;       /* source records (after the transformer) */
	long long destination;
	long long equal, missing, extra, differs, duplicates, rejected;
	long runs;              /* sorted runs written to disk, both sides */
	double seconds;
	int reader_gone;        /* out's reader went away: stopped early */
};

/*
 * Compare; differences to out. Returns 0 when the comparison ran to its
 * end (the summary says whether the sides are equal: see
 * odf_verify_differences), -1 with err otherwise: the export's errors
 * (ODF_E_USAGE for a bad option, model, field or domain, ODF_E_AUTH, the
 * RPC layer's) prefixed with "source" or "destination", ODF_E_NOINPUT or
 * ODF_E_USAGE for a transformer that cannot be read or compiled,
 * ODF_E_DATA for a record without an external id, ODF_E_IO for the
 * temporary files or out. summary (may be NULL) is filled in every case.
 */
int odf_verify_run(const struct odf_verify_opts *opts, const struct odf_conf *source,
    const struct odf_conf *destination, FILE *out, struct odf_verify_summary *summary,
    struct odf_error *err);

/* Differences in all: missing + extra + differs + duplicates + rejected. */
long long odf_verify_differences(const struct odf_verify_summary *summary);

#endif
