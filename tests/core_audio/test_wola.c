/* st_wola, the mask audition, against references computed here:
 *  - unit gains: the output is the input delayed by the reported latency,
 *    from the first sample (perfect reconstruction, float rounding);
 *  - the result does not depend on how the input is cut into blocks;
 *  - the water mask on tones at bin centres plus faint noise equals an
 *    offline weighted overlap-add written here in double precision with a
 *    naive DFT (frames placed by the documented priming, periodic Hann,
 *    hard decision power > level, synthesis window w / sum w^2);
 *  - residual = delayed input - output, bit for bit in float;
 *  - arguments out of range are refused with ST_ERROR_ARGUMENT;
 *  - st_spectral_gate (the same rule with its work spread over `delay`
 *    samples, core/spectide_realtime.h) gives the same samples after its
 *    own latency.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_audio.h"
#include "spectide_realtime.h"
#include "test_util.h"

#include <string.h>

static double hann(int i, int n)
{
    return 0.5 - 0.5 * cos(2.0 * M_PI * i / n);
}

static void test_arguments(void)
{
    st_status error = ST_OK;
    CHECK(!st_wola_new(1000, 250, NULL, NULL, &error) && error == ST_ERROR_ARGUMENT,
          "n_fft 1000 refused");
    error = ST_OK;
    CHECK(!st_wola_new(1024, 512, NULL, NULL, &error) && error == ST_ERROR_ARGUMENT,
          "hop n/2 refused (squared Hann windows do not sum to a constant)");
    error = ST_OK;
    CHECK(!st_wola_new(1024, 384, NULL, NULL, &error) && error == ST_ERROR_ARGUMENT,
          "hop 384 (not n / power of two) refused");
    error = ST_OK;
    CHECK(!st_wola_new(128, 32, NULL, NULL, &error) && error == ST_ERROR_ARGUMENT,
          "n_fft below ST_FFT_SIZE_MIN refused");
    error = ST_ERROR_MEMORY;
    st_wola *wola = st_wola_new(1024, 128, NULL, NULL, &error);
    CHECK(wola && error == ST_OK && st_wola_latency(wola) == 1024 && st_wola_bins(wola) == 513,
          "1024/128 made: latency %d, bins %d", wola ? st_wola_latency(wola) : -1,
          wola ? st_wola_bins(wola) : -1);
    st_wola_free(wola);
    st_wola_free(NULL);
}

/* Runs `wola` over x[0..n) in blocks of the sizes listed (cycled). */
static void run_blocks(st_wola *wola, const float *x, float *out, float *residual, int n,
                       const int *sizes, int size_count)
{
    int done = 0, which = 0;
    while (done < n) {
        int block = sizes[which++ % size_count];
        if (block > n - done)
            block = n - done;
        st_wola_run(wola, x + done, out + done, residual ? residual + done : NULL, block);
        done += block;
    }
}

static void test_perfect_reconstruction(void)
{
    const int sizes[][2] = {{256, 64}, {1024, 256}, {2048, 256}, {4096, 1024}};
    const int n = 30000;
    float *x = malloc(sizeof(float) * n), *out = malloc(sizeof(float) * n);
    test_rng rng = {17};
    for (int i = 0; i < n; i++)
        x[i] = (float)(0.3 * test_rng_gaussian(&rng) + 0.5 * sin(0.01 * i));
    for (int s = 0; s < 4; s++) {
        int n_fft = sizes[s][0], hop = sizes[s][1];
        st_wola *wola = st_wola_new(n_fft, hop, NULL, NULL, NULL);
        const int blocks[] = {1, 7, 300, 4096, 33};
        run_blocks(wola, x, out, NULL, n, blocks, 5);
        int latency = st_wola_latency(wola);
        double worst = 0.0, worst_start = 0.0;
        for (int i = 0; i < latency; i++)
            worst_start = fmax(worst_start, fabs(out[i]));
        for (int i = latency; i < n; i++)
            worst = fmax(worst, fabs((double)out[i] - x[i - latency]));
        printf("unit gains, n_fft %d hop %d: out = in delayed by %d within %.2e (|x| <= 1.7); "
               "first %d outputs |.| <= %.1e\n",
               n_fft, hop, latency, worst, latency, worst_start);
        CHECK(latency == n_fft && worst < 2e-6 && worst_start < 1e-6,
              "perfect reconstruction n_fft %d hop %d: %g", n_fft, hop, worst);
        st_wola_free(wola);
    }
    free(x);
    free(out);
}

/* Offline weighted overlap-add in double with a naive DFT: the reference
 * for the water mask. Virtual signal = prime zeros, x, n zeros; frame m
 * covers [m hop, m hop + n); output of x[i] at virtual i + prime. */
