/* External sort of (key, record) pairs: sorted runs on disk, merged. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "odf/extsort.h"
#include "odf/record.h"

#define MAX_RUNS (ODF_EXTSORT_FANIN * 10)

struct entry {
	const char *key;        /* into the arena; the record follows the key */
	uint32_t klen, rlen;
};

struct run {
	FILE *f;
	int level;              /* 0: spilled from memory; n+1: FANIN of level n */
};

/* One input of a merge: a run file, or the sorted entries in memory. */
struct source {
	FILE *f;                /* NULL: the entries in memory */
	char *buf;
	size_t cap;
	const char *key, *rec;
	uint32_t klen, rlen;
};

struct merger {
	struct source *src;
	int n;
	int *heap;              /* indices into src, smallest key on top */
	int nheap;
	int last;               /* the source returned last, to advance; -1 */
};

struct odf_extsort {
	size_t memory;
	char *arena;            /* memory bytes, never moved */
	size_t alen;
	struct entry *ent;
	size_t n, cap, pos;     /* pos: next entry to read back */
	struct run runs[MAX_RUNS];
	int nruns;
	long long count;
	long written;
	int finished;
	struct merger m;        /* the final merge */
};

int
odf_extsort_keycmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int
entry_cmp(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;

	return odf_extsort_keycmp(a->key, a->klen, b->key, b->klen);
}

struct odf_extsort *
odf_extsort_new(size_t memory, struct odf_error *err)
{
	struct odf_extsort *s = calloc(1, sizeof(*s));

	if (memory < ODF_EXTSORT_MIN_MEMORY)
		memory = ODF_EXTSORT_MIN_MEMORY;
	if (s == NULL || (s->arena = malloc(memory)) == NULL) {
		free(s);
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	s->memory = memory;
	s->m.last = -1;
	return s;
}

static void
merger_free(struct merger *m)
{
	int i;

	for (i = 0; i < m->n; i++)
		free(m->src[i].buf);
	free(m->src);
	free(m->heap);
	memset(m, 0, sizeof(*m));
	m->last = -1;
}

void
odf_extsort_free(struct odf_extsort *s)
{
	int i;

	if (s == NULL)
		return;
	merger_free(&s->m);
	for (i = 0; i < s->nruns; i++)
		fclose(s->runs[i].f);
	free(s->arena);
	free(s->ent);
	free(s);
}

long long
odf_extsort_count(const struct odf_extsort *s)
{
	return s->count;
}

long
odf_extsort_runs_written(const struct odf_extsort *s)
{
	return s->written;
}

/* An unnamed file to write a run to and read it back. */
static FILE *
run_file(struct odf_error *err)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	FILE *f;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	snprintf(path, sizeof(path), "%s/odf-sort.XXXXXX", dir);
	if ((fd = mkstemp(path)) < 0) {
		odf_error_set(err, ODF_E_IO, "%s: cannot create a temporary file: %s",
		    dir, strerror(errno));
		return NULL;
	}
	unlink(path);
	if ((f = fdopen(fd, "w+")) == NULL) {
		close(fd);
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
	}
	return f;
}

static int
put_pair(FILE *f, const char *key, uint32_t klen, const char *rec, uint32_t rlen,
    struct odf_error *err)
{
	uint32_t h[2] = { klen, rlen };

	if (fwrite(h, sizeof(h), 1, f) != 1 || fwrite(key, 1, klen, f) != klen ||
	    fwrite(rec, 1, rlen, f) != rlen)
		return odf_error_set(err, ODF_E_IO, "temporary file: %s",
		    strerror(errno != 0 ? errno : EIO));
	return 0;
}

/* Move the source to its next pair: 1, 0 at its end, -1 with err. */
static int
source_advance(struct odf_extsort *s, struct source *c, struct odf_error *err)
{
	uint32_t h[2];
	size_t need;

	if (c->f == NULL) {
		const struct entry *e;

		if (s->pos >= s->n)
			return 0;
		e = &s->ent[s->pos++];
		c->key = e->key;
		c->klen = e->klen;
		c->rec = e->key + e->klen;
		c->rlen = e->rlen;
		return 1;
	}
	if (fread(h, sizeof(h), 1, c->f) != 1) {
		if (ferror(c->f))
			return odf_error_set(err, ODF_E_IO, "temporary file: read error");
		return 0;
	}
	need = (size_t)h[0] + h[1] + 1;
	if (need > c->cap) {
		char *p = realloc(c->buf, need);

		if (p == NULL)
			return odf_error_set(err, ODF_E_NOMEM, "out of memory");
		c->buf = p;
		c->cap = need;
	}
	if (fread(c->buf, 1, need - 1, c->f) != need - 1)
		return odf_error_set(err, ODF_E_IO, "temporary file: cut short");
	c->key = c->buf;
	c->klen = h[0];
	c->rec = c->buf + h[0];
	c->rlen = h[1];
	return 1;
}

