/* The JSON state file of odf migrate --state: read, and replaced atomically. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "odf/cli.h"
#include "odf/state.h"

#define MAX_STATE ((size_t)16 << 20)

const char *
odf_state_source(const struct odf_conf *conf, char *buf, size_t size)
{
	char base[512];

	snprintf(buf, size, "%s/%s", odf_conf_base_url(conf, base, sizeof(base)),
	    conf->database != NULL ? conf->database : "");
	return buf;
}

/* The file's tree: 1 with *tree, 0 when there is no file, -1 with err. */
static int
load(const char *path, cJSON **tree, struct odf_error *err)
{
	const cJSON *version, *sources;
	char *text;
	size_t len;

	*tree = NULL;
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 0;
	if ((text = odf_read_file(path, MAX_STATE, &len, err)) == NULL)
		return -1;
	*tree = cJSON_ParseWithLength(text, len);
	free(text);
	version = cJSON_GetObjectItemCaseSensitive(*tree, "odf_state");
	sources = cJSON_GetObjectItemCaseSensitive(*tree, "sources");
	if (!cJSON_IsObject(*tree) || !cJSON_IsNumber(version) ||
	    (sources != NULL && !cJSON_IsObject(sources))) {
		cJSON_Delete(*tree);
		*tree = NULL;
		return odf_error_set(err, ODF_E_DATA, "%s: not an odf state file "
		    "(a JSON object with \"odf_state\": 1)", path);
	}
	if (version->valuedouble != 1) {
		double v = version->valuedouble;

		cJSON_Delete(*tree);
		*tree = NULL;
		return odf_error_set(err, ODF_E_DATA, "%s: state file version %g: this odf "
		    "reads version 1", path, v);
	}
	return 1;
}

static void
copy_string(char *dst, size_t size, const cJSON *v)
{
	snprintf(dst, size, "%s", cJSON_IsString(v) ? v->valuestring : "");
}

int
odf_state_get(const char *path, const char *source, const char *model,
    struct odf_bookmark *b, struct odf_error *err)
{
	const cJSON *entry;
	cJSON *tree;
	long long t;
	int r;

	memset(b, 0, sizeof(*b));
	if ((r = load(path, &tree, err)) <= 0)
		return r;
	entry = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(tree, "sources"), source), model);
	if (entry == NULL) {
		cJSON_Delete(tree);
		return 0;
	}
	copy_string(b->since, sizeof(b->since), cJSON_GetObjectItemCaseSensitive(entry, "since"));
	copy_string(b->started, sizeof(b->started),
	    cJSON_GetObjectItemCaseSensitive(entry, "started"));
	copy_string(b->completed, sizeof(b->completed),
	    cJSON_GetObjectItemCaseSensitive(entry, "completed"));
	if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(entry, "records")))
		b->records = (long long)cJSON_GetObjectItemCaseSensitive(entry, "records")->valuedouble;
	cJSON_Delete(tree);
	if (odf_timestamp_parse("since", b->since, &t, err) != 0) {
		err->code = ODF_E_DATA;
		odf_error_prefix(err, "%s: %s: %s", path, source, model);
		return -1;
	}
	return 1;
}

/* Write text to path through a synced temporary file and a rename. */
static int
replace_file(const char *path, const char *text, struct odf_error *err)
{
	size_t len = strlen(text), plen = strlen(path);
	char *tmp = malloc(plen + 16), *dir;
	int fd, dfd;

	if (tmp == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		odf_error_set(err, ODF_E_IO, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
	    fsync(fd) != 0) {
		odf_error_set(err, ODF_E_IO, "%s: %s", tmp, strerror(errno != 0 ? errno : EIO));
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		odf_error_set(err, ODF_E_IO, "%s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	/* The rename itself reaches the disk with the directory. */
	memcpy(tmp, path, plen + 1);
	dir = dirname(tmp);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	free(tmp);
	return 0;
}

static cJSON *
object_in(cJSON *parent, const char *key)
{
	cJSON *o = cJSON_GetObjectItemCaseSensitive(parent, key);

	if (cJSON_IsObject(o))
		return o;
	cJSON_DeleteItemFromObjectCaseSensitive(parent, key);
	o = cJSON_CreateObject();
	if (o != NULL && !cJSON_AddItemToObject(parent, key, o)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int
set_string(cJSON *o, const char *key, const char *value)
{
	cJSON_DeleteItemFromObjectCaseSensitive(o, key);
	return cJSON_AddStringToObject(o, key, value) != NULL;
}

int
odf_state_put(const char *path, const char *source, const char *model,
    const struct odf_bookmark *b, struct odf_error *err)
{
	size_t plen = strlen(path);
	char *lockpath = malloc(plen + 6), *text = NULL;
	cJSON *tree = NULL, *entry;
	int lock = -1, rc = -1;

	if (lockpath == NULL)
		return odf_error_set(err, ODF_E_NOMEM, "out of memory");
	snprintf(lockpath, plen + 6, "%s.lock", path);
	if ((lock = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0 ||
	    flock(lock, LOCK_EX) != 0) {
		odf_error_set(err, ODF_E_IO, "%s: %s", lockpath, strerror(errno));
		goto done;
	}
	/* Read again under the lock: another model's run may have written. */
	if (load(path, &tree, err) < 0)
		goto done;
	if (tree == NULL && (tree = cJSON_CreateObject()) == NULL)
		goto nomem;
	if (!cJSON_HasObjectItem(tree, "odf_state") &&
	    cJSON_AddNumberToObject(tree, "odf_state", 1) == NULL)
		goto nomem;
	if ((entry = object_in(tree, "sources")) == NULL ||
	    (entry = object_in(entry, source)) == NULL ||
	    (entry = object_in(entry, model)) == NULL ||
	    !set_string(entry, "since", b->since) ||
	    !set_string(entry, "started", b->started) ||
	    !set_string(entry, "completed", b->completed))
		goto nomem;
	cJSON_DeleteItemFromObjectCaseSensitive(entry, "records");
	if (cJSON_AddNumberToObject(entry, "records", (double)b->records) == NULL ||
	    (text = cJSON_Print(tree)) == NULL)
		goto nomem;
	rc = replace_file(path, text, err);
	goto done;
nomem:
	odf_error_set(err, ODF_E_NOMEM, "out of memory");
done:
	if (lock >= 0)
		close(lock);    /* and the lock with it */
	free(text);
	cJSON_Delete(tree);
	free(lockpath);
	return rc;
}
