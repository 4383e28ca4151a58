/* TIFF through libtiff: the first image of the file, in strips or tiles,
 * chunky or planar, with any compression libtiff decodes. What PIL reads,
 * read as PIL does:
 *   - gray (MinIsBlack) of 1, 2, 4, 8 or 16 bits, 32-bit float; MinIsWhite
 *     is inverted for integer samples (PIL does so up to 8 bits; spectide
 *     also at 16, as the TIFF specification says);
 *   - RGB of 8 or 16 bits or 32-bit float (PIL keeps 8 bits only and has
 *     no float RGB), extra samples (alpha) ignored;
 *   - palette images of up to 8 bits: the colour map's 16-bit entries as
 *     8-bit values (entry >> 8, as PIL);
 *   - CMYK of 8 bits, converted as PIL's Image.convert("RGB");
 *   - YCbCr in JPEG-compressed files through libtiff's JPEG codec as RGB
 *     (PIL asks libtiff for the same).
 * Other layouts (signed or 12/24/32-bit integers, LAB, subsampled
 * uncompressed YCbCr) are refused with a message.
 *
 * libtiff reports through handlers set per file (TIFFOpenOptions, libtiff
 * 4.5): errors refuse the file, warnings (unknown tags...) are ignored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"
#include "pixels_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

typedef struct {
    char message[200];
    int failed;
    const char *name; /* the file name, which libtiff puts in front of its messages */
} tiff_errors;

static int on_error(TIFF *tiff, void *user_data, const char *module, const char *format,
                    va_list args)
{
    (void)tiff;
    (void)module;
    tiff_errors *errors = user_data;
    if (!errors->failed) {
        char text[sizeof errors->message];
        vsnprintf(text, sizeof text, format, args);
        size_t length = strlen(errors->name);
        int named =
            strncmp(text, errors->name, length) == 0 && strncmp(text + length, ": ", 2) == 0;
        snprintf(errors->message, sizeof errors->message, "%s", named ? text + length + 2 : text);
    }
    errors->failed = 1;
    return 1;
}

static int on_warning(TIFF *tiff, void *user_data, const char *module, const char *format,
                      va_list args)
{
    (void)tiff;
    (void)user_data;
    (void)module;
    (void)format;
    (void)args;
    return 1;
}

typedef enum { LAYOUT_GRAY, LAYOUT_RGB, LAYOUT_PALETTE, LAYOUT_CMYK } tiff_layout;

typedef struct {
    TIFF *tiff;
    tiff_errors errors;
    uint32_t width, height;
    uint16_t bits, samples, format, photometric, planar;
    tiff_layout layout;
    int invert;            /* MinIsWhite */
    int colours;           /* samples used: 1 gray/palette, 3 RGB, 4 CMYK */
    uint16_t *map[3];      /* palette colour map (owned by libtiff) */
    unsigned char *raw;    /* decoded strip/tile data */
    unsigned char *chunky; /* one row, interleaved, in the sample type */
    unsigned char *rgb;    /* one row of 8-bit RGB (palette, CMYK) */
} tiff_state;

static int fail(cli_sink *sink, tiff_state *state, const char *what)
{
    if (state->errors.failed)
        return cli_sink_fail(sink, "not a readable TIFF (libtiff: %s)", state->errors.message);
    return cli_sink_fail(sink, "not a readable TIFF (%s)", what);
}

