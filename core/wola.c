/* Weighted overlap-add resynthesis with a per-frame gain: the one mask
 * audition of every front (spectide_audio.h), with bounded work per call.
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
 * the object starts as if n - hop/2 zeros had come first, so that every
 * real sample is covered by n/hop frames (perfect reconstruction from the
 * first sample: priming >= n - hop suffices) and the frames sit half a hop
 * away from those of an STFT of the same hop fed the same signal (the LV2
 * plugin's spectrum: the two never do their large FFTs at the same time).
 * A frame covers virtual positions [end - n, end). Its work, in steps of at
 * most ST_REALTIME_STEP_POINTS values: window the frame out of the input
 * ring, the forward st_sliced_fft, the power, the gain rule, the gained
 * spectrum, the backward st_sliced_fft, the overlap-add. After `elapsed`
 * samples past the frame's end, floor(steps * elapsed / delay) of them have
 * run (all at once at the end when delay is 0): the schedule depends on the
 * input alone, so the samples and when they leave do not depend on the
 * block partition, and a call of b samples runs at most
 * steps * b / delay + b / hop + 2 steps. The last step of a frame is done
 * `delay` samples after its end; position p, whose last frame ends at
 * p + n at the latest, leaves when the input of p + n + delay arrives:
 * latency n + delay. The values do not depend on the delay either (the
 * same steps in the same order): only their latency does.
 *
 * Both rings hold 2n samples: the input ring is the analysis window and the
 * delay line of the residual (n + delay <= 2n samples back), the overlap
 * ring the sums not yet emitted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "constructor.h"
#include "spectide_audio.h"
#include "spectide_realtime.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct st_wola {
    int n, hop, delay, bins, block, latency;
    st_wola_gain_fn gain_fn;
    void *user;
    float *window;      /* periodic Hann, n */
    double power_scale; /* 1 / sum(w^2) */
    float *synthesis;   /* w[i] / (n sum_m w^2(i + m hop)): also undoes c2r's scale */
    float *power;       /* bins: the frame's power, as st_stft_power */
    float *gain;        /* bins */
    float *input;       /* ring of 2n sanitised input samples by virtual position */
    float *overlap;     /* ring of 2n output sums by virtual position */
    uint64_t ring_mask; /* 2n - 1 */
    uint64_t position;  /* virtual position of the next input sample */
    int until_frame;    /* samples until the next frame ends */
    int pending;        /* a frame's steps are running */
    uint64_t frame_end;
    int elapsed, done;
    int steps_copy, steps_forward, steps_power, steps_apply, steps_backward, steps_add, steps;
    uint64_t steps_run;
    st_sliced_fft *forward, *backward;
};

static int is_power_of_two(int n)
{
    return n > 0 && (n & (n - 1)) == 0;
}

static int blocks_of(int count, int block)
{
    return (count + block - 1) / block;
}

void st_water_mask(void *level, const float *power, int bins, float *gain)
{
    const double line = *(const double *)level;
    for (int k = 0; k < bins; k++)
        gain[k] = (double)power[k] > line ? 1.0f : 0.0f;
}

