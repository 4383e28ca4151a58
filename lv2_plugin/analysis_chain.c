/* spectide.lv2: the analysis chain. See analysis_chain.h.
 * Everything numeric comes from core/: this file only connects the pieces
 * (resampler -> STFTs -> average / mel -> MFCC / cepstral view) and reduces
 * results for transport (log binning of the spectrum for the UI).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "analysis_chain.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The cepstral RAPSD (one FFT of mel_bands x STL_CEPSTRAL_COLUMNS) runs every
 * this many new mel columns: in the worker when the host has one, else
 * inline, at most once per stl_chain_feed call. */
#define CEPSTRAL_EVERY_COLUMNS 8

int stl_chain_config_equal(const stl_chain_config *a, const stl_chain_config *b)
{
    return a->fft_size == b->fft_size && a->host_rate == b->host_rate &&
           a->analysis_rate == b->analysis_rate && a->mel_bands == b->mel_bands;
}

struct stl_chain {
    stl_chain_config config;
    double power_scale; /* st_rate_power_scale(host_rate, analysis_rate), see analysis_chain.h */
    int band_bins;      /* st_rate_band_bins: the bins the shares above water count */
    double water_level; /* tau sigma^2 at the host-rate scale */
    double averaging_s;

    st_resampler *resampler; /* NULL when analysing at the host rate */
    float *resampled;
    int resampled_capacity;

    /* Spectrum: STFT of fft_size, hop fft_size/4, exponential average. */
    st_stft *spectrum_stft;
    st_average *average;
    float *peak; /* per-bin max of the unaveraged frames since the last UI frame */
    int bins;
    double slope;
    double share_bins, share_energy;

    /* Log binning of the spectrum for the UI: point i averages bins
     * [bin_low[i], bin_high[i]] or, where no bin falls in its band,
     * interpolates at bin position bin_position[i]. */
    int points;
    float point_hz[STL_SPECTRUM_POINTS];
    int bin_low[STL_SPECTRUM_POINTS];
    int bin_high[STL_SPECTRUM_POINTS];
    double bin_position[STL_SPECTRUM_POINTS];

    /* Mel spectrogram (librosa-like: ~93 ms windows, hop n/4). */
    st_stft *mel_stft;
    st_melbank *melbank;
    st_mfcc *mfcc;
    float *mel_column;
    float *mel_queue; /* STL_MEL_COLUMNS_MAX columns, oldest first */
    int mel_queued;
    float mfcc_newest[STL_MFCC_COUNT];
    float *mel_taken; /* what take_mel_columns hands out */
    float mfcc_taken[STL_MFCC_COUNT];

    /* Cepstral view. run() keeps the newest STL_CEPSTRAL_COLUMNS log-mel
     * columns in `window` (a ring); a run copies them, oldest first, into
     * `snapshot`, which the cepstral object (touched only by
     * stl_chain_cepstral_compute, possibly in the worker thread) analyses
     * into the job_ results; stl_chain_cepstral_publish copies those into the
     * published ones in the audio thread. */
    float *window;
    int window_columns; /* pushed so far, up to STL_CEPSTRAL_COLUMNS */
    int window_next;    /* ring slot of the next column */
    float *snapshot;
    int cepstral_inline;
    int cepstral_due;
    st_cepstral *cepstral;
    double *job_freq;
    double *job_power;
    st_powerlaw job_fit;
    st_status job_status;
    int rings;
    double *ring_freq;
    double *ring_power;
    st_powerlaw fit;
    int fit_valid;
    long cepstral_version;
    int columns_since_cepstral;
};

/* Mel window: about librosa's 2048 samples at 22050 Hz (93 ms), as a power of two. */
static int mel_fft_for_rate(double rate)
{
    int exponent = (int)lround(log2(rate / 22050.0));
    int n = 2048;
    if (exponent > 0) {
        n <<= exponent;
    } else if (exponent < 0) {
        n >>= -exponent;
    }
    return n < 512 ? 512 : n > 16384 ? 16384 : n;
}

