/* Tiny TAP assertion helper for the core image tests: one "ok N - what" line
 * per check, the plan "1..N" at the end, exit status 1 if any check failed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef CHECK_H
#define CHECK_H

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

static int check_count;
static int check_failures;

static inline int check_report(int ok, const char *file, int line, const char *format, ...)
{
    va_list args;
    check_count++;
    if (!ok)
        check_failures++;
    printf("%s %d - ", ok ? "ok" : "not ok", check_count);
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    if (!ok)
        printf(" (%s:%d)", file, line);
    printf("\n");
    fflush(stdout);
    return ok;
}

#define CHECK(condition, ...) check_report((condition) != 0, __FILE__, __LINE__, __VA_ARGS__)

/* |got - want| <= tolerance, printed with both values. */
#define CHECK_NEAR(got, want, tolerance, what)                                                     \
    check_near_report((got), (want), (tolerance), (what), __FILE__, __LINE__)

static inline int check_near_report(double got, double want, double tolerance, const char *what,
                                    const char *file, int line)
{
    int ok = isfinite(got) && fabs(got - want) <= tolerance;
    return check_report(ok, file, line, "%s: got %.9g, want %.9g +- %.3g", what, got, want,
                        tolerance);
}

static inline int check_done(void)
{
    printf("1..%d\n", check_count);
    return check_failures ? 1 : 0;
}

/* The tests' own generators, independent of core/noise.c. */
static inline uint64_t test_random_next(uint64_t *state)
{
    /* SplitMix64 step (Steele, Lea, Flood 2014). */
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline double test_random_uniform(uint64_t *state)
{
    return ((test_random_next(state) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static inline double test_random_gaussian(uint64_t *state)
{
    double u = test_random_uniform(state), v = test_random_uniform(state);
    return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

#endif
