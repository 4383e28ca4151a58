/* Colour maps and the matrix image, checked by pixels.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_view.h"
#include "pixels.h"

/* CIE L* of an sRGB colour (D65), written out here. */
static double lightness(double r, double g, double b)
{
    double c[3] = {r, g, b};
    for (int i = 0; i < 3; i++)
        c[i] = c[i] <= 0.04045 ? c[i] / 12.92 : pow((c[i] + 0.055) / 1.055, 2.4);
    double y = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    double f = y > 216.0 / 24389.0 ? cbrt(y) : (24389.0 / 27.0 * y + 16.0) / 116.0;
    return 116.0 * f - 16.0;
}

static void test_colormap(void)
{
    double r, g, b, prev = -1.0;
    for (int i = 0; i <= 1000; i++) {
        sv_colormap(i / 1000.0, &r, &g, &b);
        CHECK(r >= 0 && r <= 1 && g >= 0 && g <= 1 && b >= 0 && b <= 1, "colour out of range");
        double l = lightness(r, g, b);
        CHECK(l > prev, "lightness not increasing at v = %g (%g after %g)", i / 1000.0, l, prev);
        prev = l;
    }
    sv_colormap(0.0, &r, &g, &b);
    CHECK(lightness(r, g, b) < 10.0, "v = 0 is dark");
    sv_colormap(1.0, &r, &g, &b);
    CHECK(lightness(r, g, b) > 90.0, "v = 1 is light");
    double r2, g2, b2;
    sv_colormap(-3.0, &r, &g, &b);
    sv_colormap(0.0, &r2, &g2, &b2);
    CHECK(r == r2 && g == g2 && b == b2, "v < 0 clamps to 0");
    sv_colormap(NAN, &r, &g, &b);
    CHECK(r == r2 && g == g2 && b == b2, "NaN maps to 0");
    sv_colormap(7.0, &r, &g, &b);
    sv_colormap(1.0, &r2, &g2, &b2);
    CHECK(r == r2 && g == g2 && b == b2, "v > 1 clamps to 1");
    /* magma-like: the middle is a warm, saturated colour */
    sv_colormap(0.5, &r, &g, &b);
    CHECK(r > g && r > b, "middle is red/magenta: %g %g %g", r, g, b);

    sv_colormap_diverging(0.5, &r, &g, &b);
    CHECK(r > 0.9 && g > 0.9 && b > 0.9, "diverging centre is near white");
    sv_colormap_diverging(0.0, &r, &g, &b);
    CHECK(b > r + 0.2, "diverging 0 is blue");
    sv_colormap_diverging(1.0, &r, &g, &b);
    CHECK(r > b + 0.2, "diverging 1 is red");
    for (int i = 0; i <= 50; i++) {
        double d = i / 100.0, lo, hi;
        sv_colormap_diverging(0.5 - d, &r, &g, &b);
        lo = lightness(r, g, b);
        sv_colormap_diverging(0.5 + d, &r, &g, &b);
        hi = lightness(r, g, b);
        CHECK(fabs(lo - hi) < 12.0, "diverging map lopsided at +-%g: L %g vs %g", d, lo, hi);
    }
}

/* Pixel of cell (col, row) of a matrix drawn with this style and size. */
static rgba cell_pixel(cairo_surface_t *s, const sv_matrix_style *st, int w, int h, int rows,
                       int cols, int col, int row)
{
    double ix, iy, iw, ih;
    sv_matrix_image_rect(0, 0, w, h, st, &ix, &iy, &iw, &ih);
    double px = ix + (col + 0.5) * iw / cols;
    double py = iy + ih - (row + 0.5) * ih / rows; /* row 0 at the bottom */
    return pixel_at(s, (int)px, (int)py);
}

static uint32_t expected_rgb(double v, int diverging)
{
    double r, g, b;
    if (diverging)
        sv_colormap_diverging(v, &r, &g, &b);
    else
        sv_colormap(v, &r, &g, &b);
    return (uint32_t)lround(r * 255) << 16 | (uint32_t)lround(g * 255) << 8 |
           (uint32_t)lround(b * 255);
}

