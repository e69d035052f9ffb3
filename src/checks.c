/*
** Quality checks of the parcel layer beyond what reading finds (SPEC §5):
** overlapping parcels (pairs found with the STRtree, never all pairs;
** touching neighbours skipped with a prepared Touches test before any
** intersection is computed), implausible sizes, parcels far from the rest,
** keys that do not follow the DKBM structure, and measured-area fields off
** the computed area. Findings go to the analysis QA list; overlapping pairs,
** with their overlap polygons, to a list of their own.
*/
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks.h"
#include "area.h"
#include "edge_contact.h"
#include "geom.h"
#include "parallel.h"
#include "spindex.h"

/* A pair counts as overlapping above this (SPEC §5: 1 m²): smaller
** intersections are digitising noise along shared edges. */
#define LC_OVERLAP_MIN_M2 1.0
/* Parcel sizes that are not contracted farmland: under 1 m² a sliver,
** over 1 km² (1500 mu) a whole farm or a unit error. */
#define LC_PARCEL_MIN_M2 1.0
#define LC_PARCEL_MAX_M2 1.0e6
/* Far from the cluster: beyond 5 times the 95th-percentile distance from
** the median centre, and at least 5 km (a wrong zone prefix or swapped
** coordinates lands hundreds of km away). */
#define LC_OUTLIER_FACTOR 5.0
#define LC_OUTLIER_MIN_M 5000.0
/* NY/T 2539-2016: county 6 + township 3 + village 3 + group 2 + parcel 5 */
#define LC_DKBM_LENGTH 19

/*
** Overlapping pairs. The search needs the parcels only, so it runs as a task
** alongside everything from the register on, on its own copies of the parcels (see
** lc_geom_copy_to), and stores the pairs only; lc_checks_record_pairs records the
** findings afterwards, in pair order, so the output is the same with one
** thread or many.
*/
lc_status lc_overlap_search(lc_ctx *ctx, const lc_parcels *p, lc_overlap_pairs *a)
{
    memset(a, 0, sizeof *a);
    GEOSContextHandle_t h = ctx->geos;
    double t0 = lc_clock();
    GEOSGeometry **own = lc_calloc(ctx, p->n ? p->n : 1, sizeof *own);
    if (!own) return LC_ENOMEM;
    lc_spindex ix;
    lc_status rc = lc_spindex_init(ctx, &ix);
    for (size_t i = 0; i < p->n && rc == LC_OK; i++) {
        if (!(own[i] = lc_geom_copy_to(ctx, p->items[i].geom))) rc = LC_EINTERNAL;
        else lc_spindex_insert(ctx, &ix, own[i], i);
    }
    /* planar areas only: the calculator needs no projection */
    lc_area_calc calc;
    lc_area_calc_init(&calc, ctx, NULL, p->crs.a, p->crs.inv_f, p->ellipsoidal_method);
    size_t cap = 0, unsettled_cap = 0;
    lc_sum doubled = {0, 0};
    lc_rings ri = {0}, rj = {0};
    for (size_t i = 0; i < p->n && rc == LC_OK; i++) {
        const GEOSGeometry *g = own[i];
        if ((rc = lc_spindex_query(ctx, &ix, g)) != LC_OK) break;
        int valid_i = !(p->items[i].flags & LC_PARCEL_INVALID);
        if (valid_i && ix.n_hits > 1 && (rc = lc_rings_load(ctx, &ri, g)) != LC_OK) break;
        const GEOSPreparedGeometry *prep = NULL;
        for (size_t k = 0; k < ix.n_hits && rc == LC_OK; k++) {
            size_t j = ix.hits[k];
            if (j <= i) continue;
            /* neighbours apart or sharing edges cleanly (nearly all of them in
            ** a coverage) are settled without GEOS's relate */
            if (valid_i && !(p->items[j].flags & LC_PARCEL_INVALID)) {
                if ((rc = lc_rings_load(ctx, &rj, own[j])) != LC_OK) break;
                if (lc_rings_contact(&ri, &rj) != LC_CONTACT_UNKNOWN) continue;
                if (lc_grow(ctx, (void **)&a->unsettled, &unsettled_cap, a->n_unsettled + 1, sizeof *a->unsettled)) {
                    rc = LC_ENOMEM;
                    break;
                }
                a->unsettled[a->n_unsettled][0] = i;
                a->unsettled[a->n_unsettled++][1] = j;
            }
            if (!prep && !(prep = GEOSPrepare_r(h, g))) {
                rc = lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
                break;
            }
            const GEOSGeometry *other = own[j];
            if (GEOSPreparedIntersects_r(h, prep, other) != 1) continue;
            if (GEOSPreparedTouches_r(h, prep, other) == 1) continue;   /* shared edge only */
            GEOSGeometry *x = GEOSIntersection_r(h, g, other);
            GEOSGeometry *poly = x ? lc_geom_polygonal_part(ctx, x) : NULL;
            if (x) GEOSGeom_destroy_r(h, x);
            if (!poly) {
                rc = lc_error(ctx, LC_EINTERNAL, "GEOS intersection failed: %s", ctx->geos_msg);
                break;
            }
            double m2 = 0;
            rc = lc_area_of(&calc, poly, &m2, NULL);
            if (rc != LC_OK || m2 <= LC_OVERLAP_MIN_M2 ||
                lc_grow(ctx, (void **)&a->items, &cap, a->n + 1, sizeof *a->items)) {
                GEOSGeom_destroy_r(h, poly);
                continue;
            }
            lc_overlap_pair *pair = &a->items[a->n++];
            *pair = (lc_overlap_pair){i, j, poly, m2, 0, 0, 0};
            pair->has_point = lc_geom_point_on_surface(ctx, poly, &pair->x, &pair->y);
            lc_sum_add(&doubled, m2);
        }
        if (prep) GEOSPreparedGeom_destroy_r(h, prep);
        if ((i & 1023) == 0 && lc_cancelled(ctx)) rc = lc_error(ctx, LC_EINTERRUPTED, "interrupted");
    }
    lc_rings_release(&ri);
    lc_rings_release(&rj);
    a->double_counted_m2 = lc_sum_value(&doubled);
    lc_area_calc_release(&calc);
    lc_spindex_release(ctx, &ix);
    for (size_t i = 0; i < p->n; i++)
        if (own[i]) GEOSGeom_destroy_r(h, own[i]);
    free(own);
    a->seconds = lc_clock() - t0;
    return rc;
}

