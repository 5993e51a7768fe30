/* Reading the config, opening and logging in, as every program does. */
#include <stdio.h>

#include "odf/connect.h"

static void
connect_warn(const char *message, void *arg)
{
	const struct odf_connect_opts *o = arg;

	if (o->diag != NULL && !o->warned)
		fprintf(o->diag, "%s: warning: %s\n", o->prog, message);
}

static void
connect_retrying(const struct odf_error *why, int attempt, double delay, void *arg)
{
	const struct odf_connect_opts *o = arg;

	if (o->diag != NULL && !o->quiet)
		fprintf(o->diag, "%s: %s; try %d in %.1f s\n", o->prog, why->message,
		    attempt, delay);
}

struct odf_rpc *
odf_connect_conf(const struct odf_conf *conf, const struct odf_connect_opts *opts,
    struct odf_error *err)
{
	struct odf_rpc *rpc = odf_rpc_new(conf, err);

	if (rpc == NULL)
		return NULL;
	odf_rpc_set_retry(rpc, NULL, connect_retrying, (void *)opts);
	if (!opts->no_login && odf_rpc_login(rpc, err) != 0) {
		odf_rpc_free(rpc);
		return NULL;
	}
	return rpc;
}

int
odf_connect_load(const char *path, const struct odf_connect_opts *opts,
    struct odf_conf *conf, struct odf_error *err)
{
	if (odf_conf_load(conf, path, connect_warn, (void *)opts, err) != 0)
		return -1;
	if (conf->legacy_xmlrpc)
		connect_warn("protocol xmlrpc: talking JSON-RPC to the same host and port",
		    (void *)opts);
	return 0;
}

int
odf_connect_login(struct odf_conf *conf, const struct odf_connect_opts *opts,
    struct odf_error *err)
{
	struct odf_rpc *rpc;
	int uid;

	if (conf->uid != 0 || opts->no_login)
		return 0;
	if ((rpc = odf_connect_conf(conf, opts, err)) == NULL)
		return -1;
	uid = odf_rpc_uid(rpc);
	odf_rpc_free(rpc);
	/* JSON-2 keys whose owner was not told (-1) are checked again later. */
	if (uid > 0)
		conf->uid = uid;
	return 0;
}

struct odf_rpc *
odf_connect(const char *path, const struct odf_connect_opts *opts,
    struct odf_conf *conf, struct odf_error *err)
{
	struct odf_rpc *rpc;

	if (odf_connect_load(path, opts, conf, err) != 0)
		return NULL;
	if ((rpc = odf_connect_conf(conf, opts, err)) == NULL)
		odf_conf_free(conf);
	return rpc;
}
