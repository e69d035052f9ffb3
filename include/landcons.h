/*
** landcons — contiguous land-transfer analysis for county land bureaus.
**
** The public C API. One lc_ctx per thread carries the GEOS handle, the PROJ
** context and the last error message; every call that can fail takes it first
** and returns an lc_status, with results through output pointers.
**
** Ownership: objects returned through `**out` belong to the caller and are
** released with the matching lc_*_free(), which accepts NULL; pointers
** returned by accessors (`const` results) are borrowed from their owner and
** live as long as it does.
*/
#ifndef LANDCONS_H
#define LANDCONS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Exit codes of the CLI are the first three values. */
typedef enum lc_status {
    LC_OK = 0,
    LC_FAILED = 1,      /* a check or verification failed (not an error) */
    LC_EINPUT = 2,      /* unusable input or bad usage; message on the ctx */
    LC_ENOMEM = 3,
    LC_EINTERNAL = 4,   /* a library call failed unexpectedly */
    LC_EINTERRUPTED = 5 /* cancelled by a signal */
} lc_status;

/* 1 mu = 10000/15 m², exactly. */
#define LC_M2_PER_MU (10000.0 / 15.0)
static inline double lc_mu_from_m2(double m2) { return m2 * 15.0 / 10000.0; }

const char *lc_version(void);

/* ---- context ---------------------------------------------------------- */

typedef struct lc_ctx lc_ctx;

/* Creates a context with its own GEOS handle and PROJ context; NULL on OOM. */
lc_ctx *lc_ctx_new(void);
void lc_ctx_free(lc_ctx *ctx);
/* The message of the last failure on this context ("" when none). */
const char *lc_ctx_errmsg(const lc_ctx *ctx);
/* Records a usage error (bad or missing option) on ctx; returns LC_EINPUT.
** `message` is English; it is recorded in the interface's language (below). */
lc_status lc_error_usage(lc_ctx *ctx, const char *message);
/* The GNU gettext domain of the library's messages (errors, QA details).
** The library looks every message up in it and never binds it: a program
** chooses the language (setlocale, LANGUAGE) and binds the domain to its
** message catalogues; unbound or in the C locale, messages are English. */
#define LC_TEXT_DOMAIN "landcons"
/* Progress of long phases (reading, adjacency, footprints, writing): the
** callback gets the phase name and items done of total (0 while the total
** is not known yet); the CLI draws it on a terminal. A NULL phase means a log line (-v) is about to be written
** to stderr: take the progress line down first. */
typedef void (*lc_progress_fn)(void *userdata, const char *phase, size_t done, size_t total);
void lc_ctx_set_progress(lc_ctx *ctx, lc_progress_fn fn, void *userdata);

/* Threads for the parallel phases; 0 (default): one per online CPU. The
** results do not depend on it. */
void lc_ctx_set_threads(lc_ctx *ctx, int threads);
/* 1: report the time of each phase on stderr. */
void lc_ctx_set_verbose(lc_ctx *ctx, int verbose);
/* Cancellation: a flag a signal handler sets; long loops poll it. */
void lc_ctx_set_cancel_flag(lc_ctx *ctx, volatile const int *flag);

/* ---- text ---------------------------------------------------------------- */

/* Length (1..4) of the well-formed UTF-8 sequence at p (RFC 3629: no
** overlong forms, no surrogates, nothing above U+10FFFF), 0 when it is not
** one. n: the bytes available; a NUL-terminated string may pass SIZE_MAX. */
size_t lc_utf8_sequence(const char *p, size_t n);

/* ---- reading a parcel layer ------------------------------------------- */

typedef enum lc_ellipsoidal_method {
    LC_ELLIPSOIDAL_GEODESIC = 0, /* GeographicLib geod_polygonarea */
    LC_ELLIPSOIDAL_TDT           /* 国土调查办发〔2008〕32号 trapezoid series */
} lc_ellipsoidal_method;

