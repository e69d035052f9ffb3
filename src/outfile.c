/*
** Output files written all or none: reservation (checks before any work and
** an exclusively created temporary file beside the target), commit (every
** temporary file moved into place, or what was there put back), cleanup.
**
** Files are compared by device and inode (stat follows symbolic links), so
** a link, a hard link or another spelling of an input is recognised. A
** target that does not exist yet is identified by its folder's device and
** inode and its name, so two outputs naming one new file are caught too.
**
** The commit of one output: the SQLite side files of the target
** (-journal, -wal, -shm, left by a crashed editor; a stale hot journal
** would be rolled into the new database on its next open) and the old
** target are moved aside under backup names, then the temporary file is
** renamed onto the target. A target that did not exist at reservation is
** created without replacing anything (renameat2 RENAME_NOREPLACE, else
** link): a second run that made the same new file meanwhile is not
** silently replaced. When one output cannot be placed, the outputs placed
** before are removed and every backup is renamed back.
*/
#define _GNU_SOURCE   /* renameat2 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "outfile.h"
#include "parcels.h"
#include "shp_check.h"

/* SQLite's side files of a database, in the order SQLite looks for them. */
static const char *const side_suffixes[] = {"-journal", "-wal", "-shm"};
#define N_SIDES 3

/* Free space a folder must have before any work: an empty SpatiaLite
** database with landcons's schema and styles takes 0.75 MB (SpatiaLite
** reports a full disk during its own metadata set-up only on stderr), a
** report of three parcels 20 KB. Running out later is caught and said too. */
#define LC_DATABASE_MIN_FREE (1024.0 * 1024)
#define LC_REPORT_MIN_FREE (64.0 * 1024)

/* A write error with less free space than this left in the folder is
** taken for a full disk: SQLite and stdio write in pages of 8 KiB and less,
** so a failed write leaves at most that much behind. */
#define LC_DISK_FULL_BYTES (64.0 * 1024)

typedef struct file_id {
    dev_t dev;
    ino_t ino;
    char *name;          /* NULL: an existing file; else a new file's name in folder (dev, ino) */
    char *what;          /* the input, for messages: "the input reg.csv", ... */
} file_id;

struct lc_outfile {
    char *path, *tmp, *option;
    lc_output_kind kind;
    int overwrite;
    file_id id;
    dev_t tmp_dev;
    ino_t tmp_ino;
    /* commit */
    char *backup;                  /* the old target, moved aside */
    char *side_backup[N_SIDES];    /* its side files, moved aside */
    int placed;
};

struct lc_outputs {
    file_id *inputs;
    size_t n_inputs, inputs_cap;
    lc_outfile **files;
    size_t n_files, files_cap;
    int committed;
};

const char *lc_outfile_temp(const lc_outfile *f) { return f->tmp; }
const char *lc_outfile_path(const lc_outfile *f) { return f->path; }

lc_status lc_outputs_new(lc_ctx *ctx, lc_outputs **out)
{
    *out = lc_calloc(ctx, 1, sizeof **out);
    return *out ? LC_OK : LC_ENOMEM;
}

/* The folder part of path ("." when it has none), into buf. */
static void folder_of(const char *path, char *buf, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash) snprintf(buf, cap, ".");
    else if (slash == path) snprintf(buf, cap, "/");
    else snprintf(buf, cap, "%.*s", (int)(slash - path), path);
}

static int same_id(const file_id *a, const file_id *b)
{
    if (a->dev != b->dev || a->ino != b->ino) return 0;
    if (!a->name || !b->name) return !a->name && !b->name;
    return !strcmp(a->name, b->name);
}

/* Identity of path: its own device and inode when it exists, else its
** folder's and its name. 0 when neither can be found. */
static int identify(const char *path, file_id *id)
{
    memset(id, 0, sizeof *id);
    struct stat st;
    if (stat(path, &st) == 0) {
        id->dev = st.st_dev;
        id->ino = st.st_ino;
        return 1;
    }
    char dir[PATH_MAX];
    folder_of(path, dir, sizeof dir);
    if (stat(dir, &st) != 0) return 0;
    const char *slash = strrchr(path, '/');
    id->dev = st.st_dev;
    id->ino = st.st_ino;
    id->name = strdup(slash ? slash + 1 : path);
    return id->name != NULL;
}

