/*
** A string arena: many small immutable strings (attribute values of up to a
** million parcels) in a few large chunks, freed all at once by their owner.
*/
#ifndef LC_ARENA_H
#define LC_ARENA_H

#include <stddef.h>

typedef struct lc_arena_chunk lc_arena_chunk;
typedef struct lc_arena {
    lc_arena_chunk *head;
    size_t used_in_head;
} lc_arena;

/* Copies n bytes plus a terminating NUL; NULL on OOM. */
char *lc_arena_strndup(lc_arena *a, const char *s, size_t n);
char *lc_arena_strdup(lc_arena *a, const char *s);
void lc_arena_release(lc_arena *a);
/* Moves from's strings into a (they keep their addresses); from is left empty. */
void lc_arena_adopt(lc_arena *a, lc_arena *from);

#endif
