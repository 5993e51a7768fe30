/*
 * What the server sends back (lib/rpc.c): a JSON-RPC response body into a
 * result or an error, Odoo's error object (the JSON-RPC envelope's
 * "error", or a JSON-2 error body) into struct odf_error, and a JSON-2
 * answer under each status odf tells apart. Any body must give one or the
 * other, with a one-line message, and never read past the bytes received
 * (the body is not NUL-terminated).
 */
#include <cjson/cJSON.h>

#include "fuzz.h"
#include "odf/rpc.h"

static void
rpc_check_odoo_error(const struct odf_error *err)
{
	fuzz_check_error(err);
	FUZZ_ASSERT(err->code == ODF_E_ODOO || err->code == ODF_E_AUTH);
	FUZZ_ASSERT(memchr(err->name, '\0', sizeof(err->name)) != NULL);
	FUZZ_ASSERT(memchr(err->detail, '\0', sizeof(err->detail)) != NULL);
	FUZZ_ASSERT(strchr(err->detail, '\n') == NULL);
}

/* The same body as a JSON-2 answer under status: a 200 gives a result, any
 * other status an error of the kinds rpc.h lists, carrying the status. */
static void
rpc_check_json2(long status, const char *body, size_t size)
{
	struct odf_error err;
	cJSON *result;

	odf_error_clear(&err);
	result = odf_rpc_parse_json2(status, body, size, "res.partner", "load", &err);
	if (result != NULL) {
		FUZZ_ASSERT(status == 200);
		cJSON_Delete(result);
		return;
	}
	fuzz_check_error(&err);
	FUZZ_ASSERT(err.http_status == (status == 200 ? 0 : status));
	FUZZ_ASSERT(err.code == ODF_E_PROTOCOL || err.code == ODF_E_ODOO ||
	    err.code == ODF_E_AUTH || err.code == ODF_E_USAGE || err.code == ODF_E_CONFIG ||
	    err.code == ODF_E_HTTP);
	FUZZ_ASSERT(status != 401 || err.code == ODF_E_AUTH || err.code == ODF_E_HTTP);
	/* a gateway's answer is retried, whatever its body */
	if (status == 502 || status == 503 || status == 504)
		FUZZ_ASSERT(err.code == ODF_E_HTTP && odf_error_is_transient(&err));
	if (err.code == ODF_E_ODOO || err.code == ODF_E_AUTH)
		rpc_check_odoo_error(&err);
}

FUZZ_TARGET(rpc)(const uint8_t *data, size_t size)
{
	static const long json2_statuses[] = { 200, 400, 401, 403, 404, 415, 422, 500, 503 };
	size_t i;
	struct odf_error err;
	char *body = malloc(size ? size : 1);
	cJSON *result, *doc;

	if (body == NULL)
		return 0;
	memcpy(body, data, size);
	result = odf_rpc_parse_response(body, size, &err);
	if (result != NULL) {
		cJSON_Delete(result);
	} else {
		fuzz_check_error(&err);
		FUZZ_ASSERT(err.code == ODF_E_PROTOCOL || err.code == ODF_E_ODOO ||
		    err.code == ODF_E_AUTH);
		if (err.code != ODF_E_PROTOCOL)
			rpc_check_odoo_error(&err);
	}
	/* Any JSON value as an error object, as a JSON-2 error body is. */
	doc = cJSON_ParseWithLength(body, size);
	if (doc != NULL) {
		odf_rpc_error_from_odoo(doc, &err);
		rpc_check_odoo_error(&err);
		cJSON_Delete(doc);
	}
	for (i = 0; i < sizeof(json2_statuses) / sizeof(json2_statuses[0]); i++)
		rpc_check_json2(json2_statuses[i], body, size);
	free(body);
	return 0;
}
