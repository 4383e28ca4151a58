/* Maximum detectable frequency: where the spectrum of x0 sinks under the
 * noise floor tau s^2 / a^2 (both seen at the x0 scale).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide.h"

#include <math.h>

double st_fmax_measured(const double *freq, const double *power, int n, double noise_floor)
{
    if (!freq || !power || isnan(noise_floor))
        return NAN;
    /* The largest, not the first: a bumpy spectrum may cross back above. */
    for (int i = n - 1; i >= 1; i--)
        if (power[i] > noise_floor)
            return freq[i];
    return 0.0;
}

double st_fmax_from_fit(const st_powerlaw *fit, double noise_floor)
{
    if (!fit || isnan(noise_floor) || !isfinite(fit->alpha) || !isfinite(fit->c))
        return NAN;
    if (noise_floor <= 0.0)
        return 0.5;
    if (isinf(noise_floor))
        return 0.0;
    if (fit->alpha <= 0.0) {
        /* A flat or rising line has no crossing from above: all or nothing. */
        return st_powerlaw_power(fit, 0.5) > noise_floor ? 0.5 : 0.0;
    }
    double f = pow(pow(10.0, fit->c) / noise_floor, 1.0 / fit->alpha);
    if (!(f >= 0.0))
        return 0.0;
    return f > 0.5 ? 0.5 : f;
}

void st_fmax_table(st_schedule schedule, double tau, const double *freq, const double *power, int n,
                   const st_powerlaw *fit, int steps, st_fmax_row *rows)
{
    if (!rows || steps < 2)
        return;
    for (int i = 0; i < steps; i++) {
        st_fmax_row *row = &rows[i];
        row->t = (double)i / (steps - 1);
        st_schedule_coefficients(schedule, row->t, &row->a, &row->s);
        double floor = st_noise_floor(schedule, row->t, tau);
        row->fmax = freq && power ? st_fmax_measured(freq, power, n, floor) : NAN;
        row->fmax_fit = fit ? st_fmax_from_fit(fit, floor) : NAN;
    }
}