/* Protects `file`: an existing file by its identity; with may_be_new, also
** a name that does not exist yet (a shapefile companion: a new .cpg or .prj
** beside an input .dbf changes how it reads). */
static lc_status add_id(lc_ctx *ctx, lc_outputs *o, const char *file, int may_be_new, const char *fmt,
                        const char *a, const char *b)
{
    struct stat st;
    file_id fid;
    if (stat(file, &st) != 0 && !may_be_new) return LC_OK;   /* nothing there to overwrite */
    if (!identify(file, &fid)) return LC_OK;
    for (size_t i = 0; i < o->n_inputs; i++)
        if (same_id(&o->inputs[i], &fid)) {
            free(fid.name);
            return LC_OK;
        }
    if (lc_grow(ctx, (void **)&o->inputs, &o->inputs_cap, o->n_inputs + 1, sizeof *o->inputs)) {
        free(fid.name);
        return LC_ENOMEM;
    }
    file_id *id = &o->inputs[o->n_inputs];
    *id = fid;
    size_t cap = strlen(fmt) + strlen(a) + (b ? strlen(b) : 0) + 1;
    id->what = lc_malloc(ctx, cap);
    if (!id->what) return LC_ENOMEM;
    snprintf(id->what, cap, fmt, a, b ? b : "");
    o->n_inputs++;
    return LC_OK;
}

/* The local file behind a /vsi path (/vsizip/a/b.zip/x.shp -> a/b.zip):
** the first prefix after the /vsi handler that is a regular file; "" when
** there is none (a remote or nested source). */
static void vsi_archive(const char *path, char *out, size_t cap)
{
    out[0] = '\0';
    if (strncmp(path, "/vsi", 4) != 0) return;
    const char *rest = strchr(path + 1, '/');
    if (!rest) return;
    rest++;
    size_t n = strlen(rest);
    if (n + 1 > cap) return;
    char buf[PATH_MAX];
    if (n + 1 > sizeof buf) return;
    memcpy(buf, rest, n + 1);
    for (size_t k = 1; k <= n; k++) {
        if (k < n && buf[k] != '/') continue;
        char c = buf[k];
        buf[k] = '\0';
        struct stat st;
        int found = stat(buf, &st) == 0 && S_ISREG(st.st_mode);
        if (found) {
            snprintf(out, cap, "%s", buf);
            return;
        }
        buf[k] = c;
    }
}

/* Protects a shapefile's companions (GDAL's file list leaves out .cpg and
** the index files), those that exist and those that could be added. */
static lc_status add_companions(lc_ctx *ctx, lc_outputs *o, const char *shp, const char *fmt,
                                const char *input)
{
    static const char *const companions[] = {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn",
                                             ".sbx", ".shp.xml"};
    char c[PATH_MAX];
    lc_status rc = LC_OK;
    for (size_t k = 0; k < sizeof companions / sizeof companions[0] && rc == LC_OK; k++) {
        lc_shp_companion(shp, companions[k], c, sizeof c);
        if (c[0]) rc = add_id(ctx, o, c, 1, fmt, c, input);
    }
    return rc;
}

lc_status lc_outputs_add_input(lc_ctx *ctx, lc_outputs *o, const char *path, int is_layer)
{
    if (!path || !*path || !strncmp(path, "PG:", 3) || strstr(path, "://")) return LC_OK;
    lc_status rc = add_id(ctx, o, path, 0, lc_tr("the input %s%s"), path, NULL);
    char archive[PATH_MAX];
    vsi_archive(path, archive, sizeof archive);
    if (rc == LC_OK && archive[0])
        rc = add_id(ctx, o, archive, 0, lc_tr("%s, the archive holding the input %s"), archive, path);
    const char *shp_part = lc_tr("%s, part of the input shapefile %s"),
               *dataset_part = lc_tr("%s, part of the input dataset %s");
    int plain_shp = lc_is_shp_path(path) && !archive[0];
    if (rc == LC_OK && plain_shp) rc = add_companions(ctx, o, path, shp_part, path);
    /* a plain shapefile's companions are all its files: GDAL's listing would
    ** read its .prj and identify the CRS in PROJ's database first */
    if (rc != LC_OK || !is_layer || plain_shp) return rc;
    char **files = lc_layer_files(path);
    const char *part = lc_is_shp_path(path) ? shp_part : dataset_part;
    for (size_t i = 0; files && files[i] && rc == LC_OK; i++) {
        const char *f = files[i];
        vsi_archive(f, archive, sizeof archive);
        if (archive[0]) continue;   /* inside the archive protected above */
        rc = add_id(ctx, o, f, 0, part, f, path);
        if (rc == LC_OK && lc_is_shp_path(f)) rc = add_companions(ctx, o, f, part, path);
    }
    lc_layer_files_free(files);
    return rc;
}

