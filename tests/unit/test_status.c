/*
** Status as of a date (SPEC §2) and the register checks that need the
** parcels (status.c): a table of register entries and days with the status
** each must give, then a table of parcel sets and registers with every
** parcel's status and unit codes, the totals by status, the register keys
** without parcel, the parcels without row and the findings. Parcels are
** rectangles, so their areas are exact and the totals are read off the
** drawings (RECT(x0, y0, x1, y1): (x1 - x0) × (y1 - y0) m²).
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "dates.h"
#include "lc_fixture.h"
#include "lc_test.h"
#include "qa.h"

static lc_ctx *ctx;

/* ---- lc_status_on: one entry, one day ---------------------------------- */

static void status_on_cases(void)
{
    int32_t d = fx_day("2019-05-01");
    static const struct {
        const char *name;
        int has_entry;
        lc_reg_status reg;
        int32_t signed_offset;       /* signed date - D in days; INT32_MIN: no date */
        lc_parcel_status want;
    } cases[] = {
        {"no register row", 0, LC_REG_SIGNED, 0, LC_ST_UNREGISTERED},
        {"signed the day before", 1, LC_REG_SIGNED, -1, LC_ST_TRANSFERRED},
        {"signed on the day (on or before D)", 1, LC_REG_SIGNED, 0, LC_ST_TRANSFERRED},
        {"signed long before", 1, LC_REG_SIGNED, -3650, LC_ST_TRANSFERRED},
        {"signed the day after: still pending", 1, LC_REG_SIGNED, 1, LC_ST_PENDING},
        {"signed with no date: pending", 1, LC_REG_SIGNED, INT32_MIN, LC_ST_PENDING},
        {"pending, dated before", 1, LC_REG_PENDING, -10, LC_ST_PENDING},
        {"pending, no date", 1, LC_REG_PENDING, INT32_MIN, LC_ST_PENDING},
        {"refused, dated before (a date does not transfer it)", 1, LC_REG_REFUSED, -10, LC_ST_REFUSED},
        {"refused, no date", 1, LC_REG_REFUSED, INT32_MIN, LC_ST_REFUSED},
        {"disputed, dated before", 1, LC_REG_DISPUTED, -10, LC_ST_DISPUTED},
        {"disputed, dated after", 1, LC_REG_DISPUTED, 10, LC_ST_DISPUTED},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        lc_reg_entry e = {.key = "k", .status = cases[c].reg, .declared_mu = NAN};
        e.signed_on = cases[c].signed_offset == INT32_MIN ? LC_NO_DATE : d + cases[c].signed_offset;
        lc_parcel_status got = lc_status_on(cases[c].has_entry ? &e : NULL, d);
        CHECK(got == cases[c].want, "%s: got %s, want %s", cases[c].name, lc_parcel_status_name(got),
              lc_parcel_status_name(cases[c].want));
    }
}

/* ---- lc_status_run: parcel sets against registers ------------------------- */

#define MAXP 8
#define MAXR 8

typedef struct want_parcel { char st; const char *township, *village; } want_parcel;

typedef struct status_case {
    const char *name;
    const char *as_of;
    const char *township_field, *village_field;
    int no_register;             /* run without a register (reg NULL) */
    fx_row parcels[MAXP];        /* up to the first NULL wkt */
    fx_reg_row reg[MAXR];        /* up to the first NULL status */
    want_parcel want[MAXP];
    double m2[LC_ST_N];          /* totals by status, T P R D U */
    const char *orphans;         /* register keys without parcel, in key order, "|"-separated */
    const char *unregistered;    /* keys of parcels without row, in parcel order */
    size_t without_row, without_parcel, area_mismatch;  /* findings by kind */
} status_case;

#define NO NAN

