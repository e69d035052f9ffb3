/*
** Project sites and constraint layers (SPEC §1, §2): each site against the
** parcels under it, found with the STRtree and a prepared site geometry so
** a site over tens of thousands of parcels tests only its neighbours, with a
** fast path for parcels wholly inside the site (their overlap is their own
** area). Overlaps under 0.01 m² are numerical slivers and are dropped.
*/
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sites.h"
#include "area.h"
#include "geom.h"
#include "spindex.h"
#include "union_disjoint.h"

/* Overlaps smaller than this are slivers of numerically coincident edges. */
#define LC_SLIVER_M2 0.01

/* A site is signed off only where the parcel map covers it: when less than
** half of it lies on parcels, most of the land under it is accounted for
** by nobody (the wrong file, another CRS, a site drawn beyond the survey),
** and "no parcel blocks it" says nothing. Roads, ditches and graves inside
** a consolidation area stay far below half of a site. */
#define LC_SITE_MIN_COVERED_SHARE 0.5

/* The working CRS of the parcels, as a string lc_parcels_read accepts. */
static char *work_crs_string(lc_ctx *ctx, const lc_parcels *p)
{
    if (p->crs.work_desc.id[0]) return lc_strdup(ctx, p->crs.work_desc.id);
    const char *wkt = proj_as_wkt(ctx->proj, p->crs.work, PJ_WKT2_2019, NULL);
    return wkt ? lc_strdup(ctx, wkt) : NULL;
}

static lc_status read_layers(lc_ctx *ctx, const lc_parcels *parcels, const char *const *paths, int n,
                             const char *name_field, lc_parcels ***sets, size_t *n_sets)
{
    if (n == 0) return LC_OK;
    char *work = work_crs_string(ctx, parcels);
    if (!work) return lc_error(ctx, LC_EINTERNAL, "cannot describe the working CRS");
    *sets = lc_calloc(ctx, (size_t)n, sizeof **sets);
    lc_status rc = *sets ? LC_OK : LC_ENOMEM;
    for (int i = 0; i < n && rc == LC_OK; i++) {
        lc_read_opts o;
        lc_read_opts_init(&o);
        o.work_srs = work;
        o.work_srs_inherited = 1;
        o.key_is_name = 1;
        o.key_field = name_field;
        o.ellipsoidal = parcels->ellipsoidal_method;
        rc = lc_parcels_read(ctx, paths[i], &o, &(*sets)[i]);
        if (rc == LC_OK) (*n_sets)++;
    }
    free(work);
    return rc;
}

lc_status lc_site_layers_read(lc_ctx *ctx, const lc_parcels *parcels, const lc_site_layer_opts *o,
                              lc_site_layers *out)
{
    memset(out, 0, sizeof *out);
    lc_status rc = read_layers(ctx, parcels, o->sites, o->n_sites, o->name_field, &out->sites, &out->n_sites);
    if (rc == LC_OK)
        rc = read_layers(ctx, parcels, o->constraints, o->n_constraints, NULL, &out->constraints,
                         &out->n_constraints);
    return rc;
}

void lc_site_layers_release(lc_site_layers *l)
{
    for (size_t k = 0; k < l->n_sites; k++) lc_parcels_free(l->sites[k]);
    free(l->sites);
    for (size_t k = 0; k < l->n_constraints; k++) lc_parcels_free(l->constraints[k]);
    free(l->constraints);
    memset(l, 0, sizeof *l);
}

/* site ∩ g as a new polygonal geometry, or g itself (not a copy: *inside
** set) when the site holds it */
static GEOSGeometry *overlap_of(lc_ctx *ctx, const GEOSPreparedGeometry *prep, const GEOSGeometry *site,
                                const GEOSGeometry *g, int *inside)
{
    GEOSContextHandle_t h = ctx->geos;
    *inside = GEOSPreparedContains_r(h, prep, g) == 1;
    if (*inside) return (GEOSGeometry *)g;
    GEOSGeometry *x = GEOSIntersection_r(h, site, g);
    if (!x) return NULL;
    GEOSGeometry *poly = lc_geom_polygonal_part(ctx, x);
    GEOSGeom_destroy_r(h, x);
    return poly;
}

