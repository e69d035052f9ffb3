/*
** A tiny test harness: each check prints what it compared and, on failure,
** both values and the tolerance with its unit; main returns the number of
** failures so ctest sees any of them.
*/
#ifndef LC_TEST_H
#define LC_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int lc_test_failures, lc_test_checks;

#define CHECK(cond, ...)                                                        \
    do {                                                                        \
        lc_test_checks++;                                                       \
        if (!(cond)) {                                                          \
            lc_test_failures++;                                                 \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);     \
            fprintf(stderr, __VA_ARGS__);                                       \
            fputc('\n', stderr);                                                \
        }                                                                       \
    } while (0)

/* |got - want| <= tol (absolute, in `unit`) */
#define CHECK_ABS(got, want, tol, unit, what)                                   \
    do {                                                                        \
        double g_ = (got), w_ = (want);                                         \
        CHECK(fabs(g_ - w_) <= (tol), "%s: got %.17g, want %.17g, diff %.3g %s (tol %.3g)", \
              (what), g_, w_, g_ - w_, (unit), (double)(tol));                  \
    } while (0)

/* relative difference <= rel */
#define CHECK_REL(got, want, rel, what)                                         \
    do {                                                                        \
        double g_ = (got), w_ = (want);                                         \
        double r_ = w_ != 0 ? fabs(g_ - w_) / fabs(w_) : fabs(g_);              \
        CHECK(r_ <= (rel), "%s: got %.17g, want %.17g, relative %.3g (tol %.3g)", \
              (what), g_, w_, r_, (double)(rel));                               \
    } while (0)

#define CHECK_STR(got, want, what)                                              \
    do {                                                                        \
        const char *g_ = (got), *w_ = (want);                                   \
        CHECK(g_ && w_ && !strcmp(g_, w_), "%s: got \"%s\", want \"%s\"", (what), \
              g_ ? g_ : "(null)", w_ ? w_ : "(null)");                          \
    } while (0)

static inline int lc_test_report(const char *name)
{
    printf("%s: %d checks, %d failures\n", name, lc_test_checks, lc_test_failures);
    return lc_test_failures ? 1 : 0;
}

#endif