static const status_case cases[] = {
    {"nothing at all", "2019-05-01", NULL, NULL, 0, {{0}}, {{0}}, {{0}}, {0, 0, 0, 0, 0}, "", "", 0, 0, 0},
    /* a register and no parcels: both rows name no parcel, listed by key */
    {"register without parcels", "2019-05-01", NULL, NULL, 0, {{0}},
     {{"k2", "signed", "2019-01-01", NO, NULL}, {"k1", "pending", NULL, NO, NULL}}, {{0}},
     {0, 0, 0, 0, 0}, "k1|k2", "", 0, 2, 0},
    /*
    ** Every rule of "status as of D" at once; D = 2019-05-01. Parcel k0N is
    ** 10 m × (10 N) m, N × 100 m²:
    **   k01 signed 2019-04-30          transferred   100
    **   k02 signed on D (2019年5月1日)  transferred   200
    **   k03 signed 2019-05-02, after D  pending      300
    **   k04 signed with no date         pending      400
    **   k05 pending (dated)             pending      500
    **   k06 refused (dated before D)    refused      600
    **   k07 disputed                    disputed     700
    **   k08 no row                      unregistered 800
    ** Totals: T 300, P 1200, R 600, D 700, U 800. Keys under 9 characters
    ** name no township or village.
    */
    {"status as of D", "2019-05-01", NULL, NULL, 0,
     {{"k01", RECT(0, 0, 10, 10), 0, 0}, {"k02", RECT(20, 0, 30, 20), 0, 0}, {"k03", RECT(40, 0, 50, 30), 0, 0},
      {"k04", RECT(60, 0, 70, 40), 0, 0}, {"k05", RECT(80, 0, 90, 50), 0, 0},
      {"k06", RECT(100, 0, 110, 60), 0, 0}, {"k07", RECT(120, 0, 130, 70), 0, 0},
      {"k08", RECT(140, 0, 150, 80), 0, 0}},
     {{"k01", "signed", "2019-04-30", NO, NULL}, {"k02", "已签约", "2019年5月1日", NO, NULL},
      {"k03", "signed", "2019/5/2", NO, NULL}, {"k04", "已流转", NULL, NO, NULL},
      {"k05", "pending", "2019-01-01", NO, NULL}, {"k06", "拒签", "2019-01-01", NO, NULL},
      {"k07", "争议", NULL, NO, NULL}},
     {{'T', 0, 0}, {'T', 0, 0}, {'p', 0, 0}, {'p', 0, 0}, {'p', 0, 0}, {'r', 0, 0}, {'d', 0, 0}, {'u', 0, 0}},
     {300, 1200, 600, 700, 800}, "", "k08", 1, 0, 0},
    /* the same parcels a year earlier: nothing signed yet (k01 and k02 pending) */
    {"status as of a year before", "2018-05-01", NULL, NULL, 0,
     {{"k01", RECT(0, 0, 10, 10), 0, 0}, {"k02", RECT(20, 0, 30, 20), 0, 0}},
     {{"k01", "signed", "2019-04-30", NO, NULL}, {"k02", "signed", "2019-05-01", NO, NULL}},
     {{'p', 0, 0}, {'p', 0, 0}}, {0, 300, 0, 0, 0}, "", "", 0, 0, 0},
    /*
    ** Unit codes from the key: township = first 9 characters, village =
    ** first 12, NULL when the key is shorter; characters, not bytes (a CJK
    ** key is cut after 9 and 12 characters). A parcel without key has no
    ** codes, no row and no finding. Register keys without parcel: "0000"
    ** and "…099", in key order. Areas 100, 200, 300, 400, 500 m²; only the
    ** first is transferred: T 100, U 1400.
    */
    {"unit codes from the key", "2019-05-01", NULL, NULL, 0,
     {{"2301131012010100001", RECT(0, 0, 10, 10), 0, 0}, {"2301131012", RECT(20, 0, 30, 20), 0, 0},
      {"23011310", RECT(40, 0, 50, 30), 0, 0}, {NULL, RECT(60, 0, 70, 40), 0, 0},
      {"周家镇建设村第一组地块01", RECT(80, 0, 90, 50), 0, 0}},
     {{"2301131012010100001", "signed", "2019-01-01", NO, NULL},
      {"2301131012010100099", "signed", "2019-01-01", NO, NULL}, {"0000", "pending", NULL, NO, NULL}},
     {{'T', "230113101", "230113101201"}, {'u', "230113101", NULL}, {'u', NULL, NULL}, {'u', NULL, NULL},
      {'u', "周家镇建设村第一组", "周家镇建设村第一组地块0"}},
     {100, 0, 0, 0, 1400}, "0000|2301131012010100099", "2301131012|23011310|周家镇建设村第一组地块01", 3, 2, 0},
    /* --township-field XZ --village-field CUN: the fields, not the key; a
    ** null field gives no code */
    {"unit codes from fields", "2019-05-01", "XZ", "CUN", 0,
     {{"2301131012010100001", RECT(0, 0, 10, 10), "999", "999888"}, {"2301131012010100002", RECT(20, 0, 30, 10), NULL, "777"}},
     {{"2301131012010100001", "signed", "2019-01-01", NO, NULL}, {"2301131012010100002", "pending", NULL, NO, NULL}},
     {{'T', "999", "999888"}, {'p', NULL, "777"}}, {100, 100, 0, 0, 0}, "", "", 0, 0, 0},
    /* two parcels with one key (a duplicate key is kept and counted): both
    ** take the key's row */
    {"duplicate parcel keys", "2019-05-01", NULL, NULL, 0,
     {{"A", RECT(0, 0, 10, 10), 0, 0}, {"A", RECT(20, 0, 30, 20), 0, 0}, {"B", RECT(40, 0, 50, 30), 0, 0}},
     {{"A", "signed", "2019-01-01", NO, NULL}, {"B", "refused", NULL, NO, NULL}},
     {{'T', 0, 0}, {'T', 0, 0}, {'r', 0, 0}}, {300, 0, 300, 0, 0}, "", "", 0, 0, 0},
    /*
    ** Declared area against the measure, tolerance 5 %: each parcel is
    ** 40 m × 50 m = 2000 m² = 3 mu exactly. Declared 3.1 (+3.3 %): fine;
    ** 3.3 (+10 %) and 2.7 (-10 %): findings; 3.15 (+5 %, not more): fine;
    ** none declared: nothing to compare.
    */
    {"declared area", "2019-05-01", NULL, NULL, 0,
     {{"m1", RECT(0, 0, 40, 50), 0, 0}, {"m2", RECT(50, 0, 90, 50), 0, 0}, {"m3", RECT(100, 0, 140, 50), 0, 0},
      {"m4", RECT(150, 0, 190, 50), 0, 0}, {"m5", RECT(200, 0, 240, 50), 0, 0}},
     {{"m1", "pending", NULL, 3.1, NULL}, {"m2", "pending", NULL, 3.3, NULL}, {"m3", "pending", NULL, 2.7, NULL},
      {"m4", "pending", NULL, NO, NULL}, {"m5", "pending", NULL, 3.15, NULL}},
     {{'p', 0, 0}, {'p', 0, 0}, {'p', 0, 0}, {'p', 0, 0}, {'p', 0, 0}}, {0, 10000, 0, 0, 0}, "", "", 0, 0, 2},
    /* no register at all (check): every parcel unregistered, no register
    ** findings, nothing to list */
    {"no register", "2019-05-01", NULL, NULL, 1,
     {{"a", RECT(0, 0, 10, 10), 0, 0}, {"b", RECT(20, 0, 30, 30), 0, 0}}, {{0}},
     {{'u', 0, 0}, {'u', 0, 0}}, {0, 0, 0, 0, 400}, "", "", 0, 0, 0},
};

