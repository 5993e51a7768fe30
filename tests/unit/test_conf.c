/* connection.conf: good files, odoo-data-flow's own, and every bad case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "odf/conf.h"
#include "unit.h"

#define DATA "tests/unit/data/conf/"

static char warnings[2048];

static void
collect_warning(const char *message, void *arg)
{
	(void)arg;
	/* Git does not keep file modes: the mode warning is tested apart. */
	if (strstr(message, "readable by others") != NULL)
		return;
	strncat(warnings, message, sizeof(warnings) - strlen(warnings) - 2);
	strcat(warnings, "\n");
}

static int
load(struct odf_conf *conf, const char *name, struct odf_error *err)
{
	warnings[0] = '\0';
	odf_error_clear(err);
	return odf_conf_load(conf, name, collect_warning, NULL, err);
}

UNIT_TEST(minimal_file_gets_defaults)
{
	struct odf_conf c = { 0 };
	struct odf_error err = { 0 };

	CHECK_INT(load(&c, DATA "minimal.conf", &err), 0);
	CHECK_STR(c.hostname, "localhost");
	CHECK_STR(c.database, "odf_src");
	CHECK_STR(c.login, "admin");
	CHECK_STR(c.password, "admin");
	CHECK_INT(c.port, 8069);
	CHECK_INT(c.protocol, ODF_PROTO_JSONRPC);
	CHECK_INT(c.tls, 0);
	CHECK_INT(c.uid, 0);
	CHECK_INT(c.verify_ssl, 1);
	CHECK(c.timeout >= 600);
	CHECK_INT(c.retries, 5);
	CHECK_STR(warnings, "");
	odf_conf_free(&c);
}

UNIT_TEST(odoo_data_flow_example_file_reads)
{
	struct odf_conf c = { 0 };
	struct odf_error err = { 0 };
	char url[256];

	CHECK_INT(load(&c, DATA "odoo-data-flow.conf", &err), 0);
	CHECK_STR(c.hostname, "my-odoo-instance.odoo.com");
	CHECK_INT(c.port, 443);
	CHECK_INT(c.uid, 2);
	CHECK_INT(c.tls, 1);
	CHECK_STR(odf_conf_base_url(&c, url, sizeof(url)), "https://my-odoo-instance.odoo.com:443");
	CHECK_STR(warnings, "");
	odf_conf_free(&c);
}

UNIT_TEST(every_key_of_ours_reads)
{
	struct odf_conf c = { 0 };
	struct odf_error err = { 0 };

	CHECK_INT(load(&c, DATA "full.conf", &err), 0);
	CHECK_INT(c.protocol, ODF_PROTO_JSON2);
	CHECK_INT(c.tls, 1);
	CHECK_INT(c.port, 8443);
	CHECK_STR(c.password, "s3cret value");
	CHECK(c.timeout > 30.4 && c.timeout < 30.6);
	CHECK_INT(c.verify_ssl, 0);
	CHECK_STR(c.ca_file, "/etc/ssl/private-ca.pem");
	CHECK_INT(c.retries, 2);
	CHECK(c.retry_delay > 0.24 && c.retry_delay < 0.26);
	odf_conf_free(&c);
}

UNIT_TEST(unknown_key_warns_with_file_and_line)
{
	struct odf_conf c = { 0 };
	struct odf_error err = { 0 };

	CHECK_INT(load(&c, DATA "unknown-key.conf", &err), 0);
	CHECK_STR(warnings, DATA "unknown-key.conf: line 6: unknown key 'portt' ignored\n");
	odf_conf_free(&c);
}

UNIT_TEST(xmlrpc_is_accepted_as_jsonrpc)
{
	struct odf_conf c = { 0 };
	struct odf_error err = { 0 };

	CHECK_INT(load(&c, DATA "xmlrpc-no-login.conf", &err), -1);
	CHECK_STR(err.message, DATA "xmlrpc-no-login.conf: missing key 'login'");
	CHECK_INT(load(&c, DATA "json2-no-login.conf", &err), 0);
	CHECK_INT(c.protocol, ODF_PROTO_JSON2);
	odf_conf_free(&c);
}

