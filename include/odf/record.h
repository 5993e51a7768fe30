/*
 * Records: Odoo's export_data rows → NDJSON records, and records → the
 * fields/data of Odoo's load. The record format is described in
 * odf-records(7); in short, one JSON object a line:
 *
 *   {"id": "__import__.c1", "name": "Ann", "is_company": false, "color": 3,
 *    "parent_id": {"id": "base.main_partner"}, "category_id": [{"id": "t1"}],
 *    "order_line": [{"product_id": {"id": "p1"}, "product_uom_qty": 2}]}
 *
 * and, with ODF_EXPORT_FLAT, the same with Odoo's column paths as keys:
 *
 *   {"id": "__import__.c1", "parent_id/id": "base.main_partner",
 *    "category_id/id": "t1,t2", "order_line": [{"product_id/id": "p1"}]}
 *
 * Field metadata (fields.h) types the values. Related models' tables come
 * from an odf_fields_lookup_fn; where one is missing the values below it
 * are passed through untyped.
 */
#ifndef ODF_RECORD_H
#define ODF_RECORD_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "odf/error.h"
#include "odf/fields.h"

/* ---- export: export_data rows → records ----------------------------- */

enum odf_export_flags {
	ODF_EXPORT_FLAT = 1 << 0        /* column paths as keys (--flat) */
};

struct odf_export;

/*
 * Compile the field paths asked for (Odoo's: "name", "parent_id/id",
 * "order_line/product_id/id", ".id", "parent_id/.id") against the model's
 * fields (borrowed; with lookup for related models, both must outlive the
 * export; fields NULL: paths unchecked, cells untyped). A bare relational
 * field ("parent_id") stands for its external id ("parent_id/id"). Returns a new export to free with odf_export_free,
 * or NULL with err (ODF_E_USAGE) naming the path: an unknown field (with
 * the closest names), a path through a field that is not relational, a
 * path asked twice, "id"/".id" not at the end, or a many2many asked for
 * other than once as "f/id", "f/name" or "f/display_name" (export_data
 * writes a many2many as one comma-joined cell).
 */
struct odf_export *odf_export_new(const struct odf_fields *fields,
    odf_fields_lookup_fn *lookup, void *lookup_arg,
    const char *const *paths, size_t npaths, unsigned flags, struct odf_error *err);

/* Free; accepts NULL. */
void odf_export_free(struct odf_export *ex);

/* The paths to give export_data, normalized ("parent_id" → "parent_id/id"),
 * in the order asked; strings belong to ex. */
size_t odf_export_count(const struct odf_export *ex);
const char *odf_export_path(const struct odf_export *ex, size_t i);

/* The same as a new JSON array (caller frees), or NULL when out of memory. */
cJSON *odf_export_paths_json(const struct odf_export *ex);

/*
 * Start on one export_data answer: its result object {"datas": [...]} or
 * the datas array itself (borrowed: it must stay alive and unchanged while
 * records are taken from it). Rows are checked to be arrays as wide as the
 * path list (ODF_E_PROTOCOL otherwise). A record spans its first row and
 * the following rows whose main cells (those not below a one2many) are all
 * empty: these carry its further one2many lines, as export_data writes
 * them. So at least one main field that is never empty (such as "id")
 * should be asked for: without any, each row is a record of its own.
 */
int odf_export_set_rows(struct odf_export *ex, const cJSON *datas, struct odf_error *err);

/*
 * The next record of the rows set: 1 with *record a new object (caller
 * frees), 0 when the rows are used up, -1 with err (ODF_E_PROTOCOL: a cell
 * that does not fit its field's type, naming the row and the path; or
 * ODF_E_NOMEM). After an error the next call goes on with the next record.
 *
 * Cells become JSON values by field type: "" and false become null except
 * for booleans; numbers given as text become numbers; a selection's label
 * becomes its key (a value that is neither is kept as it is); ".id" becomes
 * a number; a many2many cell "a,b" becomes [{"id": "a"}, {"id": "b"}] (or
 * "name" items); one2many lines become a list of line objects.
 */
int odf_export_next(struct odf_export *ex, cJSON **record, struct odf_error *err);

/* ---- import: records → load's fields and data ----------------------- */

