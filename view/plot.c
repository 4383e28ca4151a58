/* Line plot renderer: log-log RAPSD plots, audio spectra in Hz/dB, the noise
 * tide. Data are copied and transformed (log10) when added, so a draw only
 * maps, decimates and strokes: no allocation, fast enough for a 25 Hz UI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "view_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    sv_axis_scale scale;
    int hz_labels;
    double min, max; /* requested; min >= max: autoscale */
    char *title;
} plot_axis;

typedef struct {
    double *x, *y;   /* the data as given */
    double *ux, *uy; /* axis coordinates (log10 on log axes), NaN = gap */
    int n, capacity;
    sv_axis_scale x_scale, y_scale; /* the scales ux/uy were computed for */
    char *label;
    uint32_t rgb;
    sv_line_style style;
} plot_curve;

typedef struct {
    double value;
    char *label;
    uint32_t rgb;
    sv_line_style style;
} plot_line;

typedef struct {
    int curve;
    double level;
} plot_shade;

/* A filled band: the data as given and its axis coordinates (NaN = gap). */
typedef struct {
    double *x, *low, *high;
    double *ux, *ulow, *uhigh;
    int n;
    sv_axis_scale x_scale, y_scale;
    char *label;
    uint32_t rgb;
    double opacity;
} plot_band;

/* The mapping of the last draw: px = x0 + (u - u0) * kx, likewise y. */
typedef struct {
    int valid;
    double ax, ay, aw, ah; /* plot area */
    double u0, u1, v0, v1; /* axis coordinates at the edges */
    sv_axis_scale x_scale, y_scale;
} plot_mapping;

typedef struct {
    view_metrics m;
    int show_ticks, show_title, show_axis_titles, show_legend;
    view_tick xt[VIEW_MAX_TICKS], yt[VIEW_MAX_TICKS];
    int nxt, nyt;
} plot_layout;

struct sv_plot {
    char *title;
    plot_axis x, y;
    plot_curve *curves; /* slots keep their buffers across sv_plot_clear */
    int n_curves, cap_curves;
    plot_line *hlines, *vlines;
    int n_hlines, cap_hlines, n_vlines, cap_vlines;
    plot_shade *shades;
    int n_shades, cap_shades;
    plot_band *bands;
    int n_bands, cap_bands;
    char *note;
    sv_legend_pos legend;
    double scale;
    int fast;
    plot_mapping map;
    plot_layout *layout; /* scratch for draws, allocated once: a draw allocates nothing */
};

/* ------------------------------------------------------------------ */
/* Construction                                                        */
/* ------------------------------------------------------------------ */

static char *copy_string(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c)
        memcpy(c, s, n);
    return c;
}

static void replace_string(char **dst, const char *src)
{
    free(*dst);
    *dst = copy_string(src);
}

/* Grows an array of `size`-byte elements to hold at least `need`. */
static int grow(void **array, int *capacity, int need, size_t size)
{
    if (need <= *capacity)
        return 1;
    int cap = *capacity ? *capacity * 2 : 4;
    while (cap < need)
        cap *= 2;
    void *p = realloc(*array, (size_t)cap * size);
    if (!p)
        return 0;
    memset((char *)p + (size_t)*capacity * size, 0, (size_t)(cap - *capacity) * size);
    *array = p;
    *capacity = cap;
    return 1;
}

sv_plot *sv_plot_new(void)
{
    sv_plot *plot = calloc(1, sizeof *plot);
    if (!plot)
        return NULL;
    plot->layout = calloc(1, sizeof *plot->layout);
    if (!plot->layout) {
        free(plot);
        return NULL;
    }
    plot->x.scale = plot->y.scale = SV_AXIS_LOG;
    plot->scale = 1.0;
    return plot;
}

void sv_plot_set_title(sv_plot *plot, const char *title)
{
    if (plot)
        replace_string(&plot->title, title);
}

void sv_plot_set_x_axis(sv_plot *plot, const char *title, sv_axis_scale scale, double min,
                        double max, int hz_labels)
{
    if (!plot)
        return;
    replace_string(&plot->x.title, title);
    plot->x.scale = scale;
    plot->x.min = min;
    plot->x.max = max;
    plot->x.hz_labels = hz_labels;
}

void sv_plot_set_y_axis(sv_plot *plot, const char *title, sv_axis_scale scale, double min,
                        double max)
{
    if (!plot)
        return;
    replace_string(&plot->y.title, title);
    plot->y.scale = scale;
    plot->y.min = min;
    plot->y.max = max;
}

void sv_plot_set_legend(sv_plot *plot, sv_legend_pos pos)
{
    if (plot)
        plot->legend = pos;
}

void sv_plot_set_fast(sv_plot *plot, int fast)
{
    if (plot)
        plot->fast = fast != 0;
}

void sv_plot_set_scale(sv_plot *plot, double scale)
{
    if (plot)
        plot->scale = (scale > 0.0 && isfinite(scale)) ? scale : 1.0;
}

static void transform_curve(plot_curve *c, sv_axis_scale xs, sv_axis_scale ys)
{
    for (int i = 0; i < c->n; i++) {
        c->ux[i] = view_axis_u(xs, c->x[i]);
        c->uy[i] = view_axis_u(ys, c->y[i]);
        if (isnan(c->ux[i]) || isnan(c->uy[i]))
            c->ux[i] = c->uy[i] = NAN;
    }
    c->x_scale = xs;
    c->y_scale = ys;
}

/* The next curve slot with room for n points (its buffers are kept across
 * sv_plot_clear), or NULL if memory is short. */
