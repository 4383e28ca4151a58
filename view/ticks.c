/* Sizes, text and axis ticks shared by the plot and matrix renderers.
 *
 * Tick labels are chosen in tiers from dense to sparse and the first tier
 * whose labels do not overlap wins, so an axis reads well from the Ardour
 * inline display up to a 1600 px figure without per-size special cases.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "view_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#ifdef ST_HAVE_FONTCONFIG
#include <fontconfig/fontconfig.h>
#endif

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

void view_metrics_init(view_metrics *m, double width, double height, double scale)
{
    if (!(scale > 0.0) || !isfinite(scale))
        scale = 1.0;
    double side = fmin(width, height);
    if (!isfinite(side) || side < 0.0)
        side = 0.0;
    m->base = clamp(side / 300.0, 0.25, 8.0) * scale;
    /* Below ~7 px text is unreadable; small drawings drop text instead. */
    m->font = fmax(7.0 * scale, 10.5 * m->base);
    m->title_font = m->font * 1.15;
    m->line = fmax(1.0 * scale, 1.4 * m->base);
    m->thin = fmax(0.6 * scale, 0.8 * m->base);
    m->tick_len = fmax(2.0 * scale, 4.5 * m->base);
    m->pad = fmax(2.0 * scale, 5.0 * m->base);
}

void view_set_rgb(cairo_t *cr, uint32_t rgb, double alpha)
{
    cairo_set_source_rgba(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                          (rgb & 0xff) / 255.0, alpha);
}

/* ------------------------------------------------------------------ */
/* Text                                                                */
/* ------------------------------------------------------------------ */

void view_set_font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, VIEW_FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double view_text_width(cairo_t *cr, const char *text, double size, int bold)
{
    if (!text || !*text)
        return 0.0;
    cairo_text_extents_t e;
    view_set_font(cr, size, bold);
    cairo_text_extents(cr, text, &e);
    return e.x_advance;
}

/* The height of digits and capitals relative to the font size (DejaVu Sans
 * and most sans-serif faces): used to centre text on a tick. */
#define CAP_HEIGHT 0.73

static double baseline_for(double y, double size, int ay)
{
    if (ay < 0)
        return y + CAP_HEIGHT * size;
    if (ay == 0)
        return y + 0.5 * CAP_HEIGHT * size;
    return y;
}

void view_text(cairo_t *cr, const char *text, double size, int bold, double x, double y, int ax,
               int ay)
{
    if (!text || !*text)
        return;
    double w = view_text_width(cr, text, size, bold);
    double left = ax < 0 ? x : (ax == 0 ? x - 0.5 * w : x - w);
    cairo_move_to(cr, left, baseline_for(y, size, ay));
    cairo_show_text(cr, text);
    cairo_new_path(cr);
}

void view_text_vertical(cairo_t *cr, const char *text, double size, int bold, double x, double y)
{
    if (!text || !*text)
        return;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -M_PI / 2.0);
    view_text(cr, text, size, bold, 0.0, 0.0, 0, 0);
    cairo_restore(cr);
}

#define SUP_SIZE  0.72 /* superscript size relative to the main text */
#define SUP_RAISE 0.45 /* superscript baseline above the main baseline */

double view_label_width(cairo_t *cr, const view_label *label, double size)
{
    return view_text_width(cr, label->main, size, 0) +
           view_text_width(cr, label->sup, size * SUP_SIZE, 0);
}

void view_label_draw(cairo_t *cr, const view_label *label, double size, double x, double y, int ax)
{
    double w = view_label_width(cr, label, size);
    double left = ax < 0 ? x : (ax == 0 ? x - 0.5 * w : x - w);
    double base = baseline_for(y, size, 0);
    if (label->sup[0])
        base += 0.5 * SUP_RAISE * size * 0.5; /* centre the pair, not the "10" */
    view_text(cr, label->main, size, 0, left, base, -1, 1);
    if (label->sup[0])
        view_text(cr, label->sup, size * SUP_SIZE, 0,
                  left + view_text_width(cr, label->main, size, 0), base - SUP_RAISE * size, -1, 1);
}

/* ------------------------------------------------------------------ */
/* Public tick helpers                                                 */
/* ------------------------------------------------------------------ */

/* A small tolerance in decades / steps so that 1e-3 computed as
 * 10^log10(1e-3) still counts as inside [1e-3, ...]. */
#define EPS 1e-9

int sv_ticks_log(double min, double max, double *out, int max_n)
{
    if (!(min > 0.0) || !(max >= min) || !isfinite(min) || !isfinite(max) || max_n <= 0)
        return 0;
    int k0 = (int)ceil(log10(min) - EPS);
    int k1 = (int)floor(log10(max) + EPS);
    int n = 0;
    for (int k = k0; k <= k1 && n < max_n; k++)
        out[n++] = pow(10.0, k);
    return n;
}

