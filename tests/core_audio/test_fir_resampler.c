/* Polyphase FIR resampler against an independent reference and against the
 * analysis contract:
 * - the output equals a direct-form upsample / filter / downsample computed
 *   in double here, with the prototype designed here from the documented
 *   recipe (Kaiser estimate, beta, cutoff between the band edges);
 * - full-scale tones from the analysis Nyquist up to the host Nyquist read
 *   at least 100 dB below a full-scale in-band tone in the 4096-point
 *   analysis spectrum, at 44.1, 48 and 96 kHz (and 16 kHz analysis);
 * - passband tones keep their amplitude (flatness) and are delayed by the
 *   reported group delay;
 * - white noise of variance v reads v * fs_out / fs_in in every passband
 *   bin (v after the plugin's host/analysis scaling);
 * - any block partition gives the same bits; NaN/Inf count as 0;
 * - run and reset make no heap call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "alloc_count.h"
#include "spectide_audio.h"
#include "spectide_realtime.h"
#include "test_util.h"

#include <string.h>

static long long gcd_ll(long long a, long long b)
{
    while (b) {
        long long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static double reference_i0(double x)
{
    /* Power series, summed to convergence in double. */
    double sum = 1.0, term = 1.0;
    for (int k = 1; k < 1000; k++) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
        if (term < 1e-18 * sum)
            break;
    }
    return sum;
}

/* The documented prototype (defaults: passband 0.8, stopband 1.0, 110 dB),
 * designed here in double: returns N, fills up, down and h (malloc'd). */
static int reference_design(long long in_hz, long long out_hz, int *up, int *down, double **h)
{
    const double pass = 0.8, stop = 1.0, attenuation = 110.0;
    long long g = gcd_ll(in_hz, out_hz);
    *up = (int)(out_hz / g);
    *down = (int)(in_hz / g);
    double nyquist = 0.5 * (double)(in_hz < out_hz ? in_hz : out_hz);
    double rate = (double)*up * (double)in_hz;
    double dw = 2.0 * M_PI * (stop - pass) * nyquist / rate;
    double estimate = (attenuation - 7.95) / (2.285 * dw) + 1.0;
    int taps = (int)ceil(estimate / *up);
    taps = (taps + 7) / 8 * 8;
    int n = taps * *up;
    double beta = 0.1102 * (attenuation - 8.7);
    double fc = 0.5 * (pass + stop) * nyquist / rate;
    *h = malloc(sizeof(double) * (size_t)n);
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        double t = i - (n - 1) / 2.0;
        double sinc = t == 0.0 ? 2.0 * fc : sin(2.0 * M_PI * fc * t) / (M_PI * t);
        double r = 2.0 * i / (n - 1) - 1.0;
        (*h)[i] = sinc * reference_i0(beta * sqrt(1.0 - r * r)) / reference_i0(beta);
        sum += (*h)[i];
    }
    for (int i = 0; i < n; i++)
        (*h)[i] *= *up / sum;
    return n;
}

/* Direct form: zero-stuffed input at up x the rate, convolved with h,
 * every down-th sample kept: y[j] = sum_i h[i] u[j down - i]. */
static void reference_resample(const double *h, int n_taps, int up, int down, const float *x,
                               int n_in, double *y, int n_out)
{
    for (int j = 0; j < n_out; j++) {
        long long t = (long long)j * down;
        double sum = 0.0;
        for (int i = 0; i < n_taps; i++) {
            long long u = t - i;
            if (u < 0)
                break;
            if (u % up == 0 && u / up < n_in)
                sum += h[i] * x[u / up];
        }
        y[j] = sum;
    }
}

