/*
 * What the record tests share: the fixture schema (fixtures.h) and its
 * tables by model, and a list of field paths split at commas.
 */
#ifndef ODF_RECORD_FIXTURES_H
#define ODF_RECORD_FIXTURES_H

#include <stdio.h>
#include <string.h>

#include "fixtures.h"

static struct odf_schema *schema;

static inline const struct odf_fields *
model(const char *name)
{
	return schema ? odf_schema_get(schema, name) : NULL;
}

/* Split "a,b,c" into the array paths (at most 32). */
static inline size_t
split_paths(const char *list, char *buf, size_t size, const char **paths)
{
	size_t n = 0;

	snprintf(buf, size, "%s", list);
	for (char *p = buf; n < 32;) {
		paths[n++] = p;
		if ((p = strchr(p, ',')) == NULL)
			break;
		*p++ = '\0';
	}
	return n;
}

/* Load the fixture schema: 0, or -1 after saying why in TAP. */
static inline int
record_tests_start(void)
{
	if ((schema = fixture_schema()) != NULL)
		return 0;
	printf("not ok 1 - fixtures\n1..1\n");
	return -1;
}

#endif
