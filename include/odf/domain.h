/*
 * Odoo domains and contexts as users write them (lib/domain.c): Python
 * literals or JSON.
 *
 *   [('is_company', '=', True), ('country_id.code', 'in', ['BE', 'NL'])]
 *   ['|', ('a', '=', 1), '!', ('b', 'ilike', 'x')]
 *   {'lang': 'fr_FR', 'active_test': False}
 *   [["is_company", "=", true]]
 *
 * Both are parsed as Python literals (pyliteral.h, whose errors they
 * share), then checked.
 */
#ifndef ODF_DOMAIN_H
#define ODF_DOMAIN_H

#include <stddef.h>

#include "odf/error.h"
#include "odf/pyliteral.h"

/*
 * Parse and check a domain: a list of terms (field, operator, value) and the
 * prefix operators '&', '|' (two operands) and '!' (one); consecutive
 * expressions are joined by an implicit '&', as Odoo does. The field is a
 * non-empty string (or the literal leaves (1, '=', 1) and (0, '=', 1)), the
 * operator one Odoo 17 knows (= != <> < <= > >= =? in, not in, like, not
 * like, ilike, not ilike, =like, =ilike, child_of, parent_of, any, not any),
 * and the value of any / not any is itself a domain. Empty or blank text is
 * the empty domain. *out is an array the caller frees with cJSON_Delete.
 * Errors start with "domain: " and name the position of the faulty element,
 * e.g. "domain: position 2: operator '|' needs 2 operands, found 1".
 */
int odf_domain_parse(const char *text, struct cJSON **out, struct odf_error *err);

/*
 * Whether a term of the parsed domain compares database ids: its field is
 * "id" or a path ending in ".id" ("parent_id.id"); terms inside any / not
 * any included. Ids differ between databases, so such a domain selects
 * other records in another one.
 */
int odf_domain_uses_ids(const struct cJSON *domain);

/*
 * Parse a context: a dict, e.g. {'lang': 'fr_FR', 'active_test': False}.
 * Empty or blank text is the empty dict. *out is an object the caller frees
 * with cJSON_Delete. Errors start with "context: ".
 */
int odf_context_parse(const char *text, struct cJSON **out, struct odf_error *err);

#endif
