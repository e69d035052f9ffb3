/*
** Reading the transfer register and resolving it to one entry per parcel
** key. The table comes from table_read.c as rows of text; here the header
** is found (the first of the top rows holding a key and a status column,
** possibly over two rows), the roles of the columns are decided, and every
** data row is classified: a contract, a total, a note, or a row without a
** key. Problems that make a row unusable (an unknown status word, a missing
** status, an unreadable date) are all collected in one pass and reported
** together, so a clerk fixes the register once, not once per run.
*/
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dates.h"
#include "register.h"
#include "table_read.h"

/* The header is looked for in this many non-blank rows at the top. */
#define LC_REG_HEADER_SCAN 20
/* Rows of each problem named in a message; the total is always given. */
#define LC_REG_EXAMPLES 20
/* Distinct unknown status words listed in a message. */
#define LC_REG_WORDS_LISTED 50
/* Signing dates before this year are not plausible for a land-transfer
** contract (the household contract system's second round began 1998; the
** first registers landcons meets are from the 2010s). */
#define LC_REG_FIRST_YEAR 1980
/* ...nor later than a year after the day of the run or the as-of date. */
#define LC_REG_FUTURE_DAYS 366

static const char *const role_names[LC_COL_N] = {"key", "status", "date", "area", "holder",
                                                "transferee"};

/* Accepted headers per role, best first (docs/REGISTER.md). Compared after
** normalisation: blanks, parenthesised units ("面积（亩）"), '*' marks and
** colons removed, full-width forms made ASCII, ASCII case ignored. */
static const char *const headers[LC_COL_N][24] = {
    [LC_COL_KEY] = {"DKBM", "地块编码", "地块编号", "地块代码", "宗地编码", "宗地代码", "DKBH", "DKDM",
                    "ZDBM", "ZDDM", "key", NULL},
    [LC_COL_STATUS] = {"ZT", "流转状态", "签约状态", "状态", "LZZT", "QYZT", "status", NULL},
    [LC_COL_DATE] = {"QYRQ", "HTQDRQ", "签约日期", "合同签订日期", "签订日期", "流转日期", "QDRQ",
                     "LZRQ", "signed_on", NULL},
    [LC_COL_AREA] = {"HTMJ", "LZMJM", "合同面积", "流转面积", "LZMJ", "签约面积", "declared_mu", NULL},
    [LC_COL_HOLDER] = {"CBFMC", "承包方", "承包方名称", "户主", "户主姓名", "承包户", "承包方代表",
                       "CBF", "HZXM", "holder", NULL},
    [LC_COL_TRANSFEREE] = {"LRF", "流入方", "受让方", "流入方名称", "受让方名称", "transferee", NULL},
};

const char *const *lc_register_headers(lc_reg_col r) { return headers[r]; }
const char *lc_register_role_name(lc_reg_col r) { return r < LC_COL_N ? role_names[r] : "?"; }

/* Status words (docs/REGISTER.md); --status-map adds more. */
static const struct { const char *word; lc_reg_status status; } status_words[] = {
    {"signed", LC_REG_SIGNED}, {"transferred", LC_REG_SIGNED}, {"已签约", LC_REG_SIGNED},
    {"已流转", LC_REG_SIGNED}, {"已签订", LC_REG_SIGNED}, {"签约完成", LC_REG_SIGNED},
    {"已签合同", LC_REG_SIGNED},
    {"pending", LC_REG_PENDING}, {"未签约", LC_REG_PENDING}, {"待签", LC_REG_PENDING},
    {"未签", LC_REG_PENDING}, {"待签约", LC_REG_PENDING}, {"未流转", LC_REG_PENDING},
    {"洽谈中", LC_REG_PENDING}, {"协商中", LC_REG_PENDING},
    {"refused", LC_REG_REFUSED}, {"拒签", LC_REG_REFUSED}, {"不同意", LC_REG_REFUSED},
    {"拒绝", LC_REG_REFUSED}, {"不同意流转", LC_REG_REFUSED},
    {"disputed", LC_REG_DISPUTED}, {"争议", LC_REG_DISPUTED}, {"有争议", LC_REG_DISPUTED},
    {"纠纷", LC_REG_DISPUTED}, {"有纠纷", LC_REG_DISPUTED}, {"存在争议", LC_REG_DISPUTED},
};

/* ---- normalisation ------------------------------------------------------ */

/* Decodes one UTF-8 sequence at s; returns its length (1 for a stray byte). */
static size_t utf8_next(const unsigned char *s, unsigned *cp)
{
    if (s[0] < 0x80) { *cp = s[0]; return 1; }
    if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
        *cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
        return 2;
    }
    if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        *cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
        return 3;
    }
    if ((s[0] & 0xF8) == 0xF0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
        *cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
        return 4;
    }
    *cp = 0xFFFD;
    return 1;
}

enum { NORM_DROP_BLANKS = 1, NORM_HEADER = 2, NORM_FOLD_CASE = 4 };

/*
** Copies s into out (cap bytes) with full-width ASCII (U+FF01..U+FF5E) and
** the ideographic space made ASCII; NORM_DROP_BLANKS removes every blank,
** NORM_FOLD_CASE lower-cases ASCII, NORM_HEADER also drops parenthesised
** parts, '*' marks and colons ("*签约日期（年月日）：" → "签约日期").
*/
static char *normalise(const char *s, char *out, size_t cap, int flags)
{
    size_t j = 0;
    int depth = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && j + 5 < cap;) {
        unsigned cp;
        size_t len = utf8_next(p, &cp);
        if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
        else if (cp == 0x3000 || cp == 0x00A0) cp = ' ';
        if (cp < 0x80) {
            char c = (char)cp;
            if ((flags & NORM_HEADER) && c == '(') depth++;
            else if ((flags & NORM_HEADER) && c == ')') depth -= depth > 0;
            else if (depth == 0 && !((flags & NORM_DROP_BLANKS) && isspace((unsigned char)c)) &&
                     !((flags & NORM_HEADER) && (c == '*' || c == ':')))
                out[j++] = (flags & NORM_FOLD_CASE) ? (char)tolower((unsigned char)c) : c;
        } else if (depth == 0) {
            memcpy(out + j, p, len);
            j += len;
        }
        p += len;
    }
    out[j] = '\0';
    return out;
}