static int cmp_overlaps(const void *pa, const void *pb)
{
    const lc_overlap *a = pa, *b = pb;
    if (a->site_id != b->site_id) return a->site_id < b->site_id ? -1 : 1;
    if (a->m2 != b->m2) return a->m2 > b->m2 ? -1 : 1;
    return (a->parcel > b->parcel) - (a->parcel < b->parcel);
}

/* Ready (SPEC §2, §6): no untransferred parcel above --min-overlap under
** it, and at least LC_SITE_MIN_COVERED_SHARE of it on parcels; a site
** that overlaps no parcel is never ready. Every NOT READY gets its reason;
** a site off the parcels' extent names both extents. */
typedef struct sites_job {
    const lc_parcels *p;
    const lc_statuses *st;
    const lc_site_layers *layers;
    double min_overlap;
    lc_qa *qa;
    lc_sites *out;
} sites_job;

static lc_status judge_site(lc_ctx *ctx, sites_job *j, lc_site *s, const GEOSGeometry *g)
{
    const lc_parcels *p = j->p;
    char why[600];
    why[0] = '\0';
    double share = s->area_m2 > 0 ? s->covered_m2 / s->area_m2 : 0;
    int off_parcels = s->covered_m2 <= 0 || share < LC_SITE_MIN_COVERED_SHARE;
    if (s->covered_m2 <= 0) {
        double x0, y0, x1, y1;
        GEOSGeom_getXMin_r(ctx->geos, g, &x0);
        GEOSGeom_getYMin_r(ctx->geos, g, &y0);
        GEOSGeom_getXMax_r(ctx->geos, g, &x1);
        GEOSGeom_getYMax_r(ctx->geos, g, &y1);
        int outside = x1 < p->minx || x0 > p->maxx || y1 < p->miny || y0 > p->maxy;
        if (outside)
            snprintf(why, sizeof why, "overlaps no parcel: the site's extent %.1f,%.1f - %.1f,%.1f lies "
                     "outside the parcels' extent %.1f,%.1f - %.1f,%.1f (%s); wrong file or CRS?",
                     x0, y0, x1, y1, p->minx, p->miny, p->maxx, p->maxy,
                     p->crs.work_desc.id[0] ? p->crs.work_desc.id : p->crs.work_desc.name);
        else
            snprintf(why, sizeof why, "overlaps no parcel: the land under it is on no parcel of the map");
    } else if (share < LC_SITE_MIN_COVERED_SHARE) {
        snprintf(why, sizeof why, "only %.1f %% of the site lies on parcels (%.2f of %.2f mu; at least "
                 "%.0f %% needed): the rest is accounted for by no parcel", 100 * share,
                 lc_mu_from_m2(s->covered_m2), lc_mu_from_m2(s->area_m2), 100 * LC_SITE_MIN_COVERED_SHARE);
    } else if (s->n_blocking) {
        snprintf(why, sizeof why, "%zu parcel%s under it %s not transferred", s->n_blocking,
                 s->n_blocking == 1 ? "" : "s", s->n_blocking == 1 ? "is" : "are");
    }
    s->ready = !why[0];
    if (s->ready) return LC_OK;
    s->reason = lc_arena_strdup(&j->out->strings, why);
    if (!s->reason) return LC_ENOMEM;
    if (!off_parcels) return LC_OK;
    char src[PATH_MAX + 32];
    snprintf(src, sizeof src, "%s:FID %lld", s->set->path, (long long)s->set->items[s->index].fid);
    return lc_qa_add(ctx, j->qa, LC_SEV_WARNING, "site_off_parcels", s->name, src, 0, 0, 0,
                     "site %d is not ready: %s", s->id, why);
}

