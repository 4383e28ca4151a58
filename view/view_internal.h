/* Shared by the renderers of view/: sizes, text, ticks and axes.
 * Not installed, not part of the API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_VIEW_INTERNAL_H
#define SPECTIDE_VIEW_INTERNAL_H

#include "spectide_view.h"

#define VIEW_MAX_TICKS 160
#define VIEW_FONT      "sans-serif"
#define VIEW_MINUS     "\xe2\x88\x92" /* U+2212, the typographic minus sign */

/* Everything that scales with the size of the drawing. */
typedef struct {
    double base;       /* min(w, h) / 300 times the HiDPI scale, clamped */
    double font;       /* tick labels, legend */
    double title_font; /* plot title and axis titles */
    double line;       /* curves */
    double thin;       /* frame, ticks */
    double tick_len;   /* major tick length; minor ticks are 60% of it */
    double pad;        /* generic spacing */
} view_metrics;

void view_metrics_init(view_metrics *m, double width, double height, double scale);

/* A tick label: `main` then, optionally, `sup` as a superscript (10^-2). */
typedef struct {
    char main[32];
    char sup[16];
} view_label;

typedef struct {
    double value; /* data value */
    double u;     /* axis coordinate: log10(value) on log axes, else value */
    int major;
    int labelled;
    view_label label;
} view_tick;

/* Text through the cairo toy API. ax: -1 left, 0 centre, 1 right of x;
 * ay: -1 top, 0 centre (of the digits), 1 baseline at y. */
void view_set_font(cairo_t *cr, double size, int bold);
double view_text_width(cairo_t *cr, const char *text, double size, int bold);
void view_text(cairo_t *cr, const char *text, double size, int bold, double x, double y, int ax,
               int ay);
/* Text rotated by -90 degrees (reads bottom to top), centred on (x, y). */
void view_text_vertical(cairo_t *cr, const char *text, double size, int bold, double x, double y);
double view_label_width(cairo_t *cr, const view_label *label, double size);
void view_label_draw(cairo_t *cr, const view_label *label, double size, double x, double y, int ax);

/* Ticks of an axis [lo, hi] (data values, lo < hi, both > 0 on log axes)
 * `pixels` long; labels chosen so that they do not overlap. horizontal: the
 * labels sit side by side (x axis), else stacked (y axis). */
int view_axis_ticks(cairo_t *cr, sv_axis_scale scale, int hz_labels, double lo, double hi,
                    double pixels, int horizontal, double font, view_tick *out, int max_n);
/* Widest label among the labelled ticks. */
double view_ticks_max_width(cairo_t *cr, const view_tick *ticks, int n, double font);

/* Axis coordinate of a data value (log10 on log axes); NaN if unmappable. */
double view_axis_u(sv_axis_scale scale, double v);

/* Draws ticks and labels on one side of the area (x0, y0, w, h), where axis
 * coordinate u0 maps to the left/bottom edge and u1 to the right/top edge.
 * side: 'b' bottom, 'l' left, 'r' right. */
void view_draw_ticks(cairo_t *cr, const view_tick *ticks, int n, char side, double x0, double y0,
                     double w, double h, double u0, double u1, const view_metrics *m, int labels);

void view_set_rgb(cairo_t *cr, uint32_t rgb, double alpha);

int view_colormap_anchors(int diverging_map);

#endif /* SPECTIDE_VIEW_INTERNAL_H */
