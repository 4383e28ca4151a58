/* Worst-case run() time of spectide.lv2, measured in the tests' small lilv
 * host: every run() (with the worker responses it is handed, but not the
 * worker jobs, which a real host runs in another thread) is timed with the
 * thread's CPU clock (CLOCK_THREAD_CPUTIME_ID: on a shared machine,
 * wall-clock maxima are dominated by preemption), the UI listens, and the
 * maximum, the 99.9th percentile and the mean are printed per setting
 * (each run() the minimum over REPEATS identical runs: see measure()). The
 * heaviest setting is a 65536-point FFT at the host rate, 256 mels and the
 * mask audition. The goal: no run() above half the block's duration at
 * 48 kHz, at every setting and every block size.
 * Usage: LV2_PATH=build/lv2_plugin:/usr/lib/lv2 worst_block [SECONDS] [all]
 *   default: the default and the heaviest setting at blocks 64, 128, 256,
 *   1024, 4096 and 8192; "all" adds every FFT size (1024..65536), analysis
 *   rate (host, 22050, 16000), mel count (32, 256) and audition (off, mask)
 *   at blocks 64 and 8192.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "mini_host.h"
#include "controls.h"
#include "uris.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Each setting runs REPEATS times on the same input: a run()'s cost is the
 * minimum of its repeats (the work of a given run() is the same each time:
 * the schedule depends on the input alone; what varies is the machine's
 * interference, which only adds), and the worst run() is the maximum of
 * those minima. */
#define REPEATS 3

/* Returns the worst run() as a share of the block's duration. */
static double measure(const char *name, int fft_size, int analysis_rate, int mels, int audition,
                      int block, double seconds)
{
    int runs = (int)(seconds * 48000 / block);
    double *times = malloc(sizeof(double) * (size_t)runs);
    for (int r = 0; r < runs; r++) {
        times[r] = INFINITY;
    }
    for (int repeat = 0; repeat < REPEATS; repeat++) {
        host_options options = {1, 1, 1, 65536};
        mini_host *host = host_new(STL_URI_MONO, 48000, &options);
        if (!host) {
            exit(1);
        }
        host_set(host, "fft_size", (float)fft_size);
        host_set(host, "analysis_rate", (float)analysis_rate);
        host_set(host, "mel_bands", (float)mels);
        host_set(host, "audition", (float)audition);
        host_set(host, "sigma_db", -50);
        host_activate(host);
        host_send_object(host, STL_URI_UI_ON);
        unsigned seed = 1;
        for (int r = 0; r < runs; r++) {
            float *in = host_audio_in(host, 0);
            for (int i = 0; i < block; i++) {
                seed = seed * 1664525u + 1013904223u;
                in[i] = (float)((seed >> 8) / 16777216.0 - 0.5) * 0.2f;
            }
            host_run(host, (uint32_t)block);
            times[r] = fmin(times[r], host_last_run_cpu_seconds(host));
        }
        host_free(host);
    }
    double total = 0;
    for (int r = 0; r < runs; r++) {
        total += times[r];
    }
    qsort(times, (size_t)runs, sizeof(double), compare);
    double budget = block / 48000.0;
    printf("%-44s block %4d: max %7.3f ms (%5.1f%% of the block), p99.9 %7.3f ms, mean %7.4f "
           "ms\n",
           name, block, 1e3 * times[runs - 1], 100 * times[runs - 1] / budget,
           1e3 * times[(int)(runs * 0.999)], 1e3 * total / runs);
    double worst = times[runs - 1] / budget;
    free(times);
    return worst;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 10.0;
    int all = argc > 2 && !strcmp(argv[2], "all");
    const int blocks[] = {64, 128, 256, 1024, 4096, 8192};
    double worst = 0.0;
    for (int b = 0; b < 6; b++) {
        worst = fmax(worst, measure("default (4096, 22.05 kHz, 128 mels)", 4096, 22050, 128, 0,
                                    blocks[b], seconds));
        worst = fmax(worst, measure("heaviest (65536, host rate, 256 mels, mask)", 65536, 0, 256, 2,
                                    blocks[b], seconds));
    }
    if (all) {
        const int rates[] = {0, 22050, 16000};
        const int mels[] = {32, 256};
        char name[96];
        for (int f = 1024; f <= 65536; f *= 2)
            for (int r = 0; r < 3; r++)
                for (int m = 0; m < 2; m++)
                    for (int mask = 0; mask < 2; mask++) {
                        snprintf(name, sizeof name, "%d, %s, %d mels%s", f,
                                 rates[r] == 0       ? "host rate"
                                 : rates[r] == 22050 ? "22.05 kHz"
                                                     : "16 kHz",
                                 mels[m], mask ? ", mask" : "");
                        for (int b = 0; b < 6; b += 5)
                            worst = fmax(worst, measure(name, f, rates[r], mels[m], mask ? 2 : 0,
                                                        blocks[b], seconds / 2));
                    }
    }
    /* The resampler's share: the same analysis at the host rate. */
    measure("default at the host rate (no resampler)", 4096, 0, 128, 0, 256, seconds);
    measure("default, one frame per run (lv2apply)", 4096, 22050, 128, 0, 1, seconds / 10);
    printf("worst run(): %.1f%% of the block (goal: 50%%)\n", 100 * worst);
    return 0;
}
