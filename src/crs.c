/*
** CRS decisions (SPEC §1): the layer's own CRS when it has one; otherwise
** CGCS2000 Gauss-Kruger inferred from zone-prefixed eastings; geographic
** input is projected to the CGCS2000 3-degree CM zone of its centroid in
** China and to the UTM zone of its centroid elsewhere. Every choice is
** recorded so outputs can name the CRS and say whether it was inferred.
**
** The working CRS is judged by its distortion over the layer's extent
** (PROJ's proj_factors at the extent's corners, side middles and centre):
** planar areas are only as good as the projection's area scale there. A
** projected layer CRS distorting by more than LC_MAX_WORK_DISTORTION (Web
** Mercator, a continental Lambert, a UTM zone far from the data) is
** replaced by the Gauss-Kruger 3-degree CM zone (China) or the UTM zone of
** the centroid, on the layer's own datum, when that zone at least halves
** the distortion; a national grid (UTM-based, a national Lambert or
** stereographic) whose replacement would be no better is kept.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <proj_experimental.h>

#include "crs.h"

/* Zone-prefixed Gauss-Kruger eastings are zone * 1e6 + 500 000 ± 400 000:
** eight digits. Unprefixed ones stay below one million. */
#define LC_GK_PREFIXED_MIN 1.0e7
#define LC_GK_PREFIXED_MAX 1.0e8
#define LC_GK_UNPREFIXED_MAX 1.0e6

int lc_crs_gk_zone_epsg(int zone, int prefixed)
{
    if (zone >= 25 && zone <= 45) return (prefixed ? 4513 : 4534) + zone - 25;
    if (zone >= 13 && zone <= 23) return (prefixed ? 4491 : 4502) + zone - 13;
    return 0;
}

int lc_crs_infer_gk_epsg(double minx, double maxx, char *why, size_t why_cap)
{
    if (!(minx >= LC_GK_PREFIXED_MIN && maxx < LC_GK_PREFIXED_MAX)) {
        if (minx > 0 && maxx < LC_GK_UNPREFIXED_MAX)
            lc_appendf(why, why_cap, 0, "eastings %.0f..%.0f m carry no zone number: "
                       "give the Gauss-Kruger zone with --zone N or the CRS with --s-srs",
                       minx, maxx);
        else
            lc_appendf(why, why_cap, 0, "coordinates x %.6g..%.6g are neither longitudes nor "
                       "Gauss-Kruger eastings: give the CRS with --s-srs", minx, maxx);
        return 0;
    }
    int z0 = (int)floor(minx / 1e6), z1 = (int)floor(maxx / 1e6);
    if (z0 != z1) {
        lc_appendf(why, why_cap, 0, "eastings %.0f..%.0f span Gauss-Kruger zones %d and %d: "
                   "give the CRS with --s-srs", minx, maxx, z0, z1);
        return 0;
    }
    int epsg = lc_crs_gk_zone_epsg(z0, 1);
    if (!epsg)
        lc_appendf(why, why_cap, 0, "eastings %.0f..%.0f give zone %d, which is not a Chinese "
                   "Gauss-Kruger zone (3-degree 25-45, 6-degree 13-23): give --s-srs",
                   minx, maxx, z0);
    return epsg;
}

int lc_crs_in_china(double lon, double lat)
{
    return lon >= 73.0 && lon <= 135.5 && lat >= 3.0 && lat <= 54.0;
}

int lc_crs_cm_zone_epsg(double lon)
{
    int cm = 3 * (int)lround(lon / 3.0);
    if (cm < 75) cm = 75;
    if (cm > 135) cm = 135;
    return 4534 + (cm - 75) / 3;
}

int lc_crs_utm_epsg(double lon, double lat)
{
    int zone = (int)floor((lon + 180.0) / 6.0) + 1;
    if (zone < 1) zone = 1;
    if (zone > 60) zone = 60;
    return (lat >= 0 ? 32600 : 32700) + zone;
}

static PJ *create_epsg(lc_ctx *ctx, int code)
{
    char s[32];
    snprintf(s, sizeof s, "EPSG:%d", code);
    return proj_create(ctx->proj, s);
}

