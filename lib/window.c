/* The window of odf-import: parents first, then their records grouped by parent. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "odf/check.h"
#include "odf/strmap.h"
#include "odf/window.h"
#include "odf/xmlids.h"

#define MAX_LEVEL 64            /* deeper trees (or cycles) stop here */

struct held {
	char *line;
	size_t len;
	long lineno;
	char *own;              /* full external id, or NULL */
	char *parent;           /* full external id of the parent, or NULL */
	long parent_at;         /* the parent's index in the window, or -1 */
	int level;              /* 0: no parent in the window; else parent's + 1 */
	long group;             /* the parent's input index (its own for level 0) */
	size_t seq;             /* input order */
};

struct odf_window {
	const char *parent;
	size_t max, n;
	struct held *recs;
	struct odf_strmap *index;       /* own full external id -> index */
	struct odf_strmap *children;    /* parent's full external id -> first child's index */
};

struct odf_window *
odf_window_new(const char *parent, size_t max)
{
	struct odf_window *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->parent = parent;
	w->max = max > 0 ? max : 1;
	if ((w->recs = calloc(w->max, sizeof(*w->recs))) == NULL ||
	    (w->index = odf_strmap_new()) == NULL ||
	    (w->children = odf_strmap_new()) == NULL) {
		odf_window_free(w);
		return NULL;
	}
	return w;
}

static void
held_free(struct held *h)
{
	free(h->line);
	free(h->own);
	free(h->parent);
	memset(h, 0, sizeof(*h));
}

void
odf_window_free(struct odf_window *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; w->recs != NULL && i < w->n; i++)
		held_free(&w->recs[i]);
	free(w->recs);
	odf_strmap_free(w->index);
	odf_strmap_free(w->children);
	free(w);
}

int
odf_window_full(const struct odf_window *w)
{
	return w->n >= w->max;
}

/* The parent's external id a record names ({"id": x} or "parent/id": x), or
 * NULL when it names none. */
static const char *
parent_of(const struct odf_window *w, const cJSON *rec)
{
	const cJSON *item;
	size_t n = strlen(w->parent);

	cJSON_ArrayForEach(item, rec) {
		const char *id;

		if (odf_key_field_len(item->string) != n || strncmp(item->string, w->parent, n) != 0)
			continue;
		if ((id = odf_key_xmlid(item->string, item)) != NULL && id[0] != '\0')
			return id;
	}
	return NULL;
}

/* The record's own external id (from rec) and its parent's into h, the
 * window's next record. 0, or -1 (memory). */
static int
read_ids(struct odf_window *w, struct held *h, const cJSON *rec, const char *parent)
{
	const char *own = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "id"));

	if (own != NULL && own[0] != '\0' && (h->own = odf_xmlid_full(own)) == NULL)
		return -1;
	if ((h->parent = odf_xmlid_full(parent)) == NULL)
		return -1;
	/* the first record of an id is the one its children follow */
	if (h->own != NULL && odf_strmap_get(w->index, h->own, strlen(h->own)) < 0 &&
	    odf_strmap_put(w->index, h->own, strlen(h->own), (long)w->n) != 0)
		return -1;
	if (odf_strmap_get(w->children, h->parent, strlen(h->parent)) < 0 &&
	    odf_strmap_put(w->children, h->parent, strlen(h->parent), (long)w->n) != 0)
		return -1;
	return 0;
}

int
odf_window_add(struct odf_window *w, const char *line, size_t len, long lineno,
    struct odf_error *err)
{
	cJSON *rec = w->parent != NULL ? cJSON_ParseWithLength(line, len) : NULL;
	const char *parent = cJSON_IsObject(rec) ? parent_of(w, rec) : NULL;
	struct held *h;
	int rc = 1;

	if (parent == NULL) {
		rc = 0;
	} else if (w->n >= w->max) {
		rc = odf_error_set(err, ODF_E_SOFTWARE, "the window is full");
	} else {
		h = &w->recs[w->n];
		memset(h, 0, sizeof(*h));
		if ((h->line = malloc(len + 1)) == NULL || read_ids(w, h, rec, parent) != 0) {
			held_free(h);
			rc = odf_error_set(err, ODF_E_NOMEM, "out of memory");
		} else {
			memcpy(h->line, line, len);
			h->line[len] = '\0';
			h->len = len;
			h->lineno = lineno;
			h->seq = w->n++;
		}
	}
	cJSON_Delete(rec);
	return rc;
}

/* The level of record i: how many of its ancestors are in the window. */
static int
level_of(struct odf_window *w, size_t i)
{
	struct held *h = &w->recs[i];
	long at = h->parent_at;
	int depth = 0;

	while (at >= 0 && (size_t)at != i && depth < MAX_LEVEL) {
		depth++;
		at = w->recs[at].parent_at;
	}
	return depth;
}

static int
held_cmp(const void *a, const void *b)
{
	const struct held *x = a, *y = b;

	if (x->level != y->level)
		return x->level < y->level ? -1 : 1;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int
odf_window_flush(struct odf_window *w, odf_window_fn *fn, void *arg,
    size_t *unsent, long *first_unsent)
{
	size_t i;
	int rc = 0;

	*unsent = 0;
	*first_unsent = 0;
	for (i = 0; i < w->n; i++) {
		struct held *h = &w->recs[i];

		h->parent_at = h->parent != NULL ?
		    odf_strmap_get(w->index, h->parent, strlen(h->parent)) : -1;
		if (h->parent_at == (long)i)
			h->parent_at = -1;
	}
	for (i = 0; i < w->n; i++) {
		struct held *h = &w->recs[i];

		h->level = level_of(w, i);
		/* one parent's records together: behind the parent when it is in
		 * the window, else where its first record was read */
		if (h->level > 0)
			h->group = h->parent_at;
		else if (h->parent != NULL)
			h->group = odf_strmap_get(w->children, h->parent, strlen(h->parent));
		else
			h->group = (long)h->seq;
	}
	if (w->parent != NULL)
		qsort(w->recs, w->n, sizeof(*w->recs), held_cmp);
	for (i = 0; i < w->n; i++) {
		if (rc == 0)
			rc = fn(w->recs[i].line, w->recs[i].len, w->recs[i].lineno,
			    w->recs[i].level, arg);
		if (rc > 0) {           /* this one and the rest: not sent */
			(*unsent)++;
			if (*first_unsent == 0 || w->recs[i].lineno < *first_unsent)
				*first_unsent = w->recs[i].lineno;
		}
		held_free(&w->recs[i]);
	}
	w->n = 0;
	odf_strmap_clear(w->index);
	odf_strmap_clear(w->children);
	return rc;
}
