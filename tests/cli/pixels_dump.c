/* Test program: the analysis planes the command line's loader (cli/pixels.h)
 * makes of an image file, written raw for tests/cli/pixels_test.py to
 * compare with the arrays PIL (or an independent decoder) gives.
 *
 * usage: pixels_dump [--channel C] [--planes] [--color-managed] IMAGE OUT
 * OUT: int32 width, height, planes, is_gray (little-endian on the machines
 * the tests run on: native order), then planes * width * height float32.
 * Exit 0, or 1 with the loader's message on stderr.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"
#include "pixels.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    cli_load_settings settings = {.channel = ST_CHANNEL_GREEN, .max_pixels = cli_max_pixels()};
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--channel") == 0 && i + 1 < argc) {
            if (st_channel_from_name(argv[++i], &settings.channel) != ST_OK) {
                fprintf(stderr, "pixels_dump: unknown channel %s\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "--planes") == 0) {
            settings.colour_planes = 1;
        } else if (strcmp(argv[i], "--color-managed") == 0) {
            settings.color_managed = 1;
        } else {
            fprintf(stderr, "pixels_dump: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (argc - i != 2) {
        fprintf(stderr,
                "usage: pixels_dump [--channel C] [--planes] [--color-managed] IMAGE OUT\n");
        return 2;
    }
    cli_picture picture = {0};
    char problem[320];
    if (cli_picture_load(&picture, argv[i], &settings, problem, sizeof problem) != CLI_OK) {
        fprintf(stderr, "pixels_dump: %s: %s\n", argv[i], problem);
        cli_picture_release(&picture);
        return 1;
    }
    FILE *out = fopen(argv[i + 1], "wb");
    int32_t header[4] = {picture.width, picture.height, picture.planes, picture.is_gray};
    int ok = out && fwrite(header, sizeof header, 1, out) == 1;
    size_t count = (size_t)picture.width * picture.height;
    for (int p = 0; ok && p < picture.planes; p++)
        ok = fwrite(picture.plane[p], sizeof(float), count, out) == count;
    if (out && fclose(out) != 0)
        ok = 0;
    printf("%s\n", picture.format);
    cli_picture_release(&picture);
    if (!ok) {
        fprintf(stderr, "pixels_dump: cannot write %s\n", argv[i + 1]);
        return 1;
    }
    return 0;
}
