/*
 * Domains and contexts (include/odf/domain.h): parsed as Python literals
 * (pyliteral.h), then checked on the finished tree; when a check fails, the
 * text is parsed again to find where the faulty element starts, so the
 * happy path keeps no positions.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "odf/domain.h"
#include "odf/pyliteral.h"

/* Empty text, or only blanks and comments. */
static int
is_blank(const char *text)
{
	return text == NULL || text[odf_pyliteral_skip_blank(text)] == '\0';
}

static const char *const term_operators[] = {
	"=", "!=", "<>", "<", "<=", ">", ">=", "=?", "in", "not in", "like",
	"not like", "ilike", "not ilike", "=like", "=ilike", "child_of",
	"parent_of", "any", "not any",
};
#define OPERATORS_TEXT "=, !=, <>, <, <=, >, >=, =?, in, not in, like, " \
	"not like, ilike, not ilike, =like, =ilike, child_of, parent_of, any, not any"

/* A finding of check_domain: the path of the faulty element and why. */
struct finding {
	int path[ODF_PYLITERAL_MAX_DEPTH + 2];
	int plen;
	char msg[768];
};

static int
is_term_operator(const cJSON *v)
{
	size_t k;

	if (!cJSON_IsString(v))
		return 0;
	for (k = 0; k < sizeof(term_operators) / sizeof(term_operators[0]); k++)
		if (strcmp(v->valuestring, term_operators[k]) == 0)
			return 1;
	return 0;
}

/* The known operator that s spells in other case ("IN"), or NULL: Odoo
 * compares operators case-sensitively. */
static const char *
lowercase_operator(const char *s)
{
	size_t k, n;

	for (k = 0; k < sizeof(term_operators) / sizeof(term_operators[0]); k++) {
		const char *op = term_operators[k];

		for (n = 0; s[n] != '\0' && op[n] != '\0'; n++)
			if (s[n] != op[n] && (s[n] < 'A' || s[n] > 'Z' || s[n] + 32 != op[n]))
				break;
		if (s[n] == '\0' && op[n] == '\0')
			return op;
	}
	return NULL;
}

/* Arity of a logical operator, 0 when v is not one. */
static int
arity(const cJSON *v)
{
	if (!cJSON_IsString(v))
		return 0;
	if (strcmp(v->valuestring, "!") == 0)
		return 1;
	if (strcmp(v->valuestring, "&") == 0 || strcmp(v->valuestring, "|") == 0)
		return 2;
	return 0;
}

/* A value as a Python user would name it in a message. */
static const char *
describe(const cJSON *v, char *out, size_t size)
{
	if (cJSON_IsString(v)) {
		const unsigned char *s = (const unsigned char *)v->valuestring;
		size_t n, o = 1;

		/* Control characters escaped, so that the message stays one
		 * line; cut at a character boundary. */
		out[0] = '\'';
		for (n = 0; s[n] != '\0'; n++) {
			if (o + 5 > size ||
			    ((s[n] & 0xC0) != 0x80 && (n >= 40 || o + 9 > size)))
				break;
			if (s[n] < 0x20 || s[n] == 0x7F)
				o += (size_t)snprintf(out + o, size - o, "\\x%02x", s[n]);
			else
				out[o++] = (char)s[n];
		}
		snprintf(out + o, size - o, "%s'", s[n] != '\0' ? "..." : "");
		return out;
	}
	return cJSON_IsNumber(v) ? "a number" : cJSON_IsTrue(v) ? "True" :
	    cJSON_IsFalse(v) ? "False" : cJSON_IsNull(v) ? "None" :
	    cJSON_IsArray(v) ? "a list" : "a dict";
}

