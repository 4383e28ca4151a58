/* The line plot, checked by pixels on ARGB32 image surfaces. Expected
 * positions are computed here from the axis ranges and the plot area, with
 * the linear / log10 mapping written out independently.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_view.h"
#include "pixels.h"

#include <cairo-svg.h>
#include <float.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define W 400
#define H 300

typedef struct {
    cairo_surface_t *s;
    cairo_t *cr;
    double ax, ay, aw, ah;
} canvas;

static canvas draw(sv_plot *p, int w, int h)
{
    canvas c;
    c.s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    c.cr = cairo_create(c.s);
    sv_plot_draw(p, c.cr, 0, 0, w, h);
    c.ax = c.ay = c.aw = c.ah = 0;
    sv_plot_get_area(p, &c.ax, &c.ay, &c.aw, &c.ah);
    return c;
}

static void done(canvas *c)
{
    cairo_destroy(c->cr);
    cairo_surface_destroy(c->s);
}

/* Independent mapping: row of a y value on a linear or log axis. */
static double row_of(const canvas *c, double y, double lo, double hi, int log_axis)
{
    double f = log_axis ? (log10(y) - log10(lo)) / (log10(hi) - log10(lo)) : (y - lo) / (hi - lo);
    return c->ay + c->ah - f * c->ah;
}

static double col_of(const canvas *c, double x, double lo, double hi, int log_axis)
{
    double f = log_axis ? (log10(x) - log10(lo)) / (log10(hi) - log10(lo)) : (x - lo) / (hi - lo);
    return c->ax + f * c->aw;
}

static void test_hline_rows(void)
{
    sv_plot *p = sv_plot_new();
    CHECK(!sv_plot_pixel_to_data(p, 10, 10, NULL, NULL), "no mapping before the first draw");
    sv_plot_set_x_axis(p, "x", SV_AXIS_LINEAR, 0.0, 10.0, 0);
    sv_plot_set_y_axis(p, "y", SV_AXIS_LINEAR, 0.0, 10.0);
    sv_plot_add_hline(p, 2.5, NULL, 0xff0000, SV_LINE_SOLID);
    canvas c = draw(p, W, H);
    CHECK(c.aw > 0.6 * W && c.ah > 0.6 * H, "plot area %gx%g too small", c.aw, c.ah);
    double want = row_of(&c, 2.5, 0, 10, 0);
    int col = (int)(c.ax + 0.37 * c.aw);
    double got = find_row(c.s, col, (int)c.ay, (int)(c.ay + c.ah), 0xff0000, 60);
    CHECK(fabs(got + 0.5 - want) <= 1.0, "y = 2.5 on row %g, expected %g", got + 0.5, want);
    double dx, dy;
    int inside = sv_plot_pixel_to_data(p, c.ax + 0.25 * c.aw, want, &dx, &dy);
    CHECK(inside && fabs(dx - 2.5) < 1e-9 && fabs(dy - 2.5) < 1e-9,
          "pixel -> data gave (%g, %g), expected (2.5, 2.5)", dx, dy);
    CHECK(!sv_plot_pixel_to_data(p, c.ax - 5, want, &dx, &dy), "left of the area is outside");
    CHECK(!sv_plot_pixel_to_data(p, c.ax + 5, c.ay + c.ah + 3, &dx, &dy), "below is outside");
    done(&c);

    /* log y axis: 1e-1 sits halfway in [1e-3, 1e1] */
    sv_plot_clear(p);
    sv_plot_set_y_axis(p, "y", SV_AXIS_LOG, 1e-3, 1e1);
    sv_plot_set_x_axis(p, "f", SV_AXIS_LOG, 10.0, 10000.0, 1);
    sv_plot_add_hline(p, 0.1, "line", 0x0000ff, SV_LINE_SOLID);
    sv_plot_set_legend(p, SV_LEGEND_NONE);
    c = draw(p, W, H);
    want = c.ay + 0.5 * c.ah;
    got = find_row(c.s, (int)(c.ax + 0.63 * c.aw), (int)c.ay, (int)(c.ay + c.ah), 0x0000ff, 60);
    CHECK(fabs(got + 0.5 - want) <= 1.0, "y = 0.1 on row %g, expected %g", got + 0.5, want);
    /* round trip against the closed form on the log x axis */
    sv_plot_pixel_to_data(p, c.ax + 0.75 * c.aw, want, &dx, &dy);
    CHECK(fabs(dx / pow(10.0, 1.0 + 0.75 * 3.0) - 1) < 1e-9, "x at 3/4 is %g", dx);
    CHECK(fabs(dy / 0.1 - 1) < 1e-9, "y at the middle is %g", dy);
    double px, py;
    CHECK(sv_plot_data_to_pixel(p, 1000.0, 0.01, &px, &py), "data -> pixel");
    CHECK(fabs(px - col_of(&c, 1000, 10, 10000, 1)) < 1e-9 &&
              fabs(py - row_of(&c, 0.01, 1e-3, 1e1, 1)) < 1e-9,
          "data -> pixel (%g, %g)", px, py);
    CHECK(!sv_plot_data_to_pixel(p, -1.0, 0.01, &px, &py), "negative x on a log axis");
    done(&c);
    sv_plot_free(p);
}

