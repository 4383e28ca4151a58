/* Mel filterbank compatible with librosa.filters.mel, log-mel in dB.
 *
 * Construction follows librosa exactly: n_mels + 2 points evenly spaced in
 * mel between fmin and fmax, converted back to Hz; filter i is the triangle
 * rising from f[i] to f[i+1] and falling to f[i+2], evaluated at the rfft bin
 * frequencies k * sr / n_fft; Slaney normalisation scales it by
 * 2 / (f[i+2] - f[i]) so its continuous area in Hz is 1. Weights are computed
 * in double and stored as float (librosa's default dtype is float32).
 *
 * Each filter is stored sparsely (first bin, count, weights) so applying the
 * bank costs O(non-zero weights), not O(n_mels * bins).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "constructor.h"
#include "spectide_audio.h"

#include <math.h>
#include <stdlib.h>

/* Slaney's Auditory Toolbox scale: linear below 1 kHz (200/3 Hz per mel),
 * logarithmic above, with 27 mels per factor 6.4 in frequency. */
#define SLANEY_HZ_PER_MEL (200.0 / 3.0)
#define SLANEY_BREAK_HZ   1000.0
#define SLANEY_BREAK_MEL  (SLANEY_BREAK_HZ / SLANEY_HZ_PER_MEL) /* 15 */
#define SLANEY_LOG_STEP   (log(6.4) / 27.0)

struct st_melbank {
    int n_mels;
    int bins;
    double *edges_hz; /* n_mels + 2 triangle corner frequencies */
    int *first;       /* per filter: first bin with a non-zero weight */
    int *count;       /* per filter: number of consecutive non-zero weights */
    int *offset;      /* per filter: start of its weights in `weights` */
    float *weights;
};

double st_hz_to_mel(double hz, int flags)
{
    if (flags & ST_MEL_HTK)
        return 2595.0 * log10(1.0 + hz / 700.0);
    if (hz < SLANEY_BREAK_HZ)
        return hz / SLANEY_HZ_PER_MEL;
    return SLANEY_BREAK_MEL + log(hz / SLANEY_BREAK_HZ) / SLANEY_LOG_STEP;
}

double st_mel_to_hz(double mel, int flags)
{
    if (flags & ST_MEL_HTK)
        return 700.0 * (pow(10.0, mel / 2595.0) - 1.0);
    if (mel < SLANEY_BREAK_MEL)
        return mel * SLANEY_HZ_PER_MEL;
    return SLANEY_BREAK_HZ * exp(SLANEY_LOG_STEP * (mel - SLANEY_BREAK_MEL));
}

/* librosa's weight of the rfft bin at `freq` in filter `i`. */
static double triangle_weight(const double *edges, int i, double freq, int flags)
{
    double lower = (freq - edges[i]) / (edges[i + 1] - edges[i]);
    double upper = (edges[i + 2] - freq) / (edges[i + 2] - edges[i + 1]);
    double w = fmax(0.0, fmin(lower, upper));
    if (!(flags & ST_MEL_NO_NORM))
        w *= 2.0 / (edges[i + 2] - edges[i]);
    return w;
}

void st_melbank_free(st_melbank *bank)
{
    if (!bank)
        return;
    free(bank->edges_hz);
    free(bank->first);
    free(bank->count);
    free(bank->offset);
    free(bank->weights);
    free(bank);
}

/* Evenly spaced in mel like numpy.linspace (last point exactly fmax). */
static void mel_edges(double fmin, double fmax, int points, int flags, double *edges)
{
    double mel_low = st_hz_to_mel(fmin, flags), mel_high = st_hz_to_mel(fmax, flags);
    double step = (mel_high - mel_low) / (points - 1);
    for (int i = 0; i < points; i++)
        edges[i] = st_mel_to_hz(i == points - 1 ? mel_high : mel_low + i * step, flags);
}

