/* PNG read as PIL reads it: PIL has its own PNG reader on top of zlib (no
 * libpng), and so does this one. Chunks are checked (lengths, CRCs of the
 * chunks that are used, order), the IDAT stream is inflated with zlib and
 * unfiltered here, and nothing in gAMA, cHRM, sRGB or iCCP is applied: the
 * code values are the stored ones. Where PIL reduces a file (16-bit RGB,
 * RGBA and gray + alpha become 8-bit in PIL) the 16 bits are kept, as
 * imageio and torchvision.io do.
 *
 * Samples: gray of 1, 2 or 4 bits scaled to 8 (c * 255 / (2^n - 1),
 * exact); palette indices become their PLTE colours, indices past the end
 * of PLTE the gray (i, i, i) (PIL's palette is a ramp under the entries
 * the file gives); tRNS and alpha are ignored.
 *
 * Work is saved where the analysis allows: PNG filters predict every byte
 * from the bytes at the same position of the previous pixel and row, so the
 * bytes of one sample (the green of RGB, the gray of gray + alpha) are
 * unfiltered on their own, and only the samples the planes need are.
 *
 * A file must be complete: every row, then IEND. A stream that ends early,
 * a bad CRC in a chunk that is read, a bad filter type or zlib data error
 * refuse the file; extra data after the last row is ignored (as PIL and
 * libpng do).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"
#include "pixels_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

typedef struct {
    uint32_t width, height;
    int depth, colour_type, interlaced;
    int channels;        /* samples per pixel in the file */
    int bytes_per_pixel; /* filter unit: at least 1 */
    size_t row_bytes;    /* of a full-width row, without the filter byte */
    unsigned char palette[256 * 3];
    int palette_entries;
    int needed[8]; /* per byte of a pixel: unfilter it */
    int all_needed;
    z_stream zlib;
    int zlib_open;
    unsigned char *rows;    /* two filtered rows, each with its filter byte */
    unsigned char *samples; /* one row of expanded samples (u8 or native u16) */
    unsigned char *image;   /* interlaced: the whole image of expanded samples */
    size_t sample_row_bytes;
} png_state;

