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

typedef struct {
    cli_picture *picture;
    const cli_load_settings *settings;
    char *problem;
    size_t problem_size;
    int width, height;
    int pick;   /* sample index taken from a colour pixel (0 R, 1 G, 2 B), -1: luma */
    int opened; /* cli_sink_begin succeeded */
} cli_sink;

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

/* Decoders: CLI_OK or CLI_BAD_INPUT with the reason through the sink. The
 * in-memory ones read bytes[size]; TIFF reads the open file descriptor. */
int cli_decode_png(cli_sink *sink, const unsigned char *bytes, size_t size);
int cli_decode_jpeg(cli_sink *sink, const unsigned char *bytes, size_t size);
int cli_decode_webp(cli_sink *sink, const unsigned char *bytes, size_t size);
int cli_decode_tiff(cli_sink *sink, int fd, const char *name);

#endif
