/*
** Every output a command writes, reserved before any work and committed
** together (outfile.c): the database (-o), the report, the cadres' lists
** (--xlsx, one CSV per table in --csv DIR), the QGIS project and the
** sign-off PDF. A CSV folder that does not exist is made at reservation
** and removed again when the run fails.
*/
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static lc_status outputs_fail(lc_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static lc_status outputs_fail(lc_ctx *ctx, const char *fmt, ...)
{
    char msg[PATH_MAX + 256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, _(fmt), ap);
    va_end(ap);
    return lc_error_usage(ctx, msg);
}

static lc_status reserve_csv(lc_ctx *ctx, const cli_config *cfg, unsigned lists, cli_outputs *o)
{
    const char *dir = cfg->csv_dir;
    if (!*dir) return lc_error_usage(ctx, "--csv needs a folder name");
    char bare[PATH_MAX];
    int n = snprintf(bare, sizeof bare, "%s", dir);
    if (n < 0 || (size_t)n >= sizeof bare) return outputs_fail(ctx, "%s: folder name too long", dir);
    while (n > 1 && bare[n - 1] == '/') bare[--n] = '\0';   /* "out/lists/" names out/lists */
    struct stat st;
    if (stat(bare, &st) != 0) {
        if (mkdir(bare, 0777) != 0)
            return outputs_fail(ctx, "%s: cannot create the folder (%s)", dir, strerror(errno));
        snprintf(o->made_dir, sizeof o->made_dir, "%s", bare);
    } else if (!S_ISDIR(st.st_mode)) {
        return outputs_fail(ctx, "%s: not a folder (--csv names the folder that receives the CSV "
                        "files)", dir);
    }
    lc_status rc = LC_OK;
    for (int k = 0; k < LC_LIST_TABLES && rc == LC_OK; k++) {
        if (!(lists & (1u << k))) continue;
        char path[PATH_MAX];
        n = snprintf(path, sizeof path, "%s/%s.csv", bare, lc_lists_table_name(1u << k));
        if (n < 0 || (size_t)n >= sizeof path) return outputs_fail(ctx, "%s: folder name too long", dir);
        rc = lc_outputs_reserve(ctx, o->set, path, "--csv", LC_OUTPUT_REPORT, cfg->overwrite, &o->run.csv[k]);
    }
    return rc;
}

lc_status cli_outputs_open(lc_ctx *ctx, const cli_config *cfg, unsigned lists, cli_outputs *o)
{
    memset(o, 0, sizeof *o);
    lc_run_outputs *r = &o->run;
    r->lists = lists;
    if (cfg->qgis && !cfg->output) return lc_error_usage(ctx, "the output database is missing (-o OUT.sqlite)");
    if (cfg->qgis && !lc_qgis_path_ok(cfg->qgis))
        return lc_error_usage(ctx, "--qgis: the project must be a .qgz file (or .qgs for the plain XML)");
    if (cfg->xlsx && !*cfg->xlsx) return lc_error_usage(ctx, "--xlsx needs a file name");
    if (!cfg->pdf && cfg->paper_given) return lc_error_usage(ctx, "--paper needs --pdf SIGNOFF.pdf");
    if (cfg->pdf && cfg->analyze.n_sites == 0)
        return lc_error_usage(ctx, "--pdf needs at least one project site (--site FILE)");
    lc_status rc = cli_outputs_begin(ctx, cfg, &o->set);
    if (rc == LC_OK && cfg->output)
        rc = lc_outputs_reserve(ctx, o->set, cfg->output, "-o", LC_OUTPUT_DATABASE, cfg->overwrite, &r->database);
    if (rc == LC_OK && cfg->report)
        rc = lc_outputs_reserve(ctx, o->set, cfg->report, "--report", LC_OUTPUT_REPORT, cfg->overwrite,
                                &r->report);
    if (rc == LC_OK && cfg->xlsx)
        rc = lc_outputs_reserve(ctx, o->set, cfg->xlsx, "--xlsx", LC_OUTPUT_REPORT, cfg->overwrite, &r->xlsx);
    if (rc == LC_OK && cfg->csv_dir) rc = reserve_csv(ctx, cfg, lists, o);
    if (rc == LC_OK && cfg->qgis)
        rc = lc_outputs_reserve(ctx, o->set, cfg->qgis, "--qgis", LC_OUTPUT_REPORT, cfg->overwrite, &r->qgis);
    if (rc == LC_OK && cfg->pdf)
        rc = lc_outputs_reserve(ctx, o->set, cfg->pdf, "--pdf", LC_OUTPUT_REPORT, cfg->overwrite, &r->pdf);
    /* after the reservations, whose messages (an input overwritten, two
    ** outputs on one file) say more than the extension's */
    if (rc == LC_OK && cfg->output && lc_database_format(cfg->output) == LC_DB_UNKNOWN)
        return outputs_fail(ctx, "-o %s: the output database must be a .sqlite (SpatiaLite) or a .gpkg (GeoPackage) "
                    "file; the extension chooses the format", cfg->output);
    if (rc == LC_OK && cfg->qgis) r->qgis_database = cfg->output;
    if (rc == LC_OK && cfg->pdf) {
        r->signoff.paper = cfg->paper;
        o->command_line = cli_command_line(cfg);
        if (!o->command_line) return lc_error_usage(ctx, "out of memory");
        r->signoff.command_line = o->command_line;
    }
    return rc;
}

lc_status cli_read_and_run(lc_ctx *ctx, const cli_config *cfg, const lc_read_opts *ro, const lc_analyze_opts *ao,
                           cli_outputs *o, lc_parcels **p, lc_analysis **a)
{
    lc_run_ahead *ahead = NULL;
    lc_status rc = lc_run_begin(ctx, ao, &ahead);
    if (rc == LC_OK) rc = lc_parcels_read(ctx, cfg->parcels, ro, p);
    if (rc != LC_OK) {
        lc_run_ahead_free(ahead);
        return rc;
    }
    cli_crs_warning(cfg, *p);
    rc = lc_run(ctx, *p, ao, ahead, o ? &o->run : NULL, a);
    if (!o) return rc;
    /* all outputs or none */
    if (rc == LC_OK && o->set) rc = lc_outputs_commit(ctx, o->set);
    if (rc == LC_OK) o->made_dir[0] = '\0';  /* it holds the lists now */
    return rc;
}

void cli_outputs_close(cli_outputs *o)
{
    lc_outputs_free(o->set);  /* removes every temporary file not committed */
    free(o->command_line);
    if (o->made_dir[0]) rmdir(o->made_dir);
    memset(o, 0, sizeof *o);
}