typedef struct lc_read_opts {
    const char *layer;      /* NULL: the only (polygon) layer */
    const char *key_field;  /* NULL: DKBM */
    int require_key;        /* 1: a missing key field is an input error */
    const char *encoding;   /* NULL: .cpg, DBF language byte, then sniffing */
    const char *s_srs;      /* NULL: the layer's CRS, inferred when absent */
    int zone;               /* 0: none; Gauss-Kruger zone for unprefixed eastings */
    const char *work_srs;   /* NULL: chosen from the source CRS and its distortion */
    int work_srs_inherited; /* 1: work_srs is the parcels' working CRS (sites,
                            ** constraints): not judged by its distortion here */
    int no_repair;          /* 1: keep invalid geometries as they are */
    int key_is_name;        /* sites: the key is a name, default the first text field;
                            ** no duplicate or missing key findings */
    lc_ellipsoidal_method ellipsoidal;
} lc_read_opts;

/* Fills *o with the defaults above. */
void lc_read_opts_init(lc_read_opts *o);

typedef struct lc_parcels lc_parcels;

/*
** Reads every feature of the polygon layer at `path` into memory, projected
** to the working CRS, repaired unless opts->no_repair, with planar and
** ellipsoidal areas computed. Features that cannot be used (empty, not
** areal) are skipped and recorded as QA findings. Returns LC_EINPUT with a
** message naming the file and feature when the input is unusable.
*/
lc_status lc_parcels_read(lc_ctx *ctx, const char *path, const lc_read_opts *opts,
                          lc_parcels **out);
void lc_parcels_free(lc_parcels *p);

/* ---- describing a layer (landcons info) ------------------------------- */

typedef enum lc_crs_origin {
    LC_CRS_FROM_LAYER = 0,   /* the layer's own CRS (.prj, GeoPackage, ...) */
    LC_CRS_FROM_OPTION,      /* --s-srs */
    LC_CRS_INFERRED_GK,      /* zone-prefixed Gauss-Kruger eastings */
    LC_CRS_FROM_ZONE,        /* unprefixed eastings with --zone */
    LC_CRS_INFERRED_GEOGRAPHIC /* lon/lat magnitudes, no CRS declared */
} lc_crs_origin;

typedef enum lc_work_origin {
    LC_WORK_SAME = 0,        /* the source CRS is projected and used as is */
    LC_WORK_CM_ZONE,         /* CGCS2000 3-degree CM zone of the centroid */
    LC_WORK_UTM,             /* UTM zone of the centroid */
    LC_WORK_FROM_OPTION,     /* --work-srs */
    LC_WORK_REPLACED         /* the layer's projected CRS distorts areas over its extent by more
                             ** than LC_MAX_WORK_DISTORTION: the Gauss-Kruger 3-degree CM zone
                             ** (China) or the UTM zone of the centroid instead */
} lc_work_origin;

/* The largest distortion (of areas, or of lengths where a projection is
** not conformal) over a layer's extent a working CRS may have (SPEC §1). */
#define LC_MAX_WORK_DISTORTION 1e-4

typedef struct lc_crs_desc {
    char name[160];          /* e.g. "CGCS2000 / 3-degree Gauss-Kruger zone 42" */
    char id[48];             /* e.g. "EPSG:4530", "" when none */
    int epsg;                /* 0 when none */
} lc_crs_desc;

typedef struct lc_layer_info {
    char path[4096];
    char driver[64];
    char layer[256];
    char key_field[64];      /* "" when the layer has none */
    int64_t feature_count;   /* features in the layer */
    int64_t parcel_count;    /* features kept as parcels */
    char encoding[32];       /* "GBK", "UTF-8", ... */
    char encoding_source[96];/* "--encoding", ".cpg \"936\"", "DBF language byte 0x4D", "detected", "driver (UTF-8)" */
    lc_crs_desc source_crs;
    lc_crs_origin source_origin;
    lc_crs_desc work_crs;
    lc_work_origin work_origin;
    /* Distortion over the layer's extent: max of |area scale - 1| and
    ** |linear scale - 1| at its corners, side middles and centre; INFINITY
    ** where PROJ cannot evaluate it. source_*: of a projected source CRS
    ** (NaN for geographic input), also when it was replaced. */
    double work_distortion, work_area_scale_min, work_area_scale_max;
    double source_distortion, source_area_scale_min, source_area_scale_max;
    double ellipsoid_a, ellipsoid_inv_f;
    double minx, miny, maxx, maxy;     /* extent in the working CRS */
    double planar_m2, ellipsoidal_m2;  /* totals over kept parcels */
    lc_ellipsoidal_method ellipsoidal_method;
    int64_t n_invalid, n_repaired, n_empty, n_non_areal, n_multipart;
    int64_t n_with_holes, n_missing_key, n_duplicate_key;
    int64_t n_deleted;       /* shapefile records marked deleted in the .dbf (not read) */
    int64_t qa_errors, qa_warnings, qa_infos;
} lc_layer_info;