static plot_curve *next_curve(sv_plot *plot, int n)
{
    if (!grow((void **)&plot->curves, &plot->cap_curves, plot->n_curves + 1, sizeof *plot->curves))
        return NULL;
    plot_curve *c = &plot->curves[plot->n_curves];
    if (n > c->capacity) {
        double *b[4];
        for (int k = 0; k < 4; k++)
            b[k] = malloc((size_t)n * sizeof(double));
        if (!b[0] || !b[1] || !b[2] || !b[3]) {
            for (int k = 0; k < 4; k++)
                free(b[k]);
            return NULL;
        }
        free(c->x), free(c->y), free(c->ux), free(c->uy);
        c->x = b[0], c->y = b[1], c->ux = b[2], c->uy = b[3];
        c->capacity = n;
    }
    return c;
}

/* Adds the slot filled with n points of data. */
static int add_next_curve(sv_plot *plot, plot_curve *c, int n, const char *label, uint32_t rgb,
                          sv_line_style style)
{
    c->n = n;
    transform_curve(c, plot->x.scale, plot->y.scale);
    replace_string(&c->label, label);
    c->rgb = rgb;
    c->style = style;
    return plot->n_curves++;
}

int sv_plot_add_curve(sv_plot *plot, const double *x, const double *y, int n, const char *label,
                      uint32_t rgb, sv_line_style style)
{
    if (!plot || n < 0 || (n > 0 && (!x || !y)))
        return -1;
    plot_curve *c = next_curve(plot, n);
    if (!c)
        return -1;
    if (n > 0) {
        memcpy(c->x, x, (size_t)n * sizeof(double));
        memcpy(c->y, y, (size_t)n * sizeof(double));
    }
    return add_next_curve(plot, c, n, label, rgb, style);
}

int sv_plot_add_powerlaw(sv_plot *plot, const st_powerlaw *fit, const double *freq, int n,
                         const char *label, uint32_t rgb)
{
    if (!plot || !fit || (freq && n < 0) || (!freq && n != 0))
        return -1;
    int points = freq ? n : 2;
    plot_curve *c = next_curve(plot, points);
    if (!c)
        return -1;
    if (freq) {
        /* The fitted line at every point (f = 0, DC, is a gap). */
        for (int i = 0; i < n; i++) {
            c->x[i] = freq[i];
            c->y[i] = freq[i] > 0.0 ? st_powerlaw_power(fit, freq[i]) : NAN;
        }
    } else {
        /* A straight line on log-log axes: its two ends. */
        c->x[0] = fit->f_low;
        c->x[1] = fit->f_high;
        c->y[0] = st_powerlaw_power(fit, c->x[0]);
        c->y[1] = st_powerlaw_power(fit, c->x[1]);
    }
    return add_next_curve(plot, c, points, label, rgb, SV_LINE_DOTTED);
}

void sv_powerlaw_label(const st_powerlaw *fit, char *text, size_t size)
{
    if (text && size > 0)
        snprintf(text, size, "fit: alpha = %.2f", fit ? fit->alpha : NAN);
}

static void add_line(plot_line **lines, int *count, int *capacity, double value, const char *label,
                     uint32_t rgb, sv_line_style style)
{
    if (!grow((void **)lines, capacity, *count + 1, sizeof **lines))
        return;
    plot_line *l = &(*lines)[(*count)++];
    l->value = value;
    l->label = copy_string(label);
    l->rgb = rgb;
    l->style = style;
}

void sv_plot_add_hline(sv_plot *plot, double y, const char *label, uint32_t rgb,
                       sv_line_style style)
{
    if (plot)
        add_line(&plot->hlines, &plot->n_hlines, &plot->cap_hlines, y, label, rgb, style);
}

void sv_plot_add_vline(sv_plot *plot, double x, const char *label, uint32_t rgb,
                       sv_line_style style)
{
    if (plot)
        add_line(&plot->vlines, &plot->n_vlines, &plot->cap_vlines, x, label, rgb, style);
}

void sv_plot_shade_below(sv_plot *plot, int curve, double level)
{
    if (!plot || curve < 0 || curve >= plot->n_curves)
        return;
    if (!grow((void **)&plot->shades, &plot->cap_shades, plot->n_shades + 1, sizeof *plot->shades))
        return;
    plot->shades[plot->n_shades].curve = curve;
    plot->shades[plot->n_shades].level = level;
    plot->n_shades++;
}

static void transform_band(plot_band *b, sv_axis_scale xs, sv_axis_scale ys)
{
    for (int i = 0; i < b->n; i++) {
        b->ux[i] = view_axis_u(xs, b->x[i]);
        b->ulow[i] = view_axis_u(ys, b->low[i]);
        b->uhigh[i] = view_axis_u(ys, b->high[i]);
        if (!isfinite(b->ux[i]) || !isfinite(b->ulow[i]) || !isfinite(b->uhigh[i]))
            b->ux[i] = b->ulow[i] = b->uhigh[i] = NAN;
    }
    b->x_scale = xs;
    b->y_scale = ys;
}

static void free_band(plot_band *b)
{
    free(b->x), free(b->low), free(b->high);
    free(b->ux), free(b->ulow), free(b->uhigh);
    free(b->label);
}

int sv_plot_add_band(sv_plot *plot, const double *x, const double *low, const double *high, int n,
                     const char *label, uint32_t rgb, double opacity)
{
    if (!plot || n < 1 || !x || !low || !high)
        return -1;
    if (!grow((void **)&plot->bands, &plot->cap_bands, plot->n_bands + 1, sizeof *plot->bands))
        return -1;
    plot_band b = {0};
    double **buffers[6] = {&b.x, &b.low, &b.high, &b.ux, &b.ulow, &b.uhigh};
    for (int k = 0; k < 6; k++)
        *buffers[k] = malloc((size_t)n * sizeof(double));
    b.label = copy_string(label);
    if (!b.x || !b.low || !b.high || !b.ux || !b.ulow || !b.uhigh || (label && !b.label)) {
        free_band(&b);
        return -1;
    }
    memcpy(b.x, x, (size_t)n * sizeof(double));
    memcpy(b.low, low, (size_t)n * sizeof(double));
    memcpy(b.high, high, (size_t)n * sizeof(double));
    b.n = n;
    b.rgb = rgb;
    b.opacity = opacity < 0.0 ? 0.0 : (opacity > 1.0 ? 1.0 : opacity);
    if (!isfinite(opacity))
        b.opacity = 0.3;
    transform_band(&b, plot->x.scale, plot->y.scale);
    plot->bands[plot->n_bands] = b;
    return plot->n_bands++;
}

