/* --pdf and --paper of analyze and verify: checked before any work, the
** sign-off written from the finished analysis. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

lc_status cli_check_signoff(lc_ctx *ctx, const cli_config *cfg)
{
    if (!cfg->pdf) return cfg->paper_given ? lc_error_usage(ctx, "--paper needs --pdf SIGNOFF.pdf") : LC_OK;
    if (cfg->analyze.n_sites == 0) return lc_error_usage(ctx, "--pdf needs at least one project site (--site FILE)");
    if ((cfg->output && !strcmp(cfg->pdf, cfg->output)) || (cfg->report && !strcmp(cfg->pdf, cfg->report)))
        return lc_error_usage(ctx, "--pdf names the same file as another output");
    const char *inputs[3 + 2 * LC_MAX_LAYERS];
    size_t n = 0;
    inputs[n++] = cfg->parcels;
    inputs[n++] = cfg->analyze.register_path;
    inputs[n++] = cfg->analyze.unit_names_path;
    for (int i = 0; i < cfg->analyze.n_sites; i++) inputs[n++] = cfg->analyze.sites[i];
    for (int i = 0; i < cfg->analyze.n_constraints; i++) inputs[n++] = cfg->analyze.constraints[i];
    return lc_output_check(ctx, cfg->pdf, cfg->overwrite, inputs, n);
}

lc_status cli_write_signoff(lc_ctx *ctx, const cli_config *cfg, const lc_analysis *a)
{
    if (!cfg->pdf) return LC_OK;
    lc_signoff_opts o;
    memset(&o, 0, sizeof o);
    o.paper = cfg->paper;
    o.overwrite = cfg->overwrite;
    char *cmdline = cli_command_line(cfg);
    if (!cmdline) return lc_error_usage(ctx, "out of memory");
    o.command_line = cmdline;
    lc_status rc = lc_signoff_write(ctx, a, cfg->pdf, &o);
    free(cmdline);
    return rc;
}
