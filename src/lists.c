/*
** The cadres' lists to their outputs: built from the analysis
** (lists_build.c) and written by the sinks into the temporary files of
** outputs reserved before any work (outfile.c), which the run commits with
** its other outputs, all or none.
*/
#include <string.h>

#include "lists_build.h"
#include "lists_csv.h"
#include "office.h"
#include "outfile.h"

const char *lc_lists_table_name(unsigned bit) { return lc_list_name(bit); }

lc_status lc_lists_write(lc_ctx *ctx, const lc_analysis *a, unsigned lists, lc_outfile *xlsx,
                         lc_outfile *const csv[LC_LIST_TABLES])
{
    int any_csv = 0;
    for (int k = 0; k < LC_LIST_TABLES; k++) any_csv |= csv && csv[k] != NULL;
    if (!xlsx && !any_csv) return LC_OK;
    const lc_office *office = xlsx ? lc_office_get(ctx) : NULL;
    if (xlsx && !office) return LC_EINPUT;
    double t0 = lc_clock();
    lc_lists l;
    lc_status rc = lc_lists_build(ctx, a, lists, &l);
    if (rc != LC_OK) return rc;
    if (xlsx) rc = office->lists_write_xlsx(ctx, &l, lc_outfile_temp(xlsx), lc_outfile_path(xlsx));
    for (size_t i = 0; any_csv && i < l.n && rc == LC_OK; i++)
        for (int k = 0; k < LC_LIST_TABLES && rc == LC_OK; k++) {
            if (!csv[k] || strcmp(lc_list_name(1u << k), l.items[i].name)) continue;
            rc = lc_list_write_csv(ctx, &l.items[i], lc_outfile_temp(csv[k]), lc_outfile_path(csv[k]));
            if (rc == LC_OK && lc_cancelled(ctx)) rc = lc_error(ctx, LC_EINTERRUPTED, "interrupted");
        }
    lc_lists_release(&l);
    lc_log_phase(ctx, "write lists", t0);
    return rc;
}
