/* spectide core: streaming objects with bounded work per call, for an audio
 * thread whose every call must finish within a fraction of the block.
 *
 * - st_fir_resampler: a polyphase FIR rational resampler (Kaiser-windowed
 *   sinc designed in code), the fixed-rate analysis path of the LV2 plugin.
 * - st_sliced_fft: a real FFT of size N executed in slices of bounded work
 *   (the "four-step" decomposition N/2 = N1 x N2 with FFTW sub-plans).
 * - st_sliced_stft: a streaming STFT analyser whose transforms advance a
 *   fixed amount of work per input sample, each frame ready a fixed number
 *   of samples after its last one.
 * - st_spectral_gate: STFT, keep the bins above a power level, overlap-add
 *   resynthesis, with the same bounded work per sample.
 * - st_sliced_cepstral: st_cepstral's view (the log-mel window's RAPSD and
 *   power-law fit) computed in steps.
 *
 * Every function but _new and _free is allocation-free and does work
 * bounded by its input length (plus at most one step of fixed size).
 * Results do not depend on how the input is cut into blocks. The numerical
 * conventions (spectrum scaling, the cepstral view) are docs/conventions.md's;
 * the API and error conventions spectide.h's; why these objects exist and
 * what they cost: docs/analysis-rate.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_REALTIME_H
#define SPECTIDE_REALTIME_H

#include "spectide.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Polyphase FIR rational resampler                                     */
/* ------------------------------------------------------------------ */

/* Converts between two integer sample rates by L/M = output/input (reduced).
 * One linear-phase low-pass prototype, a Kaiser-windowed sinc at L x the
 * input rate, split into L phases of `taps` coefficients: each output
 * sample is one dot product of `taps` input samples.
 *
 * Design (band edges as fractions of the lower of the two Nyquist
 * frequencies, so that the same numbers hold when decimating and when
 * interpolating):
 *   passband [0, passband]: gain 1 within the ripple 10^(-A/20) (A = the
 *     attenuation below; 110 dB gives +-0.00003 dB);
 *   stopband [stopband, ...): at least A dB down, so nothing above the lower
 *     Nyquist aliases (or images) into [0, lower Nyquist) above -A dB when
 *     stopband = 1;
 *   length: the Kaiser estimate N - 1 = (A - 7.95) / (2.285 dw) with dw the
 *     transition width in radians at the prototype rate, rounded up to a
 *     whole number of taps per phase, a multiple of 8; beta = 0.1102 (A - 8.7).
 * Group delay: (N - 1) / 2 prototype samples, st_fir_resampler_delay.
 * Threads: one object per thread; new and free are thread-safe. */
typedef struct st_fir_resampler st_fir_resampler;

typedef struct {
    double passband;       /* passband edge, fraction of the lower Nyquist (default 0.8) */
    double stopband;       /* stopband edge, same unit, > passband (default 1.0) */
    double attenuation_db; /* stopband attenuation and passband ripple (default 110) */
} st_fir_design;

/* The defaults above: passband 0.8 (the 80% bandwidth of libsamplerate's
 * SINC_FASTEST, which the plugin used before), stopband 1.0, 110 dB. */
ST_API st_fir_design st_fir_design_default(void);

/* input_rate and output_rate: whole numbers of Hz (1 to 10^7); their reduced
 * ratio L/M must have L <= 4096 and M <= 65536, and the filter at most 2^22
 * coefficients (e.g. 48000 -> 22050 is 147/320 with 160 taps per phase).
 * design NULL means st_fir_design_default(). NULL with *error =
 * ST_ERROR_ARGUMENT for rates or a design outside these bounds (non-integer
 * rates among them: use the libsamplerate st_resampler then),
 * ST_ERROR_MEMORY when allocation fails. */
ST_API st_fir_resampler *st_fir_resampler_new(double input_rate, double output_rate,
                                              const st_fir_design *design, st_status *error);
/* Converts n input samples (any n >= 0, any block partition: the output
 * sequence is the same sample for sample); returns the number written to
 * out, or ST_ERROR_ARGUMENT with nothing consumed when capacity is below
 * st_fir_resampler_max_output(n) or a pointer is NULL with n > 0. NaN and
 * Inf input samples are converted as 0 (they would ring through the filter
 * memory otherwise) and counted. Output j is the filtered input at input
 * time (j M - (N - 1) / 2) / L: it starts with the filter's rise from the
 * zeros before the first sample. */
