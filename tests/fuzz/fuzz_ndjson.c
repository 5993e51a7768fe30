/*
 * The NDJSON line reader (lib/ndjson.c) against a model of what
 * ndjson.h promises: every line in order, numbered from 1, without its
 * newline and one trailing CR, blank lines skipped, a line holding a NUL
 * byte an error naming its number and the reading going on after it.
 *
 * Input: one byte of mode, then the stream. The mode says how many times
 * the stream is repeated (so that lines longer than the reader's first
 * buffer occur) and in what pieces it arrives: the pieces are written to a
 * SOCK_SEQPACKET socket, whose every read returns exactly one piece, so a
 * run does not depend on thread timing.
 */
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "odf/ndjson.h"

#define NDJSON_MAX_STREAM ((size_t)1 << 20)

struct ndjson_feed {
	int fd;
	const char *data;
	size_t len, piece;
};

static void *
ndjson_writer(void *arg)
{
	struct ndjson_feed *f = arg;

	for (size_t off = 0; off < f->len;) {
		size_t n = f->len - off < f->piece ? f->len - off : f->piece;
		ssize_t w = write(f->fd, f->data + off, n);

		if (w <= 0)
			break;  /* the reader stopped early */
		off += (size_t)w;
	}
	close(f->fd);
	return NULL;
}

static int
ndjson_is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* The next line the reader must give after *pos: 1 (a line), -1 (a NUL
 * byte in it), 0 (the end). */
static int
ndjson_expect(const char *data, size_t len, size_t *pos, long *lineno,
    const char **line, size_t *n)
{
	while (*pos < len) {
		const char *s = data + *pos, *nl = memchr(s, '\n', len - *pos);
		size_t m = nl != NULL ? (size_t)(nl - s) : len - *pos;

		*pos += m + (nl != NULL);
		++*lineno;
		if (m > 0 && s[m - 1] == '\r')
			m--;
		if (ndjson_is_blank(s, m))
			continue;
		*line = s;
		*n = m;
		return memchr(s, '\0', m) != NULL ? -1 : 1;
	}
	return 0;
}

FUZZ_TARGET(ndjson)(const uint8_t *data, size_t size)
{
	static const size_t repeats[] = { 1, 2, 40, 700 };
	static const size_t pieces[] = { 65536, 1, 2, 3, 7, 100, 4096, 30000 };
	struct ndjson_feed feed;
	struct odf_ndjson_reader *r;
	struct odf_error err;
	pthread_t writer;
	char *stream;
	size_t body, total, pos = 0;
	long lineno = 0;
	int sv[2];

	if (size < 1)
		return 0;
	body = size - 1;
	total = body * repeats[data[0] & 3];
	if (total > NDJSON_MAX_STREAM)
		total = NDJSON_MAX_STREAM - NDJSON_MAX_STREAM % (body ? body : 1);
	if ((stream = malloc(total + 1)) == NULL)
		return 0;
	for (size_t off = 0; off < total; off += body)
		memcpy(stream + off, data + 1, body);
	feed.data = stream;
	feed.len = total;
	feed.piece = pieces[(data[0] >> 2) & 7];
	/* Small pieces over a long stream would make a run take seconds. */
	if (feed.piece < total / 512)
		feed.piece = total / 512;
	FUZZ_ASSERT(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0);
	feed.fd = sv[1];
	FUZZ_ASSERT(pthread_create(&writer, NULL, ndjson_writer, &feed) == 0);

	r = odf_ndjson_from_fd(sv[0], "fuzz.ndjson", &err);
	FUZZ_ASSERT(r != NULL);
	FUZZ_ASSERT(strcmp(odf_ndjson_name(r), "fuzz.ndjson") == 0);
	for (;;) {
		const char *want = NULL, *got = NULL;
		size_t want_len = 0, got_len = 0;
		int expect = ndjson_expect(stream, total, &pos, &lineno, &want, &want_len);
		int rc = odf_ndjson_next(r, &got, &got_len, &err);

		FUZZ_ASSERT(rc == expect);
		if (rc == 0)
			break;
		FUZZ_ASSERT(odf_ndjson_lineno(r) == lineno);
		if (rc < 0) {
			char where[64];

			fuzz_check_error(&err);
			FUZZ_ASSERT(err.code == ODF_E_DATA);
			snprintf(where, sizeof(where), "fuzz.ndjson: line %ld: ", lineno);
			FUZZ_ASSERT(strncmp(err.message, where, strlen(where)) == 0);
			continue;
		}
		FUZZ_ASSERT(got_len == want_len && memcmp(got, want, got_len) == 0);
		FUZZ_ASSERT(got[got_len] == '\0');
	}
	/* The end stays the end. */
	{
		const char *line;
		size_t len;

		FUZZ_ASSERT(odf_ndjson_next(r, &line, &len, &err) == 0);
	}
	odf_ndjson_close(r);
	close(sv[0]);
	pthread_join(writer, NULL);
	free(stream);
	return 0;
}
