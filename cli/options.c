/*
** Option parsing: one sorted table of every option, each with the kind of
** argument it takes and the group of commands that accept it. Parsing fills
** a cli_config and validates values before any work starts.
*/
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "i18n.h"

typedef enum arg_kind {
    ARG_FLAG, ARG_STRING, ARG_INT, ARG_DOUBLE, ARG_LIST, ARG_ELLIPSOIDAL, ARG_PAPER
} arg_kind;

typedef struct cli_option {
    const char *name;      /* without the leading dashes */
    char short_name;
    arg_kind kind;
    unsigned group;
    size_t offset;         /* into cli_config */
    const char *meta;
    const char *help;
    size_t count_offset;   /* ARG_LIST: the int count of the array at offset */
    int capacity;          /* ARG_LIST: entries the array holds */
} cli_option;

#define CFG(field) offsetof(cli_config, field)

static const cli_option options[] = {
    {"all", 0, ARG_FLAG, OPT_ALL, CFG(all), NULL,
     N_("print everything: every finding (check; default: the first 3 of each kind), every blocking "
        "parcel (verify; default: the 20 largest overlaps per site)")},
    {"area-tolerance", 0, ARG_DOUBLE, OPT_QA, CFG(analyze.area_tolerance), "F",
     N_("declared vs measured area tolerance reported in QA (default 0.05 = 5%)")},
    {"as-of", 0, ARG_STRING, OPT_ANALYZE, CFG(analyze.as_of), "YYYY-MM-DD",
     N_("status as of this day (default today)")},
    {"by", 0, ARG_STRING, OPT_PROGRESS, CFG(by), "township|village",
     /* xgettext:no-c-format */
     N_("one row per unit: its latest figures and the days it reached 50, 80 and 100 % of its "
        "registered area")},
    {"constraint", 0, ARG_LIST, OPT_SITES, CFG(analyze.constraints), "FILE",
     N_("constraint layer (basic farmland, red line) to report under the sites; repeatable"),
     CFG(analyze.n_constraints), LC_MAX_LAYERS},
    {"csv", 0, ARG_STRING, OPT_LISTS, CFG(csv_dir), "DIR",
     N_("also write the lists of --xlsx as UTF-8 CSV files (with BOM) into DIR")},
    {"cost", 0, ARG_STRING, OPT_PLAN, CFG(cost), "households|mu",
     N_("what a route step costs: its distinct households (default) or its own area")},
    {"daily", 0, ARG_FLAG, OPT_PROGRESS, CFG(daily), NULL,
     N_("the day-by-day series too (of the whole area, and of each unit with --by)")},
    {"ellipsoidal", 0, ARG_ELLIPSOIDAL, OPT_READ, CFG(read.ellipsoidal), "geodesic|tdt",
     N_("ellipsoidal area method: GeographicLib geodesic (default) or the land-survey formula")},
    {"encoding", 0, ARG_STRING, OPT_READ, CFG(read.encoding), "NAME",
     N_("text encoding of the shapefile's .dbf (GBK, UTF-8, ...); default: .cpg, DBF byte, detection")},
    {"exclude-refused", 0, ARG_FLAG, OPT_PLAN, CFG(exclude_refused), NULL,
     N_("keep refused and disputed parcels out of the route (default: last resort)")},
    {"gap", 0, ARG_DOUBLE, OPT_GAP, CFG(analyze.gap_m), "M",
     N_("transferred parcels at most M metres apart are contiguous: 0 (touching) or 0.01-1000 (default 10)")},
    {"help", 'h', ARG_FLAG, OPT_COMMON, CFG(help), NULL, N_("show this help")},
    {"json", 0, ARG_FLAG, OPT_COMMON, CFG(json), NULL, N_("print one JSON document on stdout")},
    {"key", 0, ARG_STRING, OPT_READ, CFG(read.key_field), "FIELD",
     N_("parcel key field (default DKBM); @fid: the feature id")},
    {"lang", 0, ARG_STRING, OPT_COMMON, CFG(lang), "zh|en",
     N_("language of the messages (default: from LANGUAGE, LC_ALL, LC_MESSAGES, LANG); --json is English")},
    {"layer", 0, ARG_STRING, OPT_READ, CFG(read.layer), "NAME", N_("layer to read from PARCELS")},
    {"map", 0, ARG_LIST, OPT_ANALYZE, CFG(analyze.maps), "ROLE=HEADER",
     N_("register column for ROLE (key, status, date, area, holder, transferee) by header, or @C "
        "for column C; repeatable"),
     CFG(analyze.n_maps), LC_MAX_MAPS},
    {"min-key-match", 0, ARG_DOUBLE, OPT_ANALYZE, CFG(analyze.min_key_match), "SHARE",
     N_("stop when fewer register keys than this share name a parcel (default 0.5)")},
    {"min-overlap", 0, ARG_DOUBLE, OPT_SITES, CFG(analyze.min_overlap_m2), "M2",
     N_("a site is ready when no untransferred parcel overlaps it by more (default 1 m²)")},
    {"no-repair", 0, ARG_FLAG, OPT_READ, CFG(read.no_repair), NULL,
     N_("keep invalid geometries as they are instead of repairing them with MakeValid")},
    {"output", 'o', ARG_STRING, OPT_OUTPUT, CFG(output), "OUT.sqlite", N_("the SpatiaLite database to write")},
    {"overwrite", 0, ARG_FLAG, OPT_OUTPUT | OPT_LISTS | OPT_SITES, CFG(overwrite), NULL, N_("replace an existing output file")},
    {"paper", 0, ARG_PAPER, OPT_SITES, CFG(paper), "A4|A3", N_("paper of the --pdf sign-off (default A4 portrait)")},
    {"pdf", 0, ARG_STRING, OPT_SITES, CFG(pdf), "SIGNOFF.pdf",
     N_("also write the printable sign-off: a page or more per site (map, figures, blockers, signatures)")},
    {"qgis", 0, ARG_STRING, OPT_QGIS, CFG(qgis), "PROJECT.qgz",
     N_("also write a QGIS project beside the database: styled layers, print layouts (needs -o)")},
    {"quiet", 'q', ARG_FLAG, OPT_COMMON, CFG(quiet), NULL, N_("no progress output")},
    {"register", 0, ARG_STRING, OPT_ANALYZE, CFG(analyze.register_path), "REG",
     N_("transfer register (CSV, XLSX, XLS or ODS)")},
    {"register-encoding", 0, ARG_STRING, OPT_ANALYZE, CFG(analyze.register_encoding), "NAME",
     N_("text encoding of a CSV register (default: detected)")},
    {"report", 0, ARG_STRING, OPT_REPORT, CFG(report), "OUT.html",
     N_("also write a self-contained HTML report (map, progress chart, tables)")},
    {"s-srs", 0, ARG_STRING, OPT_READ, CFG(read.s_srs), "CRS",
     N_("CRS of PARCELS (EPSG:4530, WKT, PROJ string); overrides the .prj")},
    {"sheet", 0, ARG_STRING, OPT_ANALYZE, CFG(analyze.sheet), "NAME|N",
     N_("register sheet by name or number (default: the first with a key and a status column)")},
    {"site", 0, ARG_LIST, OPT_SITES, CFG(analyze.sites), "FILE",
     N_("project site layer (any OGR polygon layer); repeatable"), CFG(analyze.n_sites), LC_MAX_LAYERS},
    {"site-name-field", 0, ARG_STRING, OPT_SITES, CFG(analyze.site_name_field), "FIELD",
     N_("site name field (default: the first text field)")},
    {"status-map", 0, ARG_LIST, OPT_ANALYZE, CFG(analyze.status_maps), "WORD=STATUS",
     N_("read a register status word as transferred, pending, refused or disputed; repeatable"),
     CFG(analyze.n_status_maps), LC_MAX_STATUS_WORDS},
    {"target-mu", 0, ARG_DOUBLE, OPT_TARGET, CFG(analyze.target_mu), "N",
     N_("contiguous area target of the largest block in mu (default: none, no target is reported)")},
    {"threads", 'j', ARG_INT, OPT_COMMON, CFG(threads), "N",
     N_("threads for the parallel phases (default: one per CPU); results do not depend on it")},
    {"top", 0, ARG_STRING, OPT_PLAN, CFG(top), "K", N_("bridge parcels to list (default 20, 0 for all)")},
    {"township-field", 0, ARG_STRING, OPT_ANALYZE, CFG(analyze.township_field), "FIELD",
     N_("township code field (default: first 9 characters of the key)")},
    {"unit-names", 0, ARG_STRING, OPT_ANALYZE, CFG(analyze.unit_names_path), "FILE",
     N_("CSV of code,name for townships and villages")},
    {"units", 0, ARG_STRING, OPT_ANALYZE, CFG(analyze.units_path), "FBF",
     N_("the 发包方 table (FBF.dbf, CSV or XLSX: FBFBM, FBFMC) naming townships and villages "
        "(default: FBF.dbf beside the parcels)")},
    {"village-field", 0, ARG_STRING, OPT_ANALYZE, CFG(analyze.village_field), "FIELD",
     N_("village code field (default: first 12 characters of the key)")},
    {"verbose", 'v', ARG_FLAG, OPT_COMMON, CFG(verbose), NULL, N_("report the time of each phase on stderr")},
    {"work-srs", 0, ARG_STRING, OPT_READ, CFG(read.work_srs), "CRS",
     N_("projected CRS for all computation (default: chosen from the source CRS)")},
    {"xlsx", 0, ARG_STRING, OPT_LISTS, CFG(xlsx), "FILE",
     N_("also write the lists for village cadres as an Excel workbook, the sheets the command has "
        "(汇总 units, 阻碍开工 blockers, 插花地 enclaves, 质检 QA, 未匹配 unmatched, 优先协商 negotiate first)")},
    {"zone", 0, ARG_INT, OPT_READ, CFG(read.zone), "N",
     N_("Gauss-Kruger zone of eastings without a zone prefix (3-degree 25-45, 6-degree 13-23)")},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

static const cli_option *find_long(const char *name, size_t len)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (strlen(options[i].name) == len && !strncmp(options[i].name, name, len)) return &options[i];
    return NULL;
}

