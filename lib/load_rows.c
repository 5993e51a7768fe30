/* Records → the fields and data of Odoo's load (include/odf/load_rows.h). */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/buf.h"
#include "odf/load_rows.h"
#include "odf/record.h"
#include "odf/strmap.h"

static int
nomem(struct odf_error *err)
{
	return odf_error_set(err, ODF_E_NOMEM, "out of memory");
}

struct bcol {
	size_t name;            /* offset in names */
	long group;
};

/*
 * A group is the columns that name one relation: f, f/id and f/.id. load
 * takes one of them per batch; empty values go in whichever is used.
 */
struct bgroup {
	size_t name;
	long col;               /* the column the batch's records use, or -1 */
	long stamp, stamp_col;  /* the last record that used it, and how */
	int used;               /* in the build under way */
};

struct bcell {
	long col;
	unsigned row;
	unsigned flags;
	size_t value;           /* offset in values */
};

struct brec {
	size_t first, n;        /* its cells */
	unsigned rows;
	long tag;
	int excluded;
	long from, to;          /* its rows in the last build, or -1 */
};

struct sortcell {
	long col;
	unsigned row;
	size_t i;
};

struct odf_load_batch {
	const struct odf_fields *fields;
	struct odf_flat fl;
	struct odf_buf names, values;
	struct odf_strmap *colmap, *groupmap;
	struct bcol *cols;
	size_t ncols, capcols;
	struct bgroup *groups;
	size_t ngroups, capgroups;
	struct bcell *cells;
	size_t ncells, capcells;
	struct brec *recs;
	size_t nrecs, caprecs;
	long serial;
	/* scratch */
	long *cellcol;
	size_t capcellcol;
	struct sortcell *sort;
	size_t capsort;
	long *pos, *order;
	size_t cappos, caporder;
	const char **grid;
	size_t capgrid;
	long *sent, *sent_row;
	size_t nsent, capsent, capsentrow;
};

struct odf_load_batch *
odf_load_batch_new(const struct odf_fields *fields, odf_fields_lookup_fn *lookup,
    void *lookup_arg)
{
	struct odf_load_batch *b = calloc(1, sizeof(*b));

	if (b == NULL)
		return NULL;
	b->fields = fields;
	b->fl.lookup = lookup;
	b->fl.lookup_arg = lookup_arg;
	b->colmap = odf_strmap_new();
	b->groupmap = odf_strmap_new();
	if (b->colmap == NULL || b->groupmap == NULL) {
		odf_load_batch_free(b);
		return NULL;
	}
	return b;
}

void
odf_load_batch_free(struct odf_load_batch *b)
{
	if (b == NULL)
		return;
	odf_flat_free(&b->fl);
	odf_buf_release(&b->names);
	odf_buf_release(&b->values);
	odf_strmap_free(b->colmap);
	odf_strmap_free(b->groupmap);
	free(b->cols);
	free(b->groups);
	free(b->cells);
	free(b->recs);
	free(b->cellcol);
	free(b->sort);
	free(b->pos);
	free(b->order);
	free(b->grid);
	free(b->sent);
	free(b->sent_row);
	free(b);
}

void
odf_load_batch_clear(struct odf_load_batch *b)
{
	odf_buf_reset(&b->names);
	odf_buf_reset(&b->values);
	odf_strmap_clear(b->colmap);
	odf_strmap_clear(b->groupmap);
	b->ncols = b->ngroups = b->ncells = b->nrecs = b->nsent = 0;
}

/* f/id and f/.id belong to f's group; anything else is its own. */
static size_t
group_len(const char *path)
{
	size_t len = strlen(path);

	if (len > 3 && strcmp(path + len - 3, "/id") == 0)
		return len - 3;
	if (len > 4 && strcmp(path + len - 4, "/.id") == 0)
		return len - 4;
	return len;
}

