/*
** Loading landcons-office.so (see office.h): beside the running program
** (the build tree, or a copy of both anywhere), else where it is installed.
*/
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lc_internal.h"
#include "office.h"

#ifndef LC_OFFICE_DIR
#define LC_OFFICE_DIR "/usr/local/lib/landcons"
#endif
#define LC_OFFICE_FILE "landcons-office.so"

static const lc_office_host host = {LC_OFFICE_ABI, lc_verror, lc_cancelled, lc_clock, lc_log_phase};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const lc_office *office;
static char why[LC_ERRMSG_MAX];

/* 1 with the module's path beside the running program in buf */
static int beside_program(char *buf, size_t cap)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return 0;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return 0;
    *slash = '\0';
    return snprintf(buf, cap, "%s/%s", exe, LC_OFFICE_FILE) < (int)cap;
}

static void load(void)
{
    char here[PATH_MAX + 32];
    const char *path = beside_program(here, sizeof here) && access(here, F_OK) == 0
                           ? here : LC_OFFICE_DIR "/" LC_OFFICE_FILE;
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        const char *e = dlerror();
        snprintf(why, sizeof why, "%s", e ? e : path);
        return;
    }
    lc_office_entry_fn entry = (lc_office_entry_fn)dlsym(dl, LC_OFFICE_ENTRY);
    const lc_office *o = entry ? entry(&host) : NULL;
    if (!o || o->abi != LC_OFFICE_ABI) {
        snprintf(why, sizeof why, "%s: not a landcons %s office module", path, lc_version());
        dlclose(dl);
        return;
    }
    office = o;  /* kept loaded until the process ends */
}

const lc_office *lc_office_get(lc_ctx *ctx)
{
    pthread_once(&once, load);
    if (!office)
        lc_error(ctx, LC_EINPUT, "the sign-off PDF and the workbooks need the office module: %s", why);
    return office;
}
