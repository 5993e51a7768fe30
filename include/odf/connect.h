/*
 * The steps every program takes to reach Odoo: read connection.conf, say
 * its warnings once, open the connection, log in. This sits on the
 * program's side of the boundary: warnings and retry notices go to the
 * stream the program passes (its stderr), errors come back in err.
 */
#ifndef ODF_CONNECT_H
#define ODF_CONNECT_H

#include <stdio.h>

#include "odf/conf.h"
#include "odf/rpc.h"

struct odf_connect_opts {
	const char *prog;       /* prefix of every line written to diag */
	FILE *diag;             /* warnings and retry notices; NULL: none */
	int quiet;              /* no retry notices */
	int no_login;           /* open only: no request is made */
	int warned;             /* the conf's warnings were said: not again */
};

/*
 * Load conf from path and open a logged-in connection. conf is filled and
 * owned by the caller (odf_conf_free), and must outlive the connection,
 * which the caller frees with odf_rpc_free. NULL with err on failure (conf
 * is then already freed).
 */
struct odf_rpc *odf_connect(const char *path, const struct odf_connect_opts *opts,
    struct odf_conf *conf, struct odf_error *err);

/*
 * Load conf from path and say its warnings (and the xmlrpc notice) on
 * opts->diag, without connecting. 0, or -1 with err (conf then freed).
 */
int odf_connect_load(const char *path, const struct odf_connect_opts *opts,
    struct odf_conf *conf, struct odf_error *err);

/*
 * The same for a conf already loaded: open and log in. conf and opts are
 * borrowed and must outlive the connection (retry notices use opts). NULL
 * with err on failure; conf is left alone.
 */
struct odf_rpc *odf_connect_conf(const struct odf_conf *conf,
    const struct odf_connect_opts *opts, struct odf_error *err);

/*
 * Log in once for conf and keep the uid in conf->uid, so that every
 * connection opened from conf afterwards, in this process or in workers
 * forked later, skips the login: one login per program and database (a
 * login costs real Odoo a password hash, 0.4-0.8 s). The connection used is
 * closed before returning, so the caller may fork at once. Nothing is sent
 * when conf->uid is already set (the file's uid key, ODF_UID_<NAME> or
 * ODF_UID). 0, or -1 with err as odf_connect_conf.
 */
int odf_connect_login(struct odf_conf *conf, const struct odf_connect_opts *opts,
    struct odf_error *err);

#endif
