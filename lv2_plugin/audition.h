/* spectide.lv2: the audition path's mask and residual: an STFT
 * resynthesis that keeps the bins whose frame power is above a level (or
 * what it removed), the samples of `spectide tide-audio --mode mask|residual`.
 * Allocation only in stl_mask_new (activate() or the worker); stl_mask_run
 * is real-time safe and bounded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_LV2_AUDITION_H
#define SPECTIDE_LV2_AUDITION_H

typedef struct stl_mask stl_mask;

/* Core's st_wola (periodic Hann analysis and synthesis, hop n_fft/4, frame
 * by frame hard mask st_water_mask): docs/conventions.md. Each
 * frame's work is spread over st_realtime_delay(n_fft, n_fft/4) samples
 * (0 up to 4096 points, half a hop above), so no run() does a whole large
 * FFT pair. Latency: n_fft + that delay (the latency port). */
stl_mask *stl_mask_new(int n_fft);
int stl_mask_latency(const stl_mask *mask);
/* Clears the signal history (st_wola_reset). */
void stl_mask_reset(stl_mask *mask);
/* in -> kept (bins above `level`, delayed by the latency) and, when
 * `removed` is not NULL, the delayed input minus kept. Non-finite input
 * samples count as 0. */
void stl_mask_run(stl_mask *mask, const float *in, float *kept, float *removed, int n,
                  double level);
void stl_mask_free(stl_mask *mask);

#endif /* SPECTIDE_LV2_AUDITION_H */