char *lc_key_normalise(const char *key, char *out, size_t cap)
{
    normalise(key, out, cap, 0);
    /* trim, and drop Excel's text mark */
    char *s = out;
    while (isspace((unsigned char)*s)) s++;
    if (*s == '\'') s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) n--;
    memmove(out, s, n);
    out[n] = '\0';
    return out;
}

int lc_key_looks_mangled(const char *key)
{
    const char *p = key;
    if (!isdigit((unsigned char)*p)) return 0;
    p++;
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p)) p++;
    }
    if (*p != 'e' && *p != 'E') return 0;
    p++;
    if (*p == '+') p++;
    if (!isdigit((unsigned char)*p)) return 0;
    while (isdigit((unsigned char)*p)) p++;
    return *p == '\0';
}

static int has_digit(const char *s)
{
    for (; s && *s; s++)
        if (isdigit((unsigned char)*s)) return 1;
    return 0;
}

/* A totals row names itself: 合计, 小计, 总计, 累计, 共计 or "total". */
static int is_total_text(const char *s)
{
    if (!s) return 0;
    static const char *const words[] = {"合计", "小计", "总计", "累计", "共计", NULL};
    for (int i = 0; words[i]; i++)
        if (strstr(s, words[i])) return 1;
    char low[256];
    normalise(s, low, sizeof low, NORM_FOLD_CASE);
    return strstr(low, "total") != NULL;
}

/* Footers: notes and signatures under the table. */
static int is_note_text(const char *s)
{
    static const char *const starts[] = {"注", "备注", "说明", "填表", "制表", "审核", "负责人",
                                         "单位负责人", "联系电话", "note", NULL};
    for (int i = 0; s && starts[i]; i++)
        if (!strncasecmp(s, starts[i], strlen(starts[i]))) return 1;
    return 0;
}

/* ---- vocabulary ------------------------------------------------------- */

static int word_equal(const char *a, const char *b)
{
    char x[256], y[256];
    normalise(a, x, sizeof x, NORM_DROP_BLANKS | NORM_FOLD_CASE);
    normalise(b, y, sizeof y, NORM_DROP_BLANKS | NORM_FOLD_CASE);
    return !strcmp(x, y);
}

int lc_reg_status_parse(const char *s, lc_reg_status *out)
{
    if (!s) return 0;
    char n[256];
    normalise(s, n, sizeof n, NORM_DROP_BLANKS | NORM_FOLD_CASE);
    if (!n[0]) return 0;
    for (size_t i = 0; i < sizeof status_words / sizeof status_words[0]; i++) {
        char w[64];
        normalise(status_words[i].word, w, sizeof w, NORM_DROP_BLANKS | NORM_FOLD_CASE);
        if (!strcmp(n, w)) {
            *out = status_words[i].status;
            return 1;
        }
    }
    return 0;
}

/* The user's --status-map first, then the vocabulary. */
static int status_of_word(const lc_register_opts *o, const char *s, lc_reg_status *out)
{
    for (int i = 0; i < o->n_status_maps; i++) {
        char w[256];
        snprintf(w, sizeof w, "%.*s", (int)o->status_word_len[i], o->status_words[i]);
        if (word_equal(s, w)) {
            *out = o->status_values[i];
            return 1;
        }
    }
    return lc_reg_status_parse(s, out);
}

const char *lc_reg_status_name(lc_reg_status s)
{
    static const char *const names[] = {"signed", "pending", "refused", "disputed"};
    return s < LC_REG_N ? names[s] : "?";
}

lc_status lc_register_map_option(lc_ctx *ctx, lc_register_opts *opts, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (eq && eq[1])
        for (int i = 0; i < LC_COL_N; i++)
            if (strlen(role_names[i]) == (size_t)(eq - spec) && !strncmp(spec, role_names[i], (size_t)(eq - spec))) {
                opts->map[i] = eq + 1;
                return LC_OK;
            }
    return lc_error(ctx, LC_EINPUT, "--map %s: expected ROLE=HEADER (or ROLE=@C for column C) with ROLE "
                    "one of key, status, date, area, holder, transferee", spec);
}

lc_status lc_register_status_map_option(lc_ctx *ctx, lc_register_opts *opts, const char *spec)
{
    const char *eq = strrchr(spec, '=');
    if (!eq || eq == spec || !eq[1])
        return lc_error(ctx, LC_EINPUT, "--status-map %s: expected WORD=STATUS, e.g. --status-map "
                        "已签订=transferred", spec);
    lc_reg_status st;
    const char *value = eq + 1;
    if (word_equal(value, "transferred") || word_equal(value, "signed")) st = LC_REG_SIGNED;
    else if (!lc_reg_status_parse(value, &st))
        return lc_error(ctx, LC_EINPUT, "--status-map %s: %s is not a status (transferred, pending, "
                        "refused, disputed, or 已签约, 未签约, 拒签, 争议)", spec, value);
    if (opts->n_status_maps >= LC_MAX_STATUS_MAPS)
        return lc_error(ctx, LC_EINPUT, "at most %d --status-map options", LC_MAX_STATUS_MAPS);
    int k = opts->n_status_maps;
    opts->status_words[k] = spec;
    opts->status_word_len[k] = (size_t)(eq - spec);
    opts->status_values[k] = st;
    opts->n_status_maps++;
    return LC_OK;
}

/* ---- the header ---------------------------------------------------------- */

typedef struct header_choice {
    size_t row;                /* index of the (first) header row in the sheet */
    int lines;                 /* 1 or 2 */
    int col[LC_COL_N];         /* column per role, -1 none */
    const char *name[LC_COL_N];
    int ambiguous[LC_COL_N];   /* a second qualifying column, -1 none */
} header_choice;

