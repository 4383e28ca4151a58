/* spectide.lv2: the analysis chain and the mask resynthesis, as objects
 * wired from core/ (no LV2 here). Allocation happens only in the _new
 * functions, which the plugin calls from activate() or its worker; every
 * other function is real-time safe and does work bounded by its input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_LV2_ANALYSIS_H
#define SPECTIDE_LV2_ANALYSIS_H

#include "protocol.h"
#include "spectide_audio.h"

/* What needs new plans and buffers when it changes. */
typedef struct {
    int fft_size;         /* spectrum (and mask) FFT size */
    double host_rate;     /* Hz */
    double analysis_rate; /* Hz: host_rate, 22050 or 16000 */
    int mel_bands;
} st_chain_config;

int st_chain_config_equal(const st_chain_config *a, const st_chain_config *b);

/* Host-rate samples are staged and handed to the analysis in chunks of at
 * most this many: the resampler then never sees tiny blocks. */
#define ST_STAGE_SAMPLES 256

typedef struct st_chain st_chain;

/* NULL on bad configuration or memory shortage. */
st_chain *st_chain_new(const st_chain_config *config);
const st_chain_config *st_chain_get_config(const st_chain *chain);
void st_chain_reset(st_chain *chain);
void st_chain_free(st_chain *chain);

/* Live settings (no allocation): averaging time constant, water level
 * tau*sigma^2 (power, host-rate scale). */
void st_chain_set_averaging(st_chain *chain, double seconds);
void st_chain_set_water_level(st_chain *chain, double level);

/* Feeds analysis samples at the host rate (finite values only: the caller
 * sanitises). Runs the spectrum, the mel columns and, inline, at most
 * once per call, the cepstral RAPSD. */
void st_chain_feed(st_chain *chain, const float *samples, int n);

/* The cepstral RAPSD. Inline (the default, for hosts without a worker): run
 * from st_chain_feed every few mel columns. Otherwise the plugin, in run(),
 * sees st_chain_cepstral_due(), calls st_chain_cepstral_snapshot() (a
 * bounded copy) and schedules a job that calls st_chain_cepstral_compute()
 * in the worker thread (the FFT planner's executor may allocate there), then
 * st_chain_cepstral_publish() in work_response. One job at a time. */
void st_chain_set_cepstral_inline(st_chain *chain, int run_inline);
int st_chain_cepstral_due(const st_chain *chain);
void st_chain_cepstral_snapshot(st_chain *chain);
void st_chain_cepstral_compute(st_chain *chain);
void st_chain_cepstral_publish(st_chain *chain);

/* Results. The spectrum power is scaled by st_rate_power_scale(host_rate,
 * analysis_rate) so that white noise of variance v at the host rate reads v
 * at every analysis rate; the shares above water count the bins of
 * st_rate_band_bins (what the resampler passes flat). */
double st_chain_slope(const st_chain *chain); /* dB/octave, 0 until a frame */
double st_chain_alpha(const st_chain *chain); /* 0 until the window is full */
void st_chain_cepstral_fit(const st_chain *chain, double *alpha, double *c, double *r_squared);
double st_chain_share_bins(const st_chain *chain);   /* 0..1 */
double st_chain_share_energy(const st_chain *chain); /* 0..1 */
long st_chain_spectrum_frames(const st_chain *chain);

/* Log-binned view of the averaged spectrum (dB) and of the peaks of the
 * unaveraged frames since the last call (which resets them); returns the
 * number of points (<= ST_SPECTRUM_POINTS). peak_db may be NULL. */
int st_chain_log_spectrum(st_chain *chain, float *frequency, float *power_db, float *peak_db);

/* Mel columns produced since the last take (at most ST_MEL_COLUMNS_MAX, the
 * oldest are dropped): returns the count, *values points at count*mel_bands
 * dB values (oldest first), *mfcc at the newest column's MFCCs. */
int st_chain_take_mel_columns(st_chain *chain, const float **values, const float **mfcc);
double st_chain_mel_frame_rate(const st_chain *chain);
/* Cepstral RAPSD (ring frequencies and power); returns the ring count, 0
 * until the first run. *version increases with every new result. */
int st_chain_cepstral(const st_chain *chain, const double **freq, const double **power,
                      long *version);

/* ------------------------------------------------------------------ */
/* Mask resynthesis: keeps the STFT bins whose power is above a level.   */
/* ------------------------------------------------------------------ */

typedef struct st_mask st_mask;

/* Core's st_wola (periodic Hann analysis and synthesis, hop n_fft/4, frame
 * by frame hard mask st_water_mask): docs/conventions.md. Latency: exactly
 * n_fft. */
st_mask *st_mask_new(int n_fft);
int st_mask_latency(const st_mask *mask);
/* Clears the signal history (st_wola_reset). */
void st_mask_reset(st_mask *mask);
/* in -> kept (bins above `level`, delayed by the latency) and, when
 * `removed` is not NULL, the delayed input minus kept. Non-finite input
 * samples count as 0. */
void st_mask_run(st_mask *mask, const float *in, float *kept, float *removed, int n, double level);
void st_mask_free(st_mask *mask);

#endif /* SPECTIDE_LV2_ANALYSIS_H */
