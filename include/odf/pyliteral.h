/*
 * Python literals (and JSON) into cJSON trees (lib/pyliteral.c), the
 * parser under domains and contexts (domain.h).
 *
 * What people write and what Odoo prints (repr), read as JSON: lists and
 * tuples become arrays, dicts objects, True/False/None (or true/false/null)
 * booleans and null. Strings take ' or " and the escapes of JSON and of
 * repr (\\ \' \" \n \r \t \b \f \/ \xNN \uNNNN \UNNNNNNNN); another
 * letter after a backslash is kept with it, as Python does. Numbers: ints,
 * floats (1.5, .5, 5., 2e-3), with a sign. Trailing commas, '#' comments
 * and any white space are allowed. Refused with a message: sets, triple
 * quotes, string prefixes (r'', u'', b'', f''), adjacent strings, octal
 * escapes and \a \v \N{}, a backslash before a line break, 0x/0o/0b
 * and '_' in numbers.
 *
 * Errors are ODF_E_DATA with a one-line message that says where and what was
 * expected, e.g. "position 17: expected ',' or ']' after a term, got ')'".
 * Positions count characters from 1; text with several lines is reported as
 * "line L, column C". Nesting deeper than ODF_PYLITERAL_MAX_DEPTH is an
 * error, so no input can exhaust the stack.
 */
#ifndef ODF_PYLITERAL_H
#define ODF_PYLITERAL_H

#include <stddef.h>

#include "odf/error.h"

#define ODF_PYLITERAL_MAX_DEPTH 512

struct cJSON;

enum odf_pyliteral_flags {
	ODF_PYLITERAL_TERMS = 1 << 0    /* messages call the outer list's items terms */
};

/*
 * Parse one literal, len bytes of text (a NUL byte in them is an error),
 * into *out, which the caller frees with cJSON_Delete. Returns 0, or -1
 * with *out NULL and err set. Not representable in JSON, hence errors: a
 * NUL character in a string, an int of more than 15 digits (cJSON would
 * print it changed), a float out of range, a dict key that is not a
 * string, int, bool or None (those become strings as json.dumps makes
 * them). A repeated dict key keeps its last value, as in Python.
 */
int odf_pyliteral_parse(const char *text, size_t len, unsigned flags,
    struct cJSON **out, struct odf_error *err);

/* The offset of the first character of text (NUL-terminated) that is not
 * white space or a comment. */
size_t odf_pyliteral_skip_blank(const char *text);

/* The offset where the element at path (item indexes from the outer value
 * down, plen of them) starts in text, found by parsing it again; 0 when
 * there is none. */
size_t odf_pyliteral_locate(const char *text, const int *path, int plen);

/* ODF_E_DATA about text at offset off: "position N: ..." (or "line L,
 * column C: ..." for text of several lines). Returns -1. */
int odf_pyliteral_fail_at(const char *text, size_t off, struct odf_error *err,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