/* The horizontal part of a bound or compound CRS; a new reference. */
static PJ *horizontal(lc_ctx *ctx, PJ *crs)
{
    PJ_TYPE t = proj_get_type(crs);
    if (t == PJ_TYPE_BOUND_CRS) {
        PJ *src = proj_get_source_crs(ctx->proj, crs);
        PJ *h = src ? horizontal(ctx, src) : NULL;
        proj_destroy(src);
        return h;
    }
    if (t == PJ_TYPE_COMPOUND_CRS) {
        PJ *sub = proj_crs_get_sub_crs(ctx->proj, crs, 0);
        PJ *h = sub ? horizontal(ctx, sub) : NULL;
        proj_destroy(sub);
        return h;
    }
    return proj_clone(ctx->proj, crs);
}

static int is_geographic(PJ *crs)
{
    PJ_TYPE t = proj_get_type(crs);
    return t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS;
}

static int is_projected(PJ *crs) { return proj_get_type(crs) == PJ_TYPE_PROJECTED_CRS; }

/* Metres per unit of the first axis of a projected CRS, 0 when unknown. */
static double linear_unit(lc_ctx *ctx, PJ *crs)
{
    PJ *cs = proj_crs_get_coordinate_system(ctx->proj, crs);
    double factor = 0;
    if (cs && !proj_cs_get_axis_info(ctx->proj, cs, 0, NULL, NULL, NULL, &factor, NULL,
                                     NULL, NULL))
        factor = 0;
    proj_destroy(cs);
    return factor;
}

/* Fills name and EPSG id; a CRS without an id is matched against the EPSG
** database and adopted when PROJ is certain (a .prj of EPSG:4530 written by
** ArcGIS names it "CGCS2000_3_Degree_GK_Zone_42"). */
static void describe(lc_ctx *ctx, PJ **crs, lc_crs_desc *d)
{
    memset(d, 0, sizeof *d);
    const char *auth = proj_get_id_auth_name(*crs, 0);
    const char *code = proj_get_id_code(*crs, 0);
    if (!auth || !code) {
        int *confidence = NULL;
        PJ_OBJ_LIST *list = proj_identify(ctx->proj, *crs, "EPSG", NULL, &confidence);
        if (list && proj_list_get_count(list) > 0 && confidence[0] == 100) {
            PJ *match = proj_list_get(ctx->proj, list, 0);
            if (match) {
                proj_destroy(*crs);
                *crs = match;
            }
        }
        proj_int_list_destroy(confidence);
        proj_list_destroy(list);
        auth = proj_get_id_auth_name(*crs, 0);
        code = proj_get_id_code(*crs, 0);
    }
    const char *name = proj_get_name(*crs);
    snprintf(d->name, sizeof d->name, "%s", name ? name : "unnamed CRS");
    if (auth && code) {
        snprintf(d->id, sizeof d->id, "%s:%s", auth, code);
        if (!strcmp(auth, "EPSG")) d->epsg = atoi(code);
    }
}

static PJ *make_transform(lc_ctx *ctx, PJ *from, PJ *to)
{
    PJ *op = proj_create_crs_to_crs_from_pj(ctx->proj, from, to, NULL, NULL);
    if (!op) return NULL;
    PJ *norm = proj_normalize_for_visualization(ctx->proj, op);
    proj_destroy(op);
    return norm;
}

void lc_crs_release(lc_crs *crs)
{
    if (!crs) return;
    proj_destroy(crs->source);
    proj_destroy(crs->work);
    proj_destroy(crs->to_work);
    proj_destroy(crs->to_geographic);
    memset(crs, 0, sizeof *crs);
}

