/*
** The report's section on whom to negotiate with first: the untransferred
** parcels that would enlarge the largest block most (the plan's top
** bridges, on a map and in a table) and, when --target-mu set a target,
** the route that grows one block to it, step by step.
*/
#ifndef LC_REPORT_PLAN_H
#define LC_REPORT_PLAN_H

#include "report_page.h"

/* The <section id="negotiate">; nothing when the analysis has no plan. A
** failure is left on r. */
void lc_rep_plan_section(lc_rep *r);

#endif
