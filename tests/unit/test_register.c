/* Register vocabulary: status words and --map options (SPEC §1). */
#include "lc_test.h"
#include "register.h"

int main(void)
{
    static const struct { const char *word; int ok; lc_reg_status st; } words[] = {
        {"signed", 1, LC_REG_SIGNED}, {"SIGNED", 1, LC_REG_SIGNED}, {"已签约", 1, LC_REG_SIGNED},
        {" 已流转 ", 1, LC_REG_SIGNED}, {"pending", 1, LC_REG_PENDING}, {"未签约", 1, LC_REG_PENDING},
        {"待签", 1, LC_REG_PENDING}, {"refused", 1, LC_REG_REFUSED}, {"拒签", 1, LC_REG_REFUSED},
        {"不同意", 1, LC_REG_REFUSED}, {"disputed", 1, LC_REG_DISPUTED}, {"争议", 1, LC_REG_DISPUTED},
        {"已签", 0, 0}, {"签约", 0, 0}, {"", 0, 0}, {"sign", 0, 0}, {"已签约了", 0, 0},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        lc_reg_status st = LC_REG_N;
        int ok = lc_reg_status_parse(words[i].word, &st);
        CHECK(ok == words[i].ok, "\"%s\": recognised=%d", words[i].word, ok);
        if (ok && words[i].ok) CHECK(st == words[i].st, "\"%s\": status %d", words[i].word, st);
    }
    CHECK_STR(lc_reg_status_name(LC_REG_DISPUTED), "disputed", "status name");

    lc_ctx *ctx = lc_ctx_new();
    lc_register_opts o = {0};
    CHECK(lc_register_map_option(ctx, &o, "key=编号") == LC_OK, "map key");
    CHECK_STR(o.map[LC_COL_KEY], "编号", "key header");
    CHECK(lc_register_map_option(ctx, &o, "transferee=受让单位") == LC_OK, "map transferee");
    CHECK_STR(o.map[LC_COL_TRANSFEREE], "受让单位", "transferee header");
    CHECK(lc_register_map_option(ctx, &o, "owner=X") == LC_EINPUT, "unknown role refused");
    CHECK(strstr(lc_ctx_errmsg(ctx), "owner=X") != NULL, "message names the option: %s", lc_ctx_errmsg(ctx));
    CHECK(lc_register_map_option(ctx, &o, "key") == LC_EINPUT, "missing = refused");
    lc_ctx_free(ctx);
    return lc_test_report("test_register");
}
