/* RAPSD of image files, shared by the image subcommands (all numbers from
 * core/).
 *
 * The per-file seam of every dataset command is cli_image_spectrum(): one
 * path in, one spectrum out, nothing shared between workers but the loader
 * (cli_image_load). A worker pool gives each thread its own
 * cli_image_worker; a faster loader replaces cli_image_load behind it. No
 * caller needs to change for either.
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

/* What is done to every image file. */
typedef struct {
    st_channel channel;
} cli_image_options;

/* Per-thread state of the per-file work: the RAPSD plan of the last size
 * seen (datasets repeat sizes) and the analysis plane. One worker is used by
 * one thread at a time. NULL if out of memory. */
typedef struct cli_image_worker cli_image_worker;
cli_image_worker *cli_image_worker_new(const cli_image_options *options);
void cli_image_worker_free(cli_image_worker *worker);

/* Loads `path`, takes the analysis channel (x = 2v - 1), computes the RAPSD
 * and its power-law fit into *result (owned by the caller: free it with
 * cli_spectrum_free). CLI_OK, or CLI_BAD_INPUT with a message on stderr
 * naming the file and the reason. */
int cli_image_spectrum(cli_image_worker *worker, const char *path, cli_spectrum *result);

/* RAPSD of one plane already mapped to [-1,1]. */
int cli_spectrum_of_plane(const float *plane, int width, int height, cli_spectrum *spectrum);
/* A copy of `from` with its own arrays. CLI_OK or CLI_BAD_INPUT (memory). */
int cli_copy_spectrum(const cli_spectrum *from, cli_spectrum *to);
void cli_spectrum_free(cli_spectrum *spectrum);

/* Parses --channel, common to the image commands. */
int cli_channel_option(const char *command, const char *name, st_channel *channel);

#endif
