/* The progress line on a terminal, and the numbers it and summaries show. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "odf/progress.h"

#define REDRAW_SECONDS 0.25

/* Text appended to a fixed buffer, cut when it is full. */
struct line {
	char *buf;
	size_t size, len;
};

static void
add(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->len + 1 >= l->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->len, l->size - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len = l->len + (size_t)n < l->size ? l->len + (size_t)n : l->size - 1;
}

char *
odf_format_count(char *buf, size_t size, long long n)
{
	char digits[32], out[48];
	unsigned long long v = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	int len, k, o = 0;

	len = snprintf(digits, sizeof(digits), "%llu", v);
	if (n < 0)
		out[o++] = '-';
	for (k = 0; k < len; k++) {
		if (k > 0 && (len - k) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[k];
	}
	out[o] = '\0';
	snprintf(buf, size, "%s", out);
	return buf;
}

/* Whole seconds as "M:SS" or "H:MM:SS". */
static char *
clock_text(char *buf, size_t size, double seconds)
{
	long long s = seconds > 0 ? llround(seconds) : 0;

	if (s >= 3600)
		snprintf(buf, size, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, size, "%lld:%02lld", s / 60, s % 60);
	return buf;
}

char *
odf_format_duration(char *buf, size_t size, double seconds)
{
	if (seconds < 59.95) {
		snprintf(buf, size, "%.1fs", seconds > 0 ? seconds : 0.0);
		return buf;
	}
	return clock_text(buf, size, seconds);
}

/* Records a second: one decimal under 10, then whole and grouped. */
static char *
rate_text(char *buf, size_t size, double rate)
{
	if (rate < 9.95) {
		snprintf(buf, size, "%.1f", rate);
		return buf;
	}
	return odf_format_count(buf, size, llround(rate));
}

char *
odf_progress_format(char *buf, size_t size, const char *label,
    long long done, long long total, double elapsed,
    const struct odf_progress_counter *extra, int nextra)
{
	struct line l = { buf, size, 0 };
	char a[48], b[48];
	double rate = elapsed > 0 ? (double)done / elapsed : 0;
	int k;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (label != NULL)
		add(&l, "%s: ", label);
	if (total >= 0)
		add(&l, "%s / %s records", odf_format_count(a, sizeof(a), done),
		    odf_format_count(b, sizeof(b), total));
	else
		add(&l, "%s records", odf_format_count(a, sizeof(a), done));
	if (elapsed > 0)
		add(&l, "  %s rec/s", rate_text(a, sizeof(a), rate));
	if (total >= 0 && done < total && rate > 0)
		add(&l, "  ETA %s", clock_text(a, sizeof(a), (double)(total - done) / rate));
	for (k = 0; k < nextra; k++)
		if (extra[k].value != 0)
			add(&l, "  %s %s", odf_format_count(a, sizeof(a), extra[k].value),
			    extra[k].name);
	return buf;
}

char *
odf_progress_summary(char *buf, size_t size, long long done, double seconds)
{
	char n[48], d[48], r[48];

	if (seconds > 0)
		snprintf(buf, size, "%s record%s in %s (%s rec/s)",
		    odf_format_count(n, sizeof(n), done), done == 1 ? "" : "s",
		    odf_format_duration(d, sizeof(d), seconds),
		    rate_text(r, sizeof(r), (double)done / seconds));
	else
		snprintf(buf, size, "%s record%s", odf_format_count(n, sizeof(n), done),
		    done == 1 ? "" : "s");
	return buf;
}

static struct timespec
now(void)
{
	struct timespec t;

	if (clock_gettime(CLOCK_MONOTONIC, &t) != 0)
		memset(&t, 0, sizeof(t));
	return t;
}

static double
seconds_between(struct timespec a, struct timespec b)
{
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

void
odf_progress_init(struct odf_progress *p, FILE *out, int enabled,
    const char *label, long long total)
{
	struct winsize ws;

	memset(p, 0, sizeof(*p));
	p->out = out;
	p->enabled = enabled && out != NULL;
	p->label = label;
	p->total = total;
	p->start = p->last_draw = now();
	p->width = 80;
	if (p->enabled && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		p->width = ws.ws_col;
}

void
odf_progress_set_total(struct odf_progress *p, long long total)
{
	p->total = total;
}

void
odf_progress_count(struct odf_progress *p, const char *name, long long value)
{
	int k;

	for (k = 0; k < p->nextra; k++) {
		if (strcmp(p->extra[k].name, name) == 0) {
			p->extra[k].value = value;
			return;
		}
	}
	if (p->nextra < ODF_PROGRESS_MAX_EXTRA) {
		p->extra[p->nextra].name = name;
		p->extra[p->nextra++].value = value;
	}
}

double
odf_progress_elapsed(const struct odf_progress *p)
{
	return seconds_between(p->start, now());
}

/* Write s to the stream; a failure turns the line off for good. */
static void
emit(struct odf_progress *p, const char *s, size_t len, size_t pad)
{
	if (fprintf(p->out, "\r%.*s%*s", (int)len, s, (int)pad, "") < 0 ||
	    fflush(p->out) != 0)
		p->enabled = 0;
}

void
odf_progress_update(struct odf_progress *p, long long done)
{
	struct timespec t;
	char buf[512];
	size_t len;

	p->done = done;
	if (!p->enabled)
		return;
	t = now();
	/* The first line waits too, so that short runs draw nothing. */
	if (seconds_between(p->last_draw, t) < REDRAW_SECONDS)
		return;
	p->last_draw = t;
	odf_progress_format(buf, sizeof(buf), p->label, done, p->total,
	    seconds_between(p->start, t), p->extra, p->nextra);
	/* A line as wide as the terminal would wrap, and '\r' would then
	 * return to the start of the second row only. */
	len = strlen(buf);
	if (len > p->width - 1)
		len = p->width - 1;
	emit(p, buf, len, p->shown > len ? p->shown - len : 0);
	p->shown = len;
}

void
odf_progress_end(struct odf_progress *p)
{
	if (p->enabled && p->shown > 0) {
		emit(p, "", 0, p->shown);
		if (p->enabled && (fputc('\r', p->out) == EOF || fflush(p->out) != 0))
			p->enabled = 0;
	}
	p->shown = 0;
}
