/*
** The report's map (SVG, inline in the page): parcels coloured by status,
** block outlines, enclaves, sites and constraint overlaps, labels for the
** sites and the largest blocks, and a panel with the legend, a scale bar
** and a grid-north arrow. The geometry is drawn as map_geom.c simplifies
** it for the map's scale; every figure on the map comes from the analysis.
*/
#ifndef LC_REPORT_MAP_H
#define LC_REPORT_MAP_H

#include "report_page.h"

/* The map's <section>; a failure (out of memory, interrupted) is left on r. */
void lc_rep_map_section(lc_rep *r);

#endif
