/*
 * odf_idset: a set of record ids (positive integers) as a bitmap, one bit
 * per id up to the largest id added. Its memory depends on the largest id,
 * not on how many times ids are added: 1,000,000 ids take 125 KB. This is
 * what odf plan remembers of a model's references, instead of the records.
 */
#ifndef ODF_IDSET_H
#define ODF_IDSET_H

#include <stddef.h>

/* Ids above this are refused (a 256 MB bitmap). */
#define ODF_IDSET_MAX_ID (1L << 31)

struct odf_idset;

struct odf_idset *odf_idset_new(void);              /* NULL when out of memory */
void odf_idset_free(struct odf_idset *set);         /* accepts NULL */

/* Add id: 1 when it was new, 0 when already there, -1 when id is out of
 * range (< 1 or > ODF_IDSET_MAX_ID) or memory ran out. */
int odf_idset_add(struct odf_idset *set, long id);

/* Whether id is in the set (0 for ids out of range). set may be NULL. */
int odf_idset_has(const struct odf_idset *set, long id);

/* Number of ids in the set (0 for NULL). */
long odf_idset_count(const struct odf_idset *set);

/* The smallest id of the set greater than after (0 to start), or 0 when
 * there is none: for (id = 0; (id = odf_idset_next(s, id)) != 0;) ... */
long odf_idset_next(const struct odf_idset *set, long after);

/* Bytes the set holds, for the record of what odf plan keeps. */
size_t odf_idset_bytes(const struct odf_idset *set);

#endif
