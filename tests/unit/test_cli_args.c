/* Shared option helpers: counts, lists, @file texts. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "odf/cli.h"
#include "unit.h"

UNIT_TEST(counts_are_whole_numbers_in_range)
{
	static const struct {
		const char *arg;
		long value;             /* -1: refused */
	} t[] = {
		{ "1", 1 }, { "500", 500 }, { "100000", 100000 }, { "007", 7 },
		{ "0", -1 }, { "100001", -1 }, { "-5", -1 }, { "", -1 }, { "abc", -1 },
		{ "12abc", -1 }, { " 12", -1 }, { "12 ", -1 }, { "+12", -1 },
		{ "1e3", -1 }, { "1.5", -1 }, { "0x10", -1 },
		{ "99999999999999999999999", -1 },
	};
	struct odf_error err;
	size_t k;
	long v;

	for (k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		int r = odf_parse_count("--batch-size", t[k].arg, 1, 100000, &v, &err);

		if (t[k].value >= 0) {
			CHECK_INT(r, 0);
			CHECK_INT(v, t[k].value);
		} else {
			char want[256];

			CHECK_INT(r, -1);
			CHECK_INT(err.code, ODF_E_USAGE);
			snprintf(want, sizeof(want), "--batch-size: '%s' is not a number "
			    "from 1 to 100000", t[k].arg);
			CHECK_STR(err.message, want);
		}
	}
	CHECK_INT(odf_parse_count("--offset", "-3", -10, 10, &v, &err), 0);
	CHECK_INT(v, -3);
	CHECK_INT(odf_parse_count("--workers", NULL, 1, 64, &v, &err), -1);
	CHECK_STR(err.message, "--workers: '' is not a number from 1 to 64");
}

static void
check_split(const char *arg, const char *joined, size_t want)
{
	struct odf_error err;
	size_t n = 0, k;
	char **list = odf_split_list("--fields", arg, &n, &err), buf[256] = "";

	CHECK(list != NULL);
	if (list == NULL)
		return;
	CHECK_INT(n, want);
	for (k = 0; list[k] != NULL; k++) {
		size_t used = strlen(buf);

		snprintf(buf + used, sizeof(buf) - used, "%s%s", k ? "|" : "", list[k]);
	}
	CHECK_INT(k, want);
	CHECK_STR(buf, joined);
	free(list);
}

UNIT_TEST(lists_split_on_commas_and_trim)
{
	check_split("id,name,parent_id/id", "id|name|parent_id/id", 3);
	check_split("id", "id", 1);
	check_split(" id , name\t,\tx y ", "id|name|x y", 3);
	/* one a line, as in an @file, with its last newline */
	check_split("id\nname\r\n\nparent_id/id\n", "id|name|parent_id/id", 3);
	check_split("id, name,\nref\n", "id|name|ref", 3);
}

UNIT_TEST(empty_list_items_are_refused)
{
	static const struct {
		const char *arg, *message;
	} t[] = {
		{ "", "--fields: empty list" },
		{ "  ", "--fields: empty list" },
		{ "\n\n", "--fields: empty list" },
		{ "id,,name", "--fields: empty item after 'id'" },
		{ "id,name,", "--fields: empty item after 'name'" },
		{ "id,\n,,name", "--fields: empty item after 'id'" },
		{ ",id", "--fields: empty first item" },
		{ "id, ,name", "--fields: empty item after 'id'" },
	};
	struct odf_error err;
	size_t k;

	for (k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		CHECK(odf_split_list("--fields", t[k].arg, NULL, &err) == NULL);
		CHECK_INT(err.code, ODF_E_USAGE);
		CHECK_STR(err.message, t[k].message);
	}
}

