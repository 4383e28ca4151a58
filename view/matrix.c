/* Images of matrices: spectrograms (magma-like map, dB colour bar) and MFCC
 * (diverging map centred on zero).
 *
 * The layout depends only on the size and the style (label widths are
 * estimated from character counts, not measured), so sv_matrix_image_rect
 * can tell a UI where the image is without a cairo context.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "view_internal.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    view_metrics m;
    int show_ticks, show_titles;
    double ix, iy, iw, ih;             /* the image */
    double bar_x, bar_w;               /* the colour bar (same height as the image) */
    double x0, x1, y0, y1, vmin, vmax; /* ranges actually used */
    view_tick xt[VIEW_MAX_TICKS], yt[VIEW_MAX_TICKS], bt[VIEW_MAX_TICKS];
    int nxt, nyt, nbt;
} matrix_layout;

/* Width of a label in DejaVu-like faces: digits are ~0.64 em wide. */
static double estimate_width(const view_label *label, double font)
{
    double chars = 0.0;
    for (const unsigned char *p = (const unsigned char *)label->main; *p; p++)
        chars += (*p & 0xc0) != 0x80; /* count UTF-8 code points */
    double sup = 0.0;
    for (const unsigned char *p = (const unsigned char *)label->sup; *p; p++)
        sup += (*p & 0xc0) != 0x80;
    return 0.64 * font * (chars + 0.72 * sup);
}

static double estimate_max_width(const view_tick *t, int n, double font)
{
    double w = 0.0;
    for (int i = 0; i < n; i++)
        if (t[i].labelled)
            w = fmax(w, estimate_width(&t[i].label, font));
    return w;
}

static void value_range(const float *values, int rows, int cols, const sv_matrix_style *style,
                        double *lo, double *hi)
{
    double vmin = style ? style->value_min : 0.0, vmax = style ? style->value_max : 0.0;
    int diverging = style && style->diverging;
    if (vmin < vmax && isfinite(vmin) && isfinite(vmax)) {
        *lo = vmin, *hi = vmax;
        return;
    }
    double mn = INFINITY, mx = -INFINITY;
    if (values)
        for (long i = 0; i < (long)rows * cols; i++)
            if (isfinite(values[i]))
                mn = fmin(mn, values[i]), mx = fmax(mx, values[i]);
    if (!(mn <= mx))
        mn = 0.0, mx = 1.0;
    if (diverging) {
        double a = fmax(fabs(mn), fabs(mx));
        mn = -a, mx = a;
    }
    if (mx <= mn)
        mx = mn + 1.0;
    *lo = mn, *hi = mx;
}

static void axis_span(double a, double b, double fallback, double *lo, double *hi)
{
    if (isfinite(a) && isfinite(b) && b > a)
        *lo = a, *hi = b;
    else
        *lo = 0.0, *hi = fallback > 0 ? fallback : 1.0;
}

/* cr may be NULL: only vertical axes (no width measurement) and the x axis
 * with estimated widths are computed then. */
