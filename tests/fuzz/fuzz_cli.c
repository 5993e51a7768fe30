/*
 * Option values as users type them (lib/cli_args.c): comma- or
 * newline-separated lists (--fields, --ignore, --groupby) and counts
 * (--batch-size). A list splits into trimmed, non-empty items found in
 * that order in the text; a count is a whole
 * decimal in range. Errors are usage errors on one line.
 */
#include <errno.h>

#include "fuzz.h"
#include "odf/cli.h"

static int
cli_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

FUZZ_TARGET(cli)(const uint8_t *data, size_t size)
{
	struct odf_error err;
	char *text = fuzz_strndup(data, size), **list;
	size_t n = 0;
	long count;

	if (text == NULL)
		return 0;
	list = odf_split_list("--fields", text, &n, &err);
	if (list != NULL) {
		const char *at = text;

		FUZZ_ASSERT(n >= 1 && list[n] == NULL);
		for (size_t i = 0; i < n; i++) {
			size_t len = strlen(list[i]);
			const char *found = strstr(at, list[i]);

			FUZZ_ASSERT(len > 0 && strpbrk(list[i], ",\n") == NULL);
			FUZZ_ASSERT(!cli_blank(list[i][0]) && !cli_blank(list[i][len - 1]));
			FUZZ_ASSERT(found != NULL);
			at = found + len;
		}
		free(list);
	} else {
		fuzz_check_error(&err);
		FUZZ_ASSERT(err.code == ODF_E_USAGE);
	}
	if (odf_parse_count("--batch-size", text, 1, 100000, &count, &err) == 0) {
		char *end;

		FUZZ_ASSERT(count >= 1 && count <= 100000);
		errno = 0;
		FUZZ_ASSERT(strtol(text, &end, 10) == count && *end == '\0');
	} else {
		fuzz_check_error(&err);
		FUZZ_ASSERT(err.code == ODF_E_USAGE);
	}
	free(text);
	return 0;
}
