/* PNG through libpng, asking for no transformation but the unpacking of
 * samples: gAMA, cHRM, sRGB and iCCP are not applied (libpng applies them
 * only when asked to), sBIT is ignored, 16-bit samples stay 16-bit. So the
 * code values are the stored ones, as PIL reads them; where PIL itself
 * reduces a file (16-bit RGB, RGBA and gray + alpha become 8-bit in PIL),
 * spectide keeps the 16 bits (as imageio and torchvision.io do).
 *
 * Unpacking: gray of 1, 2 or 4 bits is scaled to 8 bits (c * 255 / (2^n-1),
 * exact), palettes become their RGB entries (alpha from tRNS is ignored),
 * 16-bit samples are swapped to the machine's order. The file is read
 * through IEND: a file cut anywhere is refused (libpng alone would leave
 * missing rows as they were).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"
#include "pixels_internal.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const unsigned char *bytes;
    size_t size, position;
    char message[200];
    png_structp png;
    png_infop info;
    unsigned char *rows; /* one row, or the whole image when interlaced */
} png_state;

static void read_bytes(png_structp png, png_bytep out, size_t length)
{
    png_state *state = png_get_io_ptr(png);
    if (length > state->size - state->position)
        png_error(png, "the file ends early (truncated)");
    memcpy(out, state->bytes + state->position, length);
    state->position += length;
}

static void on_error(png_structp png, png_const_charp message)
{
    png_state *state = png_get_error_ptr(png);
    snprintf(state->message, sizeof state->message, "%s", message);
    png_longjmp(png, 1);
}

/* Warnings concern ancillary chunks (a bad iCCP profile, a text chunk with
 * a bad CRC...), which are not used for the pixels: not damage. */
static void on_warning(png_structp png, png_const_charp message)
{
    (void)png;
    (void)message;
}

static const char *colour_name(int colour_type)
{
    switch (colour_type) {
    case PNG_COLOR_TYPE_GRAY:
        return "gray";
    case PNG_COLOR_TYPE_GRAY_ALPHA:
        return "gray+alpha";
    case PNG_COLOR_TYPE_PALETTE:
        return "palette";
    case PNG_COLOR_TYPE_RGB:
        return "RGB";
    case PNG_COLOR_TYPE_RGB_ALPHA:
    default:
        return "RGBA";
    }
}

static int decode(png_state *state, cli_sink *sink)
{
    png_structp png = state->png;
    png_infop info = state->info;
    png_set_read_fn(png, state, read_bytes);
    /* The sizes are checked against the budget below, with spectide's own
     * message, before any row is decoded. */
    png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    png_read_info(png, info);
    png_uint_32 width = 0, height = 0;
    int depth = 0, colour_type = 0, interlace = 0;
    png_get_IHDR(png, info, &width, &height, &depth, &colour_type, &interlace, NULL, NULL);
    int gray = colour_type == PNG_COLOR_TYPE_GRAY || colour_type == PNG_COLOR_TYPE_GRAY_ALPHA;
    snprintf(sink->picture->format, sizeof sink->picture->format, "PNG %d-bit %s%s", depth,
             colour_name(colour_type), interlace != PNG_INTERLACE_NONE ? " interlaced" : "");
    if (cli_sink_begin(sink, (int)width, (int)height, gray) != CLI_OK)
        return CLI_BAD_INPUT;

    if (colour_type == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if (colour_type == PNG_COLOR_TYPE_GRAY && depth < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    if (depth == 16) {
        const unsigned one = 1;
        if (*(const unsigned char *)&one == 1)
            png_set_swap(png);
    }
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    int channels = png_get_channels(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    cli_sample_type type = png_get_bit_depth(png, info) == 16 ? CLI_SAMPLE_U16 : CLI_SAMPLE_U8;
    size_t rows = passes > 1 ? height : 1;
    state->rows = malloc(row_bytes * rows);
    if (!state->rows)
        return cli_sink_fail(sink, "out of memory for a %ux%u PNG", width, height);
    if (passes > 1) {
        /* Adam7: every pass writes into the whole image. */
        for (int pass = 0; pass < passes; pass++)
            for (png_uint_32 y = 0; y < height; y++)
                png_read_row(png, state->rows + row_bytes * y, NULL);
        for (png_uint_32 y = 0; y < height; y++)
            cli_sink_row(sink, (int)y, state->rows + row_bytes * y, type, channels);
    } else {
        for (png_uint_32 y = 0; y < height; y++) {
            png_read_row(png, state->rows, NULL);
            cli_sink_row(sink, (int)y, state->rows, type, channels);
        }
    }
    png_read_end(png, NULL);
    return CLI_OK;
}

int cli_decode_png(cli_sink *sink, const unsigned char *bytes, size_t size)
{
    png_state *state = calloc(1, sizeof *state);
    if (!state)
        return cli_sink_fail(sink, "out of memory");
    state->bytes = bytes;
    state->size = size;
    state->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, state, on_error, on_warning);
    state->info = state->png ? png_create_info_struct(state->png) : NULL;
    int status;
    if (!state->info)
        status = cli_sink_fail(sink, "out of memory");
    else if (setjmp(png_jmpbuf(state->png)) == 0)
        status = decode(state, sink);
    else
        status = cli_sink_fail(sink, "not a readable PNG (libpng: %s)", state->message);
    png_destroy_read_struct(&state->png, state->info ? &state->info : NULL, NULL);
    free(state->rows);
    free(state);
    return status;
}