static int plan_log_bins(stl_chain *chain)
{
    double rate = chain->config.analysis_rate;
    int n = chain->config.fft_size;
    double bin_hz = rate / n;
    int points = chain->bins - 1 < STL_SPECTRUM_POINTS ? chain->bins - 1 : STL_SPECTRUM_POINTS;
    double low = bin_hz, high = rate / 2;
    double ratio = pow(high / low, 1.0 / (points - 1));
    for (int i = 0; i < points; i++) {
        double centre = low * pow(ratio, i);
        double edge_low = centre / sqrt(ratio), edge_high = centre * sqrt(ratio);
        chain->point_hz[i] = (float)centre;
        chain->bin_low[i] = (int)ceil(edge_low / bin_hz);
        chain->bin_high[i] = (int)ceil(edge_high / bin_hz) - 1;
        if (chain->bin_high[i] > chain->bins - 1) {
            chain->bin_high[i] = chain->bins - 1;
        }
        chain->bin_position[i] = fmin(centre / bin_hz, chain->bins - 1);
    }
    chain->points = points;
    return points;
}

stl_chain *stl_chain_new(const stl_chain_config *config)
{
    if (config->fft_size < 1024 || config->fft_size > ST_FFT_SIZE_MAX ||
        (config->fft_size & (config->fft_size - 1)) || config->host_rate < 1000 ||
        config->analysis_rate < 1000 || config->mel_bands < STL_MEL_BANDS_MIN ||
        config->mel_bands > STL_MEL_BANDS_MAX) {
        return NULL;
    }
    stl_chain *chain = calloc(1, sizeof *chain);
    if (!chain) {
        return NULL;
    }
    chain->config = *config;
    chain->power_scale = st_rate_power_scale(config->host_rate, config->analysis_rate);
    chain->band_bins = st_rate_band_bins(config->host_rate, config->analysis_rate,
                                         ST_RESAMPLER_FLAT_BAND, config->fft_size);
    chain->water_level = 1e-4;
    chain->averaging_s = 1.0;
    int ok = 1;
    if (config->analysis_rate != config->host_rate) {
        chain->resampler =
            st_resampler_new(config->host_rate, config->analysis_rate, -1, STL_STAGE_SAMPLES, NULL);
        ok = ok && chain->resampler;
        if (ok) {
            chain->resampled_capacity =
                st_resampler_max_output(chain->resampler, STL_STAGE_SAMPLES);
            chain->resampled = calloc((size_t)chain->resampled_capacity, sizeof(float));
            ok = ok && chain->resampled;
        }
    }
    int n = config->fft_size;
    chain->spectrum_stft = st_stft_new(n, n / 4, NULL);
    ok = ok && chain->spectrum_stft;
    if (ok) {
        chain->bins = st_stft_bins(chain->spectrum_stft);
        chain->average =
            st_average_new(chain->bins, chain->averaging_s, config->analysis_rate / (n / 4), NULL);
        chain->peak = calloc((size_t)chain->bins, sizeof(float));
        ok = chain->average && chain->peak;
    }
    int mel_n = mel_fft_for_rate(config->analysis_rate);
    int mels = config->mel_bands;
    chain->mel_stft = st_stft_new(mel_n, mel_n / 4, NULL);
    chain->melbank =
        st_melbank_new(config->analysis_rate, mel_n, mels, 0.0, 0.0, ST_MEL_SLANEY, NULL);
    chain->mfcc = st_mfcc_new(mels, STL_MFCC_COUNT, NULL);
    chain->mel_column = calloc((size_t)mels, sizeof(float));
    chain->mel_queue = calloc((size_t)mels * STL_MEL_COLUMNS_MAX, sizeof(float));
    chain->mel_taken = calloc((size_t)mels * STL_MEL_COLUMNS_MAX, sizeof(float));
    chain->cepstral = st_cepstral_new(mels, STL_CEPSTRAL_COLUMNS, NULL);
    chain->window = calloc((size_t)mels * STL_CEPSTRAL_COLUMNS, sizeof(float));
    chain->snapshot = calloc((size_t)mels * STL_CEPSTRAL_COLUMNS, sizeof(float));
    chain->cepstral_inline = 1;
    ok = ok && chain->mel_stft && chain->melbank && chain->mfcc && chain->mel_column &&
         chain->mel_queue && chain->mel_taken && chain->cepstral && chain->window &&
         chain->snapshot;
    if (ok) {
        chain->rings = st_cepstral_ring_count(chain->cepstral);
        chain->ring_freq = calloc((size_t)chain->rings, sizeof(double));
        chain->ring_power = calloc((size_t)chain->rings, sizeof(double));
        chain->job_freq = calloc((size_t)chain->rings, sizeof(double));
        chain->job_power = calloc((size_t)chain->rings, sizeof(double));
        ok = chain->ring_freq && chain->ring_power && chain->job_freq && chain->job_power &&
             plan_log_bins(chain) > 1;
    }
    if (!ok) {
        stl_chain_free(chain);
        return NULL;
    }
    return chain;
}

