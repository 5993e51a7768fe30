/*
 * The Python-literal parser behind --domain and --context (lib/domain.c),
 * whole and through its _len variant, and the domain and context checks.
 * What parses must print as JSON that parses again (JSON is accepted
 * input) to the same value: the round trip odf-export relies on when it
 * sends a user's domain to Odoo.
 */
#include <cjson/cJSON.h>

#include "fuzz.h"
#include "odf/domain.h"

typedef int domain_parse_fn(const char *, cJSON **, struct odf_error *);

/* v printed and parsed again by parse gives the same text. v is freed. */
static void
domain_round_trip(cJSON *v, domain_parse_fn *parse)
{
	struct odf_error err;
	char *text = cJSON_PrintUnformatted(v);
	cJSON *again = NULL;

	FUZZ_ASSERT(text != NULL);
	if (parse(text, &again, &err) != 0) {
		/* A whole float of 16 digits or more prints as an integer,
		 * which the parser refuses as such: cJSON's way, harmless. */
		FUZZ_ASSERT(strstr(err.message, "is too large") != NULL);
		cJSON_free(text);
		cJSON_Delete(v);
		return;
	}
	/* Compared as values: -0.0 prints as -0, which reads back as 0. */
	FUZZ_ASSERT(cJSON_Compare(v, again, 1));
	cJSON_free(text);
	cJSON_Delete(again);
	cJSON_Delete(v);
}

/* One parser on text: on success the value has the promised kind and
 * survives the round trip; on failure out is NULL and err set. */
static void
domain_try(const char *text, domain_parse_fn *parse, int kind)
{
	static cJSON unset;
	struct odf_error err;
	cJSON *v = &unset;              /* must be set to NULL on failure */

	if (parse(text, &v, &err) != 0) {
		FUZZ_ASSERT(v == NULL);
		fuzz_check_error(&err);
		FUZZ_ASSERT(err.code == ODF_E_DATA || err.code == ODF_E_NOMEM);
		return;
	}
	FUZZ_ASSERT(v != NULL);
	FUZZ_ASSERT(kind == 0 || (v->type & 0xff) == kind);
	domain_round_trip(v, parse);
}

/* A whole literal of NUL-terminated text. */
static int
literal_parse(const char *text, cJSON **out, struct odf_error *err)
{
	return odf_pyliteral_parse(text, strlen(text), 0, out, err);
}

FUZZ_TARGET(domain)(const uint8_t *data, size_t size)
{
	struct odf_error err;
	char *text = fuzz_strndup(data, size);
	cJSON *v = NULL;
	int rc;

	if (text == NULL)
		return 0;
	/* Not NUL-terminated: a copy with no byte after it, so that ASan
	 * sees any read past the end. */
	{
		char *exact = malloc(size ? size : 1);

		if (exact != NULL) {
			memcpy(exact, data, size);
			rc = odf_pyliteral_parse(exact, size, 0, &v, &err);
			if (rc == 0) {
				FUZZ_ASSERT(memchr(data, '\0', size) == NULL);
				domain_round_trip(v, literal_parse);
			} else {
				FUZZ_ASSERT(v == NULL);
				fuzz_check_error(&err);
			}
			free(exact);
		}
	}
	domain_try(text, literal_parse, 0);
	domain_try(text, odf_domain_parse, cJSON_Array);
	domain_try(text, odf_context_parse, cJSON_Object);
	free(text);
	return 0;
}
