/*
** The report's maps (SVG, inline in the page). The county map: parcels
** coloured by status, block outlines, enclaves, sites and constraint
** overlaps, blocking parcels, labels for the sites and the largest blocks,
** a scale bar and a grid-north arrow, and beside it an HTML legend. A
** site's map: the site and the parcels around it by status, its blocking
** parcels labelled by the tail of their keys, a scale bar. The geometry is
** drawn as map_geom.c simplifies it for the map's scale; every figure on
** the maps comes from the analysis. The map of the parcels to negotiate
** first: the top bridges of the plan, numbered by rank, and the blocks
** they would join.
*/
#ifndef LC_REPORT_MAP_H
#define LC_REPORT_MAP_H

#include "report_page.h"

/* The map's <section>; a failure (out of memory, interrupted) is left on r. */
void lc_rep_map_section(lc_rep *r);

/* The map of site i (a <figure>), for the site's part of the sites section;
** nothing for a site with no extent. */
void lc_rep_site_map(lc_rep *r, size_t i);

/* The map of the first n bridges of the plan (the parcels to negotiate
** first): the window around them, the parcels by status and the blocks'
** outlines, each bridge outlined and labelled by its rank, a scale bar and
** a legend (a <figure>); nothing without a plan or a bridge. */
void lc_rep_plan_map(lc_rep *r, size_t n);

#endif
