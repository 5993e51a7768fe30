/* lib/transform.c: compile, run a record, the jv/NDJSON boundary, rejects. */
#include <stdlib.h>
#include <string.h>

#include "odf/transform.h"
#include "unit.h"

/* An engine with program compiled (NULL: identity); NULL on failure. */
static struct odf_transform *
engine(const char *program)
{
	struct odf_error err;
	struct odf_transform *t = odf_transform_new(&err);

	if (t != NULL && odf_transform_compile(t, program, NULL, NULL, &err) < 0) {
		printf("# compile: %s\n", err.message);
		odf_transform_free(t);
		return NULL;
	}
	return t;
}

/* The outputs of program on line, NUL-terminated, in a static buffer;
 * "REJECTED: <message>" or "HALTED" otherwise. */
static const char *
run1(const char *program, const char *line)
{
	static char text[4096];
	struct odf_buf out = ODF_BUF_INIT;
	struct odf_error err;
	struct odf_transform *t = engine(program);
	int rc;

	if (t == NULL)
		return "NO ENGINE";
	rc = odf_transform_record(t, line, strlen(line), &out, &err);
	if (rc == ODF_TRANSFORM_OK)
		snprintf(text, sizeof(text), "%.*s", (int)out.len, out.data ? out.data : "");
	else if (rc == ODF_TRANSFORM_REJECTED)
		snprintf(text, sizeof(text), "REJECTED: %s%s", err.message,
		    out.len ? " (with output!)" : "");
	else
		snprintf(text, sizeof(text), rc == ODF_TRANSFORM_HALTED ? "HALTED" : "ERROR");
	odf_buf_release(&out);
	odf_transform_free(t);
	return text;
}

UNIT_TEST(identity_writes_compact_json)
{
	CHECK_STR(run1(NULL, "{ \"a\" : [1, 2.5, true, null], \"b\": {} }"),
	    "{\"a\":[1,2.5,true,null],\"b\":{}}\n");
}

UNIT_TEST(keys_keep_their_order_and_a_repeated_key_its_last_value)
{
	CHECK_STR(run1(NULL, "{\"z\":1,\"a\":2,\"z\":3}"), "{\"z\":3,\"a\":2}\n");
}

/* The boundary: what goes in as JSON text comes out as jq -c writes it. */
UNIT_TEST(strings_are_escaped_as_jq_does)
{
	CHECK_STR(run1(NULL, "{\"s\":\"q\\\" b\\\\ s/ \\u0001\\u001f\\u007f \\b\\f\\n\\r\\t\"}"),
	    "{\"s\":\"q\\\" b\\\\ s/ \\u0001\\u001f\\u007f \\b\\f\\n\\r\\t\"}\n");
	CHECK_STR(run1(NULL, "{\"s\":\"\\u00e9\\u20ac\\ud83d\\ude00 \xc3\xa9\"}"),
	    "{\"s\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \xc3\xa9\"}\n");
}

UNIT_TEST(invalid_utf8_becomes_the_replacement_character)
{
	CHECK_STR(run1(NULL, "{\"s\":\"a\xff" "b\"}"), "{\"s\":\"a\xef\xbf\xbd" "b\"}\n");
}

UNIT_TEST(numbers_print_as_jq_prints_them)
{
	CHECK_STR(run1(NULL, "{\"n\":[0,-0,1.0,-12,0.1,1e2,1e15,1e16,9007199254740993,"
	    "1.5e300,1e-7,123456789012]}"),
	    "{\"n\":[0,-0,1,-12,0.1,100,1000000000000000,1e+16,9007199254740992,"
	    "1.5e+300,1e-07,123456789012]}\n");
}

UNIT_TEST(a_program_may_output_several_records_or_none)
{
	CHECK_STR(run1(".a[] | {x: .}", "{\"a\":[1,2,3]}"),
	    "{\"x\":1}\n{\"x\":2}\n{\"x\":3}\n");
	CHECK_STR(run1("select(.keep)", "{\"keep\":false}"), "");
	CHECK_STR(run1("empty", "{}"), "");
}

UNIT_TEST(a_line_that_is_not_an_object_is_rejected)
{
	CHECK_STR(run1(NULL, "[1,2]"), "REJECTED: not a JSON object: array ([1,2])");
	CHECK_STR(run1(NULL, "\"s\""), "REJECTED: not a JSON object: string (\"s\")");
	CHECK_STR(run1(".", "{\"a\":"),
	    "REJECTED: not JSON: Unfinished JSON term at EOF at line 1, column 5");
	CHECK_STR(run1(".", "{} {}"), "REJECTED: not JSON: Unexpected extra JSON values");
}

UNIT_TEST(an_output_that_is_not_an_object_rejects_the_record_whole)
{
	CHECK_STR(run1("., .a", "{\"a\":1}"),
	    "REJECTED: program output 2 is not an object: number (1)");
}

