/* Sliced STFT (the bounded mask, st_wola, is tested in test_wola.c):
 * - st_sliced_stft gives st_stft's frames (same power to float rounding),
 *   each ready exactly `delay` samples after its last sample, the same bits
 *   for every block partition and every delay; white noise reads sigma^2;
 * - no call does more steps than the documented bound (work is counted, not
 *   timed), and the steps make no heap call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "alloc_count.h"
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
        alloc_count_begin();
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
        alloc_count_end();
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

int main(void)
{
    alloc_count_init();
    test_rng rng = {31};
    st_status error = ST_OK;
    CHECK(!st_sliced_stft_new(1000, 250, 0, 4096, &error) && error == ST_ERROR_ARGUMENT,
          "non-power-of-two size accepted");
    CHECK(!st_sliced_stft_new(4096, 1024, 1025, 4096, &error), "delay above the hop accepted");
    st_sliced_stft_free(NULL);
    check_against_stft(256, 64, 0, 64, &rng);
    check_against_stft(256, 64, 32, 64, &rng);
    check_against_stft(4096, 1024, 512, 4096, &rng);
    check_against_stft(4096, 1000, 1000, 256, &rng);
    check_against_stft(16384, 4096, 2048, 4096, &rng);
    check_against_stft(65536, 16384, 8192, 4096, &rng);
    check_noise_and_bad_samples(&rng);
    CHECK(alloc_count_total() == 0, "%ld heap calls in feed", alloc_count_total());
    return test_result("test_stft_sliced");
}
