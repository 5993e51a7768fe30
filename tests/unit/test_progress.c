/* The progress line's text for fixed numbers, and its drawing on a stream. */
#include <stdlib.h>
#include <string.h>

#include "odf/progress.h"
#include "unit.h"

UNIT_TEST(counts_are_grouped_by_thousands)
{
	static const struct {
		long long n;
		const char *text;
	} t[] = {
		{ 0, "0" }, { 7, "7" }, { 999, "999" }, { 1000, "1,000" },
		{ 12345, "12,345" }, { 100000, "100,000" }, { 1234567, "1,234,567" },
		{ -1234, "-1,234" }, { 9223372036854775807LL, "9,223,372,036,854,775,807" },
		{ -9223372036854775807LL - 1, "-9,223,372,036,854,775,808" },
	};
	char buf[48];
	size_t k;

	for (k = 0; k < sizeof(t) / sizeof(t[0]); k++)
		CHECK_STR(odf_format_count(buf, sizeof(buf), t[k].n), t[k].text);
	/* a short buffer is cut, still terminated */
	CHECK_STR(odf_format_count(buf, 4, 12345), "12,");
}

UNIT_TEST(durations_read_as_seconds_then_clock)
{
	static const struct {
		double s;
		const char *text;
	} t[] = {
		{ 0, "0.0s" }, { -1, "0.0s" }, { 0.42, "0.4s" }, { 7.25, "7.2s" },
		{ 59.9, "59.9s" }, { 59.96, "1:00" }, { 65, "1:05" }, { 600, "10:00" },
		{ 3599.4, "59:59" }, { 3600, "1:00:00" }, { 3723, "1:02:03" },
		{ 100000, "27:46:40" },
	};
	char buf[32];
	size_t k;

	for (k = 0; k < sizeof(t) / sizeof(t[0]); k++)
		CHECK_STR(odf_format_duration(buf, sizeof(buf), t[k].s), t[k].text);
}

UNIT_TEST(the_line_shows_count_rate_and_eta)
{
	struct odf_progress_counter failed[] = { { "failed", 17 }, { "skipped", 0 } };
	char buf[256];

	/* 12,345 in 3.846 s is 3,210 rec/s; 87,655 left take 27 s */
	CHECK_STR(odf_progress_format(buf, sizeof(buf), "res.partner", 12345, 100000,
	    3.8458, NULL, 0),
	    "res.partner: 12,345 / 100,000 records  3,210 rec/s  ETA 0:27");
	/* an unknown total has no ETA */
	CHECK_STR(odf_progress_format(buf, sizeof(buf), "res.partner", 12345, -1,
	    3.8458, NULL, 0), "res.partner: 12,345 records  3,210 rec/s");
	/* counters show when not zero */
	CHECK_STR(odf_progress_format(buf, sizeof(buf), "res.partner", 500, 2000,
	    100, failed, 2),
	    "res.partner: 500 / 2,000 records  5.0 rec/s  ETA 5:00  17 failed");
	/* no time yet: no rate, no ETA; no label */
	CHECK_STR(odf_progress_format(buf, sizeof(buf), NULL, 0, 10, 0, NULL, 0),
	    "0 / 10 records");
	/* nothing read yet: a rate of 0 and no ETA */
	CHECK_STR(odf_progress_format(buf, sizeof(buf), "m", 0, 10, 2, NULL, 0),
	    "m: 0 / 10 records  0.0 rec/s");
	/* past the expected total: no ETA */
	CHECK_STR(odf_progress_format(buf, sizeof(buf), "m", 12, 10, 2, NULL, 0),
	    "m: 12 / 10 records  6.0 rec/s");
	/* ETA past an hour */
	CHECK_STR(odf_progress_format(buf, sizeof(buf), "m", 1000, 5000000, 1, NULL, 0),
	    "m: 1,000 / 5,000,000 records  1,000 rec/s  ETA 1:23:19");
	/* a small buffer is cut, still terminated */
	CHECK_STR(odf_progress_format(buf, 12, "res.partner", 1, 2, 1, NULL, 0),
	    "res.partner");
}

