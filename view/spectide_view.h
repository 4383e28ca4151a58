/* spectide view (prefix sv_): cairo renderers. They draw numbers computed by core/ into
 * any cairo_t (PNG/SVG surfaces in the CLI, the X11 UI, the Ardour inline
 * display, the GIMP dialog) and never compute a spectrum themselves.
 *
 * Sizes scale with the drawing area: a plot is readable from 160x80 (inline
 * display) through 400x300 up to 1600x1200.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_VIEW_H
#define SPECTIDE_VIEW_H

#include <cairo.h>
#include <stddef.h>
#include <stdint.h>

#include "spectide_tide.h" /* st_powerlaw, st_tide_level: what view/ draws */

#ifdef __cplusplus
extern "C" {
#endif

/* Colours as 0xRRGGBB; a palette every front uses so curves mean the same. */
#define SV_COLOR_SIGNAL  0x1f77b4 /* image RAPSD / audio spectrum */
#define SV_COLOR_FIT     0x111111 /* power-law fit, dotted */
#define SV_COLOR_NOISE   0xd62728 /* noise level / water line */
#define SV_COLOR_NOISY   0xff7f0e /* RAPSD of the noisy image: the hinge */
#define SV_COLOR_LOWPASS 0x2ca02c /* low-passed RAPSD */
#define SV_COLOR_FMAX    0x9467bd /* f_max marker */
#define SV_COLOR_WATER   0x3d8fd1 /* shading under the tide */
#define SV_COLOR_PEAK    0x8c8c8c /* peak hold */

/* SV_LINE_BARS: one filled bar per point, from y = 0 (linear/dB axes; the
 * bottom edge on log axes) to the value; for short vectors such as MFCCs. */
typedef enum { SV_LINE_SOLID = 0, SV_LINE_DOTTED, SV_LINE_DASHED, SV_LINE_BARS } sv_line_style;

typedef enum {
    SV_AXIS_LOG = 0, /* log10 axis, decade ticks labelled 10^k (or Hz: 100, 1k, 10k) */
    SV_AXIS_LINEAR,  /* linear axis with "nice" ticks */
    SV_AXIS_DB       /* values are already dB; linear axis labelled "dB" */
} sv_axis_scale;

/* ------------------------------------------------------------------ */
/* Line plot                                                           */
/* ------------------------------------------------------------------ */

typedef struct sv_plot sv_plot;

sv_plot *sv_plot_new(void);
void sv_plot_set_title(sv_plot *plot, const char *title);
/* min >= max means: fit the data (positive data only on log axes).
 * hz_labels: label ticks as 20, 100, 1k, 10k instead of 10^k. */
void sv_plot_set_x_axis(sv_plot *plot, const char *title, sv_axis_scale scale, double min,
                        double max, int hz_labels);
void sv_plot_set_y_axis(sv_plot *plot, const char *title, sv_axis_scale scale, double min,
                        double max);
/* Copies the data; non-finite and (on log axes) non-positive points are
 * gaps. label NULL: not in the legend. Returns the curve index. */
int sv_plot_add_curve(sv_plot *plot, const double *x, const double *y, int n, const char *label,
                      uint32_t rgb, sv_line_style style);
/* A filled band between low[i] and high[i] at x[i] (a confidence band, a
 * spread), drawn under every curve in `rgb` at `opacity` (0..1). Copies the
 * data; a point with a non-finite (on log axes: non-positive) x, low or
 * high is a gap. The band counts for autoscale; label NULL: not in the
 * legend, else a filled square there. Returns the band index or -1. */
int sv_plot_add_band(sv_plot *plot, const double *x, const double *low, const double *high, int n,
                     const char *label, uint32_t rgb, double opacity);
/* The power-law fit P = 10^(c - alpha log10 f) (st_powerlaw_power) as a
 * dotted line in `rgb`: over the fitted range [f_low, f_high] when freq is
 * NULL (n 0; two points, a straight line on log-log axes: the command
 * line's plots), else at freq[0 .. n-1] (f <= 0 a gap: the GIMP dialog and
 * the LV2 UI draw it on the rings). Returns the curve index, or -1. */
int sv_plot_add_powerlaw(sv_plot *plot, const st_powerlaw *fit, const double *freq, int n,
                         const char *label, uint32_t rgb);
/* "fit: alpha = 2.13": the usual legend label of a fit line. */
void sv_powerlaw_label(const st_powerlaw *fit, char *text, size_t size);
/* A horizontal line across the plot; its label goes in the legend. */
void sv_plot_add_hline(sv_plot *plot, double y, const char *label, uint32_t rgb,
                       sv_line_style style);
/* A vertical marker; its label ("f_max = 0.083") is written beside the
 * line near the bottom of the plot area (the top if the legend is at the
 * bottom), not in the legend. */
void sv_plot_add_vline(sv_plot *plot, double x, const char *label, uint32_t rgb,
                       sv_line_style style);
/* Shades, in SV_COLOR_WATER, the area between `level` and curve `curve`
 * wherever the curve lies below the level: the bins under water. */
void sv_plot_shade_below(sv_plot *plot, int curve, double level);
/* A text block drawn in the top-right corner of the plot area (readouts);
 * '\n' separates lines. Left out when it would cover half the plot. */
void sv_plot_set_note(sv_plot *plot, const char *note);
/* Removes curves, bands, lines, shading and note; keeps axes and title. */
void sv_plot_clear(sv_plot *plot);
/* Draws into the rectangle (x, y, width, height) of `cr`, background included.
 * Not const: the plot remembers this draw's mapping for sv_plot_pixel_to_data.
 * Titles, legend and tick labels are dropped gracefully when the rectangle is
 * too small (Ardour inline display). view/ allocates nothing here (cairo
 * may); curves were transformed (log10) when added. Coordinates are cairo
 * user units of `cr`, and so are those of the mapping functions below. */
void sv_plot_draw(sv_plot *plot, cairo_t *cr, double x, double y, double width, double height);
/* The data -> pixel mapping of the last draw (for mouse readouts); returns 0
 * if the point is outside the plot area (the outputs are still set), or if
 * the plot was never drawn (outputs untouched). */
int sv_plot_pixel_to_data(const sv_plot *plot, double px, double py, double *data_x,
                          double *data_y);
/* The inverse: data -> pixel of the last draw; returns 0 if never drawn or if
 * the value cannot be mapped (non-positive on a log axis). */
int sv_plot_data_to_pixel(const sv_plot *plot, double data_x, double data_y, double *px,
                          double *py);
/* The plot area (inside the axes) of the last draw, in cairo user units;
 * returns 0 if never drawn. */
int sv_plot_get_area(const sv_plot *plot, double *x, double *y, double *width, double *height);
/* The axis ranges actually used by the last draw (after autoscale). */
int sv_plot_get_range(const sv_plot *plot, double *x_min, double *x_max, double *y_min,
                      double *y_max);

typedef enum {
    SV_LEGEND_TOP_RIGHT = 0, /* default */
    SV_LEGEND_TOP_LEFT,
    SV_LEGEND_BOTTOM_LEFT,
    SV_LEGEND_BOTTOM_RIGHT,
    SV_LEGEND_NONE
} sv_legend_pos;
/* Where the legend box goes inside the plot area. The note (readout) takes
 * the top-right corner; with the legend there too, the note goes below it. */
void sv_plot_set_legend(sv_plot *plot, sv_legend_pos pos);
/* Multiplies fonts and line widths (HiDPI scale factor, default 1). */
void sv_plot_set_scale(sv_plot *plot, double scale);
/* fast = 1: curves and water drawn with cairo's fast anti-aliasing, about
 * half the cost (a live view's low-CPU mode); default 0: best quality. */
void sv_plot_set_fast(sv_plot *plot, int fast);
void sv_plot_free(sv_plot *plot);

/* ------------------------------------------------------------------ */
/* The tide plot: an image's RAPSD under the noise of a tide level      */
/* ------------------------------------------------------------------ */

/* What every tide plot shows: the clean image's RAPSD ("image RAPSD") with
 * its power-law fit, the tide level's noise floor tau s^2/a^2, and f_max. */
typedef struct {
    const char *title;
    const double *freq;  /* ring frequencies, cycles/pixel, DC first */
    const double *power; /* the clean image's RAPSD */
    int rings;
    const st_powerlaw *fit; /* NULL: too few rings to fit */
    const st_tide_level *level;
    double fmax; /* measured f_max (0: no ring above the floor) */
} sv_tide_spectrum;

/* After the noise was drawn and the image filtered (`spectide tide`): the
 * measured RAPSDs of x_t / a (the hinge) and of the image low-passed at
 * f_max, on the same rings, the fit over its range, the floor and f_max;
 * the power axis keeps to the image's range (the ideal cut leaves ~1e-14
 * above f_max), legend bottom left. Fills `plot` (cleared first); the
 * caller draws it. */
void sv_tide_plot_measured(sv_plot *plot, const sv_tide_spectrum *tide, const double *noisy_power,
                           const double *lowpass_power);
/* Before any noise (the GIMP dialog): the RAPSD x_t / a has in expectation,
 * the clean RAPSD plus the flat noise power s^2/a^2 (labelled "noisy x_t/a
 * LEVEL_TEXT"), the fit on the rings, the floor with the water shaded
 * under it, f_max, and a readout of alpha, R^2 and f_max. Where the level
 * leaves no floor (a = 0, or no noise) only the spectrum, fit and readout. */
void sv_tide_plot_expected(sv_plot *plot, const sv_tide_spectrum *tide, const char *level_text);

/* ------------------------------------------------------------------ */
/* Colour map and images of matrices (spectrogram, MFCC)                */
/* ------------------------------------------------------------------ */

/* Perceptual map (magma-like), v in [0,1] clamped -> 0..1 RGB; lightness
 * increases monotonically with v. NaN maps to v = 0. */
void sv_colormap(double v, double *r, double *g, double *b);
/* Diverging map: v = 0 blue, 0.5 near white, 1 red (MFCC: 0.5 is zero). */
void sv_colormap_diverging(double v, double *r, double *g, double *b);

/* Tick generation (shared by the plot and the matrix axes).
 * Log: the powers of ten within [min, max] (min > 0), at most max_n of them.
 * Nice: multiples of a 1-2-5 step within [min, max], about `target` of them.
 * Both return the number of ticks written to out. */
int sv_ticks_log(double min, double max, double *out, int max_n);
int sv_ticks_nice(double min, double max, int target, double *out, int max_n);

typedef struct {
    const char *title;
    const char *x_title; /* e.g. "time (s)" */
    const char *y_title; /* e.g. "mel band" */
    const char *unit;    /* colour-bar unit, e.g. "dB" */
    double x_min, x_max; /* left edge of column 0 .. right edge of the last */
    double y_min, y_max; /* bottom edge of row 0 .. top edge of the last row */
    double value_min;    /* colour range */
    double value_max;
    int diverging; /* 1: blue-white-red map centred on 0 (MFCC) */
} sv_matrix_style;

/* values[col * rows + row]; row 0 at the bottom. Draws axes and a colour bar.
 * Non-finite values are drawn in neutral grey (missing). value_min >=
 * value_max: the range of the finite values (symmetric around 0 if diverging). */
void sv_matrix_draw(cairo_t *cr, double x, double y, double width, double height,
                    const float *values, int rows, int cols, const sv_matrix_style *style);
/* Where sv_matrix_draw puts the image of the matrix inside (x, y, width,
 * height) for this style (same layout rules): for mouse readouts, pixel px
 * maps to x_min + (px - *image_x) / *image_width * (x_max - x_min), and
 * y from the bottom edge. */
void sv_matrix_image_rect(double x, double y, double width, double height,
                          const sv_matrix_style *style, double *image_x, double *image_y,
                          double *image_width, double *image_height);

/* Frees cairo's and fontconfig's process-wide font caches, so that leak
 * checkers (ASan) see a clean exit. Call it only at the very end of a
 * program that no longer draws text anywhere (tests, the command line);
 * never in a plug-in, whose host owns those libraries. */
void sv_release_caches(void);

#ifdef __cplusplus
}
#endif

#endif /* SPECTIDE_VIEW_H */
