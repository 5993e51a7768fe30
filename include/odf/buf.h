/*
 * A growable byte buffer (lib/buf.c), the one the whole library uses, after
 * git's strbuf and curl's dynbuf. The bytes are kept NUL-terminated once
 * anything was added (data is NULL before), so text can be read as a
 * string; the NUL is not counted in len.
 *
 *   struct odf_buf b = ODF_BUF_INIT;
 *   if (odf_buf_add(&b, s, n, err) != 0 || odf_buf_addf(&b, err, "%d", i) != 0)
 *       ... b is still whole, only the failed add is missing ...
 *   text = odf_buf_detach(&b, &len);     (the caller frees text)
 *   odf_buf_release(&b);                 (or: free what it holds)
 *
 * A failed add leaves the bytes as they were and sets failed; while failed
 * is set every add fails at once, so a run of adds may be checked once, at
 * the end. err may be NULL wherever it is taken: the failure is then told
 * by the return value (and failed) alone.
 */
#ifndef ODF_BUF_H
#define ODF_BUF_H

#include <stddef.h>

#include "odf/error.h"

struct odf_buf {
	char *data;             /* owned; NULL while nothing was added */
	size_t len;             /* bytes held, the NUL not counted */
	size_t cap;             /* bytes allocated */
	int failed;             /* an add failed (out of memory) */
};

#define ODF_BUF_INIT { NULL, 0, 0, 0 }

/* An empty buffer (the same as ODF_BUF_INIT). */
void odf_buf_init(struct odf_buf *b);

/* Room for more bytes (and the NUL) without a further allocation. 0, or
 * -1 with err ODF_E_NOMEM. */
int odf_buf_grow(struct odf_buf *b, size_t more, struct odf_error *err);

/* Append n bytes of s. 0, or -1 with err ODF_E_NOMEM. */
int odf_buf_add(struct odf_buf *b, const void *s, size_t n, struct odf_error *err);

/* Append n bytes and a NUL that is counted, as in a pool of strings read
 * at offsets: the offset of the copy, or SIZE_MAX when out of memory. */
size_t odf_buf_addz(struct odf_buf *b, const char *s, size_t n);

/* Append a string. 0, or -1 with err ODF_E_NOMEM. */
int odf_buf_adds(struct odf_buf *b, const char *s, struct odf_error *err);

/* Append printf-style text. 0, or -1 with err ODF_E_NOMEM. */
int odf_buf_addf(struct odf_buf *b, struct odf_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Keep the first len bytes only (len <= b->len). */
void odf_buf_truncate(struct odf_buf *b, size_t len);

/* Forget the bytes and a failure, keep the memory. */
void odf_buf_reset(struct odf_buf *b);

/* The bytes (NULL when none were added; the caller frees them) and their
 * length into *len (may be NULL); the buffer is left empty. */
char *odf_buf_detach(struct odf_buf *b, size_t *len);

/* Free the bytes and leave the buffer empty. Accepts NULL. */
void odf_buf_release(struct odf_buf *b);

#endif
