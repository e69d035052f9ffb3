/*
** landcons-office.so's side of office.h: its entry point, and the library
** functions its sources call, forwarded to the host that loaded it. Built
** with hidden visibility: only the entry point is exported.
*/
#include <stdarg.h>

#include "file_digest.h"
#include "lc_internal.h"
#include "lists_xlsx.h"
#include "office.h"

static const lc_office_host *host;

lc_status lc_error(lc_ctx *ctx, lc_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    status = host->verror(ctx, status, fmt, ap);
    va_end(ap);
    return status;
}

int lc_cancelled(const lc_ctx *ctx) { return host->cancelled(ctx); }

double lc_clock(void) { return host->clock(); }

void lc_log_phase(lc_ctx *ctx, const char *phase, double t0) { host->log_phase(ctx, phase, t0); }

static const lc_office table = {LC_OFFICE_ABI, lc_signoff_pdf_write, lc_signoff_map_extent, lc_lists_write_xlsx,
                                lc_file_sha256};

__attribute__((visibility("default"))) const lc_office *lc_office_entry(const lc_office_host *h)
{
    if (!h || h->abi != LC_OFFICE_ABI) return NULL;
    host = h;
    return &table;
}
