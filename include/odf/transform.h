/*
 * Records through a jq program: the engine behind odf-transform.
 *
 * One program is compiled once (libjq 1.6) and run on every record. A record
 * is one NDJSON line holding a JSON object; the program's outputs (zero, one
 * or many) must be objects too. A record either succeeds whole (all its
 * outputs are kept) or fails whole (none is kept, and the reason is reported
 * with the file and line, and written to a reject file when one is given).
 *
 * libjq 1.6 is not safe in threads (jqlang/jq#2545), so parallel runs use
 * forked worker processes, each with its copy of the compiled program; the
 * outputs are put back in input order.
 */
#ifndef ODF_TRANSFORM_H
#define ODF_TRANSFORM_H

#include <stddef.h>
#include <stdio.h>

#include "odf/buf.h"
#include "odf/error.h"

struct odf_transform;

/* A new engine with no program (identity) and no variables. NULL with err
 * (ODF_E_NOMEM) on failure. Free with odf_transform_free. */
struct odf_transform *odf_transform_new(struct odf_error *err);

/* Free the engine and its compiled program. Accepts NULL. */
void odf_transform_free(struct odf_transform *t);

/*
 * Before compiling: $name bound to the string value (--arg), or to the JSON
 * text parsed (--argjson; ODF_E_USAGE when it is not JSON). As in jq, the
 * first binding of a name wins. Both are also in $ARGS.named.
 */
int odf_transform_arg(struct odf_transform *t, const char *name, const char *value,
    struct odf_error *err);
int odf_transform_argjson(struct odf_transform *t, const char *name, const char *json,
    struct odf_error *err);

/*
 * Before compiling: append dir to the module search path (searched in the
 * order added). A relative dir is made absolute. The odf module's directory
 * is added by the caller like any other (see odf_transform_module_dir).
 */
int odf_transform_library_path(struct odf_transform *t, const char *dir,
    struct odf_error *err);

/*
 * The directory holding the odf jq module (odf.jq), for a program whose
 * executable is exe (NULL: /proc/self/exe). Looked for in this order, the
 * first that holds odf.jq winning:
 *   1. $ODF_JQ_LIBRARY_PATH (a ':'-separated list; when set, only these);
 *   2. <exe dir>/../../share/jq and <exe dir>/../../../share/jq (the source
 *      tree, for build/bin and build/asan/bin);
 *   3. <exe dir>/../share/odf/jq (an installed tree moved elsewhere);
 *   4. ODF_DATADIR/jq (where make install put it).
 * Writes the directory into buf and returns 0; -1 when none holds odf.jq.
 */
int odf_transform_module_dir(const char *exe, char *buf, size_t size);

/*
 * Compile program text (NULL: the identity, which only checks that each
 * record is a JSON object). name is used in messages ("program" when NULL);
 * origin is the directory relative imports are searched from (NULL: "."). On
 * failure: -1 with err ODF_E_USAGE holding jq's messages (with the position)
 * joined by newlines.
 */
int odf_transform_compile(struct odf_transform *t, const char *program,
    const char *name, const char *origin, struct odf_error *err);

/* Read the program from a file and compile it (ODF_E_NOINPUT when the file
 * cannot be read). */
int odf_transform_compile_file(struct odf_transform *t, const char *path,
    struct odf_error *err);

/*
 * What odf-transform does before it reads a record: put the odf module's
 * directory on the search path (when one is found), then compile the file
 * at path, or else the program text. 0, or -1 with err as above.
 */
int odf_transform_prepare(struct odf_transform *t, const char *program,
    const char *path, struct odf_error *err);

enum odf_transform_status {
	ODF_TRANSFORM_OK = 0,       /* outputs appended to out */
	ODF_TRANSFORM_REJECTED,     /* the record failed: err says why; out unchanged */
	ODF_TRANSFORM_HALTED        /* the program ran halt or halt_error */
};

/*
 * Run the program on one line (len bytes, need not be NUL-terminated).
 * Each output is appended to out as compact JSON and a newline. REJECTED
 * with err (ODF_E_DATA; a message without file or line) when the line is not
 * a JSON object, the program raises an error, or an output is not an object.
 * HALTED: outputs before the halt are in out; the engine is spent (the jq
 * state must not be reused after a halt in 1.6), see odf_transform_halt.
 * -1 with err for out of memory.
 */
int odf_transform_record(struct odf_transform *t, const char *line, size_t len,
    struct odf_buf *out, struct odf_error *err);

/*
 * After HALTED: the exit status the program asked for (halt: 0, halt_error:
 * 5 unless given) and its message (NULL when none), which the caller frees.
 */
void odf_transform_halt(const struct odf_transform *t, int *status, char **message);

/*
 * Append a reject line: the input record with "_odf_error": {"message",
 * "file", "line"} added, or, when the line is not a JSON object,
 * {"_odf_error": {...}, "_odf_input": "<the line as a string>"} (the input
 * is left out when line is NULL, e.g. for a line too long to hold).
 */
int odf_transform_reject_line(const char *line, size_t len, const char *file,
    long lineno, const char *message, struct odf_buf *out, struct odf_error *err);

/* How a run is carried out and where its results go. */
struct odf_transform_run_opts {
	int workers;            /* 1: in this process; more: forked processes */
	int fail_fast;          /* stop at the first failed record */
	int out_fd;             /* the records produced */
	FILE *reject;           /* failed records, or NULL */
	const char *reject_name;        /* its name, for messages */
	/* Called once for each failed record, in input order. */
	void (*on_reject)(void *ctx, const char *file, long lineno, const char *message);
	void *ctx;
};

struct odf_transform_stats {
	long records;           /* input records read */
	long outputs;           /* records written */
	long failed;            /* input records that failed */
	int halted;             /* the program halted: halt_status, halt_message */
	int halt_status;
	char *halt_message;     /* NULL or malloc'd: free it */
	int output_closed;      /* the reader of out_fd went away (EPIPE) */
	int stopped;            /* --fail-fast stopped the run */
};

/*
 * Whether every input (paths; "-" is standard input) can be opened, as
 * odf_transform_run checks first: 0, or -1 with err (ODF_E_NOINPUT naming
 * the file). For a caller that must know before it creates anything.
 */
int odf_transform_check_inputs(char *const *inputs, int ninputs, struct odf_error *err);

/*
 * Run the compiled program over every line of the inputs (paths; "-" is
 * standard input) in order. Failed records are reported through on_reject
 * and written to reject; the run goes on unless fail_fast. Returns 0 when
 * the run went to its end or stopped as asked (halt, fail_fast, a closed
 * output: see stats), -1 with err for what ends a run early: an input that
 * cannot be opened or read (ODF_E_NOINPUT, ODF_E_IO), a write error
 * (ODF_E_IO), a worker that died (ODF_E_SOFTWARE). stats is filled in both
 * cases; free stats->halt_message.
 */
int odf_transform_run(struct odf_transform *t, char *const *inputs, int ninputs,
    const struct odf_transform_run_opts *o, struct odf_transform_stats *stats,
    struct odf_error *err);

#endif
