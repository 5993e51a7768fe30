/*
 * A progress line for long runs, redrawn in place on a terminal:
 *
 *   res.partner: 12,345 / 100,000 records  3,210 rec/s  ETA 0:27  17 failed
 *
 * The caller decides whether to draw (enabled = isatty(fileno(stderr)) and
 * no --quiet); when disabled every call is cheap and prints nothing. The
 * line is redrawn at most four times a second, never wider than the
 * terminal, and erased by odf_progress_end so that messages after it start
 * on a clean line. Times come from CLOCK_MONOTONIC. Write errors on the
 * stream turn the line off; they are not reported.
 *
 * The formatting functions are pure and usable alone, e.g. for the summary
 * a program prints at the end.
 */
#ifndef ODF_PROGRESS_H
#define ODF_PROGRESS_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#define ODF_PROGRESS_MAX_EXTRA 4

/* A named extra count, shown after the rate when it is not zero. */
struct odf_progress_counter {
	const char *name;       /* borrowed, e.g. "failed" */
	long long value;
};

/* Fill with odf_progress_init; the fields are the module's. */
struct odf_progress {
	FILE *out;
	int enabled;
	const char *label;      /* borrowed, e.g. the model; may be NULL */
	long long total;        /* -1: unknown */
	long long done;
	struct timespec start, last_draw;
	size_t width;           /* terminal columns */
	size_t shown;           /* length of the line on screen, 0: none */
	int nextra;
	struct odf_progress_counter extra[ODF_PROGRESS_MAX_EXTRA];
};

/* Start timing now. total is the expected count, or -1 when unknown. */
void odf_progress_init(struct odf_progress *p, FILE *out, int enabled,
    const char *label, long long total);

/* The expected count, when it becomes known (or changes) later. */
void odf_progress_set_total(struct odf_progress *p, long long total);

/* Set the extra count called name (a string that outlives p); the first
 * ODF_PROGRESS_MAX_EXTRA names are kept, later ones ignored. */
void odf_progress_count(struct odf_progress *p, const char *name, long long value);

/* done records so far; redraws the line when a quarter second has passed. */
void odf_progress_update(struct odf_progress *p, long long done);

/* Erase the line (if drawn). p may be used again with odf_progress_update. */
void odf_progress_end(struct odf_progress *p);

/* Seconds since odf_progress_init. */
double odf_progress_elapsed(const struct odf_progress *p);

/*
 * The progress line for the given numbers into buf (always NUL-terminated,
 * cut to size - 1); returns buf. total < 0 is unknown (no "/ total", no
 * ETA); elapsed <= 0 gives no rate. label may be NULL.
 */
char *odf_progress_format(char *buf, size_t size, const char *label,
    long long done, long long total, double elapsed,
    const struct odf_progress_counter *extra, int nextra);

/* 12345678 as "12,345,678"; returns buf. */
char *odf_format_count(char *buf, size_t size, long long n);

/* A duration: "0.4s", "59.9s" under a minute, then "1:05", "1:02:03". */
char *odf_format_duration(char *buf, size_t size, double seconds);

/* A summary such as "20,000 records in 7.3s (2,740 rec/s)"; returns buf. */
char *odf_progress_summary(char *buf, size_t size, long long done, double seconds);

#endif
