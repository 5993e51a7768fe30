/* The growable byte buffer (include/odf/buf.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/buf.h"

#define FIRST_CAP 256

static int
nomem(struct odf_buf *b, struct odf_error *err)
{
	b->failed = 1;
	if (err != NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	return -1;
}

void
odf_buf_init(struct odf_buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

int
odf_buf_grow(struct odf_buf *b, size_t more, struct odf_error *err)
{
	size_t cap;
	char *p;

	if (b->failed || more >= SIZE_MAX - b->len)
		return nomem(b, err);
	if (b->len + more < b->cap)
		return 0;
	cap = b->cap ? b->cap : FIRST_CAP;
	while (cap <= b->len + more)
		cap = cap > SIZE_MAX / 2 ? b->len + more + 1 : cap * 2;
	if ((p = realloc(b->data, cap)) == NULL)
		return nomem(b, err);
	b->data = p;
	b->cap = cap;
	return 0;
}

int
odf_buf_add(struct odf_buf *b, const void *s, size_t n, struct odf_error *err)
{
	if (odf_buf_grow(b, n, err) != 0)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

size_t
odf_buf_addz(struct odf_buf *b, const char *s, size_t n)
{
	size_t off = b->len;

	if (odf_buf_add(b, s, n, NULL) < 0 || odf_buf_add(b, "", 1, NULL) < 0)
		return SIZE_MAX;
	return off;
}

int
odf_buf_adds(struct odf_buf *b, const char *s, struct odf_error *err)
{
	return odf_buf_add(b, s, strlen(s), err);
}

int
odf_buf_addf(struct odf_buf *b, struct odf_error *err, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return nomem(b, err);
	if (odf_buf_grow(b, (size_t)n, err) != 0)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->data[b->len] = '\0';
		return nomem(b, err);
	}
	b->len += (size_t)n;
	return 0;
}

void
odf_buf_truncate(struct odf_buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->data[len] = '\0';
}

void
odf_buf_reset(struct odf_buf *b)
{
	b->failed = 0;
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

char *
odf_buf_detach(struct odf_buf *b, size_t *len)
{
	char *p = b->data;

	if (len != NULL)
		*len = b->len;
	odf_buf_init(b);
	return p;
}

void
odf_buf_release(struct odf_buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	odf_buf_init(b);
}
