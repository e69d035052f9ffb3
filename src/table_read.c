/*
** Reading a table of unknown layout through GDAL: CSV records through
** CPL's CSV parser (OGR's CSV driver insists on a header in the first
** line, and registers put a title there), workbooks through OGR's XLSX,
** XLS and ODS drivers with headers disabled and every cell as text, so
** that the caller can look for the header itself.
**
** Workbooks are zip archives of XML: before OGR expands one, its parts are
** measured and scanned through /vsizip/ for their longest run of text, so a
** 1 MB file holding a 1.5 GB cell is refused instead of expanded.
*/
/* VSIStatBufL is struct stat64 */
#define _LARGEFILE64_SOURCE 1
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cpl_conv.h>
#include <cpl_csv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>

#include "gdal_errors.h"
#include "table_read.h"

/* Sniff at most this many bytes of a CSV for its encoding and delimiter. */
#define LC_TABLE_SNIFF_BYTES ((size_t)16 << 20)

static int has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && !strcasecmp(path + n - e, ext);
}

const char *lc_table_format_of(const char *path)
{
    if (has_ext(path, ".csv") || has_ext(path, ".txt") || has_ext(path, ".tsv")) return "CSV";
    if (has_ext(path, ".xlsx") || has_ext(path, ".xlsm")) return "XLSX";
    if (has_ext(path, ".xls")) return "XLS";
    if (has_ext(path, ".ods")) return "ODS";
    return NULL;
}

