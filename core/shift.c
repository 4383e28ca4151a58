/* The continuous f_max of a dataset's mean spectrum and the schedule shift
 * between two datasets (see spectide_shift.h). Everything works on log10 f
 * and log10 P, so that a set against itself gives a log-SNR offset of
 * exactly 0 (the same operations on the same numbers).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_shift.h"

#include "constructor.h"
#include "dataset_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct st_fmax_curve {
    int n;
    double side;
    double *x;          /* log10 f, ascending */
    double *y;          /* mean log10 P */
    double *suffix_max; /* max of y[j] for j >= k */
};

st_fmax_curve *st_fmax_curve_new(const st_accumulator *acc, st_status *error)
{
    if (!acc)
        return st_failed(error, ST_ERROR_ARGUMENT);
    st_accumulator_info info;
    st_accumulator_get_info(acc, &info);
    if (info.images == 0)
        return st_failed(error, ST_NOT_READY);
    int length = st_accumulator_curve_length(acc, ST_CURVE_BEST);
    st_curve_point *points = malloc(sizeof *points * (size_t)length);
    st_fmax_curve *curve = calloc(1, sizeof *curve);
    double *buffer = malloc(3 * sizeof(double) * (size_t)length);
    if (!points || !curve || !buffer) {
        free(points);
        free(curve);
        free(buffer);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    st_status status = st_accumulator_curve(acc, ST_CURVE_BEST, points, length);
    curve->x = buffer;
    curve->y = buffer + length;
    curve->suffix_max = buffer + 2 * (size_t)length;
    curve->side = dataset_side(&info);
    for (int i = 1; status == ST_OK && i < length; i++) {
        if (!point_is_covered(&points[i], info.images))
            continue;
        curve->x[curve->n] = log10(points[i].freq);
        curve->y[curve->n] = points[i].mean_log10;
        curve->n++;
    }
    free(points);
    if (status == ST_OK && curve->n < 2)
        status = ST_ERROR_ARGUMENT;
    if (status != ST_OK) {
        st_fmax_curve_free(curve);
        return st_failed(error, status);
    }
    curve->suffix_max[curve->n - 1] = curve->y[curve->n - 1];
    for (int k = curve->n - 2; k >= 0; k--)
        curve->suffix_max[k] = fmax(curve->y[k], curve->suffix_max[k + 1]);
    return st_made(error, curve);
}

void st_fmax_curve_free(st_fmax_curve *curve)
{
    if (!curve)
        return;
    free(curve->x);
    free(curve);
}

st_status st_fmax_curve_range(const st_fmax_curve *curve, double *f_low, double *f_high)
{
    if (!curve)
        return ST_ERROR_ARGUMENT;
    if (f_low)
        *f_low = pow(10.0, curve->x[0]);
    if (f_high)
        *f_high = pow(10.0, curve->x[curve->n - 1]);
    return ST_OK;
}

double st_fmax_curve_side(const st_fmax_curve *curve)
{
    return curve ? curve->side : NAN;
}

/* The segment [x[k], x[k+1]] holding x (k = n - 2 at the top end), or -1
 * outside the curve. A value a few ulps beyond an end (a frequency that went
 * through pow and log10) counts as the end. */
static int segment_of(const st_fmax_curve *curve, double *x)
{
    const double slack = 1e-12;
    if (!(*x >= curve->x[0] - slack && *x <= curve->x[curve->n - 1] + slack))
        return -1;
    *x = fmin(fmax(*x, curve->x[0]), curve->x[curve->n - 1]);
    int low = 0, high = curve->n - 1; /* x[low] <= x <= x[high] */
    while (high - low > 1) {
        int middle = (low + high) / 2;
        if (curve->x[middle] <= *x)
            low = middle;
        else
            high = middle;
    }
    return low;
}

static double interpolate(const st_fmax_curve *curve, int k, double x)
{
    double w = (x - curve->x[k]) / (curve->x[k + 1] - curve->x[k]);
    return curve->y[k] + w * (curve->y[k + 1] - curve->y[k]);
}

/* log10 of the floor at which f_max reaches 10^x; NaN outside the curve. */
static double floor_log10_at(const st_fmax_curve *curve, double x)
{
    int k = segment_of(curve, &x);
    if (k < 0)
        return NAN;
    double level = interpolate(curve, k, x);
    /* The polyline beyond x: the rest of this segment up to y[k+1], then the
     * later points. */
    return fmax(level, curve->suffix_max[k + 1]);
}

typedef enum { CROSSING_INSIDE, CROSSING_NONE, CROSSING_ABOVE_ALL } crossing_kind;

/* log10 f_max for the floor 10^level: *x_out inside the curve, or the
 * curve is entirely under (NONE) or above (ABOVE_ALL) the level. */
static crossing_kind crossing_log10(const st_fmax_curve *curve, double level, double *x_out)
{
    int n = curve->n;
    if (curve->y[n - 1] > level)
        return CROSSING_ABOVE_ALL;
    if (!(curve->suffix_max[0] > level))
        return CROSSING_NONE;
    /* The largest k with y[k] > level: suffix_max is non-increasing. */
    int low = 0, high = n - 1; /* suffix_max[low] > level >= suffix_max[high] */
    while (high - low > 1) {
        int middle = (low + high) / 2;
        if (curve->suffix_max[middle] > level)
            low = middle;
        else
            high = middle;
    }
    int k = low; /* y[k] > level >= y[k + 1] */
    double w = (curve->y[k] - level) / (curve->y[k] - curve->y[k + 1]);
    *x_out = curve->x[k] + w * (curve->x[k + 1] - curve->x[k]);
    return CROSSING_INSIDE;
}

st_status st_fmax_curve_log10_power(const st_fmax_curve *curve, double freq, double *log10_power)
{
    if (!curve || !log10_power || !(freq > 0.0))
        return ST_ERROR_ARGUMENT;
    double x = log10(freq);
    int k = segment_of(curve, &x);
    if (k < 0)
        return ST_ERROR_ARGUMENT;
    *log10_power = interpolate(curve, k, x);
    return ST_OK;
}

double st_fmax_curve_fmax(const st_fmax_curve *curve, double noise_floor)
{
    if (!curve || isnan(noise_floor))
        return NAN;
    if (noise_floor <= 0.0)
        return pow(10.0, curve->x[curve->n - 1]);
    if (isinf(noise_floor))
        return 0.0;
    double x = 0.0;
    switch (crossing_log10(curve, log10(noise_floor), &x)) {
    case CROSSING_ABOVE_ALL:
        return pow(10.0, curve->x[curve->n - 1]);
    case CROSSING_NONE:
        return 0.0;
    case CROSSING_INSIDE:
        break;
    }
    return pow(10.0, x);
}

st_status st_fmax_curve_noise_floor(const st_fmax_curve *curve, double freq, double *noise_floor)
{
    if (!curve || !noise_floor || !(freq > 0.0))
        return ST_ERROR_ARGUMENT;
    double level = floor_log10_at(curve, log10(freq));
    if (isnan(level))
        return ST_ERROR_ARGUMENT;
    *noise_floor = pow(10.0, level);
    return ST_OK;
}

/* ------------------------------------------------------------ weights */

st_status st_shift_weight_from_name(const char *name, st_shift_weight *weight)
{
    if (!name || !weight)
        return ST_ERROR_ARGUMENT;
    if (strcasecmp(name, "uniform") == 0) {
        *weight = ST_SHIFT_WEIGHT_UNIFORM;
        return ST_OK;
    }
    if (strcasecmp(name, "logit-normal") == 0 || strcasecmp(name, "logit_normal") == 0 ||
        strcasecmp(name, "lognorm") == 0) {
        *weight = ST_SHIFT_WEIGHT_LOGIT_NORMAL;
        return ST_OK;
    }
    return ST_ERROR_ARGUMENT;
}

const char *st_shift_weight_name(st_shift_weight weight)
{
    switch (weight) {
    case ST_SHIFT_WEIGHT_UNIFORM:
        return "uniform";
    case ST_SHIFT_WEIGHT_LOGIT_NORMAL:
        return "logit-normal";
    }
    return NULL;
}

double st_shift_weight_density(st_shift_weight weight, double t)
{
    if (isnan(t))
        return NAN;
    if (t <= 0.0 || t >= 1.0)
        return 0.0;
    if (weight == ST_SHIFT_WEIGHT_LOGIT_NORMAL) {
        double logit = log(t / (1.0 - t));
        return exp(-0.5 * logit * logit) / (sqrt(2.0 * M_PI) * t * (1.0 - t));
    }
    return 1.0;
}

/* ------------------------------------------------------------ the shift */

static int single_size(const st_accumulator_info *info)
{
    return info->width_min == info->width_max && info->height_min == info->height_max;
}

/* One row: k(t) from the two curves, all in log10 f / log10 P. */
static void measure_row(const st_fmax_curve *base, const st_fmax_curve *target,
                        const st_shift_settings *settings, double log10_side_ratio,
                        st_shift_row *row)
{
    row->t_shifted = row->fmax_target = row->log_snr_shift = row->k = NAN;
    row->fmax_base = row->cycles = NAN;
    row->defined = 0;
    row->limit = ST_SHIFT_NO_FLOOR;
    double floor = st_noise_floor(settings->schedule, row->t, settings->tau);
    if (!(floor > 0.0) || !isfinite(floor))
        return;
    double x_base = 0.0;
    crossing_kind kind = crossing_log10(base, log10(floor), &x_base);
    if (kind == CROSSING_NONE) {
        row->fmax_base = 0.0;
        row->cycles = 0.0;
        row->limit = ST_SHIFT_BASE_DROWNED;
    }
    if (kind == CROSSING_ABOVE_ALL) {
        row->fmax_base = pow(10.0, base->x[base->n - 1]);
        row->cycles = row->fmax_base * base->side;
        row->limit = ST_SHIFT_BASE_CLEAR;
    }
    if (kind != CROSSING_INSIDE)
        return;
    row->fmax_base = pow(10.0, x_base);
    row->cycles = row->fmax_base * base->side;
    /* The same cycles per image on the target: exactly x_base for equal sides. */
    double x_target = x_base + log10_side_ratio;
    double level_target = floor_log10_at(target, x_target);
    row->limit = ST_SHIFT_OUTSIDE_TARGET;
    if (isnan(level_target))
        return;
    /* The base's floor read off its curve the same way (equal to log10
     * floor up to rounding), so that identical curves give exactly 0. */
    double level_base = floor_log10_at(base, x_base);
    double shift = M_LN10 * (level_target - level_base);
    row->log_snr_shift = shift;
    row->k = exp(0.5 * shift);
    row->defined = 1;
    row->limit = ST_SHIFT_DEFINED;
    double x_reached = 0.0;
    row->fmax_target = crossing_log10(target, level_target, &x_reached) == CROSSING_INSIDE
                           ? pow(10.0, x_reached)
                           : pow(10.0, x_target);
    if (shift == 0.0) {
        row->t_shifted = row->t;
        return;
    }
    /* SNR(t') = SNR(t) e^-shift, i.e. the floor tau / SNR(t') = 10^level_target. */
    double snr = settings->tau / pow(10.0, level_target);
    st_schedule schedule = settings->schedule;
    if (snr < st_schedule_snr(schedule, 0.0) && snr > st_schedule_snr(schedule, 1.0))
        row->t_shifted = st_schedule_t_for_snr(schedule, snr);
}

static int same_kind_of_data(const st_accumulator_info *a, const st_accumulator_info *b)
{
    return strcmp(a->channel, b->channel) == 0 && strcmp(a->mapping, b->mapping) == 0;
}

st_status st_shift_measure(const st_accumulator *base, const st_accumulator *target,
                           const st_shift_settings *settings, st_shift_row *rows, int steps,
                           st_shift_summary *summary)
{
    if (!base || !target || !settings || !rows || !summary || steps < 3 || steps > 1000000 ||
        (int)settings->schedule < 0 || settings->schedule >= ST_SCHEDULE_COUNT ||
        !st_shift_weight_name(settings->weight) || isnan(settings->tau))
        return ST_ERROR_ARGUMENT;
    st_shift_settings s = *settings;
    if (!(s.tau > 0.0))
        s.tau = 1.0;
    st_accumulator_info base_info, target_info;
    st_accumulator_get_info(base, &base_info);
    st_accumulator_get_info(target, &target_info);
    if (base_info.images && target_info.images && !same_kind_of_data(&base_info, &target_info))
        return ST_ERROR_MISMATCH;

    memset(summary, 0, sizeof *summary);
    summary->k = summary->log_snr_shift = summary->log_k_sd = summary->spread = NAN;
    for (int i = 0; i < steps; i++) {
        rows[i] = (st_shift_row){.t = (double)i / (steps - 1), .limit = ST_SHIFT_END};
        rows[i].weight = st_shift_weight_density(s.weight, rows[i].t);
        rows[i].t_shifted = rows[i].fmax_base = rows[i].fmax_target = NAN;
        rows[i].cycles = rows[i].log_snr_shift = rows[i].k = NAN;
    }
    st_status status = ST_OK;
    st_fmax_curve *base_curve = st_fmax_curve_new(base, &status);
    st_fmax_curve *target_curve = base_curve ? st_fmax_curve_new(target, &status) : NULL;
    if (!target_curve) {
        st_fmax_curve_free(base_curve);
        return status;
    }
    summary->side_base = base_curve->side;
    summary->side_target = target_curve->side;
    /* Pixel counts when both sets have one size each, else L^2 for both (the
     * ratio is right when the two sets share their aspect ratios). */
    int exact = single_size(&base_info) && single_size(&target_info);
    summary->pixels_base = exact ? (double)base_info.width_min * base_info.height_min
                                 : base_curve->side * base_curve->side;
    summary->pixels_target = exact ? (double)target_info.width_min * target_info.height_min
                                   : target_curve->side * target_curve->side;
    summary->k_sd3 = sqrt(summary->pixels_target / summary->pixels_base);
    summary->k_simple = target_curve->side / base_curve->side;
    summary->log_snr_shift_simple = 2.0 * log(summary->k_simple);

    double log10_side_ratio = log10(base_curve->side) - log10(target_curve->side);
    double total = 0.0, covered = 0.0, sum = 0.0;
    for (int i = 1; i < steps - 1; i++) {
        measure_row(base_curve, target_curve, &s, log10_side_ratio, &rows[i]);
        total += rows[i].weight;
        if (rows[i].defined) {
            summary->rows_defined++;
            covered += rows[i].weight;
            sum += rows[i].weight * log(rows[i].k);
        }
    }
    st_fmax_curve_free(base_curve);
    st_fmax_curve_free(target_curve);
    summary->weight_covered = total > 0.0 ? covered / total : 0.0;
    if (!(covered > 0.0))
        return ST_NOT_READY;
    double mean = sum / covered, squares = 0.0;
    for (int i = 1; i < steps - 1; i++)
        if (rows[i].defined) {
            double d = log(rows[i].k) - mean;
            squares += rows[i].weight * d * d;
        }
    summary->k = exp(mean);
    summary->log_snr_shift = 2.0 * mean;
    summary->log_k_sd = sqrt(squares / covered);
    summary->spread = exp(summary->log_k_sd);
    summary->single_shift_fits = summary->log_k_sd <= ST_SHIFT_SPREAD_LIMIT;
    return ST_OK;
}