/* A table of bad files and the message each must give. */
UNIT_TEST(bad_files_name_file_and_key)
{
	static const struct {
		const char *file;
		enum odf_error_code code;
		const char *message;
	} cases[] = {
		{ "bad-port.conf", ODF_E_CONFIG,
		  "line 6: port: expected a port number from 1 to 65535" },
		{ "bad-protocol.conf", ODF_E_CONFIG,
		  "line 6: protocol: expected jsonrpc, jsonrpcs, json2, json2s, xmlrpc or xmlrpcs" },
		{ "bad-timeout.conf", ODF_E_CONFIG,
		  "line 6: timeout: expected a positive number of seconds" },
		{ "bad-verify.conf", ODF_E_CONFIG, "line 6: verify_ssl: expected true or false" },
		{ "no-database.conf", ODF_E_CONFIG, "missing key 'database'" },
		{ "no-password.conf", ODF_E_CONFIG,
		  "no password: set key 'password', or ODF_PASSWORD_NO_PASSWORD or ODF_PASSWORD in the environment" },
		{ "no-section.conf", ODF_E_CONFIG, "no [Connection] section" },
		{ "not-ini.conf", ODF_E_CONFIG, "line 3: not an INI line" },
		{ "no-such-file.conf", ODF_E_NOINPUT, "No such file or directory" },
	};
	char want[512], path[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct odf_conf c = { 0 };
		struct odf_error err = { 0 };

		snprintf(want, sizeof(want), DATA "%s: %s", cases[i].file, cases[i].message);
		snprintf(path, sizeof(path), DATA "%s", cases[i].file);
		CHECK_INT(load(&c, path, &err), -1);
		CHECK_INT(err.code, cases[i].code);
		CHECK_STR(err.message, want);
	}
}

UNIT_TEST(password_from_environment)
{
	struct odf_conf c = { 0 };
	struct odf_error err = { 0 };

	setenv("ODF_PASSWORD", "from-env", 1);
	CHECK_INT(load(&c, DATA "no-password.conf", &err), 0);
	CHECK_STR(c.password, "from-env");
	odf_conf_free(&c);
	/* The file's own password wins over the general variable... */
	CHECK_INT(load(&c, DATA "minimal.conf", &err), 0);
	CHECK_STR(c.password, "admin");
	odf_conf_free(&c);
	/* ...and loses to the variable named after the file. */
	setenv("ODF_PASSWORD_MINIMAL", "per-file", 1);
	CHECK_INT(load(&c, DATA "minimal.conf", &err), 0);
	CHECK_STR(c.password, "per-file");
	odf_conf_free(&c);
	unsetenv("ODF_PASSWORD_MINIMAL");
	unsetenv("ODF_PASSWORD");
}

static void
keep_warning(const char *message, void *arg)
{
	snprintf(arg, 512, "%s", message);
}

static void
load_with_mode(const char *path, mode_t mode, char *seen)
{
	struct odf_conf c = { 0 };
	struct odf_error err = { 0 };

	seen[0] = '\0';
	CHECK_INT(chmod(path, mode), 0);
	CHECK_INT(odf_conf_load(&c, path, keep_warning, seen, &err), 0);
	odf_conf_free(&c);
}

UNIT_TEST(file_readable_by_others_warns)
{
	static const char text[] = "[Connection]\nhostname=h\ndatabase=d\nlogin=a\npassword=p\n";
	char path[] = "/tmp/odf-conf-XXXXXX", seen[512], want[512];
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	CHECK(write(fd, text, sizeof(text) - 1) == (ssize_t)sizeof(text) - 1);
	close(fd);
	load_with_mode(path, 0600, seen);
	CHECK_STR(seen, "");
	load_with_mode(path, 0644, seen);
	snprintf(want, sizeof(want), "%s: holds a password and is readable by others (chmod 600 it)", path);
	CHECK_STR(seen, want);
	unlink(path);
}

int
main(void)
{
	RUN(minimal_file_gets_defaults);
	RUN(odoo_data_flow_example_file_reads);
	RUN(every_key_of_ours_reads);
	RUN(unknown_key_warns_with_file_and_line);
	RUN(xmlrpc_is_accepted_as_jsonrpc);
	RUN(bad_files_name_file_and_key);
	RUN(password_from_environment);
	RUN(file_readable_by_others_warns);
	return unit_done();
}
