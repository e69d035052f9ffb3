/* The parcel status table (see status_table.h). */
#include <stdio.h>

#include "landcons.h"
#include "register.h"
#include "status_table.h"

static const lc_status_def defs[LC_ST_N] = {
    [LC_ST_TRANSFERRED] = {"transferred", "已流转", "transferred", {77, 175, 74}, 1},
    [LC_ST_PENDING] = {"pending", "未签约", "pending", {255, 217, 47}, 0},
    [LC_ST_REFUSED] = {"refused", "拒签", "refused", {228, 26, 28}, 0},
    [LC_ST_DISPUTED] = {"disputed", "争议", "disputed", {152, 78, 163}, 0},
    [LC_ST_UNREGISTERED] = {"unregistered", "未登记", "unregistered", {189, 189, 189}, 0},
};

/* The public vocabulary and the register's statuses follow this table's
** order: code that indexes one by the other stays right. */
_Static_assert((int)LC_ST_N == (int)LC_STATUS_COUNT, "the public status count is the table's");
_Static_assert((int)LC_REG_SIGNED == (int)LC_ST_TRANSFERRED && (int)LC_REG_PENDING == (int)LC_ST_PENDING &&
                   (int)LC_REG_REFUSED == (int)LC_ST_REFUSED && (int)LC_REG_DISPUTED == (int)LC_ST_DISPUTED,
               "a register status and the parcel status it becomes share a number");

const char *const lc_status_names[LC_STATUS_COUNT] = {
    "transferred", "pending", "refused", "disputed", "unregistered",
};

const lc_status_def *lc_status_def_of(lc_parcel_status s) { return s < LC_ST_N ? &defs[s] : NULL; }

const char *lc_parcel_status_name(lc_parcel_status s) { return s < LC_ST_N ? defs[s].code : "?"; }

const char *lc_parcel_status_zh(lc_parcel_status s) { return s < LC_ST_N ? defs[s].zh : "?"; }

const char *lc_status_zh(int k) { return k >= 0 && k < LC_ST_N ? defs[k].zh : "?"; }

void lc_status_rgba_text(lc_parcel_status s, char out[24])
{
    const unsigned char *c = s < LC_ST_N ? defs[s].rgb : defs[LC_ST_UNREGISTERED].rgb;
    snprintf(out, 24, "%u,%u,%u,255", c[0], c[1], c[2]);
}

void lc_status_hex(lc_parcel_status s, char out[24])
{
    const unsigned char *c = s < LC_ST_N ? defs[s].rgb : defs[LC_ST_UNREGISTERED].rgb;
    snprintf(out, 24, "#%02x%02x%02x", c[0], c[1], c[2]);
}
