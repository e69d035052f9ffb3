/* landcons verify: the sign-off before groundbreaking (SPEC §3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json_out.h"
#include "register_out.h"

static double mu(double m2) { return lc_mu_from_m2(m2); }

static const char *or_dash(const char *s) { return s && *s ? s : "-"; }

/* Prints s left-aligned in `width` terminal columns: CJK characters take
** two columns, so byte counts of printf would misalign the table. */
static void cell(const char *s, int width)
{
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80) continue;           /* continuation byte */
        cols += *p >= 0xE0 ? 2 : 1;                  /* 3- and 4-byte sequences: wide */
    }
    fputs(s, stdout);
    for (; cols < width; cols++) putchar(' ');
    putchar(' ');
}

/* Blocking parcels shown per site unless --all: a screenful; the rest are
** counted, and --all or a list file gives them. */
#define TERMINAL_BLOCKERS 20

static void blockers_table(const lc_analysis *a, size_t i, const lc_site_info *si, int all)
{
    /* 2 + 20 + 13 + 9 + 13 + 11 + 8 = 76 columns: fits an 80-column terminal */
    printf("  blocking parcels (%zu), largest overlap first:\n    ", si->n_blocking);
    cell("key", 19);
    cell("village", 12);
    cell("holder", 8);
    cell("status", 12);
    printf("%10s %7s\n", "overlap m²", "mu");
    size_t shown = 0;
    for (size_t k = 0; k < si->n_overlaps; k++) {
        lc_site_parcel sp;
        lc_analysis_site_parcel(a, i, k, &sp);
        if (!sp.blocking) continue;
        if (!all && shown == TERMINAL_BLOCKERS) break;
        shown++;
        printf("    ");
        cell(or_dash(sp.key), 19);
        cell(or_dash(sp.village_name ? sp.village_name : sp.village), 12);
        cell(or_dash(sp.holder), 8);
        cell(sp.status, 12);
        printf("%10.2f %7.2f\n", sp.overlap_m2, mu(sp.overlap_m2));
    }
    if (shown < si->n_blocking)
        printf("    ... and %zu more blocking parcels (--all prints them all; --xlsx FILE or\n"
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
    if (n)
        printf("  slivers: %zu untransferred parcel%s under the site by at most %g m² (%.2f m²\n"
               "  in all), not blocking (--min-overlap)\n", n, n == 1 ? "" : "s", min_overlap, m2);
}

static void print_text(const lc_analysis *a, const lc_analysis_summary *s, const cli_config *cfg)
{
    cli_print_register(a);
    cli_print_units(a);
    printf("As of %s: %lld of %lld sites ready\n", s->as_of, (long long)s->sites_ready, (long long)s->sites);
    for (size_t i = 0; i < lc_analysis_site_count(a); i++) {
        lc_site_info si;
        lc_analysis_site(a, i, &si);
        double other = 0;
        for (int k = 1; k < LC_STATUS_COUNT; k++) other += si.status_m2[k];
        printf("\nSite %d %s (%s): %s\n", si.id, or_dash(si.name), si.layer_path,
               si.ready ? "READY" : "NOT READY");
        if (si.reason) printf("  not ready: %s\n", si.reason);
        printf("  area %.2f mu (%.2f m²), under no parcel %.2f mu\n", mu(si.area_m2), si.area_m2,
               mu(si.no_parcel_m2));
        printf("  transferred %.2f mu (%.1f%%); not transferred %.2f mu: pending %.2f,\n"
               "  refused %.2f, disputed %.2f, unregistered %.2f mu\n",
               mu(si.status_m2[0]), si.area_m2 > 0 ? 100.0 * si.status_m2[0] / si.area_m2 : 0.0, mu(other),
               mu(si.status_m2[1]), mu(si.status_m2[2]), mu(si.status_m2[3]), mu(si.status_m2[4]));
        if (si.n_blocking) blockers_table(a, i, &si, cfg->all);
        sliver_line(a, i, &si, cfg->analyze.min_overlap_m2);
        const char *orphans[CLI_ORPHANS_SHOWN];
        size_t n_orphans = lc_analysis_site_orphans(a, i, orphans, CLI_ORPHANS_SHOWN);
        if (n_orphans) {
            printf("  register: %zu row%s of these villages match%s no parcel:", n_orphans,
                   n_orphans > 1 ? "s" : "", n_orphans > 1 ? "" : "es");
            for (size_t k = 0; k < n_orphans && k < CLI_ORPHANS_SHOWN; k++) printf("%s %s", k ? "," : "", orphans[k]);
            printf("%s (a parcel under the site may be registered under a mistyped key)\n",
                   n_orphans > CLI_ORPHANS_SHOWN ? ", ..." : "");
        }
        for (size_t k = 0; k < lc_analysis_constraint_count(a); k++) {
            lc_constraint_info ci;
            lc_analysis_constraint(a, k, &ci);
            if (ci.site_id != si.id) continue;
            printf("  warning: overlaps constraint %s feature %lld%s%s%s by %.2f m² (%.2f mu)\n",
                   ci.layer_path, (long long)ci.fid, ci.name ? " (" : "", ci.name ? ci.name : "",
                   ci.name ? ")" : "", ci.overlap_m2, mu(ci.overlap_m2));
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
    if (rc == LC_OK) rc = lc_parcels_read(ctx, cfg->parcels, &ro, &p);
    if (rc == LC_OK) cli_crs_warning(cfg, p);
    if (rc == LC_OK) rc = cli_run(ctx, p, &ao, &outs, &a);
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
