/*
** landcons: git-style commands over the landcons library. main parses the
** command, runs it and maps its status to the exit code (0 ok, 1 a check
** failed, 2 bad usage or input); a failed write to stdout is an error too.
*/
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "term.h"

static volatile int g_interrupted;      /* raised by any terminating signal */
static volatile sig_atomic_t g_signal;  /* the first such signal */

static void on_signal(int sig)
{
    if (!g_signal) g_signal = sig;
    g_interrupted = 1;
}

/* Every signal whose default action ends the process without a core dump,
** and SIGQUIT: each stops the run as SIGINT does (no output left, exit
** 128 + n). SIGPIPE is ignored instead: it only comes from writing to a
** closed pipe on stdout or stderr, which the write's own error reports.
** The faults (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGSYS, SIGTRAP)
** are left alone: they are crashes, for the sanitizers and a core file. */
static const struct { int sig; const char *name; } terminating[] = {
    {SIGHUP, "SIGHUP"}, {SIGINT, "SIGINT"}, {SIGQUIT, "SIGQUIT"}, {SIGTERM, "SIGTERM"},
    {SIGUSR1, "SIGUSR1"}, {SIGUSR2, "SIGUSR2"}, {SIGALRM, "SIGALRM"}, {SIGVTALRM, "SIGVTALRM"},
    {SIGPROF, "SIGPROF"}, {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"}, {SIGPOLL, "SIGPOLL"},
#ifdef SIGPWR
    {SIGPWR, "SIGPWR"},
#endif
#ifdef SIGSTKFLT
    {SIGSTKFLT, "SIGSTKFLT"},
#endif
};

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigfillset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof terminating / sizeof terminating[0]; i++)
        sigaction(terminating[i].sig, &sa, NULL);
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++) sigaction(sig, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static void signal_name(int sig, char *buf, size_t cap)
{
    for (size_t i = 0; i < sizeof terminating / sizeof terminating[0]; i++)
        if (terminating[i].sig == sig) {
            snprintf(buf, cap, "%s", terminating[i].name);
            return;
        }
    snprintf(buf, cap, "SIGRTMIN+%d", sig - SIGRTMIN);
}

void cli_err(const char *fmt, ...)
{
    cli_progress_clear();
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, _(fmt), ap);
    va_end(ap);
    fputc('\n', stderr);
}