/* Fills *info from a parcel set read by lc_parcels_read. */
void lc_parcels_describe(const lc_parcels *p, lc_layer_info *info);

const char *lc_crs_origin_name(lc_crs_origin o);
const char *lc_work_origin_name(lc_work_origin o);

/* ---- per-parcel access ------------------------------------------------ */

size_t lc_parcels_count(const lc_parcels *p);
/* Borrowed; NULL when the parcel has no key. */
const char *lc_parcel_key(const lc_parcels *p, size_t i);
int64_t lc_parcel_fid(const lc_parcels *p, size_t i);
double lc_parcel_planar_m2(const lc_parcels *p, size_t i);
double lc_parcel_ellipsoidal_m2(const lc_parcels *p, size_t i);
/* Input attributes: names and text values in UTF-8 (borrowed). The text of
** a numeric field or a null value is NULL. */
size_t lc_parcels_field_count(const lc_parcels *p);
const char *lc_parcels_field_name(const lc_parcels *p, size_t field);
const char *lc_parcel_text(const lc_parcels *p, size_t i, size_t field);

/* ---- QA findings ------------------------------------------------------ */

typedef enum lc_severity { LC_SEV_ERROR = 0, LC_SEV_WARNING, LC_SEV_INFO } lc_severity;

typedef struct lc_finding {
    lc_severity severity;
    const char *kind;        /* stable identifier, e.g. "invalid_geometry" */
    const char *key;         /* parcel key or NULL */
    const char *source;      /* "file:row" or "feature FID" */
    const char *detail;      /* human sentence, UTF-8 */
    int has_point;
    double x, y;             /* working CRS, when has_point */
} lc_finding;

size_t lc_parcels_finding_count(const lc_parcels *p);
/* Borrowed view of finding i; valid while p lives. */
void lc_parcels_finding(const lc_parcels *p, size_t i, lc_finding *out);
const char *lc_severity_name(lc_severity s);
/* The bureau's words for a severity (错误, 警告, 提示) and a QA kind (NULL
** when the kind has none); static strings. */
const char *lc_severity_zh(lc_severity s);
const char *lc_qa_kind_zh(const char *kind);

/* ---- the analysis (landcons analyze) ----------------------------------- */

#define LC_MAX_MAPS 8
#define LC_MAX_LAYERS 16

#define LC_MAX_STATUS_WORDS 32
/* The gaps a footprint can be closed by (SPEC §2 closing: buffer +gap/2,
** union, buffer -gap/2 with 8 segments per quadrant). Below a centimetre
** the buffer distance nears the resolution of eight-digit coordinates and
** GEOS's buffers collapse (every footprint 0 mu at 1e-12 m); above a
** kilometre the 32-gon arcs cut convex corners by over 2 m ((1 - cos(pi/32))
** x gap/2) and at 200 km footprints come out smaller than their parcels.
** 0 is exact: touching or overlapping parcels, the footprint their union. */
#define LC_GAP_MIN_M 0.01
#define LC_GAP_MAX_M 1000.0

/* What a command needs computed; the phases follow from it (run.c). */
typedef enum lc_job {
    LC_JOB_ANALYZE = 0,             /* everything: statuses, checks, progress, blocks, sites */
    LC_JOB_VERIFY,                  /* statuses and the project sites */
    LC_JOB_CHECK,                   /* quality checks (and the register's when given) */
    LC_JOB_PROGRESS,                /* statuses and the day-by-day series */
    LC_JOB_STATUS                   /* statuses only (plan) */
} lc_job;

