/*
** GDAL's process-wide set-up and its failures: the drivers registered
** once, and failures recorded instead of printed, so a reader can name
** them in its own message: push lc_gdal_record_error with the record as
** user data (CPLPushErrorHandlerEx; GDAL's handler stack is per thread) and
** pop it when done. Warnings and notices are dropped.
*/
#ifndef LC_GDAL_ERRORS_H
#define LC_GDAL_ERRORS_H

#include <cpl_error.h>

typedef struct lc_gdal_record {
    char msg[512];   /* the last failure */
    int failures;
} lc_gdal_record;

void CPL_STDCALL lc_gdal_record_error(CPLErr cls, CPLErrorNum no, const char *msg);

/* GDALAllRegister, once in the process: it must not run on two threads at
** once (the register is read on a worker while the parcels are read). */
void lc_gdal_register(void);

#endif
