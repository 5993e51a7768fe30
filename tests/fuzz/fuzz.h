/*
 * What every fuzz target shares. A target is written once as
 *
 *   FUZZ_TARGET(name)(const uint8_t *data, size_t size) { ...; return 0; }
 *
 * and built two ways: with clang -fsanitize=fuzzer it is the libFuzzer
 * entry LLVMFuzzerTestOneInput (tests/fuzz/run); with ODF_FUZZ_REPLAY
 * defined it is only the static function fuzz_name, so that
 * tests/unit/test_fuzz_regress.c can include every target in one program
 * and replay the corpora and crash inputs kept in the tree under gcc.
 *
 * Targets run from the repository root (fixtures are read from
 * tests/unit/data/). They check what the library promises, not only that
 * it does not crash: a broken promise is FUZZ_ASSERT, which aborts so that
 * libFuzzer keeps the input.
 */
#ifndef ODF_FUZZ_H
#define ODF_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/error.h"

#ifdef ODF_FUZZ_REPLAY
#define FUZZ_TARGET(name) static int fuzz_##name
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#define FUZZ_TARGET(name) \
	static int fuzz_##name(const uint8_t *, size_t); \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) \
	{ return fuzz_##name(data, size); } \
	static int fuzz_##name
#endif

#define FUZZ_ASSERT(cond) do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: fuzz assertion failed: %s\n", __FILE__, __LINE__, #cond); \
	abort(); } } while (0)

/* data as a NUL-terminated string (a NUL inside ends it early); the caller
 * frees it. NULL when out of memory. */
static inline char *
fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s != NULL) {
		if (size > 0)
			memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

/* An error a function returned: a code and a message, NUL-terminated. */
static inline void
fuzz_check_error_text(const struct odf_error *err)
{
	FUZZ_ASSERT(err->code != ODF_OK);
	FUZZ_ASSERT(err->message[0] != '\0');
	FUZZ_ASSERT(memchr(err->message, '\0', sizeof(err->message)) != NULL);
}

/* The same, on one line (error.h), as a message quoting data must be. */
static inline void
fuzz_check_error(const struct odf_error *err)
{
	fuzz_check_error_text(err);
	FUZZ_ASSERT(strchr(err->message, '\n') == NULL);
}

/*
 * Allocations between these two are not reported as leaks: for a library
 * bug that is not odf's (libjq 1.6 leaks in its parser on some invalid
 * JSON, fixed in 1.7). Nothing without AddressSanitizer.
 */
#if defined(__SANITIZE_ADDRESS__)
#define FUZZ_HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_HAVE_LSAN 1
#endif
#endif
#ifdef FUZZ_HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#define fuzz_leaks_ignore() __lsan_disable()
#define fuzz_leaks_watch() __lsan_enable()
#else
#define fuzz_leaks_ignore() ((void)0)
#define fuzz_leaks_watch() ((void)0)
#endif

#endif
