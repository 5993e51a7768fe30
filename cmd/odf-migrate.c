/*
 * odf migrate: odf-export | odf-transform | FILTER... | odf-import, as one
 * command with the options of odoo-data-flow's migrate. The stages run at
 * once, joined by pipes; no data passes through this process.
 *
 * Options (the table below) → odf_migrate_run (lib/migrate.c: the checks,
 * the plan, each pipeline through lib/stages.c, --state, --verify) → its
 * exit status.
 */
#include <stdio.h>

#include "odf/export.h"
#include "odf/importer.h"
#include "odf/migrate.h"
#include "odf/modelargs.h"
#include "odf/options.h"
#include "odf/pool.h"
#include "odf/sync.h"

static struct odf_migrate_opts opt;


static int
add_filter(const struct odf_option *o, const char *arg, const char *arg2,
    struct odf_error *err)
{
	(void)o;
	(void)arg2;
	if (opt.p.nfilters == ODF_STAGES_MAX_FILTERS)
		return odf_error_set(err, ODF_E_USAGE, "at most %d --filter commands",
		    ODF_STAGES_MAX_FILTERS);
	opt.p.filters[opt.p.nfilters++] = arg;
	return 0;
}

static const struct odf_option options[] = {
	ODF_OPT_STRING(0, "config-export", &opt.p.m.conf_export, "CONF",
	    "connection.conf of the source database"),
	ODF_OPT_STRING(0, "config-import", &opt.p.m.conf_import, "CONF",
	    "connection.conf of the destination database"),
	ODF_OPT_MODELS('m', "model", &opt.ma, "MODEL",
	    "the model, e.g. res.partner; several: repeated or\ncomma-separated, run in dependency order"),
	ODF_OPT_MODELARG(0, "fields", &opt.ma, ODF_MA_FIELDS, "[MODEL=]F,...",
	    "the fields to move (default: every importable field)"),
	ODF_OPT_MODELARG('d', "domain", &opt.ma, ODF_MA_DOMAIN, "[MODEL=]DOMAIN",
	    "which source records (default: all)"),
	ODF_OPT_MODELARG(0, "transformer-file", &opt.ma, ODF_MA_TRANSFORMER,
	    "[MODEL=]FILE.jq", "reshape each record with this jq program\n(repeatable: one per model)"),
	ODF_OPT_FLAG(0, "with-dependencies", &opt.with_dependencies,
	    "migrate first the referenced records the\ndestination lacks, recursively"),
	ODF_OPT_FLAG(0, "no-check", &opt.no_check, "skip the plan's checks (odf plan)"),
	ODF_OPT_FLAG(0, "strict", &opt.strict, "refuse when the destination lacks a field"),
	ODF_OPT_CALLBACK(0, "filter", add_filter, NULL, "CMD",
	    "a shell command the records pass through\n(repeatable; after the transformer)"),
	ODF_OPT_COUNT(0, "export-worker", &opt.p.export_worker, "N", 1, ODF_EXPORT_MAX_WORKERS,
	    "parallel export connections"),
	ODF_OPT_COUNT(0, "export-batch-size", &opt.p.export_batch_size, "N", 1,
	    ODF_EXPORT_MAX_BATCH, "records per export_data call"),
	ODF_OPT_COUNT(0, "import-worker", &opt.p.import_worker, "N", 1, ODF_POOL_MAX_WORKERS,
	    "parallel import workers"),
	ODF_OPT_COUNT(0, "import-batch-size", &opt.p.import_batch_size, "N", 1,
	    ODF_IMPORT_MAX_BATCH, "records per load call"),
	ODF_OPT_STRING(0, "fail-file", &opt.p.fail_file, "PATH", "default MODEL_fail.ndjson"),
	ODF_OPT_STRING(0, "context", &opt.p.m.context, "CTX", "the import's context"),
	ODF_OPT_FLAG(0, "check", &opt.p.check, "check the records against the destination,\n"
	    "load nothing"),
	ODF_OPT_STRING(0, "state", &opt.state_file, "FILE", "incremental: export only what changed\n"
	    "since the last completed run, kept in FILE"),
	ODF_OPT_COUNT(0, "overlap", &opt.overlap, "SECONDS", 0, 86400L * 366,
	    "with --state: start each window this much\nbefore the last run started"),
	ODF_OPT_FLAG(0, "verify", &opt.verify, "compare the destination with the source\n"
	    "after the import (odf verify)"),
	ODF_OPT_FLAG('q', "quiet", &opt.p.quiet, "no progress, no summary unless something failed"),
	ODF_OPT_END(),
};

static const struct odf_command command = {
	"odf migrate", "--config-export CONF --config-import CONF --model MODEL [options]",
	"Move the records of MODEL from one Odoo database to another: odf-export,\n"
	"the transformer and filters, odf-import, joined by pipes. Several models\n"
	"run one after the other, in the order of their references.\n",
	"Exit status: that of the stage that failed first (odf-import's 65 when\n"
	"records are in the fail file), 65 when the checks refuse, 64 usage, 70 a\n"
	"stage that crashed; with --verify, 1 when the destination differs from\n"
	"the source. See odf-migrate(1).\n",
	options,
};

/* Fill opt; -1 to go on, else the exit status. */
static int
parse_options(int argc, char **argv)
{
	struct odf_error err;
	int rc, operand;

	opt.p.prog = command.name;
	opt.p.diag = stderr;
	opt.p.export_worker = 1;
	opt.p.export_batch_size = ODF_EXPORT_DEFAULT_BATCH;
	opt.p.import_worker = 1;
	opt.p.import_batch_size = ODF_IMPORT_DEFAULT_BATCH;
	opt.overlap = ODF_SYNC_DEFAULT_OVERLAP;
	if ((rc = odf_parse_options(&command, argc, argv, &operand)) != ODF_OPTIONS_GO_ON)
		return rc;
	if (operand != argc)
		return odf_usage_error(&command, "unexpected argument '%s'", argv[operand]);
	if (opt.p.m.conf_export == NULL)
		return odf_usage_error(&command, "--config-export is required");
	if (opt.p.m.conf_import == NULL)
		return odf_usage_error(&command, "--config-import is required");
	if (opt.ma.nmodels == 0)
		return odf_usage_error(&command, "--model is required");
	if (odf_modelargs_resolve(&opt.ma, &err) != 0)
		return odf_usage_error_value(&command, &err);
	if (opt.p.fail_file != NULL && opt.ma.nmodels > 1)
		return odf_usage_error(&command, "--fail-file: one model only (each model has its own)");
	opt.p.m.model = opt.ma.models[0];
	opt.p.m.fields = opt.ma.value[ODF_MA_FIELDS][0];
	opt.p.m.domain = opt.ma.value[ODF_MA_DOMAIN][0];
	opt.p.m.transformer_file = opt.ma.value[ODF_MA_TRANSFORMER][0];
	return -1;
}

int
main(int argc, char **argv)
{
	int rc;

	odf_modelargs_init(&opt.ma);
	if ((rc = parse_options(argc, argv)) < 0)
		rc = odf_migrate_run(&opt);
	odf_modelargs_release(&opt.ma);
	return rc;
}
