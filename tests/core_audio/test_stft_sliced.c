/* Sliced STFT and spectral gate:
 * - st_sliced_stft gives st_stft's frames (same power to float rounding),
 *   each ready exactly `delay` samples after its last sample, the same bits
 *   for every block partition and every delay; white noise reads sigma^2;
 * - no call does more steps than the documented bound (work is counted, not
 *   timed), and the steps make no heap call;
 * - the gate with every bin kept returns the input delayed by its latency
 *   (n_fft + delay); with none kept, silence and the delayed input as the
 *   removed part; with a level between two bin-centred tones, the strong one
 *   in `kept` and the weak one in `removed` (analytic: a bin-centred tone
 *   under a Hann window lives in three bins); any block partition gives the
 *   same bits; NaN counts as 0.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "alloc_hooks.h"
#include "spectide_audio.h"
#include "spectide_realtime.h"
#include "test_util.h"

#include <string.h>

/* Feeds x in blocks of random lengths (1 to max_block); records every
 * frame's power (bins values each, up to max_frames) and the number of
 * samples consumed when it became ready. Checks the step bound per call. */
static int run_sliced(st_sliced_stft *stft, const float *x, int n, int max_block, test_rng *rng,
                      float *frames, long *ready_at, int max_frames)
{
    int bins = st_sliced_stft_bins(stft), count = 0, steps = st_sliced_stft_steps(stft);
    int hop = st_sliced_stft_hop(stft), delay = st_sliced_stft_delay(stft);
    long done = 0;
    while (done < n) {
        int block = 1 + (int)(test_rng_next(rng) % (uint64_t)max_block);
        if (block > n - done)
            block = (int)(n - done);
        const float *p = x + done;
        int left = block;
        uint64_t before = st_sliced_stft_steps_run(stft);
        alloc_counting = 1;
        while (left > 0) {
            int used = st_sliced_stft_feed(stft, p, left);
            p += used;
            left -= used;
            if (st_sliced_stft_frame_ready(stft)) {
                const float *power = st_sliced_stft_power(stft);
                if (count < max_frames) {
                    memcpy(frames + (size_t)count * bins, power, sizeof(float) * bins);
                    ready_at[count] = done + (block - left);
                }
                count++;
            }
        }
        alloc_counting = 0;
        if (delay > 0) {
            double bound = (double)steps * block / delay + (double)block / hop + 2;
            uint64_t ran = st_sliced_stft_steps_run(stft) - before;
            CHECK(ran <= bound, "a call of %d samples ran %llu steps, bound %.1f", block,
                  (unsigned long long)ran, bound);
        }
        done += block;
    }
    return count;
}

