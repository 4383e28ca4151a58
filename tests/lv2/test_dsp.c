/* spectide.lv2 DSP tests in a small lilv host (mini_host.c): port layout
 * against protocol.h, bit-exact pass-through, mask reconstruction, noise
 * level, robustness (rates, block sizes, NaN/Inf/denormals, activate
 * cycles, parameter changes every block), atom messages within capacity,
 * the inline display, and no allocation inside run().
 *
 * Usage: test_dsp CASE   (ports | passthrough | mask | noise | robust | stereo |
 *                         oneframe | atoms | display | alloc | follow)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inlinedisplay.h"
#include "mini_host.h"
#include "protocol.h"

#include <lv2/atom/util.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Allocation counter: malloc & co. of the whole process come here (the */
/* executable exports them, so the dlopen'ed plugin binds to them).     */
/* ------------------------------------------------------------------ */

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

static volatile long allocations_in_run, allocations_total;

/* ST_ALLOC_ABORT=1 aborts at the first allocation inside run(), for a
 * backtrace in gdb. */
static void count(void)
{
    allocations_total++;
    if (host_in_run) {
        allocations_in_run++;
        if (allocations_total > 100 && getenv("ST_ALLOC_ABORT")) {
            abort();
        }
    }
}

void *malloc(size_t size)
{
    count();
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    count();
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
    count();
    return __libc_realloc(p, size);
}

void free(void *p)
{
    if (p && host_in_run) {
        allocations_in_run++;
    }
    __libc_free(p);
}

int posix_memalign(void **out, size_t alignment, size_t size)
{
    count();
    *out = __libc_memalign(alignment, size);
    return *out ? 0 : 12;
}

void *aligned_alloc(size_t alignment, size_t size)
{
    count();
    return __libc_memalign(alignment, size);
}

void *memalign(size_t alignment, size_t size)
{
    count();
    return __libc_memalign(alignment, size);
}

/* ------------------------------------------------------------------ */

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

static const host_options FULL = {1, 1, 1, 65536};
static const host_options NONE = {0, 0, 0, 0};

/* xorshift + Box-Muller: the tests' own noise, independent of core/. */
static uint64_t test_state = 88172645463325252ull;
static double uniform(void)
{
    test_state ^= test_state << 13;
    test_state ^= test_state >> 7;
    test_state ^= test_state << 17;
    return ((test_state >> 11) + 0.5) / 9007199254740992.0;
}
static double gaussian(void)
{
    return sqrt(-2.0 * log(uniform())) * cos(2.0 * M_PI * uniform());
}

static mini_host *open_host(const char *uri, double rate, const host_options *options)
{
    mini_host *host = host_new(uri, rate, options);
    if (!host) {
        fprintf(stderr, "cannot load %s\n", uri);
        exit(1);
    }
    return host;
}

/* The symbols protocol.h's enum stands for, written out independently. */
static const char *common_symbols[ST_COMMON_COUNT] = {
    "control",  "notify", "fft_size",   "averaging",    "analysis_rate", "mel_bands", "tide_mode",
    "schedule", "t",      "sigma_db",   "tau_db",       "audition",      "freeze",    "seed",
    "slope",    "alpha",  "above_bins", "above_energy", "latency"};

static void test_ports(void)
{
    for (int stereo = 0; stereo <= 1; stereo++) {
        mini_host *host = open_host(stereo ? ST_URI_STEREO : ST_URI_MONO, 48000, &NONE);
        int expected = stereo ? ST_PORT_STEREO_COUNT : ST_PORT_MONO_COUNT;
        CHECK(host_port_count(host) == expected, "%d ports, protocol.h says %d",
              host_port_count(host), expected);
        for (int p = 0; p < ST_COMMON_COUNT; p++) {
            const char *symbol = host_port_symbol(host, st_port_index(stereo, p));
            CHECK(symbol && !strcmp(symbol, common_symbols[p]), "port %d is %s, expected %s",
                  st_port_index(stereo, p), symbol ? symbol : "(none)", common_symbols[p]);
        }
        if (stereo) {
            CHECK(!strcmp(host_port_symbol(host, ST_PORT_STEREO_CHANNEL), "channel"),
                  "stereo channel port");
            CHECK(!strcmp(host_port_symbol(host, ST_PORT_STEREO_OUT_R), "out_r"), "out_r");
        } else {
            CHECK(!strcmp(host_port_symbol(host, ST_PORT_MONO_OUT), "out"), "out");
        }
        host_free(host);
    }
}

/* Output equals input bit for bit, at varying block sizes, NaN included. */
static void test_passthrough(void)
{
    for (int stereo = 0; stereo <= 1; stereo++) {
        mini_host *host = open_host(stereo ? ST_URI_STEREO : ST_URI_MONO, 44100, &FULL);
        host_send_object(host, ST_URI_UI_ON);
        host_activate(host);
        for (int block = 0; block < 200; block++) {
            uint32_t n = 1 + (uint32_t)(uniform() * (block % 7 == 0 ? 8191 : 600));
            for (int c = 0; c < host_audio_channels(host); c++) {
                float *in = host_audio_in(host, c);
                for (uint32_t i = 0; i < n; i++) {
                    in[i] = (float)(0.3 * gaussian());
                }
                in[0] = block % 11 == 0 ? NAN : in[0];
                in[n - 1] = block % 13 == 0 ? 1e-40f : in[n - 1];
            }
            host_set(host, "sigma_db", (float)(-100 + 90 * uniform()));
            host_run(host, n);
            for (int c = 0; c < host_audio_channels(host); c++) {
                CHECK(!memcmp(host_audio_in(host, c), host_audio_out(host, c), n * sizeof(float)),
                      "pass-through not bit-exact (block %d, n %u, channel %d)", block, n, c);
            }
            CHECK(host_get(host, "latency") == 0.0f, "latency %g while audition is off",
                  host_get(host, "latency"));
        }
        host_free(host);
    }
}

