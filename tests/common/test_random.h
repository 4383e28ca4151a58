/* The tests' own random numbers, independent of core/noise.c: SplitMix64
 * (Steele, Lea, Flood 2014), uniforms with 53 bits, Box-Muller Gaussians.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_TEST_RANDOM_H
#define SPECTIDE_TEST_RANDOM_H

#include <math.h>
#include <stdint.h>

static inline uint64_t test_random_next(uint64_t *state)
{
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
