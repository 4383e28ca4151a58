/* Resampler: a 1 kHz sine keeps its STFT bin and level (analytic sum of the
 * Hann main lobe, N A^2 / 4) through 48 kHz -> 22050 Hz and 22050 -> 48000;
 * any block partition gives the same output as one big block.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_audio.h"
#include "test_util.h"

#include <samplerate.h>
#include <string.h>

/* Resamples x (length n) in blocks from `sizes` (cycled; size 0 = random in
 * 1..8192); returns the output length. */
static int resample_in_blocks(st_resampler *r, const float *x, int n, const int *sizes, int n_sizes,
                              float *out, int out_capacity, test_rng *rng)
{
    int pos = 0, written = 0, i = 0;
    st_resampler_reset(r);
    while (pos < n) {
        int block = sizes[i++ % n_sizes];
        if (block == 0)
            block = 1 + (int)(test_rng_next(rng) % 8192);
        if (block > n - pos)
            block = n - pos;
        int room = st_resampler_max_output(r, block);
        if (written + room > out_capacity)
            return -1;
        int got = st_resampler_run(r, x + pos, block, out + written, room);
        CHECK(got >= 0 && got <= room, "run returned %d for %d samples", got, block);
        if (got < 0)
            return -1;
        written += got;
        pos += block;
    }
    return written;
}

/* Streams `y` through an STFT (n_fft 2048, hop 1024), skipping the first
 * frames (the converter's start-up), averages the power and returns the
 * peak bin and the sum of power over the peak +-6 bins. */
static void sine_level(const float *y, int n, int *peak_bin, double *lobe_power)
{
    const int n_fft = 2048, bins = n_fft / 2 + 1;
    st_stft *stft = st_stft_new(n_fft, 1024, NULL);
    double *sum = calloc(bins, sizeof(double));
    int frames = 0, seen = 0;
    while (n > 0) {
        int used = st_stft_feed(stft, y, n);
        y += used;
        n -= used;
        if (st_stft_frame_ready(stft)) {
            const float *p = st_stft_power(stft);
            if (seen++ < 4)
                continue;
            for (int k = 0; k < bins; k++)
                sum[k] += p[k];
            frames++;
        }
    }
    int best = 0;
    for (int k = 1; k < bins; k++)
        if (sum[k] > sum[best])
            best = k;
    double lobe = 0.0;
    for (int k = best - 6; k <= best + 6; k++)
        lobe += sum[k] / frames;
    *peak_bin = best;
    *lobe_power = lobe;
    free(sum);
    st_stft_free(stft);
}

static void test_sine_level(double in_rate, double out_rate, int converter)
{
    const double amplitude = 0.5, freq = 1000.0;
    const int n = (int)(3.0 * in_rate);
    float *x = malloc(sizeof(float) * n);
    for (int i = 0; i < n; i++)
        x[i] = (float)(amplitude * sin(2.0 * M_PI * freq * i / in_rate));
    st_resampler *r = st_resampler_new(in_rate, out_rate, converter, 4096, NULL);
    int capacity = (int)(n * out_rate / in_rate) + 100000;
    float *y = malloc(sizeof(float) * capacity);
    int sizes[] = {4096, 100, 1, 2999};
    test_rng rng = {1};
    int m = resample_in_blocks(r, x, n, sizes, 4, y, capacity, &rng);
    CHECK(abs(m - (int)(n * out_rate / in_rate)) < 200, "output length %d for %d inputs", m, n);
    int peak;
    double lobe;
    sine_level(y, m, &peak, &lobe);
    /* Sum over the positive-frequency bins of |X|^2 is N sum(w^2) A^2 / 4, so
     * the normalised power sums to N A^2 / 4 (the +-6 bins hold all but
     * ~1e-6 of the Hann lobe). */
    double expect = 2048.0 * amplitude * amplitude / 4.0;
    int expect_bin = (int)lround(freq / (out_rate / 2048.0));
    double error_db = to_db(lobe / expect);
    CHECK(peak == expect_bin, "peak bin %d, expected %d", peak, expect_bin);
    CHECK(fabs(error_db) < 0.1, "level off by %.3f dB", error_db);
    printf("1 kHz sine %g -> %g Hz (converter %d): peak bin %d (expected %d), level %+.6f dB from "
           "N A^2/4\n",
           in_rate, out_rate, converter, peak, expect_bin, error_db);
    free(x);
    free(y);
    st_resampler_free(r);
}

