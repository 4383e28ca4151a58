/* Streaming STFT: window, power normalisation (analytic sine and white-noise
 * values), Parseval, block-size independence, resynthesis, bad samples.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_audio.h"
#include "test_util.h"

#include <string.h>

static void test_arguments(void)
{
    CHECK(st_stft_new(100, 10, NULL) == NULL, "n_fft not a power of two accepted");
    CHECK(st_stft_new(128, 64, NULL) == NULL, "n_fft below the minimum accepted");
    CHECK(st_stft_new(131072, 64, NULL) == NULL, "n_fft above the maximum accepted");
    CHECK(st_stft_new(256, 0, NULL) == NULL, "hop 0 accepted");
    CHECK(st_stft_new(256, 257, NULL) == NULL, "hop > n_fft accepted");
    st_stft *stft = st_stft_new(256, 256, NULL);
    CHECK(stft && st_stft_bins(stft) == 129 && st_stft_hop(stft) == 256 &&
              st_stft_fft_size(stft) == 256,
          "geometry");
    st_stft_free(stft);
    st_stft_free(NULL);
}

/* Periodic Hann: sum w = N/2 and sum w^2 = 3N/8 exactly (the cosine terms
 * cancel over a whole period). */
static void test_window(void)
{
    const int n = 1024;
    st_stft *stft = st_stft_new(n, n / 2, NULL);
    const float *w = st_stft_window(stft);
    double sum = 0.0, sum_squares = 0.0, worst = 0.0;
    for (int i = 0; i < n; i++) {
        double expect = 0.5 - 0.5 * cos(2.0 * M_PI * i / n);
        worst = fmax(worst, fabs(w[i] - expect));
        sum += w[i];
        sum_squares += (double)w[i] * w[i];
    }
    CHECK(worst < 1e-7, "window differs from the periodic Hann by %g", worst);
    CHECK(fabs(sum - n / 2.0) < 1e-3, "sum w = %g, expected %g", sum, n / 2.0);
    CHECK(fabs(sum_squares - 3.0 * n / 8.0) < 1e-3, "sum w^2 = %g, expected %g", sum_squares,
          3.0 * n / 8.0);
    st_stft_free(stft);
}

/* A cosine of amplitude A on bin k0 (2 <= k0 <= N/2-2): the periodic Hann's
 * DFT has only W(0) = N/2 and W(+-1) = -N/4, so
 *   P(k0)   = A^2/4 (N/2)^2 / (3N/8) = A^2 N / 6,
 *   P(k0+-1) = A^2/4 (N/4)^2 / (3N/8) = A^2 N / 24, every other bin 0. */
static void test_sine_on_bin(void)
{
    const int n = 2048, k0 = 300;
    const double amplitude = 0.5, phase = 0.7;
    st_stft *stft = st_stft_new(n, n, NULL);
    float *x = malloc(sizeof(float) * n);
    float *power = malloc(sizeof(float) * (n / 2 + 1));
    for (int i = 0; i < n; i++)
        x[i] = (float)(amplitude * cos(2.0 * M_PI * k0 * i / n + phase));
    /* Streaming: the first frame is exactly these n samples. */
    int used = st_stft_feed(stft, x, n);
    CHECK(used == n && st_stft_frame_ready(stft), "one frame after n samples");
    memcpy(power, st_stft_power(stft), sizeof(float) * (n / 2 + 1));
    CHECK(!st_stft_frame_ready(stft), "reading the power clears the ready flag");
    double peak = amplitude * amplitude * n / 6.0;
    double side = amplitude * amplitude * n / 24.0;
    CHECK(fabs(power[k0] / peak - 1.0) < 1e-5, "P(k0) = %.7g, analytic %.7g", power[k0], peak);
    CHECK(fabs(power[k0 - 1] / side - 1.0) < 1e-5, "P(k0-1) = %.7g, analytic %.7g", power[k0 - 1],
          side);
    CHECK(fabs(power[k0 + 1] / side - 1.0) < 1e-5, "P(k0+1) = %.7g, analytic %.7g", power[k0 + 1],
          side);
    double others = 0.0;
    for (int k = 0; k <= n / 2; k++)
        if (abs(k - k0) > 1)
            others = fmax(others, power[k]);
    CHECK(others < 1e-9 * peak, "leakage outside the main lobe %g", others);
    printf("sine on bin %d (n_fft %d, A %.2f): P = %.6f (analytic %.6f), neighbours %.6f / "
           "%.6f (analytic %.6f)\n",
           k0, n, amplitude, power[k0], peak, power[k0 - 1], power[k0 + 1], side);
    free(x);
    free(power);
    st_stft_free(stft);
}

/* Parseval for the one-sided spectrum of a real frame:
 * |X0|^2 + |X_{N/2}|^2 + 2 sum_{0<k<N/2} |Xk|^2 = N sum (w x)^2. */
