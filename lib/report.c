/* Progress lines for odf migrate, over the pipe it gives each stage. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "odf/clock.h"
#include "odf/report.h"

void
odf_report_open(struct odf_report *r)
{
	const char *v = getenv("ODF_PROGRESS_FD");
	char *end;
	long fd;

	r->fd = -1;
	r->last = 0;
	if (v == NULL || *v == '\0')
		return;
	errno = 0;
	fd = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || fd < 3 || fd > 65535 ||
	    fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0)
		return;
	r->fd = (int)fd;
	unsetenv("ODF_PROGRESS_FD");
}

void
odf_report_send(struct odf_report *r, const char *stage, const char *const *keys,
    const long *values, int n, int final)
{
	char line[512];
	size_t len;
	double t;
	int i;

	if (r->fd < 0)
		return;
	t = odf_clock();
	if (!final && t - r->last < 0.2)
		return;
	r->last = t;
	len = (size_t)snprintf(line, sizeof(line), "%s", stage);
	for (i = 0; i < n && len < sizeof(line); i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " %s=%ld", keys[i],
		    values[i]);
	if (len >= sizeof(line) - 1)
		return;
	line[len++] = '\n';
	if (write(r->fd, line, len) < 0 && errno != EAGAIN)
		r->fd = -1;     /* odf migrate went away; carry on without */
}

long
odf_report_value(const char *line, const char *key)
{
	size_t n = strlen(key);
	const char *p = line;
	char *end;
	long v;

	while ((p = strstr(p, key)) != NULL) {
		if ((p == line || p[-1] == ' ') && p[n] == '=') {
			v = strtol(p + n + 1, &end, 10);
			return end == p + n + 1 ? -1 : v;
		}
		p += n;
	}
	return -1;
}
