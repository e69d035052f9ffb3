/*
** The office outputs — the sign-off PDF (cairo, pango), the cadres'
** workbook (libxlsxwriter) and the inputs' SHA-256 (GLib) — live in a
** module of their own, landcons-office.so, loaded the first time one of
** them is asked for: the 28 libraries they bring cost every other run
** ~15 ms of start-up (docs/DECISIONS.md).
**
** The module calls back into the library through a host table (errors,
** cancellation, the clock, the -v log), so it needs nothing exported by the
** program that loads it.
*/
#ifndef LC_OFFICE_H
#define LC_OFFICE_H

#include <stdarg.h>

#include "lists_view.h"
#include "signoff_pdf.h"

#define LC_OFFICE_ABI 1

typedef struct lc_office_host {
    int abi;
    lc_status (*verror)(lc_ctx *ctx, lc_status status, const char *fmt, va_list ap);
    int (*cancelled)(const lc_ctx *ctx);
    double (*clock)(void);
    void (*log_phase)(lc_ctx *ctx, const char *phase, double t0);
} lc_office_host;

typedef struct lc_office {
    int abi;
    lc_status (*signoff_pdf_write)(lc_ctx *ctx, const lc_signoff_doc *doc, const char *file, const char *path);
    void (*signoff_map_extent)(lc_paper paper, const double site_bbox[4], double extent[4], double *scale_n);
    lc_status (*lists_write_xlsx)(lc_ctx *ctx, const lc_lists *l, const char *path, const char *display);
    int (*file_sha256)(const char *path, char hex[65]);
} lc_office;

/* The module's entry point, by this name. */
typedef const lc_office *(*lc_office_entry_fn)(const lc_office_host *host);
#define LC_OFFICE_ENTRY "lc_office_entry"

/* The module, loaded once (thread-safe); NULL with the reason on ctx when
** it cannot be found or loaded. */
const lc_office *lc_office_get(lc_ctx *ctx);

#endif