UNIT_TEST(a_runtime_error_rejects_the_record_with_jq_message)
{
	CHECK_STR(run1(".a + 1", "{\"a\":\"x\"}"),
	    "REJECTED: program error: string (\"x\") and number (1) cannot be added");
	CHECK_STR(run1("., error(\"boom\")", "{}"), "REJECTED: program error: boom");
	CHECK_STR(run1("error({code: 7})", "{}"), "REJECTED: program error: {\"code\":7}");
}

UNIT_TEST(the_engine_goes_on_after_a_failed_record)
{
	struct odf_buf out = ODF_BUF_INIT;
	struct odf_error err;
	struct odf_transform *t = engine(".n |= 10 / .");

	CHECK_INT(odf_transform_record(t, "{\"n\":\"x\"}", 9, &out, &err),
	    ODF_TRANSFORM_REJECTED);
	CHECK_INT(odf_transform_record(t, "{\"n\":4}", 7, &out, &err), ODF_TRANSFORM_OK);
	CHECK(out.len == 10 && memcmp(out.data, "{\"n\":2.5}\n", 10) == 0);
	odf_buf_release(&out);
	odf_transform_free(t);
}

UNIT_TEST(variables_from_arg_and_argjson_and_ARGS)
{
	struct odf_buf out = ODF_BUF_INIT;
	struct odf_error err;
	struct odf_transform *t = odf_transform_new(&err);

	CHECK_INT(odf_transform_arg(t, "p", "[S] ", &err), 0);
	CHECK_INT(odf_transform_arg(t, "p", "ignored: the first wins", &err), 0);
	CHECK_INT(odf_transform_argjson(t, "m", "{\"a\":1}", &err), 0);
	CHECK_INT(odf_transform_argjson(t, "bad", "{nope", &err), -1);
	CHECK_INT(err.code, ODF_E_USAGE);
	CHECK(strstr(err.message, "--argjson bad: not JSON") != NULL);
	CHECK_INT(odf_transform_compile(t, ".n = $p + .n | .m = $m.a | .k = ($ARGS.named | keys)",
	    NULL, NULL, &err), 0);
	CHECK_INT(odf_transform_record(t, "{\"n\":\"x\"}", 9, &out, &err), ODF_TRANSFORM_OK);
	CHECK(out.len > 0 && strncmp(out.data, "{\"n\":\"[S] x\",\"m\":1,\"k\":[\"m\",\"p\"]}\n",
	    out.len) == 0);
	odf_buf_release(&out);
	odf_transform_free(t);
}

UNIT_TEST(a_program_that_does_not_compile_says_where)
{
	struct odf_error err;
	struct odf_transform *t = odf_transform_new(&err);

	CHECK_INT(odf_transform_compile(t, ".a | nosuch(1)", "prog.jq", NULL, &err), -1);
	CHECK_INT(err.code, ODF_E_USAGE);
	CHECK(strstr(err.message, "prog.jq: nosuch/1 is not defined at <top-level>, line 1") ==
	    err.message);
	CHECK(strstr(err.message, "1 compile error") != NULL);
	odf_transform_free(t);
}

UNIT_TEST(halt_error_ends_the_engine_with_its_status_and_message)
{
	struct odf_buf out = ODF_BUF_INIT;
	struct odf_error err;
	struct odf_transform *t = engine("{a: 1}, (\"bye\\n\" | halt_error(3))");
	char *msg;
	int status;

	CHECK_INT(odf_transform_record(t, "{}", 2, &out, &err), ODF_TRANSFORM_HALTED);
	CHECK(out.len == 8 && memcmp(out.data, "{\"a\":1}\n", 8) == 0);
	odf_transform_halt(t, &status, &msg);
	CHECK_INT(status, 3);
	CHECK_STR(msg, "bye\n");
	free(msg);
	/* 1.6 must not reuse a halted state (a use after free). */
	CHECK_INT(odf_transform_record(t, "{}", 2, &out, &err), -1);
	odf_buf_release(&out);
	odf_transform_free(t);
}

UNIT_TEST(halt_is_status_zero_and_no_message)
{
	struct odf_buf out = ODF_BUF_INIT;
	struct odf_error err;
	struct odf_transform *t = engine("halt");
	char *msg;
	int status;

	CHECK_INT(odf_transform_record(t, "{}", 2, &out, &err), ODF_TRANSFORM_HALTED);
	odf_transform_halt(t, &status, &msg);
	CHECK_INT(status, 0);
	CHECK(msg == NULL);
	odf_buf_release(&out);
	odf_transform_free(t);
}

