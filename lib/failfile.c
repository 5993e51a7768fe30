/*
 * The fail file: input lines with their error added as text, so that what
 * the user wrote comes back unchanged (see include/odf/failfile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "odf/buf.h"
#include "odf/failfile.h"

struct odf_failfile {
	char *path;             /* where the file must end up */
	char *tmp;              /* the temporary file when replacing the input */
	int replacing;          /* path is the input being read */
	int fd;                 /* -1 until the first line */
	off_t size;             /* bytes written, to undo a partial line */
};

/* Adds to a buffer whose failure is checked once, at the end. */
static void
buf_add(struct odf_buf *b, const char *s, size_t n)
{
	(void)odf_buf_add(b, s, n, NULL);
}

static void
buf_str(struct odf_buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* s as a JSON string: every byte kept (invalid UTF-8 too), NULs escaped. */
static void
buf_json_string(struct odf_buf *b, const char *s, size_t n)
{
	char esc[8];
	size_t i, run = 0;

	buf_add(b, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_add(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': buf_add(b, "\\\"", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			buf_add(b, esc, 6);
			break;
		}
	}
	buf_add(b, s + run, n - run);
	buf_add(b, "\"", 1);
}

/* The "_odf_error" value: {"message", "field", "exception", "landed", "file", "line"}. */
static void
buf_reason(struct odf_buf *b, const struct odf_fail_reason *why)
{
	const char *msg = why->message ? why->message : "failed";
	char num[32];

	buf_str(b, "{\"message\":");
	buf_json_string(b, msg, strlen(msg));
	if (why->field != NULL && why->field[0] != '\0') {
		buf_str(b, ",\"field\":");
		buf_json_string(b, why->field, strlen(why->field));
	}
	if (why->exception != NULL && why->exception[0] != '\0') {
		buf_str(b, ",\"exception\":");
		buf_json_string(b, why->exception, strlen(why->exception));
	}
	if (why->landed)
		buf_str(b, ",\"landed\":true");
	if (why->file != NULL) {
		buf_str(b, ",\"file\":");
		buf_json_string(b, why->file, strlen(why->file));
	}
	if (why->line > 0) {
		snprintf(num, sizeof(num), ",\"line\":%ld", why->line);
		buf_str(b, num);
	}
	buf_str(b, "}");
}

static size_t
skip_ws(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	return i;
}

/* s[i] is '"': the index after the closing quote, or 0 when there is none. */
static size_t
skip_string(const char *s, size_t i, size_t n)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return 0;
}

/*
 * The index after the value at s[i], or 0 when it is cut short. Only the
 * structure is followed (the line was parsed as JSON before): strings, and
 * the nesting of brackets with a counter, so no depth exhausts the stack.
 */
static size_t
skip_value(const char *s, size_t i, size_t n)
{
	size_t depth = 0, start = i;

	if (i >= n)
		return 0;
	if (s[i] == '"')
		return skip_string(s, i, n);
	if (s[i] != '{' && s[i] != '[') {
		while (i < n && strchr(",}] \t\r\n", s[i]) == NULL)
			i++;
		return i > start ? i : 0;
	}
	while (i < n) {
		if (s[i] == '"') {
			if ((i = skip_string(s, i, n)) == 0)
				return 0;
			continue;
		}
		if (s[i] == '{' || s[i] == '[')
			depth++;
		else if ((s[i] == '}' || s[i] == ']') && --depth == 0)
			return i + 1;
		i++;
	}
	return 0;
}

/* Whether the string token s[i..end) is "_odf_error", escapes decoded. */
static int
is_fail_key(const char *s, size_t i, size_t end)
{
	static const char key[] = "\"" ODF_FAIL_KEY "\"";
	cJSON *v;
	int is;

	if (memchr(s + i, '\\', end - i) == NULL)
		return end - i == sizeof(key) - 1 && memcmp(s + i, key, end - i) == 0;
	v = cJSON_ParseWithLength(s + i, end - i);
	is = cJSON_IsString(v) && strcmp(v->valuestring, ODF_FAIL_KEY) == 0;
	cJSON_Delete(v);
	return is;
}

/*
 * Copy the object line s into b without its "_odf_error" members and with
 * the new one (reason, already JSON) added last. Returns 0, or -1 when s is
 * not one JSON object (b is then left as it was).
 */
