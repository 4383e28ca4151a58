/* Sliced cepstral view against st_cepstral (the reference implementation of
 * the view, itself checked against synthesised power-law images in
 * test_cepstral): the same pushed columns give the same RAPSD (to float
 * rounding of the FFTs) and the same fit, for several image shapes; columns
 * pushed while the steps run do not change the result (snapshot); the
 * grouping of steps does not change the bits; non-finite values read as
 * -100 dB as in st_cepstral; with top_db 80 the window is floored at its
 * maximum - 80 dB first (the reference: st_cepstral fed the window floored
 * here); push, start, steps and result make no heap call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "alloc_count.h"
#include "spectide_audio.h"
#include "spectide_realtime.h"
#include "test_util.h"

#include <string.h>

/* A log-mel-like column: a slow spectral tilt, a moving formant, noise. */
static void make_column(float *column, int n_mels, int t, test_rng *rng)
{
    for (int m = 0; m < n_mels; m++)
        column[m] = (float)(-20.0 - 30.0 * m / n_mels +
                            15.0 * exp(-0.5 * pow((m - n_mels * (0.3 + 0.2 * sin(0.05 * t))) /
                                                      (0.05 * n_mels + 1),
                                                  2)) +
                            3.0 * test_rng_gaussian(rng));
}

static void check_shape(int n_mels, int frames, int max_step, test_rng *rng)
{
    st_status error = ST_ERROR_ARGUMENT;
    st_sliced_cepstral *sliced = st_sliced_cepstral_new(n_mels, frames, max_step, &error);
    st_cepstral *reference = st_cepstral_new(n_mels, frames, NULL);
    CHECK(sliced && error == ST_OK && reference, "new %d x %d", n_mels, frames);
    if (!sliced || !reference)
        return;
    int rings = st_sliced_cepstral_ring_count(sliced);
    CHECK(rings == st_cepstral_ring_count(reference), "%d rings, st_cepstral has %d", rings,
          st_cepstral_ring_count(reference));
    float *column = malloc(sizeof(float) * n_mels);
    double *freq = malloc(sizeof(double) * rings), *power = malloc(sizeof(double) * rings);
    double *ref_freq = malloc(sizeof(double) * rings), *ref_power = malloc(sizeof(double) * rings);
    CHECK(st_sliced_cepstral_start(sliced) == ST_NOT_READY, "started before full");
    CHECK(st_sliced_cepstral_result(sliced, freq, power, NULL) == ST_NOT_READY,
          "result before any analysis");
    /* More than a window, with a NaN and an Inf among the values. */
    for (int t = 0; t < frames + frames / 3; t++) {
        make_column(column, n_mels, t, rng);
        if (t == frames / 2)
            column[1] = NAN;
        if (t == frames / 2 + 1)
            column[n_mels - 1] = INFINITY;
        alloc_count_begin();
        st_sliced_cepstral_push(sliced, column);
        alloc_count_end();
        st_cepstral_push(reference, column);
    }
    st_powerlaw fit, ref_fit;
    st_status ref_status = st_cepstral_run(reference, ref_freq, ref_power, &ref_fit);
    alloc_count_begin();
    CHECK(st_sliced_cepstral_start(sliced) == ST_OK, "start refused");
    /* Columns pushed while the steps run belong to the next analysis. */
    int group = 1, pushed = 0;
    while (st_sliced_cepstral_step(sliced, group) > 0) {
        group = group % 3 + 1;
        if (pushed < 5) {
            st_sliced_cepstral_push(sliced, column);
            pushed++;
        }
    }
    st_status status = st_sliced_cepstral_result(sliced, freq, power, &fit);
    alloc_count_end();
    CHECK(status == ref_status, "status %d, st_cepstral %d", status, ref_status);
    double worst = 0.0;
    for (int r = 0; r < rings; r++) {
        CHECK(freq[r] == ref_freq[r], "ring %d frequency %g, expected %g", r, freq[r], ref_freq[r]);
        worst = fmax(worst, fabs(power[r] - ref_power[r]) / fmax(ref_power[r], 1e-30));
    }
    CHECK(worst < 2e-4, "%d x %d: RAPSD differs from st_cepstral by %.3g (relative)", n_mels,
          frames, worst);
    CHECK(fabs(fit.alpha - ref_fit.alpha) < 1e-4 && fabs(fit.c - ref_fit.c) < 1e-4 &&
              fabs(fit.r_squared - ref_fit.r_squared) < 1e-4,
          "%d x %d: fit alpha %.6f c %.6f r2 %.6f, st_cepstral %.6f %.6f %.6f", n_mels, frames,
          fit.alpha, fit.c, fit.r_squared, ref_fit.alpha, ref_fit.c, ref_fit.r_squared);
    /* The same window in a fresh object, all steps at once against one at
     * a time: the same bits. */
    st_sliced_cepstral *again = st_sliced_cepstral_new(n_mels, frames, max_step, NULL);
    st_sliced_cepstral_reset(sliced);
    for (int t = 0; t < frames; t++) {
        make_column(column, n_mels, t, rng);
        st_sliced_cepstral_push(sliced, column);
        st_sliced_cepstral_push(again, column);
    }
    st_sliced_cepstral_start(sliced);
    st_sliced_cepstral_start(again);
    st_sliced_cepstral_step(sliced, st_sliced_cepstral_steps(sliced));
    while (st_sliced_cepstral_step(again, 1) > 0) {
    }
    st_sliced_cepstral_result(sliced, NULL, power, NULL);
    st_sliced_cepstral_result(again, NULL, ref_power, NULL);
    CHECK(memcmp(power, ref_power, sizeof(double) * rings) == 0,
          "%d x %d: step grouping changed the result", n_mels, frames);
    if (max_step == 4096)
        printf("cepstral %3d x %3d: %3d steps of <= %d values, RAPSD within %.2g of st_cepstral, "
               "alpha %.4f (st_cepstral %.4f)\n",
               n_mels, frames, st_sliced_cepstral_steps(sliced), max_step, worst, fit.alpha,
               ref_fit.alpha);
    st_sliced_cepstral_free(again);
    free(column);
    free(freq);
    free(power);
    free(ref_freq);
    free(ref_power);
    st_sliced_cepstral_free(sliced);
    st_cepstral_free(reference);
}

