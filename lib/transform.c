/* The libjq engine: compile once, run on each record, build reject lines. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jq.h>
#include <jv.h>

#include "odf/transform.h"

#ifndef ODF_DATADIR
#define ODF_DATADIR "/usr/local/share/odf"
#endif

struct odf_transform {
	jq_state *jq;           /* NULL: the identity */
	jv named;               /* --arg/--argjson bindings */
	jv libdirs;             /* module search path */
	jv messages;            /* jq's compile messages, an array of strings */
	int halted;
	int halt_status;
	jv halt_message;        /* a string, or null */
};

/* Collect compile messages instead of printing them. */
static void
collect_message(void *data, jv msg)
{
	struct odf_transform *t = data;

	msg = jq_format_error(msg);
	t->messages = jv_array_append(t->messages, msg);
}

static void
debug_message(void *data, jv value)
{
	(void)data;
	jv_dumpf(JV_ARRAY(jv_string("DEBUG:"), value), stderr, 0);
	fputc('\n', stderr);
}

struct odf_transform *
odf_transform_new(struct odf_error *err)
{
	struct odf_transform *t = calloc(1, sizeof(*t));

	if (t == NULL) {
		odf_error_set(err, ODF_E_NOMEM, "out of memory");
		return NULL;
	}
	t->named = jv_object();
	t->libdirs = jv_array();
	t->messages = jv_array();
	t->halt_message = jv_null();
	return t;
}

void
odf_transform_free(struct odf_transform *t)
{
	if (t == NULL)
		return;
	if (t->jq != NULL)
		jq_teardown(&t->jq);
	jv_free(t->named);
	jv_free(t->libdirs);
	jv_free(t->messages);
	jv_free(t->halt_message);
	free(t);
}

static int
bind(struct odf_transform *t, const char *name, jv value)
{
	if (jv_object_has(jv_copy(t->named), jv_string(name)))
		jv_free(value);
	else
		t->named = jv_object_set(t->named, jv_string(name), value);
	return 0;
}

int
odf_transform_arg(struct odf_transform *t, const char *name, const char *value,
    struct odf_error *err)
{
	(void)err;
	return bind(t, name, jv_string(value));
}

int
odf_transform_argjson(struct odf_transform *t, const char *name, const char *json,
    struct odf_error *err)
{
	jv v = jv_parse(json);

	if (!jv_is_valid(v)) {
		jv msg = jv_invalid_get_msg(v);

		odf_error_set(err, ODF_E_USAGE, "--argjson %s: not JSON: %s", name,
		    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "?");
		jv_free(msg);
		return -1;
	}
	return bind(t, name, v);
}

int
odf_transform_library_path(struct odf_transform *t, const char *dir,
    struct odf_error *err)
{
	char *abs = realpath(dir, NULL);

	(void)err;
	/* A directory that does not exist is no error for jq either. */
	t->libdirs = jv_array_append(t->libdirs, jv_string(abs != NULL ? abs : dir));
	free(abs);
	return 0;
}

/* dir (a copy of path cut at its last '/'), or "." */
static void
dir_of(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(buf, size, ".");
	else if (slash == path)
		snprintf(buf, size, "/");
	else
		snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

static int
holds_module(const char *dir)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/odf.jq", dir) >= sizeof(path))
		return 0;
	return access(path, R_OK) == 0;
}

