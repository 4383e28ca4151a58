/* Streaming STFT analyser: periodic Hann window, one-sided power normalised
 * so that white noise of variance sigma^2 reads sigma^2 in every bin.
 *
 * Why no doubling of the one-sided bins: for real white noise x of variance
 * sigma^2, E|X(k)|^2 = sigma^2 * sum_n w[n]^2 for every k, DC and Nyquist
 * included (X(0) = sum w x is real with that variance; for 0 < k < N/2 the
 * real and imaginary parts share it). Dividing by sum(w^2) makes every bin
 * read sigma^2. Doubling would be a power-density convention (it makes the
 * bins sum to the signal power); here the flat noise line is what matters.
 *
 * Everything is allocated in st_stft_new(); feeding only copies, windows and
 * executes the FFTW plans made there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "constructor.h"
#include "planner.h"
#include "spectide_audio.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct st_stft {
    int n_fft;
    int hop;
    int bins;
    float *window;       /* n_fft */
    double window_power; /* sum of w^2 */
    float *ring;         /* last n_fft samples; `write` is the oldest */
    int write;
    int until_frame; /* samples still needed before the next frame */
    int ready;
    uint64_t bad_samples;
    float *time;         /* FFT input, n_fft */
    fftwf_complex *freq; /* FFT output, bins */
    fftwf_complex *inverse_in;
    float *power; /* bins */
    fftwf_plan forward;
    fftwf_plan backward;
};

static int is_power_of_two(int n)
{
    return n > 0 && (n & (n - 1)) == 0;
}

