/* Real-time contract: after st_X_new(), the functions the LV2 plugin calls
 * in run() (feed, power, average, resample, mel, dB, MFCC, cepstral push and
 * run, shape measures, the mask audition) never allocate. Heap calls are counted by
 * tests/common/alloc_count.c (glibc's malloc family replaced, or AddressSanitizer's malloc hook),
 * so the check is real in both builds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_audio.h"
#include "alloc_count.h"
#include "test_util.h"

#include <stddef.h>

int main(void)
{
    alloc_count_init();
    const int n_fft = 2048, hop = 512, bins = n_fft / 2 + 1, n_mels = 128, n_mfcc = 20;
    const int frames = 64, block = 256;
    st_resampler *resampler = st_resampler_new(48000.0, 22050.0, -1, block, NULL);
    st_stft *stft = st_stft_new(n_fft, hop, NULL);
    st_average *average = st_average_new(bins, 1.0, 22050.0 / hop, NULL);
    st_melbank *bank = st_melbank_new(22050.0, n_fft, n_mels, 0.0, 0.0, ST_MEL_SLANEY, NULL);
    st_mfcc *mfcc = st_mfcc_new(n_mels, n_mfcc, NULL);
    st_cepstral *view = st_cepstral_new(n_mels, frames, NULL);
    double water = 0.01;
    st_wola *wola = st_wola_new(n_fft, n_fft / 4, 0, st_water_mask, &water, NULL);
    float *kept = malloc(sizeof(float) * block), *drowned = malloc(sizeof(float) * block);
    int rings = st_cepstral_ring_count(view);
    int capacity = st_resampler_max_output(resampler, block);
    float *input = malloc(sizeof(float) * block), *resampled = malloc(sizeof(float) * capacity);
    float *mel = malloc(sizeof(float) * n_mels), *coefficients = malloc(sizeof(float) * n_mfcc);
    float *frame = malloc(sizeof(float) * n_fft);
    double *ring_power = malloc(sizeof(double) * rings),
           *ring_freq = malloc(sizeof(double) * rings);
    test_rng rng = {4};
    int cepstral_runs = 0, stft_frames = 0;
    double checksum = 0.0;

    /* The audio thread from here on: 3 s of 48 kHz audio in host blocks. */
    alloc_count_begin();
    for (int b = 0; b < 48000 * 3 / block; b++) {
        for (int i = 0; i < block; i++)
            input[i] = (float)(0.1 * test_rng_gaussian(&rng));
        st_wola_run(wola, input, kept, drowned, block);
        checksum += kept[0] + drowned[0];
        int got = st_resampler_run(resampler, input, block, resampled, capacity);
        const float *x = resampled;
        while (got > 0) {
            int used = st_stft_feed(stft, x, got);
            x += used;
            got -= used;
            if (!st_stft_frame_ready(stft))
                continue;
            const float *power = st_stft_power(stft);
            st_average_add(average, power);
            st_melbank_run(bank, power, mel);
            st_power_to_db(mel, n_mels, 80.0);
            st_mfcc_run(mfcc, mel, coefficients);
            st_cepstral_push(view, mel);
            st_stft_inverse(stft, st_stft_spectrum(stft), frame);
            stft_frames++;
            st_powerlaw fit;
            if (st_cepstral_run(view, ring_freq, ring_power, &fit) == ST_OK) {
                cepstral_runs++;
                checksum += fit.alpha;
            }
            const double *avg = st_average_power(average);
            double share_bins, share_energy;
            double slope = 0.0, monotonicity = 0.0;
            st_spectral_slope_db_per_octave(avg, bins, 22050.0 / n_fft, 50.0, 0.0, &slope);
            st_monotonicity(avg, bins, 22050.0 / n_fft, 50.0, 0.0, &monotonicity);
            checksum += slope + monotonicity;
            st_above_water(avg, bins, 0.01, &share_bins, &share_energy);
        }
    }
    alloc_count_end();
    CHECK(alloc_count_total() == 0, "%ld heap calls in the real-time path", alloc_count_total());
    CHECK(stft_frames > frames && cepstral_runs > 0 && isfinite(checksum),
          "pipeline ran: %d frames, %d cepstral runs", stft_frames, cepstral_runs);
    printf("real-time path: %d STFT frames, %d cepstral runs, %ld allocations\n", stft_frames,
           cepstral_runs, alloc_count_total());

    /* The counter itself works. */
    alloc_count_begin();
    void *volatile probe = malloc(16);
    alloc_count_end();
    CHECK(alloc_count_total() == 1, "allocation counter missed a malloc");
    free(probe);

    free(input);
    free(kept);
    free(drowned);
    st_wola_free(wola);
    free(resampled);
    free(mel);
    free(coefficients);
    free(frame);
    free(ring_power);
    free(ring_freq);
    st_resampler_free(resampler);
    st_stft_free(stft);
    st_average_free(average);
    st_melbank_free(bank);
    st_mfcc_free(mfcc);
    st_cepstral_free(view);
    return test_result("test_realtime");
}