/* The 80 dB floor over the window: a column 95 dB under the rest (deep
 * silence in some bands), against st_cepstral fed the same window with
 * every value below its maximum - 80 raised to that floor here. */
static void check_floor(int n_mels, int frames, test_rng *rng)
{
    st_sliced_cepstral *sliced = st_sliced_cepstral_new(n_mels, frames, 4096, NULL);
    st_cepstral *reference = st_cepstral_new(n_mels, frames, NULL);
    st_cepstral *unfloored = st_cepstral_new(n_mels, frames, NULL);
    int rings = st_sliced_cepstral_ring_count(sliced);
    float *window = malloc(sizeof(float) * (size_t)n_mels * frames);
    double *power = malloc(sizeof(double) * rings), *ref_power = malloc(sizeof(double) * rings);
    double *raw_power = malloc(sizeof(double) * rings);
    float top = -INFINITY;
    for (int t = 0; t < frames; t++) {
        float *column = window + (size_t)t * n_mels;
        make_column(column, n_mels, t, rng);
        for (int m = n_mels / 2; m < n_mels; m++)
            if (t % 5 == 0)
                column[m] -= 95.0f; /* the upper bands drop out now and then */
        for (int m = 0; m < n_mels; m++)
            top = fmaxf(top, column[m]);
        st_sliced_cepstral_push(sliced, column);
        st_cepstral_push(unfloored, column);
    }
    int floored = 0;
    for (int t = 0; t < frames; t++) {
        float *column = window + (size_t)t * n_mels;
        for (int m = 0; m < n_mels; m++)
            if (column[m] < top - 80.0f) {
                column[m] = top - 80.0f;
                floored++;
            }
        st_cepstral_push(reference, column);
    }
    st_sliced_cepstral_set_top_db(sliced, 80.0);
    st_powerlaw fit, ref_fit, raw_fit;
    alloc_count_begin();
    st_sliced_cepstral_start(sliced);
    st_sliced_cepstral_step(sliced, st_sliced_cepstral_steps(sliced));
    st_sliced_cepstral_result(sliced, NULL, power, &fit);
    alloc_count_end();
    st_cepstral_run(reference, NULL, ref_power, &ref_fit);
    st_cepstral_run(unfloored, NULL, raw_power, &raw_fit);
    double worst = 0.0;
    for (int r = 0; r < rings; r++)
        worst = fmax(worst, fabs(power[r] - ref_power[r]) / fmax(ref_power[r], 1e-30));
    printf("cepstral %d x %d, top_db 80: %d values floored, RAPSD within %.2g of st_cepstral on "
           "the floored window; alpha %.4f (floored reference %.4f, no floor %.4f)\n",
           n_mels, frames, floored, worst, fit.alpha, ref_fit.alpha, raw_fit.alpha);
    CHECK(floored > 0 && worst < 2e-4 && fabs(fit.alpha - ref_fit.alpha) < 1e-4,
          "floor: RAPSD %.3g off, alpha %.6f vs %.6f", worst, fit.alpha, ref_fit.alpha);
    CHECK(fabs(fit.alpha - raw_fit.alpha) > 1e-3, "the floor changed nothing");
    /* Off again (top_db <= 0): the unfloored view. */
    st_sliced_cepstral_set_top_db(sliced, 0.0);
    st_sliced_cepstral_start(sliced);
    st_sliced_cepstral_step(sliced, st_sliced_cepstral_steps(sliced));
    st_sliced_cepstral_result(sliced, NULL, power, &fit);
    CHECK(fabs(fit.alpha - raw_fit.alpha) < 1e-4, "no floor: alpha %.6f vs %.6f", fit.alpha,
          raw_fit.alpha);
    free(window);
    free(power);
    free(ref_power);
    free(raw_power);
    st_sliced_cepstral_free(sliced);
    st_cepstral_free(reference);
    st_cepstral_free(unfloored);
}

int main(void)
{
    alloc_count_init();
    test_rng rng = {41};
    st_status error = ST_OK;
    CHECK(!st_sliced_cepstral_new(100, 128, 4096, &error) && error == ST_ERROR_ARGUMENT,
          "100 mels accepted");
    CHECK(!st_sliced_cepstral_new(128, 128, 8, &error), "8-value steps accepted");
    st_sliced_cepstral_free(NULL);
    const int shapes[][2] = {{32, 128}, {128, 128}, {256, 128}, {8, 8}, {64, 16}, {16, 64}};
    for (int i = 0; i < 6; i++) {
        check_shape(shapes[i][0], shapes[i][1], 4096, &rng);
        check_shape(shapes[i][0], shapes[i][1], 64, &rng);
    }
    check_floor(128, 128, &rng);
    check_floor(32, 64, &rng);
    CHECK(alloc_count_total() == 0, "%ld heap calls in push / start / step / result",
          alloc_count_total());
    return test_result("test_cepstral_sliced");
}
