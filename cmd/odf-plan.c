/*
 * odf plan: what odf migrate would do, without doing it. Options →
 * both connections → the plan (lib/plan.c) → table, NDJSON or DOT → exit
 * 0 when the migration would run clean, 1 when it would fail.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "odf/conf.h"
#include "odf/connect.h"
#include "odf/modelargs.h"
#include "odf/plan.h"

static const char *prog = "odf plan";

enum format { TABLE, JSON, DOT };

struct config {
	const char *config_export, *config_import;
	struct odf_modelargs ma;
	int with_dependencies, strict, quiet;
	enum format format;
};

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: odf plan --config-export CONF --config-import CONF --model MODEL[,MODEL...]\n"
	    "           [--fields [MODEL=]F,...] [--domain [MODEL=]DOMAIN] [--with-dependencies]\n"
	    "           [--strict] [--json | --dot] [-q]\n"
	    "\n"
	    "Say what odf migrate would do with the same options: the models in\n"
	    "dependency order, the records they reference and whether the destination\n"
	    "has them, the fields that differ. Exit 0: it would run clean; 1: it would fail.\n"
	    "\n"
	    "      --config-export CONF   connection.conf of the source\n"
	    "      --config-import CONF   connection.conf of the destination\n"
	    "  -m, --model MODELS         models to migrate (repeatable, comma-separated)\n"
	    "      --fields [MODEL=]F,... fields of a model (default: every importable field)\n"
	    "  -d, --domain [MODEL=]D     the records of a model, or of every model\n"
	    "      --with-dependencies    plan the referenced records the destination lacks too\n"
	    "      --strict               fields the destination lacks are a failure\n"
	    "      --json                 NDJSON, one line per step, relation, field, ...\n"
	    "      --dot                  the dependency graph for Graphviz (dot -Tsvg)\n"
	    "  -q, --quiet                no retry notices\n"
	    "  -h, --help                 this help\n"
	    "  -V, --version              odf's version\n"
	    "\n"
	    "See odf-plan(1).\n");
}

static int
usage_error(const struct odf_error *err)
{
	if (err != NULL)
		odf_error_print(prog, err);
	fprintf(stderr, "Try 'odf plan --help'.\n");
	return EX_USAGE;
}

static int
parse_options(int argc, char **argv, struct config *c)
{
	enum { CONF_EXPORT = 256, CONF_IMPORT, FIELDS, WITH_DEPS, STRICT, OPT_JSON, OPT_DOT };
	static const struct option longopts[] = {
		{ "config-export", required_argument, NULL, CONF_EXPORT },
		{ "config-import", required_argument, NULL, CONF_IMPORT },
		{ "model", required_argument, NULL, 'm' },
		{ "fields", required_argument, NULL, FIELDS },
		{ "domain", required_argument, NULL, 'd' },
		{ "with-dependencies", no_argument, NULL, WITH_DEPS },
		{ "strict", no_argument, NULL, STRICT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "dot", no_argument, NULL, OPT_DOT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct odf_error err;
	int ch, rc = 0;

	odf_error_clear(&err);
	while ((ch = getopt_long(argc, argv, "m:d:qhV", longopts, NULL)) != -1) {
		switch (ch) {
		case CONF_EXPORT: c->config_export = optarg; break;
		case CONF_IMPORT: c->config_import = optarg; break;
		case 'm': rc = odf_modelargs_add_model(&c->ma, optarg, &err); break;
		case FIELDS: rc = odf_modelargs_add(&c->ma, ODF_MA_FIELDS, optarg, &err); break;
		case 'd': rc = odf_modelargs_add(&c->ma, ODF_MA_DOMAIN, optarg, &err); break;
		case WITH_DEPS: c->with_dependencies = 1; break;
		case STRICT: c->strict = 1; break;
		case OPT_JSON: c->format = JSON; break;
		case OPT_DOT: c->format = DOT; break;
		case 'q': c->quiet = 1; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("odf %s\n", ODF_VERSION); exit(0);
		default: return usage_error(NULL);
		}
		if (rc != 0)
			return usage_error(&err);
	}
	if (optind != argc) {
		odf_error_set(&err, ODF_E_USAGE, "unexpected argument '%s'", argv[optind]);
		return usage_error(&err);
	}
	if (c->config_export == NULL || c->config_import == NULL || c->ma.nmodels == 0) {
		odf_error_set(&err, ODF_E_USAGE,
		    "--config-export, --config-import and --model are required");
		return usage_error(&err);
	}
	if (odf_modelargs_resolve(&c->ma, &err) != 0)
		return usage_error(&err);
	return 0;
}

static int
print_plan(const struct config *c, const struct odf_plan *plan, struct odf_error *err)
{
	switch (c->format) {
	case JSON: return odf_plan_print_json(plan, stdout, err);
	case DOT: return odf_plan_print_dot(plan, stdout, err);
	default: return odf_plan_print_table(plan, stdout, err);
	}
}

int
main(int argc, char **argv)
{
	struct config c;
	struct odf_conf src_conf, dst_conf;
	struct odf_connect_opts copts;
	struct odf_plan_opts po;
	struct odf_rpc *src = NULL, *dst = NULL;
	struct odf_plan *plan = NULL;
	struct odf_error err;
	int rc;

	memset(&c, 0, sizeof(c));
	odf_modelargs_init(&c.ma);
	if ((rc = parse_options(argc, argv, &c)) != 0) {
		odf_modelargs_release(&c.ma);
		return rc;
	}
	odf_error_clear(&err);
	copts = (struct odf_connect_opts){ prog, stderr, c.quiet, 0 };
	if ((src = odf_connect(c.config_export, &copts, &src_conf, &err)) == NULL)
		goto fail;
	if ((dst = odf_connect(c.config_import, &copts, &dst_conf, &err)) == NULL) {
		odf_rpc_free(src);
		odf_conf_free(&src_conf);
		src = NULL;
		goto fail;
	}
	po = (struct odf_plan_opts){ c.ma.models, c.ma.value[ODF_MA_FIELDS],
	    c.ma.value[ODF_MA_DOMAIN], c.ma.nmodels, c.with_dependencies, c.strict, 0,
	    NULL, NULL };
	plan = odf_plan_build(&po, src, dst, &err);
	odf_rpc_free(src);
	odf_rpc_free(dst);
	odf_conf_free(&src_conf);
	odf_conf_free(&dst_conf);
	if (plan == NULL || print_plan(&c, plan, &err) != 0)
		goto fail;
	rc = odf_plan_nproblems(plan) == 0 ? 0 : 1;
	if (rc != 0 && c.format != TABLE)
		fprintf(stderr, "%s: %s\n", prog, odf_plan_problem(plan, 0));
	odf_plan_free(plan);
	odf_modelargs_release(&c.ma);
	return rc;
fail:
	odf_error_print(prog, &err);
	odf_plan_free(plan);
	odf_modelargs_release(&c.ma);
	return odf_error_exit_status(&err);
}
