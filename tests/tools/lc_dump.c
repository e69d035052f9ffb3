/*
** Test tool: reads a parcel layer with the library and prints one CSV line
** per parcel (fid, key, planar_m2, ellipsoidal_m2) with full precision, so
** the end-to-end tests can compare each parcel with independent references.
** Usage: lc_dump PARCELS [s_srs|-] [tdt]
*/
#include <stdio.h>
#include <string.h>

#include "landcons.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: lc_dump PARCELS [S_SRS|-] [tdt]\n");
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
    printf("fid,key,planar_m2,ellipsoidal_m2\n");
    for (size_t i = 0; i < lc_parcels_count(p); i++) {
        const char *key = lc_parcel_key(p, i);
        printf("%lld,%s,%.17g,%.17g\n", (long long)lc_parcel_fid(p, i), key ? key : "",
               lc_parcel_planar_m2(p, i), lc_parcel_ellipsoidal_m2(p, i));
    }
    lc_parcels_free(p);
    lc_ctx_free(ctx);
    return 0;
}