/* With the water far below the signal, the mask keeps every bin: the output
 * is the input delayed by the reported latency. Residual + mask = delayed input. */
static void test_mask(void)
{
    const int fft_sizes[] = {1024, 4096, 65536};
    for (int s = 0; s < 3; s++) {
        int n_fft = fft_sizes[s];
        long total = 3L * n_fft + 20000;
        float *input = malloc(sizeof(float) * (size_t)total);
        float *kept = malloc(sizeof(float) * (size_t)total);
        float *removed = malloc(sizeof(float) * (size_t)total);
        for (long i = 0; i < total; i++) {
            input[i] = (float)(0.25 * sin(0.0123 * i) + 0.1 * gaussian());
        }
        for (int pass = 0; pass < 2; pass++) {
            mini_host *host = open_host(ST_URI_MONO, 48000, &FULL);
            host_set(host, "fft_size", (float)n_fft);
            host_set(host, "sigma_db", -120);
            host_set(host, "audition", pass == 0 ? ST_AUDITION_MASK : ST_AUDITION_RESIDUAL);
            host_activate(host);
            float *out = pass == 0 ? kept : removed;
            long done = 0;
            int latency = -1;
            while (done < total) {
                uint32_t n = 1 + (uint32_t)(uniform() * 3000);
                if (done + n > total) {
                    n = (uint32_t)(total - done);
                }
                memcpy(host_audio_in(host, 0), input + done, n * sizeof(float));
                host_run(host, n);
                memcpy(out + done, host_audio_out(host, 0), n * sizeof(float));
                latency = (int)host_get(host, "latency");
                done += n;
            }
            CHECK(latency == n_fft, "latency %d, expected %d", latency, n_fft);
            host_free(host);
        }
        double worst = 0, worst_sum = 0;
        for (long i = n_fft; i < total; i++) {
            worst = fmax(worst, fabs(kept[i] - input[i - n_fft]));
            worst_sum = fmax(worst_sum, fabs(kept[i] + removed[i] - input[i - n_fft]));
        }
        for (long i = 0; i < n_fft; i++) {
            worst = fmax(worst, fabs(kept[i]));
        }
        printf("mask n=%d: max |kept - delayed input| = %.2e, max |kept + residual - delayed| = "
               "%.2e\n",
               n_fft, worst, worst_sum);
        CHECK(worst < 1e-4, "mask with the water at -120 dBFS is not the delayed input (%g)",
              worst);
        CHECK(worst_sum < 1e-6, "mask + residual != delayed input (%g)", worst_sum);
        free(input);
        free(kept);
        free(removed);
    }
}

/* Noise audition: out - in is Gaussian noise of variance sigma^2, in sigma
 * mode and in schedule mode (rectified flow t=0.25: sigma = s/a = 1/3). */
static void test_noise(void)
{
    const double sigma_db[] = {-30.0, -6.0, 20.0 * log10(0.25 / 0.75)};
    for (int k = 0; k < 3; k++) {
        mini_host *host = open_host(ST_URI_MONO, 48000, &NONE);
        host_set(host, "audition", ST_AUDITION_NOISE);
        if (k < 2) {
            host_set(host, "sigma_db", (float)sigma_db[k]);
        } else {
            host_set(host, "tide_mode", ST_TIDE_SCHEDULE);
            host_set(host, "schedule", 0);
            host_set(host, "t", 0.25f);
        }
        host_activate(host);
        double sum = 0, sum2 = 0;
        long count = 0;
        for (int block = 0; block < 400; block++) {
            uint32_t n = 1200;
            float *in = host_audio_in(host, 0);
            for (uint32_t i = 0; i < n; i++) {
                in[i] = (float)(0.5 * sin(0.01 * (block * n + i)));
            }
            host_run(host, n);
            for (uint32_t i = 0; i < n; i++) {
                double d = (double)host_audio_out(host, 0)[i] - in[i];
                sum += d;
                sum2 += d * d;
                count++;
            }
        }
        double variance = sum2 / count - (sum / count) * (sum / count);
        double error_db = 10 * log10(variance) - sigma_db[k];
        printf("noise: expected %.2f dB, measured %.3f dB (error %.3f dB)\n", sigma_db[k],
               10 * log10(variance), error_db);
        CHECK(fabs(error_db) < 0.2, "noise variance off by %.3f dB", error_db);
        host_free(host);
    }
}

static int all_finite(const float *x, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) {
            return 0;
        }
    }
    return 1;
}

/* Rates, block sizes 1..8192 varying, hostile samples, activate cycles and
 * every parameter changed at every block. */