static void test_curve_where_data_says(int fast)
{
    enum { N = 101 };
    double x[N], y[N];
    for (int i = 0; i < N; i++)
        x[i] = i * 0.1, y[i] = 1.0 + 0.8 * x[i]; /* from 1 to 9 */
    sv_plot *p = sv_plot_new();
    sv_plot_set_x_axis(p, "x", SV_AXIS_LINEAR, 0.0, 10.0, 0);
    sv_plot_set_y_axis(p, "y", SV_AXIS_LINEAR, 0.0, 10.0);
    sv_plot_add_curve(p, x, y, N, NULL, 0x00c000, SV_LINE_SOLID);
    sv_plot_set_fast(p, fast);
    canvas c = draw(p, W, H);
    for (double xv = 0.7; xv < 10.0; xv += 1.3) {
        double col = col_of(&c, xv, 0, 10, 0);
        double want = row_of(&c, 1.0 + 0.8 * xv, 0, 10, 0);
        double got = find_row(c.s, (int)col, (int)c.ay, (int)(c.ay + c.ah), 0x00c000, 70);
        CHECK(fabs(got + 0.5 - want) <= 1.5, "curve at x = %g on row %g, expected %g (fast %d)", xv,
              got + 0.5, want, fast);
    }
    done(&c);
    sv_plot_free(p);
}

static void test_shading(void)
{
    enum { N = 400 };
    double x[N], y[N];
    for (int i = 0; i < N; i++) { /* beyond the x range on both sides: must be clipped */
        x[i] = -5.0 + 20.0 * i / (N - 1);
        y[i] = 5.0 + 4.0 * sin(x[i]);
    }
    sv_plot *p = sv_plot_new();
    sv_plot_set_x_axis(p, "x", SV_AXIS_LINEAR, 0.0, 10.0, 0);
    sv_plot_set_y_axis(p, "y", SV_AXIS_LINEAR, 0.0, 10.0);
    sv_plot_set_legend(p, SV_LEGEND_NONE);
    int k = sv_plot_add_curve(p, x, y, N, NULL, 0x000000, SV_LINE_SOLID);
    sv_plot_shade_below(p, k, 5.0);
    canvas c = draw(p, W, H);
    /* under water: the curve dips to 1 at 3 pi / 2; sample at y = 3.1 */
    rgba under =
        pixel_at(c.s, (int)col_of(&c, 1.5 * M_PI, 0, 10, 0), (int)row_of(&c, 3.1, 0, 10, 0));
    CHECK(under.b > under.r + 40, "below the level and above the curve: water, got %d,%d,%d",
          under.r, under.g, under.b);
    /* above the level: the curve peaks at 9 at pi / 2; sample at y = 7.1 */
    rgba above =
        pixel_at(c.s, (int)col_of(&c, 0.5 * M_PI, 0, 10, 0), (int)row_of(&c, 7.1, 0, 10, 0));
    CHECK(abs(above.b - above.r) < 10 && above.r > 200, "above the level: no water, got %d,%d,%d",
          above.r, above.g, above.b);
    /* below the curve itself: no water */
    rgba deep =
        pixel_at(c.s, (int)col_of(&c, 1.5 * M_PI, 0, 10, 0), (int)row_of(&c, 0.5, 0, 10, 0));
    CHECK(abs(deep.b - deep.r) < 10, "below the curve: no water, got %d,%d,%d", deep.r, deep.g,
          deep.b);
    /* right margin, level with the water: clipped to the area */
    int row = (int)row_of(&c, 3.1, 0, 10, 0);
    for (int xx = (int)(c.ax + c.aw) + 2; xx < W; xx++) {
        rgba m = pixel_at(c.s, xx, row);
        CHECK(abs(m.b - m.r) < 10, "water outside the area at x = %d", xx);
    }
    /* count water pixels in a column where the curve is above the level */
    int col = (int)col_of(&c, 0.5 * M_PI, 0, 10, 0), wet = 0;
    for (int yy = (int)c.ay; yy < (int)(c.ay + c.ah); yy++) {
        rgba q = pixel_at(c.s, col, yy);
        wet += q.b > q.r + 40;
    }
    CHECK(wet == 0, "%d water pixels where the curve is above the level", wet);
    done(&c);
    sv_plot_free(p);
}

