/* lib/state.c and lib/timestamp.c: the state file of odf migrate --state,
 * read and replaced, and the times it holds. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "odf/state.h"
#include "odf/timestamp.h"
#include "unit.h"

static char dir[] = "/tmp/odf-test-state.XXXXXX";
static char path[256];

static int
write_text(const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static char *
read_text(void)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Files in the directory besides the state file and its lock. */
static int
strays(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		    strcmp(e->d_name, "state.json") != 0 && strcmp(e->d_name, "state.json.lock") != 0)
			n++;
	closedir(d);
	return n;
}

UNIT_TEST(no_file_is_no_bookmark)
{
	struct odf_bookmark b;
	struct odf_error err;

	unlink(path);
	CHECK_INT(odf_state_get(path, "http://h:1/db", "res.partner", &b, &err), 0);
}

UNIT_TEST(put_then_get_per_source_and_model)
{
	struct odf_bookmark b = { "2026-12-03 11:50:00", "2026-12-03 12:00:00",
	    "2026-12-03 12:04:31", 10000 }, got;
	struct odf_error err;

	unlink(path);
	CHECK_INT(odf_state_put(path, "http://h:1/db", "res.partner", &b, &err), 0);
	memcpy(b.since, "2026-12-01 00:00:00", ODF_TIMESTAMP_SIZE);
	b.records = 3;
	CHECK_INT(odf_state_put(path, "http://h:1/db", "res.partner.category", &b, &err), 0);
	CHECK_INT(odf_state_put(path, "http://h:2/other", "res.partner", &b, &err), 0);
	CHECK_INT(odf_state_get(path, "http://h:1/db", "res.partner", &got, &err), 1);
	CHECK_STR(got.since, "2026-12-03 11:50:00");
	CHECK_STR(got.started, "2026-12-03 12:00:00");
	CHECK_STR(got.completed, "2026-12-03 12:04:31");
	CHECK_INT(got.records, 10000);
	CHECK_INT(odf_state_get(path, "http://h:1/db", "res.partner.category", &got, &err), 1);
	CHECK_STR(got.since, "2026-12-01 00:00:00");
	CHECK_INT(odf_state_get(path, "http://h:2/other", "res.partner", &got, &err), 1);
	CHECK_INT(got.records, 3);
	CHECK_INT(odf_state_get(path, "http://h:2/other", "res.users", &got, &err), 0);
	CHECK_INT(strays(), 0);
	CHECK(strstr(read_text(), "\"odf_state\":\t1") != NULL);
}

UNIT_TEST(other_keys_are_kept)
{
	struct odf_bookmark b = { "2026-12-03 11:50:00", "2026-12-03 12:00:00",
	    "2026-12-03 12:04:31", 1 };
	struct odf_error err;

	CHECK_INT(write_text("{\"odf_state\": 1, \"note\": \"mine\", \"sources\": "
	    "{\"http://h:1/db\": {\"res.partner\": {\"since\": \"2020-01-01 00:00:00\", "
	    "\"by\": \"ann\"}}}}"), 0);
	CHECK_INT(odf_state_put(path, "http://h:1/db", "res.partner", &b, &err), 0);
	CHECK(strstr(read_text(), "\"note\":\t\"mine\"") != NULL);
	CHECK(strstr(read_text(), "\"by\":\t\"ann\"") != NULL);
	CHECK(strstr(read_text(), "2020-01-01") == NULL);
}

UNIT_TEST(bad_files_are_data_errors_naming_the_file)
{
	static const char *const bad[] = {
		"not json", "[]", "{\"sources\": {}}", "{\"odf_state\": 2}",
		"{\"odf_state\": 1, \"sources\": []}",
		"{\"odf_state\": 1, \"sources\": {\"http://h:1/db\": {\"res.partner\": "
		"{\"since\": \"last week\"}}}}",
	};
	struct odf_bookmark b;
	struct odf_error err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(write_text(bad[i]), 0);
		CHECK_INT(odf_state_get(path, "http://h:1/db", "res.partner", &b, &err), -1);
		CHECK_INT(err.code, ODF_E_DATA);
		CHECK(strstr(err.message, path) == err.message);
	}
	/* A write does not replace a file it cannot read. */
	CHECK_INT(write_text("not json"), 0);
	CHECK_INT(odf_state_put(path, "http://h:1/db", "res.partner", &b, &err), -1);
	CHECK_STR(read_text(), "not json");
}

UNIT_TEST(timestamps)
{
	static const struct { const char *in, *out; } ok[] = {
		{ "2026-01-31 23:59:00", "2026-01-31 23:59:00" },
		{ "2026-01-31T23:59:00Z", "2026-01-31 23:59:00" },
		{ "2024-02-29", "2024-02-29 00:00:00" },
		{ "1970-01-01 00:00:00", "1970-01-01 00:00:00" },
	};
	static const char *const bad[] = {
		"", "2026-1-31", "2026-02-30", "2026-13-01", "2026-01-31 24:00:00",
		"2026-01-31 23:59", "yesterday", "2026-01-31 23:59:00+01", "1969-12-31",
	};
	char buf[ODF_TIMESTAMP_SIZE];
	struct odf_error err;
	long long t;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		CHECK_INT(odf_timestamp_parse("--since", ok[i].in, &t, &err), 0);
		CHECK_STR(odf_timestamp_format(t, buf, sizeof(buf)), ok[i].out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(odf_timestamp_parse("--since", bad[i], &t, &err), -1);
		CHECK_INT(err.code, ODF_E_USAGE);
	}
	CHECK(strstr(err.message, "--since: '1969-12-31'") == err.message);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/state.json", dir);
	RUN(no_file_is_no_bookmark);
	RUN(put_then_get_per_source_and_model);
	RUN(other_keys_are_kept);
	RUN(bad_files_are_data_errors_naming_the_file);
	RUN(timestamps);
	unlink(path);
	snprintf(path, sizeof(path), "%s/state.json.lock", dir);
	unlink(path);
	rmdir(dir);
	return unit_done();
}