/* An existing SQLite file where the report goes is most likely the
** database given twice; --overwrite is not meant to replace it with HTML. */
static int is_sqlite_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    char head[16] = {0};
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return n == sizeof head && !memcmp(head, "SQLite format 3", 16);
}

static const char *file_type_name(mode_t m)
{
    if (S_ISDIR(m)) return lc_tr("a folder");
    if (S_ISFIFO(m)) return lc_tr("a FIFO (named pipe)");
    if (S_ISSOCK(m)) return lc_tr("a socket");
    if (S_ISCHR(m) || S_ISBLK(m)) return lc_tr("a device");
    return lc_tr("not a regular file");
}

/* Whether another process holds a POSIX lock on [start, start+len) of path
** (what SQLite takes while it reads or writes a database, and for as long
** as a WAL database is open, on its -shm file). */
static int locked_by_other(const char *path, off_t start, off_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return 0;
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = start;
    fl.l_len = len;
    int held = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    close(fd);
    return held;
}

/* SQLite's lock bytes (os_unix.c): PENDING_BYTE 0x40000000, then RESERVED
** and the 510-byte SHARED range on the database; on -shm, the eight WAL
** locks from byte 120 and the "dead man switch" byte 128 every open
** connection holds. */
#define SQLITE_LOCK_START 0x40000000
#define SQLITE_LOCK_LEN 512
#define SQLITE_SHM_LOCK_START 120
#define SQLITE_SHM_LOCK_LEN 9

static int database_in_use(const char *path)
{
    if (locked_by_other(path, SQLITE_LOCK_START, SQLITE_LOCK_LEN)) return 1;
    size_t n = strlen(path);
    char *shm = malloc(n + 5);
    if (!shm) return 0;
    memcpy(shm, path, n);
    memcpy(shm + n, "-shm", 5);
    int held = locked_by_other(shm, SQLITE_SHM_LOCK_START, SQLITE_SHM_LOCK_LEN);
    free(shm);
    return held;
}

/* "path" + suffix, malloc'd. */
static char *with_suffix(lc_ctx *ctx, const char *path, const char *suffix)
{
    size_t n = strlen(path), k = strlen(suffix);
    char *s = lc_malloc(ctx, n + k + 1);
    if (s) {
        memcpy(s, path, n);
        memcpy(s + n, suffix, k + 1);
    }
    return s;
}

/* A fresh name "path.TAG-XXXXXX" that did not exist when made, malloc'd.
** The caller creates or links it exclusively and retries on EEXIST. */
static char *fresh_name(lc_ctx *ctx, const char *path, const char *tag, unsigned attempt)
{
    size_t cap = strlen(path) + strlen(tag) + 24;
    char *s = lc_malloc(ctx, cap);
    if (!s) return NULL;
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long v = (unsigned long long)ts.tv_nsec * 2654435761ull ^
                           ((unsigned long long)getpid() << 20) ^ (attempt * 40503ull) ^
                           (unsigned long long)ts.tv_sec;
    char suffix[7];
    for (int i = 0; i < 6; i++) {
        suffix[i] = digits[v % 36];
        v /= 36;
    }
    suffix[6] = '\0';
    snprintf(s, cap, "%s.%s-%s", path, tag, suffix);
    return s;
}

static void outfile_free(lc_outfile *f)
{
    if (!f) return;
    free(f->path);
    free(f->tmp);
    free(f->option);
    free(f->id.name);
    free(f->backup);
    for (int k = 0; k < N_SIDES; k++) free(f->side_backup[k]);
    free(f);
}