ST_API int st_fir_resampler_run(st_fir_resampler *resampler, const float *in, int n, float *out,
                                int capacity);
/* Upper bound of the output count of one run of n input samples:
 * ceil(n L / M) + 1. */
ST_API int st_fir_resampler_max_output(const st_fir_resampler *resampler, int n);
/* Coefficients per phase (multiply-adds per output sample). */
ST_API int st_fir_resampler_taps(const st_fir_resampler *resampler);
/* L and M of the reduced ratio output/input = L/M. */
ST_API void st_fir_resampler_ratio(const st_fir_resampler *resampler, int *up, int *down);
/* Group delay in input samples, (N - 1) / (2 L), and in output samples,
 * (N - 1) / (2 M): a feature at input time t appears at output time
 * t + delay (linear phase: the same at every frequency). */
ST_API double st_fir_resampler_delay_input(const st_fir_resampler *resampler);
ST_API double st_fir_resampler_delay_output(const st_fir_resampler *resampler);
/* |H(f)| of the prototype as used (float coefficients), normalised so that
 * the passband reads 1; f in Hz. O(N): for tests and documentation. */
ST_API double st_fir_resampler_response(const st_fir_resampler *resampler, double hz);
/* Non-finite input samples replaced so far (monotonic). */
ST_API uint64_t st_fir_resampler_bad_samples(const st_fir_resampler *resampler);
/* Back to the state after _new (zeros before the next sample). */
ST_API void st_fir_resampler_reset(st_fir_resampler *resampler);
ST_API void st_fir_resampler_free(st_fir_resampler *resampler);

/* ------------------------------------------------------------------ */
/* Sliced real FFT                                                      */
/* ------------------------------------------------------------------ */

/* A real-to-complex (forward) or complex-to-real (backward) FFT of size n,
 * unnormalised like FFTW's r2c / c2r and equal to them to float rounding,
 * executed in a fixed number of steps of about the same work each:
 *   z[m] = x[2m] + i x[2m+1] (n/2 complex points), n/2 = N1 x N2;
 *   N1 FFTs of size N2 over strided columns, twiddles, N2 FFTs of size N1
 *   (FFTW sub-plans over batches), then the real/complex split.
 * A transform of n <= max_step_points (or when n/2 cannot be split) is one
 * step: one plain FFTW plan.
 * Usage: fill st_sliced_fft_input(), st_sliced_fft_start(), then
 * st_sliced_fft_step() until it returns 0 (or st_sliced_fft_execute for all
 * steps); the result is in st_sliced_fft_output(). The input must not
 * change until the transform is done; the output is overwritten from the
 * first step of the next transform on.
 * Threads: one object per thread; new and free are thread-safe. */
typedef struct st_sliced_fft st_sliced_fft;

typedef enum {
    ST_FFT_FORWARD = 0, /* real n -> complex n/2 + 1 (re, im pairs) */
    ST_FFT_BACKWARD = 1 /* complex n/2 + 1 -> real n (imaginary DC and Nyquist ignored) */
} st_fft_direction;

/* n a power of two in [4, 2^24]; max_step_points >= 64 (e.g. 4096): the
 * largest number of complex points one step transforms. NULL with *error =
 * ST_ERROR_ARGUMENT or ST_ERROR_MEMORY. */
ST_API st_sliced_fft *st_sliced_fft_new(int n, st_fft_direction direction, int max_step_points,
                                        st_status *error);
ST_API int st_sliced_fft_size(const st_sliced_fft *fft);
/* Forward: n floats; backward: n/2 + 1 (re, im) pairs. FFTW-aligned. */
ST_API float *st_sliced_fft_input(st_sliced_fft *fft);
/* Forward: n/2 + 1 (re, im) pairs; backward: n floats. */
ST_API const float *st_sliced_fft_output(const st_sliced_fft *fft);
/* Steps of one transform (a constant of the object). */
ST_API int st_sliced_fft_steps(const st_sliced_fft *fft);
/* Begins a transform of the current input (abandons one in progress). */
ST_API void st_sliced_fft_start(st_sliced_fft *fft);
/* Runs at most `steps` steps of the transform in progress; returns the
 * steps still left (0: the output is ready, or no transform was started). */
