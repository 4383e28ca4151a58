/* Cepstral view: the last `frames` log-mel columns seen as an image (rows =
 * mels, columns = frames, oldest first) and analysed like a picture: its
 * RAPSD with the image core's st_rapsd and a power-law fit ("the spectrum of
 * a spectrogram" is again a power law, unlike the waveform's spectrum).
 *
 * The dB values are mean-removed and divided by 40 so that the usual 80 dB
 * range of a log-mel spectrogram maps to about [-1, 1], the scale at which
 * images are analysed (DESIGN.md).
 *
 * Real-time: everything lives in buffers made by _new. The fit repeats the
 * algorithm of st_powerlaw_fit (drop DC, resample onto points evenly spaced
 * in log10 f by log-log linear interpolation, least squares; the test checks
 * the two agree) on preallocated arrays, because st_powerlaw_fit allocates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_audio.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Floor of st_power_to_db, used for non-finite pushed values. */
#define SILENCE_DB     -100.0f
#define DB_TO_ANALYSIS (1.0 / 40.0)

struct st_cepstral {
    int n_mels;
    int frames;
    float *columns; /* frames columns of n_mels, a ring; `next` is the oldest */
    int next;
    int filled;
    float *image; /* n_mels rows x frames columns, FFTW-aligned */
    st_rapsd *rapsd;
    int rings;
    double *freq;  /* rings */
    double *log_f; /* fit scratch, rings each */
    double *log_p;
    double *fit_x;
    double *fit_y;
};

st_cepstral *st_cepstral_new(int n_mels, int frames)
{
    if (n_mels < 2 || frames < 2 || n_mels > 4096 || frames > 65536)
        return NULL;
    st_cepstral *view = calloc(1, sizeof *view);
    if (!view)
        return NULL;
    view->n_mels = n_mels;
    view->frames = frames;
    size_t pixels = (size_t)n_mels * (size_t)frames;
    view->columns = malloc(pixels * sizeof(float));
    view->image = fftwf_malloc(pixels * sizeof(float));
    view->rapsd = st_rapsd_new(frames, n_mels);
    if (!view->columns || !view->image || !view->rapsd) {
        st_cepstral_free(view);
        return NULL;
    }
    view->rings = st_rapsd_ring_count(view->rapsd);
    size_t rings = (size_t)view->rings;
    view->freq = malloc(rings * sizeof(double));
    view->log_f = malloc(rings * sizeof(double));
    view->log_p = malloc(rings * sizeof(double));
    view->fit_x = malloc(rings * sizeof(double));
    view->fit_y = malloc(rings * sizeof(double));
    if (!view->freq || !view->log_f || !view->log_p || !view->fit_x || !view->fit_y) {
        st_cepstral_free(view);
        return NULL;
    }
    st_rapsd_frequencies(view->rapsd, view->freq);
    st_cepstral_reset(view);
    return view;
}

void st_cepstral_push(st_cepstral *view, const float *log_mel_column)
{
    float *column = view->columns + (size_t)view->next * view->n_mels;
    for (int m = 0; m < view->n_mels; m++)
        column[m] = isfinite(log_mel_column[m]) ? log_mel_column[m] : SILENCE_DB;
    view->next = view->next + 1 == view->frames ? 0 : view->next + 1;
    if (view->filled < view->frames)
        view->filled++;
}

int st_cepstral_filled(const st_cepstral *view)
{
    return view->filled;
}

int st_cepstral_ring_count(const st_cepstral *view)
{
    return view->rings;
}

/* Copies the ring into the image, oldest column first, mapped to the image
 * scale x = (dB - mean) / 40. */
static void build_image(st_cepstral *view)
{
    const int n_mels = view->n_mels, frames = view->frames;
    double sum = 0.0;
    for (size_t i = 0; i < (size_t)n_mels * frames; i++)
        sum += view->columns[i];
    const double mean = sum / ((double)n_mels * frames);
    for (int t = 0; t < frames; t++) {
        int slot = (view->next + t) % frames;
        const float *column = view->columns + (size_t)slot * n_mels;
        for (int m = 0; m < n_mels; m++)
            view->image[(size_t)m * frames + t] = (float)((column[m] - mean) * DB_TO_ANALYSIS);
    }
}

/* st_powerlaw_fit over every ring but DC, on the preallocated arrays. */
static st_status fit_power_law(st_cepstral *view, const double *power, st_powerlaw *fit)
{
    int used = 0;
    for (int r = 0; r < view->rings; r++) {
        double f = view->freq[r];
        if (!(f > 0.0) || !(power[r] > 0.0) || !isfinite(power[r]))
            continue;
        view->log_f[used] = log10(f);
        view->log_p[used] = log10(power[r]);
        if (used == 0)
            fit->f_low = f;
        fit->f_high = f;
        used++;
    }
    if (used < 2)
        return ST_ERROR_ARGUMENT;
    const double *lf = view->log_f, *lp = view->log_p;
    int cursor = 0;
    for (int i = 0; i < used; i++) {
        double x = lf[0] + (lf[used - 1] - lf[0]) * i / (used - 1);
        while (cursor < used - 2 && lf[cursor + 1] < x)
            cursor++;
        double weight = (x - lf[cursor]) / (lf[cursor + 1] - lf[cursor]);
        weight = weight < 0.0 ? 0.0 : weight > 1.0 ? 1.0 : weight;
        view->fit_x[i] = x;
        view->fit_y[i] = lp[cursor] + weight * (lp[cursor + 1] - lp[cursor]);
    }
    double mean_x = 0.0, mean_y = 0.0;
    for (int i = 0; i < used; i++) {
        mean_x += view->fit_x[i];
        mean_y += view->fit_y[i];
    }
    mean_x /= used;
    mean_y /= used;
    double sxx = 0.0, sxy = 0.0, syy = 0.0;
    for (int i = 0; i < used; i++) {
        double dx = view->fit_x[i] - mean_x, dy = view->fit_y[i] - mean_y;
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    double slope = sxx > 0.0 ? sxy / sxx : 0.0;
    fit->alpha = -slope;
    fit->c = mean_y - slope * mean_x;
    double residual = 0.0;
    for (int i = 0; i < used; i++) {
        double e = view->fit_y[i] - (fit->c + slope * view->fit_x[i]);
        residual += e * e;
    }
    fit->r_squared = syy > 0.0 ? 1.0 - residual / syy : (residual == 0.0 ? 1.0 : 0.0);
    fit->points = used;
    return ST_OK;
}

st_status st_cepstral_run(st_cepstral *view, double *freq, double *power, st_powerlaw *fit)
{
    if (!power || view->filled < view->frames)
        return ST_ERROR_ARGUMENT;
    build_image(view);
    st_rapsd_run(view->rapsd, view->image, power);
    if (freq)
        memcpy(freq, view->freq, sizeof(double) * (size_t)view->rings);
    if (!fit)
        return ST_OK;
    return fit_power_law(view, power, fit);
}

void st_cepstral_reset(st_cepstral *view)
{
    memset(view->columns, 0, sizeof(float) * (size_t)view->n_mels * view->frames);
    view->next = 0;
    view->filled = 0;
}

void st_cepstral_free(st_cepstral *view)
{
    if (!view)
        return;
    st_rapsd_free(view->rapsd);
    fftwf_free(view->image);
    free(view->columns);
    free(view->freq);
    free(view->log_f);
    free(view->log_p);
    free(view->fit_x);
    free(view->fit_y);
    free(view);
}
