/* The wire format between odf-import's parent and its workers
 * (include/odf/load_worker.h): what the parent reads of an answer. */
#include <stdlib.h>
#include <string.h>

#include "odf/load_worker.h"
#include "fixtures.h"
#include "unit.h"

UNIT_TEST(answer_lines_read_as_outcomes)
{
	static const struct {
		const char *line;
		enum odf_load_outcome outcome;
		int unknown;
		const char *message, *field, *exception;
	} t[] = {
		{ "{'outcome':'created'}", ODF_LOAD_CREATED, 0, NULL, NULL, NULL },
		{ "{'outcome':'updated'}", ODF_LOAD_UPDATED, 0, NULL, NULL, NULL },
		{ "{'outcome':'landed'}", ODF_LOAD_LANDED, 0, NULL, NULL, NULL },
		{ "{'outcome':'failed','message':'bad','field':'type','exception':'E',"
		  "'unknown':true}", ODF_LOAD_FAILED, 1, "bad", "type", "E" },
		{ "{'outcome':'pending'}", ODF_LOAD_FAILED, 0, NULL, NULL, NULL },
		{ "{'outcome':'bogus'}", ODF_LOAD_FAILED, 0, NULL, NULL, NULL },
		{ "{}", ODF_LOAD_FAILED, 0, NULL, NULL, NULL },
	};
	struct odf_load_result r;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cJSON *line = J(t[i].line);

		odf_load_answer_read(line, &r);
		CHECK_INT(r.outcome, t[i].outcome);
		CHECK_INT(r.unknown, t[i].unknown);
		CHECK_STR(r.message, t[i].message);
		CHECK_STR(r.field, t[i].field);
		CHECK_STR(r.exception, t[i].exception);
		cJSON_Delete(line);
	}
	odf_load_answer_read(NULL, &r);         /* a line that was not JSON */
	CHECK_INT(r.outcome, ODF_LOAD_FAILED);
	CHECK(r.message == NULL);
}

UNIT_TEST(headers_of_jobs_and_answers)
{
	cJSON *h = J("{'calls': 3}");

	CHECK_STR(odf_load_job_header(1), "{\"precheck\":true}\n");
	CHECK_STR(odf_load_job_header(0), "{}\n");
	CHECK_INT(odf_load_answer_calls(h), 3);
	CHECK_INT(odf_load_answer_calls(NULL), 0);
	cJSON_Delete(h);
}

int
main(void)
{
	RUN(answer_lines_read_as_outcomes);
	RUN(headers_of_jobs_and_answers);
	return unit_done();
}