static const cli_option *find_short(char c)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (options[i].short_name == c) return &options[i];
    return NULL;
}

static lc_status set_value(const cli_command *cmd, const cli_option *o, const char *value,
                           cli_config *cfg)
{
    char *base = (char *)cfg + o->offset;
    switch (o->kind) {
    case ARG_FLAG: *(int *)base = 1; return LC_OK;
    case ARG_STRING: *(const char **)base = value; return LC_OK;
    case ARG_INT: {
        char *end;
        errno = 0;
        long v = strtol(value, &end, 10);
        if (errno || *end || end == value || v < INT_MIN || v > INT_MAX) {
            cli_err("landcons %s: --%s expects an integer, not \"%s\"", cmd->name, o->name, value);
            return LC_EINPUT;
        }
        *(int *)base = (int)v;
        return LC_OK;
    }
    case ARG_DOUBLE: {
        char *end;
        errno = 0;
        double v = strtod(value, &end);
        if (errno || *end || end == value || !isfinite(v)) {
            cli_err("landcons %s: --%s expects a number, not \"%s\"", cmd->name, o->name, value);
            return LC_EINPUT;
        }
        *(double *)base = v;
        return LC_OK;
    }
    case ARG_LIST: {
        int *count = (int *)((char *)cfg + o->count_offset);
        if (*count >= o->capacity) {
            cli_err("landcons %s: at most %d --%s options", cmd->name, o->capacity, o->name);
            return LC_EINPUT;
        }
        ((const char **)base)[(*count)++] = value;
        return LC_OK;
    }
    case ARG_ELLIPSOIDAL:
        if (!strcmp(value, "geodesic")) *(lc_ellipsoidal_method *)base = LC_ELLIPSOIDAL_GEODESIC;
        else if (!strcmp(value, "tdt")) *(lc_ellipsoidal_method *)base = LC_ELLIPSOIDAL_TDT;
        else {
            cli_err("landcons %s: --%s expects geodesic or tdt, not \"%s\"", cmd->name, o->name, value);
            return LC_EINPUT;
        }
        return LC_OK;
    case ARG_PAPER:
        if (!strcasecmp(value, "A4")) *(lc_paper *)base = LC_PAPER_A4;
        else if (!strcasecmp(value, "A3")) *(lc_paper *)base = LC_PAPER_A3;
        else {
            cli_err("landcons %s: --%s expects A4 or A3, not \"%s\"", cmd->name, o->name, value);
            return LC_EINPUT;
        }
        cfg->paper_given = 1;
        return LC_OK;
    }
    return LC_EINPUT;
}

