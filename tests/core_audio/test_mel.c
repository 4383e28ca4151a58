/* Mel filterbank against formulas written independently here (Slaney and HTK
 * scales, triangles, Slaney area normalisation), sampled-area bounds, the
 * sparse application against a dense product, and st_power_to_db.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_audio.h"
#include "test_util.h"

/* Slaney: 3 mels per 200 Hz below 1 kHz; above, 27 mels per factor 6.4. */
static double ref_hz_to_mel(double hz, int htk)
{
    if (htk)
        return 2595.0 * log10(1.0 + hz / 700.0);
    return hz < 1000.0 ? 3.0 * hz / 200.0 : 15.0 + 27.0 * log(hz / 1000.0) / log(6.4);
}

static double ref_mel_to_hz(double mel, int htk)
{
    if (htk)
        return 700.0 * (pow(10.0, mel / 2595.0) - 1.0);
    return mel < 15.0 ? 200.0 * mel / 3.0 : 1000.0 * pow(6.4, (mel - 15.0) / 27.0);
}

/* Corner i of n_mels + 2 evenly spaced mel points. */
static double ref_corner(int i, int n_mels, double fmin, double fmax, int htk)
{
    double lo = ref_hz_to_mel(fmin, htk), hi = ref_hz_to_mel(fmax, htk);
    return ref_mel_to_hz(lo + (hi - lo) * i / (n_mels + 1), htk);
}

static double ref_triangle(double f, double left, double centre, double right, int normalise)
{
    double w;
    if (f <= left || f >= right)
        w = 0.0;
    else if (f <= centre)
        w = (f - left) / (centre - left);
    else
        w = (right - f) / (right - centre);
    return normalise ? w * 2.0 / (right - left) : w;
}

static void test_scale(void)
{
    /* Break point and a few values of each scale. */
    CHECK(fabs(st_hz_to_mel(1000.0, ST_MEL_SLANEY) - 15.0) < 1e-12, "1 kHz = 15 mel");
    CHECK(fabs(st_hz_to_mel(6400.0, ST_MEL_SLANEY) - 42.0) < 1e-9, "6.4 kHz = 15 + 27 mel");
    CHECK(fabs(st_hz_to_mel(200.0, ST_MEL_SLANEY) - 3.0) < 1e-12, "200 Hz = 3 mel");
    CHECK(fabs(st_hz_to_mel(700.0, ST_MEL_HTK) - 2595.0 * log10(2.0)) < 1e-9, "HTK 700 Hz");
    for (double hz = 0.0; hz < 30000.0; hz += 137.0)
        for (int htk = 0; htk <= 1; htk++) {
            int flags = htk ? ST_MEL_HTK : ST_MEL_SLANEY;
            double mel = st_hz_to_mel(hz, flags);
            CHECK(fabs(mel - ref_hz_to_mel(hz, htk)) < 1e-9, "hz_to_mel(%g)", hz);
            CHECK(fabs(st_mel_to_hz(mel, flags) - hz) < 1e-7, "round trip %g", hz);
        }
}