static double nice_step(double raw)
{
    double e = floor(log10(raw));
    double f = raw / pow(10.0, e);
    double m = f <= 1.0 + EPS ? 1.0 : (f <= 2.0 + EPS ? 2.0 : (f <= 5.0 + EPS ? 5.0 : 10.0));
    return m * pow(10.0, e);
}

/* The next larger 1-2-5 step. */
static double next_step(double step)
{
    double e = floor(log10(step) + EPS);
    double f = step / pow(10.0, e);
    if (f < 1.5)
        return 2.0 * pow(10.0, e);
    if (f < 3.5)
        return 5.0 * pow(10.0, e);
    return 10.0 * pow(10.0, e);
}

static int multiples(double min, double max, double step, double *out, int max_n)
{
    double i0 = ceil(min / step - EPS);
    double i1 = floor(max / step + EPS);
    int n = 0;
    for (double i = i0; i <= i1 && n < max_n; i += 1.0)
        out[n++] = i * step;
    return n;
}

int sv_ticks_nice(double min, double max, int target, double *out, int max_n)
{
    if (!isfinite(min) || !isfinite(max) || !(max > min) || max_n <= 0)
        return 0;
    if (target < 1)
        target = 1;
    double step = nice_step((max - min) / target);
    if (!(step > 0.0) || !isfinite(step))
        return 0;
    return multiples(min, max, step, out, max_n);
}

double view_axis_u(sv_axis_scale scale, double v)
{
    if (!isfinite(v))
        return NAN;
    if (scale == SV_AXIS_LOG)
        return v > 0.0 ? log10(v) : NAN;
    return v;
}

/* ------------------------------------------------------------------ */
/* Labels                                                              */
/* ------------------------------------------------------------------ */

/* Replaces a leading ASCII '-' by the typographic minus. */
static void set_text(char *dst, size_t size, const char *src)
{
    size_t n = 0;
    if (src[0] == '-' && size > sizeof VIEW_MINUS) {
        memcpy(dst, VIEW_MINUS, sizeof VIEW_MINUS - 1);
        n = sizeof VIEW_MINUS - 1;
        src++;
    }
    while (*src && n + 1 < size)
        dst[n++] = *src++;
    dst[n] = '\0';
}

static void format_hz(double v, view_label *label)
{
    char buf[32];
    if (fabs(v) >= 1000.0)
        snprintf(buf, sizeof buf, "%gk", v / 1000.0);
    else
        snprintf(buf, sizeof buf, "%g", v);
    set_text(label->main, sizeof label->main, buf);
    label->sup[0] = '\0';
}

static void format_linear(double v, double step, view_label *label)
{
    char buf[32];
    if (fabs(v) < 1e-9 * step)
        v = 0.0;
    double mag = fmax(fabs(v), step);
    if (mag >= 1e6 || step < 1e-4) {
        snprintf(buf, sizeof buf, "%.3g", v);
    } else {
        int decimals = (int)fmax(0.0, -floor(log10(step) + EPS));
        snprintf(buf, sizeof buf, "%.*f", decimals, v);
    }
    set_text(label->main, sizeof label->main, buf);
    label->sup[0] = '\0';
}

static void format_decade(int k, view_label *label)
{
    char buf[16];
    snprintf(label->main, sizeof label->main, "10");
    snprintf(buf, sizeof buf, "%d", k);
    set_text(label->sup, sizeof label->sup, buf);
}

/* ------------------------------------------------------------------ */
/* Axis ticks with non-overlapping labels                              */
/* ------------------------------------------------------------------ */

static int labels_fit(cairo_t *cr, const view_tick *t, int n, double u0, double u1, double pixels,
                      int horizontal, double font)
{
    double prev_end = -INFINITY;
    double gap = horizontal ? 0.8 * font : 0.35 * font;
    for (int i = 0; i < n; i++) {
        if (!t[i].labelled)
            continue;
        double p = (t[i].u - u0) / (u1 - u0) * pixels;
        double half = horizontal ? 0.5 * view_label_width(cr, &t[i].label, font) : 0.6 * font;
        if (p - half < prev_end + gap)
            return 0;
        prev_end = p + half;
    }
    return 1;
}

static int add_tick(view_tick *out, int n, int max_n, double value, double u, int major)
{
    if (n >= max_n)
        return n;
    out[n].value = value;
    out[n].u = u;
    out[n].major = major;
    out[n].labelled = 0;
    out[n].label.main[0] = out[n].label.sup[0] = '\0';
    return n + 1;
}

