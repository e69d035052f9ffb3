/* landcons verify: the sign-off before groundbreaking (SPEC §3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json_out.h"
#include "register_out.h"

static double mu(double m2) { return lc_mu_from_m2(m2); }

static const char *or_dash(const char *s) { return s && *s ? s : "-"; }

/* Blocking parcels shown per site unless --all: a screenful; the rest are
** counted, and --all or a list file gives them. */
#define TERMINAL_BLOCKERS 20

/* The widths of the blockers table: each text column as wide as its header
** and the values shown, within bounds that keep a row in 80 columns. */
typedef struct blocker_widths { int key, village, holder, status, overlap, mu; } blocker_widths;

static const char *village_of(const lc_site_parcel *sp) { return sp->village_name ? sp->village_name : sp->village; }

static blocker_widths widths_for(const lc_analysis *a, size_t i, const lc_site_info *si, int all)
{
    blocker_widths w = {cli_width(_("key")), cli_width(_("village")), cli_width(_("holder")), cli_width(_("status")),
                        cli_width(_("overlap m²")), cli_width(_("mu"))};
    size_t shown = 0;
    for (size_t k = 0; k < si->n_overlaps && (all || shown < TERMINAL_BLOCKERS); k++) {
        lc_site_parcel sp;
        lc_analysis_site_parcel(a, i, k, &sp);
        if (!sp.blocking) continue;
        shown++;
        int c;
        if ((c = cli_width(or_dash(sp.key))) > w.key) w.key = c;
        if ((c = cli_width(or_dash(village_of(&sp)))) > w.village) w.village = c;
        if ((c = cli_width(or_dash(sp.holder))) > w.holder) w.holder = c;
        if ((c = cli_width(cli_status_word(sp.status))) > w.status) w.status = c;
    }
    /* keys are never cut; names give way beyond these */
    w.village = cli_fit(w.village, 7, 14);
    w.holder = cli_fit(w.holder, 6, 8);
    w.overlap = cli_fit(w.overlap, 10, 12);
    w.mu = cli_fit(w.mu, 7, 9);
    return w;
}

static void blockers_table(const lc_analysis *a, size_t i, const lc_site_info *si, int all)
{
    blocker_widths w = widths_for(a, i, si, all);
    out("  blocking parcels (%zu), largest overlap first:\n", si->n_blocking);
    out_text("    ");
    cli_cell(_("key"), w.key);
    cli_cell(_("village"), w.village);
    cli_cell(_("holder"), w.holder);
    cli_cell(_("status"), w.status);
    cli_cell_right(_("overlap m²"), w.overlap);
    out_text(" ");
    cli_cell_right(_("mu"), w.mu);
    out_text("\n");
    size_t shown = 0;
    for (size_t k = 0; k < si->n_overlaps; k++) {
        lc_site_parcel sp;
        lc_analysis_site_parcel(a, i, k, &sp);
        if (!sp.blocking) continue;
        if (!all && shown == TERMINAL_BLOCKERS) break;
        shown++;
        char m2[32], m[32];
        snprintf(m2, sizeof m2, "%.2f", sp.overlap_m2);
        snprintf(m, sizeof m, "%.2f", mu(sp.overlap_m2));
        out_text("    ");
        cli_cell(or_dash(sp.key), w.key);
        cli_cell(or_dash(village_of(&sp)), w.village);
        cli_cell(or_dash(sp.holder), w.holder);
        cli_cell(cli_status_word(sp.status), w.status);
        cli_cell_right(m2, w.overlap);
        out_text(" ");
        cli_cell_right(m, w.mu);
        out_text("\n");
    }
    if (shown < si->n_blocking)
        out("    ... and %zu more blocking parcels (--all prints them all; --xlsx FILE or\n"
            "    --pdf FILE writes the whole list)\n", si->n_blocking - shown);
}

/* Untransferred parcels under the site by at most --min-overlap: never
** blockers (SPEC §2 site ready), counted so nobody wonders where they went. */
static size_t count_slivers(const lc_analysis *a, size_t i, const lc_site_info *si, double *m2)
{
    size_t n = 0;
    *m2 = 0;
    for (size_t k = 0; k < si->n_overlaps; k++) {
        lc_site_parcel sp;
        lc_analysis_site_parcel(a, i, k, &sp);
        if (sp.blocking || !strcmp(sp.status, lc_status_names[0])) continue;
        n++;
        *m2 += sp.overlap_m2;
    }
    return n;
}

static void sliver_line(const lc_analysis *a, size_t i, const lc_site_info *si, double min_overlap)
{
    double m2;
    size_t n = count_slivers(a, i, si, &m2);
    if (n == 1)
        out("  slivers: 1 untransferred parcel under the site by at most %g m² (%.2f m²\n"
            "  in all), not blocking (--min-overlap)\n", min_overlap, m2);
    else if (n)
        out("  slivers: %zu untransferred parcels under the site by at most %g m² (%.2f m²\n"
            "  in all), not blocking (--min-overlap)\n", n, min_overlap, m2);
}

