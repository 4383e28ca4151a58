/* RAPSD of image files (see image_spectrum.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "image_spectrum.h"

#include <math.h>
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

struct cli_image_worker {
    cli_image_options options;
    st_rapsd *rapsd; /* planned for width x height */
    int width, height;
    float *plane;
    size_t plane_capacity;
};

cli_image_worker *cli_image_worker_new(const cli_image_options *options)
{
    cli_image_worker *worker = calloc(1, sizeof *worker);
    if (worker)
        worker->options = *options;
    return worker;
}

void cli_image_worker_free(cli_image_worker *worker)
{
    if (!worker)
        return;
    st_rapsd_free(worker->rapsd);
    free(worker->plane);
    free(worker);
}

/* The plan and plane for width x height, kept from the last image when the
 * size repeats. */
static int prepare(cli_image_worker *worker, int width, int height)
{
    size_t pixels = (size_t)width * height;
    if (pixels > worker->plane_capacity) {
        float *grown = malloc(sizeof(float) * pixels);
        if (!grown)
            return CLI_BAD_INPUT;
        free(worker->plane);
        worker->plane = grown;
        worker->plane_capacity = pixels;
    }
    if (!worker->rapsd || worker->width != width || worker->height != height) {
        st_rapsd_free(worker->rapsd);
        worker->rapsd = st_rapsd_new(width, height, NULL);
        worker->width = worker->rapsd ? width : 0;
        worker->height = worker->rapsd ? height : 0;
        if (!worker->rapsd)
            return CLI_BAD_INPUT;
    }
    return CLI_OK;
}

int cli_image_spectrum(cli_image_worker *worker, const char *path, cli_spectrum *result)
{
    memset(result, 0, sizeof *result);
    cli_image image;
    int status = cli_image_load(path, &image);
    if (status != CLI_OK)
        return status;
    status = prepare(worker, image.width, image.height);
    if (status == CLI_OK) {
        st_pixels_to_analysis(image.pixels, image.width, image.height, image.components,
                              (size_t)image.width * image.components, worker->options.channel,
                              worker->plane);
        status = spectrum_with(worker->rapsd, worker->plane, image.width, image.height, result);
    }
    if (status != CLI_OK)
        cli_error("%s: cannot analyse a %dx%d image (out of memory?)", path, image.width,
                  image.height);
    cli_image_free(&image);
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
