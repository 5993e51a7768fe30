/*
 * The JSON-RPC envelope and error parsing, fed with the responses of a real
 * Odoo 17 (../shared/odoo-wire, or $ODF_WIRE_DIR), and the retry policy.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/rpc.h"
#include "unit.h"

static const char *
wire_dir(void)
{
	const char *d = getenv("ODF_WIRE_DIR");

	return d != NULL ? d : "../shared/odoo-wire";
}

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
		}
	}
	fclose(f);
	return buf;
}

/* The first line of Odoo's message, as odf reports it. */
static void
first_line(char *dst, size_t size, const char *s)
{
	size_t n = strcspn(s, "\n");

	snprintf(dst, size, "%.*s", (int)n, s);
}

/* Each recorded answer: a result parses to the same JSON, an error to the
 * same exception name and message. */
UNIT_TEST(every_recorded_response_parses)
{
	DIR *d = opendir(wire_dir());
	struct dirent *e;
	char path[1024], want[1024];
	int files = 0, errors = 0;

	CHECK(d != NULL);
	if (d == NULL) {
		printf("# no transcripts at %s (set ODF_WIRE_DIR)\n", wire_dir());
		return;
	}
	while ((e = readdir(d)) != NULL) {
		cJSON *doc, *raw, *expect, *result, *error;
		struct odf_error err;
		char *text;

		if (strncmp(e->d_name, "17.0-", 5) != 0 || strstr(e->d_name, ".json") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", wire_dir(), e->d_name);
		text = read_file(path);
		doc = text ? cJSON_Parse(text) : NULL;
		raw = cJSON_GetObjectItem(doc, "response_raw");
		expect = cJSON_GetObjectItem(doc, "response");
		if (!cJSON_IsString(raw) || expect == NULL) {
			cJSON_Delete(doc);
			free(text);
			continue;       /* throughput figures, not a call */
		}
		files++;
		odf_error_clear(&err);
		result = odf_rpc_parse_response(raw->valuestring, strlen(raw->valuestring), &err);
		error = cJSON_GetObjectItem(expect, "error");
		if (error != NULL) {
			cJSON *data = cJSON_GetObjectItem(error, "data");

			errors++;
			CHECK(result == NULL);
			CHECK_STR(err.name, cJSON_GetStringValue(cJSON_GetObjectItem(data, "name")));
			first_line(want, sizeof(want),
			    cJSON_GetStringValue(cJSON_GetObjectItem(data, "message")));
			CHECK_STR(err.message, want);
			CHECK(err.code == ODF_E_ODOO || err.code == ODF_E_AUTH);
			if (result != NULL || strcmp(err.message, want) != 0)
				printf("# in %s\n", e->d_name);
		} else {
			CHECK(result != NULL);
			CHECK(cJSON_Compare(result, cJSON_GetObjectItem(expect, "result"), 1));
		}
		cJSON_Delete(result);
		cJSON_Delete(doc);
		free(text);
	}
	closedir(d);
	printf("# %d transcripts, %d errors\n", files, errors);
	CHECK(files >= 50);
	CHECK(errors >= 10);
}

static void
parse_error(const char *body, struct odf_error *err)
{
	cJSON *r;

	odf_error_clear(err);
	r = odf_rpc_parse_response(body, strlen(body), err);
	CHECK(r == NULL);
	cJSON_Delete(r);
}

UNIT_TEST(access_denied_is_an_auth_error)
{
	struct odf_error err;

	parse_error("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":200,\"message\":"
	    "\"Odoo Server Error\",\"data\":{\"name\":\"odoo.exceptions.AccessDenied\","
	    "\"debug\":\"Traceback (most recent call last):\\n  x\\nodoo.exceptions.AccessDenied: "
	    "Access Denied\\n\",\"message\":\"Access Denied\",\"arguments\":[\"Access Denied\"]}}}",
	    &err);
	CHECK_INT(err.code, ODF_E_AUTH);
	CHECK_STR(err.message, "Access Denied");
	CHECK_INT(odf_error_is_transient(&err), 0);
}

UNIT_TEST(traceback_last_line_is_the_detail)
{
	struct odf_error err;

	parse_error("{\"error\":{\"code\":200,\"message\":\"Odoo Server Error\",\"data\":"
	    "{\"name\":\"builtins.KeyError\",\"debug\":\"Traceback (most recent call last):\\n"
	    "  File x\\nKeyError: 'no_such_field'\\n\",\"message\":\"no_such_field\"}}}", &err);
	CHECK_INT(err.code, ODF_E_ODOO);
	CHECK_STR(err.name, "builtins.KeyError");
	CHECK_STR(err.message, "no_such_field");
	CHECK_STR(err.detail, "KeyError: 'no_such_field'");
}

UNIT_TEST(serialization_failure_is_transient)
{
	struct odf_error err;

	parse_error("{\"error\":{\"code\":200,\"message\":\"Odoo Server Error\",\"data\":"
	    "{\"name\":\"psycopg2.errors.SerializationFailure\",\"message\":"
	    "\"could not serialize access due to concurrent update\\n\"}}}", &err);
	CHECK_INT(err.code, ODF_E_ODOO);
	CHECK_INT(odf_error_is_transient(&err), 1);
}

UNIT_TEST(json2_error_object_is_understood)
{
	struct odf_error err;
	cJSON *body = cJSON_Parse("{\"name\":\"werkzeug.exceptions.Unauthorized\","
	    "\"message\":\"Invalid apikey\",\"arguments\":[\"Invalid apikey\",401],\"context\":{}}");

	odf_rpc_error_from_odoo(body, &err);
	CHECK_INT(err.code, ODF_E_AUTH);
	CHECK_STR(err.message, "Invalid apikey");
	cJSON_Delete(body);
}

UNIT_TEST(malformed_answers_are_protocol_errors)
{
	static const char *const bodies[] = {
		"", "<html>502 Bad Gateway</html>", "[1,2]", "{\"jsonrpc\":\"2.0\",\"id\":1}",
		"{\"result\": [1,", "null",
	};
	size_t i;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct odf_error err;

		parse_error(bodies[i], &err);
		CHECK_INT(err.code, ODF_E_PROTOCOL);
	}
}