/* Parcels far from the median centre of the layer. */
static lc_status find_outliers(lc_ctx *ctx, const lc_parcels *p, const lc_points *pts, lc_qa *qa)
{
    if (p->n < 3) return LC_OK;
    double *d = lc_malloc(ctx, p->n * sizeof *d), *sx = lc_malloc(ctx, p->n * sizeof *sx);
    lc_status rc = d && sx ? LC_OK : LC_ENOMEM;
    if (rc == LC_OK) {
        const double *xy = pts->xy;   /* x, y of parcel i at 2i, 2i+1 */
        double centre[2];
        for (int c = 0; c < 2; c++) {
            for (size_t i = 0; i < p->n; i++) sx[i] = xy[2 * i + c];
            lc_sort(sx, p->n, sizeof *sx, lc_cmp_double);
            centre[c] = sx[p->n / 2];
        }
        for (size_t i = 0; i < p->n; i++) d[i] = hypot(xy[2 * i] - centre[0], xy[2 * i + 1] - centre[1]);
        memcpy(sx, d, p->n * sizeof *sx);
        lc_sort(sx, p->n, sizeof *sx, lc_cmp_double);
        double p95 = sx[(size_t)(0.95 * (double)(p->n - 1))];
        double limit = fmax(LC_OUTLIER_FACTOR * p95, LC_OUTLIER_MIN_M);
        for (size_t i = 0; i < p->n && rc == LC_OK; i++) {
            if (d[i] <= limit) continue;
            char where[320];
            lc_parcel_where(p, i, where, sizeof where);
            rc = lc_qa_add(ctx, qa, LC_SEV_WARNING, "far_from_cluster", p->items[i].key, where, 1,
                           xy[2 * i], xy[2 * i + 1], "%.1f km from the layer's median centre, where 95%% "
                           "of the parcels lie within %.1f km: a wrong coordinate or zone?", d[i] / 1000,
                           p95 / 1000);
        }
    }
    free(d);
    free(sx);
    return rc;
}

static int dkbm_shaped(const char *key)
{
    if (strlen(key) != LC_DKBM_LENGTH) return 0;
    for (const char *c = key; *c; c++)
        if (!isdigit((unsigned char)*c)) return 0;
    return 1;
}

