/* Raw DBF columns (dBASE III layout: 32-byte header, 32-byte field
** descriptors up to 0x0D, fixed-width records after a deletion flag). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_vsi.h>

#include "dbf_raw.h"

static uint32_t le32(const unsigned char *b) { return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24; }
static unsigned le16(const unsigned char *b) { return b[0] | (unsigned)b[1] << 8; }

/* long: the header, the field descriptors and the records in one pass over
** the file, each step checking the file against the dBase layout. */
lc_status lc_dbf_read_columns(lc_ctx *ctx, const char *path, const char *const *names, size_t n,
                              lc_dbf_columns *out)
{
    memset(out, 0, sizeof *out);
    /* through GDAL's files: a shapefile may be inside a .zip (/vsizip/) */
    VSILFILE *f = VSIFOpenL(path, "rb");
    if (!f) return lc_error(ctx, LC_EINPUT, "%s: %s", path, strerror(errno));
    unsigned char head[32];
    lc_status rc = LC_OK;
    size_t *offset = NULL;
    unsigned char *rec = NULL;
    if (VSIFReadL(head, 1, 32, f) != 32) {
        rc = lc_error(ctx, LC_EINPUT, "%s: truncated DBF header", path);
        goto done;
    }
    uint32_t n_records = le32(head + 4);
    unsigned header_len = le16(head + 8), record_len = le16(head + 10);
    if (header_len < 33 || record_len < 1) {
        rc = lc_error(ctx, LC_EINPUT, "%s: inconsistent DBF header", path);
        goto done;
    }
    out->cols = lc_calloc(ctx, n ? n : 1, sizeof *out->cols);
    offset = lc_calloc(ctx, n ? n : 1, sizeof *offset);
    if (!out->cols || !offset) {
        rc = LC_ENOMEM;
        goto done;
    }
    size_t pos = 1;  /* the deletion flag */
    for (unsigned at = 32; at + 32 <= header_len; at += 32) {
        unsigned char fd[32];
        if (VSIFReadL(fd, 1, 32, f) != 32 || fd[0] == 0x0D) break;
        char fname[12];
        memcpy(fname, fd, 11);
        fname[11] = '\0';
        int width = fd[16];
        for (size_t k = 0; k < n; k++)
            if (!strcasecmp(fname, names[k]) && width > 0) {
                lc_dbf_column *c = &out->cols[out->n_cols];
                snprintf(c->name, sizeof c->name, "%s", fname);
                c->width = width;
                offset[out->n_cols++] = pos;
            }
        pos += (size_t)width;
    }
    if (pos > record_len) {
        rc = lc_error(ctx, LC_EINPUT, "%s: its fields are wider than its records", path);
        goto done;
    }
    out->n_records = n_records;
    for (size_t k = 0; k < out->n_cols; k++) {
        out->cols[k].text = lc_calloc(ctx, (size_t)n_records + 1, (size_t)out->cols[k].width + 1);
        if (!out->cols[k].text) {
            rc = LC_ENOMEM;
            goto done;
        }
    }
    rec = lc_malloc(ctx, record_len);
    if (!rec || VSIFSeekL(f, (vsi_l_offset)header_len, SEEK_SET) != 0) {
        rc = rec ? lc_error(ctx, LC_EINPUT, "%s: cannot seek to its records", path) : LC_ENOMEM;
        goto done;
    }
    for (uint32_t r = 0; r < n_records; r++) {
        if (VSIFReadL(rec, 1, record_len, f) != record_len) {
            out->n_records = r;  /* a short file: the shapefile checks report it */
            break;
        }
        for (size_t k = 0; k < out->n_cols; k++) {
            lc_dbf_column *c = &out->cols[k];
            const char *v = (const char *)rec + offset[k];
            size_t len = (size_t)c->width;
            while (len && (*v == ' ' || *v == '\0')) v++, len--;
            while (len && (v[len - 1] == ' ' || v[len - 1] == '\0')) len--;
            char *dst = c->text + (size_t)r * ((size_t)c->width + 1);
            memcpy(dst, v, len);
            dst[len] = '\0';
        }
    }
done:
    free(rec);
    free(offset);
    VSIFCloseL(f);
    if (rc != LC_OK) lc_dbf_columns_release(out);
    return rc;
}

const char *lc_dbf_value(const lc_dbf_columns *d, size_t c, int64_t rec)
{
    if (c >= d->n_cols || rec < 0 || rec >= d->n_records) return "";
    return d->cols[c].text + (size_t)rec * ((size_t)d->cols[c].width + 1);
}

void lc_dbf_columns_release(lc_dbf_columns *d)
{
    for (size_t k = 0; k < d->n_cols; k++) free(d->cols[k].text);
    free(d->cols);
    memset(d, 0, sizeof *d);
}