ST_API int st_sliced_fft_step(st_sliced_fft *fft, int steps);
ST_API int st_sliced_fft_remaining(const st_sliced_fft *fft);
/* start + every step. */
ST_API void st_sliced_fft_execute(st_sliced_fft *fft);
ST_API void st_sliced_fft_free(st_sliced_fft *fft);

/* ------------------------------------------------------------------ */
/* Streaming STFT with bounded work per sample                          */
/* ------------------------------------------------------------------ */

/* The same analysis as st_stft (periodic Hann, hop, P(k) = |X(k)|^2 /
 * sum(w^2), white noise of variance sigma^2 reads sigma^2 in every bin),
 * but the work of a frame (windowing, FFT, power) is spread over the
 * `delay` samples that follow it: after each input sample the transform
 * has advanced to floor(steps * elapsed / delay) of its steps, so a call of
 * b samples does at most steps * b / delay + b / hop + 2 steps, whatever the
 * block partition, and the frame is ready exactly `delay` samples after
 * its last sample (the frame content is the same as st_stft's; only its
 * readiness is later). delay 0: each frame is computed whole when it
 * completes, as st_stft does.
 * Threads: one object per thread; new and free are thread-safe. */
typedef struct st_sliced_stft st_sliced_stft;

/* n_fft a power of two in [256, 65536]; 1 <= hop <= n_fft; 0 <= delay <= hop;
 * max_step_points as st_sliced_fft (also bounds the windowing and power
 * steps). NULL with *error set on bad arguments or memory shortage. */
ST_API st_sliced_stft *st_sliced_stft_new(int n_fft, int hop, int delay, int max_step_points,
                                          st_status *error);
ST_API int st_sliced_stft_bins(const st_sliced_stft *stft);
ST_API int st_sliced_stft_hop(const st_sliced_stft *stft);
ST_API int st_sliced_stft_delay(const st_sliced_stft *stft);
/* Steps of work per frame (windowing, FFT, power). */
ST_API int st_sliced_stft_steps(const st_sliced_stft *stft);
/* Feeds up to n samples and stops right after a frame becomes ready, like
 * st_stft_feed; returns the number consumed. Non-finite samples are
 * replaced by 0 and counted. The first frame covers the first n_fft samples
 * and is ready after n_fft + delay samples, then one every hop samples. */
ST_API int st_sliced_stft_feed(st_sliced_stft *stft, const float *samples, int n);
ST_API int st_sliced_stft_frame_ready(const st_sliced_stft *stft);
/* The ready frame's power (bins values) and complex spectrum (bins re, im
 * pairs, FFTW's unnormalised r2c of the windowed frame); reading the power
 * clears the ready flag. Valid until the next frame's work begins, i.e.
 * until the next feed that consumes a sample. */
ST_API const float *st_sliced_stft_power(st_sliced_stft *stft);
ST_API const float *st_sliced_stft_spectrum(const st_sliced_stft *stft);
ST_API uint64_t st_sliced_stft_bad_samples(const st_sliced_stft *stft);
/* Steps run since _new (monotonic; reset keeps it): lets a test check the
 * bound on the work of each call without timing anything. */
ST_API uint64_t st_sliced_stft_steps_run(const st_sliced_stft *stft);
ST_API void st_sliced_stft_reset(st_sliced_stft *stft);
ST_API void st_sliced_stft_free(st_sliced_stft *stft);

/* ------------------------------------------------------------------ */
/* Spectral gate: keep the STFT bins above a level, resynthesise        */
/* ------------------------------------------------------------------ */

/* Periodic Hann analysis and synthesis windows, hop n_fft / R with R >= 4 a
 * power of two (the squared windows then sum to 3R/8 at every sample), a
 * bin kept when its power (as st_stft: |X|^2 / sum(w^2)) is above `level`.
 * Each frame's work (window, forward FFT, mask, inverse FFT, overlap-add)
 * is spread over the `delay` samples after it, like st_sliced_stft, so the
 * output is the input delayed by latency = n_fft + delay samples (the gate
 * with every bin kept). Frames end at input samples hop/2 + m hop (m >= 0),
 * after a start as if n_fft - hop/2 zeros had preceded the input, so that
 * the first samples are reconstructed too and the frames fall half a hop
 * away from those of an st_sliced_stft of the same hop.
 * Threads: one object per thread; new and free are thread-safe. */
