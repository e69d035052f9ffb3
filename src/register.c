/*
** Reading the transfer register through OGR (CSV or XLSX) and resolving it
** to one entry per parcel key. Fatal problems (a column that cannot be
** found, an unknown status word, a date that cannot be read) stop the run
** with the file, row and column named; everything an analyst should review
** but that has a defined meaning becomes a QA finding.
*/
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

#include "dates.h"
#include "gdal_errors.h"
#include "register.h"

/* Sniff at most this many bytes of a CSV for its encoding. */
#define LC_REG_SNIFF_BYTES (16u << 20)

static const char *const role_names[LC_COL_N] = {"key", "status", "date", "area", "holder",
                                                "transferee"};

/* Recognised headers per role (SPEC §1), compared case-insensitively. */
static const char *const aliases[LC_COL_N][8] = {
    [LC_COL_KEY] = {"DKBM", "地块编码", "地块代码", NULL},
    [LC_COL_STATUS] = {"ZT", "状态", "流转状态", NULL},
    [LC_COL_DATE] = {"QYRQ", "HTQDRQ", "签约日期", "合同签订日期", NULL},
    [LC_COL_AREA] = {"HTMJ", "LZMJM", "合同面积", "流转面积", NULL},
    [LC_COL_HOLDER] = {"CBFMC", "承包方", "承包方名称", NULL},
    [LC_COL_TRANSFEREE] = {"LRF", "流入方", "受让方", NULL},
};

static const struct { const char *word; lc_reg_status status; } status_words[] = {
    {"signed", LC_REG_SIGNED}, {"已签约", LC_REG_SIGNED}, {"已流转", LC_REG_SIGNED},
    {"pending", LC_REG_PENDING}, {"未签约", LC_REG_PENDING}, {"待签", LC_REG_PENDING},
    {"refused", LC_REG_REFUSED}, {"拒签", LC_REG_REFUSED}, {"不同意", LC_REG_REFUSED},
    {"disputed", LC_REG_DISPUTED}, {"争议", LC_REG_DISPUTED},
};

int lc_reg_status_parse(const char *s, lc_reg_status *out)
{
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) n--;
    for (size_t i = 0; i < sizeof status_words / sizeof status_words[0]; i++)
        if (strlen(status_words[i].word) == n && !strncasecmp(s, status_words[i].word, n)) {
            *out = status_words[i].status;
            return 1;
        }
    return 0;
}

const char *lc_reg_status_name(lc_reg_status s)
{
    static const char *const names[] = {"signed", "pending", "refused", "disputed"};
    return s < LC_REG_N ? names[s] : "?";
}

lc_status lc_register_map_option(lc_ctx *ctx, lc_register_opts *opts, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (eq)
        for (int i = 0; i < LC_COL_N; i++)
            if (strlen(role_names[i]) == (size_t)(eq - spec) && !strncmp(spec, role_names[i], (size_t)(eq - spec))) {
                opts->map[i] = eq + 1;
                return LC_OK;
            }
    return lc_error(ctx, LC_EINPUT, "--map %s: expected ROLE=HEADER with ROLE one of key, status, "
                    "date, area, holder, transferee", spec);
}

typedef struct reg_reader {
    lc_ctx *ctx;
    lc_register *r;
    const lc_register_opts *opts;
    lc_qa *qa;
    GDALDatasetH ds;
    OGRLayerH layer;
    lc_recoder *rec;
    int field[LC_COL_N];      /* OGR field index per role, -1 none */
    lc_gdal_record gdal;      /* GDAL failures while reading */
} reg_reader;

static int has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && !strcasecmp(path + n - e, ext);
}

static lc_status open_register(reg_reader *rr, const char *path)
{
    lc_ctx *ctx = rr->ctx;
    lc_register *r = rr->r;
    struct stat st;
    if (stat(path, &st) != 0) return lc_error(ctx, LC_EINPUT, "%s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode)) return lc_error(ctx, LC_EINPUT, "%s: is a folder, not a register file", path);
    if (st.st_size == 0) return lc_error(ctx, LC_EINPUT, "%s: the register file is empty", path);
    const char *drivers[2] = {NULL, NULL};
    const char *csv_oo[] = {"HEADERS=YES", "AUTODETECT_TYPE=NO", "KEEP_SOURCE_COLUMNS=NO", NULL};
    const char *xlsx_oo[] = {"HEADERS=FORCE", "FIELD_TYPES=AUTO", NULL};
    const char *const *oo;
    if (has_ext(path, ".xlsx")) {
        drivers[0] = "XLSX";
        oo = xlsx_oo;
        snprintf(r->format, sizeof r->format, "XLSX");
    } else if (has_ext(path, ".csv") || has_ext(path, ".txt")) {
        drivers[0] = "CSV";
        oo = csv_oo;
        snprintf(r->format, sizeof r->format, "CSV");
    } else {
        return lc_error(ctx, LC_EINPUT, "%s: the register must be a .csv or .xlsx file", path);
    }
    GDALAllRegister();
    rr->ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, oo, NULL);
    if (!rr->ds || GDALDatasetGetLayerCount(rr->ds) < 1)
        return lc_error(ctx, LC_EINPUT, "%s: cannot be read as %s%s%s", path, r->format,
                        rr->gdal.msg[0] ? ": " : "", rr->gdal.msg);
    rr->layer = GDALDatasetGetLayer(rr->ds, 0);
    return LC_OK;
}