static lc_status choose_source(lc_ctx *ctx, const lc_crs_request *req, lc_crs *c)
{
    PJ *raw = NULL;
    if (req->s_srs) {
        raw = proj_create(ctx->proj, req->s_srs);
        if (!raw) return lc_error(ctx, LC_EINPUT, "--s-srs %s: not a CRS PROJ understands", req->s_srs);
        c->source_origin = LC_CRS_FROM_OPTION;
    } else if (req->layer_wkt) {
        raw = proj_create(ctx->proj, req->layer_wkt);
        if (!raw) return lc_error(ctx, LC_EINPUT, "%s: the layer's CRS cannot be read "
                                  "(give one with --s-srs)", req->what);
        c->source_origin = LC_CRS_FROM_LAYER;
    } else {
        char why[300];
        int epsg = 0;
        if (fabs(req->minx) <= 180 && fabs(req->maxx) <= 180 && fabs(req->miny) <= 90 &&
            fabs(req->maxy) <= 90) {
            double lon = (req->minx + req->maxx) / 2, lat = (req->miny + req->maxy) / 2;
            epsg = lc_crs_in_china(lon, lat) ? 4490 : 4326;
            c->source_origin = LC_CRS_INFERRED_GEOGRAPHIC;
        } else if (req->zone) {
            int prefixed = req->minx >= LC_GK_PREFIXED_MIN;
            epsg = lc_crs_gk_zone_epsg(req->zone, prefixed);
            if (!epsg)
                return lc_error(ctx, LC_EINPUT, "--zone %d: not a Gauss-Kruger zone "
                                "(3-degree 25-45, 6-degree 13-23)", req->zone);
            if (prefixed && (int)floor(req->minx / 1e6) != req->zone)
                return lc_error(ctx, LC_EINPUT, "%s: eastings start with zone %d but --zone is %d",
                                req->what, (int)floor(req->minx / 1e6), req->zone);
            c->source_origin = LC_CRS_FROM_ZONE;
        } else {
            epsg = lc_crs_infer_gk_epsg(req->minx, req->maxx, why, sizeof why);
            if (!epsg) return lc_error(ctx, LC_EINPUT, "%s has no CRS (.prj): %s", req->what, why);
            c->source_origin = LC_CRS_INFERRED_GK;
        }
        raw = create_epsg(ctx, epsg);
        if (!raw) return lc_error(ctx, LC_EINTERNAL, "EPSG:%d is missing from the PROJ database", epsg);
    }
    c->source = horizontal(ctx, raw);
    proj_destroy(raw);
    if (!c->source) return lc_error(ctx, LC_EINPUT, "%s: unusable CRS", req->what);
    if (!is_geographic(c->source) && !is_projected(c->source))
        return lc_error(ctx, LC_EINPUT, "%s: CRS \"%s\" is neither geographic nor projected",
                        req->what, proj_get_name(c->source));
    describe(ctx, &c->source, &c->source_desc);
    return LC_OK;
}

/* A replacement must at least halve the distortion: between a national
** grid and a UTM zone of similar distortion, the grid the data came in
** (and its official areas were computed in) is kept. */
#define LC_REPLACE_GAIN 2.0

double lc_crs_distortion(lc_ctx *ctx, PJ *crs, const double *lonlat, size_t n, double *smin,
                         double *smax)
{
    *smin = INFINITY;
    *smax = -INFINITY;
    /* proj_factors wants a plain projection taking radians; a projected CRS
    ** is not always accepted as such (PROJ 9.1 refuses some), so the CRS's
    ** own PROJ string is instantiated as an operation */
    const char *def = proj_as_proj_string(ctx->proj, crs, PJ_PROJ_5, NULL);
    if (!def) return INFINITY;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", def);
    char *t = strstr(buf, " +type=crs");
    if (t) memmove(t, t + 10, strlen(t + 10) + 1);
    PJ *op = proj_create(ctx->proj, buf);
    if (!op) return INFINITY;
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        PJ_COORD lp = proj_coord(proj_torad(lonlat[2 * i]), proj_torad(lonlat[2 * i + 1]), 0, 0);
        proj_errno_reset(op);
        PJ_FACTORS f = proj_factors(op, lp);
        if (proj_errno(op) || !isfinite(f.areal_scale) || !(f.areal_scale > 0)) {
            worst = INFINITY;
            continue;
        }
        double d[3] = {fabs(f.areal_scale - 1), fabs(f.tissot_semimajor - 1),
                       fabs(f.tissot_semiminor - 1)};
        for (int k = 0; k < 3; k++)
            if (d[k] > worst) worst = d[k];
        if (f.areal_scale < *smin) *smin = f.areal_scale;
        if (f.areal_scale > *smax) *smax = f.areal_scale;
    }
    proj_destroy(op);
    if (!isfinite(worst)) *smin = *smax = NAN;
    return worst;
}

