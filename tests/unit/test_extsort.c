/* lib/extsort.c: order, duplicates, spills and merges, sizes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/extsort.h"
#include "unit.h"

/* Add n pairs with keys "k<perm(i)>" and records "r<i>", read them back:
 * whether they come out in key order, every one once, with its record. */
static int
sort_n(size_t memory, long n, long *runs)
{
	struct odf_extsort *s = odf_extsort_new(memory, NULL);
	char key[32], rec[64], prev[32] = "";
	const char *k, *r;
	size_t klen, rlen;
	long i, seen = 0;
	int ok = 1, rc;
	unsigned char *got = calloc((size_t)n, 1);

	if (s == NULL || got == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		/* A permutation of 0..n-1 when n is not a multiple of 7919. */
		long p = (long)(((uint64_t)i * 7919) % (uint64_t)n);
		int kl = snprintf(key, sizeof(key), "k%08ld", p);
		int rl = snprintf(rec, sizeof(rec), "{\"id\":\"k%08ld\",\"v\":%ld}", p, p * 3);

		if (odf_extsort_add(s, key, (size_t)kl, rec, (size_t)rl, NULL) != 0)
			ok = 0;
	}
	if (odf_extsort_finish(s, NULL) != 0)
		ok = 0;
	while ((rc = odf_extsort_next(s, &k, &klen, &r, &rlen, NULL)) == 1) {
		long p;

		snprintf(key, sizeof(key), "%.*s", (int)klen, k);
		if (strcmp(prev, key) >= 0 && seen > 0)
			ok = 0;
		memcpy(prev, key, sizeof(prev));
		p = strtol(key + 1, NULL, 10);
		snprintf(rec, sizeof(rec), "{\"id\":\"k%08ld\",\"v\":%ld}", p, p * 3);
		if (p < 0 || p >= n || got[p] || rlen != strlen(rec) || memcmp(r, rec, rlen) != 0)
			ok = 0;
		else
			got[p] = 1;
		seen++;
	}
	if (rc != 0 || seen != n || odf_extsort_count(s) != n)
		ok = 0;
	*runs = odf_extsort_runs_written(s);
	odf_extsort_free(s);
	free(got);
	return ok;
}

UNIT_TEST(sorts_in_memory)
{
	long runs;

	CHECK(sort_n(1 << 20, 1000, &runs));
	CHECK_INT(runs, 0);
}

UNIT_TEST(sorts_with_runs_and_merges)
{
	long runs;

	/* 200,000 pairs of ~55 bytes in 64 KiB: ~170 runs, merged in levels. */
	CHECK(sort_n(ODF_EXTSORT_MIN_MEMORY, 200000, &runs));
	CHECK(runs > 150);
}

UNIT_TEST(empty_sort)
{
	long runs;

	CHECK(sort_n(0, 0, &runs));
}

UNIT_TEST(equal_keys_side_by_side_and_a_huge_record)
{
	struct odf_extsort *s = odf_extsort_new(0, NULL);
	size_t big = ODF_EXTSORT_MIN_MEMORY * 2, klen, rlen;
	char *rec = malloc(big);
	const char *k, *r, *order[4] = { NULL, NULL, NULL, NULL };
	int n = 0;

	if (s == NULL || rec == NULL) {
		CHECK(!"out of memory");
		odf_extsort_free(s);
		free(rec);
		return;
	}
	memset(rec, 'x', big);
	CHECK_INT(odf_extsort_add(s, "b", 1, "1", 1, NULL), 0);
	CHECK_INT(odf_extsort_add(s, "a", 1, rec, big, NULL), 0);
	CHECK_INT(odf_extsort_add(s, "b", 1, "2", 1, NULL), 0);
	CHECK_INT(odf_extsort_add(s, "ab", 2, "3", 1, NULL), 0);
	CHECK_INT(odf_extsort_finish(s, NULL), 0);
	while (n < 4 && odf_extsort_next(s, &k, &klen, &r, &rlen, NULL) == 1) {
		order[n++] = klen == 1 && k[0] == 'a' ? (rlen == big ? "a" : "?") :
		    klen == 2 ? "ab" : "b";
	}
	CHECK_INT(n, 4);
	CHECK_STR(order[0], "a");
	CHECK_STR(order[1], "ab");
	CHECK_STR(order[2], "b");
	CHECK_STR(order[3], "b");
	odf_extsort_free(s);
	free(rec);
}

UNIT_TEST(many_records_larger_than_memory)
{
	/* Each a run of its own: they merge like the others, not pile up
	 * past the runs a sort can keep. */
	struct odf_extsort *s = odf_extsort_new(0, NULL);
	size_t big = ODF_EXTSORT_MIN_MEMORY + 1, klen, rlen;
	char *rec = malloc(big), key[16], prev[16] = "";
	const char *k, *r;
	int i, n = 0, ok = 1, rc;

	if (s == NULL || rec == NULL) {
		CHECK(!"out of memory");
		odf_extsort_free(s);
		free(rec);
		return;
	}
	memset(rec, 'x', big);
	for (i = 0; i < 400 && ok; i++) {
		int kl = snprintf(key, sizeof(key), "k%05d", (i * 7) % 400);

		ok = odf_extsort_add(s, key, (size_t)kl, rec, big, NULL) == 0;
	}
	CHECK(ok);
	CHECK_INT(odf_extsort_finish(s, NULL), 0);
	while ((rc = odf_extsort_next(s, &k, &klen, &r, &rlen, NULL)) == 1) {
		snprintf(key, sizeof(key), "%.*s", (int)klen, k);
		if (n > 0 && strcmp(prev, key) >= 0)
			ok = 0;
		memcpy(prev, key, sizeof(prev));
		n++;
	}
	CHECK_INT(rc, 0);
	CHECK_INT(n, 400);
	CHECK(ok);
	odf_extsort_free(s);
	free(rec);
}

int
main(void)
{
	RUN(sorts_in_memory);
	RUN(sorts_with_runs_and_merges);
	RUN(many_records_larger_than_memory);
	RUN(empty_sort);
	RUN(equal_keys_side_by_side_and_a_huge_record);
	return unit_done();
}
