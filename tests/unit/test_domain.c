/* Domain and context checks (lib/domain.c): tables of text in, JSON or
 * message out, and mangled input of all three parsers. */
#include "literal_cases.h"

UNIT_TEST(domains_in_python_and_json)
{
	static const struct good t[] = {
		/* the search requests of the recorded Odoo 17 transcripts
		 * (/work/shared/odoo-wire/17.0-search*.json) */
		{ "[('is_company', '=', True), ('category_id', '!=', False), "
		  "('name', 'ilike', 'Holding')]",
		  "[[\"is_company\",\"=\",true],[\"category_id\",\"!=\",false],"
		  "[\"name\",\"ilike\",\"Holding\"]]" },
		{ "[('parent_id', '!=', False), ('category_id', '!=', False),\n"
		  " ('email', '!=', False), ('street2', '!=', False)]",
		  "[[\"parent_id\",\"!=\",false],[\"category_id\",\"!=\",false],"
		  "[\"email\",\"!=\",false],[\"street2\",\"!=\",false]]" },
		{ "[('name', 'ilike', 'Wire Co')]", "[[\"name\",\"ilike\",\"Wire Co\"]]" },
		{ "[('is_company', '=', True)]", "[[\"is_company\",\"=\",true]]" },
		{ "[('is_company','=',True), ('country_id.code','=','BE')]",
		  "[[\"is_company\",\"=\",true],[\"country_id.code\",\"=\",\"BE\"]]" },
		{ "[('name', 'ilike', 'Wire')]", "[[\"name\",\"ilike\",\"Wire\"]]" },
		/* valid as a domain: Odoo itself rejects the unknown field */
		{ "[('no_such_field', '=', 1)]", "[[\"no_such_field\",\"=\",1]]" },
		{ "[]", "[]" }, { "", "[]" }, { "  \n", "[]" }, { "# all\n", "[]" },
		{ "[[\"is_company\", \"=\", true]]", "[[\"is_company\",\"=\",true]]" },
		{ "[('is_company','=',True), ('country_id.code','in',['BE','NL'])]",
		  "[[\"is_company\",\"=\",true],[\"country_id.code\",\"in\",[\"BE\",\"NL\"]]]" },
		{ "['|', ('a','=',1), '!', ('b','ilike','x')]",
		  "[\"|\",[\"a\",\"=\",1],\"!\",[\"b\",\"ilike\",\"x\"]]" },
		{ "['&', '|', ('a','=',1), ('b','=',2), ('c','=',3)]",
		  "[\"&\",\"|\",[\"a\",\"=\",1],[\"b\",\"=\",2],[\"c\",\"=\",3]]" },
		/* consecutive expressions are joined by an implicit '&' */
		{ "['|', ('a','=',1), ('b','=',2), ('c','=',3)]",
		  "[\"|\",[\"a\",\"=\",1],[\"b\",\"=\",2],[\"c\",\"=\",3]]" },
		{ "[('id', 'in', (1, 2, 3)), ('x', '<>', None), ('y', '=?', False)]",
		  "[[\"id\",\"in\",[1,2,3]],[\"x\",\"<>\",null],[\"y\",\"=?\",false]]" },
		{ "[('name', 'not ilike', 'test'), ('ref', '=like', 'A%'), "
		  "('parent_id', 'child_of', 1), ('id', 'parent_of', [2])]",
		  "[[\"name\",\"not ilike\",\"test\"],[\"ref\",\"=like\",\"A%\"],"
		  "[\"parent_id\",\"child_of\",1],[\"id\",\"parent_of\",[2]]]" },
		{ "[('child_ids', 'any', [('name', '=', 'x')]), "
		  "('bank_ids', 'not any', ['|', ('a','=',1), ('b','=',2)])]",
		  "[[\"child_ids\",\"any\",[[\"name\",\"=\",\"x\"]]],"
		  "[\"bank_ids\",\"not any\",[\"|\",[\"a\",\"=\",1],[\"b\",\"=\",2]]]]" },
		{ "[(1, '=', 1)]", "[[1,\"=\",1]]" }, { "['!', (0, '=', 1)]", "[\"!\",[0,\"=\",1]]" },
		{ "[['date', '>=', '2024-01-01'], ['amount', '<', 1.5e3]]",
		  "[[\"date\",\">=\",\"2024-01-01\"],[\"amount\",\"<\",1500]]" },
	};
	GOOD(DOMAIN, t);
}

