/* spectide core: audio analysis (windowed spectra, averaging, resampling,
 * mel filterbank, log-mel, MFCC, the cepstral view).
 *
 * Everything here is allocation-free after st_X_new(): the LV2 plugin runs
 * the _run/_push/_feed functions in the audio thread. The conventions
 * (spectrum scaling, mel and MFCC defaults) are in docs/conventions.md; the
 * API and error conventions are spectide.h's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_AUDIO_H
#define SPECTIDE_AUDIO_H

#include "spectide.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ST_FFT_SIZE_MIN 256
#define ST_FFT_SIZE_MAX 65536

/* ------------------------------------------------------------------ */
/* Streaming STFT analyser                                              */
/* ------------------------------------------------------------------ */

typedef struct st_stft st_stft;

/* n_fft a power of two in [ST_FFT_SIZE_MIN, ST_FFT_SIZE_MAX]; 1 <= hop <= n_fft.
 * Periodic Hann window. NULL on bad arguments (ST_ERROR_ARGUMENT).
 * Threads: one st_stft is used by one thread at a time (the audio thread). */
ST_API st_stft *st_stft_new(int n_fft, int hop, st_status *error);
ST_API int st_stft_bins(const st_stft *stft); /* n_fft/2 + 1 */
ST_API int st_stft_fft_size(const st_stft *stft);
ST_API int st_stft_hop(const st_stft *stft);
/* Feeds up to n samples and stops right after a frame completes. Returns the
 * number consumed; st_stft_frame_ready() then says whether a frame is
 * waiting. Usage, for blocks of any length:
 *     while (n > 0) {
 *         int used = st_stft_feed(stft, x, n); x += used; n -= used;
 *         if (st_stft_frame_ready(stft)) use(st_stft_power(stft));
 *     }
 * Non-finite samples are replaced by 0 and counted. The first frame is
 * emitted once n_fft samples have arrived, then one every hop samples. */
ST_API int st_stft_feed(st_stft *stft, const float *samples, int n);
ST_API int st_stft_frame_ready(const st_stft *stft);
/* The waiting frame's one-sided power, bins values: P(k) = |X(k)|^2 / sum(w^2),
 * so white noise of variance sigma^2 reads sigma^2 in every bin, DC and
 * Nyquist included (no doubling). Units: squared sample values (full scale
 * 1.0), so 10 log10 P is in dB relative to a unit-variance noise; the tide
 * line for noise at L dBFS RMS is P = 10^(L/10). A sine of amplitude A on a
 * bin centre reads A^2 n_fft / 6 in that bin and A^2 n_fft / 24 in each
 * neighbour; summed over its lobe, A^2 n_fft / 4 (tones grow with n_fft,
 * noise does not). Reading it clears the ready flag. */
ST_API const float *st_stft_power(st_stft *stft);
/* The waiting frame's complex spectrum X(k) of the windowed frame (FFTW's
 * unnormalised r2c: interleaved re, im; bins pairs) for resynthesis; valid
 * until the next feed, st_stft_frame or st_stft_inverse. */
ST_API const float *st_stft_spectrum(const st_stft *stft);
/* Non-finite samples replaced so far (monotonic counter). */
ST_API uint64_t st_stft_bad_samples(const st_stft *stft);
ST_API void st_stft_reset(st_stft *stft);
ST_API void st_stft_free(st_stft *stft);

/* Power of one windowed frame of exactly n_fft samples (no streaming): used by
 * the offline tools with centred, zero-padded frames like librosa. It shares
 * the spectrum buffer: st_stft_spectrum() then returns this frame's spectrum. */
ST_API void st_stft_frame(st_stft *stft, const float *frame, float *power);

/* The periodic Hann window, n_fft values: w[n] = 0.5 - 0.5 cos(2 pi n / n_fft). */
ST_API const float *st_stft_window(const st_stft *stft);
/* Inverse of the transform: frame[n_fft] = IFFT(spectrum) / n_fft, so that
 * st_stft_inverse(st_stft_spectrum()) gives back the windowed frame w*x. For
 * overlap-add resynthesis (with hop n_fft/2 the periodic Hann windows sum to 1,
 * with hop n_fft/4 to 2). `spectrum` is bins (re, im) pairs and is not modified. */
