/* The order of a plan's steps: references first, self-references ignored,
 * cycles named and broken by deferral (lib/plan_order.c). */
#include <stdlib.h>
#include <string.h>

#include "../../lib/plan_int.h"
#include "unit.h"

struct graph {
	struct odf_plan p;
	struct pmodel models[8];
	struct step steps[8];
	struct ref refs[8][4];
};

/* A model with a selected step of one record (id 1), no references yet. */
static struct pmodel *
model(struct graph *g, const char *name)
{
	size_t i = g->p.nmodels;
	struct pmodel *m = &g->models[i];

	m->name = (char *)name;
	m->index = (int)i;
	m->sel = &g->steps[i];
	m->sel->m = m;
	m->sel->pub.model = name;
	m->sel->refs = g->refs[i];
	m->sel->ids = odf_idset_new();
	if (m->sel->ids != NULL)
		odf_idset_add(m->sel->ids, 1);
	g->p.models[g->p.nmodels++] = m;
	return m;
}

/* from.field references record 1 of to. */
static struct ref *
refer(struct pmodel *from, const char *field, struct pmodel *to)
{
	struct ref *r = &from->sel->refs[from->sel->nrefs++];

	r->ids = odf_idset_new();
	if (r->ids != NULL)
		odf_idset_add(r->ids, 1);
	r->pub.field = field;
	r->pub.target = to->name;
	r->target = to;
	r->pub.self = from == to;
	return r;
}

/* res.users.partner_id → res.partner and back through user_id, the users
 * first as given; *partner_id and *user_id are the two references. */
static void
users_and_partners(struct graph *g, struct ref **partner_id, struct ref **user_id)
{
	struct pmodel *users, *partner;

	memset(g, 0, sizeof(*g));
	users = model(g, "res.users");
	partner = model(g, "res.partner");
	*partner_id = refer(users, "partner_id", partner);
	*user_id = refer(partner, "user_id", users);
}

/* r references no record (none selected has a value there), or only id. */
static void
refer_only(struct ref *r, long id)
{
	odf_idset_free(r->ids);
	r->ids = odf_idset_new();
	if (r->ids != NULL && id > 0)
		odf_idset_add(r->ids, id);
}

