/*
** Encoding decisions and conversion. GDAL 3.6 recognises only part of the
** .cpg values seen in Chinese deliveries ("65001" and "ANSI 936" escape it),
** so shapefiles are opened with recoding off and decoded here.
*/
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_vsi.h>

#include "encoding.h"

/* Sniff at most this much of a DBF: enough to see every distinct value
** pattern of a county layer, bounded so a huge file is not read twice. */
#define LC_SNIFF_MAX_BYTES (64u << 20)

static void set_enc(lc_encoding *enc, const char *name, const char *iconv_name)
{
    snprintf(enc->name, sizeof enc->name, "%s", name);
    snprintf(enc->iconv_name, sizeof enc->iconv_name, "%s", iconv_name);
}

/* Upper-cases and removes blanks, '-' and '_' so "ANSI 936", "ansi936",
** "UTF_8" and "utf-8" compare equal. */
static void normalise_label(const char *in, char *out, size_t cap)
{
    size_t j = 0;
    for (const char *p = in; *p && j + 1 < cap; p++) {
        unsigned char c = (unsigned char)*p;
        if (isspace(c) || c == '-' || c == '_') continue;
        out[j++] = (char)toupper(c);
    }
    out[j] = '\0';
}

int lc_encoding_from_label(const char *label, lc_encoding *enc)
{
    char n[64];
    normalise_label(label, n, sizeof n);
    /* GBK family: GB18030 decodes GB2312 and GBK as well (it is a superset). */
    static const char *const gbk[] = {"936", "CP936", "GBK", "GB2312", "GB18030",
                                      "ANSI936", "MS936", "WINDOWS936", "EUCCN",
                                      "CP54936", "54936", NULL};
    static const char *const utf8[] = {"UTF8", "65001", "CP65001", "UTF8BOM", NULL};
    for (int i = 0; gbk[i]; i++)
        if (!strcmp(n, gbk[i])) {
            set_enc(enc, !strcmp(n, "GB18030") || !strcmp(n, "54936") || !strcmp(n, "CP54936")
                             ? "GB18030" : "GBK", "GB18030");
            return 1;
        }
    for (int i = 0; utf8[i]; i++)
        if (!strcmp(n, utf8[i])) {
            set_enc(enc, "UTF-8", "");
            return 1;
        }
    if (!strcmp(n, "BIG5") || !strcmp(n, "950") || !strcmp(n, "CP950") || !strcmp(n, "ANSI950")) {
        set_enc(enc, "BIG5", "CP950");
        return 1;
    }
    if (!strcmp(n, "LATIN1") || !strcmp(n, "ISO88591") || !strcmp(n, "88591")) {
        set_enc(enc, "ISO-8859-1", "ISO-8859-1");
        return 1;
    }
    /* Windows code pages written as "1252", "CP1252", "ANSI 1252". */
    const char *digits = n;
    if (!strncmp(digits, "ANSI", 4)) digits += 4;
    else if (!strncmp(digits, "CP", 2)) digits += 2;
    else if (!strncmp(digits, "WINDOWS", 7)) digits += 7;
    if (*digits && strspn(digits, "0123456789") == strlen(digits)) {
        long cp = strtol(digits, NULL, 10);
        if (cp == 437 || cp == 850 || cp == 866 || (cp >= 1250 && cp <= 1258)) {
            char name[16];
            snprintf(name, sizeof name, "CP%ld", cp);
            set_enc(enc, name, name);
            return 1;
        }
    }
    return 0;
}

int lc_encoding_from_ldid(unsigned ldid, lc_encoding *enc)
{
    switch (ldid) {
    case 0x4D: case 0x7A: set_enc(enc, "GBK", "GB18030"); return 1;
    case 0x4F: case 0x78: set_enc(enc, "BIG5", "CP950"); return 1;
    case 0x01: set_enc(enc, "CP437", "CP437"); return 1;
    case 0x02: set_enc(enc, "CP850", "CP850"); return 1;
    case 0x03: set_enc(enc, "CP1252", "CP1252"); return 1;
    /* 0x57 ("ANSI") means the writer's Windows code page: on a Chinese
    ** machine that is 936, so the bytes decide rather than this byte. */
    default: return 0;
    }
}

static size_t utf8_seq(const unsigned char *p, size_t n)
{
    if (!n) return 0;
    unsigned c = p[0];
    if (c < 0x80) return 1;
    size_t len;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; min = 0x10000; }
    else return 0;
    if (n < len) return 0;
    unsigned cp = c & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

size_t lc_utf8_sequence(const char *p, size_t n) { return utf8_seq((const unsigned char *)p, n); }

/* Length of the valid GBK / GB18030 sequence at p (1, 2 or 4), 0 if invalid. */
static size_t gbk_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    if (c < 0x80) return 1;
    if (c == 0x80 || c == 0xFF || n < 2) return 0;
    unsigned t = p[1];
    if ((t >= 0x40 && t <= 0x7E) || (t >= 0x80 && t <= 0xFE)) return 2;
    if (t >= 0x30 && t <= 0x39 && n >= 4 && p[2] >= 0x81 && p[2] <= 0xFE &&
        p[3] >= 0x30 && p[3] <= 0x39)
        return 4;
    return 0;
}

