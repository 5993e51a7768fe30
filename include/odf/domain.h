/*
 * Odoo domains and contexts as users write them: Python literals or JSON.
 *
 *   [('is_company', '=', True), ('country_id.code', 'in', ['BE', 'NL'])]
 *   ['|', ('a', '=', 1), '!', ('b', 'ilike', 'x')]
 *   {'lang': 'fr_FR', 'active_test': False}
 *   [["is_company", "=", true]]
 *
 * The grammar is that of Python's ast.literal_eval for these types, read as
 * JSON: lists and tuples become arrays, sets become arrays, dicts objects,
 * True/False/None (or true/false/null) booleans and null. Strings take ' or
 * " (or triple quotes), the prefixes r and u, Python's escapes (\n \t \\ \'
 * \" \xNN \uNNNN \UNNNNNNNN, octal, line continuation; "\/" is "/" as in
 * JSON), and adjacent strings join. Numbers: ints with optional '_'
 * separators, 0x/0o/0b, floats with exponents, a sign. Trailing commas, '#'
 * comments and any white space are allowed.
 *
 * Errors are ODF_E_DATA with a one-line message that says where and what was
 * expected, e.g. "position 17: expected ',' or ']' after a term, got ')'".
 * Positions count characters from 1; text with several lines is reported as
 * "line L, column C". Nesting deeper than ODF_PYLITERAL_MAX_DEPTH is an
 * error, so no input can exhaust the stack.
 */
#ifndef ODF_DOMAIN_H
#define ODF_DOMAIN_H

#include <stddef.h>

#include "odf/error.h"

#define ODF_PYLITERAL_MAX_DEPTH 512

struct cJSON;

/*
 * Parse one literal (NUL-terminated text) into *out, which the caller frees
 * with cJSON_Delete. Returns 0, or -1 with *out NULL and err set. Not
 * representable in JSON, hence errors: a NUL character in a string, an int
 * of more than 15 digits (cJSON would print it changed), a float out of
 * range, a dict key that is not a string, int, bool or None (those become
 * strings as json.dumps makes them). A repeated dict key keeps its last
 * value, as in Python; a set keeps repeated items.
 */
int odf_pyliteral_parse(const char *text, struct cJSON **out, struct odf_error *err);

/* The same for len bytes that need not be NUL-terminated (a NUL byte in
 * them is an error). */
int odf_pyliteral_parse_len(const char *text, size_t len, struct cJSON **out,
    struct odf_error *err);

/*
 * Parse and check a domain: a list of terms (field, operator, value) and the
 * prefix operators '&', '|' (two operands) and '!' (one); consecutive
 * expressions are joined by an implicit '&', as Odoo does. The field is a
 * non-empty string (or the literal leaves (1, '=', 1) and (0, '=', 1)), the
 * operator one Odoo 17 knows (= != <> < <= > >= =? in, not in, like, not
 * like, ilike, not ilike, =like, =ilike, child_of, parent_of, any, not any),
 * and the value of any / not any is itself a domain. Empty or blank text is
 * the empty domain. *out is an array the caller frees with cJSON_Delete.
 * Errors start with "domain: " and name the position of the faulty element,
 * e.g. "domain: position 2: operator '|' needs 2 operands, found 1".
 */
int odf_domain_parse(const char *text, struct cJSON **out, struct odf_error *err);

/*
 * Parse a context: a dict, e.g. {'lang': 'fr_FR', 'active_test': False}.
 * Empty or blank text is the empty dict. *out is an object the caller frees
 * with cJSON_Delete. Errors start with "context: ".
 */
int odf_context_parse(const char *text, struct cJSON **out, struct odf_error *err);

#endif