static void check_against_reference(double in_rate, double out_rate, test_rng *rng)
{
    st_status error = ST_ERROR_ARGUMENT;
    st_fir_resampler *r = st_fir_resampler_new(in_rate, out_rate, NULL, &error);
    CHECK(r && error == ST_OK, "new %g -> %g", in_rate, out_rate);
    if (!r)
        return;
    int up, down;
    double *h;
    int n_taps = reference_design((long long)in_rate, (long long)out_rate, &up, &down, &h);
    int object_up, object_down;
    st_fir_resampler_ratio(r, &object_up, &object_down);
    CHECK(object_up == up && object_down == down && st_fir_resampler_taps(r) * up == n_taps,
          "%g -> %g: ratio %d/%d, %d taps (reference %d/%d, %d)", in_rate, out_rate, object_up,
          object_down, st_fir_resampler_taps(r), up, down, n_taps / up);
    const int n_in = 6000;
    float *x = malloc(sizeof(float) * n_in);
    for (int i = 0; i < n_in; i++)
        x[i] = (float)(0.3 * test_rng_gaussian(rng));
    int capacity = st_fir_resampler_max_output(r, n_in);
    float *y = malloc(sizeof(float) * (size_t)capacity);
    int got = st_fir_resampler_run(r, x, n_in, y, capacity);
    /* Outputs j whose newest input floor(j down / up) has arrived. */
    int expected = (int)(((long long)n_in * up - 1) / down) + 1;
    CHECK(got == expected, "%g -> %g: %d outputs, expected %d", in_rate, out_rate, got, expected);
    double *reference = malloc(sizeof(double) * (size_t)(got > 0 ? got : 1));
    reference_resample(h, n_taps, up, down, x, n_in, reference, got);
    double worst = 0.0;
    for (int j = 0; j < got; j++)
        worst = fmax(worst, fabs(y[j] - reference[j]));
    CHECK(worst < 3e-6, "%g -> %g: max |polyphase - direct form| = %g", in_rate, out_rate, worst);
    printf("%6.0f -> %6.0f: L/M %d/%d, %d taps per phase, max deviation from direct form %.2g\n",
           in_rate, out_rate, up, down, n_taps / up, worst);
    free(x);
    free(y);
    free(reference);
    free(h);
    st_fir_resampler_free(r);
}

/* Peak bin and total power of the analysis spectrum (4096-point Hann at
 * the output rate) of a resampled tone, after the filter has settled. */
static void tone_spectrum(double in_rate, double out_rate, double hz, double *peak, double *total)
{
    st_fir_resampler *r = st_fir_resampler_new(in_rate, out_rate, NULL, NULL);
    st_stft *stft = st_stft_new(4096, 4096, NULL);
    const int block = 1000, blocks = (int)(in_rate * 0.6 / block);
    int capacity = st_fir_resampler_max_output(r, block);
    float in[1000], *out = malloc(sizeof(float) * (size_t)capacity);
    long long t = 0;
    int skip = (int)(0.05 * out_rate); /* the rise from the zeros before the input */
    *peak = 0.0;
    *total = 0.0;
    int frames = 0;
    for (int b = 0; b < blocks; b++) {
        for (int i = 0; i < block; i++, t++)
            in[i] = (float)cos(2.0 * M_PI * fmod(hz * (double)t / in_rate, 1.0));
        int got = st_fir_resampler_run(r, in, block, out, capacity);
        const float *p = out;
        if (skip > 0) {
            int drop = skip < got ? skip : got;
            skip -= drop;
            p += drop;
            got -= drop;
        }
        while (got > 0) {
            int used = st_stft_feed(stft, p, got);
            p += used;
            got -= used;
            if (st_stft_frame_ready(stft)) {
                const float *power = st_stft_power(stft);
                double sum = 0.0;
                for (int k = 0; k < st_stft_bins(stft); k++) {
                    *peak = fmax(*peak, power[k]);
                    sum += power[k];
                }
                *total = fmax(*total, sum);
                frames++;
            }
        }
    }
    CHECK(frames >= 2, "tone %g Hz: %d frames", hz, frames);
    free(out);
    st_stft_free(stft);
    st_fir_resampler_free(r);
}