/* Log axis, Hz labels: 1-2-5 mantissas, then fewer. */
static int hz_log_ticks(cairo_t *cr, double lo, double hi, double pixels, int horizontal,
                        double font, view_tick *out, int max_n)
{
    static const int tiers[4][3] = {{1, 2, 5}, {1, 5, 0}, {1, 0, 0}, {1, 0, 0}};
    double u0 = log10(lo), u1 = log10(hi);
    int k0 = (int)floor(u0 - EPS), k1 = (int)ceil(u1 + EPS);
    int n = 0;
    for (int tier = 0; tier < 4; tier++) {
        n = 0;
        for (int k = k0; k <= k1; k++) {
            for (int m = 1; m <= 9; m++) {
                double v = m * pow(10.0, k);
                double u = log10(v);
                if (u < u0 - EPS || u > u1 + EPS)
                    continue;
                int labelled = 0;
                for (int j = 0; j < 3; j++)
                    labelled |= tiers[tier][j] == m;
                if (tier == 3 && ((k % 2) + 2) % 2 != 0)
                    labelled = 0; /* every second decade only */
                int before = n;
                n = add_tick(out, n, max_n, v, u, labelled);
                if (n > before && labelled) {
                    out[n - 1].labelled = 1;
                    format_hz(v, &out[n - 1].label);
                }
            }
        }
        if (labels_fit(cr, out, n, u0, u1, pixels, horizontal, font))
            break;
    }
    return n;
}

/* Log axis, 10^k labels; minor ticks at 2..9 when the decades are wide. */
static int decade_ticks(cairo_t *cr, double lo, double hi, double pixels, int horizontal,
                        double font, view_tick *out, int max_n)
{
    double u0 = log10(lo), u1 = log10(hi);
    int k0 = (int)floor(u0 - EPS), k1 = (int)ceil(u1 + EPS);
    double per_decade = pixels / (u1 - u0);
    int minor = per_decade >= 2.5 * font;
    int whole = 0; /* decades inside the range */
    for (int k = k0; k <= k1; k++)
        whole += (k >= u0 - EPS && k <= u1 + EPS);
    int n = 0;
    for (int stride = 1; stride <= 64; stride *= 2) {
        n = 0;
        for (int k = k0; k <= k1; k++) {
            for (int m = 1; m <= 9; m++) {
                double v = m * pow(10.0, k);
                double u = m == 1 ? (double)k : log10(v);
                if (u < u0 - EPS || u > u1 + EPS)
                    continue;
                if (m == 1) {
                    int on_stride = ((k % stride) + stride) % stride == 0;
                    if (!on_stride && k1 - k0 > max_n / 2)
                        continue; /* hundreds of decades: only the labelled ones */
                    n = add_tick(out, n, max_n, v, u, 1);
                    if (on_stride) {
                        out[n - 1].labelled = 1;
                        format_decade(k, &out[n - 1].label);
                    }
                } else if (whole < 2 && (m == 2 || m == 5)) {
                    /* Less than two decades in view: label 2 and 5 too. */
                    n = add_tick(out, n, max_n, v, u, 1);
                    out[n - 1].labelled = 1;
                    format_linear(v, pow(10.0, k), &out[n - 1].label);
                } else if (minor || whole < 2) {
                    n = add_tick(out, n, max_n, v, u, 0);
                }
            }
        }
        if (whole < 2) {
            /* Plain numbers on a short axis: write the decades plainly too. */
            for (int i = 0; i < n; i++)
                if (out[i].labelled && out[i].label.sup[0])
                    format_linear(out[i].value, out[i].value, &out[i].label);
            if (!labels_fit(cr, out, n, u0, u1, pixels, horizontal, font))
                for (int i = 0; i < n; i++) /* keep 1 and 5 only, then decades */
                    if (out[i].labelled && fabs(out[i].u - round(out[i].u)) > EPS &&
                        fabs(out[i].u - round(out[i].u) - log10(5.0)) > 1e-6)
                        out[i].labelled = 0;
            break;
        }
        if (labels_fit(cr, out, n, u0, u1, pixels, horizontal, font))
            break;
    }
    return n;
}

