/*
 * Odoo's external API over libcurl: JSON-RPC (/jsonrpc, execute_kw) or
 * JSON-2 (/json/2/<model>/<method>), with bounded retries of transient
 * failures. One easy handle per connection so keep-alive works wherever
 * the server or a proxy allows it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "odf/buf.h"
#include "odf/clock.h"
#include "odf/rpc.h"

struct odf_rpc {
	const struct odf_conf *conf;
	CURL *curl;
	struct curl_slist *headers;
	char base_url[512];
	char where[300];                /* "host:port", for messages */
	char curl_error[CURL_ERROR_SIZE];
	struct odf_buf response;
	struct odf_retry_policy retry;
	odf_rpc_retry_fn *retry_fn;
	void *retry_arg;
	char *secret_json;              /* the password as JSON writes it, if different */
	const char *model, *method;     /* the JSON-2 call being made, for messages */
	int uid;
	long requests;
	long next_id;
	unsigned long long rand_state;
};

/* The positional parameters of the ORM methods odf calls, by name, for
 * JSON-2, which only takes named ones. "ids" marks a record method. */
static const struct {
	const char *method;
	const char *params[6];
} json2_params[] = {
	{ "search", { "domain", "offset", "limit", "order", NULL } },
	{ "search_read", { "domain", "fields", "offset", "limit", "order", NULL } },
	{ "search_count", { "domain", "limit", NULL } },
	{ "read", { "ids", "fields", "load", NULL } },
	{ "fields_get", { "allfields", "attributes", NULL } },
	{ "load", { "fields", "data", NULL } },
	{ "export_data", { "ids", "fields_to_export", NULL } },
	{ "create", { "vals_list", NULL } },
	{ "write", { "ids", "vals", NULL } },
	{ "unlink", { "ids", NULL } },
	{ "name_search", { "name", "domain", "operator", "limit", NULL } },
	{ "context_get", { NULL } },
	{ "default_get", { "fields", NULL } },     /* as 19.0 names it */
};

static void curl_init_once(void);

/* The secret as it appears inside a JSON string ('"' as '\"' ...), which
 * is how a server that quotes the request shows it; NULL when that is the
 * secret itself. Returns 0, or -1 when out of memory. */
static int
json_escaped_secret(const char *secret, char **out)
{
	cJSON *s;
	char *text;
	size_t n;

	*out = NULL;
	if (secret == NULL)
		return 0;
	if ((s = cJSON_CreateString(secret)) == NULL)
		return -1;
	text = cJSON_PrintUnformatted(s);
	memset(s->valuestring, 0, strlen(s->valuestring));
	cJSON_Delete(s);
	if (text == NULL)
		return -1;
	n = strlen(text);
	memmove(text, text + 1, n - 2);        /* drop the quotes */
	text[n - 2] = '\0';
	if (strcmp(text, secret) == 0) {
		memset(text, 0, n);
		cJSON_free(text);
		return 0;
	}
	*out = text;
	return 0;
}

static size_t
rpc_write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct odf_buf *b = arg;
	size_t n = size * nmemb;

	if (odf_buf_add(b, ptr, n, NULL) < 0)
		return 0;       /* curl reports CURLE_WRITE_ERROR */
	return n;
}

void
odf_retry_policy_default(struct odf_retry_policy *p, const struct odf_conf *conf)
{
	p->max_tries = 1 + (conf != NULL ? conf->retries : 5);
	p->base_delay = conf != NULL ? conf->retry_delay : 1.0;
	p->max_delay = 30.0;
	p->max_elapsed = 300.0;
}

double
odf_retry_delay(const struct odf_retry_policy *p, int attempt, double unit)
{
	double d = p->base_delay;
	int i;

	for (i = 2; i < attempt && d < p->max_delay; i++)
		d *= 2;
	if (d > p->max_delay)
		d = p->max_delay;
	/* Half fixed, half random: spreads workers that failed together
	 * without ever retrying at once. */
	return d / 2 + d / 2 * unit;
}

static double
rpc_random_unit(struct odf_rpc *rpc)
{
	unsigned long long x = rpc->rand_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rpc->rand_state = x;
	return (double)(x >> 11) / 9007199254740992.0;
}