static void test_cells(void)
{
    enum { ROWS = 4, COLS = 3, W = 400, H = 300 };
    float v[ROWS * COLS];
    for (int c = 0; c < COLS; c++)
        for (int r = 0; r < ROWS; r++)
            v[c * ROWS + r] = (float)(c * ROWS + r); /* 0 .. 11 */
    v[1 * ROWS + 2] = NAN;
    sv_matrix_style st = {"t", "x", "y", "dB", 0, 3, 0, 4, 0.0, 11.0, 0};
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, W, H);
    cairo_t *cr = cairo_create(s);
    sv_matrix_draw(cr, 0, 0, W, H, v, ROWS, COLS, &st);
    for (int c = 0; c < COLS; c++)
        for (int r = 0; r < ROWS; r++) {
            rgba p = cell_pixel(s, &st, W, H, ROWS, COLS, c, r);
            if (c == 1 && r == 2) {
                CHECK(abs(p.r - p.g) < 4 && abs(p.g - p.b) < 4 && p.r > 150,
                      "NaN cell is neutral grey, got %d,%d,%d", p.r, p.g, p.b);
                continue;
            }
            uint32_t want = expected_rgb((c * ROWS + r) / 11.0, 0);
            CHECK(colour_distance(p, want) <= 3, "cell (%d, %d): %d,%d,%d vs %06x", c, r, p.r, p.g,
                  p.b, want);
        }
    /* the colour bar: light at the top, dark at the bottom, right of the image */
    double ix, iy, iw, ih;
    sv_matrix_image_rect(0, 0, W, H, &st, &ix, &iy, &iw, &ih);
    int found_top = 0, found_bottom = 0;
    for (int x = (int)(ix + iw) + 2; x < W; x++) {
        found_top |= colour_distance(pixel_at(s, x, (int)(iy + 2)), expected_rgb(1.0, 0)) <= 12;
        found_bottom |=
            colour_distance(pixel_at(s, x, (int)(iy + ih - 2)), expected_rgb(0.0, 0)) <= 12;
    }
    CHECK(found_top && found_bottom, "colour bar ends: top %d bottom %d", found_top, found_bottom);

    /* automatic range, diverging: symmetric around 0, so 0 is the centre colour */
    float d[4] = {-2.0f, 0.0f, 8.0f, -8.0f};
    sv_matrix_style ds = {NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0.0, 0.0, 1};
    sv_matrix_draw(cr, 0, 0, W, H, d, 4, 1, &ds);
    CHECK(colour_distance(cell_pixel(s, &ds, W, H, 4, 1, 0, 1), expected_rgb(0.5, 1)) <= 3,
          "zero is the diverging centre");
    CHECK(colour_distance(cell_pixel(s, &ds, W, H, 4, 1, 0, 2), expected_rgb(1.0, 1)) <= 3,
          "8 is the top of [-8, 8]");
    CHECK(colour_distance(cell_pixel(s, &ds, W, H, 4, 1, 0, 0), expected_rgb(6.0 / 16.0, 1)) <= 3,
          "-2 maps to 6/16");
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

/* sv_matrix_image_rect tells where the image is, whatever the values. */
static void test_image_rect(void)
{
    enum { W = 500, H = 260 };
    float v[6] = {-1000.0f, 5000.0f, 12.0f, 3000.0f, -400.0f, 2500.0f}; /* 2 rows, 3 cols */
    sv_matrix_style st = {"spectrogram", "time (s)", "band", "dB", -3.0, 0.0, 0, 2, 0, 0, 0};
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, W, H);
    cairo_t *cr = cairo_create(s);
    sv_matrix_draw(cr, 0, 0, W, H, v, 2, 3, &st);
    double ix, iy, iw, ih;
    sv_matrix_image_rect(0, 0, W, H, &st, &ix, &iy, &iw, &ih);
    CHECK(iw > 0.5 * W && ih > 0.5 * H, "image %gx%g", iw, ih);
    /* corners: just inside is the corner cell's colour, just outside is not */
    struct {
        double x, y;
        int col, row;
    } probe[4] = {{ix + 3, iy + ih - 3, 0, 0},
                  {ix + iw - 3, iy + ih - 3, 2, 0},
                  {ix + 3, iy + 3, 0, 1},
                  {ix + iw - 3, iy + 3, 2, 1}};
    for (int k = 0; k < 4; k++) {
        float val = v[probe[k].col * 2 + probe[k].row];
        uint32_t want = expected_rgb((val + 1000.0) / 6000.0, 0);
        CHECK(colour_distance(pixel_at(s, (int)probe[k].x, (int)probe[k].y), want) <= 3,
              "corner %d has the colour of cell (%d, %d)", k, probe[k].col, probe[k].row);
    }
    /* the image ends at the rectangle: the cells' colours stop there */
    uint32_t top_left = expected_rgb((5000.0 + 1000.0) / 6000.0, 0);
    CHECK(colour_distance(pixel_at(s, (int)(ix - 3), (int)(iy + 0.25 * ih)), top_left) > 30,
          "left of the image is not the image");
    CHECK(colour_distance(pixel_at(s, (int)(ix + 3), (int)(iy - 3)), top_left) > 30,
          "above the image is not the image");
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

static void test_robustness(void)
{
    static float big[64 * 3000];
    for (int i = 0; i < 64 * 3000; i++)
        big[i] = (float)(i % 97) * 1e30f;
    sv_matrix_style st = {"title", "x", "y", "dB", 0, 1, 0, 1, 0, 0, 0};
    static const int sizes[][2] = {{50, 30}, {1, 1}, {200, 80}, {960, 200}};
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        cairo_surface_t *s =
            cairo_image_surface_create(CAIRO_FORMAT_ARGB32, sizes[i][0], sizes[i][1]);
        cairo_t *cr = cairo_create(s);
        sv_matrix_draw(cr, 0, 0, sizes[i][0], sizes[i][1], big, 64, 3000, &st);
        sv_matrix_draw(cr, 0, 0, sizes[i][0], sizes[i][1], NULL, 4, 4, &st);
        sv_matrix_draw(cr, 0, 0, sizes[i][0], sizes[i][1], big, 0, 5, NULL);
        sv_matrix_draw(cr, 0, 0, sizes[i][0], sizes[i][1], big, 1, 1, NULL);
        cairo_destroy(cr);
        cairo_surface_destroy(s);
    }
    double ix = -1, iy, iw, ih;
    sv_matrix_image_rect(0, 0, 1, 1, NULL, &ix, &iy, &iw, &ih);
    CHECK(ix >= 0 && iw >= 0, "image rect of a 1x1 drawing");
}

int main(void)
{
    test_colormap();
    test_cells();
    test_image_rect();
    test_robustness();
    sv_release_caches();
    return check_done();
}