void sv_plot_set_note(sv_plot *plot, const char *note)
{
    if (plot)
        replace_string(&plot->note, note);
}

void sv_plot_clear(sv_plot *plot)
{
    if (!plot)
        return;
    for (int i = 0; i < plot->n_curves; i++) {
        free(plot->curves[i].label);
        plot->curves[i].label = NULL;
        plot->curves[i].n = 0;
    }
    plot->n_curves = 0;
    for (int i = 0; i < plot->n_hlines; i++)
        free(plot->hlines[i].label);
    for (int i = 0; i < plot->n_vlines; i++)
        free(plot->vlines[i].label);
    plot->n_hlines = plot->n_vlines = plot->n_shades = 0;
    for (int i = 0; i < plot->n_bands; i++)
        free_band(&plot->bands[i]);
    plot->n_bands = 0;
    replace_string(&plot->note, NULL);
}

void sv_plot_free(sv_plot *plot)
{
    if (!plot)
        return;
    sv_plot_clear(plot);
    for (int i = 0; i < plot->cap_curves; i++) {
        plot_curve *c = &plot->curves[i];
        free(c->x), free(c->y), free(c->ux), free(c->uy);
    }
    free(plot->curves);
    free(plot->hlines);
    free(plot->vlines);
    free(plot->shades);
    free(plot->bands);
    free(plot->title);
    free(plot->x.title);
    free(plot->y.title);
    free(plot->layout);
    free(plot);
}

/* ------------------------------------------------------------------ */
/* Mapping                                                             */
/* ------------------------------------------------------------------ */

int sv_plot_pixel_to_data(const sv_plot *plot, double px, double py, double *data_x, double *data_y)
{
    if (!plot || !plot->map.valid)
        return 0;
    const plot_mapping *m = &plot->map;
    double u = m->u0 + (px - m->ax) / m->aw * (m->u1 - m->u0);
    double v = m->v0 + (m->ay + m->ah - py) / m->ah * (m->v1 - m->v0);
    if (data_x)
        *data_x = m->x_scale == SV_AXIS_LOG ? pow(10.0, u) : u;
    if (data_y)
        *data_y = m->y_scale == SV_AXIS_LOG ? pow(10.0, v) : v;
    return px >= m->ax && px <= m->ax + m->aw && py >= m->ay && py <= m->ay + m->ah;
}

int sv_plot_data_to_pixel(const sv_plot *plot, double data_x, double data_y, double *px, double *py)
{
    if (!plot || !plot->map.valid)
        return 0;
    const plot_mapping *m = &plot->map;
    double u = view_axis_u(m->x_scale, data_x);
    double v = view_axis_u(m->y_scale, data_y);
    if (isnan(u) || isnan(v))
        return 0;
    if (px)
        *px = m->ax + (u - m->u0) / (m->u1 - m->u0) * m->aw;
    if (py)
        *py = m->ay + m->ah - (v - m->v0) / (m->v1 - m->v0) * m->ah;
    return 1;
}

int sv_plot_get_area(const sv_plot *plot, double *x, double *y, double *width, double *height)
{
    if (!plot || !plot->map.valid)
        return 0;
    if (x)
        *x = plot->map.ax;
    if (y)
        *y = plot->map.ay;
    if (width)
        *width = plot->map.aw;
    if (height)
        *height = plot->map.ah;
    return 1;
}

int sv_plot_get_range(const sv_plot *plot, double *x_min, double *x_max, double *y_min,
                      double *y_max)
{
    if (!plot || !plot->map.valid)
        return 0;
    const plot_mapping *m = &plot->map;
    int xl = m->x_scale == SV_AXIS_LOG, yl = m->y_scale == SV_AXIS_LOG;
    if (x_min)
        *x_min = xl ? pow(10.0, m->u0) : m->u0;
    if (x_max)
        *x_max = xl ? pow(10.0, m->u1) : m->u1;
    if (y_min)
        *y_min = yl ? pow(10.0, m->v0) : m->v0;
    if (y_max)
        *y_max = yl ? pow(10.0, m->v1) : m->v1;
    return 1;
}

