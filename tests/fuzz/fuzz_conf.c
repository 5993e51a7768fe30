/*
 * connection.conf (lib/conf.c), which takes a path: the input is put in a
 * memfd and read through /proc/self/fd/N. A file either loads into a conf
 * that holds what conf.h promises (host, database, password, a port in
 * range...) or fails with ODF_E_CONFIG and a message naming the file; its
 * warnings are one line each and name the file too.
 */
#define _GNU_SOURCE             /* memfd_create */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "odf/conf.h"

struct conf_warnings {
	const char *path;
	int count;
};

static void
conf_warned(const char *message, void *arg)
{
	struct conf_warnings *w = arg;

	FUZZ_ASSERT(strncmp(message, w->path, strlen(w->path)) == 0);
	FUZZ_ASSERT(strchr(message, '\n') == NULL);
	w->count++;
}

FUZZ_TARGET(conf)(const uint8_t *data, size_t size)
{
	struct odf_conf conf;
	struct odf_error err;
	struct conf_warnings warnings = { NULL, 0 };
	char path[64], url[600];
	int fd = memfd_create("fuzz.conf", MFD_CLOEXEC);

	FUZZ_ASSERT(fd >= 0);
	FUZZ_ASSERT(size == 0 || write(fd, data, size) == (ssize_t)size);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	warnings.path = path;
	if (odf_conf_load(&conf, path, conf_warned, &warnings, &err) == 0) {
		FUZZ_ASSERT(strcmp(conf.path, path) == 0);
		FUZZ_ASSERT(conf.hostname != NULL && conf.hostname[0] != '\0');
		FUZZ_ASSERT(conf.database != NULL && conf.database[0] != '\0');
		FUZZ_ASSERT(conf.password != NULL && conf.password[0] != '\0');
		FUZZ_ASSERT(conf.protocol == ODF_PROTO_JSON2 ||
		    (conf.login != NULL && conf.login[0] != '\0'));
		FUZZ_ASSERT(conf.port >= 1 && conf.port <= 65535);
		FUZZ_ASSERT(conf.timeout > 0 && conf.retry_delay >= 0);
		FUZZ_ASSERT(conf.retries >= 0 && conf.retries <= 100 && conf.uid >= 0);
		odf_conf_base_url(&conf, url, sizeof(url));
		FUZZ_ASSERT(strncmp(url, "http", 4) == 0);
		odf_conf_free(&conf);
	} else {
		fuzz_check_error(&err);
		FUZZ_ASSERT(err.code == ODF_E_CONFIG || err.code == ODF_E_NOMEM);
		FUZZ_ASSERT(strncmp(err.message, path, strlen(path)) == 0);
		/* conf is freed and zeroed on failure; freeing again is harmless. */
		FUZZ_ASSERT(conf.path == NULL && conf.password == NULL);
	}
	close(fd);
	return 0;
}
