/* See stg-tide.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "stg-tide.h"

GQuark stg_error_quark(void)
{
    return g_quark_from_static_string("spectide-gimp-error");
}

static st_status level_of(const stg_tide *tide, st_tide_level *level)
{
    return st_tide_level_from_settings((st_schedule)tide->schedule, tide->t, tide->sigma, tide->tau,
                                       level);
}

st_tide_level stg_tide_get_level(const stg_tide *tide)
{
    st_tide_level level;
    level_of(tide, &level);
    return level;
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
    st_tide_level level;
    st_status status = level_of(tide, &level);
    if (status == ST_OK || status == ST_ERROR_NO_SIGNAL)
        return TRUE;
    g_set_error(error, STG_ERROR, 1, "%s (schedule %d, t = %g, sigma = %g, tau = %g)",
                level.problem, tide->schedule, tide->t, tide->sigma, tide->tau);
    return FALSE;
}

gboolean stg_tide_usable(const stg_tide *tide, GError **error)
{
    st_tide_level level;
    if (level_of(tide, &level) == ST_ERROR_NO_SIGNAL) {
        g_set_error(error, STG_ERROR, 1,
                    "a(t) = 0 at t = %g: x_t/a is undefined; choose a smaller t", tide->t);
        return FALSE;
    }
    return TRUE;
}