/* Axis range in axis coordinates: the requested one, or the data's. */
static void axis_range(const sv_plot *plot, int is_x, double *lo, double *hi)
{
    const plot_axis *a = is_x ? &plot->x : &plot->y;
    double u0 = view_axis_u(a->scale, a->min), u1 = view_axis_u(a->scale, a->max);
    if (a->min < a->max && isfinite(u0) && isfinite(u1) && u1 > u0) {
        *lo = u0, *hi = u1;
        return;
    }
    double mn = INFINITY, mx = -INFINITY;
    for (int i = 0; i < plot->n_curves; i++) {
        const plot_curve *c = &plot->curves[i];
        const double *u = is_x ? c->ux : c->uy;
        for (int k = 0; k < c->n; k++)
            if (isfinite(u[k]))
                mn = fmin(mn, u[k]), mx = fmax(mx, u[k]);
    }
    for (int i = 0; i < plot->n_bands; i++) {
        const plot_band *b = &plot->bands[i];
        for (int k = 0; k < b->n; k++) {
            if (!isfinite(b->ux[k]))
                continue;
            if (is_x)
                mn = fmin(mn, b->ux[k]), mx = fmax(mx, b->ux[k]);
            else
                mn = fmin(mn, fmin(b->ulow[k], b->uhigh[k])),
                mx = fmax(mx, fmax(b->ulow[k], b->uhigh[k]));
        }
    }
    const plot_line *lines = is_x ? plot->vlines : plot->hlines;
    int n_lines = is_x ? plot->n_vlines : plot->n_hlines;
    for (int i = 0; i < n_lines; i++) {
        double u = view_axis_u(a->scale, lines[i].value);
        if (isfinite(u))
            mn = fmin(mn, u), mx = fmax(mx, u);
    }
    if (a->scale == SV_AXIS_LOG) {
        if (!(mn <= mx))
            mn = 0.0, mx = 1.0;
        mn = floor(mn + 1e-9), mx = ceil(mx - 1e-9); /* whole decades */
        if (mx <= mn)
            mx = mn + 1.0;
    } else {
        if (!(mn <= mx))
            mn = 0.0, mx = 1.0;
        if (mx - mn <= fabs(mx) * 1e-12 || mx == mn) {
            double d = fabs(mn) > 0.0 ? 0.1 * fabs(mn) : 1.0;
            mn -= d, mx += d;
        }
        /* Round outwards to a 1-2-5 step (about 5 steps). */
        double ticks[VIEW_MAX_TICKS];
        int n = sv_ticks_nice(mn, mx, 5, ticks, VIEW_MAX_TICKS);
        if (n >= 2) {
            double step = ticks[1] - ticks[0];
            mn = floor(mn / step + 1e-9) * step;
            mx = ceil(mx / step - 1e-9) * step;
        }
    }
    *lo = mn, *hi = mx;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                             */
/* ------------------------------------------------------------------ */

static void set_style(cairo_t *cr, sv_line_style style, double width)
{
    cairo_set_line_width(cr, width);
    if (style == SV_LINE_DOTTED) {
        double dots[2] = {0.0, 2.2 * width};
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_dash(cr, dots, 2, 0.0);
    } else if (style == SV_LINE_DASHED) {
        double dashes[2] = {5.0 * width, 3.0 * width};
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
        cairo_set_dash(cr, dashes, 2, 0.0);
    } else {
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND); /* seamless chunks */
        cairo_set_dash(cr, NULL, 0, 0.0);
    }
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
}

/* Keeps far-away points inside cairo's fixed-point range (about +-8e6). */
static double clamp_px(double p)
{
    return p < -1e6 ? -1e6 : (p > 1e6 ? 1e6 : p);
}

typedef struct {
    double x0, kx, y0, ky; /* px = x0 + u * kx; py = y0 - v * ky */
} affine;

static affine make_affine(const plot_mapping *m)
{
    affine a;
    a.kx = m->aw / (m->u1 - m->u0);
    a.x0 = m->ax - m->u0 * a.kx;
    a.ky = m->ah / (m->v1 - m->v0);
    a.y0 = m->ay + m->ah + m->v0 * a.ky;
    return a;
}

/* Emits the points of a path, stroking every CHUNK segments when asked:
 * cairo's stroker is superlinear in the number of segments of one path
 * (a noisy 512-bin spectrum costs ~3x more as one path), and with round
 * caps the seams are invisible. */
#define CHUNK 48

typedef struct {
    cairo_t *cr;
    int chunked, segments;
    double x, y; /* last emitted point */
} path_writer;

static void pw_move(path_writer *w, double x, double y)
{
    cairo_move_to(w->cr, x, y);
    w->x = x, w->y = y;
}

static void pw_line(path_writer *w, double x, double y)
{
    cairo_line_to(w->cr, x, y);
    w->x = x, w->y = y;
    if (w->chunked && ++w->segments >= CHUNK) {
        cairo_stroke(w->cr);
        cairo_move_to(w->cr, x, y);
        w->segments = 0;
    }
}

/* Calls `emit` for the points of a curve in pixels, reduced per pixel
 * column to first, lowest, highest and last point, so a 16k-bin spectrum
 * costs about as much as the plot is wide. start = 1 begins a run (after
 * a gap or at the beginning). reduce_min_only: one point per column, the
 * one nearest the top (for the water fill). */
typedef void (*point_fn)(void *ctx, double x, double y, int start);

static void decimate(const plot_curve *c, const affine *a, int top_only, point_fn emit, void *ctx)
{
    int open = 0, count = 0;
    double col = NAN, ymin = 0, ymax = 0, ylast = 0, xfirst = 0, xlast = 0;
    for (int i = 0; i <= c->n; i++) {
        int gap = i == c->n || isnan(c->ux[i]);
        double px = gap ? 0.0 : clamp_px(a->x0 + c->ux[i] * a->kx);
        double py = gap ? 0.0 : clamp_px(a->y0 - c->uy[i] * a->ky);
        double column = floor(px);
        if (count > 0 && (gap || column != col)) {
            /* flush the finished column (its first point is already out) */
            if (top_only) {
                if (count > 1)
                    emit(ctx, xlast, ymin, 0);
            } else {
                if (count > 2) {
                    emit(ctx, xfirst, ymin, 0);
                    emit(ctx, xfirst, ymax, 0);
                }
                if (count > 1)
                    emit(ctx, xlast, ylast, 0);
            }
            count = 0;
        }
        if (gap) {
            if (open)
                emit(ctx, NAN, NAN, 0); /* end of a run */
            open = 0;
            continue;
        }
        if (count == 0) {
            emit(ctx, px, py, !open);
            open = 1;
            col = column;
            count = 1;
            xfirst = xlast = px;
            ymin = ymax = ylast = py;
        } else {
            ymin = fmin(ymin, py), ymax = fmax(ymax, py);
            xlast = px, ylast = py;
            count++;
        }
    }
}

