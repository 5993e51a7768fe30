/* NDJSON lines: a buffered line reader over a descriptor, and a line writer. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "odf/ndjson.h"

#define READ_CHUNK ((size_t)256 << 10)

struct odf_ndjson_reader {
	int fd;
	int owned;              /* opened here, closed by odf_ndjson_close */
	char *name;
	char *buf;
	size_t cap;
	size_t start;           /* first byte not yet returned */
	size_t scan;            /* bytes before this were searched for '\n' */
	size_t end;             /* end of the bytes read */
	long lineno;
	int eof;
	int skipping;           /* discarding the rest of a line too long */
};

static struct odf_ndjson_reader *
reader_new(int fd, int owned, const char *name, struct odf_error *err)
{
	struct odf_ndjson_reader *r = calloc(1, sizeof(*r));

	if (r == NULL || (r->name = strdup(name)) == NULL ||
	    (r->buf = malloc(READ_CHUNK)) == NULL) {
		if (r != NULL) {
			free(r->name);
			free(r);
		}
		odf_error_set(err, ODF_E_NOMEM, "%s: out of memory", name);
		return NULL;
	}
	r->fd = fd;
	r->owned = owned;
	r->cap = READ_CHUNK;
	return r;
}

struct odf_ndjson_reader *
odf_ndjson_open(const char *path, struct odf_error *err)
{
	struct odf_ndjson_reader *r;
	int fd;

	if (path == NULL || strcmp(path, "-") == 0)
		return reader_new(STDIN_FILENO, 0, "<stdin>", err);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		odf_error_set(err, ODF_E_NOINPUT, "%s: cannot open: %s", path,
		    strerror(errno));
		return NULL;
	}
	r = reader_new(fd, 1, path, err);
	if (r == NULL)
		close(fd);
	return r;
}

struct odf_ndjson_reader *
odf_ndjson_from_fd(int fd, const char *name, struct odf_error *err)
{
	return reader_new(fd, 0, name != NULL && strcmp(name, "-") != 0 ? name : "<stdin>",
	    err);
}

long
odf_ndjson_lineno(const struct odf_ndjson_reader *r)
{
	return r->lineno;
}

const char *
odf_ndjson_name(const struct odf_ndjson_reader *r)
{
	return r->name;
}

void
odf_ndjson_close(struct odf_ndjson_reader *r)
{
	if (r == NULL)
		return;
	if (r->owned)
		close(r->fd);
	free(r->buf);
	free(r->name);
	free(r);
}

/* JSON's white space; a line of nothing else is skipped. */
static int
is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/*
 * Make room for more bytes: move the unreturned part to the front, and
 * double the buffer when the line in progress fills it (one byte stays free
 * for the NUL that ends a line without a newline).
 */
static int
make_room(struct odf_ndjson_reader *r, struct odf_error *err)
{
	size_t keep = r->end - r->start;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, keep);
		r->scan -= r->start;
		r->end = keep;
		r->start = 0;
	}
	if (r->cap - r->end < READ_CHUNK / 2) {
		size_t ncap = r->cap * 2;
		char *nbuf;

		if (ncap > ODF_NDJSON_MAX_LINE + 2)
			ncap = ODF_NDJSON_MAX_LINE + 2;
		if (ncap <= r->cap)
			return 0;
		nbuf = realloc(r->buf, ncap);
		if (nbuf == NULL)
			return odf_error_set(err, ODF_E_NOMEM, "%s: line %ld: out of memory",
			    r->name, r->lineno + 1);
		r->buf = nbuf;
		r->cap = ncap;
	}
	return 0;
}

/* Read more bytes: 1, 0 at the end of input, -1 on a read error. */
static int
fill(struct odf_ndjson_reader *r, struct odf_error *err)
{
	ssize_t n;

	if (make_room(r, err) < 0)
		return -1;
	do
		n = read(r->fd, r->buf + r->end, r->cap - r->end - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return odf_error_set(err, ODF_E_IO, "%s: line %ld: read error: %s", r->name,
		    r->lineno + 1, strerror(errno));
	if (n == 0)
		r->eof = 1;
	r->end += (size_t)n;
	return n > 0;
}

int
odf_ndjson_next(struct odf_ndjson_reader *r, const char **line, size_t *len,
    struct odf_error *err)
{
	for (;;) {
		char *nl = memchr(r->buf + r->scan, '\n', r->end - r->scan);
		char *s = r->buf + r->start;
		size_t n;

		if (nl == NULL && !r->eof) {
			r->scan = r->end;
			if (r->skipping) {
				r->start = r->scan = r->end;
			} else if (r->end - r->start > ODF_NDJSON_MAX_LINE) {
				/* Report the line now, drop the rest of it on the way. */
				r->skipping = 1;
				r->start = r->scan = r->end;
				r->lineno++;
				return odf_error_set(err, ODF_E_DATA,
				    "%s: line %ld: line longer than %zu bytes", r->name,
				    r->lineno, ODF_NDJSON_MAX_LINE);
			}
			if (fill(r, err) < 0)
				return -1;
			continue;
		}
		if (nl == NULL && r->start == r->end)
			return 0;
		n = (nl != NULL ? (size_t)(nl - s) : r->end - r->start);
		r->start += n + (nl != NULL);
		r->scan = r->start;
		if (r->skipping) {
			r->skipping = 0;
			continue;
		}
		r->lineno++;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		s[n] = '\0';
		if (is_blank(s, n))
			continue;
		if (memchr(s, '\0', n) != NULL)
			return odf_error_set(err, ODF_E_DATA, "%s: line %ld: NUL byte in line",
			    r->name, r->lineno);
		*line = s;
		*len = n;
		return 1;
	}
}

int
odf_ndjson_write(FILE *out, const char *s, size_t len, struct odf_error *err)
{
	if (fwrite(s, 1, len, out) != len || putc('\n', out) == EOF) {
		int saved = errno;

		odf_error_set(err, ODF_E_IO, "write error: %s", strerror(saved));
		errno = saved;
		return -1;
	}
	return 0;
}

size_t
odf_ndjson_count(const char *s, size_t len)
{
	const char *end = s + len;
	size_t n = 0;

	while (s < end && (s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		n++;
		s++;
	}
	return n;
}

int
odf_ndjson_write_json(FILE *out, const struct cJSON *value, struct odf_error *err)
{
	char *s = cJSON_PrintUnformatted(value);
	int rc;

	if (s == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory serializing a record");
	rc = odf_ndjson_write(out, s, strlen(s), err);
	cJSON_free(s);
	return rc;
}
