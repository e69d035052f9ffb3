/* The register block of the summaries (see register_out.h). */
#include <stdio.h>

#include "i18n.h"
#include "register_out.h"
#include "term.h"

/* Items after a 13-column indent, wrapped before column 79. */
typedef struct wrap { int col; int n; } wrap;

static void wrap_item(wrap *w, const char *item)
{
    int len = cli_width(item);
    if (w->n && w->col + 2 + len > 78) {
        out_text(",\n             ");
        w->col = 13;
    } else if (w->n) {
        out_text(", ");
        w->col += 2;
    } else {
        out_text("\n             ");
        w->col = 13;
    }
    out_text(item);
    w->col += len;
    w->n++;
}

void cli_print_register(const lc_analysis *a)
{
    lc_register_info r;
    if (!lc_analysis_register(a, &r)) return;
    cli_label(N_("Register:"));
    out("%s\n             ", r.path);
    if (r.sheet) out("%s, sheet %s, %s", r.format, r.sheet, r.encoding);
    else out("%s, %s", r.format, r.encoding);
    if (r.header_rows == 2) out(", header on rows %lld and %lld", (long long)r.header_row, (long long)r.header_row + 1);
    else out(", header on row %lld", (long long)r.header_row);
    out("; %lld rows, %lld keys\n", (long long)r.rows, (long long)r.keys);
    if (r.title_rows || r.total_rows || r.blank_rows || r.note_rows)
        out("             skipped: %lld title, %lld totals, %lld blank, %lld note rows\n",
            (long long)r.title_rows, (long long)r.total_rows, (long long)r.blank_rows, (long long)r.note_rows);
    cli_label(N_("  matched:"));
    out("%lld of %lld keys (%.1f%%) name a parcel; %.1f%% of parcels have a row\n",
        (long long)(r.keys - r.keys_without_parcel), (long long)r.keys, 100.0 * r.key_match_share,
        100.0 * r.parcel_row_share);
    if (r.keys_without_parcel) {
        cli_label(N_("  orphans:"));
        if (r.keys_without_parcel == 1) out("1 register key names no parcel:");
        else out("%lld register keys name no parcel:", (long long)r.keys_without_parcel);
        wrap w = {0, 0};
        for (size_t i = 0; i < (size_t)r.keys_without_parcel && i < CLI_ORPHANS_SHOWN; i++) {
            int64_t row = 0;
            const char *k = lc_analysis_orphan_key(a, i, &row);
            char item[300];
            snprintf(item, sizeof item, _("%s (row %lld)"), k, (long long)row);
            wrap_item(&w, item);
        }
        if (r.keys_without_parcel > CLI_ORPHANS_SHOWN) wrap_item(&w, _("... (all: --json, qa_issues)"));
        out_text("\n");
    }
    if (r.parcels_without_row) {
        cli_label(N_("  no row:"));
        if (r.parcels_without_row == 1) out("1 parcel has no register row:");
        else out("%lld parcels have no register row:", (long long)r.parcels_without_row);
        wrap w = {0, 0};
        for (size_t i = 0; i < (size_t)r.parcels_without_row && i < CLI_ORPHANS_SHOWN; i++)
            wrap_item(&w, lc_analysis_unregistered_key(a, i));
        if (r.parcels_without_row > CLI_ORPHANS_SHOWN) wrap_item(&w, _("... (all: --json, qa_issues)"));
        out_text("\n");
    }
    if (r.mangled_keys) {
        cli_label(N_("  warning:"));
        out("%lld key(s) rounded by Excel (e.g. 2.30113E+18): format the key column as text\n",
            (long long)r.mangled_keys);
    }
}

void cli_print_units(const lc_analysis *a)
{
    const char *src = lc_analysis_unit_names_source(a);
    cli_label(N_("Units:"));
    if (src) out("names from %s\n", src);
    else out("no names found, codes shown (give --units FBF.dbf or --unit-names FILE)\n");
}

void cli_json_register(json_out *j, const lc_analysis *a)
{
    lc_register_info r;
    if (!lc_analysis_register(a, &r)) {
        json_null(j, "register");
        return;
    }
    json_object_begin(j, "register");
    json_string(j, "path", r.path);
    json_string(j, "format", r.format);
    json_string(j, "sheet", r.sheet);
    json_string(j, "encoding", r.encoding);
    json_int(j, "header_row", r.header_row);
    json_int(j, "header_rows", r.header_rows);
    json_object_begin(j, "columns");
    for (int c = 0; c < LC_REGISTER_ROLES; c++) {
        if (!r.header[c]) continue;
        json_object_begin(j, r.role[c]);
        json_string(j, "header", r.header[c]);
        json_string(j, "column", r.column[c]);
        json_object_end(j);
    }
    json_object_end(j);
    json_object_begin(j, "skipped");
    json_int(j, "title_rows", r.title_rows);
    json_int(j, "total_rows", r.total_rows);
    json_int(j, "blank_rows", r.blank_rows);
    json_int(j, "note_rows", r.note_rows);
    json_object_end(j);
    json_int(j, "rows", r.rows);
    json_int(j, "keys", r.keys);
    json_number(j, "key_match_share", r.key_match_share);
    json_number(j, "parcel_row_share", r.parcel_row_share);
    json_int(j, "mangled_keys", r.mangled_keys);
    json_int(j, "keys_without_parcel", r.keys_without_parcel);
    json_array_begin(j, "register_keys_without_parcel");
    for (size_t i = 0; i < (size_t)r.keys_without_parcel; i++) {
        int64_t row = 0;
        const char *k = lc_analysis_orphan_key(a, i, &row);
        json_object_begin(j, NULL);
        json_string(j, "key", k);
        json_int(j, "row", row);
        json_object_end(j);
    }
    json_array_end(j);
    json_int(j, "parcels_without_row", r.parcels_without_row);
    json_array_begin(j, "parcels_without_row_keys");
    for (size_t i = 0; i < (size_t)r.parcels_without_row; i++) json_string(j, NULL, lc_analysis_unregistered_key(a, i));
    json_array_end(j);
    json_object_end(j);
    json_string(j, "unit_names", lc_analysis_unit_names_source(a));
}
