/* The string → number map (include/odf/strmap.h): open addressing, FNV-1a. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "odf/buf.h"
#include "odf/strmap.h"

#define SLOT_EMPTY SIZE_MAX

struct slot {
	size_t off;             /* of the key in keys, SLOT_EMPTY when free */
	size_t len;
	uint32_t hash;
	long value;
};

struct odf_strmap {
	struct slot *slots;
	size_t cap;             /* a power of two, or 0 */
	size_t count;
	struct odf_buf keys;    /* the keys, each with its NUL, at offsets */
};

static uint32_t
hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u;       /* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

struct odf_strmap *
odf_strmap_new(void)
{
	return calloc(1, sizeof(struct odf_strmap));
}

void
odf_strmap_free(struct odf_strmap *map)
{
	if (map == NULL)
		return;
	free(map->slots);
	odf_buf_release(&map->keys);
	free(map);
}

void
odf_strmap_clear(struct odf_strmap *map)
{
	for (size_t i = 0; i < map->cap; i++)
		map->slots[i].off = SLOT_EMPTY;
	map->count = 0;
	odf_buf_reset(&map->keys);
}

size_t
odf_strmap_count(const struct odf_strmap *map)
{
	return map->count;
}

/* The slot holding key, or the free slot where it belongs. */
static struct slot *
find_slot(const struct odf_strmap *map, const char *key, size_t len, uint32_t h)
{
	size_t mask = map->cap - 1;

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct slot *s = &map->slots[i];
		if (s->off == SLOT_EMPTY)
			return s;
		if (s->hash == h && s->len == len &&
		    memcmp(map->keys.data + s->off, key, len) == 0)
			return s;
	}
}

long
odf_strmap_get(const struct odf_strmap *map, const char *key, size_t len)
{
	const struct slot *s;

	if (map->count == 0)
		return -1;
	s = find_slot(map, key, len, hash_bytes(key, len));
	return s->off == SLOT_EMPTY ? -1 : s->value;
}

static int
grow_slots(struct odf_strmap *map)
{
	size_t cap = map->cap ? map->cap * 2 : 16;
	struct slot *old = map->slots, *slots;
	size_t old_cap = map->cap;

	slots = malloc(cap * sizeof(*slots));
	if (slots == NULL)
		return -1;
	for (size_t i = 0; i < cap; i++)
		slots[i].off = SLOT_EMPTY;
	map->slots = slots;
	map->cap = cap;
	for (size_t i = 0; i < old_cap; i++) {
		if (old[i].off != SLOT_EMPTY)
			*find_slot(map, map->keys.data + old[i].off, old[i].len, old[i].hash) = old[i];
	}
	free(old);
	return 0;
}

int
odf_strmap_put(struct odf_strmap *map, const char *key, size_t len, long value)
{
	uint32_t h = hash_bytes(key, len);
	struct slot *s;

	/* Keep the load under 1/2 so probes stay short. */
	if ((map->count + 1) * 2 > map->cap && grow_slots(map) < 0)
		return -1;
	s = find_slot(map, key, len, h);
	if (s->off != SLOT_EMPTY) {
		s->value = value;
		return 0;
	}
	/* Room first: a failed put leaves the map as it was, and usable. */
	if (odf_buf_grow(&map->keys, len + 1, NULL) < 0) {
		map->keys.failed = 0;
		return -1;
	}
	s->off = odf_buf_addz(&map->keys, key, len);
	s->len = len;
	s->hash = h;
	s->value = value;
	map->count++;
	return 0;
}