typedef struct lc_analyze_opts {
    const char *register_path;
    const char *maps[LC_MAX_MAPS];  /* "ROLE=HEADER" register column overrides */
    int n_maps;
    const char *status_maps[LC_MAX_STATUS_WORDS]; /* "WORD=STATUS" register status words */
    int n_status_maps;
    const char *sheet;              /* register sheet, name or 1-based number; NULL: the first
                                    ** with a key and a status column */
    double min_key_match;           /* least share of register keys that must name a parcel
                                    ** (default 0.5); below it the run stops (check: an error) */
    const char *register_encoding;  /* CSV encoding override */
    const char *as_of;              /* YYYY-MM-DD; NULL: today */
    double gap_m;                   /* adjacency distance, default 10 m */
    double target_mu;               /* default 100000 */
    int target_set;                 /* 1: the target was asked for (--target-mu); 0: target_mu
                                    ** is the default, which no output should report as a goal */
    double area_tolerance;          /* declared vs computed area, default 0.05 */
    const char *township_field;     /* NULL: first 9 characters of the key */
    const char *village_field;      /* NULL: first 12 characters of the key */
    const char *unit_names_path;    /* CSV code,name; NULL: none */
    const char *units_path;         /* the 发包方 table (FBF: FBFBM, FBFMC); NULL: FBF.dbf beside
                                    ** a shapefile when there is one */
    const char *sites[LC_MAX_LAYERS];       /* project site layers */
    int n_sites;
    const char *constraints[LC_MAX_LAYERS]; /* constraint layers (basic farmland, ...) */
    int n_constraints;
    const char *site_name_field;    /* NULL: the first text field */
    double min_overlap_m2;          /* a site is ready when no other parcel overlaps more; 1 m² */
    lc_job job;                     /* what the command needs; the phases follow from it */
} lc_analyze_opts;

void lc_analyze_opts_init(lc_analyze_opts *o);

typedef struct lc_analysis lc_analysis;

/*
** Reads the register and computes what opts->job needs (statuses as of the
** date, checks, the progress series, blocks, footprints, enclaves, sites)
** over the parcel set p, which must outlive the analysis. LC_EINPUT names
** the file, row and column of bad input. lc_run does the same and writes
** the outputs given (run.c).
*/
lc_status lc_analyze(lc_ctx *ctx, lc_parcels *p, const lc_analyze_opts *opts, lc_analysis **out);
void lc_analysis_free(lc_analysis *a);

enum { LC_STATUS_COUNT = 5 };   /* transferred, pending, refused, disputed, unregistered */
extern const char *const lc_status_names[LC_STATUS_COUNT];
/* The bureau's word for status k (已流转, 未签约, 拒签, 争议, 未登记). */
const char *lc_status_zh(int k);

typedef struct lc_analysis_summary {
    char as_of[11];
    double gap_m, target_mu;
    int64_t parcels;
    double total_m2;
    int64_t status_count[LC_STATUS_COUNT];
    double status_m2[LC_STATUS_COUNT];
    int64_t register_rows, register_keys, register_keys_without_parcel, parcels_without_row;
    int64_t blocks;
    int64_t largest_block_parcels;
    double largest_block_parcel_m2, largest_block_footprint_m2, largest_block_footprint_ellipsoidal_m2;
    int64_t enclaves, parcel_enclaves, gap_enclaves;
    double enclave_m2;
    int target_met;
    int64_t sites, sites_ready;
    char target_reached_on[11];     /* "" when not reached */
    int64_t overlap_pairs;
    double double_counted_m2;
    int64_t qa_errors, qa_warnings, qa_infos;  /* reading, register and analysis */
} lc_analysis_summary;

void lc_analysis_summarize(const lc_analysis *a, lc_analysis_summary *s);

/* Project sites, in the order of the --site layers and their features. */
typedef struct lc_site_info {
    int id;
    const char *name;               /* borrowed, NULL when unnamed */
    const char *layer_path;
    double area_m2;
    double status_m2[LC_STATUS_COUNT]; /* overlaps with parcels by status */
    double no_parcel_m2;            /* site area under no parcel */
    int ready;
    const char *reason;             /* why it is not ready (borrowed); NULL when ready */
    size_t n_overlaps, n_blocking;
} lc_site_info;

typedef struct lc_site_parcel {
    const char *key, *village, *village_name, *holder, *status; /* borrowed */
    double overlap_m2, share_of_parcel, share_of_site;
    int blocking;                   /* not transferred, overlap above --min-overlap */
} lc_site_parcel;