const stl_chain_config *stl_chain_get_config(const stl_chain *chain)
{
    return &chain->config;
}

void stl_chain_reset(stl_chain *chain)
{
    if (chain->resampler) {
        st_resampler_reset(chain->resampler);
    }
    st_stft_reset(chain->spectrum_stft);
    st_average_reset(chain->average);
    memset(chain->peak, 0, sizeof(float) * (size_t)chain->bins);
    st_stft_reset(chain->mel_stft);
    chain->window_columns = chain->window_next = 0;
    chain->cepstral_due = 0;
    chain->mel_queued = 0;
    chain->slope = 0;
    chain->share_bins = chain->share_energy = 0;
    chain->fit_valid = 0;
    chain->columns_since_cepstral = 0;
}

void stl_chain_free(stl_chain *chain)
{
    if (!chain) {
        return;
    }
    st_resampler_free(chain->resampler);
    free(chain->resampled);
    st_stft_free(chain->spectrum_stft);
    st_average_free(chain->average);
    free(chain->peak);
    st_stft_free(chain->mel_stft);
    st_melbank_free(chain->melbank);
    st_mfcc_free(chain->mfcc);
    free(chain->mel_column);
    free(chain->mel_queue);
    free(chain->mel_taken);
    st_cepstral_free(chain->cepstral);
    free(chain->window);
    free(chain->snapshot);
    free(chain->ring_freq);
    free(chain->ring_power);
    free(chain->job_freq);
    free(chain->job_power);
    free(chain);
}

void stl_chain_set_averaging(stl_chain *chain, double seconds)
{
    if (seconds != chain->averaging_s) {
        chain->averaging_s = seconds;
        int hop = chain->config.fft_size / 4;
        st_average_set_time_constant(chain->average, seconds, chain->config.analysis_rate / hop);
    }
}

void stl_chain_set_water_level(stl_chain *chain, double level)
{
    chain->water_level = level;
}

/* The band used for the slope: above the lowest bins, below the resampler's
 * (or the ear's) roll-off near Nyquist. */
static void update_shape(stl_chain *chain)
{
    const double *power = st_average_power(chain->average);
    double rate = chain->config.analysis_rate;
    double bin_hz = rate / chain->config.fft_size;
    /* Below the resampler's roll-off, and below the host's Nyquist when the
     * analysis upsamples (nothing lives above it). */
    double top = chain->resampler ? 0.4 * fmin(rate, chain->config.host_rate) : 0.45 * rate;
    double bottom = fmax(50.0, 4 * bin_hz);
    if (st_spectral_slope_db_per_octave(power, chain->bins, bin_hz, bottom, top, &chain->slope) !=
            ST_OK ||
        !isfinite(chain->slope))
        chain->slope = 0;
    st_above_water(power, chain->band_bins, chain->water_level / chain->power_scale,
                   &chain->share_bins, &chain->share_energy);
}

static void spectrum_frame(stl_chain *chain)
{
    const float *power = st_stft_power(chain->spectrum_stft);
    st_average_add(chain->average, power);
    for (int k = 0; k < chain->bins; k++) {
        if (power[k] > chain->peak[k]) {
            chain->peak[k] = power[k];
        }
    }
    update_shape(chain);
}

