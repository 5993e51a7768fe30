/* connection.conf: read with inih, checked, with warnings that name the line. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <ini.h>

#include "odf/conf.h"

#define ODF_DEFAULT_PORT 8069
#define ODF_DEFAULT_TIMEOUT 600.0
#define ODF_DEFAULT_RETRIES 5
#define ODF_DEFAULT_RETRY_DELAY 1.0

struct conf_reader {
	struct odf_conf *conf;
	struct odf_error *err;
	odf_conf_warn_fn *warn;
	void *warn_arg;
	FILE *fp;
	int lineno;             /* inih reads one line per call of our reader */
	int failed;
	int in_connection;      /* a [Connection] section was seen */
	int has_port;
};

/*
 * inih reads a line into a buffer of size bytes, and would take the rest of
 * a longer one for lines of their own. A long comment is cut short (it
 * says nothing); any other long line is an error.
 */
static char *
conf_reader_gets(char *buf, int size, void *stream)
{
	struct conf_reader *r = stream;
	size_t len;
	int c;

	if (fgets(buf, size, r->fp) == NULL)
		return NULL;
	r->lineno++;
	len = strlen(buf);
	if (len < (size_t)size - 1 || buf[len - 1] == '\n' ||
	    (c = getc(r->fp)) == EOF || c == '\n')
		return buf;
	while ((c = getc(r->fp)) != EOF && c != '\n')
		;
	if (strchr(";#", buf[strspn(buf, " \t")]) != NULL)
		return buf;
	odf_error_set(r->err, ODF_E_CONFIG, "%s: line %d: longer than %d bytes",
	    r->conf->path, r->lineno, size - 2);
	r->failed = 1;
	return NULL;
}

static void __attribute__((format(printf, 2, 3)))
conf_warn(struct conf_reader *r, const char *fmt, ...)
{
	char what[256], msg[512];
	va_list ap;

	if (r->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof(msg), "%s: line %d: %s", r->conf->path, r->lineno, what);
	/* A binary file's keys must not reach the terminal as they are. */
	for (char *p = msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	r->warn(msg, r->warn_arg);
}

static int
conf_bad(struct conf_reader *r, const char *key, const char *why)
{
	odf_error_set(r->err, ODF_E_CONFIG, "%s: line %d: %s: %s", r->conf->path,
	    r->lineno, key, why);
	r->failed = 1;
	return 0;
}

static int
conf_set_string(struct conf_reader *r, char **field, const char *key, const char *value)
{
	char *copy = strdup(value);

	if (copy == NULL)
		return conf_bad(r, key, "out of memory");
	free(*field);
	*field = copy;
	return 1;
}

static int
parse_bool(const char *value, int *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(value, yes[i]) == 0)
			return *out = 1, 0;
		if (strcasecmp(value, no[i]) == 0)
			return *out = 0, 0;
	}
	return -1;
}