typedef struct lc_constraint_info {
    int site_id;
    const char *layer_path;
    int64_t fid;
    const char *name;               /* first text field of the feature, or NULL */
    double overlap_m2;
} lc_constraint_info;

/* Every QA finding of the run: reading, register, checks, sites. */
size_t lc_analysis_finding_count(const lc_analysis *a);
void lc_analysis_finding(const lc_analysis *a, size_t i, lc_finding *out);

size_t lc_analysis_site_count(const lc_analysis *a);
void lc_analysis_site(const lc_analysis *a, size_t i, lc_site_info *out);
/* Overlap k of site i, largest first. */
void lc_analysis_site_parcel(const lc_analysis *a, size_t i, size_t k, lc_site_parcel *out);
/* The campaign by day (analyze and progress). Dates are YYYY-MM-DD. */
typedef struct lc_progress_row {
    char date[11];
    const char *unit_kind;          /* "all", "township" or "village" */
    const char *unit_code;          /* NULL on "all" rows */
    const char *unit_name;          /* from --unit-names, or NULL */
    double signed_m2, cumulative_m2;
    double unit_total_m2;           /* all parcels of the unit (of the layer on "all" rows) */
    double largest_block_m2;        /* "all" rows only, else NaN */
} lc_progress_row;

/* "all" rows come first, one per day from the first signing to the last;
** then township rows and village rows, for the days a unit signed. */
size_t lc_analysis_progress_count(const lc_analysis *a);
void lc_analysis_progress(const lc_analysis *a, size_t i, lc_progress_row *out);
/* The first day the largest block's parcel area reached --target-mu, or
** "" when it never did; returns 1 when reached. */
int lc_analysis_target_date(const lc_analysis *a, char out[11]);

/* The figures of each township and village as of the date (the cadres'
** 汇总 list shows the same): each township by code, followed by its
** villages; a village whose parcels carry two township codes has a row
** under each. Parcels without a unit code form a row with code NULL. */
typedef struct lc_unit_figures {
    const char *kind;               /* "township" or "village" */
    const char *code;               /* NULL: the parcels without a code */
    const char *township;           /* the township code the row is listed under */
    const char *name;               /* from --units / --unit-names, NULL when unknown */
    int64_t parcels;
    double total_m2;                /* all its parcels */
    double registered_m2;           /* its parcels with a register row (any status but unregistered) */
    int64_t status_count[LC_STATUS_COUNT];
    double status_m2[LC_STATUS_COUNT];
} lc_unit_figures;
size_t lc_analysis_unit_count(const lc_analysis *a);
void lc_analysis_unit(const lc_analysis *a, size_t i, lc_unit_figures *out);

/* The register as read: where its header was, what was skipped, how its
** keys fit the parcels. Returns 0 (and zeroes *out) without a register. */
enum { LC_REGISTER_ROLES = 6 };     /* key, status, date, area, holder, transferee */
typedef struct lc_register_info {
    const char *path, *format, *encoding;
    const char *sheet;              /* NULL for a CSV */
    int64_t n_sheets;
    int64_t header_row;             /* first header row (spreadsheet numbering) */
    int header_rows;                /* 1, or 2 for a two-row header */
    int64_t title_rows, blank_rows, total_rows, note_rows;
    int64_t rows, keys;             /* contract rows read, distinct keys */
    int64_t keys_without_parcel, parcels_without_row, mangled_keys;
    double key_match_share;         /* register keys that name a parcel */
    double parcel_row_share;        /* parcels that have a register row */
    const char *role[LC_REGISTER_ROLES];   /* "key", "status", ... */
    const char *header[LC_REGISTER_ROLES]; /* the header found, NULL none */
    const char *column[LC_REGISTER_ROLES]; /* its column letter, NULL none */
} lc_register_info;
int lc_analysis_register(const lc_analysis *a, lc_register_info *out);
/* Register keys that name no parcel (i < keys_without_parcel), in key
** order, with their first row; and parcels' keys without a register row. */
const char *lc_analysis_orphan_key(const lc_analysis *a, size_t i, int64_t *row);
const char *lc_analysis_unregistered_key(const lc_analysis *a, size_t i);
/* Register keys without a parcel in the villages of the parcels under site
** i: the count, and up to cap of the keys. */
size_t lc_analysis_site_orphans(const lc_analysis *a, size_t i, const char **keys, size_t cap);
/* The files township and village names came from, or NULL (codes shown). */
const char *lc_analysis_unit_names_source(const lc_analysis *a);

