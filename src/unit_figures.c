/*
** The figures of each township and village as of the date, for the
** programs using the library (the CLI's progress by unit): a read-only
** view of the totals unit_totals.c computed once for every output, with
** the units' names.
*/
#include "analysis.h"
#include "unit_totals.h"

size_t lc_analysis_unit_count(const lc_analysis *a)
{
    return a->unit_totals ? a->unit_totals->n : 0;
}

void lc_analysis_unit(const lc_analysis *a, size_t i, lc_unit_figures *out)
{
    const lc_unit_total *u = &a->unit_totals->rows[i];
    int village = u->kind == LC_UNIT_VILLAGE;
    *out = (lc_unit_figures){0};
    out->kind = village ? "village" : "township";
    out->code = village ? u->village : u->township;
    out->township = u->township;
    out->name = out->code ? lc_units_name(&a->units, out->code) : NULL;
    out->parcels = (int64_t)u->parcels;
    out->total_m2 = u->total_m2;
    out->registered_m2 = u->registered_m2;
    for (int k = 0; k < LC_STATUS_COUNT; k++) {
        out->status_count[k] = (int64_t)u->count[k];
        out->status_m2[k] = u->m2[k];
    }
}