static lc_parcel_status status_of(char c)
{
    switch (c) {
    case 'T': return LC_ST_TRANSFERRED;
    case 'p': return LC_ST_PENDING;
    case 'r': return LC_ST_REFUSED;
    case 'd': return LC_ST_DISPUTED;
    default: return LC_ST_UNREGISTERED;
    }
}

static int same(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

/* "a|b|c" of the keys named by a list of indices. */
static void join_keys(char *buf, size_t cap, const char *const *keys, size_t n)
{
    buf[0] = '\0';
    for (size_t k = 0; k < n; k++) {
        size_t at = strlen(buf);
        snprintf(buf + at, cap - at, "%s%s", k ? "|" : "", keys[k] ? keys[k] : "(null)");
    }
}

static void run_case(const status_case *c)
{
    size_t np = 0, nr = 0;
    while (np < MAXP && c->parcels[np].wkt) np++;
    while (nr < MAXR && c->reg[nr].status) nr++;
    lc_parcels *p = NULL;
    lc_register *reg = NULL;
    lc_status rc = fx_parcels(ctx, NULL, 0, 0, c->parcels, np, &p);
    if (rc == LC_OK && !c->no_register) rc = fx_register(ctx, c->reg, nr, &reg);
    CHECK(rc == LC_OK, "%s: fixture: %s", c->name, lc_ctx_errmsg(ctx));
    if (rc != LC_OK) goto out;
    lc_status_opts o = {fx_day(c->as_of), c->township_field, c->village_field, 0.05};
    lc_qa qa = {0};
    lc_statuses st;
    rc = lc_status_run(ctx, p, reg, &o, &qa, &st);
    CHECK(rc == LC_OK, "%s: status run: %s", c->name, lc_ctx_errmsg(ctx));
    if (rc == LC_OK) {
        CHECK(st.n == np, "%s: %zu states for %zu parcels", c->name, st.n, np);
        size_t count[LC_ST_N] = {0};
        double total = 0;
        for (size_t i = 0; i < np; i++) {
            const want_parcel *w = &c->want[i];
            const lc_parcel_state *s = &st.state[i];
            count[status_of(w->st)]++;
            CHECK(s->status == status_of(w->st), "%s: parcel %zu (%s): %s, want %s", c->name, i,
                  c->parcels[i].key ? c->parcels[i].key : "no key", lc_parcel_status_name(s->status),
                  lc_parcel_status_name(status_of(w->st)));
            CHECK(same(s->township, w->township), "%s: parcel %zu township %s, want %s", c->name, i,
                  s->township ? s->township : "NULL", w->township ? w->township : "NULL");
            CHECK(same(s->village, w->village), "%s: parcel %zu village %s, want %s", c->name, i,
                  s->village ? s->village : "NULL", w->village ? w->village : "NULL");
            /* a parcel has an entry exactly when it is not unregistered */
            CHECK((s->entry != NULL) == (w->st != 'u'), "%s: parcel %zu entry %p", c->name, i, (void *)s->entry);
        }
        for (int k = 0; k < LC_ST_N; k++) {
            CHECK(st.totals.count[k] == count[k], "%s: %s count %zu, want %zu", c->name,
                  lc_parcel_status_name((lc_parcel_status)k), st.totals.count[k], count[k]);
            char what[128];
            snprintf(what, sizeof what, "%s: %s m²", c->name, lc_parcel_status_name((lc_parcel_status)k));
            CHECK_ABS(st.totals.m2[k], c->m2[k], 0, "m²", what);
            total += c->m2[k];
        }
        CHECK_ABS(st.total_m2, total, 0, "m²", c->name);
        const char *keys[MAXR + MAXP];
        char got[512];
        for (size_t k = 0; k < st.n_orphan_entries; k++) keys[k] = reg->entries[st.orphan_entries[k]].key;
        join_keys(got, sizeof got, keys, st.n_orphan_entries);
        CHECK_STR(got, c->orphans, "register keys without parcel");
        for (size_t k = 0; k < st.n_unregistered; k++) keys[k] = p->items[st.unregistered[k]].key;
        join_keys(got, sizeof got, keys, st.n_unregistered);
        CHECK_STR(got, c->unregistered, "parcels without row");
        /* every entry a parcel names is matched, and only those */
        for (size_t e = 0; reg && e < reg->n_entries; e++) {
            int named = fx_find(p, reg->entries[e].key) != SIZE_MAX;
            CHECK(st.entry_matched[e] == named, "%s: entry %s matched %d", c->name, reg->entries[e].key,
                  st.entry_matched[e]);
        }
        CHECK(lc_qa_count_kind(&qa, "parcel_without_register_row") == c->without_row,
              "%s: %zu parcels without row findings, want %zu", c->name,
              lc_qa_count_kind(&qa, "parcel_without_register_row"), c->without_row);
        CHECK(lc_qa_count_kind(&qa, "register_key_without_parcel") == c->without_parcel,
              "%s: %zu keys without parcel findings, want %zu", c->name,
              lc_qa_count_kind(&qa, "register_key_without_parcel"), c->without_parcel);
        CHECK(lc_qa_count_kind(&qa, "declared_area_mismatch") == c->area_mismatch,
              "%s: %zu declared-area findings, want %zu", c->name, lc_qa_count_kind(&qa, "declared_area_mismatch"),
              c->area_mismatch);
        CHECK(qa.n == c->without_row + c->without_parcel + c->area_mismatch, "%s: %zu findings in all", c->name,
              qa.n);
        lc_statuses_release(&st);
    }
    lc_qa_release(&qa);
out:
    fx_register_free(reg);
    fx_parcels_free(p);
}

/* A --township-field the layer does not have is bad input naming it. */
static void missing_field(void)
{
    fx_row rows[] = {{"a", RECT(0, 0, 1, 1), NULL, NULL}};
    lc_parcels *p = NULL;
    CHECK(fx_parcels(ctx, NULL, 0, 0, rows, 1, &p) == LC_OK, "fixture");
    lc_status_opts o = {fx_day("2019-05-01"), "XIANG", NULL, 0.05};
    lc_qa qa = {0};
    lc_statuses st;
    CHECK(lc_status_run(ctx, p, NULL, &o, &qa, &st) == LC_EINPUT, "missing township field refused");
    CHECK(strstr(lc_ctx_errmsg(ctx), "XIANG") != NULL, "message names the field: %s", lc_ctx_errmsg(ctx));
    lc_statuses_release(&st);
    o.township_field = NULL;
    o.village_field = "CUNDM";
    CHECK(lc_status_run(ctx, p, NULL, &o, &qa, &st) == LC_EINPUT, "missing village field refused");
    CHECK(strstr(lc_ctx_errmsg(ctx), "CUNDM") != NULL, "message names the field: %s", lc_ctx_errmsg(ctx));
    lc_statuses_release(&st);
    lc_qa_release(&qa);
    fx_parcels_free(p);
}

int main(void)
{
    ctx = lc_ctx_new();
    status_on_cases();
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) run_case(&cases[c]);
    missing_field();
    lc_ctx_free(ctx);
    return lc_test_report("test_status");
}