ST_API void st_stft_inverse(st_stft *stft, const float *spectrum, float *frame);

/* ------------------------------------------------------------------ */
/* One spectrum scale at every rate                                     */
/* ------------------------------------------------------------------ */

/* Threads: pure functions, thread-safe.
 *
 * What every front reports is the per-bin power of the *signal's* samples
 * (the file's, or the host's in a plugin), whatever rate the analysis ran
 * at: P_signal(f) = P_analysis(f) * st_rate_power_scale(signal_rate,
 * analysis_rate). Resampling keeps the power spectral density of the band
 * both rates share, while the per-bin power of a white sequence is its
 * density times its own rate; hence the factor signal_rate / analysis_rate
 * (down- and upsampling alike). White noise of variance v in the signal
 * reads v; a tone reads what a Hann window of the same duration (n_fft /
 * analysis_rate seconds) would read on the signal's own samples; a noise
 * band-limited to B Hz with variance v reads v * signal_rate / (2 B) inside
 * its band. The water line tau * sigma^2 is on this scale. */
ST_API double st_rate_power_scale(double signal_rate, double analysis_rate);

/* Fraction of the lower Nyquist frequency up to which st_resampler's
 * default converter (libsamplerate's SINC_FASTEST) passes the signal flat
 * within 0.03 dB; above it the converter's roll-off, not the signal, sets
 * the level. (st_fir_resampler's is its design's passband,
 * st_fir_design_default().passband = 0.8, flat within 0.00003 dB.) */
#define ST_RESAMPLER_FLAT_BAND 0.70

/* The band, from DC, in which an analysis at analysis_rate represents a
 * signal at signal_rate: up to analysis_rate / 2 when the rates are equal,
 * else up to flat_fraction x the lower of the two Nyquist frequencies
 * (above the signal's Nyquist nothing exists; near the lower one the
 * resampler rolls off); flat_fraction is the resampler's flat band
 * (ST_RESAMPLER_FLAT_BAND for st_resampler), in (0, 1].
 * st_rate_band_bins() counts the bins k >= 0 with k * analysis_rate / n_fft
 * in that band (at least 1, at most n_fft/2 + 1): the shares above water
 * are taken over those bins. */
ST_API double st_rate_band_hz(double signal_rate, double analysis_rate, double flat_fraction);
ST_API int st_rate_band_bins(double signal_rate, double analysis_rate, double flat_fraction,
                             int n_fft);

/* ------------------------------------------------------------------ */
/* Averaging in linear power over time (Welch)                         */
/* ------------------------------------------------------------------ */

typedef struct st_average st_average;

/* time_constant_s <= 0: plain mean of every frame added (a whole file);
 * > 0: exponential average with that time constant, given frames arrive
 * frame_rate times per second (analysis rate / hop). The exponential mode
 * starts as a plain mean until 1/weight frames arrived (no ramp from 0).
 * Non-finite bins keep their running value. Across files, average in the
 * log domain with st_logavg instead.
 * Threads: one st_average is used by one thread at a time. */
ST_API st_average *st_average_new(int bins, double time_constant_s, double frame_rate,
                                  st_status *error);
ST_API void st_average_set_time_constant(st_average *avg, double time_constant_s,
                                         double frame_rate);
ST_API void st_average_add(st_average *avg, const float *power);
ST_API const double *st_average_power(const st_average *avg); /* bins values */
ST_API long st_average_frames(const st_average *avg);
ST_API void st_average_reset(st_average *avg);
ST_API void st_average_free(st_average *avg);

/* ------------------------------------------------------------------ */
/* Weighted overlap-add: the mask audition                              */
/* ------------------------------------------------------------------ */

typedef struct st_wola st_wola;

/* A per-frame gain rule: called once per frame (every hop samples, as one
 * step of the frame's work: O(bins)) with the frame's one-sided power (st_stft_power's scale: white
 * noise of variance v reads v) in `power`, it writes `bins` real gains (1 keeps a bin, 0 removes
 * it). It runs inside st_wola_run: it must not allocate, lock or block. */
