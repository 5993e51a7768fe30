/* The Python-literal parser (lib/pyliteral.c): tables of text in, JSON or
 * message out. */
#include "literal_cases.h"

UNIT_TEST(literals_become_json)
{
	static const struct good t[] = {
		{ "True", "true" }, { "False", "false" }, { "None", "null" },
		{ "true", "true" }, { "false", "false" }, { "null", "null" },
		{ "[]", "[]" }, { "()", "[]" }, { "{}", "{}" },
		{ "(1,)", "[1]" }, { "(1)", "1" }, { "((1, 2))", "[1,2]" },
		{ "[1, 2, ]", "[1,2]" }, { "(1, 2,)", "[1,2]" },
		{ "{'a': 1, }", "{\"a\":1}" },
		{ "[[], [[]], ([], {})]", "[[],[[]],[[],{}]]" },
		{ " \t\n[\n 1 ,\r\n 2\n]\n ", "[1,2]" },
		{ "[1, # one\n 2] # done", "[1,2]" },
		{ "{'a': {'b': [1, (2, 3)]}}", "{\"a\":{\"b\":[1,[2,3]]}}" },
		/* json.dumps turns int, bool and None keys into strings */
		{ "{1: 'a', True: 2, None: 3}", "{\"1\":\"a\",\"true\":2,\"null\":3}" },
		/* a repeated key keeps its place and its last value */
		{ "{'x': 1, 'y': 2, 'x': 3}", "{\"x\":3,\"y\":2}" },
		{ "{\"a\": [true, false, null]}", "{\"a\":[true,false,null]}" },
	};
	GOOD(LITERAL, t);
}

UNIT_TEST(numbers_follow_python)
{
	static const struct good t[] = {
		{ "0", "0" }, { "42", "42" }, { "-7", "-7" }, { "+7", "7" },
		{ "- 7", "-7" }, { "-0", "0" }, { "00", "0" },
		{ "1.5", "1.5" }, { "-2.25", "-2.25" }, { ".5", "0.5" }, { "5.", "5" },
		{ "1e3", "1000" }, { "1.5E-3", "0.0015" }, { "1.e2", "100" },
		{ "999999999999999", "999999999999999" },
		{ "-999999999999999", "-999999999999999" },
	};
	GOOD(LITERAL, t);
}

UNIT_TEST(strings_follow_python)
{
	static const struct good t[] = {
		{ "'a'", "\"a\"" }, { "\"a\"", "\"a\"" }, { "''", "\"\"" },
		{ "'it\\'s'", "\"it's\"" }, { "\"say \\\"hi\\\"\"", "\"say \\\"hi\\\"\"" },
		{ "'\"'", "\"\\\"\"" }, { "\"'\"", "\"'\"" },
		{ "'a\\nb\\tc\\\\d'", "\"a\\nb\\tc\\\\d\"" },
		{ "'\\r\\f\\b'", "\"\\r\\f\\b\"" },
		{ "'\\x41\\x7e\\x07'", "\"A~\\u0007\"" },
		{ "'\\u00e9\\u00C9'", "\"éÉ\"" }, { "'\\U0001F600'", "\"😀\"" },
		/* JSON's surrogate pairs, and its "\/" */
		{ "\"\\ud83d\\ude00\"", "\"😀\"" }, { "\"a\\/b\"", "\"a/b\"" },
		/* unknown escapes keep their backslash, as in Python */
		{ "'\\d+'", "\"\\\\d+\"" },
		{ "'Øde gård ü'", "\"Øde gård ü\"" },
	};
	GOOD(LITERAL, t);
}

