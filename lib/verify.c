/* odf verify: both sides exported at once, sorted by external id, compared. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "odf/buf.h"
#include "odf/cli.h"
#include "odf/clock.h"
#include "odf/domain.h"
#include "odf/export.h"
#include "odf/extsort.h"
#include "odf/ndjson.h"
#include "odf/record.h"
#include "odf/strmap.h"
#include "odf/xmlids.h"
#include "odf/transform.h"
#include "odf/verify.h"

#define READ_CHUNK 65536

enum { SOURCE, DEST };

/* What an export child reports before it exits. */
struct child_status {
	int rc;
	struct odf_export_summary sum;
	struct odf_error err;
};

struct side {
	const char *name;       /* "source", "destination" */
	const struct odf_conf *conf;
	pid_t pid;              /* 0: not started */
	int fd, status_fd;      /* -1 when closed */
	char *buf;              /* a line not yet complete */
	size_t len, cap;
	int eof;
	long lineno;
	struct odf_extsort *sort;
};

struct verify {
	const struct odf_verify_opts *o;
	struct odf_transform *t;
	struct odf_buf outs;
	struct side side[2];
	char *src_fields;       /* the fields, with "id"; NULL: every field */
	struct odf_strmap *ignore;      /* --ignore: fields neither read nor compared */
	char *dst_fields;       /* with a transformer: what its records name */
	int dst_fields_known;
	/* With a transformer: every field path its records named so far (the
	 * destination is read with them), and the last record's, as a record
	 * mostly names what the one before did. */
	struct odf_strmap *dst_paths;
	struct odf_strmap *dst_keys;    /* their first segments: the fields */
	struct odf_buf dst_list;
	char *last_shape;
	int dst_fields_grew;    /* a path came after the destination's read began */
	FILE *out;
	struct odf_verify_summary sum;
};

long long
odf_verify_differences(const struct odf_verify_summary *s)
{
	return s->missing + s->extra + s->differs + s->duplicates + s->rejected;
}

/* The length of the first segment of a field path, as odf-import reads
 * keys: '/' or '.' separate segments ("parent_id.id"), ".id" is one. */
static size_t
segment_len(const char *p)
{
	if (strncmp(p, ".id", 3) == 0 && (p[3] == '\0' || p[3] == '/' || p[3] == '.'))
		return 3;
	return strcspn(p, "./");
}

/* Whether the field of key[0..len) (a field, or a path "f/id", "f.id")
 * is one --ignore names. */
static int
ignored(const struct verify *v, const char *key, size_t len)
{
	size_t n = segment_len(key);

	return v->ignore != NULL && odf_strmap_get(v->ignore, key, n < len ? n : len) >= 0;
}

/* A domain on database ids selects other records in the destination: say
 * so before they come out as missing and extra. (A domain that does not
 * parse is the export's to refuse.) */
static void
warn_ids(const struct odf_verify_opts *o)
{
	struct odf_error ignored;
	cJSON *domain;

	if (o->domain == NULL || o->diag == NULL || o->quiet ||
	    odf_domain_parse(o->domain, &domain, &ignored) != 0)
		return;
	if (odf_domain_uses_ids(domain))
		fprintf(o->diag, "%s: warning: the domain selects by database id, and ids differ "
		    "between databases: in the destination it selects other records\n", o->prog);
	cJSON_Delete(domain);
}

/* --ignore into v->ignore. */
static int
ignore_parse(struct verify *v, const char *list, struct odf_error *err)
{
	char **names;
	size_t n, i;

	if (list == NULL)
		return 0;
	if ((names = odf_split_list("--ignore", list, &n, err)) == NULL)
		return -1;
	if ((v->ignore = odf_strmap_new()) == NULL) {
		free(names);
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		if (strcmp(names[i], "id") == 0)
			odf_error_set(err, ODF_E_USAGE, "--ignore: 'id' is how records are matched");
		else if (odf_strmap_put(v->ignore, names[i], strlen(names[i]), 1) != 0)
			odf_error_set(err, ODF_E_NOMEM, "out of memory");
		else
			continue;
		free(names);
		return -1;
	}
	free(names);
	return 0;
}

/* --fields with "id" first when it is not there, less those --ignore names. */
static int
fields_with_id(struct verify *v, const char *fields, struct odf_error *err)
{
	struct odf_buf b = ODF_BUF_INIT;
	char **list, nul = '\0';
	size_t n, i;

	v->src_fields = NULL;
	if (fields == NULL)
		return 0;
	if ((list = odf_split_list("--fields", fields, &n, err)) == NULL)
		return -1;
	odf_buf_adds(&b, "id", NULL);
	for (i = 0; i < n; i++)
		if (strcmp(list[i], "id") != 0 && !ignored(v, list[i], strlen(list[i])))
			odf_buf_addf(&b, NULL, ",%s", list[i]);
	free(list);
	if (odf_buf_add(&b, &nul, 1, NULL) != 0 || b.failed) {
		odf_buf_release(&b);
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	}
	v->src_fields = b.data;
	return 0;
}

