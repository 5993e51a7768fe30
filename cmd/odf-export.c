/*
 * odf-export: the selected records of one Odoo model, as NDJSON on stdout.
 * Options → connection.conf → export loop (lib/export.c) → summary → exit.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "odf/cli.h"
#include "odf/conf.h"
#include "odf/export.h"
#include "odf/progress.h"

#define MAX_OPTION_TEXT ((size_t)1 << 20)

struct config {
	const char *conf_path;
	struct odf_export_opts ex;
	char *domain, *context, *fields;    /* owned: may come from @file */
};

static const char *prog = "odf-export";

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: %s -c CONF -m MODEL [options]\n"
	    "\n"
	    "Write the records of MODEL to standard output, one JSON object a line.\n"
	    "\n"
	    "  -c, --config CONF      connection.conf of the source database\n"
	    "  -m, --model MODEL      the model, e.g. res.partner\n"
	    "  -f, --fields PATHS     comma-separated field paths: name,parent_id/id,\n"
	    "                         country_id/code,.id (default: every importable field)\n"
	    "  -d, --domain DOMAIN    an Odoo domain, Python literal or JSON, or @FILE\n"
	    "      --context DICT     e.g. \"{'lang': 'fr_FR', 'active_test': False}\", or @FILE\n"
	    "      --order ORDER      e.g. \"name desc\" (default: by id)\n"
	    "      --limit N          at most N records\n"
	    "      --flat             Odoo's column paths as keys (\"parent_id/id\")\n"
	    "      --archived         archived records too, with their active field\n"
	    "  -b, --batch-size N     records per export_data call (default 100)\n"
	    "  -w, --worker N         parallel connections (default 1)\n"
	    "  -q, --quiet            no progress, no summary, no retry notices\n"
	    "  -h, --help             this help\n"
	    "  -V, --version          odf's version\n"
	    "\n"
	    "The record format is described in odf-records(7); see odf-export(1).\n",
	    prog);
}

static int
usage_error(const struct odf_error *err)
{
	if (err != NULL)
		odf_error_print(prog, err);
	fprintf(stderr, "usage: %s -c CONF -m MODEL [options]; see '%s --help'\n",
	    prog, prog);
	return EX_USAGE;
}

static void
free_config(struct config *c)
{
	free(c->domain);
	free(c->context);
	free(c->fields);
}

/* Fill c from argv. Returns -1 to go on, else the exit status. */
static int
parse_options(int argc, char **argv, struct config *c)
{
	enum { OPT_LIMIT = 256, OPT_ORDER, OPT_CONTEXT, OPT_FLAT, OPT_ARCHIVED };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "model", required_argument, NULL, 'm' },
		{ "fields", required_argument, NULL, 'f' },
		{ "domain", required_argument, NULL, 'd' },
		{ "context", required_argument, NULL, OPT_CONTEXT },
		{ "order", required_argument, NULL, OPT_ORDER },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ "flat", no_argument, NULL, OPT_FLAT },
		{ "archived", no_argument, NULL, OPT_ARCHIVED },
		{ "batch-size", required_argument, NULL, 'b' },
		{ "worker", required_argument, NULL, 'w' },
		{ "workers", required_argument, NULL, 'w' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct odf_error err;
	long n;
	int ch;

	odf_error_clear(&err);
	while ((ch = getopt_long(argc, argv, "c:m:f:d:b:w:qhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': c->conf_path = optarg; break;
		case 'm': c->ex.model = optarg; break;
		case 'f':
			free(c->fields);
			if ((c->fields = odf_arg_text("--fields", optarg, MAX_OPTION_TEXT, &err)) == NULL)
				return usage_error(&err);
			break;
		case 'd':
			free(c->domain);
			if ((c->domain = odf_arg_text("--domain", optarg, MAX_OPTION_TEXT, &err)) == NULL)
				return usage_error(&err);
			break;
		case OPT_CONTEXT:
			free(c->context);
			if ((c->context = odf_arg_text("--context", optarg, MAX_OPTION_TEXT, &err)) == NULL)
				return usage_error(&err);
			break;
		case OPT_ORDER: c->ex.order = optarg; break;
		case OPT_LIMIT:
			if (odf_parse_count("--limit", optarg, 0, 1L << 40, &n, &err) != 0)
				return usage_error(&err);
			c->ex.limit = n;
			break;
		case OPT_FLAT: c->ex.flat = 1; break;
		case OPT_ARCHIVED: c->ex.archived = 1; break;
		case 'b':
			if (odf_parse_count("--batch-size", optarg, 1, ODF_EXPORT_MAX_BATCH, &n, &err) != 0)
				return usage_error(&err);
			c->ex.batch_size = n;
			break;
		case 'w':
			if (odf_parse_count("--worker", optarg, 1, ODF_EXPORT_MAX_WORKERS, &n, &err) != 0)
				return usage_error(&err);
			c->ex.workers = (int)n;
			break;
		case 'q': c->ex.quiet = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("%s %s\n", prog, ODF_VERSION); return 0;
		default: return usage_error(NULL);
		}
	}
	if (optind != argc) {
		odf_error_set(&err, ODF_E_USAGE, "unexpected argument '%s'", argv[optind]);
		return usage_error(&err);
	}
	if (c->conf_path == NULL || c->ex.model == NULL) {
		odf_error_set(&err, ODF_E_USAGE, "%s is required",
		    c->conf_path == NULL ? "-c CONF" : "-m MODEL");
		return usage_error(&err);
	}
	c->ex.fields = c->fields;
	c->ex.domain = c->domain;
	c->ex.context = c->context;
	c->ex.progress = isatty(STDERR_FILENO);
	return -1;
}

static void
conf_warning(const char *message, void *arg)
{
	(void)arg;
	fprintf(stderr, "%s: warning: %s\n", prog, message);
}

static void
print_summary(const struct config *c, const struct odf_export_summary *sum)
{
	char line[256];

	if (c->ex.quiet)
		return;
	fprintf(stderr, "%s: %s: %s\n", prog, c->ex.model,
	    odf_progress_summary(line, sizeof(line), sum->records, sum->seconds));
}

int
main(int argc, char **argv)
{
	struct config c;
	struct odf_conf conf;
	struct odf_export_summary sum;
	struct odf_error err;
	int status;

	memset(&c, 0, sizeof(c));
	memset(&conf, 0, sizeof(conf));
	c.ex.prog = prog;
	c.ex.diag = stderr;
	/* A closed reader is an EPIPE to stop on, not a signal to die of. */
	signal(SIGPIPE, SIG_IGN);
	if ((status = parse_options(argc, argv, &c)) >= 0) {
		free_config(&c);
		return status;
	}
	odf_error_clear(&err);
	if (odf_conf_load(&conf, c.conf_path, conf_warning, NULL, &err) != 0) {
		odf_error_print(prog, &err);
		free_config(&c);
		return odf_error_exit_status(&err);
	}
	if (conf.legacy_xmlrpc)
		conf_warning("protocol xmlrpc: talking JSON-RPC to the same host and port", NULL);
	status = 0;
	if (odf_export_run(&c.ex, &conf, stdout, &sum, &err) != 0) {
		odf_error_print(prog, &err);
		status = odf_error_exit_status(&err);
	} else if (!sum.reader_gone) {
		print_summary(&c, &sum);
	}
	if (fclose(stdout) != 0 && status == 0 && !sum.reader_gone) {
		fprintf(stderr, "%s: standard output: write error\n", prog);
		status = EX_IOERR;
	}
	odf_conf_free(&conf);
	free_config(&c);
	return status;
}