UNIT_TEST(a_reject_line_is_the_record_with_odf_error)
{
	struct odf_buf out = ODF_BUF_INIT;
	struct odf_error err;

	CHECK_INT(odf_transform_reject_line("{\"a\":1}", 7, "in.ndjson", 42, "boom", &out,
	    &err), 0);
	CHECK_INT(odf_transform_reject_line("[1", 2, "<stdin>", 3, "not JSON", &out, &err), 0);
	CHECK_INT(odf_transform_reject_line(NULL, 0, "f", 4, "too long", &out, &err), 0);
	CHECK_INT(odf_buf_add(&out, "", 1, &err), 0);
	CHECK_STR(out.data,
	    "{\"a\":1,\"_odf_error\":{\"message\":\"boom\",\"file\":\"in.ndjson\",\"line\":42}}\n"
	    "{\"_odf_error\":{\"message\":\"not JSON\",\"file\":\"<stdin>\",\"line\":3},"
	    "\"_odf_input\":\"[1\"}\n"
	    "{\"_odf_error\":{\"message\":\"too long\",\"file\":\"f\",\"line\":4}}\n");
	odf_buf_release(&out);
}

/* Larger than every buffer on the way (the reader's first allocation, the
 * printer's chunks), with a program that is cheap in libjq: jq's own
 * string functions walk a string a codepoint at a time, slowly. */
UNIT_TEST(a_large_record_passes_whole)
{
	size_t n = 3u << 20;
	char *line = malloc(n + 16);
	struct odf_buf out = ODF_BUF_INIT;
	struct odf_error err;
	struct odf_transform *t = engine(".n = 1");

	memcpy(line, "{\"s\":\"", 6);
	for (size_t i = 0; i < n; i++)
		line[6 + i] = (char)('a' + i % 26);
	memcpy(line + 6 + n, "\"}", 3);
	CHECK_INT(odf_transform_record(t, line, n + 8, &out, &err), ODF_TRANSFORM_OK);
	CHECK_INT(out.len, n + 15);
	CHECK(out.len == n + 15 && memcmp(out.data, line, n + 7) == 0 &&
	    memcmp(out.data + n + 7, ",\"n\":1}\n", 8) == 0);
	free(line);
	odf_buf_release(&out);
	odf_transform_free(t);
}

UNIT_TEST(the_module_dir_follows_the_environment)
{
	char dir[4096];

	setenv("ODF_JQ_LIBRARY_PATH", "/nonexistent:share/jq", 1);
	CHECK_INT(odf_transform_module_dir(NULL, dir, sizeof(dir)), 0);
	CHECK_STR(dir, "share/jq");
	setenv("ODF_JQ_LIBRARY_PATH", "/nonexistent", 1);
	CHECK_INT(odf_transform_module_dir(NULL, dir, sizeof(dir)), -1);
	unsetenv("ODF_JQ_LIBRARY_PATH");
}

UNIT_TEST(the_module_imports_and_runs)
{
	struct odf_buf out = ODF_BUF_INIT;
	struct odf_error err;
	struct odf_transform *t = odf_transform_new(&err);

	CHECK_INT(odf_transform_library_path(t, "share/jq", &err), 0);
	CHECK_INT(odf_transform_compile(t, "import \"odf\" as odf; .c |= odf::m2o(\"base\")",
	    NULL, NULL, &err), 0);
	CHECK_INT(odf_transform_record(t, "{\"c\":\"be\"}", 10, &out, &err), ODF_TRANSFORM_OK);
	CHECK(out.len > 0 && strncmp(out.data, "{\"c\":{\"id\":\"base.be\"}}\n", out.len) == 0);
	odf_buf_release(&out);
	odf_transform_free(t);
}

int
main(void)
{
	RUN(identity_writes_compact_json);
	RUN(keys_keep_their_order_and_a_repeated_key_its_last_value);
	RUN(strings_are_escaped_as_jq_does);
	RUN(invalid_utf8_becomes_the_replacement_character);
	RUN(numbers_print_as_jq_prints_them);
	RUN(a_program_may_output_several_records_or_none);
	RUN(a_line_that_is_not_an_object_is_rejected);
	RUN(an_output_that_is_not_an_object_rejects_the_record_whole);
	RUN(a_runtime_error_rejects_the_record_with_jq_message);
	RUN(the_engine_goes_on_after_a_failed_record);
	RUN(variables_from_arg_and_argjson_and_ARGS);
	RUN(a_program_that_does_not_compile_says_where);
	RUN(halt_error_ends_the_engine_with_its_status_and_message);
	RUN(halt_is_status_zero_and_no_message);
	RUN(a_reject_line_is_the_record_with_odf_error);
	RUN(a_large_record_passes_whole);
	RUN(the_module_dir_follows_the_environment);
	RUN(the_module_imports_and_runs);
	return unit_done();
}
