/*
 * Python literals (and JSON) into cJSON trees (include/odf/pyliteral.h): a
 * recursive-descent parser with an explicit depth limit. Positions are kept
 * only when asked for: a caller that finds a fault in the finished tree
 * parses the text again to find where the faulty element starts.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "odf/buf.h"
#include "odf/pyliteral.h"
#include "odf/utf8.h"

/* cJSON prints numbers with 15 significant digits when that reads back
 * nearly equal, so longer integers would reach Odoo changed. */
#define EXACT_INT_MAX 999999999999999ULL
#define NUMBER_MAX 512          /* characters in a number literal */

struct parser {
	const char *s;
	size_t len;
	size_t i;                   /* offset of the next byte */
	int depth;                  /* open containers, for the limit */
	int domain;                 /* items of the outer list are "terms" */
	struct odf_error *err;
	/* Locating an element by its path of item indexes (see locate()). */
	const int *want;
	int want_len;
	int found;
	size_t found_at;
	int plen;
	int path[ODF_PYLITERAL_MAX_DEPTH + 2];
};

static cJSON *parse_value(struct parser *p);

/* Encode code point cp (already checked to be a scalar value) as UTF-8. */
static int
buf_add_cp(struct odf_buf *b, unsigned long cp)
{
	char u[4];
	size_t n = odf_utf8_encode(cp, u);

	return odf_buf_add(b, u, n, NULL);
}

/* "position N" or, for text of several lines, "line L, column C" (a
 * file's final newline does not make it several lines). */
