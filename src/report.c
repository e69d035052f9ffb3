/*
** The HTML report of an analysis (analyze --report): one self-contained
** UTF-8 file a person reads in any browser without GIS software or a
** network — inline CSS and inline SVG only, no script, no external font.
**
** It holds the headline figures, a map (parcels coloured by status with the
** QGIS style's colours, block outlines labelled in mu, enclaves, sites and
** their blocking parcels, a scale bar and a grid-north arrow, a legend),
** the campaign chart, tables by township and village, each site with its
** own map and its blocking parcels, the parcels to negotiate first (a map
** of the top bridges and the route to the target), the QA counts and every input and
** setting needed to audit the numbers. It reads on a screen 800 px wide
** (tables scroll, the legend goes under the map) and prints on A4. This file assembles the
** page in that order: report_page.c writes its head, figures and foot,
** report_map.c the maps, report_chart.c the chart and the tables,
** report_plan.c the section on whom to negotiate with first.
**
** Every figure comes from the analysis as computed (the tables by unit from
** the unit totals of the compute side); the map alone is simplified, for
** display (map_geom.c).
**
** The report goes into the temporary file of its reserved output
** (outfile.c), put in place with the run's other outputs only when all of
** them are complete: a failure or an interrupt never leaves a partial
** report, nor a report without its database.
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "outfile.h"
#include "report_chart.h"
#include "report_map.h"
#include "report_page.h"
#include "report_plan.h"

static void write_all(lc_rep *r)
{
    lc_rep_page_head(r);
    lc_rep_figures(r);
    lc_rep_map_section(r);
    if (r->rc == LC_OK) lc_rep_chart_section(r);
    if (r->rc == LC_OK) lc_rep_units_section(r);
    if (r->rc == LC_OK) lc_rep_sites_section(r);
    if (r->rc == LC_OK) lc_rep_plan_section(r);
    if (r->rc == LC_OK) lc_rep_audit_section(r);
    lc_rep_page_tail(r);
}

lc_status lc_report_write(lc_ctx *ctx, const lc_analysis *a, lc_outfile *out)
{
    lc_status rc;
    double t0 = lc_clock();
    /* the temporary file was created (empty, exclusively) when the output was reserved */
    FILE *f = fopen(lc_outfile_temp(out), "w");
    if (!f) return lc_outfile_write_failed(ctx, out, "report", errno, LC_EINPUT);
    lc_rep r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.a = a;
    r.f = f;
    lc_analysis_summarize(a, &r.s);
    write_all(&r);
    rc = r.rc;
    /* a full disk shows up here, at the latest when the buffer is flushed */
    int werr = ferror(f) || fflush(f) != 0;
    int err = werr ? errno : 0;
    if (fclose(f) != 0 && !werr) {
        werr = 1;
        err = errno;
    }
    if (rc == LC_OK && werr) rc = lc_outfile_write_failed(ctx, out, "report", err, LC_EINPUT);
    if (rc == LC_OK && lc_cancelled(ctx)) rc = lc_error(ctx, LC_EINTERRUPTED, "interrupted");
    lc_log_phase(ctx, "write report", t0);
    return rc;
}