static void test_robust(void)
{
    const double rates[] = {8000, 16000, 22050, 44100, 48000, 96000, 192000};
    for (int r = 0; r < 7; r++) {
        for (int stereo = 0; stereo <= 1; stereo++) {
            const host_options *options = (r + stereo) % 2 ? &FULL : &NONE;
            mini_host *host = open_host(stereo ? ST_URI_STEREO : ST_URI_MONO, rates[r], options);
            host_send_object(host, ST_URI_UI_ON);
            for (int cycle = 0; cycle < 3; cycle++) {
                host_activate(host);
                long frames = 0;
                while (frames < (long)rates[r] * 2) {
                    uint32_t n =
                        (uint32_t)(uniform() < 0.3 ? 1 + uniform() * 8 : 1 + uniform() * 8191);
                    host_set(host, "fft_size", (float)(1024 << (int)(uniform() * 7)));
                    host_set(host, "averaging", (float)(0.01 + uniform() * 30));
                    host_set(host, "analysis_rate", (float)((int[]){0, 16000, 22050}[frames % 3]));
                    host_set(host, "mel_bands", (float)(32 + (int)(uniform() * 225)));
                    host_set(host, "tide_mode", (float)(uniform() < 0.5));
                    host_set(host, "schedule", (float)(int)(uniform() * 6));
                    host_set(host, "t", (float)uniform());
                    host_set(host, "sigma_db", (float)(-120 + uniform() * 140));
                    host_set(host, "tau_db", (float)(-20 + uniform() * 60));
                    host_set(host, "audition", (float)(1 + (int)(uniform() * 3)));
                    host_set(host, "freeze", (float)(uniform() < 0.1));
                    host_set(host, "seed", (float)(int)(uniform() * 1000));
                    if (stereo) {
                        host_set(host, "channel", (float)(int)(uniform() * 4));
                    }
                    for (int c = 0; c < host_audio_channels(host); c++) {
                        float *in = host_audio_in(host, c);
                        for (uint32_t i = 0; i < n; i++) {
                            double u = uniform();
                            in[i] = u < 0.001   ? NAN
                                    : u < 0.002 ? INFINITY
                                    : u < 0.003 ? -INFINITY
                                    : u < 0.05  ? 1e-41f
                                                : (float)(0.5 * gaussian());
                        }
                    }
                    host_run(host, n);
                    for (int c = 0; c < host_audio_channels(host); c++) {
                        CHECK(all_finite(host_audio_out(host, c), n),
                              "non-finite audition output at rate %g", rates[r]);
                    }
                    const char *outputs[] = {"slope", "alpha", "above_bins", "above_energy",
                                             "latency"};
                    for (int o = 0; o < 5; o++) {
                        CHECK(isfinite(host_get(host, outputs[o])), "%s is not finite", outputs[o]);
                    }
                    frames += n;
                }
                host_deactivate(host);
            }
            /* Recovery: clean white noise after all that gives a flat spectrum. */
            host_set(host, "freeze", 0);
            host_set(host, "audition", 0);
            host_set(host, "averaging", 0.5f);
            host_activate(host);
            for (int block = 0; block < (int)(rates[r] * 3 / 512); block++) {
                for (int c = 0; c < host_audio_channels(host); c++) {
                    for (int i = 0; i < 512; i++) {
                        host_audio_in(host, c)[i] = (float)(0.1 * gaussian());
                    }
                }
                host_run(host, 512);
            }
            float slope = host_get(host, "slope");
            printf("rate %6.0f %s: slope of white noise after the hostile run %.2f dB/oct\n",
                   rates[r], stereo ? "stereo" : "mono  ", slope);
            CHECK(fabsf(slope) < 1.0f, "no recovery at rate %g: slope %g", rates[r], slope);
            host_free(host);
        }
    }
}

/* Stereo analysis channel: with R = -L the mid signal is silent and the side
 * signal is L; the audio passes unchanged on both channels. */
static void test_stereo(void)
{
    const char *names[] = {"mid", "left", "right", "side"};
    const float expected_share[] = {0, 100, 100, 100};
    for (int channel = 0; channel < 4; channel++) {
        mini_host *host = open_host(ST_URI_STEREO, 48000, &NONE);
        host_set(host, "channel", (float)channel);
        host_set(host, "analysis_rate", 0);
        host_set(host, "averaging", 0.3f);
        host_activate(host);
        for (int block = 0; block < 48000 / 512; block++) {
            for (int i = 0; i < 512; i++) {
                float x = (float)(0.1 * gaussian());
                host_audio_in(host, 0)[i] = x;
                host_audio_in(host, 1)[i] = -x;
            }
            host_run(host, 512);
            for (int c = 0; c < 2; c++) {
                CHECK(!memcmp(host_audio_in(host, c), host_audio_out(host, c), 512 * sizeof(float)),
                      "stereo pass-through, channel %d", c);
            }
        }
        float share = host_get(host, "above_bins");
        printf("stereo, analysing %-5s: %.1f%% of the spectrum above water\n", names[channel],
               share);
        CHECK(fabsf(share - expected_share[channel]) < 5, "%s: share %g, expected %g",
              names[channel], share, expected_share[channel]);
        host_free(host);
    }
}

/* lv2apply's way: no features, one frame per run(). The output controls
 * still follow the input (white noise: flat spectrum, slope ~0). */
