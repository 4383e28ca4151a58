/* One spectrum scale at every rate, in the real plugin (mini_host.c, a lilv
 * host like lv2apply but with urid:map and control outputs it can read):
 * white noise of variance v at host rates 44.1, 48 and 96 kHz, analysed at
 * the host rate, 16000 and 22050 Hz, reads v.
 *
 * Observables: the above_bins / above_energy control outputs with the water
 * line tau*sigma^2 set around v (sigma_db = 10 log10 v, tau_db = offset):
 *  - 1.5 dB below v: more than 97 % above water (the whole analysed band,
 *    up to the resampler's flat band, reads v); 1.5 dB above: less than 3 %;
 *  - 0.25 dB below: more than half above; 0.25 dB above: less than half
 *    (the median of the band within 0.25 dB of v);
 * and the st:Spectrum message the UI plots: the mean of its log-binned dB
 * values inside the band within 0.3 dB of 10 log10 v.
 * Integer rates go through st_fir_resampler (flat to 0.8 of the lower
 * Nyquist), a host rate of 48000.5 Hz through libsamplerate (0.70).
 * Each pair runs twice: as lv2apply runs a plugin (no features, one frame
 * per run: the control outputs are the observable) and with urid:map, a
 * worker and blocks of 512. The noise is the test's own (xorshift +
 * Box-Muller); v is its measured variance.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "mini_host.h"
#include "controls.h"
#include "uris.h"

#include <lv2/atom/util.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                   \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fprintf(stderr, "\n");                                                                 \
        }                                                                                          \
    } while (0)

static uint64_t state = 0x9E3779B97F4A7C15ull;
static double uniform(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return ((state >> 11) + 0.5) / 9007199254740992.0;
}
static double gaussian(void)
{
    return sqrt(-2.0 * log(uniform())) * cos(2.0 * M_PI * uniform());
}

/* Mean of the st:Spectrum dB points between low and high Hz, or NAN. */
static double spectrum_mean_db(mini_host *host, double low, double high)
{
    const LV2_Atom_Sequence *sequence = host_notify(host);
    if (!sequence)
        return NAN;
    LV2_URID object = host_map(host, LV2_ATOM__Object);
    LV2_URID spectrum = host_map(host, STL_URI_SPECTRUM);
    LV2_URID power_key = host_map(host, STL_URI_POWER);
    LV2_URID frequency_key = host_map(host, STL_URI_FREQUENCY);
    double mean = NAN;
    LV2_ATOM_SEQUENCE_FOREACH(sequence, event)
    {
        if (event->body.type != object)
            continue;
        const LV2_Atom_Object *obj = (const LV2_Atom_Object *)&event->body;
        if (obj->body.otype != spectrum)
            continue;
        const LV2_Atom *power = NULL, *frequency = NULL;
        lv2_atom_object_get(obj, power_key, &power, frequency_key, &frequency, 0);
        if (!power || !frequency)
            continue;
        const LV2_Atom_Vector *v = (const LV2_Atom_Vector *)power;
        int count = (int)((v->atom.size - sizeof v->body) / sizeof(float));
        const float *db = (const float *)(v + 1);
        const float *hz = (const float *)((const LV2_Atom_Vector *)frequency + 1);
        double sum = 0.0;
        int used = 0;
        for (int i = 0; i < count; i++)
            if (hz[i] >= low && hz[i] <= high) {
                sum += db[i];
                used++;
            }
        if (used)
            mean = sum / used;
    }
    return mean;
}

static double worst_spectrum_db = 0.0;

/* like_lv2apply: no features and one frame per run, as lv2apply runs a
 * plugin (the control outputs are then the only observable); otherwise
 * urid:map and a worker, blocks of 512, and the UI's spectrum is read too. */
