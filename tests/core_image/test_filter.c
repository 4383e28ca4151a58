/* Fourier-domain filters: the ideal low-pass against a brute-force DFT of
 * its output and against the RAPSD, the Gaussian and Wiener gains on cosines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "check.h"
#include "test_random.h"
#include "spectide.h"

#include <stdlib.h>

static float *random_image(int width, int height, uint64_t seed)
{
    float *image = malloc((size_t)width * height * sizeof *image);
    for (int i = 0; i < width * height; i++)
        image[i] = (float)(0.2 + test_random_gaussian(&seed));
    return image;
}

/* |DFT|^2 of every bin, split by whether its ring frequency
 * round(|(xc, yc)|) / L is above f_cut; brute force. */
static void dft_power_split(const float *image, int width, int height, double f_cut, double *below,
                            double *above)
{
    int longest = width > height ? width : height;
    *below = *above = 0.0;
    for (int ky = 0; ky < height; ky++) {
        for (int kx = 0; kx < width; kx++) {
            double re = 0.0, im = 0.0;
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++) {
                    double phase = -2.0 * M_PI * ((double)kx * x / width + (double)ky * y / height);
                    re += image[y * width + x] * cos(phase);
                    im += image[y * width + x] * sin(phase);
                }
            int xc = kx <= width / 2 ? kx : kx - width, yc = ky <= height / 2 ? ky : ky - height;
            double f = round(sqrt((double)(xc * xc + yc * yc))) / longest;
            *(f > f_cut ? above : below) += re * re + im * im;
        }
    }
}

static void check_ideal_brute_force(int width, int height, double f_cut)
{
    float *image = random_image(width, height, (uint64_t)width * 31 + height);
    float *out = malloc((size_t)width * height * sizeof *out);
    st_filter *filter = st_filter_new(width, height, NULL);
    st_filter_load(filter, image);
    st_filter_ideal_lowpass(filter, f_cut, out);
    double in_below, in_above, out_below, out_above;
    dft_power_split(image, width, height, f_cut, &in_below, &in_above);
    dft_power_split(out, width, height, f_cut, &out_below, &out_above);
    CHECK(out_above < 1e-6 * in_above, "%dx%d ideal cut %.3f: power above the cut %.3g of %.3g",
          width, height, f_cut, out_above, in_above);
    CHECK_NEAR(out_below / in_below, 1.0, 1e-5, "ideal low-pass: power below the cut unchanged");
    st_filter_free(filter);
    free(out);
    free(image);
}

static void check_ideal_rapsd(int width, int height, double f_cut)
{
    float *image = random_image(width, height, 5);
    float *out = malloc((size_t)width * height * sizeof *out);
    st_filter *filter = st_filter_new(width, height, NULL);
    st_rapsd *rapsd = st_rapsd_new(width, height, NULL);
    int rings = st_rapsd_ring_count(rapsd);
    double *before = malloc((size_t)rings * sizeof *before);
    double *after = malloc((size_t)rings * sizeof *after);
    st_rapsd_run(rapsd, image, before);
    st_filter_load(filter, image);
    st_filter_ideal_lowpass(filter, f_cut, out);
    st_rapsd_run(rapsd, out, after);
    double kept_error = 0.0, removed = 0.0, total_above = 0.0;
    for (int r = 0; r < rings; r++) {
        if (st_rapsd_frequency(rapsd, r) <= f_cut) {
            kept_error = fmax(kept_error, fabs(after[r] / before[r] - 1.0));
        } else {
            removed += after[r];
            total_above += before[r];
        }
    }
    CHECK(removed < 1e-6 * total_above, "%dx%d ideal cut %.3f: RAPSD above the cut %.3g of %.3g",
          width, height, f_cut, removed, total_above);
    CHECK(kept_error < 1e-4, "%dx%d: RAPSD rings up to the cut unchanged (worst %.3g)", width,
          height, kept_error);
    free(before);
    free(after);
    st_rapsd_free(rapsd);
    st_filter_free(filter);
    free(out);
    free(image);
}

static double identity_gain(double freq, void *user_data)
{
    (void)freq;
    (void)user_data;
    return 1.0;
}

