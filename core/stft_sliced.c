/* Streaming STFT analysis and a spectral gate whose per-frame work is
 * spread over the samples that follow each frame (spectide_realtime.h).
 *
 * The schedule is driven by the input alone: a frame that completed
 * `elapsed` samples ago has run floor(steps * elapsed / delay) of its steps.
 * So the work of a call is bounded by its length (steps * n / delay + 1
 * steps), and the results, and when they are ready, are the same for any
 * block partition. The input is consumed in chunks that end where the
 * schedule asks for one more step, so the bookkeeping is per chunk, not per
 * sample.
 *
 * A frame's steps: copy its samples out of the input ring with the window
 * applied (blocks of max_step_points samples), the sliced FFT, then for the
 * analysis the power of blocks of bins; for the gate the masking of blocks
 * of bins, the sliced inverse FFT and the overlap-add of blocks of samples.
 * The input ring keeps n_fft + delay samples (the gate's: 2 n_fft, which
 * also serve as its delay line), so a frame's samples are still there when
 * its copy steps run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_realtime.h"

#include "constructor.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int is_power_of_two(int n)
{
    return n > 0 && (n & (n - 1)) == 0;
}

static int blocks_of(int count, int block)
{
    return (count + block - 1) / block;
}

/* Periodic Hann window and its power sum(w^2). */
static double hann(float *window, int n)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        window[i] = (float)(0.5 - 0.5 * cos(2.0 * M_PI * i / n));
        sum += (double)window[i] * window[i];
    }
    return sum;
}

/* Steps due after `elapsed` of `delay` samples: floor(steps * elapsed /
 * delay), so that the last one falls exactly on elapsed == delay. */
static int steps_due(int steps, int elapsed, int delay)
{
    return (int)((long long)steps * elapsed / delay);
}

/* Samples after which one more step is due, from `elapsed` with `done`
 * steps run: the smallest e > elapsed with steps_due(e) > done, i.e.
 * e = ceil((done + 1) delay / steps). */
static int samples_to_next_step(int steps, int done, int elapsed, int delay)
{
    long long e = ((long long)(done + 1) * delay + steps - 1) / steps;
    return e > elapsed ? (int)(e - elapsed) : 1;
}

/* Copies NaN-free samples into a ring; returns how many were not finite. */
static int ring_write(float *ring, int size, long long position, const float *in, int n)
{
    int bad = 0;
    int slot = (int)(position % size);
    for (int i = 0; i < n; i++) {
        float x = in[i];
        if (!isfinite(x)) {
            x = 0.0f;
            bad++;
        }
        ring[slot] = x;
        slot = slot + 1 == size ? 0 : slot + 1;
    }
    return bad;
}

/* out[i] = w[i] * frame[i] for frame samples [first, end) of the frame
 * ending at `end_position` (exclusive), read from the ring. */
static void window_block(const float *ring, int size, long long end_position, int n_fft,
                         const float *window, float *out, int first, int end)
{
    long long start = end_position - n_fft + first;
    int slot = (int)(((start % size) + size) % size);
    for (int i = first; i < end; i++) {
        out[i] = ring[slot] * window[i];
        slot = slot + 1 == size ? 0 : slot + 1;
    }
}

/* ------------------------------------------------------------------ */
/* Analysis                                                             */
/* ------------------------------------------------------------------ */

struct st_sliced_stft {
    int n_fft, hop, delay, bins, block;
    float *window;
    double window_power;
    float *ring; /* n_fft + delay samples by absolute position */
    int ring_size;
    long long position; /* samples consumed */
    int until_frame;    /* samples until the next frame completes */
    int pending;        /* a frame's steps are running */
    long long frame_end;
    int elapsed, done;
    int steps_copy, steps_fft, steps_power, steps;
    int ready;
    uint64_t bad_samples;
    uint64_t steps_run;
    st_sliced_fft *fft;
    float *power;
};