typedef struct st_spectral_gate st_spectral_gate;

/* n_fft a power of two in [256, 65536]; hop = n_fft / R, R a power of two
 * >= 4; 0 <= delay <= hop (one frame's work ends before the next frame's
 * begins); max_step_points as st_sliced_fft. */
ST_API st_spectral_gate *st_spectral_gate_new(int n_fft, int hop, int delay, int max_step_points,
                                              st_status *error);
ST_API int st_spectral_gate_latency(const st_spectral_gate *gate);
ST_API int st_spectral_gate_steps(const st_spectral_gate *gate);
/* Steps run since _new (monotonic), as st_sliced_stft_steps_run. */
ST_API uint64_t st_spectral_gate_steps_run(const st_spectral_gate *gate);
/* in -> kept (the bins above level, delayed by the latency) and, when
 * `removed` is not NULL, the delayed input minus kept. kept and removed
 * may not alias in. Non-finite input samples count as 0. A frame is masked
 * with the level passed in the call where its last sample arrives. */
ST_API void st_spectral_gate_run(st_spectral_gate *gate, const float *in, float *kept,
                                 float *removed, int n, double level);
/* Clears the state (the zeros before the input, the output). */
ST_API void st_spectral_gate_reset(st_spectral_gate *gate);
ST_API void st_spectral_gate_free(st_spectral_gate *gate);

/* ------------------------------------------------------------------ */
/* Cepstral view in steps                                               */
/* ------------------------------------------------------------------ */

/* The same analysis as st_cepstral (a ring of `frames` log-mel columns of
 * n_mels dB values seen as an image of n_mels rows x frames columns, x =
 * (dB - mean) / 40, its pysteps-compatible RAPSD and the power-law fit over
 * every ring but DC), computed in st_sliced_cepstral_steps() steps of about
 * max_step_points values each, so that an audio thread can spread it over
 * several calls. st_sliced_cepstral_start() snapshots the window (one copy
 * of n_mels x frames floats); columns pushed while the steps run belong to
 * the next analysis. Non-finite pushed values read as -100 dB.
 * Threads: one object per thread; new and free are thread-safe. */
typedef struct st_sliced_cepstral st_sliced_cepstral;

/* n_mels and frames powers of two in [8, 4096] (FFTW then transforms without
 * allocating); max_step_points >= 64. */
ST_API st_sliced_cepstral *st_sliced_cepstral_new(int n_mels, int frames, int max_step_points,
                                                  st_status *error);
ST_API void st_sliced_cepstral_push(st_sliced_cepstral *view, const float *log_mel_column);
ST_API int st_sliced_cepstral_filled(const st_sliced_cepstral *view);
ST_API int st_sliced_cepstral_ring_count(const st_sliced_cepstral *view);
ST_API int st_sliced_cepstral_steps(const st_sliced_cepstral *view);
/* Snapshots the window and begins an analysis (abandoning one in
 * progress); ST_NOT_READY (nothing started) before `frames` columns were
 * pushed. */
ST_API st_status st_sliced_cepstral_start(st_sliced_cepstral *view);
/* Runs at most `steps` steps; returns the steps left (0: done or idle). */
ST_API int st_sliced_cepstral_step(st_sliced_cepstral *view, int steps);
ST_API int st_sliced_cepstral_remaining(const st_sliced_cepstral *view);
/* After the last step: ring frequencies (cycles/pixel) and RAPSD into freq
 * and power (ring_count values each; either may be NULL) and the fit;
 * returns the fit's status (ST_OK, or its error with power filled), or
 * ST_NOT_READY (nothing written) while the analysis started last has not
 * completed. */
ST_API st_status st_sliced_cepstral_result(const st_sliced_cepstral *view, double *freq,
                                           double *power, st_powerlaw *fit);
ST_API void st_sliced_cepstral_reset(st_sliced_cepstral *view);
ST_API void st_sliced_cepstral_free(st_sliced_cepstral *view);

#ifdef __cplusplus
}
#endif

#endif /* SPECTIDE_REALTIME_H */
