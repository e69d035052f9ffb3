/*
** Project sites (SPEC §2 "site overlap", "site ready", sites.c): a table
** of drawn parcels and sites, and what each site must give: its area, the
** overlaps by parcel status, the area on some parcel (a union: parcels
** that overlap count once) and on none, ready or not and why, the
** blocking parcels, the overlap rows (largest first), and the constraint
** layers' hits. Parcels and sites are rectangles, so every overlap is a
** rectangle read off the drawing.
**
** The site layers are built by hand from WKT (a site's name is its key),
** as lc_site_layers_read would give them in the parcels' working CRS.
**
** Statuses: T transferred, p pending, r refused, d disputed, u no row.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "lc_fixture.h"
#include "lc_test.h"
#include "qa.h"
#include "sites.h"

static lc_ctx *ctx;

#define MAXP 10
#define MAXS 3
#define MAXC 3
#define SIGNED "2019-01-01"
#define AS_OF "2019-05-01"
#define T(key, wkt) {key, wkt, 'T', SIGNED}
#define P(key, wkt) {key, wkt, 'p', NULL}
#define R(key, wkt) {key, wkt, 'r', NULL}
#define D(key, wkt) {key, wkt, 'd', NULL}
#define U(key, wkt) {key, wkt, 'u', NULL}

typedef struct want_site {
    double area, m2[LC_ST_N];    /* overlaps by status: T P R D U */
    double covered;              /* no_parcel = area - covered */
    int ready;
    const char *reason;          /* a part of the reason; NULL when ready */
    size_t blocking;
    const char *overlaps;        /* "key m2, key m2" largest first */
} want_site;

typedef struct sites_case {
    const char *name;
    double min_overlap;
    fx_parcel parcels[MAXP];
    fx_row sites[MAXS];          /* the first site layer */
    fx_row sites2[MAXS];         /* a second site layer (ids go on) */
    fx_row constraints[MAXC];
    want_site want[MAXS * 2];
    const char *hits;            /* constraint hits "site:feature m2, ..." */
    size_t off_parcels;          /* site_off_parcels findings */
} sites_case;

#define SITE(name, wkt) {name, wkt, NULL, NULL}
#define NONE {0, 0, 0, 0, 0}
#define TRANSFERRED(m2) {m2, 0, 0, 0, 0}

