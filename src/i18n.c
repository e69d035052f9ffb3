/*
** The library's messages in the language of the interface. Every message
** the library makes goes through lc_error, lc_qa_add or, when it is
** assembled from pieces, lc_appendf and lc_tr: each looks its format up in
** the "landcons" message catalogue (GNU gettext), so the call sites keep
** their English formats and xgettext finds them by those function names.
** The program chooses the language and binds the catalogue (the CLI:
** cli/i18n.c); unbound, or in the C locale, the English format is used.
*/
#include <libintl.h>
#include <stdarg.h>
#include <stdio.h>

#include "lc_internal.h"

const char *lc_tr(const char *msgid)
{
    return dgettext(LC_TEXT_DOMAIN, msgid);
}

size_t lc_appendf(char *buf, size_t cap, size_t len, const char *fmt, ...)
{
    if (len >= cap) return len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + len, cap - len, lc_tr(fmt), ap);
    va_end(ap);
    return n < 0 ? len : len + (size_t)n;
}
