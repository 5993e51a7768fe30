/* odf migrate's checks before any stage starts. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "odf/cli.h"
#include "odf/domain.h"
#include "odf/preflight.h"
#include "odf/schema.h"
#include "odf/transform.h"

static int
check_conf(const char *option, const char *path, const struct odf_connect_opts *copts,
    struct odf_error *err)
{
	struct odf_conf conf;

	memset(&conf, 0, sizeof(conf));
	if (odf_connect_load(path, copts, &conf, err) != 0) {
		odf_error_prefix(err, "%s", option);
		return -1;
	}
	odf_conf_free(&conf);
	return 0;
}

/* An option's text as its stage will read it: "@FILE" is the file's
 * content where the stage takes that (odf-export's --domain, --fields). */
static char *
option_text(const char *option, const char *arg, int at_file, struct odf_error *err)
{
	char *text;

	if (at_file)
		return odf_arg_text(option, arg, ODF_MAX_OPTION_TEXT, err);
	if ((text = strdup(arg)) == NULL)
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
	return text;
}

/* parse(text) only to see that it parses. */
static int
check_parses(const char *option, const char *arg, int at_file,
    int (*parse)(const char *, cJSON **, struct odf_error *), struct odf_error *err)
{
	cJSON *value = NULL;
	char *text;
	int rc;

	if (arg == NULL)
		return 0;
	if ((text = option_text(option, arg, at_file, err)) == NULL)
		return -1;
	if ((rc = parse(text, &value, err)) != 0)
		odf_error_prefix(err, "%s", option);
	cJSON_Delete(value);
	free(text);
	return rc;
}

static int
check_fields(const char *arg, struct odf_error *err)
{
	char *text, **fields = NULL;

	if (arg == NULL)
		return 0;
	if ((text = option_text("--fields", arg, 1, err)) == NULL)
		return -1;
	fields = odf_split_list("--fields", text, NULL, err);
	free(text);
	if (fields == NULL)
		return -1;
	free(fields);
	return 0;
}

static int
check_transformer(const char *path, struct odf_error *err)
{
	struct odf_transform *t;
	int rc;

	if (path == NULL)
		return 0;
	if ((t = odf_transform_new(err)) == NULL)
		return -1;
	rc = odf_transform_prepare(t, NULL, path, err);
	odf_transform_free(t);
	if (rc != 0)
		odf_error_prefix(err, "--transformer-file");
	return rc;
}

int
odf_preflight_selection(const struct odf_migration *m, struct odf_error *err)
{
	if (check_parses("--domain", m->domain, 1, odf_domain_parse, err) != 0 ||
	    check_parses("--context", m->context, 0, odf_context_parse, err) != 0 ||
	    check_fields(m->fields, err) != 0)
		return -1;
	return check_transformer(m->transformer_file, err);
}

int
odf_preflight_local(const struct odf_migration *m, const struct odf_connect_opts *copts,
    struct odf_error *err)
{
	if (check_conf("--config-export", m->conf_export, copts, err) != 0 ||
	    check_conf("--config-import", m->conf_import, copts, err) != 0)
		return -1;
	return odf_preflight_selection(m, err);
}

/* Whether the database behind rpc has model: unknown, it is a usage error
 * worded as odf-export words it. */
static int
check_model(struct odf_rpc *rpc, const char *model, struct odf_error *err)
{
	int rc = odf_schema_has_model(rpc, model, err);

	if (rc > 0 || (rc < 0 && err->code == ODF_E_USAGE))
		return odf_error_set(err, ODF_E_USAGE, "unknown model '%s'", model);
	return rc;
}

/* Log in to the database of the conf at path and look for the model. */
static int
check_server(const char *option, const char *path, const char *model,
    const struct odf_connect_opts *copts, int *uid, struct odf_error *err)
{
	struct odf_conf conf;
	struct odf_rpc *rpc;
	int rc;

	memset(&conf, 0, sizeof(conf));
	if ((rpc = odf_connect(path, copts, &conf, err)) == NULL) {
		odf_error_prefix(err, "%s", option);
		return -1;
	}
	rc = check_model(rpc, model, err);
	if (rc != 0)
		odf_error_prefix(err, "%s %s", option, path);
	*uid = odf_rpc_uid(rpc);
	odf_rpc_free(rpc);
	odf_conf_free(&conf);
	return rc;
}

int
odf_preflight_servers(const struct odf_migration *m, const struct odf_connect_opts *copts,
    struct odf_preflight_uids *uids, struct odf_error *err)
{
	if (check_server("--config-export", m->conf_export, m->model, copts,
	    &uids->export_uid, err) != 0)
		return -1;
	return check_server("--config-import", m->conf_import, m->model, copts,
	    &uids->import_uid, err);
}
