/*
** The files a run writes, all or none (SPEC §4, §6). Each output is
** reserved before any work: checked against every input (by device and
** inode, including every file of an input dataset and the archive behind a
** /vsi path), refused when it is a folder, FIFO, socket or device, when it
** exists without --overwrite, or when another program holds the database
** open; a temporary file is then created exclusively beside it. The
** writers fill the temporary files; lc_outputs_commit moves them all into
** place, or, when one cannot be placed, puts back what was there before.
** The public half of the API is in landcons.h; this header adds what the
** writers need. An lc_outputs owns its lc_outfile entries and every
** temporary and backup file it made; lc_outputs_free removes those.
*/
#ifndef LC_OUTFILE_H
#define LC_OUTFILE_H

#include "lc_internal.h"

/* The temporary file the writer fills (it exists, empty, once reserved). */
const char *lc_outfile_temp(const lc_outfile *f);
/* The target path, for messages. */
const char *lc_outfile_path(const lc_outfile *f);

/* Records the failure of writing f's temporary file on ctx and returns
** `status`: when the OS error `err` (or the folder's free space) says the
** disk is full, the message says so and names the folder and what is
** free; otherwise it names the target and strerror(err). `what` is the
** kind of output ("database", "report"). */
lc_status lc_outfile_write_failed(lc_ctx *ctx, const lc_outfile *f, const char *what, int err,
                                  lc_status status);

/* Non-zero when the folder of f has less free space than a small write
** needs: a write error then most likely means the disk is full. */
int lc_outfile_disk_nearly_full(const lc_outfile *f);

#endif
