/*
** Shapefile structure per the ESRI Shapefile Technical Description (1998):
** a 100-byte .shp/.shx header starting with the big-endian file code 9994
** and the file length in 16-bit words; .shx holds one 8-byte record per
** shape; the .dbf header gives its record count, header and record lengths.
*/
/* VSIStatBufL is struct stat64 */
#define _LARGEFILE64_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <cpl_vsi.h>

#include "shp_check.h"

int lc_is_shp_path(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && path[n - 4] == '.' && tolower((unsigned char)path[n - 3]) == 's' &&
           tolower((unsigned char)path[n - 2]) == 'h' && tolower((unsigned char)path[n - 1]) == 'p';
}

int lc_shp_companion(const char *shp_path, const char *ext, char *out, size_t cap)
{
    size_t n = strlen(shp_path), k = strlen(ext);
    if (cap) out[0] = '\0';
    if (n < 4 || n - 4 + k + 1 > cap) return 0;
    VSIStatBufL st;
    memcpy(out, shp_path, n - 4);
    for (int upper = 0; upper < 2; upper++) {
        for (size_t i = 0; i <= k; i++)
            out[n - 4 + i] = (char)(upper ? toupper((unsigned char)ext[i]) : ext[i]);
        if (VSIStatL(out, &st) == 0) return 1;
    }
    memcpy(out + n - 4, ext, k + 1);
    return 0;
}

static uint32_t be32(const unsigned char *b)
{
    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static uint32_t le32(const unsigned char *b)
{
    return ((uint32_t)b[3] << 24) | ((uint32_t)b[2] << 16) | ((uint32_t)b[1] << 8) | b[0];
}

/* Reads up to cap bytes from the start of path (also inside a /vsizip/
** archive) and its size; LC_EINPUT naming the file when it cannot be read. */
static lc_status read_head(lc_ctx *ctx, const char *path, unsigned char *buf, size_t cap, size_t *got,
                           long long *size)
{
    VSILFILE *f = VSIFOpenL(path, "rb");
    if (!f) return lc_error(ctx, LC_EINPUT, "%s: cannot open (%s)", path, strerror(errno));
    *got = VSIFReadL(buf, 1, cap, f);
    VSIFSeekL(f, 0, SEEK_END);
    *size = (long long)VSIFTellL(f);
    VSIFCloseL(f);
    return LC_OK;
}

/* Reads the 100-byte main header of a .shp or .shx and checks its length. */
static lc_status check_main_header(lc_ctx *ctx, const char *path, long long *size_out)
{
    unsigned char h[100];
    size_t got = 0;
    long long size = 0;
    lc_status rc = read_head(ctx, path, h, sizeof h, &got, &size);
    if (rc != LC_OK) return rc;
    if (got < 100)
        return lc_error(ctx, LC_EINPUT, "%s: truncated or empty (%lld bytes; a shapefile "
                        "header alone is 100 bytes)", path, size);
    if (be32(h) != 9994)
        return lc_error(ctx, LC_EINPUT, "%s: not a shapefile (the file does not start with "
                        "the shapefile header)", path);
    long long declared = 2LL * be32(h + 24);
    if (declared > size)
        return lc_error(ctx, LC_EINPUT, "%s: truncated: its header declares %lld bytes but "
                        "the file has %lld", path, declared, size);
    *size_out = size;
    return LC_OK;
}

lc_status lc_shapefile_precheck(lc_ctx *ctx, const char *shp_path)
{
    char shx[PATH_MAX], dbf[PATH_MAX];
    long long shp_size, shx_size;
    if (strlen(shp_path) + 1 > sizeof shx)
        return lc_error(ctx, LC_EINPUT, "%.200s...: the path is too long (%zu bytes; at most %d)",
                        shp_path, strlen(shp_path), PATH_MAX - 1);
    lc_status rc = check_main_header(ctx, shp_path, &shp_size);
    if (rc != LC_OK) return rc;
    if (!lc_shp_companion(shp_path, ".shx", shx, sizeof shx))
        return lc_error(ctx, LC_EINPUT, "%s is missing: a shapefile needs its .shx index "
                        "next to the .shp", shx);
    if (!lc_shp_companion(shp_path, ".dbf", dbf, sizeof dbf))
        return lc_error(ctx, LC_EINPUT, "%s is missing: a shapefile needs its .dbf "
                        "attribute table next to the .shp", dbf);
    rc = check_main_header(ctx, shx, &shx_size);
    if (rc != LC_OK) return rc;
    long long shapes = (shx_size - 100) / 8;

    unsigned char h[32];
    size_t got = 0;
    long long size = 0;
    rc = read_head(ctx, dbf, h, sizeof h, &got, &size);
    if (rc != LC_OK) return rc;
    if (got < 32)
        return lc_error(ctx, LC_EINPUT, "%s: truncated or empty (%lld bytes)", dbf, size);
    long long records = le32(h + 4);
    long long header_len = h[8] | (h[9] << 8), record_len = h[10] | (h[11] << 8);
    if (header_len < 33 || record_len < 1)
        return lc_error(ctx, LC_EINPUT, "%s: not a dBASE file (bad header)", dbf);
    if (header_len + records * record_len > size)
        return lc_error(ctx, LC_EINPUT, "%s: truncated: %lld records of %lld bytes do not fit "
                        "in %lld bytes", dbf, records, record_len, size);
    if (records != shapes)
        return lc_error(ctx, LC_EINPUT, "%s has %lld records but %s indexes %lld shapes: the "
                        "files do not belong together", dbf, records, shx, shapes);
    return LC_OK;
}
