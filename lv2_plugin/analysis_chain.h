/* spectide.lv2: the analysis chain, an object wired from core/ (no LV2
 * here): resampler (st_fir_resampler, or st_resampler for the ratios it
 * refuses) -> sliced STFTs -> average / mel -> MFCC / sliced cepstral view,
 * and the reductions for transport (log binning of the spectrum for the UI).
 * Allocation happens only in stl_chain_new, which the plugin calls from
 * activate() or its worker; every other function is real-time safe and
 * does work bounded by its input. The log-mel columns, their MFCCs and the
 * cepstral view are floored at max - 80 dB, the max over the cepstral
 * window (the newest STL_CEPSTRAL_COLUMNS columns).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_LV2_ANALYSIS_CHAIN_H
#define SPECTIDE_LV2_ANALYSIS_CHAIN_H

#include "uris.h" /* the limits of the messages */
#include "spectide_audio.h"

/* What needs new plans and buffers when it changes. */
typedef struct {
    int fft_size;         /* spectrum (and mask) FFT size */
    double host_rate;     /* Hz */
    double analysis_rate; /* Hz: host_rate, 22050 or 16000 */
    int mel_bands;
} stl_chain_config;

int stl_chain_config_equal(const stl_chain_config *a, const stl_chain_config *b);

/* Host-rate samples are staged and handed to the analysis in chunks of at
 * most this many: the resampler then never sees tiny blocks. */
#define STL_STAGE_SAMPLES 256

typedef struct stl_chain stl_chain;

/* NULL on bad configuration or memory shortage. */
stl_chain *stl_chain_new(const stl_chain_config *config);
const stl_chain_config *stl_chain_get_config(const stl_chain *chain);
void stl_chain_reset(stl_chain *chain);
void stl_chain_free(stl_chain *chain);

/* Live settings (no allocation): averaging time constant, water level
 * tau*sigma^2 (power, host-rate scale). */
void stl_chain_set_averaging(stl_chain *chain, double seconds);
void stl_chain_set_water_level(stl_chain *chain, double level);

/* Feeds analysis samples at the host rate (finite values only: the caller
 * sanitises). Runs the resampler, the spectrum, the mel columns and the
 * cepstral view's steps due by now: work bounded by n (every large FFT and
 * the cepstral RAPSD spread over the samples after their frame). */
void stl_chain_feed(stl_chain *chain, const float *samples, int n);

/* Results. The spectrum power is scaled by st_rate_power_scale(host_rate,
 * analysis_rate) so that white noise of variance v at the host rate reads v
 * at every analysis rate; the shares above water count the bins of
 * st_rate_band_bins (what the resampler passes flat). */
double stl_chain_slope(const stl_chain *chain); /* dB/octave, 0 until a frame */
double stl_chain_alpha(const stl_chain *chain); /* 0 until the window is full */
void stl_chain_cepstral_fit(const stl_chain *chain, double *alpha, double *c, double *r_squared);
double stl_chain_share_bins(const stl_chain *chain);   /* 0..1 */
double stl_chain_share_energy(const stl_chain *chain); /* 0..1 */
long stl_chain_spectrum_frames(const stl_chain *chain);

/* Log-binned view of the averaged spectrum (dB) and of the peaks of the
 * unaveraged frames since the last call (which resets them); returns the
 * number of points (<= STL_SPECTRUM_POINTS). peak_db may be NULL. */
int stl_chain_log_spectrum(stl_chain *chain, float *frequency, float *power_db, float *peak_db);

/* Mel columns produced since the last take (at most STL_MEL_COLUMNS_MAX, the
 * oldest are dropped): returns the count, *values points at count*mel_bands
 * dB values (oldest first), *mfcc at the newest column's MFCCs. */
int stl_chain_take_mel_columns(stl_chain *chain, const float **values, const float **mfcc);
double stl_chain_mel_frame_rate(const stl_chain *chain);
/* Cepstral RAPSD (ring frequencies and power); returns the ring count, 0
 * until the first run. *version increases with every new result. */
int stl_chain_cepstral(const stl_chain *chain, const double **freq, const double **power,
                       long *version);

#endif /* SPECTIDE_LV2_ANALYSIS_CHAIN_H */