static lc_status choose_encoding(reg_reader *rr, const char *path)
{
    lc_ctx *ctx = rr->ctx;
    lc_encoding *enc = &rr->r->encoding;
    if (!strcmp(rr->r->format, "XLSX")) {
        snprintf(enc->name, sizeof enc->name, "UTF-8");
        snprintf(enc->source, sizeof enc->source, "XLSX (UTF-8)");
    } else if (rr->opts->encoding) {
        if (!lc_encoding_from_label(rr->opts->encoding, enc))
            return lc_error(ctx, LC_EINPUT, "register encoding %s: unknown encoding", rr->opts->encoding);
        snprintf(enc->source, sizeof enc->source, "option");
    } else {
        FILE *f = fopen(path, "rb");
        if (!f) return lc_error(ctx, LC_EINPUT, "%s: %s", path, strerror(errno));
        unsigned char *buf = malloc(LC_REG_SNIFF_BYTES);
        if (!buf) {
            fclose(f);
            return lc_error(ctx, LC_ENOMEM, "out of memory");
        }
        size_t n = fread(buf, 1, LC_REG_SNIFF_BYTES, f);
        fclose(f);
        int bom = n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF;
        lc_sniff_result s = bom ? LC_SNIFF_UTF8 : lc_encoding_sniff(buf, n, NULL, NULL);
        free(buf);
        lc_encoding_from_label(s == LC_SNIFF_GBK ? "GBK" : "UTF-8", enc);
        snprintf(enc->source, sizeof enc->source, "%s", bom ? "byte-order mark" : "detected from bytes");
    }
    return lc_recoder_open(ctx, enc, &rr->rec);
}

/* Trimmed UTF-8 copy in the register's arena, NULL when empty. */
static const char *text_of(reg_reader *rr, const char *raw)
{
    size_t replaced;
    const char *u = lc_recode(rr->rec, raw, strlen(raw), &rr->r->strings, &replaced);
    if (!u) return NULL;
    while (isspace((unsigned char)*u)) u++;
    size_t n = strlen(u);
    while (n && isspace((unsigned char)u[n - 1])) n--;
    if (!n) return NULL;
    return lc_arena_strndup(&rr->r->strings, u, n);
}

