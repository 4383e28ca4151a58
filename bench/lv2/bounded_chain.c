/* Worst single call of the plugin's analysis and audition chain, built from
 * the bounded core objects (spectide_realtime.h) the way the LV2 plugin
 * would call them, against half a block's duration at 48 kHz.
 *
 * One call stands for one run(): the block is handled in pieces of 256
 * frames as the plugin does: sanitise, resample to the analysis rate
 * (st_fir_resampler) or not, feed the spectrum (st_sliced_stft: the frame's
 * FFT spread over the half hop after it when n_fft > 4096) whose ready frames
 * go into the exponential average, the peak hold and the shape measures
 * (slope, share above water), feed the mel STFT (st_stft, ~93 ms windows)
 * whose frames go through the mel bank, dB and MFCC into the cepstral
 * window (st_sliced_cepstral: every 8 columns an analysis starts, its steps
 * spread over the next 4 mel hops, so the alpha control needs no worker),
 * and audition through st_wola (the mask; its frames' work also spread
 * over half a hop). After the pieces, at 30 Hz, the UI's log-binned
 * spectrum. Every call is timed with the
 * thread's CPU clock (wall-clock maxima on a shared machine measure the
 * scheduler), and heap calls inside calls are counted (must be 0).
 *
 * "plain" rows run the same chain without slicing (delay 0: each FFT whole
 * in the call that completes its frame, the cepstral whole when due), as
 * the plugin does today.
 *
 * Usage: bounded_chain [SECONDS] [all]   (default 8 s of audio per run;
 * "all" adds every FFT size, rate and mel count to the heaviest settings)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "alloc_count.h"
#include "spectide_audio.h"
#include "spectide_realtime.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOST_RATE       48000.0
#define PIECE           256
#define COLUMNS         128 /* cepstral window, mel columns */
#define CEPSTRAL_EVERY  8
#define MFCC_COUNT      20
#define UI_RATE_HZ      30
#define LOG_POINTS      512
#define MAX_STEP_POINTS 4096

typedef struct {
    const char *name;
    int fft_size;
    double analysis_rate; /* 0: the host rate */
    int mels;
    int mask;
    int sliced;
} setting;

typedef struct {
    setting s;
    double rate;
    st_fir_resampler *resampler;
    float *resampled;
    int resampled_capacity;
    st_sliced_stft *spectrum;
    st_average *average;
    float *peak;
    int bins;
    double slope, share_bins, share_energy;
    st_stft *mel_stft;
    st_melbank *bank;
    st_mfcc *mfcc;
    float *mel;
    float mfcc_out[MFCC_COUNT];
    st_sliced_cepstral *cepstral;
    int rings;
    double *ring_freq, *ring_power;
    double alpha;
    int columns_since;
    int mel_hop;
    long cepstral_elapsed; /* analysis samples since the running analysis started */
    st_wola *gate;
    double level;
    float stage[PIECE], out[PIECE];
    long samples_since_ui;
    float log_power[LOG_POINTS];
} chain;

static int mel_fft_for_rate(double rate)
{
    int exponent = (int)lround(log2(rate / 22050.0));
    int n = exponent >= 0 ? 2048 << exponent : 2048 >> -exponent;
    return n < 512 ? 512 : n > 16384 ? 16384 : n;
}

static chain *chain_new(const setting *s)
{
    chain *c = calloc(1, sizeof *c);
    c->s = *s;
    c->level = 1e-5;
    c->rate = s->analysis_rate > 0 ? s->analysis_rate : HOST_RATE;
    st_status error = ST_OK;
    if (s->analysis_rate > 0) {
        c->resampler = st_fir_resampler_new(HOST_RATE, c->rate, NULL, &error);
        c->resampled_capacity = st_fir_resampler_max_output(c->resampler, PIECE);
        c->resampled = malloc(sizeof(float) * (size_t)c->resampled_capacity);
    }
    int n = s->fft_size, hop = n / 4;
    int delay = s->sliced && n > 4096 ? hop / 2 : 0;
    int step = s->sliced ? MAX_STEP_POINTS : n;
    c->spectrum = st_sliced_stft_new(n, hop, delay, step, &error);
    c->bins = n / 2 + 1;
    c->average = st_average_new(c->bins, 1.0, c->rate / hop, NULL);
    c->peak = calloc((size_t)c->bins, sizeof(float));
    int mel_n = mel_fft_for_rate(c->rate);
    c->mel_stft = st_stft_new(mel_n, mel_n / 4, NULL);
    c->bank = st_melbank_new(c->rate, mel_n, s->mels, 0.0, 0.0, ST_MEL_SLANEY, NULL);
    c->mfcc = st_mfcc_new(s->mels, MFCC_COUNT, NULL);
    c->mel = malloc(sizeof(float) * (size_t)s->mels);
    c->mel_hop = mel_n / 4;
    c->cepstral =
        st_sliced_cepstral_new(s->mels, COLUMNS, s->sliced ? MAX_STEP_POINTS : 1 << 24, &error);
    c->rings = c->cepstral ? st_sliced_cepstral_ring_count(c->cepstral) : 0;
    c->ring_freq = malloc(sizeof(double) * (size_t)c->rings);
    c->ring_power = malloc(sizeof(double) * (size_t)c->rings);
    if (s->mask)
        c->gate = st_wola_new(n, hop, delay, st_water_mask, &c->level, &error);
    if (!c->spectrum || !c->average || !c->mel_stft || !c->bank || !c->mfcc || !c->cepstral ||
        (s->mask && !c->gate) || (s->analysis_rate > 0 && !c->resampler)) {
        fprintf(stderr, "bounded_chain: could not build %s (%s)\n", s->name,
                st_status_message(error));
        exit(1);
    }
    return c;
}

