/* Parcel set storage and accessors. */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "parcels.h"

void lc_parcels_free(lc_parcels *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n; i++)
        if (p->items[i].geom) GEOSGeom_destroy_r(p->geos, p->items[i].geom);
    free(p->items);
    free(p->values);
    free(p->nulls);
    free(p->fields);
    lc_crs_release(&p->crs);
    lc_qa_release(&p->qa);
    lc_arena_release(&p->strings);
    free(p);
}

int lc_parcels_field_index(const lc_parcels *p, const char *name)
{
    for (size_t i = 0; i < p->n_fields; i++)
        if (!strcasecmp(p->fields[i].name, name)) return (int)i;
    return -1;
}

size_t lc_parcels_count(const lc_parcels *p) { return p->n; }
const char *lc_parcel_key(const lc_parcels *p, size_t i) { return p->items[i].key; }
int64_t lc_parcel_fid(const lc_parcels *p, size_t i) { return p->items[i].fid; }
double lc_parcel_planar_m2(const lc_parcels *p, size_t i) { return p->items[i].planar_m2; }
double lc_parcel_ellipsoidal_m2(const lc_parcels *p, size_t i) { return p->items[i].ellipsoidal_m2; }

size_t lc_parcels_field_count(const lc_parcels *p) { return p->n_fields; }
const char *lc_parcels_field_name(const lc_parcels *p, size_t field) { return p->fields[field].name; }

const char *lc_parcel_text(const lc_parcels *p, size_t i, size_t field)
{
    if (field >= p->n_fields || lc_parcel_is_null(p, i, field)) return NULL;
    lc_field_type t = p->fields[field].type;
    return t == LC_FIELD_TEXT || t == LC_FIELD_DATE ? lc_parcel_values(p, i)[field].s : NULL;
}

size_t lc_parcels_finding_count(const lc_parcels *p) { return p->qa.n; }

void lc_parcels_finding(const lc_parcels *p, size_t i, lc_finding *out)
{
    lc_qa_finding(&p->qa.items[i], out);
}

const char *lc_severity_name(lc_severity s)
{
    switch (s) {
    case LC_SEV_ERROR: return "error";
    case LC_SEV_WARNING: return "warning";
    default: return "info";
    }
}

lc_status lc_parcels_area_calc(lc_ctx *tctx, const lc_parcels *p, lc_area_calc *calc)
{
    return lc_area_calc_init_thread(calc, tctx, p->crs.to_geographic, p->crs.a, p->crs.inv_f,
                                    p->ellipsoidal_method);
}

void lc_parcel_where(const lc_parcels *p, size_t i, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s:FID %lld", p->layer, (long long)p->items[i].fid);
}