static void test_parseval(void)
{
    const int n = 4096;
    st_stft *stft = st_stft_new(n, n, NULL);
    const float *w = st_stft_window(stft);
    float *x = malloc(sizeof(float) * n);
    float *power = malloc(sizeof(float) * (n / 2 + 1));
    test_rng rng = {0x1234567ULL};
    double worst = 0.0;
    for (int frame = 0; frame < 8; frame++) {
        for (int i = 0; i < n; i++)
            x[i] = (float)(0.3 * test_rng_gaussian(&rng) + 0.2 * sin(0.0123 * i * (frame + 1)) +
                           0.05 * frame);
        st_stft_frame(stft, x, power);
        double time_energy = 0.0, window_power = 0.0;
        for (int i = 0; i < n; i++) {
            double v = (double)w[i] * x[i];
            time_energy += v * v;
            window_power += (double)w[i] * w[i];
        }
        double freq_energy = power[0] + power[n / 2];
        for (int k = 1; k < n / 2; k++)
            freq_energy += 2.0 * power[k];
        freq_energy *= window_power; /* undo the normalisation: sum |X|^2 */
        worst = fmax(worst, fabs(freq_energy / (n * time_energy) - 1.0));
    }
    CHECK(worst < 1e-5, "Parseval off by %g", worst);
    printf("Parseval: worst relative error over 8 frames %.2e\n", worst);
    free(x);
    free(power);
    st_stft_free(stft);
}

/* White noise of variance 0.01 (-20 dB): 2000 frames averaged in linear power.
 * n_fft 1024, hop 512 (Welch, 50 % overlap); every bin, DC and Nyquist
 * included, expects sigma^2 (see stft.c for why). */
static void test_white_noise(void)
{
    const int n = 1024, hop = 512, frames = 2000, bins = n / 2 + 1;
    const double sigma2 = 0.01;
    st_stft *stft = st_stft_new(n, hop, NULL);
    double *sum = calloc(bins, sizeof(double));
    test_rng rng = {42};
    float block[1000];
    int got = 0;
    while (got < frames) {
        for (int i = 0; i < 1000; i++)
            block[i] = (float)(sqrt(sigma2) * test_rng_gaussian(&rng));
        const float *x = block;
        int left = 1000;
        while (left > 0 && got < frames) {
            int used = st_stft_feed(stft, x, left);
            x += used;
            left -= used;
            if (st_stft_frame_ready(stft)) {
                const float *p = st_stft_power(stft);
                for (int k = 0; k < bins; k++)
                    sum[k] += p[k];
                got++;
            }
        }
    }
    double *db = malloc(sizeof(double) * bins);
    double worst = 0.0;
    for (int k = 0; k < bins; k++) {
        db[k] = to_db(sum[k] / frames);
        worst = fmax(worst, fabs(db[k] + 20.0));
    }
    qsort(db, bins, sizeof(double), compare_doubles);
    double median = db[bins / 2];
    CHECK(fabs(median + 20.0) < 0.1, "median bin %.3f dB, expected -20 dB", median);
    CHECK(worst < 1.0, "worst bin %.3f dB away from -20 dB", worst);
    printf("white noise sigma^2=0.01, n_fft %d hop %d, %d frames, all %d bins: median %.4f dB, "
           "worst deviation %.3f dB\n",
           n, hop, frames, bins, median, worst);
    free(db);
    free(sum);
    st_stft_free(stft);
}

/* Feeds `x` in blocks whose sizes come from `next_size`; collects frames. */
typedef int (*block_size_fn)(void *state);

static int collect_frames(st_stft *stft, const float *x, int length, block_size_fn next_size,
                          void *state, float *frames, int max_frames)
{
    int bins = st_stft_bins(stft), count = 0, pos = 0;
    st_stft_reset(stft);
    while (pos < length) {
        int block = next_size(state);
        if (block > length - pos)
            block = length - pos;
        const float *p = x + pos;
        int left = block;
        while (left > 0) {
            int used = st_stft_feed(stft, p, left);
            p += used;
            left -= used;
            if (st_stft_frame_ready(stft)) {
                if (count < max_frames)
                    memcpy(frames + (size_t)count * bins, st_stft_power(stft),
                           sizeof(float) * bins);
                count++;
            }
        }
        pos += block;
    }
    return count;
}

static int fixed_size(void *state)
{
    return *(int *)state;
}

static int random_size(void *state)
{
    return 1 + (int)(test_rng_next(state) % 8192);
}

