/*
 * What every program's option parsing needs, so that no program repeats it:
 * counts with a range, comma-separated lists, text given
 * inline or as @file. Errors are ODF_E_USAGE naming the option, unless said
 * otherwise.
 */
#ifndef ODF_CLI_H
#define ODF_CLI_H

#include <stddef.h>

#include "odf/error.h"

/* The most an @FILE option may hold: domains and field lists, not data. */
#define ODF_MAX_OPTION_TEXT ((size_t)1 << 20)

/*
 * arg as a whole decimal integer from min to max into *out. Returns 0, or -1
 * with err: "--batch-size: 'abc' is not a number from 1 to 100000" (the same
 * message for a number out of range, white space or trailing text).
 */
int odf_parse_count(const char *option, const char *arg, long min, long max,
    long *out, struct odf_error *err);

/*
 * Split a comma-separated list such as "id, name,parent_id/id"; newlines
 * separate items too, so that an @file may hold one a line. Items are
 * trimmed of blanks; blank lines are skipped, but nothing between a comma
 * and another comma or an end of the list is an error ("--fields: empty
 * item after 'id'", "--fields: empty first item"), and so is a list of
 * nothing ("--fields: empty list"). Returns a NULL-terminated array (with *count set when count
 * is not NULL) held in one allocation: free it with free(). NULL with err
 * on error, or ODF_E_NOMEM.
 */
char **odf_split_list(const char *option, const char *arg, size_t *count,
    struct odf_error *err);

/*
 * The whole file at path, NUL-terminated (*len, when not NULL, excludes the
 * NUL), at most max bytes. The caller frees it. NULL with err:
 * ODF_E_NOINPUT when it cannot be opened, ODF_E_IO on a read error,
 * ODF_E_DATA when larger than max; each message starts with the path.
 */
char *odf_read_file(const char *path, size_t max, size_t *len, struct odf_error *err);

/*
 * An option's text: "@path" is the content of the file at path (at most max
 * bytes, no NUL byte in it), anything else a copy of arg. So "--domain
 * @filter.py" reads a long domain from a file. The caller frees the result;
 * NULL with err (prefixed with option) on error.
 */
char *odf_arg_text(const char *option, const char *arg, size_t max,
    struct odf_error *err);

#endif
