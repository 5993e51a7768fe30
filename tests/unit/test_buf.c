/* The growable byte buffer (lib/buf.c). */
#include <stdint.h>
#include <stdlib.h>

#include "odf/buf.h"
#include "unit.h"

UNIT_TEST(adds_keep_the_bytes_nul_terminated)
{
	struct odf_buf b = ODF_BUF_INIT;
	struct odf_error err;

	CHECK(b.data == NULL);
	CHECK_INT(odf_buf_add(&b, "ab", 2, &err), 0);
	CHECK_INT(odf_buf_adds(&b, "cd", &err), 0);
	CHECK_INT(odf_buf_addf(&b, &err, "-%d-%s", 42, "x"), 0);
	CHECK_INT(b.len, 9);
	CHECK_STR(b.data, "abcd-42-x");
	CHECK_INT(odf_buf_add(&b, "\0z", 2, &err), 0);   /* any byte */
	CHECK_INT(b.len, 11);
	CHECK(b.data[9] == '\0' && b.data[10] == 'z' && b.data[11] == '\0');
	odf_buf_release(&b);
	CHECK(b.data == NULL && b.len == 0 && b.cap == 0);
	odf_buf_release(NULL);
}

UNIT_TEST(a_large_addf_grows_the_buffer)
{
	struct odf_buf b = ODF_BUF_INIT;
	char big[5000];

	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_INT(odf_buf_addf(&b, NULL, "[%s]", big), 0);
	CHECK_INT(b.len, sizeof(big) + 1);
	CHECK(b.data[0] == '[' && b.data[b.len - 1] == ']' && b.data[b.len] == '\0');
	odf_buf_release(&b);
}

UNIT_TEST(a_pool_of_strings_is_read_at_offsets)
{
	struct odf_buf b = ODF_BUF_INIT;
	size_t a = odf_buf_addz(&b, "one", 3), c = odf_buf_addz(&b, "two!", 3);

	CHECK_INT(a, 0);
	CHECK_INT(c, 4);
	CHECK_STR(b.data + a, "one");
	CHECK_STR(b.data + c, "two");
	CHECK_INT(b.len, 8);
	odf_buf_release(&b);
}

UNIT_TEST(truncate_reset_and_detach)
{
	struct odf_buf b = ODF_BUF_INIT;
	size_t len;
	char *p;

	CHECK_INT(odf_buf_adds(&b, "hello world", NULL), 0);
	odf_buf_truncate(&b, 5);
	CHECK_STR(b.data, "hello");
	odf_buf_truncate(&b, 50);       /* longer: nothing changes */
	CHECK_INT(b.len, 5);
	odf_buf_reset(&b);
	CHECK_INT(b.len, 0);
	CHECK_STR(b.data, "");
	CHECK(b.cap > 0);               /* memory kept */
	CHECK_INT(odf_buf_adds(&b, "again", NULL), 0);
	p = odf_buf_detach(&b, &len);
	CHECK_STR(p, "again");
	CHECK_INT(len, 5);
	CHECK(b.data == NULL && b.len == 0);
	free(p);
	CHECK(odf_buf_detach(&b, NULL) == NULL);
}

UNIT_TEST(a_failed_add_changes_nothing_and_sticks)
{
	struct odf_buf b = ODF_BUF_INIT;
	struct odf_error err;

	CHECK_INT(odf_buf_adds(&b, "kept", &err), 0);
	CHECK_INT(odf_buf_grow(&b, SIZE_MAX - 2, &err), -1);
	CHECK_INT(err.code, ODF_E_NOMEM);
	CHECK(b.failed);
	CHECK_STR(b.data, "kept");
	CHECK_INT(odf_buf_adds(&b, "more", NULL), -1);  /* sticks */
	CHECK_INT(odf_buf_addz(&b, "x", 1), SIZE_MAX);
	CHECK_STR(b.data, "kept");
	odf_buf_reset(&b);
	CHECK_INT(odf_buf_adds(&b, "fresh", NULL), 0);
	CHECK_STR(b.data, "fresh");
	odf_buf_release(&b);
}

int
main(void)
{
	RUN(adds_keep_the_bytes_nul_terminated);
	RUN(a_large_addf_grows_the_buffer);
	RUN(a_pool_of_strings_is_read_at_offsets);
	RUN(truncate_reset_and_detach);
	RUN(a_failed_add_changes_nothing_and_sticks);
	return unit_done();
}