static lc_status find_columns(reg_reader *rr)
{
    lc_ctx *ctx = rr->ctx;
    lc_register *r = rr->r;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(rr->layer);
    int n = OGR_FD_GetFieldCount(defn);
    char names[700] = "";
    for (int c = 0; c < LC_COL_N; c++) rr->field[c] = -1;
    for (int i = 0; i < n; i++) {
        const char *name = text_of(rr, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
        if (!name) continue;
        if (strlen(names) < 600) {
            if (names[0]) strcat(names, ", ");
            strncat(names, name, 60);
        }
        for (int c = 0; c < LC_COL_N; c++) {
            if (rr->field[c] >= 0) continue;
            int hit = 0;
            if (rr->opts->map[c]) hit = !strcasecmp(name, rr->opts->map[c]);
            else
                for (int k = 0; aliases[c][k]; k++) hit |= !strcasecmp(name, aliases[c][k]);
            if (hit) {
                rr->field[c] = i;
                snprintf(r->header[c], sizeof r->header[c], "%s", name);
            }
        }
    }
    static const lc_reg_col required[] = {LC_COL_KEY, LC_COL_STATUS, LC_COL_DATE};
    for (size_t k = 0; k < sizeof required / sizeof required[0]; k++) {
        lc_reg_col c = required[k];
        if (rr->field[c] >= 0) continue;
        char looked[200] = "";
        if (rr->opts->map[c]) snprintf(looked, sizeof looked, "%s", rr->opts->map[c]);
        else
            for (int a = 0; aliases[c][a]; a++) {
                if (a) strcat(looked, ", ");
                strcat(looked, aliases[c][a]);
            }
        return lc_error(ctx, LC_EINPUT, "%s: no %s column (looked for %s; the header row has: %s); "
                        "name it with --map %s=HEADER", r->display, role_names[c], looked,
                        names[0] ? names : "nothing", role_names[c]);
    }
    return LC_OK;
}

static lc_status read_date(reg_reader *rr, OGRFeatureH f, int64_t line, int32_t *day)
{
    int idx = rr->field[LC_COL_DATE];
    *day = LC_NO_DATE;
    if (!OGR_F_IsFieldSetAndNotNull(f, idx)) return LC_OK;
    OGRFieldType t = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, idx));
    if (t == OFTDate || t == OFTDateTime) {
        int y, m, d, hh, mm, tz;
        float ss;
        OGR_F_GetFieldAsDateTimeEx(f, idx, &y, &m, &d, &hh, &mm, &ss, &tz);
        if (lc_date_valid(y, m, d)) {
            *day = lc_days_from_civil(y, m, d);
            return LC_OK;
        }
    } else if (t == OFTInteger || t == OFTInteger64 || t == OFTReal) {
        double v = OGR_F_GetFieldAsDouble(f, idx);
        if (v >= 1 && v <= 109574) {
            *day = lc_days_from_excel_serial(v);
            return LC_OK;
        }
    } else {
        const char *s = text_of(rr, OGR_F_GetFieldAsString(f, idx));
        if (!s) return LC_OK;
        if (lc_date_parse(s, day)) return LC_OK;
        return lc_error(rr->ctx, LC_EINPUT, "%s row %lld, column %s: unreadable date \"%.60s\" "
                        "(expected e.g. 2019-03-05, 2019/3/5, 2019年3月5日 or an Excel serial number)",
                        rr->r->display, (long long)line, rr->r->header[LC_COL_DATE], s);
    }
    return lc_error(rr->ctx, LC_EINPUT, "%s row %lld, column %s: unreadable date \"%.60s\"",
                    rr->r->display, (long long)line, rr->r->header[LC_COL_DATE],
                    OGR_F_GetFieldAsString(f, idx));
}

