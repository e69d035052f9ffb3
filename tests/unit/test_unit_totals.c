/*
** Totals by township and village (unit_totals.c): a table of parcel sets,
** each with the rows it must give (order, codes, counts and m² by status,
** enclave parcels), plus the exactness of the sums and their independence of parcel order.
*/
#include <stdlib.h>

#include "lc_test.h"
#include "unit_totals.h"

#define T LC_ST_TRANSFERRED
#define P LC_ST_PENDING
#define R LC_ST_REFUSED
#define D LC_ST_DISPUTED
#define U LC_ST_UNREGISTERED
#define TS LC_UNIT_TOWNSHIP
#define VL LC_UNIT_VILLAGE

/* encl: the block the parcel is an enclave of (the enclaves phase's
** enclave_of), 0 none */
typedef struct in_parcel {
    const char *township, *village;
    lc_parcel_status status;
    double m2;
    int32_t encl;
} in_parcel;

/* expected row: counts and m² by status in the order T P R D U, enclave parcels */
typedef struct want_row {
    lc_unit_kind kind;
    const char *township, *village;
    size_t count[LC_ST_N];
    double m2[LC_ST_N];
    size_t enclaves;
} want_row;

static int same(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static lc_ctx *ctx;

#define MAX_IN 12
#define MAX_ROWS 10

static const struct {
    const char *name;
    size_t n_in;
    in_parcel in[MAX_IN];
    size_t n_rows;
    want_row rows[MAX_ROWS];
    int no_enclaves;             /* enclave_of given as NULL (no blocks computed) */
} cases[] = {
    {"no parcels", 0, {{0}}, 0, {{0}}},
    {"one parcel", 1, {{"101", "101201", T, 100}}, 2,
     {{TS, "101", NULL, {1, 0, 0, 0, 0}, {100, 0, 0, 0, 0}},
      {VL, "101", "101201", {1, 0, 0, 0, 0}, {100, 0, 0, 0, 0}}}},
    /* villages interleaved in parcel order, townships out of order: sorted
    ** by code, each village gathered from all its runs */
    {"runs gathered and sorted", 6,
     {{"102", "102201", P, 10}, {"101", "101202", T, 20}, {"101", "101201", R, 30},
      {"101", "101202", T, 40}, {"102", "102201", T, 50}, {"101", "101201", D, 60}},
     5,
     {{TS, "101", NULL, {2, 0, 1, 1, 0}, {60, 0, 30, 60, 0}},
      {VL, "101", "101201", {0, 0, 1, 1, 0}, {0, 0, 30, 60, 0}},
      {VL, "101", "101202", {2, 0, 0, 0, 0}, {60, 0, 0, 0, 0}},
      {TS, "102", NULL, {1, 1, 0, 0, 0}, {50, 10, 0, 0, 0}},
      {VL, "102", "102201", {1, 1, 0, 0, 0}, {50, 10, 0, 0, 0}}}},
    /* a parcel without a key has no codes: its township and village rows
    ** come last; a village code missing under a known township comes last
    ** among that township's villages */
    {"unknown codes last", 4,
     {{NULL, NULL, U, 7}, {"101", NULL, P, 5}, {"101", "101201", T, 3}, {NULL, NULL, T, 1}}, 5,
     {{TS, "101", NULL, {1, 1, 0, 0, 0}, {3, 5, 0, 0, 0}},
      {VL, "101", "101201", {1, 0, 0, 0, 0}, {3, 0, 0, 0, 0}},
      {VL, "101", NULL, {0, 1, 0, 0, 0}, {0, 5, 0, 0, 0}},
      {TS, NULL, NULL, {1, 0, 0, 0, 1}, {1, 0, 0, 0, 7}},
      {VL, NULL, NULL, {1, 0, 0, 0, 1}, {1, 0, 0, 0, 7}}}},
    /* --township-field and --village-field disagreeing: the village is
    ** listed under each township its parcels name */
    {"village under two townships", 3,
     {{"101", "900201", T, 1.5}, {"102", "900201", P, 2.5}, {"101", "900201", T, 4}}, 4,
     {{TS, "101", NULL, {2, 0, 0, 0, 0}, {5.5, 0, 0, 0, 0}},
      {VL, "101", "900201", {2, 0, 0, 0, 0}, {5.5, 0, 0, 0, 0}},
      {TS, "102", NULL, {0, 1, 0, 0, 0}, {0, 2.5, 0, 0, 0}},
      {VL, "102", "900201", {0, 1, 0, 0, 0}, {0, 2.5, 0, 0, 0}}}},
    /* enclaves of two blocks (ids 1 and 4) counted in the unit of each
    ** enclave parcel, whichever block holds it: 101201 has two, 101202
    ** one, 102201 one (a transferred parcel is never an enclave; the
    ** count only follows enclave_of), the parcel without codes one */
    {"enclaves per unit", 8,
     {{"101", "101201", P, 10, 1}, {"101", "101201", T, 20, 0}, {"101", "101202", R, 30, 4},
      {"102", "102201", D, 40, 4}, {"101", "101201", U, 50, 1}, {"102", "102201", T, 60, 0},
      {NULL, NULL, P, 70, 1}, {"102", "102202", P, 80, 0}},
     8,
     {{TS, "101", NULL, {1, 1, 1, 0, 1}, {20, 10, 30, 0, 50}, 3},
      {VL, "101", "101201", {1, 1, 0, 0, 1}, {20, 10, 0, 0, 50}, 2},
      {VL, "101", "101202", {0, 0, 1, 0, 0}, {0, 0, 30, 0, 0}, 1},
      {TS, "102", NULL, {1, 1, 0, 1, 0}, {60, 80, 0, 40, 0}, 1},
      {VL, "102", "102201", {1, 0, 0, 1, 0}, {60, 0, 0, 40, 0}, 1},
      {VL, "102", "102202", {0, 1, 0, 0, 0}, {0, 80, 0, 0, 0}, 0},
      {TS, NULL, NULL, {0, 1, 0, 0, 0}, {0, 70, 0, 0, 0}, 1},
      {VL, NULL, NULL, {0, 1, 0, 0, 0}, {0, 70, 0, 0, 0}, 1}}},
    /* an enclave in a village under two townships: counted under the
    ** township its parcel names */
    {"enclave of a village under two townships", 3,
     {{"101", "900201", P, 1, 2}, {"102", "900201", P, 2, 2}, {"102", "900201", T, 3, 0}}, 4,
     {{TS, "101", NULL, {0, 1, 0, 0, 0}, {0, 1, 0, 0, 0}, 1},
      {VL, "101", "900201", {0, 1, 0, 0, 0}, {0, 1, 0, 0, 0}, 1},
      {TS, "102", NULL, {1, 1, 0, 0, 0}, {3, 2, 0, 0, 0}, 1},
      {VL, "102", "900201", {1, 1, 0, 0, 0}, {3, 2, 0, 0, 0}, 1}}},
    /* no enclave computed (jobs without blocks): enclave_of is NULL and
    ** every count is 0 */
    {"no enclaves computed", 2,
     {{"101", "101201", P, 5, 1}, {"101", "101201", T, 6, 0}}, 2,
     {{TS, "101", NULL, {1, 1, 0, 0, 0}, {6, 5, 0, 0, 0}, 0},
      {VL, "101", "101201", {1, 1, 0, 0, 0}, {6, 5, 0, 0, 0}, 0}},
     1},
};

static void run_case(size_t c)
{
    size_t n = cases[c].n_in;
    lc_parcel_state *st = calloc(n ? n : 1, sizeof *st);
    lc_parcel *pa = calloc(n ? n : 1, sizeof *pa);
    int32_t *encl = calloc(n ? n : 1, sizeof *encl);
    /* separate copies of the codes: they must be compared by content */
    char codes[MAX_IN][2][16];
    for (size_t i = 0; i < n; i++) {
        const in_parcel *p = &cases[c].in[i];
        st[i].status = p->status;
        if (p->township) st[i].township = strcpy(codes[i][0], p->township);
        if (p->village) st[i].village = strcpy(codes[i][1], p->village);
        pa[i].planar_m2 = p->m2;
        encl[i] = p->encl;
    }
    lc_unit_totals t;
    lc_status rc = lc_unit_totals_compute(ctx, st, pa, cases[c].no_enclaves ? NULL : encl, n, &t);
    const char *name = cases[c].name;
    CHECK(rc == LC_OK, "%s: status %d", name, rc);
    CHECK(t.n == cases[c].n_rows, "%s: %zu rows, want %zu", name, t.n, cases[c].n_rows);
    double all_m2 = 0;
    size_t all_count[LC_ST_N] = {0}, all_enclaves = 0;
    for (size_t i = 0; i < n; i++) {
        all_m2 += cases[c].in[i].m2;
        all_count[cases[c].in[i].status]++;
        all_enclaves += !cases[c].no_enclaves && cases[c].in[i].encl != 0;
    }
    CHECK(t.all.parcels == n, "%s: all.parcels %zu", name, t.all.parcels);
    CHECK(t.all.enclaves == all_enclaves, "%s: all.enclaves %zu want %zu", name, t.all.enclaves, all_enclaves);
    CHECK_ABS(t.all.total_m2, all_m2, 0, "m²", name);
    for (int k = 0; k < LC_ST_N; k++)
        CHECK(t.all.count[k] == all_count[k], "%s: all.count[%d] %zu want %zu", name, k, t.all.count[k],
              all_count[k]);
    for (size_t r = 0; r < t.n && r < cases[c].n_rows; r++) {
        const want_row *w = &cases[c].rows[r];
        const lc_unit_total *g = &t.rows[r];
        char what[96];
        snprintf(what, sizeof what, "%s: row %zu", name, r);
        CHECK(g->kind == w->kind, "%s: kind %d want %d", what, g->kind, w->kind);
        CHECK(same(g->township, w->township), "%s: township %s want %s", what,
              g->township ? g->township : "NULL", w->township ? w->township : "NULL");
        CHECK(same(g->village, w->village), "%s: village %s want %s", what,
              g->village ? g->village : "NULL", w->village ? w->village : "NULL");
        size_t parcels = 0;
        double total = 0;
        for (int k = 0; k < LC_ST_N; k++) {
            CHECK(g->count[k] == w->count[k], "%s: count[%d] %zu want %zu", what, k, g->count[k], w->count[k]);
            CHECK_ABS(g->m2[k], w->m2[k], 0, "m²", what);
            parcels += w->count[k];
            total += w->m2[k];
        }
        CHECK(g->parcels == parcels, "%s: parcels %zu want %zu", what, g->parcels, parcels);
        CHECK(g->enclaves == w->enclaves, "%s: enclaves %zu want %zu", what, g->enclaves, w->enclaves);
        CHECK_ABS(g->total_m2, total, 0, "m²", what);
        CHECK_ABS(g->registered_m2, total - w->m2[LC_ST_UNREGISTERED], 0, "m² registered", what);
    }
    lc_unit_totals_release(&t);
    free(st);
    free(pa);
    free(encl);
}

/* Exact sums: ten parcels of 0.1 m² are 1 m² (a running double sum gives
** 0.9999999999999999), and shuffling the parcels changes no bit of any row. */
static void exactness(void)
{
    enum { N = 400 };
    lc_parcel_state st[N];
    lc_parcel pa[N];
    static const char *const tw[] = {"101", "102", "103"};
    static const char *const vl[] = {"101201", "101202", "102201", "103201", "103202"};
    memset(st, 0, sizeof st);
    memset(pa, 0, sizeof pa);
    unsigned seed = 12345;
    for (int i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        const char *v = vl[(seed >> 16) % 5];
        st[i].village = v;
        st[i].township = tw[v[2] - '1'];
        st[i].status = (lc_parcel_status)((seed >> 8) % LC_ST_N);
        pa[i].planar_m2 = i < 10 ? 0.1 : (double)((seed >> 4) % 100000) / 7.0;
    }
    lc_unit_totals a, b;
    /* the first ten parcels alone */
    lc_parcel_state one[10];
    for (int i = 0; i < 10; i++) one[i] = (lc_parcel_state){.status = LC_ST_PENDING, .township = "1",
                                                            .village = "1"};
    CHECK(lc_unit_totals_compute(ctx, one, pa, NULL, 10, &a) == LC_OK, "ten parcels");
    CHECK(a.all.total_m2 == 1.0 && a.rows[1].m2[LC_ST_PENDING] == 1.0,
          "ten times 0.1 m²: got %.17g", a.all.total_m2);
    lc_unit_totals_release(&a);

    CHECK(lc_unit_totals_compute(ctx, st, pa, NULL, N, &a) == LC_OK, "ordered");
    /* reverse the parcels (a permutation that breaks every run) */
    for (int i = 0; i < N / 2; i++) {
        lc_parcel_state ts = st[i];
        st[i] = st[N - 1 - i];
        st[N - 1 - i] = ts;
        lc_parcel tp = pa[i];
        pa[i] = pa[N - 1 - i];
        pa[N - 1 - i] = tp;
    }
    CHECK(lc_unit_totals_compute(ctx, st, pa, NULL, N, &b) == LC_OK, "reversed");
    CHECK(a.n == b.n && a.n == 8, "rows: %zu and %zu, want 8", a.n, b.n);
    for (size_t r = 0; r < a.n && r < b.n; r++) {
        CHECK(memcmp(a.rows[r].m2, b.rows[r].m2, sizeof a.rows[r].m2) == 0 &&
                  a.rows[r].total_m2 == b.rows[r].total_m2,
              "row %zu: sums depend on parcel order", r);
    }
    /* townships add up to the total exactly */
    double m2[LC_ST_N] = {0};
    for (size_t r = 0; r < a.n; r++)
        if (a.rows[r].kind == LC_UNIT_TOWNSHIP)
            for (int k = 0; k < LC_ST_N; k++) m2[k] += a.rows[r].m2[k];
    for (int k = 0; k < LC_ST_N; k++) CHECK_REL(m2[k], a.all.m2[k], 1e-15, "townships vs all");
    lc_unit_totals_release(&a);
    lc_unit_totals_release(&b);
}

int main(void)
{
    ctx = lc_ctx_new();
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) run_case(c);
    exactness();
    lc_ctx_free(ctx);
    return lc_test_report("test_unit_totals");
}