st_sliced_stft *st_sliced_stft_new(int n_fft, int hop, int delay, int max_step_points,
                                   st_status *error)
{
    if (!is_power_of_two(n_fft) || n_fft < 256 || n_fft > 65536 || hop < 1 || hop > n_fft ||
        delay < 0 || delay > hop || max_step_points < 64) {
        return st_failed(error, ST_ERROR_ARGUMENT);
    }
    st_sliced_stft *stft = calloc(1, sizeof *stft);
    if (!stft) {
        return st_failed(error, ST_ERROR_MEMORY);
    }
    stft->n_fft = n_fft;
    stft->hop = hop;
    stft->delay = delay;
    stft->bins = n_fft / 2 + 1;
    stft->block = max_step_points;
    stft->ring_size = n_fft + delay;
    stft->window = malloc(sizeof(float) * (size_t)n_fft);
    stft->ring = malloc(sizeof(float) * (size_t)stft->ring_size);
    stft->power = malloc(sizeof(float) * (size_t)stft->bins);
    st_status status = ST_ERROR_MEMORY;
    if (stft->window && stft->ring && stft->power)
        stft->fft = st_sliced_fft_new(n_fft, ST_FFT_FORWARD, max_step_points, &status);
    if (!stft->fft) {
        st_sliced_stft_free(stft);
        return st_failed(error, status);
    }
    stft->window_power = hann(stft->window, n_fft);
    stft->steps_copy = blocks_of(n_fft, stft->block);
    stft->steps_fft = st_sliced_fft_steps(stft->fft);
    stft->steps_power = blocks_of(stft->bins, stft->block);
    stft->steps = stft->steps_copy + stft->steps_fft + stft->steps_power;
    st_sliced_stft_reset(stft);
    return st_made(error, stft);
}

int st_sliced_stft_bins(const st_sliced_stft *stft)
{
    return stft->bins;
}

int st_sliced_stft_hop(const st_sliced_stft *stft)
{
    return stft->hop;
}

int st_sliced_stft_delay(const st_sliced_stft *stft)
{
    return stft->delay;
}

int st_sliced_stft_steps(const st_sliced_stft *stft)
{
    return stft->steps;
}

void st_sliced_stft_reset(st_sliced_stft *stft)
{
    memset(stft->ring, 0, sizeof(float) * (size_t)stft->ring_size);
    memset(stft->power, 0, sizeof(float) * (size_t)stft->bins);
    stft->position = 0;
    stft->until_frame = stft->n_fft;
    stft->pending = 0;
    stft->elapsed = stft->done = 0;
    stft->ready = 0;
    stft->bad_samples = 0;
}

static void analysis_step(st_sliced_stft *stft, int step)
{
    if (step < stft->steps_copy) {
        int first = step * stft->block;
        int end = first + stft->block < stft->n_fft ? first + stft->block : stft->n_fft;
        window_block(stft->ring, stft->ring_size, stft->frame_end, stft->n_fft, stft->window,
                     st_sliced_fft_input(stft->fft), first, end);
        if (end == stft->n_fft)
            st_sliced_fft_start(stft->fft);
        return;
    }
    step -= stft->steps_copy;
    if (step < stft->steps_fft) {
        st_sliced_fft_step(stft->fft, 1);
        return;
    }
    step -= stft->steps_fft;
    int first = step * stft->block;
    int end = first + stft->block < stft->bins ? first + stft->block : stft->bins;
    const float *x = st_sliced_fft_output(stft->fft);
    const double scale = 1.0 / stft->window_power;
    for (int k = first; k < end; k++) {
        double re = x[2 * k], im = x[2 * k + 1];
        stft->power[k] = (float)((re * re + im * im) * scale);
    }
}

/* Runs the pending frame's steps up to what `elapsed` asks for. */
static void analysis_advance(st_sliced_stft *stft)
{
    int due = stft->delay == 0 ? stft->steps : steps_due(stft->steps, stft->elapsed, stft->delay);
    stft->steps_run += (uint64_t)(due > stft->done ? due - stft->done : 0);
    while (stft->done < due)
        analysis_step(stft, stft->done++);
    if (stft->done == stft->steps) {
        stft->pending = 0;
        stft->ready = 1;
    }
}

int st_sliced_stft_feed(st_sliced_stft *stft, const float *samples, int n)
{
    if (!samples || n <= 0)
        return 0;
    stft->ready = 0;
    int used = 0;
    while (used < n && !stft->ready) {
        int take = n - used;
        if (take > stft->until_frame)
            take = stft->until_frame;
        if (stft->pending) {
            int next = samples_to_next_step(stft->steps, stft->done, stft->elapsed, stft->delay);
            if (take > next)
                take = next;
        }
        stft->bad_samples +=
            (uint64_t)ring_write(stft->ring, stft->ring_size, stft->position, samples + used, take);
        stft->position += take;
        stft->until_frame -= take;
        used += take;
        if (stft->pending) {
            stft->elapsed += take;
            analysis_advance(stft);
        }
        /* A frame completing now starts after the previous one finished
         * (delay <= hop: it has). */
        if (stft->until_frame == 0) {
            stft->until_frame = stft->hop;
            stft->frame_end = stft->position;
            stft->pending = 1;
            stft->elapsed = stft->done = 0;
            if (stft->delay == 0)
                analysis_advance(stft);
        }
    }
    return used;
}

