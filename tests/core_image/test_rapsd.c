/* RAPSD against a brute-force DFT, white noise and pure cosines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "check.h"
#include "test_random.h"
#include "spectide.h"

#include <stdlib.h>
#include <string.h>

/* pysteps rapsd, written out literally in double precision with an
 * O(W^2 H^2) DFT: P = |fftshift(fft2(x))|^2 / (W H), centred coordinates
 * p - n//2, ring round(hypot), mean per ring. Returns the ring count. */
static int reference_rapsd(const float *image, int width, int height, double *power, double *freq)
{
    int longest = width > height ? width : height;
    int rings = longest % 2 == 0 ? longest / 2 : longest / 2 + 1;
    double *sum = calloc((size_t)rings, sizeof *sum);
    int *count = calloc((size_t)rings, sizeof *count);
    for (int py = 0; py < height; py++) {
        for (int px = 0; px < width; px++) {
            /* fftshift: shifted position p holds DFT index (p - n//2) mod n. */
            int ky = ((py - height / 2) % height + height) % height;
            int kx = ((px - width / 2) % width + width) % width;
            double re = 0.0, im = 0.0;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double phase = -2.0 * M_PI * ((double)kx * x / width + (double)ky * y / height);
                    re += image[y * width + x] * cos(phase);
                    im += image[y * width + x] * sin(phase);
                }
            }
            double p = (re * re + im * im) / ((double)width * height);
            int yc = py - height / 2, xc = px - width / 2;
            int ring = (int)round(sqrt((double)(xc * xc + yc * yc)));
            if (ring < rings) {
                sum[ring] += p;
                count[ring]++;
            }
        }
    }
    for (int r = 0; r < rings; r++) {
        power[r] = count[r] ? sum[r] / count[r] : NAN;
        freq[r] = (double)r / longest;
    }
    free(sum);
    free(count);
    return rings;
}

static void check_against_dft(int width, int height, uint64_t seed)
{
    size_t n = (size_t)width * height;
    float *image = malloc(n * sizeof *image);
    /* A non-zero mean and colour make DC and every ring non-trivial. */
    for (size_t i = 0; i < n; i++)
        image[i] = (float)(0.3 + test_random_gaussian(&seed) + 0.5 * sin(0.7 * (double)i));
    int longest = width > height ? width : height;
    double *want = malloc((size_t)longest * sizeof *want);
    double *want_freq = malloc((size_t)longest * sizeof *want_freq);
    int want_rings = reference_rapsd(image, width, height, want, want_freq);

    st_rapsd *rapsd = st_rapsd_new(width, height, NULL);
    if (!CHECK(rapsd != NULL, "%dx%d: st_rapsd_new", width, height))
        return;
    int rings = st_rapsd_ring_count(rapsd);
    CHECK(rings == want_rings, "%dx%d: ring count %d (want %d)", width, height, rings, want_rings);
    CHECK(rings == st_ring_count_for_size(width, height), "%dx%d: st_ring_count_for_size", width,
          height);
    double *got = malloc((size_t)rings * sizeof *got);
    double *freq = malloc((size_t)rings * sizeof *freq);
    st_rapsd_run(rapsd, image, got);
    st_rapsd_frequencies(rapsd, freq);
    double total = 0.0;
    for (int r = 0; r < want_rings; r++)
        total += want[r];
    int worst_ring = 0;
    double worst = 0.0;
    int freq_ok = 1;
    for (int r = 0; r < rings && r < want_rings; r++) {
        /* float FFT: relative 1e-4 of the value, or of the mean ring power. */
        double error = fabs(got[r] - want[r]) / (fabs(want[r]) + 1e-3 * total / want_rings);
        if (!(error <= worst) || !isfinite(got[r])) {
            worst = isfinite(got[r]) ? error : INFINITY;
            worst_ring = r;
        }
        if (fabs(freq[r] - want_freq[r]) > 1e-15 ||
            fabs(st_rapsd_frequency(rapsd, r) - want_freq[r]) > 1e-15)
            freq_ok = 0;
    }
    CHECK(worst < 1e-4, "%dx%d: ring values match the brute-force DFT (worst ring %d: %.3g)", width,
          height, worst_ring, worst);
    CHECK(freq_ok, "%dx%d: ring frequencies r/L", width, height);
    /* Running twice gives the same answer (no state left over). */
    double *again = malloc((size_t)rings * sizeof *again);
    st_rapsd_run(rapsd, image, again);
    CHECK(memcmp(again, got, (size_t)rings * sizeof *got) == 0, "%dx%d: run is repeatable", width,
          height);
    free(again);
    free(got);
    free(freq);
    free(want);
    free(want_freq);
    free(image);
    st_rapsd_free(rapsd);
}