static void
order(struct graph *g, char *out, size_t size)
{
	struct odf_error err;
	size_t len = 0;

	out[0] = '\0';
	if (plan_order_models(&g->p, &err) != 0) {
		snprintf(out, size, "error: %s", err.message);
		return;
	}
	for (size_t i = 0; i < g->p.norder && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s", i ? " " : "", g->p.order[i]);
}

static void
release(struct graph *g)
{
	for (size_t i = 0; i < 8; i++) {
		odf_idset_free(g->steps[i].ids);
		for (size_t k = 0; k < g->steps[i].nrefs; k++)
			odf_idset_free(g->refs[i][k].ids);
	}
	for (size_t i = 0; i < g->p.nproblems; i++)
		free(g->p.problems[i]);
	free(g->p.problems);
	for (size_t i = 0; i < g->p.ncycles; i++)
		free(g->p.cycles[i]);
	free(g->p.cycles);
}

UNIT_TEST(models_come_after_what_they_reference_whatever_the_order_given)
{
	struct graph g;
	struct pmodel *line, *order_, *partner, *tag;
	char got[256];

	memset(&g, 0, sizeof(g));
	line = model(&g, "sale.order.line");
	order_ = model(&g, "sale.order");
	partner = model(&g, "res.partner");
	tag = model(&g, "res.partner.category");
	refer(line, "order_id", order_);
	refer(order_, "partner_id", partner);
	refer(partner, "category_id", tag);
	refer(partner, "parent_id", partner);       /* self: orders nothing */
	refer(tag, "parent_id", tag);
	order(&g, got, sizeof(got));
	CHECK_STR(got, "res.partner.category res.partner sale.order sale.order.line");
	CHECK_INT(g.p.ncycles, 0);
	CHECK_INT(g.p.nsteps, 4);
	release(&g);
}

UNIT_TEST(a_cycle_is_named_and_broken_by_deferring_the_fewest_fields)
{
	struct graph g;
	struct pmodel *partner, *tag;
	struct ref *category_id, *partner_ids, *user_id;
	char got[256];

	memset(&g, 0, sizeof(g));
	partner = model(&g, "res.partner");
	tag = model(&g, "res.partner.category");
	category_id = refer(partner, "category_id", tag);
	user_id = refer(partner, "user_id", tag);   /* a second field into the cycle */
	partner_ids = refer(tag, "partner_ids", partner);
	order(&g, got, sizeof(got));
	/* The tags have one field into the cycle, the partners two: tags first. */
	CHECK_STR(got, "res.partner.category res.partner");
	CHECK_INT(g.p.ncycles, 1);
	if (g.p.ncycles == 1)
		CHECK_STR(g.p.cycles[0], "res.partner → res.partner.category → res.partner; "
		    "deferred: res.partner.category.partner_ids");
	CHECK(partner_ids->pub.deferred && !category_id->pub.deferred && !user_id->pub.deferred);
	release(&g);
}

UNIT_TEST(a_longer_cycle_and_a_model_hanging_off_it)
{
	struct graph g;
	struct pmodel *a, *b, *c, *d;
	char got[256];

	memset(&g, 0, sizeof(g));
	a = model(&g, "a");
	b = model(&g, "b");
	c = model(&g, "c");
	d = model(&g, "d");
	refer(d, "a_id", a);
	refer(a, "b_id", b);
	refer(b, "c_id", c);
	refer(c, "a_id", a);
	order(&g, got, sizeof(got));
	/* Equal counts: the first model of the cycle found gives way. */
	CHECK_STR(got, "a c b d");
	CHECK_INT(g.p.ncycles, 1);
	if (g.p.ncycles == 1)
		CHECK_STR(g.p.cycles[0], "a → b → c → a; deferred: a.b_id");
	release(&g);
}

UNIT_TEST(dropped_and_outside_references_order_nothing)
{
	struct graph g;
	struct pmodel *partner, *tag, *country;
	char got[256];

	memset(&g, 0, sizeof(g));
	tag = model(&g, "res.partner.category");
	partner = model(&g, "res.partner");
	country = &g.models[7];                      /* referenced, not in the plan */
	country->name = "res.country";
	refer(tag, "partner_ids", partner)->pub.dropped = 1;
	refer(partner, "category_id", tag);
	refer(partner, "country_id", country);
	order(&g, got, sizeof(got));
	CHECK_STR(got, "res.partner.category res.partner");
	CHECK_INT(g.p.ncycles, 0);
	release(&g);
}

UNIT_TEST(a_relation_referencing_no_record_of_the_plan_orders_nothing)
{
	struct graph g;
	struct ref *partner_id, *user_id;
	char got[256];

	users_and_partners(&g, &partner_id, &user_id);
	/* No selected partner has a salesperson. */
	refer_only(user_id, 0);
	order(&g, got, sizeof(got));
	CHECK_STR(got, "res.partner res.users");
	CHECK_INT(g.p.ncycles, 0);
	CHECK(!partner_id->pub.deferred && !user_id->pub.deferred);
	/* A user referenced that the plan does not migrate orders nothing either. */
	release(&g);
	users_and_partners(&g, &partner_id, &user_id);
	refer_only(user_id, 2);
	order(&g, got, sizeof(got));
	CHECK_STR(got, "res.partner res.users");
	CHECK_INT(g.p.ncycles, 0);
	release(&g);
}

UNIT_TEST(a_field_the_destination_requires_is_not_deferred)
{
	struct graph g;
	struct ref *partner_id, *user_id;
	char got[256];

	users_and_partners(&g, &partner_id, &user_id);
	partner_id->required = 1;
	order(&g, got, sizeof(got));
	/* The users come first in the order given, but need their partner. */
	CHECK_STR(got, "res.partner res.users");
	CHECK_INT(g.p.ncycles, 1);
	CHECK(!partner_id->pub.deferred && user_id->pub.deferred);
	CHECK_INT(g.p.nproblems, 0);
	release(&g);
}

UNIT_TEST(a_cycle_of_required_fields_is_a_problem)
{
	struct graph g;
	struct pmodel *a, *b;
	char got[256];

	memset(&g, 0, sizeof(g));
	a = model(&g, "a");
	b = model(&g, "b");
	refer(a, "b_id", b)->required = 1;
	refer(b, "a_id", a)->required = 1;
	order(&g, got, sizeof(got));
	CHECK_STR(got, "a b");
	CHECK_INT(g.p.nproblems, 1);
	if (g.p.nproblems == 1)
		CHECK_STR(g.p.problems[0], "cycle a → b → a: a.b_id is required in the "
		    "destination and cannot be written in a last pass; migrate the models of the "
		    "cycle one at a time, with --fields leaving out what is not there yet");
	release(&g);
}

/* Odoo holds a required field to NOT NULL on its column: a one2many or
 * many2many has none (product.template's product_variant_ids). */
UNIT_TEST(only_a_required_field_with_a_column_is_required_in_the_destination)
{
	struct odf_field f;

	memset(&f, 0, sizeof(f));
	f.name = "name";
	f.type = ODF_FT_CHAR;
	f.required = 1;
	f.store = 1;
	CHECK(dst_requires(&f));
	f.name = "partner_id";
	f.type = ODF_FT_MANY2ONE;
	CHECK(dst_requires(&f));
	f.name = "product_variant_ids";
	f.type = ODF_FT_ONE2MANY;
	CHECK(!dst_requires(&f));
	f.name = "value_ids";
	f.type = ODF_FT_MANY2MANY;
	CHECK(!dst_requires(&f));
	f.type = ODF_FT_CHAR;
	f.readonly = 1;
	CHECK(!dst_requires(&f));
	CHECK(!dst_requires(NULL));
}

int
main(void)
{
	RUN(models_come_after_what_they_reference_whatever_the_order_given);
	RUN(a_cycle_is_named_and_broken_by_deferring_the_fewest_fields);
	RUN(a_longer_cycle_and_a_model_hanging_off_it);
	RUN(dropped_and_outside_references_order_nothing);
	RUN(a_relation_referencing_no_record_of_the_plan_orders_nothing);
	RUN(a_field_the_destination_requires_is_not_deferred);
	RUN(a_cycle_of_required_fields_is_a_problem);
	RUN(only_a_required_field_with_a_column_is_required_in_the_destination);
	return unit_done();
}