/* A band on log axes: filled between low and high (rows computed here from
 * the log10 mapping), under the curve, split at a gap, counted by autoscale. */
static void test_band(void)
{
    enum { N = 21 };
    double x[N], low[N], high[N], mid[N];
    for (int i = 0; i < N; i++) {
        x[i] = pow(10.0, 2.0 * i / (N - 1)); /* 1 .. 100 */
        low[i] = 1.0, high[i] = 10.0, mid[i] = sqrt(10.0);
    }
    low[10] = NAN; /* x = 10: a gap */
    sv_plot *p = sv_plot_new();
    sv_plot_set_x_axis(p, "x", SV_AXIS_LOG, 1.0, 100.0, 0);
    sv_plot_set_y_axis(p, "y", SV_AXIS_LOG, 0.1, 100.0);
    sv_plot_set_legend(p, SV_LEGEND_NONE);
    CHECK(sv_plot_add_band(p, x, low, high, N, "band", 0x0000ff, 0.5) == 0, "first band index 0");
    CHECK(sv_plot_add_band(p, x, low, high, 0, NULL, 0, 0.5) == -1, "an empty band is refused");
    canvas c = draw(p, W, H);
    int col = (int)col_of(&c, 2.0, 1, 100, 1);
    rgba inside = pixel_at(c.s, col, (int)row_of(&c, 3.0, 0.1, 100, 1));
    CHECK(inside.b > 200 && inside.r > 100 && inside.r < 160,
          "inside the band: blue at half opacity over white, got %d,%d,%d", inside.r, inside.g,
          inside.b);
    rgba above = pixel_at(c.s, col, (int)row_of(&c, 30.0, 0.1, 100, 1));
    rgba below = pixel_at(c.s, col, (int)row_of(&c, 0.3, 0.1, 100, 1));
    CHECK(abs(above.b - above.r) < 10 && abs(below.b - below.r) < 10,
          "above and below the band: not filled");
    /* The gap at x = 10 separates two polygons: no fill around it. */
    int gap = (int)col_of(&c, 10.0, 1, 100, 1);
    rgba hole = pixel_at(c.s, gap, (int)row_of(&c, 3.0, 0.1, 100, 1));
    CHECK(abs(hole.b - hole.r) < 10, "gap at the NaN point: not filled, got %d,%d,%d", hole.r,
          hole.g, hole.b);
    done(&c);
    /* A curve drawn over the band keeps its own colour. */
    sv_plot_add_curve(p, x, mid, N, NULL, 0xc00000, SV_LINE_SOLID);
    c = draw(p, W, H);
    int r0 = (int)c.ay + 2, r1 = (int)(c.ay + c.ah) - 2;
    double row = find_row(c.s, col, r0, r1, 0xc00000, 40);
    CHECK(fabs(row + 0.5 - row_of(&c, sqrt(10.0), 0.1, 100, 1)) <= 1.5,
          "the curve is drawn over the band");
    done(&c);
    /* Autoscale includes the band's extent. */
    sv_plot_clear(p);
    sv_plot_set_y_axis(p, "y", SV_AXIS_LOG, 0, 0);
    double lo2[2] = {1e-4, 1e-3}, hi2[2] = {5e2, 1e3}, x2[2] = {1.0, 10.0};
    sv_plot_add_band(p, x2, lo2, hi2, 2, NULL, 0x00ff00, 0.3);
    c = draw(p, W, H);
    double x0, x1, y0, y1;
    sv_plot_get_range(p, &x0, &x1, &y0, &y1);
    CHECK(y0 <= 1e-4 * (1 + 1e-9) && y1 >= 1e3 * (1 - 1e-9), "autoscale covers the band [%g, %g]",
          y0, y1);
    done(&c);
    sv_plot_free(p);
}

