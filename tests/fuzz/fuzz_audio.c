/* Fuzz target: the audio analysis chain on arbitrary samples.
 *
 * Input: FFT size, hop, mel bands, sample rate, mel flags, top_db, a sample
 * mode (16-bit PCM-like, or raw float bit patterns with NaN/Inf/denormals),
 * then the samples, cycled to a few FFT lengths and fed in block sizes
 * taken from the input. Runs resampler, STFT, Welch average, mel filterbank,
 * log-mel, MFCC, the cepstral view and the spectrum shape measures, and
 * checks the API's promises: non-finite samples are counted and replaced,
 * power is finite and non-negative for bounded samples, feeding consumes
 * what it says, the resampler never writes past its capacity.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz_input.h"
#include "spectide_audio.h"

#include <math.h>

#define MAX_SAMPLES 16384

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const double rates[] = {8000, 11025, 16000, 22050, 44100, 48000, 96000, 192000, 1, 7};
    fuzz_input in = {data, size, 0};
    int n_fft = 1 << (8 + take_u8(&in) % 5); /* 256 .. 4096 */
    int hop = 1 + take_u16(&in) % n_fft;
    int mels = take_u8(&in); /* 0..255: 0 and 1 must be refused or work */
    double rate = rates[take_u8(&in) % 10];
    double out_rate = rates[take_u8(&in) % 10];
    int flags = take_u8(&in) % 5; /* 4 is an unknown flag */
    double top_db = take_u8(&in) % 3 == 0 ? 0 : take_u8(&in);
    int raw_floats = take_u8(&in) & 1;
    int n_mfcc = take_u8(&in) % 40;
    int columns = 2 + take_u8(&in) % 16;

    /* Samples: the rest of the input, cycled to at least 3 FFT lengths. */
    size_t bytes_per_sample = raw_floats ? 4 : 2;
    size_t given = remaining(&in) / bytes_per_sample;
    if (given == 0) {
        return 0;
    }
    size_t count = given < (size_t)(3 * n_fft) ? (size_t)(3 * n_fft) : given;
    if (count > MAX_SAMPLES) {
        count = MAX_SAMPLES;
    }
    float *samples = malloc(count * sizeof(float));
    size_t first = in.at;
    uint64_t nonfinite = 0;
    int bounded = 1;
    for (size_t i = 0; i < count; i++) {
        if (i % given == 0) {
            in.at = first;
        }
        float v = raw_floats ? take_float_bits(&in) : (int16_t)take_u16(&in) / 32768.0f;
        nonfinite += !isfinite(v);
        if (isfinite(v) && fabsf(v) > 1e4f) {
            bounded = 0;
        }
        samples[i] = v;
    }

    st_resampler *resampler = st_resampler_new(rate, out_rate, -1, 512, NULL);
    if (resampler) {
        int capacity = st_resampler_max_output(resampler, 700);
        FUZZ_CHECK(capacity >= 0);
        float *converted = malloc((size_t)(capacity + 1) * sizeof(float));
        converted[capacity] = 12345.0f; /* guard value */
        for (size_t at = 0; at < count; at += 700) {
            int n = count - at < 700 ? (int)(count - at) : 700;
            int written = st_resampler_run(resampler, samples + at, n, converted, capacity);
            FUZZ_CHECK(written >= 0 && written <= capacity);
            for (int i = 0; i < written; i++) {
                FUZZ_CHECK(!bounded || isfinite(converted[i]));
            }
        }
        FUZZ_CHECK(st_resampler_run(resampler, samples, 700, converted, capacity - 1) < 0 ||
                   capacity - 1 >= st_resampler_max_output(resampler, 700));
        FUZZ_CHECK(converted[capacity] == 12345.0f);
        free(converted);
        st_resampler_free(resampler);
    }

    st_stft *stft = st_stft_new(n_fft, hop, NULL);
    FUZZ_CHECK(stft != NULL);
    int bins = st_stft_bins(stft);
    FUZZ_CHECK(bins == n_fft / 2 + 1);
    st_melbank *bank = st_melbank_new(rate > 100 ? rate : 22050, n_fft, mels, 0, 0, flags, NULL);
    FUZZ_CHECK(flags != 4 || bank == NULL);
    int n_mels = bank ? st_melbank_mels(bank) : 0;
    st_mfcc *mfcc = n_mels ? st_mfcc_new(n_mels, n_mfcc, NULL) : NULL;
    st_cepstral *cepstral = n_mels >= 2 ? st_cepstral_new(n_mels, columns, NULL) : NULL;
    st_average *average = st_average_new(bins, hop % 3 ? 0.5 : 0, 20.0, NULL);
    float *mel = malloc((size_t)(n_mels + 1) * sizeof(float));
    float *coefficients = malloc((size_t)(n_mfcc + 1) * sizeof(float));
    float *frame = malloc((size_t)n_fft * sizeof(float));
    float *spectrum = malloc((size_t)(2 * bins) * sizeof(float));
    int rings = cepstral ? st_cepstral_ring_count(cepstral) : 0;
    double *ring_freq = malloc((size_t)(rings + 1) * sizeof(double));
    double *ring_power = malloc((size_t)(rings + 1) * sizeof(double));

    const float *x = samples;
    size_t left = count;
    long frames = 0;
    while (left > 0) {
        int block = 1 + take_u16(&in) % 4096;
        int n = left < (size_t)block ? (int)left : block;
        while (n > 0) {
            int used = st_stft_feed(stft, x, n);
            FUZZ_CHECK(used >= 0 && used <= n);
            x += used;
            n -= used;
            left -= (size_t)used;
            if (!st_stft_frame_ready(stft)) {
                FUZZ_CHECK(used > 0);
                continue;
            }
            frames++;
            memcpy(spectrum, st_stft_spectrum(stft), sizeof(float) * 2 * (size_t)bins);
            const float *power = st_stft_power(stft);
            FUZZ_CHECK(!st_stft_frame_ready(stft));
            for (int k = 0; k < bins; k++) {
                FUZZ_CHECK(!bounded || (isfinite(power[k]) && power[k] >= 0));
            }
            st_average_add(average, power);
            if (bank) {
                st_melbank_run(bank, power, mel);
                st_power_to_db(mel, n_mels, top_db);
                for (int m = 0; m < n_mels; m++) {
                    FUZZ_CHECK(!bounded || (isfinite(mel[m]) && mel[m] >= -100.0f - 1e-3f));
                }
                if (mfcc) {
                    st_mfcc_run(mfcc, mel, coefficients);
                }
                if (cepstral) {
                    st_cepstral_push(cepstral, mel);
                    if (frames % 3 == 0) {
                        st_powerlaw fit;
                        st_status status = st_cepstral_run(cepstral, ring_freq, ring_power, &fit);
                        FUZZ_CHECK(status == ST_OK || st_cepstral_filled(cepstral) < columns ||
                                   status == ST_ERROR_ARGUMENT || status == ST_ERROR_NOT_FINITE);
                    }
                }
            }
            st_stft_inverse(stft, spectrum, frame);
            for (int i = 0; i < n_fft; i++) {
                FUZZ_CHECK(!bounded || isfinite(frame[i]));
            }
        }
    }
    FUZZ_CHECK(st_stft_bad_samples(stft) == nonfinite);
    FUZZ_CHECK(frames == (count >= (size_t)n_fft ? 1 + (long)(count - (size_t)n_fft) / hop : 0));

    st_stft_frame(stft, samples, frame);
    const double *mean = st_average_power(average);
    double bin_hz = (rate > 100 ? rate : 22050) / n_fft;
    double slope, monotonicity;
    st_spectral_slope_db_per_octave(mean, bins, bin_hz, 0, 0, &slope);
    st_monotonicity(mean, bins, bin_hz, 50, 0, &monotonicity);
    double share_bins, share_energy;
    st_above_water(mean, bins, 1e-3, &share_bins, &share_energy);
    FUZZ_CHECK(share_bins >= 0 && share_bins <= 1);
    FUZZ_CHECK(!(share_energy < 0) && !(share_energy > 1));

    st_stft_reset(stft);
    st_average_reset(average);
    st_stft_free(stft);
    st_average_free(average);
    if (bank) {
        st_melbank_free(bank);
    }
    if (mfcc) {
        st_mfcc_free(mfcc);
    }
    if (cepstral) {
        st_cepstral_free(cepstral);
    }
    free(ring_freq);
    free(ring_power);
    free(spectrum);
    free(frame);
    free(coefficients);
    free(mel);
    free(samples);
    return 0;
}