/*
 * A batch collects records for one call of load(fields, data): the union of
 * their column paths ("id" first, then in order of first appearance) and one
 * or more rows a record. Nested, flat and mixed records are accepted:
 *
 *   "parent_id": {"id": "x"}       → column parent_id/id      = "x"
 *   "parent_id": {".id": 7}        → column parent_id/.id     = "7"
 *   "parent_id": {"name": "Acme"}  → column parent_id         = "Acme" (by name)
 *   "parent_id.id": "x"            → column parent_id/id      ('.' as '/')
 *   "category_id": [{"id": "a"}, {"id": "b"}] → category_id/id = "a,b"
 *   "order_line": [{"product_id": {"id": "p"}, "qty": 2}, ...]
 *                  → order_line/product_id/id, order_line/qty, one row a line
 *   true/false → "1"/"0"; numbers → their shortest text; null → ""
 *   false on a field that is not boolean (as read writes it) → ""
 *   a json or properties field's object or list → its JSON text
 *
 * Cells are always JSON strings: Odoo's load fails the whole call on a JSON
 * boolean or list. A related-record object is referenced by its "id", else
 * ".id", else "name", else "display_name"; its other keys are descriptive
 * and not imported. Keys starting with "_odf" are ignored.
 *
 * Odoo's load refuses a batch that names one relation in two ways (such as
 * parent_id/id for one record and parent_id/.id for another), so a record
 * that would do so is not added (ODF_BATCH_CONFLICT) and goes in the next
 * batch. An empty value (null, [], {}) fills whichever column the batch
 * already has for that field, so that it never adds a second one.
 */
struct odf_load_batch;

enum { ODF_BATCH_CONFLICT = 1 };

/* A new empty batch for the model of fields (borrowed, as is lookup's
 * world; fields may be NULL: records are then taken by shape alone).
 * NULL when out of memory. */
struct odf_load_batch *odf_load_batch_new(const struct odf_fields *fields,
    odf_fields_lookup_fn *lookup, void *lookup_arg);

/* Free; accepts NULL. */
void odf_load_batch_free(struct odf_load_batch *b);

/* Empty the batch, keeping its memory for the next one. */
void odf_load_batch_clear(struct odf_load_batch *b);

/*
 * Add a record (borrowed; an object), remembering tag (the caller's number
 * for it, such as its input line). Returns 0 when added;
 * ODF_BATCH_CONFLICT when it does not fit this batch (send this one,
 * clear, add it again); -1 when the record cannot be converted, with err
 * (ODF_E_DATA) naming the field path ("field 'category_id': list items must
 * be objects"), or ODF_E_NOMEM. The batch is unchanged unless 0 is returned.
 */
int odf_load_batch_add(struct odf_load_batch *b, const cJSON *record, long tag,
    struct odf_error *err);

/* Records added (excluded ones included), and the i-th's tag. */
size_t odf_load_batch_count(const struct odf_load_batch *b);
long odf_load_batch_tag(const struct odf_load_batch *b, size_t i);

/* Leave the i-th record out of the next builds (after load refused it). */
void odf_load_batch_exclude(struct odf_load_batch *b, size_t i);
int odf_load_batch_is_excluded(const struct odf_load_batch *b, size_t i);

/* Records not excluded. */
size_t odf_load_batch_included(const struct odf_load_batch *b);

/*
 * The arguments of load for the records not excluded: *fields a new array
 * of column paths, *data a new array of rows of strings (both owned by the
 * caller, independent of the batch). Columns used only by excluded records
 * are left out. Returns 0, or -1 with err (ODF_E_NOMEM).
 */
int odf_load_batch_build(struct odf_load_batch *b, cJSON **fields, cJSON **data,
    struct odf_error *err);

/* After a build: the batch index of the k-th record sent, and of the record
 * whose rows include row (0-based, as in load's messages); -1 when none. */
long odf_load_batch_sent(const struct odf_load_batch *b, long k);
long odf_load_batch_at_row(const struct odf_load_batch *b, long row);

/* The first and last row (0-based) the i-th record got in the last build;
 * -1 when it was not in it. */
int odf_load_batch_rows(const struct odf_load_batch *b, size_t i, long *from, long *to);

/*
 * The batch index of the record a message of load's answer is about
 * ({"rows": {"from": r, ...}, "record": k, ...}), by its rows, else its
 * record number; -1 when it names none (a message about the whole call).
 */
long odf_load_batch_message_record(const struct odf_load_batch *b, const cJSON *message);

/* ---- checking records before loading (odf-import --check) ----------- */

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

#endif