static void chain_free(chain *c)
{
    st_fir_resampler_free(c->resampler);
    free(c->resampled);
    st_sliced_stft_free(c->spectrum);
    st_average_free(c->average);
    free(c->peak);
    st_stft_free(c->mel_stft);
    st_melbank_free(c->bank);
    st_mfcc_free(c->mfcc);
    free(c->mel);
    st_sliced_cepstral_free(c->cepstral);
    free(c->ring_freq);
    free(c->ring_power);
    st_wola_free(c->gate);
    free(c);
}

static void spectrum_frame(chain *c, const float *power)
{
    st_average_add(c->average, power);
    for (int k = 0; k < c->bins; k++)
        c->peak[k] = power[k] > c->peak[k] ? power[k] : c->peak[k];
    const double *avg = st_average_power(c->average);
    double bin_hz = c->rate / c->s.fft_size;
    double top = c->resampler ? 0.4 * fmin(c->rate, HOST_RATE) : 0.45 * c->rate;
    st_spectral_slope_db_per_octave(avg, c->bins, bin_hz, fmax(50.0, 4 * bin_hz), top, &c->slope);
    st_above_water(avg, c->bins, 1e-5 * HOST_RATE / c->rate, &c->share_bins, &c->share_energy);
}

static void cepstral_publish(chain *c)
{
    st_powerlaw fit;
    if (st_sliced_cepstral_result(c->cepstral, c->ring_freq, c->ring_power, &fit) == ST_OK)
        c->alpha = fit.alpha;
}

/* Steps of the running cepstral analysis due after `analysis` more samples:
 * spread over 4 mel hops (it starts every 8), whole at once when plain. */
static void cepstral_advance(chain *c, int analysis)
{
    int left = st_sliced_cepstral_remaining(c->cepstral);
    if (left == 0)
        return;
    int steps = st_sliced_cepstral_steps(c->cepstral);
    long span = 4L * c->mel_hop;
    c->cepstral_elapsed += analysis;
    long due = c->s.sliced
                   ? (c->cepstral_elapsed >= span ? steps : steps * c->cepstral_elapsed / span)
                   : steps;
    if (st_sliced_cepstral_step(c->cepstral, (int)(due - (steps - left))) == 0)
        cepstral_publish(c);
}

/* A mel column; `after`: samples of the `fed`-sample chunk after its frame
 * (so that the cepstral schedule counts from the frame's last sample,
 * whatever the block partition). */
static void mel_frame(chain *c, int after, int fed)
{
    st_melbank_run(c->bank, st_stft_power(c->mel_stft), c->mel);
    st_power_to_db(c->mel, c->s.mels, 0.0);
    st_mfcc_run(c->mfcc, c->mel, c->mfcc_out);
    st_sliced_cepstral_push(c->cepstral, c->mel);
    if (++c->columns_since >= CEPSTRAL_EVERY && st_sliced_cepstral_filled(c->cepstral) == COLUMNS) {
        c->columns_since = 0;
        /* A running analysis has had 4 of the 8 hops: it is finished. */
        st_sliced_cepstral_start(c->cepstral);
        c->cepstral_elapsed = after - fed;
        cepstral_advance(c, 0);
    }
}

static void analyse(chain *c, const float *x, int n)
{
    const float *p = x;
    int left = n;
    while (left > 0) {
        int used = st_sliced_stft_feed(c->spectrum, p, left);
        p += used;
        left -= used;
        if (st_sliced_stft_frame_ready(c->spectrum))
            spectrum_frame(c, st_sliced_stft_power(c->spectrum));
    }
    p = x;
    left = n;
    while (left > 0) {
        int used = st_stft_feed(c->mel_stft, p, left);
        p += used;
        left -= used;
        if (st_stft_frame_ready(c->mel_stft))
            mel_frame(c, left, n);
    }
}

/* The UI's spectrum: every bin once into LOG_POINTS log bands, in dB. */
static void log_spectrum(chain *c)
{
    const double *power = st_average_power(c->average);
    double ratio = pow((double)(c->bins - 1), 1.0 / LOG_POINTS);
    int k = 1;
    for (int i = 0; i < LOG_POINTS; i++) {
        int end = (int)ceil(pow(ratio, i + 1));
        double sum = 0.0;
        int count = 0;
        for (; k < end && k < c->bins; k++, count++)
            sum += power[k];
        c->log_power[i] = (float)(10.0 * log10(fmax(count ? sum / count : power[k - 1], 1e-20)));
    }
    memset(c->peak, 0, sizeof(float) * (size_t)c->bins);
}