size_t lc_utf8_prefix_bytes(const char *s, size_t nchars)
{
    size_t i = 0;
    for (size_t c = 0; s[i] && c < nchars; c++) {
        i++;
        while ((s[i] & 0xC0) == 0x80) i++;   /* continuation bytes of this character */
    }
    return i;
}

int lc_utf8_valid(const char *buf, size_t n)
{
    const unsigned char *p = (const unsigned char *)buf;
    size_t i = 0;
    while (i < n) {
        size_t l = utf8_seq(p + i, n - i);
        if (!l) return 0;
        i += l;
    }
    return 1;
}

lc_sniff_result lc_encoding_sniff(const unsigned char *buf, size_t n,
                                  size_t *invalid_utf8, size_t *invalid_gbk)
{
    size_t bad_u = 0, bad_g = 0, high = 0;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_seq(buf + i, n - i);
        if (buf[i] >= 0x80) high++;
        if (!l) { bad_u++; l = 1; }
        i += l;
    }
    /* Chinese text pairs high bytes (GB2312 trail bytes are all above 0xA0);
    ** Western single-byte text puts one high byte between ASCII letters,
    ** which GBK would also accept as a lead + ASCII trail pair. */
    size_t high_trail = 0, ascii_trail = 0;
    for (size_t i = 0; i < n;) {
        size_t l = gbk_seq(buf + i, n - i);
        if (!l) { bad_g++; l = 1; }
        else if (l == 2) {
            if (buf[i + 1] >= 0x80) high_trail++;
            else ascii_trail++;
        }
        i += l;
    }
    if (invalid_utf8) *invalid_utf8 = bad_u;
    if (invalid_gbk) *invalid_gbk = bad_g;
    if (!high) return LC_SNIFF_ASCII;
    if (!bad_u) return LC_SNIFF_UTF8;
    if (ascii_trail > high_trail) return LC_SNIFF_SINGLE_BYTE;
    if (!bad_g) return LC_SNIFF_GBK;
    return LC_SNIFF_UNCERTAIN;
}

/* Reads the first line of a .cpg next to the .dbf (either case). */
static int read_cpg(const char *dbf_path, char *out, size_t cap, char *cpg_path, size_t pcap)
{
    size_t len = strlen(dbf_path);
    if (len < 4 || len + 1 > pcap) return 0;
    static const char *const ext[] = {".cpg", ".CPG", ".Cpg"};
    for (int i = 0; i < 3; i++) {
        memcpy(cpg_path, dbf_path, len - 4);
        strcpy(cpg_path + len - 4, ext[i]);
        VSILFILE *f = VSIFOpenL(cpg_path, "rb");
        if (!f) continue;
        size_t n = VSIFReadL(out, 1, cap - 1, f);
        VSIFCloseL(f);
        out[n] = '\0';
        /* strip a UTF-8 BOM and everything from the first line end */
        if (n >= 3 && (unsigned char)out[0] == 0xEF && (unsigned char)out[1] == 0xBB &&
            (unsigned char)out[2] == 0xBF)
            memmove(out, out + 3, n - 2);
        out[strcspn(out, "\r\n")] = '\0';
        return 1;
    }
    return 0;
}