int lc_crs_zone_mismatch(lc_ctx *ctx, PJ *crs, double minx, double maxx, char *why, size_t cap)
{
    if (!is_projected(crs)) return 0;
    PJ *op = proj_crs_get_coordoperation(ctx->proj, crs);
    if (!op) return 0;
    const char *method = NULL;
    double fe = NAN;
    proj_coordoperation_get_method_info(ctx->proj, op, &method, NULL, NULL);
    int k = proj_coordoperation_get_param_index(ctx->proj, op, "False easting");
    if (k >= 0) proj_coordoperation_get_param(ctx->proj, op, k, NULL, NULL, NULL, &fe, NULL, NULL, NULL,
                                              NULL, NULL, NULL);
    int tm = method && (strstr(method, "Transverse Mercator") || strstr(method, "Gauss"));
    proj_destroy(op);
    if (!tm || !isfinite(fe)) return 0;
    /* the convention: zone * 1e6 + 500 000 m, eight digits */
    int crs_zone = fe >= LC_GK_PREFIXED_MIN ? (int)floor(fe / 1e6) : 0;
    int z0 = minx >= LC_GK_PREFIXED_MIN ? (int)floor(minx / 1e6) : 0;
    int z1 = maxx >= LC_GK_PREFIXED_MIN ? (int)floor(maxx / 1e6) : 0;
    if (!crs_zone && !z0 && !z1) return 0;
    if (z0 == crs_zone && z1 == crs_zone) return 0;
    size_t n;
    if (crs_zone && !z0 && !z1)
        n = lc_appendf(why, cap, 0, "the CRS %s has false easting %.0f (zone %d prefix) but the eastings "
                       "%.0f..%.0f carry no zone prefix", proj_get_name(crs), fe, crs_zone, minx, maxx);
    else if (crs_zone)
        n = lc_appendf(why, cap, 0, "the CRS %s has false easting %.0f (zone %d) but the eastings %.0f..%.0f "
                       "carry zone prefix %d", proj_get_name(crs), fe, crs_zone, minx, maxx, z0 ? z0 : z1);
    else
        n = lc_appendf(why, cap, 0, "the CRS %s has false easting %.0f (no zone prefix) but the eastings "
                       "%.0f..%.0f carry zone prefix %d", proj_get_name(crs), fe, minx, maxx, z0 ? z0 : z1);
    if (z0 != z1) lc_appendf(why, cap, n, " and more");
    return 1;
}

void lc_crs_distortion_text(double d, char *buf, size_t cap)
{
    if (!isfinite(d)) lc_appendf(buf, cap, 0, "an amount PROJ cannot evaluate");
    else snprintf(buf, cap, "%.3g %%", 100 * d);
}

/* The sample points of the extent as longitude/latitude on the source's
** own datum; 0 when they cannot be placed. */
static int sample_points(lc_ctx *ctx, const lc_crs_request *req, PJ *source, double *lonlat)
{
    for (int k = 0; k < 2 * LC_CRS_SAMPLES; k++) lonlat[k] = NAN;
    PJ *op = NULL;
    if (!is_geographic(source)) {
        PJ *geo = proj_crs_get_geodetic_crs(ctx->proj, source);
        op = geo ? make_transform(ctx, source, geo) : NULL;
        proj_destroy(geo);
        if (!op) return 0;
    }
    int ok = 1;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double x = req->minx + (req->maxx - req->minx) * i / 2.0;
            double y = req->miny + (req->maxy - req->miny) * j / 2.0;
            PJ_COORD c = proj_coord(x, y, 0, 0);
            if (op) c = proj_trans(op, PJ_FWD, c);
            double *p = lonlat + 2 * (3 * j + i);
            p[0] = c.xy.x;
            p[1] = c.xy.y;
            if (!isfinite(p[0]) || !isfinite(p[1]) || fabs(p[1]) > 90) ok = 0;
        }
    proj_destroy(op);
    return ok;
}

/* Whether a geodetic CRS's ellipsoid is WGS 84's or GRS 1980's (CGCS2000,
** ETRS89, NAD83): the datums a CGCS2000 or WGS 84 zone stands in for to
** well under a metre, which PROJ transforms between as a no-op. */
static int wgs84_like(lc_ctx *ctx, PJ *geodetic)
{
    PJ *ell = proj_get_ellipsoid(ctx->proj, geodetic);
    double a = 0, b, inv_f = 0;
    int computed;
    int ok = ell && proj_ellipsoid_get_parameters(ctx->proj, ell, &a, &b, &computed, &inv_f);
    proj_destroy(ell);
    return ok && a == 6378137.0 && fabs(inv_f - 298.2572) < 1e-4;
}