/* Append key as an export path, its segments joined by '/'. */
static int
add_path(struct odf_buf *b, const char *key, struct odf_error *err)
{
	const char *p = key;

	for (;;) {
		size_t len = segment_len(p);

		if (odf_buf_add(b, p, len, err) != 0)
			return -1;
		p += len;
		if (*p++ == '\0')
			return 0;
		if (odf_buf_add(b, "/", 1, err) != 0)
			return -1;
	}
}

/* The field paths a transformed record names, for the destination's
 * export: "name", "parent_id/id" for {"parent_id": {"id": ...}} and for
 * the flat "parent_id/id" or "parent_id.id". */
static char *
fields_of_record(const cJSON *rec, struct odf_error *err)
{
	struct odf_buf b = ODF_BUF_INIT;
	const cJSON *f, *sub, *item;
	char nul = '\0';

	cJSON_ArrayForEach(f, rec) {
		const cJSON *shape = NULL;

		if (f->string[0] == '.')
			continue;
		if (cJSON_IsObject(f))
			shape = f;
		else if (cJSON_IsArray(f))
			cJSON_ArrayForEach(item, f)
				if (cJSON_IsObject(item) && (shape = item) != NULL)
					break;
		if (shape == NULL || shape->child == NULL) {
			if ((b.len > 0 && odf_buf_add(&b, ",", 1, err) != 0) ||
			    add_path(&b, f->string, err) != 0)
				goto fail;
			continue;
		}
		cJSON_ArrayForEach(sub, shape) {
			if ((b.len > 0 && odf_buf_add(&b, ",", 1, err) != 0) ||
			    add_path(&b, f->string, err) != 0 ||
			    odf_buf_add(&b, "/", 1, err) != 0 ||
			    add_path(&b, sub->string, err) != 0)
				goto fail;
		}
	}
	if (odf_buf_add(&b, &nul, 1, err) != 0)
		goto fail;
	return b.data;
fail:
	odf_buf_release(&b);
	return NULL;
}

/* Add the paths rec names to those the destination is read with. */
static int
fields_union(struct verify *v, const cJSON *rec, struct odf_error *err)
{
	char *f = fields_of_record(rec, err);
	const char *p;
	size_t n;

	if (f == NULL)
		return -1;
	if (v->last_shape != NULL && strcmp(f, v->last_shape) == 0) {
		free(f);
		return 0;
	}
	for (p = f; *p != '\0'; p += n + (p[n] == ',')) {
		n = strcspn(p, ",");
		if (n == 0 || ignored(v, p, n) || odf_strmap_get(v->dst_paths, p, n) >= 0)
			continue;
		if (odf_strmap_put(v->dst_paths, p, n, 1) != 0 ||
		    odf_strmap_put(v->dst_keys, p, strcspn(p, ",/"), 1) != 0 ||
		    (v->dst_list.len > 0 && odf_buf_add(&v->dst_list, ",", 1, err) != 0) ||
		    odf_buf_add(&v->dst_list, p, n, err) != 0) {
			free(f);
			return odf_error_set(err, ODF_E_NOMEM, "out of memory");
		}
		if (v->side[DEST].pid != 0 || v->side[DEST].eof)
			v->dst_fields_grew = 1;
	}
	free(v->last_shape);
	v->last_shape = f;
	v->dst_fields_known = 1;
	return 0;
}

/* The destination's fields: the paths named, but a bare relational field
 * ("parent_id", from a record where it was null) when a path under it
 * ("parent_id/id") reads it already. NULL when out of memory. */
static char *
dst_fields_string(const struct verify *v)
{
	struct odf_buf b = ODF_BUF_INIT;
	const char *p, *end = v->dst_list.data + v->dst_list.len;
	char nul = '\0';

	for (p = v->dst_list.data; p != NULL && p < end; ) {
		size_t n = strcspn(p, ","), i;
		int under = 0;

		for (i = 0; !under && i < v->dst_list.len; i += strcspn(v->dst_list.data + i, ",") + 1)
			under = strncmp(v->dst_list.data + i, p, n) == 0 &&
			    v->dst_list.data[i + n] == '/';
		if (!under && ((b.len > 0 && odf_buf_add(&b, ",", 1, NULL) != 0) ||
		    odf_buf_add(&b, p, n, NULL) != 0))
			break;
		p += n + 1;
	}
	if (odf_buf_add(&b, &nul, 1, NULL) != 0 || b.failed) {
		odf_buf_release(&b);
		return NULL;
	}
	return b.data;
}

/* --- the export children --- */

