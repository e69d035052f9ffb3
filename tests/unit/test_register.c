/*
** Register vocabulary: status words and --map options (SPEC §1); and the
** register's rules on its rows (SPEC §1, §1a), a table of small CSV files
** and the entries and findings each must give: duplicate rows (identical
** ones count once; one status class: the earliest signed date and the
** last declared area; classes that disagree: disputed), signed rows
** without a date, dates after today or implausible, totals rows, unknown
** status words.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "dates.h"
#include "lc_test.h"
#include "qa.h"
#include "register.h"

/* One entry as "key status date mu rows holder" ("-" for none). */
static void entry_text(const lc_reg_entry *e, char *buf, size_t cap)
{
    char date[11] = "-", mu[32] = "-";
    if (e->signed_on != LC_NO_DATE) lc_date_format(e->signed_on, date);
    if (!isnan(e->declared_mu)) snprintf(mu, sizeof mu, "%g", e->declared_mu);
    snprintf(buf, cap, "%s %s %s %s %d %s", e->key, lc_reg_status_name(e->status), date, mu, e->rows,
             e->holder ? e->holder : "-");
}

#define HEADER "地块编码,流转状态,签约日期,合同面积,承包方\n"

typedef struct reg_case {
    const char *name;
    const char *csv;             /* after the header */
    int findings_only;
    lc_status rc;                /* LC_EINPUT: refused, the message holding `message` */
    const char *message;
    const char *entries;         /* entry_text of each entry, by key, "; "-separated */
    const char *kinds;           /* "kind=n kind=n" of the findings, all of them */
} reg_case;

/* today 2019-06-01, as of 2019-05-01: plausible dates 1980-01-01 to
** 2020-06-01 (a year after the later of the two) */
static const reg_case reg_cases[] = {
    {"one row", "K1,已签约,2019-03-05,2.5,张三\n", 0, LC_OK, NULL, "K1 signed 2019-03-05 2.5 1 张三", ""},
    /* identical rows count once, as an info finding */
    {"identical rows", "K1,已签约,2019-03-05,2.5,张三\nK1,已签约,2019-03-05,2.5,张三\n", 0, LC_OK, NULL,
     "K1 signed 2019-03-05 2.5 2 张三", "register_duplicate_row=1"},
    /* one class (signed, spelled two ways): the earliest date, 2019-02-01,
    ** and the last declared area, 3 (the third row has none); the last
    ** holder given */
    {"one class, other details",
     "K1,已签约,2019-03-05,2.5,张三\nK1,signed,2019/2/1,3,李四\nK1,已流转,2019-04-01,,\n", 0, LC_OK, NULL,
     "K1 signed 2019-02-01 3 3 李四", "register_duplicate_key=2"},
    {"one class, pending", "K1,未签约,,1,\nK1,待签,,2,\n", 0, LC_OK, NULL, "K1 pending - 2 2 -",
     "register_duplicate_key=1"},
    /* classes that disagree: disputed, an error per contradicting row */
    {"classes disagree", "K1,已签约,2019-03-05,2.5,张三\nK1,拒签,,2.5,张三\nK2,pending,,,\n", 0, LC_OK, NULL,
     "K1 disputed 2019-03-05 2.5 2 张三; K2 pending - - 1 -", "register_conflicting_rows=1"},
    /* signed with no date: kept, counted as pending on every day (status.c) */
    {"signed without a date", "K1,已签约,,2.5,\n", 0, LC_OK, NULL, "K1 signed - 2.5 1 -",
     "register_signed_without_date=1"},
    /* after today (2019-06-01) but plausible: kept, a warning */
    {"a date after today", "K1,已签约,2019-07-01,,\n", 0, LC_OK, NULL, "K1 signed 2019-07-01 - 1 -",
     "register_future_date=1"},
    /* before 1980: not used, the row counts as not signed (no second
    ** finding for the missing date) */
    {"an implausible date", "K1,已签约,1975-01-01,,\n", 0, LC_OK, NULL, "K1 signed - - 1 -",
     "register_implausible_date=1"},
    /* an Excel serial number and a Chinese spelling of 2019-03-05 */
    {"date spellings", "K1,已签约,43529,,\nK2,已签约,2019年3月5日,,\n", 0, LC_OK, NULL,
     "K1 signed 2019-03-05 - 1 -; K2 signed 2019-03-05 - 1 -", ""},
    /* a totals row is skipped and counted */
    {"a totals row", "K1,已签约,2019-03-05,2.5,\n合计,,,2.5,\n", 0, LC_OK, NULL, "K1 signed 2019-03-05 2.5 1 -",
     "register_total_row=1"},
    /* keys normalised: blanks, full-width digits, Excel's text mark */
    {"keys normalised", " K1 ,已签约,2019-03-05,,\n'K2,pending,,,\nＫ３,pending,,,\n", 0, LC_OK, NULL,
     "K1 signed 2019-03-05 - 1 -; K2 pending - - 1 -; K3 pending - - 1 -", ""},
    /* an unknown status word: refused, naming it; in check, a finding and
    ** the row left out */
    {"an unknown status", "K1,已签字,2019-03-05,,\nK2,pending,,,\n", 0, LC_EINPUT, "已签字", NULL, NULL},
    {"an unknown status in check", "K1,已签字,2019-03-05,,\nK2,pending,,,\n", 1, LC_OK, NULL, "K2 pending - - 1 -",
     "register_unknown_status=1"},
};