/* The column of path, added when new; -1 when out of memory. */
static long
intern_column(struct odf_load_batch *b, const char *path)
{
	size_t len = strlen(path), glen = group_len(path);
	long col = odf_strmap_get(b->colmap, path, len), g;

	if (col >= 0)
		return col;
	g = odf_strmap_get(b->groupmap, path, glen);
	if (g < 0) {
		struct bgroup *G;
		if (odf_grow(&b->groups, &b->capgroups, b->ngroups + 1, sizeof(*b->groups)) < 0)
			return -1;
		G = &b->groups[b->ngroups];
		G->name = odf_buf_addz(&b->names, path, glen);
		if (G->name == SIZE_MAX ||
		    odf_strmap_put(b->groupmap, path, glen, (long)b->ngroups) < 0)
			return -1;
		G->col = G->stamp_col = -1;
		G->stamp = 0;
		g = (long)b->ngroups++;
	}
	if (odf_grow(&b->cols, &b->capcols, b->ncols + 1, sizeof(*b->cols)) < 0)
		return -1;
	b->cols[b->ncols].group = g;
	if ((b->cols[b->ncols].name = odf_buf_addz(&b->names, path, len)) == SIZE_MAX ||
	    odf_strmap_put(b->colmap, path, len, (long)b->ncols) < 0)
		return -1;
	return (long)b->ncols++;
}

static const char *
col_name(const struct odf_load_batch *b, long col)
{
	return b->names.data + b->cols[col].name;
}

