/*
** Choosing the CRS of the input and the projected working CRS every
** computation uses, and moving coordinates between them. An lc_crs owns its
** PJ objects, which belong to the PROJ context of the lc_ctx that built them.
*/
#ifndef LC_CRS_H
#define LC_CRS_H

#include "lc_internal.h"

typedef struct lc_crs {
    PJ *source;          /* CRS of the input coordinates */
    PJ *work;            /* projected, metres */
    PJ *to_work;         /* source -> work, lon/lat order; NULL when identical */
    PJ *to_geographic;   /* work -> its own geographic CRS, lon/lat degrees */
    double a, inv_f;     /* ellipsoid of the work CRS (inv_f 0: sphere) */
    lc_crs_desc source_desc, work_desc;
    lc_crs_origin source_origin;
    lc_work_origin work_origin;
    /* Distortion over the layer's extent (see lc_crs_distortion): of the
    ** working CRS, with its area scale range, and of a projected source
    ** CRS (NaN for geographic input); INFINITY where PROJ cannot tell. */
    double work_distortion, work_scale_min, work_scale_max;
    double source_distortion, source_scale_min, source_scale_max;
    /* A projected source CRS over LC_MAX_WORK_DISTORTION kept because no
    ** Gauss-Kruger/UTM zone does clearly better (a national grid). */
    int kept_distorted;
    /* The source CRS is a Gauss-Kruger zone other than the one the eastings'
    ** zone prefix names (a wrong .prj, or eastings of another zone). */
    int zone_mismatch;
    char zone_why[300];
} lc_crs;

typedef struct lc_crs_request {
    const char *layer_wkt;   /* the layer's CRS as WKT, NULL when it has none */
    const char *s_srs;       /* user override of the source CRS */
    int zone;                /* user Gauss-Kruger zone for unprefixed eastings */
    const char *work_srs;    /* user override of the working CRS */
    int work_inherited;      /* work_srs is another layer's working CRS (sites) */
    double minx, miny, maxx, maxy; /* extent in source coordinates */
    const char *what;        /* file name for messages */
} lc_crs_request;

lc_status lc_crs_setup(lc_ctx *ctx, const lc_crs_request *req, lc_crs *out);
void lc_crs_release(lc_crs *crs);

/* EPSG code of the CGCS2000 Gauss-Kruger CRS that zone-prefixed eastings
** in [minx, maxx] imply, or 0 with a reason in `why`. */
int lc_crs_infer_gk_epsg(double minx, double maxx, char *why, size_t why_cap);
/* EPSG code for a Gauss-Kruger zone number given with --zone:
** 25..45 three-degree, 13..23 six-degree; `prefixed` picks the false
** easting with the zone prefix. 0 when the zone is out of range. */
int lc_crs_gk_zone_epsg(int zone, int prefixed);
/* CGCS2000 3-degree "CM" zone (EPSG:4534..4554) for a longitude. */
int lc_crs_cm_zone_epsg(double lon);
/* WGS 84 / UTM zone EPSG code for a point. */
int lc_crs_utm_epsg(double lon, double lat);
/* Non-zero when lon/lat lies in China's bounding area. */
int lc_crs_in_china(double lon, double lat);

/* Samples of the extent where distortion is measured: its corners, the
** middles of its sides and its centre, a 3 x 3 grid. */
#define LC_CRS_SAMPLES 9

/* Distortion of projected CRS `crs` at n points given as longitude and
** latitude in degrees on its own datum (interleaved): the largest of
** |area scale - 1|, |largest linear scale - 1|, |smallest linear scale - 1|
** from PROJ's proj_factors (for a conformal projection this is the area
** error, for an equal-area one the distance error); the area scale range
** goes to *smin, *smax. INFINITY when PROJ cannot evaluate a point. */
double lc_crs_distortion(lc_ctx *ctx, PJ *crs, const double *lonlat, size_t n, double *smin,
                         double *smax);

/* Non-zero, with a sentence in why, when crs is a transverse Mercator
** (Gauss-Kruger) CRS whose false easting's zone prefix disagrees with the
** zone prefix of eastings minx..maxx (eight-digit zone * 1e6 + 500 000 m). */
int lc_crs_zone_mismatch(lc_ctx *ctx, PJ *crs, double minx, double maxx, char *why, size_t cap);

/* A distortion for messages: "103 %", "0.0011 %", or "an amount PROJ
** cannot evaluate" for INFINITY / NaN. */
void lc_crs_distortion_text(double d, char *buf, size_t cap);

/* Transforms n interleaved x,y pairs in place; LC_EINPUT when a point cannot
** be transformed (the index goes to *bad). */
lc_status lc_crs_transform(lc_ctx *ctx, PJ *op, double *xy, size_t n, size_t *bad);

#endif
