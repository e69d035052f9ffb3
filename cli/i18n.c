/* The language of the interface (see i18n.h). */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"

#ifndef LC_LOCALEDIR
#define LC_LOCALEDIR "/usr/local/share/locale"
#endif

static int g_zh;

int cli_zh(void) { return g_zh; }

const char *cli_lang(void) { return g_zh ? "zh" : "en"; }

/* 1 zh, 0 en, -1 a language we have no catalogue for. */
static int language_of(const char *name)
{
    if (!strncmp(name, "zh", 2)) return 1;
    if (!strncmp(name, "en", 2) || !strcmp(name, "C") || !strncmp(name, "C.", 2) || !strcmp(name, "POSIX"))
        return 0;
    return -1;
}

/* What gettext would choose: the locale of LC_MESSAGES (LC_ALL, then
** LC_MESSAGES, then LANG), and before it the LANGUAGE list unless that
** locale is plain C, whose messages POSIX fixes; entries without a
** catalogue are passed over as gettext passes them over. */
static int environment_is_zh(void)
{
    const char *locale = NULL;
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < 3 && !locale; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) locale = v;
    }
    if (!locale) locale = "C";
    const char *list = getenv("LANGUAGE");
    if (list && *list && strcmp(locale, "C") && strcmp(locale, "POSIX")) {
        char entry[64];
        for (const char *p = list; *p;) {
            size_t n = strcspn(p, ":");
            if (n && n < sizeof entry) {
                memcpy(entry, p, n);
                entry[n] = '\0';
                int l = language_of(entry);
                if (l >= 0) return l;
            }
            p += n + (p[n] == ':');
        }
    }
    return language_of(locale) == 1;
}

/* The catalogue beside the program (the build folder: build/locale), else
** the one installed under the prefix. */
static void locale_dir(char *buf, size_t cap)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char mo[PATH_MAX + 64];
            snprintf(mo, sizeof mo, "%s/locale/zh_CN/LC_MESSAGES/%s.mo", exe, LC_TEXT_DOMAIN);
            if (access(mo, R_OK) == 0) {
                snprintf(buf, cap, "%s/locale", exe);
                return;
            }
        }
    }
    snprintf(buf, cap, "%s", LC_LOCALEDIR);
}

void cli_i18n_init(int argc, char **argv)
{
    const char *forced = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) break;
        if (!strcmp(argv[i], "--json")) json = 1;
        else if (!strcmp(argv[i], "--lang") && i + 1 < argc) forced = argv[++i];
        else if (!strncmp(argv[i], "--lang=", 7)) forced = argv[i] + 7;
    }
    g_zh = !json && (forced ? language_of(forced) == 1 : environment_is_zh());
    if (!g_zh) {
        /* the C messages: gettext returns every English message as it is */
        setlocale(LC_MESSAGES, "C");
        return;
    }
    const char *set = setlocale(LC_MESSAGES, "");
    if (!set || !strcmp(set, "C") || !strcmp(set, "POSIX")) setlocale(LC_MESSAGES, "C.UTF-8");
    /* the catalogue we have, whatever the Chinese variant or list asked */
    setenv("LANGUAGE", "zh_CN", 1);
    char dir[PATH_MAX + 16];
    locale_dir(dir, sizeof dir);
    bindtextdomain(LC_TEXT_DOMAIN, dir);
    /* every output of landcons is UTF-8, whatever the locale's charset; the
    ** C library's own messages (strerror) too, which LC_CTYPE "C" would
    ** otherwise turn into question marks */
    bind_textdomain_codeset(LC_TEXT_DOMAIN, "UTF-8");
    bind_textdomain_codeset("libc", "UTF-8");
}

const char *cli_status_word(const char *name)
{
    if (!g_zh || !name) return name;
    for (int k = 0; k < LC_STATUS_COUNT; k++)
        if (!strcmp(lc_status_names[k], name)) return lc_status_zh(k);
    return name;
}

const char *cli_severity_word(lc_severity s)
{
    return g_zh ? lc_severity_zh(s) : lc_severity_name(s);
}

const char *cli_kind_word(const char *kind)
{
    const char *zh = g_zh ? lc_qa_kind_zh(kind) : NULL;
    return zh ? zh : kind;
}