static int
by_row_col(const void *pa, const void *pb)
{
	const struct sortcell *x = pa, *y = pb;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Drop repeated cells of the flattened record (a key given flat and nested). */
static int
drop_repeats(struct odf_load_batch *b, struct odf_error *err)
{
	struct odf_flat *fl = &b->fl;

	for (size_t i = 0; i < fl->n; i++) {
		b->sort[i].col = b->cellcol[i];
		b->sort[i].row = fl->cells[i].row;
		b->sort[i].i = i;
	}
	if (fl->n > 1)  /* b->sort is NULL while no record had cells */
		qsort(b->sort, fl->n, sizeof(*b->sort), by_row_col);
	for (size_t k = 1; k < fl->n; k++) {
		struct odf_flat_cell *x = &fl->cells[b->sort[k - 1].i], *y = &fl->cells[b->sort[k].i];
		if (b->sort[k - 1].row != b->sort[k].row || b->sort[k - 1].col != b->sort[k].col)
			continue;
		if (x->flags & ODF_FLAT_WEAK)
			x->flags |= ODF_FLAT_DROP;
		else if ((y->flags & ODF_FLAT_WEAK) ||
		    strcmp(fl->text.data + x->value, fl->text.data + y->value) == 0)
			y->flags |= ODF_FLAT_DROP;
		else
			return odf_data_fail(err,
			    "field '%s': given twice, as '%s' and '%s'",
			    col_name(b, b->sort[k].col), fl->text.data + x->value,
			    fl->text.data + y->value);
	}
	return 0;
}

int
odf_load_batch_add(struct odf_load_batch *b, const cJSON *record, long tag,
    struct odf_error *err)
{
	struct odf_flat *fl = &b->fl;
	size_t first = b->ncells, values_len = b->values.len;
	int conflict = 0;
	unsigned rows;
	struct brec *r;

	if (odf_flat_record(fl, record, b->fields, &rows, err) < 0)
		return -1;
	if (odf_grow(&b->cellcol, &b->capcellcol, fl->n, sizeof(*b->cellcol)) < 0 ||
	    odf_grow(&b->sort, &b->capsort, fl->n, sizeof(*b->sort)) < 0)
		return nomem(err);
	for (size_t i = 0; i < fl->n; i++) {
		if ((b->cellcol[i] = intern_column(b, fl->text.data + fl->cells[i].path)) < 0)
			return nomem(err);
	}
	if (drop_repeats(b, err) < 0)
		return -1;

	b->serial++;
	for (size_t i = 0; i < fl->n; i++) {
		long col = b->cellcol[i];
		struct bgroup *G = &b->groups[b->cols[col].group];
		if (fl->cells[i].flags & (ODF_FLAT_WEAK | ODF_FLAT_DROP))
			continue;
		if (G->stamp == b->serial && G->stamp_col != col)
			return odf_data_fail(err,
			    "field '%s': given both as '%s' and '%s'", b->names.data + G->name,
			    col_name(b, G->stamp_col), col_name(b, col));
		G->stamp = b->serial;
		G->stamp_col = col;
		if (G->col >= 0 && G->col != col)
			conflict = 1;
	}
	if (conflict)
		return ODF_BATCH_CONFLICT;

	if (odf_grow(&b->recs, &b->caprecs, b->nrecs + 1, sizeof(*b->recs)) < 0 ||
	    odf_grow(&b->cells, &b->capcells, b->ncells + fl->n, sizeof(*b->cells)) < 0)
		return nomem(err);
	for (size_t i = 0; i < fl->n; i++) {
		const struct odf_flat_cell *c = &fl->cells[i];
		struct bcell *bc = &b->cells[b->ncells];
		if (c->flags & ODF_FLAT_DROP)
			continue;
		bc->col = b->cellcol[i];
		bc->row = c->row;
		bc->flags = c->flags;
		bc->value = 0;
		if (!(c->flags & ODF_FLAT_WEAK) && (bc->value = odf_buf_addz(&b->values,
		    fl->text.data + c->value, strlen(fl->text.data + c->value))) == SIZE_MAX) {
			b->ncells = first;
			odf_buf_truncate(&b->values, values_len);
			return nomem(err);
		}
		b->ncells++;
	}
	for (size_t i = first; i < b->ncells; i++) {
		if (!(b->cells[i].flags & ODF_FLAT_WEAK))
			b->groups[b->cols[b->cells[i].col].group].col = b->cells[i].col;
	}
	r = &b->recs[b->nrecs++];
	r->first = first;
	r->n = b->ncells - first;
	r->rows = rows;
	r->tag = tag;
	r->excluded = 0;
	r->from = r->to = -1;
	return 0;
}

size_t
odf_load_batch_count(const struct odf_load_batch *b)
{
	return b->nrecs;
}

long
odf_load_batch_tag(const struct odf_load_batch *b, size_t i)
{
	return i < b->nrecs ? b->recs[i].tag : -1;
}

void
odf_load_batch_exclude(struct odf_load_batch *b, size_t i)
{
	if (i < b->nrecs)
		b->recs[i].excluded = 1;
}

int
odf_load_batch_is_excluded(const struct odf_load_batch *b, size_t i)
{
	return i < b->nrecs && b->recs[i].excluded;
}

size_t
odf_load_batch_included(const struct odf_load_batch *b)
{
	size_t n = 0;

	for (size_t i = 0; i < b->nrecs; i++)
		n += !b->recs[i].excluded;
	return n;
}

/* A column's value also stands for its relations: order_line/name has
 * order_line given, so that an empty order_line elsewhere adds no column. */
static void
mark_prefixes(struct odf_load_batch *b, long col)
{
	const char *name = col_name(b, col);

	for (const char *p = strchr(name, '/'); p != NULL; p = strchr(p + 1, '/')) {
		long g = odf_strmap_get(b->groupmap, name, (size_t)(p - name));
		if (g >= 0)
			b->groups[g].used = 1;
	}
}

/* Decide the columns of a build: b->order holds them, b->pos their place. */
static size_t
choose_columns(struct odf_load_batch *b)
{
	long id = odf_strmap_get(b->colmap, "id", 2);
	size_t width = 0;

	for (size_t c = 0; c < b->ncols; c++)
		b->pos[c] = -1;
	for (size_t g = 0; g < b->ngroups; g++)
		b->groups[g].used = 0;
	/* Values first: an empty value only adds a column for a field that no
	 * record gives a value under any of its names. */
	for (int weak = 0; weak <= 1; weak++) {
		for (size_t i = 0; i < b->nrecs; i++) {
			const struct brec *r = &b->recs[i];
			if (r->excluded)
				continue;
			for (size_t k = r->first; k < r->first + r->n; k++) {
				const struct bcell *c = &b->cells[k];
				struct bgroup *G = &b->groups[b->cols[c->col].group];
				if ((int)(c->flags & ODF_FLAT_WEAK) != weak * ODF_FLAT_WEAK ||
				    (weak && G->used))
					continue;
				if (!weak && b->pos[c->col] < 0)
					mark_prefixes(b, c->col);
				b->pos[c->col] = 0;
				G->used = 1;
			}
		}
	}
	if (id >= 0 && b->pos[id] == 0)
		b->order[width++] = id;
	for (size_t c = 0; c < b->ncols; c++) {
		if (b->pos[c] == 0 && (long)c != id)
			b->order[width++] = (long)c;
	}
	for (size_t k = 0; k < width; k++)
		b->pos[b->order[k]] = (long)k;
	return width;
}

static cJSON *
row_json(const char *const *cells, size_t width)
{
	cJSON *row = cJSON_CreateArray();

	for (size_t k = 0; row != NULL && k < width; k++) {
		cJSON *s = cJSON_CreateString(cells[k]);
		if (s == NULL || !cJSON_AddItemToArray(row, s)) {
			cJSON_Delete(s);
			cJSON_Delete(row);
			return NULL;
		}
	}
	return row;
}

int
odf_load_batch_build(struct odf_load_batch *b, cJSON **fields, cJSON **data,
    struct odf_error *err)
{
	size_t width, nrow = 0;

	*fields = *data = NULL;
	b->nsent = 0;
	if (odf_grow(&b->pos, &b->cappos, b->ncols, sizeof(*b->pos)) < 0 ||
	    odf_grow(&b->order, &b->caporder, b->ncols, sizeof(*b->order)) < 0 ||
	    odf_grow(&b->sent, &b->capsent, b->nrecs, sizeof(*b->sent)) < 0 ||
	    odf_grow(&b->sent_row, &b->capsentrow, b->nrecs, sizeof(*b->sent_row)) < 0)
		goto nomem;
	width = choose_columns(b);
	if ((*fields = cJSON_CreateArray()) == NULL || (*data = cJSON_CreateArray()) == NULL)
		goto nomem;
	for (size_t k = 0; k < width; k++) {
		cJSON *s = cJSON_CreateString(col_name(b, b->order[k]));
		if (s == NULL || !cJSON_AddItemToArray(*fields, s)) {
			cJSON_Delete(s);
			goto nomem;
		}
	}
	for (size_t i = 0; i < b->nrecs; i++) {
		struct brec *r = &b->recs[i];
		r->from = r->to = -1;
		if (r->excluded)
			continue;
		if (odf_grow(&b->grid, &b->capgrid, (size_t)r->rows * width + 1, sizeof(*b->grid)) < 0)
			goto nomem;
		for (size_t k = 0; k < (size_t)r->rows * width; k++)
			b->grid[k] = "";
		for (size_t k = r->first; k < r->first + r->n; k++) {
			const struct bcell *c = &b->cells[k];
			if (!(c->flags & ODF_FLAT_WEAK))
				b->grid[c->row * width + (size_t)b->pos[c->col]] = b->values.data + c->value;
		}
		for (unsigned row = 0; row < r->rows; row++) {
			cJSON *json = row_json(b->grid + row * width, width);
			if (json == NULL || !cJSON_AddItemToArray(*data, json)) {
				cJSON_Delete(json);
				goto nomem;
			}
		}
		r->from = (long)nrow;
		r->to = (long)(nrow + r->rows - 1);
		b->sent[b->nsent] = (long)i;
		b->sent_row[b->nsent++] = (long)nrow;
		nrow += r->rows;
	}
	return 0;
nomem:
	cJSON_Delete(*fields);
	cJSON_Delete(*data);
	*fields = *data = NULL;
	b->nsent = 0;
	return odf_error_set(err, ODF_E_NOMEM, "out of memory");
}

long
odf_load_batch_sent(const struct odf_load_batch *b, long k)
{
	return k >= 0 && (size_t)k < b->nsent ? b->sent[k] : -1;
}

long
odf_load_batch_at_row(const struct odf_load_batch *b, long row)
{
	size_t lo = 0, hi = b->nsent;

	if (row < 0 || b->nsent == 0)
		return -1;
	/* The last record starting at or before row. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (b->sent_row[mid] <= row)
			lo = mid;
		else
			hi = mid;
	}
	if (b->sent_row[lo] > row || row > b->recs[b->sent[lo]].to)
		return -1;
	return b->sent[lo];
}

int
odf_load_batch_rows(const struct odf_load_batch *b, size_t i, long *from, long *to)
{
	if (i >= b->nrecs || b->recs[i].from < 0)
		return -1;
	*from = b->recs[i].from;
	*to = b->recs[i].to;
	return 0;
}

/* A row or record number in load's answer; -1 when it is none (the cast
 * of a number out of range would be undefined). */
static long
message_index(const cJSON *v)
{
	return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < (double)LONG_MAX ?
	    (long)v->valuedouble : -1;
}

long
odf_load_batch_message_record(const struct odf_load_batch *b, const cJSON *message)
{
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(message, "rows");
	long from = message_index(cJSON_GetObjectItemCaseSensitive(rows, "from"));
	long record = message_index(cJSON_GetObjectItemCaseSensitive(message, "record"));
	long i = -1;

	if (from >= 0)
		i = odf_load_batch_at_row(b, from);
	if (i < 0 && record >= 0)
		i = odf_load_batch_sent(b, record);
	return i;
}