typedef void (*st_wola_gain_fn)(void *user, const float *power, int bins, float *gain);

/* The project's one mask rule (the noise tide's "above water"): gain 1
 * where power > *(const double *)level, else 0; pass a pointer to the water
 * line tau * sigma^2 as `user`. It may change between runs. */
ST_API void st_water_mask(void *level, const float *power, int bins, float *gain);

/* Streaming short-time Fourier analysis, a gain per bin and frame, and
 * resynthesis by weighted overlap-add (the least-squares inverse of a
 * modified STFT, Griffin & Lim 1984): periodic Hann analysis window w,
 * frame k of the gained spectrum inverse-transformed, multiplied by w again
 * and added at its place; the sum divided by sum_m w^2(n - m hop), which is
 * 3 n_fft / (8 hop) at every sample for these hops. With every gain 1 the
 * output is the input delayed by st_wola_latency() samples, within float
 * rounding (perfect reconstruction) from the first sample on. Frames end at
 * input samples hop/2 + m hop (m >= 0), as if n_fft - hop/2 zeros had come
 * first: half a hop away from those of an st_stft of the same hop.
 *
 * Bounded work: each frame's work (window, forward FFT, power, the gain
 * rule, the gained spectrum, inverse FFT, overlap-add; FFTs through
 * st_sliced_fft, every step at most ST_REALTIME_STEP_POINTS values) is
 * spread evenly over the `delay` samples after the frame ends, driven by
 * the input: a call of b samples runs at most
 *   st_wola_steps() * b / delay + b / hop + 2 steps (delay > 0),
 *   st_wola_steps() * (b / hop + 1) steps (delay 0: each frame whole in the
 *   call where it ends),
 * and the latency is n_fft + delay. The samples do not depend on the delay
 * (only when they leave) nor on the block partition: every front that uses
 * the same n_fft and hop gets the same samples after its own latency. The
 * LV2 plugin and `spectide tide-audio` both take st_realtime_delay(n_fft,
 * hop) (spectide_realtime.h) and n_fft / 4.
 *
 * n_fft: a power of two in [ST_FFT_SIZE_MIN, ST_FFT_SIZE_MAX]; hop: n_fft/4,
 * n_fft/8, ... (n_fft / hop a power of two >= 4, hop >= 1); 0 <= delay <=
 * hop. gain NULL keeps every bin. NULL and ST_ERROR_ARGUMENT on bad
 * arguments, ST_ERROR_MEMORY when allocation or planning fails.
 * Threads: one st_wola is used by one thread at a time (the audio thread);
 * new/free of different objects may run in any threads. */
ST_API st_wola *st_wola_new(int n_fft, int hop, int delay, st_wola_gain_fn gain, void *user,
                            st_status *error);
/* Output delay in samples: n_fft + delay (a host compensates it; an offline
 * caller drops that many leading output samples and feeds as many zeros at
 * the end). */
ST_API int st_wola_latency(const st_wola *wola);
ST_API int st_wola_bins(const st_wola *wola);
/* Steps of one frame's work (a constant of the object), and steps run since
 * _new (monotonic; reset keeps it): lets a test check the bound above
 * without timing anything. */
ST_API int st_wola_steps(const st_wola *wola);
ST_API uint64_t st_wola_steps_run(const st_wola *wola);
/* n input samples (any n >= 0, any block partition: the result does not
 * depend on it) into n output samples `out` (the gained signal, delayed by
 * the latency) and, when `residual` is not NULL, what the gains removed:
 * residual[i] = d[i] - out[i] computed in float, d being the input delayed
 * by the latency (with non-finite input samples read as 0). `out` or
 * `residual` may be `in` itself (in place), not each other. The gain rule
 * of a frame runs in the call that reaches its step (with delay 0, the call
 * where the frame ends) and reads its `user` data then.
 * Allocation-free; bounded work (above). */
