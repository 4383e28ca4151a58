/* Small helpers shared by the audio core tests: the common check macros
 * (tests/common/check.h) and an independent Gaussian generator (xorshift64*
 * + Box-Muller), so the tests do not depend on the core's own noise code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include "check.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    uint64_t state;
} test_rng;

static inline uint64_t test_rng_next(test_rng *rng)
{
    uint64_t x = rng->state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng->state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* Uniform in (0,1): never 0, so log() is safe. */
static inline double test_rng_uniform(test_rng *rng)
{
    return ((double)(test_rng_next(rng) >> 11) + 0.5) / 9007199254740992.0;
}

static inline double test_rng_gaussian(test_rng *rng)
{
    double u1 = test_rng_uniform(rng), u2 = test_rng_uniform(rng);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

static inline double to_db(double power)
{
    return 10.0 * log10(power);
}

static inline int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The end of a test's main(): the plan and the exit status. */
static inline int test_result(const char *name)
{
    (void)name;
    return check_done();
}

#endif
