/* Log-domain average of spectra of different sizes, against hand computations.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "check.h"
#include "test_random.h"
#include "spectide.h"

#include <stdlib.h>

/* A coarse spectrum on rings r/8 (an 8-pixel image) and a fine one on r/16. */
static void check_by_hand(void)
{
    double coarse_freq[4] = {0, 1 / 8.0, 2 / 8.0, 3 / 8.0};
    double coarse_power[4] = {1000, 100, 10, 1};
    double fine_freq[8], fine_power[8];
    for (int r = 0; r < 8; r++) {
        fine_freq[r] = r / 16.0;
        fine_power[r] = 2.0 * (r + 1);
    }
    st_logavg *avg = st_logavg_new(NULL);
    CHECK(st_logavg_add(avg, coarse_freq, coarse_power, 4) == ST_OK, "add the coarse spectrum");
    CHECK(st_logavg_add(avg, fine_freq, fine_power, 8) == ST_OK, "add the fine spectrum");
    CHECK(st_logavg_count(avg) == 2, "two spectra counted");
    const double *freq, *mean;
    int n = st_logavg_result(avg, &freq, &mean);
    CHECK(n == 8 && freq[3] == 3 / 16.0, "common axis: the fine spectrum's 8 rings");

    /* DC: both. (log10 1000 + log10 2) / 2. */
    CHECK_NEAR(mean[0], (3.0 + log10(2.0)) / 2, 1e-12, "DC: mean of both logs");
    /* 1/16 lies below the coarse range [1/8, 3/8]: fine only, log10 4. */
    CHECK_NEAR(mean[1], log10(4.0), 1e-12, "1/16: only the fine spectrum covers it");
    /* 2/16 = 1/8: coarse exact (2) and fine log10 6. */
    CHECK_NEAR(mean[2], (2.0 + log10(6.0)) / 2, 1e-12, "1/8: exact coarse point");
    /* 3/16: coarse between 1/8 (log 2) and 2/8 (log 1), weight
     * log(3/16 / 1/8) / log 2 = log2(1.5); fine log10 8. */
    double coarse = 2.0 - log2(1.5);
    CHECK_NEAR(mean[3], (coarse + log10(8.0)) / 2, 1e-12, "3/16: coarse interpolated in log-log");
    /* 6/16 = 3/8: the coarse range's end (log 0). */
    CHECK_NEAR(mean[6], (0.0 + log10(14.0)) / 2, 1e-12, "3/8: end of the coarse range");
    /* 7/16 beyond the coarse range: fine only. */
    CHECK_NEAR(mean[7], log10(16.0), 1e-12, "7/16: beyond the coarse range, fine only");

    /* A hole (zero power) in the only spectrum covering a point: NaN there. */
    fine_power[7] = 0.0;
    st_logavg *holes = st_logavg_new(NULL);
    st_logavg_add(holes, fine_freq, fine_power, 8);
    n = st_logavg_result(holes, &freq, &mean);
    CHECK(n == 8 && isnan(mean[7]) && !isnan(mean[6]), "uncovered point is NaN");
    st_logavg_free(holes);

    double bad_freq[3] = {0.0, 0.2, 0.1};
    CHECK(st_logavg_add(avg, bad_freq, coarse_power, 3) == ST_ERROR_ARGUMENT,
          "descending frequencies refused");
    double zero_power[2] = {0.0, -1.0};
    CHECK(st_logavg_add(avg, coarse_freq, zero_power, 2) == ST_ERROR_NOT_FINITE,
          "no usable power refused");
    CHECK(st_logavg_add(avg, coarse_freq, coarse_power, 0) == ST_ERROR_ARGUMENT,
          "empty spectrum refused");
    CHECK(st_logavg_count(avg) == 2, "refused spectra are not counted");
    st_logavg_free(avg);
    st_logavg *empty = st_logavg_new(NULL);
    CHECK(st_logavg_result(empty, &freq, &mean) == 0, "empty average: 0 points");
    st_logavg_free(empty);
}

/* Two real RAPSDs of different images sizes: the 48x40 image's rings r/48
 * and the 20x20 image's rings r/20 share f = 0.25 (ring 12 and ring 5). */
static void check_two_images(void)
{
    uint64_t seed = 3;
    float *big = malloc(48 * 40 * sizeof *big), *small = malloc(20 * 20 * sizeof *small);
    for (int i = 0; i < 48 * 40; i++)
        big[i] = (float)test_random_gaussian(&seed);
    for (int i = 0; i < 20 * 20; i++)
        small[i] = (float)(2.0 * test_random_gaussian(&seed));
    st_rapsd *big_rapsd = st_rapsd_new(48, 40, NULL), *small_rapsd = st_rapsd_new(20, 20, NULL);
    double big_freq[24], big_power[24], small_freq[10], small_power[10];
    st_rapsd_run(big_rapsd, big, big_power);
    st_rapsd_frequencies(big_rapsd, big_freq);
    st_rapsd_run(small_rapsd, small, small_power);
    st_rapsd_frequencies(small_rapsd, small_freq);
    st_logavg *avg = st_logavg_new(NULL);
    st_logavg_add(avg, small_freq, small_power, 10);
    st_logavg_add(avg, big_freq, big_power, 24);
    const double *freq, *mean;
    int n = st_logavg_result(avg, &freq, &mean);
    CHECK(n == 24, "images 48x40 and 20x20: axis of the larger (24 rings)");
    CHECK_NEAR(mean[12], (log10(big_power[12]) + log10(small_power[5])) / 2, 1e-12,
               "f = 0.25: mean of ring 12 and ring 5 logs");
    /* f = 13/48 sits between the small image's rings 5 (0.25) and 6 (0.3). */
    double weight = log10((13.0 / 48) / 0.25) / log10(0.3 / 0.25);
    double small_at =
        log10(small_power[5]) + weight * (log10(small_power[6]) - log10(small_power[5]));
    CHECK_NEAR(mean[13], (log10(big_power[13]) + small_at) / 2, 1e-12,
               "f = 13/48: small image interpolated in log-log");
    CHECK_NEAR(mean[23], log10(big_power[23]), 1e-12,
               "f = 23/48 beyond the small image's last ring 0.45: large image only");
    st_logavg_free(avg);
    st_rapsd_free(big_rapsd);
    st_rapsd_free(small_rapsd);
    free(big);
    free(small);
}

int main(void)
{
    check_by_hand();
    check_two_images();
    return check_done();
}
