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

/* The escape sequence at the cursor (a backslash): JSON's, and those
 * Python's repr() writes. */
static int
escape(struct parser *p, struct odf_buf *b)
{
	static const char simple[] = "\\\\''\"\"b\bf\fn\nr\rt\t//";
	size_t esc = p->i;
	const char *m;
	int c = esc + 1 < p->len ? (unsigned char)p->s[esc + 1] : -1;

	if (c == -1)
		return fail(p, esc, "unterminated string: input ends after '\\'");
	if (c == '\n' || c == '\r')
		return fail(p, esc, "a backslash before a line break is not accepted");
	if (c != '\0' && (m = strchr(simple, c)) != NULL && (m - simple) % 2 == 0) {
		p->i = esc + 2;
		return odf_buf_add(b, m + 1, 1, NULL) < 0 ? (nomem(p), -1) : 0;
	}
	/* Python reads these, differently from "kept as they are": refused. */
	if (c != '\0' && strchr("01234567avN", c) != NULL)
		return fail(p, esc, "escape '\\%c' is not accepted (use \\xNN or \\uNNNN)", c);
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
	/* Python keeps unknown escapes as they are, backslash included. */
	p->i = esc + 1;
	return odf_buf_add(b, "\\", 1, NULL) < 0 ? (nomem(p), -1) : 0;
}

/* The quoted string at the cursor, in ' or ". */
static cJSON *
parse_string(struct parser *p)
{
	struct odf_buf b = ODF_BUF_INIT;
	size_t start = p->i;
	char q = p->s[p->i++];
	cJSON *v;

	for (;;) {
		const unsigned char *c = (const unsigned char *)p->s + p->i;
		size_t n;

		if (p->i >= p->len) {
			fail(p, start, "unterminated string");
			goto fail;
		}
		if (*c == (unsigned char)q) {
			p->i++;
			break;
		}
		if (*c == '\n') {
			fail(p, start, "unterminated string (a newline before the closing quote)");
			goto fail;
		}
		if (*c == '\\') {
			if (escape(p, &b) < 0)
				goto fail;
			continue;
		}
		n = odf_utf8_len((const char *)c, p->len - p->i);
		if (n == 0) {
			fail(p, p->i, "invalid UTF-8 byte 0x%02X in a string", *c);
			goto fail;
		}
		if (odf_buf_add(&b, p->s + p->i, n, NULL) < 0) {
			nomem(p);
			goto fail;
		}
		p->i += n;
	}
	v = cJSON_CreateString(b.data ? b.data : "");
	odf_buf_release(&b);
	return v ? v : nomem(p);
fail:
	odf_buf_release(&b);
	return NULL;
}

/* Decimal digits at the cursor, appended to out. Returns their count, or
 * -2 when out is full. */
static int
digits(struct parser *p, char *out, size_t *n)
{
	int count = 0;

	while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9') {
		if (*n + 1 >= NUMBER_MAX)
			return -2;
		out[(*n)++] = p->s[p->i++];
		count++;
	}
	out[*n] = '\0';
	return count;
}

static cJSON *
make_int(struct parser *p, size_t start, size_t text, const char *sign, const char *num,
    int neg)
{
	unsigned long long v = 0;
	const char *c;
	cJSON *v_json;

	for (c = num; *c != '\0'; c++) {
		v = v * 10 + (unsigned)(*c - '0');
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
	int neg = 0, is_float = 0, r;
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
	r = digits(p, num, &n);
	if (r == -2)
		goto too_long;
	if (peek(p) == '.') {
		int frac;

		is_float = 1;
		num[n++] = '.';
		p->i++;
		frac = digits(p, num, &n);
		if (frac == -2)
			goto too_long;
		if (frac == 0 && r == 0)
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
		r = digits(p, num, &n);
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
		return make_int(p, start, text, sign, num, neg);
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

/* True, False, None (and JSON's true, false, null). */
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
	cJSON *v;

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
	if (n < p->len && (p->s[n] == '\'' || p->s[n] == '"') && n - start <= 2) {
		fail(p, start, "string prefixes such as %.*s'' are not accepted",
		    (int)(n - start), p->s + start);
		return NULL;
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
	const char *what = p->domain && p->plen == 0 && close == ']' ? "a term" : "an item";
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
	size_t open = p->i;
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
		if (obj == NULL && (peek(p) == ',' || peek(p) == '}')) {
			fail(p, open, "sets are not accepted: write a list [...]");
			goto fail;
		}
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
		return parse_string(p);
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
