/* A real FFT executed in slices of bounded work (spectide_realtime.h).
 *
 * A real transform of n points is a complex one of h = n/2 points on
 * z[m] = x[2m] + i x[2m+1] plus an O(n) split into even and odd parts:
 *   X[k] = E[k] + W_n^k O[k],  E[k] = (Z[k] + conj Z[h-k]) / 2,
 *   O[k] = (Z[k] - conj Z[h-k]) / 2i,  k = 0..h, Z[h] = Z[0].
 * The complex transform uses the "four-step" index maps m = m1 + N1 m2,
 * k = k2 + N2 k1 (h = N1 N2):
 *   Z[k2 + N2 k1] = sum_m1 W_N1^(m1 k1) [W_h^(m1 k2) sum_m2 z[m1 + N1 m2] W_N2^(m2 k2)],
 * i.e. N1 FFTs of N2 points over strided columns, a twiddle, then N2 FFTs of
 * N1 points; both are FFTW "many" plans over a batch of columns, executed
 * with fftwf_execute_dft at the batch's offset (the offsets keep FFTW's
 * alignment). Each step is one batch, one twiddle row block or one block of
 * the split, of about max_step_points complex points.
 *
 * The backward (c2r) transform runs the same steps in reverse order: the
 * split is undone first, Z[k] = (X[k] + conj X[h-k]) + i W_n^-k (X[k] -
 * conj X[h-k]), then the inverse complex transform gives z with x[2m] =
 * Re z[m], x[2m+1] = Im z[m], unnormalised like FFTW's c2r (n times the
 * inverse DFT).
 *
 * Everything (plans, tables, buffers) is made in _new; a step only executes
 * plans and loops over preallocated arrays.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_realtime.h"

#include "constructor.h"
#include "planner.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct st_sliced_fft {
    int n, h; /* real size, complex size n/2 */
    st_fft_direction direction;
    int n1, n2; /* h = n1 n2; n1 = 0: one plain plan */
    float *input;
    float *output;
    fftwf_complex *z;       /* complex input of the four steps (the input itself when forward) */
    fftwf_complex *columns; /* after the first FFTs and twiddles: [m1 n2 + k2] */
    fftwf_complex *result;  /* complex transform, natural order (the output itself when backward) */
    fftwf_complex *twiddle; /* W_h^(+-m1 k2) at [m1 n2 + k2] */
    fftwf_complex *split;   /* W_n^k (forward) or W_n^-k (backward), k = 0..h */
    float *scratch;         /* one-plan backward: a copy of the input (c2r destroys it) */
    fftwf_plan plan_columns, plan_rows, whole;
    int batch_columns, batch_rows, split_block;
    int steps_columns, steps_rows, steps_split, steps;
    int next; /* next step; == steps when idle or done */
};

static int is_power_of_two(long long n)
{
    return n > 0 && (n & (n - 1)) == 0;
}

/* The largest power of two <= value, within [low, high] (powers of two). */
static int power_of_two_in(int value, int low, int high)
{
    int p = low;
    while (p * 2 <= value && p * 2 <= high)
        p *= 2;
    return p < high ? p : high;
}

static void unit_root(fftwf_complex out, long long numerator, long long denominator, int sign)
{
    double angle = 2.0 * M_PI * (double)(numerator % denominator) / (double)denominator;
    out[0] = (float)cos(angle);
    out[1] = (float)(sign * sin(angle));
}

static int plan_steps(st_sliced_fft *fft, int max_step_points)
{
    const int h = fft->h;
    int log_h = 0;
    while ((1 << log_h) < h)
        log_h++;
    fft->n2 = 1 << ((log_h + 1) / 2);
    fft->n1 = h / fft->n2;
    /* Batches: powers of two, at least 4 columns (32 bytes: every batch
     * offset keeps the arrays' SIMD alignment), about max_step_points
     * points per step. */
    fft->batch_columns = power_of_two_in(max_step_points / fft->n2, 4, fft->n1);
    fft->batch_rows = power_of_two_in(max_step_points / fft->n1, 4, fft->n2);
    fft->split_block = max_step_points;
    fft->steps_columns = fft->n1 / fft->batch_columns;
    fft->steps_rows = fft->n2 / fft->batch_rows;
    /* The split covers k = 0..h (forward) or 0..h-1 (backward). */
    fft->steps_split = (h + 1 + fft->split_block - 1) / fft->split_block;
    fft->steps = fft->steps_columns + fft->steps_rows + fft->steps_split;

    const int sign = fft->direction == ST_FFT_FORWARD ? FFTW_FORWARD : FFTW_BACKWARD;
    int n2 = fft->n2, n1 = fft->n1;
    st_planner_enter(1);
    /* Columns: batch_columns FFTs of n2 points, input stride n1 (one per
     * column m1), output contiguous rows of n2. */
    fft->plan_columns =
        fftwf_plan_many_dft(1, &n2, fft->batch_columns, fft->z, NULL, n1, 1, fft->columns, NULL, 1,
                            n2, sign, FFTW_ESTIMATE | FFTW_PRESERVE_INPUT);
    /* Rows: batch_rows FFTs of n1 points over k2, stride n2 in and out. */
    fft->plan_rows =
        fftwf_plan_many_dft(1, &n1, fft->batch_rows, fft->columns, NULL, n2, 1, fft->result, NULL,
                            n2, 1, sign, FFTW_ESTIMATE | FFTW_PRESERVE_INPUT);
    st_planner_leave();
    if (!fft->plan_columns || !fft->plan_rows)
        return 0;
    for (int m1 = 0; m1 < n1; m1++)
        for (int k2 = 0; k2 < n2; k2++)
            unit_root(fft->twiddle[(size_t)m1 * n2 + k2], (long long)m1 * k2, h,
                      sign == FFTW_FORWARD ? -1 : 1);
    for (int k = 0; k <= h; k++)
        unit_root(fft->split[k], k, fft->n, sign == FFTW_FORWARD ? -1 : 1);
    return 1;
}

