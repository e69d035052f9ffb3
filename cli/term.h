/*
** What the CLI shows on a terminal: the progress line (stderr, taken down
** before anything else is printed), messages translated as they are
** printed, and table cells measured in terminal columns (a CJK character
** takes two, so byte or character counts would misalign the tables).
*/
#ifndef LC_CLI_TERM_H
#define LC_CLI_TERM_H

#include <stddef.h>
#include <stdio.h>

/* Prints the translation of fmt to stdout, after taking the progress line
** down. */
void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints text as it is (data: paths, keys, names). */
void out_text(const char *s);

/* The progress callback of lc_ctx_set_progress: one line on stderr,
** rewritten in place at most 10 times a second; a NULL phase (a log line
** follows) takes it down. */
void cli_progress(void *userdata, const char *phase, size_t done, size_t total);
/* Takes the progress line down, when one is shown. */
void cli_progress_clear(void);

/* Terminal columns of UTF-8 text (East Asian wide and fullwidth characters:
** two; combining marks: none). */
int cli_width(const char *s);
/* s (NULL or "": "-") in `width` columns, left-aligned and followed by one
** space; cut with "…" when wider. cli_cell_right aligns right, is never cut
** and is followed by nothing (numbers: the caller separates them). */
void cli_cell(const char *s, int width);
void cli_cell_right(const char *s, int width);
/* The translation of a summary line's label ("Parcels:"), padded to the
** label column (13, wider when a translation needs it). */
void cli_label(const char *label);
/* Prints text from column `indent` (where the cursor is) to at most column
** `width`, breaking between words and between CJK characters (never before
** a closing punctuation mark); its own line breaks continue at `indent`. */
void cli_wrap(FILE *f, const char *text, int indent, int width);
/* A column's width: the widest of its header and values, within [min, max]. */
int cli_fit(int widest, int min, int max);

#endif
