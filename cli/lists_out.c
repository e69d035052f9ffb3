/* The lists for village cadres (--xlsx, --csv) as analyze, verify and check
** take them. */
#include <string.h>

#include "cli.h"

lc_status cli_lists_check(lc_ctx *ctx, const cli_config *cfg, unsigned lists, const char *const *inputs,
                          size_t n_inputs)
{
    const char *others[] = {cfg->output, cfg->report};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        if (!others[i]) continue;
        if (cfg->xlsx && !strcmp(cfg->xlsx, others[i]))
            return lc_error_usage(ctx, "--xlsx names the same file as another output");
        if (cfg->csv_dir && !strcmp(cfg->csv_dir, others[i]))
            return lc_error_usage(ctx, "--csv names the same path as another output");
    }
    return lc_lists_check(ctx, cfg->xlsx, cfg->csv_dir, lists, cfg->overwrite, inputs, n_inputs);
}