static void test_autoscale(void)
{
    double x[6] = {0.003, 0.05, 1.0, 70.0, -2.0, NAN};
    double y[6] = {2e-5, 0.0, 3e3, 7.0, 1.0, 1.0};
    sv_plot *p = sv_plot_new();
    sv_plot_set_x_axis(p, "x", SV_AXIS_LOG, 0, 0, 0);
    sv_plot_set_y_axis(p, "y", SV_AXIS_LOG, 1, 1);
    sv_plot_add_curve(p, x, y, 6, "data", SV_COLOR_SIGNAL, SV_LINE_SOLID);
    canvas c = draw(p, W, H);
    double x0, x1, y0, y1;
    CHECK(sv_plot_get_range(p, &x0, &x1, &y0, &y1), "range after draw");
    /* positive points only: x in [0.003, 70] (1.0 pairs with y 3e3), y in [2e-5, 3e3]
       (x 0.05 has y 0: a gap); padded to whole decades */
    double wx0 = pow(10, floor(log10(0.003))), wx1 = pow(10, ceil(log10(70.0)));
    double wy0 = pow(10, floor(log10(2e-5))), wy1 = pow(10, ceil(log10(3e3)));
    CHECK(fabs(x0 / wx0 - 1) < 1e-9 && fabs(x1 / wx1 - 1) < 1e-9, "x range [%g, %g]", x0, x1);
    CHECK(fabs(y0 / wy0 - 1) < 1e-9 && fabs(y1 / wy1 - 1) < 1e-9, "y range [%g, %g]", y0, y1);
    done(&c);

    /* linear: includes every finite point and the horizontal lines */
    double lx[4] = {-3.2, 0.0, 4.0, 7.9}, ly[4] = {-40.0, 12.0, NAN, -3.0};
    sv_plot_clear(p);
    sv_plot_set_x_axis(p, "x", SV_AXIS_LINEAR, 0, 0, 0);
    sv_plot_set_y_axis(p, "dB", SV_AXIS_DB, 0, 0);
    sv_plot_add_curve(p, lx, ly, 4, NULL, 0x000000, SV_LINE_SOLID);
    sv_plot_add_hline(p, -55.0, NULL, 0xff0000, SV_LINE_SOLID);
    c = draw(p, W, H);
    sv_plot_get_range(p, &x0, &x1, &y0, &y1);
    CHECK(x0 <= -3.2 && x1 >= 7.9, "x range [%g, %g] misses data", x0, x1);
    CHECK(y0 <= -55.0 && y1 >= 12.0, "y range [%g, %g] misses data or line", y0, y1);
    CHECK(x1 - x0 < 2.0 * (7.9 + 3.2), "x range [%g, %g] too loose", x0, x1);
    done(&c);
    sv_plot_free(p);
}

static void test_nan_gap(void)
{
    double x[11], y[11];
    for (int i = 0; i < 11; i++)
        x[i] = i, y[i] = 5.0;
    y[5] = NAN;
    sv_plot *p = sv_plot_new();
    sv_plot_set_x_axis(p, "x", SV_AXIS_LINEAR, 0.0, 10.0, 0);
    sv_plot_set_y_axis(p, "y", SV_AXIS_LINEAR, 0.0, 10.0);
    sv_plot_add_curve(p, x, y, 11, NULL, 0x00c000, SV_LINE_SOLID);
    canvas c = draw(p, W, H);
    int r0 = (int)c.ay + 2, r1 = (int)(c.ay + c.ah) - 2; /* inside the frame */
    CHECK(find_row(c.s, (int)col_of(&c, 2.5, 0, 10, 0), r0, r1, 0x00c000, 70) >= 0,
          "curve drawn at x = 2.5");
    CHECK(find_row(c.s, (int)col_of(&c, 7.5, 0, 10, 0), r0, r1, 0x00c000, 70) >= 0,
          "curve drawn at x = 7.5");
    CHECK(find_row(c.s, (int)col_of(&c, 5.0, 0, 10, 0), r0, r1, 0x00c000, 120) < 0,
          "gap at the NaN point x = 5");
    done(&c);
    sv_plot_free(p);
}

