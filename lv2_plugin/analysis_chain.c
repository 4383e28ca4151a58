/* spectide.lv2: the analysis chain. See analysis_chain.h.
 * Everything numeric comes from core/: this file only connects the pieces
 * (resampler -> STFTs -> average / mel -> MFCC / cepstral view) and reduces
 * results for transport (log binning of the spectrum for the UI).
 *
 * Bounded work per call: the resampler is a polyphase FIR (a dot product
 * per output sample); the STFTs are st_sliced_stft, whose frames above
 * ST_REALTIME_STEP_POINTS points spread their FFT over half a hop
 * (st_realtime_delay); the cepstral view is st_sliced_cepstral, started
 * every CEPSTRAL_EVERY_COLUMNS mel columns and stepped over the next
 * CEPSTRAL_SPREAD_COLUMNS mel hops, in the audio thread (no worker needed).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "analysis_chain.h"

#include "spectide_realtime.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The cepstral RAPSD (of mel_bands x STL_CEPSTRAL_COLUMNS) starts every this
 * many new mel columns and its steps are spread over the next
 * CEPSTRAL_SPREAD_COLUMNS mel hops (less than the interval: one analysis at
 * a time). */
#define CEPSTRAL_EVERY_COLUMNS  8
#define CEPSTRAL_SPREAD_COLUMNS 4
/* The log-mel floor (docs/conventions.md): max - 80 dB, the max over the
 * cepstral window (STL_CEPSTRAL_COLUMNS columns, the live counterpart of
 * librosa's whole-spectrogram max). */
#define LOG_MEL_TOP_DB 80.0

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

    /* Host rate -> analysis rate: the FIR, or libsamplerate for the ratios
     * the FIR refuses (non-integer rates); both NULL at the host rate. */
    st_fir_resampler *fir;
    st_resampler *resampler;
    float *resampled;
    int resampled_capacity;

    /* Spectrum: STFT of fft_size, hop fft_size/4, exponential average. */
    st_sliced_stft *spectrum_stft;
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
    st_sliced_stft *mel_stft;
    int mel_hop;
    st_melbank *melbank;
    st_mfcc *mfcc;
    float *mel_column;                      /* the newest column, dB, not floored */
    float *mel_floored;                     /* the same floored at the window's max - 80 dB */
    float column_max[STL_CEPSTRAL_COLUMNS]; /* ring: each column's max, dB */
    int column_next, column_count;
    float *mel_queue; /* STL_MEL_COLUMNS_MAX columns, oldest first */
    int mel_queued;
    float mfcc_newest[STL_MFCC_COUNT];
    float *mel_taken; /* what take_mel_columns hands out */
    float mfcc_taken[STL_MFCC_COUNT];

    /* Cepstral view: the core object keeps the window of the newest
     * STL_CEPSTRAL_COLUMNS columns, snapshots it at start and floors it at
     * its max - 80 dB; results are copied into ring_* when its last step
     * has run. */
    st_sliced_cepstral *cepstral;
    long cepstral_elapsed; /* analysis samples since the running analysis started */
    int columns_since_cepstral;
    int rings;
    double *ring_freq;
    double *ring_power;
    st_powerlaw fit;
    int fit_valid;
    long cepstral_version;
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
    chain->water_level = 1e-4;
    chain->averaging_s = 1.0;
    int ok = 1;
    double flat_band = 1.0; /* the band the conversion passes flat */
    if (config->analysis_rate != config->host_rate) {
        chain->fir = st_fir_resampler_new(config->host_rate, config->analysis_rate, NULL, NULL);
        if (chain->fir) {
            flat_band = st_fir_design_default().passband;
            chain->resampled_capacity = st_fir_resampler_max_output(chain->fir, STL_STAGE_SAMPLES);
        } else {
            chain->resampler = st_resampler_new(config->host_rate, config->analysis_rate, -1,
                                                STL_STAGE_SAMPLES, NULL);
            ok = chain->resampler != NULL;
            flat_band = ST_RESAMPLER_FLAT_BAND;
            if (ok)
                chain->resampled_capacity =
                    st_resampler_max_output(chain->resampler, STL_STAGE_SAMPLES);
        }
        if (ok) {
            chain->resampled = calloc((size_t)chain->resampled_capacity, sizeof(float));
            ok = chain->resampled != NULL;
        }
    }
    chain->band_bins =
        st_rate_band_bins(config->host_rate, config->analysis_rate, flat_band, config->fft_size);
    int n = config->fft_size;
    chain->spectrum_stft =
        st_sliced_stft_new(n, n / 4, st_realtime_delay(n, n / 4), ST_REALTIME_STEP_POINTS, NULL);
    ok = ok && chain->spectrum_stft;
    if (ok) {
        chain->bins = st_sliced_stft_bins(chain->spectrum_stft);
        chain->average =
            st_average_new(chain->bins, chain->averaging_s, config->analysis_rate / (n / 4), NULL);
        chain->peak = calloc((size_t)chain->bins, sizeof(float));
        ok = chain->average && chain->peak;
    }
    int mel_n = mel_fft_for_rate(config->analysis_rate);
    int mels = config->mel_bands;
    chain->mel_hop = mel_n / 4;
    chain->mel_stft =
        st_sliced_stft_new(mel_n, chain->mel_hop, st_realtime_delay(mel_n, chain->mel_hop),
                           ST_REALTIME_STEP_POINTS, NULL);
    chain->melbank =
        st_melbank_new(config->analysis_rate, mel_n, mels, 0.0, 0.0, ST_MEL_SLANEY, NULL);
    chain->mfcc = st_mfcc_new(mels, STL_MFCC_COUNT, NULL);
    chain->mel_column = calloc((size_t)mels, sizeof(float));
    chain->mel_floored = calloc((size_t)mels, sizeof(float));
    chain->mel_queue = calloc((size_t)mels * STL_MEL_COLUMNS_MAX, sizeof(float));
    chain->mel_taken = calloc((size_t)mels * STL_MEL_COLUMNS_MAX, sizeof(float));
    chain->cepstral =
        st_sliced_cepstral_new(mels, STL_CEPSTRAL_COLUMNS, ST_REALTIME_STEP_POINTS, NULL);
    ok = ok && chain->mel_stft && chain->melbank && chain->mfcc && chain->mel_column &&
         chain->mel_floored && chain->mel_queue && chain->mel_taken && chain->cepstral;
    if (ok) {
        st_sliced_cepstral_set_top_db(chain->cepstral, LOG_MEL_TOP_DB);
        chain->rings = st_sliced_cepstral_ring_count(chain->cepstral);
        chain->ring_freq = calloc((size_t)chain->rings, sizeof(double));
        chain->ring_power = calloc((size_t)chain->rings, sizeof(double));
        ok = chain->ring_freq && chain->ring_power && plan_log_bins(chain) > 1;
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
    if (chain->fir) {
        st_fir_resampler_reset(chain->fir);
    }
    if (chain->resampler) {
        st_resampler_reset(chain->resampler);
    }
    st_sliced_stft_reset(chain->spectrum_stft);
    st_average_reset(chain->average);
    memset(chain->peak, 0, sizeof(float) * (size_t)chain->bins);
    st_sliced_stft_reset(chain->mel_stft);
    st_sliced_cepstral_reset(chain->cepstral);
    chain->column_next = chain->column_count = 0;
    chain->mel_queued = 0;
    chain->slope = 0;
    chain->share_bins = chain->share_energy = 0;
    chain->fit_valid = 0;
    chain->columns_since_cepstral = 0;
    chain->cepstral_elapsed = 0;
}

