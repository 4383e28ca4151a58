/* Work of the analysis alone, for callgrind (bench/lv2/callgrind_cost.sh
 * counts the instructions of two runs and divides the difference by the
 * seconds of audio between them, so start-up cancels):
 *   core_cost path fir FRAMES   the plugin's default analysis driven from
 *                               core objects, 48 kHz host in 256-frame
 *                               blocks: st_fir_resampler to 22050 Hz,
 *                               spectrum STFT 4096 / hop 1024 with the
 *                               exponential average, peak and shape
 *                               measures per frame, mel STFT 2048 / hop 512,
 *                               128 mels, log-mel, 20 MFCCs, the cepstral
 *                               RAPSD of 128 x 128 every 8 columns;
 *   core_cost path src FRAMES   the same with libsamplerate's SINC_FASTEST
 *                               (st_resampler), the path before;
 *   core_cost floor FRAMES      one 4096-point fftwf r2c per 1024-sample hop
 *                               of the 22050 Hz analysis signal (21.5 per
 *                               second: the spectrum's bare FFT, the floor).
 * FRAMES: 48 kHz input frames (lv2bench's -n). The input is a fixed
 * pseudo-random signal generated outside the counted objects.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_audio.h"
#include "spectide_realtime.h"

#include <fftw3.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOST_RATE      48000.0
#define ANALYSIS_RATE  22050.0
#define BLOCK          256
#define MELS           128
#define COLUMNS        128
#define CEPSTRAL_EVERY 8

/* About a second of input (a whole number of blocks), made before the
 * counted loop and cycled. */
#define INPUT_FRAMES (188 * BLOCK)

static void fill(float *x, int n, unsigned *seed)
{
    for (int i = 0; i < n; i++) {
        *seed = *seed * 1664525u + 1013904223u;
        x[i] = (float)((*seed >> 8) / 16777216.0 - 0.5) * 0.2f;
    }
}

static int floor_fft(long frames)
{
    const int n = 4096, hop = 1024;
    float *in = fftwf_malloc(sizeof(float) * n);
    fftwf_complex *out = fftwf_malloc(sizeof(fftwf_complex) * (n / 2 + 1));
    fftwf_plan plan = fftwf_plan_dft_r2c_1d(n, in, out, FFTW_ESTIMATE);
    unsigned seed = 1;
    fill(in, n, &seed);
    double check = 0.0;
    /* Hops of the analysis signal in FRAMES host frames. */
    long hops = (long)((double)frames * ANALYSIS_RATE / HOST_RATE) / hop;
    for (long i = 0; i < hops; i++) {
        fftwf_execute(plan);
        check += out[1][0];
    }
    printf("floor: %ld frames, check %g\n", frames, check);
    fftwf_destroy_plan(plan);
    fftwf_free(in);
    fftwf_free(out);
    return 0;
}

static int path(long frames, int use_fir)
{
    const int n_fft = 4096, hop = n_fft / 4, mel_fft = 2048, mel_hop = mel_fft / 4;
    const int bins = n_fft / 2 + 1;
    st_status error;
    st_fir_resampler *fir =
        use_fir ? st_fir_resampler_new(HOST_RATE, ANALYSIS_RATE, NULL, &error) : NULL;
    st_resampler *src =
        use_fir ? NULL : st_resampler_new(HOST_RATE, ANALYSIS_RATE, -1, BLOCK, NULL);
    st_stft *spectrum = st_stft_new(n_fft, hop, NULL);
    st_average *average = st_average_new(bins, 1.0, ANALYSIS_RATE / hop, NULL);
    st_stft *mel_stft = st_stft_new(mel_fft, mel_hop, NULL);
    st_melbank *bank = st_melbank_new(ANALYSIS_RATE, mel_fft, MELS, 0.0, 0.0, ST_MEL_SLANEY, NULL);
    st_mfcc *mfcc = st_mfcc_new(MELS, 20, NULL);
    st_cepstral *cepstral = st_cepstral_new(MELS, COLUMNS, NULL);
    if ((!fir && !src) || !spectrum || !average || !mel_stft || !bank || !mfcc || !cepstral) {
        fprintf(stderr, "core_cost: could not create the objects\n");
        return 1;
    }
    int rings = st_cepstral_ring_count(cepstral);
    double *ring_power = malloc(sizeof(double) * rings),
           *ring_freq = malloc(sizeof(double) * rings);
    float *peak = calloc(bins, sizeof(float));
    float *input = malloc(sizeof(float) * INPUT_FRAMES), out[BLOCK + 16], mel[MELS],
          coefficients[20];
    unsigned seed = 1;
    fill(input, INPUT_FRAMES, &seed);
    double check = 0.0;
    int columns = 0;
    const double bin_hz = ANALYSIS_RATE / n_fft;
    for (long done = 0; done + BLOCK <= frames; done += BLOCK) {
        const float *in = input + (done % INPUT_FRAMES);
        int got = use_fir ? st_fir_resampler_run(fir, in, BLOCK, out, BLOCK + 16)
                          : st_resampler_run(src, in, BLOCK, out, BLOCK + 16);
        const float *x = out;
        int left = got;
        while (left > 0) {
            int used = st_stft_feed(spectrum, x, left);
            x += used;
            left -= used;
            if (st_stft_frame_ready(spectrum)) {
                const float *power = st_stft_power(spectrum);
                st_average_add(average, power);
                for (int k = 0; k < bins; k++)
                    peak[k] = power[k] > peak[k] ? power[k] : peak[k];
                const double *avg = st_average_power(average);
                double share_bins, share_energy;
                double slope = 0.0;
                st_spectral_slope_db_per_octave(avg, bins, bin_hz, fmax(50.0, 4 * bin_hz),
                                                0.4 * ANALYSIS_RATE, &slope);
                check += slope;
                st_above_water(avg, bins, 1e-4, &share_bins, &share_energy);
                check += share_bins;
            }
        }
        x = out;
        left = got;
        while (left > 0) {
            int used = st_stft_feed(mel_stft, x, left);
            x += used;
            left -= used;
            if (st_stft_frame_ready(mel_stft)) {
                st_melbank_run(bank, st_stft_power(mel_stft), mel);
                st_power_to_db(mel, MELS, 0.0);
                st_mfcc_run(mfcc, mel, coefficients);
                st_cepstral_push(cepstral, mel);
                check += coefficients[1];
                if (++columns % CEPSTRAL_EVERY == 0 && st_cepstral_filled(cepstral) == COLUMNS) {
                    st_powerlaw fit;
                    if (st_cepstral_run(cepstral, ring_freq, ring_power, &fit) == ST_OK)
                        check += fit.alpha;
                }
            }
        }
    }
    printf("path %s: %ld frames, %d mel columns, check %g\n", use_fir ? "fir" : "src", frames,
           columns, check);
    free(input);
    free(ring_power);
    free(ring_freq);
    free(peak);
    st_fir_resampler_free(fir);
    st_resampler_free(src);
    st_stft_free(spectrum);
    st_average_free(average);
    st_stft_free(mel_stft);
    st_melbank_free(bank);
    st_mfcc_free(mfcc);
    st_cepstral_free(cepstral);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "floor"))
        return floor_fft(atol(argv[2]));
    if (argc >= 4 && !strcmp(argv[1], "path") &&
        (!strcmp(argv[2], "fir") || !strcmp(argv[2], "src")))
        return path(atol(argv[3]), !strcmp(argv[2], "fir"));
    fprintf(stderr, "usage: core_cost floor FRAMES | core_cost path fir|src FRAMES\n");
    return 2;
}
