/* Sliced real FFT against one fftwf plan of the same size and against a
 * double-precision FFTW transform: forward (r2c) and backward (c2r), sizes
 * 4 to 65536, step sizes from 64 points up (so that the four-step path runs
 * at small sizes too). The sliced result must be as close to the double
 * transform as fftwf's own plan is (float rounding), whatever the step
 * size; stepping one at a time, in uneven groups or all at once gives the
 * same bits; a restarted transform is complete; the steps make no heap call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "alloc_count.h"
#include "spectide_realtime.h"
#include "test_util.h"

#include <fftw3.h>
#include <string.h>

/* Relative L2 distance of two float arrays of count values against a double one. */
static double distance(const float *a, const double *reference, int count)
{
    double diff = 0.0, norm = 0.0;
    for (int i = 0; i < count; i++) {
        double d = a[i] - reference[i];
        diff += d * d;
        norm += reference[i] * reference[i];
    }
    return norm > 0 ? sqrt(diff / norm) : sqrt(diff);
}

static void check_forward(int n, int max_step_points, test_rng *rng)
{
    st_status error = ST_ERROR_ARGUMENT;
    st_sliced_fft *fft = st_sliced_fft_new(n, ST_FFT_FORWARD, max_step_points, &error);
    CHECK(fft && error == ST_OK, "new forward %d / %d", n, max_step_points);
    if (!fft)
        return;
    int bins = n / 2 + 1;
    float *in = fftwf_malloc(sizeof(float) * n);
    fftwf_complex *single = fftwf_malloc(sizeof(fftwf_complex) * bins);
    double *in_d = fftw_malloc(sizeof(double) * n);
    fftw_complex *out_d = fftw_malloc(sizeof(fftw_complex) * bins);
    fftwf_plan plan = fftwf_plan_dft_r2c_1d(n, in, single, FFTW_ESTIMATE);
    fftw_plan plan_d = fftw_plan_dft_r2c_1d(n, in_d, out_d, FFTW_ESTIMATE);
    float *input = st_sliced_fft_input(fft);
    for (int i = 0; i < n; i++) {
        input[i] = in[i] = (float)test_rng_gaussian(rng);
        in_d[i] = in[i];
    }
    fftwf_execute(plan);
    fftw_execute(plan_d);
    /* One step at a time, counted. */
    st_sliced_fft_start(fft);
    int steps = st_sliced_fft_steps(fft), done = 0;
    CHECK(st_sliced_fft_remaining(fft) == steps, "remaining after start");
    alloc_count_begin();
    while (st_sliced_fft_step(fft, 1) > 0)
        done++;
    alloc_count_end();
    done++;
    CHECK(done == steps && st_sliced_fft_remaining(fft) == 0, "%d steps run, %d announced", done,
          steps);
    CHECK(memcmp(input, in, sizeof(float) * n) == 0, "forward transform changed its input");
    double *reference = (double *)out_d;
    double sliced_error = distance(st_sliced_fft_output(fft), reference, 2 * bins);
    double fftwf_error = distance((const float *)single, reference, 2 * bins);
    CHECK(sliced_error <= 2.0 * fftwf_error + 2e-7,
          "forward %d (steps of %d): error %.3g against double, fftwf's own %.3g", n,
          max_step_points, sliced_error, fftwf_error);
    /* Uneven groups of steps, after an abandoned start, give the same bits. */
    float *first = malloc(sizeof(float) * 2 * bins);
    memcpy(first, st_sliced_fft_output(fft), sizeof(float) * 2 * bins);
    st_sliced_fft_start(fft);
    st_sliced_fft_step(fft, steps / 2);
    st_sliced_fft_start(fft);
    int group = 1;
    alloc_count_begin();
    while (st_sliced_fft_step(fft, group) > 0)
        group = group % 3 + 1;
    alloc_count_end();
    CHECK(memcmp(first, st_sliced_fft_output(fft), sizeof(float) * 2 * bins) == 0,
          "forward %d: step grouping changed the result", n);
    st_sliced_fft_execute(fft);
    CHECK(memcmp(first, st_sliced_fft_output(fft), sizeof(float) * 2 * bins) == 0,
          "forward %d: execute differs from steps", n);
    if (n >= 1024 && max_step_points == 4096)
        printf("forward %6d: %3d steps of <= %d points, error vs double %.2g (fftwf plan %.2g)\n",
               n, steps, max_step_points, sliced_error, fftwf_error);
    free(first);
    fftwf_destroy_plan(plan);
    fftw_destroy_plan(plan_d);
    fftwf_free(in);
    fftwf_free(single);
    fftw_free(in_d);
    fftw_free(out_d);
    st_sliced_fft_free(fft);
}

