/*
** SHA-256 through GLib's GChecksum: GLib comes with pango anyway, and a
** checksum implementation of our own would be one more thing to test.
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "file_digest.h"

int lc_file_sha256(const char *path, char hex[65])
{
    hex[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f) return errno ? errno : EIO;
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) g_checksum_update(sum, buf, n);
    int err = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    if (!err) snprintf(hex, 65, "%s", g_checksum_get_string(sum));
    g_checksum_free(sum);
    return err;
}