static void test_blocks(int n, int hop)
{
    const int length = 50000;
    const int bins = n / 2 + 1;
    const int expected = (length - n) / hop + 1;
    st_stft *stft = st_stft_new(n, hop, NULL);
    float *x = malloc(sizeof(float) * length);
    test_rng rng = {7};
    for (int i = 0; i < length; i++)
        x[i] = (float)(0.1 * test_rng_gaussian(&rng) + 0.5 * sin(0.01 * i));
    float *reference = malloc(sizeof(float) * (size_t)expected * bins);
    float *frames = malloc(sizeof(float) * (size_t)expected * bins);
    /* Brute force: frame j is x[j*hop .. j*hop + n) transformed on its own. */
    for (int j = 0; j < expected; j++)
        st_stft_frame(stft, x + (size_t)j * hop, reference + (size_t)j * bins);

    int sizes[] = {length, 1, 7, 64, 4096};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int count = collect_frames(stft, x, length, fixed_size, &sizes[s], frames, expected);
        CHECK(count == expected, "blocks of %d: %d frames, expected %d", sizes[s], count, expected);
        CHECK(memcmp(frames, reference, sizeof(float) * (size_t)expected * bins) == 0,
              "blocks of %d (n_fft %d hop %d): frames differ from the brute-force frames", sizes[s],
              n, hop);
    }
    test_rng sizes_rng = {99};
    int count = collect_frames(stft, x, length, random_size, &sizes_rng, frames, expected);
    CHECK(count == expected, "random blocks: %d frames, expected %d", count, expected);
    CHECK(memcmp(frames, reference, sizeof(float) * (size_t)expected * bins) == 0,
          "random blocks (n_fft %d hop %d): frames differ", n, hop);
    free(x);
    free(reference);
    free(frames);
    st_stft_free(stft);
}

static void test_inverse(void)
{
    const int n = 512;
    st_stft *stft = st_stft_new(n, n / 2, NULL);
    float x[512], back[512];
    test_rng rng = {5};
    for (int i = 0; i < n; i++)
        x[i] = (float)test_rng_gaussian(&rng);
    st_stft_frame(stft, x, NULL);
    st_stft_inverse(stft, st_stft_spectrum(stft), back);
    const float *w = st_stft_window(stft);
    double worst = 0.0;
    for (int i = 0; i < n; i++)
        worst = fmax(worst, fabs(back[i] - w[i] * x[i]));
    CHECK(worst < 1e-5, "inverse differs from w*x by %g", worst);
    st_stft_free(stft);
}

/* Overlap-add of the inverse frames gives back the signal times the sum of
 * the shifted windows: 1 for hop n/2, 2 for hop n/4 (periodic Hann), wherever
 * all overlapping frames exist. This is what tide-audio --mode mask relies on. */
static void test_overlap_add(int n, int hop, double window_sum)
{
    const int length = 20000;
    st_stft *stft = st_stft_new(n, hop, NULL);
    float *x = malloc(sizeof(float) * length), *frame = malloc(sizeof(float) * n);
    double *out = calloc(length, sizeof(double));
    test_rng rng = {12};
    for (int i = 0; i < length; i++)
        x[i] = (float)test_rng_gaussian(&rng);
    int start = 0, pos = 0; /* frame j covers [j*hop, j*hop + n) */
    while (pos < length) {
        int used = st_stft_feed(stft, x + pos, length - pos);
        pos += used;
        if (st_stft_frame_ready(stft)) {
            st_stft_inverse(stft, st_stft_spectrum(stft), frame);
            CHECK(pos - n == start, "frame ends at %d, expected %d", pos, start + n);
            for (int i = 0; i < n; i++)
                out[start + i] += frame[i];
            start += hop;
        }
    }
    double worst = 0.0;
    for (int i = n; i < start; i++) /* every sample covered by n/hop frames */
        worst = fmax(worst, fabs(out[i] - window_sum * x[i]));
    CHECK(worst < 1e-5, "overlap-add n %d hop %d differs by %g", n, hop, worst);
    free(x);
    free(frame);
    free(out);
    st_stft_free(stft);
}

static void test_bad_samples(void)
{
    const int n = 256;
    st_stft *stft = st_stft_new(n, n, NULL);
    float x[256];
    for (int i = 0; i < n; i++)
        x[i] = (float)sin(0.3 * i);
    x[10] = NAN;
    x[20] = INFINITY;
    x[30] = -INFINITY;
    st_stft_feed(stft, x, n);
    CHECK(st_stft_frame_ready(stft), "frame expected");
    CHECK(st_stft_bad_samples(stft) == 3, "bad samples %llu, expected 3",
          (unsigned long long)st_stft_bad_samples(stft));
    const float *p = st_stft_power(stft);
    int finite = 1;
    for (int k = 0; k <= n / 2; k++)
        finite &= isfinite(p[k]) != 0;
    CHECK(finite, "power not finite after non-finite input");
    CHECK(st_stft_feed(stft, x, 0) == 0 && st_stft_feed(stft, NULL, 5) == 0, "empty feed");
    st_stft_free(stft);
}

int main(void)
{
    test_arguments();
    test_window();
    test_sine_on_bin();
    test_parseval();
    test_white_noise();
    test_blocks(1024, 256);
    test_blocks(256, 256);
    test_blocks(512, 1);
    test_blocks(4096, 3000);
    test_inverse();
    test_overlap_add(1024, 512, 1.0);
    test_overlap_add(512, 128, 2.0);
    test_bad_samples();
    return test_result("test_stft");
}
