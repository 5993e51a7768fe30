/*
 * A record's values (lib/record.c), shared by the rooms that turn records
 * into rows and back (rows.h, load_rows.h, check.h): a record flattened
 * into the cells load reads, and the conversions of single values.
 *
 * Flattening: each value of a record becomes a cell under its column path
 * ("parent_id/id", "order_line/product_id/id"), one row a one2many line;
 * see load_rows.h for the rules. The cells' strings live in the text
 * buffer, at offsets.
 */
#ifndef ODF_RECORD_H
#define ODF_RECORD_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "odf/buf.h"
#include "odf/error.h"
#include "odf/fields.h"

enum {
	ODF_FLAT_WEAK = 1,      /* an empty value: fills the column used, forces none */
	ODF_FLAT_DROP = 2       /* repeated in the batch: not sent */
};

/* One cell of a flattened record. */
struct odf_flat_cell {
	size_t path, value;     /* offsets in flat.text */
	unsigned row;           /* from the record's first row */
	unsigned flags;         /* ODF_FLAT_WEAK: an empty value, column not forced */
};

/* A record being flattened; reused from record to record. Zero it and set
 * lookup (may be NULL); free with odf_flat_free. */
struct odf_flat {
	struct odf_buf text;
	struct odf_flat_cell *cells;
	size_t n, cap;
	struct odf_buf path;        /* the path of the value being walked */
	struct odf_buf join;        /* references being joined */
	odf_fields_lookup_fn *lookup;
	void *lookup_arg;
};

/*
 * Flatten record (an object, borrowed) against model (may be NULL: by
 * shape alone) into fl's cells, replacing what it held; *rows is the
 * number of rows the record takes. 0, or -1 with err (ODF_E_DATA naming
 * the field path, ODF_E_NOMEM).
 */
int odf_flat_record(struct odf_flat *fl, const cJSON *record,
    const struct odf_fields *model, unsigned *rows, struct odf_error *err);

/* Free what fl holds (not fl). */
void odf_flat_free(struct odf_flat *fl);

/* ODF_E_DATA with a message about a record's content, control characters
 * shown as \xNN so that it stays one line. Returns -1. */
int odf_data_fail(struct odf_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* in into out (size bytes) with control characters as \xNN. */
void odf_escape_controls(const char *in, char *out, size_t size);

/* Make room for n items of size bytes in the array *v of capacity *cap.
 * 0, or -1 when out of memory (*v unchanged). */
int odf_grow(void *v, size_t *cap, size_t n, size_t size);

/* Whether a path segment (len bytes) is "id" or ".id". */
int odf_path_is_ref(const char *seg, size_t len);

/* The shortest text that reads back as d, as Python's float() and int()
 * take it, into out. */
void odf_format_number(double d, char *out, size_t size);

/* A whole string (white space after it allowed) as a finite double, or a
 * long long: 1 and *d or *v set, 0 when it is not one. */
int odf_parse_double(const char *s, double *d);
int odf_parse_long(const char *s, long long *v);

/* Odoo's spellings of a boolean in load: 1 for yes, -1 for no, 0 neither. */
int odf_parse_boolean(const char *s);

/* The text of a scalar reference (a string, or a number formatted into num
 * of size bytes); NULL when v is neither. */
const char *odf_ref_text(const cJSON *v, char *num, size_t size);

#endif