/* Creates f->tmp exclusively, with the rights the user's umask gives any
** new file (the outputs are meant to be shared; mkstemp would make 0600). */
static lc_status create_temp(lc_ctx *ctx, lc_outfile *f)
{
    int fd = -1;
    for (unsigned attempt = 0; attempt < 100 && fd < 0; attempt++) {
        free(f->tmp);
        f->tmp = fresh_name(ctx, f->path, "tmp", attempt);
        if (!f->tmp) return LC_ENOMEM;
        fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) {
        int err = errno;
        free(f->tmp);
        f->tmp = NULL;
        return lc_error(ctx, LC_EINPUT, "%s: cannot write here (%s)", f->path, strerror(err));
    }
    struct stat st;
    if (fstat(fd, &st) == 0) {
        f->tmp_dev = st.st_dev;
        f->tmp_ino = st.st_ino;
    }
    close(fd);
    return LC_OK;
}

lc_status lc_outputs_reserve(lc_ctx *ctx, lc_outputs *o, const char *path, const char *option,
                             lc_output_kind kind, int overwrite, lc_outfile **out)
{
    *out = NULL;
    if (!path || !*path)
        return lc_error(ctx, LC_EINPUT, "%s '': the output needs a file name", option);
    struct stat st, lst;
    int exists = stat(path, &st) == 0;
    int link_exists = lstat(path, &lst) == 0;   /* also a dangling symbolic link */
    if (exists && !S_ISREG(st.st_mode))
        return lc_error(ctx, LC_EINPUT, "%s: is %s; landcons writes its output only to a regular file",
                        path, file_type_name(st.st_mode));
    lc_outfile *f = lc_calloc(ctx, 1, sizeof *f);
    if (!f) return LC_ENOMEM;
    lc_status rc = LC_OK;
    f->path = lc_strdup(ctx, path);
    f->option = lc_strdup(ctx, option);
    f->kind = kind;
    f->overwrite = overwrite;
    if (!f->path || !f->option) rc = LC_ENOMEM;
    char dir[PATH_MAX];
    folder_of(path, dir, sizeof dir);
    struct stat dst;
    if (rc == LC_OK && (stat(dir, &dst) != 0 || !S_ISDIR(dst.st_mode)))
        rc = lc_error(ctx, LC_EINPUT, "%s: cannot write here (folder %s does not exist)", path, dir);
    if (rc == LC_OK && !identify(path, &f->id))
        rc = lc_error(ctx, LC_EINPUT, "%s: cannot write here (%s)", path, strerror(errno));
    for (size_t i = 0; i < o->n_inputs && rc == LC_OK; i++)
        if (same_id(&f->id, &o->inputs[i]))
            rc = lc_error(ctx, LC_EINPUT, "%s: the output would overwrite %s", path, o->inputs[i].what);
    for (size_t i = 0; i < o->n_files && rc == LC_OK; i++)
        if (same_id(&f->id, &o->files[i]->id))
            rc = lc_error(ctx, LC_EINPUT, "%s and %s name the same file (%s)", option,
                          o->files[i]->option, path);
    if (rc == LC_OK && link_exists && !overwrite)
        rc = lc_error(ctx, LC_EINPUT, "%s already exists (use --overwrite to replace it)", path);
    if (rc == LC_OK && kind == LC_OUTPUT_REPORT && exists && is_sqlite_file(path))
        rc = lc_error(ctx, LC_EINPUT, "%s is a SQLite database, not a report: refusing to replace it",
                      path);
    if (rc == LC_OK && kind == LC_OUTPUT_DATABASE && database_in_use(path))
        rc = lc_error(ctx, LC_EINPUT, "%s is open in another program (a SQLite lock is held on it): "
                      "close it there first", path);
    if (rc == LC_OK && lc_grow(ctx, (void **)&o->files, &o->files_cap, o->n_files + 1, sizeof *o->files))
        rc = LC_ENOMEM;
    if (rc == LC_OK) rc = create_temp(ctx, f);
    /* after the temporary file: a folder nobody can write to is said as such */
    struct statvfs v;
    double need = kind == LC_OUTPUT_DATABASE ? LC_DATABASE_MIN_FREE : LC_REPORT_MIN_FREE;
    if (rc == LC_OK && statvfs(dir, &v) == 0 && (double)v.f_bavail * (double)v.f_frsize < need)
        rc = lc_error(ctx, LC_EINPUT, "%s: the disk is full (folder %s has %.0f KiB free; the %s needs "
                      "at least %.0f KiB): nothing was written", path, dir,
                      (double)v.f_bavail * (double)v.f_frsize / 1024,
                      kind == LC_OUTPUT_DATABASE ? lc_tr("database") : lc_tr("report"), need / 1024);
    if (rc != LC_OK) {
        if (f->tmp) unlink(f->tmp);
        outfile_free(f);
        return rc;
    }
    o->files[o->n_files++] = f;
    *out = f;
    return LC_OK;
}