/* Why a site is not ready, in the interface's words. The analysis gives
** the reason as an English sentence of a few known forms (sites.c); they
** are read back and said again in Chinese, any other shown as it is. */
static void print_reason(const char *why)
{
    double v[8];
    size_t n;
    char crs[100];
    if (!cli_zh()) {
        out("  not ready: %s\n", why);
        return;
    }
    if (sscanf(why, "%zu parcel", &n) == 1 && strstr(why, "not transferred")) {
        if (n == 1) out("  not ready: 1 parcel under it is not transferred\n");
        else out("  not ready: %zu parcels under it are not transferred\n", n);
    } else if (!strcmp(why, "overlaps no parcel: the land under it is on no parcel of the map")) {
        out("  not ready: overlaps no parcel: the land under it is on no parcel of the map\n");
    } else if (sscanf(why, "overlaps no parcel: the site's extent %lf,%lf - %lf,%lf lies outside the parcels' "
                      "extent %lf,%lf - %lf,%lf (%99[^)]", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
                      crs) == 9) {
        out("  not ready: overlaps no parcel: the site's extent %.1f,%.1f - %.1f,%.1f lies outside the parcels' "
            "extent %.1f,%.1f - %.1f,%.1f (%s); wrong file or CRS?\n", v[0], v[1], v[2], v[3], v[4], v[5], v[6],
            v[7], crs);
    } else if (sscanf(why, "only %lf %% of the site lies on parcels (%lf of %lf mu; at least %lf", &v[0], &v[1],
                      &v[2], &v[3]) == 4) {
        out("  not ready: only %.1f %% of the site lies on parcels (%.2f of %.2f mu; at least %.0f %% needed): "
            "the rest is accounted for by no parcel\n", v[0], v[1], v[2], v[3]);
    } else {
        out("  not ready: %s\n", why);
    }
}

static void print_text(const lc_analysis *a, const lc_analysis_summary *s, const cli_config *cfg)
{
    cli_print_register(a);
    cli_print_units(a);
    out("As of %s: %lld of %lld sites ready\n", s->as_of, (long long)s->sites_ready, (long long)s->sites);
    for (size_t i = 0; i < lc_analysis_site_count(a); i++) {
        lc_site_info si;
        lc_analysis_site(a, i, &si);
        double other = 0;
        for (int k = 1; k < LC_STATUS_COUNT; k++) other += si.status_m2[k];
        out("\nSite %d %s (%s): %s\n", si.id, or_dash(si.name), si.layer_path, si.ready ? _("READY") : _("NOT READY"));
        if (si.reason) print_reason(si.reason);
        out("  area %.2f mu (%.2f m²), under no parcel %.2f mu\n", mu(si.area_m2), si.area_m2, mu(si.no_parcel_m2));
        out("  transferred %.2f mu (%.1f%%); not transferred %.2f mu: pending %.2f,\n"
            "  refused %.2f, disputed %.2f, unregistered %.2f mu\n",
            mu(si.status_m2[0]), si.area_m2 > 0 ? 100.0 * si.status_m2[0] / si.area_m2 : 0.0, mu(other),
            mu(si.status_m2[1]), mu(si.status_m2[2]), mu(si.status_m2[3]), mu(si.status_m2[4]));
        if (si.n_blocking) blockers_table(a, i, &si, cfg->all);
        sliver_line(a, i, &si, cfg->analyze.min_overlap_m2);
        const char *orphans[CLI_ORPHANS_SHOWN];
        size_t n_orphans = lc_analysis_site_orphans(a, i, orphans, CLI_ORPHANS_SHOWN);
        if (n_orphans) {
            if (n_orphans == 1) out("  register: 1 row of these villages matches no parcel:");
            else out("  register: %zu rows of these villages match no parcel:", n_orphans);
            for (size_t k = 0; k < n_orphans && k < CLI_ORPHANS_SHOWN; k++) {
                out_text(k ? ", " : " ");
                out_text(orphans[k]);
            }
            out_text(n_orphans > CLI_ORPHANS_SHOWN ? ", ..." : "");
            out(" (a parcel under the site may be registered under a mistyped key)\n");
        }
        for (size_t k = 0; k < lc_analysis_constraint_count(a); k++) {
            lc_constraint_info ci;
            lc_analysis_constraint(a, k, &ci);
            if (ci.site_id != si.id) continue;
            if (ci.name)
                out("  warning: overlaps constraint %s feature %lld (%s) by %.2f m² (%.2f mu)\n", ci.layer_path,
                    (long long)ci.fid, ci.name, ci.overlap_m2, mu(ci.overlap_m2));
            else
                out("  warning: overlaps constraint %s feature %lld by %.2f m² (%.2f mu)\n", ci.layer_path,
                    (long long)ci.fid, ci.overlap_m2, mu(ci.overlap_m2));
        }
    }
}

