/*
 * odf-verify: does the destination hold what the source holds? One model
 * compared by external id; each difference an NDJSON line on stdout.
 * Options → the two connection.conf → compare (lib/verify.c) → summary → exit.
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
#include "odf/verify.h"

#define MAX_OPTION_TEXT ((size_t)1 << 20)
#define EXIT_DIFFERENT 1

struct config {
	const char *config_export, *config_import;
	struct odf_verify_opts v;
	char *domain, *context, *fields;    /* owned: may come from @file */
};

static const char *prog = "odf-verify";

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: %s --config-export CONF --config-import CONF --model MODEL [options]\n"
	    "\n"
	    "Compare MODEL between the source (--config-export) and the destination\n"
	    "(--config-import) by external id; write one JSON line per difference.\n"
	    "Exit 0 when they agree, 1 when they do not.\n"
	    "\n"
	    "      --config-export CONF   connection.conf of the source database\n"
	    "      --config-import CONF   connection.conf of the destination database\n"
	    "  -m, --model MODEL          the model, e.g. res.partner\n"
	    "      --fields PATHS         the fields to compare (default: every importable\n"
	    "                             field); \"id\" is added\n"
	    "  -d, --domain DOMAIN        the records to compare, on both sides, or @FILE\n"
	    "      --context DICT         both exports' context, or @FILE\n"
	    "  -f, --transformer-file F   the migration's jq program, run on the source side\n"
	    "  -w, --worker N             parallel connections per side (default 1)\n"
	    "  -b, --batch-size N         records per export_data call (default 100)\n"
	    "      --memory MIB           records held in memory per side, in MiB\n"
	    "                             (default 8); the rest is sorted on disk\n"
	    "  -q, --quiet                no summary, no retry notices\n"
	    "  -h, --help                 this help\n"
	    "  -V, --version              odf's version\n"
	    "\n"
	    "See odf-verify(1).\n",
	    prog);
}

static int
usage_error(const struct odf_error *err)
{
	if (err != NULL)
		odf_error_print(prog, err);
	fprintf(stderr, "usage: %s --config-export CONF --config-import CONF --model MODEL "
	    "[options]; see '%s --help'\n", prog, prog);
	return EX_USAGE;
}

static void
free_config(struct config *c)
{
	free(c->domain);
	free(c->context);
	free(c->fields);
}

static int
text_option(const char *name, char **slot, struct odf_error *err)
{
	free(*slot);
	*slot = odf_arg_text(name, optarg, MAX_OPTION_TEXT, err);
	return *slot == NULL ? -1 : 0;
}

