/* landcons info: describe a parcel layer (SPEC §3). */
#include <math.h>
#include <stdio.h>

#include "cli.h"

static const char *method_name(lc_ellipsoidal_method m)
{
    return m == LC_ELLIPSOIDAL_TDT ? "tdt" : "geodesic";
}

static void crs_json(json_out *j, const char *key, const lc_crs_desc *d)
{
    json_object_begin(j, key);
    json_string(j, "name", d->name);
    json_string(j, "id", d->id[0] ? d->id : NULL);
    json_object_end(j);
}

static void print_json(const lc_layer_info *in)
{
    json_out j;
    json_init(&j, stdout);
    json_object_begin(&j, NULL);
    json_string(&j, "path", in->path);
    json_string(&j, "driver", in->driver);
    json_string(&j, "layer", in->layer);
    json_int(&j, "feature_count", in->feature_count);
    json_int(&j, "parcel_count", in->parcel_count);
    json_string(&j, "key_field", in->key_field[0] ? in->key_field : NULL);
    json_object_begin(&j, "encoding");
    json_string(&j, "name", in->encoding);
    json_string(&j, "source", in->encoding_source);
    json_object_end(&j);
    json_object_begin(&j, "crs");
    crs_json(&j, "source", &in->source_crs);
    json_string(&j, "source_origin", lc_crs_origin_name(in->source_origin));
    json_bool(&j, "inferred", in->source_origin == LC_CRS_INFERRED_GK ||
                                  in->source_origin == LC_CRS_INFERRED_GEOGRAPHIC);
    crs_json(&j, "work", &in->work_crs);
    json_string(&j, "work_origin", lc_work_origin_name(in->work_origin));
    json_bool(&j, "replaced", in->work_origin == LC_WORK_REPLACED);
    json_number(&j, "work_distortion", in->work_distortion);
    json_array_begin(&j, "work_area_scale");
    json_number(&j, NULL, in->work_area_scale_min);
    json_number(&j, NULL, in->work_area_scale_max);
    json_array_end(&j);
    json_number(&j, "source_distortion", in->source_distortion);
    json_array_begin(&j, "source_area_scale");
    json_number(&j, NULL, in->source_area_scale_min);
    json_number(&j, NULL, in->source_area_scale_max);
    json_array_end(&j);
    json_object_begin(&j, "ellipsoid");
    json_number(&j, "a", in->ellipsoid_a);
    json_number(&j, "inv_f", in->ellipsoid_inv_f);
    json_object_end(&j);
    json_object_end(&j);
    json_array_begin(&j, "extent");
    json_number(&j, NULL, in->minx);
    json_number(&j, NULL, in->miny);
    json_number(&j, NULL, in->maxx);
    json_number(&j, NULL, in->maxy);
    json_array_end(&j);
    json_object_begin(&j, "area");
    json_number(&j, "planar_m2", in->planar_m2);
    json_number(&j, "planar_mu", lc_mu_from_m2(in->planar_m2));
    json_number(&j, "ellipsoidal_m2", in->ellipsoidal_m2);
    json_number(&j, "ellipsoidal_mu", lc_mu_from_m2(in->ellipsoidal_m2));
    json_string(&j, "ellipsoidal_method", method_name(in->ellipsoidal_method));
    json_object_end(&j);
    json_object_begin(&j, "geometry");
    json_int(&j, "invalid", in->n_invalid);
    json_int(&j, "repaired", in->n_repaired);
    json_int(&j, "empty", in->n_empty);
    json_int(&j, "non_areal", in->n_non_areal);
    json_int(&j, "multipart", in->n_multipart);
    json_int(&j, "with_holes", in->n_with_holes);
    json_int(&j, "deleted_records", in->n_deleted);
    json_object_end(&j);
    json_object_begin(&j, "keys");
    json_int(&j, "missing", in->n_missing_key);
    json_int(&j, "duplicate", in->n_duplicate_key);
    json_object_end(&j);
    json_object_begin(&j, "qa");
    json_int(&j, "errors", in->qa_errors);
    json_int(&j, "warnings", in->qa_warnings);
    json_int(&j, "infos", in->qa_infos);
    json_object_end(&j);
    json_object_end(&j);
    json_finish(&j);
}