/* The name a column has in a header of one or two rows: the lower row's
** cell, or the upper row's where the lower is empty (a cell merged down). */
static const char *header_name(const lc_table_sheet *s, size_t r, int lines, size_t c)
{
    const char *lower = lines == 2 ? lc_table_cell(s, r + 1, c) : NULL;
    return lower ? lower : lc_table_cell(s, r, c);
}

/* -1: not for this role; else the synonym's rank (lower is better). */
static int header_rank(const lc_register_opts *o, lc_reg_col role, const char *name, size_t col)
{
    if (o->map[role]) {
        const char *m = o->map[role];
        if (m[0] == '@') {
            char letter[8];
            lc_table_column_letter(col, letter);
            return !strcasecmp(m + 1, letter) ? 0 : -1;
        }
        if (!name) return -1;
        char a[256], b[256];
        normalise(name, a, sizeof a, NORM_DROP_BLANKS | NORM_FOLD_CASE);
        normalise(m, b, sizeof b, NORM_DROP_BLANKS | NORM_FOLD_CASE);
        return !strcmp(a, b) ? 0 : -1;
    }
    if (!name) return -1;
    char n[256];
    normalise(name, n, sizeof n, NORM_DROP_BLANKS | NORM_FOLD_CASE | NORM_HEADER);
    for (int k = 0; headers[role][k]; k++) {
        char h[64];
        normalise(headers[role][k], h, sizeof h, NORM_DROP_BLANKS | NORM_FOLD_CASE | NORM_HEADER);
        if (!strcmp(n, h)) return k;
    }
    return -1;
}

/* Fills the roles of header row r (over `lines` rows); 1 when it holds a
** key and a status column. */
static int try_header(const lc_register_opts *o, const lc_table_sheet *s, size_t r, int lines,
                      header_choice *h)
{
    memset(h, 0, sizeof *h);
    h->row = r;
    h->lines = lines;
    size_t width = s->rows[r].n;
    if (lines == 2 && s->rows[r + 1].n > width) width = s->rows[r + 1].n;
    for (int role = 0; role < LC_COL_N; role++) {
        int best = -1, best_rank = 1 << 30;
        h->ambiguous[role] = -1;
        for (size_t c = 0; c < width; c++) {
            int rank = header_rank(o, (lc_reg_col)role, header_name(s, r, lines, c), c);
            if (rank < 0) continue;
            if (best >= 0 && h->ambiguous[role] < 0) h->ambiguous[role] = (int)c;
            if (rank < best_rank) {
                if (best >= 0) h->ambiguous[role] = best;
                best = (int)c;
                best_rank = rank;
            }
        }
        h->col[role] = best;
        h->name[role] = best >= 0 ? header_name(s, r, lines, (size_t)best) : NULL;
    }
    return h->col[LC_COL_KEY] >= 0 && h->col[LC_COL_STATUS] >= 0;
}

/* The header of a sheet: the first of its top rows (alone, or with the row
** below it) holding a key and a status column. */
static int find_header(const lc_register_opts *o, const lc_table_sheet *s, header_choice *h)
{
    for (size_t r = 0; r < s->n_rows && r < LC_REG_HEADER_SCAN; r++) {
        if (try_header(o, s, r, 1, h)) return 1;
        /* a row above a complete header is a title, not half of the header */
        if (r + 1 < s->n_rows && s->rows[r + 1].line == s->rows[r].line + 1 &&
            !try_header(o, s, r + 1, 1, h) && try_header(o, s, r, 2, h))
            return 1;
    }
    return 0;
}

/* ---- the reader ---------------------------------------------------------- */

typedef struct example { int64_t line; const char *value; } example;

typedef struct problem {
    example first[LC_REG_EXAMPLES];
    size_t n;                  /* total */
} problem;

typedef struct unknown_word {
    const char *word;
    size_t count;
    int64_t first_line;
} unknown_word;

typedef struct reg_reader {
    lc_ctx *ctx;
    lc_register *r;
    const lc_register_opts *opts;
    lc_qa *qa;
    lc_table *table;
    const lc_table_sheet *sheet;
    header_choice h;
    problem bad_dates, missing_status;
    unknown_word *words;
    size_t n_words, cap_words, unknown_rows;
    int32_t latest_plausible;
} reg_reader;

static void note_problem(problem *p, int64_t line, const char *value)
{
    if (p->n < LC_REG_EXAMPLES) p->first[p->n] = (example){line, value};
    p->n++;
}

static lc_status note_unknown_word(reg_reader *rr, const char *word, int64_t line)
{
    for (size_t i = 0; i < rr->n_words; i++)
        if (word_equal(rr->words[i].word, word)) {
            rr->words[i].count++;
            return LC_OK;
        }
    if (lc_grow(rr->ctx, (void **)&rr->words, &rr->cap_words, rr->n_words + 1, sizeof *rr->words))
        return LC_ENOMEM;
    rr->words[rr->n_words++] = (unknown_word){word, 1, line};
    return LC_OK;
}

/* "file" or "file, sheet 台账", for messages. */
static void where_sheet(const reg_reader *rr, char *buf, size_t cap)
{
    if (strcmp(rr->r->format, "CSV")) lc_appendf(buf, cap, 0, "%s, sheet %s", rr->r->display, rr->r->sheet);
    else snprintf(buf, cap, "%s", rr->r->display);
}

static void where_row(const reg_reader *rr, int64_t line, char *buf, size_t cap)
{
    if (strcmp(rr->r->format, "CSV")) snprintf(buf, cap, "%s:%s:%lld", rr->r->display, rr->r->sheet, (long long)line);
    else snprintf(buf, cap, "%s:%lld", rr->r->display, (long long)line);
}

static const lc_table_sheet *sheet_by_option(const lc_table *t, const char *want)
{
    for (size_t s = 0; s < t->n_sheets; s++)
        if (!strcmp(t->sheets[s].name, want)) return &t->sheets[s];
    for (size_t s = 0; s < t->n_sheets; s++)
        if (!strcasecmp(t->sheets[s].name, want)) return &t->sheets[s];
    char *end;
    long n = strtol(want, &end, 10);
    if (!*end && end != want && n >= 1 && (size_t)n <= t->n_sheets) return &t->sheets[n - 1];
    return NULL;
}