static void test_blocks(double in_rate, double out_rate)
{
    const int n = 100000;
    float *x = malloc(sizeof(float) * n);
    test_rng rng = {77};
    for (int i = 0; i < n; i++)
        x[i] = (float)(0.2 * test_rng_gaussian(&rng) + 0.3 * sin(0.05 * i));
    int capacity = (int)(n * out_rate / in_rate) + 200000;
    float *big = malloc(sizeof(float) * capacity), *other = malloc(sizeof(float) * capacity);
    st_resampler *whole = st_resampler_new(in_rate, out_rate, -1, n, NULL);
    int one[] = {n};
    int m = resample_in_blocks(whole, x, n, one, 1, big, capacity, &rng);
    st_resampler *r = st_resampler_new(in_rate, out_rate, -1, 8192, NULL);
    int fixed[] = {1, 7, 64, 4096, 0};
    for (int s = 0; s < 5; s++) {
        int got = resample_in_blocks(r, x, n, &fixed[s], 1, other, capacity, &rng);
        double worst = 0.0;
        for (int i = 0; i < m && i < got; i++)
            worst = fmax(worst, fabs(other[i] - big[i]));
        CHECK(got == m, "%g -> %g, blocks of %d: %d samples, one block gave %d", in_rate, out_rate,
              fixed[s], got, m);
        CHECK(worst <= 1e-6, "%g -> %g, blocks of %d: differs by %g", in_rate, out_rate, fixed[s],
              worst);
        printf("resample %g -> %g, blocks of %d (%s): %d samples (one block %d), max difference "
               "%.2e\n",
               in_rate, out_rate, fixed[s], fixed[s] ? "fixed size" : "random size", got, m, worst);
    }
    free(x);
    free(big);
    free(other);
    st_resampler_free(whole);
    st_resampler_free(r);
}

static void test_arguments(void)
{
    CHECK(st_resampler_new(0.0, 22050, -1, 64, NULL) == NULL, "rate 0");
    CHECK(st_resampler_new(48000, 22050, 9, 64, NULL) == NULL, "unknown converter");
    CHECK(st_resampler_new(48000, 22050, -1, 0, NULL) == NULL, "max_block 0");
    CHECK(st_resampler_new(1.0, 1000.0, -1, 64, NULL) == NULL, "ratio beyond libsamplerate's 256");
    st_resampler *r = st_resampler_new(48000, 22050, SRC_LINEAR, 256, NULL);
    float in[256], out[256];
    for (int i = 0; i < 256; i++)
        in[i] = (i % 50 == 3) ? NAN : (float)sin(0.1 * i);
    CHECK(st_resampler_run(r, in, 256, out, 10) == ST_ERROR_ARGUMENT, "short capacity accepted");
    int got = st_resampler_run(r, in, 256, out, st_resampler_max_output(r, 256));
    int finite = got > 0;
    for (int i = 0; i < got; i++)
        finite &= isfinite(out[i]) != 0;
    CHECK(finite, "NaN input gave non-finite output (%d samples)", got);
    CHECK(st_resampler_run(r, in, 0, out, 256) == 0, "empty block");
    st_resampler_free(r);
    st_resampler_free(NULL);
}

int main(void)
{
    test_arguments();
    test_sine_level(48000.0, 22050.0, -1);
    test_sine_level(44100.0, 22050.0, -1);
    test_sine_level(22050.0, 48000.0, -1);
    test_sine_level(48000.0, 22050.0, SRC_SINC_BEST_QUALITY);
    test_blocks(48000.0, 22050.0);
    test_blocks(22050.0, 44100.0);
    return test_result("test_resample");
}
