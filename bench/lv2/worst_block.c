/* Worst-case run() time of spectide.lv2, measured in the tests' small lilv
 * host: every run() (with the worker responses it is handed, but not the
 * worker jobs, which a real host runs in another thread) is timed with the
 * thread's CPU clock (CLOCK_THREAD_CPUTIME_ID: on a shared machine,
 * wall-clock maxima are dominated by preemption), the UI listens, and the
 * maximum, the 99.9th percentile and the mean are printed per setting. The
 * heaviest calls are those where a 65536-point FFT, a mel column and a
 * cepstral RAPSD all fall into the same block.
 * Usage: LV2_PATH=build/lv2_plugin:/usr/lib/lv2 worst_block [SECONDS]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "mini_host.h"
#include "protocol.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void measure(const char *name, int fft_size, int analysis_rate, int mels, int audition,
                    int block, double seconds)
{
    host_options options = {1, 1, 1, 65536};
    mini_host *host = host_new(ST_URI_MONO, 48000, &options);
    if (!host) {
        exit(1);
    }
    host_set(host, "fft_size", (float)fft_size);
    host_set(host, "analysis_rate", (float)analysis_rate);
    host_set(host, "mel_bands", (float)mels);
    host_set(host, "audition", (float)audition);
    host_set(host, "sigma_db", -50);
    host_activate(host);
    host_send_object(host, ST_URI_UI_ON);
    int runs = (int)(seconds * 48000 / block);
    double *times = malloc(sizeof(double) * (size_t)runs);
    unsigned seed = 1;
    double total = 0;
    for (int r = 0; r < runs; r++) {
        float *in = host_audio_in(host, 0);
        for (int i = 0; i < block; i++) {
            seed = seed * 1664525u + 1013904223u;
            in[i] = (float)((seed >> 8) / 16777216.0 - 0.5) * 0.2f;
        }
        host_run(host, (uint32_t)block);
        times[r] = host_last_run_cpu_seconds(host);
        total += times[r];
    }
    qsort(times, (size_t)runs, sizeof(double), compare);
    double budget = block / 48000.0;
    printf("%-44s block %4d: max %7.3f ms (%5.1f%% of the block), p99.9 %7.3f ms, mean %7.4f "
           "ms\n",
           name, block, 1e3 * times[runs - 1], 100 * times[runs - 1] / budget,
           1e3 * times[(int)(runs * 0.999)], 1e3 * total / runs);
    free(times);
    host_free(host);
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 10.0;
    const int blocks[] = {64, 256, 1024, 8192};
    for (int b = 0; b < 4; b++) {
        measure("default (4096, 22.05 kHz, 128 mels)", 4096, 22050, 128, 0, blocks[b], seconds);
        measure("heaviest (65536, host rate, 256 mels, mask)", 65536, 0, 256, 2, blocks[b],
                seconds);
    }
    /* The resampler's share: the same analysis at the host rate. */
    measure("default at the host rate (no resampler)", 4096, 0, 128, 0, 256, seconds);
    measure("default, one frame per run (lv2apply)", 4096, 22050, 128, 0, 1, seconds / 10);
    return 0;
}
