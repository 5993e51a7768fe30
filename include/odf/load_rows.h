/*
 * Records → the fields and data of Odoo's load (lib/load_rows.c); the
 * record format is described in odf-records(7).
 *
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
#ifndef ODF_LOAD_ROWS_H
#define ODF_LOAD_ROWS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "odf/error.h"
#include "odf/fields.h"

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

#endif