static void
child_run(const struct verify *v, int which, const char *fields, int data_fd,
    int status_fd)
{
	const struct odf_verify_opts *o = v->o;
	struct odf_export_opts ex;
	struct child_status st;
	FILE *out;

	memset(&ex, 0, sizeof(ex));
	memset(&st, 0, sizeof(st));
	ex.prog = o->prog;
	ex.diag = o->diag;
	ex.quiet = o->quiet;
	ex.model = o->model;
	ex.fields = fields;
	ex.domain = o->domain;
	ex.context = o->context;
	ex.batch_size = o->batch_size;
	ex.workers = o->workers;
	ex.archived = 1;
	odf_error_clear(&st.err);
	if ((out = fdopen(data_fd, "w")) == NULL) {
		st.rc = odf_error_set(&st.err, ODF_E_NOMEM, "out of memory");
	} else {
		st.rc = odf_export_run(&ex, v->side[which].conf, out, &st.sum, &st.err);
		if (fclose(out) != 0 && st.rc == 0 && !st.sum.reader_gone)
			st.rc = odf_error_set(&st.err, ODF_E_IO, "pipe: %s", strerror(errno));
	}
	if (write(status_fd, &st, sizeof(st)) != (ssize_t)sizeof(st))
		_exit(70);
	_exit(0);
}

static int
side_start(struct verify *v, int which, const char *fields, struct odf_error *err)
{
	struct side *s = &v->side[which];
	int data[2], status[2];
	pid_t pid;

	if (pipe(data) != 0)
		return odf_error_set(err, ODF_E_IO, "pipe: %s", strerror(errno));
	if (pipe(status) != 0) {
		close(data[0]);
		close(data[1]);
		return odf_error_set(err, ODF_E_IO, "pipe: %s", strerror(errno));
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		close(data[0]);
		close(data[1]);
		close(status[0]);
		close(status[1]);
		return odf_error_set(err, ODF_E_IO, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		const struct side *other = &v->side[!which];

		/* Ended with us: a killed verify leaves no export running. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		signal(SIGPIPE, SIG_IGN);
		close(data[0]);
		close(status[0]);
		if (other->fd >= 0)
			close(other->fd);
		if (other->status_fd >= 0)
			close(other->status_fd);
		/* What the parent holds is not the child's to keep. */
		odf_transform_free(v->t);
		v->t = NULL;
		odf_extsort_free(v->side[SOURCE].sort);
		odf_extsort_free(v->side[DEST].sort);
		v->side[SOURCE].sort = v->side[DEST].sort = NULL;
		child_run(v, which, fields, data[1], status[1]);
	}
	close(data[1]);
	close(status[1]);
	s->pid = pid;
	s->fd = data[0];
	s->status_fd = status[0];
	return 0;
}

/* The child's last words and its end. 0, or -1 with err. */
static int
side_wait(struct side *s, struct odf_error *err)
{
	struct child_status st;
	size_t got = 0;
	ssize_t n;
	int status;

	while (got < sizeof(st) &&
	    ((n = read(s->status_fd, (char *)&st + got, sizeof(st) - got)) > 0 ||
	    (n < 0 && errno == EINTR)))
		if (n > 0)
			got += (size_t)n;
	close(s->status_fd);
	s->status_fd = -1;
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	s->pid = 0;
	if (got != sizeof(st))
		return odf_error_set(err, ODF_E_SOFTWARE, "%s: the export process died", s->name);
	if (st.rc != 0) {
		*err = st.err;
		odf_error_prefix(err, "%s", s->name);
		return -1;
	}
	return 0;
}

static void
side_stop(struct side *s)
{
	int status;

	if (s->fd >= 0)
		close(s->fd);
	if (s->status_fd >= 0)
		close(s->status_fd);
	s->fd = s->status_fd = -1;
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
			;
		s->pid = 0;
	}
	free(s->buf);
	s->buf = NULL;
}

/* --- reading: lines → (transformer) → sort --- */

static int
write_line(struct verify *v, cJSON *line, struct odf_error *err)
{
	if (v->sum.reader_gone)
		return 0;
	errno = 0;
	if (odf_ndjson_write_json(v->out, line, err) != 0) {
		if (errno == EPIPE) {
			v->sum.reader_gone = 1;
			return 0;
		}
		return -1;
	}
	return 0;
}

static int
add_record(struct verify *v, int which, const char *line, size_t len,
    struct odf_error *err)
{
	struct side *s = &v->side[which];
	cJSON *rec = cJSON_ParseWithLength(line, len);
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "id");
	int rc;

	if (!cJSON_IsString(id) || id->valuestring[0] == '\0') {
		cJSON_Delete(rec);
		return odf_error_set(err, ODF_E_DATA, "%s: record %lld: %s", s->name,
		    odf_extsort_count(s->sort) + 1,
		    rec == NULL ? "not JSON" : "no external id ('id')");
	}
	if (which == SOURCE && v->t != NULL && fields_union(v, rec, err) != 0) {
		cJSON_Delete(rec);
		return -1;
	}
	/* A transformer's "x" is loaded as "__import__.x", and exported so. */
	if (which == SOURCE && v->t != NULL && strchr(id->valuestring, '.') == NULL) {
		char *full = odf_xmlid_full(id->valuestring);

		rc = full == NULL ? odf_error_set(err, ODF_E_NOMEM, "out of memory") :
		    odf_extsort_add(s->sort, full, strlen(full), line, len, err);
		free(full);
		cJSON_Delete(rec);
		return rc;
	}
	rc = odf_extsort_add(s->sort, id->valuestring, strlen(id->valuestring), line, len, err);
	cJSON_Delete(rec);
	return rc;
}