static void test_one_frame(void)
{
    mini_host *host = open_host(ST_URI_MONO, 44100, &NONE);
    host_set(host, "averaging", 0.5f);
    host_set(host, "analysis_rate", 0); /* no resampler roll-off near Nyquist */
    host_activate(host);
    float first_share = -1;
    for (long i = 0; i < 44100L * 3; i++) {
        host_audio_in(host, 0)[0] = (float)(0.05 * gaussian());
        host_run(host, 1);
        if (i == 44100) {
            first_share = host_get(host, "above_bins");
        }
    }
    float slope = host_get(host, "slope"), share = host_get(host, "above_bins");
    printf("one frame per run: slope %.2f dB/oct, %.1f%% of the spectrum above a -40 dBFS tide\n",
           slope, share);
    CHECK(fabsf(slope) < 1.0f, "slope of white noise at 1-frame blocks: %g", slope);
    /* Noise of variance 0.0025 (-26 dB) against a water line at -40 dB. */
    CHECK(first_share > 95.0f && share > 95.0f, "above-water share %g", share);
    host_free(host);
}

/* Walks the notify sequence; checks it stays inside the capacity and
 * returns the number of objects of each type. */
static void read_notify(mini_host *host, int *spectra, int *mels, int *cepstra, double *white_db)
{
    const LV2_Atom_Sequence *sequence = host_notify(host);
    uint32_t capacity = host_notify_capacity(host);
    CHECK(sizeof(LV2_Atom) + sequence->atom.size <= capacity, "sequence of %u bytes > capacity %u",
          sequence->atom.size, capacity);
    const uint8_t *end = (const uint8_t *)sequence + capacity;
    for (uint32_t i = (uint32_t)sizeof(LV2_Atom) + sequence->atom.size; i < capacity && i < 4096;
         i++) {
        CHECK(((const uint8_t *)sequence)[i] == 0xAB, "byte %u written past the sequence", i);
        if (((const uint8_t *)sequence)[i] != 0xAB) {
            break;
        }
    }
    LV2_URID object = host_map(host, LV2_ATOM__Object);
    LV2_URID spectrum = host_map(host, ST_URI_SPECTRUM);
    LV2_URID power_key = host_map(host, ST_URI_POWER);
    LV2_URID frequency_key = host_map(host, ST_URI_FREQUENCY);
    LV2_ATOM_SEQUENCE_FOREACH(sequence, event)
    {
        CHECK((const uint8_t *)event + sizeof *event + event->body.size <= end, "event overflows");
        if (event->body.type != object) {
            continue;
        }
        const LV2_Atom_Object *obj = (const LV2_Atom_Object *)&event->body;
        if (obj->body.otype == spectrum) {
            (*spectra)++;
            const LV2_Atom *power = NULL, *frequency = NULL;
            lv2_atom_object_get(obj, power_key, &power, frequency_key, &frequency, 0);
            CHECK(power && frequency, "spectrum without power/frequency");
            if (power && frequency) {
                const LV2_Atom_Vector *v = (const LV2_Atom_Vector *)power;
                const LV2_Atom_Vector *f = (const LV2_Atom_Vector *)frequency;
                int count = (int)((v->atom.size - sizeof v->body) / sizeof(float));
                CHECK(count > 0 && count <= ST_SPECTRUM_POINTS, "%d points", count);
                const float *db = (const float *)(v + 1);
                const float *hz = (const float *)(f + 1);
                double sum = 0;
                int used = 0;
                for (int i = 0; i < count; i++) {
                    if (hz[i] > 200 && hz[i] < 8000) {
                        sum += db[i];
                        used++;
                    }
                }
                if (used) {
                    *white_db = sum / used;
                }
            }
        } else if (obj->body.otype == host_map(host, ST_URI_MEL_COLUMNS)) {
            (*mels)++;
        } else if (obj->body.otype == host_map(host, ST_URI_CEPSTRAL)) {
            (*cepstra)++;
        }
    }
}

/* Messages flow only while the UI listens, never past the capacity, and a
 * white noise of variance v reads 10 log10 v in the spectrum (48 kHz host,
 * 22050 Hz analysis: the scaling of protocol.h). */
static void test_atoms(void)
{
    const uint32_t capacities[] = {1024, 4096, 65536};
    for (int k = 0; k < 3; k++) {
        host_options options = FULL;
        options.notify_bytes = capacities[k];
        mini_host *host = open_host(ST_URI_MONO, 48000, &options);
        host_set(host, "averaging", 2.0f);
        host_activate(host);
        int spectra = 0, mels = 0, cepstra = 0;
        double white_db = NAN;
        double variance = 0.01;
        for (int block = 0; block < 48000 * 8 / 256; block++) {
            if (block == 100) {
                host_send_object(host, ST_URI_UI_ON);
            }
            for (int i = 0; i < 256; i++) {
                host_audio_in(host, 0)[i] = (float)(sqrt(variance) * gaussian());
            }
            host_run(host, 256);
            int before = spectra + mels + cepstra;
            read_notify(host, &spectra, &mels, &cepstra, &white_db);
            if (block < 100) {
                CHECK(spectra + mels + cepstra == before, "message sent before the UI listens");
            }
        }
        printf("capacity %5u: %d spectra, %d mel messages, %d cepstral; white noise reads %.2f "
               "dB (expected %.2f)\n",
               capacities[k], spectra, mels, cepstra, white_db, 10 * log10(variance));
        if (capacities[k] >= 65536) {
            CHECK(spectra > 150 && mels > 100 && cepstra > 0, "too few messages");
            CHECK(fabs(white_db - 10 * log10(variance)) < 0.5, "white noise level %.2f dB",
                  white_db);
        }
        /* Stop listening: no more messages. */
        host_send_object(host, ST_URI_UI_OFF);
        host_run(host, 256);
        int after_off = spectra + mels + cepstra;
        for (int block = 0; block < 200; block++) {
            host_run(host, 256);
            read_notify(host, &spectra, &mels, &cepstra, &white_db);
        }
        CHECK(spectra + mels + cepstra == after_off, "messages after UiOff");
        host_free(host);
    }
}

