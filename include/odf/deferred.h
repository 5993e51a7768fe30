/*
 * odf-import's deferred values (lib/deferred.c): the values a record's
 * first load left out, kept in a temporary file until every record is in,
 * then read back once, in the order written, for the second pass. Memory
 * stays bounded however many records wait.
 *
 * An entry is a fixed header (line number, first-pass outcome and the two
 * lengths, in binary) followed by the two byte strings: no text to parse,
 * so any byte may be in them. The file is written and read by the same
 * process and removed when freed (tmpfile(3)).
 */
#ifndef ODF_DEFERRED_H
#define ODF_DEFERRED_H

#include <stddef.h>

#include "odf/error.h"
#include "odf/load_worker.h"

struct odf_deferred_entry {
	long lineno;                    /* the record's input line */
	enum odf_load_outcome kind;     /* how the first pass counted it */
	const char *values;             /* {"id": ..., deferred keys} as JSON */
	size_t values_len;
	const char *line;               /* the input line, for the fail file */
	size_t line_len;
};

struct odf_deferred;

/* An empty spool in a new temporary file. NULL with err (ODF_E_IO, or
 * ODF_E_NOMEM). */
struct odf_deferred *odf_deferred_new(struct odf_error *err);

/* Write one entry (its strings are copied). 0, or -1 with err (ODF_E_IO). */
int odf_deferred_add(struct odf_deferred *d, const struct odf_deferred_entry *e,
    struct odf_error *err);

/* Done writing: read from the first entry on. 0, or -1 with err. */
int odf_deferred_rewind(struct odf_deferred *d, struct odf_error *err);

/*
 * The next entry into *e: 1, 0 at the end, -1 with err (ODF_E_IO: a short
 * read or a corrupt file; ODF_E_NOMEM). Its strings are NUL-terminated and
 * belong to the spool, valid until the next call.
 */
int odf_deferred_next(struct odf_deferred *d, struct odf_deferred_entry *e,
    struct odf_error *err);

/* Close and remove the file. Accepts NULL. */
void odf_deferred_free(struct odf_deferred *d);

#endif
