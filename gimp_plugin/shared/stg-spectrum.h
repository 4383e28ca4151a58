/* The analysis channel's RAPSD, its fit, f_max, the CSV export and the plot:
 * what "Radial Power Spectrum" shows and "Noise as Low-pass" starts from, in
 * both GIMP versions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef STG_SPECTRUM_H
#define STG_SPECTRUM_H

#include <cairo.h>

#include "spectide.h"
#include "spectide_view.h"
#include "stg-region.h"
#include "stg-tide.h"

typedef struct {
    gint ring_count;
    double *freq;
    double *power;
    st_powerlaw fit;
    gboolean fit_ok; /* tiny images have too few rings to fit */
} stg_spectrum;

gboolean stg_spectrum_compute(const stg_region *region, st_channel channel, stg_spectrum *spectrum,
                              GError **error);
void stg_spectrum_clear(stg_spectrum *spectrum);
/* Measured f_max for the tide (0 if no ring rises above the floor). */
double stg_spectrum_fmax(const stg_spectrum *spectrum, const stg_tide *tide);
/* "freq,power" CSV, one row per ring (as `spectide rapsd --csv`), written to
 * a temporary file then renamed: a failure never leaves half a file. */
gboolean stg_spectrum_write_csv(const stg_spectrum *spectrum, const char *filename, GError **error);

/* What plug-in-spectide-rapsd returns: alpha, c, R^2 of the fit (0 when
 * there are too few rings to fit) and f_max. */
void stg_spectrum_results(const stg_spectrum *spectrum, const stg_tide *tide, double results[4]);

/* "RAPSD of NAME (WxH)". */
void stg_spectrum_title(char *text, size_t size, const char *name, gint width, gint height);
/* The RAPSD, the fit, the noise floor (shaded water), the noisy image's
 * expected hinge S(f) + s^2/a^2 and the f_max marker, drawn into cr. */
void stg_spectrum_draw(const stg_spectrum *spectrum, const stg_tide *tide, const char *title,
                       cairo_t *cr, double width, double height);
/* The same plot as width*height R'G'B' u8 pixels (g_free them). */
guchar *stg_spectrum_render_rgb(const stg_spectrum *spectrum, const stg_tide *tide,
                                const char *title, gint width, gint height);

#define STG_PLOT_IMAGE_WIDTH  800
#define STG_PLOT_IMAGE_HEIGHT 600

#endif