static void test_display(void)
{
    mini_host *host = open_host(ST_URI_MONO, 48000, &FULL);
    const LV2_Inline_Display_Interface *display =
        host_extension(host, LV2_INLINEDISPLAY__interface);
    CHECK(display != NULL, "no inline display interface");
    if (!display) {
        host_free(host);
        return;
    }
    host_activate(host);
    CHECK(display->render(host_handle(host), 200, 100) == NULL, "image before any data");
    for (int block = 0; block < 48000 / 256; block++) {
        for (int i = 0; i < 256; i++) {
            host_audio_in(host, 0)[i] = (float)(0.1 * gaussian());
        }
        host_run(host, 256);
    }
    int draws = host_queue_draw_calls(host);
    printf("queue_draw called %d times in 1 s\n", draws);
    CHECK(draws >= 5 && draws <= 20, "queue_draw rate %d per second", draws);
    LV2_Inline_Display_Image_Surface *image = display->render(host_handle(host), 200, 300);
    CHECK(image && image->width == 200 && image->height > 20 && image->height <= 300,
          "render size");
    if (image) {
        /* Not blank: several distinct colours. */
        uint32_t first = *(uint32_t *)image->data;
        int different = 0;
        for (int y = 0; y < image->height; y++) {
            const uint32_t *row = (const uint32_t *)(image->data + y * image->stride);
            for (int x = 0; x < image->width; x++) {
                different += row[x] != first;
            }
        }
        CHECK(different > 200, "inline display image looks blank (%d pixels differ)", different);
    }
    host_free(host);
}

/* ------------------------------------------------------------------ */
/* The analysis follows the controls, whatever the worker does            */
/* ------------------------------------------------------------------ */

/* What the notify port said lately. */
typedef struct {
    int spectra, mels, cepstra;
    int fft_size, mel_bands, cepstral_bands;
    double sample_rate, sigma_db, water_db, white_db;
} observed;

static double object_number(mini_host *host, const LV2_Atom_Object *obj, const char *key)
{
    const LV2_Atom *atom = NULL;
    lv2_atom_object_get(obj, host_map(host, key), &atom, 0);
    if (!atom) {
        return NAN;
    }
    if (atom->type == host_map(host, LV2_ATOM__Float)) {
        return ((const LV2_Atom_Float *)atom)->body;
    }
    if (atom->type == host_map(host, LV2_ATOM__Int)) {
        return ((const LV2_Atom_Int *)atom)->body;
    }
    return NAN;
}

/* Mean of the spectrum (dB) between 200 Hz and 0.4 x the analysis rate:
 * inside the resampler's pass band. */
static double mean_level_db(mini_host *host, const LV2_Atom_Object *obj, double rate)
{
    const LV2_Atom *power = NULL, *frequency = NULL;
    lv2_atom_object_get(obj, host_map(host, ST_URI_POWER), &power, host_map(host, ST_URI_FREQUENCY),
                        &frequency, 0);
    if (!power || !frequency) {
        return NAN;
    }
    int count = (int)((power->size - sizeof(LV2_Atom_Vector_Body)) / sizeof(float));
    const float *db = (const float *)((const LV2_Atom_Vector *)power + 1);
    const float *hz = (const float *)((const LV2_Atom_Vector *)frequency + 1);
    double sum = 0;
    int used = 0;
    for (int i = 0; i < count; i++) {
        if (hz[i] > 200 && hz[i] < 0.4 * rate) {
            sum += db[i];
            used++;
        }
    }
    return used ? sum / used : NAN;
}

static void observe(mini_host *host, observed *o)
{
    const LV2_Atom_Sequence *sequence = host_notify(host);
    LV2_ATOM_SEQUENCE_FOREACH(sequence, event)
    {
        if (event->body.type != host_map(host, LV2_ATOM__Object)) {
            continue;
        }
        const LV2_Atom_Object *obj = (const LV2_Atom_Object *)&event->body;
        if (obj->body.otype == host_map(host, ST_URI_SPECTRUM)) {
            o->spectra++;
            o->fft_size = (int)object_number(host, obj, ST_URI_FFT_SIZE);
            o->sample_rate = object_number(host, obj, ST_URI_SAMPLE_RATE);
            o->sigma_db = object_number(host, obj, ST_URI_SIGMA_DB);
            o->water_db = object_number(host, obj, ST_URI_WATER_DB);
            o->white_db = mean_level_db(host, obj, o->sample_rate);
        } else if (obj->body.otype == host_map(host, ST_URI_MEL_COLUMNS)) {
            o->mels++;
            o->mel_bands = (int)object_number(host, obj, ST_URI_MEL_BANDS);
        } else if (obj->body.otype == host_map(host, ST_URI_CEPSTRAL)) {
            o->cepstra++;
            o->cepstral_bands = (int)object_number(host, obj, ST_URI_MEL_BANDS);
        }
    }
}

