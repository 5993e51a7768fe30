/*
 * odf_strmap (lib/strmap.c): byte string → long, open addressing, the one
 * string map of the library (field tables, the record layer, the import
 * loop's sets). Keys are copied. Used on hot paths (one look-up per cell),
 * so nothing is allocated on a get.
 */
#ifndef ODF_STRMAP_H
#define ODF_STRMAP_H

#include <stddef.h>

struct odf_strmap;
struct odf_strmap *odf_strmap_new(void);               /* NULL when out of memory */
void odf_strmap_free(struct odf_strmap *map);          /* accepts NULL */
void odf_strmap_clear(struct odf_strmap *map);         /* forget all; keeps memory */
size_t odf_strmap_count(const struct odf_strmap *map);
/* The value of key (len bytes), or -1 when absent. */
long odf_strmap_get(const struct odf_strmap *map, const char *key, size_t len);
/* Set key's value (replacing any). 0, or -1 when out of memory. */
int odf_strmap_put(struct odf_strmap *map, const char *key, size_t len, long value);

#endif
