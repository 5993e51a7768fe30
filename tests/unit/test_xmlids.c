/*
 * External ids (lib/xmlids.c): the search_read of ir.model.data sent, as a
 * fake server on loopback receives it, and the answers read; "module.name".
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "odf/conf.h"
#include "odf/rpc.h"
#include "odf/xmlids.h"
#include "fixtures.h"
#include "unit.h"

/* A server for one request: it answers body (status 200) and hands the
 * request line and body it got to the test through a pipe. */
struct fake {
	pid_t pid;
	int port;
	int fd;         /* the pipe's reading end */
};

/* Read until n bytes or the end; how many were read. */
static size_t
read_full(int fd, char *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n && (r = read(fd, buf + got, n - got)) > 0)
		got += (size_t)r;
	return got;
}

static void
write_full(int fd, const char *buf, size_t n)
{
	ssize_t w;

	while (n > 0 && (w = write(fd, buf, n)) > 0) {
		buf += w;
		n -= (size_t)w;
	}
}

/* The child: one connection, one request, one answer. */
static void
serve(int lfd, int out, const char *answer)
{
	char req[65536], head[256];
	size_t len = 0, body_len = 0;
	char *end = NULL, *cl;
	ssize_t r;
	int c;

	alarm(10);
	if ((c = accept(lfd, NULL, NULL)) < 0)
		_exit(1);
	while (len < sizeof(req) - 1 && end == NULL &&
	    (r = read(c, req + len, sizeof(req) - 1 - len)) > 0) {
		len += (size_t)r;
		req[len] = '\0';
		end = strstr(req, "\r\n\r\n");
	}
	if (end == NULL)
		_exit(1);
	for (cl = req; cl < end; cl = strstr(cl, "\r\n") + 2)
		if (strncasecmp(cl, "Content-Length:", 15) == 0)
			body_len = strtoul(cl + 15, NULL, 10);
	end += 4;
	if (body_len > sizeof(req) - 1 - (size_t)(end - req))
		_exit(1);
	len -= (size_t)(end - req);
	if (len > body_len)
		len = body_len;
	len += read_full(c, end + len, body_len - len);
	write_full(out, req, strcspn(req, "\r"));
	write_full(out, "\n", 1);
	write_full(out, end, len);
	snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n", strlen(answer));
	write_full(c, head, strlen(head));
	write_full(c, answer, strlen(answer));
	close(c);
	_exit(0);
}

static int
fake_start(struct fake *f, const char *answer)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int lfd = socket(AF_INET, SOCK_STREAM, 0), p[2];

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(lfd, 1) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&a, &alen) != 0 || pipe(p) != 0) {
		if (lfd >= 0)
			close(lfd);
		return -1;
	}
	fflush(stdout);
	if ((f->pid = fork()) < 0) {
		close(lfd);
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (f->pid == 0) {
		close(p[0]);
		serve(lfd, p[1], answer);
	}
	close(lfd);
	close(p[1]);
	f->port = ntohs(a.sin_port);
	f->fd = p[0];
	return 0;
}

/* What the server got, "request line\nbody" (a new string), and the
 * child reaped. */
static char *
fake_request(struct fake *f)
{
	size_t cap = 1 << 16;
	char *s = malloc(cap);
	size_t n = s != NULL ? read_full(f->fd, s, cap - 1) : 0;
	int status;

	if (s != NULL)
		s[n] = '\0';
	close(f->fd);
	while (waitpid(f->pid, &status, 0) < 0)
		;
	return s;
}

/* A connection to the fake as uid 2, so that no login is made. */
static void
conf_for(struct odf_conf *c, const struct fake *f, enum odf_protocol protocol)
{
	memset(c, 0, sizeof(*c));
	c->hostname = "127.0.0.1";
	c->port = f->port;
	c->database = "db";
	c->login = "admin";
	c->password = "pw";
	c->protocol = protocol;
	c->uid = 2;
	c->timeout = 5;
	c->verify_ssl = 1;
}

/* One odf_xmlids_read against a fake answering answer; the keyword
 * arguments of the search_read it sent (JSON-RPC), or NULL. */
