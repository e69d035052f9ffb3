/*
** The report's chart and tables: the campaign chart (cumulative
** transferred area and the largest block by day, against the target when
** --target-mu set one), the tables by township and village (the unit
** totals of the compute side), each site's facts and blocking parcels, and
** the inputs, settings and QA counts needed to audit the numbers.
*/
#ifndef LC_REPORT_CHART_H
#define LC_REPORT_CHART_H

#include "report_page.h"

/* Each writes its <section>; a failure is left on r. */
void lc_rep_chart_section(lc_rep *r);
void lc_rep_units_section(lc_rep *r);
void lc_rep_sites_section(lc_rep *r);
void lc_rep_audit_section(lc_rep *r);

#endif