ST_API void st_wola_run(st_wola *wola, const float *in, float *out, float *residual, int n);
/* Clears the signal history: as new (the frames' phase restarts). */
ST_API void st_wola_reset(st_wola *wola);
ST_API void st_wola_free(st_wola *wola);

/* ------------------------------------------------------------------ */
/* Resampling through libsamplerate                                     */
/* ------------------------------------------------------------------ */

typedef struct st_resampler st_resampler;

/* converter: a libsamplerate type (SRC_SINC_FASTEST = 2 is the default when
 * converter < 0). max_block: the largest input block that will be passed.
 * Threads: one st_resampler is used by one thread at a time. */
ST_API st_resampler *st_resampler_new(double input_rate, double output_rate, int converter,
                                      int max_block, st_status *error);
/* Converts `n` input samples (any n; max_block only sizes the internal
 * scratch, larger blocks are split); returns the number written to `out`
 * (a negative st_status on error). `capacity` must be at least
 * st_resampler_max_output(n), else ST_ERROR_ARGUMENT and nothing is
 * consumed. NaN/Inf input samples are converted as 0. Output is delayed by
 * the converter's filter (a few dozen samples for sinc); the count per call
 * varies by +-1 around n * ratio. Block partitioning does not change it. */
ST_API int st_resampler_run(st_resampler *resampler, const float *in, int n, float *out,
                            int capacity);
ST_API int st_resampler_max_output(const st_resampler *resampler, int n);
ST_API void st_resampler_reset(st_resampler *resampler);
ST_API void st_resampler_free(st_resampler *resampler);

/* ------------------------------------------------------------------ */
/* Mel filterbank, log-mel, MFCC                                        */
/* ------------------------------------------------------------------ */

enum {
    ST_MEL_SLANEY = 0,      /* default: Slaney scale and area normalisation (librosa) */
    ST_MEL_HTK = 1 << 0,    /* HTK scale 2595 log10(1 + f/700) */
    ST_MEL_NO_NORM = 1 << 1 /* triangles of height 1 */
};

typedef struct st_melbank st_melbank;

/* fmax <= 0 means sample_rate / 2. NULL and ST_ERROR_ARGUMENT on bad
 * arguments (fmin < 0, fmax <= fmin, fmax > sample_rate / 2, unknown flags).
 * n_fft need not be a power of two here. Filters too narrow to hold a bin
 * stay all-zero, as in librosa.
 * Threads: a bank is read-only after new: any number of threads may run it. */
ST_API st_melbank *st_melbank_new(double sample_rate, int n_fft, int n_mels, double fmin,
                                  double fmax, int flags, st_status *error);
ST_API int st_melbank_mels(const st_melbank *bank);
ST_API int st_melbank_bins(const st_melbank *bank);
/* Weight of FFT bin `bin` in filter `mel` (for tests and plots). */
ST_API double st_melbank_weight(const st_melbank *bank, int mel, int bin);
/* Centre frequency of filter `mel` in Hz. */
ST_API double st_melbank_center_hz(const st_melbank *bank, int mel);
/* mel_power[n_mels] = weights x power[bins]. */
ST_API void st_melbank_run(const st_melbank *bank, const float *power, float *mel_power);
ST_API void st_melbank_free(st_melbank *bank);

ST_API double st_hz_to_mel(double hz, int flags);
ST_API double st_mel_to_hz(double mel, int flags);

/* 10 log10(max(1e-10, S)) in place over n values; top_db > 0 also floors at
 * max - top_db (the max of these n values: pass the whole spectrogram for
 * librosa's power_to_db(top_db=80), one column for a live view). Non-finite
 * values read as 1e-10 (-100 dB). */
ST_API void st_power_to_db(float *values, int n, double top_db);

typedef struct st_mfcc st_mfcc;

/* Orthonormal DCT-II of an n_mels log-mel column, first n_mfcc coefficients.
 * Threads: read-only after new: any number of threads may run it. */
ST_API st_mfcc *st_mfcc_new(int n_mels, int n_mfcc, st_status *error);
ST_API void st_mfcc_run(const st_mfcc *mfcc, const float *log_mel, float *coefficients);
ST_API void st_mfcc_free(st_mfcc *mfcc);

