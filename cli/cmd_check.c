/* landcons check: geometry, topology and attribute QA (SPEC §3, §5). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json_out.h"
#include "register_out.h"

typedef struct kind_count {
    const char *kind;
    lc_severity severity;
    long long n;
} kind_count;

static int cmp_kinds(const void *pa, const void *pb)
{
    const kind_count *a = pa, *b = pb;
    if (a->severity != b->severity) return a->severity < b->severity ? -1 : 1;
    if (a->n != b->n) return a->n > b->n ? -1 : 1;
    return strcmp(a->kind, b->kind);
}

/* Counts of findings per kind, errors first. Caller frees. */
static kind_count *count_kinds(const lc_finding *f, size_t n, size_t *nk)
{
    kind_count *k = calloc(n ? n : 1, sizeof *k);
    *nk = 0;
    if (!k) return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < *nk && (strcmp(k[j].kind, f[i].kind) || k[j].severity != f[i].severity)) j++;
        if (j == *nk) k[(*nk)++] = (kind_count){f[i].kind, f[i].severity, 0};
        k[j].n++;
    }
    qsort(k, *nk, sizeof *k, cmp_kinds);
    return k;
}

/* Findings shown per kind unless --all: enough to see what is wrong and
** where; the counts say how many there are, --all and the lists give all. */
#define FINDINGS_PER_KIND 3

static void print_finding(const lc_finding *f)
{
    if (f->key) out("    %s %s: %s\n", f->source, f->key, f->detail);
    else out("    %s: %s\n", f->source, f->detail);
}

/* The count of each kind, errors first; then the first findings of each
** kind (errors and warnings; with --all every finding of every kind). */
static void print_kinds(const cli_config *cfg, const lc_finding *f, size_t n, const kind_count *kinds, size_t nk)
{
    int sev_w = cli_width(_("severity")), kind_w = cli_width(_("kind"));
    for (size_t k = 0; k < nk; k++) {
        int w = cli_width(cli_severity_word(kinds[k].severity));
        if (w > sev_w) sev_w = w;
        w = cli_width(cli_kind_word(kinds[k].kind));
        if (w > kind_w) kind_w = w;
    }
    out("findings by kind, errors first:\n");
    out_text("  ");
    cli_cell(_("severity"), sev_w);
    cli_cell(_("kind"), kind_w);
    cli_cell_right(_("count"), 7);
    out_text("\n");
    for (size_t k = 0; k < nk; k++) {
        char count[32];
        snprintf(count, sizeof count, "%lld", kinds[k].n);
        out_text("  ");
        cli_cell(cli_severity_word(kinds[k].severity), sev_w);
        cli_cell(cli_kind_word(kinds[k].kind), kind_w);
        cli_cell_right(count, 7);
        out_text("\n");
    }
    int any = 0;
    for (size_t k = 0; k < nk; k++) any |= cfg->all || kinds[k].severity != LC_SEV_INFO;
    if (!any) return;
    if (cfg->all) out("\nevery finding, by kind:\n");
    else out("\nthe first %d findings of each kind (--all prints every finding; --xlsx FILE, or -o FILE's "
             "qa_issues layer, holds them all):\n", FINDINGS_PER_KIND);
    for (size_t k = 0; k < nk; k++) {
        if (!cfg->all && kinds[k].severity == LC_SEV_INFO) continue;
        out("  %s · %s (%lld)\n", cli_severity_word(kinds[k].severity), cli_kind_word(kinds[k].kind), kinds[k].n);
        long long shown = 0;
        for (size_t i = 0; i < n; i++) {
            if (f[i].severity != kinds[k].severity || strcmp(f[i].kind, kinds[k].kind)) continue;
            if (!cfg->all && shown == FINDINGS_PER_KIND) break;
            print_finding(&f[i]);
            shown++;
        }
        if (shown < kinds[k].n) out("    ... and %lld more of this kind\n", kinds[k].n - shown);
    }
}

