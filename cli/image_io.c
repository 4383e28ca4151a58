/* Whole images as interleaved [0,1] floats for the commands that want every
 * colour plane (tide), on top of the loader (pixels.h), plus file names.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"
#include "pixels.h"

#include <stdlib.h>
#include <string.h>

const char *cli_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int cli_image_load(const char *path, cli_image *image)
{
    memset(image, 0, sizeof *image);
    cli_load_settings settings = {
        .channel = ST_CHANNEL_GREEN, .colour_planes = 1, .max_pixels = cli_max_pixels()};
    cli_picture picture = {0};
    char problem[256];
    if (cli_picture_load(&picture, path, &settings, problem, sizeof problem) != CLI_OK) {
        cli_error("%s: %s", path, problem);
        cli_picture_release(&picture);
        return CLI_BAD_INPUT;
    }
    size_t count = (size_t)picture.width * picture.height;
    image->width = picture.width;
    image->height = picture.height;
    image->is_gray = picture.is_gray;
    image->components = picture.is_gray ? 2 : 4;
    image->pixels = malloc(count * image->components * sizeof(float));
    if (!image->pixels) {
        cli_error("%s: out of memory for %dx%d pixels", path, picture.width, picture.height);
        cli_picture_release(&picture);
        return CLI_BAD_INPUT;
    }
    /* Back from x = 2v - 1 to v (exact for the 8- and 16-bit code values
     * up to float rounding); alpha 1. */
    for (size_t i = 0; i < count; i++) {
        float *pixel = image->pixels + i * image->components;
        for (int c = 0; c < picture.planes; c++)
            pixel[c] = 0.5f * (picture.plane[c][i] + 1.0f);
        pixel[image->components - 1] = 1.0f;
    }
    cli_picture_release(&picture);
    return CLI_OK;
}

void cli_image_free(cli_image *image)
{
    free(image->pixels);
    memset(image, 0, sizeof *image);
}
