/* Power-law fit log10 P = c - alpha log10 f on a log-log resampled curve.
 *
 * Rings are linearly spaced in f, so a plain fit over them would be ruled by
 * the high frequencies; resampling onto points evenly spaced in log10 f gives
 * each decade the same weight, as the reference blog post does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide.h"

#include <math.h>
#include <stdlib.h>

/* Linear interpolation of y(x) at x_query, x ascending, x[0] <= x_query <= x[n-1]. */
static double interpolate(const double *x, const double *y, int n, double x_query, int *cursor)
{
    int i = *cursor;
    while (i < n - 2 && x[i + 1] < x_query)
        i++;
    *cursor = i;
    double span = x[i + 1] - x[i];
    double weight = span > 0.0 ? (x_query - x[i]) / span : 0.0;
    if (weight < 0.0)
        weight = 0.0;
    if (weight > 1.0)
        weight = 1.0;
    return y[i] + weight * (y[i + 1] - y[i]);
}

/* Ordinary least squares of y on x over n points. */
static void least_squares(const double *x, const double *y, int n, st_powerlaw *fit)
{
    double mean_x = 0.0, mean_y = 0.0;
    for (int i = 0; i < n; i++) {
        mean_x += x[i];
        mean_y += y[i];
    }
    mean_x /= n;
    mean_y /= n;
    double sxx = 0.0, sxy = 0.0, syy = 0.0;
    for (int i = 0; i < n; i++) {
        sxx += (x[i] - mean_x) * (x[i] - mean_x);
        sxy += (x[i] - mean_x) * (y[i] - mean_y);
        syy += (y[i] - mean_y) * (y[i] - mean_y);
    }
    double slope = sxx > 0.0 ? sxy / sxx : 0.0;
    fit->alpha = -slope;
    fit->c = mean_y - slope * mean_x;
    double residual = 0.0;
    for (int i = 0; i < n; i++) {
        double e = y[i] - (fit->c + slope * x[i]);
        residual += e * e;
    }
    fit->r_squared = syy > 0.0 ? 1.0 - residual / syy : (residual == 0.0 ? 1.0 : 0.0);
}

size_t st_powerlaw_scratch_size(int n, int resample_points)
{
    int points = resample_points > 0 ? resample_points : n;
    if (points < 2)
        points = 2;
    return 2 * (size_t)(n > 0 ? n : 0) + 2 * (size_t)points;
}

/* The fit itself, on caller memory: log_f[n], log_p[n], then x, y[points].
 * `values_are_log10` says whether `values` is P or log10 P. */
static st_status fit_into(const double *freq, const double *values, int values_are_log10, int n,
                          double f_low, double f_high, int resample_points, double *scratch,
                          st_powerlaw *fit)
{
    if (!freq || !values || !fit || !scratch || n < 1 || resample_points < 0)
        return ST_ERROR_ARGUMENT;
    double *log_f = scratch, *log_p = scratch + n;
    /* The usable points: f > 0 (no DC), positive finite value, inside the range. */
    int used = 0;
    double first = 0.0, last = 0.0;
    for (int i = 0; i < n; i++) {
        double f = freq[i];
        double log_value =
            values_are_log10 ? values[i] : (values[i] > 0.0 ? log10(values[i]) : NAN);
        if (!(f > 0.0) || !isfinite(f) || !isfinite(log_value))
            continue;
        if ((f_low > 0.0 && f < f_low) || (f_high > 0.0 && f > f_high))
            continue;
        if (used > 0 && !(log10(f) > log_f[used - 1]))
            continue; /* frequencies must ascend */
        if (used == 0)
            first = f;
        last = f;
        log_f[used] = log10(f);
        log_p[used] = log_value;
        used++;
    }
    if (used < 2)
        return ST_ERROR_ARGUMENT;
    int points = resample_points > 0 ? resample_points : used;
    if (points < 2)
        points = 2;
    double *x = scratch + 2 * (size_t)n, *y = x + points;
    int cursor = 0;
    for (int i = 0; i < points; i++) {
        x[i] = log_f[0] + (log_f[used - 1] - log_f[0]) * i / (points - 1);
        y[i] = interpolate(log_f, log_p, used, x[i], &cursor);
    }
    least_squares(x, y, points, fit);
    fit->f_low = first;
    fit->f_high = last;
    fit->points = points;
    return ST_OK;
}

st_status st_powerlaw_fit_scratch(const double *freq, const double *power, int n, double f_low,
                                  double f_high, int resample_points, double *scratch,
                                  st_powerlaw *fit)
{
    return fit_into(freq, power, 0, n, f_low, f_high, resample_points, scratch, fit);
}

/* Allocates the scratch the fit needs, then fits. */
static st_status fit_allocating(const double *freq, const double *values, int values_are_log10,
                                int n, double f_low, double f_high, int resample_points,
                                st_powerlaw *fit)
{
    if (n < 1 || resample_points < 0)
        return ST_ERROR_ARGUMENT;
    double *scratch = malloc(st_powerlaw_scratch_size(n, resample_points) * sizeof *scratch);
    if (!scratch)
        return ST_ERROR_MEMORY;
    st_status status =
        fit_into(freq, values, values_are_log10, n, f_low, f_high, resample_points, scratch, fit);
    free(scratch);
    return status;
}

st_status st_powerlaw_fit_log10(const double *freq, const double *log10_power, int n, double f_low,
                                double f_high, int resample_points, st_powerlaw *fit)
{
    return fit_allocating(freq, log10_power, 1, n, f_low, f_high, resample_points, fit);
}

st_status st_powerlaw_fit(const double *freq, const double *power, int n, double f_low,
                          double f_high, int resample_points, st_powerlaw *fit)
{
    return fit_allocating(freq, power, 0, n, f_low, f_high, resample_points, fit);
}

double st_powerlaw_power(const st_powerlaw *fit, double freq)
{
    return pow(10.0, fit->c - fit->alpha * log10(freq));
}
