/*
** Calendar dates as day numbers (days since 1970-01-01, proleptic
** Gregorian), and the date spellings found in Chinese transfer registers.
*/
#ifndef LC_DATES_H
#define LC_DATES_H

#include <stdint.h>

#define LC_NO_DATE INT32_MIN

int32_t lc_days_from_civil(int y, int m, int d);
void lc_civil_from_days(int32_t z, int *y, int *m, int *d);
/* 1 when y-m-d is a real calendar day */
int lc_date_valid(int y, int m, int d);

/*
** Parses YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD and YYYY年MM月DD日 (with or
** without zero padding, an optional trailing time "HH:MM[:SS]"), YYYYMMDD, and bare
** Excel serial numbers (days since 1899-12-30, 1..109574 i.e. up to 2199).
** Surrounding blanks are ignored. Returns 1 and sets *day on success.
*/
int lc_date_parse(const char *s, int32_t *day);
/* The same without Excel serial numbers ("2019" is not a day): for dates
** a person types, such as --as-of. */
int lc_date_parse_full(const char *s, int32_t *day);

/* Day number of an Excel serial day count. */
int32_t lc_days_from_excel_serial(double serial);

/* Writes YYYY-MM-DD (11 bytes with the NUL). */
void lc_date_format(int32_t day, char out[11]);

/* Today's date in local time. */
int32_t lc_today(void);

#endif