static void check_backward(int n, int max_step_points, test_rng *rng)
{
    st_status error = ST_ERROR_ARGUMENT;
    st_sliced_fft *fft = st_sliced_fft_new(n, ST_FFT_BACKWARD, max_step_points, &error);
    CHECK(fft && error == ST_OK, "new backward %d / %d", n, max_step_points);
    if (!fft)
        return;
    int bins = n / 2 + 1;
    fftwf_complex *in = fftwf_malloc(sizeof(fftwf_complex) * bins);
    float *single = fftwf_malloc(sizeof(float) * n);
    fftw_complex *in_d = fftw_malloc(sizeof(fftw_complex) * bins);
    double *out_d = fftw_malloc(sizeof(double) * n);
    fftwf_plan plan = fftwf_plan_dft_c2r_1d(n, in, single, FFTW_ESTIMATE);
    fftw_plan plan_d = fftw_plan_dft_c2r_1d(n, in_d, out_d, FFTW_ESTIMATE);
    float *input = st_sliced_fft_input(fft);
    /* Any half spectrum, with imaginary DC and Nyquist parts that c2r ignores. */
    for (int k = 0; k < bins; k++)
        for (int c = 0; c < 2; c++)
            input[2 * k + c] = (float)test_rng_gaussian(rng);
    float *kept = malloc(sizeof(float) * 2 * bins);
    memcpy(kept, input, sizeof(float) * 2 * bins);
    for (int k = 0; k < bins; k++)
        for (int c = 0; c < 2; c++) {
            in[k][c] = input[2 * k + c];
            in_d[k][c] = in[k][c];
        }
    fftwf_execute(plan); /* destroys `in`, not needed again */
    fftw_execute(plan_d);
    st_sliced_fft_start(fft);
    alloc_count_begin();
    int group = 2;
    while (st_sliced_fft_step(fft, group) > 0)
        group = group % 4 + 1;
    alloc_count_end();
    CHECK(memcmp(input, kept, sizeof(float) * 2 * bins) == 0,
          "backward transform changed its input");
    double sliced_error = distance(st_sliced_fft_output(fft), out_d, n);
    double fftwf_error = distance(single, out_d, n);
    CHECK(sliced_error <= 2.0 * fftwf_error + 2e-7,
          "backward %d (steps of %d): error %.3g against double, fftwf's own %.3g", n,
          max_step_points, sliced_error, fftwf_error);
    float *first = malloc(sizeof(float) * n);
    memcpy(first, st_sliced_fft_output(fft), sizeof(float) * n);
    st_sliced_fft_execute(fft);
    CHECK(memcmp(first, st_sliced_fft_output(fft), sizeof(float) * n) == 0,
          "backward %d: execute differs from steps", n);
    if (n >= 1024 && max_step_points == 4096)
        printf("backward %5d: %3d steps of <= %d points, error vs double %.2g (fftwf plan %.2g)\n",
               n, st_sliced_fft_steps(fft), max_step_points, sliced_error, fftwf_error);
    free(first);
    free(kept);
    fftwf_destroy_plan(plan);
    fftw_destroy_plan(plan_d);
    fftwf_free(in);
    fftwf_free(single);
    fftw_free(in_d);
    fftw_free(out_d);
    st_sliced_fft_free(fft);
}

/* Round trip: backward(forward(x)) = n x. */
static void check_round_trip(int n, test_rng *rng)
{
    st_sliced_fft *forward = st_sliced_fft_new(n, ST_FFT_FORWARD, 256, NULL);
    st_sliced_fft *backward = st_sliced_fft_new(n, ST_FFT_BACKWARD, 256, NULL);
    float *x = st_sliced_fft_input(forward);
    for (int i = 0; i < n; i++)
        x[i] = (float)test_rng_gaussian(rng);
    st_sliced_fft_execute(forward);
    memcpy(st_sliced_fft_input(backward), st_sliced_fft_output(forward),
           sizeof(float) * (size_t)(n + 2));
    st_sliced_fft_execute(backward);
    double worst = 0.0;
    const float *y = st_sliced_fft_output(backward);
    for (int i = 0; i < n; i++)
        worst = fmax(worst, fabs(y[i] / n - x[i]));
    CHECK(worst < 1e-5, "round trip %d: max error %.3g", n, worst);
    st_sliced_fft_free(forward);
    st_sliced_fft_free(backward);
}

int main(void)
{
    alloc_count_init();
    test_rng rng = {21};
    st_status error = ST_OK;
    CHECK(!st_sliced_fft_new(1000, ST_FFT_FORWARD, 4096, &error) && error == ST_ERROR_ARGUMENT,
          "size 1000 accepted");
    CHECK(!st_sliced_fft_new(2, ST_FFT_FORWARD, 4096, &error), "size 2 accepted");
    CHECK(!st_sliced_fft_new(1024, ST_FFT_FORWARD, 10, &error), "10-point steps accepted");
    CHECK(!st_sliced_fft_new(1024, (st_fft_direction)7, 4096, &error), "bad direction accepted");
    st_sliced_fft_free(NULL);
    const int steps[] = {64, 256, 4096};
    for (int n = 4; n <= 65536; n *= 2)
        for (int s = 0; s < 3; s++) {
            check_forward(n, steps[s], &rng);
            check_backward(n, steps[s], &rng);
        }
    for (int n = 64; n <= 65536; n *= 4)
        check_round_trip(n, &rng);
    /* One transform's steps are about equal: none of the 65536-point one
     * does more than max_step_points points of work. */
    st_sliced_fft *big = st_sliced_fft_new(65536, ST_FFT_FORWARD, 4096, NULL);
    CHECK(st_sliced_fft_steps(big) >= 65536 / 2 / 4096 * 2, "only %d steps for 65536 points",
          st_sliced_fft_steps(big));
    st_sliced_fft_free(big);
    CHECK(alloc_count_total() == 0, "%ld heap calls in the steps", alloc_count_total());
    return test_result("test_fft_sliced");
}
