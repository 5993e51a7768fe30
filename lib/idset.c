/* A set of record ids as a bitmap. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "odf/idset.h"

struct odf_idset {
	uint64_t *words;
	size_t nwords;
	long count;
};

struct odf_idset *
odf_idset_new(void)
{
	return calloc(1, sizeof(struct odf_idset));
}

void
odf_idset_free(struct odf_idset *set)
{
	if (set == NULL)
		return;
	free(set->words);
	free(set);
}

int
odf_idset_add(struct odf_idset *set, long id)
{
	size_t w, n;
	uint64_t bit, *words;

	if (id < 1 || id > ODF_IDSET_MAX_ID)
		return -1;
	w = (size_t)id / 64;
	bit = (uint64_t)1 << ((size_t)id % 64);
	if (w >= set->nwords) {
		/* Grow by half again at least, so that rising ids cost little. */
		n = set->nwords + set->nwords / 2;
		if (n <= w)
			n = w + 1;
		if (n < 16)
			n = 16;
		if ((words = realloc(set->words, n * sizeof(*words))) == NULL)
			return -1;
		memset(words + set->nwords, 0, (n - set->nwords) * sizeof(*words));
		set->words = words;
		set->nwords = n;
	}
	if (set->words[w] & bit)
		return 0;
	set->words[w] |= bit;
	set->count++;
	return 1;
}

int
odf_idset_has(const struct odf_idset *set, long id)
{
	size_t w;

	if (set == NULL || id < 1 || id > ODF_IDSET_MAX_ID)
		return 0;
	w = (size_t)id / 64;
	return w < set->nwords && (set->words[w] >> ((size_t)id % 64) & 1) != 0;
}

long
odf_idset_count(const struct odf_idset *set)
{
	return set == NULL ? 0 : set->count;
}

long
odf_idset_next(const struct odf_idset *set, long after)
{
	size_t w, b;
	uint64_t word;

	if (set == NULL || after < 0 || after >= ODF_IDSET_MAX_ID)
		return 0;
	w = (size_t)(after + 1) / 64;
	b = (size_t)(after + 1) % 64;
	for (; w < set->nwords; w++, b = 0) {
		word = set->words[w] >> b;
		if (word != 0)
			return (long)(w * 64 + b + (size_t)__builtin_ctzll(word));
	}
	return 0;
}

size_t
odf_idset_bytes(const struct odf_idset *set)
{
	return set == NULL ? 0 : set->nwords * sizeof(uint64_t);
}