/* The zone for a layer centred on lon/lat: the Gauss-Kruger 3-degree CM
** zone in China, the UTM zone elsewhere. On WGS 84 / CGCS2000 its EPSG
** CRS; on another datum (Xian 1980, Beijing 1954, ...) the same projection
** built on that datum, so areas stay on the layer's own ellipsoid. */
static PJ *zone_crs(lc_ctx *ctx, PJ *source, double lon, double lat, lc_work_origin *origin)
{
    int china = lc_crs_in_china(lon, lat);
    *origin = china ? LC_WORK_CM_ZONE : LC_WORK_UTM;
    PJ *geodetic = is_geographic(source) ? proj_clone(ctx->proj, source)
                                         : proj_crs_get_geodetic_crs(ctx->proj, source);
    if (!geodetic) return NULL;
    if (wgs84_like(ctx, geodetic)) {
        proj_destroy(geodetic);
        return create_epsg(ctx, china ? lc_crs_cm_zone_epsg(lon) : lc_crs_utm_epsg(lon, lat));
    }
    PJ *conv;
    char name[160];
    if (china) {
        int epsg = lc_crs_cm_zone_epsg(lon);
        double cm = 75.0 + 3.0 * (epsg - 4534);
        conv = proj_create_conversion_transverse_mercator(ctx->proj, 0, cm, 1.0, 500000, 0, "Degree",
                                                          LC_PI / 180, "Metre", 1.0);
        snprintf(name, sizeof name, "%s / 3-degree Gauss-Kruger CM %.0fE", proj_get_name(geodetic), cm);
    } else {
        int zone = lc_crs_utm_epsg(lon, lat) % 100;
        conv = proj_create_conversion_utm(ctx->proj, zone, lat >= 0);
        snprintf(name, sizeof name, "%s / UTM zone %d%c", proj_get_name(geodetic), zone, lat >= 0 ? 'N' : 'S');
    }
    PJ *cs = proj_create_cartesian_2D_cs(ctx->proj, PJ_CART2D_EASTING_NORTHING, "Metre", 1.0);
    PJ *crs = conv && cs ? proj_create_projected_crs(ctx->proj, name, geodetic, conv, cs) : NULL;
    proj_destroy(cs);
    proj_destroy(conv);
    proj_destroy(geodetic);
    return crs;
}