void stl_chain_free(stl_chain *chain)
{
    if (!chain) {
        return;
    }
    st_fir_resampler_free(chain->fir);
    st_resampler_free(chain->resampler);
    free(chain->resampled);
    st_sliced_stft_free(chain->spectrum_stft);
    st_average_free(chain->average);
    free(chain->peak);
    st_sliced_stft_free(chain->mel_stft);
    st_melbank_free(chain->melbank);
    st_mfcc_free(chain->mfcc);
    free(chain->mel_column);
    free(chain->mel_floored);
    free(chain->mel_queue);
    free(chain->mel_taken);
    st_sliced_cepstral_free(chain->cepstral);
    free(chain->ring_freq);
    free(chain->ring_power);
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
    int resampled = chain->fir || chain->resampler;
    double top = resampled ? 0.4 * fmin(rate, chain->config.host_rate) : 0.45 * rate;
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
    const float *power = st_sliced_stft_power(chain->spectrum_stft);
    st_average_add(chain->average, power);
    for (int k = 0; k < chain->bins; k++) {
        if (power[k] > chain->peak[k]) {
            chain->peak[k] = power[k];
        }
    }
    update_shape(chain);
}

static void cepstral_publish(stl_chain *chain)
{
    st_status status = st_sliced_cepstral_result(chain->cepstral, chain->ring_freq,
                                                 chain->ring_power, &chain->fit);
    if (status == ST_NOT_READY) {
        return;
    }
    chain->fit_valid = status == ST_OK && isfinite(chain->fit.alpha);
    chain->cepstral_version++;
}

/* The running cepstral analysis after `samples` more analysis samples: its
 * steps spread evenly over CEPSTRAL_SPREAD_COLUMNS mel hops from the column
 * that started it. */