static void stroke_point(void *ctx, double x, double y, int start)
{
    path_writer *w = ctx;
    if (isnan(x))
        return;
    if (start)
        pw_move(w, x, y);
    else
        pw_line(w, x, y);
}

/* Bars: 70% of the smallest spacing between neighbouring points wide. */
static void fill_bars(cairo_t *cr, const plot_curve *c, const affine *a, const plot_mapping *m)
{
    double spacing = INFINITY, prev = NAN;
    for (int i = 0; i < c->n; i++) {
        if (isnan(c->ux[i]))
            continue;
        double px = a->x0 + c->ux[i] * a->kx;
        if (!isnan(prev) && fabs(px - prev) > 0.0)
            spacing = fmin(spacing, fabs(px - prev));
        prev = px;
    }
    double width = isfinite(spacing) ? fmax(1.0, 0.7 * spacing) : fmax(1.0, 0.05 * m->aw);
    double base =
        m->y_scale == SV_AXIS_LOG || m->v0 > 0.0 || m->v1 < 0.0 ? m->ay + m->ah : a->y0; /* y = 0 */
    for (int i = 0; i < c->n; i++) {
        if (isnan(c->ux[i]))
            continue;
        double px = clamp_px(a->x0 + c->ux[i] * a->kx);
        double py = clamp_px(a->y0 - c->uy[i] * a->ky);
        cairo_rectangle(cr, px - 0.5 * width, fmin(py, base), width, fabs(base - py));
    }
    cairo_fill(cr);
}

static void stroke_curve(cairo_t *cr, const plot_curve *c, const affine *a, int chunked)
{
    path_writer w = {cr, chunked, 0, 0.0, 0.0};
    decimate(c, a, 0, stroke_point, &w);
    cairo_stroke(cr);
}

/* The water: between the level and the curve where the curve is below it,
 * with the exact crossings, run by run (NaN points split). */
typedef struct {
    cairo_t *cr;
    double level, px, py;
    int open;
} shade_writer;

static void shade_point(void *ctx, double x, double y, int start)
{
    shade_writer *w = ctx;
    if (isnan(x)) { /* a run ends: close its polygon on the level */
        if (w->open) {
            cairo_line_to(w->cr, w->px, w->level);
            cairo_close_path(w->cr);
        }
        w->open = 0;
        return;
    }
    if (start || !w->open) {
        cairo_move_to(w->cr, x, w->level);
        w->open = 1;
    } else if ((w->py > w->level) != (y > w->level) && y != w->py) {
        double t = (w->level - w->py) / (y - w->py);
        cairo_line_to(w->cr, w->px + t * (x - w->px), w->level);
    }
    cairo_line_to(w->cr, x, fmax(y, w->level)); /* y grows downwards */
    w->px = x, w->py = y;
}

static void shade_curve(cairo_t *cr, const plot_curve *c, const affine *a, double level_py)
{
    shade_writer w = {cr, level_py, 0.0, 0.0, 0};
    decimate(c, a, 1, shade_point, &w);
    shade_point(&w, NAN, NAN, 0);
}

/* Decides what fits, measures labels and sets the plot area. */
static void layout(sv_plot *plot, cairo_t *cr, double x, double y, double w, double h,
                   plot_layout *L)
{
    view_metrics *m = &L->m;
    view_metrics_init(m, w, h, plot->scale);
    L->show_ticks = w >= 10.0 * m->font && h >= 6.0 * m->font;
    L->show_axis_titles = L->show_ticks && w >= 20.0 * m->font && h >= 13.0 * m->font;
    L->show_title = L->show_axis_titles && plot->title && plot->title[0];
    L->show_legend = plot->legend != SV_LEGEND_NONE && L->show_ticks && w >= 24.0 * m->font &&
                     h >= 14.0 * m->font;

    double top = L->show_title ? m->pad + 1.6 * m->title_font
                               : (L->show_ticks ? 0.9 * m->font : m->thin + 1.0);
    double bottom = L->show_ticks ? m->tick_len + 0.5 * m->pad + 1.45 * m->font : m->thin + 1.0;
    if (L->show_axis_titles && plot->x.title && plot->x.title[0])
        bottom += 1.5 * m->title_font;
    double right = L->show_ticks ? 1.6 * m->font : m->thin + 1.0;
    double left_titles =
        L->show_axis_titles && plot->y.title && plot->y.title[0] ? 1.6 * m->title_font : 0.0;

    double u0, u1, v0, v1;
    axis_range(plot, 1, &u0, &u1);
    axis_range(plot, 0, &v0, &v1);
    plot_mapping *map = &plot->map;
    map->u0 = u0, map->u1 = u1, map->v0 = v0, map->v1 = v1;
    map->x_scale = plot->x.scale, map->y_scale = plot->y.scale;

    double ah = fmax(1.0, h - top - bottom);
    int ylog = plot->y.scale == SV_AXIS_LOG, xlog = plot->x.scale == SV_AXIS_LOG;
    L->nyt = view_axis_ticks(cr, plot->y.scale, 0, ylog ? pow(10, v0) : v0, ylog ? pow(10, v1) : v1,
                             ah, 0, m->font, L->yt, VIEW_MAX_TICKS);
    double left = L->show_ticks ? m->tick_len + 0.5 * m->pad +
                                      view_ticks_max_width(cr, L->yt, L->nyt, m->font) +
                                      left_titles + 0.6 * m->pad
                                : m->thin + 1.0;
    double aw = fmax(1.0, w - left - right);
    L->nxt = view_axis_ticks(cr, plot->x.scale, plot->x.hz_labels, xlog ? pow(10, u0) : u0,
                             xlog ? pow(10, u1) : u1, aw, 1, m->font, L->xt, VIEW_MAX_TICKS);
    if (L->show_ticks) {
        /* Room for half of a label that sits on the right edge (10^0). */
        for (int i = 0; i < L->nxt; i++)
            if (L->xt[i].labelled && fabs(L->xt[i].u - u1) < 1e-9 * fmax(1.0, fabs(u1))) {
                double half = 0.5 * view_label_width(cr, &L->xt[i].label, m->font) + 0.3 * m->pad;
                if (half > right) {
                    aw = fmax(1.0, aw - (half - right));
                    right = half;
                }
            }
    }
    map->ax = x + fmin(left, fmax(0.0, w - 1.0));
    map->ay = y + fmin(top, fmax(0.0, h - 1.0));
    map->aw = aw;
    map->ah = ah;
    /* Whole pixels: a pixel-aligned clip is much cheaper for cairo and
     * the frame is crisp (when user units are device pixels). */
    if (aw >= 4.0 && ah >= 4.0) {
        double r = round(map->ax + aw), b = round(map->ay + ah);
        map->ax = round(map->ax), map->ay = round(map->ay);
        map->aw = r - map->ax, map->ah = b - map->ay;
    }
    map->valid = 1;
}