static void
sleep_seconds(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

struct odf_rpc *
odf_rpc_new(const struct odf_conf *conf, struct odf_error *err)
{
	struct odf_rpc *rpc;
	char header[1024];

	curl_init_once();
	if ((rpc = calloc(1, sizeof(*rpc))) == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	rpc->conf = conf;
	rpc->uid = conf->uid;
	rpc->rand_state = (unsigned long long)time(NULL) * 2654435761ULL ^
	    (unsigned long long)getpid() << 16 ^ (unsigned long long)(uintptr_t)rpc;
	if (rpc->rand_state == 0)
		rpc->rand_state = 88172645463325252ULL;
	odf_retry_policy_default(&rpc->retry, conf);
	if (json_escaped_secret(conf->password, &rpc->secret_json) != 0)
		goto nomem;
	odf_conf_base_url(conf, rpc->base_url, sizeof(rpc->base_url));
	snprintf(rpc->where, sizeof(rpc->where), "%s:%d", conf->hostname, conf->port);

	if ((rpc->curl = curl_easy_init()) == NULL)
		goto nomem;
	/* An empty Expect: stops libcurl waiting for "100 Continue" on the
	 * large bodies of load calls, which Odoo never sends. */
	rpc->headers = curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
	rpc->headers = curl_slist_append(rpc->headers, "Expect:");
	if (conf->protocol == ODF_PROTO_JSON2) {
		snprintf(header, sizeof(header), "Authorization: bearer %s", conf->password);
		rpc->headers = curl_slist_append(rpc->headers, header);
		memset(header, 0, sizeof(header));
		snprintf(header, sizeof(header), "X-Odoo-Database: %s", conf->database);
		rpc->headers = curl_slist_append(rpc->headers, header);
	}
	if (rpc->headers == NULL)
		goto nomem;
	memset(header, 0, sizeof(header));

	curl_easy_setopt(rpc->curl, CURLOPT_HTTPHEADER, rpc->headers);
	curl_easy_setopt(rpc->curl, CURLOPT_USERAGENT, "odf/" ODF_VERSION);
	curl_easy_setopt(rpc->curl, CURLOPT_ERRORBUFFER, rpc->curl_error);
	curl_easy_setopt(rpc->curl, CURLOPT_WRITEFUNCTION, rpc_write_cb);
	curl_easy_setopt(rpc->curl, CURLOPT_WRITEDATA, &rpc->response);
	curl_easy_setopt(rpc->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(rpc->curl, CURLOPT_TIMEOUT_MS, (long)(conf->timeout * 1000));
	curl_easy_setopt(rpc->curl, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(conf->timeout < 30 ? conf->timeout * 1000 : 30000));
	curl_easy_setopt(rpc->curl, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(rpc->curl, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(rpc->curl, CURLOPT_SSL_VERIFYPEER, conf->verify_ssl ? 1L : 0L);
	curl_easy_setopt(rpc->curl, CURLOPT_SSL_VERIFYHOST, conf->verify_ssl ? 2L : 0L);
	if (conf->ca_file != NULL)
		curl_easy_setopt(rpc->curl, CURLOPT_CAINFO, conf->ca_file);
	curl_easy_setopt(rpc->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	return rpc;
nomem:
	odf_error_set(err, ODF_E_NOMEM, "out of memory");
	odf_rpc_free(rpc);
	return NULL;
}

void
odf_rpc_free(struct odf_rpc *rpc)
{
	if (rpc == NULL)
		return;
	if (rpc->curl != NULL)
		curl_easy_cleanup(rpc->curl);
	curl_slist_free_all(rpc->headers);
	odf_buf_release(&rpc->response);
	if (rpc->secret_json != NULL) {
		memset(rpc->secret_json, 0, strlen(rpc->secret_json));
		cJSON_free(rpc->secret_json);
	}
	free(rpc);
}

void
odf_rpc_set_retry(struct odf_rpc *rpc, const struct odf_retry_policy *policy,
    odf_rpc_retry_fn *fn, void *arg)
{
	if (policy != NULL)
		rpc->retry = *policy;
	rpc->retry_fn = fn;
	rpc->retry_arg = arg;
}

int
odf_rpc_uid(const struct odf_rpc *rpc)
{
	return rpc->uid;
}

long long
odf_rpc_server_date(struct odf_rpc *rpc)
{
	struct curl_header *h;
	time_t t;

	if (rpc->curl == NULL || rpc->requests == 0 ||
	    curl_easy_header(rpc->curl, "Date", 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
		return -1;
	t = curl_getdate(h->value, NULL);
	return t < 0 ? -1 : (long long)t;
}

/* Replace every copy of the secret in s: Odoo may echo arguments back. */
static void
scrub_secret(char *s, const char *secret)
{
	size_t n = secret != NULL ? strlen(secret) : 0;
	char *p;

	if (n < 3)      /* a tiny secret would mangle ordinary words */
		return;
	while ((p = strstr(s, secret)) != NULL) {
		memset(p, '*', 3);
		memmove(p + 3, p + n, strlen(p + n) + 1);
	}
}

/* One line of text: the first line of s, white space trimmed. */
static void
copy_first_line(char *dst, size_t size, const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\n' || *s == '\t')
		s++;
	n = strcspn(s, "\n");
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* The last non-empty line of a traceback names the exception. */
static void
copy_last_line(char *dst, size_t size, const char *s)
{
	const char *end = s + strlen(s), *start;

	while (end > s && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	for (start = end; start > s && start[-1] != '\n'; start--)
		;
	snprintf(dst, size, "%.*s", (int)(end - start), start);
}

void
odf_rpc_error_from_odoo(const cJSON *error, struct odf_error *err)
{
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(error, "data");
	const cJSON *name, *message, *debug;
	const char *exc;

	/* JSON-2 errors are the data object itself, without the envelope. */
	if (data == NULL && cJSON_GetObjectItemCaseSensitive(error, "name") != NULL)
		data = error;
	name = cJSON_GetObjectItemCaseSensitive(data, "name");
	message = cJSON_GetObjectItemCaseSensitive(data, "message");
	debug = cJSON_GetObjectItemCaseSensitive(data, "debug");
	if (!cJSON_IsString(message))
		message = cJSON_GetObjectItemCaseSensitive(error, "message");
	exc = cJSON_IsString(name) ? name->valuestring : "";

	odf_error_clear(err);
	err->code = ODF_E_ODOO;
	if (strstr(exc, "AccessDenied") != NULL || strstr(exc, "AccessError") != NULL ||
	    strstr(exc, "Unauthorized") != NULL)
		err->code = ODF_E_AUTH;
	snprintf(err->name, sizeof(err->name), "%s", exc);
	if (cJSON_IsString(message))
		copy_first_line(err->message, sizeof(err->message), message->valuestring);
	/* A blank message says no more than the exception's name, if any. */
	if (err->message[0] == '\0')
		copy_first_line(err->message, sizeof(err->message), exc);
	if (err->message[0] == '\0')
		snprintf(err->message, sizeof(err->message), "odoo server error");
	if (cJSON_IsString(debug))
		copy_last_line(err->detail, sizeof(err->detail), debug->valuestring);
	if (strstr(err->detail, "Traceback") == err->detail)
		err->detail[0] = '\0';
}

cJSON *
odf_rpc_parse_response(const char *body, size_t len, struct odf_error *err)
{
	cJSON *doc = cJSON_ParseWithLength(body, len), *result, *error;

	if (doc == NULL || !cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		odf_error_set(err, ODF_E_PROTOCOL, "the answer is not a JSON-RPC response");
		return NULL;
	}
	error = cJSON_GetObjectItemCaseSensitive(doc, "error");
	if (error != NULL && !cJSON_IsNull(error)) {
		odf_rpc_error_from_odoo(error, err);
		cJSON_Delete(doc);
		return NULL;
	}
	result = cJSON_DetachItemFromObjectCaseSensitive(doc, "result");
	cJSON_Delete(doc);
	if (result == NULL)
		odf_error_set(err, ODF_E_PROTOCOL, "JSON-RPC response without result or error");
	return result;
}

/* Whether body[0..len) contains the string needle. */
static int
contains(const char *body, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; n <= len && i <= len - n; i++)
		if (memcmp(body + i, needle, n) == 0)
			return 1;
	return 0;
}

/* An Odoo 19 JSON-2 error body: {"name", "message", "arguments", ...}. */
static int
is_json2_error(const cJSON *body)
{
	return cJSON_IsObject(body) &&
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(body, "name")) &&
	    cJSON_GetObjectItemCaseSensitive(body, "message") != NULL;
}

/* 404 with Odoo's NotFound: the model or the method is not there. */
static void
json2_not_found(const char *model, const char *method, struct odf_error *err)
{
	char odoo[sizeof(err->message)];

	memcpy(odoo, err->message, sizeof(odoo));
	/* "The method 'm.x' does not exist", "the model 'm' does not exist" */
	if (strstr(odoo, "does not exist") == NULL || model == NULL)
		odf_error_set(err, ODF_E_PROTOCOL, "JSON-2 call refused: %s", odoo);
	else if (strstr(odoo, "method") != NULL && method != NULL)
		odf_error_set(err, ODF_E_USAGE, "model '%s' has no method '%s' on this server",
		    model, method);
	else if (strstr(odoo, "model") != NULL)
		odf_error_set(err, ODF_E_USAGE, "unknown model '%s'", model);
	else
		odf_error_set(err, ODF_E_PROTOCOL, "JSON-2 call refused: %s", odoo);
	err->http_status = 404;
	snprintf(err->name, sizeof(err->name), "werkzeug.exceptions.NotFound");
}

cJSON *
odf_rpc_parse_json2(long status, const char *body, size_t len, const char *model,
    const char *method, struct odf_error *err)
{
	cJSON *doc = len > 0 && body != NULL ? cJSON_ParseWithLength(body, len) : NULL;
	char odoo[sizeof(err->message)];

	if (status == 200) {
		if (doc == NULL)
			odf_error_set(err, ODF_E_PROTOCOL, "the answer is not JSON");
		return doc;
	}
	if (is_json2_error(doc) && status != 429 && status != 502 && status != 503 &&
	    status != 504) {
		odf_rpc_error_from_odoo(doc, err);
		cJSON_Delete(doc);
		err->http_status = (int)status;
		/* werkzeug's debug line only repeats the message */
		if (strncmp(err->name, "werkzeug.", 9) == 0)
			err->detail[0] = '\0';
		memcpy(odoo, err->message, sizeof(odoo));
		switch (status) {
		case 401:
			err->code = ODF_E_AUTH;
			snprintf(err->message, sizeof(err->message), "API key refused: %s (check "
			    "the API key given as password of the connection file)", odoo);
			break;
		case 403:
			err->code = ODF_E_AUTH;
			break;
		case 404:
			if (strcmp(err->name, "werkzeug.exceptions.NotFound") == 0)
				json2_not_found(model, method, err);
			else
				err->code = ODF_E_ODOO;         /* MissingError */
			break;
		default:
			/* 422 ValidationError, UserError, arguments that do not
			 * fit; 400 and 500: Odoo's exceptions. */
			err->code = ODF_E_ODOO;
			break;
		}
		return NULL;
	}
	cJSON_Delete(doc);
	if (status == 404 && body != NULL &&
	    contains(body, len, "No database is selected"))
		odf_error_set(err, ODF_E_CONFIG, "the server has no such database "
		    "(check 'database' in the connection file)");
	else if (status == 404)
		odf_error_set(err, ODF_E_HTTP, "HTTP 404 at /json/%s%s%s%s: is this an Odoo "
		    "server of version 19 or later?", model != NULL ? "2/" : "version",
		    model != NULL ? model : "", model != NULL ? "/" : "",
		    method != NULL ? method : "");
	else if (status == 415)
		odf_error_set(err, ODF_E_PROTOCOL, "HTTP 415: the server did not take the "
		    "request as JSON");
	else
		odf_error_set(err, ODF_E_HTTP, "HTTP %ld", status);
	err->http_status = (int)status;
	return NULL;
}

/* What went wrong at the transport level, in words naming the server. */
static void
rpc_transport_error(struct odf_rpc *rpc, CURLcode rc, struct odf_error *err)
{
	const char *why = rpc->curl_error[0] ? rpc->curl_error : curl_easy_strerror(rc);
	curl_off_t sent = 0;

	curl_easy_getinfo(rpc->curl, CURLINFO_SIZE_UPLOAD_T, &sent);
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		odf_error_set(err, ODF_E_RESOLVE, "%s: cannot resolve host name '%s'",
		    rpc->where, rpc->conf->hostname);
		break;
	case CURLE_COULDNT_CONNECT:
		odf_error_set(err, ODF_E_CONNECT, "%s: cannot connect: %s", rpc->where, why);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		odf_error_set(err, ODF_E_TIMEOUT,
		    "%s: no answer within %g s (the call may still be carried out)",
		    rpc->where, rpc->conf->timeout);
		err->outcome_unknown = sent > 0;
		break;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
		odf_error_set(err, ODF_E_TLS, "%s: TLS failure: %s%s", rpc->where, why,
		    rpc->conf->verify_ssl ? " (set ca_file to trust a private CA)" : "");
		break;
	case CURLE_WRITE_ERROR:
	case CURLE_OUT_OF_MEMORY:
		odf_error_set(err, ODF_E_NOMEM, "%s: out of memory reading the answer",
		    rpc->where);
		break;
	default:
		/* Reset, closed or cut short: if the request went out it may have
		 * been carried out. */
		odf_error_set(err, ODF_E_CONNECT, "%s: connection lost: %s", rpc->where, why);
		err->outcome_unknown = sent > 0;
		break;
	}
}

/*
 * POST body to url once. Returns the parsed result or NULL with err; the
 * JSON-2 flag selects how the answer is read.
 */
static cJSON *
rpc_post_once(struct odf_rpc *rpc, const char *url, const char *body, size_t len,
    int json2, struct odf_error *err)
{
	long status = 0;
	CURLcode rc;
	cJSON *result;

	odf_buf_reset(&rpc->response);
	rpc->curl_error[0] = '\0';
	curl_easy_setopt(rpc->curl, CURLOPT_URL, url);
	if (body == NULL) {
		curl_easy_setopt(rpc->curl, CURLOPT_HTTPGET, 1L);
	} else {
		curl_easy_setopt(rpc->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(rpc->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	rpc->requests++;
	rc = curl_easy_perform(rpc->curl);
	if (rc != CURLE_OK) {
		rpc_transport_error(rpc, rc, err);
		return NULL;
	}
	curl_easy_getinfo(rpc->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status == 200 && rpc->response.len == 0) {
		/* Headers and then nothing: the connection was cut mid-answer. */
		odf_error_set(err, ODF_E_CONNECT, "%s: connection lost: empty answer", rpc->where);
		err->outcome_unknown = 1;
		return NULL;
	}
	if (json2) {
		result = odf_rpc_parse_json2(status, rpc->response.data, rpc->response.len,
		    rpc->model, rpc->method, err);
		if (result == NULL && (err->code == ODF_E_HTTP || err->code == ODF_E_PROTOCOL))
			odf_error_prefix(err, "%s", rpc->where);
		return result;
	}
	if (status == 200)
		return odf_rpc_parse_response(rpc->response.data ? rpc->response.data : "",
		    rpc->response.len, err);
	odf_error_set(err, ODF_E_HTTP, "%s: HTTP %ld%s", rpc->where, status,
	    status == 404 ? " at /jsonrpc: is this an Odoo server?" : "");
	err->http_status = (int)status;
	return NULL;
}

/* POST with retries of what may succeed next time. */
static cJSON *
rpc_post(struct odf_rpc *rpc, const char *url, const char *body, size_t len,
    int json2, unsigned flags, struct odf_error *err)
{
	double start = odf_clock(), delay;
	cJSON *result;
	int attempt;

	/* libcurl silently resends a request whose reused connection closed
	 * without an answer; a call that must not run twice gets a new one. */
	curl_easy_setopt(rpc->curl, CURLOPT_FRESH_CONNECT, (long)!(flags & ODF_RPC_IDEMPOTENT));
	for (attempt = 1;; attempt++) {
		result = rpc_post_once(rpc, url, body, len, json2, err);
		if (result != NULL)
			return result;
		scrub_secret(err->message, rpc->conf->password);
		scrub_secret(err->detail, rpc->conf->password);
		scrub_secret(err->message, rpc->secret_json);
		scrub_secret(err->detail, rpc->secret_json);
		if (!odf_error_is_transient(err) ||
		    (err->outcome_unknown && !(flags & ODF_RPC_IDEMPOTENT)))
			return NULL;
		if (attempt >= rpc->retry.max_tries)
			break;
		delay = odf_retry_delay(&rpc->retry, attempt + 1, rpc_random_unit(rpc));
		if (odf_clock() + delay - start > rpc->retry.max_elapsed)
			break;
		if (rpc->retry_fn != NULL)
			rpc->retry_fn(err, attempt + 1, delay, rpc->retry_arg);
		sleep_seconds(delay);
	}
	if (attempt > 1) {
		size_t n = strlen(err->message);

		snprintf(err->message + n, sizeof(err->message) - n, " (after %d tries)", attempt);
	}
	return NULL;
}

/* Serialize, post and parse one JSON-RPC call of service.method(args). */
static cJSON *
rpc_jsonrpc(struct odf_rpc *rpc, const char *service, const char *method,
    cJSON *args, unsigned flags, struct odf_error *err)
{
	cJSON *req = cJSON_CreateObject(), *params = cJSON_CreateObject(), *result = NULL;
	char url[600], *body = NULL;

	if (req == NULL || params == NULL) {
		cJSON_Delete(req);
		cJSON_Delete(params);
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	cJSON_AddStringToObject(req, "jsonrpc", "2.0");
	cJSON_AddStringToObject(req, "method", "call");
	cJSON_AddItemToObject(req, "params", params);
	cJSON_AddStringToObject(params, "service", service);
	cJSON_AddStringToObject(params, "method", method);
	cJSON_AddItemToObject(params, "args", args);
	cJSON_AddNumberToObject(req, "id", (double)++rpc->next_id);
	body = cJSON_PrintUnformatted(req);
	if (body == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		goto out;
	}
	snprintf(url, sizeof(url), "%s/jsonrpc", rpc->base_url);
	result = rpc_post(rpc, url, body, strlen(body), 0, flags, err);
out:
	if (body != NULL) {
		/* The body holds the password. */
		memset(body, 0, strlen(body));
		cJSON_free(body);
	}
	cJSON_Delete(req);
	return result;
}

/* Name the server and database once: transport errors already start
 * with "host:port". */
static int
login_failed(struct odf_rpc *rpc, struct odf_error *err)
{
	size_t n = strlen(rpc->where);

	if (strncmp(err->message, rpc->where, n) == 0 && err->message[n] == ':')
		memmove(err->message, err->message + n + 2, strlen(err->message + n + 2) + 1);
	odf_error_prefix(err, "%s: database '%s'", rpc->where, rpc->conf->database);
	return -1;
}

int
odf_rpc_login(struct odf_rpc *rpc, struct odf_error *err)
{
	const struct odf_conf *c = rpc->conf;
	cJSON *args, *result;

	if (rpc->uid != 0)
		return 0;
	if (c->protocol == ODF_PROTO_JSON2) {
		/* No login in JSON-2: ask who the key belongs to, which checks it. */
		const cJSON *uid;

		result = odf_rpc_call(rpc, "res.users", "context_get", NULL, NULL,
		    ODF_RPC_IDEMPOTENT, err);
		if (result == NULL)
			return login_failed(rpc, err);
		uid = cJSON_GetObjectItemCaseSensitive(result, "uid");
		rpc->uid = cJSON_IsNumber(uid) ? uid->valueint : -1;
		cJSON_Delete(result);
		return 0;
	}
	args = cJSON_CreateArray();
	cJSON_AddItemToArray(args, cJSON_CreateString(c->database));
	cJSON_AddItemToArray(args, cJSON_CreateString(c->login));
	cJSON_AddItemToArray(args, cJSON_CreateString(c->password));
	result = rpc_jsonrpc(rpc, "common", "login", args, ODF_RPC_IDEMPOTENT, err);
	if (result == NULL)
		return login_failed(rpc, err);
	if (!cJSON_IsNumber(result) || result->valueint <= 0) {
		cJSON_Delete(result);
		return odf_error_set(err, ODF_E_AUTH,
		    "%s: login refused for user '%s' on database '%s' (wrong login or password?)",
		    rpc->where, c->login, c->database);
	}
	rpc->uid = result->valueint;
	cJSON_Delete(result);
	return 0;
}

cJSON *
odf_rpc_version(struct odf_rpc *rpc, struct odf_error *err)
{
	char url[600];

	if (rpc->conf->protocol == ODF_PROTO_JSON2) {
		snprintf(url, sizeof(url), "%s/json/version", rpc->base_url);
		rpc->model = rpc->method = NULL;
		return rpc_post(rpc, url, NULL, 0, 1, ODF_RPC_IDEMPOTENT, err);
	}
	return rpc_jsonrpc(rpc, "common", "version", cJSON_CreateArray(),
	    ODF_RPC_IDEMPOTENT, err);
}

/* JSON-2 body: positional args named after the method's parameters. */
static cJSON *
json2_body(const char *method, const cJSON *args, const cJSON *kwargs,
    struct odf_error *err)
{
	cJSON *body = kwargs ? cJSON_Duplicate(kwargs, 1) : cJSON_CreateObject();
	const char *const *params = NULL;
	const cJSON *arg;
	size_t i;
	int n = 0;

	if (body == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	for (i = 0; i < sizeof(json2_params) / sizeof(json2_params[0]); i++)
		if (strcmp(json2_params[i].method, method) == 0)
			params = json2_params[i].params;
	cJSON_ArrayForEach(arg, args) {
		if (params == NULL || params[n] == NULL) {
			cJSON_Delete(body);
			odf_error_set(err, ODF_E_SOFTWARE,
			    "json2: cannot name argument %d of method '%s'", n + 1, method);
			return NULL;
		}
		cJSON_AddItemToObject(body, params[n++], cJSON_Duplicate(arg, 1));
	}
	return body;
}

cJSON *
odf_rpc_call(struct odf_rpc *rpc, const char *model, const char *method,
    const cJSON *args, const cJSON *kwargs, unsigned flags, struct odf_error *err)
{
	const struct odf_conf *c = rpc->conf;
	cJSON *call, *result;

	if (c->protocol == ODF_PROTO_JSON2) {
		char url[800], *body;
		cJSON *obj = json2_body(method, args, kwargs, err);

		if (obj == NULL)
			return NULL;
		body = cJSON_PrintUnformatted(obj);
		cJSON_Delete(obj);
		if (body == NULL) {
			odf_error_set(err, ODF_E_NOMEM, "out of memory");
			return NULL;
		}
		snprintf(url, sizeof(url), "%s/json/2/%s/%s", rpc->base_url, model, method);
		rpc->model = model;
		rpc->method = method;
		result = rpc_post(rpc, url, body, strlen(body), 1, flags, err);
		rpc->model = rpc->method = NULL;
		cJSON_free(body);
		return result;
	}

	if (rpc->uid == 0 && odf_rpc_login(rpc, err) != 0)
		return NULL;
	/* References, not copies: a load batch can be megabytes. */
	call = cJSON_CreateArray();
	cJSON_AddItemToArray(call, cJSON_CreateString(c->database));
	cJSON_AddItemToArray(call, cJSON_CreateNumber(rpc->uid));
	cJSON_AddItemToArray(call, cJSON_CreateString(c->password));
	cJSON_AddItemToArray(call, cJSON_CreateString(model));
	cJSON_AddItemToArray(call, cJSON_CreateString(method));
	if (args != NULL)
		cJSON_AddItemReferenceToArray(call, (cJSON *)args);
	else
		cJSON_AddItemToArray(call, cJSON_CreateArray());
	if (kwargs != NULL)
		cJSON_AddItemReferenceToArray(call, (cJSON *)kwargs);
	return rpc_jsonrpc(rpc, "object", "execute_kw", call, flags, err);
}

static void
curl_init_once(void)
{
	static int done;

	/* Programs are single-threaded when they open connections; workers
	 * are forked processes. */
	if (!done) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		done = 1;
	}
}