/* A 16k-point curve is decimated per pixel column; a one-point peak must survive. */
static void test_dense_peak(void)
{
    enum { N = 16384 };
    static double x[N], y[N];
    for (int i = 0; i < N; i++)
        x[i] = 10.0 * i / (N - 1), y[i] = 1.0;
    y[9000] = 9.0;
    sv_plot *p = sv_plot_new();
    sv_plot_set_x_axis(p, "x", SV_AXIS_LINEAR, 0.0, 10.0, 0);
    sv_plot_set_y_axis(p, "y", SV_AXIS_LINEAR, 0.0, 10.0);
    sv_plot_add_curve(p, x, y, N, NULL, 0xc00000, SV_LINE_SOLID);
    canvas c = draw(p, W, H);
    double col = col_of(&c, x[9000], 0, 10, 0);
    int top = -1;
    for (int dc = -1; dc <= 1; dc++) {
        double r =
            find_row(c.s, (int)col + dc, (int)c.ay, (int)(row_of(&c, 5.0, 0, 10, 0)), 0xc00000, 90);
        if (r >= 0)
            top = 1;
    }
    CHECK(top == 1, "one-point peak lost by decimation");
    done(&c);
    sv_plot_free(p);
}

static void test_offset_rectangle(void)
{
    double x[2] = {1, 100}, y[2] = {1, 100};
    sv_plot *p = sv_plot_new();
    sv_plot_add_curve(p, x, y, 2, "a", 0, SV_LINE_SOLID);
    sv_plot_set_note(p, "note");
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 500, 400);
    cairo_t *cr = cairo_create(s);
    sv_plot_draw(p, cr, 100, 50, 300, 200);
    int outside = 0;
    for (int yy = 0; yy < 400; yy += 3)
        for (int xx = 0; xx < 500; xx += 3)
            if ((xx < 100 || xx >= 400 || yy < 50 || yy >= 250) && pixel_at(s, xx, yy).a != 0)
                outside++;
    CHECK(outside == 0, "%d pixels drawn outside the rectangle", outside);
    CHECK(pixel_at(s, 250, 150).a == 255, "inside the rectangle is painted");
    double ax, ay, aw, ah;
    sv_plot_get_area(p, &ax, &ay, &aw, &ah);
    CHECK(ax >= 100 && ay >= 50 && ax + aw <= 400 && ay + ah <= 250, "area inside rectangle");
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    sv_plot_free(p);
}

static void test_robustness(void)
{
    double x[5] = {1e-300, 1.0, DBL_MAX, 1e300, INFINITY};
    double y[5] = {-DBL_MAX, 1e300, 1e-300, NAN, 5.0};
    static const int sizes[][2] = {{50, 30}, {1, 1}, {2, 2}, {200, 80}, {3000, 20}, {20, 3000}};
    sv_axis_scale scales[3] = {SV_AXIS_LOG, SV_AXIS_LINEAR, SV_AXIS_DB};
    for (int si = 0; si < 3; si++) {
        sv_plot *p = sv_plot_new();
        sv_plot_set_title(p, "a title that is far too long for a tiny plot to show at all");
        sv_plot_set_x_axis(p, "x", scales[si], 0, 0, si == 0);
        sv_plot_set_y_axis(p, "y", scales[(si + 1) % 3], 0, 0);
        int k = sv_plot_add_curve(p, x, y, 5, "huge", 0xff0000, SV_LINE_DOTTED);
        sv_plot_add_curve(p, x, y, 0, "empty", 0x00ff00, SV_LINE_DASHED);
        sv_plot_add_hline(p, 1e308, "h", 0, SV_LINE_SOLID);
        sv_plot_add_vline(p, -1e308, "v", 0, SV_LINE_SOLID);
        sv_plot_shade_below(p, k, 1e200);
        sv_plot_shade_below(p, 99, 1.0); /* no such curve: ignored */
        sv_plot_set_note(p, "line one\nline two\n");
        for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            canvas c = draw(p, sizes[i][0], sizes[i][1]);
            double dx, dy;
            sv_plot_pixel_to_data(p, 0.5, 0.5, &dx, &dy);
            done(&c);
        }
        /* zero and negative sizes draw nothing */
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 4, 4);
        cairo_t *cr = cairo_create(s);
        sv_plot_draw(p, cr, 0, 0, 0, 0);
        sv_plot_draw(p, cr, 0, 0, -5, 10);
        sv_plot_draw(p, cr, 0, 0, NAN, 10);
        cairo_destroy(cr);
        cairo_surface_destroy(s);
        sv_plot_free(p);
    }
    sv_plot_free(NULL);
    CHECK(sv_plot_add_curve(NULL, x, y, 5, NULL, 0, SV_LINE_SOLID) == -1, "NULL plot");
}