static cJSON *
read_with(const char *answer, const char *key, cJSON *values, unsigned fields, long limit,
    cJSON **rows, struct odf_error *err)
{
	struct fake f;
	struct odf_conf conf;
	struct odf_rpc *rpc;
	char *req, *body;
	cJSON *doc, *args, *kwargs = NULL;

	*rows = NULL;
	if (fake_start(&f, answer) != 0) {
		cJSON_Delete(values);
		return NULL;
	}
	conf_for(&conf, &f, ODF_PROTO_JSONRPC);
	if ((rpc = odf_rpc_new(&conf, err)) != NULL)
		*rows = odf_xmlids_read(rpc, "res.partner", key, values, fields, limit, err);
	else
		cJSON_Delete(values);
	odf_rpc_free(rpc);
	req = fake_request(&f);
	if (req == NULL)
		return NULL;
	CHECK(strncmp(req, "POST /jsonrpc ", 14) == 0);
	body = strchr(req, '\n');
	doc = cJSON_Parse(body != NULL ? body + 1 : "");
	/* params.args: db, uid, password, model, method, args, kwargs */
	args = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "params"),
	    "args");
	CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(args, 3)), "ir.model.data");
	CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(args, 4)), "search_read");
	CHECK_INT(cJSON_GetArraySize(cJSON_GetArrayItem(args, 5)), 0);
	if (cJSON_GetArraySize(args) == 7)
		kwargs = cJSON_DetachItemFromArray(args, 6);
	cJSON_Delete(doc);
	free(req);
	return kwargs;
}

/* Whether got is the JSON want (written with '), saying what it is if not. */
static int
same_json(const cJSON *got, const char *want)
{
	cJSON *w = J(want);
	char *text = got != NULL ? cJSON_PrintUnformatted(got) : NULL;
	int same = w != NULL && got != NULL && cJSON_Compare(got, w, 1);

	if (!same)
		printf("# got %s\n# want %s\n", text != NULL ? text : "(null)", want);
	cJSON_free(text);
	cJSON_Delete(w);
	return same;
}

