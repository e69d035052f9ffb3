/*
** The HTML report's page (report.c writes it): the state every part of the
** page shares while it is written, the primitives they write with (text,
** HTML escaping, numbers as the report shows them, the status colours and
** words), and the page's own parts: its head with the style sheet, the
** headline figures and its foot. The parts in between are in report_map.c
** (the map) and report_chart.c (the chart and the tables).
**
** An lc_rep borrows everything in it; it is filled by lc_report_write for
** the time of one report.
*/
#ifndef LC_REPORT_PAGE_H
#define LC_REPORT_PAGE_H

#include <stdio.h>

#include "analysis.h"

typedef struct lc_rep {
    lc_ctx *ctx;
    const lc_analysis *a;
    lc_analysis_summary s;       /* the headline figures, once */
    FILE *f;                     /* the report's temporary file */
    lc_status rc;                /* first failure; writing stops after it */
} lc_rep;

/* Colour shared by the map and the chart: the blocks', as in QGIS. */
#define LC_REP_BLOCK_STROKE "#08519c"

/* ---- writing ------------------------------------------------------------------ */

void lc_rep_put(lc_rep *r, const char *s);
void lc_rep_putf(lc_rep *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text as HTML: markup characters escaped, control characters dropped and
** bytes that are not UTF-8 (a path from a GBK shell, say) replaced by
** U+FFFD, so the file stays valid whatever the inputs were called. NULL
** writes nothing. */
void lc_rep_esc(lc_rep *r, const char *s);
/* The first n bytes of s the same way (n ends on a character's end). */
void lc_rep_escn(lc_rep *r, const char *s, size_t n);

/* Records the first failure on r (and its message on the context): out
** of memory, interrupted, or what GEOS said while writing `what`. */
void lc_rep_fail(lc_rep *r, lc_status st, const char *what);

/* ---- numbers and names as the report shows them ------------------------------ */

#define LC_REP_NUMBUF 64
/* v with `decimals` decimals and a comma every three integer digits
** ("12,345.67"); "—" when not a number. Returns out. */
const char *lc_rep_num(char *out, size_t cap, double v, int decimals);
/* m² as mu with two decimals; a count; part / whole as "12.3%" ("—" when
** whole is not positive). Each returns out. */
const char *lc_rep_mu(char out[LC_REP_NUMBUF], double m2);
const char *lc_rep_int(char out[LC_REP_NUMBUF], double n);
const char *lc_rep_pct(char out[LC_REP_NUMBUF], double part, double whole);
/* A unit's display name: its --unit-names name, else its code. */
const char *lc_rep_unit_label(const lc_analysis *a, const char *code);

/* Parcel colours and words: the status table's, as in the QGIS styles. */
const char *lc_rep_status_fill(int st);
const char *lc_rep_status_en(int st);
const char *lc_rep_status_zh(int st);
/* A table cell with the status's colour chip and its two words. */
void lc_rep_status_cell(lc_rep *r, int st);

/* ---- a site's blocking parcels ------------------------------------------------ */

/* Tails of keys shorter than this many characters would tell too little. */
#define LC_REP_KEY_TAIL_MIN 4

typedef struct lc_rep_blocker {
    size_t overlap;              /* k of lc_analysis_site_parcel(a, site, k) */
    size_t parcel;               /* into the parcel set */
    const char *key;             /* borrowed; NULL when the parcel has none */
    size_t tail;                 /* bytes at the key's end that tell it apart among the site's blockers */
} lc_rep_blocker;

/* The blocking parcels of site i in the table's order (largest overlap
** first), each with the tail of its key that the site's map labels it by
** and the table sets in bold. *out is the caller's to free(); the count is
** returned, 0 with LC_ENOMEM left on r when memory runs out. */
size_t lc_rep_site_blockers(lc_rep *r, size_t i, lc_rep_blocker **out);

/* ---- the page's own parts ------------------------------------------------------ */

/* From <!DOCTYPE html> to the opening <main>, with the style sheet. */
void lc_rep_page_head(lc_rep *r);
/* The headline figures: cards and a note. */
void lc_rep_figures(lc_rep *r);
/* From </main> to </html>. */
void lc_rep_page_tail(lc_rep *r);

#endif