static const sites_case cases[] = {
    {"no sites", 1, {T("a", RECT(0, 0, 10, 10))}, {{0}}, {{0}}, {{0}}, {{0}}, "", 0},
    /*
    ** A site [2,18] × [2,8] (96 m²) over two transferred parcels a and b:
    ** 48 m² on each. Ready.
    **
    **   +-----+-----+
    **   | +---+---+ |
    **   | | s |   | |
    **   | +---+---+ |
    **   +-----+-----+
    **   0 2   10  18 20
    */
    {"on transferred land", 1, {T("a", RECT(0, 0, 10, 10)), T("b", RECT(10, 0, 20, 10))},
     {SITE("s", RECT(2, 2, 18, 8))}, {{0}}, {{0}},
     {{96, TRANSFERRED(96), 96, 1, NULL, 0, "a 48, b 48"}}, "", 0},
    /* [0,12] × [0,10] (120 m²): all of a (100, inside the site) and 20 m²
    ** of the pending b: one blocking parcel */
    {"a pending parcel under it", 1, {T("a", RECT(0, 0, 10, 10)), P("b", RECT(10, 0, 20, 10))},
     {SITE("s", RECT(0, 0, 12, 10))}, {{0}}, {{0}},
     {{120, {100, 20, 0, 0, 0}, 120, 0, "1 parcel under it is not transferred", 1, "a 100, b 20"}}, "", 0},
    /* [0,11] × [0,10]: 10 m² of b; --min-overlap 10: not more than it,
    ** not blocking; 9.99: blocking */
    {"at --min-overlap", 10, {T("a", RECT(0, 0, 10, 10)), P("b", RECT(10, 0, 20, 10))},
     {SITE("s", RECT(0, 0, 11, 10))}, {{0}}, {{0}},
     {{110, {100, 10, 0, 0, 0}, 110, 1, NULL, 0, "a 100, b 10"}}, "", 0},
    {"above --min-overlap", 9.99, {T("a", RECT(0, 0, 10, 10)), P("b", RECT(10, 0, 20, 10))},
     {SITE("s", RECT(0, 0, 11, 10))}, {{0}}, {{0}},
     {{110, {100, 10, 0, 0, 0}, 110, 0, "1 parcel under it is not transferred", 1, "a 100, b 10"}}, "", 0},
    /* [0,10.0005] × [0,10]: 0.005 m² of b, under 0.01 m²: a sliver,
    ** dropped (no row, no status area); the site's 0.005 m² beyond a are
    ** on no parcel */
    {"a sliver", 1, {T("a", RECT(0, 0, 10, 10)), P("b", RECT(10, 0, 20, 10))},
     {SITE("s", RECT(0, 0, 10.0005, 10))}, {{0}}, {{0}},
     {{100.005, TRANSFERRED(100), 100, 1, NULL, 0, "a 100"}}, "", 0},
    /* one parcel of each status under a site [0,50] × [0,10]: 100 m² of
    ** each, four blocking */
    {"every status", 1,
     {T("t", RECT(0, 0, 10, 10)), P("p", RECT(10, 0, 20, 10)), R("r", RECT(20, 0, 30, 10)),
      D("d", RECT(30, 0, 40, 10)), U("u", RECT(40, 0, 50, 10))},
     {SITE("s", RECT(0, 0, 50, 10))}, {{0}}, {{0}},
     {{500, {100, 100, 100, 100, 100}, 500, 0, "4 parcels under it are not transferred", 4,
       "t 100, p 100, r 100, d 100, u 100"}},
     "", 0},
    /* [0,10] × [0,30] (300 m²) over a alone: 100 m² on parcels, a third:
    ** not ready, 200 m² on no parcel */
    {"a third on parcels", 1, {T("a", RECT(0, 0, 10, 10))}, {SITE("s", RECT(0, 0, 10, 30))}, {{0}}, {{0}},
     {{300, TRANSFERRED(100), 100, 0, "only 33.3 % of the site lies on parcels", 0, "a 100"}}, "", 1},
    /* [0,10] × [0,20]: half on parcels, not less: ready */
    {"half on parcels", 1, {T("a", RECT(0, 0, 10, 10))}, {SITE("s", RECT(0, 0, 10, 20))}, {{0}}, {{0}},
     {{200, TRANSFERRED(100), 100, 1, NULL, 0, "a 100"}}, "", 0},
    /* a site between two parcels, on none of them, inside their extent */
    {"on no parcel, inside the extent", 1, {T("a", RECT(0, 0, 10, 10)), T("c", RECT(30, 0, 40, 10))},
     {SITE("s", RECT(15, 0, 25, 10))}, {{0}}, {{0}},
     {{100, NONE, 0, 0, "the land under it is on no parcel of the map", 0, ""}}, "", 1},
    /* a site far away: its extent and the parcels' are named */
    {"outside the parcels' extent", 1, {T("a", RECT(0, 0, 10, 10))}, {SITE("s", RECT(100, 100, 110, 110))},
     {{0}}, {{0}},
     {{100, NONE, 0, 0, "lies outside the parcels' extent 0.0,0.0 - 10.0,10.0", 0, ""}}, "", 1},
    /* two transferred parcels overlapping by 50 m² under [0,15] × [0,10]:
    ** each overlap counts in full (200 m² transferred), the area on
    ** parcels once (150 m²) */
    {"overlapping parcels", 1, {T("a", RECT(0, 0, 10, 10)), T("b", RECT(5, 0, 15, 10))},
     {SITE("s", RECT(0, 0, 15, 10))}, {{0}}, {{0}},
     {{150, TRANSFERRED(200), 150, 1, NULL, 0, "a 100, b 100"}}, "", 0},
    /* a site with a hole over the pending centre of a ring: the centre only
    ** touches the site (no overlap, no row), the ring covers all 800 m² */
    {"a pending parcel in the site's hole", 1,
     {T("g0", RECT(0, 0, 10, 10)), T("g1", RECT(10, 0, 20, 10)), T("g2", RECT(20, 0, 30, 10)),
      T("g3", RECT(0, 10, 10, 20)), P("c", RECT(10, 10, 20, 20)), T("g5", RECT(20, 10, 30, 20)),
      T("g6", RECT(0, 20, 10, 30)), T("g7", RECT(10, 20, 20, 30)), T("g8", RECT(20, 20, 30, 30))},
     {SITE("s", "POLYGON((0 0,30 0,30 30,0 30,0 0),(10 10,10 20,20 20,20 10,10 10))")}, {{0}}, {{0}},
     {{800, TRANSFERRED(800), 800, 1, NULL, 0, "g0 100, g1 100, g2 100, g3 100, g5 100, g6 100, g7 100, g8 100"}},
     "", 0},
    /* a two-part parcel m ([0,10]² and [20,30] × [0,10]) under [5,25] ×
    ** [0,10]: 50 m² of each part, 100 m² in one row; the 10 m between
    ** the parts (100 m²) are on no parcel */
    {"a multipolygon parcel", 1, {P("m", "MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)),((20 0,30 0,30 10,20 10,20 0)))")},
     {SITE("s", RECT(5, 0, 25, 10))}, {{0}}, {{0}},
     {{200, {0, 100, 0, 0, 0}, 100, 0, "1 parcel under it is not transferred", 1, "m 100"}}, "", 0},
    /*
    ** Two site layers, three sites, ids 1..3 in order: s1 [0,15] × [0,10]
    ** over a (100) and b (50), s2 [15,20] × [0,10] over b (50), s3 (second
    ** layer) [0,20] × [5,10] over a (50) and b (50): rows by site, largest
    ** first, then by parcel order.
    */
    {"sites of two layers", 1, {T("a", RECT(0, 0, 10, 10)), P("b", RECT(10, 0, 20, 10))},
     {SITE("s1", RECT(0, 0, 15, 10)), SITE("s2", RECT(15, 0, 20, 10))}, {SITE("s3", RECT(0, 5, 20, 10))}, {{0}},
     {{150, {100, 50, 0, 0, 0}, 150, 0, "1 parcel", 1, "a 100, b 50"},
      {50, {0, 50, 0, 0, 0}, 50, 0, "1 parcel", 1, "b 50"},
      {100, {50, 50, 0, 0, 0}, 100, 0, "1 parcel", 1, "a 50, b 50"}},
     "", 0},
    /* constraint features: c1 [5,15] × [0,10] meets the site [0,12] ×
    ** [0,10] on 70 m²; c2 [12,20] × [0,10] only touches it; c3 [0,2] ×
    ** [0,2] lies inside it (4 m²) */
    {"constraint layers", 1, {T("a", RECT(0, 0, 10, 10)), T("b", RECT(10, 0, 20, 10))},
     {SITE("s", RECT(0, 0, 12, 10))}, {{0}},
     {{"c1", RECT(5, 0, 15, 10), 0, 0}, {"c2", RECT(12, 0, 20, 10), 0, 0}, {"c3", RECT(0, 0, 2, 2), 0, 0}},
     {{120, TRANSFERRED(120), 120, 1, NULL, 0, "a 100, b 20"}}, "1:0 70, 1:2 4", 0},
    /* two parcels with one key under a site: two rows */
    {"duplicate keys", 1, {T("d", RECT(0, 0, 10, 10)), T("d", RECT(10, 0, 20, 10))}, {SITE("s", RECT(5, 0, 20, 10))},
     {{0}}, {{0}}, {{150, TRANSFERRED(150), 150, 1, NULL, 0, "d 100, d 50"}}, "", 0},
};