/* "说明 (3 rows), 台账 (2005 rows)" */
static void list_sheets(const lc_table *t, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (size_t s = 0; s < t->n_sheets; s++) {
        size_t len = strlen(buf);
        lc_appendf(buf, cap, len, "%s%s (%zu rows)", s ? ", " : "", t->sheets[s].name, t->sheets[s].n_rows);
    }
}

static void looked_for(const lc_register_opts *o, lc_reg_col role, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (o->map[role]) {
        snprintf(buf, cap, "%s", o->map[role]);
        return;
    }
    for (int k = 0; headers[role][k]; k++) {
        size_t len = strlen(buf);
        snprintf(buf + len, cap - len, "%s%s", k ? ", " : "", headers[role][k]);
    }
}

/* When no header qualifies: a row with one of the two columns, described
** ("row 3 has a key column (地块编码, column A) but no status column
** (looked for ...)"); 0 when no row has either. */
static int describe_partial(const lc_register_opts *o, const lc_table_sheet *s, char *buf, size_t cap)
{
    for (size_t r = 0; r < s->n_rows && r < LC_REG_HEADER_SCAN; r++) {
        header_choice h;
        try_header(o, s, r, 1, &h);
        int has_key = h.col[LC_COL_KEY] >= 0, has_status = h.col[LC_COL_STATUS] >= 0;
        if (has_key == has_status) continue;
        lc_reg_col found = has_key ? LC_COL_KEY : LC_COL_STATUS, missing = has_key ? LC_COL_STATUS : LC_COL_KEY;
        char letter[8], looked[300];
        lc_table_column_letter((size_t)h.col[found], letter);
        looked_for(o, missing, looked, sizeof looked);
        char cells[300] = "";
        for (size_t c = 0; c < s->rows[r].n && strlen(cells) < 200; c++) {
            const char *v = lc_table_cell(s, r, c);
            size_t len = strlen(cells);
            snprintf(cells + len, sizeof cells - len, "%s%.40s", c ? ", " : "", v ? v : "");
        }
        lc_appendf(buf, cap, 0, "row %lld has a %s column (%s, column %s) but no %s column (looked for %s; "
                   "the row has: %s); name it with --map %s=HEADER", (long long)s->rows[r].line,
                   role_names[found], h.name[found], letter, role_names[missing], looked, cells,
                   role_names[missing]);
        return 1;
    }
    return 0;
}

static lc_status choose_sheet(reg_reader *rr)
{
    lc_ctx *ctx = rr->ctx;
    const lc_table *t = rr->table;
    const lc_register_opts *o = rr->opts;
    lc_register *r = rr->r;
    char sheets[600];
    list_sheets(t, sheets, sizeof sheets);
    if (o->sheet) {
        if (!strcmp(t->format, "CSV"))
            return lc_error(ctx, LC_EINPUT, "--sheet %s: %s is a CSV file, which has no sheets", o->sheet, r->display);
        rr->sheet = sheet_by_option(t, o->sheet);
        if (!rr->sheet)
            return lc_error(ctx, LC_EINPUT, "--sheet %s: %s has no such sheet (sheets: %s)", o->sheet,
                            r->display, sheets);
        if (!find_header(o, rr->sheet, &rr->h)) {
            char key[300], st[300];
            looked_for(o, LC_COL_KEY, key, sizeof key);
            looked_for(o, LC_COL_STATUS, st, sizeof st);
            return lc_error(ctx, LC_EINPUT, "%s, sheet %s: none of its first %d rows holds both a key column "
                            "(%s) and a status column (%s); name them with --map key=HEADER --map status=HEADER",
                            r->display, rr->sheet->name, LC_REG_HEADER_SCAN, key, st);
        }
    } else {
        for (size_t s = 0; s < t->n_sheets && !rr->sheet; s++)
            if (find_header(o, &t->sheets[s], &rr->h)) rr->sheet = &t->sheets[s];
        if (!rr->sheet) {
            char key[300], st[300];
            looked_for(o, LC_COL_KEY, key, sizeof key);
            looked_for(o, LC_COL_STATUS, st, sizeof st);
            char partial[800];
            for (size_t k = 0; k < t->n_sheets; k++)
                if (describe_partial(o, &t->sheets[k], partial, sizeof partial)) {
                    if (!strcmp(t->format, "CSV"))
                        return lc_error(ctx, LC_EINPUT, "%s: %s", r->display, partial);
                    return lc_error(ctx, LC_EINPUT, "%s, sheet %s: %s", r->display, t->sheets[k].name, partial);
                }
            if (!strcmp(t->format, "CSV")) {
                const lc_table_sheet *s = &t->sheets[0];
                char first[300] = "";
                for (size_t c = 0; s->n_rows && c < s->rows[0].n && strlen(first) < 200; c++) {
                    const char *v = lc_table_cell(s, 0, c);
                    size_t len = strlen(first);
                    snprintf(first + len, sizeof first - len, "%s%.40s", c ? ", " : "", v ? v : "");
                }
                return lc_error(ctx, LC_EINPUT, "%s: none of the first %d rows holds both a key column (%s) "
                                "and a status column (%s); the first row has: %s; name them with --map "
                                "key=HEADER --map status=HEADER", r->display, LC_REG_HEADER_SCAN, key, st,
                                first[0] ? first : "nothing");
            }
            return lc_error(ctx, LC_EINPUT, "%s: no sheet has a header row with a key column (%s) and a "
                            "status column (%s) in its first %d rows (sheets: %s); choose one with --sheet "
                            "NAME and name the columns with --map", r->display, key, st, LC_REG_HEADER_SCAN, sheets);
        }
    }
    snprintf(r->sheet, sizeof r->sheet, "%s", strcmp(t->format, "CSV") ? rr->sheet->name : "");
    r->n_sheets = t->n_sheets;
    return LC_OK;
}

