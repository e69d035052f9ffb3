/*
** The QGIS project of an analysis (analyze --qgis): fills the plain
** description qgis_project.c writes from the analysis's results. This is
** the only file of the project writer that knows the analysis.
**
** Layer order, top first: sites over the blocking parcels over enclaves
** over blocks over the bridges (parcels to negotiate first, filled only
** where they would grow the largest block) over parcels; the QA layers are
** in the project but switched off. Layouts: one overview, then one per
** site.
*/
#define _XOPEN_SOURCE 700  /* realpath */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "outfile.h"
#include "qgis_project.h"
#include "styles.h"

#define MAX_PROJECT_LAYERS 10
#define MAX_FIGURES 12      /* rows of a figures table: 10 at most today */

/* ---- the database's path relative to the project's folder ---------------- */

static int folder_of(const char *path, char *out)
{
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX];
    if (!slash) snprintf(dir, sizeof dir, ".");
    else if (slash == path) snprintf(dir, sizeof dir, "/");
    else snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    return realpath(dir, out) != NULL;
}

/* "./db.sqlite" beside the project, "../data/db.sqlite" elsewhere: QGIS
** resolves either against the project's folder. */
static lc_status relative_database(lc_ctx *ctx, const char *database, const char *project, char *out,
                                   size_t cap)
{
    char from[PATH_MAX], to[PATH_MAX], file[PATH_MAX + 256];
    const char *base = strrchr(database, '/');
    base = base ? base + 1 : database;
    if (!folder_of(project, from) || !folder_of(database, to))
        return lc_error(ctx, LC_EINPUT, "%s: cannot resolve the folders of the project and of %s", project,
                        database);
    /* '|' separates the options of QGIS's OGR data source */
    if (strchr(base, '|'))
        return lc_error(ctx, LC_EINPUT, "%s: a QGIS project cannot name a database whose name holds '|'",
                        database);
    if (snprintf(file, sizeof file, "%s/%s", strcmp(to, "/") ? to : "", base) >= (int)sizeof file ||
        !lc_qgis_relative_path(from, file, out, cap))
        return lc_error(ctx, LC_EINPUT, "%s: path too long", database);
    return LC_OK;
}

/* ---- figures ------------------------------------------------------------------- */

/* Texts of the figures tables live here for the duration of the call. */
typedef struct text_pool {
    char (*s)[256];
    size_t n, cap;
} text_pool;

