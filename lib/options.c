/* The option parser every program shares: a table in, values out, one voice. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "odf/cli.h"
#include "odf/options.h"

#define MAX_OPTIONS 64
/* Long options map to 256 + their index in the table. */
#define LONG_BASE 256
#define HELP_COLUMN 26

enum { OPT_HELP = LONG_BASE + MAX_OPTIONS, OPT_VERSION };

static void
print_usage_line(const struct odf_command *cmd, FILE *out)
{
	fprintf(out, "usage: %s %s; see '%s --help'\n", cmd->name, cmd->synopsis,
	    cmd->name);
}

int
odf_usage_error(const struct odf_command *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	print_usage_line(cmd, stderr);
	return EX_USAGE;
}

int
odf_usage_error_value(const struct odf_command *cmd, const struct odf_error *err)
{
	if (err->detail[0] != '\0')
		return odf_usage_error(cmd, "%s (%s)", err->message, err->detail);
	return odf_usage_error(cmd, "%s", err->message);
}

/* "-c, --config CONF" as --help shows it. */
static void
option_label(const struct odf_option *o, char *buf, size_t size)
{
	int n;

	if (o->short_name != 0 && o->long_name != NULL)
		n = snprintf(buf, size, "-%c, --%s", o->short_name, o->long_name);
	else if (o->short_name != 0)
		n = snprintf(buf, size, "-%c", o->short_name);
	else
		n = snprintf(buf, size, "    --%s", o->long_name);
	if (o->argh != NULL && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " %s", o->argh);
}

static void
print_option_help(const struct odf_option *o, FILE *out)
{
	char label[96];
	const char *h = o->help, *nl;
	int first = 1;

	option_label(o, label, sizeof(label));
	fprintf(out, "  %-*s", HELP_COLUMN - 2, label);
	if (strlen(label) > HELP_COLUMN - 3)
		fprintf(out, "\n%*s", HELP_COLUMN, "");
	do {
		nl = strchr(h, '\n');
		if (!first)
			fprintf(out, "%*s", HELP_COLUMN, "");
		fprintf(out, "%.*s", nl != NULL ? (int)(nl - h) : (int)strlen(h), h);
		if (nl == NULL && o->type == ODF_OPT_COUNT)
			fprintf(out, " (default %ld)", *(long *)o->value);
		fputc('\n', out);
		first = 0;
		h = nl != NULL ? nl + 1 : NULL;
	} while (h != NULL);
}

void
odf_print_help(const struct odf_command *cmd)
{
	const struct odf_option *o;

	printf("usage: %s %s\n", cmd->name, cmd->synopsis);
	if (cmd->about != NULL)
		printf("\n%s", cmd->about);
	printf("\n");
	for (o = cmd->options; o->type != ODF_OPT_END; o++)
		if (o->help != NULL)
			print_option_help(o, stdout);
	printf("  -h, --help              this help\n");
	printf("  -V, --version           odf's version\n");
	if (cmd->footer != NULL)
		printf("\n%s", cmd->footer);
}

/* The getopt_long tables for cmd's options. -1 when there are too many. */
static int
build_getopt(const struct odf_command *cmd, struct option *longopts, char *shortopts,
    size_t size)
{
	const struct odf_option *o;
	size_t nl = 0, ns = 0;
	int i;

	shortopts[ns++] = ':';  /* a missing value is told apart from an unknown option */
	for (i = 0, o = cmd->options; o->type != ODF_OPT_END; o++, i++) {
		int has_arg = o->type == ODF_OPT_FLAG ? no_argument : required_argument;

		if (i >= MAX_OPTIONS || ns + 3 >= size)
			return -1;
		if (o->long_name != NULL)
			longopts[nl++] = (struct option){ o->long_name, has_arg, NULL, LONG_BASE + i };
		if (o->short_name != 0) {
			shortopts[ns++] = (char)o->short_name;
			if (has_arg == required_argument)
				shortopts[ns++] = ':';
		}
	}
	longopts[nl++] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	longopts[nl++] = (struct option){ "version", no_argument, NULL, OPT_VERSION };
	longopts[nl] = (struct option){ NULL, 0, NULL, 0 };
	if (ns + 3 >= size)
		return -1;
	memcpy(shortopts + ns, "hV", 3);
	return 0;
}