/* Moves `from` aside to a fresh backup name beside it (*backup, malloc'd);
** *backup stays NULL when there is nothing at `from`. With keep_original,
** a hard link keeps the old file at its name until the new one replaces it
** atomically (where links are not supported, it is renamed); side files
** are renamed, as they must not stay beside the new database. */
static lc_status move_aside(lc_ctx *ctx, const char *from, char **backup, int keep_original)
{
    *backup = NULL;
    struct stat st, taken;
    if (lstat(from, &st) != 0) return LC_OK;
    for (unsigned attempt = 0; attempt < 100; attempt++) {
        char *b = fresh_name(ctx, from, "old", attempt);
        if (!b) return LC_ENOMEM;
        if (keep_original && !S_ISLNK(st.st_mode)) {
            if (link(from, b) == 0) {
                *backup = b;
                return LC_OK;
            }
            if (errno == EEXIST) {
                free(b);
                continue;
            }
        }
        if (lstat(b, &taken) == 0) {
            free(b);
            continue;
        }
        if (rename(from, b) == 0) {
            *backup = b;
            return LC_OK;
        }
        int err = errno;
        free(b);
        return lc_error(ctx, LC_EINPUT, "%s: cannot be moved aside to be replaced (%s)", from,
                        strerror(err));
    }
    return lc_error(ctx, LC_EINPUT, "%s: cannot be moved aside to be replaced", from);
}

/* Puts backup back at path; when it is a second link to the file still at
** path (nothing was replaced), only the backup name goes. */
static void restore(const char *backup, const char *path)
{
    struct stat a, b;
    if (lstat(backup, &a) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        unlink(backup);
    else
        rename(backup, path);
}

/* Renames tmp onto a target that must not exist: 0, or -1 with errno
** (EEXIST when another program created it meanwhile). */
static int rename_new(const char *tmp, const char *target)
{
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_NOREPLACE) == 0) return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return -1;
    /* a file system without RENAME_NOREPLACE: link() fails on an existing name too */
    if (link(tmp, target) == 0) {
        unlink(tmp);
        return 0;
    }
    if (errno == EEXIST) return -1;
    struct stat st;
    if (lstat(target, &st) == 0) {
        errno = EEXIST;
        return -1;
    }
    return rename(tmp, target);
}

/* Undoes place(): removes the placed output (when it is still ours) and
** puts every backup back. */
static void unplace(lc_outfile *f)
{
    if (f->placed && !f->backup) {
        struct stat st;
        if (lstat(f->path, &st) == 0 && st.st_dev == f->tmp_dev && st.st_ino == f->tmp_ino)
            unlink(f->path);
    }
    f->placed = 0;
    if (f->backup) {
        restore(f->backup, f->path);
        free(f->backup);
        f->backup = NULL;
    }
    for (int k = 0; k < N_SIDES; k++)
        if (f->side_backup[k]) {
            char side[PATH_MAX];
            snprintf(side, sizeof side, "%s%s", f->path, side_suffixes[k]);
            restore(f->side_backup[k], side);
            free(f->side_backup[k]);
            f->side_backup[k] = NULL;
        }
}