static int
source_line(struct verify *v, const char *line, size_t len, struct odf_error *err)
{
	struct odf_error why;
	const char *p, *end;
	int r;

	if (v->t == NULL)
		return add_record(v, SOURCE, line, len, err);
	odf_buf_reset(&v->outs);
	odf_error_clear(&why);
	r = odf_transform_record(v->t, line, len, &v->outs, &why);
	if (r < 0) {
		*err = why;
		return -1;
	}
	if (r == ODF_TRANSFORM_HALTED)
		return odf_error_set(err, ODF_E_DATA, "%s: source record %ld: the program halted",
		    v->o->transformer, v->side[SOURCE].lineno);
	if (r == ODF_TRANSFORM_REJECTED) {
		cJSON *l = cJSON_CreateObject();

		v->sum.rejected++;
		if (l == NULL || cJSON_AddNullToObject(l, "id") == NULL ||
		    cJSON_AddStringToObject(l, "status", "rejected") == NULL ||
		    cJSON_AddNumberToObject(l, "line", (double)v->side[SOURCE].lineno) == NULL ||
		    cJSON_AddStringToObject(l, "message", why.message) == NULL) {
			cJSON_Delete(l);
			return odf_error_set(err, ODF_E_NOMEM, "out of memory");
		}
		r = write_line(v, l, err);
		cJSON_Delete(l);
		return r;
	}
	for (p = v->outs.data, end = p + v->outs.len; p != NULL && p < end; ) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		if (n > 0 && add_record(v, SOURCE, p, n, err) != 0)
			return -1;
		p += n + 1;
	}
	return 0;
}

static int
side_lines(struct verify *v, int which, int last, struct odf_error *err)
{
	struct side *s = &v->side[which];
	size_t start = 0;
	char *nl;

	for (;;) {
		size_t n;

		nl = memchr(s->buf + start, '\n', s->len - start);
		if (nl == NULL && !(last && start < s->len))
			break;
		n = nl != NULL ? (size_t)(nl - (s->buf + start)) : s->len - start;
		s->lineno++;
		if (n > 0 && (which == SOURCE ? source_line(v, s->buf + start, n, err) :
		    add_record(v, which, s->buf + start, n, err)) != 0)
			return -1;
		start += n + (nl != NULL);
	}
	memmove(s->buf, s->buf + start, s->len - start);
	s->len -= start;
	return 0;
}

/* Read what the side has: 0, or -1 with err. Sets eof at its end. */
static int
side_read(struct verify *v, int which, struct odf_error *err)
{
	struct side *s = &v->side[which];
	ssize_t n;

	if (s->cap - s->len < READ_CHUNK) {
		size_t cap = s->cap ? s->cap * 2 : READ_CHUNK * 2;
		char *p;

		if (cap > ODF_NDJSON_MAX_LINE + READ_CHUNK)
			return odf_error_set(err, ODF_E_DATA, "%s: line %ld: longer than %zu bytes",
			    s->name, s->lineno + 1, ODF_NDJSON_MAX_LINE);
		if ((p = realloc(s->buf, cap)) == NULL)
			return odf_error_set(err, ODF_E_NOMEM, "out of memory");
		s->buf = p;
		s->cap = cap;
	}
	n = read(s->fd, s->buf + s->len, s->cap - s->len);
	if (n < 0)
		return errno == EINTR ? 0 : odf_error_set(err, ODF_E_IO, "%s: read: %s",
		    s->name, strerror(errno));
	if (n == 0) {
		s->eof = 1;
		close(s->fd);
		s->fd = -1;
		return side_lines(v, which, 1, err);
	}
	s->len += (size_t)n;
	return side_lines(v, which, 0, err);
}

/* The source's records named fields the destination's read had not asked
 * for: read it again, with them. */
static int
dest_restart(struct verify *v, struct odf_error *err)
{
	struct side *s = &v->side[DEST];

	side_stop(s);
	odf_extsort_free(s->sort);
	s->sort = NULL;
	s->len = s->cap = 0;
	s->eof = 0;
	s->lineno = 0;
	v->dst_fields_grew = 0;
	if ((s->sort = odf_extsort_new(v->o->memory > 0 ? v->o->memory :
	    ODF_VERIFY_DEFAULT_MEMORY, err)) == NULL)
		return -1;
	return 0;
}