int
odf_transform_module_dir(const char *exe, char *buf, size_t size)
{
	static const char *const relative[] = {
		"../../share/jq", "../../../share/jq", "../share/odf/jq",
	};
	const char *env = getenv("ODF_JQ_LIBRARY_PATH");
	char self[PATH_MAX], dir[PATH_MAX], candidate[PATH_MAX];
	ssize_t n;

	if (env != NULL && env[0] != '\0') {
		const char *p = env;

		while (*p != '\0') {
			size_t len = strcspn(p, ":");

			if (len > 0 && len < size) {
				snprintf(buf, size, "%.*s", (int)len, p);
				if (holds_module(buf))
					return 0;
			}
			p += len + (p[len] == ':');
		}
		return -1;
	}
	if (exe == NULL) {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n > 0) {
			self[n] = '\0';
			exe = self;
		}
	}
	if (exe != NULL) {
		dir_of(exe, dir, sizeof(dir));
		for (size_t i = 0; i < sizeof(relative) / sizeof(relative[0]); i++) {
			if ((size_t)snprintf(candidate, sizeof(candidate), "%s/%s", dir,
			    relative[i]) >= sizeof(candidate) || !holds_module(candidate))
				continue;
			if (realpath(candidate, self) != NULL)
				snprintf(buf, size, "%s", self);
			else
				snprintf(buf, size, "%s", candidate);
			return 0;
		}
	}
	if (holds_module(ODF_DATADIR "/jq")) {
		snprintf(buf, size, "%s", ODF_DATADIR "/jq");
		return 0;
	}
	return -1;
}

/* jq's messages, "jq: error: " left out, one a line, after "name: ". */
static void
compile_error(struct odf_transform *t, const char *name, struct odf_error *err)
{
	char text[sizeof(err->message)];
	size_t used = 0;
	int n = jv_array_length(jv_copy(t->messages));

	text[0] = '\0';
	for (int i = 0; i < n; i++) {
		jv m = jv_array_get(jv_copy(t->messages), i);
		const char *s = jv_get_kind(m) == JV_KIND_STRING ? jv_string_value(m) : "?";
		size_t len;
		int w;

		if (strncmp(s, "jq: error: ", 11) == 0)
			s += 11;
		else if (strncmp(s, "jq: ", 4) == 0)
			s += 4;
		len = strlen(s);
		while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == ' '))
			len--;
		w = snprintf(text + used, sizeof(text) - used, "%s%.*s", i ? "\n" : "",
		    (int)len, s);
		jv_free(m);
		if (w < 0 || (size_t)w >= sizeof(text) - used)
			break;
		used += (size_t)w;
	}
	odf_error_set(err, ODF_E_USAGE, "%s: %s", name, n > 0 ? text : "does not compile");
}

