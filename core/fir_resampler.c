/* Polyphase FIR rational resampler: output rate / input rate = L / M.
 *
 * The textbook chain is: insert L - 1 zeros after every input sample (rate
 * L fs_in), low-pass with h (N taps, gain L), keep every M-th sample. Only
 * the kept samples are computed and only the non-zero inputs multiplied:
 * output j = sum_i h[p + i L] x[n0 - i], i = 0..K-1, with n0 = floor(j M / L)
 * the newest input it needs and p = j M - n0 L its phase (N = K L). Each
 * phase's K coefficients are stored reversed, so an output is one
 * contiguous dot product over the last K input samples.
 *
 * The input history is a ring of K + 512 slots whose first K - 1 slots are
 * repeated after its end, so that the last K samples before any point are
 * contiguous: input is copied in chunks of up to 512 samples (NaN and Inf
 * replaced on the way), then every output whose newest sample arrived is
 * computed. No memmove per block, and any block length (lv2apply's one
 * sample per call included) gives the same outputs: each depends only on
 * the samples before it, summed in a fixed order.
 *
 * The dot product uses GCC/Clang vector types (four lanes, two
 * accumulators): the summation order is fixed, so results are reproducible,
 * and -O2 without -ffast-math (which turns isfinite() into 1) gets SIMD.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_realtime.h"

#include "constructor.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_UP           4096
#define MAX_DOWN         65536
#define MAX_COEFFICIENTS (1 << 22)
#define TAP_MULTIPLE     8
/* Input samples copied into the ring at a time. */
#define CHUNK 512

struct st_fir_resampler {
    int up, down; /* L, M */
    int taps;     /* K, a multiple of TAP_MULTIPLE */
    int length;   /* N = K L */
    double prototype_rate;
    float *phases;   /* L x K, phase p reversed at p * K */
    int *next_phase; /* L: phase of the output after one of phase p */
    int *advance;    /* L: input samples between that output and the next */
    float *history;  /* ring + K - 1: the ring, then its first K - 1 slots again */
    int ring;        /* K + CHUNK slots */
    int write;       /* slot of the next input sample */
    int start;       /* slot of the oldest sample of the next output's window */
    int phase;       /* phase of the next output */
    int waiting;     /* input samples still needed before the next output */
    uint64_t bad_samples;
};

st_fir_design st_fir_design_default(void)
{
    st_fir_design design = {0.8, 1.0, 110.0};
    return design;
}

