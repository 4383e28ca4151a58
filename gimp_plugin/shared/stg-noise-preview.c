/* See stg-noise-preview.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "stg-noise-preview.h"

struct stg_noise_preview {
    const stg_region *region;
    st_tide_image *tide; /* MANY_LEVELS: spectra kept, one inverse FFT per channel per t */
    float *block;        /* one channel of the visible area, x values */
    gsize block_capacity;
    guchar *pixels; /* the visible area, u8 */
};

stg_noise_preview *stg_noise_preview_new(const stg_region *region, st_channel analysis,
                                         GError **error)
{
    st_tide_placement placement = {region->x, region->y, region->full_width, region->full_height};
    st_status status = ST_OK;
    st_tide_image *tide =
        st_tide_image_new(region->pixels, region->width, region->height, region->components,
                          (gsize)region->width * (gsize)region->components, analysis, &placement,
                          ST_TIDE_IMAGE_MANY_LEVELS, &status);
    if (!tide) {
        g_set_error(error, STG_ERROR, 1, "cannot preview %dx%d pixels: %s", region->width,
                    region->height, st_status_message(status));
        return NULL;
    }
    stg_noise_preview *preview = g_new0(stg_noise_preview, 1);
    preview->region = region;
    preview->tide = tide;
    return preview;
}

/* One channel of the view over the block into the u8 pixels; the noisy
 * view if the filtered one cannot be made (memory). */
static gboolean render_channel(stg_noise_preview *preview, st_tide_view view, int channel,
                               int col_begin, int row_begin, int width, int height, guchar *out,
                               gsize out_stride, int bpp)
{
    st_status status = st_tide_image_run_block(preview->tide, view, channel, col_begin, row_begin,
                                               width, height, preview->block, (gsize)width);
    if (status == ST_ERROR_MEMORY)
        status = st_tide_image_run_block(preview->tide, ST_TIDE_VIEW_NOISY, channel, col_begin,
                                         row_begin, width, height, preview->block, (gsize)width);
    if (status != ST_OK)
        return FALSE;
    for (int row = 0; row < height; row++) {
        const float *x = preview->block + (gsize)row * (gsize)width;
        guchar *dest = out + (gsize)row * out_stride + channel;
        for (int col = 0; col < width; col++)
            dest[(gsize)col * (gsize)bpp] = st_x_to_code8(x[col]);
    }
    return TRUE;
}

const guchar *stg_noise_preview_render(stg_noise_preview *preview, GeglBuffer *buffer, gint px,
                                       gint py, gint pw, gint ph, const stg_noise_params *params)
{
    const stg_region *region = preview->region;
    /* The drawable preview draws 8-bit data with the drawable's channels;
     * outside the selection bounds it shows the drawable itself. */
    int bpp = region->components;
    preview->pixels = g_realloc(preview->pixels, (gsize)pw * (gsize)ph * (gsize)bpp);
    gegl_buffer_get(buffer, GEGL_RECTANGLE(px, py, pw, ph), 1.0, stg_u8_format(bpp),
                    preview->pixels, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);

    int col_begin = MAX(px - region->x, 0), col_end = MIN(px + pw - region->x, region->width);
    int row_begin = MAX(py - region->y, 0), row_end = MIN(py + ph - region->y, region->height);
    int width = col_end - col_begin, height = row_end - row_begin;
    st_tide_level level = stg_tide_get_level(&params->tide);
    /* Where a(t) = 0 (x_t / a undefined) the drawable shows as it is. */
    if (width < 1 || height < 1 ||
        st_tide_image_set_level(preview->tide, &level, (uint64_t)params->seed) != ST_OK)
        return preview->pixels;
    gsize need = (gsize)width * (gsize)height;
    if (need > preview->block_capacity) {
        g_free(preview->block);
        preview->block = g_try_new(float, need);
        preview->block_capacity = preview->block ? need : 0;
        if (!preview->block)
            return preview->pixels;
    }
    /* Split: noisy left of the visible area's middle. Only the visible rows
     * are filtered: scrolling costs an update, a new t no more. */
    st_tide_image_set_split(preview->tide, (col_begin + col_end) / 2);
    guchar *out = preview->pixels + ((gsize)(region->y + row_begin - py) * (gsize)pw +
                                     (gsize)(region->x + col_begin - px)) *
                                        (gsize)bpp;
    for (int c = 0; c < st_tide_image_colors(preview->tide); c++)
        if (!render_channel(preview, (st_tide_view)params->view, c, col_begin, row_begin, width,
                            height, out, (gsize)pw * (gsize)bpp, bpp))
            break;
    return preview->pixels;
}

void stg_noise_preview_free(stg_noise_preview *preview)
{
    if (!preview)
        return;
    st_tide_image_free(preview->tide);
    g_free(preview->block);
    g_free(preview->pixels);
    g_free(preview);
}
