/* Odoo's "YYYY-MM-DD HH:MM:SS" UTC timestamps, read and written. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "odf/timestamp.h"

/* n decimal digits at s into *v; 0, or -1 when one is not a digit. */
static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int
odf_timestamp_parse(const char *what, const char *text, long long *t,
    struct odf_error *err)
{
	int y, mo, d, h = 0, mi = 0, s = 0;
	size_t len = strlen(text);
	struct tm tm;
	time_t v;

	if (len > 0 && text[len - 1] == 'Z')
		len--;
	if (!(len == 10 || len == 19) || digits(text, 4, &y) != 0 || text[4] != '-' ||
	    digits(text + 5, 2, &mo) != 0 || text[7] != '-' || digits(text + 8, 2, &d) != 0 ||
	    (len == 19 && ((text[10] != ' ' && text[10] != 'T') ||
	    digits(text + 11, 2, &h) != 0 || text[13] != ':' ||
	    digits(text + 14, 2, &mi) != 0 || text[16] != ':' ||
	    digits(text + 17, 2, &s) != 0)))
		goto bad;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59)
		goto bad;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	v = timegm(&tm);
	/* timegm carries February 30 into March: such a day is no day. */
	if (v == (time_t)-1 || tm.tm_mday != d || tm.tm_mon != mo - 1)
		goto bad;
	*t = (long long)v;
	return 0;
bad:
	return odf_error_set(err, ODF_E_USAGE, "%s: '%s' is not a time such as "
	    "'2026-01-31 23:59:00' (UTC)", what, text);
}

char *
odf_timestamp_format(long long t, char *buf, size_t size)
{
	time_t v = (time_t)t;
	struct tm tm;

	if (size == 0)
		return buf;
	if (gmtime_r(&v, &tm) == NULL || strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		buf[0] = '\0';
	return buf;
}