st_stft *st_stft_new(int n_fft, int hop, st_status *error)
{
    if (!is_power_of_two(n_fft) || n_fft < ST_FFT_SIZE_MIN || n_fft > ST_FFT_SIZE_MAX || hop < 1 ||
        hop > n_fft)
        return st_failed(error, ST_ERROR_ARGUMENT);
    st_stft *stft = calloc(1, sizeof *stft);
    if (!stft)
        return st_failed(error, ST_ERROR_MEMORY);
    stft->n_fft = n_fft;
    stft->hop = hop;
    stft->bins = n_fft / 2 + 1;
    stft->window = fftwf_malloc(sizeof(float) * (size_t)n_fft);
    stft->ring = fftwf_malloc(sizeof(float) * (size_t)n_fft);
    stft->time = fftwf_malloc(sizeof(float) * (size_t)n_fft);
    stft->freq = fftwf_malloc(sizeof(fftwf_complex) * (size_t)stft->bins);
    stft->inverse_in = fftwf_malloc(sizeof(fftwf_complex) * (size_t)stft->bins);
    stft->power = fftwf_malloc(sizeof(float) * (size_t)stft->bins);
    if (!stft->window || !stft->ring || !stft->time || !stft->freq || !stft->inverse_in ||
        !stft->power) {
        st_stft_free(stft);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    double sum_squares = 0.0;
    for (int n = 0; n < n_fft; n++) {
        double w = 0.5 - 0.5 * cos(2.0 * M_PI * n / n_fft);
        stft->window[n] = (float)w;
        sum_squares += (double)stft->window[n] * stft->window[n];
    }
    stft->window_power = sum_squares;
    /* FFTW_ESTIMATE: planning is quick and the plan is the same on every run,
     * so results are reproducible. One thread: the plan runs in the audio
     * thread. */
    st_planner_enter(1);
    stft->forward = fftwf_plan_dft_r2c_1d(n_fft, stft->time, stft->freq, FFTW_ESTIMATE);
    stft->backward = fftwf_plan_dft_c2r_1d(n_fft, stft->inverse_in, stft->time, FFTW_ESTIMATE);
    st_planner_leave();
    if (!stft->forward || !stft->backward) {
        st_stft_free(stft);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    st_stft_reset(stft);
    return st_made(error, stft);
}

int st_stft_bins(const st_stft *stft)
{
    return stft->bins;
}

int st_stft_fft_size(const st_stft *stft)
{
    return stft->n_fft;
}

int st_stft_hop(const st_stft *stft)
{
    return stft->hop;
}

const float *st_stft_window(const st_stft *stft)
{
    return stft->window;
}

void st_stft_reset(st_stft *stft)
{
    memset(stft->ring, 0, sizeof(float) * (size_t)stft->n_fft);
    memset(stft->power, 0, sizeof(float) * (size_t)stft->bins);
    memset(stft->freq, 0, sizeof(fftwf_complex) * (size_t)stft->bins);
    stft->write = 0;
    stft->until_frame = stft->n_fft;
    stft->ready = 0;
    stft->bad_samples = 0;
}

/* Windows `time` in place (already holding the frame), transforms it and
 * fills the normalised power. */
static void transform_frame(st_stft *stft)
{
    for (int n = 0; n < stft->n_fft; n++)
        stft->time[n] *= stft->window[n];
    fftwf_execute(stft->forward);
    const double scale = 1.0 / stft->window_power;
    for (int k = 0; k < stft->bins; k++) {
        double re = stft->freq[k][0], im = stft->freq[k][1];
        stft->power[k] = (float)((re * re + im * im) * scale);
    }
}

/* Unrolls the ring (oldest sample first) into the FFT input. */
static void emit_frame(st_stft *stft)
{
    int tail = stft->n_fft - stft->write;
    memcpy(stft->time, stft->ring + stft->write, sizeof(float) * (size_t)tail);
    memcpy(stft->time + tail, stft->ring, sizeof(float) * (size_t)stft->write);
    transform_frame(stft);
    stft->ready = 1;
}

int st_stft_feed(st_stft *stft, const float *samples, int n)
{
    if (!samples || n <= 0)
        return 0;
    /* A waiting frame that was not read is dropped by feeding on. */
    stft->ready = 0;
    int take = n < stft->until_frame ? n : stft->until_frame;
    for (int i = 0; i < take; i++) {
        float x = samples[i];
        if (!isfinite(x)) {
            x = 0.0f;
            stft->bad_samples++;
        }
        stft->ring[stft->write] = x;
        stft->write = stft->write + 1 == stft->n_fft ? 0 : stft->write + 1;
    }
    stft->until_frame -= take;
    if (stft->until_frame == 0) {
        emit_frame(stft);
        stft->until_frame = stft->hop;
    }
    return take;
}

int st_stft_frame_ready(const st_stft *stft)
{
    return stft->ready;
}

const float *st_stft_power(st_stft *stft)
{
    stft->ready = 0;
    return stft->power;
}

const float *st_stft_spectrum(const st_stft *stft)
{
    return (const float *)stft->freq;
}

uint64_t st_stft_bad_samples(const st_stft *stft)
{
    return stft->bad_samples;
}

void st_stft_frame(st_stft *stft, const float *frame, float *power)
{
    for (int n = 0; n < stft->n_fft; n++)
        stft->time[n] = isfinite(frame[n]) ? frame[n] : 0.0f;
    transform_frame(stft);
    if (power)
        memcpy(power, stft->power, sizeof(float) * (size_t)stft->bins);
}

void st_stft_inverse(st_stft *stft, const float *spectrum, float *frame)
{
    /* c2r destroys its input: transform a copy. */
    memcpy(stft->inverse_in, spectrum, sizeof(fftwf_complex) * (size_t)stft->bins);
    /* The plan's own arrays: the caller's `frame` may lack FFTW's alignment. */
    fftwf_execute(stft->backward);
    const float scale = 1.0f / (float)stft->n_fft;
    for (int n = 0; n < stft->n_fft; n++)
        frame[n] = stft->time[n] * scale;
}

void st_stft_free(st_stft *stft)
{
    if (!stft)
        return;
    st_planner_enter(1);
    if (stft->forward)
        fftwf_destroy_plan(stft->forward);
    if (stft->backward)
        fftwf_destroy_plan(stft->backward);
    st_planner_leave();
    fftwf_free(stft->window);
    fftwf_free(stft->ring);
    fftwf_free(stft->time);
    fftwf_free(stft->freq);
    fftwf_free(stft->inverse_in);
    fftwf_free(stft->power);
    free(stft);
}