static void print_text(const cli_config *cfg, const lc_analysis *a, const lc_analysis_summary *s,
                       const lc_finding *f, size_t n, const kind_count *kinds, size_t nk)
{
    out("%s: %lld parcels; %lld errors, %lld warnings, %lld notes\n", cfg->parcels, (long long)s->parcels,
        (long long)s->qa_errors, (long long)s->qa_warnings, (long long)s->qa_infos);
    cli_print_register(a);
    if (s->overlap_pairs)
        out("overlapping parcels: %lld pairs, %.2f m² (%.2f mu) counted twice\n", (long long)s->overlap_pairs,
            s->double_counted_m2, lc_mu_from_m2(s->double_counted_m2));
    if (nk) print_kinds(cfg, f, n, kinds, nk);
    else out("no findings\n");
    if (cfg->output) out("QA layers written to %s (qa_issues, qa_overlaps)\n", cfg->output);
    if (cfg->xlsx) out("lists written to %s\n", cfg->xlsx);
    if (cfg->csv_dir) out("CSV lists written to %s/\n", cfg->csv_dir);
}

lc_status cmd_check(lc_ctx *ctx, const cli_config *cfg)
{
    lc_read_opts ro = cfg->read;
    lc_analyze_opts ao = cfg->analyze;
    ao.job = LC_JOB_CHECK;
    ao.n_sites = ao.n_constraints = 0;
    lc_parcels *p = NULL;
    lc_analysis *a = NULL;
    lc_finding *f = NULL;
    kind_count *kinds = NULL;
    lc_status rc = LC_OK;
    /* the QA findings, and with a register what does not match it */
    const unsigned lists = LC_LIST_QA | (ao.register_path ? LC_LIST_UNMATCHED : 0);
    cli_outputs outs;
    rc = cli_outputs_open(ctx, cfg, lists, &outs);
    if (rc == LC_OK) rc = cli_read_and_run(ctx, cfg, &ro, &ao, &outs, &p, &a);
    if (rc != LC_OK) goto out;

    size_t n = lc_analysis_finding_count(a);
    f = calloc(n ? n : 1, sizeof *f);
    if (!f) {
        rc = lc_error_usage(ctx, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) lc_analysis_finding(a, i, &f[i]);
    size_t nk = 0;
    kinds = count_kinds(f, n, &nk);
    if (!kinds) {
        rc = lc_error_usage(ctx, "out of memory");
        goto out;
    }
    lc_analysis_summary s;
    lc_analysis_summarize(a, &s);
    if (cfg->json) {
        json_out j;
        json_init(&j, stdout);
        json_object_begin(&j, NULL);
        json_string(&j, "parcels", cfg->parcels);
        lc_layer_info in;
        lc_parcels_describe(p, &in);
        json_object_begin(&j, "crs");
        cli_json_crs(&j, &in);
        json_object_end(&j);
        cli_json_register(&j, a);
        json_int(&j, "parcel_count", s.parcels);
        json_int(&j, "errors", s.qa_errors);
        json_int(&j, "warnings", s.qa_warnings);
        json_int(&j, "infos", s.qa_infos);
        json_int(&j, "overlap_pairs", s.overlap_pairs);
        json_number(&j, "double_counted_m2", s.double_counted_m2);
        json_number(&j, "double_counted_mu", lc_mu_from_m2(s.double_counted_m2));
        json_object_begin(&j, "by_kind");
        for (size_t k = 0; k < nk; k++) json_int(&j, kinds[k].kind, kinds[k].n);
        json_object_end(&j);
        json_array_begin(&j, "findings");
        for (size_t i = 0; i < n; i++) {
            json_object_begin(&j, NULL);
            json_string(&j, "severity", lc_severity_name(f[i].severity));
            json_string(&j, "kind", f[i].kind);
            json_string(&j, "key", f[i].key);
            json_string(&j, "source", f[i].source);
            json_string(&j, "detail", f[i].detail);
            if (f[i].has_point) {
                json_array_begin(&j, "point");
                json_number(&j, NULL, f[i].x);
                json_number(&j, NULL, f[i].y);
                json_array_end(&j);
            }
            json_object_end(&j);
        }
        json_array_end(&j);
        json_object_end(&j);
        json_finish(&j);
    } else {
        print_text(cfg, a, &s, f, n, kinds, nk);
    }
    rc = s.qa_errors ? LC_FAILED : LC_OK;
out:
    free(kinds);
    free(f);
    lc_analysis_free(a);
    cli_outputs_close(&outs);
    lc_parcels_free(p);
    return rc;
}
