/*
 * A minimal TAP harness for libodf's unit tests.
 *
 *   UNIT_TEST(name) { CHECK(cond); CHECK_STR(a, b); CHECK_INT(a, b); }
 *   UNIT_SKIP("why"): the case cannot run here (its data is missing)
 *   int main(void) { RUN(name); ...; return unit_done(); }
 *
 * Each RUN prints one "ok N - name" or "not ok N - name" line; failed checks
 * print a "# file:line: ..." diagnostic first.
 */
#ifndef ODF_UNIT_H
#define ODF_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_count, unit_failed, unit_case_failed;
static const char *unit_case_skipped;

#define UNIT_TEST(name) static void name(void)

#define RUN(name) do { \
	unit_case_failed = 0; \
	unit_case_skipped = NULL; \
	name(); \
	printf("%sok %d - %s%s%s\n", unit_case_failed ? "not " : "", ++unit_count, #name, \
	    unit_case_skipped != NULL ? " # SKIP " : "", \
	    unit_case_skipped != NULL ? unit_case_skipped : ""); \
	fflush(stdout); \
	unit_failed += unit_case_failed != 0; \
} while (0)

#define UNIT_SKIP(why) do { unit_case_skipped = (why); return; } while (0)

#define CHECK(cond) do { if (!(cond)) { \
	printf("# %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
	unit_case_failed = 1; } } while (0)

#define CHECK_INT(got, want) do { long long g_ = (got), w_ = (want); if (g_ != w_) { \
	printf("# %s:%d: %s is %lld, want %lld\n", __FILE__, __LINE__, #got, g_, w_); \
	unit_case_failed = 1; } } while (0)

#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want); \
	if (g_ == NULL || w_ == NULL ? g_ != w_ : strcmp(g_, w_) != 0) { \
	printf("# %s:%d: %s is \"%s\", want \"%s\"\n", __FILE__, __LINE__, #got, \
	    g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
	unit_case_failed = 1; } } while (0)

static inline int unit_done(void)
{
	printf("1..%d\n", unit_count);
	return unit_failed ? 1 : 0;
}

#endif