void lc_table_column_letter(size_t c, char out[8])
{
    char tmp[8];
    int n = 0;
    c++;
    while (c > 0 && n < 7) {
        tmp[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

void lc_table_free(lc_table *t)
{
    if (!t) return;
    for (size_t s = 0; s < t->n_sheets; s++) {
        free(t->sheets[s].rows);
        free(t->sheets[s].cells);
    }
    free(t->sheets);
    lc_arena_release(&t->strings);
    free(t);
}

/* ---- building sheets ---------------------------------------------------- */

typedef struct table_reader {
    lc_ctx *ctx;
    lc_table *t;
    const char *path;
    lc_recoder *rec;       /* CSV text to UTF-8; NULL for workbooks */
    size_t text_bytes, rows;
    lc_gdal_record gdal;
} table_reader;

static lc_status add_sheet(table_reader *tr, const char *name)
{
    lc_table *t = tr->t;
    lc_table_sheet *s = lc_realloc_array(tr->ctx, t->sheets, t->n_sheets + 1, sizeof *t->sheets);
    if (!s) return LC_ENOMEM;
    t->sheets = s;
    memset(&s[t->n_sheets], 0, sizeof *s);
    s[t->n_sheets].name = lc_arena_strdup(&t->strings, name ? name : "");
    if (!s[t->n_sheets].name) return lc_error(tr->ctx, LC_ENOMEM, "out of memory");
    t->n_sheets++;
    return LC_OK;
}

/* Blank in the sense of a register cell: ASCII white space, the ideographic
** space U+3000, no-break space U+00A0 and the byte-order mark U+FEFF. */
static size_t blank_prefix(const char *s, size_t n)
{
    size_t i = 0;
    for (;;) {
        if (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n' || s[i] == '\v' ||
                      s[i] == '\f')) {
            i++;
        } else if (i + 3 <= n && ((!memcmp(s + i, "\xE3\x80\x80", 3)) || !memcmp(s + i, "\xEF\xBB\xBF", 3))) {
            i += 3;
        } else if (i + 2 <= n && !memcmp(s + i, "\xC2\xA0", 2)) {
            i += 2;
        } else {
            return i;
        }
    }
}

static size_t blank_suffix(const char *s, size_t n)
{
    size_t k = n;
    for (;;) {
        if (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t' || s[k - 1] == '\r' || s[k - 1] == '\n' ||
                      s[k - 1] == '\v' || s[k - 1] == '\f')) {
            k--;
        } else if (k >= 3 && (!memcmp(s + k - 3, "\xE3\x80\x80", 3) || !memcmp(s + k - 3, "\xEF\xBB\xBF", 3))) {
            k -= 3;
        } else if (k >= 2 && !memcmp(s + k - 2, "\xC2\xA0", 2)) {
            k -= 2;
        } else {
            return n - k;
        }
    }
}

/* The cell as trimmed UTF-8 in the table's arena; *out NULL when blank. */
static lc_status cell_text(table_reader *tr, const char *raw, int64_t line, size_t col, const char **out)
{
    *out = NULL;
    size_t n = strlen(raw);
    size_t replaced = 0;
    const char *u = raw;
    if (tr->rec) {
        u = lc_recode(tr->rec, raw, n, &tr->t->strings, &replaced);
        if (!u) return lc_error(tr->ctx, LC_ENOMEM, "out of memory");
        n = strlen(u);
    } else if (!lc_utf8_valid(raw, n)) {
        lc_encoding utf8;
        lc_encoding_from_label("UTF-8", &utf8);
        lc_recoder *r = NULL;
        if (lc_recoder_open(tr->ctx, &utf8, &r) != LC_OK) return LC_ENOMEM;
        u = lc_recode(r, raw, n, &tr->t->strings, &replaced);
        lc_recoder_free(r);
        if (!u) return lc_error(tr->ctx, LC_ENOMEM, "out of memory");
        n = strlen(u);
    }
    size_t a = blank_prefix(u, n);
    size_t b = a < n ? blank_suffix(u + a, n - a) : 0;
    if (a >= n) return LC_OK;
    size_t len = n - a - b;
    if (len > LC_TABLE_CELL_MAX) {
        char letter[8];
        lc_table_column_letter(col, letter);
        return lc_error(tr->ctx, LC_EINPUT, "%s row %lld, column %s: a cell of %zu bytes (at most %zu "
                        "are read from one cell)", tr->path, (long long)line, letter, len,
                        (size_t)LC_TABLE_CELL_MAX);
    }
    tr->text_bytes += len;
    if (tr->text_bytes > LC_TABLE_TEXT_MAX)
        return lc_error(tr->ctx, LC_EINPUT, "%s: more than %zu MiB of text by row %lld (a register "
                        "larger than landcons reads)", tr->path, (size_t)(LC_TABLE_TEXT_MAX >> 20),
                        (long long)line);
    *out = lc_arena_strndup(&tr->t->strings, u + a, len);
    return *out ? LC_OK : lc_error(tr->ctx, LC_ENOMEM, "out of memory");
}

/* Appends row `line` with `n` cells taken from cells[] (NULL: empty);
** rows whose cells are all empty are not stored. */
static lc_status add_row(table_reader *tr, lc_table_sheet *s, int64_t line, const char **cells, size_t n)
{
    while (n > 0 && !cells[n - 1]) n--;
    if (n == 0) return LC_OK;
    if (++tr->rows > LC_TABLE_ROWS_MAX)
        return lc_error(tr->ctx, LC_EINPUT, "%s: more than %zu rows (a register larger than landcons "
                        "reads)", tr->path, (size_t)LC_TABLE_ROWS_MAX);
    if (lc_grow(tr->ctx, (void **)&s->rows, &s->cap_rows, s->n_rows + 1, sizeof *s->rows) ||
        lc_grow(tr->ctx, (void **)&s->cells, &s->cap_cells, s->n_cells + n, sizeof *s->cells))
        return LC_ENOMEM;
    s->rows[s->n_rows++] = (lc_table_row){line, s->n_cells, n};
    memcpy(s->cells + s->n_cells, cells, n * sizeof *cells);
    s->n_cells += n;
    return LC_OK;
}

/* ---- CSV ---------------------------------------------------------------- */

/* The delimiter most used in the first lines, outside quotes: a title line
** has none, the header and the data have many. */
static char sniff_delimiter(const unsigned char *buf, size_t n, const char *path)
{
    if (has_ext(path, ".tsv")) return '\t';
    static const char candidates[] = {',', '\t', ';', '|'};
    size_t count[4] = {0, 0, 0, 0};
    int quoted = 0, lines = 0;
    for (size_t i = 0; i < n && lines < 40; i++) {
        if (buf[i] == '"') quoted = !quoted;
        else if (!quoted && buf[i] == '\n') lines++;
        else if (!quoted)
            for (int k = 0; k < 4; k++) count[k] += buf[i] == (unsigned char)candidates[k];
    }
    int best = 0;
    for (int k = 1; k < 4; k++)
        if (count[k] > count[best]) best = k;
    return candidates[best];
}

/* Line of the first NUL byte in buf (the record a NUL would silently cut). */
static int64_t nul_line(const unsigned char *buf, size_t n)
{
    int64_t line = 1;
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == 0) return line;
        if (buf[i] == '\n') line++;
    }
    return 0;
}

