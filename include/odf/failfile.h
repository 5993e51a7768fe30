/*
 * The fail file of odf-import: one line for each input record that did not
 * land, so that feeding the file back in retries exactly those records.
 *
 * Each line is the input line's own text, byte for byte (not a
 * re-serialisation), with one key added at the end of the object:
 *
 *   {"id":"p7","type":"bogus","_odf_error":{"message":"Value 'bogus' not
 *    found in selection field 'Address Type'","field":"type",
 *    "file":"in.ndjson","line":42}}
 *
 * An "_odf_error" the line already holds (a fail file fed back in) is taken
 * out and the new one added: errors are replaced, never nested. A line that
 * is not a JSON object cannot take a key; it is kept as a string instead:
 *
 *   {"_odf_error":{"message":"not JSON: ...","file":"in.ndjson","line":3},
 *    "_odf_line":"{\"id\": \"p3\", oops"}
 *
 * Lines are written whole with one write(2) each, or not at all: a write
 * cut short (a full disk) is undone, so the file never ends in half a line,
 * and a line is in the kernel's hands before odf_failfile_add returns, so a
 * crash of the program loses nothing already reported.
 */
#ifndef ODF_FAILFILE_H
#define ODF_FAILFILE_H

#include <stddef.h>

#include "odf/error.h"

#define ODF_FAIL_KEY "_odf_error"
#define ODF_FAIL_LINE_KEY "_odf_line"

/* Why a record failed; every string is borrowed. */
struct odf_fail_reason {
	const char *message;    /* what went wrong, one line or more */
	const char *field;      /* the field Odoo names, or NULL */
	const char *exception;  /* Odoo's exception name, or NULL */
	const char *file;       /* the input file, or NULL */
	long line;              /* its line number, 0 when unknown */
	int landed;             /* the record is in Odoo, without some values */
};

/*
 * The fail line for one input line (len bytes, no newline) into *out, a
 * malloc'd NUL-terminated string of *out_len bytes without a newline, which
 * the caller frees. line may be NULL (a line too long to hold): the result
 * is then {"_odf_error": {...}} alone. Returns 0, or -1 with err
 * (ODF_E_NOMEM).
 */
int odf_fail_line(const char *line, size_t len, const struct odf_fail_reason *why,
    char **out, size_t *out_len, struct odf_error *err);

struct odf_failfile;

/*
 * A fail file at path, created (truncated) only when the first line is
 * added. input is the path of the file being imported (NULL or "-" for
 * standard input, which may be a file too): when path names that same
 * file, the lines go to a temporary file beside it, which
 * odf_failfile_close puts in its place once the input has been read whole.
 * NULL with err (ODF_E_NOMEM) on failure.
 */
struct odf_failfile *odf_failfile_open(const char *path, const char *input,
    struct odf_error *err);

/*
 * Append the fail line of an input line (see odf_fail_line). Returns 0, or
 * -1 with err: ODF_E_IO naming the file (cannot create, write error, full
 * disk; nothing of the line is left in the file), ODF_E_NOMEM.
 */
int odf_failfile_add(struct odf_failfile *ff, const char *line, size_t len,
    const struct odf_fail_reason *why, struct odf_error *err);

/*
 * Where the lines are: the path given, or the temporary file while the input
 * is being replaced (see odf_failfile_open). Valid until odf_failfile_close.
 */
const char *odf_failfile_where(const struct odf_failfile *ff);

/*
 * Finish and free. complete says whether the whole input was read. When it
 * was, the file at path describes this run: the lines added, or, when none
 * were, no file at all (a regular file left there by an earlier run is
 * removed, since its records have been read again or belong to an older
 * run). When the input was the fail file itself, the temporary file replaces
 * it only if complete; otherwise it is kept (its name is in the error, if
 * any, and odf_failfile_where told it) and the input left untouched.
 * Returns 0, or -1 with err (ODF_E_IO: fsync, close, rename). Accepts NULL.
 */
int odf_failfile_close(struct odf_failfile *ff, int complete, struct odf_error *err);

#endif