static void reference_mask(const float *x, int length, int n_fft, int hop, double level,
                           double *out)
{
    int prime = n_fft - hop / 2, total = prime + length + n_fft, bins = n_fft / 2 + 1;
    double *v = calloc((size_t)total, sizeof(double)), *sum = calloc((size_t)total, sizeof(double));
    double *re = malloc(sizeof(double) * bins), *im = malloc(sizeof(double) * bins);
    double *frame = malloc(sizeof(double) * n_fft), *norm = calloc((size_t)hop, sizeof(double));
    double window_power = 0.0;
    for (int i = 0; i < n_fft; i++) {
        window_power += hann(i, n_fft) * hann(i, n_fft);
        norm[i % hop] += hann(i, n_fft) * hann(i, n_fft);
    }
    for (int i = 0; i < length; i++)
        v[prime + i] = x[i];
    for (int start = 0; start + n_fft <= total; start += hop) {
        for (int k = 0; k < bins; k++) {
            double a = 0.0, b = 0.0;
            for (int i = 0; i < n_fft; i++) {
                double y = v[start + i] * hann(i, n_fft);
                a += y * cos(2.0 * M_PI * k * i / n_fft);
                b -= y * sin(2.0 * M_PI * k * i / n_fft);
            }
            int keep = (a * a + b * b) / window_power > level;
            re[k] = keep ? a : 0.0;
            im[k] = keep ? b : 0.0;
        }
        for (int i = 0; i < n_fft; i++) {
            double y = re[0] + re[bins - 1] * cos(M_PI * i);
            for (int k = 1; k < bins - 1; k++)
                y += 2.0 * (re[k] * cos(2.0 * M_PI * k * i / n_fft) -
                            im[k] * sin(2.0 * M_PI * k * i / n_fft));
            frame[i] = y / n_fft;
        }
        for (int i = 0; i < n_fft; i++)
            sum[start + i] += frame[i] * hann(i, n_fft) / norm[i % hop];
    }
    for (int i = 0; i < length; i++)
        out[i] = sum[prime + i];
    free(v);
    free(sum);
    free(re);
    free(im);
    free(frame);
    free(norm);
}

static void test_water_mask(void)
{
    const int n_fft = 256, hop = 64, n = 6000;
    float *x = malloc(sizeof(float) * (n + n_fft)), *out = malloc(sizeof(float) * (n + n_fft));
    float *residual = malloc(sizeof(float) * (n + n_fft));
    double *expected = malloc(sizeof(double) * n);
    test_rng rng = {5};
    /* Tones on bin centres (bins 10 and 37: exactly 3 bins each), switched on
     * and off so that frames differ; noise at -60 dB, the water at -20 dB. */
    for (int i = 0; i < n; i++) {
        double tone = 0.5 * sin(2.0 * M_PI * 10 * i / n_fft);
        if ((i / 1500) % 2 == 1)
            tone += 0.3 * cos(2.0 * M_PI * 37 * i / n_fft);
        x[i] = (float)(tone + 1e-3 * test_rng_gaussian(&rng));
    }
    memset(x + n, 0, sizeof(float) * n_fft);
    double level = 0.01;
    st_wola *wola = st_wola_new(n_fft, hop, st_water_mask, &level, NULL);
    const int blocks[] = {13, 256, 1, 999};
    run_blocks(wola, x, out, residual, n + n_fft, blocks, 4);
    reference_mask(x, n, n_fft, hop, level, expected);
    double worst = 0.0, removed = 0.0, kept_tone = 0.0;
    long residual_mismatches = 0;
    for (int i = 0; i < n; i++) {
        worst = fmax(worst, fabs(out[i + n_fft] - expected[i]));
        kept_tone = fmax(kept_tone, fabs(out[i + n_fft]));
        /* Away from the switching of the second tone (whose step spreads over
         * every bin), what drowned is the noise alone. */
        if (abs(i - (i + 750) / 1500 * 1500) > n_fft)
            removed = fmax(removed, fabs(residual[i + n_fft]));
    }
    for (int i = 0; i < n + n_fft; i++) {
        float delayed = i >= n_fft ? x[i - n_fft] : 0.0f;
        float difference = delayed - out[i];
        if (memcmp(&difference, &residual[i], sizeof(float)) != 0)
            residual_mismatches++;
    }
    printf("water mask n_fft %d: stream vs double-precision offline WOLA within %.2e; "
           "residual = delayed input - output in float: %ld mismatches of %d\n",
           n_fft, worst, residual_mismatches, n + n_fft);
    CHECK(worst < 1e-5, "mask differs from the offline reference by %g", worst);
    CHECK(residual_mismatches == 0, "%ld residual samples differ from in - out",
          residual_mismatches);
    CHECK(removed > 1e-3 && removed < 6e-3 && kept_tone > 0.5,
          "the mask removed the noise (residual peak %g, noise sigma 1e-3) and kept the tones "
          "(peak %g)",
          removed, kept_tone);

    /* In place: out written over the input buffer gives the same samples. */
    float *copy = malloc(sizeof(float) * (n + n_fft));
    memcpy(copy, x, sizeof(float) * (n + n_fft));
    st_wola_reset(wola);
    run_blocks(wola, copy, copy, NULL, n + n_fft, blocks, 4);
    CHECK(memcmp(copy, out, sizeof(float) * (n + n_fft)) == 0, "in-place run differs");
    free(copy);
    st_wola_free(wola);
    free(x);
    free(out);
    free(residual);
    free(expected);
}

