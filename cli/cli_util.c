/*
** What every command shares around the library: the inputs a run's
** outputs must not overwrite, the warning about a distorting --work-srs,
** and the CRS object of the JSON summaries.
*/
#include <math.h>
#include <stdio.h>

#include "cli.h"

lc_status cli_outputs_begin(lc_ctx *ctx, const cli_config *cfg, lc_outputs **out)
{
    lc_outputs *o = NULL;
    lc_status rc = lc_outputs_new(ctx, &o);
    const lc_analyze_opts *ao = &cfg->analyze;
    if (rc == LC_OK) rc = lc_outputs_add_input(ctx, o, cfg->parcels, 1);
    if (rc == LC_OK) rc = lc_outputs_add_input(ctx, o, ao->register_path, 0);
    if (rc == LC_OK) rc = lc_outputs_add_input(ctx, o, ao->unit_names_path, 0);
    if (rc == LC_OK) rc = lc_outputs_add_input(ctx, o, ao->units_path, 0);
    for (int i = 0; i < ao->n_sites && rc == LC_OK; i++) rc = lc_outputs_add_input(ctx, o, ao->sites[i], 1);
    for (int i = 0; i < ao->n_constraints && rc == LC_OK; i++)
        rc = lc_outputs_add_input(ctx, o, ao->constraints[i], 1);
    if (rc != LC_OK) {
        lc_outputs_free(o);
        o = NULL;
    }
    *out = o;
    return rc;
}

static void distortion_text(double d, char *buf, size_t cap)
{
    if (!isfinite(d)) snprintf(buf, cap, "%s", _("an amount PROJ cannot evaluate"));
    else snprintf(buf, cap, "%.3g %%", 100 * d);
}

void cli_crs_warning(const cli_config *cfg, const lc_parcels *p)
{
    lc_layer_info in;
    lc_parcels_describe(p, &in);
    if (in.work_origin != LC_WORK_FROM_OPTION || in.work_distortion <= LC_MAX_WORK_DISTORTION) return;
    char d[64];
    distortion_text(in.work_distortion, d, sizeof d);
    cli_err("landcons %s: warning: --work-srs %s distorts areas by up to %s over the layer's extent "
            "(area scale %.6f..%.6f); areas and distances are computed in it as asked",
            cfg->command, cfg->read.work_srs, d, in.work_area_scale_min, in.work_area_scale_max);
}

void cli_json_crs(json_out *j, const lc_layer_info *in)
{
    json_string(j, "source", in->source_crs.id[0] ? in->source_crs.id : in->source_crs.name);
    json_string(j, "work", in->work_crs.id[0] ? in->work_crs.id : in->work_crs.name);
    json_string(j, "work_name", in->work_crs.name);
    json_bool(j, "inferred", in->source_origin == LC_CRS_INFERRED_GK ||
                                 in->source_origin == LC_CRS_INFERRED_GEOGRAPHIC);
    json_string(j, "work_origin", lc_work_origin_name(in->work_origin));
    json_bool(j, "replaced", in->work_origin == LC_WORK_REPLACED);
    /* null where PROJ could not evaluate it */
    json_number(j, "work_distortion", in->work_distortion);
    json_array_begin(j, "work_area_scale");
    json_number(j, NULL, in->work_area_scale_min);
    json_number(j, NULL, in->work_area_scale_max);
    json_array_end(j);
    json_number(j, "source_distortion", in->source_distortion);
    json_array_begin(j, "source_area_scale");
    json_number(j, NULL, in->source_area_scale_min);
    json_number(j, NULL, in->source_area_scale_max);
    json_array_end(j);
}

/* The share of `part` in `whole`, NaN (JSON null, "-") when whole is 0. */
static double share(double part, double whole) { return whole > 0 ? part / whole : NAN; }

void cli_print_transferred(const lc_analysis_summary *s)
{
    double registered = s->total_m2 - s->status_m2[LC_STATUS_COUNT - 1];
    double t = s->status_m2[0];
    cli_label(N_("Transferred:"));
    if (registered > 0)
        out("%.2f mu, %.1f %% of the registered area (%.2f mu) and %.1f %% of all parcels (%.2f mu)\n",
            lc_mu_from_m2(t), 100 * share(t, registered), lc_mu_from_m2(registered), 100 * share(t, s->total_m2),
            lc_mu_from_m2(s->total_m2));
    else
        out("%.2f mu; no parcel has a register row (all parcels: %.2f mu)\n", lc_mu_from_m2(t),
            lc_mu_from_m2(s->total_m2));
}

void cli_json_transferred(json_out *j, const lc_analysis_summary *s)
{
    double registered = s->total_m2 - s->status_m2[LC_STATUS_COUNT - 1];
    json_object_begin(j, "transferred");
    json_number(j, "mu", lc_mu_from_m2(s->status_m2[0]));
    json_number(j, "registered_mu", lc_mu_from_m2(registered));
    json_number(j, "share_of_registered", share(s->status_m2[0], registered));
    json_number(j, "share_of_all", share(s->status_m2[0], s->total_m2));
    json_object_end(j);
}