static void check_against_stft(int n_fft, int hop, int delay, int max_step, test_rng *rng)
{
    const int n = n_fft * 3 + hop * 5 + 17;
    float *x = malloc(sizeof(float) * n);
    for (int i = 0; i < n; i++)
        x[i] = (float)(0.2 * test_rng_gaussian(rng) + 0.5 * sin(0.01 * i));
    st_status error = ST_ERROR_ARGUMENT;
    st_sliced_stft *sliced = st_sliced_stft_new(n_fft, hop, delay, max_step, &error);
    CHECK(sliced && error == ST_OK, "new %d/%d/%d", n_fft, hop, delay);
    st_stft *plain = st_stft_new(n_fft, hop, NULL);
    int bins = n_fft / 2 + 1, max_frames = (n - n_fft) / hop + 2;
    float *frames = malloc(sizeof(float) * (size_t)bins * max_frames);
    float *again = malloc(sizeof(float) * (size_t)bins * max_frames);
    long *ready_at = malloc(sizeof(long) * max_frames),
         *ready_again = malloc(sizeof(long) * max_frames);
    int count = run_sliced(sliced, x, n, 3 * hop, rng, frames, ready_at, max_frames);
    /* The plain STFT's frames, in order. */
    int plain_count = 0;
    double worst = 0.0;
    const float *p = x;
    int left = n;
    while (left > 0) {
        int used = st_stft_feed(plain, p, left);
        p += used;
        left -= used;
        if (st_stft_frame_ready(plain)) {
            const float *power = st_stft_power(plain);
            long end = (long)(p - x);
            /* A frame ending at `end` is ready `delay` later, if within the input. */
            if (end + delay <= n && plain_count < count) {
                const float *mine = frames + (size_t)plain_count * bins;
                double peak = 0.0;
                for (int k = 0; k < bins; k++)
                    peak = fmax(peak, power[k]);
                for (int k = 0; k < bins; k++)
                    worst = fmax(worst, fabs(mine[k] - power[k]) / peak);
                CHECK(ready_at[plain_count] == end + delay,
                      "frame %d ready after %ld samples, expected %ld", plain_count,
                      ready_at[plain_count], end + delay);
                plain_count++;
            }
        }
    }
    CHECK(plain_count == count && count >= 3, "%d sliced frames, %d plain ones", count,
          plain_count);
    CHECK(worst < 2e-6, "n %d hop %d delay %d: power differs from st_stft by %.3g of the peak",
          n_fft, hop, delay, worst);
    /* Another partition, after a reset, gives the same bits and times. */
    st_sliced_stft_reset(sliced);
    int count_again = run_sliced(sliced, x, n, 7, rng, again, ready_again, max_frames);
    CHECK(count_again == count &&
              memcmp(frames, again,
                     sizeof(float) * (size_t)bins * (count < max_frames ? count : max_frames)) ==
                  0 &&
              memcmp(ready_at, ready_again,
                     sizeof(long) * (count < max_frames ? count : max_frames)) == 0,
          "n %d delay %d: block partition changed the frames", n_fft, delay);
    /* delay 0 gives the same frame content. */
    st_sliced_stft *immediate = st_sliced_stft_new(n_fft, hop, 0, max_step, NULL);
    int count_immediate = run_sliced(immediate, x, n, 5 * hop, rng, again, ready_again, max_frames);
    int common = count_immediate < count ? count_immediate : count;
    CHECK(common >= 3 && memcmp(frames, again, sizeof(float) * (size_t)bins * common) == 0,
          "delay %d and 0 give different frames", delay);
    st_sliced_stft_free(immediate);
    if (delay > 0 && n_fft == 65536)
        printf("sliced STFT %d, hop %d, delay %d: %d steps per frame, %d frames, max deviation "
               "from st_stft %.2g of the peak\n",
               n_fft, hop, delay, st_sliced_stft_steps(sliced), count, worst);
    free(x);
    free(frames);
    free(again);
    free(ready_at);
    free(ready_again);
    st_sliced_stft_free(sliced);
    st_stft_free(plain);
}

static void check_noise_and_bad_samples(test_rng *rng)
{
    const int n_fft = 16384, hop = 4096;
    st_sliced_stft *stft = st_sliced_stft_new(n_fft, hop, hop / 2, 4096, NULL);
    st_average *average = st_average_new(n_fft / 2 + 1, 0.0, 1.0, NULL);
    const double sigma = 0.3;
    float block[1000];
    for (int b = 0; b < 600; b++) {
        for (int i = 0; i < 1000; i++)
            block[i] = (float)(sigma * test_rng_gaussian(rng));
        if (b == 10)
            block[3] = NAN;
        if (b == 11)
            block[999] = -INFINITY;
        const float *p = block;
        int left = 1000;
        while (left > 0) {
            int used = st_sliced_stft_feed(stft, p, left);
            p += used;
            left -= used;
            if (st_sliced_stft_frame_ready(stft))
                st_average_add(average, st_sliced_stft_power(stft));
        }
    }
    const double *power = st_average_power(average);
    double sum = 0.0;
    for (int k = 1; k < n_fft / 2; k++)
        sum += power[k];
    double mean = sum / (n_fft / 2 - 1);
    CHECK(fabs(mean / (sigma * sigma) - 1.0) < 0.02, "white noise reads %.5f, expected %.5f", mean,
          sigma * sigma);
    CHECK(st_sliced_stft_bad_samples(stft) == 2, "%llu bad samples counted",
          (unsigned long long)st_sliced_stft_bad_samples(stft));
    st_average_free(average);
    st_sliced_stft_free(stft);
}

