/*
 * The fuzz targets of tests/fuzz/ replayed without libFuzzer: every file of
 * tests/fuzz/corpus/<target>/ (the seeds) and tests/fuzz/regress/<target>/
 * (inputs that once crashed or broke a promise) goes through its target,
 * in this build (normal or ASan+UBSan), so that a fixed crash stays fixed
 * and the targets' own checks hold on every `make check`.
 *
 * Each target runs in a child process, so that a crash is reported as a
 * failing test naming the input, and the other targets still run.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#define ODF_FUZZ_REPLAY

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../fuzz/fuzz_cli.c"
#include "../fuzz/fuzz_conf.c"
#include "../fuzz/fuzz_domain.c"
#include "../fuzz/fuzz_export.c"
#include "../fuzz/fuzz_fields.c"
#include "../fuzz/fuzz_ndjson.c"
#include "../fuzz/fuzz_record.c"
#include "../fuzz/fuzz_rpc.c"
#include "../fuzz/fuzz_transform.c"

#define FUZZ_DIR "tests/fuzz/"

typedef int fuzz_fn(const uint8_t *, size_t);

static const struct target {
	const char *name;
	fuzz_fn *fn;
} targets[] = {
	{ "cli", fuzz_cli },
	{ "conf", fuzz_conf },
	{ "domain", fuzz_domain },
	{ "export", fuzz_export },
	{ "fields", fuzz_fields },
	{ "ndjson", fuzz_ndjson },
	{ "record", fuzz_record },
	{ "rpc", fuzz_rpc },
	{ "transform", fuzz_transform },
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

static int tests, failures;

static void __attribute__((format(printf, 2, 3)))
tap(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	failures += !ok;
}

static const struct target *
find_target(const char *name)
{
	for (size_t i = 0; i < NTARGETS; i++)
		if (strcmp(targets[i].name, name) == 0)
			return &targets[i];
	return NULL;
}

/* The whole file at path (malloc'd, *len set), or NULL. */
static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL &&
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf != NULL)
		*len = (size_t)n;
	fclose(f);
	return buf;
}

/*
 * In a child: run every regular file of dir (a missing dir has none)
 * through fn, writing each path to fd before it runs. Exits 0 when all
 * ran, 2 when a file cannot be read.
 */
static void __attribute__((noreturn))
replay_dir_child(const char *dir, fuzz_fn *fn, int fd)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		_exit(errno == ENOENT ? 0 : 2);
	while ((e = readdir(d)) != NULL) {
		char path[1024];
		struct stat st;
		uint8_t *data;
		size_t len = 0;

		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_name[0] == '.' || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		dprintf(fd, "%s\n", path);
		if ((data = slurp(path, &len)) == NULL)
			_exit(2);
		fn(data, len);
		free(data);
	}
	closedir(d);
	exit(0);        /* not _exit: LeakSanitizer checks at exit */
}

/* Replay dir through t in a child; the number of files, or -1 on a crash
 * (the input named in last). */
static long
replay_dir(const struct target *t, const char *dir, char *last, size_t size)
{
	char buf[4096];
	size_t have = 0;
	long files = 0;
	int fds[2], status;
	pid_t pid;
	ssize_t n;

	last[0] = '\0';
	fflush(stdout);
	if (pipe(fds) != 0 || (pid = fork()) < 0) {
		snprintf(last, size, "cannot fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		replay_dir_child(dir, t->fn, fds[1]);
	}
	close(fds[1]);
	/* Keep the last complete path the child announced. */
	while ((n = read(fds[0], buf + have, sizeof(buf) - 1 - have)) > 0 ||
	    (n < 0 && errno == EINTR)) {
		char *nl;

		if (n < 0)
			continue;
		have += (size_t)n;
		buf[have] = '\0';
		while ((nl = strchr(buf, '\n')) != NULL) {
			*nl = '\0';
			snprintf(last, size, "%s", buf);
			files++;
			have -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, have + 1);
		}
		if (have == sizeof(buf) - 1)
			have = 0;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return files;
	if (WIFSIGNALED(status))
		printf("# %s: killed by signal %d on %s\n", t->name, WTERMSIG(status), last);
	else
		printf("# %s: exited %d on %s\n", t->name, WEXITSTATUS(status), last);
	return -1;
}

static void
replay_target(const struct target *t)
{
	static const char *const kinds[] = { "corpus", "regress" };
	char dir[512], last[1024];

	for (size_t k = 0; k < 2; k++) {
		long n;

		snprintf(dir, sizeof(dir), FUZZ_DIR "%s/%s", kinds[k], t->name);
		n = replay_dir(t, dir, last, sizeof(last));
		if (k == 0 && n == 0)
			printf("# %s: no seeds in %s\n", t->name, dir);
		tap(k == 0 ? n > 0 : n >= 0, k == 0 ?
		    "target %s: every corpus seed runs clean (%ld inputs)" :
		    "target %s: every kept crash input runs clean (%ld inputs)", t->name, n);
	}
}

/* Names in dir that are not a target (a typo would leave inputs unrun). */
static void
check_dir_names(const char *kind)
{
	char dir[256];
	DIR *d;
	struct dirent *e;
	long strays = 0;

	snprintf(dir, sizeof(dir), FUZZ_DIR "%s", kind);
	if ((d = opendir(dir)) == NULL) {
		tap(errno == ENOENT, "%s/ holds no inputs yet", dir);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] != '.' && find_target(e->d_name) == NULL) {
			printf("# %s/%s: no fuzz target of that name\n", dir, e->d_name);
			strays++;
		}
	}
	closedir(d);
	tap(strays == 0, "every directory of %s/ is named for a fuzz target (%ld strays)",
	    kind, strays);
}

/* Every tests/fuzz/fuzz_NAME.c is replayed here. */
static void
check_all_targets_listed(void)
{
	DIR *d = opendir(FUZZ_DIR);
	struct dirent *e;
	long missing = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		char name[256];

		if (n < 8 || strncmp(e->d_name, "fuzz_", 5) != 0 ||
		    strcmp(e->d_name + n - 2, ".c") != 0)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(n - 7), e->d_name + 5);
		if (find_target(name) == NULL) {
			printf("# %s%s is not replayed by %s\n", FUZZ_DIR, e->d_name, __FILE__);
			missing++;
		}
	}
	if (d != NULL)
		closedir(d);
	tap(d != NULL && missing == 0, "every fuzz target is replayed (%ld missing)", missing);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	check_all_targets_listed();
	check_dir_names("corpus");
	check_dir_names("regress");
	for (size_t i = 0; i < NTARGETS; i++)
		replay_target(&targets[i]);
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
