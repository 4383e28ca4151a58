/* The check macros every C test of core/ and view/ uses (one copy): one TAP
 * line per check on stdout ("ok N - what", or "not ok N - what (file:line:
 * condition)", the failure repeated on stderr for logs), the plan "1..N" at
 * the end, and an exit status of 1 if any check failed. Works for meson's
 * 'tap' protocol and for plain exit-status tests alike.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_TEST_CHECK_H
#define SPECTIDE_TEST_CHECK_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

static int check_count;
static int check_failures;

static inline int check_report(int ok, const char *condition, const char *file, int line,
                               const char *format, ...) __attribute__((format(printf, 5, 6)));

static inline int check_report(int ok, const char *condition, const char *file, int line,
                               const char *format, ...)
{
    va_list args;
    check_count++;
    if (!ok)
        check_failures++;
    printf("%s %d - ", ok ? "ok" : "not ok", check_count);
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    if (!ok) {
        printf(" (%s:%d: %s)", file, line, condition);
        fprintf(stderr, "FAIL %s:%d: %s: ", file, line, condition);
        va_start(args, format);
        vfprintf(stderr, format, args);
        va_end(args);
        fputc('\n', stderr);
    }
    printf("\n");
    fflush(stdout);
    return ok;
}

/* CHECK(condition, printf-style description). */
#define CHECK(condition, ...)                                                                      \
    check_report((condition) != 0, #condition, __FILE__, __LINE__, __VA_ARGS__)

/* |got - want| <= tolerance, printed with both values. */
#define CHECK_NEAR(got, want, tolerance, what)                                                     \
    check_near_report((got), (want), (tolerance), (what), __FILE__, __LINE__)

static inline int check_near_report(double got, double want, double tolerance, const char *what,
                                    const char *file, int line)
{
    int ok = isfinite(got) && fabs(got - want) <= tolerance;
    return check_report(ok, "|got - want| <= tolerance", file, line,
                        "%s: got %.9g, want %.9g +- %.3g", what, got, want, tolerance);
}

/* The plan line and the exit status: return check_done() from main. */
static inline int check_done(void)
{
    printf("1..%d\n", check_count);
    if (check_failures)
        fprintf(stderr, "%d of %d checks failed\n", check_failures, check_count);
    return check_failures ? 1 : 0;
}

#endif