/* Gate: runs x through in random blocks, returns kept and removed. */
static void run_gate(st_spectral_gate *gate, const float *x, float *kept, float *removed, int n,
                     double level, int max_block, test_rng *rng)
{
    int done = 0;
    while (done < n) {
        int block = 1 + (int)(test_rng_next(rng) % (uint64_t)max_block);
        if (block > n - done)
            block = n - done;
        alloc_counting = 1;
        st_spectral_gate_run(gate, x + done, kept + done, removed ? removed + done : NULL, block,
                             level);
        alloc_counting = 0;
        done += block;
    }
}

static void check_gate(int n_fft, int hop, int delay, test_rng *rng)
{
    st_status error = ST_ERROR_ARGUMENT;
    st_spectral_gate *gate = st_spectral_gate_new(n_fft, hop, delay, 4096, &error);
    CHECK(gate && error == ST_OK, "gate %d/%d/%d", n_fft, hop, delay);
    if (!gate)
        return;
    int latency = st_spectral_gate_latency(gate);
    CHECK(latency == n_fft + delay, "latency %d, expected %d", latency, n_fft + delay);
    const int n = 4 * n_fft + latency + 3 * hop;
    float *x = malloc(sizeof(float) * n), *kept = malloc(sizeof(float) * n),
          *removed = malloc(sizeof(float) * n), *again = malloc(sizeof(float) * n);
    for (int i = 0; i < n; i++)
        x[i] = (float)(0.3 * test_rng_gaussian(rng));
    /* Every bin kept (power >= 0 > -1): the input, delayed. */
    run_gate(gate, x, kept, removed, n, -1.0, 3 * hop, rng);
    double worst = 0.0, worst_removed = 0.0;
    for (int i = 0; i < n; i++) {
        double expected = i >= latency ? x[i - latency] : 0.0;
        worst = fmax(worst, fabs(kept[i] - expected));
        worst_removed = fmax(worst_removed, fabs(removed[i]));
    }
    CHECK(worst < 2e-6 && worst_removed < 2e-6,
          "gate %d delay %d keeping all: output off the delayed input by %.3g (removed %.3g)",
          n_fft, delay, worst, worst_removed);
    /* Nothing kept: silence, and everything removed (exactly the delayed input). */
    st_spectral_gate_reset(gate);
    run_gate(gate, x, kept, removed, n, INFINITY, 2 * hop, rng);
    int exact = 1;
    for (int i = 0; i < n; i++) {
        float expected = i >= latency ? x[i - latency] : 0.0f;
        exact = exact && kept[i] == 0.0f && removed[i] == expected;
    }
    CHECK(exact, "gate %d keeping nothing: not silence plus the delayed input", n_fft);
    /* Two bin-centred tones, a level between their powers: the strong one
     * is kept, the weak one removed (after the start, where the frames see
     * the tones begin). Powers: A^2 n/6 on the centre bin, A^2 n/24 on each
     * neighbour (st_stft). */
    const double strong = 0.5, weak = 0.002;
    const int k1 = n_fft / 16, k2 = n_fft / 16 + 37;
    double level = sqrt((strong * strong * n_fft / 24) * (weak * weak * n_fft / 6));
    for (int i = 0; i < n; i++)
        x[i] = (float)(strong * cos(2 * M_PI * (double)k1 * i / n_fft) +
                       weak * sin(2 * M_PI * (double)k2 * i / n_fft));
    st_spectral_gate_reset(gate);
    run_gate(gate, x, kept, removed, n, level, 5 * hop, rng);
    double worst_kept = 0.0, worst_weak = 0.0;
    for (int i = 2 * n_fft + latency; i < n; i++) {
        int t = i - latency;
        double s = strong * cos(2 * M_PI * (double)k1 * t / n_fft);
        double w = weak * sin(2 * M_PI * (double)k2 * t / n_fft);
        worst_kept = fmax(worst_kept, fabs(kept[i] - s));
        worst_weak = fmax(worst_weak, fabs(removed[i] - w));
    }
    CHECK(worst_kept < 1e-5 && worst_weak < 1e-5,
          "gate %d: strong tone kept within %.3g, weak one removed within %.3g", n_fft, worst_kept,
          worst_weak);
    /* The same bits for another partition; NaN reads as 0. */
    x[n / 3] = NAN;
    st_spectral_gate_reset(gate);
    run_gate(gate, x, kept, NULL, n, level, 3 * hop, rng);
    x[n / 3] = 0.0f;
    st_spectral_gate_reset(gate);
    run_gate(gate, x, again, NULL, n, level, 1 + hop / 7, rng);
    CHECK(memcmp(kept, again, sizeof(float) * n) == 0,
          "gate %d: block partition (or a NaN) changed the output", n_fft);
    int finite = 1;
    for (int i = 0; i < n; i++)
        finite = finite && isfinite(kept[i]);
    CHECK(finite, "gate %d: NaN input leaked into the output", n_fft);
    /* The work bound: each call's steps, counted. */
    st_spectral_gate_reset(gate);
    int steps = st_spectral_gate_steps(gate), done = 0, over = 0;
    while (done < n) {
        int block = 1 + (int)(test_rng_next(rng) % 300);
        if (block > n - done)
            block = n - done;
        uint64_t before = st_spectral_gate_steps_run(gate);
        st_spectral_gate_run(gate, x + done, kept + done, NULL, block, level);
        double bound = delay > 0 ? (double)steps * block / delay + (double)block / hop + 2
                                 : (double)steps * (block / hop + 1);
        over += st_spectral_gate_steps_run(gate) - before > bound;
        done += block;
    }
    CHECK(over == 0, "gate %d: %d calls above the step bound", n_fft, over);
    if (n_fft == 65536)
        printf("gate %d, hop %d, delay %d: latency %d, %d steps per frame, all-pass error %.2g, "
               "tones %.2g / %.2g\n",
               n_fft, hop, delay, latency, steps, worst, worst_kept, worst_weak);
    free(x);
    free(kept);
    free(removed);
    free(again);
    st_spectral_gate_free(gate);
}