static int classify(cli_sink *sink, tiff_state *state)
{
    TIFF *tiff = state->tiff;
    uint16_t extra_count = 0, *extra = NULL;
    TIFFGetFieldDefaulted(tiff, TIFFTAG_BITSPERSAMPLE, &state->bits);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_SAMPLESPERPIXEL, &state->samples);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_SAMPLEFORMAT, &state->format);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_PLANARCONFIG, &state->planar);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_EXTRASAMPLES, &extra_count, &extra);
    if (!TIFFGetField(tiff, TIFFTAG_PHOTOMETRIC, &state->photometric))
        state->photometric = state->samples >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
    uint16_t compression = COMPRESSION_NONE;
    TIFFGetFieldDefaulted(tiff, TIFFTAG_COMPRESSION, &compression);
    int bits = state->bits, format = state->format;
    int integer = format == SAMPLEFORMAT_UINT;
    int real = format == SAMPLEFORMAT_IEEEFP && bits == 32;
    const char *kind = "?";
    switch (state->photometric) {
    case PHOTOMETRIC_MINISWHITE:
    case PHOTOMETRIC_MINISBLACK:
        state->layout = LAYOUT_GRAY;
        state->colours = 1;
        state->invert = state->photometric == PHOTOMETRIC_MINISWHITE;
        kind = "gray";
        if (!(integer && (bits == 1 || bits == 2 || bits == 4 || bits == 8 || bits == 16)) &&
            !(real && !state->invert))
            return cli_sink_fail(sink, "TIFF gray of %d-bit %s samples is not supported", bits,
                                 format == SAMPLEFORMAT_INT ? "signed" : "such");
        break;
    case PHOTOMETRIC_YCBCR:
        if (compression != COMPRESSION_JPEG || bits != 8)
            return cli_sink_fail(sink, "TIFF YCbCr without JPEG compression is not supported");
        TIFFSetField(tiff, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
        __attribute__((fallthrough)); /* read as RGB */
    case PHOTOMETRIC_RGB:
        state->layout = LAYOUT_RGB;
        state->colours = 3;
        kind = "RGB";
        if (!(integer && (bits == 8 || bits == 16)) && !real)
            return cli_sink_fail(sink, "TIFF RGB of %d-bit %s samples is not supported", bits,
                                 format == SAMPLEFORMAT_INT ? "signed" : "such");
        break;
    case PHOTOMETRIC_PALETTE:
        state->layout = LAYOUT_PALETTE;
        state->colours = 1;
        kind = "palette";
        if (!integer || bits > 8 ||
            !TIFFGetField(tiff, TIFFTAG_COLORMAP, &state->map[0], &state->map[1], &state->map[2]))
            return cli_sink_fail(sink, "TIFF palette image without a usable colour map");
        break;
    case PHOTOMETRIC_SEPARATED:
        state->layout = LAYOUT_CMYK;
        state->colours = 4;
        kind = "CMYK";
        if (!integer || bits != 8)
            return cli_sink_fail(sink, "TIFF CMYK of %d-bit samples is not supported", bits);
        break;
    default:
        return cli_sink_fail(sink, "TIFF photometric interpretation %d is not supported",
                             state->photometric);
    }
    if (state->samples < state->colours || state->samples > 16)
        return cli_sink_fail(sink, "TIFF %s with %d samples per pixel", kind, state->samples);
    snprintf(sink->picture->format, sizeof sink->picture->format, "TIFF %d-bit%s %s%s", bits,
             real ? " float" : "", kind, state->samples > state->colours ? "+extra" : "");
    return CLI_OK;
}

/* Unpacks `count` samples of `bits` from packed MSB-first bytes to 8 bits,
 * scaled to 0..255 (or left as indices for palettes). */
static void unpack_small(const unsigned char *in, int bits, size_t count, unsigned char *out,
                         int scale)
{
    int per_byte = 8 / bits, mask = (1 << bits) - 1;
    int factor = scale ? 255 / mask : 1;
    for (size_t i = 0; i < count; i++) {
        int shift = 8 - bits * (int)(i % per_byte + 1);
        out[i] = (unsigned char)(((in[i / per_byte] >> shift) & mask) * factor);
    }
}

/* Sends one chunky row (all samples of each pixel together, in the file's
 * sample size; small bit depths still packed) through the sink. */
static void emit_row(cli_sink *sink, tiff_state *state, int y, const unsigned char *row)
{
    int width = (int)state->width, samples = state->samples, bits = state->bits;
    size_t count = (size_t)width * samples;
    const unsigned char *values = row;
    if (bits < 8) {
        unpack_small(row, bits, count, state->chunky, state->layout != LAYOUT_PALETTE);
        values = state->chunky;
    }
    if (state->invert) {
        if (values != state->chunky) {
            memcpy(state->chunky, values, count * (bits == 16 ? 2 : 1));
            values = state->chunky;
        }
        if (bits == 16) {
            uint16_t *v = (uint16_t *)state->chunky;
            for (size_t i = 0; i < count; i++)
                v[i] = (uint16_t)(65535 - v[i]);
        } else {
            for (size_t i = 0; i < count; i++)
                state->chunky[i] = (unsigned char)(255 - state->chunky[i]);
        }
    }
    if (state->layout == LAYOUT_PALETTE) {
        for (int x = 0; x < width; x++) {
            int index = values[(size_t)x * samples];
            for (int c = 0; c < 3; c++)
                state->rgb[3 * (size_t)x + c] = (unsigned char)(state->map[c][index] >> 8);
        }
        cli_sink_row(sink, y, state->rgb, CLI_SAMPLE_U8, 3);
        return;
    }
    if (state->layout == LAYOUT_CMYK) {
        /* Pillow's cmyk2rgb on the stored (not inverted) samples. */
        for (int x = 0; x < width; x++) {
            const unsigned char *in = values + (size_t)x * samples;
            int keep = 255 - in[3];
            for (int c = 0; c < 3; c++) {
                int t = in[c] * keep + 128;
                int value = keep - (((t >> 8) + t) >> 8);
                state->rgb[3 * (size_t)x + c] = (unsigned char)(value < 0 ? 0 : value);
            }
        }
        cli_sink_row(sink, y, state->rgb, CLI_SAMPLE_U8, 3);
        return;
    }
    cli_sample_type type = bits == 32   ? CLI_SAMPLE_F32
                           : bits == 16 ? CLI_SAMPLE_U16
                                        : CLI_SAMPLE_U8;
    cli_sink_row(sink, y, values, type, samples);
}

