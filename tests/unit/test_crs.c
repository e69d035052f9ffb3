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

/* The working CRS judged by its distortion over the extent (SPEC §1).
** Extents are those of the real layers the e2e tests read (../shared/data)
** and of the sample (gis-data/shuangcheng) moved into distorting CRSs; the
** distortions they give are in docs/DECISIONS.md. */
static void distortion(void)
{
    static const struct {
        const char *crs;
        double minx, miny, maxx, maxy;
        lc_work_origin origin;
        int work_epsg;
        double min_d, max_d;   /* expected source distortion range */
    } cases[] = {
        /* the sample's own CGCS2000 GK zone 42 (CM 126E): kept, 1.1e-5 */
        {"EPSG:4530", 42516069, 5028833, 42521278, 5036282, LC_WORK_SAME, 4530, 5e-6, 2e-5},
        /* national grids over 1e-4 whose UTM replacement would be no better: kept */
        {"EPSG:28992", 62457, 346308, 252276, 585260, LC_WORK_SAME, 28992, 1.5e-4, 2.2e-4},
        {"EPSG:31287", 522350, 481537, 529061, 493331, LC_WORK_SAME, 31287, 4.8e-4, 5.8e-4},
        {"EPSG:3067", 283097, 7009879, 298932, 7031916, LC_WORK_SAME, 3067, 3e-4, 4e-4},
        {"EPSG:25832", 470534, 6106184, 680621, 6379276, LC_WORK_SAME, 25832, 7e-4, 8.5e-4},
        /* the sample in Web Mercator, the Asia Lambert conformal conic and UTM 50N
        ** (CM 117E, 9 degrees west of it): replaced by CGCS2000 CM 126E */
        {"EPSG:3857", 14049127, 5683877, 14056506, 5694492, LC_WORK_REPLACED, 4551, 0.9, 1.1},
        {"ESRI:102012", 1575041, 5588192, 1581625, 5596082, LC_WORK_REPLACED, 4551, 0.05, 0.1},
        {"EPSG:32650", 1219652, 5068232, 1225638, 5076115, LC_WORK_REPLACED, 4551, 0.01, 0.015},
    };
    lc_ctx *ctx = lc_ctx_new();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lc_crs c;
        lc_crs_request req = {.layer_wkt = cases[i].crs, .minx = cases[i].minx, .miny = cases[i].miny,
                              .maxx = cases[i].maxx, .maxy = cases[i].maxy, .what = cases[i].crs};
        if (lc_crs_setup(ctx, &req, &c) != LC_OK) {
            CHECK(0, "%s: %s", cases[i].crs, lc_ctx_errmsg(ctx));
            continue;
        }
        CHECK(c.work_origin == cases[i].origin && c.work_desc.epsg == cases[i].work_epsg,
              "%s: work CRS EPSG:%d (origin %d), want EPSG:%d (origin %d); source distortion %.3g",
              cases[i].crs, c.work_desc.epsg, c.work_origin, cases[i].work_epsg, cases[i].origin,
              c.source_distortion);
        CHECK(c.source_distortion >= cases[i].min_d && c.source_distortion <= cases[i].max_d,
              "%s: source distortion %.4g outside %.3g..%.3g", cases[i].crs, c.source_distortion,
              cases[i].min_d, cases[i].max_d);
        CHECK(c.work_distortion <= (c.work_origin == LC_WORK_SAME ? c.source_distortion : 2e-5),
              "%s: work distortion %.3g", cases[i].crs, c.work_distortion);
        CHECK(c.kept_distorted == (c.work_origin == LC_WORK_SAME && c.source_distortion > LC_MAX_WORK_DISTORTION),
              "%s: kept_distorted %d", cases[i].crs, c.kept_distorted);
        lc_crs_release(&c);
    }

    /* --work-srs is taken as given, with its distortion measured */
    lc_crs c;
    lc_crs_request forced = {.layer_wkt = "EPSG:4530", .work_srs = "EPSG:3857", .minx = 42516069,
                             .miny = 5028833, .maxx = 42521278, .maxy = 5036282, .what = "f"};
    CHECK(lc_crs_setup(ctx, &forced, &c) == LC_OK, "forced: %s", lc_ctx_errmsg(ctx));
    /* Web Mercator's area scale is 1/cos²(lat) on the sphere, 2.03 at 45.4°N */
    double lat = 45.43 * LC_PI / 180;
    CHECK(c.work_origin == LC_WORK_FROM_OPTION && c.work_desc.epsg == 3857, "forced EPSG:3857");
    CHECK_REL(0.5 * (c.work_scale_min + c.work_scale_max), 1 / (cos(lat) * cos(lat)), 3e-3,
              "Web Mercator area scale at the sample");
    lc_crs_release(&c);

    /* Xian 1980 far from its zone: replaced on its own datum (IAG 1975) */
    lc_crs_request xian = {.s_srs = "EPSG:2385", .minx = -300000, .maxx = -290000,
                           .miny = 3100000, .maxy = 3110000, .what = "x"};
    CHECK(lc_crs_setup(ctx, &xian, &c) == LC_OK, "Xian far: %s", lc_ctx_errmsg(ctx));
    CHECK(c.work_origin == LC_WORK_REPLACED, "Xian 80 layer 800 km off its CM is replaced (origin %d, %.3g)",
          c.work_origin, c.source_distortion);
    CHECK_ABS(c.a, 6378140.0, 0, "m", "the replacement keeps the Xian 80 ellipsoid");
    lc_crs_release(&c);
    lc_ctx_free(ctx);
}

/* A Gauss-Kruger CRS whose zone disagrees with the eastings' prefix. */
static void zone_mismatch(void)
{
    static const struct { const char *crs; double minx, maxx; int mismatch; } cases[] = {
        {"EPSG:4530", 42516069, 42521278, 0},  /* zone 42 and zone-42 eastings */
        {"EPSG:4529", 42516069, 42521278, 1},  /* .prj says zone 41 */
        {"EPSG:4551", 42516069, 42521278, 1},  /* unprefixed CM 126E, prefixed eastings */
        {"EPSG:4530", 516069, 521278, 1},      /* zone 42 prefix in the CRS, none in the data */
        {"EPSG:4551", 516069, 521278, 0},
        {"EPSG:32650", 1219652, 1225638, 0},   /* UTM far east of its CM: not a prefix */
        {"EPSG:25833", 900000, 1100000, 0},    /* Norway in UTM 33 passes a million */
        {"EPSG:3857", 14049127, 14056506, 0},  /* eight digits, but not transverse Mercator */
        {"EPSG:4491", 13500000, 13600000, 0},  /* 6-degree zone 13 */
        {"EPSG:4491", 14500000, 14600000, 1},
    };
    lc_ctx *ctx = lc_ctx_new();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        PJ *crs = proj_create(ctx->proj, cases[i].crs);
        char why[300] = "";
        int got = lc_crs_zone_mismatch(ctx, crs, cases[i].minx, cases[i].maxx, why, sizeof why);
        CHECK(got == cases[i].mismatch, "%s with eastings %.0f..%.0f: mismatch %d, want %d (%s)",
              cases[i].crs, cases[i].minx, cases[i].maxx, got, cases[i].mismatch, why);
        proj_destroy(crs);
    }
    lc_ctx_free(ctx);
}

int main(void)
{
    inference();
    setup();
    distortion();
    zone_mismatch();
    return lc_test_report("test_crs");
}