size_t lc_analysis_constraint_count(const lc_analysis *a);
void lc_analysis_constraint(const lc_analysis *a, size_t k, lc_constraint_info *out);

/* ---- output files ------------------------------------------------------ */

/*
** The outputs of one run are written all or none (SPEC §4, §6).
** lc_outputs_new starts a set; lc_outputs_add_input names every input (a
** layer: each file GDAL lists for its dataset is protected too; any input:
** the archive behind a /vsi path); lc_outputs_reserve checks a target
** before any work (not an input, not a folder, FIFO, socket or device, not
** existing unless overwrite, not held open by another program) and creates
** its temporary file beside it; the writers below fill the temporary files;
** lc_outputs_commit moves every one into place, or none (what was at the
** targets is put back). lc_outputs_free removes every temporary file not
** committed; it accepts NULL. The set owns its lc_outfile entries.
*/
typedef struct lc_outputs lc_outputs;
typedef struct lc_outfile lc_outfile;
typedef enum lc_output_kind { LC_OUTPUT_DATABASE = 0, LC_OUTPUT_REPORT } lc_output_kind;

lc_status lc_outputs_new(lc_ctx *ctx, lc_outputs **out);
/* is_layer: a dataset GDAL opens (its file list is protected); otherwise a
** single file (register, unit names). Inputs GDAL cannot open are
** protected by their path (and a shapefile's companions) alone. */
lc_status lc_outputs_add_input(lc_ctx *ctx, lc_outputs *o, const char *path, int is_layer);
/* `option` names the option in messages ("-o", "--report"). *out is
** borrowed from the set. */
lc_status lc_outputs_reserve(lc_ctx *ctx, lc_outputs *o, const char *path, const char *option,
                             lc_output_kind kind, int overwrite, lc_outfile **out);
lc_status lc_outputs_commit(lc_ctx *ctx, lc_outputs *o);
void lc_outputs_free(lc_outputs *o);

/*
** Writes the output database of SPEC §4 into the temporary file of `out`
** (reserved as LC_OUTPUT_DATABASE): SpatiaLite, or a GeoPackage when its
** path ends in .gpkg (see lc_database_format); lc_outputs_commit puts it
** in place. lc_run writes it during the run instead.
*/
lc_status lc_analysis_write(lc_ctx *ctx, const lc_analysis *a, lc_outfile *out);

/* The format of an output database by its extension: the extension
** chooses, anything else is refused before any work. */
typedef enum lc_db_format {
    LC_DB_UNKNOWN = 0,
    LC_DB_SPATIALITE,    /* .sqlite, .sqlite3, .db, .spatialite */
    LC_DB_GPKG           /* .gpkg */
} lc_db_format;
lc_db_format lc_database_format(const char *path);

/*
** Writes the self-contained HTML report of an analysis (headline figures, a
** map as inline SVG, the progress chart, tables by township and village,
** the blocking parcels of each site, the inputs and settings) into the
** temporary file of `out` (reserved as LC_OUTPUT_REPORT).
*/
lc_status lc_report_write(lc_ctx *ctx, const lc_analysis *a, lc_outfile *out);

/* ---- lists for village cadres (--xlsx, --csv; SPEC §5a) ----------------- */

/* The tables, as bits of `lists`: */
#define LC_LIST_SUMMARY   (1u << 0)  /* 汇总: parcels and mu by status per township and village */
#define LC_LIST_BLOCKING  (1u << 1)  /* 阻碍开工: the parcels blocking each site */
#define LC_LIST_ENCLAVES  (1u << 2)  /* 插花地: enclave parcels */
#define LC_LIST_QA        (1u << 3)  /* 质检: every QA finding */
#define LC_LIST_UNMATCHED (1u << 4)  /* 未匹配: register rows without parcel, parcels without row */
#define LC_LIST_NEGOTIATE (1u << 5)  /* 优先协商: untransferred parcels by contiguous gain, the route */

