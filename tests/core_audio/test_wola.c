/* st_wola, the mask audition, against references computed here:
 *  - unit gains: the output is the input delayed by the reported latency,
 *    from the first sample (perfect reconstruction, float rounding);
 *  - the result does not depend on how the input is cut into blocks;
 *  - the water mask on tones at bin centres plus faint noise equals an
 *    offline weighted overlap-add written here in double precision with a
 *    naive DFT (frames placed by the documented priming, periodic Hann,
 *    hard decision power > level, synthesis window w / sum w^2);
 *  - residual = delayed input - output, bit for bit in float;
 *  - arguments out of range are refused with ST_ERROR_ARGUMENT.
 * Also the rate scale: white noise of variance v through st_resampler and
 * st_stft reads v after st_rate_power_scale, over st_rate_band_bins, for
 * every pair of 8, 16, 22.05, 44.1, 48 and 96 kHz; and the resampler's
 * flat band is measured with sines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_audio.h"
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

/* libsamplerate's default converter: a sine at ST_RESAMPLER_FLAT_BAND of the
 * lower Nyquist passes within 0.05 dB, one at 0.9 loses more than 3 dB. */
static double sine_gain_db(double from, double to, double hz)
{
    int n = (int)from, capacity;
    st_resampler *resampler = st_resampler_new(from, to, -1, 4096, NULL);
    capacity = st_resampler_max_output(resampler, n);
    float *in = malloc(sizeof(float) * n), *out = malloc(sizeof(float) * capacity);
    for (int i = 0; i < n; i++)
        in[i] = (float)sin(2.0 * M_PI * hz * i / from);
    int got = st_resampler_run(resampler, in, n, out, capacity);
    double sum = 0.0;
    int count = 0;
    for (int i = got / 4; i < got * 3 / 4; i++, count++)
        sum += (double)out[i] * out[i];
    st_resampler_free(resampler);
    free(in);
    free(out);
    return 10.0 * log10(2.0 * sum / count);
}

static const double rates[] = {8000, 16000, 22050, 44100, 48000, 96000};

static void test_flat_band(void)
{
    double worst_flat = 0.0, least_cut = 1e9;
    for (int a = 0; a < 6; a++)
        for (int b = 0; b < 6; b++) {
            if (a == b)
                continue;
            double nyquist = fmin(rates[a], rates[b]) / 2.0;
            worst_flat =
                fmax(worst_flat,
                     fabs(sine_gain_db(rates[a], rates[b], ST_RESAMPLER_FLAT_BAND * nyquist)));
            least_cut = fmin(least_cut, -sine_gain_db(rates[a], rates[b], 0.9 * nyquist));
        }
    printf(
        "resampler: at %.2f x the lower Nyquist within %.3f dB; at 0.9 x at least %.1f dB down\n",
        ST_RESAMPLER_FLAT_BAND, worst_flat, least_cut);
    CHECK(worst_flat < 0.05 && least_cut > 3.0, "flat band %g dB, cut %g dB", worst_flat,
          least_cut);
}

/* White noise of variance v at `signal_rate`, analysed at `analysis_rate`
 * (resampled when different): median and mean of the scaled spectrum over
 * the band, in dB relative to v. */
static void white_noise_level(double signal_rate, double analysis_rate, double *mean_db,
                              double *low_db, double *high_db)
{
    const int n_fft = 2048, block = 4096;
    const double variance = 0.01;
    st_resampler *resampler = signal_rate != analysis_rate
                                  ? st_resampler_new(signal_rate, analysis_rate, -1, block, NULL)
                                  : NULL;
    st_stft *stft = st_stft_new(n_fft, n_fft / 2, NULL);
    st_average *average = st_average_new(n_fft / 2 + 1, 0.0, 1.0, NULL);
    int capacity = resampler ? st_resampler_max_output(resampler, block) : block;
    float *in = malloc(sizeof(float) * block), *out = malloc(sizeof(float) * capacity);
    test_rng rng = {(uint64_t)signal_rate + 3};
    long total = (long)(20.0 * signal_rate);
    for (long done = 0; done < total; done += block) {
        for (int i = 0; i < block; i++)
            in[i] = (float)(sqrt(variance) * test_rng_gaussian(&rng));
        int got = block;
        const float *x = in;
        if (resampler) {
            got = st_resampler_run(resampler, in, block, out, capacity);
            x = out;
        }
        while (got > 0) {
            int used = st_stft_feed(stft, x, got);
            x += used;
            got -= used;
            if (st_stft_frame_ready(stft))
                st_average_add(average, st_stft_power(stft));
        }
    }
    const double *power = st_average_power(average);
    double scale = st_rate_power_scale(signal_rate, analysis_rate);
    int bins = st_rate_band_bins(signal_rate, analysis_rate, n_fft);
    double sum = 0.0;
    *low_db = 1e9;
    *high_db = -1e9;
    /* Groups of up to 64 bins (a few hundredths of a dB of noise each), DC
     * excluded: the whole band is flat, up to its top. */
    int width = (bins - 1) / 4 < 64 ? (bins - 1) / 4 : 64;
    for (int start = 1; start + width <= bins; start += width) {
        double group = 0.0;
        for (int k = start; k < start + width; k++)
            group += power[k] * scale;
        group = to_db(group / width / variance);
        *low_db = fmin(*low_db, group);
        *high_db = fmax(*high_db, group);
    }
    for (int k = 1; k < bins; k++)
        sum += power[k] * scale;
    *mean_db = to_db(sum / (bins - 1) / variance);
    st_resampler_free(resampler);
    st_stft_free(stft);
    st_average_free(average);
    free(in);
    free(out);
}

static void test_rate_scale(void)
{
    CHECK(st_rate_power_scale(48000, 22050) == 48000.0 / 22050.0, "scale 48000/22050");
    CHECK(st_rate_band_hz(48000, 48000) == 24000.0 && st_rate_band_bins(48000, 48000, 2048) == 1025,
          "same rate: the whole band, every bin");
    CHECK(fabs(st_rate_band_hz(8000, 22050) - 0.7 * 4000) < 1e-9,
          "8 kHz upsampled: 0.7 x 4 kHz, got %g", st_rate_band_hz(8000, 22050));
    double worst = 0.0;
    for (int a = 0; a < 6; a++)
        for (int b = 0; b < 6; b++) {
            double mean_db, low_db, high_db;
            white_noise_level(rates[a], rates[b], &mean_db, &low_db, &high_db);
            double err = fmax(fabs(mean_db), fmax(fabs(low_db), fabs(high_db)));
            worst = fmax(worst, err);
            printf("white noise %6.0f Hz analysed at %6.0f Hz: mean %+.3f dB, bin groups "
                   "%+.3f..%+.3f dB (relative to v)\n",
                   rates[a], rates[b], mean_db, low_db, high_db);
            CHECK(fabs(mean_db) < 0.1 && low_db > -0.5 && high_db < 0.5,
                  "%g -> %g: mean %g dB, groups %g..%g", rates[a], rates[b], mean_db, low_db,
                  high_db);
        }
    printf("white noise reads v at every rate pair within %.3f dB (worst mean or group)\n", worst);
}

int main(void)
{
    test_arguments();
    test_perfect_reconstruction();
    test_water_mask();
    test_flat_band();
    test_rate_scale();
    return test_result("test_wola");
}