/* Clearing and re-adding many times (the UI at 25 Hz) keeps working. */
static void test_reuse(void)
{
    sv_plot *p = sv_plot_new();
    double x[64], y[64];
    for (int i = 0; i < 64; i++)
        x[i] = i + 1, y[i] = 1.0 / (i + 1);
    for (int frame = 0; frame < 200; frame++) {
        sv_plot_clear(p);
        int n = 8 + frame % 56;
        int k = sv_plot_add_curve(p, x, y, n, "spectrum", SV_COLOR_SIGNAL, SV_LINE_SOLID);
        CHECK(k == 0, "first curve index %d", k);
        sv_plot_add_curve(p, x, y, 64 - n, "peak", SV_COLOR_PEAK, SV_LINE_SOLID);
        sv_plot_add_hline(p, 0.05, "water", SV_COLOR_NOISE, SV_LINE_SOLID);
        sv_plot_shade_below(p, k, 0.05);
    }
    canvas c = draw(p, 320, 200);
    done(&c);
    sv_plot_free(p);
}

/* A HiDPI scale makes text and margins bigger: the plot area shrinks. */
static void test_hidpi_scale(void)
{
    sv_plot *p = sv_plot_new();
    sv_plot_set_title(p, "title");
    sv_plot_set_x_axis(p, "x", SV_AXIS_LINEAR, 0.0, 1.0, 0);
    sv_plot_set_y_axis(p, "y", SV_AXIS_LINEAR, 0.0, 1.0);
    canvas c1 = draw(p, 1600, 1200);
    sv_plot_set_scale(p, 1.5);
    canvas c2 = draw(p, 1600, 1200);
    CHECK(c2.ax > c1.ax && c2.ah < c1.ah, "scale 1.5: area (%g, %g) vs (%g, %g)", c2.ax, c2.ah,
          c1.ax, c1.ah);
    done(&c1);
    done(&c2);
    sv_plot_free(p);
}

/* The same plot into an SVG surface: a file with the curve's colour in it. */
static void test_svg(void)
{
    char dir[] = "/tmp/spectide-view-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    char path[64];
    snprintf(path, sizeof path, "%s/plot.svg", dir);
    double x[3] = {1, 10, 100}, y[3] = {1, 0.1, 0.01};
    sv_plot *p = sv_plot_new();
    sv_plot_add_curve(p, x, y, 3, "a curve", 0x123456, SV_LINE_SOLID);
    cairo_surface_t *s = cairo_svg_surface_create(path, 400, 300);
    cairo_t *cr = cairo_create(s);
    sv_plot_draw(p, cr, 0, 0, 400, 300);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    sv_plot_free(p);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL, "svg written");
    int found = 0;
    if (f) {
        char line[4096];
        while (fgets(line, sizeof line, f))
            /* cairo writes colours as rgb(7.1%, 20.4%, 33.7%) */
            found |= strstr(line, "rgb(7.") && strstr(line, "20.") && strstr(line, "33.");
        fclose(f);
    }
    CHECK(found, "the curve colour is in the SVG");
    remove(path);
    rmdir(dir);
}

/* Bars go from y = 0 to the value, one per point, with gaps between them. */
static void test_bars(void)
{
    double x[5] = {0, 1, 2, 3, 4}, y[5] = {3, -2, 5, 0, 1};
    sv_plot *p = sv_plot_new();
    sv_plot_set_x_axis(p, "k", SV_AXIS_LINEAR, -1.0, 5.0, 0);
    sv_plot_set_y_axis(p, "c", SV_AXIS_LINEAR, -5.0, 5.0);
    sv_plot_add_curve(p, x, y, 5, "bars", 0xaa00aa, SV_LINE_BARS);
    sv_plot_set_legend(p, SV_LEGEND_NONE);
    canvas c = draw(p, W, H);
    struct {
        double x, y;
        int bar;
    } probe[] = {{0.0, 1.5, 1}, {0.0, -1.0, 0}, {0.0, 3.5, 0}, {1.0, -1.0, 1}, {1.0, 1.0, 0},
                 {2.0, 4.5, 1}, {0.5, 1.5, 0},  {4.0, 0.5, 1}, {4.0, 1.5, 0},  {3.5, 0.4, 0}};
    for (unsigned i = 0; i < sizeof probe / sizeof probe[0]; i++) {
        rgba q = pixel_at(c.s, (int)col_of(&c, probe[i].x, -1, 5, 0),
                          (int)row_of(&c, probe[i].y, -5, 5, 0));
        int is_bar = colour_distance(q, 0xaa00aa) < 20;
        CHECK(is_bar == probe[i].bar, "bar at (%g, %g): %d,%d,%d", probe[i].x, probe[i].y, q.r, q.g,
              q.b);
    }
    done(&c);
    sv_plot_free(p);
}