static int
dest_start(struct verify *v, struct odf_error *err)
{
	if (v->t != NULL && v->dst_list.len > 0) {
		free(v->dst_fields);
		if ((v->dst_fields = dst_fields_string(v)) == NULL)
			return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	}
	return side_start(v, DEST, v->dst_fields != NULL ? v->dst_fields : v->src_fields, err);
}

static int
read_sides(struct verify *v, struct odf_error *err)
{
	for (;;) {
		struct pollfd pfd[2];
		int nfd = 0, i, which[2];

		if (v->side[SOURCE].eof && v->dst_fields_grew && dest_restart(v, err) != 0)
			return -1;
		if (v->side[DEST].pid == 0 && !v->side[DEST].eof &&
		    (v->dst_fields_known || v->side[SOURCE].eof) && dest_start(v, err) != 0)
			return -1;
		for (i = 0; i < 2; i++) {
			if (v->side[i].fd < 0)
				continue;
			pfd[nfd].fd = v->side[i].fd;
			pfd[nfd].events = POLLIN;
			which[nfd++] = i;
		}
		if (nfd == 0)
			return 0;
		if (poll(pfd, (nfds_t)nfd, -1) < 0) {
			if (errno == EINTR)
				continue;
			return odf_error_set(err, ODF_E_IO, "poll: %s", strerror(errno));
		}
		for (i = 0; i < nfd; i++)
			if ((pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) &&
			    side_read(v, which[i], err) != 0)
				return -1;
	}
}

/* --- comparing --- */

static int values_equal(const cJSON *a, const cJSON *b);

/* Odoo's False in any of its spellings: load() takes null, false, "", 0,
 * an empty list and a related record with an empty reference ({"id":
 * null}) as an empty value, and export_data gives null for an empty field,
 * false for a boolean, 0 for a number. */
static int
is_empty(const cJSON *v)
{
	const cJSON *f;

	if (cJSON_IsObject(v)) {
		cJSON_ArrayForEach(f, v)
			if (!is_empty(f))
				return 0;
		return 1;
	}
	return v == NULL || cJSON_IsNull(v) || cJSON_IsFalse(v) ||
	    (cJSON_IsNumber(v) && v->valuedouble == 0) ||
	    (cJSON_IsString(v) && v->valuestring[0] == '\0') ||
	    (cJSON_IsArray(v) && v->child == NULL);
}

/* Lists of related records: the same records in any order. */
static int
same_set(const cJSON *a, const cJSON *b)
{
	int n = cJSON_GetArraySize(a), i, j, ok = 1;
	const cJSON *x;
	char *used;

	if (n != cJSON_GetArraySize(b))
		return 0;
	if (n == 0 || (used = calloc((size_t)n, 1)) == NULL)
		return n == 0;
	cJSON_ArrayForEach(x, a) {
		const cJSON *y;

		j = 0;
		i = -1;
		cJSON_ArrayForEach(y, b) {
			if (!used[j] && values_equal(x, y)) {
				i = j;
				break;
			}
			j++;
		}
		if (i < 0) {
			ok = 0;
			break;
		}
		used[i] = 1;
	}
	free(used);
	return ok;
}

static int
all_objects(const cJSON *list)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, list)
		if (!cJSON_IsObject(x))
			return 0;
	return 1;
}

static int
values_equal(const cJSON *a, const cJSON *b)
{
	const cJSON *f;

	if (is_empty(a) || is_empty(b))
		return is_empty(a) && is_empty(b);
	if (cJSON_IsArray(a) && cJSON_IsArray(b) && all_objects(a) && all_objects(b))
		return same_set(a, b);
	if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
		cJSON_ArrayForEach(f, a)
			if (!values_equal(f, cJSON_GetObjectItemCaseSensitive(b, f->string)))
				return 0;
		cJSON_ArrayForEach(f, b)
			if (!cJSON_HasObjectItem(a, f->string) && !is_empty(f))
				return 0;
		return 1;
	}
	return cJSON_Compare(a, b, 1);
}

/* A flat many2many cell, "a, b" under the key "id": [{"id": "a"}, {"id":
 * "b"}], database ids as numbers under ".id". NULL when out of memory. */
static cJSON *
split_refs(const char *key, const char *text)
{
	cJSON *list = cJSON_CreateArray();
	const char *p = text;

	while (list != NULL && *p != '\0') {
		size_t n = strcspn(p, ",");
		const char *a = p, *z = p + n;
		char *ref;
		long long num;
		cJSON *item;

		p += n + (p[n] == ',');
		while (a < z && *a == ' ')
			a++;
		while (z > a && z[-1] == ' ')
			z--;
		if (z == a)
			continue;
		if ((ref = strndup(a, (size_t)(z - a))) == NULL ||
		    (item = cJSON_CreateObject()) == NULL) {
			free(ref);
			cJSON_Delete(list);
			return NULL;
		}
		cJSON_AddItemToArray(list, item);
		if ((strcmp(key, ".id") == 0 && odf_parse_long(ref, &num) == 0 ?
		    cJSON_AddNumberToObject(item, key, (double)num) :
		    cJSON_AddStringToObject(item, key, ref)) == NULL) {
			free(ref);
			cJSON_Delete(list);
			return NULL;
		}
		free(ref);
	}
	return list;
}

