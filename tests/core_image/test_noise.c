/* Reproducible Gaussian noise: the documented construction re-derived here,
 * same bits for the same seed, and the sample moments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "check.h"
#include "test_random.h"
#include "spectide.h"

#include <stdlib.h>
#include <string.h>

/* The header's definition, with check.h's own SplitMix64 stream. */
static double reference_gaussian(uint64_t seed, uint64_t index)
{
    uint64_t state = seed + 2 * index * 0x9e3779b97f4a7c15ULL;
    uint64_t w1 = test_random_next(&state), w2 = test_random_next(&state);
    double u1 = ((double)(w1 >> 11) + 0.5) / 9007199254740992.0;
    double u2 = (double)(w2 >> 11) / 9007199254740992.0;
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static void check_counter_based(void)
{
    int ok = 1;
    for (uint64_t i = 0; i < 1000; i++)
        ok &= st_gaussian_at(42, i) == reference_gaussian(42, i);
    ok &= st_gaussian_at(7, 123456789012ULL) == reference_gaussian(7, 123456789012ULL);
    CHECK(ok, "st_gaussian_at follows the documented SplitMix64 + Box-Muller construction");

    enum { n = 4096 };
    float *first = malloc(n * sizeof *first), *second = malloc(n * sizeof *second);
    st_gaussian_fill(99, 0, first, n);
    st_gaussian_fill(99, 0, second, n);
    CHECK(memcmp(first, second, n * sizeof *first) == 0, "same seed: same noise bits");
    st_gaussian_fill(99, 1000, second, 10);
    CHECK(memcmp(first + 1000, second, 10 * sizeof *first) == 0,
          "a crop (first_index 1000) gets the same values as the full fill");
    st_gaussian_fill(100, 0, second, n);
    int differ = 0;
    for (int i = 0; i < n; i++)
        differ += first[i] != second[i];
    CHECK(differ > n - 5, "another seed: different noise (%d of %d differ)", differ, n);

    float x0[n];
    for (int i = 0; i < n; i++)
        x0[i] = (float)sin(0.01 * i);
    st_diffuse(x0, n, 0.6, 0.8, 99, second);
    ok = 1;
    for (int i = 0; i < n; i++)
        ok &= second[i] == (float)(0.6 * x0[i] + 0.8 * st_gaussian_at(99, (uint64_t)i));
    CHECK(ok, "st_diffuse = a x0 + s eps(seed, i)");
    free(first);
    free(second);
}

/* Mean within 5 standard errors of 0, variance within 5 of 1, and the share
 * inside one sigma (erf(1/sqrt 2) = 0.682689) within 5 binomial errors. */
static void check_moments(const char *what, const double *values, int n)
{
    double sum = 0.0, squares = 0.0;
    int inside = 0;
    for (int i = 0; i < n; i++) {
        sum += values[i];
        squares += values[i] * values[i];
        inside += fabs(values[i]) < 1.0;
    }
    double mean = sum / n, variance = squares / n - mean * mean;
    char label[96];
    snprintf(label, sizeof label, "%s: mean", what);
    CHECK_NEAR(mean, 0.0, 5.0 / sqrt(n), label);
    snprintf(label, sizeof label, "%s: variance", what);
    CHECK_NEAR(variance, 1.0, 5.0 * sqrt(2.0 / n), label);
    double share = erf(1.0 / sqrt(2.0));
    snprintf(label, sizeof label, "%s: share within one sigma", what);
    CHECK_NEAR((double)inside / n, share, 5.0 * sqrt(share * (1 - share) / n), label);
}

static void check_streaming(void)
{
    /* xoshiro256** written out from its published reference. */
    uint64_t s[4], seed = 5;
    for (int i = 0; i < 4; i++)
        s[i] = test_random_next(&seed);
    st_rng rng;
    st_rng_seed(&rng, 5);
    int ok = 1;
    for (int i = 0; i < 100; i++) {
        uint64_t want = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = rotl(s[3], 45);
        ok &= st_rng_next(&rng) == want;
    }
    CHECK(ok, "st_rng: xoshiro256** seeded by SplitMix64");
    st_rng copy;
    st_rng_seed(&rng, 11);
    st_rng_seed(&copy, 11);
    ok = 1;
    for (int i = 0; i < 1001; i++)
        ok &= st_rng_gaussian(&rng) == st_rng_gaussian(&copy);
    CHECK(ok, "st_rng: same seed, same Gaussian stream");
    double u_min = 1.0, u_max = 0.0;
    for (int i = 0; i < 100000; i++) {
        double u = st_rng_uniform(&rng);
        u_min = fmin(u_min, u);
        u_max = fmax(u_max, u);
    }
    CHECK(u_min >= 0.0 && u_max < 1.0 && u_min < 1e-3 && u_max > 1 - 1e-3,
          "st_rng_uniform in [0,1) and covers it");
}

int main(void)
{
    check_counter_based();
    enum { n = 1000000 };
    double *values = malloc(n * sizeof *values);
    for (int i = 0; i < n; i++)
        values[i] = st_gaussian_at(2024, (uint64_t)i);
    check_moments("st_gaussian_at, 1e6 values", values, n);
    check_streaming();
    st_rng rng;
    st_rng_seed(&rng, 2024);
    for (int i = 0; i < n; i++)
        values[i] = st_rng_gaussian(&rng);
    check_moments("st_rng_gaussian, 1e6 values", values, n);
    free(values);
    return check_done();
}
