/* The window of odf-import: records regrouped by parent, parents first. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "odf/check.h"
#include "odf/strmap.h"
#include "odf/load_worker.h"
#include "odf/window.h"

struct held {
	char *line;
	size_t len;
	long lineno;
	long family;            /* index of the family's first record */
	int head;               /* the record heads its family */
	size_t seq;             /* input order */
};

struct odf_window {
	const char *parent;
	size_t max, n;
	struct held *recs;
	struct odf_strmap *families;    /* family key -> index of its first record */
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
	    (w->families = odf_strmap_new()) == NULL) {
		odf_window_free(w);
		return NULL;
	}
	return w;
}

void
odf_window_free(struct odf_window *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; w->recs != NULL && i < w->n; i++)
		free(w->recs[i].line);
	free(w->recs);
	odf_strmap_free(w->families);
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
		const char *key = item->string, *id = NULL;
		size_t len = odf_key_field_len(key);

		if (len != n || strncmp(key, w->parent, n) != 0)
			continue;
		if (cJSON_IsObject(item))
			id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "id"));
		else if (cJSON_IsString(item) && key[len] != '\0' && strcmp(key + len + 1, "id") == 0)
			id = item->valuestring;
		if (id != NULL && id[0] != '\0')
			return id;
	}
	return NULL;
}

/* The family of the record about to be the window's n-th. 0, or -1 when
 * out of memory. */
static int
family_of(struct odf_window *w, struct held *h, const char *line, size_t len)
{
	cJSON *rec = w->parent != NULL ? cJSON_ParseWithLength(line, len) : NULL;
	const char *own = cJSON_IsObject(rec) ?
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "id")) : NULL;
	const char *parent = cJSON_IsObject(rec) ? parent_of(w, rec) : NULL;
	char *key = NULL;
	long first;
	int rc = -1;

	h->family = (long)w->n;
	h->head = 1;
	if (parent == NULL && (own == NULL || own[0] == '\0')) {
		rc = 0;         /* a family of its own */
		goto out;
	}
	if ((key = odf_xmlid_full(parent != NULL ? parent : own)) == NULL)
		goto out;
	/* A record with a parent joins its parent's family, behind it; one
	 * without heads its own, in front even of contacts read before it. */
	h->head = parent == NULL;
	if ((first = odf_strmap_get(w->families, key, strlen(key))) >= 0)
		h->family = first;
	else if (odf_strmap_put(w->families, key, strlen(key), (long)w->n) != 0)
		goto out;
	rc = 0;
out:
	free(key);
	cJSON_Delete(rec);
	return rc;
}

int
odf_window_add(struct odf_window *w, const char *line, size_t len, long lineno,
    struct odf_error *err)
{
	struct held *h;

	if (w->n >= w->max)
		return odf_error_set(err, ODF_E_SOFTWARE, "the window is full");
	h = &w->recs[w->n];
	memset(h, 0, sizeof(*h));
	if ((h->line = malloc(len + 1)) == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	memcpy(h->line, line, len);
	h->line[len] = '\0';
	h->len = len;
	h->lineno = lineno;
	h->seq = w->n;
	if (family_of(w, h, line, len) != 0) {
		free(h->line);
		h->line = NULL;
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	}
	w->n++;
	return 0;
}

static int
held_cmp(const void *a, const void *b)
{
	const struct held *x = a, *y = b;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->head != y->head)
		return x->head ? -1 : 1;
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
	if (w->parent != NULL)
		qsort(w->recs, w->n, sizeof(*w->recs), held_cmp);
	for (i = 0; i < w->n; i++) {
		if (rc == 0)
			rc = fn(w->recs[i].line, w->recs[i].len, w->recs[i].lineno, arg);
		if (rc > 0) {           /* this one and the rest: not sent */
			(*unsent)++;
			if (*first_unsent == 0 || w->recs[i].lineno < *first_unsent)
				*first_unsent = w->recs[i].lineno;
		}
		free(w->recs[i].line);
		w->recs[i].line = NULL;
	}
	w->n = 0;
	odf_strmap_clear(w->families);
	return rc;
}