static void mel_frame(stl_chain *chain, int *cepstral_budget)
{
    int mels = chain->config.mel_bands;
    st_melbank_run(chain->melbank, st_stft_power(chain->mel_stft), chain->mel_column);
    st_power_to_db(chain->mel_column, mels, 0.0);
    st_mfcc_run(chain->mfcc, chain->mel_column, chain->mfcc_newest);
    if (chain->mel_queued == STL_MEL_COLUMNS_MAX) {
        /* Nobody took them: keep the newest. */
        memmove(chain->mel_queue, chain->mel_queue + mels,
                sizeof(float) * (size_t)mels * (STL_MEL_COLUMNS_MAX - 1));
        chain->mel_queued--;
    }
    memcpy(chain->mel_queue + (size_t)mels * chain->mel_queued, chain->mel_column,
           sizeof(float) * (size_t)mels);
    chain->mel_queued++;

    memcpy(chain->window + (size_t)mels * chain->window_next, chain->mel_column,
           sizeof(float) * (size_t)mels);
    chain->window_next = (chain->window_next + 1) % STL_CEPSTRAL_COLUMNS;
    if (chain->window_columns < STL_CEPSTRAL_COLUMNS) {
        chain->window_columns++;
    }
    chain->columns_since_cepstral++;
    if (chain->columns_since_cepstral >= CEPSTRAL_EVERY_COLUMNS &&
        chain->window_columns == STL_CEPSTRAL_COLUMNS) {
        chain->cepstral_due = 1;
        if (chain->cepstral_inline && *cepstral_budget > 0) {
            stl_chain_cepstral_snapshot(chain);
            stl_chain_cepstral_compute(chain);
            stl_chain_cepstral_publish(chain);
            (*cepstral_budget)--;
        }
    }
}

/* Analysis-rate samples into both STFTs. */
static void analyse(stl_chain *chain, const float *x, int n, int *cepstral_budget)
{
    const float *rest = x;
    int left = n;
    while (left > 0) {
        int used = st_stft_feed(chain->spectrum_stft, rest, left);
        rest += used;
        left -= used;
        if (st_stft_frame_ready(chain->spectrum_stft)) {
            spectrum_frame(chain);
        }
    }
    rest = x;
    left = n;
    while (left > 0) {
        int used = st_stft_feed(chain->mel_stft, rest, left);
        rest += used;
        left -= used;
        if (st_stft_frame_ready(chain->mel_stft)) {
            mel_frame(chain, cepstral_budget);
        }
    }
}

void stl_chain_feed(stl_chain *chain, const float *samples, int n)
{
    int cepstral_budget = 1;
    while (n > 0) {
        int chunk = n < STL_STAGE_SAMPLES ? n : STL_STAGE_SAMPLES;
        if (chain->resampler) {
            int produced = st_resampler_run(chain->resampler, samples, chunk, chain->resampled,
                                            chain->resampled_capacity);
            if (produced > 0) {
                analyse(chain, chain->resampled, produced, &cepstral_budget);
            }
        } else {
            analyse(chain, samples, chunk, &cepstral_budget);
        }
        samples += chunk;
        n -= chunk;
    }
}

void stl_chain_set_cepstral_inline(stl_chain *chain, int run_inline)
{
    chain->cepstral_inline = run_inline;
}

int stl_chain_cepstral_due(const stl_chain *chain)
{
    return chain->cepstral_due;
}

void stl_chain_cepstral_snapshot(stl_chain *chain)
{
    size_t column = (size_t)chain->config.mel_bands;
    for (int i = 0; i < STL_CEPSTRAL_COLUMNS; i++) {
        int slot = (chain->window_next + i) % STL_CEPSTRAL_COLUMNS;
        memcpy(chain->snapshot + column * i, chain->window + column * slot, sizeof(float) * column);
    }
    chain->cepstral_due = 0;
    chain->columns_since_cepstral = 0;
}