static const struct odf_option *
find_short(const struct odf_command *cmd, int c)
{
	const struct odf_option *o;

	for (o = cmd->options; o->type != ODF_OPT_END; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

/* "--batch-size" or "-b": how the user wrote the option, for messages. */
static const char *
option_name(const struct odf_option *o, char *buf, size_t size)
{
	if (o->long_name != NULL)
		snprintf(buf, size, "--%s", o->long_name);
	else
		snprintf(buf, size, "-%c", o->short_name);
	return buf;
}

/* One option's value into its variable. 0, or -1 with err. */
static int
take_value(const struct odf_option *o, const char *arg, int argc, char **argv,
    struct odf_error *err)
{
	char name[64];
	long n;

	option_name(o, name, sizeof(name));
	switch (o->type) {
	case ODF_OPT_STRING:
		*(const char **)o->value = arg;
		return 0;
	case ODF_OPT_TEXT: {
		char *text = odf_arg_text(name, arg, ODF_MAX_OPTION_TEXT, err);

		if (text == NULL)
			return -1;
		free(*(char **)o->value);
		*(char **)o->value = text;
		return 0;
	}
	case ODF_OPT_COUNT:
		if (odf_parse_count(name, arg, o->min, o->max, &n, err) != 0)
			return -1;
		*(long *)o->value = n;
		return 0;
	case ODF_OPT_FLAG:
		*(int *)o->value = 1;
		return 0;
	case ODF_OPT_LIST: {
		char **list = odf_split_list(name, arg, (size_t *)o->aux, err);

		if (list == NULL)
			return -1;
		free(*(char ***)o->value);
		*(char ***)o->value = list;
		return 0;
	}
	case ODF_OPT_CALLBACK:
		return o->fn(o, arg, NULL, err);
	case ODF_OPT_CALLBACK2:
		/* The second value is the next argument, as in jq. */
		if (optind >= argc)
			return odf_error_set(err, ODF_E_USAGE, "%s takes two values: %s", name,
			    o->argh != NULL ? o->argh : "NAME VALUE");
		return o->fn(o, arg, argv[optind++], err);
	case ODF_OPT_END:
		break;
	}
	return 0;
}

/*
 * A program started with standard input, output or error closed would hand
 * that number to the next file, pipe or socket it opens, and then write
 * records or messages into it. /dev/null takes the place, as in git, but
 * opened so that reading a closed input or writing a closed output still
 * fails (EBADF), as cat(1) does: records are never thrown away unsaid.
 */
static void
open_standard_streams(void)
{
	static const int mode[] = { O_WRONLY, O_RDONLY, O_RDWR };
	int fd, nul;

	for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		if ((nul = open("/dev/null", mode[fd])) < 0)
			return;
		if (nul != fd) {
			(void)dup2(nul, fd);
			close(nul);
		}
	}
}

int
odf_parse_options(const struct odf_command *cmd, int argc, char **argv, int *operand)
{
	struct option longopts[MAX_OPTIONS + 3];
	char shortopts[3 * MAX_OPTIONS + 4];
	const struct odf_option *o;
	struct odf_error err;
	int c;

	open_standard_streams();
	if (build_getopt(cmd, longopts, shortopts, sizeof(shortopts)) != 0)
		return odf_usage_error(cmd, "too many options in the table");
	odf_error_clear(&err);
	opterr = 0;
	optind = 0;    /* 0, not 1: glibc starts its scan afresh */
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case OPT_HELP:
		case 'h':
			odf_print_help(cmd);
			return 0;
		case OPT_VERSION:
		case 'V':
			printf("odf %s\n", ODF_VERSION);
			return 0;
		case ':':
			return odf_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
		case '?':
			if (optopt >= LONG_BASE)
				return odf_usage_error(cmd, "option '--%s' takes no value",
				    cmd->options[optopt - LONG_BASE].long_name);
			if (optopt != 0)
				return odf_usage_error(cmd, "unknown option '-%c'", optopt);
			return odf_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		default:
			o = c >= LONG_BASE ? &cmd->options[c - LONG_BASE] : find_short(cmd, c);
			if (o == NULL)
				return odf_usage_error(cmd, "unknown option '-%c'", c);
			if (take_value(o, optarg, argc, argv, &err) != 0)
				return odf_usage_error_value(cmd, &err);
		}
	}
	*operand = optind;
	return ODF_OPTIONS_GO_ON;
}

void
odf_options_free(const struct odf_command *cmd)
{
	const struct odf_option *o;

	for (o = cmd->options; o->type != ODF_OPT_END; o++) {
		if (o->type == ODF_OPT_TEXT && o->value != NULL) {
			free(*(char **)o->value);
			*(char **)o->value = NULL;
		} else if (o->type == ODF_OPT_LIST && o->value != NULL) {
			free(*(char ***)o->value);
			*(char ***)o->value = NULL;
		}
	}
}
