/*
** The cadres' lists to their outputs: the workbook and the CSV folder are
** checked before any work, then built (lists_build.c), written by the sinks
** to temporary files, and renamed only once every one of them is complete.
*/
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lists.h"

/* ---- output paths -------------------------------------------------------------- */

/* A temporary file beside `path` that will become it, created exclusively
** with the rights any new file gets (0666 less the umask): the lists are
** meant to be handed on. *tmp is malloc'd. */
static lc_status temp_create(lc_ctx *ctx, const char *path, char **tmp)
{
    size_t cap = strlen(path) + 48;
    char *name = lc_malloc(ctx, cap);
    *tmp = NULL;
    if (!name) return LC_ENOMEM;
    int fd = -1;
    for (unsigned attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(name, cap, "%s.tmp-%ld-%lx", path, (long)getpid(),
                 (unsigned long)(lc_clock() * 1e9) ^ (attempt * 2654435761u));
        fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) {
        lc_status rc = lc_error(ctx, LC_EINPUT, "%s: cannot write here (%s)", path, strerror(errno));
        free(name);
        return rc;
    }
    close(fd);
    *tmp = name;
    return LC_OK;
}

static int csv_path(char *buf, size_t cap, const char *dir, const char *name)
{
    int n = snprintf(buf, cap, "%s/%s.csv", dir, name);
    return n > 0 && (size_t)n < cap;
}

/* The CSV folder and the files `names` in it, as lc_lists_check says. */
static lc_status check_csv(lc_ctx *ctx, const char *dir, const char *const *names, size_t n_names,
                           int overwrite, const char *const *inputs, size_t n_inputs)
{
    struct stat st;
    if (!*dir) return lc_error(ctx, LC_EINPUT, "--csv needs a folder name");
    if (stat(dir, &st) != 0) { /* to be created: its parent must take it */
        char bare[PATH_MAX];
        int n = snprintf(bare, sizeof bare, "%s", dir);
        if (n < 0 || (size_t)n >= sizeof bare) return lc_error(ctx, LC_EINPUT, "%s: folder name too long", dir);
        while (n > 1 && bare[n - 1] == '/') bare[--n] = '\0';   /* "out/lists/" names out/lists */
        return lc_output_check(ctx, bare, 0, inputs, n_inputs);
    }
    if (!S_ISDIR(st.st_mode))
        return lc_error(ctx, LC_EINPUT, "%s: not a folder (--csv names the folder that receives the CSV "
                        "files)", dir);
    if (access(dir, W_OK | X_OK) != 0)
        return lc_error(ctx, LC_EINPUT, "%s: cannot write here (folder not writable)", dir);
    for (size_t i = 0; i < n_names; i++) {
        char path[PATH_MAX];
        if (!csv_path(path, sizeof path, dir, names[i]))
            return lc_error(ctx, LC_EINPUT, "%s: folder name too long", dir);
        lc_status rc = lc_output_check(ctx, path, overwrite, inputs, n_inputs);
        if (rc != LC_OK) return rc;
    }
    return LC_OK;
}

lc_status lc_lists_check(lc_ctx *ctx, const char *xlsx, const char *csv_dir, unsigned lists,
                         int overwrite, const char *const *inputs, size_t n_inputs)
{
    if (xlsx) {
        if (!*xlsx) return lc_error(ctx, LC_EINPUT, "--xlsx needs a file name");
        lc_status rc = lc_output_check(ctx, xlsx, overwrite, inputs, n_inputs);
        if (rc != LC_OK) return rc;
    }
    if (!csv_dir) return LC_OK;
    const char *names[LC_LISTS_MAX];
    size_t n = 0;
    for (unsigned bit = 1; bit && n < LC_LISTS_MAX; bit <<= 1)
        if ((lists & bit) && lc_list_name(bit)) names[n++] = lc_list_name(bit);
    return check_csv(ctx, csv_dir, names, n, overwrite, inputs, n_inputs);
}

/* ---- writing -------------------------------------------------------------------- */

typedef struct target {
    char *path;                  /* where it goes (malloc'd) */
    char *tmp;                   /* written here first (malloc'd), NULL when not begun */
} target;

/* Writes every output to its temporary file; fills targets[0..*n). */
static lc_status write_temps(lc_ctx *ctx, const lc_lists *l, const char *xlsx, const char *csv_dir,
                             target *targets, size_t *n)
{
    lc_status rc = LC_OK;
    if (xlsx) {
        target *t = &targets[(*n)++];
        if (!(t->path = lc_strdup(ctx, xlsx))) return LC_ENOMEM;
        rc = temp_create(ctx, xlsx, &t->tmp);
        if (rc == LC_OK) rc = lc_lists_write_xlsx(ctx, l, t->tmp, xlsx);
    }
    for (size_t i = 0; csv_dir && i < l->n && rc == LC_OK; i++) {
        char path[PATH_MAX];
        if (!csv_path(path, sizeof path, csv_dir, l->items[i].name))
            return lc_error(ctx, LC_EINPUT, "%s: folder name too long", csv_dir);
        target *t = &targets[(*n)++];
        if (!(t->path = lc_strdup(ctx, path))) return LC_ENOMEM;
        rc = temp_create(ctx, path, &t->tmp);
        if (rc == LC_OK) rc = lc_list_write_csv(ctx, &l->items[i], t->tmp, path);
        if (rc == LC_OK && lc_cancelled(ctx)) rc = lc_error(ctx, LC_EINTERRUPTED, "interrupted");
    }
    return rc;
}

lc_status lc_lists_write(lc_ctx *ctx, const lc_analysis *a, unsigned lists, const char *xlsx,
                         const char *csv_dir, int overwrite)
{
    if (!xlsx && !csv_dir) return LC_OK;
    double t0 = lc_clock();
    lc_lists l;
    lc_status rc = lc_lists_build(ctx, a, lists, &l);
    if (rc != LC_OK) return rc;
    /* the outputs once more, as they are now (the analysis took a while) */
    const char *names[LC_LISTS_MAX];
    for (size_t i = 0; i < l.n; i++) names[i] = l.items[i].name;
    if (xlsx) rc = lc_output_check(ctx, xlsx, overwrite, l.inputs, l.n_inputs);
    if (rc == LC_OK && csv_dir) rc = check_csv(ctx, csv_dir, names, l.n, overwrite, l.inputs, l.n_inputs);
    int made_dir = 0;
    if (rc == LC_OK && csv_dir) {
        if (mkdir(csv_dir, 0777) == 0) made_dir = 1;
        else if (errno != EEXIST)
            rc = lc_error(ctx, LC_EINPUT, "%s: cannot create the folder (%s)", csv_dir, strerror(errno));
    }
    target targets[1 + LC_LISTS_MAX];
    memset(targets, 0, sizeof targets);
    size_t n = 0;
    if (rc == LC_OK) rc = write_temps(ctx, &l, xlsx, csv_dir, targets, &n);
    for (size_t i = 0; i < n; i++) {
        if (rc == LC_OK && rename(targets[i].tmp, targets[i].path) != 0)
            rc = lc_error(ctx, LC_EINPUT, "%s: cannot move the finished file into place (%s)",
                          targets[i].path, strerror(errno));
        else if (rc == LC_OK) continue;
        if (targets[i].tmp) unlink(targets[i].tmp);
    }
    for (size_t i = 0; i < n; i++) {
        free(targets[i].path);
        free(targets[i].tmp);
    }
    if (rc != LC_OK && made_dir) rmdir(csv_dir);
    lc_lists_release(&l);
    lc_log_phase(ctx, "write lists", t0);
    return rc;
}