int st_sliced_stft_frame_ready(const st_sliced_stft *stft)
{
    return stft->ready;
}

const float *st_sliced_stft_power(st_sliced_stft *stft)
{
    stft->ready = 0;
    return stft->power;
}

const float *st_sliced_stft_spectrum(const st_sliced_stft *stft)
{
    return st_sliced_fft_output(stft->fft);
}

uint64_t st_sliced_stft_bad_samples(const st_sliced_stft *stft)
{
    return stft->bad_samples;
}

uint64_t st_sliced_stft_steps_run(const st_sliced_stft *stft)
{
    return stft->steps_run;
}

void st_sliced_stft_free(st_sliced_stft *stft)
{
    if (!stft)
        return;
    st_sliced_fft_free(stft->fft);
    free(stft->window);
    free(stft->ring);
    free(stft->power);
    free(stft);
}

/* ------------------------------------------------------------------ */
/* Spectral gate                                                        */
/* ------------------------------------------------------------------ */

struct st_spectral_gate {
    int n_fft, hop, delay, bins, block, latency;
    float *window;    /* analysis */
    float *synthesis; /* window / (3R/8) / n_fft: undoes the overlap and c2r's scale */
    double window_power;
    float *input;       /* 2 n_fft sanitised input samples by position: analysis and delay line */
    float *overlap_add; /* 2 n_fft output samples by position */
    int ring_mask;      /* 2 n_fft - 1 */
    long long position; /* position of the next input sample */
    int until_frame;
    int pending;
    long long frame_end;
    int elapsed, done;
    double frame_level;
    uint64_t steps_run;
    int steps_copy, steps_forward, steps_mask, steps_backward, steps_add, steps;
    st_sliced_fft *forward, *backward;
};

st_spectral_gate *st_spectral_gate_new(int n_fft, int hop, int delay, int max_step_points,
                                       st_status *error)
{
    if (!is_power_of_two(n_fft) || n_fft < 256 || n_fft > 65536 || !is_power_of_two(hop) ||
        hop > n_fft / 4 || hop < 2 || delay < 0 || delay > hop || max_step_points < 64) {
        return st_failed(error, ST_ERROR_ARGUMENT);
    }
    st_spectral_gate *gate = calloc(1, sizeof *gate);
    if (!gate) {
        return st_failed(error, ST_ERROR_MEMORY);
    }
    gate->n_fft = n_fft;
    gate->hop = hop;
    gate->delay = delay;
    gate->bins = n_fft / 2 + 1;
    gate->block = max_step_points;
    gate->latency = n_fft + delay;
    gate->ring_mask = 2 * n_fft - 1;
    gate->window = malloc(sizeof(float) * (size_t)n_fft);
    gate->synthesis = malloc(sizeof(float) * (size_t)n_fft);
    gate->input = malloc(sizeof(float) * 2 * (size_t)n_fft);
    gate->overlap_add = malloc(sizeof(float) * 2 * (size_t)n_fft);
    st_status status = ST_ERROR_MEMORY;
    if (gate->window && gate->synthesis && gate->input && gate->overlap_add) {
        gate->forward = st_sliced_fft_new(n_fft, ST_FFT_FORWARD, max_step_points, &status);
        if (gate->forward)
            gate->backward = st_sliced_fft_new(n_fft, ST_FFT_BACKWARD, max_step_points, &status);
    }
    if (!gate->backward) {
        st_spectral_gate_free(gate);
        return st_failed(error, status);
    }
    gate->window_power = hann(gate->window, n_fft);
    /* sum over frames of w^2 at hop n/R is 3R/8 for R >= 3. */
    double overlap = 3.0 * (n_fft / hop) / 8.0;
    for (int i = 0; i < n_fft; i++)
        gate->synthesis[i] = (float)(gate->window[i] / (overlap * n_fft));
    gate->steps_copy = blocks_of(n_fft, gate->block);
    gate->steps_forward = st_sliced_fft_steps(gate->forward);
    gate->steps_mask = blocks_of(gate->bins, gate->block);
    gate->steps_backward = st_sliced_fft_steps(gate->backward);
    gate->steps_add = blocks_of(n_fft, gate->block);
    gate->steps = gate->steps_copy + gate->steps_forward + gate->steps_mask + gate->steps_backward +
                  gate->steps_add;
    st_spectral_gate_reset(gate);
    return st_made(error, gate);
}

int st_spectral_gate_latency(const st_spectral_gate *gate)
{
    return gate->latency;
}

int st_spectral_gate_steps(const st_spectral_gate *gate)
{
    return gate->steps;
}

uint64_t st_spectral_gate_steps_run(const st_spectral_gate *gate)
{
    return gate->steps_run;
}