/* Reads a whole file of at most `max` bytes into memory; caller frees. */
static lc_status slurp(table_reader *tr, size_t max, unsigned char **buf, size_t *n)
{
    *buf = NULL;
    *n = 0;
    FILE *f = fopen(tr->path, "rb");
    if (!f) return lc_error(tr->ctx, LC_EINPUT, "%s: %s", tr->path, strerror(errno));
    size_t cap = 1 << 16;
    unsigned char *b = malloc(cap);
    lc_status rc = b ? LC_OK : lc_error(tr->ctx, LC_ENOMEM, "out of memory");
    while (rc == LC_OK) {
        if (*n == cap) {
            if (cap >= max) break;
            size_t ncap = cap * 2 > max ? max : cap * 2;
            unsigned char *nb = realloc(b, ncap);
            if (!nb) {
                rc = lc_error(tr->ctx, LC_ENOMEM, "out of memory");
                break;
            }
            b = nb;
            cap = ncap;
        }
        size_t got = fread(b + *n, 1, cap - *n, f);
        *n += got;
        if (got == 0) break;
    }
    if (rc == LC_OK && ferror(f)) rc = lc_error(tr->ctx, LC_EINPUT, "%s: read error", tr->path);
    fclose(f);
    if (rc != LC_OK) {
        free(b);
        return rc;
    }
    *buf = b;
    return LC_OK;
}

/* A UTF-16 text export (Excel's "Unicode text"): converted to UTF-8 in
** memory; *utf8 is malloc'd. */
static lc_status utf16_to_utf8(table_reader *tr, const unsigned char *buf, size_t n, char **utf8,
                               size_t *len)
{
    iconv_t cd = iconv_open("UTF-8", "UTF-16");
    if (cd == (iconv_t)-1) return lc_error(tr->ctx, LC_EINTERNAL, "iconv: UTF-16 not available");
    size_t cap = n * 2 + 16;
    char *out = malloc(cap);
    if (!out) {
        iconv_close(cd);
        return lc_error(tr->ctx, LC_ENOMEM, "out of memory");
    }
    char *in = (char *)buf, *o = out;
    size_t inleft = n, outleft = cap;
    size_t rc = iconv(cd, &in, &inleft, &o, &outleft);
    iconv_close(cd);
    if (rc == (size_t)-1) {
        free(out);
        return lc_error(tr->ctx, LC_EINPUT, "%s: starts with a UTF-16 byte-order mark but byte %zu is "
                        "not UTF-16", tr->path, (size_t)(in - (char *)buf));
    }
    *utf8 = out;
    *len = (size_t)(o - out);
    return LC_OK;
}

