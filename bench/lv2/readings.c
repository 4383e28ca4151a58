/* The plugin's readings on a recording, as lv2apply runs it: spectide mono
 * with no features (no urid:map, no worker), one frame per run(), the
 * file's channels averaged to mono (lv2apply needs a mono file for a mono
 * plugin), control inputs from the command line. Prints the control
 * outputs at the end of the file: slope (dB/octave), the cepstral alpha,
 * the shares above water (bins, energy, %) and the latency, plus the mean
 * of each reading over the file's second half (frames where it is
 * defined), which depends less on the last second.
 * Usage: LV2_PATH=build/lv2_plugin:/usr/lib/lv2 readings FILE [SYMBOL VALUE]...
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "mini_host.h"
#include "controls.h"

#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 2 || argc % 2 != 0) {
        fprintf(stderr, "usage: readings FILE [SYMBOL VALUE]...\n");
        return 2;
    }
    SF_INFO info = {0};
    SNDFILE *file = sf_open(argv[1], SFM_READ, &info);
    if (!file) {
        fprintf(stderr, "readings: %s: %s\n", argv[1], sf_strerror(NULL));
        return 1;
    }
    float *frames = malloc(sizeof(float) * (size_t)info.frames * (size_t)info.channels);
    sf_count_t got = frames ? sf_readf_float(file, frames, info.frames) : 0;
    sf_close(file);
    const host_options none = {0, 0, 0, 0};
    mini_host *host = host_new(STL_URI_MONO, info.samplerate, &none);
    if (!host || got <= 0) {
        fprintf(stderr, "readings: cannot load the plugin or read %s\n", argv[1]);
        return 1;
    }
    for (int i = 2; i + 1 < argc; i += 2)
        host_set(host, argv[i], (float)atof(argv[i + 1]));
    host_activate(host);
    const char *names[] = {"slope", "alpha", "above_bins", "above_energy"};
    double sums[4] = {0};
    long counts[4] = {0};
    for (sf_count_t t = 0; t < got; t++) {
        double x = 0.0;
        for (int c = 0; c < info.channels; c++)
            x += frames[t * info.channels + c];
        host_audio_in(host, 0)[0] = (float)(x / info.channels);
        host_run(host, 1);
        if (t >= got / 2)
            for (int k = 0; k < 4; k++) {
                float v = host_get(host, names[k]);
                if (v != 0.0f) {
                    sums[k] += v;
                    counts[k]++;
                }
            }
    }
    printf("%s (%d Hz, %.2f s):", argv[1], info.samplerate, (double)got / info.samplerate);
    for (int k = 0; k < 4; k++)
        printf(" %s %.4f", names[k], host_get(host, names[k]));
    printf(" latency %.0f | second-half means:", host_get(host, "latency"));
    for (int k = 0; k < 4; k++)
        printf(" %s %.4f", names[k], counts[k] ? sums[k] / counts[k] : 0.0);
    printf("\n");
    host_free(host);
    free(frames);
    return 0;
}