/* "analyze, progress, plan": the commands that take option o. */
static void commands_taking(const cli_option *o, char *buf, size_t cap)
{
    size_t n, len = 0;
    const cli_command *c = cli_commands(&n);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if ((o->group & c[i].option_set) && len < cap)
            len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", c[i].name);
}

lc_status cli_parse(const cli_command *cmd, int argc, char **argv, cli_config *cfg)
{
    int positional = 0, only_positional = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const cli_option *o = NULL;
        const char *inline_value = NULL;
        if (!only_positional && !strcmp(a, "--")) {
            only_positional = 1;
            continue;
        }
        if (!only_positional && a[0] == '-' && a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            o = find_long(a + 2, len);
            if (eq) inline_value = eq + 1;
        } else if (!only_positional && a[0] == '-' && a[1] && !a[2]) {
            o = find_short(a[1]);
        } else {
            if (positional++ == 0) cfg->parcels = a;
            else {
                cli_err("landcons %s: unexpected argument \"%s\" (see landcons %s --help)",
                        cmd->name, a, cmd->name);
                return LC_EINPUT;
            }
            continue;
        }
        if (!o) {
            cli_err("landcons %s: unknown option %s (see landcons %s --help)", cmd->name, a, cmd->name);
            return LC_EINPUT;
        }
        if (!(o->group & (cmd->option_set | OPT_COMMON))) {
            char others[128], typed[72];
            commands_taking(o, others, sizeof others);
            if (a[1] == '-') snprintf(typed, sizeof typed, "--%s", o->name);
            else snprintf(typed, sizeof typed, "-%c", o->short_name);
            cli_err("landcons %s: %s is not an option of %s, which would ignore it (it is one of %s; "
                    "see landcons %s --help)", cmd->name, typed, cmd->name, others, cmd->name);
            return LC_EINPUT;
        }
        const char *value = inline_value;
        if (o->kind != ARG_FLAG && !value) {
            if (i + 1 >= argc) {
                cli_err("landcons %s: --%s needs a value (%s)", cmd->name, o->name, o->meta);
                return LC_EINPUT;
            }
            value = argv[++i];
        }
        if (o->kind == ARG_FLAG && inline_value) {
            cli_err("landcons %s: --%s takes no value", cmd->name, o->name);
            return LC_EINPUT;
        }
        if (set_value(cmd, o, value, cfg) != LC_OK) return LC_EINPUT;
        /* a target is reported only when one was asked for */
        if (!strcmp(o->name, "target-mu")) cfg->analyze.target_set = 1;
    }
    if (cfg->lang && strcmp(cfg->lang, "zh") && strcmp(cfg->lang, "en")) {
        cli_err("landcons %s: --lang expects zh or en, not \"%s\"", cmd->name, cfg->lang);
        return LC_EINPUT;
    }
    if (cfg->help) return LC_OK;
    if (!cfg->parcels) {
        cli_err("landcons %s: PARCELS is missing\nusage: %s", cmd->name, _(cmd->synopsis));
        return LC_EINPUT;
    }
    return LC_OK;
}

