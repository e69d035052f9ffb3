/* GDAL failures into an lc_gdal_record (see gdal_errors.h). */
#include <stdio.h>

#include "gdal_errors.h"

void CPL_STDCALL lc_gdal_record_error(CPLErr cls, CPLErrorNum no, const char *msg)
{
    (void)no;
    lc_gdal_record *g = CPLGetErrorHandlerUserData();
    if (!g || cls < CE_Failure) return;
    snprintf(g->msg, sizeof g->msg, "%s", msg);
    g->failures++;
}