void st_spectral_gate_reset(st_spectral_gate *gate)
{
    memset(gate->input, 0, sizeof(float) * 2 * (size_t)gate->n_fft);
    memset(gate->overlap_add, 0, sizeof(float) * 2 * (size_t)gate->n_fft);
    /* As if n_fft - hop/2 zeros came first: every input sample then lies
     * under full frames, and the first frame ends after hop/2 samples. */
    gate->position = gate->n_fft - gate->hop / 2;
    gate->until_frame = gate->hop / 2;
    gate->pending = 0;
    gate->elapsed = gate->done = 0;
}

static void gate_step(st_spectral_gate *gate, int step)
{
    const int n = gate->n_fft, block = gate->block;
    if (step < gate->steps_copy) {
        int first = step * block, end = first + block < n ? first + block : n;
        window_block(gate->input, gate->ring_mask + 1, gate->frame_end, n, gate->window,
                     st_sliced_fft_input(gate->forward), first, end);
        if (end == n)
            st_sliced_fft_start(gate->forward);
        return;
    }
    step -= gate->steps_copy;
    if (step < gate->steps_forward) {
        st_sliced_fft_step(gate->forward, 1);
        return;
    }
    step -= gate->steps_forward;
    if (step < gate->steps_mask) {
        int first = step * block, end = first + block < gate->bins ? first + block : gate->bins;
        const float *x = st_sliced_fft_output(gate->forward);
        float *kept = st_sliced_fft_input(gate->backward);
        const double scale = 1.0 / gate->window_power;
        for (int k = first; k < end; k++) {
            double re = x[2 * k], im = x[2 * k + 1];
            int keep = (re * re + im * im) * scale > gate->frame_level;
            kept[2 * k] = keep ? x[2 * k] : 0.0f;
            kept[2 * k + 1] = keep ? x[2 * k + 1] : 0.0f;
        }
        if (end == gate->bins)
            st_sliced_fft_start(gate->backward);
        return;
    }
    step -= gate->steps_mask;
    if (step < gate->steps_backward) {
        st_sliced_fft_step(gate->backward, 1);
        return;
    }
    step -= gate->steps_backward;
    int first = step * block, end = first + block < n ? first + block : n;
    const float *frame = st_sliced_fft_output(gate->backward);
    long long start = gate->frame_end - n;
    for (int i = first; i < end; i++)
        gate->overlap_add[(start + i) & gate->ring_mask] += frame[i] * gate->synthesis[i];
}

static void gate_advance(st_spectral_gate *gate)
{
    int due = gate->delay == 0 ? gate->steps : steps_due(gate->steps, gate->elapsed, gate->delay);
    gate->steps_run += (uint64_t)(due > gate->done ? due - gate->done : 0);
    while (gate->done < due)
        gate_step(gate, gate->done++);
    if (gate->done == gate->steps)
        gate->pending = 0;
}

void st_spectral_gate_run(st_spectral_gate *gate, const float *in, float *kept, float *removed,
                          int n, double level)
{
    const int mask = gate->ring_mask, latency = gate->latency;
    int used = 0;
    while (used < n) {
        int take = n - used;
        if (take > gate->until_frame)
            take = gate->until_frame;
        if (gate->pending) {
            int next = samples_to_next_step(gate->steps, gate->done, gate->elapsed, gate->delay);
            if (take > next)
                take = next;
        }
        for (int i = 0; i < take; i++) {
            long long q = gate->position + i;
            float x = in[used + i];
            gate->input[q & mask] = isfinite(x) ? x : 0.0f;
            /* Output: what the frames added at q - latency, all of whose
             * frames have finished by now. */
            long long out = (q - latency) & mask;
            float value = gate->overlap_add[out];
            gate->overlap_add[out] = 0.0f;
            kept[used + i] = value;
            if (removed)
                removed[used + i] = gate->input[out] - value;
        }
        gate->position += take;
        gate->until_frame -= take;
        used += take;
        if (gate->pending) {
            gate->elapsed += take;
            gate_advance(gate);
        }
        if (gate->until_frame == 0) {
            gate->until_frame = gate->hop;
            gate->frame_end = gate->position;
            gate->frame_level = level;
            gate->pending = 1;
            gate->elapsed = gate->done = 0;
            if (gate->delay == 0)
                gate_advance(gate);
        }
    }
}

void st_spectral_gate_free(st_spectral_gate *gate)
{
    if (!gate)
        return;
    st_sliced_fft_free(gate->forward);
    st_sliced_fft_free(gate->backward);
    free(gate->window);
    free(gate->synthesis);
    free(gate->input);
    free(gate->overlap_add);
    free(gate);
}
