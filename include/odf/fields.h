/*
 * A model's field metadata, read from the result of Odoo's fields_get
 * (attributes string, type, relation, relation_field, required, readonly,
 * store, selection), with O(1) lookup by name.
 *
 * A struct odf_fields is immutable once built and may be shared by any
 * number of readers. Every string it hands out belongs to it and lives as
 * long as it does.
 */
#ifndef ODF_FIELDS_H
#define ODF_FIELDS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "odf/error.h"

enum odf_field_type {
	ODF_FT_CHAR, ODF_FT_TEXT, ODF_FT_HTML, ODF_FT_INTEGER, ODF_FT_FLOAT,
	ODF_FT_MONETARY, ODF_FT_BOOLEAN, ODF_FT_DATE, ODF_FT_DATETIME,
	ODF_FT_SELECTION, ODF_FT_MANY2ONE, ODF_FT_MANY2MANY, ODF_FT_ONE2MANY,
	ODF_FT_BINARY, ODF_FT_REFERENCE, ODF_FT_MANY2ONE_REFERENCE, ODF_FT_JSON,
	ODF_FT_PROPERTIES,
	ODF_FT_OTHER            /* a type odf does not know: handled as text */
};

struct odf_selection_item {
	const char *key;        /* technical value (numbers are given as text) */
	const char *label;      /* as fields_get gave it, in the context's language */
};

struct odf_selection_index;

struct odf_field {
	const char *name;
	const char *string;     /* the label; "" when absent */
	const char *type_name;  /* Odoo's spelling, e.g. "many2one" */
	enum odf_field_type type;
	const char *relation;   /* co-model of relational fields, else NULL */
	const char *relation_field; /* inverse of a one2many, else NULL */
	int required, readonly;
	int store;              /* 1 unless fields_get said false */
	int exportable;         /* 1 unless fields_get said false */
	const struct odf_selection_item *selection; /* NULL when not given */
	size_t nselection;
	const struct odf_selection_index *selection_index; /* private to fields.c */
};

struct odf_fields;

/*
 * Build the table of model `model` from a fields_get result (an object of
 * name → attributes; borrowed, not kept). Attributes that are absent take
 * Odoo's defaults (not required, not readonly, stored). Returns a new table
 * to free with odf_fields_free, or NULL with err: ODF_E_PROTOCOL when the
 * value is not a fields_get result (naming the field at fault), ODF_E_NOMEM.
 */
struct odf_fields *odf_fields_new(const char *model, const cJSON *fields_get,
    struct odf_error *err);

/* Free the table and everything it handed out. Accepts NULL. */
void odf_fields_free(struct odf_fields *fields);

/* The model name given to odf_fields_new. */
const char *odf_fields_model(const struct odf_fields *fields);

/* Number of fields, and the i-th in order of name (i < count). */
size_t odf_fields_count(const struct odf_fields *fields);
const struct odf_field *odf_fields_at(const struct odf_fields *fields, size_t i);

/* The field called name (or its first len bytes), or NULL. */
const struct odf_field *odf_fields_get(const struct odf_fields *fields, const char *name);
const struct odf_field *odf_fields_getn(const struct odf_fields *fields,
    const char *name, size_t len);

/* ODF_FT_OTHER for unknown spellings; the name of a type ("other" for OTHER). */
enum odf_field_type odf_field_type_from_name(const char *name);
const char *odf_field_type_name(enum odf_field_type type);

/* many2one, many2many, one2many: the types whose values are records. */
int odf_field_type_is_relational(enum odf_field_type type);

/*
 * The technical key of a selection value given as its key or its label
 * (labels are tried first, as export_data writes labels; when two options
 * share a label the first wins). NULL when it is neither, or when the field
 * has no selection list.
 */
const char *odf_field_selection_key(const struct odf_field *field, const char *value);

/* The label of a selection key, or NULL. */
const char *odf_field_selection_label(const struct odf_field *field, const char *key);

/*
 * Whether an export without --fields takes this field, after Odoo's
 * import-compatible export: the field is stored, exportable (res.users'
 * group fields are not: export_data fails on them), not read-only, not
 * one2many (lines are asked for by path), not properties, and not one of the
 * magic fields id, create_uid, create_date, write_uid, write_date,
 * __last_update, display_name, parent_path (database ids Odoo computes). ("id" itself is exported as the external id
 * by the caller, always first.)
 */
int odf_field_is_default_export(const struct odf_field *field);

/*
 * Fill out with up to max names of the fields for which
 * odf_field_is_default_export holds, in order of name. Returns how many
 * there are (which may exceed max; out may be NULL when max is 0).
 */
size_t odf_fields_default_export(const struct odf_fields *fields,
    const char **out, size_t max);

/*
 * Up to max names closest to an unknown name, best first (edit distance with
 * transpositions, case ignored; only names close enough to be a plausible
 * typo: distance at most 1 + length/4). Returns how many were written.
 * odf_fields_suggest(f, "nmae", out, 1) gives "name".
 */
size_t odf_fields_suggest(const struct odf_fields *fields, const char *name,
    const char **out, size_t max);

/* "no field 'nmae' in res.partner (did you mean 'name'?)" into out (size
 * bytes), for the field name seg of len bytes; lead is the words before the
 * name ("no field", or "unknown field" where import names a key). */
void odf_fields_describe_unknown(char *out, size_t size, const struct odf_fields *model,
    const char *lead, const char *seg, size_t len);

/*
 * Where the fields of related models come from: return the table of model,
 * or NULL when it is not known (paths through it are then left unchecked and
 * their values untyped). The table must stay valid while the caller's
 * export or batch uses it. The lookup may fetch fields_get on first use.
 */
typedef const struct odf_fields *odf_fields_lookup_fn(const char *model, void *arg);

#endif
