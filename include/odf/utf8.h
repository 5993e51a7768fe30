/*
 * UTF-8 checks (lib/utf8.c): JSON and Python literals are UTF-8, and Odoo replaces what
 * is not with U+FFFD, so such text would land changed. Overlong forms,
 * surrogates and code points past U+10FFFF are refused.
 */
#ifndef ODF_UTF8_H
#define ODF_UTF8_H

#include <stddef.h>

/* The length (1 to 4) of the valid UTF-8 sequence at s, which has avail
 * bytes (at least 1), or 0 when it is not one. */
size_t odf_utf8_len(const char *s, size_t avail);

/* The offset of the first byte of s (len bytes) that is not UTF-8, or len
 * when all is. */
size_t odf_utf8_invalid_at(const char *s, size_t len);

/* Encode code point cp (a scalar value: not a surrogate, at most U+10FFFF)
 * into out; returns the number of bytes written, 1 to 4. */
size_t odf_utf8_encode(unsigned long cp, char out[4]);

#endif
