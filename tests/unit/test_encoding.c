/* Encoding labels, language-driver bytes, byte sniffing and recoding. */
#include <stdlib.h>

#include "encoding.h"
#include "lc_test.h"

static void labels(void)
{
    static const struct { const char *label, *name; } cases[] = {
        {"936", "GBK"}, {"CP936", "GBK"}, {"cp936", "GBK"}, {"GBK", "GBK"}, {"GB2312", "GBK"},
        {"GB18030", "GB18030"}, {"UTF-8", "UTF-8"}, {"utf8", "UTF-8"}, {"65001", "UTF-8"},
        {"ANSI 936", "GBK"}, {"ansi936", "GBK"}, {" CP 936 ", "GBK"}, {"1252", "CP1252"},
        {"ANSI 1252", "CP1252"}, {"BIG5", "BIG5"}, {"ISO-8859-1", "ISO-8859-1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lc_encoding e;
        int ok = lc_encoding_from_label(cases[i].label, &e);
        CHECK(ok, "label \"%s\" not recognised", cases[i].label);
        if (ok) CHECK_STR(e.name, cases[i].name, cases[i].label);
    }
    lc_encoding e;
    CHECK(!lc_encoding_from_label("SYSTEM", &e), "SYSTEM must not be recognised");
    CHECK(!lc_encoding_from_label("", &e), "empty label must not be recognised");
    CHECK(lc_encoding_from_ldid(0x4D, &e) && !strcmp(e.name, "GBK"), "LDID 0x4D is code page 936");
    CHECK(!lc_encoding_from_ldid(0x57, &e), "LDID 0x57 (ANSI) must defer to the bytes");
    CHECK(!lc_encoding_from_ldid(0x00, &e), "LDID 0 says nothing");
}

static void sniffing(void)
{
    /* DBF-like records: deletion flag, fixed-width fields padded with blanks */
    const char *gbk = " 2301131012010100001\xcd\xf5\xbd\xa8\xb9\xfa  \xb6\xab\xb4\xf3\xb5\xd8 "
                      " 2301131012010100002\xd0\xc2\xb7\xa2\xb4\xe5  \xcb\xab\xb3\xc7\xc7\xf8 ";
    const char *utf8 = " 2301131012010100001\xe7\x8e\x8b\xe5\xbb\xba\xe5\x9b\xbd  "
                       "\xe4\xb8\x9c\xe5\xa4\xa7\xe5\x9c\xb0 ";
    const char *latin1 = " Gr\xe6s og kl\xf8vergr\xe6s  sl\xe5ning V\xe5rbyg ";
    CHECK(lc_encoding_sniff((const unsigned char *)gbk, strlen(gbk), NULL, NULL) == LC_SNIFF_GBK,
          "GBK records");
    CHECK(lc_encoding_sniff((const unsigned char *)utf8, strlen(utf8), NULL, NULL) == LC_SNIFF_UTF8,
          "UTF-8 records");
    CHECK(lc_encoding_sniff((const unsigned char *)latin1, strlen(latin1), NULL, NULL) ==
              LC_SNIFF_SINGLE_BYTE, "Latin-1 records");
    CHECK(lc_encoding_sniff((const unsigned char *)"abc 123", 7, NULL, NULL) == LC_SNIFF_ASCII,
          "ASCII");
    CHECK(lc_utf8_valid("\xe7\x8e\x8b", 3), "valid UTF-8");
    CHECK(!lc_utf8_valid("\xcd\xf5", 2), "GBK is not UTF-8");
    CHECK(!lc_utf8_valid("\xed\xa0\x80", 3), "surrogate rejected");
    CHECK(!lc_utf8_valid("\xc0\xaf", 2), "overlong rejected");
    /* one sequence at a time, in a NUL-terminated string (n = SIZE_MAX) or a counted buffer */
    static const struct { const char *s; size_t n, want; const char *what; } seqs[] = {
        {"a", SIZE_MAX, 1, "ASCII"},
        {"\xc2\xa0", SIZE_MAX, 2, "U+00A0"},
        {"\xe7\x8e\x8b", SIZE_MAX, 3, "王"},
        {"\xf0\x9f\x8c\xbe", SIZE_MAX, 4, "U+1F33E"},
        {"\xf4\x8f\xbf\xbf", SIZE_MAX, 4, "U+10FFFF, the last"},
        {"\xf4\x90\x80\x80", SIZE_MAX, 0, "past U+10FFFF"},
        {"\xe0\x9f\xbf", SIZE_MAX, 0, "overlong 3-byte"},
        {"\xed\xa0\x80", SIZE_MAX, 0, "surrogate"},
        {"\xe7\x8e", SIZE_MAX, 0, "cut before its end (NUL)"},
        {"\xe7\x8e\x8b", 2, 0, "cut by the count"},
        {"\xcd\xf5", SIZE_MAX, 0, "GBK"},
        {"\x80", SIZE_MAX, 0, "a lone continuation byte"},
        {"", 0, 0, "nothing"},
    };
    for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++)
        CHECK(lc_utf8_sequence(seqs[i].s, seqs[i].n) == seqs[i].want, "lc_utf8_sequence: %s", seqs[i].what);
}