static void draw_grid(cairo_t *cr, const plot_layout *L, const plot_mapping *map)
{
    cairo_set_source_rgb(cr, 0.90, 0.90, 0.90);
    cairo_set_line_width(cr, L->m.thin);
    cairo_set_dash(cr, NULL, 0, 0.0);
    for (int i = 0; i < L->nxt; i++) {
        if (!L->xt[i].major)
            continue;
        double px = map->ax + (L->xt[i].u - map->u0) / (map->u1 - map->u0) * map->aw;
        cairo_move_to(cr, px, map->ay);
        cairo_line_to(cr, px, map->ay + map->ah);
    }
    for (int i = 0; i < L->nyt; i++) {
        if (!L->yt[i].major)
            continue;
        double py = map->ay + map->ah - (L->yt[i].u - map->v0) / (map->v1 - map->v0) * map->ah;
        cairo_move_to(cr, map->ax, py);
        cairo_line_to(cr, map->ax + map->aw, py);
    }
    cairo_stroke(cr);
}

/* One filled polygon per run of valid points: along low, back along high. */
static void fill_band(cairo_t *cr, const plot_band *b, const affine *a)
{
    int i = 0;
    while (i < b->n) {
        while (i < b->n && isnan(b->ux[i]))
            i++;
        int start = i;
        while (i < b->n && !isnan(b->ux[i]))
            i++;
        if (i - start < 2)
            continue;
        cairo_new_path(cr);
        for (int k = start; k < i; k++)
            cairo_line_to(cr, clamp_px(a->x0 + b->ux[k] * a->kx),
                          clamp_px(a->y0 - b->ulow[k] * a->ky));
        for (int k = i - 1; k >= start; k--)
            cairo_line_to(cr, clamp_px(a->x0 + b->ux[k] * a->kx),
                          clamp_px(a->y0 - b->uhigh[k] * a->ky));
        cairo_close_path(cr);
        view_set_rgb(cr, b->rgb, b->opacity);
        cairo_fill(cr);
    }
}

static void draw_data(const sv_plot *plot, cairo_t *cr, const plot_layout *L)
{
    const plot_mapping *map = &plot->map;
    affine a = make_affine(map);
    cairo_save(cr);
    cairo_rectangle(cr, map->ax, map->ay, map->aw, map->ah);
    cairo_clip(cr);
    if (plot->fast)
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);

    for (int i = 0; i < plot->n_shades; i++) {
        const plot_shade *s = &plot->shades[i];
        const plot_curve *c = &plot->curves[s->curve];
        double v = view_axis_u(plot->y.scale, s->level);
        if (isnan(v))
            continue;
        shade_curve(cr, c, &a, clamp_px(a.y0 - v * a.ky));
        view_set_rgb(cr, SV_COLOR_WATER, 0.35);
        cairo_fill(cr);
    }
    for (int i = 0; i < plot->n_bands; i++)
        fill_band(cr, &plot->bands[i], &a);
    for (int i = 0; i < plot->n_hlines; i++) {
        const plot_line *l = &plot->hlines[i];
        double v = view_axis_u(plot->y.scale, l->value);
        if (isnan(v))
            continue;
        double py = clamp_px(a.y0 - v * a.ky);
        set_style(cr, l->style, L->m.line);
        view_set_rgb(cr, l->rgb, 1.0);
        cairo_move_to(cr, map->ax, py);
        cairo_line_to(cr, map->ax + map->aw, py);
        cairo_stroke(cr);
    }
    for (int i = 0; i < plot->n_vlines; i++) {
        const plot_line *l = &plot->vlines[i];
        double u = view_axis_u(plot->x.scale, l->value);
        if (isnan(u))
            continue;
        double px = clamp_px(a.x0 + u * a.kx);
        set_style(cr, l->style, L->m.line);
        view_set_rgb(cr, l->rgb, 1.0);
        cairo_move_to(cr, px, map->ay);
        cairo_line_to(cr, px, map->ay + map->ah);
        cairo_stroke(cr);
    }
    for (int i = 0; i < plot->n_curves; i++) {
        const plot_curve *c = &plot->curves[i];
        /* Dotted lines get a little more weight so the dots stay visible. */
        set_style(cr, c->style, c->style == SV_LINE_DOTTED ? 1.5 * L->m.line : L->m.line);
        view_set_rgb(cr, c->rgb, 1.0);
        if (c->style == SV_LINE_BARS)
            fill_bars(cr, c, &a, map);
        else
            stroke_curve(cr, c, &a, c->style == SV_LINE_SOLID);
    }
    cairo_restore(cr);
}

