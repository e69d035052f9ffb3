/*
** Date arithmetic after Howard Hinnant's days_from_civil / civil_from_days
** (public-domain algorithms, exact over the whole int32 range we use), and
** lenient parsing of the spellings seen in registers.
*/
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dates.h"

int32_t lc_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int32_t)doe - 719468;
}

void lc_civil_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = (int)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yy + (*m <= 2);
}

int lc_date_valid(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

/* The serial day 0 of Excel's 1900 system is 1899-12-30 (it counts the
** non-existent 1900-02-29, which this origin absorbs for dates after it). */
int32_t lc_days_from_excel_serial(double serial)
{
    return lc_days_from_civil(1899, 12, 30) + (int32_t)floor(serial);
}

static const char *skip_blank(const char *s)
{
    while (isspace((unsigned char)*s)) s++;
    return s;
}

static int read_uint(const char **p, int max_digits, int *out)
{
    int v = 0, n = 0;
    while (n < max_digits && isdigit((unsigned char)**p)) {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    *out = v;
    return n;
}

/* A separator between fields: one of - / . or the UTF-8 of 年 / 月. */
static int read_sep(const char **p, char *kind)
{
    if (**p == '-' || **p == '/' || **p == '.') {
        *kind = **p;
        (*p)++;
        return 1;
    }
    if (!strncmp(*p, "\xe5\xb9\xb4", 3) || !strncmp(*p, "\xe6\x9c\x88", 3)) { /* 年 月 */
        *kind = 'c';
        *p += 3;
        return 1;
    }
    return 0;
}

/* Optional " HH:MM[:SS]" or "THH:MM[:SS]" after a date. */
static const char *skip_time(const char *p)
{
    const char *q = p;
    if (*q == 'T' || *q == ' ') q++;
    q = skip_blank(q);
    int h, mi, s;
    if (read_uint(&q, 2, &h) && *q == ':' && (q++, read_uint(&q, 2, &mi))) {
        if (*q == ':') {
            q++;
            read_uint(&q, 2, &s);
            if (*q == '.') { q++; while (isdigit((unsigned char)*q)) q++; }
        }
        return q;
    }
    return p;
}

static int parse_date(const char *s, int32_t *day, int allow_serial)
{
    const char *p = skip_blank(s);
    int y, m, d;
    const char *start = p;
    int ny = read_uint(&p, 4, &y);
    char k1, k2;
    if (ny == 4 && read_sep(&p, &k1)) {
        if (!read_uint(&p, 2, &m) || !read_sep(&p, &k2) || !read_uint(&p, 2, &d)) return 0;
        if (k1 != k2 && !(k1 == 'c' && k2 == 'c')) return 0;
        if (k1 == 'c' && !strncmp(p, "\xe6\x97\xa5", 3)) p += 3; /* 日 */
        p = skip_time(p);
        if (*skip_blank(p)) return 0;
        if (!lc_date_valid(y, m, d)) return 0;
        *day = lc_days_from_civil(y, m, d);
        return 1;
    }
    /* YYYYMMDD, as 确权 databases write dates */
    p = start;
    if (ny == 4 && isdigit((unsigned char)p[4]) && read_uint(&p, 8, &y) == 8 && !*skip_blank(p)) {
        int ymd = y;
        y = ymd / 10000;
        m = ymd / 100 % 100;
        d = ymd % 100;
        if (!lc_date_valid(y, m, d)) return 0;
        *day = lc_days_from_civil(y, m, d);
        return 1;
    }
    if (!allow_serial) return 0;
    /* a bare Excel serial number, possibly with a fraction of a day */
    p = start;
    char *end;
    double v = strtod(p, &end);
    if (end == p || *skip_blank(end) || !isfinite(v) || v < 1 || v > 109574) return 0;
    for (const char *q = p; q < end; q++)
        if (!isdigit((unsigned char)*q) && *q != '.') return 0;
    *day = lc_days_from_excel_serial(v);
    return 1;
}

int lc_date_parse(const char *s, int32_t *day) { return parse_date(s, day, 1); }

int lc_date_parse_full(const char *s, int32_t *day) { return parse_date(s, day, 0); }

void lc_date_format(int32_t day, char out[11])
{
    int y, m, d;
    lc_civil_from_days(day, &y, &m, &d);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

int32_t lc_today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    return lc_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}