static lc_status decide_columns(reg_reader *rr)
{
    lc_ctx *ctx = rr->ctx;
    lc_register *r = rr->r;
    const header_choice *h = &rr->h;
    const lc_table_sheet *s = rr->sheet;
    r->header_line = s->rows[h->row].line;
    r->header_lines = h->lines;
    char where[700];
    where_sheet(rr, where, sizeof where);
    /* two columns that both qualify as key or status: a silent choice could
    ** join the register on the wrong column */
    static const lc_reg_col strict[] = {LC_COL_KEY, LC_COL_STATUS};
    for (size_t k = 0; k < 2; k++) {
        lc_reg_col role = strict[k];
        if (h->ambiguous[role] < 0) continue;
        char a[8], b[8];
        lc_table_column_letter((size_t)h->col[role], a);
        lc_table_column_letter((size_t)h->ambiguous[role], b);
        int ca = h->col[role] < h->ambiguous[role] ? h->col[role] : h->ambiguous[role];
        int cb = h->col[role] < h->ambiguous[role] ? h->ambiguous[role] : h->col[role];
        lc_table_column_letter((size_t)ca, a);
        lc_table_column_letter((size_t)cb, b);
        return lc_error(ctx, LC_EINPUT, "%s: two columns qualify as the %s column: %s \"%s\" and %s \"%s\" "
                        "(header row %lld); choose one with --map %s=@%s or --map %s=@%s", where,
                        role_names[role], a, header_name(s, h->row, h->lines, (size_t)ca), b,
                        header_name(s, h->row, h->lines, (size_t)cb), (long long)r->header_line,
                        role_names[role], a, role_names[role], b);
    }
    for (int role = 0; role < LC_COL_N; role++) {
        if (h->col[role] < 0) continue;
        snprintf(r->header[role], sizeof r->header[role], "%s", h->name[role] ? h->name[role] : "");
        lc_table_column_letter((size_t)h->col[role], r->column[role]);
        if (h->ambiguous[role] >= 0) {
            char b[8];
            lc_table_column_letter((size_t)h->ambiguous[role], b);
            lc_status rc = lc_qa_add(ctx, rr->qa, LC_SEV_WARNING, "register_ambiguous_column", NULL, where, 0,
                                     0, 0, "columns %s and %s both qualify as the %s column: used %s \"%s\" "
                                     "(choose with --map %s=@%s)", r->column[role], b, role_names[role],
                                     r->column[role], r->header[role], role_names[role], b);
            if (rc != LC_OK) return rc;
        }
    }
    if (h->col[LC_COL_DATE] < 0) {
        char looked[300];
        looked_for(rr->opts, LC_COL_DATE, looked, sizeof looked);
        return lc_error(ctx, LC_EINPUT, "%s: no date column in header row %lld (looked for %s); name it "
                        "with --map date=HEADER", where, (long long)r->header_line, looked);
    }
    return LC_OK;
}

/* Rows above the header: titles, reported once. */
static lc_status report_titles(reg_reader *rr)
{
    const lc_table_sheet *s = rr->sheet;
    lc_register *r = rr->r;
    if (rr->h.row == 0) return LC_OK;
    r->title_rows = rr->h.row;
    const char *title = NULL;
    for (size_t c = 0; !title && c < s->rows[0].n; c++) title = lc_table_cell(s, 0, c);
    char where[700];
    where_sheet(rr, where, sizeof where);
    return lc_qa_add(rr->ctx, rr->qa, LC_SEV_INFO, "register_title_rows", NULL, where, 0, 0, 0,
                     "%zu row(s) above the header on row %lld taken as titles: \"%.80s\"", r->title_rows,
                     (long long)r->header_line, title ? title : "");
}

static const char *cell_of(const reg_reader *rr, size_t row, lc_reg_col role)
{
    int c = rr->h.col[role];
    return c >= 0 ? lc_table_cell(rr->sheet, row, (size_t)c) : NULL;
}

static int32_t read_date_cell(reg_reader *rr, const char *s, int64_t line, const char *key, int *flagged,
                              lc_status *rc)
{
    int32_t day;
    *flagged = 0;
    if (!s) return LC_NO_DATE;
    char n[128];
    normalise(s, n, sizeof n, 0);
    if (!lc_date_parse(n, &day)) {
        note_problem(&rr->bad_dates, line, s);
        *flagged = 1;
        return LC_NO_DATE;
    }
    int32_t first = lc_days_from_civil(LC_REG_FIRST_YEAR, 1, 1);
    if (day < first || day > rr->latest_plausible) {
        char where[700], d[11], limit[11];
        where_row(rr, line, where, sizeof where);
        lc_date_format(day, d);
        lc_date_format(day < first ? first : rr->latest_plausible, limit);
        *rc = lc_qa_add(rr->ctx, rr->qa, LC_SEV_ERROR, "register_implausible_date", key, where, 0, 0, 0,
                        "signed date %s (column %s) is %s %s: not used, the row counts as not signed", d,
                        rr->r->header[LC_COL_DATE], day < first ? lc_tr("before") : lc_tr("after"), limit);
        *flagged = 1;
        return LC_NO_DATE;
    }
    return day;
}

static double read_area_cell(reg_reader *rr, const char *s, int64_t line, const char *key, lc_status *rc)
{
    if (!s) return NAN;
    char n[128];
    normalise(s, n, sizeof n, NORM_DROP_BLANKS);
    size_t len = strlen(n);
    static const char mu_sign[] = "亩";
    if (len >= 3 && !strcmp(n + len - 3, mu_sign)) n[len - 3] = '\0';
    /* thousands separators: 1,234.5 */
    char *w = n;
    for (char *p = n; *p; p++)
        if (*p != ',') *w++ = *p;
    *w = '\0';
    char *end = NULL;
    double v = strtod(n, &end);
    if (end == n || *end || !isfinite(v) || v < 0) {
        char where[700];
        where_row(rr, line, where, sizeof where);
        *rc = lc_qa_add(rr->ctx, rr->qa, LC_SEV_WARNING, "register_bad_area", key, where, 0, 0, 0,
                        "declared area \"%.40s\" in column %s is not a number of mu; ignored", s,
                        rr->r->header[LC_COL_AREA]);
        return NAN;
    }
    return v;
}