static uint32_t read_be32(const unsigned char *bytes)
{
    return (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 | bytes[3];
}

static int valid_depth(int colour_type, int depth)
{
    switch (colour_type) {
    case 0:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6:
        return depth == 8 || depth == 16;
    default:
        return 0;
    }
}

static const char *colour_name(int colour_type)
{
    static const char *const names[] = {"gray", "?", "RGB", "palette", "gray+alpha", "?", "RGBA"};
    return colour_type >= 0 && colour_type <= 6 ? names[colour_type] : "?";
}

static int read_header(cli_sink *sink, png_state *png, const unsigned char *body, uint32_t length)
{
    if (length != 13)
        return cli_sink_fail(sink, "not a readable PNG (IHDR of %u bytes)", length);
    png->width = read_be32(body);
    png->height = read_be32(body + 4);
    png->depth = body[8];
    png->colour_type = body[9];
    png->interlaced = body[12];
    if (png->width == 0 || png->height == 0 || png->width > 0x7fffffffu ||
        png->height > 0x7fffffffu || !valid_depth(png->colour_type, png->depth) || body[10] != 0 ||
        body[11] != 0 || body[12] > 1)
        return cli_sink_fail(sink, "not a readable PNG (invalid IHDR)");
    static const int channels[] = {1, 0, 3, 1, 2, 0, 4};
    png->channels = channels[png->colour_type];
    int bits = png->channels * png->depth;
    png->bytes_per_pixel = bits < 8 ? 1 : bits / 8;
    snprintf(sink->picture->format, sizeof sink->picture->format, "PNG %d-bit %s%s", png->depth,
             colour_name(png->colour_type), png->interlaced ? " interlaced" : "");
    if (png->width > (uint32_t)ST_MAX_IMAGE_SIDE || png->height > (uint32_t)ST_MAX_IMAGE_SIDE)
        return cli_sink_fail(sink, "image of %ux%u is too large (at most %d pixels a side)",
                             (unsigned)png->width, (unsigned)png->height, ST_MAX_IMAGE_SIDE);
    int gray = png->colour_type == 0 || png->colour_type == 4;
    if (cli_sink_begin(sink, (int)png->width, (int)png->height, gray) != CLI_OK)
        return CLI_BAD_INPUT;
    png->row_bytes = ((size_t)png->width * bits + 7) / 8;
    /* Which bytes of a pixel feed the planes: one sample, or R, G and B. */
    int sample_bytes = png->depth == 16 ? 2 : 1;
    png->all_needed = bits < 8 || png->colour_type == 3;
    if (!png->all_needed) {
        int first = 0, count = 1;
        if (!gray && (sink->picture->planes == 3 || sink->pick < 0 ||
                      sink->settings->color_managed)) /* a conversion mixes R, G and B */
            count = 3;
        else if (!gray)
            first = sink->pick;
        for (int s = first; s < first + count; s++)
            for (int b = 0; b < sample_bytes; b++)
                png->needed[s * sample_bytes + b] = 1;
    }
    return CLI_OK;
}

/* Undoes the row's filter on the needed bytes. */
static int unfilter(png_state *png, unsigned char *row, const unsigned char *previous)
{
    int type = row[0];
    unsigned char *cur = row + 1;
    const unsigned char *up = previous + 1;
    size_t n = png->row_bytes;
    int step = png->bytes_per_pixel;
    if (type > 4)
        return -1;
    if (type == 0)
        return 0;
    for (int k = 0; k < step; k++) {
        if (!png->all_needed && !png->needed[k])
            continue;
        size_t i = (size_t)k;
        switch (type) {
        case 1:
            for (i += step; i < n; i += step)
                cur[i] = (unsigned char)(cur[i] + cur[i - step]);
            break;
        case 2:
            for (; i < n; i += step)
                cur[i] = (unsigned char)(cur[i] + up[i]);
            break;
        case 3:
            if (i < n)
                cur[i] = (unsigned char)(cur[i] + (up[i] >> 1));
            for (i += step; i < n; i += step)
                cur[i] = (unsigned char)(cur[i] + ((cur[i - step] + up[i]) >> 1));
            break;
        case 4: {
            int left = 0, corner = 0;
            for (; i < n; i += step) {
                int above = up[i];
                int estimate = left + above - corner;
                int to_left = abs(estimate - left), to_above = abs(estimate - above),
                    to_corner = abs(estimate - corner);
                int predicted = to_left <= to_above && to_left <= to_corner ? left
                                : to_above <= to_corner                     ? above
                                                                            : corner;
                cur[i] = (unsigned char)(cur[i] + predicted);
                left = cur[i];
                corner = above;
            }
            break;
        }
        }
    }
    return 0;
}

/* An unfiltered row of `pixels` pixels to u8 samples (or native u16) in
 * `out`; returns the sample type and the channels of `out`. */
static cli_sample_type expand(const png_state *png, const unsigned char *in, uint32_t pixels,
                              unsigned char *out, int *channels)
{
    *channels = png->colour_type == 3 ? 3 : png->channels;
    if (png->depth == 16) {
        uint16_t *values = (uint16_t *)out;
        size_t count = (size_t)pixels * png->channels;
        for (size_t i = 0; i < count; i++)
            values[i] = (uint16_t)(in[2 * i] << 8 | in[2 * i + 1]);
        return CLI_SAMPLE_U16;
    }
    if (png->depth == 8 && png->colour_type != 3) {
        memcpy(out, in, (size_t)pixels * png->channels);
        return CLI_SAMPLE_U8;
    }
    int depth = png->depth, per_byte = 8 / depth, mask = (1 << depth) - 1;
    for (uint32_t x = 0; x < pixels; x++) {
        int value = png->depth == 8
                        ? in[x]
                        : (in[x / per_byte] >> (8 - depth * (int)(x % per_byte + 1))) & mask;
        if (png->colour_type == 3) {
            for (int c = 0; c < 3; c++)
                out[3 * (size_t)x + c] = value < png->palette_entries ? png->palette[3 * value + c]
                                                                      : (unsigned char)value;
        } else {
            out[x] = (unsigned char)(value * (255 / mask));
        }
    }
    return CLI_SAMPLE_U8;
}

/* Inflates up to `size` bytes of filtered rows into out (size exactly);
 * the input comes from the IDAT chunks in order. */
typedef struct {
    const unsigned char *bytes;
    size_t size, position; /* position: at the next chunk */
    uint32_t idat_left;    /* bytes of the current IDAT still to feed */
    int in_idat;           /* the current chunk is an IDAT */
    int stream_ended;
} chunk_reader;

static int next_idat(cli_sink *sink, chunk_reader *reader, png_state *png)
{
    /* Called when the current IDAT's data are used up: the next chunk must
     * be another IDAT, or the data end here. */
    if (reader->position + 12 > reader->size)
        return cli_sink_fail(sink, "not a readable PNG (the file ends early: truncated)");
    uint32_t length = read_be32(reader->bytes + reader->position);
    const unsigned char *kind = reader->bytes + reader->position + 4;
    if (memcmp(kind, "IDAT", 4) != 0) {
        reader->in_idat = 0;
        return CLI_OK;
    }
    if (length > 0x7fffffffu || reader->position + 12 + (size_t)length > reader->size)
        return cli_sink_fail(sink, "not a readable PNG (the file ends early: truncated)");
    const unsigned char *body = kind + 4;
    uLong crc = crc32(crc32(0L, kind, 4), body, length);
    if (crc != read_be32(body + length))
        return cli_sink_fail(sink, "not a readable PNG (bad CRC in IDAT: damaged)");
    png->zlib.next_in = (Bytef *)body;
    png->zlib.avail_in = length;
    reader->position += 12 + (size_t)length;
    reader->in_idat = 1;
    return CLI_OK;
}

static int inflate_exactly(cli_sink *sink, chunk_reader *reader, png_state *png, unsigned char *out,
                           size_t size)
{
    png->zlib.next_out = out;
    png->zlib.avail_out = (uInt)size;
    while (png->zlib.avail_out > 0) {
        if (reader->stream_ended || (png->zlib.avail_in == 0 && !reader->in_idat))
            return cli_sink_fail(
                sink, "not a readable PNG (not enough image data: truncated or damaged)");
        if (png->zlib.avail_in == 0) {
            if (next_idat(sink, reader, png) != CLI_OK)
                return CLI_BAD_INPUT;
            continue;
        }
        int result = inflate(&png->zlib, Z_NO_FLUSH);
        if (result == Z_STREAM_END)
            reader->stream_ended = 1;
        else if (result != Z_OK)
            return cli_sink_fail(sink, "not a readable PNG (zlib: %s: damaged)",
                                 png->zlib.msg ? png->zlib.msg : "data error");
    }
    return CLI_OK;
}

/* One pass (or the whole image): rows of `pixels` pixels, unfiltered and
 * handed to emit(y index within the pass). */
static int decode_rows(cli_sink *sink, chunk_reader *reader, png_state *png, uint32_t pixels,
                       uint32_t rows, uint32_t pass_x0, uint32_t pass_dx, uint32_t pass_y0,
                       uint32_t pass_dy)
{
    size_t full_row_bytes = png->row_bytes;
    png->row_bytes = ((size_t)pixels * png->channels * png->depth + 7) / 8;
    unsigned char *current = png->rows, *previous = png->rows + full_row_bytes + 1;
    memset(previous, 0, png->row_bytes + 1);
    int status = CLI_OK;
    int sample_size = png->depth == 16 ? 2 : 1;
    for (uint32_t j = 0; j < rows && status == CLI_OK; j++) {
        status = inflate_exactly(sink, reader, png, current, png->row_bytes + 1);
        if (status != CLI_OK)
            break;
        if (unfilter(png, current, previous) != 0) {
            status =
                cli_sink_fail(sink, "not a readable PNG (bad filter type %d: damaged)", current[0]);
            break;
        }
        int channels;
        if (!png->interlaced && png->depth == 8 && png->colour_type != 3) {
            /* The unfiltered row is the samples row. */
            cli_sink_row(sink, (int)j, current + 1, CLI_SAMPLE_U8, png->channels);
        } else {
            cli_sample_type type = expand(png, current + 1, pixels, png->samples, &channels);
            if (!png->interlaced) {
                cli_sink_row(sink, (int)j, png->samples, type, channels);
            } else {
                /* Scatter the pass's pixels into the whole image. */
                size_t pixel_bytes = (size_t)channels * sample_size;
                unsigned char *row = png->image + png->sample_row_bytes * (pass_y0 + j * pass_dy);
                for (uint32_t i = 0; i < pixels; i++)
                    memcpy(row + pixel_bytes * (pass_x0 + i * pass_dx),
                           png->samples + pixel_bytes * i, pixel_bytes);
            }
        }
        unsigned char *swap = previous;
        previous = current;
        current = swap;
    }
    png->row_bytes = full_row_bytes;
    return status;
}

static int decode_image(cli_sink *sink, chunk_reader *reader, png_state *png)
{
    int sample_size = png->depth == 16 ? 2 : 1;
    int out_channels = png->colour_type == 3 ? 3 : png->channels;
    png->sample_row_bytes = (size_t)png->width * out_channels * sample_size;
    png->rows = malloc(2 * (png->row_bytes + 1));
    png->samples = malloc(png->sample_row_bytes);
    if (!png->rows || !png->samples)
        return cli_sink_fail(sink, "out of memory for a %ux%u PNG", png->width, png->height);
    if (!png->interlaced)
        return decode_rows(sink, reader, png, png->width, png->height, 0, 1, 0, 1);
    /* Adam7: seven passes, each a small image of its own. */
    png->all_needed = 1;
    png->image = malloc(png->sample_row_bytes * png->height);
    if (!png->image)
        return cli_sink_fail(sink, "out of memory for a %ux%u PNG", png->width, png->height);
    static const uint32_t x0[7] = {0, 4, 0, 2, 0, 1, 0}, y0[7] = {0, 0, 4, 0, 2, 0, 1};
    static const uint32_t dx[7] = {8, 8, 4, 4, 2, 2, 1}, dy[7] = {8, 8, 8, 4, 4, 2, 2};
    for (int pass = 0; pass < 7; pass++) {
        uint32_t pixels =
            png->width > x0[pass] ? (png->width - x0[pass] + dx[pass] - 1) / dx[pass] : 0;
        uint32_t rows =
            png->height > y0[pass] ? (png->height - y0[pass] + dy[pass] - 1) / dy[pass] : 0;
        if (pixels == 0 || rows == 0)
            continue;
        if (decode_rows(sink, reader, png, pixels, rows, x0[pass], dx[pass], y0[pass], dy[pass]) !=
            CLI_OK)
            return CLI_BAD_INPUT;
    }
    cli_sample_type type = png->depth == 16 ? CLI_SAMPLE_U16 : CLI_SAMPLE_U8;
    for (uint32_t y = 0; y < png->height; y++)
        cli_sink_row(sink, (int)y, png->image + png->sample_row_bytes * y, type, out_channels);
    return CLI_OK;
}

/* The colour chunks, read only for --color-managed (before the image data;
 * a chunk with a bad CRC is ignored, as libpng does). */
static void read_colour_chunk(cli_sink *sink, const unsigned char *kind, const unsigned char *body,
                              uint32_t length)
{
    cli_color_source *source = &sink->color_source;
    if (crc32(crc32(0L, kind, 4), body, length) != read_be32(body + length))
        return;
    if (memcmp(kind, "gAMA", 4) == 0 && length == 4 && read_be32(body) > 0) {
        source->gamma = read_be32(body) / 100000.0;
    } else if (memcmp(kind, "cHRM", 4) == 0 && length == 32) {
        for (int i = 0; i < 8; i++)
            source->chrm[i] = read_be32(body + 4 * i) / 100000.0;
        source->has_chrm = source->chrm[1] > 0 && source->chrm[3] > 0 && source->chrm[5] > 0 &&
                           source->chrm[7] > 0;
    } else if (memcmp(kind, "sRGB", 4) == 0 && length == 1) {
        source->srgb = 1;
    } else if (memcmp(kind, "iCCP", 4) == 0 && !source->icc) {
        /* name (1-79 bytes), NUL, method 0, zlib data */
        const unsigned char *end = memchr(body, 0, length < 81 ? length : 81);
        if (!end || (size_t)(end - body) + 2 > length || end[1] != 0)
            return;
        size_t compressed = length - (size_t)(end - body) - 2;
        uLongf size = 16u << 20; /* a profile larger than 16 MB is not used */
        unsigned char *profile = malloc(size);
        if (profile && uncompress(profile, &size, end + 2, compressed) == Z_OK && size >= 128)
            cli_sink_set_icc(sink, profile, size);
        free(profile);
    }
}

static int is_critical(const unsigned char *kind)
{
    return (kind[0] & 0x20) == 0;
}

static int decode(cli_sink *sink, png_state *png, const unsigned char *bytes, size_t size)
{
    chunk_reader reader = {.bytes = bytes, .size = size, .position = 8};
    int seen_header = 0, seen_data = 0;
    for (;;) {
        if (reader.position + 12 > size)
            return cli_sink_fail(sink, "not a readable PNG (the file ends before IEND: truncated)");
        uint32_t length = read_be32(bytes + reader.position);
        const unsigned char *kind = bytes + reader.position + 4;
        const unsigned char *body = kind + 4;
        if (length > 0x7fffffffu || reader.position + 12 + (size_t)length > size)
            return cli_sink_fail(sink, "not a readable PNG (the file ends early: truncated)");
        int critical = is_critical(kind);
        int known = memcmp(kind, "IHDR", 4) == 0 || memcmp(kind, "PLTE", 4) == 0 ||
                    memcmp(kind, "IDAT", 4) == 0 || memcmp(kind, "IEND", 4) == 0;
        if (critical && !known)
            return cli_sink_fail(sink, "not a readable PNG (unknown critical chunk %.4s)",
                                 (const char *)kind);
        /* (IDAT CRCs are checked as the data are read.) */
        if (critical && memcmp(kind, "IDAT", 4) != 0 &&
            crc32(crc32(0L, kind, 4), body, length) != read_be32(body + length))
            return cli_sink_fail(sink, "not a readable PNG (bad CRC in %.4s: damaged)",
                                 (const char *)kind);
        if (!seen_header && memcmp(kind, "IHDR", 4) != 0)
            return cli_sink_fail(sink, "not a readable PNG (no IHDR first)");
        if (memcmp(kind, "IHDR", 4) == 0) {
            if (seen_header)
                return cli_sink_fail(sink, "not a readable PNG (two IHDR chunks)");
            seen_header = 1;
            if (read_header(sink, png, body, length) != CLI_OK)
                return CLI_BAD_INPUT;
        } else if (memcmp(kind, "PLTE", 4) == 0) {
            if (seen_data || length % 3 != 0 || length > 768 || length == 0)
                return cli_sink_fail(sink, "not a readable PNG (bad PLTE)");
            memcpy(png->palette, body, length);
            png->palette_entries = (int)(length / 3);
        } else if (memcmp(kind, "IDAT", 4) == 0) {
            if (seen_data)
                return cli_sink_fail(sink, "not a readable PNG (IDAT chunks apart)");
            if (png->colour_type == 3 && png->palette_entries == 0)
                return cli_sink_fail(sink, "not a readable PNG (palette image without PLTE)");
            seen_data = 1;
            if (inflateInit(&png->zlib) != Z_OK)
                return cli_sink_fail(sink, "out of memory");
            png->zlib_open = 1;
            /* The IDATs are read by the row decoder from here on. */
            if (next_idat(sink, &reader, png) != CLI_OK ||
                decode_image(sink, &reader, png) != CLI_OK)
                return CLI_BAD_INPUT;
            /* Skip what is left of the IDAT run (extra data is ignored). */
            while (reader.in_idat) {
                png->zlib.avail_in = 0;
                if (next_idat(sink, &reader, png) != CLI_OK)
                    return CLI_BAD_INPUT;
            }
            continue;
        } else if (memcmp(kind, "IEND", 4) == 0) {
            if (!seen_data)
                return cli_sink_fail(sink, "not a readable PNG (no image data)");
            return CLI_OK;
        } else if (seen_header && !seen_data && sink->settings->color_managed) {
            read_colour_chunk(sink, kind, body, length);
        }
        reader.position += 12 + (size_t)length;
    }
}

int cli_decode_png(cli_sink *sink, const unsigned char *bytes, size_t size)
{
    png_state *png = calloc(1, sizeof *png);
    if (!png)
        return cli_sink_fail(sink, "out of memory");
    int status = decode(sink, png, bytes, size);
    if (png->zlib_open)
        inflateEnd(&png->zlib);
    free(png->rows);
    free(png->samples);
    free(png->image);
    free(png);
    return status;
}