UNIT_TEST(bad_literals_say_where_and_what)
{
	static const struct bad t[] = {
		{ "", "position 1: expected a value, got end of input" },
		{ "   ", "position 4: expected a value, got end of input" },
		{ "[1 2]", "position 4: expected ',' or ']' after an item, got '2'" },
		{ "[1, 2", "position 6: expected ',' or ']' after an item, got end of input" },
		{ "(1 2)", "position 4: expected ',' or ')' after an item, got '2'" },
		{ "(1, 2]", "position 6: expected ',' or ')' after an item, got ']'" },
		{ "{'a' 1}", "position 6: expected ':' after a dict key, got '1'" },
		{ "{'a': 1 'b': 2}", "position 9: expected ',' or '}' after a dict value, "
		    "got a string" },
		{ "{1, 2 3}", "position 1: sets are not accepted: write a list [...]" },
		{ "[{1}]", "position 2: sets are not accepted: write a list [...]" },
		{ "{'a': 1, 'b'}", "position 13: expected ':' after a dict key, got '}'" },
		{ "[,]", "position 2: expected a value, got ','" },
		{ "[1,,]", "position 4: expected a value, got ','" },
		{ "1 2", "position 3: expected end of input after the value, got '2'" },
		{ "[1]]", "position 4: expected end of input after the value, got ']'" },
		{ "[1] # ok\n]", "line 2, column 1: expected end of input after the value, "
		    "got ']'" },
		/* a file's last newline leaves it one line */
		{ "[1 2]\n", "position 4: expected ',' or ']' after an item, got '2'" },
		{ "[1,\n", "position 5: expected a value, got end of input" },
		{ "tru", "position 1: unknown name 'tru' (strings need quotes)" },
		{ "[name]", "position 2: unknown name 'name' (strings need quotes)" },
		{ "@", "position 1: expected a value, got '@'" },
		{ "[\x01]", "position 2: expected a value, got byte 0x01" },
		{ "[é]", "position 2: expected a value, got 'é'" },
		{ "'abc", "position 1: unterminated string" },
		{ "['a', 'b\n']", "line 1, column 7: unterminated string (a newline before "
		    "the closing quote)" },
		{ "'''abc'''", "position 3: expected end of input after the value, got a string" },
		{ "'abc\\", "position 5: unterminated string: input ends after '\\'" },
		{ "r'abc'", "position 1: string prefixes such as r'' are not accepted" },
		{ "u'x'", "position 1: string prefixes such as u'' are not accepted" },
		{ "'\\x4'", "position 2: truncated \\x escape: 2 hex digits needed" },
		{ "'\\u00e'", "position 2: truncated \\u escape: 4 hex digits needed" },
		{ "'\\U0001F60'", "position 2: truncated \\U escape: 8 hex digits needed" },
		{ "'\\ud83d'", "position 2: lone surrogate \\uD83D cannot be encoded in UTF-8" },
		{ "'\\U00110000'", "position 2: escape \\U00110000 is past U+10FFFF" },
		{ "'a\\x00'", "position 3: NUL characters in strings are not supported" },
		{ "'\\u0000'", "position 2: NUL characters in strings are not supported" },
		{ "'\\0'", "position 2: escape '\\0' is not accepted (use \\xNN or \\uNNNN)" },
		{ "'\\101'", "position 2: escape '\\1' is not accepted (use \\xNN or \\uNNNN)" },
		{ "'\\a'", "position 2: escape '\\a' is not accepted (use \\xNN or \\uNNNN)" },
		{ "'\\N{DASH}'", "position 2: escape '\\N' is not accepted (use \\xNN or \\uNNNN)" },
		{ "'a\\\nb'", "line 1, column 3: a backslash before a line break is not accepted" },
		{ "['a' 'b']", "position 6: expected ',' or ']' after an item, got a string" },
		{ "'\xff'", "position 2: invalid UTF-8 byte 0xFF in a string" },
		{ "'\xc3('", "position 2: invalid UTF-8 byte 0xC3 in a string" },
		{ "'\xed\xa0\x80'", "position 2: invalid UTF-8 byte 0xED in a string" },
		{ "b'x'", "position 1: string prefixes such as b'' are not accepted" },
		{ "f'{x}'", "position 1: string prefixes such as f'' are not accepted" },
		{ "0123", "position 1: invalid number '0123': leading zeros are not allowed" },
		{ "1__0", "position 1: invalid number '1__0'" },
		{ "1_", "position 1: invalid number '1_'" },
		{ "1._5", "position 1: invalid number '1._5'" },
		{ "1.2.3", "position 1: invalid number '1.2.3'" },
		{ "12abc", "position 1: invalid number '12abc'" },
		{ "0x", "position 1: invalid number '0x'" },
		{ "0x1F", "position 1: invalid number '0x1F'" },
		{ "0o17", "position 1: invalid number '0o17'" },
		{ "1_000", "position 1: invalid number '1_000'" },
		{ "0b102", "position 1: invalid number '0b102'" },
		{ "1e", "position 1: invalid number '1e'" },
		{ "1j", "position 1: invalid number '1j'" },
		{ ".", "position 1: invalid number '.'" },
		{ "--5", "position 2: expected a number after '-', got '-'" },
		{ "-x", "position 2: expected a number after '-', got 'x'" },
		{ "1e999", "position 1: number 1e999 is out of range" },
		{ "[1000000000000000]", "position 2: integer 1000000000000000 is too "
		    "large: only 15 digits are sent exactly" },
		{ "{1.5: 'a'}", "position 2: dict keys must be strings, got a float" },
		{ "{(1, 2): 'a'}", "position 2: dict keys must be strings, got a list" },
	};
	BAD(LITERAL, t);
}

