/* Union-find with path halving and union by size. */
#include <stdlib.h>

#include "unionfind.h"

int lc_uf_init(lc_uf *uf, size_t n)
{
    uf->n = n;
    uf->parent = malloc((n ? n : 1) * sizeof *uf->parent);
    uf->size = malloc((n ? n : 1) * sizeof *uf->size);
    if (!uf->parent || !uf->size) {
        lc_uf_release(uf);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        uf->parent[i] = i;
        uf->size[i] = 1;
    }
    return 0;
}

void lc_uf_release(lc_uf *uf)
{
    free(uf->parent);
    free(uf->size);
    uf->parent = uf->size = NULL;
    uf->n = 0;
}

size_t lc_uf_find(lc_uf *uf, size_t x)
{
    while (uf->parent[x] != x) {
        uf->parent[x] = uf->parent[uf->parent[x]];
        x = uf->parent[x];
    }
    return x;
}

size_t lc_uf_union(lc_uf *uf, size_t a, size_t b)
{
    a = lc_uf_find(uf, a);
    b = lc_uf_find(uf, b);
    if (a == b) return a;
    if (uf->size[a] < uf->size[b]) {
        size_t t = a;
        a = b;
        b = t;
    }
    uf->parent[b] = a;
    uf->size[a] += uf->size[b];
    return a;
}
