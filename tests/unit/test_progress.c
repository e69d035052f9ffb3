/*
** The campaign day by day (SPEC §3 progress, progress.c): a table of drawn
** parcels with their signing days, and the series each must give: every
** day from the first signing to the last (as of D), the area signed that
** day, the cumulative area, the largest block's parcel area that day, and
** the first day that block reached the target; then the rows per township
** and village. Areas are rectangles' (exact), the largest block of a day
** is read off the drawing with the parcels signed by then. On every case
** the last day's largest block is also compared, bit for bit, with block 1
** of the blocks phase.
**
** Statuses: T signed on the date given, p pending.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "blocks.h"
#include "dates.h"
#include "lc_fixture.h"
#include "lc_test.h"
#include "progress.h"

static lc_ctx *ctx;

#define MAXP 10
#define MAXD 8
#define MAXU 8
#define T(key, wkt, date) {key, wkt, 'T', date}
#define P(key, wkt) {key, wkt, 'p', NULL}

typedef struct want_day { const char *date; double signed_m2, cumulative_m2, largest_m2; } want_day;
typedef struct want_unit {
    const char *date;
    lc_unit_kind kind;
    const char *code;
    double signed_m2, cumulative_m2, total_m2;
} want_unit;

typedef struct progress_case {
    const char *name;
    const char *as_of;
    double gap, target_m2;
    fx_parcel parcels[MAXP];
    want_day days[MAXD];         /* up to the first NULL date */
    const char *target_day;      /* NULL: not reached */
    want_unit units[MAXU];       /* NULL: not checked; else up to the first NULL date */
    int check_units;
} progress_case;

#define TS LC_UNIT_TOWNSHIP
#define VL LC_UNIT_VILLAGE
#define K1 "2301131012010100001"   /* township 230113101, village 230113101201 */
#define K2 "2301131012020100001"   /* township 230113101, village 230113101202 */
#define K3 "2301131022010100001"   /* township 230113102, village 230113102201 */
#define K4 "2301131012010100002"   /* township 230113101, village 230113101201 */

/*
** Three parcels in a row, touching (gap 0); the middle one is signed
** last:
**
**   +-----+-------+---------+
**   |  a  |   b   |    c    |
**   | 100 |  200  |   300   |
**   +-----+-------+---------+
**   0    10      30        60   (all 10 m high)
**   03-01  03-05    03-03
*/
#define ROW3(db)                                                                                           \
    T("a", RECT(0, 0, 10, 10), "2019-03-01"), T("b", RECT(10, 0, 30, 10), db), T("c", RECT(30, 0, 60, 10), "2019-03-03")

