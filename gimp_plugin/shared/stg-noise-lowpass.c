/* See stg-noise-lowpass.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "stg-noise-lowpass.h"

#include <string.h>

typedef enum { LAYER_WIENER, LAYER_LOWPASS, LAYER_NOISY, LAYER_COUNT } layer_kind;

typedef struct {
    const stg_region *region;
    const stg_noise_params *params;
    double a, s, fmax;
    st_filter *filter;
    float *scratch;
    stg_progress progress;
    void *user_data;
    int step, steps;
} job;

/* One kind of output for every colour channel into planes[]; one filter is
 * reused channel after channel to keep memory at a few planes. */
static gboolean compute(job *job, layer_kind kind, float **planes, GError **error)
{
    const stg_region *region = job->region;
    gsize n = (gsize)region->width * (gsize)region->height;
    uint64_t seed = (uint64_t)job->params->seed;
    for (int c = 0; c < region->colors; c++) {
        stg_region_color_plane(region, c, job->scratch);
        switch (kind) {
        case LAYER_NOISY:
            memcpy(planes[c], job->scratch, n * sizeof(float));
            stg_add_noise(planes[c], region->width, region->height, region->x, region->y,
                          region->full_width, region->full_height, c, seed, job->s / job->a);
            break;
        case LAYER_LOWPASS:
            st_filter_load(job->filter, job->scratch);
            st_filter_ideal_lowpass(job->filter, job->fmax, planes[c]);
            break;
        case LAYER_WIENER: {
            /* S of this channel, as `spectide tide` does. */
            stg_spectrum own;
            if (!stg_spectrum_of_plane(job->scratch, region->width, region->height, &own, error))
                return FALSE;
            stg_add_noise(job->scratch, region->width, region->height, region->x, region->y,
                          region->full_width, region->full_height, c, seed, job->s / job->a);
            st_filter_load(job->filter, job->scratch);
            st_filter_wiener(job->filter, own.power, NULL, job->a, job->s, planes[c]);
            stg_spectrum_clear(&own);
            break;
        }
        default:
            break;
        }
        if (job->progress)
            job->progress((double)++job->step / job->steps, job->user_data);
    }
    return TRUE;
}

gboolean stg_noise_make_layers(const stg_region *region, const stg_spectrum *analysis,
                               const stg_noise_params *params, stg_layer_sink sink,
                               stg_progress progress, void *user_data, double *fmax, GError **error)
{
    if (!stg_tide_usable(&params->tide, error))
        return FALSE;
    gsize n = (gsize)region->width * (gsize)region->height;
    job job = {.region = region,
               .params = params,
               .progress = progress,
               .user_data = user_data,
               .steps = LAYER_COUNT * region->colors};
    stg_tide_coefficients(&params->tide, &job.a, &job.s);
    job.fmax = stg_spectrum_fmax(analysis, &params->tide);
    float *planes[STG_MAX_COLORS] = {NULL, NULL, NULL};
    job.scratch = g_try_new(float, n);
    gboolean ok = job.scratch != NULL;
    for (int c = 0; c < region->colors && ok; c++)
        ok = (planes[c] = g_try_new(float, n)) != NULL;
    st_status status = ST_ERROR_MEMORY;
    job.filter = ok ? st_filter_new(region->width, region->height, &status) : NULL;
    if (!job.filter) {
        g_set_error(error, STG_ERROR, 1, "cannot filter %dx%d pixels: %s", region->width,
                    region->height, st_status_message(status));
        ok = FALSE;
    }

    char tide_text[64], name[128];
    stg_tide_describe(&params->tide, tide_text, sizeof tide_text);
    for (int kind = 0; kind < LAYER_COUNT && ok; kind++) {
        ok = compute(&job, (layer_kind)kind, planes, error);
        if (!ok)
            break;
        if (kind == LAYER_WIENER)
            g_snprintf(name, sizeof name, "Wiener");
        else if (kind == LAYER_LOWPASS)
            g_snprintf(name, sizeof name, "low-pass f=%.4g", job.fmax);
        else
            g_snprintf(name, sizeof name, "noisy %s", tide_text);
        if (!sink(name, planes, user_data)) {
            g_set_error(error, STG_ERROR, 1, "cannot make the layer '%s'", name);
            ok = FALSE;
        }
    }
    st_filter_free(job.filter);
    for (int c = 0; c < STG_MAX_COLORS; c++)
        g_free(planes[c]);
    g_free(job.scratch);
    *fmax = job.fmax;
    return ok;
}

void stg_noise_group_name(const stg_noise_params *params, char *text, size_t size)
{
    char tide_text[64];
    stg_tide_describe(&params->tide, tide_text, sizeof tide_text);
    g_snprintf(text, size, "spectide %s", tide_text);
}