static lc_status read_rows(reg_reader *rr)
{
    lc_ctx *ctx = rr->ctx;
    lc_register *r = rr->r;
    size_t cap = 0;
    int64_t last_line = 1;       /* the header */
    OGRFeatureH f;
    OGR_L_ResetReading(rr->layer);
    rr->gdal.failures = 0;
    lc_status rc = LC_OK;
    while (rc == LC_OK && (f = OGR_L_GetNextFeature(rr->layer))) {
        /* OGR's CSV driver numbers data rows from 1 (the header is line 1);
        ** its XLSX driver uses the spreadsheet row number itself */
        int64_t line = OGR_F_GetFID(f) + (strcmp(r->format, "XLSX") ? 1 : 0);
        last_line = line;
        char where[300];
        snprintf(where, sizeof where, "%s:%lld", r->display, (long long)line);
        const char *key = OGR_F_IsFieldSetAndNotNull(f, rr->field[LC_COL_KEY])
                              ? text_of(rr, OGR_F_GetFieldAsString(f, rr->field[LC_COL_KEY])) : NULL;
        const char *status = OGR_F_IsFieldSetAndNotNull(f, rr->field[LC_COL_STATUS])
                                 ? text_of(rr, OGR_F_GetFieldAsString(f, rr->field[LC_COL_STATUS])) : NULL;
        int blank = !key && !status;
        for (int c = LC_COL_DATE; blank && c < LC_COL_N; c++)
            if (rr->field[c] >= 0 && OGR_F_IsFieldSetAndNotNull(f, rr->field[c]) &&
                text_of(rr, OGR_F_GetFieldAsString(f, rr->field[c])))
                blank = 0;
        if (blank) { /* trailing empty rows of spreadsheets */
            OGR_F_Destroy(f);
            continue;
        }
        if (!key) {
            rc = lc_qa_add(ctx, rr->qa, LC_SEV_ERROR, "register_missing_key", NULL, where, 0, 0, 0,
                           "row has no parcel key in column %s; ignored", r->header[LC_COL_KEY]);
            OGR_F_Destroy(f);
            continue;
        }
        lc_reg_row row = {.key = key, .signed_on = LC_NO_DATE, .declared_mu = NAN, .line = line};
        if (!status || !lc_reg_status_parse(status, &row.status)) {
            OGR_F_Destroy(f);
            return lc_error(ctx, LC_EINPUT, "%s row %lld, column %s: %s status%s%.60s%s (expected "
                            "已签约/已流转/signed, 未签约/待签/pending, 拒签/不同意/refused or 争议/disputed)",
                            r->display, (long long)line, r->header[LC_COL_STATUS],
                            status ? "unknown" : "missing", status ? " \"" : "", status ? status : "",
                            status ? "\"" : "");
        }
        rc = read_date(rr, f, line, &row.signed_on);
        if (rc == LC_OK && rr->field[LC_COL_AREA] >= 0 && OGR_F_IsFieldSetAndNotNull(f, rr->field[LC_COL_AREA])) {
            const char *s = text_of(rr, OGR_F_GetFieldAsString(f, rr->field[LC_COL_AREA]));
            char *end = NULL;
            double v = s ? strtod(s, &end) : NAN;
            if (s && (end == s || *end || !isfinite(v) || v < 0))
                rc = lc_qa_add(ctx, rr->qa, LC_SEV_WARNING, "register_bad_area", key, where, 0, 0, 0,
                               "declared area \"%.40s\" in column %s is not a number of mu; ignored",
                               s, r->header[LC_COL_AREA]);
            else if (s)
                row.declared_mu = v;
        }
        if (rc == LC_OK && rr->field[LC_COL_HOLDER] >= 0 && OGR_F_IsFieldSetAndNotNull(f, rr->field[LC_COL_HOLDER]))
            row.holder = text_of(rr, OGR_F_GetFieldAsString(f, rr->field[LC_COL_HOLDER]));
        if (rc == LC_OK && rr->field[LC_COL_TRANSFEREE] >= 0 &&
            OGR_F_IsFieldSetAndNotNull(f, rr->field[LC_COL_TRANSFEREE]))
            row.transferee = text_of(rr, OGR_F_GetFieldAsString(f, rr->field[LC_COL_TRANSFEREE]));
        OGR_F_Destroy(f);
        if (rc != LC_OK) break;
        if (row.signed_on != LC_NO_DATE && row.signed_on > rr->opts->today) {
            char d[11];
            lc_date_format(row.signed_on, d);
            rc = lc_qa_add(ctx, rr->qa, LC_SEV_WARNING, "register_future_date", key, where, 0, 0, 0,
                           "signed date %s is after today", d);
        }
        if (rc == LC_OK && row.status == LC_REG_SIGNED && row.signed_on == LC_NO_DATE)
            rc = lc_qa_add(ctx, rr->qa, LC_SEV_ERROR, "register_signed_without_date", key, where, 0, 0,
                           0, "status is signed but column %s is empty: counted as pending",
                           r->header[LC_COL_DATE]);
        if (rc != LC_OK) break;
        if (lc_grow(ctx, (void **)&r->rows, &cap, r->n_rows + 1, sizeof *r->rows)) return LC_ENOMEM;
        r->rows[r->n_rows++] = row;
        if ((r->n_rows & 4095) == 0 && lc_cancelled(ctx))
            return lc_error(ctx, LC_EINTERRUPTED, "interrupted");
    }
    if (rc == LC_OK && rr->gdal.failures)
        rc = lc_error(ctx, LC_EINPUT, "%s row %lld: cannot be read: %s", r->display,
                      (long long)last_line + 1, rr->gdal.msg);
    if (rc == LC_OK && r->n_rows == 0)
        rc = lc_error(ctx, LC_EINPUT, "%s: the register has no data rows", r->display);
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
    r->entries = lc_calloc(ctx, r->n_rows, sizeof *r->entries);
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
        int conflict = 0;
        for (size_t k = i + 1; k < j; k++) {
            const lc_reg_row *row = &r->rows[k];
            char where[300];
            snprintf(where, sizeof where, "%s:%lld", r->display, (long long)row->line);
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
    rr.r = lc_calloc(ctx, 1, sizeof *rr.r);
    if (!rr.r) return LC_ENOMEM;
    snprintf(rr.r->path, sizeof rr.r->path, "%s", path);
    snprintf(rr.r->display, sizeof rr.r->display, "%s", path);

    CPLPushErrorHandlerEx(lc_gdal_record_error, &rr.gdal);
    lc_status rc = open_register(&rr, path);
    if (rc == LC_OK) rc = choose_encoding(&rr, path);
    if (rc == LC_OK) rc = find_columns(&rr);
    if (rc == LC_OK) rc = read_rows(&rr);
    CPLPopErrorHandler();
    if (rr.ds) GDALClose(rr.ds);
    lc_recoder_free(rr.rec);
    if (rc == LC_OK) rc = consolidate(&rr);
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
    lc_arena_release(&r->strings);
    free(r);
}