static lc_status add_row(reg_reader *rr, const lc_reg_row *row, size_t *cap)
{
    lc_register *r = rr->r;
    if (lc_grow(rr->ctx, (void **)&r->rows, cap, r->n_rows + 1, sizeof *r->rows)) return LC_ENOMEM;
    r->rows[r->n_rows++] = *row;
    return LC_OK;
}

/* One data row: a contract, a total, a note, or a row without a key. */
static lc_status read_row(reg_reader *rr, size_t i, size_t *cap)
{
    lc_ctx *ctx = rr->ctx;
    lc_register *r = rr->r;
    const lc_table_sheet *s = rr->sheet;
    int64_t line = s->rows[i].line;
    char where[700];
    where_row(rr, line, where, sizeof where);
    const char *key_cell = cell_of(rr, i, LC_COL_KEY);
    const char *status_cell = cell_of(rr, i, LC_COL_STATUS);
    const char *first = NULL;
    for (size_t c = 0; !first && c < s->rows[i].n; c++) first = lc_table_cell(s, i, c);
    int valid_key = key_cell && has_digit(key_cell) && !is_total_text(key_cell);
    if (!valid_key && (is_total_text(key_cell) || is_total_text(first))) {
        r->total_rows++;
        return lc_qa_add(ctx, rr->qa, LC_SEV_INFO, "register_total_row", NULL, where, 0, 0, 0,
                         "a totals row (\"%.40s\"): skipped", is_total_text(key_cell) ? key_cell : first);
    }
    lc_reg_status ignored;
    if (!has_digit(key_cell) && is_note_text(first) && !(status_cell && status_of_word(rr->opts, status_cell, &ignored))) {
        r->note_rows++;
        return lc_qa_add(ctx, rr->qa, LC_SEV_INFO, "register_note_row", NULL, where, 0, 0, 0,
                         "a note under the table (\"%.40s\"): skipped", first);
    }
    if (!key_cell)
        return lc_qa_add(ctx, rr->qa, LC_SEV_ERROR, "register_missing_key", NULL, where, 0, 0, 0,
                         "row has no parcel key in column %s; ignored", r->header[LC_COL_KEY]);
    char norm[256];
    lc_key_normalise(key_cell, norm, sizeof norm);
    const char *key = lc_arena_strdup(&r->strings, norm);
    if (!key) return lc_error(ctx, LC_ENOMEM, "out of memory");
    lc_reg_row row = {.key = key, .signed_on = LC_NO_DATE, .declared_mu = NAN, .line = line,
                      .mangled = lc_key_looks_mangled(key)};
    lc_status rc = LC_OK;
    if (row.mangled) {
        r->mangled_rows++;
        rc = lc_qa_add(ctx, rr->qa, LC_SEV_ERROR, "register_key_mangled", key, where, 0, 0, 0,
                       "key \"%s\" is a number Excel rounded (a 19-digit code stored as a number loses "
                       "its last digits): format column %s as text and enter the codes again", key,
                       r->column[LC_COL_KEY]);
        if (rc != LC_OK) return rc;
    }
    int usable = 1;
    if (!status_cell) {
        note_problem(&rr->missing_status, line, "");
        usable = 0;
    } else if (!status_of_word(rr->opts, status_cell, &row.status)) {
        rr->unknown_rows++;
        rc = note_unknown_word(rr, status_cell, line);
        usable = 0;
    }
    int date_flagged = 0;
    if (rc == LC_OK) row.signed_on = read_date_cell(rr, cell_of(rr, i, LC_COL_DATE), line, key, &date_flagged, &rc);
    if (rc == LC_OK) row.declared_mu = read_area_cell(rr, cell_of(rr, i, LC_COL_AREA), line, key, &rc);
    row.holder = cell_of(rr, i, LC_COL_HOLDER);
    row.transferee = cell_of(rr, i, LC_COL_TRANSFEREE);
    if (rc != LC_OK || !usable) return rc;
    if (row.signed_on != LC_NO_DATE && row.signed_on > rr->opts->today) {
        char d[11];
        lc_date_format(row.signed_on, d);
        rc = lc_qa_add(ctx, rr->qa, LC_SEV_WARNING, "register_future_date", key, where, 0, 0, 0,
                       "signed date %s is after today", d);
    }
    if (rc == LC_OK && row.status == LC_REG_SIGNED && row.signed_on == LC_NO_DATE && !date_flagged)
        rc = lc_qa_add(ctx, rr->qa, LC_SEV_ERROR, "register_signed_without_date", key, where, 0, 0, 0,
                       "status is signed but column %s is empty: counted as pending", r->header[LC_COL_DATE]);
    if (rc == LC_OK) rc = add_row(rr, &row, cap);
    return rc;
}

