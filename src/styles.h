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
/* The style of an output table, NULL when it has none. */
const lc_style *lc_style_find(const char *table);
/* The QML of a style; input attribute aliases come from the parcel set. */
char *lc_style_qml(const lc_style *s, const lc_parcels *p);

/* The Chinese word of parcel status k (in lc_status_names order), as the
** styles' value map shows it. */
const char *lc_style_status_word(size_t k);




#endif