static lc_status choose_work(lc_ctx *ctx, const lc_crs_request *req, lc_crs *c)
{
    double lonlat[2 * LC_CRS_SAMPLES];
    int placed = sample_points(ctx, req, c->source, lonlat);
    /* the centre of the 3 x 3 grid is its fifth point */
    double lon = lonlat[8], lat = lonlat[9];
    c->source_distortion = c->source_scale_min = c->source_scale_max = NAN;
    if (is_projected(c->source))
        c->source_distortion = placed ? lc_crs_distortion(ctx, c->source, lonlat, LC_CRS_SAMPLES,
                                                          &c->source_scale_min, &c->source_scale_max)
                                      : INFINITY;
    if (req->work_srs) {
        PJ *raw = proj_create(ctx->proj, req->work_srs);
        c->work = raw ? horizontal(ctx, raw) : NULL;
        proj_destroy(raw);
        if (!c->work || !is_projected(c->work))
            return lc_error(ctx, LC_EINPUT, "--work-srs %s: not a projected CRS", req->work_srs);
        c->work_origin = LC_WORK_FROM_OPTION;
    } else if (is_projected(c->source) && fabs(linear_unit(ctx, c->source) - 1.0) < 1e-12) {
        c->work_origin = LC_WORK_SAME;
        /* a zone that disagrees with the eastings places the layer hundreds of
        ** kilometres off: its distortion there says nothing of the data */
        if (c->source_distortion > LC_MAX_WORK_DISTORTION && placed && !c->zone_mismatch) {
            lc_work_origin zone_origin;
            PJ *zone = zone_crs(ctx, c->source, lon, lat, &zone_origin);
            double zmin, zmax;
            double dz = zone ? lc_crs_distortion(ctx, zone, lonlat, LC_CRS_SAMPLES, &zmin, &zmax) : INFINITY;
            if (zone && dz * LC_REPLACE_GAIN <= c->source_distortion) {
                c->work = zone;
                c->work_origin = LC_WORK_REPLACED;
            } else {
                proj_destroy(zone);
                c->kept_distorted = 1;
            }
        }
        if (c->work_origin == LC_WORK_SAME) c->work = proj_clone(ctx->proj, c->source);
    } else {
        /* Geographic (or non-metre) input: project to the zone of the centroid */
        if (!placed)
            return lc_error(ctx, LC_EINPUT, "%s: cannot locate the layer's centroid", req->what);
        c->work = zone_crs(ctx, c->source, lon, lat, &c->work_origin);
    }
    if (!c->work) return lc_error(ctx, LC_EINTERNAL, "cannot create the working CRS");
    if (c->work_origin == LC_WORK_SAME) {
        c->work_desc = c->source_desc;
        c->work_distortion = c->source_distortion;
        c->work_scale_min = c->source_scale_min;
        c->work_scale_max = c->source_scale_max;
    } else {
        describe(ctx, &c->work, &c->work_desc);
        /* the work CRS's datum may differ from the source's (a --work-srs,
        ** a CGCS2000 zone for WGS 84 input): a no-op at this precision */
        c->work_distortion = placed ? lc_crs_distortion(ctx, c->work, lonlat, LC_CRS_SAMPLES,
                                                        &c->work_scale_min, &c->work_scale_max)
                                    : INFINITY;
    }
    return LC_OK;
}

lc_status lc_crs_setup(lc_ctx *ctx, const lc_crs_request *req, lc_crs *out)
{
    lc_crs c;
    memset(&c, 0, sizeof c);
    lc_status rc = choose_source(ctx, req, &c);
    if (rc == LC_OK)
        c.zone_mismatch = lc_crs_zone_mismatch(ctx, c.source, req->minx, req->maxx, c.zone_why,
                                               sizeof c.zone_why);
    if (rc == LC_OK) rc = choose_work(ctx, req, &c);
    if (rc != LC_OK) goto fail;

    if (c.work_origin != LC_WORK_SAME) {
        c.to_work = make_transform(ctx, c.source, c.work);
        if (!c.to_work) {
            rc = lc_error(ctx, LC_EINPUT, "%s: no transformation from %s to %s", req->what,
                          c.source_desc.name, c.work_desc.name);
            goto fail;
        }
    }
    PJ *geo = proj_crs_get_geodetic_crs(ctx->proj, c.work);
    PJ *ell = geo ? proj_get_ellipsoid(ctx->proj, geo) : NULL;
    double b;
    int computed;
    if (!geo || !ell ||
        !proj_ellipsoid_get_parameters(ctx->proj, ell, &c.a, &b, &computed, &c.inv_f)) {
        proj_destroy(ell);
        proj_destroy(geo);
        rc = lc_error(ctx, LC_EINTERNAL, "%s: the working CRS has no ellipsoid", req->what);
        goto fail;
    }
    proj_destroy(ell);
    c.to_geographic = make_transform(ctx, c.work, geo);
    proj_destroy(geo);
    if (!c.to_geographic) {
        rc = lc_error(ctx, LC_EINTERNAL, "%s: cannot invert the working projection", req->what);
        goto fail;
    }
    *out = c;
    return LC_OK;
fail:
    lc_crs_release(&c);
    return rc;
}

lc_status lc_crs_transform(lc_ctx *ctx, PJ *op, double *xy, size_t n, size_t *bad)
{
    if (!n) return LC_OK;
    proj_errno_reset(op);
    proj_trans_generic(op, PJ_FWD, xy, 2 * sizeof(double), n, xy + 1, 2 * sizeof(double), n,
                       NULL, 0, 0, NULL, 0, 0);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(xy[2 * i]) || !isfinite(xy[2 * i + 1]) || xy[2 * i] == HUGE_VAL) {
            *bad = i;
            return LC_EINPUT;
        }
    (void)ctx;
    return LC_OK;
}