/* Every problem that stops the run, in one message (or, for check, one
** QA error per row). */
static lc_status report_problems(reg_reader *rr)
{
    lc_ctx *ctx = rr->ctx;
    lc_register *r = rr->r;
    if (!rr->n_words && !rr->missing_status.n && !rr->bad_dates.n) return LC_OK;
    char where[700];
    where_sheet(rr, where, sizeof where);
    if (rr->opts->findings_only) {
        /* rows were skipped (status) or kept without a date; say so per row */
        lc_status rc = LC_OK;
        for (size_t k = 0; k < rr->bad_dates.n && k < LC_REG_EXAMPLES && rc == LC_OK; k++) {
            char w[700];
            where_row(rr, rr->bad_dates.first[k].line, w, sizeof w);
            rc = lc_qa_add(ctx, rr->qa, LC_SEV_ERROR, "register_bad_date", NULL, w, 0, 0, 0,
                           "unreadable date \"%.60s\" in column %s", rr->bad_dates.first[k].value,
                           r->header[LC_COL_DATE]);
        }
        if (rc == LC_OK && rr->bad_dates.n > LC_REG_EXAMPLES)
            rc = lc_qa_add(ctx, rr->qa, LC_SEV_ERROR, "register_bad_date", NULL, where, 0, 0, 0,
                           "%zu more rows with an unreadable date in column %s",
                           rr->bad_dates.n - LC_REG_EXAMPLES, r->header[LC_COL_DATE]);
        for (size_t k = 0; k < rr->missing_status.n && k < LC_REG_EXAMPLES && rc == LC_OK; k++) {
            char w[700];
            where_row(rr, rr->missing_status.first[k].line, w, sizeof w);
            rc = lc_qa_add(ctx, rr->qa, LC_SEV_ERROR, "register_missing_status", NULL, w, 0, 0, 0,
                           "no status in column %s; row ignored", r->header[LC_COL_STATUS]);
        }
        if (rc == LC_OK && rr->missing_status.n > LC_REG_EXAMPLES)
            rc = lc_qa_add(ctx, rr->qa, LC_SEV_ERROR, "register_missing_status", NULL, where, 0, 0, 0,
                           "%zu more rows with no status; ignored", rr->missing_status.n - LC_REG_EXAMPLES);
        for (size_t k = 0; k < rr->n_words && rc == LC_OK; k++)
            rc = lc_qa_add(ctx, rr->qa, LC_SEV_ERROR, "register_unknown_status", NULL, where, 0, 0, 0,
                           "status word \"%.60s\" in column %s is not in the vocabulary: %zu row(s), first "
                           "row %lld, ignored; map it with --status-map %s=STATUS", rr->words[k].word,
                           r->header[LC_COL_STATUS], rr->words[k].count, (long long)rr->words[k].first_line,
                           rr->words[k].word);
        return rc;
    }
    char msg[LC_ERRMSG_MAX];
    size_t len = 0;
#define ADD(...) len = lc_appendf(msg, sizeof msg, len, __VA_ARGS__)
    ADD("%s: the register cannot be used as it is:", where);
    if (rr->n_words) {
        ADD("\n  %zu status word%s in column %s %s not in the vocabulary (%zu rows):", rr->n_words,
            rr->n_words > 1 ? "s" : "", r->header[LC_COL_STATUS], rr->n_words > 1 ? "are" : "is", rr->unknown_rows);
        for (size_t k = 0; k < rr->n_words && k < LC_REG_WORDS_LISTED; k++)
            ADD("\n    \"%.60s\": %zu row%s, first on row %lld", rr->words[k].word, rr->words[k].count,
                rr->words[k].count > 1 ? "s" : "", (long long)rr->words[k].first_line);
        if (rr->n_words > LC_REG_WORDS_LISTED) ADD("\n    and %zu more words", rr->n_words - LC_REG_WORDS_LISTED);
        ADD("\n    map each with --status-map WORD=STATUS (STATUS: transferred, pending, refused, disputed), "
            "e.g. --status-map %s=transferred", rr->words[0].word);
    }
    if (rr->missing_status.n) {
        ADD("\n  %zu row%s with a key but no status in column %s; rows", rr->missing_status.n,
            rr->missing_status.n > 1 ? "s" : "", r->header[LC_COL_STATUS]);
        for (size_t k = 0; k < rr->missing_status.n && k < LC_REG_EXAMPLES; k++)
            ADD("%s %lld", k ? "," : "", (long long)rr->missing_status.first[k].line);
        if (rr->missing_status.n > LC_REG_EXAMPLES) ADD(" and %zu more", rr->missing_status.n - LC_REG_EXAMPLES);
    }
    if (rr->bad_dates.n) {
        ADD("\n  %zu unreadable date%s in column %s (expected e.g. 2019-03-05, 2019/3/5, 2019年3月5日, "
            "20190305 or an Excel date):", rr->bad_dates.n, rr->bad_dates.n > 1 ? "s" : "", r->header[LC_COL_DATE]);
        for (size_t k = 0; k < rr->bad_dates.n && k < LC_REG_EXAMPLES; k++)
            ADD("\n    row %lld: \"%.60s\"", (long long)rr->bad_dates.first[k].line, rr->bad_dates.first[k].value);
        if (rr->bad_dates.n > LC_REG_EXAMPLES)
            ADD("\n    and %zu more (the first %d are shown)", rr->bad_dates.n - LC_REG_EXAMPLES, LC_REG_EXAMPLES);
    }
#undef ADD
    return lc_error(ctx, LC_EINPUT, "%s", msg);
}

static lc_status read_rows(reg_reader *rr)
{
    lc_ctx *ctx = rr->ctx;
    lc_register *r = rr->r;
    const lc_table_sheet *s = rr->sheet;
    size_t cap = 0, start = rr->h.row + (size_t)rr->h.lines;
    int64_t prev = s->rows[start - 1].line;
    int64_t first_blank = 0;
    lc_status rc = report_titles(rr);
    for (size_t i = start; i < s->n_rows && rc == LC_OK; i++) {
        /* rows the table did not store were blank; count those inside the data */
        if (s->rows[i].line > prev + 1) {
            if (!first_blank) first_blank = prev + 1;
            r->blank_rows += (size_t)(s->rows[i].line - prev - 1);
        }
        prev = s->rows[i].line;
        rc = read_row(rr, i, &cap);
        if (rc == LC_OK && (i & 4095) == 0 && lc_cancelled(ctx)) rc = lc_error(ctx, LC_EINTERRUPTED, "interrupted");
    }
    if (rc == LC_OK && r->blank_rows) {
        char where[700];
        where_sheet(rr, where, sizeof where);
        rc = lc_qa_add(ctx, rr->qa, LC_SEV_INFO, "register_blank_rows", NULL, where, 0, 0, 0,
                       "%zu blank row(s) inside the table skipped (the first is row %lld)", r->blank_rows,
                       (long long)first_blank);
    }
    if (rc == LC_OK) rc = report_problems(rr);
    if (rc == LC_OK && r->n_rows == 0) {
        char where[700];
        where_sheet(rr, where, sizeof where);
        rc = lc_error(ctx, LC_EINPUT, "%s: the register has no data rows under its header (row %lld)", where,
                      (long long)r->header_line);
    }
    return rc;
}

