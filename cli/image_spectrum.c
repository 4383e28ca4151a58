/* RAPSD of image files (see image_spectrum.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "image_spectrum.h"
#include "pixels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fit_spectrum(cli_spectrum *spectrum)
{
    /* Every ring but DC, one resampled point per ring (as the GIMP front). */
    spectrum->fit_ok = st_powerlaw_fit(spectrum->freq, spectrum->power, spectrum->rings, 0.0, 0.0,
                                       0, &spectrum->fit) == ST_OK;
    return spectrum->fit_ok;
}

/* The RAPSD of `plane` with `rapsd` (planned for width x height). */
static int spectrum_with(st_rapsd *rapsd, const float *plane, int width, int height,
                         cli_spectrum *spectrum)
{
    memset(spectrum, 0, sizeof *spectrum);
    spectrum->width = width;
    spectrum->height = height;
    spectrum->rings = st_rapsd_ring_count(rapsd);
    spectrum->freq = malloc(sizeof(double) * spectrum->rings);
    spectrum->power = malloc(sizeof(double) * spectrum->rings);
    if (!spectrum->freq || !spectrum->power) {
        cli_spectrum_free(spectrum);
        return CLI_BAD_INPUT;
    }
    st_rapsd_frequencies(rapsd, spectrum->freq);
    st_rapsd_run(rapsd, plane, spectrum->power);
    fit_spectrum(spectrum);
    return CLI_OK;
}

int cli_spectrum_of_plane(const float *plane, int width, int height, cli_spectrum *spectrum)
{
    memset(spectrum, 0, sizeof *spectrum);
    st_rapsd *rapsd = st_rapsd_new(width, height, NULL);
    if (!rapsd)
        return CLI_BAD_INPUT;
    int status = spectrum_with(rapsd, plane, width, height, spectrum);
    st_rapsd_free(rapsd);
    return status;
}

/* Plans kept per worker, and the pixels they may cover together (a huge
 * image's plan does not stay resident). */
#define PLAN_CACHE        4
#define PLAN_CACHE_PIXELS (2u << 20)

typedef struct {
    int width, height;
    st_rapsd *rapsd;
    unsigned long long used;
} cached_plan;

struct cli_image_worker {
    cli_image_options options;
    cli_load_settings load;
    cli_picture picture; /* the loader's buffers, reused */
    cached_plan plans[PLAN_CACHE];
    unsigned long long clock;
};

cli_image_worker *cli_image_worker_new(const cli_image_options *options)
{
    cli_image_worker *worker = calloc(1, sizeof *worker);
    if (worker) {
        worker->options = *options;
        worker->load = (cli_load_settings){.channel = options->channel,
                                           .color_managed = options->color_managed,
                                           .max_pixels = cli_max_pixels()};
    }
    return worker;
}

void cli_image_worker_free(cli_image_worker *worker)
{
    if (!worker)
        return;
    for (int i = 0; i < PLAN_CACHE; i++)
        st_rapsd_free(worker->plans[i].rapsd);
    cli_picture_release(&worker->picture);
    free(worker);
}

/* A plan for width x height: cached, or new in the least recently used
 * place. Every image is transformed by a plan of its own size made the same
 * way (FFTW_ESTIMATE, aligned planes), so its spectrum does not depend on
 * which worker computed it. */
static st_rapsd *plan_for(cli_image_worker *worker, int width, int height)
{
    worker->clock++;
    for (int i = 0; i < PLAN_CACHE; i++) {
        cached_plan *plan = &worker->plans[i];
        if (plan->rapsd && plan->width == width && plan->height == height) {
            plan->used = worker->clock;
            return plan->rapsd;
        }
    }
    int oldest = 0;
    for (int i = 1; i < PLAN_CACHE; i++)
        if (!worker->plans[i].rapsd ||
            (worker->plans[oldest].rapsd && worker->plans[i].used < worker->plans[oldest].used))
            oldest = i;
    st_rapsd_free(worker->plans[oldest].rapsd);
    worker->plans[oldest].rapsd = NULL;
    double pixels = (double)width * height;
    for (int i = 0; i < PLAN_CACHE; i++)
        if (worker->plans[i].rapsd)
            pixels += (double)worker->plans[i].width * worker->plans[i].height;
    for (int i = 0; i < PLAN_CACHE && pixels > PLAN_CACHE_PIXELS; i++)
        if (worker->plans[i].rapsd) {
            pixels -= (double)worker->plans[i].width * worker->plans[i].height;
            st_rapsd_free(worker->plans[i].rapsd);
            worker->plans[i].rapsd = NULL;
        }
    st_rapsd *rapsd = st_rapsd_new(width, height, NULL);
    worker->plans[oldest] = (cached_plan){width, height, rapsd, worker->clock};
    return rapsd;
}

int cli_image_analyse(cli_image_worker *worker, const char *path, cli_spectrum *result,
                      char *problem, size_t problem_size)
{
    memset(result, 0, sizeof *result);
    cli_picture *picture = &worker->picture;
    if (cli_picture_load(picture, path, &worker->load, problem, problem_size) != CLI_OK)
        return CLI_BAD_INPUT;
    st_rapsd *rapsd = plan_for(worker, picture->width, picture->height);
    if (!rapsd || spectrum_with(rapsd, picture->plane[0], picture->width, picture->height,
                                result) != CLI_OK) {
        snprintf(problem, problem_size, "cannot analyse a %dx%d image (out of memory)",
                 picture->width, picture->height);
        return CLI_BAD_INPUT;
    }
    return CLI_OK;
}

int cli_image_spectrum(cli_image_worker *worker, const char *path, cli_spectrum *result)
{
    char problem[320];
    int status = cli_image_analyse(worker, path, result, problem, sizeof problem);
    if (status != CLI_OK)
        cli_error("%s: %s", path, problem);
    return status;
}

int cli_copy_spectrum(const cli_spectrum *from, cli_spectrum *to)
{
    *to = *from;
    to->freq = malloc(sizeof(double) * (from->rings > 0 ? from->rings : 1));
    to->power = malloc(sizeof(double) * (from->rings > 0 ? from->rings : 1));
    if (!to->freq || !to->power) {
        cli_spectrum_free(to);
        return CLI_BAD_INPUT;
    }
    memcpy(to->freq, from->freq, sizeof(double) * from->rings);
    memcpy(to->power, from->power, sizeof(double) * from->rings);
    return CLI_OK;
}

void cli_spectrum_free(cli_spectrum *spectrum)
{
    free(spectrum->freq);
    free(spectrum->power);
    memset(spectrum, 0, sizeof *spectrum);
}

int cli_channel_option(const char *command, const char *name, st_channel *channel)
{
    if (!name) {
        *channel = ST_CHANNEL_GREEN;
        return CLI_OK;
    }
    if (st_channel_from_name(name, channel) != ST_OK)
        return cli_usage_error(command, "--channel must be green, luma, red or blue, not '%s'",
                               name);
    return CLI_OK;
}