st_wola *st_wola_new(int n_fft, int hop, int delay, st_wola_gain_fn gain, void *user,
                     st_status *error)
{
    if (!is_power_of_two(n_fft) || n_fft < ST_FFT_SIZE_MIN || n_fft > ST_FFT_SIZE_MAX || hop < 1 ||
        n_fft % hop != 0 || !is_power_of_two(n_fft / hop) || n_fft / hop < 4 || delay < 0 ||
        delay > hop)
        return st_failed(error, ST_ERROR_ARGUMENT);
    st_wola *wola = calloc(1, sizeof *wola);
    if (!wola)
        return st_failed(error, ST_ERROR_MEMORY);
    wola->n = n_fft;
    wola->hop = hop;
    wola->delay = delay;
    wola->bins = n_fft / 2 + 1;
    wola->block = ST_REALTIME_STEP_POINTS;
    wola->latency = n_fft + delay;
    wola->gain_fn = gain;
    wola->user = user;
    wola->ring_mask = 2 * (uint64_t)n_fft - 1;
    wola->window = malloc(sizeof(float) * (size_t)n_fft);
    wola->synthesis = malloc(sizeof(float) * (size_t)n_fft);
    wola->power = malloc(sizeof(float) * (size_t)wola->bins);
    wola->gain = malloc(sizeof(float) * (size_t)wola->bins);
    wola->input = malloc(sizeof(float) * 2 * (size_t)n_fft);
    wola->overlap = malloc(sizeof(float) * 2 * (size_t)n_fft);
    st_status status = ST_ERROR_MEMORY;
    if (wola->window && wola->synthesis && wola->power && wola->gain && wola->input &&
        wola->overlap) {
        wola->forward = st_sliced_fft_new(n_fft, ST_FFT_FORWARD, wola->block, &status);
        if (wola->forward)
            wola->backward = st_sliced_fft_new(n_fft, ST_FFT_BACKWARD, wola->block, &status);
    }
    if (!wola->backward) {
        st_wola_free(wola);
        return st_failed(error, status);
    }
    double window_power = 0.0;
    for (int i = 0; i < n_fft; i++) {
        wola->window[i] = (float)(0.5 - 0.5 * cos(2.0 * M_PI * i / n_fft));
        window_power += (double)wola->window[i] * wola->window[i];
    }
    wola->power_scale = 1.0 / window_power;
    /* The normaliser from the float window itself, position by position (it
     * is 3 n / (8 hop) analytically), so that unit gains reconstruct to the
     * last bit the float arithmetic allows. */
    const float *w = wola->window;
    for (int i = 0; i < hop; i++) {
        double sum = 0.0;
        for (int m = i; m < n_fft; m += hop)
            sum += (double)w[m] * w[m];
        for (int m = i; m < n_fft; m += hop)
            wola->synthesis[m] = (float)(w[m] / (sum * n_fft));
    }
    for (int k = 0; k < wola->bins; k++)
        wola->gain[k] = 1.0f;
    wola->steps_copy = blocks_of(n_fft, wola->block);
    wola->steps_forward = st_sliced_fft_steps(wola->forward);
    wola->steps_power = blocks_of(wola->bins, wola->block);
    wola->steps_apply = wola->steps_power;
    wola->steps_backward = st_sliced_fft_steps(wola->backward);
    wola->steps_add = blocks_of(n_fft, wola->block);
    /* + 1: the gain rule, once per frame over every bin. */
    wola->steps = wola->steps_copy + wola->steps_forward + wola->steps_power + 1 +
                  wola->steps_apply + wola->steps_backward + wola->steps_add;
    st_wola_reset(wola);
    return st_made(error, wola);
}

int st_wola_latency(const st_wola *wola)
{
    return wola->latency;
}

int st_wola_bins(const st_wola *wola)
{
    return wola->bins;
}

int st_wola_steps(const st_wola *wola)
{
    return wola->steps;
}

uint64_t st_wola_steps_run(const st_wola *wola)
{
    return wola->steps_run;
}

void st_wola_reset(st_wola *wola)
{
    memset(wola->input, 0, sizeof(float) * 2 * (size_t)wola->n);
    memset(wola->overlap, 0, sizeof(float) * 2 * (size_t)wola->n);
    wola->position = (uint64_t)(wola->n - wola->hop / 2);
    wola->until_frame = wola->hop / 2;
    wola->pending = 0;
    wola->elapsed = wola->done = 0;
}