static int
add_to_object(struct odf_buf *b, const char *s, size_t n, const char *reason, size_t rlen)
{
	size_t start = b->len, i, key, member, end;
	int kept = 0;

	i = skip_ws(s, 0, n);
	if (i >= n || s[i] != '{')
		return -1;
	buf_add(b, s, i + 1);
	member = ++i;
	if ((i = skip_ws(s, i, n)) < n && s[i] == '}') {
		member = i;     /* {} or { }: no members */
	} else {
		for (;;) {
			key = skip_ws(s, member, n);
			if (key >= n || s[key] != '"' || (i = skip_string(s, key, n)) == 0)
				goto bad;
			end = i;
			i = skip_ws(s, i, n);
			if (i >= n || s[i] != ':')
				goto bad;
			if ((i = skip_value(s, skip_ws(s, i + 1, n), n)) == 0)
				goto bad;
			i = skip_ws(s, i, n);
			if (i >= n || (s[i] != ',' && s[i] != '}'))
				goto bad;
			if (!is_fail_key(s, key, end)) {
				if (kept++)
					buf_add(b, ",", 1);
				buf_add(b, s + member, i - member);
			}
			if (s[i] == '}')
				break;
			member = i + 1;
		}
		member = i;
	}
	/* member is the closing brace; only white space may follow it. */
	if (skip_ws(s, member + 1, n) != n)
		goto bad;
	if (kept)
		buf_add(b, ",", 1);
	buf_str(b, "\"" ODF_FAIL_KEY "\":");
	buf_add(b, reason, rlen);
	buf_add(b, s + member, n - member);
	return 0;
bad:
	odf_buf_truncate(b, start);
	return -1;
}

int
odf_fail_line(const char *line, size_t len, const struct odf_fail_reason *why,
    char **out, size_t *out_len, struct odf_error *err)
{
	struct odf_buf reason = ODF_BUF_INIT, b = ODF_BUF_INIT;
	cJSON *parsed = NULL;
	const char *end = NULL;
	int object = 0;

	*out = NULL;
	*out_len = 0;
	buf_reason(&reason, why);
	if (line != NULL) {
		/* The scan below follows structure only: let cJSON say it is JSON. */
		parsed = cJSON_ParseWithLengthOpts(line, len, &end, 0);
		object = cJSON_IsObject(parsed);
		cJSON_Delete(parsed);
	}
	if (reason.failed)
		goto nomem;
	if (!object || add_to_object(&b, line, len, reason.data, reason.len) != 0) {
		buf_str(&b, "{\"" ODF_FAIL_KEY "\":");
		buf_add(&b, reason.data, reason.len);
		if (line != NULL) {
			buf_str(&b, ",\"" ODF_FAIL_LINE_KEY "\":");
			buf_json_string(&b, line, len);
		}
		buf_str(&b, "}");
	}
	odf_buf_release(&reason);
	if (b.failed)
		goto nomem;
	*out = odf_buf_detach(&b, out_len);
	return 0;
nomem:
	odf_buf_release(&reason);
	odf_buf_release(&b);
	return odf_error_set(err, ODF_E_NOMEM, "out of memory writing a fail line");
}

/* Whether path names the file being read: input, or standard input for
 * NULL and "-" (odf-import < res.partner_fail.ndjson). */
static int
is_input(const char *path, const char *input)
{
	struct stat sp, si;
	int rc;

	if (stat(path, &sp) != 0)
		return 0;
	if (input == NULL || strcmp(input, "-") == 0)
		rc = fstat(STDIN_FILENO, &si);
	else
		rc = stat(input, &si);
	return rc == 0 && S_ISREG(sp.st_mode) && sp.st_dev == si.st_dev &&
	    sp.st_ino == si.st_ino;
}

