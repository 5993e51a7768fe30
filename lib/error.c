/* Error values: set, prefix, classify, print. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "odf/error.h"

void
odf_error_clear(struct odf_error *err)
{
	if (err == NULL)
		return;
	memset(err, 0, sizeof(*err));
}

int
odf_error_set(struct odf_error *err, enum odf_error_code code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	odf_error_clear(err);
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

void
odf_error_prefix(struct odf_error *err, const char *fmt, ...)
{
	char prefix[512], old[sizeof(err->message)];
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->message, sizeof(old));
	snprintf(err->message, sizeof(err->message), "%s: %s", prefix, old);
}

int
odf_error_exit_status(const struct odf_error *err)
{
	switch (err->code) {
	case ODF_OK:         return 0;
	case ODF_E_USAGE:    return EX_USAGE;
	case ODF_E_CONFIG:   return EX_CONFIG;
	case ODF_E_NOINPUT:  return EX_NOINPUT;
	case ODF_E_DATA:     return EX_DATAERR;
	case ODF_E_IO:       return EX_IOERR;
	case ODF_E_NOMEM:    return EX_OSERR;
	case ODF_E_AUTH:     return EX_NOPERM;
	case ODF_E_RESOLVE:  return EX_NOHOST;
	case ODF_E_CONNECT:
	case ODF_E_TLS:
	case ODF_E_TIMEOUT:
	case ODF_E_HTTP:     return EX_UNAVAILABLE;
	case ODF_E_PROTOCOL: return EX_PROTOCOL;
	case ODF_E_ODOO:     return EX_DATAERR;
	case ODF_E_SOFTWARE: return EX_SOFTWARE;
	}
	return EX_SOFTWARE;
}

int
odf_error_is_transient(const struct odf_error *err)
{
	switch (err->code) {
	case ODF_E_CONNECT:
	case ODF_E_TIMEOUT:
		return 1;
	case ODF_E_HTTP:
		return err->http_status == 429 || err->http_status == 502 ||
		    err->http_status == 503 || err->http_status == 504;
	case ODF_E_ODOO:
		/* PostgreSQL's serialization failures and deadlocks roll the
		 * transaction back whole: the same call may succeed next time. */
		return strstr(err->name, "SerializationFailure") != NULL ||
		    strstr(err->name, "DeadlockDetected") != NULL ||
		    strstr(err->name, "TransactionRollbackError") != NULL ||
		    strstr(err->message, "could not serialize access") != NULL;
	default:
		return 0;
	}
}

int
odf_error_is_credentials(const struct odf_error *err)
{
	return err->code == ODF_E_AUTH && (err->http_status == 401 ||
	    strstr(err->name, "AccessDenied") != NULL);
}

void
odf_error_fprint(FILE *out, const char *prog, const struct odf_error *err)
{
	if (err->detail[0] != '\0' && strstr(err->message, err->detail) == NULL)
		fprintf(out, "%s: %s (%s)\n", prog, err->message, err->detail);
	else
		fprintf(out, "%s: %s\n", prog, err->message);
}

void
odf_error_print(const char *prog, const struct odf_error *err)
{
	odf_error_fprint(stderr, prog, err);
}