static void check_aliasing(double in_rate, double out_rate)
{
    /* Reference: a full-scale in-band tone on a bin centre. */
    double ref_peak, ref_total;
    tone_spectrum(in_rate, out_rate, 186.0 * out_rate / 4096.0, &ref_peak, &ref_total);
    double analysis_nyquist = out_rate / 2, host_nyquist = in_rate / 2;
    double worst_peak = -400, worst_total = -400, worst_hz = 0;
    const int tones = 24;
    for (int i = 0; i <= tones; i++) {
        double hz = analysis_nyquist + (host_nyquist - analysis_nyquist) * i / tones;
        double peak, total;
        tone_spectrum(in_rate, out_rate, hz, &peak, &total);
        double peak_db = to_db(peak / ref_peak), total_db = to_db(total / ref_total);
        if (peak_db > worst_peak) {
            worst_peak = peak_db;
            worst_hz = hz;
        }
        worst_total = fmax(worst_total, total_db);
    }
    CHECK(worst_peak <= -100.0 && worst_total <= -100.0,
          "%g -> %g: tones above the analysis band read %.1f dB (peak bin, at %.0f Hz), "
          "%.1f dB (total) against an in-band tone",
          in_rate, out_rate, worst_peak, worst_hz, worst_total);
    printf("%6.0f -> %6.0f: worst alias of %d full-scale tones in [%.0f, %.0f] Hz: %.1f dB (peak "
           "bin, %.0f Hz), %.1f dB (spectrum total)\n",
           in_rate, out_rate, tones + 1, analysis_nyquist, host_nyquist, worst_peak, worst_hz,
           worst_total);
}

/* Amplitude and delay of passband tones: least-squares fit of a cos + b sin
 * at the tone frequency over the settled output. */
static void check_passband(double in_rate, double out_rate)
{
    st_fir_resampler *r = st_fir_resampler_new(in_rate, out_rate, NULL, NULL);
    double delay_s = st_fir_resampler_delay_input(r) / in_rate;
    CHECK(fabs(st_fir_resampler_delay_output(r) / out_rate - delay_s) < 1e-12,
          "delays in input and output samples disagree");
    const int n_in = (int)(0.25 * in_rate);
    float *x = malloc(sizeof(float) * (size_t)n_in);
    int capacity = st_fir_resampler_max_output(r, n_in);
    float *y = malloc(sizeof(float) * (size_t)capacity);
    double worst_gain_db = 0.0, worst_delay = 0.0;
    double edge = 0.8 * fmin(in_rate, out_rate) / 2;
    for (int i = 0; i <= 30; i++) {
        double hz = 50.0 + (edge - 50.0) * i / 30.0;
        for (int t = 0; t < n_in; t++)
            x[t] = (float)(0.9 * sin(2.0 * M_PI * fmod(hz * t / in_rate, 1.0)));
        st_fir_resampler_reset(r);
        int got = st_fir_resampler_run(r, x, n_in, y, capacity);
        /* Fit y[j] = a sin(w t_j) + b cos(w t_j), t_j = j / out_rate, over
         * the middle, away from the rise at both ends. */
        double ss = 0, cc = 0, sc = 0, ys = 0, yc = 0;
        for (int j = got / 4; j < got - 8; j++) {
            double phase = 2.0 * M_PI * fmod(hz * j / out_rate, 1.0);
            double s = sin(phase), c = cos(phase);
            ss += s * s;
            cc += c * c;
            sc += s * c;
            ys += y[j] * s;
            yc += y[j] * c;
        }
        double det = ss * cc - sc * sc;
        double a = (ys * cc - yc * sc) / det, b = (yc * ss - ys * sc) / det;
        double gain = hypot(a, b) / 0.9;
        /* y = g sin(w (t - delay)): a = g cos(w delay), b = -g sin(w delay). */
        double delay = atan2(-b, a) / (2.0 * M_PI * hz);
        double period = 1.0 / hz;
        while (delay < delay_s - period / 2)
            delay += period;
        while (delay > delay_s + period / 2)
            delay -= period;
        worst_gain_db = fmax(worst_gain_db, fabs(20.0 * log10(gain)));
        worst_delay = fmax(worst_delay, fabs(delay - delay_s) * in_rate);
        double reported = st_fir_resampler_response(r, hz);
        CHECK(fabs(reported - gain) < 1e-5, "%g Hz: reported |H| %.7f, measured %.7f", hz, reported,
              gain);
    }
    CHECK(worst_gain_db < 0.0005, "%g -> %g: passband deviation %.6f dB", in_rate, out_rate,
          worst_gain_db);
    CHECK(worst_delay < 0.01, "%g -> %g: delay off by %.4f input samples", in_rate, out_rate,
          worst_delay);
    printf("%6.0f -> %6.0f: passband 50..%.0f Hz within %.6f dB, delay %.2f input samples "
           "(measured within %.5f)\n",
           in_rate, out_rate, edge, worst_gain_db, st_fir_resampler_delay_input(r), worst_delay);
    free(x);
    free(y);
    st_fir_resampler_free(r);
}