static void check_white_noise(void)
{
    const int size = 512;
    size_t n = (size_t)size * size;
    float *image = malloc(n * sizeof *image);
    uint64_t seed = 12345;
    for (size_t i = 0; i < n; i++)
        image[i] = (float)test_random_gaussian(&seed);
    st_rapsd *rapsd = st_rapsd_new(size, size, NULL);
    int rings = st_rapsd_ring_count(rapsd);
    double *power = malloc((size_t)rings * sizeof *power);
    for (int sigma = 1; sigma <= 3; sigma += 2) {
        for (size_t i = 0; i < n && sigma == 3; i++)
            image[i] *= 3.0f;
        st_rapsd_run(rapsd, image, power);
        double mean = 0.0;
        for (int r = 1; r < rings; r++)
            mean += power[r];
        mean /= rings - 1;
        double want = (double)sigma * sigma;
        CHECK_NEAR(mean, want, 0.02 * want,
                   sigma == 1 ? "white noise 512x512: mean RAPSD"
                              : "white noise sigma 3: mean RAPSD");
    }
    free(power);
    free(image);
    st_rapsd_free(rapsd);
}

/* Full-spectrum bins of ring `ring` for a width x height image, counted here. */
static int bins_in_ring(int width, int height, int ring)
{
    int count = 0;
    for (int yc = -(height / 2); yc < height - height / 2; yc++)
        for (int xc = -(width / 2); xc < width - width / 2; xc++)
            if ((int)round(sqrt((double)(xc * xc + yc * yc))) == ring)
                count++;
    return count;
}

/* x = cos(2 pi (kx x / W + ky y / H)): its DFT is W H / 2 at (kx, ky) and at
 * (-kx, -ky), so P = W H / 4 at those two bins, both in ring round(|k|). */
static void check_cosine(int size, int kx, int ky)
{
    size_t n = (size_t)size * size;
    float *image = malloc(n * sizeof *image);
    for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++)
            image[y * size + x] =
                (float)cos(2.0 * M_PI * ((double)kx * x / size + (double)ky * y / size));
    st_rapsd *rapsd = st_rapsd_new(size, size, NULL);
    int rings = st_rapsd_ring_count(rapsd);
    double *power = malloc((size_t)rings * sizeof *power);
    st_rapsd_run(rapsd, image, power);
    int ring = (int)round(sqrt((double)(kx * kx + ky * ky)));
    double want = 2.0 * (n / 4.0) / bins_in_ring(size, size, ring);
    char what[96];
    snprintf(what, sizeof what, "cosine (%d,%d) on %dx%d: ring %d value", kx, ky, size, size, ring);
    CHECK_NEAR(power[ring], want, 1e-4 * want, what);
    double elsewhere = 0.0;
    for (int r = 0; r < rings; r++)
        if (r != ring)
            elsewhere = fmax(elsewhere, power[r]);
    CHECK(elsewhere < 1e-6 * want, "cosine (%d,%d) on %dx%d: other rings empty (max %.3g)", kx, ky,
          size, size, elsewhere);
    free(power);
    free(image);
    st_rapsd_free(rapsd);
}

static void check_ring_of(void)
{
    int ok = 1;
    for (int y = -40; y <= 40; y++)
        for (int x = -40; x <= 40; x++)
            if (st_ring_of(x, y) != (int)round(sqrt((double)(x * x + y * y))))
                ok = 0;
    CHECK(ok, "st_ring_of = round(hypot) on [-40,40]^2");
    CHECK(st_ring_of(65535, 65535) == (int)round(65535.0 * sqrt(2.0)), "st_ring_of at 65535");
}

int main(void)
{
    static const int sizes[][2] = {{1, 1},  {2, 3},  {3, 2},   {7, 5},   {8, 6},
                                   {1, 64}, {64, 1}, {33, 64}, {64, 33}, {2, 2}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        check_against_dft(sizes[i][0], sizes[i][1], 1000 + i);
    check_ring_of();
    check_white_noise();
    check_cosine(64, 5, 0);
    check_cosine(64, 3, 4);
    check_cosine(63, 0, 7);
    check_cosine(64, 0, 31);
    CHECK(st_rapsd_new(0, 5, NULL) == NULL, "0x5 refused");
    CHECK(st_rapsd_new(ST_MAX_IMAGE_SIDE + 1, 1, NULL) == NULL, "side above the limit refused");
    CHECK(st_rapsd_new(60000, 60000, NULL) == NULL, "pixel count above the limit refused");
    return check_done();
}
