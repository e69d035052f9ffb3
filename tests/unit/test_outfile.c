/* Outputs written all or none (src/outfile.c): reservation refusals, the
** commit of several outputs, and the rollback when one cannot be placed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lc_test.h"
#include "outfile.h"

static char dir[256];

static const char *at(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

/* The file's text ("" when missing, "<folder>" for a folder). */
static const char *get(const char *path)
{
    static char buf[256];
    struct stat st;
    if (stat(path, &st) != 0) return "";
    if (S_ISDIR(st.st_mode)) return "<folder>";
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = '\0';
    return buf;
}

/* Files in the folder, for "nothing left behind" checks. */
static int count_files(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls -A %s | wc -l", dir);
    FILE *p = popen(cmd, "r");
    int n = 0;
    if (p) {
        if (fscanf(p, "%d", &n) != 1) n = -1;
        pclose(p);
    }
    return n;
}

static void clean(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s/* %s/.[!.]*", dir, dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot clean %s\n", dir);
}

/* Reserves db and report outputs, fills their temporary files. */
static lc_status reserve_two(lc_ctx *ctx, lc_outputs **o, int overwrite)
{
    lc_outfile *a = NULL, *b = NULL;
    lc_status rc = lc_outputs_new(ctx, o);
    if (rc == LC_OK) rc = lc_outputs_reserve(ctx, *o, at("out.sqlite"), "-o", LC_OUTPUT_DATABASE, overwrite, &a);
    if (rc == LC_OK) rc = lc_outputs_reserve(ctx, *o, at("out.html"), "--report", LC_OUTPUT_REPORT, overwrite, &b);
    if (rc == LC_OK) {
        put(lc_outfile_temp(a), "new db");
        put(lc_outfile_temp(b), "new report");
    }
    return rc;
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/lc_test_outfile_XXXXXX");
    if (!mkdtemp(dir)) return 1;
    lc_ctx *ctx = lc_ctx_new();
    lc_outputs *o = NULL;
    lc_outfile *f = NULL;

    /* 1. both new: committed together, nothing else left */
    CHECK(reserve_two(ctx, &o, 0) == LC_OK, "reserve: %s", lc_ctx_errmsg(ctx));
    CHECK(count_files() == 2, "two temporary files while running, got %d", count_files());
    CHECK(lc_outputs_commit(ctx, o) == LC_OK, "commit: %s", lc_ctx_errmsg(ctx));
    lc_outputs_free(o);
    CHECK(!strcmp(get(at("out.sqlite")), "new db") && !strcmp(get(at("out.html")), "new report"),
          "both in place");
    CHECK(count_files() == 2, "nothing else left, got %d files", count_files());

    /* 2. overwrite, the second cannot be placed (a folder took its name):
    ** the first is put back as it was, nothing is left */
    put(at("out.sqlite"), "old db");
    put(at("out.html"), "old report");
    CHECK(reserve_two(ctx, &o, 1) == LC_OK, "reserve over old: %s", lc_ctx_errmsg(ctx));
    unlink(at("out.html"));
    mkdir(at("out.html"), 0755);
    CHECK(lc_outputs_commit(ctx, o) != LC_OK, "commit fails when the report cannot be placed");
    lc_outputs_free(o);
    CHECK(!strcmp(get(at("out.sqlite")), "old db"), "the old database is back: \"%s\"", get(at("out.sqlite")));
    CHECK(!strcmp(get(at("out.html")), "<folder>"), "the folder is untouched");
    CHECK(count_files() == 2, "no temporary or backup file left, got %d files", count_files());
    clean();

    /* 3. a new output someone else created meanwhile is not replaced */
    CHECK(reserve_two(ctx, &o, 0) == LC_OK, "reserve new: %s", lc_ctx_errmsg(ctx));
    put(at("out.html"), "another run's report");
    CHECK(lc_outputs_commit(ctx, o) != LC_OK, "commit refuses to replace a file made meanwhile");
    CHECK(strstr(lc_ctx_errmsg(ctx), "created by another program") != NULL, "message: %s", lc_ctx_errmsg(ctx));
    lc_outputs_free(o);
    CHECK(!strcmp(get(at("out.html")), "another run's report"), "the other run's file kept");
    CHECK(!strcmp(get(at("out.sqlite")), ""), "the database placed first was taken back");
    CHECK(count_files() == 1, "nothing else left, got %d files", count_files());
    clean();

    /* 4. stale SQLite side files go with the target they belong to */
    put(at("out.sqlite"), "old db");
    put(at("out.sqlite-journal"), "stale journal");
    put(at("out.sqlite-wal"), "stale wal");
    CHECK(reserve_two(ctx, &o, 1) == LC_OK, "reserve: %s", lc_ctx_errmsg(ctx));
    CHECK(lc_outputs_commit(ctx, o) == LC_OK, "commit: %s", lc_ctx_errmsg(ctx));
    lc_outputs_free(o);
    CHECK(!strcmp(get(at("out.sqlite")), "new db"), "new database in place");
    CHECK(!strcmp(get(at("out.sqlite-journal")), "") && !strcmp(get(at("out.sqlite-wal")), ""),
          "stale journal and WAL gone");
    CHECK(count_files() == 2, "nothing else left, got %d files", count_files());
    /* ...and come back when the commit fails */
    put(at("out.sqlite-journal"), "stale journal");
    CHECK(reserve_two(ctx, &o, 1) == LC_OK, "reserve: %s", lc_ctx_errmsg(ctx));
    unlink(at("out.html"));
    mkdir(at("out.html"), 0755);
    CHECK(lc_outputs_commit(ctx, o) != LC_OK, "commit fails");
    lc_outputs_free(o);
    CHECK(!strcmp(get(at("out.sqlite")), "new db") && !strcmp(get(at("out.sqlite-journal")), "stale journal"),
          "database and its journal as they were");
    CHECK(count_files() == 3, "nothing else left, got %d files", count_files());
    clean();

    /* 5. a failed run (no commit) removes its temporary files only */
    put(at("out.sqlite"), "old db");
    CHECK(reserve_two(ctx, &o, 1) == LC_OK, "reserve: %s", lc_ctx_errmsg(ctx));
    lc_outputs_free(o);
    CHECK(!strcmp(get(at("out.sqlite")), "old db") && count_files() == 1, "old output kept, temps removed");
    clean();

    /* 6. refusals before any work */
    put(at("reg.csv"), "register");
    symlink("reg.csv", at("link.sqlite"));
    static const struct { const char *path; int overwrite; const char *msg; } refused[] = {
        {"", 1, "needs a file name"},
        {"reg.csv", 1, "would overwrite the input"},
        {"link.sqlite", 1, "would overwrite the input"},
        {"nope/out.sqlite", 0, "does not exist"},
        {".", 1, "is a folder"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        CHECK(lc_outputs_new(ctx, &o) == LC_OK, "new");
        lc_outputs_add_input(ctx, o, at("reg.csv"), 0);
        const char *path = refused[i].path[0] ? at(refused[i].path) : "";
        CHECK(lc_outputs_reserve(ctx, o, path, "-o", LC_OUTPUT_DATABASE, refused[i].overwrite, &f) == LC_EINPUT,
              "%s refused", path);
        CHECK(strstr(lc_ctx_errmsg(ctx), refused[i].msg) != NULL, "%s: message \"%s\" lacks \"%s\"", path,
              lc_ctx_errmsg(ctx), refused[i].msg);
        lc_outputs_free(o);
    }
    CHECK(count_files() == 2, "refusals leave nothing, got %d files", count_files());

    lc_ctx_free(ctx);
    clean();
    rmdir(dir);
    return lc_test_report("test_outfile");
}