/* Per parcel: size, key structure, measured-area fields, multipart. */
static lc_status per_parcel(lc_ctx *ctx, const lc_parcels *p, const lc_points *pts, double tol, lc_qa *qa)
{
    int scmjm = lc_parcels_field_index(p, "SCMJM"), scmj = lc_parcels_field_index(p, "SCMJ");
    int check_dkbm = p->key_index >= 0 && !strcasecmp(p->key_field, "DKBM");
    lc_status rc = LC_OK;
    for (size_t i = 0; i < p->n && rc == LC_OK; i++) {
        const lc_parcel *it = &p->items[i];
        char where[320];
        lc_parcel_where(p, i, where, sizeof where);
        const double x = pts->xy[2 * i], y = pts->xy[2 * i + 1];
        if (it->planar_m2 < LC_PARCEL_MIN_M2)
            rc = lc_qa_add(ctx, qa, LC_SEV_WARNING, "tiny_parcel", it->key, where, 1, x, y,
                           "area %.3f m² is below %.0f m²: a sliver rather than a parcel",
                           it->planar_m2, LC_PARCEL_MIN_M2);
        else if (it->planar_m2 > LC_PARCEL_MAX_M2)
            rc = lc_qa_add(ctx, qa, LC_SEV_WARNING, "huge_parcel", it->key, where, 1, x, y,
                           "area %.0f m² (%.0f mu) is above %.0f m²: check the unit or the geometry",
                           it->planar_m2, lc_mu_from_m2(it->planar_m2), LC_PARCEL_MAX_M2);
        if (rc == LC_OK && check_dkbm && it->key && !dkbm_shaped(it->key))
            rc = lc_qa_add(ctx, qa, LC_SEV_WARNING, "malformed_key", it->key, where, 1, x, y,
                           "%s \"%s\" is not 19 digits (county 6, township 3, village 3, group 2, "
                           "parcel 5)", p->key_field, it->key);
        if (rc == LC_OK && (it->flags & LC_PARCEL_MULTIPART))
            rc = lc_qa_add(ctx, qa, LC_SEV_INFO, "multipart_parcel", it->key, where, 1, x, y,
                           "one parcel in several separate parts");
        const int fields[2] = {scmjm, scmj};
        const double scale[2] = {15.0 / 10000.0, 1.0};
        for (int k = 0; k < 2 && rc == LC_OK; k++) {
            int f = fields[k];
            if (f < 0 || lc_parcel_is_null(p, i, (size_t)f)) continue;
            const lc_value *v = &lc_parcel_values(p, i)[f];
            double declared = p->fields[f].type == LC_FIELD_REAL ? v->d
                              : p->fields[f].type == LC_FIELD_INT ? (double)v->i
                              : v->s ? strtod(v->s, NULL) : NAN;
            double measured = it->planar_m2 * scale[k];
            if (!isfinite(declared) || fabs(declared - measured) <= tol * measured) continue;
            rc = lc_qa_add(ctx, qa, LC_SEV_WARNING, "measured_area_mismatch", it->key, where, 1, x,
                           y, "%s says %.2f %s, the geometry measures %.2f (%+.1f%%, tolerance %.0f%%)",
                           p->fields[f].name, declared, k == 0 ? "mu" : "m²", measured,
                           100.0 * (declared - measured) / measured, 100.0 * tol);
            break; /* one finding per parcel: SCMJM and SCMJ usually disagree together */
        }
        if ((i & 4095) == 0 && lc_cancelled(ctx)) rc = lc_error(ctx, LC_EINTERRUPTED, "interrupted");
    }
    return rc;
}

lc_status lc_checks_run(lc_ctx *ctx, const lc_parcels *p, const lc_points *pts, double area_tolerance,
                        lc_qa *qa)
{
    lc_status rc = per_parcel(ctx, p, pts, area_tolerance, qa);
    if (rc == LC_OK) rc = find_outliers(ctx, p, pts, qa);
    return rc;
}

lc_status lc_checks_record_pairs(lc_ctx *ctx, const lc_parcels *p, const lc_overlap_pairs *pairs, lc_qa *qa)
{
    lc_status rc = LC_OK;
    for (size_t k = 0; k < pairs->n && rc == LC_OK; k++) {
        const lc_overlap_pair *o = &pairs->items[k];
        char where[320];
        lc_parcel_where(p, o->a, where, sizeof where);
        const char *kb = p->items[o->b].key;
        rc = lc_qa_add(ctx, qa, LC_SEV_ERROR, "overlapping_parcels", p->items[o->a].key, where,
                       o->has_point, o->x, o->y, "overlaps %s (FID %lld) by %.2f m² (%.4f mu): that area "
                       "is counted twice", kb ? kb : "a parcel without key", (long long)p->items[o->b].fid,
                       o->m2, lc_mu_from_m2(o->m2));
    }
    return rc;
}

void lc_overlap_pairs_release(GEOSContextHandle_t h, lc_overlap_pairs *pairs)
{
    for (size_t k = 0; k < pairs->n; k++) GEOSGeom_destroy_r(h, pairs->items[k].geom);
    free(pairs->items);
    free(pairs->unsettled);
    memset(pairs, 0, sizeof *pairs);
}
