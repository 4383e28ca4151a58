/* spectide.lv2: the mask and residual resynthesis. See audition.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "audition.h"

#include "spectide_audio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct stl_mask {
    int n, hop, bins;
    st_stft *stft;
    float *spectrum; /* masked spectrum, bins (re, im) pairs */
    float *frame;
    float *window; /* synthesis window, normalised */
    float *zeros;
    float *overlap_add; /* ring of 2n output samples, by virtual index */
    float *delayed;     /* ring of 2n sanitised input samples */
    long long position; /* virtual index of the next input sample */
};

stl_mask *stl_mask_new(int n_fft)
{
    stl_mask *mask = calloc(1, sizeof *mask);
    if (!mask) {
        return NULL;
    }
    mask->n = n_fft;
    mask->hop = n_fft / 4;
    mask->stft = st_stft_new(n_fft, mask->hop, NULL);
    if (mask->stft) {
        mask->bins = st_stft_bins(mask->stft);
    }
    mask->spectrum = calloc(2 * ((size_t)n_fft / 2 + 1), sizeof(float));
    mask->frame = calloc((size_t)n_fft, sizeof(float));
    mask->window = calloc((size_t)n_fft, sizeof(float));
    mask->zeros = calloc((size_t)n_fft, sizeof(float));
    mask->overlap_add = calloc(2 * (size_t)n_fft, sizeof(float));
    mask->delayed = calloc(2 * (size_t)n_fft, sizeof(float));
    if (!mask->stft || !mask->spectrum || !mask->frame || !mask->window || !mask->zeros ||
        !mask->overlap_add || !mask->delayed) {
        stl_mask_free(mask);
        return NULL;
    }
    /* Synthesis window = the core's analysis window (periodic Hann); the
     * inverse gives back w*x, so frames add up to x * sum_m w^2(i - m n/4),
     * which is 1.5 for every i at hop n/4. */
    const float *window = st_stft_window(mask->stft);
    for (int i = 0; i < n_fft; i++) {
        mask->window[i] = window[i] / 1.5f;
    }
    stl_mask_reset(mask);
    return mask;
}

int stl_mask_latency(const stl_mask *mask)
{
    return mask->n;
}

void stl_mask_reset(stl_mask *mask)
{
    st_stft_reset(mask->stft);
    /* Any priming in [n - hop, n) reconstructs from the first sample with a
     * latency of exactly n; n - hop/2 also puts the mask's frames half a hop
     * away from those of a host-rate spectrum of the same size, so that the
     * two big FFTs never land in the same run(). */
    int prime = mask->n - mask->hop / 2;
    int fed = 0;
    while (fed < prime) {
        fed += st_stft_feed(mask->stft, mask->zeros, prime - fed);
    }
    mask->position = prime;
    memset(mask->overlap_add, 0, sizeof(float) * 2 * (size_t)mask->n);
    memset(mask->delayed, 0, sizeof(float) * 2 * (size_t)mask->n);
}

static void resynthesise_frame(stl_mask *mask, double level)
{
    const float *power = st_stft_power(mask->stft);
    const float *spectrum = st_stft_spectrum(mask->stft);
    for (int k = 0; k < mask->bins; k++) {
        int keep = power[k] > level;
        mask->spectrum[2 * k] = keep ? spectrum[2 * k] : 0.0f;
        mask->spectrum[2 * k + 1] = keep ? spectrum[2 * k + 1] : 0.0f;
    }
    st_stft_inverse(mask->stft, mask->spectrum, mask->frame);
    size_t ring = 2 * (size_t)mask->n;
    long long start = mask->position - mask->n;
    for (int i = 0; i < mask->n; i++) {
        mask->overlap_add[(size_t)(start + i) % ring] += mask->frame[i] * mask->window[i];
    }
}

void stl_mask_run(stl_mask *mask, const float *in, float *kept, float *removed, int n, double level)
{
    size_t ring = 2 * (size_t)mask->n;
    int done = 0;
    while (done < n) {
        int used = st_stft_feed(mask->stft, in + done, n - done);
        for (int j = done; j < done + used; j++) {
            float x = isfinite(in[j]) ? in[j] : 0.0f;
            mask->delayed[(size_t)mask->position % ring] = x;
            /* The output is the input of n samples ago, whose frames are
             * all complete by now. */
            size_t out = (size_t)(mask->position - mask->n) % ring;
            float value = mask->overlap_add[out];
            mask->overlap_add[out] = 0.0f;
            kept[j] = value;
            if (removed) {
                removed[j] = mask->delayed[out] - value;
            }
            mask->position++;
        }
        done += used;
        if (st_stft_frame_ready(mask->stft)) {
            resynthesise_frame(mask, level);
        }
    }
}

void stl_mask_free(stl_mask *mask)
{
    if (!mask) {
        return;
    }
    st_stft_free(mask->stft);
    free(mask->spectrum);
    free(mask->frame);
    free(mask->window);
    free(mask->zeros);
    free(mask->overlap_add);
    free(mask->delayed);
    free(mask);
}
