/* Weighted overlap-add resynthesis with a per-frame gain: the one mask
 * audition of every front (spectide_audio.h).
 *
 * Why this shape. The mask answers "what of the signal stays above the
 * water line at each moment", so it is decided frame by frame on the
 * frame's own power (a static mask from a whole file's mean cannot run live,
 * and keeps a bin for the whole file because it is loud somewhere). A hard
 * 0/1 gain per time-frequency bin makes steps between frames; analysing
 * and synthesising with the same Hann window and dividing by the sum of the
 * squared windows is the least-squares signal for the modified STFT (Griffin
 * & Lim 1984): the steps are tapered at both frame edges, and with every
 * gain 1 the input comes back exactly (up to float rounding).
 *
 * Timing, in "virtual" sample positions (the input index plus the priming):
 * the object starts with n - hop/2 zeros already in its analysis ring, so
 * that every real sample is covered by n/hop frames (perfect reconstruction
 * from the first sample: priming >= n - hop suffices) and the frames sit
 * half a hop away from those of a plain st_stft fed the same signal (the
 * LV2 plugin then never runs both large FFTs in one block). A frame covers
 * virtual positions [end - n, end); when it completes, no earlier frame is
 * still open for position end - n, which is emitted next: the output of
 * position p leaves when the input of p + n arrives, a latency of n.
 *
 * Everything is allocated in st_wola_new; run() copies, transforms with the
 * st_stft made there and adds into two rings of 2n samples.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "constructor.h"
#include "spectide_audio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct st_wola {
    int n, hop, bins;
    st_wola_gain_fn gain_fn;
    void *user;
    st_stft *stft;
    float *gain;       /* bins */
    float *spectrum;   /* gained spectrum, bins (re, im) pairs */
    float *frame;      /* n: inverse transform */
    float *synthesis;  /* n: w[i] / sum_m w^2(i + m hop) */
    float *zeros;      /* n - hop/2 zeros for the priming */
    float *overlap;    /* ring of 2n output sums, by virtual position */
    float *delayed;    /* ring of 2n sanitised input samples */
    size_t mask;       /* 2n - 1 */
    uint64_t position; /* virtual position of the next input sample */
};

static int is_power_of_two(int n)
{
    return n > 0 && (n & (n - 1)) == 0;
}

void st_water_mask(void *level, const float *power, int bins, float *gain)
{
    const double line = *(const double *)level;
    for (int k = 0; k < bins; k++)
        gain[k] = (double)power[k] > line ? 1.0f : 0.0f;
}