UNIT_TEST(ids_are_read_by_name_among_the_models)
{
	struct odf_error err;
	cJSON *rows, *kwargs;
	char buf[64];

	odf_error_clear(&err);
	kwargs = read_with("{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": [{\"id\": 7, "
	    "\"module\": \"__import__\", \"name\": \"p1\"}]}", "name", J("['p1', 'p2']"),
	    ODF_XMLIDS_NAME, 0, &rows, &err);
	CHECK(same_json(kwargs, "{'domain': [['model', '=', 'res.partner'], "
	    "['name', 'in', ['p1', 'p2']]], 'fields': ['module', 'name']}"));
	CHECK(rows != NULL);
	CHECK_INT(cJSON_GetArraySize(rows), 1);
	CHECK_INT(odf_xmlid_format(cJSON_GetArrayItem(rows, 0), buf, sizeof(buf)), 13);
	CHECK_STR(buf, "__import__.p1");
	cJSON_Delete(kwargs);
	cJSON_Delete(rows);
}

UNIT_TEST(ids_are_read_by_record_and_all_of_a_model_with_a_limit)
{
	struct odf_error err;
	cJSON *rows, *kwargs;

	odf_error_clear(&err);
	kwargs = read_with("{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": []}", "res_id",
	    J("[3, 4]"), ODF_XMLIDS_NAME | ODF_XMLIDS_RES_ID, 0, &rows, &err);
	CHECK(same_json(kwargs, "{'domain': [['model', '=', 'res.partner'], "
	    "['res_id', 'in', [3, 4]]], 'fields': ['module', 'name', 'res_id']}"));
	CHECK(cJSON_IsArray(rows));
	CHECK_INT(cJSON_GetArraySize(rows), 0);
	cJSON_Delete(kwargs);
	cJSON_Delete(rows);

	kwargs = read_with("{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": [{\"id\": 1, "
	    "\"res_id\": 9}]}", NULL, NULL, ODF_XMLIDS_RES_ID, 5, &rows, &err);
	CHECK(same_json(kwargs, "{'domain': [['model', '=', 'res.partner']], "
	    "'fields': ['res_id'], 'limit': 5}"));
	CHECK(same_json(rows, "[{'id': 1, 'res_id': 9}]"));
	cJSON_Delete(kwargs);
	cJSON_Delete(rows);
}

UNIT_TEST(an_answer_that_is_not_a_list_or_an_error_is_no_rows)
{
	static const struct {
		const char *answer;
		enum odf_error_code code;
		const char *message;
	} cases[] = {
		{ "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": {\"a\": 1}}", ODF_E_PROTOCOL,
		    "search_read of ir.model.data: not a list" },
		{ "{\"jsonrpc\": \"2.0\", \"id\": 1, \"error\": {\"code\": 200, \"message\": "
		    "\"Odoo Server Error\", \"data\": {\"name\": \"odoo.exceptions.AccessError\", "
		    "\"message\": \"no access\"}}}", ODF_E_AUTH, "no access" },
	};
	struct odf_error err;
	cJSON *rows, *kwargs;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		odf_error_clear(&err);
		kwargs = read_with(cases[i].answer, "name", J("['x']"), ODF_XMLIDS_NAME, 0, &rows,
		    &err);
		CHECK(kwargs != NULL);
		CHECK(rows == NULL);
		CHECK_INT(err.code, cases[i].code);
		CHECK_STR(err.message, cases[i].message);
		cJSON_Delete(kwargs);
	}
}

/* Over JSON-2 the keyword arguments are the body itself. */
UNIT_TEST(over_json2_the_search_read_is_the_body)
{
	struct fake f;
	struct odf_conf conf;
	struct odf_error err;
	struct odf_rpc *rpc;
	cJSON *rows = NULL, *body;
	char *req, *nl;

	odf_error_clear(&err);
	CHECK_INT(fake_start(&f, "[{\"id\": 2, \"module\": \"base\", \"name\": \"be\"}]"), 0);
	conf_for(&conf, &f, ODF_PROTO_JSON2);
	if ((rpc = odf_rpc_new(&conf, &err)) != NULL)
		rows = odf_xmlids_read(rpc, "res.country", "name", J("['be']"), ODF_XMLIDS_NAME,
		    0, &err);
	odf_rpc_free(rpc);
	req = fake_request(&f);
	CHECK(req != NULL && strncmp(req, "POST /json/2/ir.model.data/search_read ", 39) == 0);
	nl = req != NULL ? strchr(req, '\n') : NULL;
	body = cJSON_Parse(nl != NULL ? nl + 1 : "");
	CHECK(same_json(body, "{'domain': [['model', '=', 'res.country'], "
	    "['name', 'in', ['be']]], 'fields': ['module', 'name']}"));
	CHECK(same_json(rows, "[{'id': 2, 'module': 'base', 'name': 'be'}]"));
	cJSON_Delete(body);
	cJSON_Delete(rows);
	free(req);
}

UNIT_TEST(a_row_formats_as_module_dot_name)
{
	static const struct {
		const char *row;
		size_t size;
		int len;
		const char *text;
	} cases[] = {
		{ "{'module': 'base', 'name': 'be', 'res_id': 2}", 64, 7, "base.be" },
		{ "{'module': 'base', 'name': 'be'}", 8, 7, "base.be" },
		{ "{'module': 'base', 'name': 'be'}", 7, -1, NULL },   /* no room for the NUL */
		{ "{'name': 'be'}", 64, -1, NULL },
		{ "{'module': 'base', 'name': false}", 64, -1, NULL },
		{ "{'module': 'a', 'name': 'b.c'}", 64, 5, "a.b.c" },
	};
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *row = J(cases[i].row);

		CHECK_INT(odf_xmlid_format(row, buf, cases[i].size), cases[i].len);
		if (cases[i].text != NULL)
			CHECK_STR(buf, cases[i].text);
		cJSON_Delete(row);
	}
	CHECK_INT(odf_xmlid_format(NULL, buf, sizeof(buf)), -1);
}

UNIT_TEST(external_ids_get_the_module_load_gives_them)
{
	char *a = odf_xmlid_full("p1"), *b = odf_xmlid_full("base.main_partner");

	CHECK_STR(a, "__import__.p1");
	CHECK_STR(b, "base.main_partner");
	free(a);
	free(b);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	RUN(ids_are_read_by_name_among_the_models);
	RUN(ids_are_read_by_record_and_all_of_a_model_with_a_limit);
	RUN(an_answer_that_is_not_a_list_or_an_error_is_no_rows);
	RUN(over_json2_the_search_read_is_the_body);
	RUN(a_row_formats_as_module_dot_name);
	RUN(external_ids_get_the_module_load_gives_them);
	return unit_done();
}