static void draw_axes(const sv_plot *plot, cairo_t *cr, const plot_layout *L, double x, double y,
                      double w, double h)
{
    const plot_mapping *map = &plot->map;
    const view_metrics *m = &L->m;
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, m->thin);
    cairo_set_dash(cr, NULL, 0, 0.0);
    cairo_rectangle(cr, map->ax, map->ay, map->aw, map->ah);
    cairo_stroke(cr);
    view_draw_ticks(cr, L->xt, L->nxt, 'b', map->ax, map->ay, map->aw, map->ah, map->u0, map->u1, m,
                    L->show_ticks);
    view_draw_ticks(cr, L->yt, L->nyt, 'l', map->ax, map->ay, map->aw, map->ah, map->v0, map->v1, m,
                    L->show_ticks);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    if (L->show_axis_titles) {
        if (plot->x.title)
            view_text(cr, plot->x.title, m->title_font, 0, map->ax + 0.5 * map->aw,
                      y + h - 0.5 * m->pad, 0, 1);
        if (plot->y.title)
            view_text_vertical(cr, plot->y.title, m->title_font, 0,
                               x + 0.4 * m->pad + 0.5 * m->title_font, map->ay + 0.5 * map->ah);
    }
    if (L->show_title) {
        /* A long title shrinks (down to the tick font) rather than overflow. */
        double font = m->title_font, room = w - m->pad;
        double tw = view_text_width(cr, plot->title, font, 1);
        if (tw > room) {
            font = fmax(m->font * 0.7, font * room / tw);
            tw *= font / m->title_font; /* text width scales with the font size */
        }
        /* Centred on the plot area when it fits there, else kept inside the drawing. */
        double cx = fmin(fmax(map->ax + 0.5 * map->aw, x + 0.5 * w - 0.5 * room + 0.5 * tw),
                         x + 0.5 * w + 0.5 * room - 0.5 * tw);
        if (tw > room)
            cx = x + 0.5 * w;
        view_text(cr, plot->title, font, 1, cx, y + 0.6 * m->pad, 0, -1);
    }
}

/* Labels of the vertical markers (f_max = ...), at the top of the area,
 * beside their line, one row each so that several markers stay legible. */
static void draw_vline_labels(const sv_plot *plot, cairo_t *cr, const plot_layout *L)
{
    const plot_mapping *map = &plot->map;
    const view_metrics *m = &L->m;
    affine a = make_affine(map);
    int row = 0;
    for (int i = 0; i < plot->n_vlines; i++) {
        const plot_line *l = &plot->vlines[i];
        double u = view_axis_u(plot->x.scale, l->value);
        if (!l->label || !l->label[0] || isnan(u) || u < map->u0 || u > map->u1)
            continue;
        double px = a.x0 + u * a.kx;
        double tw = view_text_width(cr, l->label, m->font, 0);
        double ty = map->ay + map->ah - (row + 1) * 1.5 * m->font - 0.3 * m->pad;
        if (plot->legend == SV_LEGEND_BOTTOM_LEFT || plot->legend == SV_LEGEND_BOTTOM_RIGHT)
            ty = map->ay + 0.3 * m->pad + row * 1.5 * m->font;
        double tx = px + 0.5 * m->pad;
        if (tx + tw > map->ax + map->aw - 0.3 * m->pad)
            tx = px - 0.5 * m->pad - tw; /* no room on the right: go left */
        if (tx < map->ax || tw > map->aw)
            continue;
        cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
        cairo_rectangle(cr, tx - 0.25 * m->font, ty, tw + 0.5 * m->font, 1.3 * m->font);
        cairo_fill(cr);
        view_set_rgb(cr, l->rgb, 1.0);
        view_text(cr, l->label, m->font, 0, tx, ty + 0.65 * m->font, -1, 0);
        row++;
    }
}

static void legend_sample(cairo_t *cr, double x, double y, double len, uint32_t rgb,
                          sv_line_style style, double width)
{
    if (style == SV_LINE_BARS) {
        view_set_rgb(cr, rgb, 1.0);
        cairo_rectangle(cr, x + 0.35 * len, y - 0.15 * len, 0.3 * len, 0.3 * len);
        cairo_fill(cr);
        return;
    }
    set_style(cr, style, style == SV_LINE_DOTTED ? 1.5 * width : width);
    view_set_rgb(cr, rgb, 1.0);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x + len, y);
    cairo_stroke(cr);
}

/* Draws the legend; returns the bottom of its box when it sits top-right,
 * else the top of the area: where the note may start. */