static int
parse_long(const char *value, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
parse_seconds(const char *value, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(value, &end);
	if (errno != 0 || end == value || *end != '\0' || !isfinite(v) || v < 0)
		return -1;
	*out = v;
	return 0;
}

static int
conf_set_protocol(struct conf_reader *r, const char *value)
{
	static const struct {
		const char *name;
		enum odf_protocol protocol;
		int tls, xmlrpc;
	} protocols[] = {
		{ "jsonrpc", ODF_PROTO_JSONRPC, 0, 0 },
		{ "jsonrpcs", ODF_PROTO_JSONRPC, 1, 0 },
		{ "json2", ODF_PROTO_JSON2, 0, 0 },
		{ "json2s", ODF_PROTO_JSON2, 1, 0 },
		{ "xmlrpc", ODF_PROTO_JSONRPC, 0, 1 },
		{ "xmlrpcs", ODF_PROTO_JSONRPC, 1, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++) {
		if (strcasecmp(value, protocols[i].name) == 0) {
			r->conf->protocol = protocols[i].protocol;
			r->conf->tls = protocols[i].tls;
			r->conf->legacy_xmlrpc = protocols[i].xmlrpc;
			return 1;
		}
	}
	return conf_bad(r, "protocol",
	    "expected jsonrpc, jsonrpcs, json2, json2s, xmlrpc or xmlrpcs");
}

static int
conf_handler(void *user, const char *section, const char *key, const char *value)
{
	struct conf_reader *r = user;
	struct odf_conf *c = r->conf;
	long n;

	if (r->failed)
		return 0;
	if (strcasecmp(section, "Connection") != 0) {
		conf_warn(r, "key '%s' in section [%s] ignored", key, section);
		return 1;
	}
	r->in_connection = 1;
	if (strcmp(key, "hostname") == 0)
		return conf_set_string(r, &c->hostname, key, value);
	if (strcmp(key, "database") == 0)
		return conf_set_string(r, &c->database, key, value);
	if (strcmp(key, "login") == 0)
		return conf_set_string(r, &c->login, key, value);
	if (strcmp(key, "password") == 0)
		return conf_set_string(r, &c->password, key, value);
	if (strcmp(key, "ca_file") == 0)
		return conf_set_string(r, &c->ca_file, key, value);
	if (strcmp(key, "protocol") == 0)
		return conf_set_protocol(r, value);
	if (strcmp(key, "port") == 0) {
		if (parse_long(value, 1, 65535, &n) != 0)
			return conf_bad(r, key, "expected a port number from 1 to 65535");
		c->port = (int)n;
		r->has_port = 1;
		return 1;
	}
	if (strcmp(key, "uid") == 0) {
		if (parse_long(value, 1, 2147483647L, &n) != 0)
			return conf_bad(r, key, "expected a positive user id");
		c->uid = (int)n;
		return 1;
	}
	if (strcmp(key, "retries") == 0) {
		if (parse_long(value, 0, 100, &n) != 0)
			return conf_bad(r, key, "expected a number from 0 to 100");
		c->retries = (int)n;
		return 1;
	}
	if (strcmp(key, "timeout") == 0) {
		if (parse_seconds(value, &c->timeout) != 0 || c->timeout == 0)
			return conf_bad(r, key, "expected a positive number of seconds");
		return 1;
	}
	if (strcmp(key, "retry_delay") == 0) {
		if (parse_seconds(value, &c->retry_delay) != 0)
			return conf_bad(r, key, "expected a number of seconds");
		return 1;
	}
	if (strcmp(key, "verify_ssl") == 0) {
		if (parse_bool(value, &c->verify_ssl) != 0)
			return conf_bad(r, key, "expected true or false");
		return 1;
	}
	conf_warn(r, "unknown key '%s' ignored", key);
	return 1;
}

void
odf_conf_variable(const char *prefix, const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t n, i;

	base = base != NULL ? base + 1 : path;
	n = strcspn(base, ".");
	i = (size_t)snprintf(buf, size, "%s_", prefix);
	if (i >= size)
		i = size - 1;
	for (; n > 0 && i + 1 < size; n--, base++)
		buf[i++] = isalnum((unsigned char)*base) ?
		    (char)toupper((unsigned char)*base) : '_';
	buf[i] = '\0';
}

/* The file's own password loses to its variable and wins over ODF_PASSWORD. */
static int
conf_take_password(struct odf_conf *c, struct odf_error *err)
{
	char name[128];
	const char *v;

	odf_conf_variable("ODF_PASSWORD", c->path, name, sizeof(name));
	v = getenv(name);
	if ((v == NULL || *v == '\0') && c->password == NULL)
		v = getenv("ODF_PASSWORD");
	if (v == NULL || *v == '\0')
		return 0;
	free(c->password);
	c->password = strdup(v);
	if (c->password == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	return 0;
}

/* A uid already known (odf migrate logs in once and passes it on in
 * ODF_UID_<NAME>, or ODF_UID) saves the login, which costs Odoo a password
 * hash. */
static void
conf_take_uid(struct odf_conf *c)
{
	char name[128];
	const char *v;
	long n;

	odf_conf_variable("ODF_UID", c->path, name, sizeof(name));
	if ((v = getenv(name)) == NULL || *v == '\0')
		v = getenv("ODF_UID");
	if (c->uid == 0 && v != NULL && parse_long(v, 1, 2147483647L, &n) == 0)
		c->uid = (int)n;
}

static int
conf_require(const struct odf_conf *c, struct odf_error *err)
{
	char var[128];

	if (c->hostname == NULL || *c->hostname == '\0')
		return odf_error_set(err, ODF_E_CONFIG, "%s: missing key 'hostname'", c->path);
	if (c->database == NULL || *c->database == '\0')
		return odf_error_set(err, ODF_E_CONFIG, "%s: missing key 'database'", c->path);
	if (c->protocol != ODF_PROTO_JSON2 && (c->login == NULL || *c->login == '\0'))
		return odf_error_set(err, ODF_E_CONFIG, "%s: missing key 'login'", c->path);
	if (c->password == NULL || *c->password == '\0') {
		odf_conf_variable("ODF_PASSWORD", c->path, var, sizeof(var));
		return odf_error_set(err, ODF_E_CONFIG,
		    "%s: no password: set key 'password', or %s or ODF_PASSWORD in the environment",
		    c->path, var);
	}
	return 0;
}

static void
conf_check_mode(struct conf_reader *r, int fd)
{
	struct stat st;

	if (r->conf->password == NULL || r->warn == NULL || fstat(fd, &st) != 0)
		return;
	if (st.st_mode & (S_IRGRP | S_IROTH | S_IWGRP | S_IWOTH)) {
		char msg[512];

		snprintf(msg, sizeof(msg),
		    "%s: holds a password and is readable by others (chmod 600 it)",
		    r->conf->path);
		r->warn(msg, r->warn_arg);
	}
}

int
odf_conf_load(struct odf_conf *conf, const char *path, odf_conf_warn_fn *warn,
    void *warn_arg, struct odf_error *err)
{
	struct conf_reader r = { conf, err, warn, warn_arg, NULL, 0, 0, 0, 0 };
	int rc;

	memset(conf, 0, sizeof(*conf));
	conf->port = ODF_DEFAULT_PORT;
	conf->timeout = ODF_DEFAULT_TIMEOUT;
	conf->verify_ssl = 1;
	conf->retries = ODF_DEFAULT_RETRIES;
	conf->retry_delay = ODF_DEFAULT_RETRY_DELAY;
	conf->protocol = ODF_PROTO_JSONRPC;
	if ((conf->path = strdup(path)) == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");

	if ((r.fp = fopen(path, "r")) == NULL) {
		odf_error_set(err, errno == ENOENT ? ODF_E_NOINPUT : ODF_E_CONFIG,
		    "%s: %s", path, strerror(errno));
		goto fail;
	}
	rc = ini_parse_stream(conf_reader_gets, &r, conf_handler, &r);
	if (!r.failed)
		conf_check_mode(&r, fileno(r.fp));
	fclose(r.fp);
	if (r.failed)
		goto fail;
	if (rc != 0) {
		odf_error_set(err, ODF_E_CONFIG, "%s: line %d: not an INI line", path, rc);
		goto fail;
	}
	if (!r.in_connection) {
		odf_error_set(err, ODF_E_CONFIG, "%s: no [Connection] section", path);
		goto fail;
	}
	conf_take_uid(conf);
	if (conf_take_password(conf, err) != 0 || conf_require(conf, err) != 0)
		goto fail;
	return 0;
fail:
	odf_conf_free(conf);
	return -1;
}

void
odf_conf_free(struct odf_conf *conf)
{
	if (conf == NULL)
		return;
	free(conf->path);
	free(conf->hostname);
	free(conf->database);
	free(conf->login);
	if (conf->password != NULL) {
		/* Do not leave the secret lying in freed memory. */
		volatile char *p = conf->password;
		while (*p != '\0')
			*p++ = '\0';
		free(conf->password);
	}
	free(conf->ca_file);
	memset(conf, 0, sizeof(*conf));
}

const char *
odf_conf_base_url(const struct odf_conf *conf, char *buf, size_t size)
{
	int ipv6 = strchr(conf->hostname, ':') != NULL;

	snprintf(buf, size, "%s://%s%s%s:%d", conf->tls ? "https" : "http",
	    ipv6 ? "[" : "", conf->hostname, ipv6 ? "]" : "", conf->port);
	return buf;
}
