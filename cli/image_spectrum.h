/* RAPSD of image files and their log-domain average, shared by the image
 * subcommands (all numbers from core/).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_CLI_IMAGE_SPECTRUM_H
#define SPECTIDE_CLI_IMAGE_SPECTRUM_H

#include "cli.h"
#include "spectide.h"

typedef struct {
    int width, height;
    int rings;
    double *freq;  /* rings: r / L cycles/pixel */
    double *power; /* rings: RAPSD */
    st_powerlaw fit;
    int fit_ok;
} cli_spectrum;

/* RAPSD of one plane already mapped to [-1,1]. */
int cli_spectrum_of_plane(const float *plane, int width, int height, cli_spectrum *spectrum);
/* Loads the image, takes the analysis channel, computes the RAPSD and fit. */
int cli_spectrum_of_file(const char *path, st_channel channel, cli_spectrum *spectrum);
void cli_spectrum_free(cli_spectrum *spectrum);

/* The log-domain mean of several spectra (10^(mean log10 P)) and its fit,
 * as a cli_spectrum on the finest ring axis (width/height 0). */
int cli_spectrum_average(const cli_spectrum *spectra, int count, cli_spectrum *average);

/* Parses --channel and --threads common to the image commands. */
int cli_channel_option(const char *command, const char *name, st_channel *channel);

#endif
