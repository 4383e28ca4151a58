/* Audio spectra for the command line, all numbers from core/: the Welch
 * spectrum of a whole file, and the librosa-style log-mel spectrogram
 * (centred frames, zero padding of n_fft/2 on both sides).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_CLI_AUDIO_ANALYSIS_H
#define SPECTIDE_CLI_AUDIO_ANALYSIS_H

#include "cli.h"
#include "spectide_audio.h"

/* Linear-power mean of the streaming analyser's frames over the whole
 * signal (docs/conventions.md normalisation: white noise of variance v reads v).
 * A signal shorter than n_fft is padded with zeros to one frame.
 * power[bins] is malloc'ed. CLI_OK or CLI_BAD_INPUT. */
int cli_welch(const float *samples, long frames, int n_fft, int hop, double **power, int *bins);

/* Number of centred frames for `frames` samples: 1 + floor(frames / hop). */
long cli_centred_frame_count(long frames, int hop);

/* Log-mel spectrogram as librosa.feature.melspectrogram + power_to_db:
 * power |X|^2 of each centred frame (unnormalised, librosa's scale), Slaney
 * mel filterbank (fmin 0, fmax rate/2), 10 log10(max(1e-10, S)), floored at
 * max - top_db when top_db > 0. values[frame * n_mels + mel], malloc'ed. */
int cli_log_mel(const float *samples, long frames, int rate, int n_fft, int hop, int n_mels,
                double top_db, float **values, long *frame_count);

#endif