void stl_chain_cepstral_compute(stl_chain *chain)
{
    size_t column = (size_t)chain->config.mel_bands;
    st_cepstral_reset(chain->cepstral);
    for (int i = 0; i < STL_CEPSTRAL_COLUMNS; i++) {
        st_cepstral_push(chain->cepstral, chain->snapshot + column * i);
    }
    chain->job_status =
        st_cepstral_run(chain->cepstral, chain->job_freq, chain->job_power, &chain->job_fit);
}

void stl_chain_cepstral_publish(stl_chain *chain)
{
    if (chain->job_status != ST_OK && chain->job_status != ST_ERROR_NOT_FINITE) {
        return;
    }
    memcpy(chain->ring_freq, chain->job_freq, sizeof(double) * (size_t)chain->rings);
    memcpy(chain->ring_power, chain->job_power, sizeof(double) * (size_t)chain->rings);
    chain->fit = chain->job_fit;
    chain->fit_valid = chain->job_status == ST_OK && isfinite(chain->job_fit.alpha);
    chain->cepstral_version++;
}

double stl_chain_slope(const stl_chain *chain)
{
    return chain->slope;
}

double stl_chain_alpha(const stl_chain *chain)
{
    return chain->fit_valid ? chain->fit.alpha : 0.0;
}

void stl_chain_cepstral_fit(const stl_chain *chain, double *alpha, double *c, double *r_squared)
{
    *alpha = chain->fit_valid ? chain->fit.alpha : 0.0;
    *c = chain->fit_valid ? chain->fit.c : 0.0;
    *r_squared = chain->fit_valid ? chain->fit.r_squared : 0.0;
}

double stl_chain_share_bins(const stl_chain *chain)
{
    return chain->share_bins;
}

double stl_chain_share_energy(const stl_chain *chain)
{
    return chain->share_energy;
}

long stl_chain_spectrum_frames(const stl_chain *chain)
{
    return st_average_frames(chain->average);
}

static float to_db(double power)
{
    return (float)(10.0 * log10(fmax(power, 1e-20)));
}

int stl_chain_log_spectrum(stl_chain *chain, float *frequency, float *power_db, float *peak_db)
{
    const double *power = st_average_power(chain->average);
    double scale = chain->power_scale;
    for (int i = 0; i < chain->points; i++) {
        double sum = 0, peak = 0;
        int low = chain->bin_low[i], high = chain->bin_high[i];
        if (low <= high) {
            for (int k = low; k <= high; k++) {
                sum += power[k];
                peak = fmax(peak, chain->peak[k]);
            }
            sum /= high - low + 1;
        } else {
            /* A band narrower than a bin: interpolate between its neighbours. */
            int k = (int)chain->bin_position[i];
            int k1 = k + 1 < chain->bins ? k + 1 : k;
            double f = chain->bin_position[i] - k;
            sum = (1 - f) * power[k] + f * power[k1];
            peak = fmax(chain->peak[k], chain->peak[k1]);
        }
        frequency[i] = chain->point_hz[i];
        power_db[i] = to_db(sum * scale);
        if (peak_db) {
            peak_db[i] = to_db(peak * scale);
        }
    }
    if (peak_db) {
        memset(chain->peak, 0, sizeof(float) * (size_t)chain->bins);
    }
    return chain->points;
}

int stl_chain_take_mel_columns(stl_chain *chain, const float **values, const float **mfcc)
{
    int count = chain->mel_queued;
    size_t floats = (size_t)count * chain->config.mel_bands;
    memcpy(chain->mel_taken, chain->mel_queue, sizeof(float) * floats);
    memcpy(chain->mfcc_taken, chain->mfcc_newest, sizeof chain->mfcc_taken);
    chain->mel_queued = 0;
    *values = chain->mel_taken;
    *mfcc = chain->mfcc_taken;
    return count;
}

double stl_chain_mel_frame_rate(const stl_chain *chain)
{
    return chain->config.analysis_rate / st_stft_hop(chain->mel_stft);
}

int stl_chain_cepstral(const stl_chain *chain, const double **freq, const double **power,
                       long *version)
{
    *freq = chain->ring_freq;
    *power = chain->ring_power;
    *version = chain->cepstral_version;
    return chain->cepstral_version > 0 ? chain->rings : 0;
}