/* ------------------------------------------------------------------ */
/* Cepstral view: the log-mel spectrogram as an image                   */
/* ------------------------------------------------------------------ */

typedef struct st_cepstral st_cepstral;

/* A ring of `frames` log-mel columns of n_mels values (in dB, e.g. from
 * st_power_to_db), analysed as an image of n_mels rows x frames columns with
 * the image RAPSD. n_mels, frames >= 2. Keep n_mels * frames below 512*512
 * for real-time use: larger plans may use FFTW threads (st_set_threads).
 * Non-finite pushed values read as -100 dB. */
/* Real-time note: FFTW executes the n_mels x frames transform without
 * allocating when both are powers of two (measured for 32..256 x 128 with
 * FFTW_ESTIMATE); other heights make its buffered solvers allocate inside
 * st_cepstral_run. The LV2 plugin therefore offers powers of two only. */
/* Threads: one st_cepstral is used by one thread at a time (push in the
 * audio thread and run in a worker need the caller's hand-over). */
ST_API st_cepstral *st_cepstral_new(int n_mels, int frames, st_status *error);
ST_API void st_cepstral_push(st_cepstral *view, const float *log_mel_column);
ST_API int st_cepstral_filled(const st_cepstral *view); /* columns pushed, up to frames */
ST_API int st_cepstral_ring_count(const st_cepstral *view);
/* RAPSD of the window (mean-removed, scaled so the dB range maps to [-1,1]
 * like an image: x = (dB - mean) / 40) into power[ring_count], its ring
 * frequencies into freq (may be NULL) and the power-law fit (every ring but
 * DC; fit may be NULL). Bounded work: one FFT of n_mels x frames. The image
 * has n_mels rows (lowest mel first) and `frames` columns (oldest first).
 * Returns ST_OK once the window is full; before that ST_NOT_READY and
 * nothing is written. A fit that fails (e.g. a constant window) returns its
 * error with power still filled. */
ST_API st_status st_cepstral_run(st_cepstral *view, double *freq, double *power, st_powerlaw *fit);
ST_API void st_cepstral_reset(st_cepstral *view);
ST_API void st_cepstral_free(st_cepstral *view);

/* ------------------------------------------------------------------ */
/* Shape of a plain power spectrum                                      */
/* ------------------------------------------------------------------ */

/* Threads: the shape functions are pure and thread-safe. */

/* *slope = least-squares slope of 10 log10 P against log2 f over
 * [f_low, f_high] Hz, in dB/octave, with points resampled evenly in log f
 * (white noise: 0; pink 1/f: -3.01). bin k has frequency k * bin_hz. 12
 * points per octave, each the mean power of the bins in its 1/12-octave band
 * (log-log interpolation where a band holds fewer than 2 bins). f_low below
 * bin 1 is raised to bin 1 (DC is never used); f_high <= 0 or above the last
 * bin means the last bin. ST_ERROR_ARGUMENT (and *slope untouched) if the
 * range is empty. */
ST_API st_status st_spectral_slope_db_per_octave(const double *power, int bins, double bin_hz,
                                                 double f_low, double f_high, double *slope);
/* *share = monotonicity of a spectrum in [0,1]: the share of adjacent
 * log-spaced bands (1/3 octave, above f_low) whose mean power decreases. A
 * power law reads 1, white noise about 0.5. Whole bands from f_low up to
 * f_high only (same clamping as above); ST_ERROR_ARGUMENT if fewer than 2
 * bands fit. */
ST_API st_status st_monotonicity(const double *power, int bins, double bin_hz, double f_low,
                                 double f_high, double *share);

/* Share of bins (and of energy) whose power is above `level`, in [0,1]: the
 * noise tide with level = tau * sigma^2. Every bin counts (DC included);
 * non-finite or negative powers count as under water with no energy. */
ST_API void st_above_water(const double *power, int bins, double level, double *share_bins,
                           double *share_energy);

#ifdef __cplusplus
}
#endif

#endif /* SPECTIDE_AUDIO_H */
