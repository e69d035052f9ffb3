/* The layer description behind `landcons info` (SPEC §3). */
#include <stdio.h>
#include <string.h>

#include "parcels.h"

const char *lc_crs_origin_name(lc_crs_origin o)
{
    switch (o) {
    case LC_CRS_FROM_LAYER: return "layer";
    case LC_CRS_FROM_OPTION: return "--s-srs";
    case LC_CRS_INFERRED_GK: return "inferred from zone-prefixed Gauss-Kruger eastings";
    case LC_CRS_FROM_ZONE: return "--zone";
    case LC_CRS_INFERRED_GEOGRAPHIC: return "inferred from longitude/latitude magnitudes";
    }
    return "?";
}

const char *lc_work_origin_name(lc_work_origin o)
{
    switch (o) {
    case LC_WORK_SAME: return "the layer's projected CRS";
    case LC_WORK_CM_ZONE: return "Gauss-Kruger 3-degree CM zone of the centroid";
    case LC_WORK_UTM: return "UTM zone of the centroid";
    case LC_WORK_FROM_OPTION: return "--work-srs";
    case LC_WORK_REPLACED: return "zone of the centroid, replacing the layer's distorting CRS";
    }
    return "?";
}

void lc_parcels_describe(const lc_parcels *p, lc_layer_info *info)
{
    memset(info, 0, sizeof *info);
    snprintf(info->path, sizeof info->path, "%s", p->path);
    snprintf(info->driver, sizeof info->driver, "%s", p->driver);
    snprintf(info->layer, sizeof info->layer, "%s", p->layer);
    snprintf(info->key_field, sizeof info->key_field, "%s", p->key_field);
    info->feature_count = p->n_features;
    info->parcel_count = (int64_t)p->n;
    snprintf(info->encoding, sizeof info->encoding, "%s", p->encoding.name);
    snprintf(info->encoding_source, sizeof info->encoding_source, "%s", p->encoding.source);
    info->source_crs = p->crs.source_desc;
    info->source_origin = p->crs.source_origin;
    info->work_crs = p->crs.work_desc;
    info->work_origin = p->crs.work_origin;
    info->work_distortion = p->crs.work_distortion;
    info->work_area_scale_min = p->crs.work_scale_min;
    info->work_area_scale_max = p->crs.work_scale_max;
    info->source_distortion = p->crs.source_distortion;
    info->source_area_scale_min = p->crs.source_scale_min;
    info->source_area_scale_max = p->crs.source_scale_max;
    info->ellipsoid_a = p->crs.a;
    info->ellipsoid_inv_f = p->crs.inv_f;
    info->minx = p->minx;
    info->miny = p->miny;
    info->maxx = p->maxx;
    info->maxy = p->maxy;
    info->ellipsoidal_method = p->ellipsoidal_method;
    lc_xsum planar = {0}, ell = {0};
    for (size_t i = 0; i < p->n; i++) {
        const lc_parcel *it = &p->items[i];
        lc_xsum_add(&planar, it->planar_m2);
        lc_xsum_add(&ell, it->ellipsoidal_m2);
        info->n_multipart += (it->flags & LC_PARCEL_MULTIPART) != 0;
        info->n_with_holes += (it->flags & LC_PARCEL_HAS_HOLES) != 0;
        info->n_duplicate_key += (it->flags & LC_PARCEL_DUPLICATE_KEY) != 0;
        info->n_missing_key += lc_parcels_has_key(p) && !it->key;
    }
    info->planar_m2 = lc_xsum_value(&planar);
    info->ellipsoidal_m2 = lc_xsum_value(&ell);
    info->n_invalid = p->n_invalid + p->n_skipped_invalid;
    info->n_repaired = p->n_repaired;
    info->n_empty = p->n_empty;
    info->n_non_areal = p->n_non_areal;
    info->n_deleted = p->n_deleted;
    info->qa_errors = (int64_t)lc_qa_count(&p->qa, LC_SEV_ERROR);
    info->qa_warnings = (int64_t)lc_qa_count(&p->qa, LC_SEV_WARNING);
    info->qa_infos = (int64_t)lc_qa_count(&p->qa, LC_SEV_INFO);
}
