/* The tide level and the table of tide views (see spectide_tide.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_tide.h"

#include <math.h>
#include <string.h>

/* A refused level: every number NaN, and why. */
static st_status refuse(st_tide_level *level, st_status status, const char *problem)
{
    *level = (st_tide_level){NAN, NAN, NAN, NAN, NAN, NAN, NAN, problem};
    return status;
}

/* The checks every form shares; NULL when the argument is fine. */
static st_status check_t(double t, const char **problem)
{
    if (isnan(t)) {
        *problem = "t is not a number";
        return ST_ERROR_NOT_FINITE;
    }
    if (!(t >= 0.0 && t <= 1.0)) {
        *problem = "t must be in [0, 1]";
        return ST_ERROR_ARGUMENT;
    }
    return ST_OK;
}

static st_status check_tau(double tau, const char **problem)
{
    if (isnan(tau)) {
        *problem = "tau is not a number";
        return ST_ERROR_NOT_FINITE;
    }
    if (!(tau > 0.0 && isfinite(tau))) {
        *problem = "tau must be positive and finite";
        return ST_ERROR_ARGUMENT;
    }
    return ST_OK;
}

static st_status check_sigma(double sigma, const char **problem)
{
    if (!isfinite(sigma)) {
        *problem = "sigma is not a finite number";
        return ST_ERROR_NOT_FINITE;
    }
    if (sigma < 0.0) {
        *problem = "sigma must be >= 0";
        return ST_ERROR_ARGUMENT;
    }
    return ST_OK;
}

static st_status check_schedule(st_schedule schedule, const char **problem)
{
    if (!st_schedule_name(schedule)) {
        *problem = "unknown schedule";
        return ST_ERROR_ARGUMENT;
    }
    return ST_OK;
}

/* The level of x_t = a x0 + s eps, a and s already valid. The floor is
 * tau times the noise power, (s s) / (a a): the formula every front used
 * (for tau = 1 and any power of two bit for bit). */
static st_status fill(double a, double s, double tau, st_tide_level *level)
{
    if (a == 0.0) {
        *level = (st_tide_level){.a = a,
                                 .s = s,
                                 .sigma = INFINITY,
                                 .sigma_db = INFINITY,
                                 .noise_power = INFINITY,
                                 .tau = tau,
                                 .noise_floor = INFINITY,
                                 .problem = "nothing of the image or signal is left (a = 0)"};
        return ST_ERROR_NO_SIGNAL;
    }
    double sigma = s / a, noise_power = (s * s) / (a * a);
    *level = (st_tide_level){.a = a,
                             .s = s,
                             .sigma = sigma,
                             .sigma_db = 20.0 * log10(sigma),
                             .noise_power = noise_power,
                             .tau = tau,
                             .noise_floor = tau * noise_power,
                             .problem = NULL};
    return ST_OK;
}

st_status st_tide_level_from_schedule(st_schedule schedule, double t, double tau,
                                      st_tide_level *level)
{
    if (!level)
        return ST_ERROR_ARGUMENT;
    const char *problem = NULL;
    st_status status = check_schedule(schedule, &problem);
    if (status == ST_OK)
        status = check_t(t, &problem);
    if (status == ST_OK)
        status = check_tau(tau, &problem);
    if (status != ST_OK)
        return refuse(level, status, problem);
    double a, s;
    st_schedule_coefficients(schedule, t, &a, &s);
    return fill(a, s, tau, level);
}

st_status st_tide_level_from_sigma(double sigma, double tau, st_tide_level *level)
{
    if (!level)
        return ST_ERROR_ARGUMENT;
    const char *problem = NULL;
    st_status status = check_sigma(sigma, &problem);
    if (status == ST_OK)
        status = check_tau(tau, &problem);
    if (status != ST_OK)
        return refuse(level, status, problem);
    return fill(1.0, sigma, tau, level);
}

st_status st_tide_level_from_sigma_db(double sigma_db, double tau, st_tide_level *level)
{
    if (!level)
        return ST_ERROR_ARGUMENT;
    const char *problem = NULL;
    st_status status = ST_OK;
    if (isnan(sigma_db) || sigma_db == INFINITY) {
        problem = "the noise level in dB is not a number";
        status = ST_ERROR_NOT_FINITE;
    }
    if (status == ST_OK)
        status = check_tau(tau, &problem);
    if (status != ST_OK)
        return refuse(level, status, problem);
    status = fill(1.0, pow(10.0, sigma_db / 20.0), tau, level);
    level->sigma_db = sigma_db; /* as given, not back from the power of ten */
    return status;
}

st_status st_tide_level_from_settings(st_schedule schedule, double t, double sigma, double tau,
                                      st_tide_level *level)
{
    if (!level)
        return ST_ERROR_ARGUMENT;
    const char *problem = NULL;
    st_status status = check_schedule(schedule, &problem);
    if (status == ST_OK)
        status = check_t(t, &problem);
    if (status == ST_OK)
        status = check_sigma(sigma, &problem);
    if (status == ST_OK)
        status = check_tau(tau, &problem);
    if (status != ST_OK)
        return refuse(level, status, problem);
    if (sigma > 0.0)
        return st_tide_level_from_sigma(sigma, tau, level);
    return st_tide_level_from_schedule(schedule, t, tau, level);
}

/* ------------------------------------------------------------------ */
/* The views: one row per st_tide_view, in the enum's order            */
/* ------------------------------------------------------------------ */

static const struct {
    const char *name, *label;
} view_table[] = {
    [ST_TIDE_VIEW_NOISY] = {"noisy", "Noisy x_t/a"},
    [ST_TIDE_VIEW_LOWPASS] = {"low-pass", "Ideal low-pass at f_max"},
    [ST_TIDE_VIEW_WIENER] = {"wiener", "Wiener"},
    [ST_TIDE_VIEW_SPLIT] = {"split", "Split: noisy | low-pass"},
};
_Static_assert(sizeof view_table / sizeof view_table[0] == ST_TIDE_VIEW_COUNT,
               "core/tide.c: one row of view_table per st_tide_view");

const char *st_tide_view_name(st_tide_view view)
{
    if ((int)view < 0 || view >= ST_TIDE_VIEW_COUNT)
        return NULL;
    return view_table[view].name;
}

const char *st_tide_view_label(st_tide_view view)
{
    if ((int)view < 0 || view >= ST_TIDE_VIEW_COUNT)
        return NULL;
    return view_table[view].label;
}

st_status st_tide_view_from_name(const char *name, st_tide_view *view)
{
    if (!name || !view)
        return ST_ERROR_ARGUMENT;
    for (int i = 0; i < ST_TIDE_VIEW_COUNT; i++) {
        if (strcmp(name, view_table[i].name) == 0) {
            *view = (st_tide_view)i;
            return ST_OK;
        }
    }
    return ST_ERROR_ARGUMENT;
}
