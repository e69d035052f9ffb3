/* Growing text buffer with XML escaping (see textbuf.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textbuf.h"

/* Room for `extra` more bytes and the terminating NUL. */
static int reserve(lc_textbuf *b, size_t extra)
{
    if (b->oom) return 0;
    if (b->s && b->n + extra < b->cap) return 1;
    size_t cap = b->cap ? b->cap : 8192;
    while (cap <= b->n + extra) {
        if (cap > ((size_t)-1) / 2) {
            b->oom = 1;
            return 0;
        }
        cap *= 2;
    }
    char *s = realloc(b->s, cap);
    if (!s) {
        b->oom = 1;
        return 0;
    }
    b->s = s;
    b->cap = cap;
    return 1;
}

void lc_textbuf_append(lc_textbuf *b, const char *s, size_t n)
{
    if (!reserve(b, n)) return;
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

void lc_textbuf_printf(lc_textbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0) {
        b->oom = 1;
        return;
    }
    if (!reserve(b, (size_t)k)) return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

void lc_textbuf_xml(lc_textbuf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '&': rep = "&amp;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&apos;"; break;
        /* character references: an attribute value keeps them, where a
        ** parser turns a literal tab or newline into a space */
        case '\t': rep = "&#9;"; break;
        case '\n': rep = "&#10;"; break;
        default:
            if ((unsigned char)*s < 0x20) rep = " ";
        }
        if (!rep) continue;
        lc_textbuf_append(b, run, (size_t)(s - run));
        lc_textbuf_append(b, rep, strlen(rep));
        run = s + 1;
    }
    lc_textbuf_append(b, run, (size_t)(s - run));
}

char *lc_textbuf_take(lc_textbuf *b)
{
    char *s = b->oom ? NULL : b->s;
    if (b->oom) free(b->s);
    else if (!s && (s = malloc(1)) != NULL) *s = '\0';
    b->s = NULL;
    b->n = b->cap = 0;
    b->oom = 0;
    return s;
}

void lc_textbuf_release(lc_textbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->n = b->cap = 0;
    b->oom = 0;
}
