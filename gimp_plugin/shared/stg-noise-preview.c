/* See stg-noise-preview.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "stg-noise-preview.h"

#include <stdlib.h>
#include <string.h>

#include "stg-tide-cache.h"

struct stg_noise_preview {
    const stg_region *region;
    const stg_spectrum *analysis;
    stg_tide_cache *cache;
    float *filtered;        /* colors planes of the last low-pass or Wiener output */
    int filtered_view;      /* the view they belong to, -1: none yet */
    double filtered_key[5]; /* fmax, or a, s, seed; rows: recomputed only when changed */
    guchar *pixels;         /* the visible area, u8 */
};

stg_noise_preview *stg_noise_preview_new(const stg_region *region, const stg_spectrum *analysis,
                                         GError **error)
{
    stg_noise_preview *preview = g_new0(stg_noise_preview, 1);
    preview->region = region;
    preview->analysis = analysis;
    preview->filtered_view = -1;
    float *planes[STG_MAX_COLORS] = {NULL, NULL, NULL};
    gsize n = (gsize)region->width * (gsize)region->height;
    gboolean ok = TRUE;
    for (int c = 0; c < region->colors && ok; c++) {
        planes[c] = g_try_new(float, n);
        if ((ok = planes[c] != NULL))
            stg_region_color_plane(region, c, planes[c]);
    }
    if (ok)
        preview->cache = stg_tide_cache_new(region->width, region->height, region->colors,
                                            (const float *const *)planes, region->x, region->y,
                                            region->full_width, region->full_height);
    for (int c = 0; c < STG_MAX_COLORS; c++)
        g_free(planes[c]);
    if (!preview->cache) {
        g_set_error(error, STG_ERROR, 1, "not enough memory for the preview of %dx%d pixels",
                    region->width, region->height);
        g_free(preview);
        return NULL;
    }
    return preview;
}

/* The low-pass or Wiener planes of rows [row_begin, row_end) for the
 * current controls, or NULL for the noisy view (or short memory). */
static const float *filtered_planes(stg_noise_preview *preview, stg_view view, double fmax,
                                    double a, double s, gint seed, int row_begin, int row_end)
{
    if (view == STG_VIEW_NOISY)
        return NULL;
    if (view == STG_VIEW_SPLIT)
        view = STG_VIEW_LOWPASS;
    gboolean wiener = view == STG_VIEW_WIENER;
    double key[5] = {wiener ? a : fmax, wiener ? s : 0.0, wiener ? (double)seed : 0.0, row_begin,
                     row_end};
    if (!preview->filtered) {
        preview->filtered = stg_tide_cache_new_planes(preview->cache);
        preview->filtered_view = -1;
        if (!preview->filtered)
            return NULL;
    }
    if (preview->filtered_view == (int)view && memcmp(key, preview->filtered_key, sizeof key) == 0)
        return preview->filtered;
    if (stg_tide_cache_filter(preview->cache, view, fmax, (uint64_t)seed, a, s, row_begin, row_end,
                              preview->filtered) != 0)
        return NULL;
    preview->filtered_view = (int)view;
    memcpy(preview->filtered_key, key, sizeof key);
    return preview->filtered;
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

    double a, s;
    stg_tide_coefficients(&params->tide, &a, &s);
    int col_begin = MAX(px - region->x, 0), col_end = MIN(px + pw - region->x, region->width);
    int row_begin = MAX(py - region->y, 0), row_end = MIN(py + ph - region->y, region->height);
    if (a > 0.0 && col_begin < col_end && row_begin < row_end) {
        double fmax = stg_spectrum_fmax(preview->analysis, &params->tide);
        stg_view view = (stg_view)params->view;
        /* Only the visible rows: scrolling costs an update, a new t no more. */
        const float *filtered =
            filtered_planes(preview, view, fmax, a, s, params->seed, row_begin, row_end);
        guchar *out = preview->pixels + ((gsize)(region->y + row_begin - py) * (gsize)pw +
                                         (gsize)(region->x + col_begin - px)) *
                                            (gsize)bpp;
        stg_tide_cache_render_u8(
            preview->cache, filtered || view == STG_VIEW_NOISY ? view : STG_VIEW_NOISY,
            (uint64_t)params->seed, s / a, filtered, col_begin, col_end, row_begin, row_end,
            (col_begin + col_end) / 2, out, (gsize)pw * (gsize)bpp, bpp);
    }
    return preview->pixels;
}

void stg_noise_preview_free(stg_noise_preview *preview)
{
    if (!preview)
        return;
    stg_tide_cache_free(preview->cache);
    free(preview->filtered);
    g_free(preview->pixels);
    g_free(preview);
}