#define FOLLOW_RATE     48000.0
#define FOLLOW_VARIANCE 0.01 /* white noise at -20 dB */

/* White noise of FOLLOW_VARIANCE for `seconds`, in blocks of 1..max_block
 * frames, noting what the notify port says. */
static void feed_noise(mini_host *host, double seconds, int max_block, observed *o)
{
    long frames = (long)(seconds * FOLLOW_RATE);
    while (frames > 0) {
        uint32_t n = 1 + (uint32_t)(uniform() * max_block);
        if (n > frames) {
            n = (uint32_t)frames;
        }
        /* The same noise on both channels of the stereo plugin: its mid
         * signal (the default analysis) is then that noise too. */
        for (uint32_t i = 0; i < n; i++) {
            float x = (float)(sqrt(FOLLOW_VARIANCE) * gaussian());
            for (int c = 0; c < host_audio_channels(host); c++) {
                host_audio_in(host, c)[i] = x;
            }
        }
        host_run(host, n);
        observe(host, o);
        frames -= n;
    }
}

/* The controls that need a new chain, as the test sets them (exact values). */
typedef struct {
    float fft_size, analysis_rate, mel_bands;
} structure;

static structure current_structure(const mini_host *host)
{
    return (structure){host_get(host, "fft_size"), host_get(host, "analysis_rate"),
                       host_get(host, "mel_bands")};
}

static void random_controls(mini_host *host)
{
    static const float ffts[] = {1024, 2048, 4096, 8192, 16384};
    static const float rates[] = {0, 16000, 22050};
    static const float mels[] = {32, 64, 128, 256};
    if (uniform() < 0.7) {
        host_set(host, "fft_size", ffts[(int)(uniform() * 5)]);
        host_set(host, "analysis_rate", rates[(int)(uniform() * 3)]);
        host_set(host, "mel_bands", mels[(int)(uniform() * 4)]);
    }
    host_set(host, "averaging", (float)(0.1 + 0.9 * uniform()));
    host_set(host, "tide_mode", uniform() < 0.7 ? ST_TIDE_SIGMA : ST_TIDE_SCHEDULE);
    host_set(host, "schedule", 0); /* rectified flow: sigma = t / (1 - t) */
    host_set(host, "t", (float)(0.05 + 0.9 * uniform()));
    host_set(host, "sigma_db", (float)(-100 + 110 * uniform()));
    host_set(host, "tau_db", (float)(-10 + 20 * uniform()));
    host_set(host, "audition", (float)(int)(uniform() * 4));
    host_set(host, "freeze", 0);
}

static const char *const preset_uris[] = {"urn:spectide:preset:speech",
                                          "urn:spectide:preset:music",
                                          "urn:spectide:preset:rectified-flow-t05",
                                          "urn:spectide:preset:sd3-shift3-t07",
                                          "urn:spectide:preset:edm-sigma1",
                                          "urn:spectide:preset:audition-survives"};

static const char *const worker_mode_name[] = {"deferred", "synchronous", "failing", "flaky",
                                               "none"};

/* One random history of control changes, preset loads, activate cycles,
 * export-like runs (a synchronous worker, large blocks) and session reopens
 * (a new instance, the saved controls, a synchronous worker while loading),
 * then white noise: within two averaging times (plus one FFT window) the
 * spectrum must describe the current controls: FFT size, analysis rate,
 * tide, and the noise level. With a working worker the structural
 * controls apply at once; without one (or while it refuses every job) they
 * apply at the next activate(), which is what the host can expect of a
 * real-time plugin that must not allocate in run(). The cepstral view must
 * then come back for the current mel bands within its window (128 mel
 * columns) plus one update interval. */