static long long gcd(long long a, long long b)
{
    while (b) {
        long long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Modified Bessel function of the first kind, order 0 (power series; the
 * terms fall fast for the beta of any sensible attenuation). */
static double bessel_i0(double x)
{
    double sum = 1.0, term = 1.0, half = x / 2.0;
    for (int k = 1; k < 500; k++) {
        term *= (half / k) * (half / k);
        sum += term;
        if (term < sum * 1e-17)
            break;
    }
    return sum;
}

static int whole_rate(double rate, long long *out)
{
    if (!isfinite(rate) || rate < 1.0 || rate > 1e7)
        return 0;
    double rounded = floor(rate + 0.5);
    if (fabs(rate - rounded) > 1e-6)
        return 0;
    *out = (long long)rounded;
    return 1;
}

/* Kaiser-windowed sinc prototype into the reversed phases; 0 when out of
 * memory. */
static int design_filter(st_fir_resampler *r, double cutoff_hz, double beta)
{
    const int n = r->length;
    const double centre = (n - 1) / 2.0;
    const double fc = cutoff_hz / r->prototype_rate; /* cycles per prototype sample */
    const double i0_beta = bessel_i0(beta);
    double *h = malloc(sizeof(double) * (size_t)n);
    if (!h)
        return 0;
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        double t = i - centre;
        double sinc = t == 0.0 ? 2.0 * fc : sin(2.0 * M_PI * fc * t) / (M_PI * t);
        double ratio = n > 1 ? 2.0 * i / (n - 1) - 1.0 : 0.0;
        double window = bessel_i0(beta * sqrt(fmax(0.0, 1.0 - ratio * ratio))) / i0_beta;
        h[i] = sinc * window;
        sum += h[i];
    }
    /* Gain L: each of the L phases then has a DC gain of 1 (to the ripple). */
    const double scale = r->up / sum;
    for (int p = 0; p < r->up; p++)
        for (int t = 0; t < r->taps; t++) {
            int i = p + (r->taps - 1 - t) * r->up;
            r->phases[(size_t)p * r->taps + t] = (float)(h[i] * scale);
        }
    free(h);
    return 1;
}

st_fir_resampler *st_fir_resampler_new(double input_rate, double output_rate,
                                       const st_fir_design *design, st_status *error)
{
    st_fir_design d = design ? *design : st_fir_design_default();
    long long in_hz, out_hz;
    if (!whole_rate(input_rate, &in_hz) || !whole_rate(output_rate, &out_hz) ||
        !(d.passband > 0.0) || !(d.stopband > d.passband) || !(d.stopband <= 1.5) ||
        !(d.attenuation_db >= 20.0) || !(d.attenuation_db <= 200.0)) {
        return st_failed(error, ST_ERROR_ARGUMENT);
    }
    long long g = gcd(in_hz, out_hz);
    long long up = out_hz / g, down = in_hz / g;
    if (up > MAX_UP || down > MAX_DOWN) {
        return st_failed(error, ST_ERROR_ARGUMENT);
    }
    double lower_nyquist = 0.5 * (double)(in_hz < out_hz ? in_hz : out_hz);
    double pass_hz = d.passband * lower_nyquist, stop_hz = d.stopband * lower_nyquist;
    double prototype_rate = (double)up * (double)in_hz;
    double transition = 2.0 * M_PI * (stop_hz - pass_hz) / prototype_rate;
    double length = (d.attenuation_db - 7.95) / (2.285 * transition) + 1.0;
    double taps = ceil(length / (double)up);
    taps = ceil(taps / TAP_MULTIPLE) * TAP_MULTIPLE;
    if (taps * (double)up > MAX_COEFFICIENTS) {
        return st_failed(error, ST_ERROR_ARGUMENT);
    }
    st_fir_resampler *r = calloc(1, sizeof *r);
    if (!r) {
        return st_failed(error, ST_ERROR_MEMORY);
    }
    r->up = (int)up;
    r->down = (int)down;
    r->taps = (int)taps;
    r->length = r->taps * r->up;
    r->prototype_rate = prototype_rate;
    r->phases = fftwf_malloc(sizeof(float) * (size_t)r->length);
    r->ring = r->taps + CHUNK;
    r->history = fftwf_malloc(sizeof(float) * (size_t)(r->ring + r->taps - 1));
    r->next_phase = malloc(sizeof(int) * (size_t)r->up);
    r->advance = malloc(sizeof(int) * (size_t)r->up);
    if (!r->phases || !r->history || !r->next_phase || !r->advance) {
        st_fir_resampler_free(r);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    double beta = d.attenuation_db > 50.0    ? 0.1102 * (d.attenuation_db - 8.7)
                  : d.attenuation_db >= 21.0 ? 0.5842 * pow(d.attenuation_db - 21.0, 0.4) +
                                                   0.07886 * (d.attenuation_db - 21.0)
                                             : 0.0;
    if (!design_filter(r, 0.5 * (pass_hz + stop_hz), beta)) {
        st_fir_resampler_free(r);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    for (int p = 0; p < r->up; p++) {
        int next = p + r->down;
        r->advance[p] = next / r->up;
        r->next_phase[p] = next % r->up;
    }
    st_fir_resampler_reset(r);
    return st_made(error, r);
}

/* Eight lanes: two SSE registers on plain x86-64, one AVX register where
 * the CPU has AVX (the ifunc clone below). Both versions add the same
 * products in the same order, so they give the same bits. */
typedef float v8sf __attribute__((vector_size(32)));

/* Unaligned load (a macro: a function returning a 32-byte vector would
 * change the ABI on plain x86-64). */
#define LOAD8(vector, pointer) memcpy(&(vector), (pointer), sizeof(v8sf))

/* sum c[t] x[t], t < taps (a multiple of 8); c and x unaligned loads (c is
 * 32-byte aligned in practice). Two accumulators over 16 taps, then one
 * block of 8 if left; fixed summation order. */
static inline float dot(const float *c, const float *x, int taps)
{
    v8sf a0 = {0, 0, 0, 0, 0, 0, 0, 0}, a1 = a0;
    int t = 0;
    v8sf c0, c1, x0, x1;
    for (; t + 16 <= taps; t += 16) {
        LOAD8(c0, c + t);
        LOAD8(x0, x + t);
        LOAD8(c1, c + t + 8);
        LOAD8(x1, x + t + 8);
        a0 += c0 * x0;
        a1 += c1 * x1;
    }
    if (t < taps) {
        LOAD8(c0, c + t);
        LOAD8(x0, x + t);
        a0 += c0 * x0;
    }
    v8sf s = a0 + a1;
    return ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]));
}

#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define CLONE_FOR_AVX __attribute__((target_clones("avx", "default")))
#endif
#endif
#ifndef CLONE_FOR_AVX
#define CLONE_FOR_AVX
#endif

