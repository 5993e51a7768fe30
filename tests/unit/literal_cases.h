/*
 * Tables of text in, JSON or message out, for the literal, domain and
 * context parsers (test_pyliteral.c, test_domain.c).
 */
#ifndef ODF_LITERAL_CASES_H
#define ODF_LITERAL_CASES_H

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "odf/domain.h"
#include "odf/pyliteral.h"
#include "unit.h"

struct good {
	const char *text;
	const char *json;       /* cJSON_PrintUnformatted of the result */
};

struct bad {
	const char *text;
	const char *message;
};

enum kind { LITERAL, DOMAIN, CONTEXT };

static inline int
parse(enum kind kind, const char *text, cJSON **out, struct odf_error *err)
{
	switch (kind) {
	case DOMAIN:  return odf_domain_parse(text, out, err);
	case CONTEXT: return odf_context_parse(text, out, err);
	default:      return odf_pyliteral_parse(text, strlen(text), 0, out, err);
	}
}

static inline void
check_good(enum kind kind, const struct good *t, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		struct odf_error err;
		cJSON *v = NULL;
		char *json;

		if (parse(kind, t[k].text, &v, &err) != 0) {
			printf("# %s\n#   error: %s\n", t[k].text, err.message);
			unit_case_failed = 1;
			continue;
		}
		json = cJSON_PrintUnformatted(v);
		CHECK(json != NULL);
		if (json != NULL && strcmp(json, t[k].json) != 0) {
			printf("# %s\n#   got  %s\n#   want %s\n", t[k].text, json, t[k].json);
			unit_case_failed = 1;
		}
		free(json);
		cJSON_Delete(v);
	}
}

static inline void
check_bad(enum kind kind, const struct bad *t, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		struct odf_error err;
		cJSON *v = (cJSON *)&err;       /* must come back NULL */

		if (parse(kind, t[k].text, &v, &err) == 0) {
			printf("# %s\n#   parsed, want error: %s\n", t[k].text, t[k].message);
			unit_case_failed = 1;
			cJSON_Delete(v);
			continue;
		}
		CHECK(v == NULL);
		CHECK_INT(err.code, ODF_E_DATA);
		if (strcmp(err.message, t[k].message) != 0) {
			printf("# %s\n#   got  %s\n#   want %s\n", t[k].text, err.message,
			    t[k].message);
			unit_case_failed = 1;
		}
	}
}

#define GOOD(kind, table) check_good(kind, table, sizeof(table) / sizeof(table[0]))
#define BAD(kind, table) check_bad(kind, table, sizeof(table) / sizeof(table[0]))

#endif
