/*
 * One option parser for every program, after git's parse-options: a
 * program describes its options in a table, and this module parses argv
 * into the table's variables, prints --help from the same table, and
 * reports usage errors, the same words in every program:
 *
 *   odf export: unknown option '--colour'
 *   usage: odf export -c CONF -m MODEL [options]; see 'odf export --help'
 *
 * Programs are named the way git names its commands, "odf export" whether
 * run as `odf export` or as `odf-export`: the name in the table is the one
 * every message uses. Unlike the rest of the library this module prints
 * (help on stdout, usage errors on stderr): it is the programs' voice for
 * usage.
 */
#ifndef ODF_OPTIONS_H
#define ODF_OPTIONS_H

#include <stddef.h>

#include "odf/error.h"

enum odf_option_type {
	ODF_OPT_END = 0,
	ODF_OPT_STRING,         /* const char **: the argument, borrowed from argv */
	ODF_OPT_TEXT,           /* char **: the argument or, for @FILE, the file's
	                         * content; owned by the caller (free()), replaced
	                         * when given again; start it NULL */
	ODF_OPT_COUNT,          /* long *: a whole number from min to max; the
	                         * value before parsing is shown as the default */
	ODF_OPT_FLAG,           /* int *: set to 1 */
	ODF_OPT_LIST,           /* char ***: a comma-separated list (odf_split_list);
	                         * the count goes to *(size_t *)aux; owned, free() */
	ODF_OPT_CALLBACK,       /* fn(opt, arg, NULL, err) */
	ODF_OPT_CALLBACK2,      /* two values, as jq's --arg NAME VALUE:
	                         * fn(opt, arg, next argument, err) */
};

struct odf_option;

/* 0 to go on, -1 with err (ODF_E_USAGE for a bad value). */
typedef int (*odf_option_fn)(const struct odf_option *opt, const char *arg,
    const char *arg2, struct odf_error *err);

struct odf_option {
	enum odf_option_type type;
	int short_name;         /* 0: none */
	const char *long_name;  /* NULL: none */
	void *value;            /* where the value goes, by type */
	const char *argh;       /* the value's name in --help, e.g. "CONF" */
	const char *help;       /* one line or several ('\n'); NULL: hidden (an alias) */
	long min, max;          /* ODF_OPT_COUNT */
	odf_option_fn fn;       /* ODF_OPT_CALLBACK* */
	void *aux;              /* ODF_OPT_LIST: size_t *count; callbacks: their data */
};

/* Table entries, as git's OPT_STRING and friends. */
#define ODF_OPT_STRING(s, l, v, a, h) { ODF_OPT_STRING, (s), (l), (v), (a), (h), 0, 0, NULL, NULL }
#define ODF_OPT_TEXT(s, l, v, a, h) { ODF_OPT_TEXT, (s), (l), (v), (a), (h), 0, 0, NULL, NULL }
#define ODF_OPT_COUNT(s, l, v, a, lo, hi, h) \
	{ ODF_OPT_COUNT, (s), (l), (v), (a), (h), (lo), (hi), NULL, NULL }
#define ODF_OPT_FLAG(s, l, v, h) { ODF_OPT_FLAG, (s), (l), (v), NULL, (h), 0, 0, NULL, NULL }
#define ODF_OPT_LIST(s, l, v, n, a, h) { ODF_OPT_LIST, (s), (l), (v), (a), (h), 0, 0, NULL, (n) }
#define ODF_OPT_CALLBACK(s, l, f, d, a, h) \
	{ ODF_OPT_CALLBACK, (s), (l), NULL, (a), (h), 0, 0, (f), (d) }
#define ODF_OPT_CALLBACK2(s, l, f, d, a, h) \
	{ ODF_OPT_CALLBACK2, (s), (l), NULL, (a), (h), 0, 0, (f), (d) }
#define ODF_OPT_END() { ODF_OPT_END, 0, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL }

/* A program's face: its name, synopsis and help text around the table. */
struct odf_command {
	const char *name;       /* "odf export": the name in every message */
	const char *synopsis;   /* after the name: "-c CONF -m MODEL [options]" */
	const char *about;      /* a paragraph between the synopsis and the table */
	const char *footer;     /* after the table: exit status, man page */
	const struct odf_option *options;  /* -h/--help and -V/--version are added */
};

/* odf_parse_options' answers besides an exit status. */
#define ODF_OPTIONS_GO_ON (-1)

/*
 * Parse argv against cmd's table. Returns ODF_OPTIONS_GO_ON with *operand
 * set to the index of the first operand (options and operands may mix, as
 * with getopt_long; "--" ends the options), 0 after printing --help or
 * --version (exit 0), or EX_USAGE after printing the usage error. Values
 * given twice: the last wins. Every program calls it first: it also opens
 * /dev/null on whichever of standard input, output and error is closed.
 */
int odf_parse_options(const struct odf_command *cmd, int argc, char **argv,
    int *operand);

/*
 * Print a usage error found after parsing (a missing option, too many
 * operands): "NAME: MESSAGE", then the usage line. Returns EX_USAGE.
 */
int odf_usage_error(const struct odf_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The same for an error value (err->message, and its detail). */
int odf_usage_error_value(const struct odf_command *cmd, const struct odf_error *err);

/* The whole --help text on stdout. */
void odf_print_help(const struct odf_command *cmd);

/* Free the values ODF_OPT_TEXT and ODF_OPT_LIST options allocated, and set
 * them NULL. */
void odf_options_free(const struct odf_command *cmd);

#endif
