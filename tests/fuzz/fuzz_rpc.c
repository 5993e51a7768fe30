/*
 * What the server sends back (lib/rpc.c): a JSON-RPC response body into a
 * result or an error, and Odoo's error object (the JSON-RPC envelope's
 * "error", or a JSON-2 error body) into struct odf_error. Any body must
 * give one or the other, with a one-line message, and never read past
 * the bytes received (the body is not NUL-terminated).
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

FUZZ_TARGET(rpc)(const uint8_t *data, size_t size)
{
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
	free(body);
	return 0;
}
