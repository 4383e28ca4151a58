/* Spectral slope, monotonicity and above-water shares: exact power laws
 * (slope -10 beta log10(2) dB/octave), white and synthesised pink noise
 * through the real STFT + Welch pipeline, and a hand-counted tide example.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_audio.h"
#include "test_util.h"

#include <fftw3.h>

/* The measures as values, NaN where core reports an error. */
static double slope_of(const double *power, int bins, double bin_hz, double f_low, double f_high)
{
    double slope;
    return st_spectral_slope_db_per_octave(power, bins, bin_hz, f_low, f_high, &slope) == ST_OK
               ? slope
               : NAN;
}

static double monotonicity_of(const double *power, int bins, double bin_hz, double f_low,
                              double f_high)
{
    double share;
    return st_monotonicity(power, bins, bin_hz, f_low, f_high, &share) == ST_OK ? share : NAN;
}

static void test_power_laws(void)
{
    const int bins = 1025;
    const double bin_hz = 22050.0 / 2048.0;
    double *p = malloc(sizeof(double) * bins);
    const double betas[] = {0.0, 1.0, 2.0, 0.5};
    for (int b = 0; b < 4; b++) {
        p[0] = 123.0; /* DC must be ignored */
        for (int k = 1; k < bins; k++)
            p[k] = 0.01 * pow(k * bin_hz, -betas[b]);
        double expect = -10.0 * betas[b] * log10(2.0);
        double slope = slope_of(p, bins, bin_hz, 50.0, 8000.0);
        double whole = slope_of(p, bins, bin_hz, 0.0, 0.0);
        CHECK(fabs(slope - expect) < 0.01, "beta %g: slope %.4f, expected %.4f", betas[b], slope,
              expect);
        CHECK(fabs(whole - expect) < 0.01, "beta %g, whole range: slope %.4f", betas[b], whole);
        double mono = monotonicity_of(p, bins, bin_hz, 50.0, 0.0);
        if (betas[b] > 0)
            CHECK(mono == 1.0, "power law beta %g: monotonicity %g", betas[b], mono);
        else
            CHECK(mono == 0.0, "flat spectrum: monotonicity %g", mono);
        printf("exact power law f^-%.1f: slope %.4f dB/oct (expected %.4f), monotonicity %.2f\n",
               betas[b], slope, expect, mono);
    }
    /* Rising spectrum: never decreasing. */
    for (int k = 1; k < bins; k++)
        p[k] = k;
    CHECK(monotonicity_of(p, bins, bin_hz, 50.0, 0.0) == 0.0, "rising spectrum");
    double untouched = 7.0;
    CHECK(st_spectral_slope_db_per_octave(p, bins, bin_hz, 5000.0, 4000.0, &untouched) ==
                  ST_ERROR_ARGUMENT &&
              untouched == 7.0,
          "empty range: ST_ERROR_ARGUMENT, result untouched");
    CHECK(st_monotonicity(p, bins, bin_hz, 5000.0, 5500.0, &untouched) == ST_ERROR_ARGUMENT,
          "range below 2 bands: ST_ERROR_ARGUMENT");
    free(p);
}

/* Welch spectrum (n_fft 4096, hop 2048) of x at 22050 Hz. */
static void welch(const float *x, int n, double *power)
{
    st_stft *stft = st_stft_new(4096, 2048, NULL);
    st_average *avg = st_average_new(2049, 0.0, 0.0, NULL);
    while (n > 0) {
        int used = st_stft_feed(stft, x, n);
        x += used;
        n -= used;
        if (st_stft_frame_ready(stft))
            st_average_add(avg, st_stft_power(stft));
    }
    for (int k = 0; k < 2049; k++)
        power[k] = st_average_power(avg)[k];
    st_average_free(avg);
    st_stft_free(stft);
}

/* White noise, and pink noise synthesised in the frequency domain: complex
 * Gaussian bins scaled by 1/sqrt(k) (power 1/f), inverse real FFT. */
static void test_noise(void)
{
    const int n = 1 << 20;
    const double rate = 22050.0, bin_hz = rate / 4096.0;
    float *x = fftwf_malloc(sizeof(float) * n);
    fftwf_complex *spectrum = fftwf_malloc(sizeof(fftwf_complex) * (n / 2 + 1));
    double *power = malloc(sizeof(double) * 2049);
    test_rng rng = {31};

    for (int i = 0; i < n; i++)
        x[i] = (float)(0.1 * test_rng_gaussian(&rng));
    welch(x, n, power);
    double white = slope_of(power, 2049, bin_hz, 100.0, 10000.0);
    double white_mono = monotonicity_of(power, 2049, bin_hz, 100.0, 10000.0);
    CHECK(fabs(white) < 0.1, "white noise slope %.3f dB/oct", white);
    CHECK(white_mono > 0.15 && white_mono < 0.85, "white noise monotonicity %.2f", white_mono);

    fftwf_plan plan = fftwf_plan_dft_c2r_1d(n, spectrum, x, FFTW_ESTIMATE);
    spectrum[0][0] = spectrum[0][1] = 0.0f;
    for (int k = 1; k <= n / 2; k++) {
        double scale = 1.0 / sqrt((double)k);
        spectrum[k][0] = (float)(test_rng_gaussian(&rng) * scale);
        spectrum[k][1] = k == n / 2 ? 0.0f : (float)(test_rng_gaussian(&rng) * scale);
    }
    fftwf_execute(plan);
    fftwf_destroy_plan(plan);
    welch(x, n, power);
    double pink = slope_of(power, 2049, bin_hz, 100.0, 10000.0);
    double pink_mono = monotonicity_of(power, 2049, bin_hz, 100.0, 10000.0);
    double expect = -10.0 * log10(2.0);
    CHECK(fabs(pink - expect) < 0.1, "pink noise slope %.3f dB/oct, expected %.3f", pink, expect);
    CHECK(pink_mono >= 0.9, "pink noise monotonicity %.2f", pink_mono);
    printf("Welch (n_fft 4096, %d samples at 22050 Hz), 100 Hz - 10 kHz: white slope %+.3f dB/oct "
           "monotonicity %.2f; pink slope %+.3f dB/oct (expected %.3f) monotonicity %.2f\n",
           n, white, white_mono, pink, expect, pink_mono);
    fftwf_free(x);
    fftwf_free(spectrum);
    free(power);
}

static void test_above_water(void)
{
    const double p[6] = {4.0, 1.0, 0.5, 2.0, NAN, 0.25};
    double bins_share = -1, energy_share = -1;
    st_above_water(p, 6, 0.9, &bins_share, &energy_share);
    /* Above 0.9: 4, 1, 2 -> 3 of 6 bins, energy 7 of 7.75. */
    CHECK(fabs(bins_share - 0.5) < 1e-12, "bins share %g", bins_share);
    CHECK(fabs(energy_share - 7.0 / 7.75) < 1e-12, "energy share %g", energy_share);
    st_above_water(p, 6, 10.0, &bins_share, &energy_share);
    CHECK(bins_share == 0.0 && energy_share == 0.0, "all under water");
    const double zero[3] = {0, 0, 0};
    st_above_water(zero, 3, 0.0, &bins_share, &energy_share);
    CHECK(bins_share == 0.0 && energy_share == 0.0, "silence");
}

int main(void)
{
    test_power_laws();
    test_noise();
    test_above_water();
    return test_result("test_shape");
}
