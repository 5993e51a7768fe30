/* odf_idset: the bitmap of record ids odf plan keeps per model. */
#include "odf/idset.h"
#include "unit.h"

UNIT_TEST(ids_are_added_once_and_counted)
{
	struct odf_idset *s = odf_idset_new();

	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK_INT(odf_idset_add(s, 7), 1);
	CHECK_INT(odf_idset_add(s, 7), 0);
	CHECK_INT(odf_idset_add(s, 64), 1);
	CHECK_INT(odf_idset_add(s, 100000), 1);
	CHECK_INT(odf_idset_count(s), 3);
	CHECK(odf_idset_has(s, 7) && odf_idset_has(s, 64) && odf_idset_has(s, 100000));
	CHECK(!odf_idset_has(s, 8) && !odf_idset_has(s, 63) && !odf_idset_has(s, 1000000));
	CHECK_INT(odf_idset_add(s, 0), -1);
	CHECK_INT(odf_idset_add(s, -3), -1);
	CHECK_INT(odf_idset_add(s, ODF_IDSET_MAX_ID + 1), -1);
	CHECK_INT(odf_idset_count(s), 3);
	odf_idset_free(s);
	odf_idset_free(NULL);
	CHECK_INT(odf_idset_count(NULL), 0);
	CHECK(!odf_idset_has(NULL, 1));
}

UNIT_TEST(ids_are_walked_in_order)
{
	struct odf_idset *s = odf_idset_new();
	long want[] = { 1, 2, 63, 64, 65, 127, 128, 5000 }, id;
	size_t i = 0;

	if (s == NULL) {
		CHECK(s != NULL);
		return;
	}
	for (i = sizeof(want) / sizeof(want[0]); i-- > 0;)
		odf_idset_add(s, want[i]);
	i = 0;
	for (id = 0; (id = odf_idset_next(s, id)) != 0; i++) {
		CHECK(i < sizeof(want) / sizeof(want[0]));
		if (i < sizeof(want) / sizeof(want[0]))
			CHECK_INT(id, want[i]);
	}
	CHECK_INT(i, sizeof(want) / sizeof(want[0]));
	CHECK_INT(odf_idset_next(s, 5000), 0);
	odf_idset_free(s);
}

UNIT_TEST(memory_follows_the_largest_id_not_the_adds)
{
	struct odf_idset *s = odf_idset_new();
	size_t before;
	long round, id;

	if (s == NULL) {
		CHECK(s != NULL);
		return;
	}
	odf_idset_add(s, 100000);
	before = odf_idset_bytes(s);
	CHECK(before >= 100000 / 8 && before <= 100000 / 8 * 2 + 128);
	for (round = 0; round < 10; round++)
		for (id = 1; id <= 100000; id += 7)
			odf_idset_add(s, id);
	CHECK_INT(odf_idset_bytes(s), before);
	odf_idset_free(s);
}

int
main(void)
{
	RUN(ids_are_added_once_and_counted);
	RUN(ids_are_walked_in_order);
	RUN(memory_follows_the_largest_id_not_the_adds);
	return unit_done();
}
