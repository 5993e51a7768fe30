/* odf-import's deferred values, spooled to a temporary file. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/deferred.h"

struct header {
	int64_t lineno;
	uint64_t values_len;
	uint64_t line_len;
	int32_t kind;
	int32_t pad;
};

struct odf_deferred {
	FILE *f;
	char *buf;              /* values, NUL, line, NUL of the entry read */
	size_t cap;
};

struct odf_deferred *
odf_deferred_new(struct odf_error *err)
{
	struct odf_deferred *d = calloc(1, sizeof(*d));

	if (d == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	if ((d->f = tmpfile()) == NULL) {
		odf_error_set(err, ODF_E_IO, "cannot create a temporary file: %s",
		    strerror(errno));
		free(d);
		return NULL;
	}
	return d;
}

int
odf_deferred_add(struct odf_deferred *d, const struct odf_deferred_entry *e,
    struct odf_error *err)
{
	struct header h = { e->lineno, e->values_len, e->line_len, (int32_t)e->kind, 0 };

	if (fwrite(&h, sizeof(h), 1, d->f) != 1 ||
	    fwrite(e->values, 1, e->values_len, d->f) != e->values_len ||
	    fwrite(e->line, 1, e->line_len, d->f) != e->line_len)
		return odf_error_set(err, ODF_E_IO,
		    "cannot write the deferred values to a temporary file: %s",
		    strerror(errno));
	return 0;
}

int
odf_deferred_rewind(struct odf_deferred *d, struct odf_error *err)
{
	if (fflush(d->f) != 0 || fseek(d->f, 0, SEEK_SET) != 0)
		return odf_error_set(err, ODF_E_IO, "temporary file: %s", strerror(errno));
	return 0;
}

int
odf_deferred_next(struct odf_deferred *d, struct odf_deferred_entry *e,
    struct odf_error *err)
{
	struct header h;
	size_t got = fread(&h, 1, sizeof(h), d->f), need;
	char *p;

	if (got == 0 && feof(d->f))
		return 0;
	if (got != sizeof(h) || h.kind < ODF_LOAD_PENDING || h.kind > ODF_LOAD_FAILED ||
	    h.values_len > SIZE_MAX / 4 || h.line_len > SIZE_MAX / 4)
		return odf_error_set(err, ODF_E_IO, "temporary file: corrupt");
	need = (size_t)h.values_len + (size_t)h.line_len + 2;
	if (need > d->cap) {
		if ((p = realloc(d->buf, need)) == NULL)
			return odf_error_set(err, ODF_E_NOMEM, "out of memory");
		d->buf = p;
		d->cap = need;
	}
	e->lineno = (long)h.lineno;
	e->kind = (enum odf_load_outcome)h.kind;
	e->values_len = (size_t)h.values_len;
	e->line_len = (size_t)h.line_len;
	e->values = d->buf;
	e->line = d->buf + e->values_len + 1;
	if (fread(d->buf, 1, e->values_len, d->f) != e->values_len ||
	    fread(d->buf + e->values_len + 1, 1, e->line_len, d->f) != e->line_len)
		return odf_error_set(err, ODF_E_IO, "temporary file: short read");
	d->buf[e->values_len] = '\0';
	d->buf[e->values_len + 1 + e->line_len] = '\0';
	return 1;
}

void
odf_deferred_free(struct odf_deferred *d)
{
	if (d == NULL)
		return;
	if (d->f != NULL)
		fclose(d->f);
	free(d->buf);
	free(d);
}
