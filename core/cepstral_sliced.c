/* The cepstral view (st_cepstral's analysis: the log-mel window as an image,
 * its RAPSD and power-law fit) computed in steps of bounded work
 * (spectide_realtime.h).
 *
 * start() snapshots the window (one copy of n_mels x frames floats), so
 * that columns pushed while the steps run do not change the result. Then:
 * the mean of the snapshot (blocks of values), the image x = (dB - mean)/40
 * (blocks of rows: n_mels rows, lowest mel first, `frames` columns, oldest
 * first), the 2-D r2c transform as row r2c FFTs then column FFTs (FFTW many
 * plans over batches; the rows of the half spectrum are padded to a
 * multiple of 4 complex values so that every batch offset keeps FFTW's
 * alignment), the ring sums (blocks of rows), and the ring means with the
 * fit.
 *
 * The RAPSD is st_rapsd's (pysteps-compatible): P = |X|^2 / (W H) averaged
 * over rings r = round(|(xc, yc)|) of the full spectrum; a stored bin of
 * the half spectrum stands for itself and its conjugate (weight 2) except
 * in the self-conjugate columns (DC and, for even W, Nyquist: weight 1).
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

#define SILENCE_DB     -100.0f
#define DB_TO_ANALYSIS (1.0 / 40.0)

struct st_sliced_cepstral {
    int n_mels, frames; /* image height H and width W */
    int half;           /* W/2 + 1 stored columns */
    int stride;         /* half rounded up to a multiple of 4 */
    float *columns;     /* ring of frames columns of n_mels; `next` is the oldest */
    int next, filled;
    float *snapshot; /* the window when start() ran, oldest column first */
    double mean;
    float *image;            /* H x W */
    fftwf_complex *spectrum; /* H x stride */
    fftwf_plan rows, columns_plan;
    int batch_rows, batch_values, batch_image, batch_sums;
    int rings;
    uint16_t *ring_of; /* (H/2 + 1) x half: ring of column kx in rows with |yc| = y, or rings */
    double *ring_bins; /* full-spectrum bins per ring */
    double *sums;      /* rings */
    double *freq, *power;
    double *fit_scratch;
    st_powerlaw fit;
    st_status status;
    int steps_mean, steps_image, steps_rows, steps_columns, steps_sums, steps;
    int next_step; /* == steps: idle or done */
    int started;
};

static int is_power_of_two(int n)
{
    return n > 0 && (n & (n - 1)) == 0;
}

static int clamp_batch(int value, int low, int high)
{
    return value < low ? low : value > high ? high : value;
}

static int blocks_of(int count, int block)
{
    return (count + block - 1) / block;
}

static int build_rings(st_sliced_cepstral *view)
{
    const int h = view->n_mels, w = view->frames, half = view->half, rows = h / 2 + 1;
    view->rings = st_ring_count_for_size(w, h);
    view->ring_of = malloc(sizeof(uint16_t) * (size_t)rows * half);
    view->ring_bins = calloc((size_t)view->rings, sizeof(double));
    view->sums = malloc(sizeof(double) * (size_t)view->rings);
    view->freq = malloc(sizeof(double) * (size_t)view->rings);
    view->power = malloc(sizeof(double) * (size_t)view->rings);
    view->fit_scratch = malloc(sizeof(double) * st_powerlaw_scratch_size(view->rings, 0));
    if (!view->ring_of || !view->ring_bins || !view->sums || !view->freq || !view->power ||
        !view->fit_scratch)
        return 0;
    for (int y = 0; y < rows; y++)
        for (int kx = 0; kx < half; kx++) {
            int ring = st_ring_of(kx, y);
            view->ring_of[(size_t)y * half + kx] =
                (uint16_t)(ring < view->rings ? ring : view->rings);
        }
    /* Bins per ring over the full spectrum, with the same weights as the sums. */
    for (int ky = 0; ky < h; ky++) {
        int y = ky < h - ky ? ky : h - ky;
        for (int kx = 0; kx < half; kx++) {
            int ring = view->ring_of[(size_t)y * half + kx];
            if (ring < view->rings)
                view->ring_bins[ring] += kx == 0 || (w % 2 == 0 && kx == w / 2) ? 1.0 : 2.0;
        }
    }
    int longest = w > h ? w : h;
    for (int r = 0; r < view->rings; r++)
        view->freq[r] = (double)r / longest;
    return 1;
}

