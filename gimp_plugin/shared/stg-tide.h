/* How much noise: a diffusion schedule at time t, or a plain sigma, as the
 * GIMP procedures take it; the level itself is core's
 * (st_tide_level_from_settings). Shared by the GIMP 2.10 and GIMP 3
 * plug-ins (no GIMP API here).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef STG_TIDE_H
#define STG_TIDE_H

#include <glib.h>

#include "spectide_tide.h"

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

/* The level of the settings. Where a(t) = 0 the level is everything under
 * water (noise_floor INFINITY): a plot shows that, the noisy image cannot
 * (stg_tide_usable). Settings stg_tide_validate refuses give NaNs. */
st_tide_level stg_tide_get_level(const stg_tide *tide);
/* "t=0.3" or "sigma=0.2", for layer names and legends. */
void stg_tide_describe(const stg_tide *tide, char *text, size_t size);
/* FALSE with a message naming the values for nonsense (core's check: an
 * unknown schedule, t outside [0,1], sigma < 0, tau <= 0, NaN). */
gboolean stg_tide_validate(const stg_tide *tide, GError **error);
/* FALSE with a message where a(t) = 0 (x_t / a undefined). */
gboolean stg_tide_usable(const stg_tide *tide, GError **error);

#endif