st_wola *st_wola_new(int n_fft, int hop, st_wola_gain_fn gain, void *user, st_status *error)
{
    if (!is_power_of_two(n_fft) || n_fft < ST_FFT_SIZE_MIN || n_fft > ST_FFT_SIZE_MAX || hop < 1 ||
        n_fft % hop != 0 || !is_power_of_two(n_fft / hop) || n_fft / hop < 4)
        return st_failed(error, ST_ERROR_ARGUMENT);
    st_wola *wola = calloc(1, sizeof *wola);
    if (!wola)
        return st_failed(error, ST_ERROR_MEMORY);
    wola->n = n_fft;
    wola->hop = hop;
    wola->gain_fn = gain;
    wola->user = user;
    wola->mask = 2 * (size_t)n_fft - 1;
    st_status status = ST_OK;
    wola->stft = st_stft_new(n_fft, hop, &status);
    if (!wola->stft) {
        st_wola_free(wola);
        return st_failed(error, status);
    }
    wola->bins = st_stft_bins(wola->stft);
    wola->gain = malloc(sizeof(float) * (size_t)wola->bins);
    wola->spectrum = malloc(sizeof(float) * 2 * (size_t)wola->bins);
    wola->frame = malloc(sizeof(float) * (size_t)n_fft);
    wola->synthesis = malloc(sizeof(float) * (size_t)n_fft);
    wola->zeros = calloc((size_t)n_fft, sizeof(float));
    wola->overlap = malloc(sizeof(float) * 2 * (size_t)n_fft);
    wola->delayed = malloc(sizeof(float) * 2 * (size_t)n_fft);
    if (!wola->gain || !wola->spectrum || !wola->frame || !wola->synthesis || !wola->zeros ||
        !wola->overlap || !wola->delayed) {
        st_wola_free(wola);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    /* The normaliser from the float window itself, position by position (it
     * is 3 n / (8 hop) analytically), so that unit gains reconstruct to the
     * last bit the float arithmetic allows. */
    const float *w = st_stft_window(wola->stft);
    for (int i = 0; i < hop; i++) {
        double sum = 0.0;
        for (int m = i; m < n_fft; m += hop)
            sum += (double)w[m] * w[m];
        for (int m = i; m < n_fft; m += hop)
            wola->synthesis[m] = (float)(w[m] / sum);
    }
    for (int k = 0; k < wola->bins; k++)
        wola->gain[k] = 1.0f;
    st_wola_reset(wola);
    return st_made(error, wola);
}

int st_wola_latency(const st_wola *wola)
{
    return wola->n;
}

int st_wola_bins(const st_wola *wola)
{
    return wola->bins;
}

void st_wola_reset(st_wola *wola)
{
    st_stft_reset(wola->stft);
    int prime = wola->n - wola->hop / 2, fed = 0;
    while (fed < prime)
        fed += st_stft_feed(wola->stft, wola->zeros, prime - fed);
    wola->position = (uint64_t)prime;
    memset(wola->overlap, 0, sizeof(float) * 2 * (size_t)wola->n);
    memset(wola->delayed, 0, sizeof(float) * 2 * (size_t)wola->n);
}

/* The frame that just completed covers virtual [position - n, position). */
static void add_frame(st_wola *wola)
{
    const float *power = st_stft_power(wola->stft);
    const float *spectrum = st_stft_spectrum(wola->stft);
    if (wola->gain_fn)
        wola->gain_fn(wola->user, power, wola->bins, wola->gain);
    for (int k = 0; k < wola->bins; k++) {
        wola->spectrum[2 * k] = spectrum[2 * k] * wola->gain[k];
        wola->spectrum[2 * k + 1] = spectrum[2 * k + 1] * wola->gain[k];
    }
    st_stft_inverse(wola->stft, wola->spectrum, wola->frame);
    uint64_t start = wola->position - (uint64_t)wola->n;
    for (int i = 0; i < wola->n; i++)
        wola->overlap[(start + (uint64_t)i) & wola->mask] += wola->frame[i] * wola->synthesis[i];
}

void st_wola_run(st_wola *wola, const float *in, float *out, float *residual, int n)
{
    int done = 0;
    while (done < n) {
        /* The analysis copies these samples before any output is written,
         * so out or residual may be the input buffer itself. */
        int used = st_stft_feed(wola->stft, in + done, n - done);
        for (int j = done; j < done + used; j++) {
            float x = isfinite(in[j]) ? in[j] : 0.0f;
            wola->delayed[wola->position & wola->mask] = x;
            size_t leaving = (size_t)((wola->position - (uint64_t)wola->n) & wola->mask);
            float value = wola->overlap[leaving];
            wola->overlap[leaving] = 0.0f;
            float past = wola->delayed[leaving];
            out[j] = value;
            if (residual)
                residual[j] = past - value;
            wola->position++;
        }
        done += used;
        if (st_stft_frame_ready(wola->stft))
            add_frame(wola);
    }
}

void st_wola_free(st_wola *wola)
{
    if (!wola)
        return;
    st_stft_free(wola->stft);
    free(wola->gain);
    free(wola->spectrum);
    free(wola->frame);
    free(wola->synthesis);
    free(wola->zeros);
    free(wola->overlap);
    free(wola->delayed);
    free(wola);
}
