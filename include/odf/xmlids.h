/*
 * External ids (Odoo's ir.model.data): the one place odf reads them, and
 * the full "module.name" form they are compared in. The import asks which
 * ids of a batch exist, a plan which referenced records the destination
 * has, the export whether every related record has one.
 */
#ifndef ODF_XMLIDS_H
#define ODF_XMLIDS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "odf/error.h"
#include "odf/rpc.h"

/* The fields a row read holds. */
enum odf_xmlids_fields {
	ODF_XMLIDS_NAME = 1 << 0,       /* "module" and "name" */
	ODF_XMLIDS_RES_ID = 1 << 1      /* "res_id", the record's id */
};

/*
 * The external ids of model whose key ("name" or "res_id") is one of
 * values, or all of the model's when values is NULL: one search_read of
 * ir.model.data, safe to repeat (ODF_RPC_IDEMPOTENT), with the fields
 * asked (ODF_XMLIDS_* ored) and at most limit rows (0: no limit).
 * values, a JSON array, is taken and freed in every case. Returns an array
 * of rows {"module", "name", "res_id"} the caller frees with cJSON_Delete,
 * or NULL with err: the call's error, or ODF_E_PROTOCOL "search_read of
 * ir.model.data: not a list" when the answer is not a list.
 */
cJSON *odf_xmlids_read(struct odf_rpc *rpc, const char *model, const char *key,
    cJSON *values, unsigned fields, long limit, struct odf_error *err);

/* "module.name" of a row read into buf; its length, or -1 when the row has
 * no module or name or buf is too small. */
int odf_xmlid_format(const cJSON *row, char *buf, size_t size);

/* "x" is "__import__.x", as load stores it: a new string, or NULL when out
 * of memory. An id with a module ("base.x") is copied as is. */
char *odf_xmlid_full(const char *id);

#endif
