/* The window of an incremental run: bookmark in, the server's clock, bookmark out. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "odf/connect.h"
#include "odf/rpc.h"
#include "odf/sync.h"

/* The source's clock, from the Date header of an answer. */
static int
server_clock(const struct odf_conf *conf, const char *prog, FILE *diag, long long *t,
    struct odf_error *err)
{
	struct odf_connect_opts opts = { prog, diag, diag == NULL, 1, 0 };
	struct odf_rpc *rpc = odf_connect_conf(conf, &opts, err);
	cJSON *version;

	if (rpc == NULL)
		return -1;
	if ((version = odf_rpc_version(rpc, err)) == NULL) {
		odf_rpc_free(rpc);
		return -1;
	}
	cJSON_Delete(version);
	*t = odf_rpc_server_date(rpc);
	odf_rpc_free(rpc);
	if (*t < 0)
		return odf_error_set(err, ODF_E_PROTOCOL, "%s:%d: the server's answer has no "
		    "Date header: its clock cannot be read for --state", conf->hostname,
		    conf->port);
	return 0;
}

int
odf_sync_begin(struct odf_sync *s, const char *path, const struct odf_conf *conf,
    const char *model, long overlap, const char *prog, FILE *diag,
    struct odf_error *err)
{
	int r;

	memset(s, 0, sizeof(*s));
	s->path = path;
	s->model = model;
	s->overlap = overlap;
	odf_state_source(conf, s->source, sizeof(s->source));
	if ((r = odf_state_get(path, s->source, model, &s->last, err)) < 0)
		return -1;
	s->incremental = r == 1;
	return server_clock(conf, prog, diag, &s->started, err);
}

int
odf_sync_end(const struct odf_sync *s, long long records, struct odf_bookmark *out,
    struct odf_error *err)
{
	struct odf_bookmark b;

	memset(&b, 0, sizeof(b));
	odf_timestamp_format(s->started - s->overlap, b.since, sizeof(b.since));
	odf_timestamp_format(s->started, b.started, sizeof(b.started));
	odf_timestamp_format((long long)time(NULL), b.completed, sizeof(b.completed));
	b.records = records;
	if (out != NULL)
		*out = b;
	return odf_state_put(s->path, s->source, s->model, &b, err);
}
