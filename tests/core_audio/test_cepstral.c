/* Cepstral view: the window is the last `frames` columns, oldest first, at
 * the image scale (dB - mean) / 40; its RAPSD equals a brute-force DFT ring
 * average computed here; a synthetic log-mel image with a known power-law
 * spectrum gives that spectrum's level and exponent; the allocation-free fit
 * agrees with st_powerlaw_fit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_audio.h"
#include "test_util.h"

#include <fftw3.h>
#include <string.h>

/* Centred frequency of DFT index k for a side of length n (fftshift order). */
static int centred(int k, int n)
{
    return k <= (n - 1) / 2 ? k : k - n;
}

/* pysteps-style RAPSD by a direct DFT: image rows = height, columns = width. */
static int brute_rapsd(const double *image, int width, int height, double *power)
{
    int side = width > height ? width : height;
    int rings = side % 2 == 0 ? side / 2 : (side - 1) / 2 + 1;
    double *sum = calloc(rings, sizeof(double));
    int *count = calloc(rings, sizeof(int));
    for (int ky = 0; ky < height; ky++)
        for (int kx = 0; kx < width; kx++) {
            double re = 0.0, im = 0.0;
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++) {
                    double phase = -2.0 * M_PI * ((double)ky * y / height + (double)kx * x / width);
                    re += image[y * width + x] * cos(phase);
                    im += image[y * width + x] * sin(phase);
                }
            int xc = centred(kx, width), yc = centred(ky, height);
            int r = (int)lround(sqrt((double)xc * xc + (double)yc * yc));
            if (r < rings) {
                sum[r] += (re * re + im * im) / ((double)width * height);
                count[r]++;
            }
        }
    for (int r = 0; r < rings; r++)
        power[r] = sum[r] / count[r];
    free(sum);
    free(count);
    return rings;
}

static void test_window_and_rapsd(void)
{
    const int n_mels = 12, frames = 20, pushed = 35;
    st_cepstral *view = st_cepstral_new(n_mels, frames, NULL);
    CHECK(view != NULL, "new");
    float column[12];
    float history[35][12];
    test_rng rng = {8};
    double power[64], freq[64];
    st_powerlaw fit;
    for (int j = 0; j < pushed; j++) {
        for (int m = 0; m < n_mels; m++)
            history[j][m] = column[m] = (float)(-60.0 + 30.0 * test_rng_uniform(&rng) - m);
        if (j == frames - 2)
            CHECK(st_cepstral_run(view, freq, power, &fit) == ST_NOT_READY,
                  "run before the window is full");
        st_cepstral_push(view, column);
    }
    CHECK(st_cepstral_filled(view) == frames, "filled %d", st_cepstral_filled(view));
    int rings = st_cepstral_ring_count(view);
    CHECK(rings == 10, "ring count %d, expected max(12,20)/2 = 10", rings);
    CHECK(st_cepstral_run(view, freq, power, &fit) == ST_OK, "run");

    /* Expected image: the last 20 columns, oldest first, (dB - mean) / 40. */
    double image[12 * 20], mean = 0.0, expect[64];
    for (int t = 0; t < frames; t++)
        for (int m = 0; m < n_mels; m++)
            mean += history[pushed - frames + t][m];
    mean /= n_mels * frames;
    for (int t = 0; t < frames; t++)
        for (int m = 0; m < n_mels; m++)
            image[m * frames + t] = (history[pushed - frames + t][m] - mean) / 40.0;
    int expect_rings = brute_rapsd(image, frames, n_mels, expect);
    CHECK(expect_rings == rings, "brute-force ring count %d", expect_rings);
    double worst = 0.0, peak = 0.0;
    for (int r = 0; r < rings; r++)
        peak = fmax(peak, expect[r]);
    for (int r = 0; r < rings; r++) {
        worst = fmax(worst, fabs(power[r] - expect[r]) / peak);
        CHECK(fabs(freq[r] - r / 20.0) < 1e-12, "ring %d frequency %g", r, freq[r]);
    }
    CHECK(worst < 1e-5, "RAPSD differs from the brute-force DFT by %g of the peak", worst);
    CHECK(power[0] < 1e-9 * peak, "mean not removed: DC ring %g", power[0]);

    /* The fit agrees with the image core's st_powerlaw_fit. */
    st_powerlaw reference;
    CHECK(st_powerlaw_fit(freq, power, rings, 0.0, 0.0, 0, &reference) == ST_OK, "fit");
    CHECK(fabs(fit.alpha - reference.alpha) < 1e-9 && fabs(fit.c - reference.c) < 1e-9 &&
              fabs(fit.r_squared - reference.r_squared) < 1e-9 && fit.points == reference.points &&
              fit.f_low == reference.f_low && fit.f_high == reference.f_high,
          "fit alpha %g c %g vs st_powerlaw_fit %g %g", fit.alpha, fit.c, reference.alpha,
          reference.c);
    printf("cepstral 12 mels x 20 frames after 35 pushes: RAPSD within %.1e of a brute-force DFT; "
           "fit alpha %.4f = st_powerlaw_fit %.4f\n",
           worst, fit.alpha, reference.alpha);

    /* A dB offset changes nothing (mean removal). */
    double shifted[64];
    st_cepstral_reset(view);
    CHECK(st_cepstral_filled(view) == 0, "reset");
    for (int j = pushed - frames; j < pushed; j++) {
        for (int m = 0; m < n_mels; m++)
            column[m] = history[j][m] + 25.0f;
        st_cepstral_push(view, column);
    }
    st_cepstral_run(view, NULL, shifted, NULL);
    double worst_shift = 0.0;
    for (int r = 0; r < rings; r++)
        worst_shift = fmax(worst_shift, fabs(shifted[r] - power[r]) / peak);
    CHECK(worst_shift < 1e-5, "offset changed the RAPSD by %g", worst_shift);
    st_cepstral_free(view);
}

