/* Per-model options: --model lists and MODEL=VALUE arguments. */
#include <stdlib.h>
#include <string.h>

#include "odf/cli.h"
#include "odf/modelargs.h"

static const char *const option_names[] = {
	[ODF_MA_FIELDS] = "--fields",
	[ODF_MA_DOMAIN] = "--domain",
	[ODF_MA_TRANSFORMER] = "--transformer-file",
};

void
odf_modelargs_init(struct odf_modelargs *ma)
{
	memset(ma, 0, sizeof(*ma));
}

void
odf_modelargs_release(struct odf_modelargs *ma)
{
	for (size_t i = 0; i < ma->nlists; i++)
		free(ma->model_lists[i]);
	odf_modelargs_init(ma);
}

int
odf_modelargs_add_model(struct odf_modelargs *ma, const char *arg, struct odf_error *err)
{
	char **list;
	size_t n, i, j;

	if (ma->nlists == ODF_MODELARGS_MAX)
		return odf_error_set(err, ODF_E_USAGE, "--model: too many");
	if ((list = odf_split_list("--model", arg, &n, err)) == NULL)
		return -1;
	ma->model_lists[ma->nlists++] = (char *)list;
	for (i = 0; i < n; i++) {
		for (j = 0; j < ma->nmodels; j++)
			if (strcmp(ma->models[j], list[i]) == 0)
				return odf_error_set(err, ODF_E_USAGE, "--model: %s given twice", list[i]);
		if (ma->nmodels == ODF_MODELARGS_MAX)
			return odf_error_set(err, ODF_E_USAGE, "--model: at most %d models",
			    ODF_MODELARGS_MAX);
		ma->models[ma->nmodels++] = list[i];
	}
	return 0;
}

int
odf_modelargs_add(struct odf_modelargs *ma, enum odf_modelarg kind, const char *arg,
    struct odf_error *err)
{
	if (ma->nraw[kind] == ODF_MODELARGS_MAX)
		return odf_error_set(err, ODF_E_USAGE, "%s: given too many times",
		    option_names[kind]);
	ma->raw[kind][ma->nraw[kind]++] = arg;
	return 0;
}

/* The model an argument names before '=', when it is one given: its index,
 * or -1 for a plain value. */
static int
named_model(const struct odf_modelargs *ma, const char *arg)
{
	const char *eq = strchr(arg, '=');

	if (eq == NULL)
		return -1;
	for (size_t i = 0; i < ma->nmodels; i++)
		if (strlen(ma->models[i]) == (size_t)(eq - arg) &&
		    strncmp(ma->models[i], arg, (size_t)(eq - arg)) == 0)
			return (int)i;
	return -1;
}

/* Whether arg looks like MODEL=VALUE (a dotted name before '='). */
static int
looks_named(const char *arg)
{
	size_t n = strspn(arg, "abcdefghijklmnopqrstuvwxyz0123456789_.");

	return n > 0 && arg[n] == '=' && memchr(arg, '.', n) != NULL;
}

int
odf_modelargs_resolve(struct odf_modelargs *ma, struct odf_error *err)
{
	/* MODEL=VALUE first; a plain value fills the models left. */
	for (int kind = 0; kind < ODF_MA_NKINDS; kind++) {
		const char *name = option_names[kind], *plain = NULL;

		for (size_t i = 0; i < ma->nraw[kind]; i++) {
			const char *arg = ma->raw[kind][i];
			int m = named_model(ma, arg);

			if (m < 0 && looks_named(arg) && kind != ODF_MA_DOMAIN)
				return odf_error_set(err, ODF_E_USAGE, "%s %.*s: no such --model",
				    name, (int)strcspn(arg, "="), arg);
			if (m < 0) {
				if (plain != NULL)
					return odf_error_set(err, ODF_E_USAGE, "%s: given twice", name);
				plain = arg;
				continue;
			}
			if (ma->value[kind][m] != NULL)
				return odf_error_set(err, ODF_E_USAGE, "%s: given twice for %s",
				    name, ma->models[m]);
			ma->value[kind][m] = strchr(arg, '=') + 1;
		}
		if (plain == NULL)
			continue;
		if (kind != ODF_MA_DOMAIN && ma->nmodels > 1)
			return odf_error_set(err, ODF_E_USAGE, "%s: with several models, say which "
			    "one: %s MODEL=%s", name, name, kind == ODF_MA_FIELDS ? "F,..." : "FILE.jq");
		for (size_t j = 0; j < ma->nmodels; j++)
			if (ma->value[kind][j] == NULL)
				ma->value[kind][j] = plain;
	}
	return 0;
}

const enum odf_modelarg odf_modelarg_kinds[ODF_MA_NKINDS] = {
	ODF_MA_FIELDS, ODF_MA_DOMAIN, ODF_MA_TRANSFORMER,
};

int
odf_modelargs_option(const struct odf_option *o, const char *arg, const char *arg2,
    struct odf_error *err)
{
	const enum odf_modelarg *kind = o->aux;

	(void)arg2;
	if (kind == NULL)
		return odf_modelargs_add_model(o->value, arg, err);
	return odf_modelargs_add(o->value, *kind, arg, err);
}
