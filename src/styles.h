/*
** Default QGIS styles of the output layers (the `layer_styles` table): a
** QML document per layer with its renderer, labels and Chinese field
** aliases. Strings returned by lc_style_qml are malloc'd; the caller frees.
*/
#ifndef LC_STYLES_H
#define LC_STYLES_H

#include <stddef.h>

#include "parcels.h"

typedef struct lc_style {
    const char *table;
    const char *name;
    const char *description;
} lc_style;

size_t lc_style_count(void);
const lc_style *lc_style_get(size_t i);
/* The QML of a style; input attribute aliases come from the parcel set. */
char *lc_style_qml(const lc_style *s, const lc_parcels *p);

/* Chinese alias of an output field, NULL when it has none. */
const char *lc_field_alias(const char *table, const char *field);

#endif
