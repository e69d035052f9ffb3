/*
** Text encodings of attribute data: what a .cpg file, a DBF language-driver
** byte or the user declares, what the bytes themselves suggest, and the
** conversion of every value to UTF-8.
*/
#ifndef LC_ENCODING_H
#define LC_ENCODING_H

#include <stddef.h>

#include "arena.h"
#include "lc_internal.h"

typedef struct lc_encoding {
    char name[32];        /* what we tell the user: "GBK", "UTF-8", "CP1252" */
    char iconv_name[32];  /* decoder; "" means the bytes are UTF-8 already */
    char source[96];      /* how it was decided, for the report */
} lc_encoding;

/*
** Recognises an encoding label as found in .cpg files and --encoding:
** 936, CP936, GBK, GB2312, GB18030, "ANSI 936", UTF-8, 65001, 1252, ...
** Returns 1 and fills name/iconv_name when recognised, 0 otherwise.
*/
int lc_encoding_from_label(const char *label, lc_encoding *enc);

/* Maps a DBF language-driver byte; returns 1 when it names a code page. */
int lc_encoding_from_ldid(unsigned ldid, lc_encoding *enc);

typedef enum lc_sniff_result {
    LC_SNIFF_ASCII = 0,   /* no byte above 0x7F: any ASCII-compatible decoder */
    LC_SNIFF_UTF8,        /* every high byte is part of valid UTF-8 */
    LC_SNIFF_GBK,         /* not UTF-8, and valid GBK/GB18030 throughout */
    LC_SNIFF_SINGLE_BYTE, /* isolated high bytes between ASCII letters: CP1252 */
    LC_SNIFF_UNCERTAIN    /* neither decodes cleanly */
} lc_sniff_result;

/* Classifies a byte buffer; `invalid_*` receive the counts of undecodable
** sequences under each hypothesis (may be NULL). */
lc_sniff_result lc_encoding_sniff(const unsigned char *buf, size_t n,
                                  size_t *invalid_utf8, size_t *invalid_gbk);

/* Non-zero when buf[0..n) is well-formed UTF-8. */
int lc_utf8_valid(const char *buf, size_t n);

/* Bytes of the first `nchars` characters of UTF-8 text s (all of s when it
** is shorter): a code cut by characters never splits one (SPEC §1: the
** township code is the key's first 9 characters). */
size_t lc_utf8_prefix_bytes(const char *s, size_t nchars);

/*
** Decides the encoding of a shapefile's DBF: `user` (--encoding) first, then
** the .cpg next to it, then the DBF language-driver byte, then the bytes.
** A .cpg value that cannot be recognised sets *cpg_unrecognised and the
** next source is used.
*/
lc_status lc_encoding_for_dbf(lc_ctx *ctx, const char *dbf_path, const char *user,
                              lc_encoding *enc, int *cpg_unrecognised);

/* A converter to UTF-8. Invalid input sequences become U+FFFD and are
** counted, never dropped silently. */
typedef struct lc_recoder lc_recoder;
lc_status lc_recoder_open(lc_ctx *ctx, const lc_encoding *enc, lc_recoder **out);
void lc_recoder_free(lc_recoder *r);
/* Returns the UTF-8 copy of s (n bytes) in the arena, or NULL on OOM;
** *replaced receives the number of undecodable sequences. */
char *lc_recode(lc_recoder *r, const char *s, size_t n, lc_arena *arena, size_t *replaced);

#endif