UNIT_TEST(bad_domains_name_the_position)
{
	static const struct bad t[] = {
		/* the transcripts' malformed domains */
		{ "['|', ('name','=','x')]",
		  "domain: position 2: operator '|' needs 2 operands, found 1" },
		{ "[('name', '~~', 'x')]", "domain: position 11: unknown operator '~~' "
		    "(known: =, !=, <>, <, <=, >, >=, =?, in, not in, like, not like, "
		    "ilike, not ilike, =like, =ilike, child_of, parent_of, any, not any)" },
		{ "[('a','=',1)) ]",
		  "domain: position 13: expected ',' or ']' after a term, got ')'" },
		/* the example of odf-domain(7) */
		{ "[('email','=',1))]",
		  "domain: position 17: expected ',' or ']' after a term, got ')'" },
		{ "[('a', '=', 1) ('b', '=', 2)]",
		  "domain: position 16: expected ',' or ']' after a term, got '('" },
		{ "['!']", "domain: position 2: operator '!' needs 1 operand, found none" },
		{ "[('a','=',1), '&']",
		  "domain: position 15: operator '&' needs 2 operands, found none" },
		{ "['&', '!', ('a','=',1)]",
		  "domain: position 2: operator '&' needs 2 operands, found 1" },
		{ "[('a','=',1), '|', ('b','=',2)]",
		  "domain: position 15: operator '|' needs 2 operands, found 1" },
		{ "[('a', '=')]", "domain: position 2: a term has 3 items (field, operator, "
		    "value), this one has 2" },
		{ "[('a', '=', 1, 2)]", "domain: position 2: a term has 3 items (field, "
		    "operator, value), this one has 4" },
		{ "[('', '=', 1)]",
		  "domain: position 3: a term's field must be a non-empty string, got ''" },
		{ "[(2, '=', 1)]",
		  "domain: position 3: a term's field must be a non-empty string, got a number" },
		{ "[('a', None, 1)]",
		  "domain: position 8: a term's operator must be a string, got None" },
		{ "[('a', 'IN', [1])]",
		  "domain: position 8: unknown operator 'IN' (operators are lowercase: 'in')" },
		{ "[('a', 'Not Like', 'x')]", "domain: position 8: unknown operator "
		    "'Not Like' (operators are lowercase: 'not like')" },
		{ "['x']", "domain: position 2: unknown logical operator 'x' (expected '&', "
		    "'|' or '!', or a term)" },
		{ "[1]", "domain: position 2: expected a term (field, operator, value) or "
		    "'&', '|', '!', got a number" },
		{ "[{'a': 1}]", "domain: position 2: expected a term (field, operator, "
		    "value) or '&', '|', '!', got a dict" },
		{ "{'a': 1}", "domain: position 1: expected a list of terms, got a dict" },
		{ "  'a'", "domain: position 3: expected a list of terms, got 'a'" },
		{ "('a', '=', 1)",
		  "domain: position 1: a domain is a list of terms: put this term in [ ]" },
		{ "[('child_ids', 'any', 'x')]", "domain: position 23: the value of 'any' "
		    "must be a domain (a list), got 'x'" },
		{ "[('child_ids', 'any', [('name', '=', 'x'), '|'])]",
		  "domain: position 44: operator '|' needs 2 operands, found none" },
		{ "[('c', 'not any', [('n', 'like', 'x'), ('m', 'is', 1)])]",
		  "domain: position 46: unknown operator 'is' (known: =, !=, <>, <, <=, >, "
		  ">=, =?, in, not in, like, not like, ilike, not ilike, =like, =ilike, "
		  "child_of, parent_of, any, not any)" },
		/* several lines report line and column; columns count characters */
		{ "[\n  ('name', '=', 'Ødegård'),\n  ('x', '=>', 1),\n]",
		  "domain: line 3, column 9: unknown operator '=>' (known: =, !=, <>, <, "
		  "<=, >, >=, =?, in, not in, like, not like, ilike, not ilike, =like, "
		  "=ilike, child_of, parent_of, any, not any)" },
		{ "[('name', '=', 'Ødegård'), 'x']", "domain: position 28: unknown "
		    "logical operator 'x' (expected '&', '|' or '!', or a term)" },
		/* parentheses around a value do not make a tuple */
		{ "[(('a'), 'x', 1)]", "domain: position 10: unknown operator 'x' (known: "
		    "=, !=, <>, <, <=, >, >=, =?, in, not in, like, not like, ilike, "
		    "not ilike, =like, =ilike, child_of, parent_of, any, not any)" },
		{ "[('a')]", "domain: position 2: unknown logical operator 'a' (expected "
		    "'&', '|' or '!', or a term)" },
	};
	BAD(DOMAIN, t);
}