static void recoding(void)
{
    lc_ctx *ctx = lc_ctx_new();
    lc_arena arena = {0};
    lc_encoding gbk;
    lc_encoding_from_label("GBK", &gbk);
    lc_recoder *r = NULL;
    CHECK(lc_recoder_open(ctx, &gbk, &r) == LC_OK, "open GBK recoder");
    size_t replaced = 99;
    const char *in = "\xcd\xf5\xbd\xa8\xb9\xfa";
    char *out = lc_recode(r, in, strlen(in), &arena, &replaced);
    CHECK_STR(out, "\xe7\x8e\x8b\xe5\xbb\xba\xe5\x9b\xbd", "GBK 王建国 to UTF-8");
    CHECK(replaced == 0, "nothing replaced, got %zu", replaced);
    /* a lone lead byte at the end (a truncated DBF field) becomes U+FFFD */
    out = lc_recode(r, "\xb6\xab\xb4", 3, &arena, &replaced);
    CHECK_STR(out, "\xe4\xb8\x9c\xef\xbf\xbd", "truncated GBK");
    CHECK(replaced == 1, "one replacement, got %zu", replaced);
    lc_recoder_free(r);

    lc_encoding u8;
    lc_encoding_from_label("UTF-8", &u8);
    CHECK(lc_recoder_open(ctx, &u8, &r) == LC_OK, "open UTF-8 pass-through");
    out = lc_recode(r, "ok\xff", 3, &arena, &replaced);
    CHECK_STR(out, "ok\xef\xbf\xbd", "invalid UTF-8 byte replaced");
    lc_recoder_free(r);
    lc_arena_release(&arena);
    lc_ctx_free(ctx);
}

/* Codes cut by characters, never inside one (the township code is the
** key's first 9 characters). */
static void prefixes(void)
{
    static const struct { const char *s; size_t n, bytes; } cases[] = {
        {"230113101201010000001", 9, 9},
        {"2301131东0101001", 9, 11},   /* 7 digits, 东 (3 bytes), 1 digit */
        {"2301131东0101001", 8, 10},
        {"东方红", 2, 6},
        {"abc", 9, 3},                 /* shorter than the cut */
        {"", 9, 0},
        {"𠀀x", 1, 4},                 /* a 4-byte character */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t got = lc_utf8_prefix_bytes(cases[i].s, cases[i].n);
        CHECK(got == cases[i].bytes, "first %zu characters of \"%s\": %zu bytes, want %zu", cases[i].n,
              cases[i].s, got, cases[i].bytes);
    }
}

int main(void)
{
    prefixes();
    labels();
    sniffing();
    recoding();
    return lc_test_report("test_encoding");
}