/* The first key of rec that is a path of several segments. */
static cJSON *
first_flat_key(const cJSON *rec)
{
	cJSON *f;

	cJSON_ArrayForEach(f, rec)
		if (f->string != NULL && f->string[0] != '.' &&
		    f->string[segment_len(f->string)] != '\0')
			return f;
	return NULL;
}

/*
 * The flat keys of a transformed record, which odf-import takes as well
 * as nested ones ("parent_id/id": "x", "category_id.id": "a,b"), put in
 * the nested shape the destination is exported in: {"parent_id": {"id":
 * "x"}}, and a list where the destination's record dst (may be NULL) holds
 * one, {"category_id": [{"id": "a"}, {"id": "b"}]}. 0, or -1 when out of
 * memory.
 */
static int
nest_flat_keys(cJSON *rec, const cJSON *dst)
{
	cJSON *f, *v, *sub, *have, *c;
	int ok;

	while ((f = first_flat_key(rec)) != NULL) {
		char *key = strdup(f->string), *rest;
		const cJSON *d;

		if (key == NULL)
			return -1;
		rest = key + segment_len(key);
		*rest++ = '\0';
		d = cJSON_GetObjectItemCaseSensitive(dst, key);
		v = cJSON_DetachItemViaPointer(rec, f);
		if (cJSON_IsArray(d) && cJSON_IsString(v) && rest[segment_len(rest)] == '\0') {
			sub = split_refs(rest, v->valuestring);
			cJSON_Delete(v);
		} else if ((sub = cJSON_CreateObject()) == NULL ||
		    !cJSON_AddItemToObject(sub, rest, v)) {
			cJSON_Delete(sub);
			cJSON_Delete(v);
			sub = NULL;
		}
		have = cJSON_GetObjectItemCaseSensitive(rec, key);
		ok = sub != NULL;
		if (ok && cJSON_IsObject(have) && cJSON_IsObject(sub)) {
			/* "parent_id/id" beside "parent_id/name": one object. */
			while (ok && (c = sub->child) != NULL) {
				cJSON_DetachItemViaPointer(sub, c);
				cJSON_DeleteItemFromObjectCaseSensitive(have, c->string);
				if (!(ok = cJSON_AddItemToObject(have, c->string, c)))
					cJSON_Delete(c);
			}
			cJSON_Delete(sub);
		} else if (ok) {
			cJSON_DeleteItemFromObjectCaseSensitive(rec, key);
			if (!(ok = cJSON_AddItemToObject(rec, key, sub)))
				cJSON_Delete(sub);
		}
		free(key);
		if (!ok)
			return -1;
	}
	/* Deeper down: "parent_id": {"country_id/code": ...}, lines. */
	cJSON_ArrayForEach(f, rec) {
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(dst, f->string), *shape = NULL;

		if (cJSON_IsObject(f) && nest_flat_keys(f, cJSON_IsObject(d) ? d : NULL) != 0)
			return -1;
		if (!cJSON_IsArray(f))
			continue;
		if (cJSON_IsArray(d))
			cJSON_ArrayForEach(c, d)
				if (cJSON_IsObject(c) && (shape = c) != NULL)
					break;
		cJSON_ArrayForEach(c, f)
			if (cJSON_IsObject(c) && nest_flat_keys(c, shape) != 0)
				return -1;
	}
	return 0;
}

/* The references under rec (not its own id) as load() takes them: an
 * external id without a module, "x", is "__import__.x". 0, or -1 when out
 * of memory. */
static int
full_refs(cJSON *node)
{
	cJSON *f, *id, *full_id;
	char *full;

	cJSON_ArrayForEach(f, node) {
		id = cJSON_IsObject(f) ? cJSON_GetObjectItemCaseSensitive(f, "id") : NULL;
		if (cJSON_IsString(id) && id->valuestring[0] != '\0' &&
		    strchr(id->valuestring, '.') == NULL) {
			full = odf_xmlid_full(id->valuestring);
			full_id = full != NULL ? cJSON_CreateString(full) : NULL;
			free(full);
			if (full_id == NULL || !cJSON_ReplaceItemInObjectCaseSensitive(f, "id", full_id)) {
				cJSON_Delete(full_id);
				return -1;
			}
		}
		if ((cJSON_IsObject(f) || cJSON_IsArray(f)) && full_refs(f) != 0)
			return -1;
	}
	return 0;
}