static void test_bank(double sr, int n_fft, int n_mels, double fmin, double f_high, int flags)
{
    int htk = (flags & ST_MEL_HTK) != 0, normalise = !(flags & ST_MEL_NO_NORM);
    st_melbank *bank = st_melbank_new(sr, n_fft, n_mels, fmin, f_high, flags, NULL);
    CHECK(bank != NULL, "bank sr %g", sr);
    if (!bank)
        return;
    double top = f_high > 0 ? f_high : sr / 2.0;
    int bins = n_fft / 2 + 1;
    double bin_hz = sr / n_fft;
    CHECK(st_melbank_mels(bank) == n_mels && st_melbank_bins(bank) == bins, "geometry");
    double worst_weight = 0.0, worst_centre = 0.0, worst_area = 0.0, worst_continuous = 0.0;
    int peak_misplaced = 0;
    for (int m = 0; m < n_mels; m++) {
        double left = ref_corner(m, n_mels, fmin, top, htk);
        double centre = ref_corner(m + 1, n_mels, fmin, top, htk);
        double right = ref_corner(m + 2, n_mels, fmin, top, htk);
        worst_centre = fmax(worst_centre, fabs(st_melbank_center_hz(bank, m) - centre) / centre);
        /* Every weight against the triangle evaluated here. */
        double height = normalise ? 2.0 / (right - left) : 1.0;
        double sampled = 0.0, best = -1.0;
        int best_bin = -1;
        for (int k = 0; k < bins; k++) {
            double w = st_melbank_weight(bank, m, k);
            double expect = ref_triangle(k * bin_hz, left, centre, right, normalise);
            worst_weight = fmax(worst_weight, fabs(w - expect) / height);
            sampled += w * bin_hz;
            if (w > best) {
                best = w;
                best_bin = k;
            }
        }
        /* The sampled peak sits on one of the two bins around the centre. */
        if (best_bin != (int)floor(centre / bin_hz) && best_bin != (int)ceil(centre / bin_hz))
            peak_misplaced++;
        /* Continuous area of the triangle (midpoint rule, 20000 steps). */
        double continuous = 0.0, step = (right - left) / 20000.0;
        for (int i = 0; i < 20000; i++)
            continuous += ref_triangle(left + (i + 0.5) * step, left, centre, right, 1) * step;
        worst_continuous = fmax(worst_continuous, fabs(continuous - 1.0));
        if (normalise) {
            /* The bin sum is the trapezoid rule of the triangle (it is 0 at
             * both ends of [0, sr/2]); on a grid of spacing d each slope
             * change j costs at most j d^2 / 8, and the slope changes sum
             * to 2 h (1/a + 1/b), a and b the rising and falling widths. */
            double a = centre - left, b = right - centre;
            double bound = bin_hz * bin_hz * height * (1.0 / a + 1.0 / b) / 4.0 + 1e-5;
            CHECK(fabs(sampled - 1.0) <= bound, "sr %g mel %d: sampled area %.6f, bound %.6f", sr,
                  m, sampled, bound);
            if (right - left >= 20.0 * bin_hz) /* wide filters: area close to 1 */
                worst_area = fmax(worst_area, fabs(sampled - 1.0));
        }
    }
    CHECK(worst_weight < 1e-6, "sr %g: weights differ from the formula by %g of the peak", sr,
          worst_weight);
    CHECK(worst_centre < 1e-9, "sr %g: centre frequencies off by %g", sr, worst_centre);
    CHECK(peak_misplaced == 0, "sr %g: %d filters peak away from their centre", sr, peak_misplaced);
    CHECK(worst_continuous < 1e-6, "continuous area off by %g", worst_continuous);
    if (normalise)
        CHECK(worst_area < 0.01, "sr %g: filters 20+ bins wide: sampled area off by %g", sr,
              worst_area);

    /* The sparse product equals the dense one. */
    float *power = malloc(sizeof(float) * bins), *mel = malloc(sizeof(float) * n_mels);
    test_rng rng = {11};
    for (int k = 0; k < bins; k++)
        power[k] = (float)test_rng_uniform(&rng);
    st_melbank_run(bank, power, mel);
    double worst_product = 0.0;
    for (int m = 0; m < n_mels; m++) {
        double dense = 0.0;
        for (int k = 0; k < bins; k++)
            dense += st_melbank_weight(bank, m, k) * power[k];
        worst_product = fmax(worst_product, fabs(mel[m] - dense) / fmax(dense, 1e-30));
    }
    CHECK(worst_product < 1e-5, "sparse product off by %g", worst_product);
    printf("mel sr %g n_fft %d n_mels %d fmin %g fmax %g %s%s: weights within %.1e of the peak, "
           "filters 20+ bins wide: sampled area within %.2e of 1\n",
           sr, n_fft, n_mels, fmin, top, htk ? "HTK" : "Slaney", normalise ? "" : " no-norm",
           worst_weight, worst_area);
    fflush(stdout);
    free(power);
    free(mel);
    st_melbank_free(bank);
}

static void test_arguments(void)
{
    CHECK(st_melbank_new(0.0, 2048, 128, 0, 0, 0, NULL) == NULL, "rate 0");
    CHECK(st_melbank_new(22050, 2048, 0, 0, 0, 0, NULL) == NULL, "no mels");
    CHECK(st_melbank_new(22050, 2048, 128, 5000, 4000, 0, NULL) == NULL, "fmin > fmax");
    CHECK(st_melbank_new(22050, 2048, 128, 0, 20000, 0, NULL) == NULL, "fmax above Nyquist");
    CHECK(st_melbank_new(22050, 2048, 128, -1, 0, 0, NULL) == NULL, "negative fmin");
    CHECK(st_melbank_new(22050, 2048, 128, 0, 0, 1 << 5, NULL) == NULL, "unknown flag");
    st_melbank_free(NULL);
}

static void test_power_to_db(void)
{
    float v[6] = {1.0f, 0.01f, 0.0f, NAN, 10.0f, 1e-12f};
    st_power_to_db(v, 6, 0.0);
    CHECK(fabsf(v[0]) < 1e-6f && fabsf(v[1] + 20.0f) < 1e-4f && v[2] == -100.0f &&
              v[3] == -100.0f && fabsf(v[4] - 10.0f) < 1e-5f && v[5] == -100.0f,
          "dB values %g %g %g %g %g %g", v[0], v[1], v[2], v[3], v[4], v[5]);
    float w[4] = {10.0f, 1e-3f, 1e-9f, 0.5f};
    st_power_to_db(w, 4, 80.0); /* max 10 dB: floor at -70 dB */
    CHECK(fabsf(w[0] - 10.0f) < 1e-5f && fabsf(w[1] + 30.0f) < 1e-4f && w[2] == -70.0f &&
              fabsf(w[3] - (float)(10.0 * log10(0.5))) < 1e-5f,
          "top_db 80: %g %g %g %g", w[0], w[1], w[2], w[3]);
}

int main(void)
{
    test_scale();
    test_arguments();
    const double rates[] = {16000.0, 22050.0, 44100.0, 48000.0};
    for (int i = 0; i < 4; i++)
        test_bank(rates[i], 2048, 128, 0.0, 0.0, ST_MEL_SLANEY);
    test_bank(22050.0, 1024, 40, 50.0, 8000.0, ST_MEL_SLANEY);
    test_bank(16000.0, 512, 26, 0.0, 0.0, ST_MEL_HTK);
    test_bank(44100.0, 4096, 64, 20.0, 16000.0, ST_MEL_HTK | ST_MEL_NO_NORM);
    test_bank(48000.0, 2048, 80, 0.0, 0.0, ST_MEL_NO_NORM);
    test_power_to_db();
    return test_result("test_mel");
}