st_sliced_fft *st_sliced_fft_new(int n, st_fft_direction direction, int max_step_points,
                                 st_status *error)
{
    if (!is_power_of_two(n) || n < 4 || n > (1 << 24) || max_step_points < 64 ||
        (direction != ST_FFT_FORWARD && direction != ST_FFT_BACKWARD)) {
        return st_failed(error, ST_ERROR_ARGUMENT);
    }
    st_sliced_fft *fft = calloc(1, sizeof *fft);
    if (!fft) {
        return st_failed(error, ST_ERROR_MEMORY);
    }
    fft->n = n;
    fft->h = n / 2;
    fft->direction = direction;
    size_t h = (size_t)fft->h;
    int ok = 1;
    fft->input =
        fftwf_malloc(sizeof(float) * (direction == ST_FFT_FORWARD ? (size_t)n : 2 * h + 2));
    fft->output =
        fftwf_malloc(sizeof(float) * (direction == ST_FFT_FORWARD ? 2 * h + 2 : (size_t)n));
    ok = fft->input && fft->output;
    /* Inputs start as zeros, so that a transform started before any fill
     * reads defined values. */
    if (ok) {
        memset(fft->input, 0,
               sizeof(float) * (direction == ST_FFT_FORWARD ? (size_t)n : 2 * h + 2));
        memset(fft->output, 0,
               sizeof(float) * (direction == ST_FFT_FORWARD ? 2 * h + 2 : (size_t)n));
    }
    if (ok && (n <= max_step_points || n < 64)) {
        /* One step: a plain plan (the backward one on a copy). */
        fft->n1 = 0;
        if (direction == ST_FFT_BACKWARD)
            fft->scratch = fftwf_malloc(sizeof(float) * (2 * h + 2));
        st_planner_enter(1);
        if (direction == ST_FFT_FORWARD)
            fft->whole = fftwf_plan_dft_r2c_1d(n, fft->input, (fftwf_complex *)fft->output,
                                               FFTW_ESTIMATE | FFTW_PRESERVE_INPUT);
        else if (fft->scratch)
            fft->whole =
                fftwf_plan_dft_c2r_1d(n, (fftwf_complex *)fft->scratch, fft->output, FFTW_ESTIMATE);
        st_planner_leave();
        fft->steps = 1;
        ok = fft->whole != NULL;
    } else if (ok) {
        fft->columns = fftwf_malloc(sizeof(fftwf_complex) * h);
        fft->twiddle = fftwf_malloc(sizeof(fftwf_complex) * h);
        fft->split = fftwf_malloc(sizeof(fftwf_complex) * (h + 1));
        if (direction == ST_FFT_FORWARD) {
            fft->z = (fftwf_complex *)fft->input;
            fft->result = fftwf_malloc(sizeof(fftwf_complex) * h);
        } else {
            fft->z = fftwf_malloc(sizeof(fftwf_complex) * h);
            fft->result = (fftwf_complex *)fft->output;
        }
        ok = fft->columns && fft->twiddle && fft->split && fft->z && fft->result &&
             plan_steps(fft, max_step_points);
    }
    if (!ok) {
        st_sliced_fft_free(fft);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    fft->next = fft->steps;
    return st_made(error, fft);
}

int st_sliced_fft_size(const st_sliced_fft *fft)
{
    return fft->n;
}

float *st_sliced_fft_input(st_sliced_fft *fft)
{
    return fft->input;
}

const float *st_sliced_fft_output(const st_sliced_fft *fft)
{
    return fft->output;
}

int st_sliced_fft_steps(const st_sliced_fft *fft)
{
    return fft->steps;
}

void st_sliced_fft_start(st_sliced_fft *fft)
{
    fft->next = 0;
}

int st_sliced_fft_remaining(const st_sliced_fft *fft)
{
    return fft->steps - fft->next;
}

/* Forward split of Z into X for k in [first, end), end <= h + 1. */
static void split_forward(st_sliced_fft *fft, int first, int end)
{
    const int h = fft->h;
    const fftwf_complex *z = fft->result;
    float *x = fft->output;
    for (int k = first; k < end; k++) {
        int mirror = k == 0 ? 0 : h - k; /* Z[h] = Z[0] */
        if (k == h)
            mirror = 0;
        int at = k == h ? 0 : k;
        float ar = z[at][0], ai = z[at][1];
        float br = z[mirror][0], bi = -z[mirror][1]; /* conj Z[h-k] */
        float er = 0.5f * (ar + br), ei = 0.5f * (ai + bi);
        /* O = (A - B) / 2i = -i (A - B) / 2 */
        float or_ = 0.5f * (ai - bi), oi = -0.5f * (ar - br);
        float wr = fft->split[k][0], wi = fft->split[k][1];
        x[2 * k] = er + (wr * or_ - wi * oi);
        x[2 * k + 1] = ei + (wr * oi + wi * or_);
    }
}

/* Backward: Z[k] = (X[k] + conj X[h-k]) + i W^-k (X[k] - conj X[h-k]) for k
 * in [first, end), end <= h; the imaginary parts of X[0] and X[h] are
 * ignored, as FFTW's c2r does. */
static void split_backward(st_sliced_fft *fft, int first, int end)
{
    const int h = fft->h;
    const float *x = fft->input;
    fftwf_complex *z = fft->z;
    for (int k = first; k < end; k++) {
        int mirror = h - k;
        float ar = x[2 * k], ai = k == 0 ? 0.0f : x[2 * k + 1];
        float br = x[2 * mirror], bi = mirror == h ? 0.0f : -x[2 * mirror + 1];
        float er = ar + br, ei = ai + bi;
        float dr = ar - br, di = ai - bi;
        float wr = fft->split[k][0], wi = fft->split[k][1];
        float tr = wr * dr - wi * di, ti = wr * di + wi * dr; /* W^-k (A - B) */
        z[k][0] = er - ti;                                    /* + i (tr + i ti) */
        z[k][1] = ei + tr;
    }
}

static void column_batch(st_sliced_fft *fft, int batch)
{
    const int n2 = fft->n2, first = batch * fft->batch_columns;
    fftwf_execute_dft(fft->plan_columns, fft->z + first, fft->columns + (size_t)first * n2);
    size_t from = (size_t)first * n2, to = from + (size_t)fft->batch_columns * n2;
    fftwf_complex *c = fft->columns;
    const fftwf_complex *w = fft->twiddle;
    for (size_t i = from; i < to; i++) {
        float re = c[i][0] * w[i][0] - c[i][1] * w[i][1];
        float im = c[i][0] * w[i][1] + c[i][1] * w[i][0];
        c[i][0] = re;
        c[i][1] = im;
    }
}

static void row_batch(st_sliced_fft *fft, int batch)
{
    const int first = batch * fft->batch_rows;
    fftwf_execute_dft(fft->plan_rows, fft->columns + first, fft->result + first);
}

static void run_step(st_sliced_fft *fft, int step)
{
    if (fft->n1 == 0) {
        if (fft->direction == ST_FFT_BACKWARD)
            memcpy(fft->scratch, fft->input, sizeof(float) * (2 * (size_t)fft->h + 2));
        fftwf_execute(fft->whole);
        return;
    }
    const int a = fft->steps_columns, b = fft->steps_rows;
    if (fft->direction == ST_FFT_FORWARD) {
        if (step < a) {
            column_batch(fft, step);
        } else if (step < a + b) {
            row_batch(fft, step - a);
        } else {
            int first = (step - a - b) * fft->split_block;
            int end = first + fft->split_block > fft->h + 1 ? fft->h + 1 : first + fft->split_block;
            split_forward(fft, first, end);
        }
    } else {
        int s = fft->steps_split;
        if (step < s) {
            int first = step * fft->split_block;
            int end = first + fft->split_block > fft->h ? fft->h : first + fft->split_block;
            if (first < end)
                split_backward(fft, first, end);
        } else if (step < s + a) {
            column_batch(fft, step - s);
        } else {
            row_batch(fft, step - s - a);
        }
    }
}

int st_sliced_fft_step(st_sliced_fft *fft, int steps)
{
    while (steps-- > 0 && fft->next < fft->steps)
        run_step(fft, fft->next++);
    return fft->steps - fft->next;
}

void st_sliced_fft_execute(st_sliced_fft *fft)
{
    st_sliced_fft_start(fft);
    st_sliced_fft_step(fft, fft->steps);
}

void st_sliced_fft_free(st_sliced_fft *fft)
{
    if (!fft)
        return;
    st_planner_enter(1);
    if (fft->plan_columns)
        fftwf_destroy_plan(fft->plan_columns);
    if (fft->plan_rows)
        fftwf_destroy_plan(fft->plan_rows);
    if (fft->whole)
        fftwf_destroy_plan(fft->whole);
    st_planner_leave();
    if (fft->direction == ST_FFT_FORWARD)
        fftwf_free(fft->result);
    else
        fftwf_free(fft->z);
    fftwf_free(fft->input);
    fftwf_free(fft->output);
    fftwf_free(fft->columns);
    fftwf_free(fft->twiddle);
    fftwf_free(fft->split);
    fftwf_free(fft->scratch);
    free(fft);
}