struct odf_failfile *
odf_failfile_open(const char *path, const char *input, struct odf_error *err)
{
	struct odf_failfile *ff = calloc(1, sizeof(*ff));

	if (ff == NULL || (ff->path = strdup(path)) == NULL) {
		free(ff);
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	ff->fd = -1;
	ff->replacing = is_input(path, input);
	return ff;
}

/* Open the file at the first line: the path, or a temporary file beside it. */
static int
failfile_create(struct odf_failfile *ff, struct odf_error *err)
{
	size_t n;

	if (!ff->replacing) {
		ff->fd = open(ff->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (ff->fd < 0)
			return odf_error_set(err, ODF_E_IO, "%s: cannot create: %s",
			    ff->path, strerror(errno));
		return 0;
	}
	n = strlen(ff->path) + sizeof(".XXXXXX");
	if ((ff->tmp = malloc(n)) == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	snprintf(ff->tmp, n, "%s.XXXXXX", ff->path);
	if ((ff->fd = mkstemp(ff->tmp)) < 0) {
		odf_error_set(err, ODF_E_IO, "%s: cannot create: %s", ff->tmp, strerror(errno));
		free(ff->tmp);
		ff->tmp = NULL;
		return -1;
	}
	/* mkstemp makes it 0600; a fail file is as readable as any output. */
	if (fchmod(ff->fd, 0644) != 0) {
		odf_error_set(err, ODF_E_IO, "%s: %s", ff->tmp, strerror(errno));
		close(ff->fd);
		ff->fd = -1;
		unlink(ff->tmp);
		free(ff->tmp);
		ff->tmp = NULL;
		return -1;
	}
	return 0;
}

/* Write all n bytes, or undo what was written of them. */
static int
write_whole(struct odf_failfile *ff, const char *s, size_t n, struct odf_error *err)
{
	size_t done = 0;
	ssize_t w;
	int saved;

	while (done < n) {
		w = write(ff->fd, s + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			saved = w < 0 ? errno : ENOSPC;
			if (done > 0 && ftruncate(ff->fd, ff->size) == 0)
				(void)lseek(ff->fd, ff->size, SEEK_SET);
			return odf_error_set(err, ODF_E_IO, "%s: write error: %s",
			    odf_failfile_where(ff), strerror(saved));
		}
		done += (size_t)w;
	}
	ff->size += (off_t)n;
	return 0;
}

int
odf_failfile_add(struct odf_failfile *ff, const char *line, size_t len,
    const struct odf_fail_reason *why, struct odf_error *err)
{
	char *text;
	size_t n;
	int rc;

	if (ff->fd < 0 && failfile_create(ff, err) != 0)
		return -1;
	if (odf_fail_line(line, len, why, &text, &n, err) != 0)
		return -1;
	text[n] = '\n';     /* the NUL's place: one write for the whole line */
	rc = write_whole(ff, text, n + 1, err);
	free(text);
	return rc;
}

const char *
odf_failfile_where(const struct odf_failfile *ff)
{
	return ff->tmp != NULL ? ff->tmp : ff->path;
}

/* Remove what an earlier run left at path, if it is a plain file. */
static int
remove_stale(const char *path, struct odf_error *err)
{
	struct stat st;

	if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	if (unlink(path) != 0)
		return odf_error_set(err, ODF_E_IO, "%s: cannot remove the old fail file: %s",
		    path, strerror(errno));
	return 0;
}

int
odf_failfile_close(struct odf_failfile *ff, int complete, struct odf_error *err)
{
	int rc = 0;

	if (ff == NULL)
		return 0;
	if (ff->fd >= 0) {
		if (fsync(ff->fd) != 0 && errno != EINVAL && errno != EROFS)
			rc = odf_error_set(err, ODF_E_IO, "%s: %s", odf_failfile_where(ff),
			    strerror(errno));
		if (close(ff->fd) != 0 && rc == 0)
			rc = odf_error_set(err, ODF_E_IO, "%s: %s", odf_failfile_where(ff),
			    strerror(errno));
	}
	if (ff->tmp != NULL && rc == 0) {
		if (!complete) {
			rc = odf_error_set(err, ODF_E_IO,
			    "the input was not read to its end: %s is unchanged and the "
			    "records that failed so far are in %s", ff->path, ff->tmp);
		} else if (rename(ff->tmp, ff->path) != 0) {
			rc = odf_error_set(err, ODF_E_IO, "%s: cannot rename to %s: %s",
			    ff->tmp, ff->path, strerror(errno));
		}
	} else if (ff->fd < 0 && complete) {
		rc = remove_stale(ff->path, err);
	}
	free(ff->tmp);
	free(ff->path);
	free(ff);
	return rc;
}