static size_t sample_bytes(const tiff_state *state)
{
    return state->bits >= 8 ? state->bits / 8 : 1;
}

/* Bytes of one row of one plane as stored (packed for small depths). */
static size_t stored_row_bytes(const tiff_state *state, int samples)
{
    return ((size_t)state->width * samples * state->bits + 7) / 8;
}

/* Interleaves the planes' rows (planar files) into `out`. */
static void interleave(const tiff_state *state, unsigned char *const *planes, unsigned char *out)
{
    size_t size = sample_bytes(state);
    for (uint32_t x = 0; x < state->width; x++)
        for (int s = 0; s < state->samples; s++)
            memcpy(out + ((size_t)x * state->samples + s) * size, planes[s] + (size_t)x * size,
                   size);
}

/* Strips are decoded whole (each is compressed on its own); planar files
 * have one strip per plane for the same rows. */
static int read_strips(cli_sink *sink, tiff_state *state)
{
    int planar = state->planar == PLANARCONFIG_SEPARATE && state->samples > 1;
    int planes = planar ? state->samples : 1;
    size_t row_bytes = stored_row_bytes(state, planar ? 1 : state->samples);
    uint32_t rows_per_strip = state->height;
    TIFFGetFieldDefaulted(state->tiff, TIFFTAG_ROWSPERSTRIP, &rows_per_strip);
    if (rows_per_strip == 0 || rows_per_strip > state->height)
        rows_per_strip = state->height;
    size_t strip_bytes = row_bytes * rows_per_strip;
    if ((tsize_t)row_bytes != TIFFScanlineSize(state->tiff) ||
        (tmsize_t)strip_bytes < TIFFStripSize(state->tiff))
        return fail(sink, state, "unexpected strip size");
    state->raw = malloc(strip_bytes * planes + stored_row_bytes(state, state->samples));
    if (!state->raw)
        return cli_sink_fail(sink, "out of memory");
    unsigned char *joined = state->raw + strip_bytes * planes;
    for (uint32_t top = 0; top < state->height; top += rows_per_strip) {
        uint32_t rows = state->height - top < rows_per_strip ? state->height - top : rows_per_strip;
        for (int s = 0; s < planes; s++) {
            tstrip_t strip = TIFFComputeStrip(state->tiff, top, (uint16_t)s);
            tmsize_t wanted = (tmsize_t)(row_bytes * rows);
            if (TIFFReadEncodedStrip(state->tiff, strip, state->raw + strip_bytes * s, wanted) !=
                    wanted ||
                state->errors.failed)
                return fail(sink, state, "damaged or short strip");
        }
        for (uint32_t r = 0; r < rows; r++) {
            unsigned char *row[16];
            for (int s = 0; s < planes; s++)
                row[s] = state->raw + strip_bytes * s + row_bytes * r;
            if (planar)
                interleave(state, row, joined);
            emit_row(sink, state, (int)(top + r), planar ? joined : row[0]);
        }
    }
    return CLI_OK;
}

