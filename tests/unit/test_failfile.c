/* lib/failfile.c: the input text kept byte for byte, errors replaced, files. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "odf/failfile.h"
#include "unit.h"

static const struct odf_fail_reason why = { "bad value", "type", NULL, "in.ndjson", 42, 0 };

/* The fail line of s with the reason above; a static copy. */
static const char *
fail_line(const char *s)
{
	static char out[4096];
	struct odf_error err;
	char *text;
	size_t n;

	if (odf_fail_line(s, s ? strlen(s) : 0, &why, &text, &n, &err) != 0)
		return "(error)";
	snprintf(out, sizeof(out), "%s", text);
	free(text);
	return out;
}

#define E "\"_odf_error\":{\"message\":\"bad value\",\"field\":\"type\",\"file\":\"in.ndjson\",\"line\":42}"

/* Each input line and the fail line it must give. */
static const struct { const char *in, *want; } cases[] = {
	{ "{\"id\":\"p1\",\"name\":\"X\"}", "{\"id\":\"p1\",\"name\":\"X\"," E "}" },
	/* spacing, key order and number spelling are the user's, kept as is */
	{ "{ \"name\" : \"X\" , \"n\": 1.50e0 }", "{ \"name\" : \"X\" , \"n\": 1.50e0 ," E "}" },
	{ "{}", "{" E "}" },
	{ "  { }  ", "  {" E "}  " },
	/* an earlier error is replaced wherever it stands, also escaped */
	{ "{\"_odf_error\":{\"message\":\"old\"},\"a\":1}", "{\"a\":1," E "}" },
	{ "{\"a\":1,\"_odf_error\":\"old\"}", "{\"a\":1," E "}" },
	{ "{\"a\":[1,{\"b\":\"}\"}],\"\\u005fodf_error\":{\"x\":[]},\"c\":null}",
	  "{\"a\":[1,{\"b\":\"}\"}],\"c\":null," E "}" },
	{ "{\"_odf_error\":1}", "{" E "}" },
	/* not an object: kept as a string */
	{ "[1,2]", "{" E ",\"_odf_line\":\"[1,2]\"}" },
	{ "{\"id\": \"p3\", oops", "{" E ",\"_odf_line\":\"{\\\"id\\\": \\\"p3\\\", oops\"}" },
	{ "{\"a\":1} trailing", "{" E ",\"_odf_line\":\"{\\\"a\\\":1} trailing\"}" },
	{ "tab\there\\", "{" E ",\"_odf_line\":\"tab\\there\\\\\"}" },
	{ NULL, "{" E "}" },
};

UNIT_TEST(fail_lines_keep_the_input_text)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(fail_line(cases[i].in), cases[i].want);
}

UNIT_TEST(fail_line_is_json_with_the_reason)
{
	const struct odf_fail_reason r = { "line 1\nline \"2\"", NULL, "odoo.exceptions.UserError",
		NULL, 0, 1 };
	const char *in = "{\"name\":\"\xc3\xa9t\xc3\xa9\"}";
	struct odf_error err;
	cJSON *doc, *e;
	char *text;
	size_t n;

	CHECK(odf_fail_line(in, strlen(in), &r, &text, &n, &err) == 0);
	CHECK_INT(n, strlen(text));
	doc = cJSON_Parse(text);
	e = cJSON_GetObjectItemCaseSensitive(doc, "_odf_error");
	CHECK(cJSON_IsObject(e));
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(e, "message")), "line 1\nline \"2\"");
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(e, "exception")),
	    "odoo.exceptions.UserError");
	CHECK(cJSON_IsTrue(cJSON_GetObjectItem(e, "landed")));
	CHECK(cJSON_GetObjectItem(e, "line") == NULL);
	CHECK(cJSON_GetObjectItem(e, "field") == NULL);
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "name")), "\xc3\xa9t\xc3\xa9");
	cJSON_Delete(doc);
	free(text);
}

UNIT_TEST(a_line_with_nul_bytes_round_trips_as_a_string)
{
	const char in[] = "{\"a\":\0}";
	struct odf_error err;
	cJSON *doc;
	char *text;
	size_t n;

	CHECK(odf_fail_line(in, sizeof(in) - 1, &why, &text, &n, &err) == 0);
	CHECK(strstr(text, "\"_odf_line\":\"{\\\"a\\\":\\u0000}\"") != NULL);
	doc = cJSON_Parse(text);
	CHECK(doc != NULL);
	cJSON_Delete(doc);
	free(text);
}

UNIT_TEST(deep_nesting_is_scanned_without_recursion)
{
	size_t depth = 100000, i, n = 2 * depth + 16;
	char *in = malloc(n), *text;
	struct odf_error err;
	size_t len = 0, outlen;

	CHECK(in != NULL);
	if (in == NULL)
		return;
	len += (size_t)snprintf(in, n, "{\"a\":");
	for (i = 0; i < depth; i++)
		in[len++] = '[';
	for (i = 0; i < depth; i++)
		in[len++] = ']';
	in[len++] = '}';
	CHECK(odf_fail_line(in, len, &why, &text, &outlen, &err) == 0);
	/* too deep for cJSON: kept whole as a string rather than altered */
	CHECK(strncmp(text, "{" E ",\"_odf_line\":\"{", strlen("{" E ",\"_odf_line\":\"{")) == 0);
	free(text);
	free(in);
}

static char dir[64];

