/* Streaming JSON writer. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "landcons.h"
#include "term.h"

void json_init(json_out *j, FILE *f)
{
    cli_progress_clear();   /* a terminal shows the document and stderr together */
    memset(j, 0, sizeof *j);
    j->f = f;
}

/* Writes s as a JSON string. The document must be valid UTF-8 whatever the
** text holds: a byte that does not start a well-formed UTF-8 sequence (a
** GBK path, a code cut inside a character) is written as an escaped
** backslash and xHH (the text \xHH once decoded): it stays visible and the
** document stays valid. */
static void write_escaped(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x80) {
            size_t n = lc_utf8_sequence((const char *)p, SIZE_MAX);
            if (!n) {
                fprintf(f, "\\\\x%02X", *p);
                continue;
            }
            fwrite(p, 1, n, f);
            p += n - 1;
            continue;
        }
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20) fprintf(f, "\\u%04x", *p);
            else fputc(*p, f);
        }
    }
    fputc('"', f);
}

static void member(json_out *j, const char *key)
{
    if (j->count[j->depth]++) fputc(',', j->f);
    if (j->depth) {
        fputc('\n', j->f);
        for (int i = 0; i < j->depth; i++) fputs("  ", j->f);
    }
    if (key) {
        write_escaped(j->f, key);
        fputs(": ", j->f);
    }
}

static void open_scope(json_out *j, const char *key, char c)
{
    member(j, key);
    fputc(c, j->f);
    if (j->depth < 31) j->depth++;
    j->count[j->depth] = 0;
}

static void close_scope(json_out *j, char c)
{
    int had = j->count[j->depth];
    if (j->depth > 0) j->depth--;
    if (had) {
        fputc('\n', j->f);
        for (int i = 0; i < j->depth; i++) fputs("  ", j->f);
    }
    fputc(c, j->f);
}

void json_object_begin(json_out *j, const char *key) { open_scope(j, key, '{'); }
void json_object_end(json_out *j) { close_scope(j, '}'); }
void json_array_begin(json_out *j, const char *key) { open_scope(j, key, '['); }
void json_array_end(json_out *j) { close_scope(j, ']'); }

void json_string(json_out *j, const char *key, const char *value)
{
    member(j, key);
    if (value) write_escaped(j->f, value);
    else fputs("null", j->f);
}

void json_number(json_out *j, const char *key, double value)
{
    member(j, key);
    if (!isfinite(value)) {
        fputs("null", j->f);
        return;
    }
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, value);
        if (strtod(buf, NULL) == value) break;
    }
    fputs(buf, j->f);
}

void json_int(json_out *j, const char *key, int64_t value)
{
    member(j, key);
    fprintf(j->f, "%lld", (long long)value);
}

void json_bool(json_out *j, const char *key, int value)
{
    member(j, key);
    fputs(value ? "true" : "false", j->f);
}

void json_null(json_out *j, const char *key)
{
    member(j, key);
    fputs("null", j->f);
}

void json_finish(json_out *j) { fputc('\n', j->f); }