UNIT_TEST(nul_bytes_in_the_text_are_refused)
{
	struct odf_error err;
	cJSON *v;

	CHECK_INT(odf_pyliteral_parse("[1,\0 2]", 7, 0, &v, &err), -1);
	CHECK(v == NULL);
	CHECK_STR(err.message, "position 4: NUL byte in the text");
	/* without a terminating NUL */
	CHECK_INT(odf_pyliteral_parse("[1, 2]xyz", 6, 0, &v, &err), 0);
	CHECK_INT(cJSON_GetArraySize(v), 2);
	cJSON_Delete(v);
}

/* Number literals fill a fixed buffer: its edges are errors, not overruns. */
UNIT_TEST(long_numbers_are_refused)
{
	char text[700];
	struct odf_error err;
	cJSON *v;

	memset(text, '1', 511);
	memcpy(text + 511, ".e-", 4);
	CHECK_INT(odf_pyliteral_parse(text, strlen(text), 0, &v, &err), -1);
	CHECK(strncmp(err.message, "position 1: invalid number '1111", 32) == 0);
	memset(text, '0', 600);
	memcpy(text + 600, ".5", 3);
	CHECK_INT(odf_pyliteral_parse(text, strlen(text), 0, &v, &err), -1);
	CHECK_STR(err.message, "position 1: number longer than 512 characters");
	text[0] = '.';
	CHECK_INT(odf_pyliteral_parse(text, strlen(text), 0, &v, &err), -1);
	CHECK_STR(err.message, "position 1: number longer than 512 characters");
	/* long but within the limit */
	memset(text, '0', 500);
	memcpy(text + 500, "1.5e-0", 7);
	CHECK_INT(odf_pyliteral_parse(text, strlen(text), 0, &v, &err), 0);
	CHECK(cJSON_IsNumber(v) && v->valuedouble == 1.5);
	cJSON_Delete(v);
}

/* Nesting up to the limit parses; one level more is an error, not a crash. */
UNIT_TEST(nesting_is_limited)
{
	size_t n = ODF_PYLITERAL_MAX_DEPTH + 1, k;
	char *text = malloc(2 * n + 1), msg[128];
	struct odf_error err;
	cJSON *v;

	CHECK(text != NULL);
	if (text == NULL)
		return;
	for (k = 0; k < n - 1; k++) {
		text[k] = '[';
		text[2 * (n - 1) - 1 - k] = ']';
	}
	text[2 * (n - 1)] = '\0';
	CHECK_INT(odf_pyliteral_parse(text, strlen(text), 0, &v, &err), 0);
	cJSON_Delete(v);
	memset(text, '(', 2 * n);
	text[2 * n] = '\0';
	CHECK_INT(odf_pyliteral_parse(text, strlen(text), 0, &v, &err), -1);
	snprintf(msg, sizeof(msg), "position %d: nesting deeper than %d levels",
	    ODF_PYLITERAL_MAX_DEPTH + 1, ODF_PYLITERAL_MAX_DEPTH);
	CHECK_STR(err.message, msg);
	free(text);
}

int
main(void)
{
	RUN(literals_become_json);
	RUN(numbers_follow_python);
	RUN(strings_follow_python);
	RUN(bad_literals_say_where_and_what);
	RUN(nul_bytes_in_the_text_are_refused);
	RUN(long_numbers_are_refused);
	RUN(nesting_is_limited);
	return unit_done();
}