UNIT_TEST(summary_names_count_time_and_rate)
{
	char buf[128];

	CHECK_STR(odf_progress_summary(buf, sizeof(buf), 20000, 7.3),
	    "20,000 records in 7.3s (2,740 rec/s)");
	CHECK_STR(odf_progress_summary(buf, sizeof(buf), 1, 0.5),
	    "1 record in 0.5s (2.0 rec/s)");
	CHECK_STR(odf_progress_summary(buf, sizeof(buf), 1200000, 125),
	    "1,200,000 records in 2:05 (9,600 rec/s)");
	CHECK_STR(odf_progress_summary(buf, sizeof(buf), 0, 0), "0 records");
}

/* The drawing, on a memory stream standing in for the terminal. */
static char *
drawn(FILE *f, char **mem)
{
	CHECK(fflush(f) == 0);
	return *mem;
}

static void
age(struct odf_progress *p, double seconds)
{
	/* as if init had been that long ago, and the last draw too */
	p->start.tv_sec -= (time_t)seconds;
	p->last_draw.tv_sec -= (time_t)seconds;
}

UNIT_TEST(the_line_is_redrawn_in_place_and_erased)
{
	struct odf_progress p;
	char *mem = NULL, *s;
	size_t size = 0, shown, before;
	FILE *f = open_memstream(&mem, &size);

	CHECK(f != NULL);
	if (f == NULL)
		return;
	odf_progress_init(&p, f, 1, "res.partner", 100);
	odf_progress_update(&p, 1);                     /* too soon: nothing */
	CHECK_STR(drawn(f, &mem), "");
	age(&p, 2);
	odf_progress_count(&p, "failed", 3);
	odf_progress_update(&p, 50);
	s = drawn(f, &mem);
	CHECK_STR(s, "\rres.partner: 50 / 100 records  25 rec/s  ETA 0:02  3 failed");
	odf_progress_update(&p, 60);                    /* within 1/4 s: skipped */
	CHECK_INT(strlen(drawn(f, &mem)), strlen(s));
	CHECK_INT(p.done, 60);
	age(&p, 1);
	odf_progress_count(&p, "failed", 0);
	odf_progress_update(&p, 99);
	s = drawn(f, &mem);
	/* the shorter line is padded over the longer one */
	CHECK(strstr(s, "\rres.partner: 99 / 100 records  33 rec/s  ETA 0:00  ") != NULL);
	shown = p.shown;
	before = strlen(s);
	odf_progress_end(&p);
	s = drawn(f, &mem);
	/* "\r", blanks over all that was shown, "\r" */
	CHECK_INT(strlen(s), before + shown + 2);
	CHECK_INT(s[before], '\r');
	CHECK_INT(strspn(s + before + 1, " "), shown);
	CHECK_INT(s[before + shown + 1], '\r');
	CHECK_INT(p.shown, 0);
	fclose(f);
	free(mem);
}

UNIT_TEST(lines_stay_within_the_terminal)
{
	struct odf_progress p;
	char *mem = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&mem, &size);

	CHECK(f != NULL);
	if (f == NULL)
		return;
	odf_progress_init(&p, f, 1, "a.model.with.a.rather.long.technical.name", -1);
	p.width = 30;
	age(&p, 1);
	odf_progress_update(&p, 123456);
	CHECK_STR(drawn(f, &mem), "\ra.model.with.a.rather.long.te");
	fclose(f);
	free(mem);
}

UNIT_TEST(disabled_progress_prints_nothing)
{
	struct odf_progress p;
	char *mem = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&mem, &size);

	CHECK(f != NULL);
	if (f == NULL)
		return;
	odf_progress_init(&p, f, 0, "m", 10);
	age(&p, 5);
	odf_progress_update(&p, 5);
	odf_progress_end(&p);
	CHECK_STR(drawn(f, &mem), "");
	CHECK_INT(p.done, 5);
	CHECK(odf_progress_elapsed(&p) >= 5.0);
	fclose(f);
	free(mem);
}

int
main(void)
{
	RUN(counts_are_grouped_by_thousands);
	RUN(durations_read_as_seconds_then_clock);
	RUN(the_line_shows_count_rate_and_eta);
	RUN(summary_names_count_time_and_rate);
	RUN(the_line_is_redrawn_in_place_and_erased);
	RUN(lines_stay_within_the_terminal);
	RUN(disabled_progress_prints_nothing);
	return unit_done();
}
