/*
** The landcons command line: options are parsed into a cli_config before
** any work (options.c), each command runs from it (cmd_*.c), and main maps
** the resulting lc_status to an exit code.
*/
#ifndef LC_CLI_H
#define LC_CLI_H

#include <stdio.h>

#include "json_out.h"
#include "landcons.h"

typedef struct cli_config {
    const char *command;
    const char *parcels;        /* the positional PARCELS argument */
    lc_read_opts read;
    lc_analyze_opts analyze;
    const char *output;         /* -o */
    const char *by;             /* progress --by township|village */
    const char *report;         /* analyze --report OUT.html */
    int overwrite;
    int json;
    int quiet;
    int verbose;
    int threads;
    int help;
} cli_config;

typedef struct cli_command {
    const char *name;
    const char *synopsis;
    const char *summary;
    unsigned option_set;        /* bit mask of option groups it accepts */
    lc_status (*run)(lc_ctx *ctx, const cli_config *cfg);
} cli_command;

/* Option groups */
enum {
    OPT_COMMON = 1u << 0, OPT_READ = 1u << 1, OPT_ANALYZE = 1u << 2, OPT_OUTPUT = 1u << 3,
    OPT_SITES = 1u << 4, OPT_PROGRESS = 1u << 5
};

/* Parses argv after the command name; LC_EINPUT with a message on stderr. */
lc_status cli_parse(const cli_command *cmd, int argc, char **argv, cli_config *cfg);
void cli_print_help(FILE *out, const cli_command *cmd);

/* Messages: all diagnostics go through here, to stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A set of outputs protecting every input of the command (cli_util.c). */
lc_status cli_outputs_begin(lc_ctx *ctx, const cli_config *cfg, lc_outputs **out);
/* Warns on stderr when --work-srs distorts areas over the layer. */
void cli_crs_warning(const cli_config *cfg, const lc_parcels *p);
/* The members of the "crs" object of the JSON summaries. */
void cli_json_crs(json_out *j, const lc_layer_info *in);

lc_status cmd_info(lc_ctx *ctx, const cli_config *cfg);
lc_status cmd_analyze(lc_ctx *ctx, const cli_config *cfg);
lc_status cmd_verify(lc_ctx *ctx, const cli_config *cfg);
lc_status cmd_check(lc_ctx *ctx, const cli_config *cfg);
lc_status cmd_progress(lc_ctx *ctx, const cli_config *cfg);

#endif
