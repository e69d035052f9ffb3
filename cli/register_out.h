/*
** The register block of every command's summary: which sheet and header
** row were read, what was skipped, and how the register's keys fit the
** parcels — register keys without a parcel and parcels without a row are
** shown, never only counted somewhere.
*/
#ifndef LC_REGISTER_OUT_H
#define LC_REGISTER_OUT_H

#include "json_out.h"
#include "landcons.h"

/* Keys of each side listed on a terminal; --json lists them all. */
#define CLI_ORPHANS_SHOWN 5

void cli_print_register(const lc_analysis *a);
/* Writes the "register" member of a JSON summary (nothing without one). */
void cli_json_register(json_out *j, const lc_analysis *a);
/* The "units" line: where township and village names came from. */
void cli_print_units(const lc_analysis *a);

#endif
