/*
** SHA-256 of a file, for the sources of a printed document: whoever holds
** the printout can check that the files on disk are the ones it was made
** from (`sha256sum FILE`).
*/
#ifndef LC_FILE_DIGEST_H
#define LC_FILE_DIGEST_H

/* Writes the digest of the file at `path` as 64 lower-case hex digits.
** Returns 0, or the errno of opening or reading it. */
int lc_file_sha256(const char *path, char hex[65]);

#endif