static const char *textf(text_pool *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *textf(text_pool *t, const char *fmt, ...)
{
    if (t->n == t->cap) return "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->s[t->n], sizeof t->s[t->n], fmt, ap);
    va_end(ap);
    return t->s[t->n++];
}

static double mu(double m2) { return lc_mu_from_m2(m2); }

/* Drops a UTF-8 sequence that snprintf cut short at the end of s (a long
** site name): a broken character would make the whole XML unreadable. */
static void utf8_trim(char *s)
{
    size_t n = strlen(s), start = n;
    while (start > 0 && ((unsigned char)s[start - 1] & 0xC0) == 0x80) start--;
    if (start == 0) return;
    unsigned char lead = (unsigned char)s[start - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - (start - 1) < want) s[start - 1] = '\0';
}

static void extend(lc_qgis_extent *e, double minx, double miny, double maxx, double maxy)
{
    int known = e->maxx > e->minx || e->maxy > e->miny;
    if (!known || minx < e->minx) e->minx = minx;
    if (!known || miny < e->miny) e->miny = miny;
    if (!known || maxx > e->maxx) e->maxx = maxx;
    if (!known || maxy > e->maxy) e->maxy = maxy;
}

static lc_qgis_extent site_extent(lc_ctx *ctx, const lc_site *s)
{
    lc_qgis_extent e = {0, 0, 0, 0};
    const GEOSGeometry *g = s->set->items[s->index].geom;
    double x0, y0, x1, y1;
    if (GEOSGeom_getXMin_r(ctx->geos, g, &x0) && GEOSGeom_getYMin_r(ctx->geos, g, &y0) &&
        GEOSGeom_getXMax_r(ctx->geos, g, &x1) && GEOSGeom_getYMax_r(ctx->geos, g, &y1))
        e = (lc_qgis_extent){x0, y0, x1, y1};
    return e;
}

static size_t overview_figures(const lc_analysis_summary *s, text_pool *t, lc_qgis_row *rows)
{
    size_t n = 0;
    rows[n++] = (lc_qgis_row){"地块", textf(t, "%lld 块, %.2f 亩", (long long)s->parcels, mu(s->total_m2))};
    for (size_t k = 0; k < LC_STATUS_COUNT; k++)
        rows[n++] = (lc_qgis_row){lc_style_status_word(k),
                                  textf(t, "%lld 块, %.2f 亩", (long long)s->status_count[k], mu(s->status_m2[k]))};
    rows[n++] = (lc_qgis_row){"连片", textf(t, "%lld 片", (long long)s->blocks)};
    if (s->blocks)
        rows[n++] = (lc_qgis_row){"最大连片", textf(t, "%.2f 亩 (%lld 块)", mu(s->largest_block_parcel_m2),
                                                    (long long)s->largest_block_parcels)};
    rows[n++] = (lc_qgis_row){"插花地", textf(t, "%lld 处, %.2f 亩", (long long)s->enclaves, mu(s->enclave_m2))};
    if (s->sites)
        rows[n++] = (lc_qgis_row){"项目用地", textf(t, "%lld 处, 可以开工 %lld 处", (long long)s->sites,
                                                    (long long)s->sites_ready)};
    return n;
}

static size_t site_figures(const lc_site_info *si, text_pool *t, lc_qgis_row *rows)
{
    size_t n = 0;
    rows[n++] = (lc_qgis_row){"用地面积", textf(t, "%.2f 亩", mu(si->area_m2))};
    for (size_t k = 0; k < LC_STATUS_COUNT; k++)
        rows[n++] = (lc_qgis_row){lc_style_status_word(k), textf(t, "%.2f 亩", mu(si->status_m2[k]))};
    rows[n++] = (lc_qgis_row){"无地块", textf(t, "%.2f 亩", mu(si->no_parcel_m2))};
    rows[n++] = (lc_qgis_row){"阻碍开工地块", textf(t, "%zu 块", si->n_blocking)};
    rows[n++] = (lc_qgis_row){"结论", si->ready ? "可以开工" : "不能开工"};
    return n;
}

/* ---- the project ----------------------------------------------------------------- */

typedef struct build {
    lc_qgis_project p;
    lc_qgis_layer layers[MAX_PROJECT_LAYERS];
    char *qml[MAX_PROJECT_LAYERS];
    lc_qgis_layout *layouts;
    lc_qgis_row (*rows)[MAX_FIGURES];
    char (*names)[2][256];     /* per layout: name, title */
    text_pool text;
} build;

static lc_status add_layer(lc_ctx *ctx, build *b, const lc_analysis *a, const char *table, const char *name,
                           const char *filter, int visible, lc_qgis_extent extent)
{
    size_t i = b->p.n_layers;
    b->qml[i] = lc_style_qml(lc_style_find(table), a->parcels);
    if (!b->qml[i]) return lc_error(ctx, LC_ENOMEM, "out of memory");
    b->layers[i] = (lc_qgis_layer){.table = table, .name = name, .filter = filter,
                                   .geometry = strcmp(table, "qa_issues") ? LC_QGIS_POLYGON : LC_QGIS_POINT,
                                   .qml = b->qml[i], .visible = visible, .extent = extent};
    b->p.n_layers++;
    return LC_OK;
}

static lc_status add_layers(lc_ctx *ctx, build *b, const lc_analysis *a, lc_qgis_extent parcels,
                            lc_qgis_extent sites)
{
    lc_qgis_extent none = {0, 0, 0, 0};
    lc_status rc = LC_OK;
    if (a->sites.n) rc = add_layer(ctx, b, a, "sites", "项目用地", NULL, 1, sites);
    if (rc == LC_OK && a->layers.n_constraints)
        rc = add_layer(ctx, b, a, "constraint_overlaps", "压占限制区", NULL, 1, none);
    if (rc == LC_OK && a->sites.n)
        rc = add_layer(ctx, b, a, "site_overlaps", "阻碍开工地块", "\"blocking\" = 1", 1, none);
    if (rc == LC_OK) rc = add_layer(ctx, b, a, "enclaves", "插花地", NULL, 1, parcels);
    if (rc == LC_OK) rc = add_layer(ctx, b, a, "blocks", "连片地块", NULL, 1, parcels);
    if (rc == LC_OK && a->plan) rc = add_layer(ctx, b, a, "bridges", "优先协商 (最大连片增加)", NULL, 1, parcels);
    if (rc == LC_OK) rc = add_layer(ctx, b, a, "parcels", "地块 (按流转状态)", NULL, 1, parcels);
    if (rc == LC_OK) rc = add_layer(ctx, b, a, "qa_issues", "质检问题", NULL, 0, none);
    if (rc == LC_OK && a->pairs.n) rc = add_layer(ctx, b, a, "qa_overlaps", "重叠地块", NULL, 0, none);
    return rc;
}

static lc_status add_layouts(lc_ctx *ctx, build *b, const lc_analysis *a, lc_qgis_extent all)
{
    size_t n = 1 + a->sites.n;
    b->layouts = lc_calloc(ctx, n, sizeof *b->layouts);
    b->rows = lc_calloc(ctx, n, sizeof *b->rows);
    b->names = lc_calloc(ctx, n, sizeof *b->names);
    b->text.cap = n * (MAX_FIGURES * 2 + 2);
    b->text.s = lc_calloc(ctx, b->text.cap, sizeof *b->text.s);
    if (!b->layouts || !b->rows || !b->names || !b->text.s) return LC_ENOMEM;
    lc_analysis_summary s;
    lc_analysis_summarize(a, &s);

    lc_qgis_layout *o = &b->layouts[0];
    o->name = "总览 overview";
    snprintf(b->names[0][1], sizeof b->names[0][1], "土地流转连片情况总览 (截至 %s)", s.as_of);
    o->title = b->names[0][1];
    o->subtitle = textf(&b->text, "已流转 %.2f 亩, 占全部地块面积 %.1f%%; 最大连片 %.2f 亩; 项目用地 %lld 处, 可以开工 %lld 处",
                        mu(s.status_m2[0]), s.total_m2 > 0 ? 100 * s.status_m2[0] / s.total_m2 : 0,
                        mu(s.largest_block_parcel_m2), (long long)s.sites, (long long)s.sites_ready);
    o->focus = all;
    o->figures = b->rows[0];
    o->n_figures = overview_figures(&s, &b->text, b->rows[0]);

    for (size_t i = 0; i < a->sites.n; i++) {
        lc_site_info si;
        lc_analysis_site(a, i, &si);
        lc_qgis_layout *l = &b->layouts[i + 1];
        char label[200];
        if (si.name) snprintf(label, sizeof label, "用地 %d %s", si.id, si.name);
        else snprintf(label, sizeof label, "用地 %d", si.id);
        utf8_trim(label);
        snprintf(b->names[i + 1][0], sizeof b->names[i + 1][0], "%s", label);
        snprintf(b->names[i + 1][1], sizeof b->names[i + 1][1], "%s — %s (截至 %s)", label,
                 si.ready ? "可以开工" : "不能开工", s.as_of);
        l->name = b->names[i + 1][0];
        l->title = b->names[i + 1][1];
        l->subtitle = si.ready ? textf(&b->text, "用地面积 %.2f 亩, 用地范围内的地块均已流转", mu(si.area_m2))
                               : textf(&b->text, "用地面积 %.2f 亩; %zu 块地块尚未流转, 阻碍开工 (图中红色交叉线)",
                                       mu(si.area_m2), si.n_blocking);
        l->focus = site_extent(ctx, &a->sites.items[i]);
        l->figures = b->rows[i + 1];
        l->n_figures = site_figures(&si, &b->text, b->rows[i + 1]);
    }
    b->p.layouts = b->layouts;
    b->p.n_layouts = n;
    return LC_OK;
}

static void build_release(build *b)
{
    for (size_t i = 0; i < b->p.n_layers; i++) free(b->qml[i]);
    free(b->layouts);
    free(b->rows);
    free(b->names);
    free(b->text.s);
}

int lc_qgis_path_ok(const char *path) { return lc_qgis_project_path_ok(path); }

lc_status lc_qgis_write(lc_ctx *ctx, const lc_analysis *a, const char *database, lc_outfile *out)
{
    const char *path = lc_outfile_path(out);
    lc_status rc = LC_OK;
    if (!lc_qgis_project_path_ok(path))
        rc = lc_error(ctx, LC_EINPUT, "%s: a QGIS project is a .qgz (or .qgs) file", path);
    char relative[PATH_MAX];
    if (rc == LC_OK) rc = relative_database(ctx, database, path, relative, sizeof relative);
    if (rc != LC_OK) return rc;
    double t0 = lc_clock();

    build b;
    memset(&b, 0, sizeof b);
    const lc_parcels *p = a->parcels;
    const lc_crs *crs = &p->crs;
    b.p.title = "landcons 土地流转连片分析";
    b.p.database = relative;
    b.p.crs = (lc_qgis_crs){crs->work_desc.epsg, crs->work_desc.name,
                            proj_as_wkt(ctx->proj, crs->work, PJ_WKT2_2019, NULL),
                            proj_as_proj_string(ctx->proj, crs->work, PJ_PROJ_4, NULL)};
    lc_qgis_extent parcels = {p->minx, p->miny, p->maxx, p->maxy}, sites = {0, 0, 0, 0};
    for (size_t i = 0; i < a->sites.n; i++) {
        lc_qgis_extent e = site_extent(ctx, &a->sites.items[i]);
        extend(&sites, e.minx, e.miny, e.maxx, e.maxy);
    }
    lc_qgis_extent all = parcels;
    if (a->sites.n) extend(&all, sites.minx, sites.miny, sites.maxx, sites.maxy);
    b.p.layers = b.layers;
    b.p.view = all;
    char footer[PATH_MAX + 512];
    snprintf(footer, sizeof footer, "landcons %s · 坐标系 %s %s · 状态截至 %s · 数据 %s · 面积为平面面积, "
             "1 亩 = 10000/15 平方米", lc_version(), crs->work_desc.id, crs->work_desc.name, a->as_of_text,
             relative);
    b.p.footer = footer;
    rc = add_layers(ctx, &b, a, parcels, sites);
    if (rc == LC_OK) rc = add_layouts(ctx, &b, a, all);
    if (rc == LC_OK) rc = lc_qgis_project_write(ctx, &b.p, path, lc_outfile_temp(out));
    build_release(&b);
    lc_log_phase(ctx, "write QGIS project", t0);
    return rc;
}