static void register_rules(lc_ctx *ctx)
{
    char dir[] = "/tmp/lc_test_register_XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0, "mkdtemp");
        return;
    }
    char path[128];
    snprintf(path, sizeof path, "%s/register.csv", dir);
    for (size_t c = 0; c < sizeof reg_cases / sizeof reg_cases[0]; c++) {
        const reg_case *rc_ = &reg_cases[c];
        FILE *f = fopen(path, "w");
        if (!f) {
            CHECK(0, "%s: cannot write %s", rc_->name, path);
            continue;
        }
        fputs(HEADER, f);
        fputs(rc_->csv, f);
        fclose(f);
        lc_register_opts o = {0};
        o.today = lc_days_from_civil(2019, 6, 1);
        o.as_of = lc_days_from_civil(2019, 5, 1);
        o.findings_only = rc_->findings_only;
        lc_qa qa = {0};
        lc_register *r = NULL;
        lc_status rc = lc_register_read(ctx, path, &o, &qa, &r);
        CHECK(rc == rc_->rc, "%s: status %d, want %d (%s)", rc_->name, rc, rc_->rc, lc_ctx_errmsg(ctx));
        if (rc_->message)
            CHECK(strstr(lc_ctx_errmsg(ctx), rc_->message) != NULL, "%s: message \"%s\"", rc_->name,
                  lc_ctx_errmsg(ctx));
        if (rc == LC_OK && rc_->entries) {
            char got[1024] = "", one[256];
            for (size_t e = 0; e < r->n_entries; e++) {
                entry_text(&r->entries[e], one, sizeof one);
                snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", e ? "; " : "", one);
            }
            CHECK_STR(got, rc_->entries, rc_->name);
            /* every finding is one the case names, as many times */
            char kinds[512] = "";
            const char *seen[32];
            size_t n_seen = 0;
            for (size_t k = 0; k < qa.n && n_seen < 32; k++) {
                int dup = 0;
                for (size_t j = 0; j < n_seen; j++) dup |= !strcmp(seen[j], qa.items[k].kind);
                if (dup) continue;
                seen[n_seen++] = qa.items[k].kind;
                snprintf(kinds + strlen(kinds), sizeof kinds - strlen(kinds), "%s%s=%zu", n_seen > 1 ? " " : "",
                         qa.items[k].kind, lc_qa_count_kind(&qa, qa.items[k].kind));
            }
            CHECK_STR(kinds, rc_->kinds, rc_->name);
        }
        lc_register_free(r);
        lc_qa_release(&qa);
    }
    unlink(path);
    rmdir(dir);
}

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
    register_rules(ctx);
    lc_ctx_free(ctx);
    return lc_test_report("test_register");
}