static int follow_history(const char *uri, int mode, int steps)
{
    int with_worker = mode < HOST_WORKER_MODES;
    host_options options = {1, with_worker, 1, 65536};
    mini_host *host = open_host(uri, FOLLOW_RATE, &options);
    if (with_worker) {
        host_set_worker_mode(host, (host_worker_mode)mode);
    }
    int working = with_worker && mode != HOST_WORKER_FAILING;
    random_controls(host);
    host_activate(host);
    structure applied = current_structure(host);
    host_send_object(host, ST_URI_UI_ON);
    observed o;
    memset(&o, 0, sizeof o);
    char history[1024] = "";
    size_t used = 0;
    for (int step = 0; step < steps; step++) {
        int op = (int)(uniform() * 6);
        static const char *const op_name[] = {"controls", "preset", "cycle",
                                              "export",   "reopen", "run"};
        used += (size_t)snprintf(history + used, sizeof history - used, "%s ", op_name[op]);
        if (used >= sizeof history) {
            used = sizeof history - 1;
        }
        switch (op) {
        case 0:
            random_controls(host);
            break;
        case 1:
            CHECK(host_load_preset(host, preset_uris[(int)(uniform() * 6)]), "preset not found");
            break;
        case 2:
            host_deactivate(host);
            if (uniform() < 0.5) {
                random_controls(host);
            }
            host_activate(host);
            applied = current_structure(host);
            break;
        case 3:
            /* Ardour exports with a synchronous worker and large blocks. */
            if (working) {
                host_set_worker_mode(host, HOST_WORKER_SYNCHRONOUS);
            }
            feed_noise(host, 0.5 + uniform(), 8192, &o);
            if (working) {
                host_set_worker_mode(host, (host_worker_mode)mode);
            }
            break;
        case 4: {
            /* Save, close, open a new instance with the saved port values:
             * Ardour restores them before activate() and runs the worker
             * synchronously while the session loads. */
            float saved[64];
            int ports = host_port_count(host);
            for (int p = 0; p < ports && p < 64; p++) {
                saved[p] = host_get(host, host_port_symbol(host, p));
            }
            host_free(host);
            host = open_host(uri, FOLLOW_RATE, &options);
            for (int p = 0; p < ports && p < 64; p++) {
                const char *symbol = host_port_symbol(host, p);
                int is_output = !strcmp(symbol, "slope") || !strcmp(symbol, "alpha") ||
                                !strcmp(symbol, "above_bins") || !strcmp(symbol, "above_energy") ||
                                !strcmp(symbol, "latency");
                if (!is_output && isfinite(saved[p])) {
                    host_set(host, symbol, saved[p]);
                }
            }
            if (with_worker) {
                host_set_worker_mode(host, HOST_WORKER_SYNCHRONOUS);
            }
            host_activate(host);
            applied = current_structure(host);
            host_send_object(host, ST_URI_UI_ON);
            feed_noise(host, 0.3, 2048, &o);
            if (with_worker) {
                host_set_worker_mode(host, (host_worker_mode)mode);
            }
            break;
        }
        default:
            break;
        }
        feed_noise(host, 0.05 + 0.5 * uniform(), 2048, &o);
    }
    /* Last, a change that needs a new chain while running (the FFT-size
     * change after a reopen that Ardour users met). */
    host_set(host, "fft_size", host_get(host, "fft_size") == 2048 ? 8192 : 2048);
    host_set(host, "mel_bands", host_get(host, "mel_bands") == 64 ? 128 : 64);
    used += (size_t)snprintf(history + used, sizeof history - used, "+ FFT and mel change");
    /* Settle: two averaging times and one FFT window at the analysis rate. */
    structure now = current_structure(host);
    structure expected = working ? now : applied;
    double rate = expected.analysis_rate > 0 ? expected.analysis_rate : FOLLOW_RATE;
    double averaging = host_get(host, "averaging");
    feed_noise(host, 2 * averaging + expected.fft_size / rate + 0.1, 2048, &o);
    /* sigma = s(t)/a(t): rectified flow s = t, a = 1 - t; SD3 is rectified
     * flow at t' = 3t / (1 + 2t). The other schedules (from presets) are
     * not recomputed here: the reported sigma is taken as it is. */
    double t = host_get(host, "t"), sigma_db = host_get(host, "sigma_db");
    if (host_get(host, "tide_mode") > 0.5) {
        int schedule = (int)host_get(host, "schedule");
        double shifted = schedule == 1 ? 3 * t / (1 + 2 * t) : t;
        sigma_db = schedule <= 1 ? 20 * log10(shifted / (1 - shifted)) : o.sigma_db;
    }
    double water_db = sigma_db + host_get(host, "tau_db");
    int spectrum_ok = o.fft_size == (int)expected.fft_size && o.sample_rate == rate &&
                      fabs(o.sigma_db - sigma_db) < 0.01 && fabs(o.water_db - water_db) < 0.01 &&
                      fabs(o.white_db - 10 * log10(FOLLOW_VARIANCE)) < 1.0;
    CHECK(spectrum_ok,
          "%s, %s worker, after [%s]: spectrum says FFT %d at %.0f Hz, sigma %.2f, water %.2f, "
          "white noise %.2f dB; the controls say FFT %.0f at %.0f Hz, sigma %.2f, water %.2f, "
          "white noise %.2f dB",
          uri, worker_mode_name[mode], history, o.fft_size, o.sample_rate, o.sigma_db, o.water_db,
          o.white_db, expected.fft_size, rate, sigma_db, water_db, 10 * log10(FOLLOW_VARIANCE));
    /* The cepstral view: window of 128 mel columns plus 8 (its update
     * interval), at the mel hop of the analysis rate (a quarter of a
     * 93 ms window, as a power of two). */
    int mel_fft = 2048;
    int exponent = (int)lround(log2(rate / 22050.0));
    mel_fft = exponent >= 0 ? mel_fft << exponent : mel_fft >> -exponent;
    double column_s = (mel_fft / 4) / rate;
    int before = o.cepstra;
    o.cepstral_bands = 0;
    feed_noise(host, (ST_CEPSTRAL_COLUMNS + 8 + 2) * column_s, 2048, &o);
    CHECK(o.cepstra > before && o.cepstral_bands == (int)expected.mel_bands &&
              o.mel_bands == (int)expected.mel_bands && isfinite(host_get(host, "alpha")),
          "%s, %s worker, after [%s]: cepstral view for %d mel bands (%d new), mel columns of %d "
          "bands; the controls say %.0f",
          uri, worker_mode_name[mode], history, o.cepstral_bands, o.cepstra - before, o.mel_bands,
          expected.mel_bands);
    long jobs = host_worker_jobs(host), refusals = host_worker_refusals(host);
    host_free(host);
    return spectrum_ok ? (int)(jobs + refusals) : -1;
}