/* The inline display (200x80): titles and legend go, the data keep the room. */
static void test_small_keeps_room(void)
{
    double x[3] = {20, 200, 2000}, y[3] = {-10, -40, -80};
    sv_plot *p = sv_plot_new();
    sv_plot_set_title(p, "a title");
    sv_plot_set_x_axis(p, "frequency (Hz)", SV_AXIS_LOG, 20, 20000, 1);
    sv_plot_set_y_axis(p, "level (dB)", SV_AXIS_DB, -120, 0);
    sv_plot_add_curve(p, x, y, 3, "spectrum", SV_COLOR_SIGNAL, SV_LINE_SOLID);
    canvas c = draw(p, 200, 80);
    CHECK(c.ah >= 0.6 * 80 && c.aw >= 0.75 * 200, "200x80: area %gx%g", c.aw, c.ah);
    CHECK(c.ay <= 10, "200x80: no title row (area top %g)", c.ay);
    done(&c);
    c = draw(p, 50, 30);
    CHECK(c.ah >= 0.8 * 30 && c.aw >= 0.8 * 50, "50x30: area %gx%g", c.aw, c.ah);
    done(&c);
    sv_plot_free(p);
}

/* Dark pixels of the fit's colour within `radius` rows of `row` in column
 * `col` (a dotted line: some columns fall between dots). */
static int dark_near(cairo_surface_t *s, int col, double row, int radius)
{
    for (int y = (int)row - radius; y <= (int)row + radius; y++)
        if (colour_distance(pixel_at(s, col, y), SV_COLOR_FIT) < 90)
            return 1;
    return 0;
}

/* The power-law line P = 10^(c - alpha log10 f), with its positions
 * computed here: over the fitted range, and on given rings (DC a gap). */
static void test_powerlaw_line(void)
{
    st_powerlaw fit = {.alpha = 2.0, .c = -3.0, .f_low = 0.01, .f_high = 0.4};
    char label[64];
    sv_powerlaw_label(&fit, label, sizeof label);
    CHECK(strcmp(label, "fit: alpha = 2.00") == 0, "label \"%s\"", label);
    for (int on_rings = 0; on_rings < 2; on_rings++) {
        enum { RINGS = 64 };
        double freq[RINGS];
        for (int r = 0; r < RINGS; r++)
            freq[r] = r / 128.0; /* DC, then 1/128 .. 63/128 */
        sv_plot *p = sv_plot_new();
        sv_plot_set_x_axis(p, "f", SV_AXIS_LOG, 1e-3, 1.0, 0);
        sv_plot_set_y_axis(p, "P", SV_AXIS_LOG, 1e-4, 1e4);
        sv_plot_set_legend(p, SV_LEGEND_NONE);
        int index = on_rings ? sv_plot_add_powerlaw(p, &fit, freq, RINGS, NULL, SV_COLOR_FIT)
                             : sv_plot_add_powerlaw(p, &fit, NULL, 0, NULL, SV_COLOR_FIT);
        CHECK(index == 0, "power-law line added as curve 0 (%s)", on_rings ? "rings" : "range");
        canvas c = draw(p, W, H);
        double first = on_rings ? 1 / 128.0 : 0.01, last = on_rings ? 63 / 128.0 : 0.4;
        int hits = 0, samples = 0, stray = 0;
        for (int k = 1; k < 30; k++) {
            double f = first * pow(last / first, k / 30.0);
            double col = col_of(&c, f, 1e-3, 1.0, 1);
            double row = row_of(&c, pow(10.0, -3.0 - 2.0 * log10(f)), 1e-4, 1e4, 1);
            hits += dark_near(c.s, (int)col, row, 3);
            samples++;
        }
        /* Left of the line's first point nothing is drawn in the plot area. */
        for (int k = 1; k < 10; k++) {
            double f = 1e-3 * pow(first / 1e-3, k / 12.0);
            int col = (int)col_of(&c, f, 1e-3, 1.0, 1);
            for (int y = (int)c.ay + 3; y < (int)(c.ay + c.ah) - 3; y++)
                stray += colour_distance(pixel_at(c.s, col, y), SV_COLOR_FIT) < 90;
        }
        CHECK(hits >= samples / 3,
              "%s: the dotted line on 10^(c - alpha log10 f) in %d of %d "
              "columns",
              on_rings ? "on the rings" : "over the fitted range", hits, samples);
        CHECK(stray == 0, "%s: nothing left of %g (%d pixels)",
              on_rings ? "on the rings" : "over the fitted range", first, stray);
        done(&c);
        sv_plot_free(p);
    }
    CHECK(sv_plot_add_powerlaw(NULL, &fit, NULL, 0, NULL, 0) == -1, "NULL plot refused");
}

