/*
** A minimal streaming JSON writer for the --json summaries: keys in
** insertion order, strings escaped, numbers in the shortest form that reads
** back to the same double.
*/
#ifndef LC_JSON_OUT_H
#define LC_JSON_OUT_H

#include <stdint.h>
#include <stdio.h>

typedef struct json_out {
    FILE *f;
    int depth;
    int count[32];   /* members written at each depth, for commas */
} json_out;

void json_init(json_out *j, FILE *f);
/* key is NULL inside arrays */
void json_object_begin(json_out *j, const char *key);
void json_object_end(json_out *j);
void json_array_begin(json_out *j, const char *key);
void json_array_end(json_out *j);
void json_string(json_out *j, const char *key, const char *value); /* NULL -> null */
void json_number(json_out *j, const char *key, double value);       /* non-finite -> null */
void json_int(json_out *j, const char *key, int64_t value);
void json_bool(json_out *j, const char *key, int value);
void json_null(json_out *j, const char *key);
/* Ends the document with a newline. */
void json_finish(json_out *j);

#endif
