/*
 * An external sort of (key, record) pairs by key, in bounded memory: the
 * engine under odf verify, which reads two sides in any order and walks
 * them in external id order.
 *
 * Pairs are held in memory until they take `memory` bytes (their bytes and
 * 24 bytes of bookkeeping each); then they are sorted and written out as a
 * run to an unnamed temporary file (created in $TMPDIR, else /tmp, and
 * unlinked at once, so that nothing is left behind by a crash or a kill).
 * Runs are merged as they accumulate, ODF_EXTSORT_FANIN of a size into one
 * of the next size, so at most ODF_EXTSORT_FANIN files per size are open.
 * Reading merges the runs left (and what is still in memory) through a heap:
 * one record per run is in memory then.
 *
 * Keys compare as bytes (memcmp, the shorter first on a tie): UTF-8 text
 * sorts by code point. Equal keys come out next to each other, in no
 * particular order.
 */
#ifndef ODF_EXTSORT_H
#define ODF_EXTSORT_H

#include <stddef.h>

#include "odf/error.h"

#define ODF_EXTSORT_FANIN 16
#define ODF_EXTSORT_MIN_MEMORY ((size_t)64 << 10)

struct odf_extsort;

/* A new sorter holding at most memory bytes of pairs (at least
 * ODF_EXTSORT_MIN_MEMORY is used). Free with odf_extsort_free. NULL with
 * err (ODF_E_NOMEM). */
struct odf_extsort *odf_extsort_new(size_t memory, struct odf_error *err);

/* Free the sorter and close its files. Accepts NULL. */
void odf_extsort_free(struct odf_extsort *s);

/* Add a pair (both copied), before odf_extsort_finish. 0, or -1 with err:
 * ODF_E_IO when a run cannot be written (a full disk), ODF_E_NOMEM. */
int odf_extsort_add(struct odf_extsort *s, const char *key, size_t klen,
    const char *rec, size_t rlen, struct odf_error *err);

/* No more pairs: prepare to read. 0, or -1 with err. */
int odf_extsort_finish(struct odf_extsort *s, struct odf_error *err);

/*
 * The next pair in key order: 1 with the pointers set (they belong to the
 * sorter and stay valid until the next call; neither is NUL-terminated), 0
 * at the end, -1 with err (ODF_E_IO when a run cannot be read back).
 */
int odf_extsort_next(struct odf_extsort *s, const char **key, size_t *klen,
    const char **rec, size_t *rlen, struct odf_error *err);

/* Pairs added, and runs written to disk (merges included). */
long long odf_extsort_count(const struct odf_extsort *s);
long odf_extsort_runs_written(const struct odf_extsort *s);

/* Byte order of two keys, as the sorter uses it: <0, 0, >0. */
int odf_extsort_keycmp(const char *a, size_t alen, const char *b, size_t blen);

#endif
