/* lib/ndjson.c: line numbers, buffer boundaries, blank lines, CRLF, NULs, writes. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "odf/ndjson.h"
#include "unit.h"

/* A temporary file holding len bytes of s, opened for reading. */
static int
temp_fd(const char *s, size_t len)
{
	char path[] = "/tmp/odf-test-ndjson.XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	unlink(path);
	if (write(fd, s, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Read every line of s; "lineno:text|" for each, "E<lineno>|" for errors. */
static char *
read_all(const char *s, size_t len)
{
	static char out[4096];
	struct odf_error err;
	struct odf_ndjson_reader *r;
	const char *line;
	size_t n, used = 0;
	int fd = temp_fd(s, len), rc;

	out[0] = '\0';
	r = odf_ndjson_from_fd(fd, "t.ndjson", &err);
	if (r == NULL)
		return out;
	while ((rc = odf_ndjson_next(r, &line, &n, &err)) != 0) {
		int w;

		if (rc < 0)
			w = snprintf(out + used, sizeof(out) - used, "E%ld|",
			    odf_ndjson_lineno(r));
		else
			w = snprintf(out + used, sizeof(out) - used, "%ld:%.*s|",
			    odf_ndjson_lineno(r), (int)n, line);
		if (w < 0 || (size_t)w >= sizeof(out) - used)
			break;
		used += (size_t)w;
	}
	odf_ndjson_close(r);
	close(fd);
	return out;
}

#define READS(input, want) CHECK_STR(read_all(input, sizeof(input) - 1), want)

UNIT_TEST(lines_are_numbered_from_one)
{
	READS("{\"a\":1}\n{\"a\":2}\n", "1:{\"a\":1}|2:{\"a\":2}|");
}

UNIT_TEST(a_last_line_without_newline_counts)
{
	READS("{}\n{\"b\":2}", "1:{}|2:{\"b\":2}|");
}

UNIT_TEST(blank_lines_are_skipped_but_counted)
{
	READS("\n{}\n  \t\n\r\n{\"x\":1}\n\n", "2:{}|5:{\"x\":1}|");
}

UNIT_TEST(a_trailing_carriage_return_is_stripped)
{
	READS("{\"a\":1}\r\n{\"a\":\"\r\"}\r\n", "1:{\"a\":1}|2:{\"a\":\"\r\"}|");
}

UNIT_TEST(empty_input_has_no_lines)
{
	READS("", "");
}

UNIT_TEST(a_nul_byte_is_an_error_naming_its_line_and_reading_goes_on)
{
	READS("{}\n{\"a\0\":1}\n{}\n", "1:{}|E2|3:{}|");
}

UNIT_TEST(the_error_names_the_file_and_line)
{
	static const char input[] = "{}\n\0\n";
	struct odf_error err;
	struct odf_ndjson_reader *r;
	const char *line;
	size_t n;
	int fd = temp_fd(input, sizeof(input) - 1);

	r = odf_ndjson_from_fd(fd, "in.ndjson", &err);
	CHECK(r != NULL);
	CHECK_INT(odf_ndjson_next(r, &line, &n, &err), 1);
	CHECK_INT(odf_ndjson_next(r, &line, &n, &err), -1);
	CHECK_INT(err.code, ODF_E_DATA);
	CHECK_STR(err.message, "in.ndjson: line 2: NUL byte in line");
	CHECK_INT(odf_ndjson_next(r, &line, &n, &err), 0);
	odf_ndjson_close(r);
	close(fd);
}

/* Lines longer than the read buffer, and lines that straddle its end. */
UNIT_TEST(long_lines_cross_buffer_boundaries_intact)
{
	size_t sizes[] = { 1, 262143, 262144, 262145, 3 << 20, 17, 131072 };
	size_t nsizes = sizeof(sizes) / sizeof(sizes[0]), total = 0, off = 0;
	struct odf_ndjson_reader *r;
	struct odf_error err;
	const char *line;
	char *text;
	size_t n;
	int fd, ok = 1;

	for (size_t i = 0; i < nsizes; i++)
		total += sizes[i] + 1;
	text = malloc(total);
	CHECK(text != NULL);
	if (text == NULL)
		return;
	for (size_t i = 0; i < nsizes; i++) {
		for (size_t j = 0; j < sizes[i]; j++)
			text[off + j] = (char)('a' + (i + j) % 26);
		off += sizes[i];
		text[off++] = '\n';
	}
	fd = temp_fd(text, total);
	r = odf_ndjson_from_fd(fd, "big", &err);
	off = 0;
	for (size_t i = 0; i < nsizes; i++) {
		if (odf_ndjson_next(r, &line, &n, &err) != 1 || n != sizes[i] ||
		    memcmp(line, text + off, n) != 0 || line[n] != '\0' ||
		    odf_ndjson_lineno(r) != (long)i + 1) {
			printf("# line %zu of %zu bytes read wrong\n", i + 1, sizes[i]);
			ok = 0;
		}
		off += sizes[i] + 1;
	}
	CHECK(ok);
	CHECK_INT(odf_ndjson_next(r, &line, &n, &err), 0);
	odf_ndjson_close(r);
	close(fd);
	free(text);
}

/* A pipe delivers a line in many small reads. */
UNIT_TEST(lines_arriving_in_pieces_through_a_pipe_are_whole)
{
	struct odf_ndjson_reader *r;
	struct odf_error err;
	const char *line;
	size_t n;
	int p[2], got = 0;
	pid_t pid;

	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		static const char piece[] = "{\"k\":\"0123456789\"}\n";
		close(p[0]);
		for (int i = 0; i < 200; i++)
			for (size_t j = 0; j < sizeof(piece) - 1; j += 7) {
				size_t k = sizeof(piece) - 1 - j < 7 ? sizeof(piece) - 1 - j : 7;
				if (write(p[1], piece + j, k) != (ssize_t)k)
					_exit(1);
			}
		_exit(0);
	}
	close(p[1]);
	r = odf_ndjson_from_fd(p[0], NULL, &err);
	CHECK_STR(odf_ndjson_name(r), "<stdin>");
	while (odf_ndjson_next(r, &line, &n, &err) == 1)
		got += strcmp(line, "{\"k\":\"0123456789\"}") == 0;
	CHECK_INT(got, 200);
	CHECK_INT(odf_ndjson_lineno(r), 200);
	odf_ndjson_close(r);
	close(p[0]);
	waitpid(pid, NULL, 0);
}

/* The limit is big: a sparse file makes the long line without the disk. */
UNIT_TEST(a_line_over_the_limit_is_an_error_and_the_next_line_is_read)
{
	static const char tail[] = "\n{\"after\":1}\n";
	char path[] = "/tmp/odf-test-ndjson.XXXXXX";
	struct odf_ndjson_reader *r;
	struct odf_error err;
	const char *line;
	size_t n;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	CHECK(pwrite(fd, "x", 1, 0) == 1);
	CHECK(pwrite(fd, tail, sizeof(tail) - 1, (off_t)ODF_NDJSON_MAX_LINE + 1) ==
	    (ssize_t)sizeof(tail) - 1);
	close(fd);
	r = odf_ndjson_open(path, &err);
	CHECK(r != NULL);
	CHECK_INT(odf_ndjson_next(r, &line, &n, &err), -1);
	CHECK_INT(err.code, ODF_E_DATA);
	CHECK(strstr(err.message, "line 1: line longer than") != NULL);
	CHECK_INT(odf_ndjson_next(r, &line, &n, &err), 1);
	CHECK_STR(line, "{\"after\":1}");
	CHECK_INT(odf_ndjson_lineno(r), 2);
	CHECK_INT(odf_ndjson_next(r, &line, &n, &err), 0);
	odf_ndjson_close(r);
	unlink(path);
}

UNIT_TEST(opening_a_missing_file_is_noinput_naming_it)
{
	struct odf_error err;

	CHECK(odf_ndjson_open("/nonexistent/x.ndjson", &err) == NULL);
	CHECK_INT(err.code, ODF_E_NOINPUT);
	CHECK(strstr(err.message, "/nonexistent/x.ndjson") != NULL);
}

UNIT_TEST(write_adds_one_newline)
{
	char *buf = NULL;
	size_t size = 0;
	struct odf_error err;
	FILE *f = open_memstream(&buf, &size);

	CHECK_INT(odf_ndjson_write(f, "{\"a\":1}", 7, &err), 0);
	CHECK_INT(odf_ndjson_write(f, "{}", 2, &err), 0);
	fclose(f);
	CHECK_STR(buf, "{\"a\":1}\n{}\n");
	free(buf);
}

UNIT_TEST(count_counts_only_complete_lines)
{
	CHECK_INT((int)odf_ndjson_count("", 0), 0);
	CHECK_INT((int)odf_ndjson_count("{}", 2), 0);
	CHECK_INT((int)odf_ndjson_count("{}\n", 3), 1);
	CHECK_INT((int)odf_ndjson_count("{}\n\n{}\n{", 8), 3);
	/* only the first len bytes */
	CHECK_INT((int)odf_ndjson_count("{}\n{}\n", 4), 1);
}

UNIT_TEST(write_json_is_compact)
{
	char *buf = NULL;
	size_t size = 0;
	struct odf_error err;
	cJSON *v = cJSON_Parse("{ \"a\" : [1, 2], \"b\": \"\xc3\xa9\" }");
	FILE *f = open_memstream(&buf, &size);

	CHECK_INT(odf_ndjson_write_json(f, v, &err), 0);
	fclose(f);
	CHECK_STR(buf, "{\"a\":[1,2],\"b\":\"\xc3\xa9\"}\n");
	free(buf);
	cJSON_Delete(v);
}

UNIT_TEST(writing_to_a_closed_pipe_leaves_epipe_in_errno)
{
	struct odf_error err;
	int p[2], rc = 0;
	FILE *f;

	CHECK(pipe(p) == 0);
	close(p[0]);
	f = fdopen(p[1], "w");
	setvbuf(f, NULL, _IONBF, 0);
	signal(SIGPIPE, SIG_IGN);
	rc = odf_ndjson_write(f, "{}", 2, &err);
	CHECK_INT(rc, -1);
	CHECK_INT(errno, EPIPE);
	CHECK_INT(err.code, ODF_E_IO);
	fclose(f);
}

UNIT_TEST(writing_to_a_full_disk_is_an_error)
{
	struct odf_error err;
	FILE *f = fopen("/dev/full", "w");
	int rc;

	if (f == NULL)
		return;
	setvbuf(f, NULL, _IONBF, 0);
	rc = odf_ndjson_write(f, "{}", 2, &err);
	CHECK_INT(rc, -1);
	CHECK(strstr(err.message, "write error") != NULL);
	fclose(f);
}

int
main(void)
{
	RUN(lines_are_numbered_from_one);
	RUN(a_last_line_without_newline_counts);
	RUN(blank_lines_are_skipped_but_counted);
	RUN(a_trailing_carriage_return_is_stripped);
	RUN(empty_input_has_no_lines);
	RUN(a_nul_byte_is_an_error_naming_its_line_and_reading_goes_on);
	RUN(the_error_names_the_file_and_line);
	RUN(long_lines_cross_buffer_boundaries_intact);
	RUN(lines_arriving_in_pieces_through_a_pipe_are_whole);
	RUN(a_line_over_the_limit_is_an_error_and_the_next_line_is_read);
	RUN(opening_a_missing_file_is_noinput_naming_it);
	RUN(write_adds_one_newline);
	RUN(count_counts_only_complete_lines);
	RUN(write_json_is_compact);
	RUN(writing_to_a_closed_pipe_leaves_epipe_in_errno);
	RUN(writing_to_a_full_disk_is_an_error);
	return unit_done();
}
