/* Reproducible Gaussian noise: counter-based for images, streaming for audio.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide.h"

#include <math.h>

#define GOLDEN_GAMMA    0x9e3779b97f4a7c15ULL
#define TWO_TO_MINUS_53 (1.0 / 9007199254740992.0)

/* SplitMix64's output function (Steele, Lea, Flood 2014): a bijective mix
 * whose outputs for consecutive counters pass BigCrush. */
static uint64_t splitmix64_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Box-Muller from two 64-bit words: u1 in (0,1) (never 0, so log is finite),
 * u2 in [0,1), 53 bits each. */
static double box_muller(uint64_t word1, uint64_t word2)
{
    double u1 = ((double)(word1 >> 11) + 0.5) * TWO_TO_MINUS_53;
    double u2 = (double)(word2 >> 11) * TWO_TO_MINUS_53;
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* Outputs 2i+1 and 2i+2 of the SplitMix64 stream seeded with `seed`:
 * mix(seed + k * golden gamma), so any index is reached in O(1). */
double st_gaussian_at(uint64_t seed, uint64_t index)
{
    uint64_t counter = 2 * index + 1;
    uint64_t word1 = splitmix64_mix(seed + counter * GOLDEN_GAMMA);
    uint64_t word2 = splitmix64_mix(seed + (counter + 1) * GOLDEN_GAMMA);
    return box_muller(word1, word2);
}

void st_gaussian_fill(uint64_t seed, uint64_t first_index, float *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (float)st_gaussian_at(seed, first_index + i);
}

static uint64_t rotate_left(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void st_rng_seed(st_rng *rng, uint64_t seed)
{
    /* Seeding xoshiro from SplitMix64 as its authors recommend: never all zero. */
    for (int i = 0; i < 4; i++) {
        seed += GOLDEN_GAMMA;
        rng->state[i] = splitmix64_mix(seed);
    }
    rng->spare = 0.0;
    rng->has_spare = 0;
}

/* xoshiro256** 1.0 (Blackman, Vigna 2018). */
uint64_t st_rng_next(st_rng *rng)
{
    uint64_t *s = rng->state;
    uint64_t result = rotate_left(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotate_left(s[3], 45);
    return result;
}

double st_rng_uniform(st_rng *rng)
{
    return (double)(st_rng_next(rng) >> 11) * TWO_TO_MINUS_53;
}

double st_rng_gaussian(st_rng *rng)
{
    if (rng->has_spare) {
        rng->has_spare = 0;
        return rng->spare;
    }
    double u1 = ((double)(st_rng_next(rng) >> 11) + 0.5) * TWO_TO_MINUS_53;
    double u2 = st_rng_uniform(rng);
    double radius = sqrt(-2.0 * log(u1));
    rng->spare = radius * sin(2.0 * M_PI * u2);
    rng->has_spare = 1;
    return radius * cos(2.0 * M_PI * u2);
}

void st_diffuse(const float *x0, size_t n, double a, double s, uint64_t seed, float *xt)
{
    for (size_t i = 0; i < n; i++)
        xt[i] = (float)(a * x0[i] + s * st_gaussian_at(seed, i));
}
