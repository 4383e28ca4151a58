/* Shared host glue of the spectide GIMP plug-in: pixels in and out through
 * GEGL buffers, the analysis every procedure starts from, the tide controls
 * and the plot. The procedures live in rapsd-procedure.c and
 * noise-lowpass-procedure.c, one per file as in GIMP's own plug-ins.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_GIMP_H
#define SPECTIDE_GIMP_H

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include "spectide.h"
#include "spectide_view.h"
#include "tide-cache.h"

#define PLUG_IN_BINARY "spectide"
#define PLUG_IN_ROLE   "spectide"
#define RAPSD_PROC     "plug-in-spectide-rapsd"
#define NOISE_PROC     "plug-in-spectide-noise-lowpass"
#define PLUG_IN_AUTHOR "spectide authors"
#define PLUG_IN_YEAR   "2026"

/* How much noise: a schedule and t, or a plain sigma (> 0 wins). */
typedef struct {
    gint schedule; /* st_schedule */
    gdouble t;
    gdouble sigma;
    gdouble tau;
} TideParams;

/* a(t), s(t) of the tide; a plain sigma means a = 1, s = sigma. */
void tide_coefficients(const TideParams *tide, double *a, double *s);
/* tau * s^2 / a^2 (INFINITY where a = 0). */
double tide_noise_floor(const TideParams *tide);
/* "t=0.50" or "sigma=0.200", for layer names and the legend. */
void tide_describe(const TideParams *tide, char *text, size_t size);
/* Clamps to valid ranges and returns FALSE (with a message) on nonsense. */
gboolean tide_validate(TideParams *tide, GError **error);

/* The pixels of a drawable's selection bounds as float values in [0,1]
 * (R'G'B'(A) or Y'(A): the non-linear values a PNG stores). */
typedef struct {
    gint32 drawable_id;
    gint x, y, width, height;     /* bounds, drawable coordinates */
    gint full_width, full_height; /* the whole drawable */
    gint components;              /* 1 Y', 2 Y'A, 3 R'G'B', 4 R'G'B'A */
    gint colors;                  /* 1 or 3 */
    gboolean has_alpha;
    float *pixels; /* width*height*components */
} RegionPixels;

GQuark spectide_error_quark(void);
/* FALSE with a message naming the problem for drawables the plug-in refuses
 * (indexed: convert to RGB first). */
gboolean region_check_drawable(gint32 drawable_id, GError **error);
gboolean region_read(gint32 drawable_id, RegionPixels *region, GError **error);
void region_clear(RegionPixels *region);
const Babl *region_float_format(gint components);
const Babl *region_u8_format(gint components);
/* Plane of colour channel `color` mapped to [-1,1]: x = 2v - 1. */
void region_color_plane(const RegionPixels *region, gint color, float *x);

/* The analysis channel's RAPSD with its power-law fit. */
typedef struct {
    gint ring_count;
    double *freq;
    double *power;
    st_powerlaw fit;
    gboolean fit_ok;
} Spectrum;

gboolean spectrum_compute(const RegionPixels *region, st_channel channel, Spectrum *spectrum,
                          GError **error);
void spectrum_clear(Spectrum *spectrum);
/* Measured f_max for the tide (0 if no ring rises above the floor). */
double spectrum_fmax(const Spectrum *spectrum, const TideParams *tide);
/* "freq,power" CSV, one row per ring (as `spectide rapsd --csv`), written to
 * a temporary file then renamed so a failure never leaves half a file. */
gboolean spectrum_write_csv(const Spectrum *spectrum, const char *filename, GError **error);

/* Fills `plot` with the RAPSD, the fit, the noise floor (shaded water), the
 * noisy image's expected hinge S(f) + s^2/a^2 and the f_max marker. */
void spectrum_fill_plot(const Spectrum *spectrum, const TideParams *tide, sv_plot *plot,
                        const char *title);
/* Renders the plot into a new RGB image with one layer; returns its id. */
gint32 spectrum_plot_image(const Spectrum *spectrum, const TideParams *tide, const char *title,
                           gint width, gint height);

/* A new layer with the bounds' size and position holding colour planes
 * (x in [-1,1], mapped back to v = (x+1)/2) and the source's alpha. Float
 * images keep values outside [0,1]; integer precisions clamp on write. */
gint32 layer_from_planes(gint32 image_id, gint32 parent_id, const RegionPixels *region,
                         const char *name, float *const *planes);

/* Combo boxes shared by both dialogs. */
GtkWidget *schedule_combo_new(gint active);
GtkWidget *channel_combo_new(gint active);

/* Procedures (query: registration; run: both modes). */
void rapsd_query(void);
void rapsd_run(gint nparams, const GimpParam *param, gint *nreturn_vals, GimpParam **return_vals);
void noise_lowpass_query(void);
void noise_lowpass_run(gint nparams, const GimpParam *param, gint *nreturn_vals,
                       GimpParam **return_vals);

/* Fills values[0..1] with an execution error carrying the message. */
void set_error_return(GimpParam *values, gint *nreturn_vals, const char *message);

#endif