#define HELP_COLUMN 31   /* where an option's help starts: 2 + 28 + 1 */
#define HELP_WIDTH 80    /* where it wraps */

void cli_print_help(FILE *out, const cli_command *cmd)
{
    fprintf(out, _("usage: %s\n\n%s\n\noptions:\n"), _(cmd->synopsis), _(cmd->summary));
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const cli_option *o = &options[i];
        if (!(o->group & (cmd->option_set | OPT_COMMON))) continue;
        char left[64];
        if (o->short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name, o->meta ? " " : "",
                     o->meta ? o->meta : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->name, o->meta ? " " : "", o->meta ? o->meta : "");
        /* a long option and its value take the line: the help starts under it */
        if (strlen(left) > HELP_COLUMN - 3) fprintf(out, "  %s\n%*s", left, HELP_COLUMN, "");
        else fprintf(out, "  %-28s ", left);
        cli_wrap(out, _(o->help), HELP_COLUMN, HELP_WIDTH);
        fputc('\n', out);
    }
}

/* Characters a POSIX shell takes literally in a word; UTF-8 bytes too, so
** Chinese file names stay readable. */
static int shell_plain(const char *s)
{
    if (!*s) return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (!(*p >= 0x80 || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              strchr("_./=:,+-@%", *p)))
            return 0;
    return 1;
}

char *cli_command_line(const cli_config *cfg)
{
    size_t cap = 16;
    for (int i = 0; i < cfg->argc; i++) cap += 4 * strlen(cfg->argv[i]) + 3;
    char *out = malloc(cap), *o = out;
    if (!out) return NULL;
    o += sprintf(o, "landcons");
    for (int i = 1; i < cfg->argc; i++) {
        const char *a = cfg->argv[i];
        *o++ = ' ';
        if (shell_plain(a)) {
            o += sprintf(o, "%s", a);
            continue;
        }
        *o++ = '\'';
        for (; *a; a++) {
            if (*a == '\'') o += sprintf(o, "'\\''");
            else *o++ = *a;
        }
        *o++ = '\'';
    }
    *o = '\0';
    return out;
}
