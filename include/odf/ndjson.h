/*
 * NDJSON lines in and out: one JSON value a line, '\n'-terminated.
 *
 * The reader returns each line without its newline (a last line without one
 * still counts), numbers lines from 1, and skips lines that are empty or only
 * white space. Lines may be of any length up to ODF_NDJSON_MAX_LINE; a longer
 * one is reported as an error naming its number, and reading may go on with
 * the next line.
 */
#ifndef ODF_NDJSON_H
#define ODF_NDJSON_H

#include <stddef.h>
#include <stdio.h>

#include "odf/error.h"

#define ODF_NDJSON_MAX_LINE ((size_t)256 << 20)

struct odf_ndjson_reader;

/* Read from path, or standard input when path is NULL or "-". NULL with err
 * (ODF_E_NOINPUT naming the file) when it cannot be opened. */
struct odf_ndjson_reader *odf_ndjson_open(const char *path, struct odf_error *err);

/* Read from an open descriptor (not closed by odf_ndjson_close); name is used
 * in messages. */
struct odf_ndjson_reader *odf_ndjson_from_fd(int fd, const char *name,
    struct odf_error *err);

/*
 * The next line: 1 with *line and *len set (the text belongs to the reader
 * and is valid until the next call; it is NUL-terminated), 0 at the end, -1
 * with err naming the file and line (read error, line too long).
 */
int odf_ndjson_next(struct odf_ndjson_reader *r, const char **line, size_t *len,
    struct odf_error *err);

/* Number of the line last returned (1-based). */
long odf_ndjson_lineno(const struct odf_ndjson_reader *r);

/* The name given or derived ("-" is "<stdin>"). */
const char *odf_ndjson_name(const struct odf_ndjson_reader *r);

/* Free the reader; closes what odf_ndjson_open opened. Accepts NULL. */
void odf_ndjson_close(struct odf_ndjson_reader *r);

/*
 * Write s (len bytes, no newline inside) and a newline to out as one
 * complete line. Returns 0, or -1 with err (ODF_E_IO; errno EPIPE is left
 * in errno so a program can stop quietly when its reader went away).
 */
int odf_ndjson_write(FILE *out, const char *s, size_t len, struct odf_error *err);

/* The number of complete lines ('\n'-terminated) in s[0..len). */
size_t odf_ndjson_count(const char *s, size_t len);

/* Serialize a cJSON value compactly and write it as one line. */
struct cJSON;
int odf_ndjson_write_json(FILE *out, const struct cJSON *value, struct odf_error *err);

#endif
