/*
 * The fields of models as Odoo describes them (fields_get), a table a
 * model, each fetched once: the one place odf asks Odoo for fields.
 *
 * A model whose fields_get Odoo refuses with an error of its own
 * (ODF_E_ODOO, as JSON-RPC's "Object x doesn't exist"), or JSON-2's 404
 * (ODF_E_USAGE), is an unknown model: odf_schema_fetch says so with 1, and
 * the caller words it; a lookup leaves paths through it unchecked.
 */
#ifndef ODF_SCHEMA_H
#define ODF_SCHEMA_H

#include <cjson/cJSON.h>

#include "odf/error.h"
#include "odf/fields.h"
#include "odf/rpc.h"

struct odf_schema;

/* An empty schema; NULL when out of memory. */
struct odf_schema *odf_schema_new(void);

/* Free the schema and its tables. Accepts NULL. */
void odf_schema_free(struct odf_schema *schema);

/* Add a table; the schema owns it from then on, also on failure (-1, NOMEM;
 * a NULL table is ODF_E_SOFTWARE). A table for a model already present
 * replaces it. */
int odf_schema_add(struct odf_schema *schema, struct odf_fields *fields,
    struct odf_error *err);

/* The table of model, or NULL; it belongs to the schema. */
const struct odf_fields *odf_schema_get(const struct odf_schema *schema,
    const char *model);

/*
 * The table of model as fields_get gives it (with the keys of kwargs, which
 * may be NULL), owned by the caller (odf_fields_free); NULL with err, and
 * *unknown set when the model is unknown.
 */
struct odf_fields *odf_fields_fetch(struct odf_rpc *rpc, const char *model,
    const cJSON *kwargs, int *unknown, struct odf_error *err);

/*
 * Call fields_get of model through rpc (borrowed) unless the schema holds
 * its table already, with the keys of kwargs (e.g. {"context": ...};
 * copied; may be NULL) beside the attributes odf reads. Returns 0 when the
 * table is in the schema, 1 when the model is unknown (err holds the
 * server's answer), -1 with err for any other failure.
 */
int odf_schema_fetch(struct odf_schema *schema, struct odf_rpc *rpc,
    const char *model, const cJSON *kwargs, struct odf_error *err);

/*
 * Whether the database behind rpc has model, by the cheapest fields_get:
 * 0 yes, 1 no (err holds Odoo's message), -1 with err when it cannot tell.
 */
int odf_schema_has_model(struct odf_rpc *rpc, const char *model, struct odf_error *err);

/*
 * Let odf_schema_lookup fetch, through rpc (borrowed until the schema is
 * freed), the table of a model it does not hold yet; a model that cannot
 * be fetched is looked up as NULL from then on, without asking again.
 * Without a source, a lookup answers only from the tables added.
 */
void odf_schema_set_source(struct odf_schema *schema, struct odf_rpc *rpc);

/*
 * A schema for a run against model: its table fetched now, tables of
 * related models on first lookup through rpc (borrowed). *fields is
 * model's table. NULL with err: an unknown model is ODF_E_USAGE ("model
 * 'x': " and Odoo's message, or JSON-2's "unknown model 'x'"); else what
 * odf_schema_fetch reports.
 */
struct odf_schema *odf_schema_open(struct odf_rpc *rpc, const char *model,
    const struct odf_fields **fields, struct odf_error *err);

/* An odf_fields_lookup_fn over the schema (arg: the schema). */
const struct odf_fields *odf_schema_lookup(const char *model, void *schema);

#endif
