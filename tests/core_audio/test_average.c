/* Welch averaging: plain mean against a brute-force mean, the exponential
 * step response against its analytic value exp(-1) after one time constant,
 * and the white-noise figure through STFT + average.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_audio.h"
#include "test_util.h"

#include <string.h>

static void test_plain_mean(void)
{
    const int bins = 33, frames = 500;
    st_average *avg = st_average_new(bins, 0.0, 0.0, NULL);
    float *all = malloc(sizeof(float) * bins * frames);
    test_rng rng = {3};
    for (int i = 0; i < bins * frames; i++)
        all[i] = (float)(test_rng_uniform(&rng) * 10.0);
    for (int f = 0; f < frames; f++)
        st_average_add(avg, all + f * bins);
    CHECK(st_average_frames(avg) == frames, "frames %ld", st_average_frames(avg));
    double worst = 0.0;
    for (int k = 0; k < bins; k++) {
        double sum = 0.0;
        for (int f = 0; f < frames; f++)
            sum += all[f * bins + k];
        worst = fmax(worst, fabs(st_average_power(avg)[k] / (sum / frames) - 1.0));
    }
    CHECK(worst < 1e-12, "plain mean off by %g", worst);
    st_average_reset(avg);
    CHECK(st_average_frames(avg) == 0 && st_average_power(avg)[0] == 0.0, "reset");
    st_average_free(avg);
    free(all);
    CHECK(st_average_new(0, 1.0, 10.0, NULL) == NULL, "zero bins accepted");
}

/* One-pole average with time constant T at frame rate R: after a step from
 * 1 to 0, the value after T*R frames is exp(-1) (a whole number of frames
 * chosen so T*R is exact). Before the step, many ones: the value is 1. */
static void test_exponential_step(void)
{
    const double time_constant = 0.5, frame_rate = 100.0; /* 50 frames */
    st_average *avg = st_average_new(1, time_constant, frame_rate, NULL);
    float one = 1.0f, zero = 0.0f;
    st_average_add(avg, &one);
    CHECK(st_average_power(avg)[0] == 1.0, "first frame read as is");
    for (int i = 0; i < 999; i++)
        st_average_add(avg, &one);
    CHECK(fabs(st_average_power(avg)[0] - 1.0) < 1e-12, "constant input");
    for (int i = 0; i < 50; i++)
        st_average_add(avg, &zero);
    double value = st_average_power(avg)[0];
    CHECK(fabs(value - exp(-1.0)) < 1e-9, "after one time constant %.9f, expected %.9f", value,
          exp(-1.0));
    /* A shorter time constant decays faster from here: 10 frames = 1 T. */
    st_average_set_time_constant(avg, 0.1, frame_rate);
    for (int i = 0; i < 10; i++)
        st_average_add(avg, &zero);
    CHECK(fabs(st_average_power(avg)[0] - exp(-2.0)) < 1e-9, "after changing the constant %.9f",
          st_average_power(avg)[0]);
    st_average_free(avg);
}

/* The figure with the real pipeline: white noise of variance 0.01,
 * n_fft 2048, hop 1024, 2000 frames, st_average over the whole signal. */
static void test_white_noise_welch(void)
{
    const int n = 2048, hop = 1024, frames = 2000, bins = n / 2 + 1;
    st_stft *stft = st_stft_new(n, hop, NULL);
    st_average *avg = st_average_new(bins, 0.0, 0.0, NULL);
    st_average *live = st_average_new(bins, 2.0, 44100.0 / hop, NULL); /* 2 s */
    test_rng rng = {2024};
    float block[777];
    while (st_average_frames(avg) < frames) {
        for (int i = 0; i < 777; i++)
            block[i] = (float)(0.1 * test_rng_gaussian(&rng));
        const float *x = block;
        int left = 777;
        while (left > 0 && st_average_frames(avg) < frames) {
            int used = st_stft_feed(stft, x, left);
            x += used;
            left -= used;
            if (st_stft_frame_ready(stft)) {
                const float *p = st_stft_power(stft);
                st_average_add(avg, p);
                st_average_add(live, p);
            }
        }
    }
    double *db = malloc(sizeof(double) * bins);
    double worst = 0.0, live_mean = 0.0;
    for (int k = 0; k < bins; k++) {
        db[k] = to_db(st_average_power(avg)[k]);
        worst = fmax(worst, fabs(db[k] + 20.0));
        live_mean += st_average_power(live)[k] / bins;
    }
    qsort(db, bins, sizeof(double), compare_doubles);
    CHECK(fabs(db[bins / 2] + 20.0) < 0.1, "median %.3f dB", db[bins / 2]);
    CHECK(worst < 1.0, "worst bin %.3f dB from -20", worst);
    /* The exponential average is unbiased too: its mean over bins. */
    CHECK(fabs(to_db(live_mean) + 20.0) < 0.1, "exponential mean %.3f dB", to_db(live_mean));
    printf("Welch white noise sigma^2=0.01 (n_fft %d, hop %d, %d frames, all %d bins incl. DC and "
           "Nyquist): median %.4f dB, worst %.3f dB; 2 s exponential, mean over bins %.4f dB\n",
           n, hop, frames, bins, db[bins / 2], worst, to_db(live_mean));
    free(db);
    st_average_free(avg);
    st_average_free(live);
    st_stft_free(stft);
}

int main(void)
{
    test_plain_mean();
    test_exponential_step();
    test_white_noise_welch();
    return test_result("test_average");
}