static void test_follow(void)
{
    /* Each history has its own seed; FOLLOW_ONLY=MODE:HISTORY replays one. */
    int only_mode = -1, only_history = -1;
    if (getenv("FOLLOW_ONLY")) {
        sscanf(getenv("FOLLOW_ONLY"), "%d:%d", &only_mode, &only_history);
    }
    for (int mode = 0; mode <= HOST_WORKER_MODES; mode++) {
        for (int history = 0; history < 4; history++) {
            if (only_mode >= 0 && (mode != only_mode || history != only_history)) {
                continue;
            }
            test_state =
                88172645463325252ull ^ (0x9e3779b97f4a7c15ull * (uint64_t)(mode * 8 + history + 1));
            const char *uri = history == 3 ? ST_URI_STEREO : ST_URI_MONO;
            int calls = follow_history(uri, mode, 14);
            printf("%-11s worker, history %d (%s): %s (%d schedule_work calls in the last "
                   "instance)\n",
                   worker_mode_name[mode], history, history == 3 ? "stereo" : "mono",
                   calls >= 0 ? "spectrum follows the controls" : "FAILED", calls);
        }
    }
}

/* Every code path of run() and work_response() during a long run, with the
 * UI listening and parameters changing: not one allocation. */
static void test_alloc(void)
{
    host_in_run = 1;
    void *probe = malloc(16);
    free(probe);
    host_in_run = 0;
    CHECK(allocations_in_run == 2, "the interposer does not see this process's malloc");
    allocations_in_run = 0;
    /* The worker answering later, inside schedule_work() (whose work() may
     * allocate: the host's choice; its work_response() may not), and
     * refusing every other job. */
    static const host_worker_mode modes[] = {HOST_WORKER_DEFERRED, HOST_WORKER_SYNCHRONOUS,
                                             HOST_WORKER_FLAKY, HOST_WORKER_DEFERRED};
    for (int round = 0; round < 4; round++) {
        int stereo = round == 3;
        long before = allocations_total;
        mini_host *host = open_host(stereo ? ST_URI_STEREO : ST_URI_MONO, 48000, &FULL);
        host_set_worker_mode(host, modes[round]);
        host_activate(host);
        CHECK(allocations_total > before, "the plugin's allocations are not seen");
        host_send_object(host, ST_URI_UI_ON);
        const LV2_Inline_Display_Interface *display =
            host_extension(host, LV2_INLINEDISPLAY__interface);
        for (int block = 0; block < 2000; block++) {
            uint32_t n = 1 + (uint32_t)(uniform() * 1500);
            if (block % 200 == 0) {
                host_set(host, "fft_size", (float)(1024 << (block / 200 % 7)));
                host_set(host, "mel_bands", (float)(32 + block / 10));
                host_set(host, "analysis_rate", (float)((int[]){0, 16000, 22050}[block / 200 % 3]));
            }
            host_set(host, "audition", (float)(block / 50 % 4));
            host_set(host, "t", (float)uniform());
            host_set(host, "sigma_db", (float)(-80 + 60 * uniform()));
            host_set(host, "seed", (float)(block % 5));
            if (block % 300 == 0) {
                host_send_object(host, ST_URI_STATE_REQUEST);
            }
            for (int c = 0; c < host_audio_channels(host); c++) {
                for (uint32_t i = 0; i < n; i++) {
                    host_audio_in(host, c)[i] = (float)(0.2 * gaussian());
                }
            }
            host_run(host, n);
            if (block % 40 == 0 && display) {
                display->render(host_handle(host), 160, 80); /* the GUI thread may allocate */
            }
        }
        static const char *const mode_names[] = {"deferred", "synchronous", "failing", "flaky"};
        printf("%s, %s worker (%ld jobs, %ld refused): %ld allocations or frees inside run()\n",
               stereo ? "stereo" : "mono", mode_names[modes[round]], host_worker_jobs(host),
               host_worker_refusals(host), allocations_in_run);
        CHECK(allocations_in_run == 0, "%ld allocations inside run()", allocations_in_run);
        host_free(host);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr,
                "usage: %s "
                "ports|passthrough|mask|noise|robust|stereo|oneframe|atoms|display|alloc|follow\n",
                argv[0]);
        return 2;
    }
    const char *name = argv[1];
    if (!strcmp(name, "ports")) {
        test_ports();
    } else if (!strcmp(name, "passthrough")) {
        test_passthrough();
    } else if (!strcmp(name, "mask")) {
        test_mask();
    } else if (!strcmp(name, "noise")) {
        test_noise();
    } else if (!strcmp(name, "robust")) {
        test_robust();
    } else if (!strcmp(name, "atoms")) {
        test_atoms();
    } else if (!strcmp(name, "stereo")) {
        test_stereo();
    } else if (!strcmp(name, "oneframe")) {
        test_one_frame();
    } else if (!strcmp(name, "display")) {
        test_display();
    } else if (!strcmp(name, "alloc")) {
        test_alloc();
    } else if (!strcmp(name, "follow")) {
        test_follow();
    } else {
        fprintf(stderr, "unknown case %s\n", name);
        return 2;
    }
    if (failures) {
        fprintf(stderr, "%s: %d failure(s)\n", name, failures);
        return 1;
    }
    printf("%s: ok\n", name);
    return 0;
}