/* Phase of coefficient (ky, kx), odd under (ky, kx) -> (-ky, -kx) so that the
 * field is real; 0 on self-conjugate points. */
static double hermitian_phase(int ky, int kx, int height, int width)
{
    int ny = (height - ky) % height, nx = (width - kx) % width;
    if (ny == ky && nx == kx)
        return 0.0;
    int canonical = ky < ny || (ky == ny && kx < nx);
    int cy = canonical ? ky : ny, cx = canonical ? kx : nx;
    test_rng rng = {0x9E3779B97F4A7C15ULL ^ (uint64_t)(cy * 100003 + cx + 1)};
    test_rng_next(&rng);
    double phase = 2.0 * M_PI * test_rng_uniform(&rng);
    return canonical ? phase : -phase;
}

/* A log-mel image whose 2-D spectrum is exactly |F(k)|^2 = |k|^-alpha (DC 0):
 * dB = -40 + 40 g x with x = c2r(F). Then the analysis image is g x and its
 * RAPSD is g^2 W H times the ring mean of |k|^-alpha (FFTW's c2r has no 1/N). */
static void test_known_power_law(double alpha)
{
    const int n_mels = 64, frames = 128, half = frames / 2 + 1;
    const double gain = 0.01;
    fftw_complex *spectrum = fftw_malloc(sizeof(fftw_complex) * n_mels * half);
    double *field = fftw_malloc(sizeof(double) * n_mels * frames);
    for (int ky = 0; ky < n_mels; ky++)
        for (int kx = 0; kx < half; kx++) {
            int yc = centred(ky, n_mels), xc = centred(kx, frames);
            double k2 = (double)xc * xc + (double)yc * yc;
            double amplitude = k2 > 0 ? pow(k2, -alpha / 4.0) : 0.0;
            double phase = hermitian_phase(ky, kx, n_mels, frames);
            spectrum[ky * half + kx][0] = amplitude * cos(phase);
            spectrum[ky * half + kx][1] = amplitude * sin(phase);
        }
    fftw_plan plan = fftw_plan_dft_c2r_2d(n_mels, frames, spectrum, field, FFTW_ESTIMATE);
    fftw_execute(plan);
    fftw_destroy_plan(plan);

    st_cepstral *view = st_cepstral_new(n_mels, frames, NULL);
    float column[64];
    for (int t = 0; t < frames; t++) {
        for (int m = 0; m < n_mels; m++)
            column[m] = (float)(-40.0 + 40.0 * gain * field[m * frames + t]);
        st_cepstral_push(view, column);
    }
    int rings = st_cepstral_ring_count(view);
    double *power = malloc(sizeof(double) * rings), *freq = malloc(sizeof(double) * rings);
    double *expect = calloc(rings, sizeof(double));
    int *count = calloc(rings, sizeof(int));
    st_powerlaw fit, expect_fit;
    CHECK(st_cepstral_run(view, freq, power, &fit) == ST_OK, "run");
    /* Ring means of g^2 W H |k|^-alpha over the full centred grid. */
    for (int yc = -n_mels / 2; yc < n_mels / 2; yc++)
        for (int xc = -frames / 2; xc < frames / 2; xc++) {
            double k2 = (double)xc * xc + (double)yc * yc;
            int r = (int)lround(sqrt(k2));
            if (r >= rings)
                continue;
            expect[r] += k2 > 0 ? gain * gain * frames * n_mels * pow(k2, -alpha / 2.0) : 0.0;
            count[r]++;
        }
    double worst = 0.0;
    for (int r = 1; r < rings; r++) {
        expect[r] /= count[r];
        worst = fmax(worst, fabs(power[r] / expect[r] - 1.0));
    }
    /* float32 image: a relative error of ~1e-6 per pixel value. */
    CHECK(worst < 1e-3, "alpha %g: ring power differs from the analytic ring mean by %g", alpha,
          worst);
    expect[0] = 0.0;
    st_powerlaw_fit(freq, expect, rings, 0.0, 0.0, 0, &expect_fit);
    CHECK(fabs(fit.alpha - expect_fit.alpha) < 1e-3, "alpha %.4f, analytic ring means give %.4f",
          fit.alpha, expect_fit.alpha);
    CHECK(fabs(fit.alpha - alpha) < 0.15 && fit.r_squared > 0.99,
          "alpha %.4f (R^2 %.4f) for an image with spectrum |k|^-%.1f", fit.alpha, fit.r_squared,
          alpha);
    printf("synthetic log-mel 64x128 with |F|^2 = |k|^-%.1f: ring powers within %.1e of analytic, "
           "fit alpha %.4f (analytic ring means %.4f), R^2 %.5f\n",
           alpha, worst, fit.alpha, expect_fit.alpha, fit.r_squared);
    free(power);
    free(freq);
    free(expect);
    free(count);
    fftw_free(spectrum);
    fftw_free(field);
    st_cepstral_free(view);
}

int main(void)
{
    CHECK(st_cepstral_new(1, 10, NULL) == NULL && st_cepstral_new(10, 1, NULL) == NULL,
          "tiny sizes");
    st_cepstral_free(NULL);
    test_window_and_rapsd();
    test_known_power_law(2.0);
    test_known_power_law(1.0);
    return test_result("test_cepstral");
}