/* Fill c from argv. Returns -1 to go on, else the exit status. */
static int
parse_options(int argc, char **argv, struct config *c)
{
	enum { OPT_EXPORT = 256, OPT_IMPORT, OPT_FIELDS, OPT_CONTEXT, OPT_MEMORY };
	static const struct option longopts[] = {
		{ "config-export", required_argument, NULL, OPT_EXPORT },
		{ "config-import", required_argument, NULL, OPT_IMPORT },
		{ "model", required_argument, NULL, 'm' },
		{ "fields", required_argument, NULL, OPT_FIELDS },
		{ "domain", required_argument, NULL, 'd' },
		{ "context", required_argument, NULL, OPT_CONTEXT },
		{ "transformer-file", required_argument, NULL, 'f' },
		{ "worker", required_argument, NULL, 'w' },
		{ "workers", required_argument, NULL, 'w' },
		{ "batch-size", required_argument, NULL, 'b' },
		{ "memory", required_argument, NULL, OPT_MEMORY },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct odf_error err;
	long n;
	int ch;

	odf_error_clear(&err);
	while ((ch = getopt_long(argc, argv, "m:d:f:w:b:qhV", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_EXPORT: c->config_export = optarg; break;
		case OPT_IMPORT: c->config_import = optarg; break;
		case 'm': c->v.model = optarg; break;
		case OPT_FIELDS:
			if (text_option("--fields", &c->fields, &err) != 0)
				return usage_error(&err);
			break;
		case 'd':
			if (text_option("--domain", &c->domain, &err) != 0)
				return usage_error(&err);
			break;
		case OPT_CONTEXT:
			if (text_option("--context", &c->context, &err) != 0)
				return usage_error(&err);
			break;
		case 'f': c->v.transformer = optarg; break;
		case 'w':
			if (odf_parse_count("--worker", optarg, 1, ODF_EXPORT_MAX_WORKERS, &n, &err) != 0)
				return usage_error(&err);
			c->v.workers = (int)n;
			break;
		case 'b':
			if (odf_parse_count("--batch-size", optarg, 1, ODF_EXPORT_MAX_BATCH, &n, &err) != 0)
				return usage_error(&err);
			c->v.batch_size = n;
			break;
		case OPT_MEMORY:
			if (odf_parse_count("--memory", optarg, 1, 1L << 20, &n, &err) != 0)
				return usage_error(&err);
			c->v.memory = (size_t)n << 20;
			break;
		case 'q': c->v.quiet = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("%s %s\n", prog, ODF_VERSION); return 0;
		default: return usage_error(NULL);
		}
	}
	if (optind != argc) {
		odf_error_set(&err, ODF_E_USAGE, "unexpected argument '%s'", argv[optind]);
		return usage_error(&err);
	}
	if (c->config_export == NULL || c->config_import == NULL || c->v.model == NULL) {
		odf_error_set(&err, ODF_E_USAGE, "%s is required",
		    c->config_export == NULL ? "--config-export" :
		    c->config_import == NULL ? "--config-import" : "--model");
		return usage_error(&err);
	}
	if (c->v.transformer != NULL && access(c->v.transformer, R_OK) != 0) {
		fprintf(stderr, "%s: --transformer-file %s: cannot be read\n", prog,
		    c->v.transformer);
		return EX_NOINPUT;
	}
	c->v.fields = c->fields;
	c->v.domain = c->domain;
	c->v.context = c->context;
	return -1;
}

static void
conf_warning(const char *message, void *arg)
{
	(void)arg;
	fprintf(stderr, "%s: warning: %s\n", prog, message);
}

static int
load_conf(struct odf_conf *conf, const char *path)
{
	struct odf_error err;

	odf_error_clear(&err);
	if (odf_conf_load(conf, path, conf_warning, NULL, &err) != 0) {
		odf_error_print(prog, &err);
		return odf_error_exit_status(&err);
	}
	if (conf->legacy_xmlrpc)
		conf_warning("protocol xmlrpc: talking JSON-RPC to the same host and port", NULL);
	return 0;
}

/* "res.partner: 10,000 source, 10,000 destination: 9,990 equal, 3 missing,
 * 2 extra, 5 differ in 4.2s" */
static void
print_summary(const struct config *c, const struct odf_verify_summary *s)
{
	char a[32], b[32], e[32], t[32];

	if (c->v.quiet)
		return;
	fprintf(stderr, "%s: %s: %s source, %s destination: %s equal, %lld missing, "
	    "%lld extra, %lld differ", prog, c->v.model,
	    odf_format_count(a, sizeof(a), s->source),
	    odf_format_count(b, sizeof(b), s->destination),
	    odf_format_count(e, sizeof(e), s->equal), s->missing, s->extra, s->differs);
	if (s->duplicates > 0)
		fprintf(stderr, ", %lld duplicate", s->duplicates);
	if (s->rejected > 0)
		fprintf(stderr, ", %lld rejected by the transformer", s->rejected);
	fprintf(stderr, " in %s\n", odf_format_duration(t, sizeof(t), s->seconds));
}

int
main(int argc, char **argv)
{
	struct odf_conf src, dst;
	struct odf_verify_summary sum;
	struct odf_error err;
	struct config c;
	int status;

	memset(&c, 0, sizeof(c));
	memset(&src, 0, sizeof(src));
	memset(&dst, 0, sizeof(dst));
	c.v.prog = prog;
	c.v.diag = stderr;
	signal(SIGPIPE, SIG_IGN);
	if ((status = parse_options(argc, argv, &c)) >= 0) {
		free_config(&c);
		return status;
	}
	if ((status = load_conf(&src, c.config_export)) != 0 ||
	    (status = load_conf(&dst, c.config_import)) != 0)
		goto done;
	odf_error_clear(&err);
	if (odf_verify_run(&c.v, &src, &dst, stdout, &sum, &err) != 0) {
		odf_error_print(prog, &err);
		status = odf_error_exit_status(&err);
		goto done;
	}
	if (!sum.reader_gone)
		print_summary(&c, &sum);
	status = odf_verify_differences(&sum) > 0 ? EXIT_DIFFERENT : 0;
	if (fclose(stdout) != 0 && !sum.reader_gone) {
		fprintf(stderr, "%s: standard output: write error\n", prog);
		status = EX_IOERR;
	}
done:
	odf_conf_free(&src);
	odf_conf_free(&dst);
	free_config(&c);
	return status;
}