/* A difference line: {"id", "status", key: value}; value is taken. */
static int
report(struct verify *v, const char *id, size_t idlen, const char *status,
    const char *key, cJSON *value, struct odf_error *err)
{
	cJSON *l = cJSON_CreateObject();
	char *s = malloc(idlen + 1);
	int rc;

	if (l == NULL || s == NULL) {
		cJSON_Delete(l);
		cJSON_Delete(value);
		free(s);
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	}
	memcpy(s, id, idlen);
	s[idlen] = '\0';
	if (cJSON_AddStringToObject(l, "id", s) == NULL ||
	    cJSON_AddStringToObject(l, "status", status) == NULL ||
	    (value != NULL && !cJSON_AddItemToObject(l, key, value))) {
		if (cJSON_GetObjectItemCaseSensitive(l, key) != value)
			cJSON_Delete(value);
		cJSON_Delete(l);
		free(s);
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	}
	free(s);
	rc = write_line(v, l, err);
	cJSON_Delete(l);
	return rc;
}

static int
report_record(struct verify *v, const char *id, size_t idlen, const char *status,
    const char *side, const char *rec, size_t rlen, struct odf_error *err)
{
	cJSON *r = cJSON_ParseWithLength(rec, rlen);

	if (r == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	return report(v, id, idlen, status, side, r, err);
}

static int
compare(struct verify *v, const char *id, size_t idlen, const char *a, size_t alen,
    const char *b, size_t blen, struct odf_error *err)
{
	cJSON *src = cJSON_ParseWithLength(a, alen), *dst = cJSON_ParseWithLength(b, blen);
	cJSON *fields = cJSON_CreateObject();
	const cJSON *f;
	int rc = 0;

	if (src == NULL || dst == NULL || fields == NULL ||
	    (v->t != NULL && (nest_flat_keys(src, dst) != 0 || full_refs(src) != 0))) {
		rc = odf_error_set(err, ODF_E_NOMEM, "out of memory");
		goto done;
	}
	cJSON_ArrayForEach(f, src) {
		const cJSON *g = cJSON_GetObjectItemCaseSensitive(dst, f->string);
		cJSON *pair;

		if (strcmp(f->string, "id") == 0 || strcmp(f->string, ".id") == 0 ||
		    ignored(v, f->string, strlen(f->string)) || values_equal(f, g))
			continue;
		if ((pair = cJSON_CreateObject()) == NULL ||
		    !cJSON_AddItemToObject(fields, f->string, pair) ||
		    !cJSON_AddItemToObject(pair, "source", cJSON_Duplicate(f, 1)) ||
		    !cJSON_AddItemToObject(pair, "destination",
		    g != NULL ? cJSON_Duplicate(g, 1) : cJSON_CreateNull())) {
			rc = odf_error_set(err, ODF_E_NOMEM, "out of memory");
			goto done;
		}
	}
	/* A field some transformed records name and this one left out: the
	 * source holds nothing there. */
	for (f = v->t != NULL ? dst->child : NULL; f != NULL; f = f->next) {
		cJSON *pair;

		if (strcmp(f->string, "id") == 0 || strcmp(f->string, ".id") == 0 ||
		    cJSON_HasObjectItem(src, f->string) || is_empty(f) ||
		    odf_strmap_get(v->dst_keys, f->string, strlen(f->string)) < 0)
			continue;
		if ((pair = cJSON_CreateObject()) == NULL ||
		    !cJSON_AddItemToObject(fields, f->string, pair) ||
		    cJSON_AddNullToObject(pair, "source") == NULL ||
		    !cJSON_AddItemToObject(pair, "destination", cJSON_Duplicate(f, 1))) {
			rc = odf_error_set(err, ODF_E_NOMEM, "out of memory");
			goto done;
		}
	}
	if (fields->child == NULL) {
		v->sum.equal++;
		goto done;
	}
	v->sum.differs++;
	rc = report(v, id, idlen, "differs", "fields", fields, err);
	fields = NULL;
done:
	cJSON_Delete(fields);
	cJSON_Delete(src);
	cJSON_Delete(dst);
	return rc;
}

/* One side's sorted stream, with a copy of the current key. */
struct cursor {
	struct side *side;
	int have, had;          /* a record now; one before it */
	const char *rec;
	size_t rlen;
	struct odf_buf key;
	struct odf_buf prev;    /* the key before, for duplicates */
};

/* Move on, reporting duplicates of one external id on one side. */
static int
cursor_next(struct verify *v, struct cursor *c, struct odf_error *err)
{
	const char *key;
	size_t klen;
	int r;

	for (;;) {
		struct odf_buf before = c->prev;

		c->prev = c->key;
		c->key = before;
		c->had = c->have;
		if ((r = odf_extsort_next(c->side->sort, &key, &klen, &c->rec, &c->rlen, err)) <= 0) {
			c->have = 0;
			return r;
		}
		c->have = 1;
		odf_buf_reset(&c->key);
		if (odf_buf_add(&c->key, key, klen, err) != 0)
			return -1;
		if (!c->had || c->prev.len != klen || memcmp(c->prev.data, key, klen) != 0)
			return 1;
		v->sum.duplicates++;
		if (report(v, key, klen, "duplicate", "side", cJSON_CreateString(c->side->name),
		    err) != 0)
			return -1;
	}
}

static int
merge_sides(struct verify *v, struct odf_error *err)
{
	struct cursor a, b;
	int rc = -1;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.side = &v->side[SOURCE];
	b.side = &v->side[DEST];
	if (cursor_next(v, &a, err) < 0 || cursor_next(v, &b, err) < 0)
		goto done;
	while ((a.have || b.have) && !v->sum.reader_gone) {
		int c = !a.have ? 1 : !b.have ? -1 :
		    odf_extsort_keycmp(a.key.data, a.key.len, b.key.data, b.key.len);

		if (c < 0) {
			v->sum.missing++;
			if (report_record(v, a.key.data, a.key.len, "missing", "source", a.rec, a.rlen,
			    err) != 0 || cursor_next(v, &a, err) < 0)
				goto done;
		} else if (c > 0) {
			v->sum.extra++;
			if (report_record(v, b.key.data, b.key.len, "extra", "destination", b.rec, b.rlen,
			    err) != 0 || cursor_next(v, &b, err) < 0)
				goto done;
		} else {
			if (compare(v, a.key.data, a.key.len, a.rec, a.rlen, b.rec, b.rlen, err) != 0 ||
			    cursor_next(v, &a, err) < 0 || cursor_next(v, &b, err) < 0)
				goto done;
		}
	}
	rc = 0;
done:
	odf_buf_release(&a.key);
	odf_buf_release(&a.prev);
	odf_buf_release(&b.key);
	odf_buf_release(&b.prev);
	return rc;
}

int
odf_verify_run(const struct odf_verify_opts *o, const struct odf_conf *source,
    const struct odf_conf *destination, FILE *out, struct odf_verify_summary *summary,
    struct odf_error *err)
{
	size_t memory = o->memory > 0 ? o->memory : ODF_VERIFY_DEFAULT_MEMORY;
	double start = odf_clock();
	struct verify v;
	int rc = -1, i;

	memset(&v, 0, sizeof(v));
	v.o = o;
	v.out = out;
	v.side[SOURCE].name = "source";
	v.side[SOURCE].conf = source;
	v.side[DEST].name = "destination";
	v.side[DEST].conf = destination;
	for (i = 0; i < 2; i++)
		v.side[i].fd = v.side[i].status_fd = -1;
	if (o->model == NULL || o->model[0] == '\0') {
		odf_error_set(err, ODF_E_USAGE, "no model given");
		goto done;
	}
	if (ignore_parse(&v, o->ignore, err) != 0 || fields_with_id(&v, o->fields, err) != 0)
		goto done;
	warn_ids(o);
	if (o->transformer != NULL &&
	    ((v.t = odf_transform_new(err)) == NULL ||
	    odf_transform_prepare(v.t, NULL, o->transformer, err) != 0))
		goto done;
	v.dst_fields_known = v.t == NULL;
	if (v.t != NULL && ((v.dst_paths = odf_strmap_new()) == NULL ||
	    (v.dst_keys = odf_strmap_new()) == NULL)) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		goto done;
	}
	if ((v.side[SOURCE].sort = odf_extsort_new(memory, err)) == NULL ||
	    (v.side[DEST].sort = odf_extsort_new(memory, err)) == NULL ||
	    side_start(&v, SOURCE, v.src_fields, err) != 0 ||
	    read_sides(&v, err) != 0)
		goto done;
	/* Both ends read: the children's verdicts. */
	if (side_wait(&v.side[SOURCE], err) != 0 || side_wait(&v.side[DEST], err) != 0)
		goto done;
	v.sum.source = odf_extsort_count(v.side[SOURCE].sort);
	v.sum.destination = odf_extsort_count(v.side[DEST].sort);
	if (odf_extsort_finish(v.side[SOURCE].sort, err) != 0 ||
	    odf_extsort_finish(v.side[DEST].sort, err) != 0 ||
	    merge_sides(&v, err) != 0)
		goto done;
	if (!v.sum.reader_gone && fflush(out) != 0) {
		if (errno == EPIPE)
			v.sum.reader_gone = 1;
		else {
			odf_error_set(err, ODF_E_IO, "standard output: write error: %s", strerror(errno));
			goto done;
		}
	}
	rc = 0;
done:
	for (i = 0; i < 2; i++) {
		side_stop(&v.side[i]);
		if (v.side[i].sort != NULL)
			v.sum.runs += odf_extsort_runs_written(v.side[i].sort);
		odf_extsort_free(v.side[i].sort);
	}
	odf_transform_free(v.t);
	odf_buf_release(&v.outs);
	free(v.src_fields);
	odf_strmap_free(v.ignore);
	free(v.dst_fields);
	free(v.last_shape);
	odf_buf_release(&v.dst_list);
	odf_strmap_free(v.dst_paths);
	odf_strmap_free(v.dst_keys);
	v.sum.seconds = odf_clock() - start;
	if (summary != NULL)
		*summary = v.sum;
	return rc;
}
