/* Cepstral view: the last `frames` log-mel columns seen as an image (rows =
 * mels, columns = frames, oldest first) and analysed like a picture: its
 * RAPSD with the image core's st_rapsd and a power-law fit ("the spectrum of
 * a spectrogram" is again a power law, unlike the waveform's spectrum).
 *
 * The dB values are mean-removed and divided by 40 so that the usual 80 dB
 * range of a log-mel spectrogram maps to about [-1, 1], the scale at which
 * images are analysed (docs/conventions.md).
 *
 * Real-time: everything lives in buffers made by _new; the fit is
 * st_powerlaw_fit_scratch on a scratch array made there too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "constructor.h"
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
    double *freq;        /* rings */
    double *fit_scratch; /* st_powerlaw_scratch_size(rings, 0) */
};

st_cepstral *st_cepstral_new(int n_mels, int frames, st_status *error)
{
    if (n_mels < 2 || frames < 2 || n_mels > 4096 || frames > 65536)
        return st_failed(error, ST_ERROR_ARGUMENT);
    st_cepstral *view = calloc(1, sizeof *view);
    if (!view)
        return st_failed(error, ST_ERROR_MEMORY);
    view->n_mels = n_mels;
    view->frames = frames;
    size_t pixels = (size_t)n_mels * (size_t)frames;
    view->columns = malloc(pixels * sizeof(float));
    view->image = fftwf_malloc(pixels * sizeof(float));
    st_status status = ST_ERROR_MEMORY;
    view->rapsd = st_rapsd_new(frames, n_mels, &status);
    if (!view->columns || !view->image || !view->rapsd) {
        if (view->rapsd)
            status = ST_ERROR_MEMORY;
        st_cepstral_free(view);
        return st_failed(error, status);
    }
    view->rings = st_rapsd_ring_count(view->rapsd);
    size_t rings = (size_t)view->rings;
    view->freq = malloc(rings * sizeof(double));
    view->fit_scratch = malloc(st_powerlaw_scratch_size(view->rings, 0) * sizeof(double));
    if (!view->freq || !view->fit_scratch) {
        st_cepstral_free(view);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    st_rapsd_frequencies(view->rapsd, view->freq);
    st_cepstral_reset(view);
    return st_made(error, view);
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

st_status st_cepstral_run(st_cepstral *view, double *freq, double *power, st_powerlaw *fit)
{
    if (!power)
        return ST_ERROR_ARGUMENT;
    if (view->filled < view->frames)
        return ST_NOT_READY;
    build_image(view);
    st_rapsd_run(view->rapsd, view->image, power);
    if (freq)
        memcpy(freq, view->freq, sizeof(double) * (size_t)view->rings);
    if (!fit)
        return ST_OK;
    /* Every ring but DC, one resampled point per ring: as st_powerlaw_fit. */
    return st_powerlaw_fit_scratch(view->freq, power, view->rings, 0.0, 0.0, 0, view->fit_scratch,
                                   fit);
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
    free(view->fit_scratch);
    free(view);
}
