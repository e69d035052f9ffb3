/*
** The parcel statuses (SPEC §2 output vocabulary), one table for every
** module that names or draws them: the stored code, the bureau's word, the
** English word, the colour of maps and legends, and whether the status
** counts as transferred. The register's statuses (register.h) are tied to
** these codes by static assertions in status_table.c.
*/
#ifndef LC_STATUS_TABLE_H
#define LC_STATUS_TABLE_H

typedef enum lc_parcel_status {
    LC_ST_TRANSFERRED = 0,
    LC_ST_PENDING,
    LC_ST_REFUSED,
    LC_ST_DISPUTED,
    LC_ST_UNREGISTERED,
    LC_ST_N
} lc_parcel_status;

typedef struct lc_status_def {
    const char *code;          /* stored in the outputs: "transferred", ... */
    const char *zh;            /* 已流转, 未签约, 拒签, 争议, 未登记 */
    const char *en;            /* the English word of legends */
    unsigned char rgb[3];      /* fill colour, a sequential reading of how far the
                               ** parcel is from being available to the project */
    int transferred;           /* counts as transferred land */
} lc_status_def;

/* Row s of the table (s < LC_ST_N). */
const lc_status_def *lc_status_def_of(lc_parcel_status s);
const char *lc_parcel_status_name(lc_parcel_status s);   /* the code, "?" out of range */
const char *lc_parcel_status_zh(lc_parcel_status s);     /* the bureau's word, "?" out of range */
/* "77,175,74,255" (QGIS colours) and "#4daf4a" (HTML) of status s; out: 24 bytes. */
void lc_status_rgba_text(lc_parcel_status s, char out[24]);
void lc_status_hex(lc_parcel_status s, char out[24]);

#endif