static void compute_layout(cairo_t *cr, double x, double y, double w, double h,
                           const sv_matrix_style *s, const float *values, int rows, int cols,
                           matrix_layout *L)
{
    view_metrics *m = &L->m;
    view_metrics_init(m, w, h, 1.0);
    L->show_ticks = w >= 12.0 * m->font && h >= 6.0 * m->font;
    L->show_titles = L->show_ticks && w >= 22.0 * m->font && h >= 13.0 * m->font;
    axis_span(s ? s->x_min : 0, s ? s->x_max : 0, cols, &L->x0, &L->x1);
    axis_span(s ? s->y_min : 0, s ? s->y_max : 0, rows, &L->y0, &L->y1);
    value_range(values, rows, cols, s, &L->vmin, &L->vmax);

    int has_title = L->show_titles && s && s->title && s->title[0];
    int has_unit = L->show_ticks && s && s->unit && s->unit[0];
    double top = has_title ? m->pad + 1.6 * m->title_font : (L->show_ticks ? 1.0 * m->font : 1.0);
    if (has_unit)
        top = fmax(top, 1.7 * m->font);
    double bottom = L->show_ticks ? m->tick_len + 0.5 * m->pad + 1.45 * m->font : 1.0;
    if (L->show_titles && s && s->x_title && s->x_title[0])
        bottom += 1.5 * m->title_font;
    double ih = fmax(1.0, h - top - bottom);

    L->nyt = view_axis_ticks(NULL, SV_AXIS_LINEAR, 0, L->y0, L->y1, ih, 0, m->font, L->yt,
                             VIEW_MAX_TICKS);
    L->nbt = view_axis_ticks(NULL, SV_AXIS_LINEAR, 0, L->vmin, L->vmax, ih, 0, m->font, L->bt,
                             VIEW_MAX_TICKS);
    double left = 1.0, right = 1.0;
    L->bar_w = 0.0;
    if (L->show_ticks) {
        double y_title =
            L->show_titles && s && s->y_title && s->y_title[0] ? 1.6 * m->title_font : 0.0;
        left = m->tick_len + 0.5 * m->pad + estimate_max_width(L->yt, L->nyt, m->font) + y_title +
               0.6 * m->pad;
        L->bar_w = 1.2 * m->font;
        /* A fixed budget of five characters for the colour-bar labels
         * ("−100", "0.25"), so the image does not move with the data. */
        right = m->pad * 1.5 + L->bar_w + m->tick_len + 0.5 * m->pad + 5.0 * 0.64 * m->font +
                0.3 * m->pad;
    }
    double iw = fmax(1.0, w - left - right);
    L->ix = x + fmin(left, fmax(0.0, w - 1.0));
    L->iy = y + fmin(top, fmax(0.0, h - 1.0));
    L->iw = iw;
    L->ih = ih;
    L->bar_x = L->ix + iw + 1.5 * m->pad;
    L->nxt = 0;
    if (cr)
        L->nxt = view_axis_ticks(cr, SV_AXIS_LINEAR, 0, L->x0, L->x1, iw, 1, m->font, L->xt,
                                 VIEW_MAX_TICKS);
}

void sv_matrix_image_rect(double x, double y, double width, double height,
                          const sv_matrix_style *style, double *image_x, double *image_y,
                          double *image_width, double *image_height)
{
    static const float zero = 0.0f;
    matrix_layout L;
    /* The layout does not depend on the values (see compute_layout). */
    compute_layout(NULL, x, y, width, height, style, &zero, 1, 1, &L);
    if (image_x)
        *image_x = L.ix;
    if (image_y)
        *image_y = L.iy;
    if (image_width)
        *image_width = L.iw;
    if (image_height)
        *image_height = L.ih;
}

/* A 256-entry table of the colour map as cairo RGB24 pixels. */
static void make_lut(int diverging, uint32_t *lut)
{
    for (int i = 0; i < 256; i++) {
        double r, g, b;
        if (diverging)
            sv_colormap_diverging(i / 255.0, &r, &g, &b);
        else
            sv_colormap(i / 255.0, &r, &g, &b);
        lut[i] = (uint32_t)lround(r * 255) << 16 | (uint32_t)lround(g * 255) << 8 |
                 (uint32_t)lround(b * 255);
    }
}

#define MISSING 0xc8c8c8 /* non-finite values: a neutral grey, not a level */

static int lut_index(double v, double lo, double hi)
{
    if (!isfinite(v))
        return 256;
    double t = (v - lo) / (hi - lo) * 255.0 + 0.5;
    return t <= 0.0 ? 0 : (t >= 255.0 ? 255 : (int)t);
}

