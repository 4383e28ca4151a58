/* RAPSD benchmark: st_rapsd_run against a bare fftwf r2c of the same size,
 * planner flags and threads, measured side by side in one run (only the
 * ratios mean anything on a shared machine), and against a numpy RAPSD
 * (np.fft.rfft2 + np.bincount) when a python3 with numpy is given.
 *
 * Usage: bench_rapsd [--threads N] [--python PYTHON SCRIPT]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide.h"

#include <fftw3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *values, int n)
{
    qsort(values, (size_t)n, sizeof *values, compare_doubles);
    return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

/* Median seconds of the numpy RAPSD, or a negative value if it failed. */
static double numpy_seconds(const char *python, const char *script, int size, int repeats)
{
    char command[4096];
    snprintf(command, sizeof command, "'%s' '%s' %d %d", python, script, size, repeats);
    FILE *pipe = popen(command, "r");
    if (!pipe)
        return -1.0;
    double seconds = -1.0;
    if (fscanf(pipe, "%lf", &seconds) != 1)
        seconds = -1.0;
    if (pclose(pipe) != 0)
        seconds = -1.0;
    return seconds;
}

enum { MAX_REPEATS = 128 };

static int bench_size(int size, int repeats, const char *python, const char *script)
{
    size_t pixels = (size_t)size * size, bins = (size_t)size * (size / 2 + 1);
    float *image = fftwf_malloc(pixels * sizeof(float));
    fftwf_complex *spectrum = fftwf_malloc(bins * sizeof(fftwf_complex));
    st_rapsd *rapsd = st_rapsd_new(size, size, NULL);
    double *power = malloc((size_t)size * sizeof(double));
    if (!image || !spectrum || !rapsd || !power) {
        fprintf(stderr, "bench_rapsd: out of memory at %dx%d\n", size, size);
        return 1;
    }
    /* The same planner flags and threads as st_rapsd_new (which has
     * initialised FFTW's threads by now). */
    fftwf_plan_with_nthreads(size * size >= 512 * 512 ? st_get_threads() : 1);
    fftwf_plan bare =
        fftwf_plan_dft_r2c_2d(size, size, image, spectrum, FFTW_ESTIMATE | FFTW_PRESERVE_INPUT);
    st_gaussian_fill(1, 0, image, pixels);

    double rapsd_times[MAX_REPEATS], fft_times[MAX_REPEATS];
    st_rapsd_run(rapsd, image, power); /* warm caches and pages once */
    fftwf_execute(bare);
    for (int i = 0; i < repeats; i++) {
        /* Interleaved, so a load change on the machine hits both alike. */
        double start = now_seconds();
        st_rapsd_run(rapsd, image, power);
        rapsd_times[i] = now_seconds() - start;
        start = now_seconds();
        fftwf_execute(bare);
        fft_times[i] = now_seconds() - start;
    }
    double rapsd_median = median(rapsd_times, repeats), fft_median = median(fft_times, repeats);
    printf("%5d^2  %10.2f  %10.2f  %12.3f", size, rapsd_median * 1e3, fft_median * 1e3,
           rapsd_median / fft_median);
    if (python) {
        double numpy = numpy_seconds(python, script, size, repeats < 5 ? repeats : 5);
        if (numpy > 0)
            printf("  %10.2f  %12.2f", numpy * 1e3, numpy / rapsd_median);
        else
            printf("  %10s  %12s", "failed", "-");
    }
    printf("\n");
    fflush(stdout);
    fftwf_destroy_plan(bare);
    st_rapsd_free(rapsd);
    fftwf_free(image);
    fftwf_free(spectrum);
    free(power);
    return 0;
}

int main(int argc, char **argv)
{
    const char *python = NULL, *script = NULL;
    int threads = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            threads = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--python") == 0 && i + 2 < argc) {
            python = argv[++i];
            script = argv[++i];
        } else {
            fprintf(stderr, "usage: %s [--threads N] [--python PYTHON SCRIPT]\n", argv[0]);
            return 2;
        }
    }
    st_set_threads(threads);
    printf("RAPSD benchmark, FFTW_ESTIMATE, %d thread(s) for sizes >= 512^2; medians\n", threads);
    printf("goal: rapsd/fftw <= 1.3 (the ring pass costs at most 30%% of the FFT)\n");
    printf("%7s  %10s  %10s  %12s", "size", "rapsd ms", "r2c ms", "rapsd/fftw");
    if (python)
        printf("  %10s  %12s", "numpy ms", "numpy/rapsd");
    printf("\n");
    static const int sizes[] = {512, 2048, 4096};
    static const int repeats[] = {101, 9, 5};
    for (int i = 0; i < 3; i++)
        if (bench_size(sizes[i], repeats[i], python, script) != 0)
            return 1;
    if (!python)
        printf("(no python3 with numpy found: numpy comparison skipped)\n");
    return 0;
}
