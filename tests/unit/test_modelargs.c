/* odf_modelargs: --model lists and MODEL=VALUE options of plan and migrate. */
#include <string.h>

#include "odf/modelargs.h"
#include "unit.h"

UNIT_TEST(models_come_comma_separated_or_repeated_in_the_users_order)
{
	struct odf_modelargs ma;
	struct odf_error err;

	odf_modelargs_init(&ma);
	CHECK_INT(odf_modelargs_add_model(&ma, "res.partner, res.partner.category", &err), 0);
	CHECK_INT(odf_modelargs_add_model(&ma, "sale.order", &err), 0);
	CHECK_INT(odf_modelargs_resolve(&ma, &err), 0);
	CHECK_INT(ma.nmodels, 3);
	CHECK_STR(ma.models[0], "res.partner");
	CHECK_STR(ma.models[1], "res.partner.category");
	CHECK_STR(ma.models[2], "sale.order");
	CHECK(ma.value[ODF_MA_FIELDS][0] == NULL && ma.value[ODF_MA_DOMAIN][2] == NULL);
	CHECK_INT(odf_modelargs_add_model(&ma, "res.partner", &err), -1);
	CHECK_STR(err.message, "--model: res.partner given twice");
	odf_modelargs_release(&ma);
}

UNIT_TEST(values_go_to_the_model_they_name_and_plain_ones_to_the_rest)
{
	struct odf_modelargs ma;
	struct odf_error err;

	odf_modelargs_init(&ma);
	odf_modelargs_add_model(&ma, "res.partner,res.partner.category", &err);
	odf_modelargs_add(&ma, ODF_MA_FIELDS, "res.partner=id,name,parent_id", &err);
	odf_modelargs_add(&ma, ODF_MA_FIELDS, "res.partner.category=id,name", &err);
	odf_modelargs_add(&ma, ODF_MA_DOMAIN, "[('active', '=', True)]", &err);
	odf_modelargs_add(&ma, ODF_MA_DOMAIN, "res.partner=[('id', '<=', 60)]", &err);
	odf_modelargs_add(&ma, ODF_MA_TRANSFORMER, "res.partner=p.jq", &err);
	CHECK_INT(odf_modelargs_resolve(&ma, &err), 0);
	CHECK_STR(ma.value[ODF_MA_FIELDS][0], "id,name,parent_id");
	CHECK_STR(ma.value[ODF_MA_FIELDS][1], "id,name");
	CHECK_STR(ma.value[ODF_MA_DOMAIN][0], "[('id', '<=', 60)]");
	CHECK_STR(ma.value[ODF_MA_DOMAIN][1], "[('active', '=', True)]");
	CHECK_STR(ma.value[ODF_MA_TRANSFORMER][0], "p.jq");
	CHECK(ma.value[ODF_MA_TRANSFORMER][1] == NULL);
	odf_modelargs_release(&ma);
}

UNIT_TEST(a_plain_value_keeps_its_meaning_for_one_model)
{
	struct odf_modelargs ma;
	struct odf_error err;

	odf_modelargs_init(&ma);
	odf_modelargs_add_model(&ma, "res.partner", &err);
	odf_modelargs_add(&ma, ODF_MA_TRANSFORMER, "dir/a=b.jq", &err);
	odf_modelargs_add(&ma, ODF_MA_FIELDS, "id,name", &err);
	CHECK_INT(odf_modelargs_resolve(&ma, &err), 0);
	CHECK_STR(ma.value[ODF_MA_TRANSFORMER][0], "dir/a=b.jq");
	CHECK_STR(ma.value[ODF_MA_FIELDS][0], "id,name");
	odf_modelargs_release(&ma);
}

UNIT_TEST(ambiguous_or_unknown_values_are_usage_errors)
{
	static const struct {
		const char *models;
		enum odf_modelarg kind;
		const char *a, *b;
		const char *message;
	} cases[] = {
		{ "res.partner,res.partner.category", ODF_MA_FIELDS, "id,name", NULL,
		  "--fields: with several models, say which one: --fields MODEL=F,..." },
		{ "res.partner,res.partner.category", ODF_MA_TRANSFORMER, "p.jq", NULL,
		  "--transformer-file: with several models, say which one: --transformer-file MODEL=FILE.jq" },
		{ "res.partner", ODF_MA_FIELDS, "res.users=id,login", NULL,
		  "--fields res.users: no such --model" },
		{ "res.partner", ODF_MA_FIELDS, "res.partner=id", "res.partner=name",
		  "--fields: given twice for res.partner" },
		{ "res.partner", ODF_MA_DOMAIN, "[]", "[('id', '=', 1)]", "--domain: given twice" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct odf_modelargs ma;
		struct odf_error err;

		odf_modelargs_init(&ma);
		odf_error_clear(&err);
		odf_modelargs_add_model(&ma, cases[i].models, &err);
		odf_modelargs_add(&ma, cases[i].kind, cases[i].a, &err);
		if (cases[i].b != NULL)
			odf_modelargs_add(&ma, cases[i].kind, cases[i].b, &err);
		CHECK_INT(odf_modelargs_resolve(&ma, &err), -1);
		CHECK_INT(err.code, ODF_E_USAGE);
		CHECK_STR(err.message, cases[i].message);
		odf_modelargs_release(&ma);
	}
}

int
main(void)
{
	RUN(models_come_comma_separated_or_repeated_in_the_users_order);
	RUN(values_go_to_the_model_they_name_and_plain_ones_to_the_rest);
	RUN(a_plain_value_keeps_its_meaning_for_one_model);
	RUN(ambiguous_or_unknown_values_are_usage_errors);
	return unit_done();
}
