/* GDAL's drivers registered once; its failures into an lc_gdal_record (see
** gdal_errors.h). */
#include <pthread.h>
#include <stdio.h>

#include <gdal.h>

#include "gdal_errors.h"

static pthread_once_t registered = PTHREAD_ONCE_INIT;

static void register_all(void) { GDALAllRegister(); }

void lc_gdal_register(void) { pthread_once(&registered, register_all); }

void CPL_STDCALL lc_gdal_record_error(CPLErr cls, CPLErrorNum no, const char *msg)
{
    (void)no;
    lc_gdal_record *g = CPLGetErrorHandlerUserData();
    if (!g || cls < CE_Failure) return;
    snprintf(g->msg, sizeof g->msg, "%s", msg);
    g->failures++;
}
