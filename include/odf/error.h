/*
 * Errors in libodf are values: a function that can fail returns a status
 * (0 or a pointer on success) and fills a caller-owned struct odf_error.
 * Nothing in the library prints or exits; the program reports the error
 * once, at its boundary, with odf_error_print().
 */
#ifndef ODF_ERROR_H
#define ODF_ERROR_H

#include <stddef.h>
#include <stdio.h>

enum odf_error_code {
	ODF_OK = 0,
	ODF_E_USAGE,       /* bad option or argument */
	ODF_E_CONFIG,      /* bad connection.conf, missing key, bad value */
	ODF_E_NOINPUT,     /* a file cannot be opened */
	ODF_E_DATA,        /* bad input data: not JSON, not an object, bad domain */
	ODF_E_IO,          /* read/write failure, full disk */
	ODF_E_NOMEM,
	ODF_E_RESOLVE,     /* the host name does not resolve */
	ODF_E_CONNECT,     /* connection refused/reset/lost: transient */
	ODF_E_TLS,         /* certificate or handshake failure */
	ODF_E_TIMEOUT,     /* no answer in time: the outcome is unknown */
	ODF_E_HTTP,        /* an HTTP status that is not an Odoo error */
	ODF_E_PROTOCOL,    /* a response that is not what Odoo sends */
	ODF_E_AUTH,        /* login refused, access denied, bad API key */
	ODF_E_ODOO,        /* an Odoo exception (see name) */
	ODF_E_SOFTWARE     /* a bug or an impossible state */
};

struct odf_error {
	enum odf_error_code code;
	int http_status;        /* 0 when no HTTP answer was had */
	char name[128];         /* Odoo's exception name, e.g. "builtins.ValueError" */
	char message[1024];     /* one line, never contains a password */
	char detail[512];       /* last useful traceback line, may be empty */
	int outcome_unknown;    /* the request may have been carried out */
};

/* Reset err to "no error". */
void odf_error_clear(struct odf_error *err);

/*
 * Set code and a printf-style message; returns -1 so that callers can write
 * "return odf_error_set(err, ...);". err may be NULL.
 */
int odf_error_set(struct odf_error *err, enum odf_error_code code,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Prefix the current message with "prefix: ", e.g. a file name or line. */
void odf_error_prefix(struct odf_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The sysexits(3) exit status that suits the code, e.g. EX_CONFIG. */
int odf_error_exit_status(const struct odf_error *err);

/* Whether a retry may succeed: connect failures, timeouts, 429/502/503/504,
 * and PostgreSQL serialization failures. When err->outcome_unknown is set
 * (a timeout, a connection lost after the request went out) the call may
 * have been carried out: only the caller knows whether repeating is safe. */
int odf_error_is_transient(const struct odf_error *err);

/* Whether the credentials themselves were refused (Odoo's AccessDenied, a
 * JSON-2 401: a password changed or an API key revoked), so that no call
 * can succeed whatever its data; AccessError and 403 are about records. */
int odf_error_is_credentials(const struct odf_error *err);

/* Print "prog: message" (and the detail, when set) on stderr. */
void odf_error_print(const char *prog, const struct odf_error *err);

/* The same on out. */
void odf_error_fprint(FILE *out, const char *prog, const struct odf_error *err);

#endif
