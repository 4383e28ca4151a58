/* RAPSD of image files and their log-domain average (see image_spectrum.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "image_spectrum.h"
#include "pixels.h"

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

int cli_spectrum_of_plane(const float *plane, int width, int height, cli_spectrum *spectrum)
{
    memset(spectrum, 0, sizeof *spectrum);
    st_rapsd *rapsd = st_rapsd_new(width, height, NULL);
    if (!rapsd)
        return CLI_BAD_INPUT;
    spectrum->width = width;
    spectrum->height = height;
    spectrum->rings = st_rapsd_ring_count(rapsd);
    spectrum->freq = malloc(sizeof(double) * spectrum->rings);
    spectrum->power = malloc(sizeof(double) * spectrum->rings);
    if (!spectrum->freq || !spectrum->power) {
        st_rapsd_free(rapsd);
        cli_spectrum_free(spectrum);
        return CLI_BAD_INPUT;
    }
    st_rapsd_frequencies(rapsd, spectrum->freq);
    st_rapsd_run(rapsd, plane, spectrum->power);
    st_rapsd_free(rapsd);
    fit_spectrum(spectrum);
    return CLI_OK;
}

int cli_spectrum_of_file(const char *path, st_channel channel, cli_spectrum *spectrum)
{
    cli_load_settings settings = {.channel = channel, .max_pixels = cli_max_pixels()};
    cli_picture picture = {0};
    char problem[256];
    int status = cli_picture_load(&picture, path, &settings, problem, sizeof problem);
    if (status != CLI_OK) {
        cli_error("%s: %s", path, problem);
    } else if ((status = cli_spectrum_of_plane(picture.plane[0], picture.width, picture.height,
                                               spectrum)) != CLI_OK) {
        cli_error("%s: cannot analyse a %dx%d image (out of memory?)", path, picture.width,
                  picture.height);
    }
    cli_picture_release(&picture);
    return status;
}

void cli_spectrum_free(cli_spectrum *spectrum)
{
    free(spectrum->freq);
    free(spectrum->power);
    memset(spectrum, 0, sizeof *spectrum);
}

int cli_spectrum_average(const cli_spectrum *spectra, int count, cli_spectrum *average)
{
    memset(average, 0, sizeof *average);
    st_logavg *avg = st_logavg_new(NULL);
    if (!avg)
        return CLI_BAD_INPUT;
    for (int i = 0; i < count; i++)
        st_logavg_add(avg, spectra[i].freq, spectra[i].power, spectra[i].rings);
    const double *freq = NULL, *mean_log10 = NULL;
    int n = st_logavg_result(avg, &freq, &mean_log10);
    average->rings = n;
    average->freq = malloc(sizeof(double) * (n > 0 ? n : 1));
    average->power = malloc(sizeof(double) * (n > 0 ? n : 1));
    if (n <= 0 || !average->freq || !average->power) {
        st_logavg_free(avg);
        cli_spectrum_free(average);
        return CLI_BAD_INPUT;
    }
    for (int i = 0; i < n; i++) {
        average->freq[i] = freq[i];
        average->power[i] = pow(10.0, mean_log10[i]); /* NaN stays NaN: not covered */
    }
    average->fit_ok =
        st_powerlaw_fit_log10(freq, mean_log10, n, 0.0, 0.0, 0, &average->fit) == ST_OK;
    st_logavg_free(avg);
    return CLI_OK;
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
