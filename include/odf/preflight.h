/*
 * What odf migrate checks before it starts a stage, so that a mistake comes
 * back at once, alone, and naming the one thing that is wrong, instead of
 * from a stage that is already running beside others:
 *
 *   local:   both connection files read and valid, the domain and the
 *            context parse, the field list is well formed, the transformer
 *            compiles (no server is asked);
 *   servers: each database takes the login and has the model.
 *
 * Errors come back in err, prefixed with the option they concern
 * ("--config-import: prod.conf: ..."); nothing is printed but the conf
 * files' warnings, on copts->diag.
 */
#ifndef ODF_PREFLIGHT_H
#define ODF_PREFLIGHT_H

#include "odf/connect.h"
#include "odf/error.h"

/* A migration as the user asked for it; every string borrowed. */
struct odf_migration {
	const char *conf_export, *conf_import;  /* paths */
	const char *model;
	const char *fields;             /* NULL: every importable field */
	const char *domain;             /* NULL: [] */
	const char *context;            /* NULL: the import's default */
	const char *transformer_file;   /* NULL: none */
};

/* The logins the server checks made, for the stages to reuse. */
struct odf_preflight_uids {
	int export_uid, import_uid;
};

/* The local checks but the confs': the domain, context, fields and
 * transformer of m. 0, or -1 with err. */
int odf_preflight_selection(const struct odf_migration *m, struct odf_error *err);

/* The local checks: both confs (their warnings said on copts->diag), then
 * odf_preflight_selection. 0, or -1 with err. */
int odf_preflight_local(const struct odf_migration *m,
    const struct odf_connect_opts *copts, struct odf_error *err);

/* The server checks, source first. 0 with uids filled, or -1 with err. */
int odf_preflight_servers(const struct odf_migration *m,
    const struct odf_connect_opts *copts, struct odf_preflight_uids *uids,
    struct odf_error *err);

#endif