static lc_status choose_csv_encoding(table_reader *tr, const char *user, const unsigned char *buf,
                                     size_t n, int bom)
{
    lc_encoding *enc = &tr->t->encoding;
    if (user) {
        if (!lc_encoding_from_label(user, enc))
            return lc_error(tr->ctx, LC_EINPUT, "register encoding %s: unknown encoding", user);
        snprintf(enc->source, sizeof enc->source, "option");
    } else {
        lc_sniff_result s = bom ? LC_SNIFF_UTF8 : lc_encoding_sniff(buf, n, NULL, NULL);
        lc_encoding_from_label(s == LC_SNIFF_GBK ? "GBK" : "UTF-8", enc);
        snprintf(enc->source, sizeof enc->source, "%s", bom ? "byte-order mark" : "detected from bytes");
    }
    return lc_recoder_open(tr->ctx, enc, &tr->rec);
}

static lc_status read_csv(table_reader *tr, const char *user_encoding)
{
    lc_ctx *ctx = tr->ctx;
    lc_table *t = tr->t;
    unsigned char *buf = NULL;
    size_t n = 0;
    /* the whole file (UTF-16 and NUL checks need it all), within its limit */
    lc_status rc = slurp(tr, (size_t)LC_TABLE_FILE_MAX, &buf, &n);
    if (rc != LC_OK) return rc;
    char vsi[64] = "";
    char *converted = NULL;
    const unsigned char *text = buf;
    size_t text_n = n;
    int utf16 = n >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) || (buf[0] == 0xFE && buf[1] == 0xFF));
    if (utf16) {
        size_t len = 0;
        rc = utf16_to_utf8(tr, buf, n, &converted, &len);
        if (rc == LC_OK) {
            text = (const unsigned char *)converted;
            text_n = len;
            lc_encoding_from_label("UTF-8", &t->encoding);
            snprintf(t->encoding.source, sizeof t->encoding.source, "UTF-16 byte-order mark");
            rc = lc_recoder_open(ctx, &t->encoding, &tr->rec);
            snprintf(t->encoding.name, sizeof t->encoding.name, "UTF-16");  /* as the user knows the file */
        }
    } else {
        int64_t nul = nul_line(buf, n);
        if (nul)
            rc = lc_error(ctx, LC_EINPUT, "%s line %lld: a NUL byte: not a text register (a binary file, "
                          "or a text export damaged in transfer)", tr->path, (long long)nul);
        else
            rc = choose_csv_encoding(tr, user_encoding, buf, n < LC_TABLE_SNIFF_BYTES ? n : LC_TABLE_SNIFF_BYTES,
                                     n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF);
    }
    if (rc == LC_OK) {
        t->delimiter = sniff_delimiter(text, text_n < LC_TABLE_SNIFF_BYTES ? text_n : LC_TABLE_SNIFF_BYTES,
                                       tr->path);
        snprintf(vsi, sizeof vsi, "/vsimem/lc_table_%p.csv", (void *)tr);
        VSILFILE *mem = VSIFileFromMemBuffer(vsi, (GByte *)text, (vsi_l_offset)text_n, FALSE);
        if (!mem) rc = lc_error(ctx, LC_EINTERNAL, "cannot buffer %s", tr->path);
        else VSIFCloseL(mem);
    }
    if (rc == LC_OK) rc = add_sheet(tr, CPLGetFilename(tr->path));
    VSILFILE *fp = rc == LC_OK ? VSIFOpenL(vsi, "rb") : NULL;
    if (rc == LC_OK && !fp) rc = lc_error(ctx, LC_EINTERNAL, "cannot reopen %s", tr->path);
    const char **cells = NULL;
    size_t cap = 0;
    char delim[2] = {t->delimiter, '\0'};
    for (int64_t line = 1; rc == LC_OK; line++) {
        tr->gdal.failures = 0;
        char **fields = CSVReadParseLine3L(fp, LC_TABLE_ROW_MAX, delim, true, false, false, true);
        if (!fields) {
            if (tr->gdal.failures || !VSIFEofL(fp))
                rc = lc_error(ctx, LC_EINPUT, "%s row %lld: longer than %zu KiB (at most that much is "
                              "read from one row)", tr->path, (long long)line, (size_t)(LC_TABLE_ROW_MAX >> 10));
            break;
        }
        size_t nf = (size_t)CSLCount(fields);
        if (lc_grow(ctx, (void **)&cells, &cap, nf ? nf : 1, sizeof *cells)) rc = LC_ENOMEM;
        for (size_t c = 0; c < nf && rc == LC_OK; c++) rc = cell_text(tr, fields[c], line, c, &cells[c]);
        CSLDestroy(fields);
        if (rc == LC_OK) rc = add_row(tr, &t->sheets[0], line, cells, nf);
        if (rc == LC_OK && (line & 4095) == 0 && lc_cancelled(ctx))
            rc = lc_error(ctx, LC_EINTERRUPTED, "interrupted");
    }
    free(cells);
    if (fp) VSIFCloseL(fp);
    if (vsi[0]) VSIUnlink(vsi);
    free(converted);
    free(buf);
    return rc;
}

