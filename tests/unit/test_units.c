/* Unit names: splitting 发包方 names (FBFMC) into township and village, and
** the name table's rule that the name added last wins. */
#include "lc_test.h"
#include "units.h"

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
    lc_ctx_free(ctx);
    return lc_test_report("test_units");
}
