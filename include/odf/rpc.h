/*
 * A connection to one Odoo database: JSON-RPC (POST /jsonrpc) or Odoo 19's
 * JSON-2 API (POST /json/2/<model>/<method>), over one persistent libcurl
 * handle reused for every call.
 *
 * Values are cJSON trees. Arguments are borrowed; results are new trees that
 * the caller frees with cJSON_Delete.
 *
 * Transient failures (see odf_error_is_transient) are retried with
 * exponential backoff and jitter, bounded in tries and time. A call whose
 * outcome is unknown (timeout, connection lost after sending) is retried only
 * when the caller says it is idempotent (ODF_RPC_IDEMPOTENT).
 *
 * One connection is not to be shared between threads; fork before
 * odf_rpc_new, never after, and give each worker its own.
 */
#ifndef ODF_RPC_H
#define ODF_RPC_H

#include <cjson/cJSON.h>

#include "odf/conf.h"
#include "odf/error.h"

struct odf_rpc;

enum odf_rpc_flags {
	ODF_RPC_IDEMPOTENT = 1 << 0   /* safe to repeat when the outcome is unknown */
};

struct odf_retry_policy {
	int max_tries;          /* attempts in all, >= 1 */
	double base_delay;      /* seconds before the 2nd try; doubles each time */
	double max_delay;       /* cap of one wait */
	double max_elapsed;     /* give up once this much time has passed */
};

/* Callback told of each retry, e.g. for a warning on stderr; may be NULL. */
typedef void odf_rpc_retry_fn(const struct odf_error *why, int attempt,
    double delay, void *arg);

/*
 * Open a connection for conf (borrowed: it must outlive the connection).
 * No request is made yet. Returns NULL with err set.
 */
struct odf_rpc *odf_rpc_new(const struct odf_conf *conf, struct odf_error *err);

/* Close and free; accepts NULL. */
void odf_rpc_free(struct odf_rpc *rpc);

void odf_rpc_set_retry(struct odf_rpc *rpc, const struct odf_retry_policy *policy,
    odf_rpc_retry_fn *fn, void *arg);

/* The policy used unless set: from conf's retries/retry_delay. */
void odf_retry_policy_default(struct odf_retry_policy *policy, const struct odf_conf *conf);

/*
 * The wait before attempt number `attempt` (2 for the first retry): base *
 * 2^(attempt-2), capped, with full jitter drawn from `unit` in [0,1).
 */
double odf_retry_delay(const struct odf_retry_policy *policy, int attempt, double unit);

/*
 * Log in (common.login) unless conf gives a uid or the protocol is JSON-2,
 * and check the answer. A refused login is ODF_E_AUTH naming the login and
 * database, never the password.
 */
int odf_rpc_login(struct odf_rpc *rpc, struct odf_error *err);

/* The uid after login (or from conf); 0 before. */
int odf_rpc_uid(const struct odf_rpc *rpc);

/* common.version (JSON-RPC) or GET /json/version (JSON-2, no key needed):
 * {"version_info": [...], "version": "19.0"}. Caller frees. */
cJSON *odf_rpc_version(struct odf_rpc *rpc, struct odf_error *err);

/*
 * model.method(*args, **kwargs). args is a JSON array (NULL: []); kwargs an
 * object or NULL. Over JSON-2 the positional arguments are named after the
 * method's parameters (ids, domain, fields, vals_list, data, ...), known for
 * the ORM methods odf uses; other methods must pass kwargs only.
 * Returns the result (caller frees), or NULL with err set; for an Odoo
 * exception err->name holds its name, e.g. "odoo.exceptions.ValidationError".
 */
cJSON *odf_rpc_call(struct odf_rpc *rpc, const char *model, const char *method,
    const cJSON *args, const cJSON *kwargs, unsigned flags, struct odf_error *err);

/*
 * The server's clock: the HTTP Date header of the last answer (RFC 9110,
 * whole seconds, UTC), as seconds since the epoch; -1 when no answer was
 * had or it carried no Date that parses. Odoo's own HTTP server (werkzeug)
 * and the proxies put in front of it send one with every answer.
 */
long long odf_rpc_server_date(struct odf_rpc *rpc);

/* The parsing half, exposed for tests and fuzzing: turn a JSON-RPC response
 * body into its result (caller frees) or an error. */
cJSON *odf_rpc_parse_response(const char *body, size_t len, struct odf_error *err);

/*
 * The parsing half of a JSON-2 call, exposed for tests and fuzzing: the
 * result of a 200 answer (caller frees), or NULL with err mapped from the
 * HTTP status and Odoo's error body {"name", "message", "arguments", ...}:
 *
 *   401  ODF_E_AUTH "API key refused: ..." and a hint to check the key
 *   403  ODF_E_AUTH, Odoo's message (AccessError, private method)
 *   404  ODF_E_USAGE naming the model or the method Odoo does not know;
 *        ODF_E_ODOO for a missing record (MissingError); ODF_E_CONFIG for
 *        Odoo's HTML page of an unknown database
 *   422  ODF_E_ODOO (ValidationError, UserError, arguments that do not fit)
 *   400, 500  ODF_E_ODOO with Odoo's message: not transient, except
 *        PostgreSQL's serialization failures (see odf_error_is_transient)
 *   415  ODF_E_PROTOCOL
 *   429, 502, 503, 504 and any status without an Odoo error body:
 *        ODF_E_HTTP (transient for 429/502/503/504)
 *
 * err->http_status is the status. model and method (either may be NULL)
 * name the call in messages. body need not be NUL-terminated.
 */
cJSON *odf_rpc_parse_json2(long status, const char *body, size_t len,
    const char *model, const char *method, struct odf_error *err);

/* Fill err from an Odoo error object ({code, message, data: {name, ...}}). */
void odf_rpc_error_from_odoo(const cJSON *error, struct odf_error *err);

#endif