/* White noise of variance v: every passband bin of the analysis spectrum
 * reads v * out_rate / in_rate (the band-limited share), so the plugin's
 * scaling by in_rate / out_rate gives back v. */
static void check_noise(double in_rate, double out_rate, test_rng *rng)
{
    const double sigma = 0.5, variance = sigma * sigma;
    st_fir_resampler *r = st_fir_resampler_new(in_rate, out_rate, NULL, NULL);
    st_stft *stft = st_stft_new(4096, 2048, NULL);
    st_average *average = st_average_new(2049, 0.0, 1.0, NULL);
    const int block = 4096;
    float in[4096];
    int capacity = st_fir_resampler_max_output(r, block);
    float *out = malloc(sizeof(float) * (size_t)capacity);
    long samples = (long)(30.0 * in_rate);
    for (long done = 0; done < samples; done += block) {
        for (int i = 0; i < block; i++)
            in[i] = (float)(sigma * test_rng_gaussian(rng));
        int got = st_fir_resampler_run(r, in, block, out, capacity);
        const float *p = out;
        while (got > 0) {
            int used = st_stft_feed(stft, p, got);
            p += used;
            got -= used;
            if (st_stft_frame_ready(stft))
                st_average_add(average, st_stft_power(stft));
        }
    }
    const double *power = st_average_power(average);
    double bin_hz = out_rate / 4096, sum = 0.0;
    int count = 0;
    for (int k = (int)ceil(100.0 / bin_hz); k * bin_hz <= 0.8 * out_rate / 2; k++) {
        sum += power[k];
        count++;
    }
    double reading = sum / count * in_rate / out_rate;
    CHECK(fabs(reading / variance - 1.0) < 0.01, "%g -> %g: white noise reads %.5f, expected %.5f",
          in_rate, out_rate, reading, variance);
    printf("%6.0f -> %6.0f: white noise of variance %.4f reads %.5f in the passband (%ld frames)\n",
           in_rate, out_rate, variance, reading, st_average_frames(average));
    free(out);
    st_average_free(average);
    st_stft_free(stft);
    st_fir_resampler_free(r);
}

static void check_partition_and_bad_input(double in_rate, double out_rate, test_rng *rng)
{
    const int n = 40000;
    float *x = malloc(sizeof(float) * n), *clean = malloc(sizeof(float) * n);
    for (int i = 0; i < n; i++)
        x[i] = clean[i] = (float)(0.4 * test_rng_gaussian(rng));
    /* NaN and Inf in one copy, zeros at the same places in the other. */
    const int bad_at[] = {0, 17, 4096, 4097, 23456, n - 1};
    for (int i = 0; i < 6; i++) {
        x[bad_at[i]] = i % 3 == 0 ? NAN : i % 3 == 1 ? INFINITY : -INFINITY;
        clean[bad_at[i]] = 0.0f;
    }
    st_fir_resampler *whole = st_fir_resampler_new(in_rate, out_rate, NULL, NULL);
    st_fir_resampler *pieces = st_fir_resampler_new(in_rate, out_rate, NULL, NULL);
    /* Room for the per-call bound of every block (each may ask one more). */
    int capacity = 2 * st_fir_resampler_max_output(whole, n) + 16;
    float *a = malloc(sizeof(float) * (size_t)capacity),
          *b = malloc(sizeof(float) * (size_t)capacity);
    int got_a = st_fir_resampler_run(whole, clean, n, a, capacity);
    CHECK(st_fir_resampler_bad_samples(whole) == 0, "clean input counted as bad");
    /* Random blocks from 0 to 3000 samples, and runs of single samples. */
    int got_b = 0, done = 0;
    alloc_count_begin();
    while (done < n) {
        int len = (int)(test_rng_next(rng) % 3001);
        if (test_rng_next(rng) % 4 == 0)
            len = 1;
        if (len > n - done)
            len = n - done;
        int got = st_fir_resampler_run(pieces, x + done, len, b + got_b, capacity - got_b);
        CHECK(got >= 0 && got <= st_fir_resampler_max_output(pieces, len), "block of %d gave %d",
              len, got);
        if (got < 0)
            break;
        got_b += got;
        done += len;
    }
    alloc_count_end();
    CHECK(got_a == got_b && memcmp(a, b, sizeof(float) * (size_t)got_a) == 0,
          "%g -> %g: block partition changed the output (%d vs %d samples)", in_rate, out_rate,
          got_a, got_b);
    CHECK(st_fir_resampler_bad_samples(pieces) == 6, "%llu bad samples counted, expected 6",
          (unsigned long long)st_fir_resampler_bad_samples(pieces));
    /* Reset gives the fresh object's output again. */
    alloc_count_begin();
    st_fir_resampler_reset(pieces);
    int again = st_fir_resampler_run(pieces, clean, n, b, capacity);
    alloc_count_end();
    CHECK(again == got_a && memcmp(a, b, sizeof(float) * (size_t)got_a) == 0,
          "reset does not restore the initial state");
    /* Too little room: refused, nothing consumed. */
    st_fir_resampler_reset(pieces);
    CHECK(st_fir_resampler_run(pieces, clean, 1000, b,
                               st_fir_resampler_max_output(pieces, 1000) - 1) == ST_ERROR_ARGUMENT,
          "short output buffer accepted");
    CHECK(st_fir_resampler_run(pieces, NULL, 10, b, capacity) == ST_ERROR_ARGUMENT,
          "NULL input accepted");
    again = st_fir_resampler_run(pieces, clean, n, b, capacity);
    CHECK(again == got_a && memcmp(a, b, sizeof(float) * (size_t)got_a) == 0,
          "a refused call changed the state");
    free(x);
    free(clean);
    free(a);
    free(b);
    st_fir_resampler_free(whole);
    st_fir_resampler_free(pieces);
}

