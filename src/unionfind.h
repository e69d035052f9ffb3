/*
** Disjoint sets over 0..n-1 with path halving and union by size: the
** connected components of the adjacency graph (blocks), and the same
** incrementally in date order (progress).
*/
#ifndef LC_UNIONFIND_H
#define LC_UNIONFIND_H

#include <stddef.h>

typedef struct lc_uf {
    size_t *parent;
    size_t *size;
    size_t n;
} lc_uf;

/* Returns 0, or -1 on allocation failure. */
int lc_uf_init(lc_uf *uf, size_t n);
void lc_uf_release(lc_uf *uf);
size_t lc_uf_find(lc_uf *uf, size_t x);
/* Joins the sets of a and b; returns the new root. */
size_t lc_uf_union(lc_uf *uf, size_t a, size_t b);

#endif
