/* odf-import's deferred-values spool (lib/deferred.c). */
#include <string.h>

#include "odf/deferred.h"
#include "unit.h"

UNIT_TEST(entries_come_back_in_order_with_any_bytes)
{
	struct odf_error err;
	struct odf_deferred *d = odf_deferred_new(&err);
	static const char odd[] = "{\"id\":\"a\"}\n%ld %zu\0 9 9 x";
	struct odf_deferred_entry in[] = {
		{ 3, ODF_LOAD_CREATED, "{\"id\":\"a\",\"parent_id\":{\"id\":\"b\"}}", 33,
		  "{\"id\": \"a\", \"parent_id/id\": \"b\"}", 33 },
		{ 7, ODF_LOAD_LANDED, odd, sizeof(odd) - 1, "", 0 },
		{ 123456789L, ODF_LOAD_UPDATED, "{}", 2, "line\r\nwith newlines", 19 },
	}, e;

	CHECK(d != NULL);
	if (d == NULL)
		return;
	for (size_t i = 0; i < 3; i++)
		CHECK_INT(odf_deferred_add(d, &in[i], &err), 0);
	CHECK_INT(odf_deferred_rewind(d, &err), 0);
	for (size_t i = 0; i < 3; i++) {
		CHECK_INT(odf_deferred_next(d, &e, &err), 1);
		CHECK_INT(e.lineno, in[i].lineno);
		CHECK_INT(e.kind, in[i].kind);
		CHECK_INT(e.values_len, in[i].values_len);
		CHECK(memcmp(e.values, in[i].values, e.values_len) == 0);
		CHECK(e.values[e.values_len] == '\0');
		CHECK_INT(e.line_len, in[i].line_len);
		CHECK(memcmp(e.line, in[i].line, e.line_len) == 0);
		CHECK(e.line[e.line_len] == '\0');
	}
	CHECK_INT(odf_deferred_next(d, &e, &err), 0);
	odf_deferred_free(d);
	odf_deferred_free(NULL);
}

UNIT_TEST(an_empty_spool_reads_as_its_end)
{
	struct odf_error err;
	struct odf_deferred *d = odf_deferred_new(&err);
	struct odf_deferred_entry e;

	CHECK(d != NULL);
	if (d == NULL)
		return;
	CHECK_INT(odf_deferred_rewind(d, &err), 0);
	CHECK_INT(odf_deferred_next(d, &e, &err), 0);
	odf_deferred_free(d);
}

int
main(void)
{
	RUN(entries_come_back_in_order_with_any_bytes);
	RUN(an_empty_spool_reads_as_its_end);
	return unit_done();
}
