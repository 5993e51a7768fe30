/*
 * Timestamps as Odoo writes them: "YYYY-MM-DD HH:MM:SS", in UTC, the form
 * of a datetime field in a domain, a record and the state file of
 * odf migrate --state.
 */
#ifndef ODF_TIMESTAMP_H
#define ODF_TIMESTAMP_H

#include <stddef.h>

#include "odf/error.h"

#define ODF_TIMESTAMP_SIZE 20   /* "YYYY-MM-DD HH:MM:SS" and its NUL */

/*
 * Parse text as a UTC time into *t (seconds since the epoch): "YYYY-MM-DD
 * HH:MM:SS", the same with a 'T' for the blank and an optional trailing
 * 'Z', or "YYYY-MM-DD" (midnight). Returns 0, or -1 with err (ODF_E_USAGE,
 * prefixed with what, e.g. "--since") for anything else, a field out of
 * range included (month 13, February 30).
 */
int odf_timestamp_parse(const char *what, const char *text, long long *t,
    struct odf_error *err);

/* t as "YYYY-MM-DD HH:MM:SS" (UTC) into buf (at least ODF_TIMESTAMP_SIZE
 * bytes); returns buf. */
char *odf_timestamp_format(long long t, char *buf, size_t size);

#endif
