/* What the format decoders of the image loader share (cli/pixels*.c): the
 * row sink that maps decoded samples to analysis planes, the size check and
 * the problem messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_CLI_PIXELS_INTERNAL_H
#define SPECTIDE_CLI_PIXELS_INTERNAL_H

#include "pixels.h"

#include <stdint.h>
#include <stdio.h>

typedef enum { CLI_SAMPLE_U8, CLI_SAMPLE_U16, CLI_SAMPLE_F32 } cli_sample_type;

/* What a file says about its colours (read only with color_managed). */
typedef struct {
    unsigned char *icc; /* an embedded ICC profile (owned copy), or NULL */
    size_t icc_size;
    int srgb;       /* PNG sRGB chunk */
    double gamma;   /* PNG gAMA (stored v = linear^gamma), 0 if none */
    double chrm[8]; /* PNG cHRM: white x, y, red x, y, green x, y, blue x, y */
    int has_chrm;
} cli_color_source;

typedef struct cli_color cli_color;

typedef struct {
    cli_picture *picture;
    const cli_load_settings *settings;
    char *problem;
    size_t problem_size;
    int width, height;
    int pick;   /* sample index taken from a colour pixel (0 R, 1 G, 2 B), -1: luma */
    int opened; /* cli_sink_begin succeeded */
    int failed; /* a row could not be converted (reason in problem) */
    cli_color_source color_source;
    int color_started;
    cli_color *color; /* the conversion to sRGB, when there is one */
} cli_sink;

/* Records an embedded ICC profile (copied), when colour management is on. */
void cli_sink_set_icc(cli_sink *sink, const void *bytes, size_t size);

/* Records a reason (printf-style) unless one is already there. Returns
 * CLI_BAD_INPUT. */
int cli_sink_fail(cli_sink *sink, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Checks width x height against the sides and the pixel budget (refused
 * from the header) and prepares the planes: gray files give one plane, and
 * colour files one (the analysis channel) or three (colour_planes). */
int cli_sink_begin(cli_sink *sink, int width, int height, int gray);

/* Converts row y: `width` pixels of `channels` interleaved samples (1 gray,
 * 2 gray + alpha, 3 RGB, 4 RGBA; alpha ignored), u8 and u16 in native
 * order, f32 as stored. Gray rows for gray files, colour rows otherwise. */
void cli_sink_row(cli_sink *sink, int y, const void *row, cli_sample_type type, int channels);

/* Colour management (pixels_color.c). cli_color_start makes the conversion
 * from sink->color_source (none when the file is sRGB or says nothing):
 * CLI_OK or CLI_BAD_INPUT with the reason. cli_color_row converts one row
 * to float sRGB values (cli_color_channels of them per pixel, alpha
 * dropped) in a buffer of the conversion. */
int cli_color_start(cli_sink *sink);
const float *cli_color_row(cli_color *color, int width, const void *row, cli_sample_type type,
                           int channels);
int cli_color_channels(const cli_color *color);
void cli_color_free(cli_color *color);

/* Decoders: CLI_OK or CLI_BAD_INPUT with the reason through the sink. The
 * in-memory ones read bytes[size]; TIFF reads the open file descriptor. */
int cli_decode_png(cli_sink *sink, const unsigned char *bytes, size_t size);
int cli_decode_jpeg(cli_sink *sink, const unsigned char *bytes, size_t size);
int cli_decode_webp(cli_sink *sink, const unsigned char *bytes, size_t size);
int cli_decode_tiff(cli_sink *sink, int fd, const char *name);

#endif