/* st_spectral_gate is the same mask with its work sliced: after each
 * object's own latency, the same samples. Tones on bin centres, switched
 * per segment, and noise 40 dB under the water (no decision near the line),
 * then white noise at the water line itself (many near-ties, reported). */
static void compare_gate(const float *x, int n, int n_fft, double level, int delay, int step_points,
                         double *worst, long *differing)
{
    int hop = n_fft / 4;
    st_wola *wola = st_wola_new(n_fft, hop, st_water_mask, &level, NULL);
    st_spectral_gate *gate = st_spectral_gate_new(n_fft, hop, delay, step_points, NULL);
    int total = n + 2 * n_fft;
    float *in = calloc((size_t)total, sizeof(float)), *a = malloc(sizeof(float) * total);
    float *b = malloc(sizeof(float) * total), *ra = malloc(sizeof(float) * total);
    float *rb = malloc(sizeof(float) * total);
    memcpy(in, x, sizeof(float) * n);
    const int blocks[] = {64, 1, 1000, 4096};
    run_blocks(wola, in, a, ra, total, blocks, 4);
    int done = 0, which = 0;
    while (done < total) {
        int block = blocks[which++ % 4];
        if (block > total - done)
            block = total - done;
        st_spectral_gate_run(gate, in + done, b + done, rb + done, block, level);
        done += block;
    }
    int la = st_wola_latency(wola), lb = st_spectral_gate_latency(gate);
    *worst = 0.0;
    *differing = 0;
    for (int i = 0; i < n; i++) {
        double d = fmax(fabs(a[i + la] - b[i + lb]), fabs(ra[i + la] - rb[i + lb]));
        *worst = fmax(*worst, d);
        *differing += d > 1e-6;
    }
    CHECK(la == n_fft && lb == n_fft + delay, "latencies %d and %d", la, lb);
    st_wola_free(wola);
    st_spectral_gate_free(gate);
    free(in);
    free(a);
    free(b);
    free(ra);
    free(rb);
}

static void test_spectral_gate(void)
{
    const int n_fft = 4096, n = 60000;
    float *tones = malloc(sizeof(float) * n), *noise = malloc(sizeof(float) * n);
    test_rng rng = {23};
    for (int i = 0; i < n; i++) {
        double v = 0.4 * sin(2.0 * M_PI * 100 * i / n_fft);
        if ((i / 9000) % 2 == 1)
            v += 0.2 * cos(2.0 * M_PI * 333 * i / n_fft);
        tones[i] = (float)(v + 1e-4 * test_rng_gaussian(&rng));
        noise[i] = (float)(0.01 * test_rng_gaussian(&rng));
    }
    const int settings[][2] = {{0, 4096}, {512, 4096}, {0, 256}, {1024, 512}};
    for (int s = 0; s < 4; s++) {
        int delay = settings[s][0], step_points = settings[s][1];
        double worst, worst_noise;
        long differing, differing_noise;
        compare_gate(tones, n, n_fft, 1e-4, delay, step_points, &worst, &differing);
        compare_gate(noise, n, n_fft, 1e-4, delay, step_points, &worst_noise, &differing_noise);
        printf("st_spectral_gate (delay %4d, steps of %4d points) vs st_wola, each after its "
               "latency: tones %.2e; noise at the water line %.2e, %ld of %d samples over 1e-6\n",
               delay, step_points, worst, worst_noise, differing_noise, n);
        CHECK(worst < 1e-6, "gate delay %d differs from st_wola by %g", delay, worst);
    }
    free(tones);
    free(noise);
}

int main(void)
{
    test_arguments();
    test_perfect_reconstruction();
    test_water_mask();
    test_spectral_gate();
    return test_result("test_wola");
}
