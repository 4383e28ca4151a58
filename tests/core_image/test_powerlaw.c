/* Power-law fit: exact curves, the log-spaced resampling, and synthetic
 * power-law fields analysed by the RAPSD.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "check.h"
#include "test_random.h"
#include "spectide.h"

#include <fftw3.h>
#include <stdlib.h>

static void check_exact_curve(void)
{
    enum { rings = 128 };
    double freq[rings], power[rings];
    for (int r = 0; r < rings; r++) {
        freq[r] = r / 256.0;
        power[r] = r == 0 ? 1e9 : pow(10.0, -1.25) * pow(freq[r], -2.4);
    }
    st_powerlaw fit;
    CHECK(st_powerlaw_fit(freq, power, rings, 0, 0, 0, &fit) == ST_OK, "exact curve: fit ok");
    CHECK_NEAR(fit.alpha, 2.4, 1e-9, "exact curve: alpha");
    CHECK_NEAR(fit.c, -1.25, 1e-9, "exact curve: c");
    CHECK_NEAR(fit.r_squared, 1.0, 1e-12, "exact curve: R^2");
    CHECK_NEAR(fit.f_low, 1.0 / 256, 0, "default range starts at the first non-zero frequency");
    CHECK_NEAR(fit.f_high, 127.0 / 256, 0, "default range ends at the last frequency");
    CHECK(fit.points == rings - 1, "resample points default to the points in range (%d)",
          fit.points);
    CHECK_NEAR(st_powerlaw_power(&fit, 0.1), pow(10.0, -1.25) * pow(0.1, -2.4), 1e-9,
               "st_powerlaw_power at 0.1");

    CHECK(st_powerlaw_fit(freq, power, rings, 0.05, 0.2, 50, &fit) == ST_OK, "sub-range fit ok");
    CHECK(fit.f_low >= 0.05 && fit.f_high <= 0.2 && fit.points == 50,
          "sub-range: used [%g, %g] with %d points", fit.f_low, fit.f_high, fit.points);
    CHECK_NEAR(fit.alpha, 2.4, 1e-9, "sub-range: alpha");

    /* Non-positive powers are skipped, not fitted as -inf. */
    power[5] = 0.0;
    power[9] = -3.0;
    CHECK(st_powerlaw_fit(freq, power, rings, 0, 0, 0, &fit) == ST_OK, "holes: fit ok");
    CHECK_NEAR(fit.alpha, 2.4, 1e-9, "holes: alpha unchanged");
}

/* log10 P with slope -2 below f = 0.01 and -4 above, sampled on rings
 * f = r/1000 (r = 1..100, i.e. log10 f from -3 to -1, kink at the middle).
 * Evenly spaced in log10 f, the points are symmetric about the kink, so the
 * least-squares slope is exactly the mean of the two: alpha = 3. A fit on the
 * rings themselves would be ruled by the many high-frequency rings (~4). */
static void check_log_resampling(void)
{
    enum { rings = 101 };
    double freq[rings], log_power[rings];
    for (int r = 0; r < rings; r++) {
        freq[r] = r / 1000.0;
        double x = log10(freq[r]) + 2.0;
        log_power[r] = r == 0 ? NAN : (x < 0 ? -2.0 * x : -4.0 * x);
    }
    st_powerlaw fit;
    CHECK(st_powerlaw_fit_log10(freq, log_power, rings, 0, 0, 201, &fit) == ST_OK,
          "kinked curve: fit ok");
    CHECK_NEAR(fit.alpha, 3.0, 1e-9, "kinked curve: each decade weighs the same (alpha 3)");
    CHECK(fit.r_squared < 1.0, "kinked curve: R^2 %.4f below 1", fit.r_squared);
}

static void check_refusals(void)
{
    double freq[3] = {0.0, 0.1, 0.2}, power[3] = {1.0, 1.0, 0.0};
    st_powerlaw fit;
    CHECK(st_powerlaw_fit(freq, power, 3, 0, 0, 0, &fit) == ST_ERROR_ARGUMENT,
          "one usable point: ST_ERROR_ARGUMENT");
    CHECK(st_powerlaw_fit(freq, power, 0, 0, 0, 0, &fit) == ST_ERROR_ARGUMENT,
          "empty curve: ST_ERROR_ARGUMENT");
    CHECK(st_powerlaw_fit(NULL, power, 3, 0, 0, 0, &fit) == ST_ERROR_ARGUMENT,
          "NULL: ST_ERROR_ARGUMENT");
}

/* A size x size field whose spectrum has random phases and amplitude
 * |k|^(-alpha/2) (|k| the radius in integer frequency units, DC zero), made
 * with this test's own inverse FFT; its power spectrum is |k|^-alpha. */
static float *power_law_field(int size, double alpha, uint64_t seed)
{
    int half = size / 2 + 1;
    fftwf_complex *spectrum = fftwf_malloc(sizeof(fftwf_complex) * (size_t)size * half);
    float *field = fftwf_malloc(sizeof(float) * (size_t)size * size);
    fftwf_plan plan = fftwf_plan_dft_c2r_2d(size, size, spectrum, field, FFTW_ESTIMATE);
    for (int ky = 0; ky < size; ky++) {
        int yc = ky <= size / 2 ? ky : ky - size;
        for (int kx = 0; kx < half; kx++) {
            double radius = sqrt((double)kx * kx + (double)yc * yc);
            double amplitude = radius > 0 ? pow(radius, -alpha / 2.0) : 0.0;
            double phase = 2.0 * M_PI * test_random_uniform(&seed);
            spectrum[(size_t)ky * half + kx][0] = (float)(amplitude * cos(phase));
            spectrum[(size_t)ky * half + kx][1] = (float)(amplitude * sin(phase));
        }
    }
    fftwf_execute(plan);
    fftwf_destroy_plan(plan);
    fftwf_free(spectrum);
    return field;
}

static void check_synthetic_fields(void)
{
    const int size = 512;
    static const double alphas[] = {1.5, 2.0, 3.0};
    st_rapsd *rapsd = st_rapsd_new(size, size, NULL);
    int rings = st_rapsd_ring_count(rapsd);
    double *freq = malloc((size_t)rings * sizeof *freq);
    double *power = malloc((size_t)rings * sizeof *power);
    st_rapsd_frequencies(rapsd, freq);
    for (int i = 0; i < 3; i++) {
        float *field = power_law_field(size, alphas[i], 77 + i);
        st_rapsd_run(rapsd, field, power);
        st_powerlaw fit;
        /* From ring 4 up: ring r averages radii in [r-0.5, r+0.5), and for
         * the first rings the mean of a steep |k|^-alpha over them lies
         * well below its value at r (ring 1 holds radii 1 and sqrt 2),
         * which alone lowers a full-range alpha by ~0.05-0.08. */
        st_status status = st_powerlaw_fit(freq, power, rings, 4.0 / size, 0, 0, &fit);
        char what[64];
        snprintf(what, sizeof what, "synthetic field alpha %.1f: fitted alpha", alphas[i]);
        CHECK(status == ST_OK, "synthetic field alpha %.1f: fit ok", alphas[i]);
        CHECK_NEAR(fit.alpha, alphas[i], 0.05, what);
        CHECK(fit.r_squared > 0.99, "synthetic field alpha %.1f: R^2 %.4f > 0.99", alphas[i],
              fit.r_squared);
        fftwf_free(field);
    }
    free(freq);
    free(power);
    st_rapsd_free(rapsd);
}

int main(void)
{
    check_exact_curve();
    check_log_resampling();
    check_refusals();
    check_synthetic_fields();
    return check_done();
}