int st_fir_resampler_max_output(const st_fir_resampler *r, int n)
{
    if (n <= 0)
        return 1;
    return (int)(((long long)n * r->up + r->down - 1) / r->down) + 1;
}

/* Copies n samples, NaN and Inf replaced by 0; returns how many were. The
 * test on the exponent bits has no branch, so the loop vectorises. */
static inline int copy_finite(float *to, const float *from, int n)
{
    int bad = 0;
    for (int k = 0; k < n; k++) {
        uint32_t bits;
        memcpy(&bits, from + k, sizeof bits);
        int not_finite = (bits & 0x7f800000u) == 0x7f800000u;
        bad += not_finite;
        bits = not_finite ? 0u : bits;
        memcpy(to + k, &bits, sizeof bits);
    }
    return bad;
}

/* The streaming loop, for n > 0 with enough room in out. */
CLONE_FOR_AVX static int process(st_fir_resampler *r, const float *in, int n, float *out)
{
    const int taps = r->taps, ring = r->ring;
    const float *phases = r->phases;
    float *history = r->history;
    int write = r->write, start = r->start, phase = r->phase, waiting = r->waiting;
    int written = 0, bad = 0;
    for (int i = 0; i < n;) {
        /* A chunk of new samples, at most CHUNK so that no window still
         * needed is overwritten, and not across the ring's end. */
        int m = n - i < CHUNK ? n - i : CHUNK;
        if (m > ring - write)
            m = ring - write;
        bad += copy_finite(history + write, in + i, m);
        /* The first K - 1 slots are mirrored after the ring's end, so that
         * every window is contiguous. */
        if (write < taps - 1) {
            int mirrored = taps - 1 - write < m ? taps - 1 - write : m;
            memcpy(history + ring + write, history + write, sizeof(float) * (size_t)mirrored);
        }
        write = write + m == ring ? 0 : write + m;
        i += m;
        /* Every output whose newest sample is among the new ones. */
        int left = m;
        while (waiting <= left) {
            left -= waiting;
            out[written++] = dot(phases + (size_t)phase * taps, history + start, taps);
            start += r->advance[phase];
            if (start >= ring)
                start -= ring;
            waiting = r->advance[phase];
            phase = r->next_phase[phase];
        }
        waiting -= left;
    }
    r->write = write;
    r->start = start;
    r->phase = phase;
    r->waiting = waiting;
    r->bad_samples += (uint64_t)bad;
    return written;
}

int st_fir_resampler_run(st_fir_resampler *r, const float *in, int n, float *out, int capacity)
{
    if (n == 0)
        return 0;
    if (n < 0 || !in || !out || capacity < st_fir_resampler_max_output(r, n))
        return ST_ERROR_ARGUMENT;
    return process(r, in, n, out);
}

int st_fir_resampler_taps(const st_fir_resampler *r)
{
    return r->taps;
}

void st_fir_resampler_ratio(const st_fir_resampler *r, int *up, int *down)
{
    if (up)
        *up = r->up;
    if (down)
        *down = r->down;
}

double st_fir_resampler_delay_input(const st_fir_resampler *r)
{
    return (r->length - 1) / (2.0 * r->up);
}

double st_fir_resampler_delay_output(const st_fir_resampler *r)
{
    return (r->length - 1) / (2.0 * r->down);
}

double st_fir_resampler_response(const st_fir_resampler *r, double hz)
{
    double re = 0.0, im = 0.0;
    double w = 2.0 * M_PI * hz / r->prototype_rate;
    for (int p = 0; p < r->up; p++)
        for (int t = 0; t < r->taps; t++) {
            int i = p + (r->taps - 1 - t) * r->up;
            double c = r->phases[(size_t)p * r->taps + t];
            re += c * cos(w * i);
            im -= c * sin(w * i);
        }
    return hypot(re, im) / r->up;
}

uint64_t st_fir_resampler_bad_samples(const st_fir_resampler *r)
{
    return r->bad_samples;
}

void st_fir_resampler_reset(st_fir_resampler *r)
{
    memset(r->history, 0, sizeof(float) * (size_t)(r->ring + r->taps - 1));
    r->write = 0;
    /* Output 0's window: the K - 1 zeros before input 0, then input 0. */
    r->start = r->ring - (r->taps - 1);
    r->phase = 0;
    r->waiting = 1; /* output 0 needs input 0 */
    r->bad_samples = 0;
}

void st_fir_resampler_free(st_fir_resampler *r)
{
    if (!r)
        return;
    fftwf_free(r->phases);
    fftwf_free(r->history);
    free(r->next_phase);
    free(r->advance);
    free(r);
}
