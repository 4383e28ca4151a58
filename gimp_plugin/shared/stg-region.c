/* See stg-region.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "stg-region.h"

#include <string.h>

#include "stg-tide.h"

const Babl *stg_float_format(gint components)
{
    static const char *const names[5] = {NULL, "Y' float", "Y'A float", "R'G'B' float",
                                         "R'G'B'A float"};
    return babl_format(names[CLAMP(components, 1, 4)]);
}

const Babl *stg_u8_format(gint components)
{
    static const char *const names[5] = {NULL, "Y' u8", "Y'A u8", "R'G'B' u8", "R'G'B'A u8"};
    return babl_format(names[CLAMP(components, 1, 4)]);
}

gboolean stg_region_read(GeglBuffer *buffer, gint x, gint y, gint width, gint height,
                         gint full_width, gint full_height, gboolean rgb, gboolean has_alpha,
                         stg_region *region, GError **error)
{
    memset(region, 0, sizeof *region);
    if (width < 1 || height < 1) {
        g_set_error(error, STG_ERROR, 1, "the selection does not touch the drawable");
        return FALSE;
    }
    *region = (stg_region){.x = x,
                           .y = y,
                           .width = width,
                           .height = height,
                           .full_width = full_width,
                           .full_height = full_height,
                           .colors = rgb ? 3 : 1,
                           .has_alpha = has_alpha};
    region->components = region->colors + (has_alpha ? 1 : 0);
    gsize count = (gsize)width * (gsize)height * (gsize)region->components;
    region->pixels = g_try_malloc(count * sizeof(float));
    if (!region->pixels) {
        g_set_error(error, STG_ERROR, 1, "not enough memory for %dx%d pixels", width, height);
        return FALSE;
    }
    gegl_buffer_get(buffer, GEGL_RECTANGLE(x, y, width, height), 1.0,
                    stg_float_format(region->components), region->pixels, GEGL_AUTO_ROWSTRIDE,
                    GEGL_ABYSS_NONE);
    return TRUE;
}

void stg_region_clear(stg_region *region)
{
    g_free(region->pixels);
    memset(region, 0, sizeof *region);
}

void stg_region_write_planes(const stg_region *region, GeglBuffer *buffer, gint colors,
                             float *const *planes)
{
    gint components = colors + (region->has_alpha ? 1 : 0);
    const int strip = 128;
    float *rows = g_new(float, (gsize)region->width *(gsize)strip *(gsize)components);
    for (int y0 = 0; y0 < region->height; y0 += strip) {
        int count = MIN(strip, region->height - y0);
        for (int y = 0; y < count; y++) {
            gsize row = (gsize)(y0 + y) * (gsize)region->width;
            float *out = rows + (gsize)y * (gsize)region->width * (gsize)components;
            const float *alpha =
                region->pixels + row * (gsize)region->components + (gsize)(region->components - 1);
            for (int x = 0; x < region->width; x++) {
                for (int c = 0; c < colors; c++) {
                    const float *plane = planes[region->colors == 3 ? c : 0];
                    /* Back from the diffusion scale; no clamping: float
                     * layers keep the whole noisy range. */
                    out[x * components + c] = st_x_to_value(plane[row + (gsize)x]);
                }
                if (region->has_alpha)
                    out[x * components + colors] = alpha[(gsize)x * (gsize)region->components];
            }
        }
        gegl_buffer_set(buffer, GEGL_RECTANGLE(0, y0, region->width, count), 0,
                        stg_float_format(components), rows, GEGL_AUTO_ROWSTRIDE);
    }
    g_free(rows);
}