#define LC_LIST_TABLES 6             /* the bits above */

/* The name of table LC_LIST_x: its sheet, and its CSV file without ".csv". */
const char *lc_lists_table_name(unsigned bit);

/*
** Writes the tables of `lists` (LC_LIST_UNMATCHED only when the analysis
** has a register, LC_LIST_NEGOTIATE only when it has the plan) into the temporary files of outputs reserved before the
** work: a workbook with a sheet per table (`xlsx`, NULL: none), and one
** UTF-8 CSV with BOM per table (csv[k] for table 1u << k, NULL: none).
** lc_outputs_commit puts them in place with the run's other outputs.
*/
lc_status lc_lists_write(lc_ctx *ctx, const lc_analysis *a, unsigned lists, struct lc_outfile *xlsx,
                         struct lc_outfile *const csv[LC_LIST_TABLES]);
/*
** Writes a QGIS project for the database `database` written from this
** analysis (lc_analysis_write): its layers in order with the database's
** styles, the CRS, and A4 print layouts (an overview and one per site),
** referencing the database by a path relative to the project's folder.
** Its path ends in .qgz (zipped) or .qgs (the XML document); written into
** the temporary file of `out`, which lc_outputs_commit puts in place.
*/
lc_status lc_qgis_write(lc_ctx *ctx, const lc_analysis *a, const char *database, struct lc_outfile *out);
/* 1 when `path` names a QGIS project file lc_qgis_write writes (.qgz, .qgs). */
int lc_qgis_path_ok(const char *path);
/* Paper of the printable sign-off. */
typedef enum lc_paper { LC_PAPER_A4 = 0, LC_PAPER_A3 } lc_paper;

typedef struct lc_signoff_opts {
    lc_paper paper;
    const char *command_line;       /* the run as typed, for the sources block; NULL: none */
} lc_signoff_opts;

/*
** Writes the printable sign-off of every site of the analysis to `path` as
** a PDF (SPEC §5a): per site a page with the verdict, a map zoomed to the
** site with the blocking parcels hatched and labelled, the figures by
** status, then the table of blocking parcels (continued on further pages),
** the sources with their sha256 and the signature fields. Written into the
** temporary file of `out`, which lc_outputs_commit puts in place.
** LC_EINPUT when the analysis has no site.
*/
lc_status lc_signoff_write(lc_ctx *ctx, const lc_analysis *a, struct lc_outfile *out, const lc_signoff_opts *opts);
/* ---- a run: the analysis and its outputs together ---------------------- */

/* The outputs of a run, each reserved before the work (lc_outputs_reserve);
** NULL where not wanted. */
typedef struct lc_run_outputs {
    struct lc_outfile *database;    /* -o: SpatiaLite or GeoPackage */
    struct lc_outfile *report;      /* --report */
    struct lc_outfile *xlsx;        /* --xlsx */
    struct lc_outfile *csv[LC_LIST_TABLES]; /* --csv: table 1u << k */
    unsigned lists;                 /* the tables of the lists (LC_LIST_*) */
    struct lc_outfile *qgis;        /* --qgis */
    const char *qgis_database;      /* the database's path, as the project names it */
    struct lc_outfile *pdf;         /* --pdf */
    lc_signoff_opts signoff;
} lc_run_outputs;

/*
** The part of a run that needs no parcels (the register read), begun on a
** worker before the caller reads the parcels; lc_run takes it over. NULL
** in *out when there is nothing to begin or no worker to be had (lc_run
** then does the work itself). Its failures are reported by lc_run, after
** those of the parcels and the options, as if nothing had been begun.
*/
typedef struct lc_run_ahead lc_run_ahead;
lc_status lc_run_begin(lc_ctx *ctx, const lc_analyze_opts *opts, lc_run_ahead **out);
/* Waits for work begun and discards it (NULL: nothing). */
void lc_run_ahead_free(lc_run_ahead *ahead);

/*
** The analysis of lc_analyze, with the outputs written into their
** temporary files as the results come (the database's parcels layer is
** written alongside the footprints); the caller commits them
** (lc_outputs_commit) and frees the analysis. ahead (taken over, may be
** NULL) is what lc_run_begin began with the same opts.
*/
lc_status lc_run(lc_ctx *ctx, lc_parcels *p, const lc_analyze_opts *opts, lc_run_ahead *ahead,
                 const lc_run_outputs *outs, lc_analysis **out);

