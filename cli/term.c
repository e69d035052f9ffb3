/* Terminal output (see term.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "term.h"

/* The progress line is the main thread's (the library reports from it
** only), so one static state is enough. */
static struct {
    double last;
    int shown;
    const char *phase;  /* the phase last drawn (the library's literals) */
} g_line;

void cli_progress_clear(void)
{
    if (!g_line.shown) return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    g_line.shown = 0;
    g_line.last = 0;
}

/* Phases the library names in a job's table rather than at
** lc_report_progress, for the catalogue. */
static const char *const table_phases[] = {N_("footprints")};

void cli_progress(void *userdata, const char *phase, size_t done, size_t total)
{
    (void)table_phases;
    (void)userdata;
    if (!phase) {
        cli_progress_clear();
        return;
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double now = (double)ts.tv_sec + ts.tv_nsec * 1e-9;
    int count_only = !total && done;  /* a count without a total (not known yet) */
    /* at most ten times a second within a phase, but a new phase's first
    ** count always: a phase shorter than that would otherwise show nothing */
    int same_phase = g_line.phase && !strcmp(g_line.phase, phase);
    if ((done < total || count_only) && same_phase && now - g_line.last < 0.1) return;
    g_line.last = now;
    g_line.phase = phase;
    g_line.shown = 1;
    /* the phase names are the library's English words, in the catalogue */
    if (count_only)
        fprintf(stderr, "\r\033[K%s %zu", _(phase), done);
    else
        fprintf(stderr, "\r\033[K%s %zu/%zu (%.0f%%)", _(phase), done, total,
                total ? 100.0 * (double)done / (double)total : 100.0);
}

void out(const char *fmt, ...)
{
    cli_progress_clear();
    va_list ap;
    va_start(ap, fmt);
    vprintf(_(fmt), ap);
    va_end(ap);
}

void out_text(const char *s)
{
    cli_progress_clear();
    fputs(s, stdout);
}

/* The code point at *p (advancing p); a byte that starts no well-formed
** sequence counts as one column of its own. */
static unsigned next_char(const unsigned char **p)
{
    const unsigned char *s = *p;
    unsigned c = s[0];
    int n = c < 0x80 ? 1 : c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
    if (n <= 1) {
        *p = s + 1;
        return n ? c : 0xFFFD;
    }
    unsigned cp = c & (0xFF >> (n + 1));
    for (int k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            *p = s + 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    *p = s + n;
    return cp;
}

/* Columns of one character, as terminals draw Unicode's East Asian Width
** W and F (the ranges of UAX #11 that occur in Chinese text). */
static int char_columns(unsigned cp)
{
    if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0xFE00 && cp <= 0xFE0F))
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
        (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
        (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

int cli_width(const char *s)
{
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) cols += char_columns(next_char(&p));
    return cols;
}

/* Prints the longest prefix of s that fits `width` columns; returns the
** columns printed. */
static int put_prefix(const char *s, int width)
{
    int cols = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const unsigned char *q = p;
        int w = char_columns(next_char(&q));
        if (cols + w > width) break;
        fwrite(p, 1, (size_t)(q - p), stdout);
        cols += w;
        p = q;
    }
    return cols;
}

void cli_cell(const char *s, int width)
{
    cli_progress_clear();
    if (!s || !*s) s = "-";
    int w = cli_width(s), cols;
    if (w <= width) {
        fputs(s, stdout);
        cols = w;
    } else {
        cols = put_prefix(s, width - 1);
        fputs("…", stdout);
        cols++;
    }
    for (; cols < width; cols++) putchar(' ');
    putchar(' ');
}

void cli_cell_right(const char *s, int width)
{
    cli_progress_clear();
    if (!s || !*s) s = "-";
    for (int cols = cli_width(s); cols < width; cols++) putchar(' ');
    fputs(s, stdout);
}

#define LABEL_COLUMNS 13

void cli_label(const char *label)
{
    cli_progress_clear();
    const char *t = _(label);
    int w = cli_width(t);
    fputs(t, stdout);
    for (int cols = w; cols < LABEL_COLUMNS; cols++) putchar(' ');
    if (w >= LABEL_COLUMNS) putchar(' ');
}

int cli_fit(int widest, int min, int max)
{
    return widest < min ? min : widest > max ? max : widest;
}

/* Closing punctuation a line must not start with. */
static int closes(unsigned cp)
{
    static const unsigned marks[] = {0xFF0C, 0x3002, 0xFF1B, 0xFF1A, 0xFF09, 0x3001, 0x201D, 0x300B, 0xFF01, 0xFF1F,
                                     ',', '.', ';', ':', ')', 0x2026};
    for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++)
        if (marks[k] == cp) return 1;
    return 0;
}

void cli_wrap(FILE *f, const char *text, int indent, int width)
{
    int col = indent, pending = 0;   /* spaces owed before the next piece on this line */
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        if (*p == '\n') {
            fprintf(f, "\n%*s", indent, "");
            col = indent;
            pending = 0;
            p++;
            continue;
        }
        /* the next unbreakable piece: a word, or one wide character, with
        ** the closing marks that follow it */
        const unsigned char *q = p;
        int w = char_columns(next_char(&q));
        if (w != 2) {
            while (*q && *q != ' ' && *q != '\n') {
                const unsigned char *r = q;
                unsigned c = next_char(&r);
                if (char_columns(c) == 2 && !closes(c)) break;
                w += char_columns(c);
                q = r;
            }
        }
        for (;;) {
            const unsigned char *r = q;
            if (!*r) break;
            unsigned c = next_char(&r);
            if (!closes(c)) break;
            w += char_columns(c);
            q = r;
        }
        if (col > indent && col + pending + w > width) {
            fprintf(f, "\n%*s", indent, "");
            col = indent;
        } else {
            fprintf(f, "%*s", pending, "");
            col += pending;
        }
        fwrite(p, 1, (size_t)(q - p), f);
        col += w;
        for (pending = 0; *q == ' '; q++) pending++;
        p = q;
    }
}