lc_status lc_encoding_for_dbf(lc_ctx *ctx, const char *dbf_path, const char *user,
                              lc_encoding *enc, int *cpg_unrecognised)
{
    memset(enc, 0, sizeof *enc);
    *cpg_unrecognised = 0;
    if (user) {
        if (!lc_encoding_from_label(user, enc))
            return lc_error(ctx, LC_EINPUT, "--encoding %s: unknown encoding "
                            "(use GBK, GB18030, UTF-8, BIG5 or CP1252)", user);
        snprintf(enc->source, sizeof enc->source, "--encoding");
        return LC_OK;
    }
    char cpg[128], cpg_path[PATH_MAX];
    if (read_cpg(dbf_path, cpg, sizeof cpg, cpg_path, sizeof cpg_path)) {
        if (lc_encoding_from_label(cpg, enc)) {
            snprintf(enc->source, sizeof enc->source, ".cpg \"%.60s\"", cpg);
            return LC_OK;
        }
        *cpg_unrecognised = 1;
    }
    VSILFILE *f = VSIFOpenL(dbf_path, "rb");
    if (!f) return lc_error(ctx, LC_EINPUT, "%s: cannot open (%s)", dbf_path, strerror(errno));
    unsigned char hdr[32];
    if (VSIFReadL(hdr, 1, 32, f) != 32) {
        VSIFCloseL(f);
        return lc_error(ctx, LC_EINPUT, "%s: truncated DBF header", dbf_path);
    }
    if (lc_encoding_from_ldid(hdr[29], enc)) {
        VSIFCloseL(f);
        snprintf(enc->source, sizeof enc->source, "DBF language byte 0x%02X", hdr[29]);
        return LC_OK;
    }
    size_t header_len = (size_t)hdr[8] | ((size_t)hdr[9] << 8);
    unsigned char *buf = malloc(LC_SNIFF_MAX_BYTES);
    if (!buf) {
        VSIFCloseL(f);
        return lc_error(ctx, LC_ENOMEM, "out of memory sniffing %s", dbf_path);
    }
    size_t n = 0;
    if (VSIFSeekL(f, (vsi_l_offset)header_len, SEEK_SET) == 0) n = VSIFReadL(buf, 1, LC_SNIFF_MAX_BYTES, f);
    VSIFCloseL(f);
    size_t bad_u, bad_g;
    lc_sniff_result r = lc_encoding_sniff(buf, n, &bad_u, &bad_g);
    free(buf);
    switch (r) {
    case LC_SNIFF_ASCII: set_enc(enc, "UTF-8", ""); break;
    case LC_SNIFF_UTF8: set_enc(enc, "UTF-8", ""); break;
    case LC_SNIFF_GBK: set_enc(enc, "GBK", "GB18030"); break;
    case LC_SNIFF_SINGLE_BYTE: set_enc(enc, "CP1252", "CP1252"); break;
    case LC_SNIFF_UNCERTAIN:
        /* Chinese cadastral data is GBK far more often than anything else */
        if (bad_g <= bad_u) set_enc(enc, "GBK", "GB18030");
        else set_enc(enc, "UTF-8", "");
        break;
    }
    snprintf(enc->source, sizeof enc->source, "%s",
             r == LC_SNIFF_ASCII ? "detected (ASCII only)"
             : r == LC_SNIFF_UNCERTAIN ? "guessed (some bytes undecodable)" : "detected from bytes");
    return LC_OK;
}

struct lc_recoder {
    iconv_t cd;          /* (iconv_t)-1 when the input is UTF-8 already */
    char *buf;
    size_t cap;
};

lc_status lc_recoder_open(lc_ctx *ctx, const lc_encoding *enc, lc_recoder **out)
{
    lc_recoder *r = lc_calloc(ctx, 1, sizeof *r);
    if (!r) return LC_ENOMEM;
    r->cd = (iconv_t)-1;
    if (enc->iconv_name[0]) {
        r->cd = iconv_open("UTF-8", enc->iconv_name);
        if (r->cd == (iconv_t)-1) {
            free(r);
            return lc_error(ctx, LC_EINPUT, "encoding %s is not supported on this system",
                            enc->name);
        }
    }
    *out = r;
    return LC_OK;
}

void lc_recoder_free(lc_recoder *r)
{
    if (!r) return;
    if (r->cd != (iconv_t)-1) iconv_close(r->cd);
    free(r->buf);
    free(r);
}

/* Copies valid UTF-8 through, replacing each invalid byte with U+FFFD. */
static size_t utf8_sanitise(const unsigned char *s, size_t n, char *out)
{
    size_t j = 0;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_seq(s + i, n - i);
        if (l) {
            memcpy(out + j, s + i, l);
            j += l;
            i += l;
        } else {
            memcpy(out + j, "\xEF\xBF\xBD", 3);
            j += 3;
            i++;
        }
    }
    return j;
}

char *lc_recode(lc_recoder *r, const char *s, size_t n, lc_arena *arena, size_t *replaced)
{
    *replaced = 0;
    /* worst case: every byte becomes a 3-byte replacement or a 4-byte char */
    size_t need = n * 4 + 4;
    if (need > r->cap) {
        char *b = realloc(r->buf, need);
        if (!b) return NULL;
        r->buf = b;
        r->cap = need;
    }
    if (r->cd == (iconv_t)-1) {
        if (lc_utf8_valid(s, n)) return lc_arena_strndup(arena, s, n);
        size_t len = utf8_sanitise((const unsigned char *)s, n, r->buf);
        *replaced = 1;
        return lc_arena_strndup(arena, r->buf, len);
    }
    /* every encoding set here (set_enc) maps the
    ** bytes below 0x80 to ASCII: codes, numbers and dates need no iconv */
    size_t k = 0;
    while (k < n && (unsigned char)s[k] < 0x80) k++;
    if (k == n) return lc_arena_strndup(arena, s, n);
    char *in = (char *)s, *outp = r->buf;
    size_t inleft = n, outleft = r->cap;
    iconv(r->cd, NULL, NULL, NULL, NULL);
    while (inleft > 0) {
        size_t rc = iconv(r->cd, &in, &inleft, &outp, &outleft);
        if (rc != (size_t)-1) break;
        if (errno == EILSEQ || errno == EINVAL) {
            if (outleft < 3) break;
            memcpy(outp, "\xEF\xBF\xBD", 3);
            outp += 3;
            outleft -= 3;
            in++;
            inleft--;
            (*replaced)++;
            iconv(r->cd, NULL, NULL, NULL, NULL);
        } else {
            break; /* E2BIG cannot happen with the 4x buffer */
        }
    }
    return lc_arena_strndup(arena, r->buf, (size_t)(outp - r->buf));
}