static lc_status overlay_site(lc_ctx *ctx, sites_job *j, lc_spindex *ix, lc_site *s,
                              const GEOSGeometry *g, lc_area_calc *calc, size_t *cap)
{
    GEOSContextHandle_t h = ctx->geos;
    const lc_parcels *p = j->p;
    lc_status rc = lc_spindex_query(ctx, ix, g);
    if (rc != LC_OK) return rc;
    const GEOSPreparedGeometry *prep = GEOSPrepare_r(h, g);
    GEOSGeometry **pieces = lc_malloc(ctx, (ix->n_hits ? ix->n_hits : 1) * sizeof *pieces);
    double *piece_m2 = lc_malloc(ctx, (ix->n_hits ? ix->n_hits : 1) * sizeof *piece_m2);
    size_t npieces = 0;
    rc = prep && pieces && piece_m2 ? LC_OK : lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
    lc_xsum by[LC_ST_N];
    memset(by, 0, sizeof by);
    s->first_overlap = j->out->n_overlaps;
    for (size_t k = 0; k < ix->n_hits && rc == LC_OK; k++) {
        size_t pi = ix->hits[k];
        const lc_parcel *it = &p->items[pi];
        char hit = GEOSPreparedIntersects_r(h, prep, it->geom);
        if (hit == 2) rc = lc_error(ctx, LC_EINTERNAL, "GEOS intersects failed: %s", ctx->geos_msg);
        if (hit != 1) continue;
        int inside;
        GEOSGeometry *piece = overlap_of(ctx, prep, g, it->geom, &inside);
        if (!piece) {
            rc = lc_error(ctx, LC_EINTERNAL, "site %d: GEOS intersection failed: %s", s->id, ctx->geos_msg);
            break;
        }
        double m2 = it->planar_m2;
        if (!inside) rc = lc_area_of(calc, piece, &m2, NULL);
        if (rc != LC_OK || m2 < LC_SLIVER_M2) {
            if (!inside) GEOSGeom_destroy_r(h, piece);
            continue;
        }
        if (lc_grow(ctx, (void **)&j->out->overlaps, cap, j->out->n_overlaps + 1, sizeof *j->out->overlaps)) {
            if (!inside) GEOSGeom_destroy_r(h, piece);
            rc = LC_ENOMEM;
            break;
        }
        /* the overlap owns a cut piece and borrows a parcel the site holds
        ** whole (under a site around the whole campaign, most of them: a
        ** copy each came to 400 MB at a million parcels); the union below
        ** borrows both */
        j->out->overlaps[j->out->n_overlaps++] = (lc_overlap){s->id, pi, piece, m2, inside};
        piece_m2[npieces] = m2;
        pieces[npieces++] = piece;
        lc_parcel_status st = j->st->state[pi].status;
        lc_xsum_add(&by[st], m2);
        if (st != LC_ST_TRANSFERRED && m2 > j->min_overlap) s->n_blocking++;
    }
    s->n_overlaps = j->out->n_overlaps - s->first_overlap;
    for (int k = 0; k < LC_ST_N; k++) s->status_m2[k] = lc_xsum_value(&by[k]);
    /* the area under some parcel: a union, so overlapping parcels count once */
    if (rc == LC_OK) rc = lc_union_area(ctx, pieces, piece_m2, npieces, &s->covered_m2);
    free(pieces);
    free(piece_m2);
    if (prep) GEOSPreparedGeom_destroy_r(h, prep);
    s->no_parcel_m2 = s->area_m2 - s->covered_m2;
    if (s->no_parcel_m2 < 0) s->no_parcel_m2 = 0;
    if (rc == LC_OK) rc = judge_site(ctx, j, s, g);
    return rc;
}