/* The tide plots: what each adds, and the floor where the level puts it. */
static void test_tide_plots(void)
{
    enum { RINGS = 64 };
    double freq[RINGS], power[RINGS], noisy[RINGS], lowpass[RINGS];
    for (int r = 0; r < RINGS; r++) {
        freq[r] = r / 128.0;
        power[r] = r ? 1e-3 * pow(freq[r], -2.0) : 1e3;
        noisy[r] = power[r] + 0.25;
        lowpass[r] = freq[r] <= 0.05 ? power[r] : 1e-14;
    }
    st_powerlaw fit = {.alpha = 2.0, .c = -3.0, .f_low = 1 / 128.0, .f_high = 63 / 128.0};
    st_tide_level level;
    st_tide_level_from_sigma(0.5, 1.0, &level); /* floor 0.25 */
    sv_tide_spectrum tide = {"tide", freq, power, RINGS, &fit, &level, 0.05};
    sv_plot *p = sv_plot_new();
    sv_tide_plot_measured(p, &tide, noisy, lowpass);
    CHECK(sv_plot_add_curve(p, freq, power, RINGS, NULL, 0, SV_LINE_SOLID) == 4,
          "measured: image RAPSD, fit, noisy and low-passed curves");
    canvas c = draw(p, W, H);
    /* The power axis keeps to the image's range: [min / 100, max * 10]. */
    double low = fmin(power[RINGS - 1], level.noise_floor) / 100.0, high = power[1] * 10.0;
    double x0, x1, y0, y1;
    sv_plot_get_range(p, &x0, &x1, &y0, &y1);
    CHECK(fabs(y0 / low - 1) < 1e-9 && fabs(y1 / high - 1) < 1e-9,
          "measured: power axis %g .. %g, expected %g .. %g", y0, y1, low, high);
    double want = row_of(&c, 0.25, low, high, 1);
    double got =
        find_row(c.s, (int)(c.ax + 0.8 * c.aw), (int)c.ay, (int)(c.ay + c.ah), SV_COLOR_NOISE, 80);
    CHECK(got >= 0 && fabs(got + 0.5 - want) <= 2.0,
          "measured: the floor 0.25 on row %g, "
          "expected %g",
          got + 0.5, want);
    done(&c);

    sv_tide_plot_expected(p, &tide, "sigma=0.5");
    CHECK(sv_plot_add_curve(p, freq, power, RINGS, NULL, 0, SV_LINE_SOLID) == 3,
          "expected: image RAPSD, fit and the expected hinge");
    st_tide_level_from_schedule(ST_SCHEDULE_RECTIFIED_FLOW, 1.0, 1.0, &level); /* a = 0 */
    tide.fmax = 0.0;
    sv_tide_plot_expected(p, &tide, "t=1");
    CHECK(sv_plot_add_curve(p, freq, power, RINGS, NULL, 0, SV_LINE_SOLID) == 2,
          "expected, a = 0: no hinge, no floor (everything under water)");
    c = draw(p, W, H);
    done(&c);
    sv_plot_free(p);
}

int main(void)
{
    test_hline_rows();
    test_curve_where_data_says(0);
    test_curve_where_data_says(1);
    test_hidpi_scale();
    test_svg();
    test_bars();
    test_small_keeps_room();
    test_shading();
    test_band();
    test_autoscale();
    test_nan_gap();
    test_dense_peak();
    test_offset_rectangle();
    test_robustness();
    test_reuse();
    test_powerlaw_line();
    test_tide_plots();
    sv_release_caches();
    return check_done();
}
