/* Date arithmetic and the register's date spellings (SPEC §1). */
#include "dates.h"
#include "lc_test.h"

int main(void)
{
    CHECK(lc_days_from_civil(1970, 1, 1) == 0, "epoch");
    CHECK(lc_days_from_civil(2019, 3, 5) == 17960, "2019-03-05 is day 17960");
    CHECK(lc_days_from_civil(2000, 2, 29) == 11016, "leap day 2000");
    for (int32_t d = -800000; d < 800000; d += 37) {
        int y, m, dd;
        lc_civil_from_days(d, &y, &m, &dd);
        if (lc_days_from_civil(y, m, dd) != d) {
            CHECK(0, "round trip of day %d", d);
            break;
        }
    }
    static const struct { const char *text; int ok; int y, m, d; } cases[] = {
        {"2019-03-05", 1, 2019, 3, 5},
        {"2019/3/5", 1, 2019, 3, 5},
        {"2019.03.05", 1, 2019, 3, 5},
        {"2019年3月5日", 1, 2019, 3, 5},
        {"2019年03月05日", 1, 2019, 3, 5},
        {"  2019-3-05  ", 1, 2019, 3, 5},
        {"2019-03-05 00:00:00", 1, 2019, 3, 5},
        {"2019/3/5 14:30", 1, 2019, 3, 5},
        {"43529", 1, 2019, 3, 5},          /* Excel serial of 2019-03-05 */
        {"43529.75", 1, 2019, 3, 5},
        {"2020-02-29", 1, 2020, 2, 29},
        {"2019-02-30", 0, 0, 0, 0},       /* not a day */
        {"2019-13-01", 0, 0, 0, 0},
        {"2019-3", 0, 0, 0, 0},
        {"2019-03/05", 0, 0, 0, 0},       /* mixed separators */
        {"05/03/2019", 0, 0, 0, 0},       /* day-first is ambiguous: refused */
        {"yesterday", 0, 0, 0, 0},
        {"", 0, 0, 0, 0},
        {"0", 0, 0, 0, 0},
        {"-5", 0, 0, 0, 0},
        {"1e5", 0, 0, 0, 0},
        {"20190305", 1, 2019, 3, 5},      /* YYYYMMDD, as 确权 databases write dates */
        {"20190230", 0, 0, 0, 0},
        {"201903051", 0, 0, 0, 0},
        /* Excel serials from 1 (1899-12-31) to 109574 (2199-12-31) */
        {"1", 1, 1899, 12, 31},
        {"109574", 1, 2199, 12, 31},
        {"109575", 0, 0, 0, 0},
        /* Gregorian leap years: 1900 and 2100 have no 29 February */
        {"1900-02-29", 0, 0, 0, 0},
        {"2100-02-29", 0, 0, 0, 0},
        {"2000-02-29", 1, 2000, 2, 29},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t day = 0;
        int ok = lc_date_parse(cases[i].text, &day);
        CHECK(ok == cases[i].ok, "\"%s\": parsed=%d, want %d", cases[i].text, ok, cases[i].ok);
        if (ok && cases[i].ok)
            CHECK(day == lc_days_from_civil(cases[i].y, cases[i].m, cases[i].d), "\"%s\": day %d",
                  cases[i].text, day);
    }
    /* dates a person types (--as-of): no Excel serial numbers */
    static const struct { const char *text; int ok; } full[] = {
        {"2019-05-01", 1}, {"2019/5/1", 1}, {"2019年5月1日", 1}, {"20190501", 1},
        {"2019", 0}, {"43586", 0}, {"2019-05", 0}, {"2019-02-30", 0},
    };
    for (size_t i = 0; i < sizeof full / sizeof full[0]; i++) {
        int32_t day = 0;
        CHECK(lc_date_parse_full(full[i].text, &day) == full[i].ok, "full date \"%s\"", full[i].text);
    }
    char buf[11];
    lc_date_format(17960, buf);
    CHECK_STR(buf, "2019-03-05", "format");
    return lc_test_report("test_dates");
}
