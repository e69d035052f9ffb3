/* CRS inference and working-CRS choice (SPEC §1). */
#include "crs.h"
#include "lc_test.h"

static void inference(void)
{
    char why[300];
    static const struct { double minx, maxx; int epsg; } cases[] = {
        {42512345.0, 42530000.0, 4530},  /* SPEC example: zone 42, CM 126E */
        {41400000.0, 41600000.0, 4529},
        {25100000.0, 25900000.0, 4513},  /* first 3-degree zone */
        {45100000.0, 45900000.0, 4533},  /* last 3-degree zone */
        {21400000.0, 21600000.0, 4499},  /* 6-degree zone 21, CM 123E */
        {13500000.0, 13600000.0, 4491},
        {512345.0, 530000.0, 0},          /* no prefix: needs --zone */
        {42900000.0, 43100000.0, 0},      /* spans two zones */
        {46500000.0, 46600000.0, 0},      /* zone 46 does not exist */
        {24500000.0, 24600000.0, 0},      /* 24 is neither 3- nor 6-degree */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        why[0] = '\0';
        int got = lc_crs_infer_gk_epsg(cases[i].minx, cases[i].maxx, why, sizeof why);
        CHECK(got == cases[i].epsg, "eastings %.0f..%.0f: got EPSG:%d want EPSG:%d (%s)",
              cases[i].minx, cases[i].maxx, got, cases[i].epsg, why);
        if (!cases[i].epsg) CHECK(why[0], "a refusal explains itself");
    }
    lc_crs_infer_gk_epsg(512345.0, 530000.0, why, sizeof why);
    CHECK(strstr(why, "--zone") != NULL, "near-500000 eastings point to --zone: %s", why);

    CHECK(lc_crs_gk_zone_epsg(42, 0) == 4551, "zone 42 unprefixed is CM 126E (EPSG:4551)");
    CHECK(lc_crs_gk_zone_epsg(42, 1) == 4530, "zone 42 prefixed is EPSG:4530");
    CHECK(lc_crs_gk_zone_epsg(21, 0) == 4510, "6-degree zone 21 unprefixed is CM 123E (EPSG:4510)");
    CHECK(lc_crs_gk_zone_epsg(24, 0) == 0, "zone 24 does not exist");
    CHECK(lc_crs_cm_zone_epsg(126.3) == 4551, "126.3E -> CM 126E");
    CHECK(lc_crs_cm_zone_epsg(127.6) == 4552, "127.6E -> CM 129E");
    CHECK(lc_crs_cm_zone_epsg(124.4) == 4550, "124.4E -> CM 123E");
    CHECK(lc_crs_cm_zone_epsg(73.6) == 4534, "73.6E clamps to CM 75E");
    CHECK(lc_crs_utm_epsg(2.25, 48.6) == 32631, "Paris region is UTM 31N");
    CHECK(lc_crs_utm_epsg(-70.6, -33.4) == 32719, "Santiago is UTM 19S");
}

static void setup(void)
{
    lc_ctx *ctx = lc_ctx_new();
    lc_crs c;
    lc_crs_request req = {.minx = 42512345, .maxx = 42530000, .miny = 5030000, .maxy = 5040000,
                          .what = "t.shp"};
    CHECK(lc_crs_setup(ctx, &req, &c) == LC_OK, "infer zone 42: %s", lc_ctx_errmsg(ctx));
    CHECK(c.source_desc.epsg == 4530 && c.source_origin == LC_CRS_INFERRED_GK,
          "inferred EPSG:4530, got %d", c.source_desc.epsg);
    CHECK(c.work_origin == LC_WORK_SAME && !c.to_work, "projected input is used as is");
    CHECK_ABS(c.a, 6378137.0, 0, "m", "CGCS2000 semi-major axis");
    CHECK_ABS(c.inv_f, 298.257222101, 1e-9, "", "CGCS2000 inverse flattening");
    lc_crs_release(&c);

    lc_crs_request geo = {.minx = 126.2, .maxx = 126.4, .miny = 45.3, .maxy = 45.5, .what = "g"};
    CHECK(lc_crs_setup(ctx, &geo, &c) == LC_OK, "geographic China: %s", lc_ctx_errmsg(ctx));
    CHECK(c.source_desc.epsg == 4490 && c.source_origin == LC_CRS_INFERRED_GEOGRAPHIC,
          "lon/lat in China without a CRS is CGCS2000 geographic, got %d", c.source_desc.epsg);
    CHECK(c.work_desc.epsg == 4551 && c.work_origin == LC_WORK_CM_ZONE,
          "work CRS is the CM 126E zone, got %d", c.work_desc.epsg);
    lc_crs_release(&c);

    lc_crs_request fr = {.layer_wkt = "EPSG:4326", .minx = 2.33, .maxx = 2.37, .miny = 48.65,
                         .maxy = 48.68, .what = "fr"};
    CHECK(lc_crs_setup(ctx, &fr, &c) == LC_OK, "France: %s", lc_ctx_errmsg(ctx));
    CHECK(c.work_desc.epsg == 32631 && c.work_origin == LC_WORK_UTM, "UTM 31N, got %d",
          c.work_desc.epsg);
    lc_crs_release(&c);

    lc_crs_request bare = {.minx = 512345, .maxx = 530000, .miny = 5030000, .maxy = 5040000,
                           .what = "bare.shp"};
    CHECK(lc_crs_setup(ctx, &bare, &c) == LC_EINPUT, "unprefixed eastings without --zone refused");
    CHECK(strstr(lc_ctx_errmsg(ctx), "bare.shp") && strstr(lc_ctx_errmsg(ctx), "--zone"),
          "message names the file and --zone: %s", lc_ctx_errmsg(ctx));
    bare.zone = 42;
    CHECK(lc_crs_setup(ctx, &bare, &c) == LC_OK, "with --zone 42: %s", lc_ctx_errmsg(ctx));
    CHECK(c.source_desc.epsg == 4551 && c.source_origin == LC_CRS_FROM_ZONE, "EPSG:4551, got %d",
          c.source_desc.epsg);
    lc_crs_release(&c);

    /* Xian 1980 keeps its own ellipsoid (IAG 1975: a 6378140, 1/f 298.257) */
    lc_crs_request xian = {.s_srs = "EPSG:2385", .minx = 500000, .maxx = 530000,
                           .miny = 3100000, .maxy = 3130000, .what = "x"};
    CHECK(lc_crs_setup(ctx, &xian, &c) == LC_OK, "Xian 80: %s", lc_ctx_errmsg(ctx));
    CHECK_ABS(c.a, 6378140.0, 0, "m", "Xian 80 semi-major axis");
    CHECK_ABS(c.inv_f, 298.257, 1e-12, "", "Xian 80 inverse flattening");
    lc_crs_release(&c);
    lc_ctx_free(ctx);
}

int main(void)
{
    inference();
    setup();
    return lc_test_report("test_crs");
}