static void print_json(const lc_parcels *p, const lc_analysis *a, const lc_analysis_summary *s)
{
    json_out j;
    json_init(&j, stdout);
    json_object_begin(&j, NULL);
    lc_layer_info in;
    lc_parcels_describe(p, &in);
    json_object_begin(&j, "crs");
    cli_json_crs(&j, &in);
    json_object_end(&j);
    json_string(&j, "as_of", s->as_of);
    json_bool(&j, "all_ready", s->sites_ready == s->sites);
    json_int(&j, "sites_ready", s->sites_ready);
    cli_json_register(&j, a);
    json_array_begin(&j, "sites");
    for (size_t i = 0; i < lc_analysis_site_count(a); i++) {
        lc_site_info si;
        lc_analysis_site(a, i, &si);
        json_object_begin(&j, NULL);
        json_int(&j, "site_id", si.id);
        json_string(&j, "name", si.name);
        json_string(&j, "layer", si.layer_path);
        json_bool(&j, "ready", si.ready);
        json_string(&j, "not_ready_reason", si.reason);
        json_number(&j, "area_m2", si.area_m2);
        json_number(&j, "area_mu", mu(si.area_m2));
        json_object_begin(&j, "by_status_m2");
        for (int k = 0; k < LC_STATUS_COUNT; k++) json_number(&j, lc_status_names[k], si.status_m2[k]);
        json_object_end(&j);
        json_number(&j, "transferred_mu", mu(si.status_m2[0]));
        json_number(&j, "no_parcel_m2", si.no_parcel_m2);
        json_number(&j, "no_parcel_mu", mu(si.no_parcel_m2));
        json_array_begin(&j, "blocking");
        for (size_t k = 0; k < si.n_overlaps; k++) {
            lc_site_parcel sp;
            lc_analysis_site_parcel(a, i, k, &sp);
            if (!sp.blocking) continue;
            json_object_begin(&j, NULL);
            json_string(&j, "key", sp.key);
            json_string(&j, "village", sp.village);
            json_string(&j, "village_name", sp.village_name);
            json_string(&j, "holder", sp.holder);
            json_string(&j, "status", sp.status);
            json_number(&j, "overlap_m2", sp.overlap_m2);
            json_number(&j, "overlap_mu", mu(sp.overlap_m2));
            json_object_end(&j);
        }
        json_array_end(&j);
        {
            size_t n_orphans = lc_analysis_site_orphans(a, i, NULL, 0);
            const char **orphans = n_orphans ? calloc(n_orphans, sizeof *orphans) : NULL;
            if (orphans) lc_analysis_site_orphans(a, i, orphans, n_orphans);
            json_int(&j, "village_register_keys_without_parcel", (int64_t)n_orphans);
            json_array_begin(&j, "village_register_keys_without_parcel_list");
            for (size_t k = 0; orphans && k < n_orphans; k++) json_string(&j, NULL, orphans[k]);
            json_array_end(&j);
            free(orphans);
        }
        double sliver_m2;
        size_t n_slivers = count_slivers(a, i, &si, &sliver_m2);
        json_int(&j, "sliver_count", (int64_t)n_slivers);
        json_number(&j, "sliver_m2", sliver_m2);
        json_array_begin(&j, "constraints");
        for (size_t k = 0; k < lc_analysis_constraint_count(a); k++) {
            lc_constraint_info ci;
            lc_analysis_constraint(a, k, &ci);
            if (ci.site_id != si.id) continue;
            json_object_begin(&j, NULL);
            json_string(&j, "layer", ci.layer_path);
            json_int(&j, "feature_id", ci.fid);
            json_string(&j, "name", ci.name);
            json_number(&j, "overlap_m2", ci.overlap_m2);
            json_number(&j, "overlap_mu", mu(ci.overlap_m2));
            json_object_end(&j);
        }
        json_array_end(&j);
        json_object_end(&j);
    }
    json_array_end(&j);
    json_object_end(&j);
    json_finish(&j);
}

lc_status cmd_verify(lc_ctx *ctx, const cli_config *cfg)
{
    if (!cfg->analyze.register_path)
        return lc_error_usage(ctx, "the transfer register is missing (--register REG)");
    if (cfg->analyze.n_sites == 0) return lc_error_usage(ctx, "no project site given (--site FILE)");
    lc_read_opts ro = cfg->read;
    ro.require_key = 1;
    lc_analyze_opts ao = cfg->analyze;
    ao.job = LC_JOB_VERIFY;
    lc_parcels *p = NULL;
    lc_analysis *a = NULL;
    /* the sign-off's lists: who blocks each site, and where the units stand */
    const unsigned lists = LC_LIST_BLOCKING | LC_LIST_SUMMARY;
    cli_outputs outs;
    lc_status rc = cli_outputs_open(ctx, cfg, lists, &outs);
    if (rc == LC_OK) rc = cli_read_and_run(ctx, cfg, &ro, &ao, &outs, &p, &a);
    if (rc == LC_OK) {
        lc_analysis_summary s;
        lc_analysis_summarize(a, &s);
        if (cfg->json) print_json(p, a, &s);
        else print_text(a, &s, cfg);
        rc = s.sites_ready == s.sites ? LC_OK : LC_FAILED;
    }
    lc_analysis_free(a);
    cli_outputs_close(&outs);
    lc_parcels_free(p);
    return rc;
}