static void check_rate_pair(double host_rate, double analysis_control, int like_lv2apply)
{
    const host_options full = {1, 1, 0, 131072}, none = {0, 0, 0, 0};
    mini_host *host = host_new(STL_URI_MONO, host_rate, like_lv2apply ? &none : &full);
    if (!host) {
        fprintf(stderr, "FAIL: cannot load %s\n", STL_URI_MONO);
        exit(1);
    }
    double analysis = analysis_control == 0 ? host_rate : analysis_control;
    host_set(host, "analysis_rate", (float)analysis_control);
    host_set(host, "averaging", 30.0f); /* a plain mean for the first 30 s */
    host_activate(host);
    const int block = like_lv2apply ? 1 : 512;
    const double sigma = 0.1;
    double sum = 0.0, sum_squares = 0.0;
    long count = 0;
    long total = (long)(10.0 * host_rate);
    for (long done = 0; done < total; done += block) {
        float *in = host_audio_in(host, 0);
        for (int i = 0; i < block; i++) {
            in[i] = (float)(sigma * gaussian());
            sum += in[i];
            sum_squares += (double)in[i] * in[i];
            count++;
        }
        host_run(host, block);
    }
    double mean = sum / count, variance = sum_squares / count - mean * mean;
    double v_db = 10.0 * log10(variance);

    /* The water line around v; a few blocks more so that a spectrum frame
     * recomputes the shares with it. */
    const double offsets[] = {-1.5, -0.25, 0.25, 1.5};
    double bins[4], energy[4];
    for (int k = 0; k < 4; k++) {
        host_set(host, "sigma_db", (float)v_db);
        host_set(host, "tau_db", (float)offsets[k]);
        for (int b = 0; b < 2 * 4096 * host_rate / analysis / block + 2; b++) {
            float *in = host_audio_in(host, 0);
            for (int i = 0; i < block; i++)
                in[i] = (float)(sigma * gaussian());
            host_run(host, block);
        }
        bins[k] = host_get(host, "above_bins");
        energy[k] = host_get(host, "above_energy");
    }
    /* The spectrum the UI draws (same scale as the water line). */
    double spectrum_db = NAN;
    if (!like_lv2apply) {
        host_send_object(host, STL_URI_UI_ON);
        /* The documented flat band: the FIR's 0.8 of the lower Nyquist for
         * whole-number rates, SINC_FASTEST's 0.70 for the others. */
        double flat = host_rate == floor(host_rate) ? 0.8 : 0.7;
        double top = analysis == host_rate ? analysis / 2 : flat * fmin(analysis, host_rate) / 2;
        for (int b = 0; b < 400 && !isfinite(spectrum_db); b++) {
            host_run(host, block);
            spectrum_db = spectrum_mean_db(host, 200.0, top);
        }
    }
    printf("%s host %7.1f Hz, analysis %5.0f Hz: above water at v-1.5/-0.25/+0.25/+1.5 dB: "
           "bins %5.1f %5.1f %5.1f %5.1f %%, energy %5.1f %5.1f %5.1f %5.1f %%",
           like_lv2apply ? "lv2apply-like (no features, 1 frame/run)"
                         : "urid:map + worker, 512/run",
           host_rate, analysis, bins[0], bins[1], bins[2], bins[3], energy[0], energy[1], energy[2],
           energy[3]);
    if (!like_lv2apply)
        printf("; UI spectrum %+.3f dB from v", spectrum_db - v_db);
    printf("\n");
    CHECK(bins[0] > 97.0 && energy[0] > 97.0, "%g/%g: 1.5 dB below v only %g%% bins, %g%% energy",
          host_rate, analysis, bins[0], energy[0]);
    CHECK(bins[1] > 50.0 && bins[2] < 50.0, "%g/%g: median not within 0.25 dB of v (%g%%, %g%%)",
          host_rate, analysis, bins[1], bins[2]);
    CHECK(bins[3] < 3.0 && energy[3] < 3.0, "%g/%g: 1.5 dB above v still %g%% bins, %g%% energy",
          host_rate, analysis, bins[3], energy[3]);
    CHECK(like_lv2apply || fabs(spectrum_db - v_db) < 0.3,
          "%g/%g: the UI spectrum reads %g dB, v is %g dB", host_rate, analysis, spectrum_db, v_db);
    if (isfinite(spectrum_db))
        worst_spectrum_db = fmax(worst_spectrum_db, fabs(spectrum_db - v_db));
    host_free(host);
}

int main(void)
{
    const double hosts[] = {44100, 48000, 96000};
    const double analyses[] = {0, 16000, 22050};
    for (int like_lv2apply = 0; like_lv2apply < 2; like_lv2apply++)
        for (int h = 0; h < 3; h++)
            for (int a = 0; a < 3; a++)
                check_rate_pair(hosts[h], analyses[a], like_lv2apply);
    /* A rate the FIR refuses (not a whole number of Hz): libsamplerate. */
    check_rate_pair(48000.5, 22050, 0);
    printf("largest |UI spectrum - v| over the 10 rate pairs: %.3f dB\n", worst_spectrum_db);
    if (failures)
        fprintf(stderr, "test_rates: %d check(s) failed\n", failures);
    return failures ? 1 : 0;
}
