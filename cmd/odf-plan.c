/*
 * odf plan: what odf migrate would do, without doing it. Options →
 * both connections → the plan (lib/plan.c) → table, NDJSON or DOT → exit
 * 0 when the migration would run clean, 1 when it would fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "odf/connect.h"
#include "odf/modelargs.h"
#include "odf/options.h"
#include "odf/plan.h"

struct config {
	const char *config_export, *config_import;
	struct odf_modelargs ma;
	int with_dependencies, strict, quiet, json, dot;
};

static struct config c;


static const struct odf_option options[] = {
	ODF_OPT_STRING(0, "config-export", &c.config_export, "CONF",
	    "connection.conf of the source database"),
	ODF_OPT_STRING(0, "config-import", &c.config_import, "CONF",
	    "connection.conf of the destination database"),
	ODF_OPT_MODELS('m', "model", &c.ma, "MODEL",
	    "the models to migrate (repeatable, comma-separated)"),
	ODF_OPT_MODELARG(0, "fields", &c.ma, ODF_MA_FIELDS, "[MODEL=]F,...",
	    "the fields of a model (default: every importable field)"),
	ODF_OPT_MODELARG('d', "domain", &c.ma, ODF_MA_DOMAIN, "[MODEL=]DOMAIN",
	    "the records of a model, or of every model"),
	ODF_OPT_FLAG(0, "with-dependencies", &c.with_dependencies,
	    "plan the referenced records the destination lacks"),
	ODF_OPT_FLAG(0, "strict", &c.strict, "fields the destination lacks are a failure"),
	ODF_OPT_FLAG(0, "json", &c.json, "NDJSON: a line per step, relation, field, ..."),
	ODF_OPT_FLAG(0, "dot", &c.dot, "the dependency graph for Graphviz (dot -Tsvg)"),
	ODF_OPT_FLAG('q', "quiet", &c.quiet, "no retry notices"),
	ODF_OPT_END(),
};

static const struct odf_command command = {
	"odf plan", "--config-export CONF --config-import CONF --model MODEL[,...] [options]",
	"Say what odf migrate would do with the same options: the models in\n"
	"dependency order, the records they reference and whether the destination\n"
	"has them, the fields that differ. Nothing is written anywhere.\n",
	"Exit status: 0 the migration would run clean, 1 it would fail (the reasons\n"
	"are printed), 64 usage, others as odf-export's. See odf-plan(1).\n",
	options,
};

/* Fill c from argv. Returns -1 to go on, else the exit status. */
static int
parse_options(int argc, char **argv)
{
	struct odf_error err;
	int rc, operand;

	if ((rc = odf_parse_options(&command, argc, argv, &operand)) != ODF_OPTIONS_GO_ON)
		return rc;
	if (operand != argc)
		return odf_usage_error(&command, "unexpected argument '%s'", argv[operand]);
	if (c.config_export == NULL)
		return odf_usage_error(&command, "--config-export is required");
	if (c.config_import == NULL)
		return odf_usage_error(&command, "--config-import is required");
	if (c.ma.nmodels == 0)
		return odf_usage_error(&command, "--model is required");
	if (c.json && c.dot)
		return odf_usage_error(&command, "--json and --dot: one or the other");
	odf_error_clear(&err);
	if (odf_modelargs_resolve(&c.ma, &err) != 0)
		return odf_usage_error_value(&command, &err);
	return -1;
}

static int
print_plan(const struct odf_plan *plan, struct odf_error *err)
{
	if (c.json)
		return odf_plan_print_json(plan, stdout, err);
	if (c.dot)
		return odf_plan_print_dot(plan, stdout, err);
	return odf_plan_print_table(plan, stdout, err);
}

int
main(int argc, char **argv)
{
	struct odf_connect_opts copts = { command.name, stderr, 0, 0, 0 };
	struct odf_plan_opts po;
	struct odf_plan *plan = NULL;
	struct odf_error err;
	int rc;

	odf_modelargs_init(&c.ma);
	if ((rc = parse_options(argc, argv)) >= 0)
		goto out;
	odf_error_clear(&err);
	copts.quiet = c.quiet;
	po = (struct odf_plan_opts){ c.ma.models, c.ma.value[ODF_MA_FIELDS],
	    c.ma.value[ODF_MA_DOMAIN], c.ma.nmodels, c.with_dependencies, c.strict,
	    NULL, NULL };
	plan = odf_plan_connect(&po, c.config_export, c.config_import, &copts, NULL, NULL, &err);
	if (plan == NULL || print_plan(plan, &err) != 0)
		goto fail;
	rc = odf_plan_nproblems(plan) == 0 ? 0 : 1;
	/* The table says why; the machine formats say it on stderr. */
	if (rc != 0 && (c.json || c.dot))
		fprintf(stderr, "%s: %s\n", command.name, odf_plan_problem(plan, 0));
	goto out;
fail:
	odf_error_print(command.name, &err);
	rc = odf_error_exit_status(&err);
out:
	odf_plan_free(plan);
	odf_modelargs_release(&c.ma);
	return rc;
}