UNIT_TEST(transient_errors_are_classified)
{
	static const struct {
		enum odf_error_code code;
		int status, transient;
	} cases[] = {
		{ ODF_E_CONNECT, 0, 1 }, { ODF_E_TIMEOUT, 0, 1 }, { ODF_E_RESOLVE, 0, 0 },
		{ ODF_E_HTTP, 502, 1 }, { ODF_E_HTTP, 503, 1 }, { ODF_E_HTTP, 504, 1 },
		{ ODF_E_HTTP, 429, 1 }, { ODF_E_HTTP, 500, 0 }, { ODF_E_HTTP, 404, 0 },
		{ ODF_E_TLS, 0, 0 }, { ODF_E_AUTH, 0, 0 }, { ODF_E_ODOO, 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct odf_error err;

		odf_error_set(&err, cases[i].code, "x");
		err.http_status = cases[i].status;
		CHECK_INT(odf_error_is_transient(&err), cases[i].transient);
	}
}

UNIT_TEST(retry_delays_grow_and_stay_bounded)
{
	struct odf_retry_policy p = { 6, 0.5, 4.0, 60.0 };

	/* Half fixed, half jitter: between d/2 and d. */
	CHECK(odf_retry_delay(&p, 2, 0.0) == 0.25);
	CHECK(odf_retry_delay(&p, 2, 0.999) < 0.5);
	CHECK(odf_retry_delay(&p, 3, 0.0) == 0.5);
	CHECK(odf_retry_delay(&p, 4, 0.0) == 1.0);
	CHECK(odf_retry_delay(&p, 5, 0.0) == 2.0);
	CHECK(odf_retry_delay(&p, 9, 0.0) == 2.0);
	CHECK(odf_retry_delay(&p, 60, 0.999) <= 4.0);
}

int
main(void)
{
	RUN(every_recorded_response_parses);
	RUN(access_denied_is_an_auth_error);
	RUN(traceback_last_line_is_the_detail);
	RUN(serialization_failure_is_transient);
	RUN(json2_error_object_is_understood);
	RUN(malformed_answers_are_protocol_errors);
	RUN(transient_errors_are_classified);
	RUN(retry_delays_grow_and_stay_bounded);
	return unit_done();
}
