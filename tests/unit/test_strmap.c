/* The string map (lib/strmap.c). */
#include <stdio.h>

#include "odf/strmap.h"
#include "unit.h"

UNIT_TEST(the_string_map_keeps_thousands_of_keys)
{
	struct odf_strmap *m = odf_strmap_new();
	char key[32];

	CHECK(m != NULL);
	if (m == NULL)
		return;
	CHECK_INT(odf_strmap_get(m, "a", 1), -1);
	for (long i = 0; i < 5000; i++) {
		int n = snprintf(key, sizeof(key), "key/%ld", i);
		CHECK_INT(odf_strmap_put(m, key, (size_t)n, i * 2), 0);
	}
	CHECK_INT(odf_strmap_count(m), 5000);
	for (long i = 0; i < 5000; i += 7) {
		int n = snprintf(key, sizeof(key), "key/%ld", i);
		CHECK_INT(odf_strmap_get(m, key, (size_t)n), i * 2);
	}
	CHECK_INT(odf_strmap_put(m, "key/3", 5, -7), 0);      /* replace */
	CHECK_INT(odf_strmap_get(m, "key/3", 5), -7);
	CHECK_INT(odf_strmap_count(m), 5000);
	CHECK_INT(odf_strmap_get(m, "key/30", 5), -7);         /* by length */
	CHECK_INT(odf_strmap_put(m, "", 0, 1), 0);             /* the empty key */
	CHECK_INT(odf_strmap_get(m, "", 0), 1);
	odf_strmap_clear(m);
	CHECK_INT(odf_strmap_count(m), 0);
	CHECK_INT(odf_strmap_get(m, "key/3", 5), -1);
	CHECK_INT(odf_strmap_put(m, "b", 1, 3), 0);
	CHECK_INT(odf_strmap_get(m, "b", 1), 3);
	odf_strmap_free(m);
	odf_strmap_free(NULL);
}

int
main(void)
{
	RUN(the_string_map_keeps_thousands_of_keys);
	return unit_done();
}