st_sliced_cepstral *st_sliced_cepstral_new(int n_mels, int frames, int max_step_points,
                                           st_status *error)
{
    if (!is_power_of_two(n_mels) || !is_power_of_two(frames) || n_mels < 8 || frames < 8 ||
        n_mels > 4096 || frames > 4096 || max_step_points < 64) {
        return st_failed(error, ST_ERROR_ARGUMENT);
    }
    st_sliced_cepstral *view = calloc(1, sizeof *view);
    if (!view) {
        return st_failed(error, ST_ERROR_MEMORY);
    }
    view->n_mels = n_mels;
    view->frames = frames;
    view->half = frames / 2 + 1;
    view->stride = (view->half + 3) / 4 * 4;
    size_t pixels = (size_t)n_mels * frames;
    view->columns = malloc(sizeof(float) * pixels);
    view->snapshot = malloc(sizeof(float) * pixels);
    view->image = fftwf_malloc(sizeof(float) * pixels);
    view->spectrum = fftwf_malloc(sizeof(fftwf_complex) * (size_t)n_mels * view->stride);
    int ok = view->columns && view->snapshot && view->image && view->spectrum && build_rings(view);
    if (ok) {
        /* The padding columns are never written by the row transforms:
         * zeros, so that the column transforms see finite values. */
        memset(view->spectrum, 0, sizeof(fftwf_complex) * (size_t)n_mels * view->stride);
        view->batch_values = max_step_points;
        view->batch_image = clamp_batch(max_step_points / frames, 1, n_mels);
        view->batch_rows = 4;
        while (view->batch_rows * 2 * frames <= max_step_points && view->batch_rows * 2 <= n_mels)
            view->batch_rows *= 2;
        view->batch_rows = view->batch_rows > n_mels ? n_mels : view->batch_rows;
        view->batch_sums = clamp_batch(max_step_points / view->stride, 1, n_mels);
        st_planner_enter(1);
        int w = frames, h = n_mels, stride = view->stride;
        view->rows = fftwf_plan_many_dft_r2c(1, &w, view->batch_rows, view->image, NULL, 1, w,
                                             view->spectrum, NULL, 1, stride,
                                             FFTW_ESTIMATE | FFTW_PRESERVE_INPUT);
        view->columns_plan =
            fftwf_plan_many_dft(1, &h, 4, view->spectrum, NULL, stride, 1, view->spectrum, NULL,
                                stride, 1, FFTW_FORWARD, FFTW_ESTIMATE);
        st_planner_leave();
        ok = view->rows && view->columns_plan;
    }
    if (!ok) {
        st_sliced_cepstral_free(view);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    view->steps_mean = blocks_of((int)pixels, view->batch_values);
    view->steps_image = blocks_of(n_mels, view->batch_image);
    view->steps_rows = n_mels / view->batch_rows;
    view->steps_columns = view->stride / 4;
    view->steps_sums = blocks_of(n_mels, view->batch_sums);
    view->steps = view->steps_mean + view->steps_image + view->steps_rows + view->steps_columns +
                  view->steps_sums + 1;
    st_sliced_cepstral_reset(view);
    return st_made(error, view);
}

void st_sliced_cepstral_push(st_sliced_cepstral *view, const float *log_mel_column)
{
    float *column = view->columns + (size_t)view->next * view->n_mels;
    for (int m = 0; m < view->n_mels; m++)
        column[m] = isfinite(log_mel_column[m]) ? log_mel_column[m] : SILENCE_DB;
    view->next = view->next + 1 == view->frames ? 0 : view->next + 1;
    if (view->filled < view->frames)
        view->filled++;
}

int st_sliced_cepstral_filled(const st_sliced_cepstral *view)
{
    return view->filled;
}

int st_sliced_cepstral_ring_count(const st_sliced_cepstral *view)
{
    return view->rings;
}

int st_sliced_cepstral_steps(const st_sliced_cepstral *view)
{
    return view->steps;
}

st_status st_sliced_cepstral_start(st_sliced_cepstral *view)
{
    if (view->filled < view->frames)
        return ST_NOT_READY;
    size_t column = (size_t)view->n_mels;
    size_t older = (size_t)(view->frames - view->next) * column;
    /* Oldest first: slots next..frames-1, then 0..next-1. */
    memcpy(view->snapshot, view->columns + (size_t)view->next * column, sizeof(float) * older);
    memcpy(view->snapshot + older, view->columns, sizeof(float) * (size_t)view->next * column);
    view->mean = 0.0;
    view->next_step = 0;
    view->started = 1;
    return ST_OK;
}

static void cepstral_step(st_sliced_cepstral *view, int step)
{
    const int h = view->n_mels, w = view->frames;
    if (step < view->steps_mean) {
        size_t pixels = (size_t)h * w, first = (size_t)step * view->batch_values;
        size_t end =
            first + (size_t)view->batch_values < pixels ? first + view->batch_values : pixels;
        double sum = 0.0;
        for (size_t i = first; i < end; i++)
            sum += view->snapshot[i];
        view->mean += sum;
        if (end == pixels)
            view->mean /= (double)pixels;
        return;
    }
    step -= view->steps_mean;
    if (step < view->steps_image) {
        int first = step * view->batch_image;
        int end = first + view->batch_image < h ? first + view->batch_image : h;
        for (int m = first; m < end; m++) {
            float *row = view->image + (size_t)m * w;
            for (int t = 0; t < w; t++)
                row[t] = (float)((view->snapshot[(size_t)t * h + m] - view->mean) * DB_TO_ANALYSIS);
        }
        return;
    }
    step -= view->steps_image;
    if (step < view->steps_rows) {
        size_t first = (size_t)step * view->batch_rows;
        fftwf_execute_dft_r2c(view->rows, view->image + first * w,
                              view->spectrum + first * view->stride);
        return;
    }
    step -= view->steps_rows;
    if (step < view->steps_columns) {
        fftwf_complex *at = view->spectrum + (size_t)step * 4;
        fftwf_execute_dft(view->columns_plan, at, at);
        return;
    }
    step -= view->steps_columns;
    if (step < view->steps_sums) {
        if (step == 0)
            memset(view->sums, 0, sizeof(double) * (size_t)view->rings);
        int first = step * view->batch_sums;
        int end = first + view->batch_sums < h ? first + view->batch_sums : h;
        const int half = view->half, nyquist = w % 2 == 0 ? w / 2 : -1;
        for (int ky = first; ky < end; ky++) {
            int y = ky < h - ky ? ky : h - ky;
            const uint16_t *ring = view->ring_of + (size_t)y * half;
            const fftwf_complex *bins = view->spectrum + (size_t)ky * view->stride;
            for (int kx = 0; kx < half; kx++) {
                if (ring[kx] >= view->rings)
                    continue;
                double p = (double)bins[kx][0] * bins[kx][0] + (double)bins[kx][1] * bins[kx][1];
                view->sums[ring[kx]] += kx == 0 || kx == nyquist ? p : 2.0 * p;
            }
        }
        return;
    }
    double pixels = (double)h * w;
    for (int r = 0; r < view->rings; r++)
        view->power[r] = view->sums[r] / (view->ring_bins[r] * pixels);
    view->status = st_powerlaw_fit_scratch(view->freq, view->power, view->rings, 0.0, 0.0, 0,
                                           view->fit_scratch, &view->fit);
}

int st_sliced_cepstral_step(st_sliced_cepstral *view, int steps)
{
    while (steps-- > 0 && view->next_step < view->steps)
        cepstral_step(view, view->next_step++);
    return view->steps - view->next_step;
}

int st_sliced_cepstral_remaining(const st_sliced_cepstral *view)
{
    return view->steps - view->next_step;
}

st_status st_sliced_cepstral_result(const st_sliced_cepstral *view, double *freq, double *power,
                                    st_powerlaw *fit)
{
    if (!view->started || view->next_step < view->steps)
        return ST_NOT_READY;
    if (freq)
        memcpy(freq, view->freq, sizeof(double) * (size_t)view->rings);
    if (power)
        memcpy(power, view->power, sizeof(double) * (size_t)view->rings);
    if (fit)
        *fit = view->fit;
    return view->status;
}

void st_sliced_cepstral_reset(st_sliced_cepstral *view)
{
    memset(view->columns, 0, sizeof(float) * (size_t)view->n_mels * view->frames);
    view->next = 0;
    view->filled = 0;
    view->next_step = view->steps;
    view->started = 0;
}

void st_sliced_cepstral_free(st_sliced_cepstral *view)
{
    if (!view)
        return;
    st_planner_enter(1);
    if (view->rows)
        fftwf_destroy_plan(view->rows);
    if (view->columns_plan)
        fftwf_destroy_plan(view->columns_plan);
    st_planner_leave();
    free(view->columns);
    free(view->snapshot);
    fftwf_free(view->image);
    fftwf_free(view->spectrum);
    free(view->ring_of);
    free(view->ring_bins);
    free(view->sums);
    free(view->freq);
    free(view->power);
    free(view->fit_scratch);
    free(view);
}
