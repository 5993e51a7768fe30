/*
 * The JSON-RPC envelope and error parsing, fed with the responses of a real
 * Odoo 17 (../shared/odoo-wire, or $ODF_WIRE_DIR), the mapping of Odoo
 * 19's JSON-2 answers (the 19.0-json2 transcripts), and the retry policy.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/rpc.h"
#include "unit.h"

/* $ODF_WIRE_DIR, or shared/odoo-wire beside the checkout, or beside its
 * parent (a git worktree under wt/). */
static const char *
wire_dir(void)
{
	const char *d = getenv("ODF_WIRE_DIR");
	DIR *probe;

	if (d != NULL)
		return d;
	if ((probe = opendir("../shared/odoo-wire")) != NULL) {
		closedir(probe);
		return "../shared/odoo-wire";
	}
	return "../../shared/odoo-wire";
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

	/* The recordings live in the project's shared/ beside the checkout,
	 * which a clone alone does not have. */
	if (d == NULL)
		UNIT_SKIP("no transcripts beside the checkout (set ODF_WIRE_DIR)");
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

/* What odf makes of each recorded JSON-2 error: code and message. */
static const struct {
	const char *name;
	enum odf_error_code code;
	const char *message;
} json2_errors[] = {
	{ "12_wrong_key", ODF_E_AUTH, "API key refused: Invalid apikey (check the API "
	    "key given as password of the connection file)" },
	{ "12b_no_authorization_header", ODF_E_AUTH, "API key refused: User not "
	    "authenticated, use an API Key with a Bearer Authorization header. (check the "
	    "API key given as password of the connection file)" },
	{ "13_unknown_model", ODF_E_USAGE, "unknown model 'res.nonexistent'" },
	{ "14_unknown_method", ODF_E_USAGE,
	    "model 'res.partner' has no method 'no_such_method' on this server" },
	{ "14b_private_method", ODF_E_AUTH,
	    "Private methods (such as 'res.partner._read_format') cannot be called remotely." },
	{ "15_bad_domain_unknown_field", ODF_E_ODOO,
	    "Invalid field res.partner.no_such_field in condition ('no_such_field', '=', 1)" },
	{ "15b_bad_domain_operator", ODF_E_ODOO,
	    "Invalid operator in condition ('name', 'bogus_op', 'x')" },
	{ "15c_bad_domain_not_a_list", ODF_E_ODOO,
	    "Domain() invalid argument type for domain: 'not a domain'" },
	{ "16_unexpected_kwarg", ODF_E_ODOO,
	    "BaseModel._read_format() got an unexpected keyword argument 'domian'" },
	{ "16b_ids_on_model_method", ODF_E_ODOO, "cannot call res.partner.create with ids" },
	{ "16c_unexpected_kwarg_strict_signature", ODF_E_ODOO,
	    "missing a required argument: 'domain'" },
	{ "17_validation_error", ODF_E_ODOO, "You cannot create recursive Partner hierarchies." },
	{ "17b_missing_record", ODF_E_ODOO, "Record does not exist or has been deleted." },
	{ "18c_context_get_no_body_no_content_type", ODF_E_PROTOCOL,
	    "HTTP 415: the server did not take the request as JSON" },
	{ "19c_json2_root", ODF_E_PROTOCOL,
	    "JSON-2 call refused: Did you mean POST /json/2/<model>/<method>?" },
	{ "20b_unknown_db_header", ODF_E_CONFIG, "the server has no such database "
	    "(check 'database' in the connection file)" },
	{ "21_get_no_content_type", ODF_E_PROTOCOL,
	    "HTTP 415: the server did not take the request as JSON" },
	{ "21b_get_with_json_content_type", ODF_E_PROTOCOL,
	    "JSON-2 call refused: Did you mean POST /json/2/<model>/<method>?" },
	{ "22_malformed_json_body", ODF_E_ODOO, "could not parse the body as json: "
	    "Expecting value: line 1 column 13 (char 12)" },
	{ "23_wrong_content_type", ODF_E_PROTOCOL,
	    "HTTP 415: the server did not take the request as JSON" },
};

/* "/json/2/res.partner/read" -> model and method (empty when absent). */
static void
split_path(const char *path, char *model, char *method, size_t size)
{
	const char *m = strncmp(path, "/json/2/", 8) == 0 ? path + 8 : "";
	const char *slash = strchr(m, '/');

	snprintf(model, size, "%.*s", (int)(slash != NULL ? slash - m : 0), m);
	snprintf(method, size, "%s", slash != NULL ? slash + 1 : "");
}

/* Each recorded JSON-2 answer, status and body: a 200 parses to the
 * recorded value, an error to the code and message of the table. */
UNIT_TEST(every_json2_answer_is_mapped)
{
	DIR *d = opendir(wire_dir());
	struct dirent *e;
	char path[1024], model[256], method[256];
	int files = 0, mapped = 0;

	if (d == NULL)
		UNIT_SKIP("no transcripts beside the checkout (set ODF_WIRE_DIR)");
	while ((e = readdir(d)) != NULL) {
		cJSON *doc, *resp, *req, *want, *result;
		const char *name, *text_body;
		struct odf_error err;
		char *text, *body;
		long status;
		size_t i;

		if (strncmp(e->d_name, "19.0-json2-", 11) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", wire_dir(), e->d_name);
		text = read_file(path);
		doc = text ? cJSON_Parse(text) : NULL;
		CHECK(doc != NULL);
		name = cJSON_GetStringValue(cJSON_GetObjectItem(doc, "name"));
		req = cJSON_GetObjectItem(doc, "request");
		resp = cJSON_GetObjectItem(doc, "response");
		want = cJSON_GetObjectItem(resp, "body_json");
		text_body = cJSON_GetStringValue(cJSON_GetObjectItem(resp, "body_text"));
		status = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(resp, "status"));
		body = cJSON_IsNull(want) || want == NULL ? strdup(text_body ? text_body : "") :
		    cJSON_PrintUnformatted(want);
		split_path(cJSON_GetStringValue(cJSON_GetObjectItem(req, "path")), model, method,
		    sizeof(model));
		files++;
		odf_error_clear(&err);
		result = odf_rpc_parse_json2(status, body, strlen(body), model[0] ? model : NULL,
		    method[0] ? method : NULL, &err);
		if (status == 200) {
			CHECK(result != NULL && cJSON_Compare(result, want, 1));
		} else {
			CHECK(result == NULL);
			CHECK_INT(err.http_status, status);
			CHECK_INT(odf_error_is_transient(&err), 0);
			CHECK_INT(odf_error_is_credentials(&err), status == 401);
			for (i = 0; i < sizeof(json2_errors) / sizeof(json2_errors[0]); i++)
				if (strcmp(json2_errors[i].name, name) == 0)
					break;
			CHECK(i < sizeof(json2_errors) / sizeof(json2_errors[0]));
			if (i < sizeof(json2_errors) / sizeof(json2_errors[0])) {
				mapped++;
				CHECK_INT(err.code, json2_errors[i].code);
				CHECK_STR(err.message, json2_errors[i].message);
				if (err.code != json2_errors[i].code ||
				    strcmp(err.message, json2_errors[i].message) != 0)
					printf("# in %s\n", e->d_name);
			}
		}
		cJSON_Delete(result);
		cJSON_free(body);
		cJSON_Delete(doc);
		free(text);
	}
	closedir(d);
	printf("# %d JSON-2 transcripts, %d errors\n", files, mapped);
	CHECK(files >= 47);
	CHECK_INT(mapped, (long long)(sizeof(json2_errors) / sizeof(json2_errors[0])));
}

/* Answers the transcripts do not hold: proxies, faults, odd bodies. */
UNIT_TEST(json2_statuses_without_odoo_errors)
{
	static const struct {
		long status;
		const char *body;
		enum odf_error_code code;
		int transient;
		const char *message;
	} cases[] = {
		{ 502, "<html>502 Bad Gateway</html>", ODF_E_HTTP, 1, "HTTP 502" },
		{ 503, "", ODF_E_HTTP, 1, "HTTP 503" },
		{ 504, "<html>Gateway Timeout</html>", ODF_E_HTTP, 1, "HTTP 504" },
		{ 429, "", ODF_E_HTTP, 1, "HTTP 429" },
		/* a proxy's JSON is not Odoo's: still a gateway error */
		{ 503, "{\"name\":\"x\",\"message\":\"busy\"}", ODF_E_HTTP, 1, "HTTP 503" },
		{ 500, "<html>Internal Server Error</html>", ODF_E_HTTP, 0, "HTTP 500" },
		{ 400, "bad", ODF_E_HTTP, 0, "HTTP 400" },
		{ 404, "<html>nginx</html>", ODF_E_HTTP, 0, "HTTP 404 at /json/2/res.partner/"
		    "search: is this an Odoo server of version 19 or later?" },
		{ 200, "<html>", ODF_E_PROTOCOL, 0, "the answer is not JSON" },
		{ 500, "{\"name\":\"psycopg2.errors.SerializationFailure\",\"message\":"
		    "\"could not serialize access due to concurrent update\\n\"}", ODF_E_ODOO, 1,
		    "could not serialize access due to concurrent update" },
		{ 422, "{\"name\":\"odoo.exceptions.UserError\",\"message\":\"line one\\nline two\","
		    "\"debug\":\"Traceback\\nodoo.exceptions.UserError: line one\"}", ODF_E_ODOO, 0,
		    "line one" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct odf_error err;
		cJSON *r;

		odf_error_clear(&err);
		r = odf_rpc_parse_json2(cases[i].status, cases[i].body, strlen(cases[i].body),
		    "res.partner", "search", &err);
		CHECK(r == NULL);
		cJSON_Delete(r);
		CHECK_INT(err.code, cases[i].code);
		CHECK_INT(odf_error_is_transient(&err), cases[i].transient);
		CHECK_STR(err.message, cases[i].message);
		CHECK_INT(err.http_status, cases[i].status == 200 ? 0 : cases[i].status);
	}
}

/* A body that is not NUL-terminated is read within its length. */
UNIT_TEST(json2_body_is_read_within_its_length)
{
	const char body[] = "{\"name\":\"odoo.exceptions.AccessError\",\"message\":\"no\"}XXXX";
	struct odf_error err;

	CHECK(odf_rpc_parse_json2(403, body, sizeof(body) - 5, NULL, NULL, &err) == NULL);
	CHECK_INT(err.code, ODF_E_AUTH);
	CHECK_STR(err.message, "no");
	CHECK(odf_rpc_parse_json2(404, "No database is selected", 10, NULL, NULL, &err) == NULL);
	CHECK_INT(err.code, ODF_E_HTTP);
	CHECK_STR(err.message, "HTTP 404 at /json/version: is this an Odoo server of version 19 "
	    "or later?");
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
	CHECK_INT(odf_error_is_credentials(&err), 1);
}

/* A record rule's refusal is about records, not who is asking. */
UNIT_TEST(access_error_is_not_a_credentials_refusal)
{
	struct odf_error err;

	parse_error("{\"error\":{\"code\":200,\"message\":\"Odoo Server Error\",\"data\":"
	    "{\"name\":\"odoo.exceptions.AccessError\",\"message\":\"You are not allowed to "
	    "modify 'Contact' (res.partner) records.\"}}}", &err);
	CHECK_INT(err.code, ODF_E_AUTH);
	CHECK_INT(odf_error_is_credentials(&err), 0);
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
	RUN(access_error_is_not_a_credentials_refusal);
	RUN(traceback_last_line_is_the_detail);
	RUN(serialization_failure_is_transient);
	RUN(json2_error_object_is_understood);
	RUN(malformed_answers_are_protocol_errors);
	RUN(transient_errors_are_classified);
	RUN(retry_delays_grow_and_stay_bounded);
	RUN(every_json2_answer_is_mapped);
	RUN(json2_statuses_without_odoo_errors);
	RUN(json2_body_is_read_within_its_length);
	return unit_done();
}
