/* The option parser every program shares (lib/options.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "odf/options.h"
#include "unit.h"

static const char *conf, *model, *pair_name, *pair_value;
static char *domain, **fields;
static size_t nfields;
static long batch;
static int quiet;

static int
pair(const struct odf_option *o, const char *a, const char *b, struct odf_error *err)
{
	(void)o;
	(void)err;
	pair_name = a;
	pair_value = b;
	return 0;
}

static const struct odf_option table[] = {
	ODF_OPT_STRING('c', "config", &conf, "CONF", "connection file"),
	ODF_OPT_STRING('m', "model", &model, "MODEL", "the model"),
	ODF_OPT_TEXT('d', "domain", &domain, "DOMAIN", "a domain, or @FILE"),
	ODF_OPT_LIST(0, "fields", &fields, &nfields, "F,...", "the fields"),
	ODF_OPT_COUNT('b', "batch-size", &batch, "N", 1, 500, "records a call"),
	ODF_OPT_COUNT(0, "batch", &batch, "N", 1, 500, NULL),
	ODF_OPT_FLAG('q', "quiet", &quiet, "no progress"),
	ODF_OPT_CALLBACK2(0, "arg", pair, NULL, "NAME VALUE", "a variable"),
	ODF_OPT_END(),
};

static const struct odf_command cmd = {
	"odf test", "-c CONF [options] [FILE...]", "About.\n", "Footer.\n", table,
};

/* What the parser printed on stdout, for --help. */
static char out[4096];

/* What is written on fd between the two calls, into buf. */
static void
capture_begin(int fd, int *saved, FILE **tmp)
{
	fflush(NULL);
	*saved = dup(fd);
	*tmp = tmpfile();
	dup2(fileno(*tmp), fd);
}

static void
capture_end(int fd, int saved, FILE *tmp, char *buf, size_t size)
{
	size_t n;

	fflush(NULL);
	dup2(saved, fd);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, size - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
}

/* Parse the words of line (blank-separated) with argv[0] "odf-test"; what
 * it printed on stderr goes to diag, on stdout to out. */
static char *argv[32];

