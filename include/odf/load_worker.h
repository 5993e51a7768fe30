/*
 * odf-import's worker (lib/load_worker.c): a batch of records in, load
 * calls, one outcome a record out. It runs in a pool worker (pool.h); the
 * parent (importer.c) builds jobs and reads answers with the functions
 * here, so the wire format between the two lives in this one place.
 *
 * The wire format is NDJSON both ways, one JSON value a line.
 *
 *   job     {"precheck":true} | {}      header: with precheck, ask Odoo
 *                                       which external ids it holds first,
 *                                       to tell created from updated
 *           {...}                       one record a line, in job order
 *
 *   answer  {"calls":N}                 header: load calls made
 *           {"outcome":"created"}       one line a record, in job order;
 *           {"outcome":"updated"}       "landed": created or updated,
 *           {"outcome":"landed"}        could not tell which
 *           {"outcome":"failed","message":M,"field":F,"exception":X,
 *            "unknown":true}            field, exception and unknown only
 *                                       when there is one; unknown: the
 *                                       record may be in Odoo after all
 *
 * A record load refuses is set apart and the rest loaded again; a refusal
 * that names no record is split in halves, down to the single record (see
 * importer.h for the promise this keeps).
 */
#ifndef ODF_LOAD_WORKER_H
#define ODF_LOAD_WORKER_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "odf/conf.h"
#include "odf/connect.h"
#include "odf/error.h"
#include "odf/pool.h"

enum odf_load_outcome {
	ODF_LOAD_PENDING,       /* not decided yet: only inside the worker */
	ODF_LOAD_CREATED,
	ODF_LOAD_UPDATED,
	ODF_LOAD_LANDED,        /* created or updated: could not tell */
	ODF_LOAD_FAILED
};

/* One record's outcome as the parent reads it; strings are borrowed from
 * the answer line (or NULL). */
struct odf_load_result {
	enum odf_load_outcome outcome;
	int unknown;            /* failed: the call's outcome is unknown */
	const char *message;    /* failed: why */
	const char *field;      /* failed: the field Odoo names */
	const char *exception;  /* failed: Odoo's exception name */
};

/* What every worker needs, borrowed through the fork (the pool's arg). */
struct odf_load_worker_conf {
	const struct odf_conf *conf;
	const struct odf_connect_opts *connect;
	const char *model;
	const cJSON *context;   /* the user's context (an object), or NULL; load
	                         * gets it with tz UTC */
};

/* The pool callbacks of an import worker; the arg is a
 * const struct odf_load_worker_conf *. */
odf_pool_init_fn odf_load_worker_init;
odf_pool_work_fn odf_load_worker_work;
odf_pool_fini_fn odf_load_worker_fini;

/* A job's header line, newline included (a static string). */
const char *odf_load_job_header(int precheck);

/* The load calls an answer's header line (parsed) reports; 0 if none. */
long odf_load_answer_calls(const cJSON *header);

/* One answer line (parsed; NULL when it was not JSON) into *r: a line that
 * says nothing readable is a failure without a message. */
void odf_load_answer_read(const cJSON *line, struct odf_load_result *r);

#endif
