/* External ids: ir.model.data read by model and name or res_id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "odf/xmlids.h"

/* Append item to arr; on failure (item NULL, or no memory) item is freed
 * and 0 returned. */
static int
add(cJSON *arr, cJSON *item)
{
	if (item != NULL && arr != NULL && cJSON_AddItemToArray(arr, item))
		return 1;
	cJSON_Delete(item);
	return 0;
}

/* obj[key] = item, the same way. */
static int
put(cJSON *obj, const char *key, cJSON *item)
{
	if (item != NULL && obj != NULL && cJSON_AddItemToObject(obj, key, item))
		return 1;
	cJSON_Delete(item);
	return 0;
}

/* A term [a, op, value] (value taken), or NULL when out of memory. */
static cJSON *
term(const char *a, const char *op, cJSON *value)
{
	cJSON *t = cJSON_CreateArray();
	int ok = t != NULL;

	ok = add(t, cJSON_CreateString(a)) && ok;
	ok = add(t, cJSON_CreateString(op)) && ok;
	ok = add(t, value) && ok;
	if (!ok) {
		cJSON_Delete(t);
		return NULL;
	}
	return t;
}

/* {"domain": [["model", "=", model], (key, "in", values)], "fields": [...],
 * "limit": limit}: search_read's keyword arguments (values taken), or NULL
 * when out of memory. */
static cJSON *
request(const char *model, const char *key, cJSON *values, unsigned fields, long limit)
{
	cJSON *kwargs = cJSON_CreateObject(), *domain = cJSON_CreateArray();
	cJSON *names = cJSON_CreateArray();
	int ok = 1;

	ok = add(domain, term("model", "=", cJSON_CreateString(model))) && ok;
	if (values != NULL)
		ok = add(domain, term(key, "in", values)) && ok;
	if (fields & ODF_XMLIDS_NAME) {
		ok = add(names, cJSON_CreateString("module")) && ok;
		ok = add(names, cJSON_CreateString("name")) && ok;
	}
	if (fields & ODF_XMLIDS_RES_ID)
		ok = add(names, cJSON_CreateString("res_id")) && ok;
	ok = put(kwargs, "domain", domain) && ok;
	ok = put(kwargs, "fields", names) && ok;
	if (limit > 0)
		ok = put(kwargs, "limit", cJSON_CreateNumber((double)limit)) && ok;
	if (!ok) {
		cJSON_Delete(kwargs);
		return NULL;
	}
	return kwargs;
}

cJSON *
odf_xmlids_read(struct odf_rpc *rpc, const char *model, const char *key, cJSON *values,
    unsigned fields, long limit, struct odf_error *err)
{
	cJSON *kwargs = request(model, key, values, fields, limit), *res;

	if (kwargs == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	res = odf_rpc_call(rpc, "ir.model.data", "search_read", NULL, kwargs,
	    ODF_RPC_IDEMPOTENT, err);
	cJSON_Delete(kwargs);
	if (res != NULL && !cJSON_IsArray(res)) {
		cJSON_Delete(res);
		odf_error_set(err, ODF_E_PROTOCOL, "search_read of ir.model.data: not a list");
		return NULL;
	}
	return res;
}

int
odf_xmlid_format(const cJSON *row, char *buf, size_t size)
{
	const char *module = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "module"));
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, "name"));
	int len;

	if (module == NULL || name == NULL)
		return -1;
	len = snprintf(buf, size, "%s.%s", module, name);
	return len >= 0 && (size_t)len < size ? len : -1;
}

char *
odf_xmlid_full(const char *id)
{
	size_t n = strlen(id) + sizeof("__import__.");
	char *s = malloc(n);

	if (s != NULL)
		snprintf(s, n, "%s%s", strchr(id, '.') != NULL ? "" : "__import__.", id);
	return s;
}