static int
parse(const char *line, int *operand, char *diag, size_t size)
{
	static char buf[512];
	char *w, *save = NULL;
	int argc = 0, rc, saved_err, saved_out;
	FILE *tmp_err, *tmp_out;

	odf_options_free(&cmd);
	conf = model = pair_name = pair_value = NULL;
	batch = 100;
	quiet = 0;
	snprintf(buf, sizeof(buf), "%s", line);
	argv[argc++] = "odf-test";
	for (w = strtok_r(buf, " ", &save); w != NULL && argc < 31; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	capture_begin(STDERR_FILENO, &saved_err, &tmp_err);
	capture_begin(STDOUT_FILENO, &saved_out, &tmp_out);
	rc = odf_parse_options(&cmd, argc, argv, operand);
	capture_end(STDOUT_FILENO, saved_out, tmp_out, out, sizeof(out));
	capture_end(STDERR_FILENO, saved_err, tmp_err, diag, size);
	return rc;
}

UNIT_TEST(values_land_in_their_variables)
{
	char diag[512];
	int operand;

	CHECK_INT(parse("-c a.conf --model=res.partner -qb 7 --fields id,name in.ndjson",
	    &operand, diag, sizeof(diag)), ODF_OPTIONS_GO_ON);
	CHECK_STR(conf, "a.conf");
	CHECK_STR(model, "res.partner");
	CHECK_INT(batch, 7);
	CHECK_INT(quiet, 1);
	CHECK_INT(nfields, 2);
	CHECK(fields != NULL && strcmp(fields[1], "name") == 0);
	CHECK_STR(argv[operand], "in.ndjson");
	CHECK(argv[operand + 1] == NULL);
	CHECK_STR(diag, "");
}

UNIT_TEST(the_last_value_wins_and_aliases_share_it)
{
	char diag[512];
	int operand;

	CHECK_INT(parse("-d [] -d [(1,'=',1)] --batch 9 -b 3 --batch 4", &operand, diag,
	    sizeof(diag)), ODF_OPTIONS_GO_ON);
	CHECK_STR(domain, "[(1,'=',1)]");
	CHECK_INT(batch, 4);
}

UNIT_TEST(operands_may_mix_with_options_and_double_dash_ends_them)
{
	char diag[512];
	int operand;

	CHECK_INT(parse("one -q two -- -c three", &operand, diag, sizeof(diag)),
	    ODF_OPTIONS_GO_ON);
	CHECK_INT(quiet, 1);
	CHECK(conf == NULL);
	CHECK_STR(argv[operand], "one");
	CHECK_STR(argv[operand + 1], "two");
	CHECK_STR(argv[operand + 2], "-c");
	CHECK_STR(argv[operand + 3], "three");
}

UNIT_TEST(an_option_with_two_values_takes_the_next_word)
{
	char diag[512];
	int operand;

	CHECK_INT(parse("--arg x y", &operand, diag, sizeof(diag)), ODF_OPTIONS_GO_ON);
	CHECK_STR(pair_name, "x");
	CHECK_STR(pair_value, "y");
	CHECK_INT(parse("--arg x", &operand, diag, sizeof(diag)), EX_USAGE);
	CHECK_STR(diag, "odf test: --arg takes two values: NAME VALUE\n"
	    "usage: odf test -c CONF [options] [FILE...]; see 'odf test --help'\n");
}

UNIT_TEST(usage_errors_are_two_lines_in_one_voice)
{
	static const struct {
		const char *line, *first;
	} t[] = {
		{ "--colour", "odf test: unknown option '--colour'" },
		{ "-x", "odf test: unknown option '-x'" },
		{ "-c", "odf test: option '-c' needs a value" },
		{ "--model", "odf test: option '--model' needs a value" },
		{ "--quiet=yes", "odf test: option '--quiet' takes no value" },
		{ "-b 0", "odf test: --batch-size: '0' is not a number from 1 to 500" },
		{ "--batch 501", "odf test: --batch: '501' is not a number from 1 to 500" },
		{ "--fields a,,b", "odf test: --fields: empty item after 'a'" },
		{ "-d @/nonexistent/domain.py", "odf test: --domain: /nonexistent/domain.py: " },
	};
	char diag[512], want[512];
	int operand;
	size_t k;

	for (k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		CHECK_INT(parse(t[k].line, &operand, diag, sizeof(diag)), EX_USAGE);
		snprintf(want, sizeof(want), "%s", t[k].first);
		if (strncmp(diag, want, strlen(want)) != 0)
			printf("# %s: got \"%s\"\n", t[k].line, diag), unit_case_failed = 1;
		CHECK(strstr(diag, "\nusage: odf test -c CONF [options] [FILE...]; "
		    "see 'odf test --help'\n") != NULL);
	}
}

UNIT_TEST(help_and_version_succeed_on_stdout)
{
	char diag[512];
	int operand;

	CHECK_INT(parse("--version", &operand, diag, sizeof(diag)), 0);
	CHECK_STR(diag, "");
	CHECK_STR(out, "odf " ODF_VERSION "\n");
	CHECK_INT(parse("-h", &operand, diag, sizeof(diag)), 0);
	CHECK_STR(diag, "");
	/* The table, with the defaults the program set, and no hidden alias. */
	CHECK(strncmp(out, "usage: odf test -c CONF [options] [FILE...]\n\nAbout.\n\n",
	    strlen("usage: odf test -c CONF [options] [FILE...]\n\nAbout.\n\n")) == 0);
	CHECK(strstr(out, "  -b, --batch-size N      records a call (default 100)\n") != NULL);
	CHECK(strstr(out, "      --arg NAME VALUE    a variable\n") != NULL);
	CHECK(strstr(out, "--batch ") == NULL);
	CHECK(strstr(out, "\nFooter.\n") != NULL);
}

UNIT_TEST(a_usage_error_found_later_speaks_the_same)
{
	char diag[512];
	int saved;
	FILE *tmp;

	capture_begin(STDERR_FILENO, &saved, &tmp);
	CHECK_INT(odf_usage_error(&cmd, "%s is required", "-c CONF"), EX_USAGE);
	capture_end(STDERR_FILENO, saved, tmp, diag, sizeof(diag));
	CHECK_STR(diag, "odf test: -c CONF is required\n"
	    "usage: odf test -c CONF [options] [FILE...]; see 'odf test --help'\n");
}

int
main(void)
{
	RUN(values_land_in_their_variables);
	RUN(the_last_value_wins_and_aliases_share_it);
	RUN(operands_may_mix_with_options_and_double_dash_ends_them);
	RUN(an_option_with_two_values_takes_the_next_word);
	RUN(usage_errors_are_two_lines_in_one_voice);
	RUN(help_and_version_succeed_on_stdout);
	RUN(a_usage_error_found_later_speaks_the_same);
	odf_options_free(&cmd);
	return unit_done();
}