/* ---- workbooks -------------------------------------------------------- */

/* The longest run of bytes between XML markup in a part, scanned in
** chunks: a cell's text, or an attribute, can be no longer. */
static lc_status scan_part(table_reader *tr, const char *vsi_path, size_t *longest)
{
    VSILFILE *fp = VSIFOpenL(vsi_path, "rb");
    if (!fp) return LC_OK;  /* OGR will say what is wrong with the archive */
    static const size_t chunk = 1 << 20;
    char *buf = malloc(chunk);
    if (!buf) {
        VSIFCloseL(fp);
        return lc_error(tr->ctx, LC_ENOMEM, "out of memory");
    }
    size_t run = 0, got;
    while ((got = VSIFReadL(buf, 1, chunk, fp)) > 0) {
        for (size_t i = 0; i < got; i++) {
            if (buf[i] == '<' || buf[i] == '>') {
                if (run > *longest) *longest = run;
                run = 0;
            } else {
                run++;
            }
        }
        if (lc_cancelled(tr->ctx)) break;
    }
    if (run > *longest) *longest = run;
    free(buf);
    VSIFCloseL(fp);
    return lc_cancelled(tr->ctx) ? lc_error(tr->ctx, LC_EINTERRUPTED, "interrupted") : LC_OK;
}

/* Sizes and longest text runs of the XML parts OGR would expand. */
static lc_status check_workbook_parts(table_reader *tr)
{
    static const char *const dirs[] = {"xl/worksheets", "xl", ""};
    char root[1200];
    snprintf(root, sizeof root, "/vsizip/%s", tr->path);
    char **parts = NULL;
    int64_t total = 0;
    /* sizes from the archive's directory first: a bomb is refused unread */
    for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
        char dir[1300];
        snprintf(dir, sizeof dir, "%s%s%s", root, dirs[d][0] ? "/" : "", dirs[d]);
        char **names = VSIReadDir(dir);
        for (int i = 0; names && names[i]; i++) {
            const char *nm = names[i];
            if (!has_ext(nm, ".xml") || !(d == 0 || !strcmp(nm, "sharedStrings.xml") || !strcmp(nm, "content.xml")))
                continue;
            char part[1500];
            snprintf(part, sizeof part, "%s/%s", dir, nm);
            VSIStatBufL st;
            if (VSIStatL(part, &st) != 0) continue;
            total += (int64_t)st.st_size;
            parts = CSLAddString(parts, part);
        }
        CSLDestroy(names);
    }
    lc_status rc = LC_OK;
    size_t longest = 0;
    if (total > LC_TABLE_PART_MAX)
        rc = lc_error(tr->ctx, LC_EINPUT, "%s: expands to %lld MiB of XML, more than the %lld MiB landcons "
                      "reads from a register", tr->path, (long long)(total >> 20),
                      (long long)(LC_TABLE_PART_MAX >> 20));
    for (int i = 0; rc == LC_OK && parts && parts[i]; i++) rc = scan_part(tr, parts[i], &longest);
    CSLDestroy(parts);
    if (rc == LC_OK && longest > LC_TABLE_CELL_MAX * 6) /* XML escapes take up to 6 bytes a character */
        rc = lc_error(tr->ctx, LC_EINPUT, "%s: holds a cell or attribute of %zu bytes (at most %zu are read "
                      "from one cell)", tr->path, longest, (size_t)LC_TABLE_CELL_MAX);
    return rc;
}

