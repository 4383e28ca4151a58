/* How much noise: a diffusion schedule at time t, or a plain sigma.
 * Shared by the GIMP 2.10 and GIMP 3 plug-ins (no GIMP API here).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef STG_TIDE_H
#define STG_TIDE_H

#include <glib.h>

#include "spectide.h"

/* The plug-ins' errors (GError domain). */
GQuark stg_error_quark(void);
#define STG_ERROR stg_error_quark()

/* A schedule and t, or a plain sigma (> 0 wins: a = 1, s = sigma). */
typedef struct {
    gint schedule; /* st_schedule */
    gdouble t;
    gdouble sigma;
    gdouble tau; /* SNR threshold of f_max */
} stg_tide;

/* a(t), s(t) of the tide. */
void stg_tide_coefficients(const stg_tide *tide, double *a, double *s);
/* tau * s^2 / a^2 (INFINITY where a = 0). */
double stg_tide_noise_floor(const stg_tide *tide);
/* "t=0.5" or "sigma=0.2", for layer names and legends. */
void stg_tide_describe(const stg_tide *tide, char *text, size_t size);
/* FALSE with a message naming the value for nonsense (schedule out of
 * range, t outside [0,1], sigma < 0, tau <= 0, NaN). */
gboolean stg_tide_validate(const stg_tide *tide, GError **error);
/* FALSE with a message where a(t) = 0 (x_t / a undefined). */
gboolean stg_tide_usable(const stg_tide *tide, GError **error);

#endif
