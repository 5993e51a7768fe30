/*
 * connection.conf: the INI files odoo-data-flow users already have.
 *
 *   [Connection]
 *   hostname = localhost      port = 8069 (default)
 *   database = prod           login = admin
 *   password = secret         protocol = jsonrpc | jsonrpcs | json2 | json2s
 *   uid = 2 (optional)        | xmlrpc | xmlrpcs (served over JSON-RPC)
 *   timeout = 600             verify_ssl = true       ca_file = /path/ca.pem
 *   retries = 5               retry_delay = 1
 *
 * The password may come from the environment instead (ODF_PASSWORD, or
 * ODF_PASSWORD_<NAME> for the file NAME.conf, which wins).
 */
#ifndef ODF_CONF_H
#define ODF_CONF_H

#include "odf/error.h"

enum odf_protocol {
	ODF_PROTO_JSONRPC,      /* POST /jsonrpc, the default */
	ODF_PROTO_JSON2         /* Odoo 19+: POST /json/2/<model>/<method> */
};

struct odf_conf {
	char *path;             /* the file read, for messages */
	char *hostname;
	int port;               /* 8069 unless set */
	char *database;
	char *login;
	char *password;         /* or the API key for json2; never printed */
	enum odf_protocol protocol;
	int tls;                /* https */
	int legacy_xmlrpc;      /* protocol was xmlrpc[s]: served over JSON-RPC */
	int uid;                /* 0: log in to learn it */
	double timeout;         /* seconds per call */
	int verify_ssl;
	char *ca_file;
	int retries;            /* tries after the first for transient failures */
	double retry_delay;     /* seconds before the first retry, then doubled */
};

/* A warning met while reading, e.g. an unknown key or a readable file. */
typedef void odf_conf_warn_fn(const char *message, void *arg);

/*
 * Read the file at path into conf (which the caller provides and later
 * passes to odf_conf_free). Warnings go to warn (may be NULL). Returns 0, or
 * -1 with err naming the file, the key and what is wrong.
 */
int odf_conf_load(struct odf_conf *conf, const char *path,
    odf_conf_warn_fn *warn, void *warn_arg, struct odf_error *err);

/* Free the strings conf holds (not conf itself); accepts a zeroed conf. */
void odf_conf_free(struct odf_conf *conf);

/*
 * The environment variable that stands for one file's key: prefix, '_', and
 * the file's name up to its first dot, letters upper-cased and every other
 * character '_' ("ODF_PASSWORD", "conf/staging.conf": ODF_PASSWORD_STAGING).
 * Into buf, cut to size.
 */
void odf_conf_variable(const char *prefix, const char *path, char *buf, size_t size);

/* "http[s]://host:port" into buf; returns buf. */
const char *odf_conf_base_url(const struct odf_conf *conf, char *buf, size_t size);

#endif
