/*
 * One NDJSON line through odf-transform's engine (lib/transform.c) with
 * the identity program: a line holding a JSON object comes out as jq 1.6
 * -c prints it (odf's own printer is checked against jq's), anything else
 * is rejected, leaving the output untouched, and its reject line is an
 * object that names the error and keeps the input.
 */
#include <jv.h>

#include "fuzz.h"
#include "odf/transform.h"

static struct odf_transform *
transform_engine(void)
{
	static struct odf_transform *t;
	struct odf_error err;

	if (t == NULL)
		t = odf_transform_new(&err);
	FUZZ_ASSERT(t != NULL);
	return t;
}

FUZZ_TARGET(transform)(const uint8_t *data, size_t size)
{
	struct odf_transform *t = transform_engine();
	struct odf_buf out = ODF_BUF_INIT;
	struct odf_error err;
	const char *line = (const char *)data;
	jv probe;
	int rc, valid;

	/* A line reaches the engine without its newline or a NUL byte. */
	if (memchr(data, '\n', size) != NULL || memchr(data, '\0', size) != NULL)
		return 0;
	FUZZ_ASSERT(odf_buf_add(&out, "x\n", 2, &err) == 0);
	/* libjq 1.6 may leak parsing invalid JSON (its bug): leaks are
	 * looked for on valid input only. */
	fuzz_leaks_ignore();
	probe = jv_parse_sized(line, (int)size);
	valid = jv_is_valid(probe);
	jv_free(probe);
	if (valid)
		fuzz_leaks_watch();
	rc = odf_transform_record(t, line, size, &out, &err);
	if (rc == ODF_TRANSFORM_OK) {
		jv want = jv_dump_string(jv_parse_sized(line, (int)size), 0);
		size_t n = (size_t)jv_string_length_bytes(jv_copy(want));

		FUZZ_ASSERT(out.len == 2 + n + 1);
		FUZZ_ASSERT(memcmp(out.data + 2, jv_string_value(want), n) == 0);
		FUZZ_ASSERT(out.data[out.len - 1] == '\n');
		jv_free(want);
	} else {
		jv rej;

		FUZZ_ASSERT(rc == ODF_TRANSFORM_REJECTED);
		fuzz_check_error(&err);
		FUZZ_ASSERT(out.len == 2);
		FUZZ_ASSERT(odf_transform_reject_line(line, size, "fuzz.ndjson", 7, err.message,
		    &out, &err) == 0);
		FUZZ_ASSERT(out.len > 3 && out.data[out.len - 1] == '\n');
		FUZZ_ASSERT(memchr(out.data + 2, '\n', out.len - 3) == NULL);
		rej = jv_parse_sized(out.data + 2, (int)(out.len - 3));
		FUZZ_ASSERT(jv_get_kind(rej) == JV_KIND_OBJECT);
		rej = jv_object_get(rej, jv_string("_odf_error"));
		FUZZ_ASSERT(jv_get_kind(rej) == JV_KIND_OBJECT);
		jv_free(rej);
	}
	if (!valid)
		fuzz_leaks_watch();
	odf_buf_release(&out);
	return 0;
}
