/*
 * The state file of odf migrate --state: where the last completed run of
 * each model, from each source database, left off.
 *
 *   {"odf_state": 1,
 *    "sources": {
 *      "http://127.0.0.1:8069/staging": {
 *        "res.partner": {"since": "2026-12-03 11:50:00",
 *                        "started": "2026-12-03 12:00:00",
 *                        "completed": "2026-12-03 12:04:31",
 *                        "records": 10000}}}}
 *
 * "since" is the bookmark: the next run exports the records whose
 * write_date is at or after it. "started" is the source server's clock when
 * the run that set it began, "completed" this machine's clock when it
 * ended (both UTC), "records" how many records that run loaded. Other
 * keys are kept as they are.
 *
 * Writes are atomic: the new content goes to a temporary file beside the
 * state file, is flushed to disk (fsync), and renamed over it; the
 * directory is synced too. A run that dies at any point leaves the old file
 * or the new one, never a mix. Runs sharing one state file (several models)
 * take an exclusive lock (flock on "FILE.lock") around each read-modify-write.
 */
#ifndef ODF_STATE_H
#define ODF_STATE_H

#include <stddef.h>

#include "odf/conf.h"
#include "odf/error.h"
#include "odf/timestamp.h"

struct odf_bookmark {
	char since[ODF_TIMESTAMP_SIZE];
	char started[ODF_TIMESTAMP_SIZE];
	char completed[ODF_TIMESTAMP_SIZE];
	long long records;
};

/* The key of a source database: "http[s]://host:port/database". */
const char *odf_state_source(const struct odf_conf *conf, char *buf, size_t size);

/*
 * The bookmark of model from source in the state file at path: 1 with *b
 * filled, 0 when there is none (no file yet, or no entry), -1 with err:
 * ODF_E_NOINPUT when the file cannot be read, ODF_E_DATA when it is not a
 * state file (naming the file and what is wrong).
 */
int odf_state_get(const char *path, const char *source, const char *model,
    struct odf_bookmark *b, struct odf_error *err);

/* Store b as the bookmark of model from source, atomically (see above),
 * creating the file if needed. 0, or -1 with err (ODF_E_IO, ODF_E_DATA). */
int odf_state_put(const char *path, const char *source, const char *model,
    const struct odf_bookmark *b, struct odf_error *err);

#endif