static const cli_command commands[] = {
    {"info", N_("landcons info PARCELS [--json] [options]"),
     N_("Describe a parcel layer: driver, layer, feature count, CRS (and whether it was\n"
        "inferred), text encoding, extent, total planar and ellipsoidal area in m² and\n"
        "mu, and counts of invalid, empty, non-areal and multipart geometries."),
     OPT_READ, cmd_info},
    {"check", N_("landcons check PARCELS [--register REG] [-o qa.sqlite] [--all] [--json] [options]"),
     N_("Quality checks: invalid (with GEOS's reason and place), empty, non-areal,\n"
        "multipart, tiny or huge geometries, parcels far from the rest, overlapping\n"
        "parcel pairs (area counted twice), duplicate, missing or malformed keys,\n"
        "SCMJM/SCMJ off the measured area; with --register, the register's checks.\n"
        "Prints the count of each kind of finding and the first few of each kind,\n"
        "errors first (--all: every finding). Exit 1 when any error-severity finding\n"
        "exists."),
     OPT_READ | OPT_ANALYZE | OPT_QA | OPT_OUTPUT | OPT_LISTS | OPT_ALL, cmd_check},
    {"analyze", N_("landcons analyze PARCELS --register REG -o OUT.sqlite [--as-of D] [--gap M] "
                   "[--target-mu N] [--json] [options]"),
     N_("The main job: status of every parcel as of a date, contiguous blocks of\n"
        "transferred parcels with their footprints, hold-out enclaves, QA, written to a\n"
        "SpatiaLite database that opens styled in QGIS."),
     OPT_READ | OPT_ANALYZE | OPT_GAP | OPT_TARGET | OPT_QA | OPT_OUTPUT | OPT_REPORT | OPT_SITES |
         OPT_LISTS | OPT_QGIS, cmd_analyze},
    {"verify", N_("landcons verify PARCELS --register REG --site SITE... [--as-of D] [--json] [options]"),
     N_("The sign-off before groundbreaking: for each project site, READY or NOT READY,\n"
        "how much of it is transferred, and the parcels under it that are not\n"
        "transferred (key, village, holder, status, overlap), largest first: 20 per site\n"
        "unless --all; constraint layers under the sites as warnings. --pdf writes the\n"
        "printable sign-off (a page per site: verdict, map, figures, blocking parcels,\n"
        "signature fields). Exit 0 when every site is ready, 1 when any is not, 2 on\n"
        "bad input."),
     OPT_READ | OPT_ANALYZE | OPT_SITES | OPT_LISTS | OPT_ALL, cmd_verify},
    {"progress", N_("landcons progress PARCELS --register REG [--by township|village] [--daily] [--json] "
                    "[options]"),
     /* xgettext:no-c-format */
     N_("How far the campaign has come: the area transferred of the registered area\n"
        "and of all parcels, the largest contiguous block, and the date it first\n"
        "reached --target-mu; with --by, one row per township or village (its latest\n"
        "figures and the days it reached 50, 80 and 100 % of its registered area);\n"
        "--daily adds the day-by-day series (signed, cumulated, largest block)."),
     OPT_READ | OPT_ANALYZE | OPT_GAP | OPT_TARGET | OPT_PROGRESS, cmd_progress},
    {"plan", N_("landcons plan PARCELS --register REG [--as-of D] [--gap M] [--target-mu N] [--top K] "
                "[--cost households|mu] [--json] [options]"),
     N_("Which households to talk to next: for every untransferred parcel, the largest\n"
        "block's parcel area were it transferred too (bridge parcels, by gain), and,\n"
        "with --target-mu, a greedy route of parcels that grows one block to the\n"
        "target, choosing at each step the most contiguous mu gained per household.\n"
        "Refused and disputed parcels enter the route only when nothing else grows\n"
        "the block (--exclude-refused: never)."),
     OPT_READ | OPT_ANALYZE | OPT_GAP | OPT_TARGET | OPT_PLAN, cmd_plan},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

const cli_command *cli_commands(size_t *n)
{
    *n = N_COMMANDS;
    return commands;
}

static void usage(FILE *out)
{
    fprintf(out, _("landcons %s — contiguous land-transfer analysis for land bureaus\n\n"
                   "usage: landcons COMMAND [options]\n\ncommands:\n"), lc_version());
    for (size_t i = 0; i < N_COMMANDS; i++) fprintf(out, "  %s\n", _(commands[i].synopsis));
    fprintf(out, "\n%s\n", _("landcons COMMAND --help describes each command; landcons --version."));
}

int main(int argc, char **argv)
{
    /* First of all: before main only the dynamic loader runs (~0.1 s mapping
    ** some 140 libraries), and a signal then ends the process by its default
    ** action, which the shell reports as the same 128 + n, nothing opened. */
    catch_signals();
    cli_i18n_init(argc, argv);
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("landcons %s\n", lc_version());
        return ferror(stdout) || fflush(stdout) ? 2 : 0;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    const cli_command *cmd = NULL;
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (!strcmp(argv[1], commands[i].name)) cmd = &commands[i];
    if (!cmd) {
        cli_err("landcons: unknown command \"%s\" (see landcons --help)", argv[1]);
        return 2;
    }
    cli_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.command = cmd->name;
    cfg.argc = argc;
    cfg.argv = argv;
    lc_read_opts_init(&cfg.read);
    lc_analyze_opts_init(&cfg.analyze);
    if (cli_parse(cmd, argc - 2, argv + 2, &cfg) != LC_OK) return 2;
    if (cfg.help) {
        cli_print_help(stdout, cmd);
        return 0;
    }

    lc_ctx *ctx = lc_ctx_new();
    if (!ctx) {
        cli_err("landcons: cannot initialise GEOS/PROJ");
        return 2;
    }
    lc_ctx_set_cancel_flag(ctx, &g_interrupted);
    lc_ctx_set_verbose(ctx, cfg.verbose);
    if (cfg.threads < 0) {
        cli_err("landcons %s: --threads must be 0 (one per CPU) or more", cmd->name);
        lc_ctx_free(ctx);
        return 2;
    }
    lc_ctx_set_threads(ctx, cfg.threads);
    if (!cfg.quiet && isatty(STDERR_FILENO)) lc_ctx_set_progress(ctx, cli_progress, NULL);
    lc_status rc = cmd->run(ctx, &cfg);
    cli_progress_clear();
    int code;
    /* a signal that came after the work was done (outputs in place) is too late to undo it */
    if (g_signal && rc != LC_OK && rc != LC_FAILED) rc = LC_EINTERRUPTED;
    switch (rc) {
    case LC_OK: code = 0; break;
    case LC_FAILED: code = 1; break;
    case LC_EINTERRUPTED: {
        char name[32];
        signal_name(g_signal ? g_signal : SIGINT, name, sizeof name);
        cli_err("landcons %s: interrupted (%s); no output written", cmd->name, name);
        code = 128 + (g_signal ? g_signal : SIGINT);
        break;
    }
    default:
        cli_err("landcons %s: %s", cmd->name, lc_ctx_errmsg(ctx)[0] ? lc_ctx_errmsg(ctx) : _("failed"));
        code = 2;
        break;
    }
    lc_ctx_free(ctx);
    if (fflush(stdout) || ferror(stdout)) {
        cli_err("landcons %s: error writing to standard output", cmd->name);
        code = 2;
    }
    return code;
}