static int
source_less(const struct merger *m, int a, int b)
{
	const struct source *x = &m->src[a], *y = &m->src[b];

	return odf_extsort_keycmp(x->key, x->klen, y->key, y->klen) < 0;
}

static void
sift_down(struct merger *m, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, min = i, t;

		if (l < m->nheap && source_less(m, m->heap[l], m->heap[min]))
			min = l;
		if (r < m->nheap && source_less(m, m->heap[r], m->heap[min]))
			min = r;
		if (min == i)
			return;
		t = m->heap[i];
		m->heap[i] = m->heap[min];
		m->heap[min] = t;
		i = min;
	}
}

/* A merge of the files (rewound; NULL: the entries in memory). */
static int
merger_init(struct odf_extsort *s, struct merger *m, FILE **files, int n,
    struct odf_error *err)
{
	int i, r;

	memset(m, 0, sizeof(*m));
	m->last = -1;
	if ((m->src = calloc((size_t)n, sizeof(*m->src))) == NULL ||
	    (m->heap = calloc((size_t)n, sizeof(*m->heap))) == NULL) {
		merger_free(m);
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	}
	m->n = n;
	for (i = 0; i < n; i++) {
		m->src[i].f = files[i];
		if (files[i] != NULL && fseek(files[i], 0, SEEK_SET) != 0)
			return odf_error_set(err, ODF_E_IO, "temporary file: %s", strerror(errno));
		if ((r = source_advance(s, &m->src[i], err)) < 0)
			return -1;
		if (r == 1)
			m->heap[m->nheap++] = i;
	}
	for (i = m->nheap / 2 - 1; i >= 0; i--)
		sift_down(m, i);
	return 0;
}

static int
merger_next(struct odf_extsort *s, struct merger *m, struct source **out,
    struct odf_error *err)
{
	int r;

	if (m->last >= 0) {
		if ((r = source_advance(s, &m->src[m->last], err)) < 0)
			return -1;
		if (r == 0)
			m->heap[0] = m->heap[--m->nheap];
		if (m->nheap > 0)
			sift_down(m, 0);
		m->last = -1;
	}
	if (m->nheap == 0)
		return 0;
	m->last = m->heap[0];
	*out = &m->src[m->last];
	return 1;
}

/* Merge the last k runs into one of the next level. */
static int
merge_runs(struct odf_extsort *s, int k, struct odf_error *err)
{
	FILE *files[MAX_RUNS], *f;
	struct merger m;
	struct source *c;
	int i, r, level = s->runs[s->nruns - 1].level + 1;

	for (i = 0; i < k; i++)
		files[i] = s->runs[s->nruns - k + i].f;
	if ((f = run_file(err)) == NULL)
		return -1;
	if (merger_init(s, &m, files, k, err) != 0)
		goto fail;
	while ((r = merger_next(s, &m, &c, err)) == 1)
		if (put_pair(f, c->key, c->klen, c->rec, c->rlen, err) != 0)
			goto fail;
	if (r < 0 || fflush(f) != 0) {
		if (r == 0)
			odf_error_set(err, ODF_E_IO, "temporary file: %s", strerror(errno));
		goto fail;
	}
	merger_free(&m);
	for (i = 0; i < k; i++)
		fclose(files[i]);
	s->nruns -= k;
	s->runs[s->nruns].f = f;
	s->runs[s->nruns].level = level;
	s->nruns++;
	s->written++;
	return 0;
fail:
	merger_free(&m);
	fclose(f);
	return -1;
}

/* Levels only go down along the array: merge while the last FANIN runs
 * are of one level. */
static int
merge_full_levels(struct odf_extsort *s, struct odf_error *err)
{
	while (s->nruns >= ODF_EXTSORT_FANIN &&
	    s->runs[s->nruns - ODF_EXTSORT_FANIN].level == s->runs[s->nruns - 1].level) {
		if (merge_runs(s, ODF_EXTSORT_FANIN, err) != 0)
			return -1;
	}
	return 0;
}