static lc_status overlay_constraints(lc_ctx *ctx, sites_job *j, const lc_site *s, const GEOSGeometry *g,
                                     lc_area_calc *calc, size_t *cap)
{
    GEOSContextHandle_t h = ctx->geos;
    lc_status rc = LC_OK;
    const GEOSPreparedGeometry *prep = GEOSPrepare_r(h, g);
    if (!prep) return lc_error(ctx, LC_EINTERNAL, "GEOS: %s", ctx->geos_msg);
    for (size_t l = 0; l < j->layers->n_constraints && rc == LC_OK; l++) {
        const lc_parcels *cs = j->layers->constraints[l];
        for (size_t k = 0; k < cs->n && rc == LC_OK; k++) {
            const GEOSGeometry *cg = cs->items[k].geom;
            if (GEOSPreparedIntersects_r(h, prep, cg) != 1) continue;
            int inside;
            GEOSGeometry *piece = overlap_of(ctx, prep, g, cg, &inside);
            if (inside) piece = GEOSGeom_clone_r(h, piece);   /* hits own theirs */
            if (!piece) {
                rc = lc_error(ctx, LC_EINTERNAL, "GEOS intersection failed: %s", ctx->geos_msg);
                break;
            }
            double m2 = cs->items[k].planar_m2;
            if (!inside) rc = lc_area_of(calc, piece, &m2, NULL);
            if (rc != LC_OK || m2 < LC_SLIVER_M2 ||
                lc_grow(ctx, (void **)&j->out->hits, cap, j->out->n_hits + 1,
                        sizeof *j->out->hits)) {
                GEOSGeom_destroy_r(h, piece);
                continue;
            }
            j->out->hits[j->out->n_hits++] =
                (lc_constraint_hit){s->id, l, k, piece, m2};
        }
    }
    GEOSPreparedGeom_destroy_r(h, prep);
    return rc;
}

lc_status lc_sites_run(lc_ctx *ctx, const lc_parcels *p, const lc_statuses *st, const lc_site_layers *layers,
                       double min_overlap_m2, lc_qa *qa, lc_sites *out)
{
    memset(out, 0, sizeof *out);
    sites_job job = {p, st, layers, min_overlap_m2, qa, out}, *j = &job;
    size_t total = 0;
    for (size_t l = 0; l < j->layers->n_sites; l++) total += j->layers->sites[l]->n;
    if (!total) return LC_OK;
    j->out->items = lc_calloc(ctx, total, sizeof *j->out->items);
    if (!j->out->items) return LC_ENOMEM;
    lc_spindex ix;
    lc_status rc = lc_spindex_init(ctx, &ix);
    if (rc != LC_OK) return rc;
    for (size_t i = 0; i < p->n; i++) lc_spindex_insert(ctx, &ix, p->items[i].geom, i);
    lc_area_calc calc;
    lc_area_calc_init(&calc, ctx, p->crs.to_geographic, p->crs.a, p->crs.inv_f, p->ellipsoidal_method);
    size_t ov_cap = 0, cons_cap = 0;
    for (size_t l = 0; l < j->layers->n_sites && rc == LC_OK; l++) {
        const lc_parcels *set = j->layers->sites[l];
        for (size_t k = 0; k < set->n && rc == LC_OK; k++) {
            lc_site *s = &j->out->items[j->out->n];
            s->id = (int32_t)(j->out->n + 1);
            s->set = set;
            s->index = k;
            s->name = set->items[k].key;
            s->area_m2 = set->items[k].planar_m2;
            j->out->n++;
            rc = overlay_site(ctx, j, &ix, s, set->items[k].geom, &calc, &ov_cap);
            if (rc == LC_OK) rc = overlay_constraints(ctx, j, s, set->items[k].geom, &calc, &cons_cap);
        }
    }
    lc_area_calc_release(&calc);
    lc_spindex_release(ctx, &ix);
    if (rc != LC_OK) return rc;
    /* largest overlap first within each site, so the blocking parcels read in order */
    lc_sort(j->out->overlaps, j->out->n_overlaps, sizeof *j->out->overlaps, cmp_overlaps);
    return LC_OK;
}

void lc_sites_release(GEOSContextHandle_t h, lc_sites *s)
{
    for (size_t k = 0; k < s->n_overlaps; k++)
        if (!s->overlaps[k].borrowed) GEOSGeom_destroy_r(h, s->overlaps[k].geom);
    free(s->overlaps);
    for (size_t k = 0; k < s->n_hits; k++) GEOSGeom_destroy_r(h, s->hits[k].geom);
    free(s->hits);
    free(s->items);
    lc_arena_release(&s->strings);
    memset(s, 0, sizeof *s);
}
