/*
** The language of the interface (GNU gettext): chosen once at start from
** --lang, --json and the environment, and the words of the bureau for
** statuses, severities and QA kinds where the interface is Chinese.
** The CLI's messages and the library's share one catalogue (LC_TEXT_DOMAIN).
*/
#ifndef LC_CLI_I18N_H
#define LC_CLI_I18N_H

#include <libintl.h>

#include "landcons.h"

/* The translation of an English message of the CLI; N_ marks a message
** kept in a table and translated where it is printed. */
#define _(msgid) dgettext(LC_TEXT_DOMAIN, msgid)
#define N_(msgid) msgid

/*
** Chooses the language before any message: `--lang zh|en` on the command
** line, else LANGUAGE, LC_ALL, LC_MESSAGES and LANG as gettext reads them;
** `--json` always English (its keys and values are a stable contract, and
** its messages with them). Chinese binds the catalogue installed beside the
** program (build/locale) or under the install prefix, and works without a
** zh_CN locale on the system (C.UTF-8 then carries the messages). Only
** LC_MESSAGES is set: numbers, dates and character classes stay "C", so
** no output depends on the locale.
*/
void cli_i18n_init(int argc, char **argv);
/* 1 when the interface is Chinese. */
int cli_zh(void);
/* "zh" or "en": the language chosen. */
const char *cli_lang(void);

/* The word shown for a status (by its stable name, e.g. "pending"), a
** severity and a QA kind: the identifiers in English, the bureau's words in
** Chinese (from the library's own tables). Static strings. */
const char *cli_status_word(const char *name);
const char *cli_severity_word(lc_severity s);
const char *cli_kind_word(const char *kind);

#endif
