/*
** Test tool: reads a parcel layer with the library and prints one JSON
** object per line and parcel (fid, key, planar_m2, ellipsoidal_m2 with full
** precision, and every text attribute as decoded), so the end-to-end tests
** can compare each parcel with independent references.
** Usage: lc_dump PARCELS [S_SRS|-] [geodesic|tdt]
*/
#include <stdio.h>
#include <string.h>

#include "landcons.h"

static void put_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') printf("\\%c", *p);
        else if (*p < 0x20) printf("\\u%04x", *p);
        else putchar(*p);
    }
    putchar('"');
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: lc_dump PARCELS [S_SRS|-] [geodesic|tdt]\n");
        return 2;
    }
    lc_read_opts o;
    lc_read_opts_init(&o);
    if (argc > 2 && strcmp(argv[2], "-")) o.s_srs = argv[2];
    if (argc > 3 && !strcmp(argv[3], "tdt")) o.ellipsoidal = LC_ELLIPSOIDAL_TDT;
    lc_ctx *ctx = lc_ctx_new();
    lc_parcels *p = NULL;
    if (lc_parcels_read(ctx, argv[1], &o, &p) != LC_OK) {
        fprintf(stderr, "lc_dump: %s\n", lc_ctx_errmsg(ctx));
        lc_ctx_free(ctx);
        return 2;
    }
    size_t nf = lc_parcels_field_count(p);
    for (size_t i = 0; i < lc_parcels_count(p); i++) {
        const char *key = lc_parcel_key(p, i);
        printf("{\"fid\": %lld, \"key\": ", (long long)lc_parcel_fid(p, i));
        if (key) put_string(key);
        else fputs("null", stdout);
        printf(", \"planar_m2\": %.17g, \"ellipsoidal_m2\": %.17g, \"text\": {",
               lc_parcel_planar_m2(p, i), lc_parcel_ellipsoidal_m2(p, i));
        int first = 1;
        for (size_t j = 0; j < nf; j++) {
            const char *t = lc_parcel_text(p, i, j);
            if (!t) continue;
            if (!first) fputs(", ", stdout);
            first = 0;
            put_string(lc_parcels_field_name(p, j));
            fputs(": ", stdout);
            put_string(t);
        }
        fputs("}}\n", stdout);
    }
    lc_parcels_free(p);
    lc_ctx_free(ctx);
    return 0;
}
