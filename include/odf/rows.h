/*
 * Odoo's export_data rows → NDJSON records (lib/rows.c), nested or, with
 * ODF_ROWS_FLAT, with Odoo's column paths as keys. The record format is
 * described in odf-records(7); in short, one JSON object a line:
 *
 *   {"id": "__import__.c1", "name": "Ann", "is_company": false, "color": 3,
 *    "parent_id": {"id": "base.main_partner"}, "category_id": [{"id": "t1"}],
 *    "order_line": [{"product_id": {"id": "p1"}, "product_uom_qty": 2}]}
 *
 * and, flat:
 *
 *   {"id": "__import__.c1", "parent_id/id": "base.main_partner",
 *    "category_id/id": "t1,t2", "order_line": [{"product_id/id": "p1"}]}
 *
 * Field metadata (fields.h) types the values. Related models' tables come
 * from an odf_fields_lookup_fn; where one is missing the values below it
 * are passed through untyped.
 */
#ifndef ODF_ROWS_H
#define ODF_ROWS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "odf/error.h"
#include "odf/fields.h"

enum odf_rows_flags {
	ODF_ROWS_FLAT = 1 << 0        /* column paths as keys (--flat) */
};

struct odf_rows;

/*
 * Compile the field paths asked for (Odoo's: "name", "parent_id/id",
 * "order_line/product_id/id", ".id", "parent_id/.id") against the model's
 * fields (borrowed; with lookup for related models, both must outlive the
 * export; fields NULL: paths unchecked, cells untyped). A bare relational
 * field ("parent_id") stands for its external id ("parent_id/id"). Returns a new export to free with odf_rows_free,
 * or NULL with err (ODF_E_USAGE) naming the path: an unknown field (with
 * the closest names), a path through a field that is not relational, a
 * path asked twice, "id"/".id" not at the end, or a many2many asked for
 * other than once as "f/id", "f/name" or "f/display_name" (export_data
 * writes a many2many as one comma-joined cell).
 */
struct odf_rows *odf_rows_new(const struct odf_fields *fields,
    odf_fields_lookup_fn *lookup, void *lookup_arg,
    const char *const *paths, size_t npaths, unsigned flags, struct odf_error *err);

/* Free; accepts NULL. */
void odf_rows_free(struct odf_rows *rows);

/* The paths to give export_data, normalized ("parent_id" → "parent_id/id"),
 * in the order asked, as a new JSON array (caller frees), or NULL when out
 * of memory. */
cJSON *odf_rows_paths_json(const struct odf_rows *rows);

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
int odf_rows_set(struct odf_rows *rows, const cJSON *datas, struct odf_error *err);

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
int odf_rows_next(struct odf_rows *rows, cJSON **record, struct odf_error *err);

#endif