static void print_crs(const char *label, const lc_crs_desc *d, const char *origin)
{
    printf("%-12s %s%s%s%s (%s)\n", label, d->id, d->id[0] ? " " : "", d->name, "", origin);
}

static void print_text(const lc_layer_info *in)
{
    printf("%-12s %s\n", "File:", in->path);
    printf("%-12s %s\n", "Driver:", in->driver);
    printf("%-12s %s, %lld features, %lld parcels read\n", "Layer:", in->layer,
           (long long)in->feature_count, (long long)in->parcel_count);
    printf("%-12s %s\n", "Key field:", in->key_field[0] ? in->key_field : "(none)");
    printf("%-12s %s (%s)\n", "Encoding:", in->encoding, in->encoding_source);
    print_crs("Source CRS:", &in->source_crs, lc_crs_origin_name(in->source_origin));
    print_crs("Work CRS:", &in->work_crs, lc_work_origin_name(in->work_origin));
    if (isfinite(in->work_distortion))
        printf("%-12s up to %.3g %% over the extent (area scale %.6f..%.6f)\n", "Distortion:",
               100 * in->work_distortion, in->work_area_scale_min, in->work_area_scale_max);
    else
        printf("%-12s PROJ cannot evaluate it over the extent\n", "Distortion:");
    if (in->work_origin == LC_WORK_REPLACED)
        printf("%-12s the layer's CRS distorts areas by up to %.3g %% there (area scale %.6f..%.6f)\n",
               "Replaced:", 100 * in->source_distortion, in->source_area_scale_min,
               in->source_area_scale_max);
    printf("%-12s %.3f, %.3f - %.3f, %.3f\n", "Extent:", in->minx, in->miny, in->maxx, in->maxy);
    printf("%-12s %.2f m² = %.2f mu\n", "Planar:", in->planar_m2, lc_mu_from_m2(in->planar_m2));
    printf("%-12s %.2f m² = %.2f mu (%s, a=%.3f 1/f=%.9g)\n", "Ellipsoidal:", in->ellipsoidal_m2,
           lc_mu_from_m2(in->ellipsoidal_m2), method_name(in->ellipsoidal_method), in->ellipsoid_a,
           in->ellipsoid_inv_f);
    printf("%-12s %lld invalid (%lld repaired), %lld empty, %lld non-areal, %lld multipart, "
           "%lld with holes\n", "Geometries:", (long long)in->n_invalid, (long long)in->n_repaired,
           (long long)in->n_empty, (long long)in->n_non_areal, (long long)in->n_multipart,
           (long long)in->n_with_holes);
    if (in->n_deleted)
        printf("%-12s %lld records marked deleted in the .dbf, not read\n", "Deleted:",
               (long long)in->n_deleted);
    printf("%-12s %lld missing, %lld duplicated\n", "Keys:", (long long)in->n_missing_key,
           (long long)in->n_duplicate_key);
    printf("%-12s %lld errors, %lld warnings\n", "QA:", (long long)in->qa_errors,
           (long long)in->qa_warnings);
}

lc_status cmd_info(lc_ctx *ctx, const cli_config *cfg)
{
    lc_parcels *p = NULL;
    lc_status rc = lc_parcels_read(ctx, cfg->parcels, &cfg->read, &p);
    if (rc != LC_OK) return rc;
    cli_crs_warning(cfg, p);
    lc_layer_info info;
    lc_parcels_describe(p, &info);
    if (cfg->json) print_json(&info);
    else print_text(&info);
    lc_parcels_free(p);
    return LC_OK;
}