static lc_status place(lc_ctx *ctx, lc_outfile *f)
{
    lc_status rc = LC_OK;
    if (f->kind == LC_OUTPUT_DATABASE) {
        if (database_in_use(f->path))
            return lc_error(ctx, LC_EINPUT, "%s was opened in another program meanwhile: the new "
                            "database was not put in its place", f->path);
        for (int k = 0; k < N_SIDES && rc == LC_OK; k++) {
            char *side = with_suffix(ctx, f->path, side_suffixes[k]);
            if (!side) return LC_ENOMEM;
            rc = move_aside(ctx, side, &f->side_backup[k], 0);
            free(side);
        }
    }
    struct stat st, target;
    int exists = lstat(f->path, &st) == 0;
    /* what took the name since the reservation is checked again */
    if (rc == LC_OK && exists && !S_ISREG(st.st_mode) &&
        !(S_ISLNK(st.st_mode) && (stat(f->path, &target) != 0 || S_ISREG(target.st_mode))))
        rc = lc_error(ctx, LC_EINPUT, "%s became %s while landcons ran: this run's result was dropped",
                      f->path, file_type_name(S_ISLNK(st.st_mode) ? target.st_mode : st.st_mode));
    if (rc == LC_OK && exists && !f->overwrite)
        return lc_error(ctx, LC_EINPUT, "%s was created by another program while landcons ran: "
                        "it was left as it is and this run's result was dropped", f->path);
    if (rc == LC_OK && exists) rc = move_aside(ctx, f->path, &f->backup, 1);
    if (rc != LC_OK) return rc;
    int r = f->backup ? rename(f->tmp, f->path) : rename_new(f->tmp, f->path);
    if (r != 0) {
        int err = errno;
        if (err == EEXIST)
            return lc_error(ctx, LC_EINPUT, "%s was created by another program while landcons ran: "
                            "it was left as it is and this run's result was dropped", f->path);
        return lc_error(ctx, LC_EINPUT, "%s: cannot move the finished file into place (%s)", f->path,
                        strerror(err));
    }
    free(f->tmp);
    f->tmp = NULL;
    f->placed = 1;
    return LC_OK;
}

lc_status lc_outputs_commit(lc_ctx *ctx, lc_outputs *o)
{
    lc_status rc = LC_OK;
    size_t i = 0;
    for (; i < o->n_files && rc == LC_OK; i++) rc = place(ctx, o->files[i]);
    if (rc != LC_OK) {
        /* put back everything, the failed one included (its backups) */
        for (size_t k = i; k-- > 0;) unplace(o->files[k]);
        return rc;
    }
    for (i = 0; i < o->n_files; i++) {
        lc_outfile *f = o->files[i];
        if (f->backup) unlink(f->backup);
        for (int k = 0; k < N_SIDES; k++)
            if (f->side_backup[k]) unlink(f->side_backup[k]);
    }
    o->committed = 1;
    return LC_OK;
}

void lc_outputs_free(lc_outputs *o)
{
    if (!o) return;
    for (size_t i = 0; i < o->n_files; i++) {
        lc_outfile *f = o->files[i];
        if (f->tmp) unlink(f->tmp);
        outfile_free(f);
    }
    free(o->files);
    for (size_t i = 0; i < o->n_inputs; i++) {
        free(o->inputs[i].what);
        free(o->inputs[i].name);
    }
    free(o->inputs);
    free(o);
}

int lc_outfile_disk_nearly_full(const lc_outfile *f)
{
    char dir[PATH_MAX];
    folder_of(f->path, dir, sizeof dir);
    struct statvfs v;
    if (statvfs(dir, &v) != 0) return 0;
    return (double)v.f_bavail * (double)v.f_frsize < LC_DISK_FULL_BYTES;
}

lc_status lc_outfile_write_failed(lc_ctx *ctx, const lc_outfile *f, const char *what, int err,
                                  lc_status status)
{
    char dir[PATH_MAX];
    folder_of(f->path, dir, sizeof dir);
    if (err == ENOSPC || err == EDQUOT || lc_outfile_disk_nearly_full(f)) {
        struct statvfs v;
        double free_b = statvfs(dir, &v) == 0 ? (double)v.f_bavail * (double)v.f_frsize : 0;
        return lc_error(ctx, status, "%s: the disk is full (folder %s has %.0f KiB free): the %s "
                        "could not be written; nothing was replaced", f->path, dir, free_b / 1024, lc_tr(what));
    }
    return lc_error(ctx, status, "%s: writing the %s failed (%s); nothing was replaced", f->path, lc_tr(what),
                    err ? strerror(err) : lc_tr("I/O error"));
}
