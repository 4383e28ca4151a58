/* One spectrum scale at every rate (st_rate_power_scale, st_rate_band_*):
 * white noise of variance v at a signal rate, resampled to an analysis rate
 * and analysed by st_stft, reads v after the scale, over the band, for every
 * pair of 8, 16, 22.05, 44.1, 48 and 96 kHz, through both resamplers of the
 * core: st_resampler (libsamplerate SINC_FASTEST) and st_fir_resampler.
 * The flat bands are measured with sines: within 0.05 dB at
 * ST_RESAMPLER_FLAT_BAND (SINC_FASTEST) and at the FIR's design passband,
 * and more than 3 dB down at 0.9 of the lower Nyquist (why the band stops
 * there). The noise is the test's own (test_util.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_audio.h"
#include "spectide_realtime.h"
#include "test_util.h"

/* Either resampler behind one interface. */
typedef struct {
    st_resampler *src;
    st_fir_resampler *fir;
} resampler;

static resampler resampler_new(double from, double to, int use_fir, int block)
{
    resampler r = {NULL, NULL};
    if (from == to)
        return r;
    if (use_fir)
        r.fir = st_fir_resampler_new(from, to, NULL, NULL);
    else
        r.src = st_resampler_new(from, to, -1, block, NULL);
    return r;
}

static int resampler_capacity(const resampler *r, int n)
{
    return r->fir   ? st_fir_resampler_max_output(r->fir, n)
           : r->src ? st_resampler_max_output(r->src, n)
                    : n;
}

/* Returns the samples written to out (or copies when no resampling). */
static int resampler_run(resampler *r, const float *in, int n, float *out, int capacity)
{
    if (r->fir)
        return st_fir_resampler_run(r->fir, in, n, out, capacity);
    if (r->src)
        return st_resampler_run(r->src, in, n, out, capacity);
    for (int i = 0; i < n; i++)
        out[i] = in[i];
    return n;
}

static void resampler_free(resampler *r)
{
    st_fir_resampler_free(r->fir);
    st_resampler_free(r->src);
}

static double flat_fraction(int use_fir)
{
    return use_fir ? st_fir_design_default().passband : ST_RESAMPLER_FLAT_BAND;
}

/* Gain in dB of a sine at hz through the resampler. */
static double sine_gain_db(double from, double to, double hz, int use_fir)
{
    int n = (int)from;
    resampler r = resampler_new(from, to, use_fir, 4096);
    int capacity = resampler_capacity(&r, n);
    float *in = malloc(sizeof(float) * n), *out = malloc(sizeof(float) * capacity);
    for (int i = 0; i < n; i++)
        in[i] = (float)sin(2.0 * M_PI * hz * i / from);
    int got = resampler_run(&r, in, n, out, capacity);
    double sum = 0.0;
    int count = 0;
    for (int i = got / 4; i < got * 3 / 4; i++, count++)
        sum += (double)out[i] * out[i];
    resampler_free(&r);
    free(in);
    free(out);
    return 10.0 * log10(2.0 * sum / count);
}

static const double rates[] = {8000, 16000, 22050, 44100, 48000, 96000};

static void test_flat_band(int use_fir)
{
    double worst_flat = 0.0, least_cut = 1e9, fraction = flat_fraction(use_fir);
    for (int a = 0; a < 6; a++)
        for (int b = 0; b < 6; b++) {
            if (a == b)
                continue;
            double nyquist = fmin(rates[a], rates[b]) / 2.0;
            worst_flat = fmax(worst_flat,
                              fabs(sine_gain_db(rates[a], rates[b], fraction * nyquist, use_fir)));
            least_cut = fmin(least_cut, -sine_gain_db(rates[a], rates[b], 0.9 * nyquist, use_fir));
        }
    printf("%s: at %.2f x the lower Nyquist within %.4f dB; at 0.9 x at least %.1f dB down\n",
           use_fir ? "st_fir_resampler" : "st_resampler (SINC_FASTEST)", fraction, worst_flat,
           least_cut);
    CHECK(worst_flat < 0.05 && least_cut > 3.0, "flat band %g dB, cut %g dB", worst_flat,
          least_cut);
}

