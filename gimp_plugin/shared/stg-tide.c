/* See stg-tide.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "stg-tide.h"

#include <math.h>

GQuark stg_error_quark(void)
{
    return g_quark_from_static_string("spectide-gimp-error");
}

void stg_tide_coefficients(const stg_tide *tide, double *a, double *s)
{
    if (tide->sigma > 0.0) {
        *a = 1.0;
        *s = tide->sigma;
        return;
    }
    st_schedule_coefficients((st_schedule)tide->schedule, tide->t, a, s);
}

double stg_tide_noise_floor(const stg_tide *tide)
{
    double a, s;
    stg_tide_coefficients(tide, &a, &s);
    if (!(a > 0.0))
        return INFINITY;
    return tide->tau * s * s / (a * a);
}

void stg_tide_describe(const stg_tide *tide, char *text, size_t size)
{
    if (tide->sigma > 0.0)
        g_snprintf(text, size, "sigma=%.3g", tide->sigma);
    else
        g_snprintf(text, size, "t=%.3g", tide->t);
}

gboolean stg_tide_validate(const stg_tide *tide, GError **error)
{
    if (tide->schedule < 0 || tide->schedule >= ST_SCHEDULE_COUNT) {
        g_set_error(error, STG_ERROR, 1, "schedule %d is not one of 0..%d", tide->schedule,
                    ST_SCHEDULE_COUNT - 1);
        return FALSE;
    }
    if (!isfinite(tide->t) || tide->t < 0.0 || tide->t > 1.0) {
        g_set_error(error, STG_ERROR, 1, "t = %g is outside [0, 1]", tide->t);
        return FALSE;
    }
    if (!isfinite(tide->sigma) || tide->sigma < 0.0) {
        g_set_error(error, STG_ERROR, 1, "sigma = %g must be >= 0 (0: use the schedule)",
                    tide->sigma);
        return FALSE;
    }
    if (!isfinite(tide->tau) || tide->tau <= 0.0) {
        g_set_error(error, STG_ERROR, 1, "tau = %g must be > 0", tide->tau);
        return FALSE;
    }
    return TRUE;
}

gboolean stg_tide_usable(const stg_tide *tide, GError **error)
{
    double a, s;
    stg_tide_coefficients(tide, &a, &s);
    if (!(a > 0.0)) {
        g_set_error(error, STG_ERROR, 1,
                    "a(t) = 0 at t = %g: x_t/a is undefined; choose a smaller t", tide->t);
        return FALSE;
    }
    return TRUE;
}
