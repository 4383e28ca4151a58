/* Prints the latency the plugin reports on its latency port for the given
 * control values, instantiated as lv2apply does (no features): one run()
 * of one frame after activate(), then the port's value. For
 * test_mask_cli.sh, which aligns lv2apply's output by it.
 * Usage: LV2_PATH=... report_latency URI [SYMBOL VALUE]...
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "mini_host.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 2 || argc % 2 != 0) {
        fprintf(stderr, "usage: report_latency URI [SYMBOL VALUE]...\n");
        return 2;
    }
    const host_options none = {0, 0, 0, 0};
    mini_host *host = host_new(argv[1], 48000, &none);
    if (!host) {
        fprintf(stderr, "report_latency: cannot load %s\n", argv[1]);
        return 1;
    }
    for (int i = 2; i + 1 < argc; i += 2) {
        if (host_port_index(host, argv[i]) < 0) {
            fprintf(stderr, "report_latency: no port '%s'\n", argv[i]);
            return 1;
        }
        host_set(host, argv[i], (float)atof(argv[i + 1]));
    }
    host_activate(host);
    host_audio_in(host, 0)[0] = 0.0f;
    host_run(host, 1);
    printf("%.0f\n", host_get(host, "latency"));
    host_free(host);
    return 0;
}