int main(void)
{
    alloc_hooks_install();
    test_rng rng = {31};
    st_status error = ST_OK;
    CHECK(!st_sliced_stft_new(1000, 250, 0, 4096, &error) && error == ST_ERROR_ARGUMENT,
          "non-power-of-two size accepted");
    CHECK(!st_sliced_stft_new(4096, 1024, 1025, 4096, &error), "delay above the hop accepted");
    CHECK(!st_spectral_gate_new(4096, 2048, 0, 4096, &error), "gate hop n/2 accepted");
    CHECK(!st_spectral_gate_new(4096, 1024, 2048, 4096, &error), "gate delay above hop accepted");
    st_sliced_stft_free(NULL);
    st_spectral_gate_free(NULL);
    check_against_stft(256, 64, 0, 64, &rng);
    check_against_stft(256, 64, 32, 64, &rng);
    check_against_stft(4096, 1024, 512, 4096, &rng);
    check_against_stft(4096, 1000, 1000, 256, &rng);
    check_against_stft(16384, 4096, 2048, 4096, &rng);
    check_against_stft(65536, 16384, 8192, 4096, &rng);
    check_noise_and_bad_samples(&rng);
    check_gate(256, 64, 0, &rng);
    check_gate(1024, 256, 128, &rng);
    check_gate(4096, 512, 256, &rng);
    check_gate(65536, 16384, 8192, &rng);
    check_gate(65536, 16384, 16384, &rng);
    CHECK(alloc_calls == 0, "%ld heap calls in feed / run", alloc_calls);
    return test_result("test_stft_sliced");
}
