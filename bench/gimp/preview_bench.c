/* Benchmark of the "Noise as Low-pass" preview after a change of t.
 *
 * Runs what the GIMP preview (gimp_plugin/shared/stg-noise-preview.c) runs
 * for a new t once the spectra are kept: core's MANY_LEVELS tide image
 * (st_tide_image_set_level with its f_max look-up, st_tide_image_run_block
 * per channel on a preview-sized area) and the 8-bit conversion
 * (st_x_to_code8), for a 1 MP and a 12 MP image, and compares it side by
 * side with the floor: one forward + inverse fftw3f r2c/c2r of the same size.
 * Prints the ratio per view; the goal is <= 2, RGB included (three inverse
 * FFTs, one per channel, against one forward + inverse). Never a test:
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

#include "spectide_tide.h"

#define PREVIEW_WIDTH  512
#define PREVIEW_HEIGHT 384
#define REPEATS        5

/* CPU time of the process, not wall time: the machine running the
 * benchmark is shared, and time spent preempted would land on whichever
 * side of the ratio it happened to hit. With FFTW threads this sums the
 * work of every thread, on both sides alike. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
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

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *values, int count)
{
    qsort(values, (size_t)count, sizeof *values, compare_doubles);
    return values[count / 2];
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
    return median(times, REPEATS);
}

/* One preview update for a new t: the level and f_max, the view of the
 * visible area per channel, its 8-bit pixels. */
static double preview_update(st_tide_image *tide, st_tide_view view, int width, int height,
                             double t, float *block, unsigned char *pixels)
{
    double start = now();
    st_tide_level level;
    st_tide_level_from_schedule(ST_SCHEDULE_RECTIFIED_FLOW, t, 1.0, &level);
    if (st_tide_image_set_level(tide, &level, 7) != ST_OK)
        return NAN;
    int pw = width < PREVIEW_WIDTH ? width : PREVIEW_WIDTH;
    int ph = height < PREVIEW_HEIGHT ? height : PREVIEW_HEIGHT;
    int x0 = (width - pw) / 2, y0 = (height - ph) / 2;
    st_tide_image_set_split(tide, x0 + pw / 2);
    for (int c = 0; c < st_tide_image_colors(tide); c++) {
        if (st_tide_image_run_block(tide, view, c, x0, y0, pw, ph, block, (size_t)pw) != ST_OK)
            return NAN;
        for (int y = 0; y < ph; y++)
            for (int x = 0; x < pw; x++)
                pixels[((size_t)y * pw + x) * 4 + c] = st_x_to_code8(block[(size_t)y * pw + x]);
    }
    return now() - start;
}

static int bench_size(int width, int height, const char *label, int threads)
{
    st_set_threads(threads);
    size_t n = (size_t)width * height;
    /* Interleaved RGBA values v, as GIMP hands them over; gray: its first. */
    float *plane = malloc(n * sizeof(float));
    float *rgba = malloc(n * 4 * sizeof(float)), *gray = malloc(n * sizeof(float));
    if (!plane || !rgba || !gray)
        return 1;
    for (int c = 0; c < 3; c++) {
        make_image(plane, width, height, 10 + c);
        for (size_t i = 0; i < n; i++)
            rgba[i * 4 + c] = st_x_to_value(plane[i]);
    }
    for (size_t i = 0; i < n; i++) {
        rgba[i * 4 + 3] = 1.0f;
        gray[i] = rgba[i * 4 + 1];
    }
    float *block = malloc((size_t)PREVIEW_WIDTH * PREVIEW_HEIGHT * sizeof(float));
    unsigned char *pixels = malloc((size_t)PREVIEW_WIDTH * PREVIEW_HEIGHT * 4);
    if (!block || !pixels)
        return 1;
    double floor = fft_floor(width, height, threads);
    printf("%s (%dx%d), %d FFTW thread%s: floor r2c+c2r %.1f ms\n", label, width, height, threads,
           threads == 1 ? "" : "s", 1e3 * floor);

    static const st_tide_view views[] = {ST_TIDE_VIEW_SPLIT, ST_TIDE_VIEW_WIENER,
                                         ST_TIDE_VIEW_NOISY};
    for (int colors = 1; colors <= 3; colors += 2) {
        st_tide_image *tide =
            colors == 1
                ? st_tide_image_new(gray, width, height, 1, (size_t)width, ST_CHANNEL_GREEN, NULL,
                                    ST_TIDE_IMAGE_MANY_LEVELS, NULL)
                : st_tide_image_new(rgba, width, height, 4, (size_t)width * 4, ST_CHANNEL_GREEN,
                                    NULL, ST_TIDE_IMAGE_MANY_LEVELS, NULL);
        if (!tide)
            return 1;
        for (size_t v = 0; v < sizeof views / sizeof views[0]; v++) {
            /* The first call makes the kept spectra (once per dialog). */
            double first = preview_update(tide, views[v], width, height, 0.1, block, pixels);
            double times[REPEATS];
            for (int r = 0; r < REPEATS; r++)
                times[r] =
                    preview_update(tide, views[v], width, height, 0.2 + 0.05 * r, block, pixels);
            double typical = median(times, REPEATS);
            printf("  %s %-24s first %.1f ms, new t %.1f ms, ratio %.2f%s\n",
                   colors == 1 ? "gray" : "RGB ", st_tide_view_label(views[v]), 1e3 * first,
                   1e3 * typical, typical / floor,
                   typical / floor > 2.0 ? "  (above the goal of 2)" : "");
        }
        st_tide_image_free(tide);
    }
    free(plane);
    free(rgba);
    free(gray);
    free(block);
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
