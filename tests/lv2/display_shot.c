/* Renders spectide's inline display in the tests' mini host to PNG files:
 * for looking at it, and for the README. Not a test (test_dsp 'display'
 * checks the pixels).
 *
 * Usage: display_shot OUT_PREFIX SIGNAL [SYMBOL=VALUE ...]
 *   SIGNAL: pink:DBFS    pink noise (1/f power) at DBFS RMS, 6 s
 *           white:DBFS   white noise
 *           raw:FILE     mono float32 samples at 48 kHz (e.g. from
 *                        `sox music.ogg -r 48000 -c 1 -t f32 music.raw`)
 * Writes OUT_PREFIX-WxMAXH.png for the sizes Ardour gives at UI scale 1
 * and 2 (max_h 112 and 224) in narrow and wide strips, after the signal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "controls.h"
#include "inlinedisplay.h"
#include "mini_host.h"
#include "uris.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x853c49e6748fea9bull;
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

/* Pink noise: Paul Kellet's refined filter of white noise (within 0.05 dB
 * of 1/f from 10 Hz up at 44.1-48 kHz), scaled to the RMS asked for. */
typedef struct {
    double b[7];
} pink_filter;

static double pink(pink_filter *p, double white)
{
    p->b[0] = 0.99886 * p->b[0] + white * 0.0555179;
    p->b[1] = 0.99332 * p->b[1] + white * 0.0750759;
    p->b[2] = 0.96900 * p->b[2] + white * 0.1538520;
    p->b[3] = 0.86650 * p->b[3] + white * 0.3104856;
    p->b[4] = 0.55000 * p->b[4] + white * 0.5329522;
    p->b[5] = -0.7616 * p->b[5] - white * 0.0168980;
    double out =
        p->b[0] + p->b[1] + p->b[2] + p->b[3] + p->b[4] + p->b[5] + p->b[6] + white * 0.5362;
    p->b[6] = white * 0.115926;
    return out * 0.11; /* about unit RMS */
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s OUT_PREFIX pink:DBFS|white:DBFS|raw:FILE [SYMBOL=VALUE ...]\n",
                argv[0]);
        return 2;
    }
    host_options options = {1, 1, 1, 65536};
    mini_host *host = host_new(STL_URI_MONO, 48000, &options);
    if (!host) {
        return 1;
    }
    for (int i = 3; i < argc; i++) {
        char symbol[64];
        float value;
        if (sscanf(argv[i], "%63[^=]=%f", symbol, &value) != 2) {
            fprintf(stderr, "bad control %s\n", argv[i]);
            return 2;
        }
        host_set(host, symbol, value);
    }
    host_activate(host);
    float *samples = NULL;
    long count = 0;
    if (!strncmp(argv[2], "raw:", 4)) {
        FILE *file = fopen(argv[2] + 4, "rb");
        if (!file) {
            perror(argv[2] + 4);
            return 1;
        }
        fseek(file, 0, SEEK_END);
        count = ftell(file) / (long)sizeof(float);
        fseek(file, 0, SEEK_SET);
        samples = malloc(sizeof(float) * (size_t)count);
        count = (long)fread(samples, sizeof(float), (size_t)count, file);
        fclose(file);
    } else {
        double dbfs = atof(strchr(argv[2], ':') ? strchr(argv[2], ':') + 1 : "-20");
        double rms = pow(10.0, dbfs / 20.0);
        count = 6 * 48000;
        samples = malloc(sizeof(float) * (size_t)count);
        pink_filter filter = {{0}};
        int is_pink = !strncmp(argv[2], "pink", 4);
        for (long i = 0; i < count; i++) {
            double white = gaussian();
            samples[i] = (float)(rms * (is_pink ? pink(&filter, white) : white));
        }
    }
    for (long done = 0; done + 256 <= count; done += 256) {
        memcpy(host_audio_in(host, 0), samples + done, 256 * sizeof(float));
        host_run(host, 256);
    }
    const LV2_Inline_Display_Interface *display =
        host_extension(host, LV2_INLINEDISPLAY__interface);
    static const uint32_t sizes[][2] = {{88, 112}, {140, 112}, {220, 112}, {176, 224}, {300, 224}};
    for (int s = 0; s < 5; s++) {
        LV2_Inline_Display_Image_Surface *image =
            display->render(host_handle(host), sizes[s][0], sizes[s][1]);
        if (!image) {
            fprintf(stderr, "no image\n");
            return 1;
        }
        cairo_surface_t *surface = cairo_image_surface_create_for_data(
            image->data, CAIRO_FORMAT_ARGB32, image->width, image->height, image->stride);
        char path[512];
        snprintf(path, sizeof path, "%s-%ux%u.png", argv[1], sizes[s][0], sizes[s][1]);
        cairo_surface_write_to_png(surface, path);
        cairo_surface_destroy(surface);
        printf("%s: %dx%d\n", path, image->width, image->height);
    }
    free(samples);
    host_free(host);
    return 0;
}