/* Column of an OGR field named FieldN (headers disabled): N - 1. */
static size_t column_of(OGRFieldDefnH fd, size_t fallback)
{
    const char *nm = OGR_Fld_GetNameRef(fd);
    if (!strncasecmp(nm, "Field", 5)) {
        char *end;
        long v = strtol(nm + 5, &end, 10);
        if (!*end && v >= 1 && v <= 100000) return (size_t)(v - 1);
    }
    return fallback;
}

static lc_status read_layer(table_reader *tr, OGRLayerH layer, lc_table_sheet *s)
{
    lc_ctx *ctx = tr->ctx;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int nf = OGR_FD_GetFieldCount(defn);
    size_t *col = lc_calloc(ctx, (size_t)(nf > 0 ? nf : 1), sizeof *col);
    if (!col) return LC_ENOMEM;
    size_t ncols = 0;
    for (int i = 0; i < nf; i++) {
        col[i] = column_of(OGR_FD_GetFieldDefn(defn, i), (size_t)i);
        if (col[i] + 1 > ncols) ncols = col[i] + 1;
    }
    const char **cells = lc_calloc(ctx, ncols ? ncols : 1, sizeof *cells);
    lc_status rc = cells ? LC_OK : LC_ENOMEM;
    OGRFeatureH f;
    OGR_L_ResetReading(layer);
    while (rc == LC_OK && (f = OGR_L_GetNextFeature(layer))) {
        int64_t line = OGR_F_GetFID(f);
        memset(cells, 0, ncols * sizeof *cells);
        size_t row_bytes = 0;
        for (int i = 0; i < nf && rc == LC_OK; i++) {
            if (!OGR_F_IsFieldSetAndNotNull(f, i)) continue;
            rc = cell_text(tr, OGR_F_GetFieldAsString(f, i), line, col[i], &cells[col[i]]);
            if (cells[col[i]]) row_bytes += strlen(cells[col[i]]);
        }
        OGR_F_Destroy(f);
        if (rc == LC_OK && row_bytes > LC_TABLE_ROW_MAX)
            rc = lc_error(ctx, LC_EINPUT, "%s sheet %s row %lld: %zu KiB of text (at most %zu KiB are read "
                          "from one row)", tr->path, s->name, (long long)line, row_bytes >> 10,
                          (size_t)(LC_TABLE_ROW_MAX >> 10));
        if (rc == LC_OK) rc = add_row(tr, s, line, cells, ncols);
        if (rc == LC_OK && (line & 4095) == 0 && lc_cancelled(ctx))
            rc = lc_error(ctx, LC_EINTERRUPTED, "interrupted");
    }
    free(cells);
    free(col);
    return rc;
}

