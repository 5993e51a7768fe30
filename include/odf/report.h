/*
 * Machine-readable progress for odf migrate. A stage started by odf
 * migrate finds a pipe in ODF_PROGRESS_FD and writes lines to it:
 *
 *   export done=1200 total=5000
 *   import read=1100 created=1000 updated=50 failed=3
 *
 * Each line is written whole with one write(2) (shorter than PIPE_BUF, so
 * lines of several stages never mix), at most a few times a second, and
 * always once at the end. Outside odf migrate it does nothing.
 */
#ifndef ODF_REPORT_H
#define ODF_REPORT_H

struct odf_report {
	int fd;                 /* -1: not reporting */
	double last;            /* when the last line went out */
};

/* Take the descriptor from the environment, and hide it from our own
 * children. */
void odf_report_open(struct odf_report *r);

/*
 * Send "stage key=value ..." for the n keys and values, unless a line went
 * out less than 0.2 s ago and final is 0. Errors are ignored: progress is
 * not worth failing a migration for.
 */
void odf_report_send(struct odf_report *r, const char *stage, const char *const *keys,
    const long *values, int n, int final);

/* Parse one such line: the value of key, or -1 when absent. */
long odf_report_value(const char *line, const char *key);

#endif
