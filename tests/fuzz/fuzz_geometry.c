/*
** libFuzzer target: the geometry intake path of the parcel reader
** (layer_read.c: rings, curves, collections, coordinate checks, the CRS
** transform, validity, MakeValid, areas). The input is a WKB geometry; it
** is stored as the only feature of an in-memory FlatGeobuf layer in
** EPSG:4530 (FlatGeobuf keeps curves and every OGC type) and read back
** through lc_parcels_read.
*/
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "landcons.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void CPL_STDCALL quiet(CPLErr c, CPLErrorNum n, const char *m) { (void)c; (void)n; (void)m; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lc_ctx *ctx;
    static OGRSpatialReferenceH srs;
    if (!ctx) {
        ctx = lc_ctx_new();
        GDALAllRegister();
        CPLSetErrorHandler(quiet);
        srs = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(srs, 4530);
    }
    OGRGeometryH g = NULL;
    if (OGR_G_CreateFromWkb(data, NULL, &g, (int)size) != OGRERR_NONE || !g) return 0;
    const char *path = "/vsimem/landcons-fuzz.fgb";
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("FlatGeobuf"), path, 0, 0, 0, GDT_Unknown, NULL);
    OGRLayerH lyr = ds ? GDALDatasetCreateLayer(ds, "dk", srs, wkbUnknown, NULL) : NULL;
    if (lyr) {
        OGRFieldDefnH fd = OGR_Fld_Create("DKBM", OFTString);
        OGR_L_CreateField(lyr, fd, 1);
        OGR_Fld_Destroy(fd);
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldString(f, 0, "2301131012010100001");
        OGR_F_SetGeometry(f, g);
        if (OGR_L_CreateFeature(lyr, f) != OGRERR_NONE) {
            /* the reader then sees an empty layer: a case worth running too */
        }
        OGR_F_Destroy(f);
    }
    if (ds) GDALClose(ds);
    OGR_G_DestroyGeometry(g);
    lc_read_opts o;
    lc_read_opts_init(&o);
    o.ellipsoidal = size % 2 ? LC_ELLIPSOIDAL_TDT : LC_ELLIPSOIDAL_GEODESIC;
    lc_parcels *p = NULL;
    if (lc_parcels_read(ctx, path, &o, &p) == LC_OK) {
        lc_layer_info info;
        lc_parcels_describe(p, &info);
        if (lc_parcels_count(p) && !(lc_parcel_planar_m2(p, 0) >= 0)) __builtin_trap();
    }
    lc_parcels_free(p);
    VSIUnlink(path);
    return 0;
}
