/* Union-find against a naive component labelling, on random graphs
** (the seed is printed for replay). */
#include <stdlib.h>

#include "lc_test.h"
#include "unionfind.h"

int main(int argc, char **argv)
{
    unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 20261127u;
    printf("seed %u\n", seed);
    srand(seed);
    enum { N = 400, E = 300 };
    for (int round = 0; round < 20; round++) {
        lc_uf uf;
        CHECK(lc_uf_init(&uf, N) == 0, "init");
        int label[N];
        for (int i = 0; i < N; i++) label[i] = i;
        for (int e = 0; e < E; e++) {
            int a = rand() % N, b = rand() % N;
            lc_uf_union(&uf, (size_t)a, (size_t)b);
            /* naive: relabel every member of b's component */
            int la = label[a], lb = label[b];
            if (la != lb)
                for (int i = 0; i < N; i++)
                    if (label[i] == lb) label[i] = la;
        }
        int ok = 1;
        for (int i = 0; i < N && ok; i++)
            for (int j = i + 1; j < N && ok; j++)
                ok = (label[i] == label[j]) == (lc_uf_find(&uf, (size_t)i) == lc_uf_find(&uf, (size_t)j));
        CHECK(ok, "round %d: same components as the naive labelling (seed %u)", round, seed);
        lc_uf_release(&uf);
    }
    return lc_test_report("test_unionfind");
}