static const progress_case cases[] = {
    {"nothing signed", "2019-05-01", 0, 100, {P("a", RECT(0, 0, 10, 10))}, {{0}}, NULL, {{0}}, 1},
    {"no parcels", "2019-05-01", 0, 100, {{0}}, {{0}}, NULL, {{0}}, 1},
    /* one parcel of 100 m², target 100 m²: reached on its day (>=) */
    {"one parcel, target reached", "2019-05-01", 0, 100, {T("a", RECT(0, 0, 10, 10), "2019-03-01")},
     {{"2019-03-01", 100, 100, 100}}, "2019-03-01", {{0}}, 0},
    {"one parcel, target missed", "2019-05-01", 0, 100.001, {T("a", RECT(0, 0, 10, 10), "2019-03-01")},
     {{"2019-03-01", 100, 100, 100}}, NULL, {{0}}, 0},
    /* no target (0): never reached */
    {"no target", "2019-05-01", 0, 0, {T("a", RECT(0, 0, 10, 10), "2019-03-01")},
     {{"2019-03-01", 100, 100, 100}}, NULL, {{0}}, 0},
    /*
    ** ROW3: a on 03-01, c on 03-03 (apart: largest 300), b on 03-05 joins
    ** all three (600). Days without signings are in the series. Target
    ** 500: reached when b joins, on 03-05, though 400 m² were signed by
    ** 03-03.
    */
    {"the bridge signed last", "2019-05-01", 0, 500, {ROW3("2019-03-05")},
     {{"2019-03-01", 100, 100, 100}, {"2019-03-02", 0, 100, 100}, {"2019-03-03", 300, 400, 300},
      {"2019-03-04", 0, 400, 300}, {"2019-03-05", 200, 600, 600}},
     "2019-03-05", {{0}}, 0},
    /* target 300: c alone reaches it on 03-03 */
    {"reached by a block of its own", "2019-05-01", 0, 300, {ROW3("2019-03-05")},
     {{"2019-03-01", 100, 100, 100}, {"2019-03-02", 0, 100, 100}, {"2019-03-03", 300, 400, 300},
      {"2019-03-04", 0, 400, 300}, {"2019-03-05", 200, 600, 600}},
     "2019-03-03", {{0}}, 0},
    /* as of 03-04, b (signed 03-05) is pending: the series ends on 03-03 */
    {"a signing after the as-of day", "2019-03-04", 0, 500, {ROW3("2019-03-05")},
     {{"2019-03-01", 100, 100, 100}, {"2019-03-02", 0, 100, 100}, {"2019-03-03", 300, 400, 300}}, NULL, {{0}}, 0},
    /* b signed first: a joins b on 03-01 (300 m² on day one, b being
    ** signed 02-28), c on 03-03 (600) */
    {"the bridge signed first", "2019-05-01", 0, 600, {ROW3("2019-02-28")},
     {{"2019-02-28", 200, 200, 200}, {"2019-03-01", 100, 300, 300}, {"2019-03-02", 0, 300, 300},
      {"2019-03-03", 300, 600, 600}},
     "2019-03-03", {{0}}, 0},
    /*
    ** The largest block need not be the newest: x and y (500 m² each,
    ** touching) on 03-01 make 1000; z, 100 m² and 50 m away, on 03-02
    ** leaves it at 1000.
    */
    {"the largest stays", "2019-05-01", 0, 0,
     {T("x", RECT(0, 0, 10, 50), "2019-03-01"), T("y", RECT(10, 0, 20, 50), "2019-03-01"),
      T("z", RECT(70, 0, 80, 10), "2019-03-02")},
     {{"2019-03-01", 1000, 1000, 1000}, {"2019-03-02", 100, 1100, 1000}}, NULL, {{0}}, 0},
    /* the gap: a and c of ROW3 without b are 20 m apart; at gap 20 they
    ** are one block on 03-03 (400) */
    {"joined across the gap", "2019-05-01", 20, 400,
     {T("a", RECT(0, 0, 10, 10), "2019-03-01"), T("c", RECT(30, 0, 60, 10), "2019-03-03")},
     {{"2019-03-01", 100, 100, 100}, {"2019-03-02", 0, 100, 100}, {"2019-03-03", 300, 400, 400}}, "2019-03-03",
     {{0}}, 0},
    /* a pending parcel between two signed ones does not join them (gap 0) */
    {"a pending parcel between", "2019-05-01", 0, 400,
     {T("a", RECT(0, 0, 10, 10), "2019-03-01"), P("b", RECT(10, 0, 30, 10)), T("c", RECT(30, 0, 60, 10), "2019-03-03")},
     {{"2019-03-01", 100, 100, 100}, {"2019-03-02", 0, 100, 100}, {"2019-03-03", 300, 400, 300}}, NULL, {{0}}, 0},
    /*
    ** Ten strips of 0.1 m² (0.1 × 1, stacked, touching) on one day: the
    ** day's area, the cumulative area and the block are exactly 1 m² (a
    ** running double sum gives 0.9999999999999999); target 1 m² reached.
    */
    {"exact sums", "2019-05-01", 0, 1,
     {T("s0", RECT(0, 0, 0.1, 1), "2019-03-01"), T("s1", RECT(0, 1, 0.1, 2), "2019-03-01"),
      T("s2", RECT(0, 2, 0.1, 3), "2019-03-01"), T("s3", RECT(0, 3, 0.1, 4), "2019-03-01"),
      T("s4", RECT(0, 4, 0.1, 5), "2019-03-01"), T("s5", RECT(0, 5, 0.1, 6), "2019-03-01"),
      T("s6", RECT(0, 6, 0.1, 7), "2019-03-01"), T("s7", RECT(0, 7, 0.1, 8), "2019-03-01"),
      T("s8", RECT(0, 8, 0.1, 9), "2019-03-01"), T("s9", RECT(0, 9, 0.1, 10), "2019-03-01")},
     {{"2019-03-01", 1, 1, 1}}, "2019-03-01", {{0}}, 0},
    /*
    ** Per township and village, townships first, by code, then days: K1
    ** (100 m², 03-01) and K2 (200, 03-02) in township 230113101, K3 (300,
    ** 03-01) in 230113102, K4 (400, pending) in 230113101 and village
    ** 230113101201 with K1: it counts in the totals only. Totals:
    ** township 230113101 100 + 200 + 400 = 700, 230113102 300; villages
    ** …101201 100 + 400 = 500, …101202 200, …102201 300. All 100 m apart.
    */
    {"townships and villages", "2019-05-01", 0, 0,
     {T(K1, RECT(0, 0, 10, 10), "2019-03-01"), T(K2, RECT(100, 0, 110, 20), "2019-03-02"),
      T(K3, RECT(200, 0, 210, 30), "2019-03-01"), P(K4, RECT(300, 0, 310, 40))},
     {{"2019-03-01", 400, 400, 300}, {"2019-03-02", 200, 600, 300}}, NULL,
     {{"2019-03-01", TS, "230113101", 100, 100, 700}, {"2019-03-02", TS, "230113101", 200, 300, 700},
      {"2019-03-01", TS, "230113102", 300, 300, 300}, {"2019-03-01", VL, "230113101201", 100, 100, 500},
      {"2019-03-02", VL, "230113101202", 200, 200, 200}, {"2019-03-01", VL, "230113102201", 300, 300, 300}},
     1},
};

