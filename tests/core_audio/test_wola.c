/* st_wola, the one mask audition (spectide_audio.h), against references
 * computed here:
 *  - unit gains: the output is the input delayed by the reported latency
 *    n_fft + delay, from the first sample (perfect reconstruction, float
 *    rounding), for delays 0 to the hop and sizes to 65536 (sliced FFTs);
 *  - the result does not depend on how the input is cut into blocks, and
 *    the samples do not depend on the delay: the same bits after each
 *    object's own latency (only when they leave changes);
 *  - the water mask on tones at bin centres plus faint noise equals an
 *    offline weighted overlap-add written here in double precision with a
 *    naive DFT (frames placed by the documented priming, periodic Hann,
 *    hard decision power > level, synthesis window w / sum w^2);
 *  - analytic cases: nothing kept gives silence and exactly the delayed
 *    input as the residual; a level between two bin-centred tones keeps the
 *    strong one and removes the weak one (a bin-centred tone under a Hann
 *    window lives in three bins, powers A^2 n/6 and A^2 n/24);
 *  - residual = delayed input - output, bit for bit in float; in place;
 *  - NaN input reads as 0; no call runs more steps than the documented
 *    bound (work counted, not timed); no heap call in st_wola_run;
 *  - arguments out of range are refused with ST_ERROR_ARGUMENT.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "alloc_count.h"
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
    CHECK(!st_wola_new(1000, 250, 0, NULL, NULL, &error) && error == ST_ERROR_ARGUMENT,
          "n_fft 1000 refused");
    error = ST_OK;
    CHECK(!st_wola_new(1024, 512, 0, NULL, NULL, &error) && error == ST_ERROR_ARGUMENT,
          "hop n/2 refused (squared Hann windows do not sum to a constant)");
    error = ST_OK;
    CHECK(!st_wola_new(1024, 384, 0, NULL, NULL, &error) && error == ST_ERROR_ARGUMENT,
          "hop 384 (not n / power of two) refused");
    error = ST_OK;
    CHECK(!st_wola_new(128, 32, 0, NULL, NULL, &error) && error == ST_ERROR_ARGUMENT,
          "n_fft below ST_FFT_SIZE_MIN refused");
    error = ST_OK;
    CHECK(!st_wola_new(1024, 256, 257, NULL, NULL, &error) && error == ST_ERROR_ARGUMENT,
          "delay above the hop refused");
    error = ST_OK;
    CHECK(!st_wola_new(1024, 256, -1, NULL, NULL, &error) && error == ST_ERROR_ARGUMENT,
          "negative delay refused");
    error = ST_ERROR_MEMORY;
    st_wola *wola = st_wola_new(1024, 128, 100, NULL, NULL, &error);
    CHECK(wola && error == ST_OK && st_wola_latency(wola) == 1124 && st_wola_bins(wola) == 513,
          "1024/128 made: latency %d, bins %d", wola ? st_wola_latency(wola) : -1,
          wola ? st_wola_bins(wola) : -1);
    st_wola_free(wola);
    st_wola_free(NULL);
    CHECK(st_realtime_delay(4096, 1024) == 0 && st_realtime_delay(8192, 2048) == 1024 &&
              st_realtime_delay(65536, 16384) == 8192,
          "real-time delay: whole frames up to ST_REALTIME_STEP_POINTS, half a hop above");
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
    /* n_fft, hop, delay: whole FFTs, and sliced ones (above 4096 points). */
    const int sizes[][3] = {{256, 64, 0},        {1024, 256, 0},   {2048, 256, 100},
                            {4096, 1024, 0},     {4096, 512, 512}, {16384, 4096, 2048},
                            {65536, 16384, 8192}};
    const int count = (int)(sizeof sizes / sizeof sizes[0]);
    const int n = 200000;
    float *x = malloc(sizeof(float) * n), *out = malloc(sizeof(float) * n);
    test_rng rng = {17};
    for (int i = 0; i < n; i++)
        x[i] = (float)(0.3 * test_rng_gaussian(&rng) + 0.5 * sin(0.01 * i));
    for (int s = 0; s < count; s++) {
        int n_fft = sizes[s][0], hop = sizes[s][1], delay = sizes[s][2];
        st_wola *wola = st_wola_new(n_fft, hop, delay, NULL, NULL, NULL);
        const int blocks[] = {1, 7, 300, 4096, 33};
        int length = n_fft > 4096 ? n : 30000;
        run_blocks(wola, x, out, NULL, length, blocks, 5);
        int latency = st_wola_latency(wola);
        double worst = 0.0, worst_start = 0.0;
        for (int i = 0; i < latency; i++)
            worst_start = fmax(worst_start, fabs(out[i]));
        for (int i = latency; i < length; i++)
            worst = fmax(worst, fabs((double)out[i] - x[i - latency]));
        printf("unit gains, n_fft %5d hop %5d delay %4d: out = in delayed by %d within %.2e "
               "(|x| <= 1.7); first %d outputs |.| <= %.1e\n",
               n_fft, hop, delay, latency, worst, latency, worst_start);
        CHECK(latency == n_fft + delay && worst < 2e-6 && worst_start < 1e-6,
              "perfect reconstruction n_fft %d hop %d delay %d: %g", n_fft, hop, delay, worst);
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

static void test_water_mask(int delay)
{
    const int n_fft = 256, hop = 64, n = 6000;
    const int total = n + 2 * n_fft;
    float *x = malloc(sizeof(float) * total), *out = malloc(sizeof(float) * total);
    float *residual = malloc(sizeof(float) * total);
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
    memset(x + n, 0, sizeof(float) * (total - n));
    double level = 0.01;
    st_wola *wola = st_wola_new(n_fft, hop, delay, st_water_mask, &level, NULL);
    const int latency = st_wola_latency(wola);
    const int blocks[] = {13, 256, 1, 999};
    run_blocks(wola, x, out, residual, total, blocks, 4);
    reference_mask(x, n, n_fft, hop, level, expected);
    double worst = 0.0, removed = 0.0, kept_tone = 0.0;
    long residual_mismatches = 0;
    for (int i = 0; i < n; i++) {
        worst = fmax(worst, fabs(out[i + latency] - expected[i]));
        kept_tone = fmax(kept_tone, fabs(out[i + latency]));
        /* Away from the switching of the second tone (whose step spreads over
         * every bin), what drowned is the noise alone. */
        if (abs(i - (i + 750) / 1500 * 1500) > n_fft)
            removed = fmax(removed, fabs(residual[i + latency]));
    }
    for (int i = 0; i < total; i++) {
        float delayed = i >= latency ? x[i - latency] : 0.0f;
        float difference = delayed - out[i];
        if (memcmp(&difference, &residual[i], sizeof(float)) != 0)
            residual_mismatches++;
    }
    printf("water mask n_fft %d delay %d: stream vs double-precision offline WOLA within %.2e; "
           "residual = delayed input - output in float: %ld mismatches of %d\n",
           n_fft, delay, worst, residual_mismatches, total);
    CHECK(worst < 1e-5, "mask differs from the offline reference by %g", worst);
    CHECK(residual_mismatches == 0, "%ld residual samples differ from in - out",
          residual_mismatches);
    CHECK(removed > 1e-3 && removed < 6e-3 && kept_tone > 0.5,
          "the mask removed the noise (residual peak %g, noise sigma 1e-3) and kept the tones "
          "(peak %g)",
          removed, kept_tone);

    /* In place: out written over the input buffer gives the same samples. */
    float *copy = malloc(sizeof(float) * total);
    memcpy(copy, x, sizeof(float) * total);
    st_wola_reset(wola);
    run_blocks(wola, copy, copy, NULL, total, blocks, 4);
    CHECK(memcmp(copy, out, sizeof(float) * total) == 0, "in-place run differs");
    /* And the residual in place. */
    memcpy(copy, x, sizeof(float) * total);
    float *kept = malloc(sizeof(float) * total);
    st_wola_reset(wola);
    run_blocks(wola, copy, kept, copy, total, blocks, 4);
    CHECK(memcmp(copy, residual, sizeof(float) * total) == 0, "in-place residual differs");
    free(kept);
    free(copy);
    st_wola_free(wola);
    free(x);
    free(out);
    free(residual);
    free(expected);
}

/* Runs x through in random blocks (1 to max_block), counting heap calls. */
static void run_random(st_wola *wola, const float *x, float *kept, float *removed, int n,
                       int max_block, test_rng *rng)
{
    int done = 0;
    while (done < n) {
        int block = 1 + (int)(test_rng_next(rng) % (uint64_t)max_block);
        if (block > n - done)
            block = n - done;
        alloc_count_begin();
        st_wola_run(wola, x + done, kept + done, removed ? removed + done : NULL, block);
        alloc_count_end();
        done += block;
    }
}

/* Analytic cases, the partition, NaN and the work bound for one setting. */
static void check_bounded(int n_fft, int hop, int delay, test_rng *rng)
{
    double level = 0.0;
    st_status error = ST_ERROR_ARGUMENT;
    st_wola *wola = st_wola_new(n_fft, hop, delay, st_water_mask, &level, &error);
    CHECK(wola && error == ST_OK, "wola %d/%d/%d", n_fft, hop, delay);
    if (!wola)
        return;
    int latency = st_wola_latency(wola);
    const int n = 4 * n_fft + latency + 3 * hop;
    float *x = malloc(sizeof(float) * n), *kept = malloc(sizeof(float) * n),
          *removed = malloc(sizeof(float) * n), *again = malloc(sizeof(float) * n);
    for (int i = 0; i < n; i++)
        x[i] = (float)(0.3 * test_rng_gaussian(rng));
    /* Every bin kept (power >= 0 > -1): the input, delayed. */
    level = -1.0;
    run_random(wola, x, kept, removed, n, 3 * hop, rng);
    double worst = 0.0, worst_removed = 0.0;
    for (int i = 0; i < n; i++) {
        double expected = i >= latency ? x[i - latency] : 0.0;
        worst = fmax(worst, fabs(kept[i] - expected));
        worst_removed = fmax(worst_removed, fabs(removed[i]));
    }
    CHECK(worst < 2e-6 && worst_removed < 2e-6,
          "%d delay %d keeping all: output off the delayed input by %.3g (removed %.3g)", n_fft,
          delay, worst, worst_removed);
    /* Nothing kept: silence, and everything removed (exactly the delayed input). */
    level = INFINITY;
    st_wola_reset(wola);
    run_random(wola, x, kept, removed, n, 2 * hop, rng);
    int exact = 1;
    for (int i = 0; i < n; i++) {
        float expected = i >= latency ? x[i - latency] : 0.0f;
        exact = exact && kept[i] == 0.0f && removed[i] == expected;
    }
    CHECK(exact, "%d keeping nothing: not silence plus the delayed input", n_fft);
    /* Two bin-centred tones, a level between their powers: the strong one
     * is kept, the weak one removed (after the start, where the frames see
     * the tones begin). Powers: A^2 n/6 on the centre bin, A^2 n/24 on each
     * neighbour. */
    const double strong = 0.5, weak = 0.002;
    const int k1 = n_fft / 16, k2 = n_fft / 16 + 37;
    level = sqrt((strong * strong * n_fft / 24) * (weak * weak * n_fft / 6));
    for (int i = 0; i < n; i++)
        x[i] = (float)(strong * cos(2 * M_PI * (double)k1 * i / n_fft) +
                       weak * sin(2 * M_PI * (double)k2 * i / n_fft));
    st_wola_reset(wola);
    run_random(wola, x, kept, removed, n, 5 * hop, rng);
    double worst_kept = 0.0, worst_weak = 0.0;
    for (int i = 2 * n_fft + latency; i < n; i++) {
        int t = i - latency;
        double s = strong * cos(2 * M_PI * (double)k1 * t / n_fft);
        double w = weak * sin(2 * M_PI * (double)k2 * t / n_fft);
        worst_kept = fmax(worst_kept, fabs(kept[i] - s));
        worst_weak = fmax(worst_weak, fabs(removed[i] - w));
    }
    CHECK(worst_kept < 1e-5 && worst_weak < 1e-5,
          "%d: strong tone kept within %.3g, weak one removed within %.3g", n_fft, worst_kept,
          worst_weak);
    /* The same bits for another partition; NaN reads as 0. */
    x[n / 3] = NAN;
    st_wola_reset(wola);
    run_random(wola, x, kept, NULL, n, 3 * hop, rng);
    x[n / 3] = 0.0f;
    st_wola_reset(wola);
    run_random(wola, x, again, NULL, n, 1 + hop / 7, rng);
    CHECK(memcmp(kept, again, sizeof(float) * n) == 0,
          "%d: block partition (or a NaN) changed the output", n_fft);
    int finite = 1;
    for (int i = 0; i < n; i++)
        finite = finite && isfinite(kept[i]);
    CHECK(finite, "%d: NaN input leaked into the output", n_fft);
    /* The same samples with every frame whole (delay 0), after its latency. */
    st_wola *whole = st_wola_new(n_fft, hop, 0, st_water_mask, &level, NULL);
    run_random(whole, x, again, NULL, n, 3 * hop, rng);
    CHECK(memcmp(kept + delay, again, sizeof(float) * (size_t)(n - delay)) == 0,
          "%d: delay %d changed the samples, not only their latency", n_fft, delay);
    st_wola_free(whole);
    /* The work bound: each call's steps, counted. */
    st_wola_reset(wola);
    int steps = st_wola_steps(wola), done = 0, over = 0;
    while (done < n) {
        int block = 1 + (int)(test_rng_next(rng) % 300);
        if (block > n - done)
            block = n - done;
        uint64_t before = st_wola_steps_run(wola);
        st_wola_run(wola, x + done, kept + done, NULL, block);
        double bound = delay > 0 ? (double)steps * block / delay + (double)block / hop + 2
                                 : (double)steps * (block / hop + 1);
        over += st_wola_steps_run(wola) - before > bound;
        done += block;
    }
    CHECK(over == 0, "%d: %d calls above the step bound", n_fft, over);
    printf("n_fft %5d hop %5d delay %5d: latency %d, %d steps per frame, all-pass error %.2g, "
           "tones %.2g / %.2g, same bits as delay 0 after the latency\n",
           n_fft, hop, delay, latency, steps, worst, worst_kept, worst_weak);
    free(x);
    free(kept);
    free(removed);
    free(again);
    st_wola_free(wola);
}

int main(void)
{
    alloc_count_init();
    test_arguments();
    test_perfect_reconstruction();
    test_water_mask(0);
    test_water_mask(48);
    test_rng rng = {31};
    check_bounded(256, 64, 0, &rng);
    check_bounded(1024, 256, 128, &rng);
    check_bounded(4096, 512, 256, &rng);
    check_bounded(16384, 4096, st_realtime_delay(16384, 4096), &rng);
    check_bounded(65536, 16384, 8192, &rng);
    check_bounded(65536, 16384, 16384, &rng);
    CHECK(alloc_count_total() == 0, "%ld heap calls in st_wola_run", alloc_count_total());
    return test_result("test_wola");
}