/* A file in a fresh temporary directory dir (64 bytes); returns its path. */
static const char *
temp_file(char *dir, char *path, size_t size, const char *content, size_t len)
{
	FILE *f;

	snprintf(dir, 64, "/tmp/odf-test-cli.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return NULL;
	snprintf(path, size, "%s/domain.py", dir);
	f = fopen(path, "wb");
	if (f == NULL)
		return NULL;
	if (fwrite(content, 1, len, f) != len) {
		fclose(f);
		return NULL;
	}
	return fclose(f) == 0 ? path : NULL;
}

UNIT_TEST(files_are_read_whole_up_to_a_limit)
{
	char dir[64], path[128], at[130];
	struct odf_error err;
	size_t len = 99;
	char *text;

	CHECK(temp_file(dir, path, sizeof(path), "[('a', '=', 1)]\n", 16) != NULL);
	text = odf_read_file(path, 1024, &len, &err);
	CHECK_STR(text, "[('a', '=', 1)]\n");
	CHECK_INT(len, 16);
	free(text);
	/* exactly max bytes is fine, one more is not */
	text = odf_read_file(path, 16, NULL, &err);
	CHECK(text != NULL);
	free(text);
	CHECK(odf_read_file(path, 15, NULL, &err) == NULL);
	CHECK_INT(err.code, ODF_E_DATA);
	CHECK(strstr(err.message, "domain.py: larger than 15 bytes") != NULL);
	/* @file for an option's text, anything else is the text itself */
	snprintf(at, sizeof(at), "@%s", path);
	text = odf_arg_text("--domain", at, 1024, &err);
	CHECK_STR(text, "[('a', '=', 1)]\n");
	free(text);
	text = odf_arg_text("--domain", "[]", 1024, &err);
	CHECK_STR(text, "[]");
	free(text);
	CHECK(unlink(path) == 0);
	CHECK(odf_read_file(path, 1024, NULL, &err) == NULL);
	CHECK_INT(err.code, ODF_E_NOINPUT);
	CHECK(strstr(err.message, "domain.py: No such file or directory") != NULL);
	CHECK(odf_arg_text("--domain", at, 1024, &err) == NULL);
	CHECK(strncmp(err.message, "--domain: /tmp/odf-test-cli.", 28) == 0);
	CHECK(rmdir(dir) == 0);
}

UNIT_TEST(empty_and_large_files_read_whole)
{
	char dir[64], path[128];
	struct odf_error err;
	size_t len = 99, n = 100000, k;
	char *big = malloc(n), *text;

	CHECK(big != NULL);
	if (big == NULL)
		return;
	for (k = 0; k < n; k++)
		big[k] = (char)('a' + k % 26);
	CHECK(temp_file(dir, path, sizeof(path), big, n) != NULL);
	text = odf_read_file(path, n, &len, &err);
	CHECK(text != NULL && len == n && memcmp(text, big, n) == 0 && text[n] == '\0');
	free(text);
	CHECK(unlink(path) == 0);
	CHECK(rmdir(dir) == 0);
	CHECK(temp_file(dir, path, sizeof(path), "", 0) != NULL);
	text = odf_read_file(path, 10, &len, &err);
	CHECK_STR(text, "");
	CHECK_INT(len, 0);
	free(text);
	CHECK(unlink(path) == 0);
	CHECK(rmdir(dir) == 0);
	free(big);
}

UNIT_TEST(at_files_with_nul_bytes_are_refused)
{
	char dir[64], path[128], at[130];
	struct odf_error err;

	CHECK(temp_file(dir, path, sizeof(path), "[]\0[]", 5) != NULL);
	snprintf(at, sizeof(at), "@%s", path);
	CHECK(odf_arg_text("--domain", at, 1024, &err) == NULL);
	CHECK_INT(err.code, ODF_E_DATA);
	CHECK(strstr(err.message, "--domain: ") == err.message);
	CHECK(strstr(err.message, "domain.py: contains a NUL byte") != NULL);
	CHECK(unlink(path) == 0);
	CHECK(rmdir(dir) == 0);
}

int
main(void)
{
	RUN(counts_are_whole_numbers_in_range);
	RUN(lists_split_on_commas_and_trim);
	RUN(empty_list_items_are_refused);
	RUN(files_are_read_whole_up_to_a_limit);
	RUN(empty_and_large_files_read_whole);
	RUN(at_files_with_nul_bytes_are_refused);
	return unit_done();
}