static int linear_ticks(cairo_t *cr, int hz_labels, double lo, double hi, double pixels,
                        int horizontal, double font, view_tick *out, int max_n)
{
    double spacing = horizontal ? 4.0 * font : 2.2 * font;
    int target = (int)fmax(1.0, pixels / spacing);
    double step = nice_step((hi - lo) / target);
    int n = 0;
    for (int attempt = 0; attempt < 12 && step > 0.0 && isfinite(step); attempt++) {
        double values[VIEW_MAX_TICKS];
        int nv = multiples(lo, hi, step, values, VIEW_MAX_TICKS);
        n = 0;
        for (int i = 0; i < nv; i++) {
            n = add_tick(out, n, max_n, values[i], values[i], 1);
            out[n - 1].labelled = 1;
            if (hz_labels)
                format_hz(fabs(values[i]) < 1e-9 * step ? 0.0 : values[i], &out[n - 1].label);
            else
                format_linear(values[i], step, &out[n - 1].label);
        }
        if (nv < VIEW_MAX_TICKS && labels_fit(cr, out, n, lo, hi, pixels, horizontal, font))
            break;
        step = next_step(step);
    }
    /* Minor ticks: 5 per step (4 when the step is a 2), if they are not too dense. */
    double e = floor(log10(step) + EPS);
    double mantissa = step / pow(10.0, e);
    double minor_step = step / (fabs(mantissa - 2.0) < 0.1 ? 4.0 : 5.0);
    if (minor_step / (hi - lo) * pixels >= 0.45 * font) {
        double values[VIEW_MAX_TICKS];
        int nv = multiples(lo, hi, minor_step, values, VIEW_MAX_TICKS);
        for (int i = 0; i < nv; i++) {
            double r = values[i] / step;
            if (fabs(r - round(r)) > 1e-6)
                n = add_tick(out, n, max_n, values[i], values[i], 0);
        }
    }
    return n;
}

int view_axis_ticks(cairo_t *cr, sv_axis_scale scale, int hz_labels, double lo, double hi,
                    double pixels, int horizontal, double font, view_tick *out, int max_n)
{
    if (!isfinite(lo) || !isfinite(hi) || !(hi > lo) || !(pixels > 0.0))
        return 0;
    if (scale == SV_AXIS_LOG) {
        if (!(lo > 0.0))
            return 0;
        if (hz_labels)
            return hz_log_ticks(cr, lo, hi, pixels, horizontal, font, out, max_n);
        return decade_ticks(cr, lo, hi, pixels, horizontal, font, out, max_n);
    }
    return linear_ticks(cr, hz_labels, lo, hi, pixels, horizontal, font, out, max_n);
}

double view_ticks_max_width(cairo_t *cr, const view_tick *ticks, int n, double font)
{
    double w = 0.0;
    for (int i = 0; i < n; i++)
        if (ticks[i].labelled)
            w = fmax(w, view_label_width(cr, &ticks[i].label, font));
    return w;
}

void view_draw_ticks(cairo_t *cr, const view_tick *ticks, int n, char side, double x0, double y0,
                     double w, double h, double u0, double u1, const view_metrics *m, int labels)
{
    if (!(u1 != u0))
        return;
    cairo_set_line_width(cr, m->thin);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_dash(cr, NULL, 0, 0.0);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    for (int i = 0; i < n; i++) {
        double f = (ticks[i].u - u0) / (u1 - u0);
        if (f < -EPS || f > 1.0 + EPS)
            continue;
        double len = ticks[i].major ? m->tick_len : 0.6 * m->tick_len;
        if (side == 'b') {
            double px = x0 + f * w;
            cairo_move_to(cr, px, y0 + h);
            cairo_line_to(cr, px, y0 + h + len);
        } else {
            double py = y0 + h - f * h;
            double ex = side == 'l' ? x0 : x0 + w;
            cairo_move_to(cr, ex, py);
            cairo_line_to(cr, side == 'l' ? ex - len : ex + len, py);
        }
    }
    cairo_stroke(cr);
    if (!labels)
        return;
    for (int i = 0; i < n; i++) {
        double f = (ticks[i].u - u0) / (u1 - u0);
        if (!ticks[i].labelled || f < -EPS || f > 1.0 + EPS)
            continue;
        if (side == 'b')
            view_label_draw(cr, &ticks[i].label, m->font, x0 + f * w,
                            y0 + h + m->tick_len + 0.35 * m->pad + 0.6 * m->font, 0);
        else if (side == 'l')
            view_label_draw(cr, &ticks[i].label, m->font, x0 - m->tick_len - 0.5 * m->pad,
                            y0 + h - f * h, 1);
        else
            view_label_draw(cr, &ticks[i].label, m->font, x0 + w + m->tick_len + 0.5 * m->pad,
                            y0 + h - f * h, -1);
    }
}

void sv_release_caches(void)
{
    cairo_debug_reset_static_data();
#ifdef ST_HAVE_FONTCONFIG
    FcFini();
#endif
}