/* One run() of n frames. */
static void chain_run(chain *c, const float *in, float *out, int n)
{
    for (int offset = 0; offset < n; offset += PIECE) {
        int m = n - offset < PIECE ? n - offset : PIECE;
        for (int i = 0; i < m; i++) {
            float x = in[offset + i];
            c->stage[i] = isfinite(x) && fabsf(x) > 1e-30f ? x : 0.0f;
        }
        int analysis = m;
        if (c->resampler) {
            analysis = st_fir_resampler_run(c->resampler, c->stage, m, c->resampled,
                                            c->resampled_capacity);
            if (analysis > 0)
                analyse(c, c->resampled, analysis);
        } else {
            analyse(c, c->stage, m);
        }
        cepstral_advance(c, analysis > 0 ? analysis : 0);
        if (c->gate)
            st_wola_run(c->gate, in + offset, out + offset, NULL, m);
        else
            memcpy(out + offset, in + offset, sizeof(float) * (size_t)m);
    }
    c->samples_since_ui += n;
    if (c->samples_since_ui >= (long)(HOST_RATE / UI_RATE_HZ)) {
        log_spectrum(c);
        c->samples_since_ui = 0;
    }
}

static double thread_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Returns the worst call as a share of half the block's duration. */
static double measure(const setting *s, int block, double seconds)
{
    chain *c = chain_new(s);
    int calls = (int)(seconds * HOST_RATE / block);
    double *times = malloc(sizeof(double) * (size_t)calls);
    float *in = malloc(sizeof(float) * (size_t)block), *out = malloc(sizeof(float) * (size_t)block);
    unsigned seed = 1;
    double total = 0.0;
    long heap = alloc_count_total();
    for (int r = 0; r < calls; r++) {
        for (int i = 0; i < block; i++) {
            seed = seed * 1664525u + 1013904223u;
            in[i] = (float)((seed >> 8) / 16777216.0 - 0.5) * 0.2f;
        }
        alloc_count_begin();
        double t0 = thread_seconds();
        chain_run(c, in, out, block);
        times[r] = thread_seconds() - t0;
        alloc_count_end();
        total += times[r];
    }
    heap = alloc_count_total() - heap;
    qsort(times, (size_t)calls, sizeof(double), compare);
    double budget = 0.5 * block / HOST_RATE;
    double worst = times[calls - 1];
    printf("%-5s %-46s block %4d: max %7.3f ms = %5.2f x budget (%.3f ms), p99.9 %7.3f ms, "
           "mean %7.4f ms, heap calls %ld, slope %.2f alpha %.2f\n",
           s->sliced ? "slice" : "plain", s->name, block, 1e3 * worst, worst / budget, 1e3 * budget,
           1e3 * times[(int)(calls * 0.999)], 1e3 * total / calls, heap, c->slope, c->alpha);
    fflush(stdout);
    free(times);
    free(in);
    free(out);
    chain_free(c);
    return worst / budget;
}

int main(int argc, char **argv)
{
    alloc_count_init();
    double seconds = argc > 1 ? atof(argv[1]) : 8.0;
    int all = argc > 2 && !strcmp(argv[2], "all");
    const int blocks[] = {64, 256, 1024, 8192};
    setting heaviest = {"heaviest (65536, host rate, 256 mels, mask)", 65536, 0, 256, 1, 1};
    setting defaults = {"default (4096, 22.05 kHz, 128 mels)", 4096, 22050, 128, 0, 1};
    double worst_sliced = 0.0;
    for (int b = 0; b < 4; b++) {
        setting plain = heaviest;
        plain.sliced = 0;
        measure(&plain, blocks[b], seconds);
        worst_sliced = fmax(worst_sliced, measure(&heaviest, blocks[b], seconds));
        worst_sliced = fmax(worst_sliced, measure(&defaults, blocks[b], seconds));
    }
    if (all) {
        const int sizes[] = {1024, 4096, 16384, 65536};
        const double rates[] = {0, 22050, 16000};
        const int mels[] = {32, 256};
        char name[96];
        for (int f = 0; f < 4; f++)
            for (int r = 0; r < 3; r++)
                for (int m = 0; m < 2; m++)
                    for (int mask = 0; mask < 2; mask++) {
                        snprintf(name, sizeof name, "%d, %s, %d mels%s", sizes[f],
                                 rates[r] == 0       ? "host rate"
                                 : rates[r] == 22050 ? "22.05 kHz"
                                                     : "16 kHz",
                                 mels[m], mask ? ", mask" : "");
                        setting s = {name, sizes[f], rates[r], mels[m], mask, 1};
                        for (int b = 0; b < 4; b += 3)
                            worst_sliced = fmax(worst_sliced, measure(&s, blocks[b], seconds / 2));
                    }
    }
    printf("worst sliced call: %.2f x the budget (half a block at 48 kHz)\n", worst_sliced);
    return 0;
}