static int
found(struct finding *f, int plen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
found(struct finding *f, int plen, const char *fmt, ...)
{
	va_list ap;

	f->plen = plen;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* Odoo's TRUE_LEAF (1, '=', 1) and FALSE_LEAF (0, '=', 1). */
static int
is_constant_leaf(const cJSON *term)
{
	const cJSON *a = cJSON_GetArrayItem(term, 0), *op = cJSON_GetArrayItem(term, 1),
	    *b = cJSON_GetArrayItem(term, 2);

	return cJSON_IsNumber(a) && (a->valuedouble == 0 || a->valuedouble == 1) &&
	    cJSON_IsString(op) && strcmp(op->valuestring, "=") == 0 &&
	    cJSON_IsNumber(b) && b->valuedouble == 1;
}

static int check_domain(const cJSON *dom, struct finding *f, int plen);

static int
check_term(const cJSON *term, struct finding *f, int plen)
{
	const cJSON *field = cJSON_GetArrayItem(term, 0);
	const cJSON *op = cJSON_GetArrayItem(term, 1);
	const cJSON *value = cJSON_GetArrayItem(term, 2);
	int n = cJSON_GetArraySize(term);
	char d[64];

	if (n != 3)
		return found(f, plen, "a term has 3 items (field, operator, value), "
		    "this one has %d", n);
	if (is_constant_leaf(term))
		return 0;
	f->path[plen] = 0;
	if (!cJSON_IsString(field) || field->valuestring[0] == '\0')
		return found(f, plen + 1, "a term's field must be a non-empty string, "
		    "got %s", describe(field, d, sizeof(d)));
	f->path[plen] = 1;
	if (!cJSON_IsString(op))
		return found(f, plen + 1, "a term's operator must be a string, got %s",
		    describe(op, d, sizeof(d)));
	if (!is_term_operator(op)) {
		const char *lower = lowercase_operator(op->valuestring);

		if (lower != NULL)
			return found(f, plen + 1, "unknown operator %s (operators "
			    "are lowercase: '%s')", describe(op, d, sizeof(d)), lower);
		return found(f, plen + 1, "unknown operator %s (known: " OPERATORS_TEXT ")",
		    describe(op, d, sizeof(d)));
	}
	if (strcmp(op->valuestring, "any") == 0 || strcmp(op->valuestring, "not any") == 0) {
		f->path[plen] = 2;
		if (!cJSON_IsArray(value))
			return found(f, plen + 1, "the value of '%s' must be a domain "
			    "(a list), got %s", op->valuestring, describe(value, d, sizeof(d)));
		return check_domain(value, f, plen + 1);
	}
	return 0;
}

/*
 * Each element is an operator or a term; then the operators must have their
 * operands. Read right to left, prefix notation is a stack machine: an
 * operator takes its operands from the stack and leaves one expression, so
 * the first operator to find too few is the faulty one. What is left
 * (several expressions) is joined by '&', as Odoo does.
 */
static int
check_domain(const cJSON *dom, struct finding *f, int plen)
{
	const cJSON *el;
	int idx = 0, stack = 0, n = cJSON_GetArraySize(dom);
	char d[64];

	cJSON_ArrayForEach(el, dom) {
		f->path[plen] = idx++;
		if (arity(el) > 0)
			continue;
		if (cJSON_IsArray(el)) {
			if (check_term(el, f, plen + 1) < 0)
				return -1;
			continue;
		}
		if (cJSON_IsString(el))
			return found(f, plen + 1, "unknown logical operator %s "
			    "(expected '&', '|' or '!', or a term)", describe(el, d, sizeof(d)));
		return found(f, plen + 1, "expected a term (field, operator, value) "
		    "or '&', '|', '!', got %s", describe(el, d, sizeof(d)));
	}
	/* cJSON keeps the last item in child->prev and each item's
	 * predecessor in prev: walk back without rescanning. */
	for (el = dom->child ? dom->child->prev : NULL, idx = n - 1; el != NULL;
	    el = el == dom->child ? NULL : el->prev, idx--) {
		int k = arity(el);

		if (k == 0) {
			stack++;
			continue;
		}
		if (stack < k) {
			f->path[plen] = idx;
			return found(f, plen + 1, "operator '%s' needs %d operand%s, found %s",
			    el->valuestring, k, k > 1 ? "s" : "",
			    stack == 0 ? "none" : "1");
		}
		stack -= k - 1;
	}
	return 0;
}

/* Parse text as a domain's list or a context's dict; a value of another
 * type is an error naming it. */
static cJSON *
parse_typed(const char *text, int domain, struct odf_error *err)
{
	cJSON *v;

	if (odf_pyliteral_parse(text, strlen(text), domain ? ODF_PYLITERAL_TERMS : 0,
	    &v, err) != 0)
		return NULL;
	if (domain ? !cJSON_IsArray(v) : !cJSON_IsObject(v)) {
		char d[64];

		odf_pyliteral_fail_at(text, odf_pyliteral_skip_blank(text), err,
		    "expected a %s, got %s", domain ? "list of terms" : "dict",
		    describe(v, d, sizeof(d)));
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

int
odf_domain_uses_ids(const cJSON *domain)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, domain) {
		const char *field = cJSON_IsArray(t) ? cJSON_GetStringValue(t->child) : NULL;
		size_t n = field != NULL ? strlen(field) : 0;

		if (field == NULL)
			continue;
		if (strcmp(field, "id") == 0 || (n > 3 && strcmp(field + n - 3, ".id") == 0))
			return 1;
		if (cJSON_IsArray(cJSON_GetArrayItem(t, 2)) &&
		    odf_domain_uses_ids(cJSON_GetArrayItem(t, 2)))
			return 1;
	}
	return 0;
}

int
odf_domain_parse(const char *text, cJSON **out, struct odf_error *err)
{
	struct finding *f;
	cJSON *v;
	int bad;

	odf_error_clear(err);
	*out = NULL;
	if (is_blank(text)) {
		*out = cJSON_CreateArray();
		return *out != NULL ? 0 : odf_error_set(err, ODF_E_NOMEM, "out of memory");
	}
	v = parse_typed(text, 1, err);
	if (v == NULL) {
		odf_error_prefix(err, "domain");
		return -1;
	}
	f = malloc(sizeof(*f));
	if (f == NULL) {
		cJSON_Delete(v);
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	}
	if (cJSON_GetArraySize(v) == 3 && is_term_operator(cJSON_GetArrayItem(v, 1)) &&
	    cJSON_IsString(v->child) && arity(v->child) == 0)
		bad = found(f, 0, "a domain is a list of terms: put this term in [ ]");
	else
		bad = check_domain(v, f, 0);
	if (bad < 0) {
		odf_pyliteral_fail_at(text, odf_pyliteral_locate(text, f->path, f->plen), err,
		    "%s", f->msg);
		odf_error_prefix(err, "domain");
		cJSON_Delete(v);
		v = NULL;
	}
	free(f);
	*out = v;
	return v != NULL ? 0 : -1;
}

int
odf_context_parse(const char *text, cJSON **out, struct odf_error *err)
{
	odf_error_clear(err);
	*out = NULL;
	if (is_blank(text)) {
		*out = cJSON_CreateObject();
		return *out != NULL ? 0 : odf_error_set(err, ODF_E_NOMEM, "out of memory");
	}
	*out = parse_typed(text, 0, err);
	if (*out == NULL) {
		odf_error_prefix(err, "context");
		return -1;
	}
	return 0;
}