static size_t rows_of(const fx_row *rows, size_t max)
{
    size_t n = 0;
    while (n < max && rows[n].wkt) n++;
    return n;
}

static void run_case(const sites_case *c)
{
    fx_world w;
    lc_status rc = fx_world_build(ctx, c->parcels, MAXP, AS_OF, &w);
    CHECK(rc == LC_OK, "%s: fixture: %s", c->name, lc_ctx_errmsg(ctx));
    if (rc != LC_OK) return;
    lc_parcels *sets[2] = {NULL, NULL}, *cons[1] = {NULL};
    size_t n1 = rows_of(c->sites, MAXS), n2 = rows_of(c->sites2, MAXS), nc = rows_of(c->constraints, MAXC);
    lc_site_layers layers = {sets, 0, cons, 0};
    if (n1) rc = fx_parcels(ctx, NULL, 0, 0, c->sites, n1, &sets[layers.n_sites++]);
    if (rc == LC_OK && n2) rc = fx_parcels(ctx, NULL, 0, 0, c->sites2, n2, &sets[layers.n_sites++]);
    if (rc == LC_OK && nc) rc = fx_parcels(ctx, NULL, 0, 0, c->constraints, nc, &cons[layers.n_constraints++]);
    lc_sites s = {0};
    lc_qa qa = {0};
    if (rc == LC_OK) rc = lc_sites_run(ctx, w.p, &w.st, &layers, c->min_overlap, &qa, &s);
    CHECK(rc == LC_OK, "%s: %s", c->name, lc_ctx_errmsg(ctx));
    if (rc == LC_OK) {
        size_t ns = n1 + n2;
        CHECK(s.n == ns, "%s: %zu sites, want %zu", c->name, s.n, ns);
        for (size_t k = 0; k < s.n && k < ns; k++) {
            const lc_site *got = &s.items[k];
            const want_site *want = &c->want[k];
            char what[160], rows[512] = "";
            snprintf(what, sizeof what, "%s: site %zu", c->name, k + 1);
            CHECK(got->id == (int32_t)(k + 1), "%s: id %d", what, got->id);
            CHECK_STR(got->name, k < n1 ? c->sites[k].key : c->sites2[k - n1].key, what);
            CHECK_ABS(got->area_m2, want->area, 1e-9, "m² site", what);
            for (int st = 0; st < LC_ST_N; st++) {
                char w2[200];
                snprintf(w2, sizeof w2, "%s: %s", what, lc_parcel_status_name((lc_parcel_status)st));
                CHECK_ABS(got->status_m2[st], want->m2[st], 1e-9, "m²", w2);
            }
            CHECK_ABS(got->covered_m2, want->covered, 1e-9, "m² on parcels", what);
            CHECK_ABS(got->no_parcel_m2, want->area - want->covered, 1e-9, "m² on no parcel", what);
            CHECK(got->ready == want->ready, "%s: ready %d, want %d", what, got->ready, want->ready);
            if (want->reason)
                CHECK(got->reason && strstr(got->reason, want->reason), "%s: reason \"%s\", want \"%s\"", what,
                      got->reason ? got->reason : "(none)", want->reason);
            else
                CHECK(got->reason == NULL, "%s: ready, but reason \"%s\"", what, got->reason);
            CHECK(got->n_blocking == want->blocking, "%s: %zu blocking, want %zu", what, got->n_blocking,
                  want->blocking);
            for (size_t o = got->first_overlap; o < got->first_overlap + got->n_overlaps && o < s.n_overlaps; o++) {
                const lc_overlap *ov = &s.overlaps[o];
                CHECK(ov->site_id == got->id, "%s: overlap of site %d", what, ov->site_id);
                double a = 0;
                GEOSArea_r(ctx->geos, ov->geom, &a);
                CHECK_REL(a, ov->m2, 1e-12, what);
                snprintf(rows + strlen(rows), sizeof rows - strlen(rows), "%s%s %g", o > got->first_overlap ? ", " : "",
                         w.p->items[ov->parcel].key, ov->m2);
            }
            CHECK_STR(rows, want->overlaps, what);
        }
        char hits[512] = "";
        for (size_t h = 0; h < s.n_hits; h++) {
            const lc_constraint_hit *hit = &s.hits[h];
            CHECK(hit->layer == 0, "%s: hit of layer %zu", c->name, hit->layer);
            snprintf(hits + strlen(hits), sizeof hits - strlen(hits), "%s%d:%zu %g", h ? ", " : "", hit->site_id,
                     hit->feature, hit->m2);
        }
        CHECK_STR(hits, c->hits, c->name);
        CHECK(lc_qa_count_kind(&qa, "site_off_parcels") == c->off_parcels, "%s: %zu site_off_parcels findings",
              c->name, lc_qa_count_kind(&qa, "site_off_parcels"));
    }
    lc_sites_release(ctx->geos, &s);
    lc_qa_release(&qa);
    fx_parcels_free(sets[0]);
    fx_parcels_free(sets[1]);
    fx_parcels_free(cons[0]);
    fx_world_free(&w);
}

int main(void)
{
    ctx = lc_ctx_new();
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) run_case(&cases[c]);
    lc_ctx_free(ctx);
    return lc_test_report("test_sites");
}