UNIT_TEST(contexts_are_dicts)
{
	static const struct good good[] = {
		{ "{'lang': 'fr_FR', 'active_test': False}",
		  "{\"lang\":\"fr_FR\",\"active_test\":false}" },
		{ "{\"tracking_disable\": true}", "{\"tracking_disable\":true}" },
		{ "{'allowed_company_ids': [1, 2], 'tz': None}",
		  "{\"allowed_company_ids\":[1,2],\"tz\":null}" },
		{ "", "{}" }, { " ", "{}" }, { "{}", "{}" },
	};
	static const struct bad bad[] = {
		{ "[('a', '=', 1)]", "context: position 1: expected a dict, got a list" },
		{ "{'lang': 'fr_FR'", "context: position 17: expected ',' or '}' after a "
		    "dict value, got end of input" },
		{ "{1, 2}", "context: position 1: sets are not accepted: write a list [...]" },
		{ "lang='fr'", "context: position 1: unknown name 'lang' (strings need quotes)" },
	};
	GOOD(CONTEXT, good);
	BAD(CONTEXT, bad);
}

UNIT_TEST(null_text_is_empty)
{
	struct odf_error err;
	cJSON *v;

	CHECK_INT(odf_domain_parse(NULL, &v, &err), 0);
	CHECK(cJSON_IsArray(v) && cJSON_GetArraySize(v) == 0);
	cJSON_Delete(v);
	CHECK_INT(odf_context_parse(NULL, &v, &err), 0);
	CHECK(cJSON_IsObject(v) && v->child == NULL);
	cJSON_Delete(v);
	CHECK_INT(odf_pyliteral_parse(NULL, 0, 0, &v, &err), -1);
	CHECK(v == NULL);
}

/* Every prefix of valid texts, and some byte flips: errors, never a crash
 * (a cheap stand-in for the fuzzer, run under ASan in make check). */
UNIT_TEST(a_domain_on_database_ids_is_told)
{
	static const struct { const char *text; int ids; } t[] = {
		{ "[('id', '<=', 60)]", 1 },
		{ "['|', ('name', '=', 'a'), '!', ('id', 'in', [1, 2])]", 1 },
		{ "[('parent_id.id', '=', 7)]", 1 },
		{ "[('category_id', 'any', [('id', '=', 3)])]", 1 },
		{ "[('name', '=', 'id'), ('is_company', '=', True)]", 0 },
		{ "[('ref', 'in', ['id', 'x.id'])]", 0 },
		{ "[('valid', '=', True)]", 0 },
		{ "[]", 0 },
	};
	struct odf_error err;
	cJSON *d;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (odf_domain_parse(t[i].text, &d, &err) != 0) {
			CHECK_STR(err.message, "");
			continue;
		}
		CHECK_INT(odf_domain_uses_ids(d), t[i].ids);
		cJSON_Delete(d);
	}
}

UNIT_TEST(truncated_and_mangled_input_never_crashes)
{
	static const char *const texts[] = {
		"['|', ('name', 'ilike', 'x\\u00e9\\x41'), '!', ('id', 'in', (1, 2.5e3, -31))]",
		"{'a': [True, None, [1, 2]], 'b': 'c', 1: \"d\\/\", 'e': -.5} # end",
		"[('c', 'any', [('n', '=', 'Ø'), ('m', 'not in', [])])]",
	};
	static const char flips[] = "[](){},:'\"\\#x0\n";
	size_t t, k, f;
	char buf[256];

	for (t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
		size_t len = strlen(texts[t]);

		for (k = 0; k <= len; k++) {
			struct odf_error err;
			cJSON *v;
			int r;

			memcpy(buf, texts[t], k);
			buf[k] = '\0';
			r = odf_domain_parse(buf, &v, &err);
			CHECK(r == 0 ? v != NULL : v == NULL && err.message[0] != '\0');
			cJSON_Delete(v);
			for (f = 0; f < sizeof(flips) - 1 && k < len; f++) {
				memcpy(buf, texts[t], len + 1);
				buf[k] = flips[f];
				r = odf_pyliteral_parse(buf, strlen(buf), 0, &v, &err);
				CHECK(r == 0 ? v != NULL : v == NULL && err.message[0] != '\0');
				cJSON_Delete(v);
			}
		}
	}
}

int
main(void)
{
	RUN(domains_in_python_and_json);
	RUN(bad_domains_name_the_position);
	RUN(contexts_are_dicts);
	RUN(null_text_is_empty);
	RUN(a_domain_on_database_ids_is_told);
	RUN(truncated_and_mangled_input_never_crashes);
	return unit_done();
}
