/* The packed R*Tree against SQLite's own: for trees of 0 to 20,000 boxes
** (one leaf, exactly full levels, one over, several levels), rtreecheck()
** passes, every window query returns the same ids as a scan of the boxes,
** boxes hold their doubles after the rounding to floats, and the rtree
** module keeps inserting and deleting in the packed tree afterwards. */
#include <stdlib.h>

#include <sqlite3.h>

#include "lc_test.h"
#include "rtree_pack.h"

static int exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK) fprintf(stderr, "sqlite: %s in %s\n", err ? err : "?", sql);
    sqlite3_free(err);
    return rc;
}

static sqlite3_int64 scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    sqlite3_int64 v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static const char *text(sqlite3 *db, const char *sql, char *buf, size_t n)
{
    sqlite3_stmt *st = NULL;
    snprintf(buf, n, "(no row)");
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        snprintf(buf, n, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return buf;
}

/* Random strip-like boxes in Gauss-Kruger numbers (x has the zone prefix). */
static void fill(sqlite3 *db, int n)
{
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(db, "INSERT INTO boxes VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL);
    for (int i = 0; i < n; i++) {
        double x = 42500000.0 + rand() / (double)RAND_MAX * 30000.0;
        double y = 5020000.0 + rand() / (double)RAND_MAX * 30000.0;
        double w = 8 + rand() % 40, h = 150 + rand() % 750;
        if (rand() % 2) { double t = w; w = h; h = t; }
        sqlite3_bind_int64(st, 1, (sqlite3_int64)i * 3 + 7);  /* sparse ids */
        sqlite3_bind_double(st, 2, x);
        sqlite3_bind_double(st, 3, x + w + rand() / (double)RAND_MAX);
        sqlite3_bind_double(st, 4, y);
        sqlite3_bind_double(st, 5, y + h + rand() / (double)RAND_MAX);
        if (i % 97 == 5) sqlite3_bind_null(st, 2);  /* no geometry: not indexed */
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
}

static void one_size(lc_ctx *ctx, int n)
{
    sqlite3 *db = NULL;
    char sql[512], buf[256];
    sqlite3_open(":memory:", &db);
    exec(db, "PRAGMA page_size = 8192");
    exec(db, "CREATE TABLE boxes (id INTEGER PRIMARY KEY, minx REAL, maxx REAL, miny REAL, maxy REAL)");
    exec(db, "CREATE VIRTUAL TABLE idx USING rtree(pkid, xmin, xmax, ymin, ymax)");
    fill(db, n);
    lc_status rc = lc_rtree_pack(ctx, db, "idx", "SELECT id, minx, maxx, miny, maxy FROM boxes");
    CHECK(rc == LC_OK, "n=%d: packed (%s)", n, lc_ctx_errmsg(ctx));
    CHECK(strcmp(text(db, "SELECT rtreecheck('idx')", buf, sizeof buf), "ok") == 0, "n=%d: rtreecheck: %s", n, buf);
    sqlite3_int64 indexed = scalar(db, "SELECT count(*) FROM boxes WHERE minx IS NOT NULL");
    CHECK(scalar(db, "SELECT count(*) FROM idx") == indexed, "n=%d: %lld entries", n, (long long)indexed);
    /* every entry contains its box: floats rounded outwards */
    CHECK(scalar(db, "SELECT count(*) FROM boxes b JOIN idx i ON i.pkid = b.id WHERE i.xmin > b.minx OR "
                     "i.xmax < b.maxx OR i.ymin > b.miny OR i.ymax < b.maxy") == 0,
          "n=%d: index boxes contain the exact boxes", n);
    /* windows: the index finds exactly the boxes a scan finds */
    int bad = 0;
    for (int q = 0; q < 60; q++) {
        double x = 42500000.0 + rand() / (double)RAND_MAX * 30000.0, y = 5020000.0 + rand() / (double)RAND_MAX * 30000.0;
        double s = q % 3 == 0 ? 20000.0 : q % 3 == 1 ? 2000.0 : 50.0;
        snprintf(sql, sizeof sql,
                 "SELECT (SELECT group_concat(pkid) FROM (SELECT pkid FROM idx WHERE xmin <= %.3f AND xmax >= %.3f "
                 "AND ymin <= %.3f AND ymax >= %.3f ORDER BY pkid)) IS (SELECT group_concat(i.pkid) FROM (SELECT "
                 "pkid FROM idx NOT INDEXED WHERE xmin <= %.3f AND xmax >= %.3f AND ymin <= %.3f AND ymax >= %.3f "
                 "ORDER BY pkid) i)",
                 x + s, x, y + s, y, x + s, x, y + s, y);
        bad += scalar(db, sql) != 1;
    }
    CHECK(bad == 0, "n=%d: %d of 60 window queries differ from a scan", n, bad);
    /* the rtree module goes on maintaining the packed tree */
    exec(db, "DELETE FROM idx WHERE pkid % 5 = 0");
    exec(db, "INSERT INTO idx SELECT id + 1, minx, maxx, miny, maxy FROM boxes WHERE id % 4 = 3 AND minx IS NOT NULL");
    CHECK(strcmp(text(db, "SELECT rtreecheck('idx')", buf, sizeof buf), "ok") == 0, "n=%d: rtreecheck after edits: %s",
          n, buf);
    sqlite3_close(db);
}

/* The packing's sort (a radix sort from 64 entries on) gives the order of
** the comparison it replaces: centre (a float sum), then id; on boxes with
** many equal centres, both zeros, negative ids and coordinates. */
static int before(const lc_rtree_entry *p, const lc_rtree_entry *q, int axis)
{
    float cp = p->box[2 * axis] + p->box[2 * axis + 1], cq = q->box[2 * axis] + q->box[2 * axis + 1];
    return cp < cq || (!(cp > cq) && p->id < q->id);
}

static void sort_order(int n, int axis)
{
    lc_rtree_entry *e = malloc((size_t)n * sizeof *e);
    long long id_sum = 0, sorted_sum = 0;
    for (int i = 0; i < n; i++) {
        /* few distinct centres: ties everywhere; ids in no order, some negative */
        float lo = (float)(rand() % 7 - 3) * 0.5f, hi = -lo + (float)(rand() % 5);
        if (rand() % 9 == 0) lo = -0.0f, hi = rand() % 2 ? -0.0f : 0.0f;  /* centres -0 and +0: equal */
        e[i].id = (sqlite3_int64)((rand() % 2 ? -1 : 1) * (long long)rand() * 4099) + i;
        e[i].box[2 * axis] = lo;
        e[i].box[2 * axis + 1] = hi;
        e[i].box[2 * (1 - axis)] = (float)rand();
        e[i].box[2 * (1 - axis) + 1] = e[i].box[2 * (1 - axis)] + 1;
        id_sum += e[i].id;
    }
    lc_rtree_order(e, (size_t)n, axis);
    int bad = 0;
    for (int i = 0; i < n; i++) {
        sorted_sum += e[i].id;
        if (i > 0 && !before(&e[i - 1], &e[i], axis)) bad++;
    }
    CHECK(bad == 0, "n=%d axis %d: %d entries out of the order of centre then id", n, axis, bad);
    CHECK(sorted_sum == id_sum, "n=%d axis %d: the same entries after sorting", n, axis);
    free(e);
}

int main(int argc, char **argv)
{
    unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 20261127u;
    printf("seed %u\n", seed);
    srand(seed);
    lc_ctx *ctx = lc_ctx_new();
    /* node size 1228 bytes at any page size: 51 cells per node */
    static const int sizes[] = {0, 1, 2, 50, 51, 52, 2601, 2602, 20000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) one_size(ctx, sizes[i]);
    static const int sort_sizes[] = {2, 63, 64, 65, 1000, 70000};
    for (size_t i = 0; i < sizeof sort_sizes / sizeof sort_sizes[0]; i++)
        for (int axis = 0; axis < 2; axis++) sort_order(sort_sizes[i], axis);
    /* a query that fails is reported, not a crash */
    sqlite3 *db = NULL;
    sqlite3_open(":memory:", &db);
    exec(db, "CREATE VIRTUAL TABLE idx USING rtree(pkid, xmin, xmax, ymin, ymax)");
    CHECK(lc_rtree_pack(ctx, db, "idx", "SELECT nope FROM nowhere") != LC_OK, "bad query fails");
    CHECK(strstr(lc_ctx_errmsg(ctx), "idx") != NULL, "message names the index: %s", lc_ctx_errmsg(ctx));
    CHECK(lc_rtree_pack(ctx, db, "missing", "SELECT 1, 0, 1, 0, 1") != LC_OK, "missing rtree fails");
    sqlite3_close(db);
    lc_ctx_free(ctx);
    return lc_test_report("test_rtree_pack");
}
