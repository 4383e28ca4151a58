/* Pixel access helpers shared by the view tests (checks: tests/common/check.h).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef VIEW_TEST_PIXELS_H
#define VIEW_TEST_PIXELS_H

#include "check.h"

#include <cairo.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    int r, g, b, a;
} rgba;

/* Reads an (un-premultiplied) pixel of an ARGB32 image surface. */
static inline rgba pixel_at(cairo_surface_t *s, int x, int y)
{
    rgba p = {0, 0, 0, 0};
    cairo_surface_flush(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    if (x < 0 || y < 0 || x >= w || y >= h)
        return p;
    const unsigned char *d = cairo_image_surface_get_data(s);
    uint32_t v = *(const uint32_t *)(d + (size_t)y * cairo_image_surface_get_stride(s) + 4 * x);
    p.a = v >> 24;
    if (p.a == 0)
        return p;
    p.r = (int)(((v >> 16) & 0xff) * 255 / p.a);
    p.g = (int)(((v >> 8) & 0xff) * 255 / p.a);
    p.b = (int)((v & 0xff) * 255 / p.a);
    return p;
}

/* Distance of a pixel from a 0xRRGGBB colour (max over channels). */
static inline int colour_distance(rgba p, uint32_t rgb)
{
    int dr = abs(p.r - (int)((rgb >> 16) & 0xff)), dg = abs(p.g - (int)((rgb >> 8) & 0xff)),
        db = abs(p.b - (int)(rgb & 0xff));
    int m = dr > dg ? dr : dg;
    return m > db ? m : db;
}

/* In column x, the row in [y0, y1] whose pixel is closest to rgb; -1 if none
 * is within `tolerance`. Rows of equal distance are averaged (a line two
 * pixels thick reports its middle). */
static inline double find_row(cairo_surface_t *s, int x, int y0, int y1, uint32_t rgb,
                              int tolerance)
{
    int best = 1000, sum = 0, count = 0;
    for (int y = y0; y <= y1; y++) {
        int d = colour_distance(pixel_at(s, x, y), rgb);
        if (d < best)
            best = d, sum = y, count = 1;
        else if (d == best)
            sum += y, count++;
    }
    return best <= tolerance ? (double)sum / count : -1.0;
}

#endif
