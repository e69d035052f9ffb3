/* Unit names: splitting 发包方 names (FBFMC) into township and village, the
** name table's rule that the name added last wins, and --unit-names CSV
** files (code,name; with or without a header; UTF-8 or GBK). */
#include <stdio.h>
#include <unistd.h>

#include "lc_test.h"
#include "units.h"

static const struct {
    const char *name, *csv;      /* the file's bytes */
    lc_status rc;
    const char *code1, *name1, *code2, *name2;   /* two lookups */
} csv_cases[] = {
    {"header code,name", "code,name\n230113102,周家镇\n230113102201,建设村\n", LC_OK, "230113102", "周家镇",
     "230113102201", "建设村"},
    /* other column order under the header */
    {"header name,code", "name,code\n周家镇,230113102\n建设村,230113102201\n", LC_OK, "230113102", "周家镇",
     "230113102201", "建设村"},
    /* no header: the first row is data when it starts with a digit */
    {"no header", "230113102,周家镇\n230113102201,建设村\n", LC_OK, "230113102", "周家镇", "230113102201", "建设村"},
    /* a header of other words: skipped, the first two columns used */
    {"header of other words", "编码,名称\n230113102,周家镇\n", LC_OK, "230113102", "周家镇", "编码", NULL},
    /* GBK bytes of 周家镇 and 建设村 */
    {"GBK", "code,name\n230113102,\xd6\xdc\xbc\xd2\xd5\xf2\n230113102201,\xbd\xa8\xc9\xe8\xb4\xe5\n", LC_OK,
     "230113102", "周家镇", "230113102201", "建设村"},
    /* a row without a name: bad input, the row named */
    {"a name missing", "code,name\n230113102,周家镇\n230113102201,\n", LC_EINPUT, "row 3", NULL, NULL, NULL},
};

static void csv_files(lc_ctx *ctx)
{
    char dir[] = "/tmp/lc_test_units_XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0, "mkdtemp");
        return;
    }
    char path[128];
    snprintf(path, sizeof path, "%s/units.csv", dir);
    for (size_t c = 0; c < sizeof csv_cases / sizeof csv_cases[0]; c++) {
        FILE *f = fopen(path, "wb");
        if (!f) continue;
        fputs(csv_cases[c].csv, f);
        fclose(f);
        lc_units u = {0};
        lc_status rc = lc_units_add_csv(ctx, path, &u);
        lc_units_finish(&u);
        CHECK(rc == csv_cases[c].rc, "%s: status %d (%s)", csv_cases[c].name, rc, lc_ctx_errmsg(ctx));
        if (rc == LC_OK && csv_cases[c].rc == LC_OK) {
            const char *n1 = lc_units_name(&u, csv_cases[c].code1), *n2 = lc_units_name(&u, csv_cases[c].code2);
            CHECK_STR(n1, csv_cases[c].name1, csv_cases[c].name);
            if (csv_cases[c].name2) CHECK_STR(n2, csv_cases[c].name2, csv_cases[c].name);
            else CHECK(n2 == NULL, "%s: %s named %s", csv_cases[c].name, csv_cases[c].code2, n2);
        } else if (rc != LC_OK) {
            CHECK(strstr(lc_ctx_errmsg(ctx), csv_cases[c].code1) != NULL, "%s: message %s", csv_cases[c].name,
                  lc_ctx_errmsg(ctx));
        }
        lc_units_release(&u);
    }
    unlink(path);
    rmdir(dir);
}

static void split_case(const char *name, const char *town, const char *village)
{
    lc_fbf_name_parts p;
    lc_fbf_name_split(name, &p);
    char t[128], v[128];
    snprintf(t, sizeof t, "%.*s", (int)p.town_len, name + p.town_off);
    snprintf(v, sizeof v, "%.*s", (int)p.village_len, name + p.village_off);
    CHECK_STR(t, town, name);
    CHECK_STR(v, village, name);
}

int main(void)
{
    split_case("黑龙江省哈尔滨市双城区周家镇建设村第一村民小组", "周家镇", "建设村");
    split_case("黑龙江省哈尔滨市双城区周家镇建设村民委员会", "周家镇", "建设村");
    split_case("双城区承旭街道和平村三组", "承旭街道", "和平村");
    split_case("承旭街道办事处永安社区", "承旭街道办事处", "永安社区");
    split_case("新市镇东风村", "新市镇", "东风村");          /* 市 inside the township's own name */
    split_case("五常市红旗乡光明村第二村民小组", "红旗乡", "光明村");
    split_case("建设村第一村民小组", "", "建设村");             /* no township in the name */
    split_case("村民小组", "", "村");                          /* nothing more to find */

    lc_ctx *ctx = lc_ctx_new();
    lc_units u = {0};
    /* the table is built by the readers; the rule tested is finish's */
    const char *codes[] = {"230113102201", "230113102", "230113102201"};
    const char *names[] = {"旧名村", "周家镇", "建设村"};
    size_t cap = 0;
    for (int i = 0; i < 3; i++) {
        CHECK(lc_grow(ctx, (void **)&u.items, &cap, u.n + 1, sizeof *u.items) == 0, "grow");
        u.items[u.n++] = (lc_unit){codes[i], names[i]};
    }
    lc_units_finish(&u);
    CHECK(u.n == 2, "one name per code, got %zu", u.n);
    CHECK_STR(lc_units_name(&u, "230113102201"), "建设村", "the name added last wins");
    CHECK_STR(lc_units_name(&u, "230113102"), "周家镇", "township");
    CHECK(lc_units_name(&u, "230113999") == NULL, "unknown code");
    free(u.items);
    csv_files(ctx);
    lc_ctx_free(ctx);
    return lc_test_report("test_units");
}
