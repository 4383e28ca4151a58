/* Audio spectra for the command line (see audio_analysis.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "audio_analysis.h"

#include <stdlib.h>
#include <string.h>

int cli_welch(const float *samples, long frames, int n_fft, int hop, double **power, int *bins)
{
    st_stft *stft = st_stft_new(n_fft, hop, NULL);
    if (!stft)
        return CLI_BAD_INPUT;
    *bins = st_stft_bins(stft);
    st_average *average = st_average_new(*bins, 0.0, 1.0, NULL);
    float *zeros = calloc(n_fft, sizeof(float));
    *power = malloc(sizeof(double) * *bins);
    int status = average && zeros && *power ? CLI_OK : CLI_BAD_INPUT;
    for (int pass = 0; pass < 2 && status == CLI_OK; pass++) {
        /* Pass 0: the signal; pass 1: zeros, only if no frame came out. */
        const float *x = pass == 0 ? samples : zeros;
        long n = pass == 0 ? frames : n_fft;
        if (pass == 1 && st_average_frames(average) > 0)
            break;
        while (n > 0) {
            int block = n > 65536 ? 65536 : (int)n;
            int used = st_stft_feed(stft, x, block);
            x += used;
            n -= used;
            if (st_stft_frame_ready(stft))
                st_average_add(average, st_stft_power(stft));
        }
    }
    if (status == CLI_OK)
        memcpy(*power, st_average_power(average), sizeof(double) * *bins);
    st_average_free(average);
    st_stft_free(stft);
    free(zeros);
    if (status != CLI_OK) {
        free(*power);
        *power = NULL;
    }
    return status;
}

long cli_centred_frame_count(long frames, int hop)
{
    return 1 + frames / hop;
}

/* Frame j of the zero-padded signal: samples [j*hop - n_fft/2, j*hop + n_fft/2). */
static void centred_frame(const float *samples, long frames, long j, int hop, int n_fft,
                          float *frame)
{
    long start = j * hop - n_fft / 2;
    for (int i = 0; i < n_fft; i++) {
        long k = start + i;
        frame[i] = k >= 0 && k < frames ? samples[k] : 0.0f;
    }
}

int cli_log_mel(const float *samples, long frames, int rate, int n_fft, int hop, int n_mels,
                double top_db, float **values, long *frame_count)
{
    *values = NULL;
    *frame_count = cli_centred_frame_count(frames, hop);
    st_stft *stft = st_stft_new(n_fft, hop, NULL);
    st_melbank *bank = st_melbank_new(rate, n_fft, n_mels, 0.0, 0.0, ST_MEL_SLANEY, NULL);
    if (!stft || !bank) {
        st_stft_free(stft);
        st_melbank_free(bank);
        return CLI_BAD_USAGE;
    }
    int bins = st_stft_bins(stft);
    float *frame = malloc(sizeof(float) * n_fft);
    float *power = malloc(sizeof(float) * bins);
    float *out = malloc(sizeof(float) * (size_t)*frame_count * n_mels);
    int status = frame && power && out ? CLI_OK : CLI_BAD_INPUT;
    /* st_stft_frame divides |X|^2 by sum(w^2); librosa does not: undo it so
     * the dB values are librosa's. */
    double window_energy = 0.0;
    const float *window = st_stft_window(stft);
    for (int i = 0; i < n_fft; i++)
        window_energy += (double)window[i] * window[i];
    for (long j = 0; j < *frame_count && status == CLI_OK; j++) {
        centred_frame(samples, frames, j, hop, n_fft, frame);
        st_stft_frame(stft, frame, power);
        for (int k = 0; k < bins; k++)
            power[k] = (float)(power[k] * window_energy);
        st_melbank_run(bank, power, out + (size_t)j * n_mels);
    }
    if (status == CLI_OK)
        st_power_to_db(out, (int)(*frame_count * n_mels), top_db);
    free(frame);
    free(power);
    st_stft_free(stft);
    st_melbank_free(bank);
    if (status != CLI_OK)
        free(out);
    else
        *values = out;
    return status;
}