static int read_tiles(cli_sink *sink, tiff_state *state)
{
    uint32_t tile_width = 0, tile_height = 0;
    TIFFGetField(state->tiff, TIFFTAG_TILEWIDTH, &tile_width);
    TIFFGetField(state->tiff, TIFFTAG_TILELENGTH, &tile_height);
    if (tile_width == 0 || tile_height == 0 || tile_width > 65536 || tile_height > 65536)
        return fail(sink, state, "bad tile size");
    int planar = state->planar == PLANARCONFIG_SEPARATE && state->samples > 1;
    int planes = planar ? state->samples : 1;
    int plane_samples = planar ? 1 : state->samples;
    if (state->bits < 8)
        return cli_sink_fail(sink, "tiled TIFF of %d-bit samples is not supported", state->bits);
    size_t size = sample_bytes(state);
    size_t tile_row = (size_t)tile_width * plane_samples * size;
    size_t tile_bytes = tile_row * tile_height;
    if ((tsize_t)tile_bytes != TIFFTileSize(state->tiff))
        return fail(sink, state, "unexpected tile size");
    /* One band of tile rows for every plane, full width (tiles may overhang). */
    uint32_t across = (state->width + tile_width - 1) / tile_width;
    size_t band_row = (size_t)across * tile_row;
    size_t band = band_row * tile_height;
    state->raw = malloc(tile_bytes + band * planes + stored_row_bytes(state, state->samples));
    if (!state->raw)
        return cli_sink_fail(sink, "out of memory");
    unsigned char *tile = state->raw, *bands = state->raw + tile_bytes;
    unsigned char *joined = bands + band * planes;
    for (uint32_t top = 0; top < state->height; top += tile_height) {
        for (int s = 0; s < planes; s++)
            for (uint32_t t = 0; t < across; t++) {
                if (TIFFReadTile(state->tiff, tile, t * tile_width, top, 0, (uint16_t)s) < 0 ||
                    state->errors.failed)
                    return fail(sink, state, "damaged tile");
                for (uint32_t r = 0; r < tile_height; r++)
                    memcpy(bands + band * s + band_row * r + tile_row * t, tile + tile_row * r,
                           tile_row);
            }
        for (uint32_t r = 0; r < tile_height && top + r < state->height; r++) {
            unsigned char *rows[16];
            for (int s = 0; s < planes; s++)
                rows[s] = bands + band * s + band_row * r;
            if (planar)
                interleave(state, rows, joined);
            emit_row(sink, state, (int)(top + r), planar ? joined : rows[0]);
        }
    }
    return CLI_OK;
}

static int decode(cli_sink *sink, tiff_state *state)
{
    if (!TIFFGetField(state->tiff, TIFFTAG_IMAGEWIDTH, &state->width) ||
        !TIFFGetField(state->tiff, TIFFTAG_IMAGELENGTH, &state->height))
        return fail(sink, state, "no image size");
    if (classify(sink, state) != CLI_OK)
        return CLI_BAD_INPUT;
    if (state->width > (uint32_t)ST_MAX_IMAGE_SIDE || state->height > (uint32_t)ST_MAX_IMAGE_SIDE)
        return cli_sink_fail(sink, "image of %ux%u is too large (at most %d pixels a side)",
                             (unsigned)state->width, (unsigned)state->height, ST_MAX_IMAGE_SIDE);
    if (cli_sink_begin(sink, (int)state->width, (int)state->height, state->layout == LAYOUT_GRAY) !=
        CLI_OK)
        return CLI_BAD_INPUT;
    uint32_t icc_size = 0;
    void *icc = NULL;
    if (sink->settings->color_managed && state->layout != LAYOUT_CMYK &&
        TIFFGetField(state->tiff, TIFFTAG_ICCPROFILE, &icc_size, &icc))
        cli_sink_set_icc(sink, icc, icc_size);
    size_t row_values = (size_t)state->width * state->samples;
    state->chunky = malloc(row_values * (state->bits == 16 ? 2 : 1) + 1);
    state->rgb = malloc((size_t)state->width * 3);
    if (!state->chunky || !state->rgb)
        return cli_sink_fail(sink, "out of memory");
    return TIFFIsTiled(state->tiff) ? read_tiles(sink, state) : read_strips(sink, state);
}

int cli_decode_tiff(cli_sink *sink, int fd, const char *name)
{
    tiff_state *state = calloc(1, sizeof *state);
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (!state || !options) {
        free(state);
        TIFFOpenOptionsFree(options);
        return cli_sink_fail(sink, "out of memory");
    }
    state->errors.name = name;
    TIFFOpenOptionsSetErrorHandlerExtR(options, on_error, &state->errors);
    TIFFOpenOptionsSetWarningHandlerExtR(options, on_warning, NULL);
    /* No single allocation while reading the directory larger than this (a
     * tiny file can claim huge tag arrays). */
    TIFFOpenOptionsSetMaxSingleMemAlloc(options, (tmsize_t)256 << 20);
    /* "m": read(), no memory map (a file truncated meanwhile would SIGBUS). */
    state->tiff = TIFFFdOpenExt(fd, name, "rm", options);
    TIFFOpenOptionsFree(options);
    int status = state->tiff ? decode(sink, state) : fail(sink, state, "cannot open");
    if (state->tiff)
        TIFFCleanup(state->tiff); /* closes nothing: the caller owns fd */
    free(state->raw);
    free(state->chunky);
    free(state->rgb);
    free(state);
    return status;
}