int
odf_transform_compile(struct odf_transform *t, const char *program,
    const char *name, const char *origin, struct odf_error *err)
{
	jv args;

	if (program == NULL)
		return 0;
	if (t->jq != NULL)
		jq_teardown(&t->jq);
	t->jq = jq_init();
	if (t->jq == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory starting jq");
	jq_set_error_cb(t->jq, collect_message, t);
	jq_set_debug_cb(t->jq, debug_message, NULL);
	/* Without a library path, import aborts in 1.6 (jqlang/jq#1455). */
	jq_set_attr(t->jq, jv_string("JQ_LIBRARY_PATH"), jv_copy(t->libdirs));
	jq_set_attr(t->jq, jv_string("JQ_ORIGIN"), jv_string("."));
	jq_set_attr(t->jq, jv_string("PROGRAM_ORIGIN"),
	    jv_string(origin != NULL ? origin : "."));
	args = jv_object_set(jv_copy(t->named), jv_string("ARGS"),
	    JV_OBJECT(jv_string("positional"), jv_array(),
	    jv_string("named"), jv_copy(t->named)));
	if (!jq_compile_args(t->jq, program, args)) {
		compile_error(t, name != NULL ? name : "program", err);
		jq_teardown(&t->jq);
		return -1;
	}
	return 0;
}

int
odf_transform_compile_file(struct odf_transform *t, const char *path,
    struct odf_error *err)
{
	char origin[PATH_MAX], *abs;
	jv text = jv_load_file(path, 1);
	int rc;

	if (!jv_is_valid(text)) {
		jv msg = jv_invalid_get_msg(text);

		odf_error_set(err, ODF_E_NOINPUT, "%s: cannot read the program: %s", path,
		    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "?");
		jv_free(msg);
		return -1;
	}
	dir_of(path, origin, sizeof(origin));
	abs = realpath(origin, NULL);
	rc = odf_transform_compile(t, jv_string_value(text), path,
	    abs != NULL ? abs : origin, err);
	free(abs);
	jv_free(text);
	return rc;
}

int
odf_transform_prepare(struct odf_transform *t, const char *program, const char *path,
    struct odf_error *err)
{
	char dir[PATH_MAX];

	if (odf_transform_module_dir(NULL, dir, sizeof(dir)) == 0 &&
	    odf_transform_library_path(t, dir, err) < 0)
		return -1;
	if (path != NULL)
		return odf_transform_compile_file(t, path, err);
	return odf_transform_compile(t, program, NULL, NULL, err);
}

/* A short description of a value for messages: its kind and its start. */
static void
describe(jv v, char *buf, size_t size)
{
	char text[64];

	jv_dump_string_trunc(jv_copy(v), text, sizeof(text));
	snprintf(buf, size, "%s (%s)", jv_kind_name(jv_get_kind(v)), text);
}

/* Parse a line that must hold one JSON object; REJECTED with err if not. */
static int
parse_record(const char *line, size_t len, jv *value, struct odf_error *err)
{
	char what[128];
	jv v;

	if (len > INT_MAX) {
		odf_error_set(err, ODF_E_DATA, "line too long for jq");
		return ODF_TRANSFORM_REJECTED;
	}
	v = jv_parse_sized(line, (int)len);
	if (!jv_is_valid(v)) {
		jv msg = jv_invalid_get_msg(v);
		const char *s = jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "?";
		/* 1.6 quotes the whole line after the message: the line is in
		 * the reject file already. */
		const char *quote = strstr(s, " (while parsing '");

		odf_error_set(err, ODF_E_DATA, "not JSON: %.*s",
		    quote != NULL ? (int)(quote - s) : (int)strlen(s), s);
		jv_free(msg);
		return ODF_TRANSFORM_REJECTED;
	}
	if (jv_get_kind(v) != JV_KIND_OBJECT) {
		describe(v, what, sizeof(what));
		odf_error_set(err, ODF_E_DATA, "not a JSON object: %s", what);
		jv_free(v);
		return ODF_TRANSFORM_REJECTED;
	}
	*value = v;
	return ODF_TRANSFORM_OK;
}

static int
halt(struct odf_transform *t)
{
	jv code = jq_get_exit_code(t->jq);
	jv msg = jq_get_error_message(t->jq);

	t->halted = 1;
	if (!jv_is_valid(code))
		t->halt_status = 0;
	else if (jv_get_kind(code) == JV_KIND_NUMBER)
		t->halt_status = (int)jv_number_value(code);
	else
		t->halt_status = 5;
	jv_free(code);
	jv_free(t->halt_message);
	if (jv_get_kind(msg) == JV_KIND_STRING || jv_get_kind(msg) == JV_KIND_NULL)
		t->halt_message = msg;
	else if (jv_is_valid(msg))
		t->halt_message = jv_string_concat(jv_dump_string(msg, 0), jv_string("\n"));
	else
		t->halt_message = jv_null();
	return ODF_TRANSFORM_HALTED;
}

/*
 * Compact JSON exactly as jq 1.6 prints it with -c (jv_dump_term): keys in
 * the object's own order, strings with only '"', '\\' and control
 * characters escaped. Written straight into the buffer: jv_dumpf costs a
 * stdio call for each character of a string.
 */
#define DUMP_MAX_DEPTH 200      /* jq cuts at 256: leave deep values to it */

struct dump {
	char *p, *end;          /* free room in out */
	struct odf_buf *out;
};

static int
dump_room(struct dump *d, size_t n)
{
	struct odf_buf *o = d->out;

	if ((size_t)(d->end - d->p) >= n)
		return 0;
	o->len = (size_t)(d->p - o->data);
	if (odf_buf_grow(o, n, NULL) < 0)
		return -1;
	d->p = o->data + o->len;
	d->end = o->data + o->cap - 1;  /* room for the NUL */
	return 0;
}

static int
dump_bytes(struct dump *d, const char *s, size_t n)
{
	if (dump_room(d, n) < 0)
		return -1;
	memcpy(d->p, s, n);
	d->p += n;
	return 0;
}

static int
dump_string(struct dump *d, jv s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *c = (const unsigned char *)jv_string_value(s);
	const unsigned char *e = c + jv_string_length_bytes(jv_copy(s));

	if (dump_bytes(d, "\"", 1) < 0)
		return -1;
	while (c < e) {
		/* A piece at a time: at worst six bytes for one (\u00XX). */
		const unsigned char *piece = c + ((size_t)(e - c) < 4096 ? (size_t)(e - c) : 4096);

		if (dump_room(d, (size_t)(piece - c) * 6 + 1) < 0)
			return -1;
		for (; c < piece; c++) {
			if (*c >= 0x20 && *c != '"' && *c != '\\' && *c != 0x7f) {
				*d->p++ = (char)*c;
				continue;
			}
			*d->p++ = '\\';
			switch (*c) {
			case '"': *d->p++ = '"'; break;
			case '\\': *d->p++ = '\\'; break;
			case '\b': *d->p++ = 'b'; break;
			case '\t': *d->p++ = 't'; break;
			case '\r': *d->p++ = 'r'; break;
			case '\n': *d->p++ = 'n'; break;
			case '\f': *d->p++ = 'f'; break;
			default:
				memcpy(d->p, "u00", 3);
				d->p[3] = hex[*c >> 4];
				d->p[4] = hex[*c & 15];
				d->p += 5;
			}
		}
	}
	return dump_bytes(d, "\"", 1);
}

static int
dump_number(struct dump *d, jv v)
{
	double x = jv_number_value(v);
	char buf[32];
	int rc;

	/* Whole numbers below 1e16 print in full in jq; the rest (fractions,
	 * exponents, -0) as jq's own dtoa says. */
	if (x > -1e16 && x < 1e16 && x == (double)(long long)x && (x != 0 || !signbit(x))) {
		int n = snprintf(buf, sizeof(buf), "%lld", (long long)x);

		return dump_bytes(d, buf, (size_t)n);
	}
	v = jv_dump_string(jv_copy(v), 0);
	rc = dump_bytes(d, jv_string_value(v), strlen(jv_string_value(v)));
	jv_free(v);
	return rc;
}

/* v is borrowed. */
static int
dump_term(struct dump *d, jv v, int depth)
{
	int rc = 0, first = 1;

	if (depth > DUMP_MAX_DEPTH)
		return 1;
	switch (jv_get_kind(v)) {
	case JV_KIND_NULL: return dump_bytes(d, "null", 4);
	case JV_KIND_FALSE: return dump_bytes(d, "false", 5);
	case JV_KIND_TRUE: return dump_bytes(d, "true", 4);
	case JV_KIND_NUMBER: return dump_number(d, v);
	case JV_KIND_STRING: return dump_string(d, v);
	case JV_KIND_ARRAY:
		if (dump_bytes(d, "[", 1) < 0)
			return -1;
		for (int i = 0, n = jv_array_length(jv_copy(v)); i < n && rc == 0; i++) {
			jv e = jv_array_get(jv_copy(v), i);

			if (i > 0)
				rc = dump_bytes(d, ",", 1);
			if (rc == 0)
				rc = dump_term(d, e, depth + 1);
			jv_free(e);
		}
		return rc != 0 ? rc : dump_bytes(d, "]", 1);
	case JV_KIND_OBJECT:
		if (dump_bytes(d, "{", 1) < 0)
			return -1;
		for (int i = jv_object_iter(v); rc == 0 && jv_object_iter_valid(v, i);
		    i = jv_object_iter_next(v, i)) {
			jv key = jv_object_iter_key(v, i);
			jv val = jv_object_iter_value(v, i);

			if (!first)
				rc = dump_bytes(d, ",", 1);
			first = 0;
			if (rc == 0)
				rc = dump_string(d, key);
			if (rc == 0)
				rc = dump_bytes(d, ":", 1);
			if (rc == 0)
				rc = dump_term(d, val, depth + 1);
			jv_free(key);
			jv_free(val);
		}
		return rc != 0 ? rc : dump_bytes(d, "}", 1);
	default:
		return 1;
	}
}

/* Append v (consumed) as one compact line. */
static int
append_value(struct odf_buf *out, jv v, struct odf_error *err)
{
	size_t mark = out->len;
	struct dump d = { NULL, NULL, out };
	int rc;

	/* Printed straight into the buffer's free room, NUL put back after. */
	if (out->data != NULL) {
		d.p = out->data + out->len;
		d.end = out->data + out->cap - 1;
	}
	rc = dump_term(&d, v, 0);
	if (rc == 0)
		rc = dump_bytes(&d, "\n", 1);
	if (rc == 0) {
		out->len = (size_t)(d.p - out->data);
		out->data[out->len] = '\0';
		jv_free(v);
		return 0;
	}
	if (out->data != NULL) {
		out->len = mark;
		out->data[mark] = '\0';
	}
	if (rc < 0) {
		jv_free(v);
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	}
	/* Too deep for us: jq's own printer decides. */
	v = jv_dump_string(v, 0);
	rc = odf_buf_add(out, jv_string_value(v), strlen(jv_string_value(v)), err);
	jv_free(v);
	return rc < 0 ? -1 : odf_buf_add(out, "\n", 1, err);
}

int
odf_transform_record(struct odf_transform *t, const char *line, size_t len,
    struct odf_buf *out, struct odf_error *err)
{
	size_t mark = out->len;
	int rc, n = 0;
	jv in, v;

	if (t->halted)
		return odf_error_set(err, ODF_E_SOFTWARE, "the program has halted");
	rc = parse_record(line, len, &in, err);
	if (rc != ODF_TRANSFORM_OK)
		return rc;
	if (t->jq == NULL)
		return append_value(out, in, err);
	jq_start(t->jq, in, 0);
	while (jv_is_valid(v = jq_next(t->jq))) {
		char what[128];

		n++;
		if (jv_get_kind(v) != JV_KIND_OBJECT) {
			describe(v, what, sizeof(what));
			jv_free(v);
			odf_error_set(err, ODF_E_DATA, "program output %d is not an object: %s",
			    n, what);
			out->len = mark;
			return ODF_TRANSFORM_REJECTED;
		}
		if (append_value(out, v, err) < 0) {
			out->len = mark;
			return -1;
		}
	}
	if (jq_halted(t->jq)) {
		jv_free(v);
		return halt(t);
	}
	if (jv_invalid_has_msg(jv_copy(v))) {
		jv msg = jv_invalid_get_msg(v);

		if (jv_get_kind(msg) != JV_KIND_STRING)
			msg = jv_dump_string(msg, 0);
		odf_error_set(err, ODF_E_DATA, "program error: %s", jv_string_value(msg));
		jv_free(msg);
		out->len = mark;
		return ODF_TRANSFORM_REJECTED;
	}
	jv_free(v);
	return ODF_TRANSFORM_OK;
}

void
odf_transform_halt(const struct odf_transform *t, int *status, char **message)
{
	*status = t->halt_status;
	*message = NULL;
	if (jv_get_kind(t->halt_message) == JV_KIND_STRING)
		*message = strdup(jv_string_value(t->halt_message));
}

int
odf_transform_reject_line(const char *line, size_t len, const char *file,
    long lineno, const char *message, struct odf_buf *out, struct odf_error *err)
{
	jv error = JV_OBJECT(jv_string("message"), jv_string(message),
	    jv_string("file"), jv_string(file), jv_string("line"), jv_number((double)lineno));
	jv rec = jv_invalid();

	if (line != NULL && len <= INT_MAX)
		rec = jv_parse_sized(line, (int)len);
	if (jv_get_kind(rec) == JV_KIND_OBJECT) {
		rec = jv_object_set(rec, jv_string("_odf_error"), error);
	} else {
		jv_free(rec);
		rec = JV_OBJECT(jv_string("_odf_error"), error);
		if (line != NULL)
			rec = jv_object_set(rec, jv_string("_odf_input"),
			    jv_string_sized(line, len > INT_MAX ? INT_MAX : (int)len));
	}
	return append_value(out, rec, err);
}