static lc_status read_workbook(table_reader *tr)
{
    lc_ctx *ctx = tr->ctx;
    lc_table *t = tr->t;
    if (strcmp(t->format, "XLS")) {  /* XLS is not an archive; its size was checked */
        lc_status rc = check_workbook_parts(tr);
        if (rc != LC_OK) return rc;
    }
    lc_encoding_from_label("UTF-8", &t->encoding);
    snprintf(t->encoding.source, sizeof t->encoding.source, "%s (UTF-8)", t->format);
    /* headers off and every cell as text: the header is found by the caller */
    const char *drivers[2] = {t->format, NULL};
    /* GDAL 3.6 takes these as configuration options only (per thread here) */
    CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", "DISABLE");
    CPLSetThreadLocalConfigOption("OGR_XLSX_FIELD_TYPES", "STRING");
    CPLSetThreadLocalConfigOption("OGR_XLS_HEADERS", "DISABLE");
    CPLSetThreadLocalConfigOption("OGR_XLS_FIELD_TYPES", "STRING");
    CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", "DISABLE");
    CPLSetThreadLocalConfigOption("OGR_ODS_FIELD_TYPES", "STRING");
    lc_gdal_register();
    GDALDatasetH ds = GDALOpenEx(tr->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
    lc_status rc = LC_OK;
    if (!ds || GDALDatasetGetLayerCount(ds) < 1)
        rc = lc_error(ctx, LC_EINPUT, "%s: cannot be read as %s%s%s", tr->path, t->format,
                      tr->gdal.msg[0] ? ": " : "", tr->gdal.msg);
    for (int i = 0; rc == LC_OK && i < GDALDatasetGetLayerCount(ds); i++) {
        OGRLayerH layer = GDALDatasetGetLayer(ds, i);
        rc = add_sheet(tr, OGR_L_GetName(layer));
        if (rc == LC_OK) rc = read_layer(tr, layer, &t->sheets[t->n_sheets - 1]);
    }
    if (ds) GDALClose(ds);
    CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", NULL);
    CPLSetThreadLocalConfigOption("OGR_XLSX_FIELD_TYPES", NULL);
    CPLSetThreadLocalConfigOption("OGR_XLS_HEADERS", NULL);
    CPLSetThreadLocalConfigOption("OGR_XLS_FIELD_TYPES", NULL);
    CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", NULL);
    CPLSetThreadLocalConfigOption("OGR_ODS_FIELD_TYPES", NULL);
    return rc;
}

lc_status lc_table_read(lc_ctx *ctx, const char *path, const char *encoding, lc_table **out)
{
    *out = NULL;
    const char *format = lc_table_format_of(path);
    if (!format)
        return lc_error(ctx, LC_EINPUT, "%s: the register must be a .csv, .txt, .xlsx, .xls or .ods file", path);
    struct stat st;
    if (stat(path, &st) != 0) return lc_error(ctx, LC_EINPUT, "%s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode)) return lc_error(ctx, LC_EINPUT, "%s: is a folder, not a register file", path);
    if (!S_ISREG(st.st_mode)) return lc_error(ctx, LC_EINPUT, "%s: is not a regular file", path);
    if (st.st_size == 0) return lc_error(ctx, LC_EINPUT, "%s: the register file is empty", path);
    if ((!strcmp(format, "CSV") || !strcmp(format, "XLS")) && (int64_t)st.st_size > LC_TABLE_FILE_MAX)
        return lc_error(ctx, LC_EINPUT, "%s: %lld MiB, more than the %lld MiB landcons reads from a register",
                        path, (long long)(st.st_size >> 20), (long long)(LC_TABLE_FILE_MAX >> 20));
    table_reader tr;
    memset(&tr, 0, sizeof tr);
    tr.ctx = ctx;
    tr.path = path;
    tr.t = lc_calloc(ctx, 1, sizeof *tr.t);
    if (!tr.t) return LC_ENOMEM;
    snprintf(tr.t->format, sizeof tr.t->format, "%s", format);
    CPLPushErrorHandlerEx(lc_gdal_record_error, &tr.gdal);
    lc_status rc = !strcmp(format, "CSV") ? read_csv(&tr, encoding) : read_workbook(&tr);
    CPLPopErrorHandler();
    lc_recoder_free(tr.rec);
    if (rc != LC_OK) {
        lc_table_free(tr.t);
        return rc;
    }
    *out = tr.t;
    return LC_OK;
}
