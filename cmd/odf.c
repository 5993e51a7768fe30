/*
 * odf: the front door. "odf ping" and "odf version" are its own; every
 * other command runs the program odf-COMMAND found beside this binary (or,
 * failing that, on $PATH), the way git runs its subcommands.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "odf/connect.h"
#include "odf/options.h"
#include "odf/path.h"

static const char *prog = "odf";

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: odf COMMAND [ARGS...]\n"
	    "\n"
	    "commands:\n"
	    "  export     stream an Odoo model out as NDJSON records (odf-export)\n"
	    "  transform  reshape records with a jq program (odf-transform)\n"
	    "  import     load records into Odoo (odf-import)\n"
	    "  migrate    export | transform | import in one pipeline (odf-migrate)\n"
	    "  plan       what a migration would do: order, references, schema (odf-plan)\n"
	    "  verify     compare a model between two databases (odf-verify)\n"
	    "  ping       check a connection.conf: odf ping -c CONF\n"
	    "  version    print odf's version\n"
	    "\n"
	    "'odf COMMAND --help' and man odf-COMMAND tell more.\n");
}

static int
print_version_field(const cJSON *version, const char *key, const char *label)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(version, key);

	if (!cJSON_IsString(v))
		return 0;
	printf("%-10s %s\n", label, v->valuestring);
	return 1;
}

static const char *ping_conf;
static int ping_quiet;

static const struct odf_option ping_options[] = {
	ODF_OPT_STRING('c', "config", &ping_conf, "CONF", "the connection.conf to check"),
	ODF_OPT_FLAG('q', "quiet", &ping_quiet, "no retry notices"),
	ODF_OPT_END(),
};

static const struct odf_command ping_command = {
	"odf ping", "-c CONF",
	"Connect, log in, and say which server, version, database and user.\n",
	"See odf(1).\n",
	ping_options,
};

/* odf ping -c CONF: connect, log in, say who and where. */
static int
cmd_ping(int argc, char **argv)
{
	struct odf_connect_opts opts = { "odf ping", stderr, 0, 0, 0 };
	struct odf_error err;
	struct odf_conf conf;
	struct odf_rpc *rpc;
	cJSON *version;
	char url[600];
	int rc, operand;

	if ((rc = odf_parse_options(&ping_command, argc, argv, &operand)) != ODF_OPTIONS_GO_ON)
		return rc;
	if (operand != argc)
		return odf_usage_error(&ping_command, "unexpected argument '%s'", argv[operand]);
	if (ping_conf == NULL)
		return odf_usage_error(&ping_command, "-c CONF is required");
	opts.quiet = ping_quiet;
	odf_error_clear(&err);
	if ((rpc = odf_connect(ping_conf, &opts, &conf, &err)) == NULL) {
		odf_error_print(opts.prog, &err);
		return odf_error_exit_status(&err);
	}
	if ((version = odf_rpc_version(rpc, &err)) == NULL) {
		odf_error_print(opts.prog, &err);
		odf_rpc_free(rpc);
		odf_conf_free(&conf);
		return odf_error_exit_status(&err);
	}
	printf("%-10s %s\n", "server", odf_conf_base_url(&conf, url, sizeof(url)));
	if (!print_version_field(version, "server_version", "version"))
		print_version_field(version, "version", "version");
	printf("%-10s %s\n", "database", conf.database);
	if (conf.login != NULL && conf.protocol != ODF_PROTO_JSON2)
		printf("%-10s %s\n", "login", conf.login);
	printf("%-10s %d\n", "uid", odf_rpc_uid(rpc));
	printf("%-10s %s\n", "protocol", conf.protocol == ODF_PROTO_JSON2 ? "json2" : "jsonrpc");
	cJSON_Delete(version);
	odf_rpc_free(rpc);
	odf_conf_free(&conf);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror(opts.prog);
		return EX_IOERR;
	}
	return 0;
}

static int
run_program(const char *command, char **argv)
{
	char name[128], path[PATH_MAX];

	snprintf(name, sizeof(name), "odf-%s", command);
	argv[0] = name;
	if (odf_program_path(name, path, sizeof(path)) == 0) {
		execv(path, argv);
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return EX_OSERR;
	}
	execvp(name, argv);
	if (errno == ENOENT) {
		fprintf(stderr, "%s: '%s' is not an odf command (see 'odf --help')\n",
		    prog, command);
		return EX_USAGE;
	}
	fprintf(stderr, "%s: %s: %s\n", prog, name, strerror(errno));
	return EX_OSERR;
}

int
main(int argc, char **argv)
{
	const char *command = argc > 1 ? argv[1] : NULL;

	if (command == NULL) {
		usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(command, "-h") == 0 || strcmp(command, "--help") == 0 ||
	    strcmp(command, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(command, "version") == 0 || strcmp(command, "--version") == 0) {
		printf("odf %s\n", ODF_VERSION);
		return 0;
	}
	if (strcmp(command, "ping") == 0)
		return cmd_ping(argc - 1, argv + 1);
	if (command[0] == '-' || strchr(command, '/') != NULL) {
		usage(stderr);
		return EX_USAGE;
	}
	return run_program(command, argv + 1);
}
