/* A research program outside the spectide tree: it knows the library only
 * through pkg-config and the installed headers. It measures the spectral
 * exponent of a synthetic power-law image, whose answer is known: amplitude
 * f^-1 per Fourier bin (power f^-2) gives alpha = 2.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <spectide.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SIDE = 256 };
static const double pi = 3.14159265358979323846;

/* A real image with |X(kx, ky)| = 1/|k| and random phases, by a direct sum
 * over a few hundred frequencies (no FFT library needed here). */
static void power_law_image(float *image)
{
    memset(image, 0, sizeof(float) * SIDE * SIDE);
    unsigned seed = 1;
    for (int ky = 0; ky < 24; ky++) {
        for (int kx = -23; kx < 24; kx++) {
            double k = hypot(kx, ky);
            if (k < 1 || k > 23 || (ky == 0 && kx < 0))
                continue;
            seed = seed * 1103515245u + 12345u;
            double phase = 2 * pi * (seed >> 8) / 16777216.0;
            for (int y = 0; y < SIDE; y++)
                for (int x = 0; x < SIDE; x++)
                    image[y * SIDE + x] +=
                        (float)(cos(2 * pi * (kx * x + ky * y) / SIDE + phase) / k);
        }
    }
}

int main(int argc, char **argv)
{
    const char *expected_version = argc > 1 ? argv[1] : ST_VERSION_STRING;
    if (strcmp(st_version(), expected_version) != 0) {
        fprintf(stderr, "consumer: library %s, expected %s\n", st_version(), expected_version);
        return 1;
    }
    float *image = malloc(sizeof(float) * SIDE * SIDE);
    power_law_image(image);
    st_status error;
    st_rapsd *rapsd = st_rapsd_new(SIDE, SIDE, &error);
    if (!rapsd) {
        fprintf(stderr, "consumer: %s\n", st_status_message(error));
        return 1;
    }
    int rings = st_rapsd_ring_count(rapsd);
    double *freq = malloc(sizeof(double) * rings), *power = malloc(sizeof(double) * rings);
    st_rapsd_frequencies(rapsd, freq);
    st_rapsd_run(rapsd, image, power);
    st_powerlaw fit;
    /* Rings 4..20: inside the synthesised band, away from the ring-rounding of the lowest. */
    st_status status = st_powerlaw_fit(freq, power, rings, 4.0 / SIDE, 20.0 / SIDE, 0, &fit);
    printf("spectide %s through pkg-config: alpha %.3f (R^2 %.4f), expected 2\n", st_version(),
           fit.alpha, fit.r_squared);
    st_rapsd_free(rapsd);
    free(image);
    free(freq);
    free(power);
    return status == ST_OK && fabs(fit.alpha - 2.0) < 0.1 ? 0 : 1;
}
