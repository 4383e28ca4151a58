/* See stg-noise-lowpass.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "stg-noise-lowpass.h"

#include <string.h>

/* Wiener, low-pass, then noisy: layers inserted at the top of the group
 * end up noisy on top. */
static const st_tide_view layer_views[3] = {ST_TIDE_VIEW_WIENER, ST_TIDE_VIEW_LOWPASS,
                                            ST_TIDE_VIEW_NOISY};

/* The tide image of the region at the params' level (ONE_LEVEL: one
 * channel's transforms at a time, so memory stays at a few planes). */
static st_tide_image *tide_image(const stg_region *region, const stg_noise_params *params,
                                 GError **error)
{
    st_tide_placement placement = {region->x, region->y, region->full_width, region->full_height};
    st_status status = ST_OK;
    st_tide_image *tide = st_tide_image_new(
        region->pixels, region->width, region->height, region->components,
        (size_t)region->width * (size_t)region->components, (st_channel)params->channel, &placement,
        ST_TIDE_IMAGE_ONE_LEVEL, &status);
    st_tide_level level = stg_tide_get_level(&params->tide);
    if (tide)
        status = st_tide_image_set_level(tide, &level, (uint64_t)params->seed);
    if (status != ST_OK) {
        g_set_error(error, STG_ERROR, 1, "cannot filter %dx%d pixels: %s", region->width,
                    region->height, st_status_message(status));
        st_tide_image_free(tide);
        return NULL;
    }
    return tide;
}

static void layer_name(st_tide_view view, const stg_noise_params *params, double fmax, char *name,
                       size_t size)
{
    char tide_text[64];
    stg_tide_describe(&params->tide, tide_text, sizeof tide_text);
    if (view == ST_TIDE_VIEW_WIENER)
        g_snprintf(name, size, "Wiener");
    else if (view == ST_TIDE_VIEW_LOWPASS)
        g_snprintf(name, size, "low-pass f=%.4g", fmax);
    else
        g_snprintf(name, size, "noisy %s", tide_text);
}

gboolean stg_noise_make_layers(const stg_region *region, const stg_noise_params *params,
                               stg_layer_sink sink, stg_progress progress, void *user_data,
                               double *fmax, GError **error)
{
    *fmax = 0.0;
    if (!stg_tide_usable(&params->tide, error))
        return FALSE;
    st_tide_image *tide = tide_image(region, params, error);
    if (!tide)
        return FALSE;
    *fmax = st_tide_image_fmax(tide);
    int colors = st_tide_image_colors(tide);
    gsize n = (gsize)region->width * (gsize)region->height;
    float *planes[3] = {NULL, NULL, NULL};
    gboolean ok = TRUE;
    for (int c = 0; c < colors && ok; c++)
        ok = (planes[c] = g_try_new(float, n)) != NULL;
    if (!ok)
        g_set_error(error, STG_ERROR, 1, "not enough memory for %dx%d pixels", region->width,
                    region->height);
    int step = 0, steps = 3 * colors;
    for (int k = 0; k < 3 && ok; k++) {
        for (int c = 0; c < colors && ok; c++) {
            st_status status = st_tide_image_run(tide, layer_views[k], c, planes[c]);
            if (status != ST_OK) {
                g_set_error(error, STG_ERROR, 1, "cannot filter %dx%d pixels: %s", region->width,
                            region->height, st_status_message(status));
                ok = FALSE;
            }
            if (progress)
                progress((double)++step / steps, user_data);
        }
        char name[128];
        layer_name(layer_views[k], params, *fmax, name, sizeof name);
        if (ok && !sink(name, planes, user_data)) {
            g_set_error(error, STG_ERROR, 1, "cannot make the layer '%s'", name);
            ok = FALSE;
        }
    }
    for (int c = 0; c < 3; c++)
        g_free(planes[c]);
    st_tide_image_free(tide);
    return ok;
}

void stg_noise_group_name(const stg_noise_params *params, char *text, size_t size)
{
    char tide_text[64];
    stg_tide_describe(&params->tide, tide_text, sizeof tide_text);
    g_snprintf(text, size, "spectide %s", tide_text);
}
