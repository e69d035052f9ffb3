/*
** A growing text buffer for the XML documents landcons writes (QGIS styles
** and projects): printf-style appends and XML escaping. Out of memory is
** sticky: later appends do nothing and lc_textbuf_take returns NULL, so a
** writer checks once at the end. The buffer owns its text until taken.
*/
#ifndef LC_TEXTBUF_H
#define LC_TEXTBUF_H

#include <stddef.h>

typedef struct lc_textbuf {
    char *s;
    size_t n, cap;
    int oom;
} lc_textbuf;

void lc_textbuf_printf(lc_textbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lc_textbuf_append(lc_textbuf *b, const char *s, size_t n);
/* s escaped for XML text and attribute values: tab and newline as
** character references, other control characters (which XML 1.0 cannot
** carry) as spaces. */
void lc_textbuf_xml(lc_textbuf *b, const char *s);
/* The text (malloc'd, the caller frees), or NULL when an append ran out of
** memory; the buffer is empty afterwards. */
char *lc_textbuf_take(lc_textbuf *b);
void lc_textbuf_release(lc_textbuf *b);

#endif