static void draw_image(cairo_t *cr, const matrix_layout *L, const float *values, int rows, int cols,
                       int diverging)
{
    uint32_t lut[257];
    make_lut(diverging, lut);
    lut[256] = MISSING;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, cols, rows);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(img);
        return;
    }
    cairo_surface_flush(img);
    unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    for (int r = 0; r < rows; r++) {
        /* row 0 of the matrix is the bottom line of the image */
        uint32_t *line = (uint32_t *)(data + (size_t)(rows - 1 - r) * stride);
        for (int c = 0; c < cols; c++)
            line[c] = lut[lut_index(values[(size_t)c * rows + r], L->vmin, L->vmax)];
    }
    cairo_surface_mark_dirty(img);

    cairo_save(cr);
    cairo_rectangle(cr, L->ix, L->iy, L->iw, L->ih);
    cairo_clip(cr);
    cairo_translate(cr, L->ix, L->iy);
    cairo_scale(cr, L->iw / cols, L->ih / rows);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_t *p = cairo_get_source(cr);
    /* Big cells (MFCC) stay crisp; a dense spectrogram is smoothed. */
    double sx = L->iw / cols, sy = L->ih / rows;
    int crisp = (sx >= 2.0 || sy >= 2.0) && sx >= 0.9 && sy >= 0.9;
    cairo_pattern_set_filter(p, crisp ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD);
    cairo_pattern_set_extend(p, CAIRO_EXTEND_PAD);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
}

static void draw_colour_bar(cairo_t *cr, const matrix_layout *L, const sv_matrix_style *s)
{
    const view_metrics *m = &L->m;
    int diverging = s && s->diverging;
    int anchors = 4 * view_colormap_anchors(diverging);
    cairo_pattern_t *g = cairo_pattern_create_linear(0, L->iy + L->ih, 0, L->iy);
    for (int i = 0; i <= anchors; i++) {
        double v = (double)i / anchors, r, gg, b;
        if (diverging)
            sv_colormap_diverging(v, &r, &gg, &b);
        else
            sv_colormap(v, &r, &gg, &b);
        cairo_pattern_add_color_stop_rgb(g, v, r, gg, b);
    }
    cairo_rectangle(cr, L->bar_x, L->iy, L->bar_w, L->ih);
    cairo_set_source(cr, g);
    cairo_fill(cr);
    cairo_pattern_destroy(g);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, m->thin);
    cairo_rectangle(cr, L->bar_x, L->iy, L->bar_w, L->ih);
    cairo_stroke(cr);
    view_draw_ticks(cr, L->bt, L->nbt, 'r', L->bar_x, L->iy, L->bar_w, L->ih, L->vmin, L->vmax, m,
                    1);
    if (s && s->unit && s->unit[0]) {
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        view_text(cr, s->unit, m->font, 0, L->bar_x, L->iy - 0.45 * m->font, -1, 1);
    }
}

void sv_matrix_draw(cairo_t *cr, double x, double y, double width, double height,
                    const float *values, int rows, int cols, const sv_matrix_style *style)
{
    if (!cr || !(width > 0.0) || !(height > 0.0) || !isfinite(width) || !isfinite(height))
        return;
    if (rows <= 0 || cols <= 0 || !values)
        rows = cols = 0, values = NULL;
    matrix_layout L;
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_rectangle(cr, x, y, width, height);
    cairo_clip(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    compute_layout(cr, x, y, width, height, style, values, rows, cols, &L);
    const view_metrics *m = &L.m;
    if (values)
        draw_image(cr, &L, values, rows, cols, style && style->diverging);

    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, m->thin);
    cairo_set_dash(cr, NULL, 0, 0.0);
    cairo_rectangle(cr, L.ix, L.iy, L.iw, L.ih);
    cairo_stroke(cr);
    if (L.show_ticks) {
        view_draw_ticks(cr, L.xt, L.nxt, 'b', L.ix, L.iy, L.iw, L.ih, L.x0, L.x1, m, 1);
        view_draw_ticks(cr, L.yt, L.nyt, 'l', L.ix, L.iy, L.iw, L.ih, L.y0, L.y1, m, 1);
        draw_colour_bar(cr, &L, style);
    }
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    if (L.show_titles && style) {
        if (style->title)
            view_text(cr, style->title, m->title_font, 1, L.ix + 0.5 * L.iw, y + 0.6 * m->pad, 0,
                      -1);
        if (style->x_title)
            view_text(cr, style->x_title, m->title_font, 0, L.ix + 0.5 * L.iw,
                      y + height - 0.5 * m->pad, 0, 1);
        if (style->y_title)
            view_text_vertical(cr, style->y_title, m->title_font, 0,
                               x + 0.4 * m->pad + 0.5 * m->title_font, L.iy + 0.5 * L.ih);
    }
    cairo_restore(cr);
}