static void run_case(const progress_case *c)
{
    fx_world w;
    lc_status rc = fx_world_build(ctx, c->parcels, MAXP, c->as_of, &w);
    CHECK(rc == LC_OK, "%s: fixture: %s", c->name, lc_ctx_errmsg(ctx));
    if (rc != LC_OK) return;
    lc_adjacency g = {0};
    lc_progress pr = {0};
    lc_blocks b = {0};
    lc_units none = {0};
    rc = lc_adjacency_run(ctx, w.p, w.transferred, c->gap, &g);
    if (rc == LC_OK) rc = lc_progress_run(ctx, w.p, &w.st, &g, c->target_m2, &pr);
    if (rc == LC_OK) rc = lc_blocks_run(ctx, w.p, &w.st, &g, &none, &b);
    CHECK(rc == LC_OK, "%s: %s", c->name, lc_ctx_errmsg(ctx));
    if (rc == LC_OK) {
        size_t nd = 0;
        while (nd < MAXD && c->days[nd].date) nd++;
        CHECK(pr.n_days == nd, "%s: %zu days, want %zu", c->name, pr.n_days, nd);
        for (size_t d = 0; d < pr.n_days && d < nd; d++) {
            const lc_progress_day *got = &pr.days[d];
            const want_day *want = &c->days[d];
            char what[160], date[11];
            lc_date_format(got->day, date);
            snprintf(what, sizeof what, "%s: %s", c->name, want->date);
            CHECK_STR(date, want->date, what);
            CHECK_ABS(got->signed_m2, want->signed_m2, 0, "m² signed", what);
            CHECK_ABS(got->cumulative_m2, want->cumulative_m2, 0, "m² cumulative", what);
            CHECK_ABS(got->largest_block_m2, want->largest_m2, 0, "m² largest block", what);
        }
        char got_target[11] = "none";
        if (pr.target_day != LC_NO_DATE) lc_date_format(pr.target_day, got_target);
        CHECK_STR(got_target, c->target_day ? c->target_day : "none", c->name);
        /* the series' last day and the blocks phase agree to the bit */
        if (b.n && pr.n_days)
            CHECK(pr.days[pr.n_days - 1].largest_block_m2 == b.items[0].parcel_m2,
                  "%s: last day's largest %.17g, block 1 %.17g", c->name, pr.days[pr.n_days - 1].largest_block_m2,
                  b.items[0].parcel_m2);
        CHECK((b.n == 0) == (pr.n_days == 0), "%s: %zu blocks, %zu days", c->name, b.n, pr.n_days);
        if (c->check_units) {
            size_t nu = 0;
            while (nu < MAXU && c->units[nu].date) nu++;
            CHECK(pr.n_unit_days == nu, "%s: %zu unit rows, want %zu", c->name, pr.n_unit_days, nu);
            for (size_t u = 0; u < pr.n_unit_days && u < nu; u++) {
                const lc_progress_unit *got = &pr.unit_days[u];
                const want_unit *want = &c->units[u];
                char what[160], date[11];
                lc_date_format(got->day, date);
                snprintf(what, sizeof what, "%s: row %zu", c->name, u);
                CHECK_STR(date, want->date, what);
                CHECK(got->kind == want->kind, "%s: kind %d, want %d", what, got->kind, want->kind);
                CHECK_STR(got->code, want->code, what);
                CHECK_ABS(got->signed_m2, want->signed_m2, 0, "m² signed", what);
                CHECK_ABS(got->cumulative_m2, want->cumulative_m2, 0, "m² cumulative", what);
                CHECK_ABS(got->total_m2, want->total_m2, 0, "m² total", what);
            }
        }
    }
    lc_blocks_release(&b);
    lc_progress_release(&pr);
    lc_adjacency_release(&g);
    fx_world_free(&w);
}

int main(void)
{
    ctx = lc_ctx_new();
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) run_case(&cases[c]);
    lc_ctx_free(ctx);
    return lc_test_report("test_progress");
}
