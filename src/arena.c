/*
** Chunked bump allocator for strings. Large strings get a chunk of their own
** so one 100 MB value does not waste a standard chunk.
*/
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define LC_ARENA_CHUNK 65536

struct lc_arena_chunk {
    lc_arena_chunk *next;
    size_t size;
    char data[];
};

char *lc_arena_strndup(lc_arena *a, const char *s, size_t n)
{
    size_t need = n + 1;
    if (!a->head || a->head->size - a->used_in_head < need) {
        size_t size = need > LC_ARENA_CHUNK ? need : LC_ARENA_CHUNK;
        lc_arena_chunk *c = malloc(sizeof *c + size);
        if (!c) return NULL;
        c->size = size;
        if (a->head && need > LC_ARENA_CHUNK) {
            /* keep filling the current chunk: link the big one behind it */
            c->next = a->head->next;
            a->head->next = c;
            memcpy(c->data, s, n);
            c->data[n] = '\0';
            return c->data;
        }
        c->next = a->head;
        a->head = c;
        a->used_in_head = 0;
    }
    char *d = a->head->data + a->used_in_head;
    memcpy(d, s, n);
    d[n] = '\0';
    a->used_in_head += need;
    return d;
}

char *lc_arena_strdup(lc_arena *a, const char *s) { return lc_arena_strndup(a, s, strlen(s)); }

void lc_arena_release(lc_arena *a)
{
    lc_arena_chunk *c = a->head;
    while (c) {
        lc_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->used_in_head = 0;
}

void lc_arena_adopt(lc_arena *a, lc_arena *from)
{
    if (!from->head) return;
    if (!a->head) {
        *a = *from;
    } else {
        /* behind a's head, which stays the chunk being filled */
        lc_arena_chunk *tail = from->head;
        while (tail->next) tail = tail->next;
        tail->next = a->head->next;
        a->head->next = from->head;
    }
    from->head = NULL;
    from->used_in_head = 0;
}