static void
where(const char *s, size_t len, size_t off, char *out, size_t size)
{
	size_t k, line = 1, col = 1, pos = 1, end = len;
	int multiline;

	while (end > 0 && (s[end - 1] == '\n' || s[end - 1] == '\r' ||
	    s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	multiline = memchr(s, '\n', end) != NULL;
	if (off > len)
		off = len;
	for (k = 0; k < off; k++) {
		if (((unsigned char)s[k] & 0xC0) == 0x80)
			continue;       /* within a UTF-8 character */
		pos++;
		col++;
		if (s[k] == '\n') {
			line++;
			col = 1;
		}
	}
	if (multiline)
		snprintf(out, size, "line %zu, column %zu", line, col);
	else
		snprintf(out, size, "position %zu", pos);
}

static int
fail(struct parser *p, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct parser *p, size_t off, const char *fmt, ...)
{
	char pos[64], msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	where(p->s, p->len, off, pos, sizeof(pos));
	return odf_error_set(p->err, ODF_E_DATA, "%s: %s", pos, msg);
}

static void *
nomem(struct parser *p)
{
	odf_error_set(p->err, ODF_E_NOMEM, "out of memory");
	return NULL;
}

static int
is_ident(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/* What stands at offset off, for "got ..." in messages. */
static const char *
token(const struct parser *p, size_t off, char *out, size_t size)
{
	const unsigned char *s = (const unsigned char *)p->s;
	size_t n, len;

	if (off >= p->len)
		return "end of input";
	if (s[off] == '\'' || s[off] == '"')
		return "a string";
	if (is_ident(s[off]) || s[off] == '.') {
		for (n = off; n < p->len && n - off < 24 &&
		    (is_ident(s[n]) || s[n] == '.'); n++)
			;
		snprintf(out, size, "'%.*s%s'", (int)(n - off), p->s + off,
		    n < p->len && is_ident(s[n]) ? "..." : "");
		return out;
	}
	if (s[off] >= 0x20 && s[off] < 0x7F) {
		snprintf(out, size, "'%c'", s[off]);
		return out;
	}
	len = odf_utf8_len((const char *)s + off, p->len - off);
	if (len > 1)
		snprintf(out, size, "'%.*s'", (int)len, p->s + off);
	else
		snprintf(out, size, "byte 0x%02X", s[off]);
	return out;
}

/* Skip white space and '#' comments. */
static void
skip_ws(struct parser *p)
{
	while (p->i < p->len) {
		char c = p->s[p->i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
		    c == '\v') {
			p->i++;
		} else if (c == '#') {
			while (p->i < p->len && p->s[p->i] != '\n')
				p->i++;
		} else {
			break;
		}
	}
}

static int
peek(const struct parser *p)
{
	return p->i < p->len ? (unsigned char)p->s[p->i] : -1;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* n hex digits at offset off into *v; -1 when there are fewer. */
static int
hex_digits(const struct parser *p, size_t off, int n, unsigned long *v)
{
	int k;

	*v = 0;
	for (k = 0; k < n; k++) {
		int h = off + k < p->len ? hexval((unsigned char)p->s[off + k]) : -1;

		if (h < 0)
			return -1;
		*v = *v << 4 | (unsigned long)h;
	}
	return 0;
}

/* Width of a string prefix (r, u) before a quote at the cursor, 0 if none;
 * -1 with err for prefixes JSON has no value for (b, f). */
static int
string_prefix(struct parser *p, int *raw)
{
	size_t k = p->i, n;
	int r = 0, other = 0;

	for (n = 0; n < 3 && k + n < p->len; n++) {
		char c = p->s[k + n];

		if (c == '\'' || c == '"')
			break;
		if (c == 'r' || c == 'R')
			r++;
		else if (c == 'u' || c == 'U' || c == 'b' || c == 'B' || c == 'f' ||
		    c == 'F')
			other = other ? 2 : c;
		else
			return 0;
	}
	if (n == 0 || n > 2 || k + n >= p->len ||
	    (p->s[k + n] != '\'' && p->s[k + n] != '"'))
		return 0;
	if (other == 2 || r > 1 || ((other == 'u' || other == 'U') && r))
		return 0;
	if (other == 'b' || other == 'B')
		return fail(p, k, "bytes literals are not supported");
	if (other == 'f' || other == 'F')
		return fail(p, k, "f-strings are not supported");
	*raw = r;
	return (int)n;
}

/* A \u or \U escape's code point; joins a \uD8xx\uDCxx pair as JSON does. */
static int
unicode_escape(struct parser *p, size_t esc, int width, struct odf_buf *b)
{
	unsigned long cp, lo;

	if (hex_digits(p, esc + 2, width, &cp) < 0)
		return fail(p, esc, "truncated \\%c escape: %d hex digits needed",
		    p->s[esc + 1], width);
	p->i = esc + 2 + (size_t)width;
	if (cp >= 0xD800 && cp <= 0xDBFF && width == 4 && p->i + 1 < p->len &&
	    p->s[p->i] == '\\' && p->s[p->i + 1] == 'u' &&
	    hex_digits(p, p->i + 2, 4, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		p->i += 6;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return fail(p, esc, "lone surrogate \\u%04lX cannot be encoded in UTF-8", cp);
	if (cp > 0x10FFFF)
		return fail(p, esc, "escape \\U%08lX is past U+10FFFF", cp);
	if (cp == 0)
		return fail(p, esc, "NUL characters in strings are not supported");
	return buf_add_cp(b, cp) < 0 ? (nomem(p), -1) : 0;
}

/* The escape sequence at the cursor (a backslash) of a non-raw string. */
static int
escape(struct parser *p, struct odf_buf *b)
{
	static const char simple[] = "\\\\''\"\"a\ab\bf\fn\nr\rt\tv\v//";
	size_t esc = p->i;
	const char *m;
	int c = esc + 1 < p->len ? (unsigned char)p->s[esc + 1] : -1;

	if (c == -1)
		return fail(p, esc, "unterminated string: input ends after '\\'");
	if (c == '\n' || (c == '\r' && esc + 2 < p->len && p->s[esc + 2] == '\n')) {
		p->i = esc + (c == '\n' ? 2 : 3);      /* line continuation */
		return 0;
	}
	if (c != '\0' && (m = strchr(simple, c)) != NULL && (m - simple) % 2 == 0) {
		p->i = esc + 2;
		return odf_buf_add(b, m + 1, 1, NULL) < 0 ? (nomem(p), -1) : 0;
	}
	if (c >= '0' && c <= '7') {
		unsigned long cp = 0;
		size_t k = esc + 1;

		while (k < p->len && k < esc + 4 && p->s[k] >= '0' && p->s[k] <= '7')
			cp = cp * 8 + (unsigned long)(p->s[k++] - '0');
		p->i = k;
		if (cp == 0)
			return fail(p, esc, "NUL characters in strings are not supported");
		return buf_add_cp(b, cp) < 0 ? (nomem(p), -1) : 0;
	}
	if (c == 'x') {
		unsigned long cp;

		if (hex_digits(p, esc + 2, 2, &cp) < 0)
			return fail(p, esc, "truncated \\x escape: 2 hex digits needed");
		p->i = esc + 4;
		if (cp == 0)
			return fail(p, esc, "NUL characters in strings are not supported");
		return buf_add_cp(b, cp) < 0 ? (nomem(p), -1) : 0;
	}
	if (c == 'u' || c == 'U')
		return unicode_escape(p, esc, c == 'u' ? 4 : 8, b);
	if (c == 'N')
		return fail(p, esc, "\\N{...} escapes are not supported");
	/* Python keeps unknown escapes as they are, backslash included. */
	p->i = esc + 1;
	return odf_buf_add(b, "\\", 1, NULL) < 0 ? (nomem(p), -1) : 0;
}

/* One quoted literal at the cursor (after any prefix), appended to b. */
static int
string_literal(struct parser *p, size_t start, int raw, struct odf_buf *b)
{
	char q = p->s[p->i];
	int triple = p->i + 2 < p->len && p->s[p->i + 1] == q && p->s[p->i + 2] == q;

	p->i += triple ? 3 : 1;
	for (;;) {
		const unsigned char *c = (const unsigned char *)p->s + p->i;
		size_t n;

		if (p->i >= p->len)
			return fail(p, start, "unterminated string");
		if (*c == (unsigned char)q) {
			if (!triple) {
				p->i++;
				return 0;
			}
			if (p->i + 2 < p->len && c[1] == q && c[2] == q) {
				p->i += 3;
				return 0;
			}
		}
		if (*c == '\n' && !triple)
			return fail(p, start, "unterminated string (a newline before "
			    "the closing quote)");
		if (*c == '\\' && !raw) {
			if (escape(p, b) < 0)
				return -1;
			continue;
		}
		/* A raw string keeps the backslash and the character after it,
		 * which therefore cannot close the string. */
		if (*c == '\\') {
			if (p->i + 1 >= p->len)
				return fail(p, start, "unterminated string");
			if (odf_buf_add(b, "\\", 1, NULL) < 0)
				return nomem(p), -1;
			p->i++;
			c++;
		}
		n = odf_utf8_len((const char *)c, p->len - p->i);
		if (n == 0)
			return fail(p, p->i, "invalid UTF-8 byte 0x%02X in a string", *c);
		if (odf_buf_add(b, p->s + p->i, n, NULL) < 0)
			return nomem(p), -1;
		p->i += n;
	}
}

/* Adjacent string literals, joined as Python does. */
static cJSON *
parse_strings(struct parser *p)
{
	struct odf_buf b = ODF_BUF_INIT;
	cJSON *v;

	for (;;) {
		size_t start = p->i;
		int raw = 0, n = string_prefix(p, &raw);

		if (n < 0)
			goto fail;
		p->i += (size_t)n;
		if (string_literal(p, start, raw, &b) < 0)
			goto fail;
		skip_ws(p);
		n = string_prefix(p, &raw);
		if (n < 0)
			goto fail;
		if (n == 0 && peek(p) != '\'' && peek(p) != '"')
			break;
	}
	v = cJSON_CreateString(b.data ? b.data : "");
	odf_buf_release(&b);
	return v ? v : nomem(p);
fail:
	odf_buf_release(&b);
	return NULL;
}

/* Digits of one base with single '_' between them (and, after 0x, 0o or
 * 0b, before them), appended to out without the underscores. Returns the
 * count of digits, -1 on a misplaced '_', -2 when out is full. */
static int
digits(struct parser *p, int base, char *out, size_t *n, int lead_ok)
{
	int count = 0, sep = !lead_ok;

	while (p->i < p->len) {
		int c = (unsigned char)p->s[p->i], d = hexval(c);

		if (c == '_') {
			if (sep)
				return -1;
			sep = 1;
			p->i++;
			continue;
		}
		if (d < 0 || d >= base)
			break;
		if (*n + 1 >= NUMBER_MAX)
			return -2;
		out[(*n)++] = (char)c;
		count++;
		sep = 0;
		p->i++;
	}
	out[*n] = '\0';
	return sep && count > 0 ? -1 : count;
}

static cJSON *
make_int(struct parser *p, size_t start, size_t text, const char *sign, const char *num,
    int base, int neg)
{
	unsigned long long v = 0;
	const char *c;
	cJSON *v_json;

	for (c = num; *c != '\0'; c++) {
		v = v * (unsigned)base + (unsigned)hexval((unsigned char)*c);
		if (v > EXACT_INT_MAX) {
			fail(p, start, "integer %s%.*s is too large: only 15 digits "
			    "are sent exactly", sign, (int)(p->i - text) > 60 ? 60 :
			    (int)(p->i - text), p->s + text);
			return NULL;
		}
	}
	/* Python's -0 is the int 0; only floats keep a sign on zero. */
	v_json = cJSON_CreateNumber(neg && v != 0 ? -(double)v : (double)v);
	return v_json != NULL ? v_json : nomem(p);
}

/* An int or float, with an optional sign (Python allows space after it). */
static cJSON *
parse_number(struct parser *p)
{
	/* digits() stops below NUMBER_MAX; then come '.', 'e', a sign, NUL. */
	char num[NUMBER_MAX + 4];
	size_t start = p->i, text, n = 0;
	int neg = 0, base = 10, is_float = 0, r;
	const char *sign = "";
	cJSON *v;

	if (peek(p) == '-' || peek(p) == '+') {
		neg = peek(p) == '-';
		sign = neg ? "-" : "+";
		p->i++;
		skip_ws(p);
		if (!(peek(p) >= '0' && peek(p) <= '9') && peek(p) != '.') {
			char got[64];

			fail(p, p->i, "expected a number after '%c', got %s",
			    neg ? '-' : '+', token(p, p->i, got, sizeof(got)));
			return NULL;
		}
	}
	/* Messages quote the sign and the digits, not the blanks or
	 * comments (lines) between them. */
	text = p->i;
	if (peek(p) == '0' && p->i + 1 < p->len && p->s[p->i + 1] != '\0' &&
	    strchr("xXoObB", p->s[p->i + 1]) != NULL) {
		char x = (char)(p->s[p->i + 1] | 0x20);

		base = x == 'x' ? 16 : x == 'o' ? 8 : 2;
		p->i += 2;
		r = digits(p, base, num, &n, 1);
		if (r == 0 || r == -1)
			goto bad;
		if (r == -2)
			goto too_long;
		if (p->i < p->len && is_ident((unsigned char)p->s[p->i]))
			goto bad;
		return make_int(p, start, text, sign, num, base, neg);
	}
	r = digits(p, 10, num, &n, 0);
	if (r == -1)
		goto bad;
	if (r == -2)
		goto too_long;
	if (peek(p) == '.') {
		int frac;

		is_float = 1;
		num[n++] = '.';
		p->i++;
		frac = digits(p, 10, num, &n, 0);
		if (frac == -2)
			goto too_long;
		if (frac < 0 || (frac == 0 && r == 0))
			goto bad;
	} else if (r == 0) {
		goto bad;
	}
	if (peek(p) == 'e' || peek(p) == 'E') {
		is_float = 1;
		num[n++] = 'e';
		p->i++;
		if (peek(p) == '-' || peek(p) == '+')
			num[n++] = p->s[p->i++];
		r = digits(p, 10, num, &n, 0);
		if (r == -2)
			goto too_long;
		if (r <= 0)
			goto bad;
	}
	if (p->i < p->len && (is_ident((unsigned char)p->s[p->i]) || p->s[p->i] == '.'))
		goto bad;
	if (!is_float) {
		const char *c = num;

		if (*c == '0' && strspn(c, "0") != strlen(c)) {
			fail(p, start, "invalid number '%s%.*s': leading zeros are not "
			    "allowed", sign, (int)(p->i - text), p->s + text);
			return NULL;
		}
		return make_int(p, start, text, sign, num, 10, neg);
	} else {
		char *end;
		double d;

		errno = 0;
		d = strtod(num, &end);
		if (*end != '\0')
			goto bad;
		if (!isfinite(d)) {
			fail(p, start, "number %s%.*s is out of range", sign,
			    (int)(p->i - text) > 60 ? 60 : (int)(p->i - text), p->s + text);
			return NULL;
		}
		v = cJSON_CreateNumber(neg ? -d : d);
		return v ? v : nomem(p);
	}
bad:
	while (p->i < p->len && (is_ident((unsigned char)p->s[p->i]) || p->s[p->i] == '.'))
		p->i++;
	fail(p, start, "invalid number '%s%.*s'", sign, (int)(p->i - text) > 60 ? 60 :
	    (int)(p->i - text), p->s + text);
	return NULL;
too_long:
	fail(p, start, "number longer than %d characters", NUMBER_MAX);
	return NULL;
}

/* True, False, None (and JSON's true, false, null), or a string prefix. */
static cJSON *
parse_name(struct parser *p)
{
	static const struct {
		const char *name;
		int type;
	} names[] = {
		{ "True", cJSON_True }, { "true", cJSON_True },
		{ "False", cJSON_False }, { "false", cJSON_False },
		{ "None", cJSON_NULL }, { "null", cJSON_NULL },
	};
	size_t start = p->i, n, k;
	int raw, prefix;
	cJSON *v;

	prefix = string_prefix(p, &raw);
	if (prefix < 0)
		return NULL;
	if (prefix > 0)
		return parse_strings(p);
	for (n = start; n < p->len && is_ident((unsigned char)p->s[n]); n++)
		;
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		if (strlen(names[k].name) != n - start ||
		    memcmp(names[k].name, p->s + start, n - start) != 0)
			continue;
		p->i = n;
		v = names[k].type == cJSON_True ? cJSON_CreateTrue() :
		    names[k].type == cJSON_False ? cJSON_CreateFalse() : cJSON_CreateNull();
		return v ? v : nomem(p);
	}
	fail(p, start, "unknown name '%.*s%s' (strings need quotes)",
	    (int)(n - start > 40 ? 40 : n - start), p->s + start,
	    n - start > 40 ? "..." : "");
	return NULL;
}

static int
enter(struct parser *p)
{
	if (p->depth >= ODF_PYLITERAL_MAX_DEPTH)
		return fail(p, p->i, "nesting deeper than %d levels",
		    ODF_PYLITERAL_MAX_DEPTH);
	p->depth++;
	return 0;
}

/* The next item of a container, as item number idx on the path. */
static cJSON *
parse_item(struct parser *p, int idx)
{
	cJSON *v;

	p->path[p->plen++] = idx;
	v = parse_value(p);
	p->plen--;
	return v;
}

static int
add_item(struct parser *p, cJSON *container, cJSON *item)
{
	if (!cJSON_AddItemToArray(container, item)) {
		cJSON_Delete(item);
		nomem(p);
		return -1;
	}
	return 0;
}

/*
 * A list "[...]", a tuple "(...)" or a set "{...}" whose first item, when
 * given, was already parsed. A tuple of one item needs its comma: "(x)" is x.
 */
static cJSON *
parse_sequence(struct parser *p, char close, cJSON *first)
{
	const char *what = close == '}' ? "a set item" :
	    p->domain && p->plen == 0 && close == ']' ? "a term" : "an item";
	cJSON *arr = cJSON_CreateArray();
	int idx = 0;

	if (arr == NULL) {
		cJSON_Delete(first);
		return nomem(p);
	}
	if (first != NULL) {
		if (add_item(p, arr, first) < 0)
			goto fail;
		idx = 1;
		goto after_item;
	}
	for (;;) {
		cJSON *item;
		char got[64];

		skip_ws(p);
		if (peek(p) == close) {
			p->i++;
			return arr;
		}
		item = parse_item(p, idx++);
		if (item == NULL || add_item(p, arr, item) < 0)
			goto fail;
after_item:
		skip_ws(p);
		if (peek(p) == ',') {
			p->i++;
			continue;
		}
		if (peek(p) == close) {
			p->i++;
			return arr;
		}
		fail(p, p->i, "expected ',' or '%c' after %s, got %s", close, what,
		    token(p, p->i, got, sizeof(got)));
		goto fail;
	}
fail:
	cJSON_Delete(arr);
	return NULL;
}

static cJSON *
parse_tuple(struct parser *p)
{
	cJSON *first;

	p->i++;
	skip_ws(p);
	if (peek(p) == ')') {
		p->i++;
		return (first = cJSON_CreateArray()) != NULL ? first : nomem(p);
	}
	first = parse_item(p, 0);
	if (first == NULL)
		return NULL;
	skip_ws(p);
	if (peek(p) == ')') {
		p->i++;
		return first;           /* parenthesised, not a tuple */
	}
	if (peek(p) != ',') {
		char got[64];

		fail(p, p->i, "expected ',' or ')' after an item, got %s",
		    token(p, p->i, got, sizeof(got)));
		cJSON_Delete(first);
		return NULL;
	}
	return parse_sequence(p, ')', first);
}

/* A dict key as JSON wants it: a string (json.dumps turns ints, bools and
 * None into strings the same way). */
static int
key_text(struct parser *p, const cJSON *key, size_t at, char *out, size_t size)
{
	if (cJSON_IsString(key)) {
		return 0;
	} else if (cJSON_IsNumber(key) && key->valuedouble == floor(key->valuedouble)) {
		snprintf(out, size, "%.0f", key->valuedouble);
	} else if (cJSON_IsBool(key)) {
		snprintf(out, size, "%s", cJSON_IsTrue(key) ? "true" : "false");
	} else if (cJSON_IsNull(key)) {
		snprintf(out, size, "null");
	} else {
		return fail(p, at, "dict keys must be strings, got %s",
		    cJSON_IsNumber(key) ? "a float" : cJSON_IsArray(key) ? "a list" :
		    "a dict");
	}
	return 1;
}

static cJSON *
parse_dict(struct parser *p)
{
	cJSON *obj = NULL, *key = NULL, *val = NULL;
	int idx = 0;
	char got[64];

	p->i++;
	skip_ws(p);
	if (peek(p) == '}') {
		p->i++;
		return (obj = cJSON_CreateObject()) != NULL ? obj : nomem(p);
	}
	for (;;) {
		char num[32];
		const char *name;
		size_t at;
		int r;

		skip_ws(p);
		if (obj != NULL && peek(p) == '}') {
			p->i++;
			return obj;
		}
		at = p->i;
		key = parse_item(p, idx);
		if (key == NULL)
			goto fail;
		skip_ws(p);
		if (obj == NULL && (peek(p) == ',' || peek(p) == '}'))
			return parse_sequence(p, '}', key);     /* a set */
		if (peek(p) != ':') {
			fail(p, p->i, "expected ':' after a dict key, got %s",
			    token(p, p->i, got, sizeof(got)));
			goto fail;
		}
		p->i++;
		if (obj == NULL && (obj = cJSON_CreateObject()) == NULL) {
			nomem(p);
			goto fail;
		}
		r = key_text(p, key, at, num, sizeof(num));
		if (r < 0)
			goto fail;
		name = r ? num : key->valuestring;
		val = parse_item(p, idx++);
		if (val == NULL)
			goto fail;
		/* A repeated key keeps its place and takes the last value. */
		if (cJSON_GetObjectItemCaseSensitive(obj, name) != NULL ?
		    !cJSON_ReplaceItemInObjectCaseSensitive(obj, name, val) :
		    !cJSON_AddItemToObject(obj, name, val)) {
			nomem(p);
			goto fail;
		}
		val = NULL;
		cJSON_Delete(key);
		key = NULL;
		skip_ws(p);
		if (peek(p) == ',') {
			p->i++;
			continue;
		}
		if (peek(p) == '}') {
			p->i++;
			return obj;
		}
		fail(p, p->i, "expected ',' or '}' after a dict value, got %s",
		    token(p, p->i, got, sizeof(got)));
		goto fail;
	}
fail:
	cJSON_Delete(val);
	cJSON_Delete(key);
	cJSON_Delete(obj);
	return NULL;
}

static int
path_is_wanted(const struct parser *p)
{
	return p->want != NULL && !p->found && p->plen == p->want_len &&
	    memcmp(p->path, p->want, (size_t)p->plen * sizeof(int)) == 0;
}

static cJSON *
parse_value(struct parser *p)
{
	cJSON *v;
	char got[64];
	int c;

	skip_ws(p);
	if (path_is_wanted(p)) {
		p->found = 1;
		p->found_at = p->i;
	}
	c = peek(p);
	switch (c) {
	case '[':
	case '(':
	case '{':
		if (enter(p) < 0)
			return NULL;
		if (c == '[') {
			p->i++;
			v = parse_sequence(p, ']', NULL);
		} else {
			v = c == '(' ? parse_tuple(p) : parse_dict(p);
		}
		p->depth--;
		return v;
	case '\'':
	case '"':
		return parse_strings(p);
	case '-':
	case '+':
	case '.':
		return parse_number(p);
	default:
		if (c >= '0' && c <= '9')
			return parse_number(p);
		if (c >= 0 && is_ident(c))
			return parse_name(p);
		fail(p, p->i, "expected a value, got %s", token(p, p->i, got, sizeof(got)));
		return NULL;
	}
}

static void
parser_init(struct parser *p, const char *text, size_t len, struct odf_error *err)
{
	memset(p, 0, sizeof(*p));
	p->s = text != NULL ? text : "";
	p->len = text != NULL ? len : 0;
	p->err = err;
}

/* One value filling the whole text. */
static cJSON *
parse_all(struct parser *p)
{
	const char *nul = memchr(p->s, '\0', p->len);
	cJSON *v;
	char got[64];

	if (nul != NULL) {
		fail(p, (size_t)(nul - p->s), "NUL byte in the text");
		return NULL;
	}
	v = parse_value(p);
	if (v == NULL)
		return NULL;
	skip_ws(p);
	if (p->i < p->len) {
		fail(p, p->i, "expected end of input after the value, got %s",
		    token(p, p->i, got, sizeof(got)));
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

int
odf_pyliteral_parse(const char *text, size_t len, unsigned flags, cJSON **out,
    struct odf_error *err)
{
	struct parser p;

	odf_error_clear(err);
	parser_init(&p, text, len, err);
	p.domain = (flags & ODF_PYLITERAL_TERMS) != 0;
	*out = parse_all(&p);
	return *out != NULL ? 0 : -1;
}

size_t
odf_pyliteral_locate(const char *text, const int *path, int plen)
{
	struct parser p;
	struct odf_error ignored;
	cJSON *v;

	parser_init(&p, text, strlen(text), &ignored);
	p.want = path;
	p.want_len = plen;
	v = parse_all(&p);
	cJSON_Delete(v);
	return p.found ? p.found_at : 0;
}

size_t
odf_pyliteral_skip_blank(const char *text)
{
	struct parser p;

	parser_init(&p, text, text != NULL ? strlen(text) : 0, NULL);
	skip_ws(&p);
	return p.i;
}

int
odf_pyliteral_fail_at(const char *text, size_t off, struct odf_error *err,
    const char *fmt, ...)
{
	struct parser p;
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	parser_init(&p, text, text != NULL ? strlen(text) : 0, err);
	return fail(&p, off, "%s", msg);
}