st_melbank *st_melbank_new(double sample_rate, int n_fft, int n_mels, double fmin, double fmax,
                           int flags, st_status *error)
{
    if (!(sample_rate > 0.0) || !isfinite(sample_rate) || n_fft < 2 || n_fft > ST_FFT_SIZE_MAX ||
        n_mels < 1 || n_mels > 4096 || !(fmin >= 0.0))
        return st_failed(error, ST_ERROR_ARGUMENT);
    if (fmax <= 0.0)
        fmax = sample_rate / 2.0;
    if (!(fmax > fmin) || fmax > sample_rate / 2.0 || (flags & ~(ST_MEL_HTK | ST_MEL_NO_NORM)))
        return st_failed(error, ST_ERROR_ARGUMENT);
    st_melbank *bank = calloc(1, sizeof *bank);
    if (!bank)
        return st_failed(error, ST_ERROR_MEMORY);
    bank->n_mels = n_mels;
    bank->bins = n_fft / 2 + 1;
    bank->edges_hz = malloc(sizeof(double) * (size_t)(n_mels + 2));
    bank->first = calloc((size_t)n_mels, sizeof(int));
    bank->count = calloc((size_t)n_mels, sizeof(int));
    bank->offset = calloc((size_t)n_mels, sizeof(int));
    if (!bank->edges_hz || !bank->first || !bank->count || !bank->offset) {
        st_melbank_free(bank);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    mel_edges(fmin, fmax, n_mels + 2, flags, bank->edges_hz);
    const double bin_hz = sample_rate / n_fft;
    /* First pass: the run of non-zero bins of each triangle. */
    size_t total = 0;
    for (int i = 0; i < n_mels; i++) {
        int first = -1, last = -2;
        for (int k = 0; k < bank->bins; k++) {
            if (triangle_weight(bank->edges_hz, i, k * bin_hz, flags) > 0.0) {
                if (first < 0)
                    first = k;
                last = k;
            }
        }
        bank->first[i] = first < 0 ? 0 : first;
        bank->count[i] = last - first + 1 > 0 ? last - first + 1 : 0;
        bank->offset[i] = (int)total;
        total += (size_t)bank->count[i];
    }
    bank->weights = malloc(sizeof(float) * (total > 0 ? total : 1));
    if (!bank->weights) {
        st_melbank_free(bank);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    for (int i = 0; i < n_mels; i++)
        for (int j = 0; j < bank->count[i]; j++)
            bank->weights[bank->offset[i] + j] =
                (float)triangle_weight(bank->edges_hz, i, (bank->first[i] + j) * bin_hz, flags);
    return st_made(error, bank);
}

int st_melbank_mels(const st_melbank *bank)
{
    return bank->n_mels;
}

int st_melbank_bins(const st_melbank *bank)
{
    return bank->bins;
}

double st_melbank_weight(const st_melbank *bank, int mel, int bin)
{
    if (mel < 0 || mel >= bank->n_mels)
        return 0.0;
    int j = bin - bank->first[mel];
    if (j < 0 || j >= bank->count[mel])
        return 0.0;
    return bank->weights[bank->offset[mel] + j];
}

double st_melbank_center_hz(const st_melbank *bank, int mel)
{
    if (mel < 0 || mel >= bank->n_mels)
        return 0.0;
    return bank->edges_hz[mel + 1];
}

void st_melbank_run(const st_melbank *bank, const float *power, float *mel_power)
{
    for (int i = 0; i < bank->n_mels; i++) {
        const float *w = bank->weights + bank->offset[i];
        const float *p = power + bank->first[i];
        double sum = 0.0;
        for (int j = 0; j < bank->count[i]; j++)
            sum += (double)w[j] * p[j];
        mel_power[i] = (float)sum;
    }
}

void st_power_to_db(float *values, int n, double top_db)
{
    const double amin = 1e-10;
    double peak = -INFINITY;
    for (int i = 0; i < n; i++) {
        double s = values[i];
        /* NaN and +-Inf are treated as silence rather than poisoning the max. */
        if (!isfinite(s) || s < amin)
            s = amin;
        double db = 10.0 * log10(s);
        values[i] = (float)db;
        if (db > peak)
            peak = db;
    }
    if (top_db > 0.0) {
        float floor_db = (float)(peak - top_db);
        for (int i = 0; i < n; i++)
            if (values[i] < floor_db)
                values[i] = floor_db;
    }
}