static void cepstral_advance(stl_chain *chain, int samples)
{
    int left = st_sliced_cepstral_remaining(chain->cepstral);
    if (left == 0) {
        return;
    }
    int steps = st_sliced_cepstral_steps(chain->cepstral);
    long span = (long)CEPSTRAL_SPREAD_COLUMNS * chain->mel_hop;
    chain->cepstral_elapsed += samples;
    long elapsed = chain->cepstral_elapsed;
    long due = elapsed >= span ? steps : elapsed <= 0 ? 0 : steps * elapsed / span;
    long run = due - (steps - left);
    if (run > 0 && st_sliced_cepstral_step(chain->cepstral, (int)run) == 0) {
        cepstral_publish(chain);
    }
}

/* The window's maximum (dB), over the column maxima of its newest columns. */
static float window_max(const stl_chain *chain)
{
    float top = -INFINITY;
    for (int i = 0; i < chain->column_count; i++) {
        top = chain->column_max[i] > top ? chain->column_max[i] : top;
    }
    return top;
}

/* A mel column, `after` samples of the current chunk of `chunk` after its
 * frame (so that the cepstral schedule counts from the frame's end). */
static void mel_frame(stl_chain *chain, int after, int chunk)
{
    int mels = chain->config.mel_bands;
    st_melbank_run(chain->melbank, st_sliced_stft_power(chain->mel_stft), chain->mel_column);
    st_power_to_db(chain->mel_column, mels, 0.0);
    /* The cepstral view floors its own window at start. */
    st_sliced_cepstral_push(chain->cepstral, chain->mel_column);

    float top = -INFINITY;
    for (int m = 0; m < mels; m++) {
        top = chain->mel_column[m] > top ? chain->mel_column[m] : top;
    }
    chain->column_max[chain->column_next] = top;
    chain->column_next = (chain->column_next + 1) % STL_CEPSTRAL_COLUMNS;
    if (chain->column_count < STL_CEPSTRAL_COLUMNS) {
        chain->column_count++;
    }
    float floor_db = (float)(window_max(chain) - LOG_MEL_TOP_DB);
    for (int m = 0; m < mels; m++) {
        chain->mel_floored[m] = chain->mel_column[m] > floor_db ? chain->mel_column[m] : floor_db;
    }
    st_mfcc_run(chain->mfcc, chain->mel_floored, chain->mfcc_newest);
    if (chain->mel_queued == STL_MEL_COLUMNS_MAX) {
        /* Nobody took them: keep the newest. */
        memmove(chain->mel_queue, chain->mel_queue + mels,
                sizeof(float) * (size_t)mels * (STL_MEL_COLUMNS_MAX - 1));
        chain->mel_queued--;
    }
    memcpy(chain->mel_queue + (size_t)mels * chain->mel_queued, chain->mel_floored,
           sizeof(float) * (size_t)mels);
    chain->mel_queued++;

    chain->columns_since_cepstral++;
    if (chain->columns_since_cepstral >= CEPSTRAL_EVERY_COLUMNS &&
        st_sliced_cepstral_start(chain->cepstral) == ST_OK) {
        chain->columns_since_cepstral = 0;
        /* cepstral_advance(chunk) after the chunk brings it to `after`. */
        chain->cepstral_elapsed = after - chunk;
    }
}

/* Analysis-rate samples into both STFTs, then the cepstral steps. */
static void analyse(stl_chain *chain, const float *x, int n)
{
    const float *rest = x;
    int left = n;
    while (left > 0) {
        int used = st_sliced_stft_feed(chain->spectrum_stft, rest, left);
        rest += used;
        left -= used;
        if (st_sliced_stft_frame_ready(chain->spectrum_stft)) {
            spectrum_frame(chain);
        }
    }
    rest = x;
    left = n;
    while (left > 0) {
        int used = st_sliced_stft_feed(chain->mel_stft, rest, left);
        rest += used;
        left -= used;
        if (st_sliced_stft_frame_ready(chain->mel_stft)) {
            mel_frame(chain, left, n);
        }
    }
    cepstral_advance(chain, n);
}

void stl_chain_feed(stl_chain *chain, const float *samples, int n)
{
    while (n > 0) {
        int chunk = n < STL_STAGE_SAMPLES ? n : STL_STAGE_SAMPLES;
        int produced = chunk;
        const float *analysis = samples;
        if (chain->fir) {
            produced = st_fir_resampler_run(chain->fir, samples, chunk, chain->resampled,
                                            chain->resampled_capacity);
            analysis = chain->resampled;
        } else if (chain->resampler) {
            produced = st_resampler_run(chain->resampler, samples, chunk, chain->resampled,
                                        chain->resampled_capacity);
            analysis = chain->resampled;
        }
        if (produced > 0) {
            analyse(chain, analysis, produced);
        }
        samples += chunk;
        n -= chunk;
    }
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
    return chain->config.analysis_rate / chain->mel_hop;
}

int stl_chain_cepstral(const stl_chain *chain, const double **freq, const double **power,
                       long *version)
{
    *freq = chain->ring_freq;
    *power = chain->ring_power;
    *version = chain->cepstral_version;
    return chain->cepstral_version > 0 ? chain->rings : 0;
}
