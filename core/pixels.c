/* Pixels in [0,1] to the analysis channel in [-1,1].
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide.h"

#include <math.h>
#include <string.h>

/* The channels every front offers, in the enum's order. */
static const struct {
    const char *name, *label;
} channel_table[] = {
    [ST_CHANNEL_GREEN] = {"green", "Green"},
    [ST_CHANNEL_LUMA] = {"luma", "Luma (Rec. 709)"},
    [ST_CHANNEL_RED] = {"red", "Red"},
    [ST_CHANNEL_BLUE] = {"blue", "Blue"},
};
_Static_assert(sizeof channel_table / sizeof channel_table[0] == ST_CHANNEL_COUNT,
               "core/pixels.c: one row of channel_table per st_channel");

st_status st_channel_from_name(const char *name, st_channel *channel)
{
    if (!name || !channel)
        return ST_ERROR_ARGUMENT;
    for (int i = 0; i < ST_CHANNEL_COUNT; i++) {
        if (strcmp(name, channel_table[i].name) == 0) {
            *channel = (st_channel)i;
            return ST_OK;
        }
    }
    return ST_ERROR_ARGUMENT;
}

const char *st_channel_name(st_channel channel)
{
    if ((int)channel < 0 || (int)channel >= ST_CHANNEL_COUNT)
        return NULL;
    return channel_table[channel].name;
}

const char *st_channel_label(st_channel channel)
{
    if ((int)channel < 0 || (int)channel >= ST_CHANNEL_COUNT)
        return NULL;
    return channel_table[channel].label;
}

/* The channel value v in [0,1] of one pixel with 3 or 4 components. */
static double colour_value(const float *pixel, st_channel channel)
{
    switch (channel) {
    case ST_CHANNEL_LUMA:
        return st_luma(pixel[0], pixel[1], pixel[2]);
    case ST_CHANNEL_RED:
        return pixel[0];
    case ST_CHANNEL_BLUE:
        return pixel[2];
    case ST_CHANNEL_GREEN:
    default:
        return pixel[1];
    }
}

void st_pixels_to_analysis(const float *pixels, int width, int height, int components,
                           size_t row_stride, st_channel channel, float *out)
{
    if (!pixels || !out || width < 1 || height < 1 || components < 1 || components > 4)
        return;
    for (int y = 0; y < height; y++) {
        const float *row = pixels + (size_t)y * row_stride;
        float *out_row = out + (size_t)y * width;
        for (int x = 0; x < width; x++) {
            const float *pixel = row + (size_t)x * components;
            double v = components >= 3 ? colour_value(pixel, channel) : pixel[0];
            double mapped = st_value_to_x(v);
            out_row[x] = isfinite(mapped) ? (float)mapped : 0.0f;
        }
    }
}
