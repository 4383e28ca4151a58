/* Benchmark of the "Noise as Low-pass" preview after a change of t.
 *
 * Runs the code path the GIMP preview runs once the spectra are cached
 * (tide_cache_filter + tide_cache_render_u8 on a preview-sized area, plus
 * the f_max look-up) for a 1 MP and a 12 MP image, and compares it side by
 * side with the floor: one forward + inverse fftw3f r2c/c2r of the same size.
 * Prints the ratio per view; the goal is <= 2 (one channel). Never a test:
 * timings are reported, not asserted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <fftw3.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "spectide.h"
#include "tide-cache.h"

#define PREVIEW_WIDTH  512
#define PREVIEW_HEIGHT 384
#define REPEATS        3

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* A stand-in photo with a power-law spectrum: sums of smooth noise octaves
 * would take long at 12 MP, so a few oriented gradients and blobs plus noise
 * are enough (timing does not depend on content, f_max only picks rings). */
static void make_image(float *x, int width, int height, uint64_t seed)
{
    for (int y = 0; y < height; y++)
        for (int i = 0; i < width; i++) {
            double u = (double)i / width, v = (double)y / height;
            x[(size_t)y * width + i] =
                (float)(0.5 * sin(6.0 * u + 2.0 * v) * cos(9.0 * v) + 0.2 * sin(40.0 * u * v) +
                        0.02 * st_gaussian_at(seed, (uint64_t)y * width + i));
        }
}

/* Median of REPEATS runs of one forward + one inverse real FFT, planned
 * with the same thread count as the core's plans. */
static double fft_floor(int width, int height, int threads)
{
    fftwf_plan_with_nthreads(threads);
    float *real = fftwf_alloc_real((size_t)width * height);
    fftwf_complex *spectrum = fftwf_alloc_complex((size_t)height * (width / 2 + 1));
    fftwf_plan forward = fftwf_plan_dft_r2c_2d(height, width, real, spectrum, FFTW_ESTIMATE);
    fftwf_plan inverse = fftwf_plan_dft_c2r_2d(height, width, spectrum, real, FFTW_ESTIMATE);
    make_image(real, width, height, 1);
    double times[REPEATS];
    for (int r = 0; r < REPEATS; r++) {
        double start = now();
        fftwf_execute(forward);
        fftwf_execute(inverse);
        times[r] = now() - start;
    }
    fftwf_destroy_plan(forward);
    fftwf_destroy_plan(inverse);
    fftwf_free(real);
    fftwf_free(spectrum);
    double best = times[0], worst = times[0], sum = 0;
    for (int r = 0; r < REPEATS; r++) {
        sum += times[r];
        best = fmin(best, times[r]);
        worst = fmax(worst, times[r]);
    }
    return sum - best - worst; /* the median of three */
}

/* One preview update for a new t: f_max, filter, render the visible area. */
static double preview_update(tide_cache *cache, tide_view view, const double *freq,
                             const double *power, int rings, double t, float *filtered,
                             unsigned char *pixels)
{
    double start = now();
    double a, s;
    st_schedule_coefficients(ST_SCHEDULE_RECTIFIED_FLOW, t, &a, &s);
    double fmax = st_fmax_measured(freq, power, rings, s * s / (a * a));
    int width = tide_cache_width(cache), height = tide_cache_height(cache);
    int pw = width < PREVIEW_WIDTH ? width : PREVIEW_WIDTH;
    int ph = height < PREVIEW_HEIGHT ? height : PREVIEW_HEIGHT;
    int x0 = (width - pw) / 2, y0 = (height - ph) / 2;
    if (tide_cache_filter(cache, view, fmax, 7, power, a, s, filtered) != 0)
        return NAN;
    tide_cache_render_u8(cache, view, 7, s / a, view == TIDE_VIEW_NOISY ? NULL : filtered, x0,
                         x0 + pw, y0, y0 + ph, x0 + pw / 2, pixels, (size_t)pw * 4, 4);
    return now() - start;
}

static int bench_size(int width, int height, const char *label, int threads)
{
    st_set_threads(threads);
    size_t n = (size_t)width * height;
    float *planes[3];
    for (int c = 0; c < 3; c++) {
        planes[c] = malloc(n * sizeof(float));
        if (!planes[c])
            return 1;
        make_image(planes[c], width, height, 10 + c);
    }
    st_rapsd *rapsd = st_rapsd_new(width, height, NULL);
    int rings = st_rapsd_ring_count(rapsd);
    double *freq = malloc(rings * sizeof(double)), *power = malloc(rings * sizeof(double));
    st_rapsd_frequencies(rapsd, freq);
    st_rapsd_run(rapsd, planes[1], power);
    st_rapsd_free(rapsd);
    float *filtered = malloc(3 * n * sizeof(float));
    unsigned char *pixels = malloc((size_t)PREVIEW_WIDTH * PREVIEW_HEIGHT * 4);
    double floor = fft_floor(width, height, threads);
    printf("%s (%dx%d), %d FFTW thread%s: floor r2c+c2r %.1f ms\n", label, width, height, threads,
           threads == 1 ? "" : "s", 1e3 * floor);

    static const tide_view views[] = {TIDE_VIEW_SPLIT, TIDE_VIEW_WIENER, TIDE_VIEW_NOISY};
    for (int colors = 1; colors <= 3; colors += 2) {
        tide_cache *cache = tide_cache_new(width, height, colors, (const float *const *)planes, 0,
                                           0, width, height);
        for (size_t v = 0; v < sizeof views / sizeof views[0]; v++) {
            /* The first call loads the cached spectra (once per dialog). */
            double first =
                preview_update(cache, views[v], freq, power, rings, 0.1, filtered, pixels);
            double times[REPEATS];
            for (int r = 0; r < REPEATS; r++)
                times[r] = preview_update(cache, views[v], freq, power, rings, 0.2 + 0.1 * r,
                                          filtered, pixels);
            double median = times[0] + times[1] + times[2] -
                            fmin(times[0], fmin(times[1], times[2])) -
                            fmax(times[0], fmax(times[1], times[2]));
            printf("  %s %-24s first %.1f ms, new t %.1f ms, ratio %.2f%s\n",
                   colors == 1 ? "gray" : "RGB ", tide_view_name(views[v]), 1e3 * first,
                   1e3 * median, median / floor,
                   colors == 1 && median / floor > 2.0 ? "  (above the goal of 2)" : "");
        }
        tide_cache_free(cache);
    }
    for (int c = 0; c < 3; c++)
        free(planes[c]);
    free(freq);
    free(power);
    free(filtered);
    free(pixels);
    return 0;
}

int main(int argc, char **argv)
{
    /* --quick: 1 MP only (for a fast check); default: 1 MP and 12 MP. */
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    /* The plug-in plans with every core (main.c); the floor then does too. */
    fftwf_init_threads();
    int cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
    printf("preview update after a change of t, ratio to one fftw3f r2c+c2r (goal <= 2)\n");
    for (int threads = 1; threads <= cores; threads = threads == cores ? cores + 1 : cores) {
        if (bench_size(1024, 1024, "1 MP", threads))
            return 1;
        if (!quick && bench_size(4000, 3000, "12 MP", threads))
            return 1;
    }
    return 0;
}
