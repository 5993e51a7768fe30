/*
 * odf-import's window (lib/window.c): up to a bounded number of input
 * records held back and handed out again so that the records sharing a
 * parent travel together, parents first. Odoo's load syncs a company's
 * fields to its contacts once per parent and call, so a batch holding one
 * parent's contacts is much cheaper than the same records in id order; and
 * a reference to a record earlier in the same load call is resolved by load
 * itself, where one to a record in another call must wait for a second pass.
 *
 * The order handed out: by level, then by parent, then in input order. A
 * record whose parent (the value of the parent field, e.g. parent_id, by
 * external id) is not in the window is of level 0, with the records that
 * have no parent; one whose parent is, of its parent's level + 1. Records of
 * one level are grouped by parent, the groups in the order of their parents.
 * So a level's records can be loaded at once, in batches of few parents
 * each, once the level before has landed (the caller waits between levels:
 * see the level given to odf_window_fn). Lines that are not JSON objects,
 * and records without an external id, are of level 0 in input order. Nothing
 * is dropped or changed: the lines are the input's bytes.
 *
 * Memory: the lines of at most max records (odf_window_new), copied.
 */
#ifndef ODF_WINDOW_H
#define ODF_WINDOW_H

#include <stddef.h>

#include "odf/error.h"

struct odf_window;

/*
 * A window of at most max records (>= 1), grouping on the field parent (a
 * many2one of the model to itself; borrowed; NULL: the window holds no
 * record). NULL when out of memory.
 */
struct odf_window *odf_window_new(const char *parent, size_t max);

void odf_window_free(struct odf_window *w);        /* accepts NULL */

/*
 * Hold a copy of a line (len bytes, no newline) read as lineno when the
 * window wants it: a record that names a parent. The others (companies,
 * records without a parent; every line when the window has no parent
 * field) need not wait: the caller sends them at once, and the window's
 * records, handed out later, find them in Odoo. The line is parsed once
 * here for both. 1 when held, 0 when not wanted, -1 with err (ODF_E_NOMEM,
 * or ODF_E_SOFTWARE when the window is full already).
 */
int odf_window_add(struct odf_window *w, const char *line, size_t len, long lineno,
    struct odf_error *err);

/* Whether the window holds max records: time to flush. */
int odf_window_full(const struct odf_window *w);

/* Called for each record flushed, in the order above, with its level: 0 to
 * go on, 1 to stop there (an interruption), -1 on error. */
typedef int odf_window_fn(const char *line, size_t len, long lineno, int level,
    void *arg);

/*
 * Hand out the records held and empty the window. When fn stops (1), the
 * records not handed out are dropped: *unsent says how many and *first_unsent
 * the smallest line number among them (0 when none). 0, 1 when fn stopped,
 * -1 when fn failed.
 */
int odf_window_flush(struct odf_window *w, odf_window_fn *fn, void *arg,
    size_t *unsent, long *first_unsent);

#endif
