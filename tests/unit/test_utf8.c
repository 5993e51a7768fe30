/* The UTF-8 validator and encoder (lib/utf8.c), as a table. */
#include <string.h>

#include "odf/utf8.h"
#include "unit.h"

UNIT_TEST(the_first_byte_that_is_not_utf8_is_found)
{
	static const struct { const char *s; size_t at; } t[] = {
		{ "plain ascii", 11 },
		{ "caf\xc3\xa9", 5 },                   /* é */
		{ "\xe2\x82\xac and \xf0\x9f\x98\x80", 12 },    /* € and 😀 */
		{ "\xef\xbf\xbf", 3 },                  /* U+FFFF */
		{ "\xf4\x8f\xbf\xbf", 4 },              /* U+10FFFF */
		{ "ab\xff", 2 },                        /* never in UTF-8 */
		{ "ab\xc3", 2 },                        /* cut short */
		{ "\xc0\xaf", 0 },                      /* overlong / */
		{ "\xe0\x80\xaf", 0 },                  /* overlong, 3 bytes */
		{ "\xf0\x80\x80\xaf", 0 },              /* overlong, 4 bytes */
		{ "x\xed\xa0\x80", 1 },                 /* a surrogate */
		{ "\xf4\x90\x80\x80", 0 },              /* past U+10FFFF */
		{ "\xc3\x28", 0 },                      /* a bad continuation */
		{ "\x80", 0 },                          /* a lone continuation */
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t at = odf_utf8_invalid_at(t[i].s, strlen(t[i].s));

		if (at != t[i].at)
			printf("# case %zu\n", i);
		CHECK_INT(at, t[i].at);
	}
	CHECK_INT(odf_utf8_len("\xe2\x82\xac", 3), 3);
	CHECK_INT(odf_utf8_len("\xe2\x82\xac", 2), 0);
}

UNIT_TEST(code_points_encode_and_read_back)
{
	static const unsigned long cps[] = { 0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xfffd,
		0x10000, 0x1f600, 0x10ffff };
	char u[4];

	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		size_t n = odf_utf8_encode(cps[i], u);

		CHECK(n >= 1 && n <= 4);
		CHECK_INT(odf_utf8_len(u, n), n);
		CHECK_INT(odf_utf8_invalid_at(u, n), n);
	}
	CHECK_INT(odf_utf8_encode(0xe9, u), 2);
	CHECK(memcmp(u, "\xc3\xa9", 2) == 0);
}

int
main(void)
{
	RUN(the_first_byte_that_is_not_utf8_is_found);
	RUN(code_points_encode_and_read_back);
	return unit_done();
}