static void check_arguments(void)
{
    const double bad[][2] = {{0, 22050},        {48000, 0},       {-48000, 22050}, {NAN, 22050},
                             {48000, INFINITY}, {48000.5, 22050}, {48000, 44101},  {1e8, 22050}};
    for (int i = 0; i < 8; i++) {
        st_status error = ST_OK;
        st_fir_resampler *r = st_fir_resampler_new(bad[i][0], bad[i][1], NULL, &error);
        CHECK(!r && error == ST_ERROR_ARGUMENT, "rates %g -> %g accepted", bad[i][0], bad[i][1]);
        st_fir_resampler_free(r);
    }
    st_fir_design design = st_fir_design_default();
    design.stopband = design.passband;
    st_status error = ST_OK;
    CHECK(!st_fir_resampler_new(48000, 22050, &design, &error) && error == ST_ERROR_ARGUMENT,
          "empty transition band accepted");
    design = st_fir_design_default();
    design.attenuation_db = NAN;
    CHECK(!st_fir_resampler_new(48000, 22050, &design, NULL), "NaN attenuation accepted");
    st_fir_resampler_free(NULL);
    /* Equal rates are a (delaying) low-pass, still a valid object. */
    st_fir_resampler *same = st_fir_resampler_new(22050, 22050, NULL, &error);
    CHECK(same && error == ST_OK, "equal rates refused");
    st_fir_resampler_free(same);
}

int main(void)
{
    alloc_count_init();
    test_rng rng = {11};
    check_arguments();
    const double pairs[][2] = {{48000, 22050}, {44100, 22050}, {96000, 22050}, {48000, 16000},
                               {44100, 16000}, {22050, 48000}, {16000, 22050}};
    for (int i = 0; i < 7; i++)
        check_against_reference(pairs[i][0], pairs[i][1], &rng);
    const double alias_pairs[][2] = {
        {44100, 22050}, {48000, 22050}, {96000, 22050}, {48000, 16000}, {44100, 16000}};
    for (int i = 0; i < 5; i++)
        check_aliasing(alias_pairs[i][0], alias_pairs[i][1]);
    check_passband(48000, 22050);
    check_passband(44100, 22050);
    check_passband(96000, 22050);
    check_passband(22050, 48000);
    check_noise(44100, 22050, &rng);
    check_noise(48000, 22050, &rng);
    check_noise(96000, 22050, &rng);
    check_partition_and_bad_input(48000, 22050, &rng);
    check_partition_and_bad_input(44100, 22050, &rng);
    check_partition_and_bad_input(22050, 48000, &rng);
    CHECK(alloc_count_total() == 0, "%ld heap calls in run / reset", alloc_count_total());
    return test_result("test_fir_resampler");
}