/* Step `step` of the frame ending at frame_end. */
static void frame_step(st_wola *wola, int step)
{
    const int n = wola->n, block = wola->block, bins = wola->bins;
    if (step < wola->steps_copy) {
        int first = step * block, end = first + block < n ? first + block : n;
        float *out = st_sliced_fft_input(wola->forward);
        uint64_t start = wola->frame_end - (uint64_t)n;
        for (int i = first; i < end; i++)
            out[i] = wola->input[(start + (uint64_t)i) & wola->ring_mask] * wola->window[i];
        if (end == n)
            st_sliced_fft_start(wola->forward);
        return;
    }
    step -= wola->steps_copy;
    if (step < wola->steps_forward) {
        st_sliced_fft_step(wola->forward, 1);
        return;
    }
    step -= wola->steps_forward;
    if (step < wola->steps_power) {
        int first = step * block, end = first + block < bins ? first + block : bins;
        const float *x = st_sliced_fft_output(wola->forward);
        for (int k = first; k < end; k++) {
            double re = x[2 * k], im = x[2 * k + 1];
            wola->power[k] = (float)((re * re + im * im) * wola->power_scale);
        }
        return;
    }
    step -= wola->steps_power;
    if (step == 0) {
        if (wola->gain_fn)
            wola->gain_fn(wola->user, wola->power, bins, wola->gain);
        return;
    }
    step -= 1;
    if (step < wola->steps_apply) {
        int first = step * block, end = first + block < bins ? first + block : bins;
        const float *x = st_sliced_fft_output(wola->forward);
        float *gained = st_sliced_fft_input(wola->backward);
        for (int k = first; k < end; k++) {
            gained[2 * k] = x[2 * k] * wola->gain[k];
            gained[2 * k + 1] = x[2 * k + 1] * wola->gain[k];
        }
        if (end == bins)
            st_sliced_fft_start(wola->backward);
        return;
    }
    step -= wola->steps_apply;
    if (step < wola->steps_backward) {
        st_sliced_fft_step(wola->backward, 1);
        return;
    }
    step -= wola->steps_backward;
    int first = step * block, end = first + block < n ? first + block : n;
    const float *frame = st_sliced_fft_output(wola->backward);
    uint64_t start = wola->frame_end - (uint64_t)n;
    for (int i = first; i < end; i++)
        wola->overlap[(start + (uint64_t)i) & wola->ring_mask] += frame[i] * wola->synthesis[i];
}

/* Runs the pending frame's steps up to what `elapsed` asks for. */
static void advance(st_wola *wola)
{
    int due = wola->delay == 0 ? wola->steps
                               : (int)((long long)wola->steps * wola->elapsed / wola->delay);
    if (due > wola->done)
        wola->steps_run += (uint64_t)(due - wola->done);
    while (wola->done < due)
        frame_step(wola, wola->done++);
    if (wola->done == wola->steps)
        wola->pending = 0;
}

/* Samples after which one more step is due: the smallest e > elapsed with
 * floor(steps e / delay) > done, i.e. ceil((done + 1) delay / steps). */
static int samples_to_next_step(const st_wola *wola)
{
    long long e = ((long long)(wola->done + 1) * wola->delay + wola->steps - 1) / wola->steps;
    return e > wola->elapsed ? (int)(e - wola->elapsed) : 1;
}

void st_wola_run(st_wola *wola, const float *in, float *out, float *residual, int n)
{
    const uint64_t mask = wola->ring_mask, latency = (uint64_t)wola->latency;
    int used = 0;
    while (used < n) {
        int take = n - used;
        if (take > wola->until_frame)
            take = wola->until_frame;
        if (wola->pending) {
            int next = samples_to_next_step(wola);
            if (take > next)
                take = next;
        }
        for (int i = 0; i < take; i++) {
            uint64_t q = wola->position + (uint64_t)i;
            /* Read before anything is written: out or residual may be in. */
            float x = in[used + i];
            wola->input[q & mask] = isfinite(x) ? x : 0.0f;
            /* What the frames added at q - latency, all of them done now. */
            uint64_t leaving = (q - latency) & mask;
            float value = wola->overlap[leaving];
            wola->overlap[leaving] = 0.0f;
            float past = wola->input[leaving];
            out[used + i] = value;
            if (residual)
                residual[used + i] = past - value;
        }
        wola->position += (uint64_t)take;
        wola->until_frame -= take;
        used += take;
        if (wola->pending) {
            wola->elapsed += take;
            advance(wola);
        }
        /* A frame ending now starts after the previous one finished
         * (delay <= hop: it has). */
        if (wola->until_frame == 0) {
            wola->until_frame = wola->hop;
            wola->frame_end = wola->position;
            wola->pending = 1;
            wola->elapsed = wola->done = 0;
            if (wola->delay == 0)
                advance(wola);
        }
    }
}

void st_wola_free(st_wola *wola)
{
    if (!wola)
        return;
    st_sliced_fft_free(wola->forward);
    st_sliced_fft_free(wola->backward);
    free(wola->window);
    free(wola->synthesis);
    free(wola->power);
    free(wola->gain);
    free(wola->input);
    free(wola->overlap);
    free(wola);
}
