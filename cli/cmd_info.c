/* landcons info: describe a parcel layer (SPEC §3). */
#include <math.h>
#include <stdio.h>
#include <string.h>

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

/* The words of lc_crs_origin_name and lc_work_origin_name (English in
** --json), translated on the terminal. */
static const char *const origin_words[] = {
    N_("layer"), N_("--s-srs"), N_("inferred from zone-prefixed Gauss-Kruger eastings"), N_("--zone"),
    N_("inferred from longitude/latitude magnitudes"), N_("the layer's projected CRS"),
    N_("Gauss-Kruger 3-degree CM zone of the centroid"), N_("UTM zone of the centroid"), N_("--work-srs"),
    N_("zone of the centroid, replacing the layer's distorting CRS"),
};

/* Where the encoding came from (lc_layer_info.encoding_source), in words. */
static void encoding_source(const char *src, char *buf, size_t cap)
{
    static const char driver[] = " driver (UTF-8)";
    size_t n = strlen(src), k = sizeof driver - 1;
    unsigned byte;
    if (sscanf(src, "DBF language byte 0x%2X", &byte) == 1)
        snprintf(buf, cap, _("DBF language byte 0x%02X"), byte);
    else if (n > k && !strcmp(src + n - k, driver))
        snprintf(buf, cap, _("%.*s driver (UTF-8)"), (int)(n - k), src);
    else if (!strcmp(src, "detected (ASCII only)") || !strcmp(src, "detected from bytes") ||
             !strcmp(src, "guessed (some bytes undecodable)"))
        snprintf(buf, cap, "%s", _(src));
    else
        snprintf(buf, cap, "%s", src);   /* .cpg "936", --encoding */
}
static const char *const encoding_words[] = {
    N_("detected (ASCII only)"), N_("detected from bytes"), N_("guessed (some bytes undecodable)"),
};

static void print_crs(const char *label, const lc_crs_desc *d, const char *origin)
{
    cli_label(label);
    out("%s%s%s (%s)\n", d->id, d->id[0] ? " " : "", d->name, _(origin));
}

static void print_text(const lc_layer_info *in)
{
    (void)origin_words;
    (void)encoding_words;
    cli_label(N_("File:"));
    out("%s\n", in->path);
    cli_label(N_("Driver:"));
    out("%s\n", in->driver);
    cli_label(N_("Layer:"));
    out("%s, %lld features, %lld parcels read\n", in->layer, (long long)in->feature_count,
        (long long)in->parcel_count);
    cli_label(N_("Key field:"));
    out("%s\n", in->key_field[0] ? in->key_field : _("(none)"));
    char src[160];
    encoding_source(in->encoding_source, src, sizeof src);
    cli_label(N_("Encoding:"));
    out("%s (%s)\n", in->encoding, src);
    print_crs(N_("Source CRS:"), &in->source_crs, lc_crs_origin_name(in->source_origin));
    print_crs(N_("Work CRS:"), &in->work_crs, lc_work_origin_name(in->work_origin));
    cli_label(N_("Distortion:"));
    if (isfinite(in->work_distortion))
        out("up to %.3g %% over the extent (area scale %.6f..%.6f)\n", 100 * in->work_distortion,
            in->work_area_scale_min, in->work_area_scale_max);
    else
        out("PROJ cannot evaluate it over the extent\n");
    if (in->work_origin == LC_WORK_REPLACED) {
        cli_label(N_("Replaced:"));
        out("the layer's CRS distorts areas by up to %.3g %% there (area scale %.6f..%.6f)\n",
            100 * in->source_distortion, in->source_area_scale_min, in->source_area_scale_max);
    }
    cli_label(N_("Extent:"));
    out("%.3f, %.3f - %.3f, %.3f\n", in->minx, in->miny, in->maxx, in->maxy);
    cli_label(N_("Planar:"));
    out("%.2f m² = %.2f mu\n", in->planar_m2, lc_mu_from_m2(in->planar_m2));
    cli_label(N_("Ellipsoidal:"));
    out("%.2f m² = %.2f mu (%s, a=%.3f 1/f=%.9g)\n", in->ellipsoidal_m2, lc_mu_from_m2(in->ellipsoidal_m2),
        method_name(in->ellipsoidal_method), in->ellipsoid_a, in->ellipsoid_inv_f);
    cli_label(N_("Geometries:"));
    out("%lld invalid (%lld repaired), %lld empty, %lld non-areal, %lld multipart, %lld with holes\n",
        (long long)in->n_invalid, (long long)in->n_repaired, (long long)in->n_empty, (long long)in->n_non_areal,
        (long long)in->n_multipart, (long long)in->n_with_holes);
    if (in->n_deleted) {
        cli_label(N_("Deleted:"));
        out("%lld records marked deleted in the .dbf, not read\n", (long long)in->n_deleted);
    }
    cli_label(N_("Keys:"));
    out("%lld missing, %lld duplicated\n", (long long)in->n_missing_key, (long long)in->n_duplicate_key);
    cli_label(N_("QA:"));
    out("%lld errors, %lld warnings\n", (long long)in->qa_errors, (long long)in->qa_warnings);
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
