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
        /* synonyms of SPEC §1a */
        {"已签订", 1, LC_REG_SIGNED}, {"签约完成", 1, LC_REG_SIGNED}, {"Transferred", 1, LC_REG_SIGNED},
        {"未签", 1, LC_REG_PENDING}, {"待签约", 1, LC_REG_PENDING}, {"有争议", 1, LC_REG_DISPUTED},
        {"纠纷", 1, LC_REG_DISPUTED}, {"拒绝", 1, LC_REG_REFUSED},
        /* blanks inside, the ideographic space, full-width letters */
        {"已 签约", 1, LC_REG_SIGNED}, {"\u3000未签约\u3000", 1, LC_REG_PENDING},
        {"ｓｉｇｎｅｄ", 1, LC_REG_SIGNED}, {"已签字", 0, 0}, {"同意", 0, 0},
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
    /* --status-map WORD=STATUS */
    lc_register_opts so = {0};
    CHECK(lc_register_status_map_option(ctx, &so, "已签字=transferred") == LC_OK, "map to transferred");
    CHECK(lc_register_status_map_option(ctx, &so, "同意=已签约") == LC_OK, "map to a SPEC word");
    CHECK(lc_register_status_map_option(ctx, &so, "商谈=pending") == LC_OK, "map to pending");
    CHECK(so.n_status_maps == 3 && so.status_values[0] == LC_REG_SIGNED && so.status_values[1] == LC_REG_SIGNED &&
          so.status_values[2] == LC_REG_PENDING, "mapped statuses");
    CHECK(so.status_word_len[0] == strlen("已签字"), "the word is the part before '='");
    CHECK(lc_register_status_map_option(ctx, &so, "已签字=done") == LC_EINPUT, "unknown status refused");
    CHECK(strstr(lc_ctx_errmsg(ctx), "done is not a status") != NULL, "message: %s", lc_ctx_errmsg(ctx));
    CHECK(lc_register_status_map_option(ctx, &so, "=pending") == LC_EINPUT, "empty word refused");
    CHECK(lc_register_status_map_option(ctx, &so, "已签字") == LC_EINPUT, "missing = refused");
    CHECK(lc_register_map_option(ctx, &o, "key=@C") == LC_OK && !strcmp(o.map[LC_COL_KEY], "@C"), "column letter");
    CHECK(lc_register_map_option(ctx, &o, "key=") == LC_EINPUT, "empty header refused");

    /* keys as the register and the parcels are matched on */
    static const struct { const char *in, *out; } keys[] = {
        {"2301131012010100001", "2301131012010100001"},
        {"  2301131012010100001\t", "2301131012010100001"},
        {"\u30002301131012010100001\u3000", "2301131012010100001"},
        {"２３０１１３１０１２０１０１００００１", "2301131012010100001"},
        {"'2301131012010100001", "2301131012010100001"},
        {"ＡＢ-12", "AB-12"},
        {"2301 1310", "2301 1310"},              /* inner blanks are kept: they may matter */
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char buf[64];
        CHECK_STR(lc_key_normalise(keys[i].in, buf, sizeof buf), keys[i].out, "normalised key");
    }
    static const struct { const char *key; int mangled; } mk[] = {
        {"2.30113E+18", 1}, {"2.3011310120101e+18", 1}, {"2E18", 1}, {"2301131012010100001", 0},
        {"2.5", 0}, {"E+18", 0}, {"2.30113E+18x", 0}, {"1e5", 1},
    };
    for (size_t i = 0; i < sizeof mk / sizeof mk[0]; i++)
        CHECK(lc_key_looks_mangled(mk[i].key) == mk[i].mangled, "mangled(\"%s\")", mk[i].key);
    lc_ctx_free(ctx);
    return lc_test_report("test_register");
}
