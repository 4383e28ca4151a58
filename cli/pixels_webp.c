/* WebP through libwebp with its default decoder options (fancy upsampling of
 * the chroma of lossy files, no dithering), to non-premultiplied RGB(A): the
 * values PIL's decoder (libwebp's WebPAnimDecoder, RGBA output) gives for
 * the first frame of a still image. Animations are refused (their first
 * frame is composited on a canvas, which is a different operation).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"
#include "pixels_internal.h"

#include <stdlib.h>
#include <string.h>
#include <webp/decode.h>

static const char *status_name(VP8StatusCode status)
{
    switch (status) {
    case VP8_STATUS_OUT_OF_MEMORY:
        return "out of memory";
    case VP8_STATUS_INVALID_PARAM:
        return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR:
        return "bitstream error";
    case VP8_STATUS_UNSUPPORTED_FEATURE:
        return "unsupported feature";
    case VP8_STATUS_SUSPENDED:
        return "suspended";
    case VP8_STATUS_USER_ABORT:
        return "aborted";
    case VP8_STATUS_NOT_ENOUGH_DATA:
        return "the file ends early (truncated)";
    case VP8_STATUS_OK:
    default:
        return "ok";
    }
}

/* The ICCP chunk of an extended (VP8X) file, for --color-managed. */
static void find_profile(cli_sink *sink, const unsigned char *bytes, size_t size)
{
    size_t position = 12;
    while (position + 8 <= size) {
        uint32_t length = (uint32_t)bytes[position + 4] | (uint32_t)bytes[position + 5] << 8 |
                          (uint32_t)bytes[position + 6] << 16 | (uint32_t)bytes[position + 7] << 24;
        if (length > size - position - 8)
            return;
        if (memcmp(bytes + position, "ICCP", 4) == 0) {
            cli_sink_set_icc(sink, bytes + position + 8, length);
            return;
        }
        position += 8 + (size_t)length + (length & 1);
    }
}

int cli_decode_webp(cli_sink *sink, const unsigned char *bytes, size_t size)
{
    WebPDecoderConfig config;
    if (!WebPInitDecoderConfig(&config))
        return cli_sink_fail(sink, "libwebp version mismatch");
    VP8StatusCode status = WebPGetFeatures(bytes, size, &config.input);
    if (status != VP8_STATUS_OK)
        return cli_sink_fail(sink, "not a readable WebP (libwebp: %s)", status_name(status));
    if (config.input.has_animation)
        return cli_sink_fail(sink, "animated WebP (spectide reads still images)");
    int width = config.input.width, height = config.input.height;
    int channels = config.input.has_alpha ? 4 : 3;
    snprintf(sink->picture->format, sizeof sink->picture->format, "WebP %s%s",
             config.input.format == 2   ? "lossless"
             : config.input.format == 1 ? "lossy"
                                        : "mixed",
             config.input.has_alpha ? " with alpha" : "");
    if (cli_sink_begin(sink, width, height, 0) != CLI_OK)
        return CLI_BAD_INPUT;
    if (sink->settings->color_managed)
        find_profile(sink, bytes, size);
    size_t stride = (size_t)width * channels;
    uint8_t *pixels = malloc(stride * height);
    if (!pixels)
        return cli_sink_fail(sink, "out of memory for a %dx%d WebP", width, height);
    config.output.colorspace = channels == 4 ? MODE_RGBA : MODE_RGB;
    config.output.is_external_memory = 1;
    config.output.u.RGBA.rgba = pixels;
    config.output.u.RGBA.stride = (int)stride;
    config.output.u.RGBA.size = stride * height;
    status = WebPDecode(bytes, size, &config);
    int result = CLI_OK;
    if (status != VP8_STATUS_OK) {
        result = cli_sink_fail(sink, "not a readable WebP (libwebp: %s)", status_name(status));
    } else {
        for (int y = 0; y < height; y++)
            cli_sink_row(sink, y, pixels + stride * y, CLI_SAMPLE_U8, channels);
    }
    WebPFreeDecBuffer(&config.output);
    free(pixels);
    return result;
}
