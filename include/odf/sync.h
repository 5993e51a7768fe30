/*
 * Incremental runs (odf migrate --state): the window of one run of one
 * model, and its bookmark.
 *
 * A run begins by reading the source server's clock: the HTTP Date header
 * of its answer to common.version (GET /web/version over JSON-2), which
 * Odoo's HTTP server (werkzeug) and any proxy in front of it send with every
 * answer, in whole seconds. Odoo 17 offers no RPC method that returns the
 * time, and this machine's clock may be off.
 *
 * The run exports the records with write_date at or after the last
 * bookmark (all of them when there is none). When the whole run lands, the
 * bookmark becomes the clock read at the start minus an overlap. Why the
 * overlap: Odoo sets write_date to the time its transaction began
 * (PostgreSQL's now()), and a transaction that began before the export
 * started may commit after the export went past its records; the next
 * window still holds them as long as no transaction runs longer than the
 * overlap (and the database's and the HTTP server's clocks agree within
 * it). Records written during the export are in this window or the next,
 * some in both: loading them again is harmless, as loads match records by
 * external id.
 */
#ifndef ODF_SYNC_H
#define ODF_SYNC_H

#include "odf/conf.h"
#include "odf/error.h"
#include "odf/state.h"

#define ODF_SYNC_DEFAULT_OVERLAP 600    /* seconds */

struct odf_sync {
	const char *path;               /* the state file; borrowed */
	char source[600];               /* odf_state_source of the source */
	const char *model;              /* borrowed */
	int incremental;                /* a bookmark was found: last.since */
	struct odf_bookmark last;
	long long started;              /* the source's clock at the start */
	long overlap;
};

/*
 * Begin a run of model from the source conf (borrowed) with the state file
 * at path: read the bookmark and the source's clock. prog and diag are for
 * retry notices (diag may be NULL). 0, or -1 with err: the state file's
 * errors (odf_state_get), the connection's, ODF_E_PROTOCOL when the
 * server's answer carries no Date header.
 */
int odf_sync_begin(struct odf_sync *s, const char *path, const struct odf_conf *conf,
    const char *model, long overlap, const char *prog, FILE *diag,
    struct odf_error *err);

/* The whole run landed: store the new bookmark (s->started - overlap) and
 * the records exported. 0, or -1 with err (odf_state_put). *b (may be NULL)
 * receives what was stored. */
int odf_sync_end(const struct odf_sync *s, long long records, struct odf_bookmark *b,
    struct odf_error *err);

#endif