static char *
slurp(const char *path)
{
	static char buf[8192];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

UNIT_TEST(file_is_created_only_when_a_line_is_added)
{
	char path[128];
	struct odf_error err;
	struct odf_failfile *ff;

	snprintf(path, sizeof(path), "%s/none.ndjson", dir);
	ff = odf_failfile_open(path, "in.ndjson", &err);
	CHECK(ff != NULL);
	CHECK_INT(odf_failfile_close(ff, 1, &err), 0);
	CHECK(access(path, F_OK) != 0);

	ff = odf_failfile_open(path, "-", &err);
	CHECK_INT(odf_failfile_add(ff, "{\"a\":1}", 7, &why, &err), 0);
	CHECK_INT(odf_failfile_add(ff, "x", 1, &why, &err), 0);
	CHECK_STR(odf_failfile_where(ff), path);
	CHECK_INT(odf_failfile_close(ff, 1, &err), 0);
	CHECK_STR(slurp(path), "{\"a\":1," E "}\n{" E ",\"_odf_line\":\"x\"}\n");

	/* a later run without failures leaves no stale file behind */
	ff = odf_failfile_open(path, NULL, &err);
	CHECK_INT(odf_failfile_close(ff, 1, &err), 0);
	CHECK(access(path, F_OK) != 0);
	unlink(path);
}

UNIT_TEST(feeding_the_fail_file_back_replaces_it_at_the_end)
{
	char path[128];
	struct odf_error err;
	struct odf_failfile *ff;
	int fd;

	snprintf(path, sizeof(path), "%s/self.ndjson", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, "{\"a\":1}\n", 8) == 8);
	close(fd);

	ff = odf_failfile_open(path, path, &err);
	CHECK_INT(odf_failfile_add(ff, "{\"a\":1}", 7, &why, &err), 0);
	CHECK(strcmp(odf_failfile_where(ff), path) != 0);
	/* the input is not touched while it is read */
	CHECK_STR(slurp(path), "{\"a\":1}\n");
	CHECK_INT(odf_failfile_close(ff, 1, &err), 0);
	CHECK_STR(slurp(path), "{\"a\":1," E "}\n");

	/* all landed this time: the file goes */
	ff = odf_failfile_open(path, path, &err);
	CHECK_INT(odf_failfile_close(ff, 1, &err), 0);
	CHECK(access(path, F_OK) != 0);
}

UNIT_TEST(a_fail_file_read_as_standard_input_is_not_truncated)
{
	char path[128];
	struct odf_error err;
	struct odf_failfile *ff;
	/* -1 when the suite runs with standard input closed, as in CI. */
	int fd, saved = dup(STDIN_FILENO);

	snprintf(path, sizeof(path), "%s/stdin.ndjson", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, "{}\n", 3) == 3);
	if (fd != STDIN_FILENO) {
		CHECK(dup2(fd, STDIN_FILENO) == STDIN_FILENO);
		close(fd);
	}
	ff = odf_failfile_open(path, "-", &err);
	CHECK_INT(odf_failfile_add(ff, "{}", 2, &why, &err), 0);
	CHECK_STR(slurp(path), "{}\n");
	CHECK_INT(odf_failfile_close(ff, 1, &err), 0);
	CHECK_STR(slurp(path), "{" E "}\n");
	if (saved >= 0) {
		dup2(saved, STDIN_FILENO);
		close(saved);
	} else {
		close(STDIN_FILENO);
	}
	unlink(path);
}

UNIT_TEST(an_interrupted_run_leaves_its_input_alone)
{
	char path[128], tmp[160];
	struct odf_error err;
	struct odf_failfile *ff;
	int fd;

	snprintf(path, sizeof(path), "%s/cut.ndjson", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, "{}\n", 3) == 3);
	close(fd);
	ff = odf_failfile_open(path, path, &err);
	CHECK_INT(odf_failfile_add(ff, "{}", 2, &why, &err), 0);
	snprintf(tmp, sizeof(tmp), "%s", odf_failfile_where(ff));
	CHECK_INT(odf_failfile_close(ff, 0, &err), -1);
	CHECK(strstr(err.message, tmp) != NULL);
	CHECK_STR(slurp(path), "{}\n");
	CHECK_STR(slurp(tmp), "{" E "}\n");
	unlink(tmp);
	unlink(path);
}

UNIT_TEST(an_uncreatable_file_is_an_io_error)
{
	struct odf_error err;
	struct odf_failfile *ff = odf_failfile_open("/nonexistent-dir/x.ndjson", NULL, &err);

	CHECK_INT(odf_failfile_add(ff, "{}", 2, &why, &err), -1);
	CHECK_INT(err.code, ODF_E_IO);
	CHECK(strstr(err.message, "/nonexistent-dir/x.ndjson") != NULL);
	CHECK_INT(odf_failfile_close(ff, 0, &err), 0);
}

int
main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/odf-test-failfile.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	RUN(fail_lines_keep_the_input_text);
	RUN(fail_line_is_json_with_the_reason);
	RUN(a_line_with_nul_bytes_round_trips_as_a_string);
	RUN(deep_nesting_is_scanned_without_recursion);
	RUN(file_is_created_only_when_a_line_is_added);
	RUN(feeding_the_fail_file_back_replaces_it_at_the_end);
	RUN(a_fail_file_read_as_standard_input_is_not_truncated);
	RUN(an_interrupted_run_leaves_its_input_alone);
	RUN(an_uncreatable_file_is_an_io_error);
	rmdir(dir);
	return unit_done();
}