/* Write what is in memory as a run, and merge full levels. */
static int
spill(struct odf_extsort *s, struct odf_error *err)
{
	FILE *f;
	size_t i;

	if (s->n == 0)
		return 0;
	if (s->nruns == MAX_RUNS)
		return odf_error_set(err, ODF_E_SOFTWARE, "too many sorted runs");
	qsort(s->ent, s->n, sizeof(*s->ent), entry_cmp);
	if ((f = run_file(err)) == NULL)
		return -1;
	for (i = 0; i < s->n; i++) {
		const struct entry *e = &s->ent[i];

		if (put_pair(f, e->key, e->klen, e->key + e->klen, e->rlen, err) != 0) {
			fclose(f);
			return -1;
		}
	}
	if (fflush(f) != 0) {
		fclose(f);
		return odf_error_set(err, ODF_E_IO, "temporary file: %s", strerror(errno));
	}
	s->runs[s->nruns].f = f;
	s->runs[s->nruns].level = 0;
	s->nruns++;
	s->written++;
	s->n = 0;
	s->alen = 0;
	return merge_full_levels(s, err);
}

int
odf_extsort_add(struct odf_extsort *s, const char *key, size_t klen,
    const char *rec, size_t rlen, struct odf_error *err)
{
	size_t need = klen + rlen;

	if (s->finished)
		return odf_error_set(err, ODF_E_SOFTWARE, "pair added after the sort ended");
	if (klen > UINT32_MAX || rlen > UINT32_MAX || need < klen)
		return odf_error_set(err, ODF_E_DATA, "record too large to sort");
	if (s->alen + need + (s->n + 1) * sizeof(struct entry) > s->memory &&
	    spill(s, err) != 0)
		return -1;
	if (need + sizeof(struct entry) > s->memory) {
		/* Larger than memory alone: a run of its own. */
		FILE *f;

		if (s->nruns == MAX_RUNS)
			return odf_error_set(err, ODF_E_SOFTWARE, "too many sorted runs");
		if ((f = run_file(err)) == NULL)
			return -1;
		if (put_pair(f, key, (uint32_t)klen, rec, (uint32_t)rlen, err) != 0 ||
		    fflush(f) != 0) {
			fclose(f);
			return odf_error_set(err, ODF_E_IO, "temporary file: write error");
		}
		s->runs[s->nruns].f = f;
		s->runs[s->nruns].level = 0;
		s->nruns++;
		s->written++;
		s->count++;
		return merge_full_levels(s, err);
	}
	if (odf_grow(&s->ent, &s->cap, s->n + 1, sizeof(*s->ent)) < 0)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	memcpy(s->arena + s->alen, key, klen);
	memcpy(s->arena + s->alen + klen, rec, rlen);
	s->ent[s->n].key = s->arena + s->alen;
	s->ent[s->n].klen = (uint32_t)klen;
	s->ent[s->n].rlen = (uint32_t)rlen;
	s->n++;
	s->alen += need;
	s->count++;
	return 0;
}

int
odf_extsort_finish(struct odf_extsort *s, struct odf_error *err)
{
	FILE *files[MAX_RUNS + 1];
	int i, n = 0;

	if (s->finished)
		return 0;
	s->finished = 1;
	if (s->n > 0)   /* qsort's base may not be NULL, even for nothing */
		qsort(s->ent, s->n, sizeof(*s->ent), entry_cmp);
	s->pos = 0;
	for (i = 0; i < s->nruns; i++)
		files[n++] = s->runs[i].f;
	if (s->n > 0)
		files[n++] = NULL;      /* what is still in memory */
	return merger_init(s, &s->m, files, n, err);
}

int
odf_extsort_next(struct odf_extsort *s, const char **key, size_t *klen,
    const char **rec, size_t *rlen, struct odf_error *err)
{
	struct source *c;
	int r;

	if (!s->finished)
		return odf_error_set(err, ODF_E_SOFTWARE, "sort read before its end");
	if ((r = merger_next(s, &s->m, &c, err)) != 1)
		return r;
	*key = c->key;
	*klen = c->klen;
	*rec = c->rec;
	*rlen = c->rlen;
	return 1;
}
