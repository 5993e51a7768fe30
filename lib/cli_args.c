/* Shared command-line helpers: counts, lists, @file texts. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/cli.h"

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int
odf_parse_count(const char *option, const char *arg, long min, long max,
    long *out, struct odf_error *err)
{
	char *end;
	size_t len;
	long v;

	/* strtol would also take leading blanks and a '+'. */
	if (arg != NULL && (is_digit(arg[0]) || (arg[0] == '-' && is_digit(arg[1])))) {
		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno == 0 && *end == '\0' && v >= min && v <= max) {
			*out = v;
			return 0;
		}
	}
	/* Quoted up to 64 bytes and the first line end: one line. */
	if (arg == NULL)
		arg = "";
	len = strcspn(arg, "\r\n");
	return odf_error_set(err, ODF_E_USAGE, "%s: '%.*s%s' is not a number from "
	    "%ld to %ld", option, len > 64 ? 64 : (int)len, arg,
	    len > 64 || arg[len] != '\0' ? "..." : "", min, max);
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

char **
odf_split_list(const char *option, const char *arg, size_t *count,
    struct odf_error *err)
{
	size_t n = 1, k, len, items = 0;
	const char *c;
	char **list, *text, *start, prev_sep = '\0';

	if (arg == NULL)
		arg = "";
	for (c = arg; *c != '\0'; c++)
		n += *c == ',' || *c == '\n';
	len = strlen(arg);
	/* The pointers and the text in one block, so one free() releases all. */
	list = malloc((n + 1) * sizeof(*list) + len + 1);
	if (list == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	text = (char *)(list + n + 1);
	memcpy(text, arg, len + 1);
	for (start = text; start != NULL; ) {
		char *end = start + strcspn(start, ",\n"), sep = *end;

		*end = '\0';
		while (is_blank(*start))
			start++;
		for (k = (size_t)(end - start); k > 0 && is_blank(start[k - 1]); k--)
			start[k - 1] = '\0';
		/* Nothing between a comma and another comma or an end of the
		 * list is a mistake; blank lines and line ends are not. */
		if (*start == '\0' && ((sep == ',' && prev_sep != '\n') ||
		    (prev_sep == ',' && sep != '\n'))) {
			if (items > 0)
				odf_error_set(err, ODF_E_USAGE, "%s: empty item after '%.200s'",
				    option, list[items - 1]);
			else
				odf_error_set(err, ODF_E_USAGE, "%s: empty first item", option);
			free(list);
			return NULL;
		}
		if (*start != '\0')
			list[items++] = start;
		prev_sep = sep;
		start = sep != '\0' ? end + 1 : NULL;
	}
	if (items == 0) {
		odf_error_set(err, ODF_E_USAGE, "%s: empty list", option);
		free(list);
		return NULL;
	}
	list[items] = NULL;
	if (count != NULL)
		*count = items;
	return list;
}

char *
odf_read_file(const char *path, size_t max, size_t *len, struct odf_error *err)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0, cap, limit;
	char *d;

	if (f == NULL) {
		odf_error_set(err, ODF_E_NOINPUT, "%s: %s", path, strerror(errno));
		return NULL;
	}
	/* Reading one byte past max tells a file of max bytes from a larger one. */
	limit = (max < SIZE_MAX / 2 ? max : SIZE_MAX / 2) + 1;
	cap = limit < 4096 ? limit + 1 : 4096;
	d = malloc(cap);
	if (d == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		goto fail;
	}
	while (n < limit) {
		size_t got, want;

		if (cap - n < 2) {
			size_t ncap = cap * 2 < limit + 1 ? cap * 2 : limit + 1;
			char *nd = realloc(d, ncap);

			if (nd == NULL) {
				odf_error_set(err, ODF_E_NOMEM, "out of memory");
				goto fail;
			}
			d = nd;
			cap = ncap;
		}
		want = cap - n - 1 < limit - n ? cap - n - 1 : limit - n;
		got = fread(d + n, 1, want, f);
		n += got;
		if (got < want)
			break;
	}
	if (ferror(f)) {
		odf_error_set(err, ODF_E_IO, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (n > max) {
		odf_error_set(err, ODF_E_DATA, "%s: larger than %zu bytes", path, max);
		goto fail;
	}
	if (fclose(f) != 0) {
		f = NULL;
		odf_error_set(err, ODF_E_IO, "%s: %s", path, strerror(errno));
		goto fail;
	}
	d[n] = '\0';
	if (len != NULL)
		*len = n;
	return d;
fail:
	if (f != NULL)
		fclose(f);
	free(d);
	return NULL;
}

char *
odf_arg_text(const char *option, const char *arg, size_t max, struct odf_error *err)
{
	char *text;
	size_t len;

	if (arg[0] != '@') {
		text = strdup(arg);
		if (text == NULL)
			odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return text;
	}
	text = odf_read_file(arg + 1, max, &len, err);
	if (text != NULL && strlen(text) != len) {
		odf_error_set(err, ODF_E_DATA, "%s: contains a NUL byte", arg + 1);
		free(text);
		text = NULL;
	}
	if (text == NULL)
		odf_error_prefix(err, "%s", option);
	return text;
}