/* A cosine in ring 5 of a 64x64 image, filtered with gain g in that ring,
 * must come back as g times itself. Returns the worst deviation. */
static double cosine_deviation(st_filter *filter, double want_gain,
                               void (*apply)(st_filter *, void *, float *), void *context)
{
    enum { size = 64 };
    static float image[size * size], out[size * size];
    for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++)
            image[y * size + x] = (float)cos(2.0 * M_PI * (3.0 * x + 4.0 * y) / size);
    st_filter_load(filter, image);
    apply(filter, context, out);
    double worst = 0.0;
    for (int i = 0; i < size * size; i++)
        worst = fmax(worst, fabs(out[i] - want_gain * image[i]));
    return worst;
}

struct wiener_context {
    const double *ring_power;
    const st_powerlaw *fit;
    double a, s;
};

static void apply_wiener(st_filter *filter, void *context, float *out)
{
    struct wiener_context *c = context;
    st_filter_wiener(filter, c->ring_power, c->fit, c->a, c->s, out);
}

static void apply_gaussian(st_filter *filter, void *context, float *out)
{
    st_filter_gaussian_lowpass(filter, *(double *)context, out);
}

static void apply_identity(st_filter *filter, void *context, float *out)
{
    st_filter_apply(filter, identity_gain, context, out);
}

static void check_gains(void)
{
    CHECK(st_wiener_gain(0.25, 0.5, 0.25) == 0.5, "Wiener gain exactly 1/2 where a^2 S = s^2");
    CHECK_NEAR(st_wiener_gain(3.0, 1.0, sqrt(3.0)), 0.5, 1e-15,
               "Wiener gain 1/2 at S = 3, s^2 = 3");
    CHECK(st_wiener_gain(0.0, 1.0, 1.0) == 0.0, "Wiener gain 0 without signal");
    CHECK(st_wiener_gain(1.0, 1.0, 0.0) == 1.0, "Wiener gain 1 without noise");
    CHECK_NEAR(st_wiener_gain(9.0, 1.0, 1.0), 0.9, 1e-15, "Wiener gain 9/(9+1)");

    st_filter *filter = st_filter_new(64, 64, NULL);
    CHECK(cosine_deviation(filter, 1.0, apply_identity, NULL) < 1e-5,
          "unit gain returns the image");
    double f_sigma = 0.05, f = 5.0 / 64;
    CHECK(cosine_deviation(filter, exp(-f * f / (2 * f_sigma * f_sigma)), apply_gaussian,
                           &f_sigma) < 1e-5,
          "Gaussian low-pass scales ring 5 by exp(-f^2 / 2 f_sigma^2)");

    /* S = s^2/a^2 only in ring 5 (the cosine's ring): its amplitude halves. */
    double ring_power[32];
    for (int r = 0; r < 32; r++)
        ring_power[r] = 1e30;
    double a = 0.5, s = 0.25;
    ring_power[5] = 0.25;
    struct wiener_context context = {ring_power, NULL, a, s};
    CHECK(cosine_deviation(filter, 0.5, apply_wiener, &context) < 1e-5,
          "Wiener from the RAPSD halves the ring where a^2 S = s^2");
    st_powerlaw fit = {.alpha = 2.0, .c = -3.0};
    context = (struct wiener_context){NULL, &fit, 0.8, 0.3};
    double signal = 0.64 * 1e-3 / (f * f);
    CHECK(cosine_deviation(filter, signal / (signal + 0.09), apply_wiener, &context) < 1e-5,
          "Wiener from the fit: gain a^2 S(f) / (a^2 S(f) + s^2) at ring 5");
    st_filter_free(filter);
}

int main(void)
{
    check_ideal_brute_force(12, 10, 0.2);
    check_ideal_brute_force(9, 7, 0.25);
    check_ideal_brute_force(1, 16, 0.3);
    check_ideal_rapsd(256, 200, 0.1);
    check_ideal_rapsd(255, 255, 0.33);
    check_gains();
    CHECK(st_filter_new(0, 3, NULL) == NULL, "0x3 refused");
    return check_done();
}
