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

#endif
