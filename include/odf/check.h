/*
 * Whether a line is a record odf-import can load (lib/check.c): it reads
 * as one (UTF-8, JSON, an object, not a bad line a fail file kept), its
 * keys name fields of the model (an unknown one with the closest names),
 * and, for --check, its values are what load would take.
 */
#ifndef ODF_CHECK_H
#define ODF_CHECK_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "odf/error.h"
#include "odf/fields.h"
#include "odf/strmap.h"

/* The length of the field name a record key starts with: "parent_id" in
 * "parent_id", "parent_id/id", "parent_id.id"; ".id" is its own. */
size_t odf_key_field_len(const char *key);

/* The external id a record's key and value refer to: x of {"id": x}, or a
 * string x under "f/id" (or "f.id"); NULL when they name none. x is
 * borrowed from value (it may be ""). */
const char *odf_key_xmlid(const char *key, const cJSON *value);

/* Whether key is one of odf's own ("_odf..."), which are never sent. */
int odf_key_is_odf(const char *key);

/*
 * Parse one input line (len bytes, no newline) into a record object (*rec,
 * which the caller frees with cJSON_Delete), or say why it is not one: why
 * (size bytes) is set and *rec is NULL ("not UTF-8 (at byte N)", "not JSON
 * (at byte N)", "not a JSON object", "still not a record ...").
 */
void odf_record_parse_line(const char *line, size_t len, cJSON **rec, char *why,
    size_t size);

/* Drop the keys odf-import does not send from rec: "_odf..." ones, and
 * those whose field is a key of ignore. */
void odf_record_drop_keys(cJSON *rec, const struct odf_strmap *ignore);

/*
 * Check key against fields: its field, then what is below it through the
 * relation (tables of related models from lookup: "order_line/product_id/id",
 * and the keys of the one2many lines in value, which may be NULL). why is
 * "" when every name is known, else says what is not.
 */
void odf_check_key(const struct odf_fields *fields, odf_fields_lookup_fn *lookup,
    void *arg, const char *key, const cJSON *value, char *why, size_t size);

/* One problem: the column path it is about and what is wrong, lowercase,
 * without the path ("value 'x' not in selection"). */
typedef void odf_check_fn(const char *path, const char *message, void *arg);

/*
 * Check a record against the fields of the model (and, through lookup, of
 * related models) as load would see it: unknown fields (with the closest
 * names), read-only fields, sub-fields load cannot take (a many2one is
 * given by f/id, f/.id or f, its name), selection values that are neither
 * a key nor a label, non-numbers for integer/float/monetary, booleans other
 * than 1/0/true/false/yes/no, dates not YYYY-MM-DD and datetimes not
 * YYYY-MM-DD[ HH:MM:SS]. Each problem is reported through report. Returns
 * the number of problems, or -1 with err when the record cannot be
 * converted at all (as odf_load_batch_add would refuse it).
 */
int odf_record_check(const cJSON *record, const struct odf_fields *fields,
    odf_fields_lookup_fn *lookup, void *lookup_arg,
    odf_check_fn *report, void *report_arg, struct odf_error *err);

/* What odf_check_line needs; all borrowed. */
struct odf_check_opts {
	const char *prog;               /* prefix of each problem line */
	const char *file;               /* input name for messages */
	FILE *diag;                     /* where problems go; NULL: nowhere */
	const struct odf_fields *fields;
	odf_fields_lookup_fn *lookup;
	void *lookup_arg;
	const struct odf_strmap *ignore;        /* fields not checked */
};

/*
 * odf-import --check of one input line: each problem goes to o->diag as
 * "prog: file: line N: field 'f': what" (or "prog: file: line N: what").
 * Returns the number of problems, 0 for a record load would take.
 */
int odf_check_line(const struct odf_check_opts *o, const char *line, size_t len,
    long lineno);

#endif