static int same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static int same_row(const lc_reg_row *a, const lc_reg_row *b)
{
    return a->status == b->status && a->signed_on == b->signed_on &&
           ((isnan(a->declared_mu) && isnan(b->declared_mu)) || a->declared_mu == b->declared_mu) &&
           same_text(a->holder, b->holder) && same_text(a->transferee, b->transferee);
}

static int cmp_rows(const void *pa, const void *pb)
{
    const lc_reg_row *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);
    if (c) return c;
    return (a->line > b->line) - (a->line < b->line);
}

/* Duplicate rows of one key (SPEC §1): identical rows count once; rows of
** one status class take the earliest signed date and the last declared
** area; rows of different classes make the parcel disputed. */
static lc_status consolidate(reg_reader *rr)
{
    lc_ctx *ctx = rr->ctx;
    lc_register *r = rr->r;
    lc_sort(r->rows, r->n_rows, sizeof *r->rows, cmp_rows);
    r->entries = lc_calloc(ctx, r->n_rows ? r->n_rows : 1, sizeof *r->entries);
    if (!r->entries) return LC_ENOMEM;
    lc_status rc = LC_OK;
    for (size_t i = 0; i < r->n_rows && rc == LC_OK;) {
        size_t j = i + 1;
        while (j < r->n_rows && !strcmp(r->rows[i].key, r->rows[j].key)) j++;
        const lc_reg_row *first = &r->rows[i];
        lc_reg_entry *e = &r->entries[r->n_entries++];
        e->key = first->key;
        e->status = first->status;
        e->signed_on = first->signed_on;
        e->declared_mu = first->declared_mu;
        e->holder = first->holder;
        e->transferee = first->transferee;
        e->line = first->line;
        e->rows = (int)(j - i);
        e->mangled = first->mangled;
        int conflict = 0;
        for (size_t k = i + 1; k < j; k++) {
            const lc_reg_row *row = &r->rows[k];
            char where[700];
            where_row(rr, row->line, where, sizeof where);
            if (same_row(row, first)) {
                rc = lc_qa_add(ctx, rr->qa, LC_SEV_INFO, "register_duplicate_row", row->key, where, 0,
                               0, 0, "repeats row %lld exactly; counted once", (long long)first->line);
            } else if (row->status == first->status) {
                if (row->signed_on != LC_NO_DATE &&
                    (e->signed_on == LC_NO_DATE || row->signed_on < e->signed_on))
                    e->signed_on = row->signed_on;
                if (!isnan(row->declared_mu)) e->declared_mu = row->declared_mu;
                if (row->holder) e->holder = row->holder;
                if (row->transferee) e->transferee = row->transferee;
                rc = lc_qa_add(ctx, rr->qa, LC_SEV_WARNING, "register_duplicate_key", row->key, where,
                               0, 0, 0, "key also on row %lld with the same status (%s) but other "
                               "details; used the earliest signed date and the last declared area",
                               (long long)first->line, lc_reg_status_name(row->status));
            } else {
                conflict = 1;
                rc = lc_qa_add(ctx, rr->qa, LC_SEV_ERROR, "register_conflicting_rows", row->key, where,
                               0, 0, 0, "status %s contradicts row %lld (%s): the parcel is counted "
                               "as disputed until the register is corrected",
                               lc_reg_status_name(row->status), (long long)first->line,
                               lc_reg_status_name(first->status));
            }
        }
        if (conflict) e->status = LC_REG_DISPUTED;
        i = j;
    }
    return rc;
}

lc_reg_entry *lc_register_find(const lc_register *r, const char *key)
{
    char norm[256];
    int plain = key[0] != '\'' && !isspace((unsigned char)key[0]);
    for (const char *p = key; plain && *p; p++) plain = (unsigned char)*p < 0x80;
    size_t n = strlen(key);
    if (plain && n && isspace((unsigned char)key[n - 1])) plain = 0;
    if (!plain) key = lc_key_normalise(key, norm, sizeof norm);
    size_t lo = 0, hi = r->n_entries;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(r->entries[mid].key, key);
        if (!c) return &r->entries[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

lc_status lc_register_read(lc_ctx *ctx, const char *path, const lc_register_opts *opts,
                           lc_qa *qa, lc_register **out)
{
    *out = NULL;
    reg_reader rr;
    memset(&rr, 0, sizeof rr);
    rr.ctx = ctx;
    rr.opts = opts;
    rr.qa = qa;
    int32_t latest = opts->as_of > opts->today ? opts->as_of : opts->today;
    rr.latest_plausible = latest + LC_REG_FUTURE_DAYS;
    rr.r = lc_calloc(ctx, 1, sizeof *rr.r);
    if (!rr.r) return LC_ENOMEM;
    snprintf(rr.r->path, sizeof rr.r->path, "%s", path);
    snprintf(rr.r->display, sizeof rr.r->display, "%s", path);
    const char *format = lc_table_format_of(path);
    lc_status rc = LC_OK;
    if (opts->encoding && format && strcmp(format, "CSV"))
        rc = lc_error(ctx, LC_EINPUT, "--register-encoding %s: applies to CSV registers only; %s is a %s "
                      "workbook, whose text is Unicode", opts->encoding, path, format);
    if (rc == LC_OK) rc = lc_table_read(ctx, path, opts->encoding, &rr.table);
    if (rc == LC_OK) {
        snprintf(rr.r->format, sizeof rr.r->format, "%s", rr.table->format);
        rr.r->encoding = rr.table->encoding;
        rc = choose_sheet(&rr);
    }
    if (rc == LC_OK) rc = decide_columns(&rr);
    if (rc == LC_OK) rc = read_rows(&rr);
    /* holders, transferees and words point into the table: it stays with the register */
    rr.r->table = rr.table;
    if (rc == LC_OK) rc = consolidate(&rr);
    free(rr.words);
    if (rc != LC_OK) {
        lc_register_free(rr.r);
        return rc;
    }
    *out = rr.r;
    return LC_OK;
}

void lc_register_free(lc_register *r)
{
    if (!r) return;
    free(r->rows);
    free(r->entries);
    lc_table_free(r->table);
    lc_arena_release(&r->strings);
    free(r);
}