/* ---- which parcels to negotiate first (landcons plan) ------------------ */

typedef enum lc_plan_cost {
    LC_PLAN_COST_HOUSEHOLDS = 0,  /* a step costs its distinct households (village, holder) */
    LC_PLAN_COST_MU               /* a step costs its own parcel area */
} lc_plan_cost;

typedef struct lc_plan_opts {
    lc_plan_cost cost;
    int exclude_hard;   /* 1: refused and disputed parcels never enter the route
                        ** (default: only when nothing else grows the block) */
} lc_plan_opts;

/* An untransferred parcel and what transferring it alone would do. */
typedef struct lc_plan_bridge {
    size_t parcel;                /* index in the parcel set */
    const char *key, *holder;     /* borrowed; NULL when unknown */
    const char *village, *village_name; /* code and --unit-names name; NULL when unknown */
    const char *status;           /* pending, refused, disputed or unregistered */
    double m2;                    /* the parcel's planar area */
    double largest_after_m2;      /* the largest block's parcel area with it transferred too */
    double gain_m2;               /* largest_after_m2 minus the largest today, exactly */
    const int32_t *joins;         /* ids (as today) of the blocks within the gap of it, ascending */
    size_t n_joins;
} lc_plan_bridge;

/* One step of the route: one parcel, or two or three adjacent parcels that
** together join blocks none of them joins alone. */
typedef struct lc_plan_step {
    const size_t *bridges;        /* its parcels, as indices into lc_plan.bridges, by key */
    size_t n_parcels;
    const int32_t *joins;         /* blocks (ids as today) it joins to the grown block */
    size_t n_joins;
    double m2;                    /* the step's own parcel area */
    size_t households;            /* distinct households of the step */
    double grown_m2;              /* the grown block's parcel area after the step */
    double largest_after_m2;      /* the largest block's parcel area after the step */
    double total_m2;              /* own area of steps 1..this */
    size_t total_households;      /* distinct households of steps 1..this */
    int last_resort;              /* holds a refused or disputed parcel */
} lc_plan_step;

typedef enum lc_plan_end {
    LC_PLAN_ALREADY_MET = 0,      /* the largest block meets the target today */
    LC_PLAN_REACHED,              /* the route reaches the target */
    LC_PLAN_EXHAUSTED,            /* no parcel the route may take lies within the gap any more */
    LC_PLAN_NO_BLOCK              /* nothing is transferred: no block to grow */
} lc_plan_end;

typedef struct lc_plan {
    double largest_m2;            /* block 1's parcel area today (0 without blocks) */
    size_t n_blocks;
    double target_mu;
    lc_plan_cost cost;
    int exclude_hard;
    lc_plan_bridge *bridges;      /* every untransferred parcel, by gain, own area, key */
    size_t n_bridges;
    int32_t grown_block;          /* the block the route grows (id as today), 0 when none */
    double grown_block_m2;        /* its parcel area today */
    lc_plan_step *steps;
    size_t n_steps;
    lc_plan_end end;
    int target_reachable;         /* met today or by the route */
    double reached_m2;            /* the largest block's parcel area after the route */
    double reachable_m2;          /* all land connected within the gap to the grown block
                                  ** through parcels the route may take: the most it can reach */
    double reachable_with_hard_m2;/* the most land any block connects to, refused and
                                  ** disputed parcels included: what no route exceeds */
    size_t hard_connectors;       /* excluded refused/disputed parcels within the gap of the
                                  ** grown block when the route ends */
    int32_t *join_store;          /* storage behind the joins and bridges arrays */
    size_t *step_store;
} lc_plan;

/*
** The bridges and the route of an analysis (lc_analyze with at least the
** statuses: any mode). The plan borrows strings from the analysis and its
** parcel set: free it first.
*/
lc_status lc_analysis_plan(lc_ctx *ctx, const lc_analysis *a, const lc_plan_opts *opts, lc_plan **out);
void lc_plan_free(lc_plan *plan);


#ifdef __cplusplus
}
#endif
#endif /* LANDCONS_H */
