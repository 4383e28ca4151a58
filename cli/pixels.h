/* Image files to analysis planes: the command line's image loader.
 *
 * Pixels are the file's stored code values, as the ML data loaders read them
 * (PIL, torchvision, imageio): no gamma (PNG gAMA), ICC or chromaticity
 * conversion unless colour management is asked for; JPEG through
 * libjpeg-turbo with its defaults (ISLOW IDCT, fancy upsampling), as PIL
 * does. A code value c of an n-bit sample is v = c / (2^n - 1), float
 * samples are v as stored, and the plane holds x = 2v - 1 rounded once to
 * float (docs/conventions.md, "Pixels").
 *
 * The format is found from the file's first bytes, never from its name
 * (PIL does the same): PNG (zlib, our own reader as PIL has), JPEG (libjpeg-turbo), TIFF (libtiff)
 * and WebP (libwebp). Every decoder reports damage through a returning error
 * handler and the sizes are checked from the header, before anything is
 * decoded, against the pixel budget.
 *
 * Threads: one cli_picture per thread; cli_picture_load may run in several
 * threads at once on different pictures (no global state is written).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_CLI_PIXELS_H
#define SPECTIDE_CLI_PIXELS_H

#include "spectide.h"

#include <stddef.h>

typedef struct {
    st_channel channel; /* the analysis channel of colour images (gray: as is) */
    int colour_planes;  /* 1: every colour plane (R, G, B, or gray) instead */
    int color_managed;  /* 1: convert embedded ICC / gAMA+cHRM / sRGB to sRGB first */
    double max_pixels;  /* pixel budget (cli_max_pixels()) */
} cli_load_settings;

typedef struct {
    int width, height;
    int is_gray; /* the file stores gray (or gray + alpha) */
    int planes;  /* 1 (analysis plane or gray), or 3 (R, G, B with colour_planes) */
    float *plane[3];
    char format[64]; /* what was read, e.g. "JPEG 4:2:0 8-bit RGB" */
    /* Buffers kept between loads (reused when large enough). */
    float *storage;
    size_t storage_floats;
    unsigned char *file_bytes;
    size_t file_capacity;
} cli_picture;

/* Loads `path` into `picture` (whose buffers are reused; zero it before the
 * first use). CLI_OK, or CLI_BAD_INPUT with the reason (without the path)
 * in problem[problem_size]. The planes are aligned for FFTW. */
int cli_picture_load(cli_picture *picture, const char *path, const cli_load_settings *settings,
                     char *problem, size_t problem_size);
/* Frees the buffers (the struct may be reused after). */
void cli_picture_release(cli_picture *picture);

/* The pixel budget: ST_MAX_IMAGE_PIXELS, or less from SPECTIDE_MAX_PIXELS. */
double cli_max_pixels(void);

#endif