static double draw_legend(const sv_plot *plot, cairo_t *cr, const plot_layout *L)
{
    const plot_mapping *map = &plot->map;
    const view_metrics *m = &L->m;
    int rows = 0;
    double text_w = 0.0;
    for (int i = 0; i < plot->n_curves; i++)
        if (plot->curves[i].label && plot->curves[i].label[0]) {
            rows++;
            text_w = fmax(text_w, view_text_width(cr, plot->curves[i].label, m->font, 0));
        }
    for (int i = 0; i < plot->n_hlines; i++)
        if (plot->hlines[i].label && plot->hlines[i].label[0]) {
            rows++;
            text_w = fmax(text_w, view_text_width(cr, plot->hlines[i].label, m->font, 0));
        }
    for (int i = 0; i < plot->n_bands; i++)
        if (plot->bands[i].label && plot->bands[i].label[0]) {
            rows++;
            text_w = fmax(text_w, view_text_width(cr, plot->bands[i].label, m->font, 0));
        }
    if (!L->show_legend || rows == 0)
        return map->ay;
    double row_h = 1.4 * m->font, sample = 2.4 * m->font, inner = 0.6 * m->font;
    double bw = inner + sample + 0.6 * m->font + text_w + inner;
    double bh = 2.0 * 0.35 * m->font + rows * row_h;
    if (bw > 0.75 * map->aw || bh > 0.75 * map->ah)
        return map->ay;
    double inset = 0.6 * m->pad;
    int right = plot->legend == SV_LEGEND_TOP_RIGHT || plot->legend == SV_LEGEND_BOTTOM_RIGHT;
    int bottom = plot->legend == SV_LEGEND_BOTTOM_LEFT || plot->legend == SV_LEGEND_BOTTOM_RIGHT;
    double bx = right ? map->ax + map->aw - inset - bw : map->ax + inset;
    double by = bottom ? map->ay + map->ah - inset - bh : map->ay + inset;

    cairo_set_dash(cr, NULL, 0, 0.0);
    cairo_rectangle(cr, bx, by, bw, bh);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
    cairo_set_line_width(cr, m->thin);
    cairo_stroke(cr);

    double ry = by + 0.35 * m->font + 0.5 * row_h;
    for (int pass = 0; pass < 2; pass++) {
        int n = pass == 0 ? plot->n_curves : plot->n_hlines;
        for (int i = 0; i < n; i++) {
            const char *label = pass == 0 ? plot->curves[i].label : plot->hlines[i].label;
            if (!label || !label[0])
                continue;
            uint32_t rgb = pass == 0 ? plot->curves[i].rgb : plot->hlines[i].rgb;
            sv_line_style style = pass == 0 ? plot->curves[i].style : plot->hlines[i].style;
            legend_sample(cr, bx + inner, ry, sample, rgb, style, m->line);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            view_text(cr, label, m->font, 0, bx + inner + sample + 0.6 * m->font, ry, -1, 0);
            ry += row_h;
        }
    }
    for (int i = 0; i < plot->n_bands; i++) {
        const plot_band *b = &plot->bands[i];
        if (!b->label || !b->label[0])
            continue;
        cairo_rectangle(cr, bx + inner, ry - 0.35 * m->font, sample, 0.7 * m->font);
        view_set_rgb(cr, b->rgb, b->opacity);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        view_text(cr, b->label, m->font, 0, bx + inner + sample + 0.6 * m->font, ry, -1, 0);
        ry += row_h;
    }
    return right && !bottom ? by + bh : map->ay;
}

/* The note (readout): one or more lines, top-right, below a legend there. */
static void draw_note(const sv_plot *plot, cairo_t *cr, const plot_layout *L, double top)
{
    const plot_mapping *map = &plot->map;
    const view_metrics *m = &L->m;
    if (!plot->note || !plot->note[0])
        return;
    double font = m->font;
    char line[256];
    int lines = 0;
    double width = 0.0;
    for (const char *p = plot->note; *p;) {
        size_t len = strcspn(p, "\n");
        size_t copy = len < sizeof line - 1 ? len : sizeof line - 1;
        memcpy(line, p, copy);
        line[copy] = '\0';
        width = fmax(width, view_text_width(cr, line, font, 0));
        lines++;
        p += len + (p[len] == '\n');
    }
    double inner = 0.5 * font, row_h = 1.3 * font;
    double bw = width + 2 * inner, bh = lines * row_h + 0.5 * font;
    double bx = map->ax + map->aw - 0.6 * m->pad - bw, by = top + 0.6 * m->pad;
    if (bw > 0.8 * map->aw || bh > 0.5 * map->ah || by + bh > map->ay + map->ah)
        return; /* a readout must not hide the plot (inline display) */
    cairo_rectangle(cr, bx, by, bw, bh);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.7);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    double ry = by + 0.25 * font + 0.5 * row_h;
    for (const char *p = plot->note; *p;) {
        size_t len = strcspn(p, "\n");
        size_t copy = len < sizeof line - 1 ? len : sizeof line - 1;
        memcpy(line, p, copy);
        line[copy] = '\0';
        view_text(cr, line, font, 0, bx + inner, ry, -1, 0);
        ry += row_h;
        p += len + (p[len] == '\n');
    }
}

void sv_plot_draw(sv_plot *plot, cairo_t *cr, double x, double y, double width, double height)
{
    if (!plot || !cr || !(width > 0.0) || !(height > 0.0) || !isfinite(width) || !isfinite(height))
        return;
    /* Curves added before an axis changed scale are re-transformed in place. */
    for (int i = 0; i < plot->n_curves; i++)
        if (plot->curves[i].x_scale != plot->x.scale || plot->curves[i].y_scale != plot->y.scale)
            transform_curve(&plot->curves[i], plot->x.scale, plot->y.scale);
    for (int i = 0; i < plot->n_bands; i++)
        if (plot->bands[i].x_scale != plot->x.scale || plot->bands[i].y_scale != plot->y.scale)
            transform_band(&plot->bands[i], plot->x.scale, plot->y.scale);

    plot_layout *L = plot->layout;
    cairo_save(cr);
    cairo_new_path(cr); /* a path left by the caller is not ours to stroke */
    cairo_rectangle(cr, x, y, width, height);
    cairo_clip(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    layout(plot, cr, x, y, width, height, L);
    draw_grid(cr, L, &plot->map);
    draw_data(plot, cr, L);
    draw_axes(plot, cr, L, x, y, width, height);
    if (L->show_ticks)
        draw_vline_labels(plot, cr, L);
    /* The note goes top-right, below the legend when that is there too. */
    double top = draw_legend(plot, cr, L);
    if (L->show_ticks)
        draw_note(plot, cr, L, top);
    cairo_restore(cr);
}
