/*
 * The options odf plan and odf migrate take per model: --model (repeated,
 * or comma-separated) and --fields, --domain, --transformer-file given as
 * MODEL=VALUE for one model, or plain for every model. A plain --fields or
 * --transformer-file with several models is an error (which one?); a plain
 * --domain applies to each.
 *
 * Strings are borrowed from argv and must outlive the struct.
 */
#ifndef ODF_MODELARGS_H
#define ODF_MODELARGS_H

#include <stddef.h>

#include "odf/error.h"
#include "odf/options.h"

#define ODF_MODELARGS_MAX 64

enum odf_modelarg { ODF_MA_FIELDS, ODF_MA_DOMAIN, ODF_MA_TRANSFORMER, ODF_MA_NKINDS };

struct odf_modelargs {
	/* After odf_modelargs_resolve: the models in the user's order, and for
	 * each its value of every kind (NULL: none given). */
	const char *models[ODF_MODELARGS_MAX];
	size_t nmodels;
	const char *value[ODF_MA_NKINDS][ODF_MODELARGS_MAX];
	/* Raw, as given. */
	char *model_lists[ODF_MODELARGS_MAX];
	size_t nlists;
	const char *raw[ODF_MA_NKINDS][ODF_MODELARGS_MAX];
	size_t nraw[ODF_MA_NKINDS];
};

void odf_modelargs_init(struct odf_modelargs *ma);
void odf_modelargs_release(struct odf_modelargs *ma);

/* A --model argument: one model or several, comma-separated. */
int odf_modelargs_add_model(struct odf_modelargs *ma, const char *arg, struct odf_error *err);

/* A --fields, --domain or --transformer-file argument, as given. */
int odf_modelargs_add(struct odf_modelargs *ma, enum odf_modelarg kind, const char *arg,
    struct odf_error *err);

/*
 * The option table's callback for these options (lib/options.c): o->value
 * is the struct odf_modelargs, o->aux the kind (NULL for --model). Tables
 * use the two macros below.
 */
int odf_modelargs_option(const struct odf_option *o, const char *arg, const char *arg2,
    struct odf_error *err);
extern const enum odf_modelarg odf_modelarg_kinds[ODF_MA_NKINDS];
#define ODF_OPT_MODELS(s, l, ma, a, h) \
	{ ODF_OPT_CALLBACK, (s), (l), (ma), (a), (h), 0, 0, odf_modelargs_option, NULL }
#define ODF_OPT_MODELARG(s, l, ma, kind, a, h) \
	{ ODF_OPT_CALLBACK, (s), (l), (ma), (a), (h), 0, 0, odf_modelargs_option, \
	  (void *)&odf_modelarg_kinds[kind] }

/* Split the values by model; usage errors name the option: a MODEL= not
 * given with --model, a value given twice for one model, a plain --fields
 * or --transformer-file with several models. */
int odf_modelargs_resolve(struct odf_modelargs *ma, struct odf_error *err);

#endif