/* White noise of variance v at `signal_rate`, analysed at `analysis_rate`:
 * the scaled spectrum over the band, in dB relative to v: its mean and the
 * extremes of groups of up to 64 bins (DC excluded). */
static void white_noise_level(double signal_rate, double analysis_rate, int use_fir,
                              double *mean_db, double *low_db, double *high_db)
{
    const int n_fft = 2048, block = 4096;
    const double variance = 0.01;
    resampler r = resampler_new(signal_rate, analysis_rate, use_fir, block);
    st_stft *stft = st_stft_new(n_fft, n_fft / 2, NULL);
    st_average *average = st_average_new(n_fft / 2 + 1, 0.0, 1.0, NULL);
    int capacity = resampler_capacity(&r, block);
    float *in = malloc(sizeof(float) * block), *out = malloc(sizeof(float) * capacity);
    test_rng rng = {(uint64_t)signal_rate + 3};
    long total = (long)(20.0 * signal_rate);
    for (long done = 0; done < total; done += block) {
        for (int i = 0; i < block; i++)
            in[i] = (float)(sqrt(variance) * test_rng_gaussian(&rng));
        int got = resampler_run(&r, in, block, out, capacity);
        const float *x = out;
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
    int bins = st_rate_band_bins(signal_rate, analysis_rate, flat_fraction(use_fir), n_fft);
    double sum = 0.0;
    *low_db = 1e9;
    *high_db = -1e9;
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
    resampler_free(&r);
    st_stft_free(stft);
    st_average_free(average);
    free(in);
    free(out);
}

static void test_rate_scale(int use_fir)
{
    double worst_mean = 0.0, worst_group = 0.0;
    for (int a = 0; a < 6; a++)
        for (int b = 0; b < 6; b++) {
            if (use_fir && a == b)
                continue; /* no resampler: the same as above */
            double mean_db, low_db, high_db;
            white_noise_level(rates[a], rates[b], use_fir, &mean_db, &low_db, &high_db);
            worst_mean = fmax(worst_mean, fabs(mean_db));
            worst_group = fmax(worst_group, fmax(fabs(low_db), fabs(high_db)));
            printf("%s white noise %6.0f Hz analysed at %6.0f Hz: mean %+.3f dB, bin groups "
                   "%+.3f..%+.3f dB (relative to v)\n",
                   use_fir ? "FIR" : "SRC", rates[a], rates[b], mean_db, low_db, high_db);
            CHECK(fabs(mean_db) < 0.1 && low_db > -0.5 && high_db < 0.5,
                  "%g -> %g: mean %g dB, groups %g..%g", rates[a], rates[b], mean_db, low_db,
                  high_db);
        }
    printf("%s: white noise reads v at every rate pair: mean within %.3f dB, every group of up "
           "to 64 bins within %.3f dB\n",
           use_fir ? "st_fir_resampler" : "st_resampler", worst_mean, worst_group);
}

int main(void)
{
    CHECK(st_rate_power_scale(48000, 22050) == 48000.0 / 22050.0, "scale 48000/22050");
    CHECK(st_rate_band_hz(48000, 48000, 0.7) == 24000.0 &&
              st_rate_band_bins(48000, 48000, 0.7, 2048) == 1025,
          "same rate: the whole band, every bin");
    CHECK(fabs(st_rate_band_hz(8000, 22050, ST_RESAMPLER_FLAT_BAND) - 0.7 * 4000) < 1e-9,
          "8 kHz upsampled: 0.7 x 4 kHz, got %g",
          st_rate_band_hz(8000, 22050, ST_RESAMPLER_FLAT_BAND));
    CHECK(st_rate_band_bins(48000, 22050, 0.8, 4096) == (int)floor(0.8 * 11025 * 4096 / 22050) + 1,
          "48 kHz at 22050: bins up to 0.8 x 11025 Hz");
    for (int use_fir = 0; use_fir < 2; use_fir++) {
        test_flat_band(use_fir);
        test_rate_scale(use_fir);
    }
    return test_result("test_rate");
}
