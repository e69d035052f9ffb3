/*
** The landcons command line: options are parsed into a cli_config before
** any work (options.c), each command runs from it (cmd_*.c), and main maps
** the resulting lc_status to an exit code.
*/
#ifndef LC_CLI_H
#define LC_CLI_H

#include <stdio.h>

#include "i18n.h"
#include "json_out.h"
#include "landcons.h"
#include "term.h"

typedef struct cli_config {
    const char *command;
    const char *parcels;        /* the positional PARCELS argument */
    lc_read_opts read;
    lc_analyze_opts analyze;
    const char *output;         /* -o */
    const char *by;             /* progress --by township|village */
    const char *report;         /* analyze --report OUT.html */
    const char *xlsx;           /* --xlsx LISTS.xlsx: the cadres' lists as a workbook */
    const char *csv_dir;        /* --csv DIR: the same lists as CSV files */
    const char *qgis;           /* analyze --qgis PROJECT.qgz */
    const char *pdf;            /* analyze, verify --pdf SIGNOFF.pdf */
    lc_paper paper;             /* --paper A4|A3 */
    int paper_given;
    int all;                    /* check, verify --all: every finding / blocking parcel */
    int argc;                   /* the command line as typed, for the sign-off's sources */
    char **argv;
    const char *top;            /* plan --top K (0: all) */
    const char *cost;           /* plan --cost households|mu */
    int exclude_refused;        /* plan --exclude-refused */
    int overwrite;
    int json;
    int quiet;
    int verbose;
    int threads;
    int help;
    const char *lang;           /* --lang zh|en (applied before parsing: i18n.c) */
    int daily;                  /* progress --daily: the day-by-day series */
} cli_config;

typedef struct cli_command {
    const char *name;
    const char *synopsis;
    const char *summary;
    unsigned option_set;        /* bit mask of option groups it accepts */
    lc_status (*run)(lc_ctx *ctx, const cli_config *cfg);
} cli_command;

/* Option groups: each command accepts exactly the options it uses, and an
** option of another command is refused by name. */
enum {
    OPT_COMMON = 1u << 0,       /* every command: --help, --json, --lang, -q, -v, -j */
    OPT_READ = 1u << 1,         /* reading the parcel layer */
    OPT_ANALYZE = 1u << 2,      /* the register, the units, --as-of */
    OPT_OUTPUT = 1u << 3,       /* -o, --overwrite (check, analyze) */
    OPT_SITES = 1u << 4,        /* project sites, constraints, the sign-off PDF */
    OPT_PROGRESS = 1u << 5,     /* progress --by, --daily */
    OPT_LISTS = 1u << 6,        /* the cadres' lists: --xlsx, --csv */
    OPT_QGIS = 1u << 7,         /* analyze --qgis */
    OPT_ALL = 1u << 8,          /* check, verify --all */
    OPT_PLAN = 1u << 9,         /* plan --top, --cost, --exclude-refused */
    OPT_GAP = 1u << 10,         /* --gap: the commands that form blocks */
    OPT_TARGET = 1u << 11,      /* --target-mu: the commands that report a target */
    OPT_QA = 1u << 12,          /* --area-tolerance: the commands that report QA findings */
    OPT_REPORT = 1u << 13       /* analyze --report */
};
/* The commands, for messages about options of another command. */
const cli_command *cli_commands(size_t *n);

/* Every output of a command (outputs.c): reserved before any work, written
** during the run, committed all or none. */
typedef struct cli_outputs {
    lc_outputs *set;
    lc_run_outputs run;          /* the reserved files, as lc_run takes them */
    char *command_line;          /* for the sign-off PDF; owned */
    char made_dir[4096];         /* the --csv folder made for this run, "" none */
} cli_outputs;
lc_status cli_outputs_open(lc_ctx *ctx, const cli_config *cfg, unsigned lists, cli_outputs *o);
/* The parcels read (*p) while the register is read alongside
** (lc_run_begin), the CRS warning, then lc_run with the command's outputs
** (o NULL: none) and their commit (all or none). */
lc_status cli_read_and_run(lc_ctx *ctx, const cli_config *cfg, const lc_read_opts *ro, const lc_analyze_opts *ao,
                           cli_outputs *o, lc_parcels **p, lc_analysis **a);
void cli_outputs_close(cli_outputs *o);

/* Parses argv after the command name; LC_EINPUT with a message on stderr. */
lc_status cli_parse(const cli_command *cmd, int argc, char **argv, cli_config *cfg);
void cli_print_help(FILE *out, const cli_command *cmd);
/* The command line of cfg as a shell would take it back ("landcons verify
** DK.shp --site 'a b.shp' ..."); malloc'd, NULL on OOM. */
char *cli_command_line(const cli_config *cfg);

/* Messages: all diagnostics go through here, to stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A set of outputs protecting every input of the command (cli_util.c). */
lc_status cli_outputs_begin(lc_ctx *ctx, const cli_config *cfg, lc_outputs **out);
/* Warns on stderr when --work-srs distorts areas over the layer. */
void cli_crs_warning(const cli_config *cfg, const lc_parcels *p);
/* The members of the "crs" object of the JSON summaries. */
void cli_json_crs(json_out *j, const lc_layer_info *in);
/* The transferred area as a share of the registered area (parcels with a
** register row) and of all parcels, both named: the "Transferred:" line,
** and the "transferred" object of the JSON summaries. */
void cli_print_transferred(const lc_analysis_summary *s);
void cli_json_transferred(json_out *j, const lc_analysis_summary *s);

lc_status cmd_info(lc_ctx *ctx, const cli_config *cfg);
lc_status cmd_analyze(lc_ctx *ctx, const cli_config *cfg);
lc_status cmd_verify(lc_ctx *ctx, const cli_config *cfg);
lc_status cmd_check(lc_ctx *ctx, const cli_config *cfg);
lc_status cmd_progress(lc_ctx *ctx, const cli_config *cfg);
lc_status cmd_plan(lc_ctx *ctx, const cli_config *cfg);

#endif
