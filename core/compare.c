/* Two datasets' mean spectra compared point by point (Welch), with
 * Benjamini-Hochberg q-values, f_dev, t_dev and delta alpha (see
 * spectide_compare.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_compare.h"

#include "dataset_internal.h"
#include "spectide_shift.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_TOLERANCE_DB 1.0
#define DEFAULT_FDR          0.05
#define INTERVAL_LEVEL       0.95

st_status st_welch(double mean_x, double sd_x, uint64_t n_x, double mean_y, double sd_y,
                   uint64_t n_y, double level, st_welch_result *result)
{
    if (!result || n_x < 2 || n_y < 2 || !(level > 0.0 && level < 1.0))
        return ST_ERROR_ARGUMENT;
    if (!isfinite(mean_x) || !isfinite(mean_y) || !isfinite(sd_x) || !isfinite(sd_y))
        return ST_ERROR_NOT_FINITE;
    if (sd_x < 0.0 || sd_y < 0.0)
        return ST_ERROR_ARGUMENT;
    double vx = sd_x * sd_x / (double)n_x, vy = sd_y * sd_y / (double)n_y;
    double se = sqrt(vx + vy);
    result->difference = mean_x - mean_y;
    result->standard_error = se;
    if (se == 0.0) {
        result->df = (double)n_x + (double)n_y - 2.0;
        result->t = result->difference == 0.0 ? 0.0 : copysign(INFINITY, result->difference);
        result->ci_low = result->ci_high = result->difference;
        result->p = result->difference == 0.0 ? 1.0 : 0.0;
        return ST_OK;
    }
    /* (vx + vy)^2 / (vx^2 / (n_x - 1) + vy^2 / (n_y - 1)), scaled by the
     * larger variance so that tiny variances do not underflow. */
    double scale = fmax(vx, vy), ax = vx / scale, ay = vy / scale;
    result->df =
        (ax + ay) * (ax + ay) / (ax * ax / ((double)n_x - 1.0) + ay * ay / ((double)n_y - 1.0));
    result->t = result->difference / se;
    double half = st_student_t_quantile(0.5 + 0.5 * level, result->df) * se;
    result->ci_low = result->difference - half;
    result->ci_high = result->difference + half;
    /* 2 P(T <= -|t|): no cancellation for large |t|. */
    result->p = fmin(1.0, 2.0 * st_student_t_cdf(-fabs(result->t), result->df));
    return ST_OK;
}

typedef struct {
    double p;
    int index;
} ranked_p;

static int by_p(const void *a, const void *b)
{
    const ranked_p *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->index - y->index; /* a total order: the same q on every libc */
}

st_status st_benjamini_hochberg(const double *p, int n, double *q)
{
    if (!p || !q || n < 0)
        return ST_ERROR_ARGUMENT;
    for (int i = 0; i < n; i++)
        if (!isnan(p[i]) && !(p[i] >= 0.0 && p[i] <= 1.0))
            return ST_ERROR_ARGUMENT;
    ranked_p *ranked = malloc(sizeof *ranked * (size_t)(n > 0 ? n : 1));
    if (!ranked)
        return ST_ERROR_MEMORY;
    int m = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(p[i]))
            ranked[m++] = (ranked_p){p[i], i};
    qsort(ranked, (size_t)m, sizeof *ranked, by_p);
    for (int i = 0; i < n; i++)
        if (isnan(p[i]))
            q[i] = NAN;
    /* Step up from the largest p: the running minimum of m p_(j) / j. */
    double running = 1.0;
    for (int j = m; j >= 1; j--) {
        double value = (double)m * ranked[j - 1].p / (double)j;
        if (value < running)
            running = value;
        q[ranked[j - 1].index] = running;
    }
    free(ranked);
    return ST_OK;
}

/* ------------------------------------------------------------ datasets */

typedef struct {
    st_accumulator_info real_info, gen_info;
    st_curve_axis axis;
    int length; /* of each curve */
    st_curve_point *real, *gen;
} common_axis;

static void common_axis_free(common_axis *c)
{
    free(c->real);
    free(c->gen);
}

/* The common axis and both curves on it; ST_OK or an error. */
static st_status common_axis_make(const st_accumulator *real, const st_accumulator *gen,
                                  common_axis *c)
{
    memset(c, 0, sizeof *c);
    st_accumulator_get_info(real, &c->real_info);
    st_accumulator_get_info(gen, &c->gen_info);
    if (c->real_info.images < 2 || c->gen_info.images < 2)
        return ST_ERROR_ARGUMENT;
    if (strcmp(c->real_info.channel, c->gen_info.channel) != 0 ||
        strcmp(c->real_info.mapping, c->gen_info.mapping) != 0)
        return ST_ERROR_MISMATCH;
    int rings = c->real_info.ring_side && c->real_info.ring_side == c->gen_info.ring_side;
    if (!rings && c->real_info.points_per_octave != c->gen_info.points_per_octave)
        return ST_ERROR_MISMATCH;
    c->axis = rings ? ST_CURVE_RINGS : ST_CURVE_GRID;
    c->length = st_accumulator_curve_length(real, c->axis);
    if (c->length != st_accumulator_curve_length(gen, c->axis) || c->length < 1)
        return ST_ERROR_MISMATCH;
    c->real = malloc(sizeof *c->real * (size_t)c->length);
    c->gen = malloc(sizeof *c->gen * (size_t)c->length);
    if (!c->real || !c->gen) {
        common_axis_free(c);
        return ST_ERROR_MEMORY;
    }
    st_status status = st_accumulator_curve(real, c->axis, c->real, c->length);
    if (status == ST_OK)
        status = st_accumulator_curve(gen, c->axis, c->gen, c->length);
    if (status != ST_OK)
        common_axis_free(c);
    return status;
}

static int compared(const common_axis *c, int i)
{
    const st_curve_point *r = &c->real[i], *g = &c->gen[i];
    return point_is_covered(r, c->real_info.images) && point_is_covered(g, c->gen_info.images) &&
           r->count >= 2 && g->count >= 2 && isfinite(r->sd_log10) && isfinite(g->sd_log10);
}

int st_compare_length(const st_accumulator *real, const st_accumulator *gen)
{
    if (!real || !gen)
        return 0;
    common_axis c;
    if (common_axis_make(real, gen, &c) != ST_OK)
        return 0;
    int n = 0;
    for (int i = 0; i < c.length; i++)
        n += compared(&c, i);
    common_axis_free(&c);
    return n;
}

/* t at which the real set's f_max reaches f: NaN when it cannot. */
static double time_of_fmax(const st_accumulator *real, double freq, st_schedule schedule,
                           double tau)
{
    st_fmax_curve *curve = st_fmax_curve_new(real, NULL);
    double floor = 0.0;
    st_status status = st_fmax_curve_noise_floor(curve, freq, &floor);
    st_fmax_curve_free(curve);
    if (status != ST_OK || !(floor > 0.0) || !isfinite(floor))
        return NAN;
    double snr = tau / floor;
    if (!(snr < st_schedule_snr(schedule, 0.0) && snr > st_schedule_snr(schedule, 1.0)))
        return NAN;
    return st_schedule_t_for_snr(schedule, snr);
}

static void compare_alpha(const st_accumulator *real, const st_accumulator *gen,
                          st_compare_summary *summary)
{
    st_image_fits real_fits, gen_fits;
    int real_ok = st_accumulator_image_fits(real, &real_fits) == ST_OK;
    int gen_ok = st_accumulator_image_fits(gen, &gen_fits) == ST_OK;
    summary->alpha_real = real_ok ? real_fits.alpha.mean : NAN;
    summary->alpha_gen = gen_ok ? gen_fits.alpha.mean : NAN;
    summary->alpha_ok = real_ok && gen_ok &&
                        st_welch(gen_fits.alpha.mean, gen_fits.alpha.sd, gen_fits.alpha.count,
                                 real_fits.alpha.mean, real_fits.alpha.sd, real_fits.alpha.count,
                                 INTERVAL_LEVEL, &summary->alpha) == ST_OK;
    if (!summary->alpha_ok) {
        st_welch_result none = {NAN, NAN, NAN, NAN, NAN, NAN, NAN};
        summary->alpha = none;
    }
}

st_status st_compare_run(const st_accumulator *real, const st_accumulator *gen,
                         const st_compare_settings *settings, st_compare_point *points, int length,
                         st_compare_summary *summary)
{
    if (!real || !gen || !settings || !summary || (length > 0 && !points) || length < 0 ||
        (int)settings->schedule < 0 || settings->schedule >= ST_SCHEDULE_COUNT ||
        isnan(settings->tolerance_db) || isnan(settings->fdr) || isnan(settings->tau))
        return ST_ERROR_ARGUMENT;
    memset(summary, 0, sizeof *summary);
    summary->tolerance_db =
        settings->tolerance_db > 0.0 ? settings->tolerance_db : DEFAULT_TOLERANCE_DB;
    summary->fdr = settings->fdr > 0.0 ? settings->fdr : DEFAULT_FDR;
    double tau = settings->tau > 0.0 ? settings->tau : 1.0;
    summary->f_dev = summary->t_dev = NAN;
    common_axis c;
    st_status status = common_axis_make(real, gen, &c);
    if (status != ST_OK)
        return status;
    summary->on_rings = c.axis == ST_CURVE_RINGS;
    int n = 0;
    for (int i = 0; i < c.length; i++)
        n += compared(&c, i);
    if (n != length) {
        common_axis_free(&c);
        return ST_ERROR_ARGUMENT;
    }
    double *p = calloc((size_t)(n > 0 ? n : 1), sizeof *p);
    if (!p) {
        common_axis_free(&c);
        return ST_ERROR_MEMORY;
    }
    int k = 0;
    for (int i = 0; i < c.length; i++) {
        if (!compared(&c, i))
            continue;
        const st_curve_point *r = &c.real[i], *g = &c.gen[i];
        st_welch_result w;
        status = st_welch(g->mean_log10, g->sd_log10, g->count, r->mean_log10, r->sd_log10,
                          r->count, INTERVAL_LEVEL, &w);
        if (status != ST_OK)
            break;
        st_compare_point *out = &points[k];
        out->freq = r->freq;
        out->n_real = r->count;
        out->n_gen = g->count;
        out->mean_real_db = 10.0 * r->mean_log10;
        out->mean_gen_db = 10.0 * g->mean_log10;
        out->sd_real_db = 10.0 * r->sd_log10;
        out->sd_gen_db = 10.0 * g->sd_log10;
        out->diff_db = 10.0 * w.difference;
        out->se_db = 10.0 * w.standard_error;
        out->df = w.df;
        out->ci_low_db = 10.0 * w.ci_low;
        out->ci_high_db = 10.0 * w.ci_high;
        out->p = p[k] = w.p;
        k++;
    }
    common_axis_free(&c);
    if (status == ST_OK)
        status = st_benjamini_hochberg(p, n, p);
    if (status != ST_OK) {
        free(p);
        return status;
    }
    summary->points = n;
    for (int j = 0; j < n; j++) {
        st_compare_point *out = &points[j];
        out->q = p[j];
        out->flagged = out->q < summary->fdr;
        out->outside =
            out->ci_low_db > summary->tolerance_db || out->ci_high_db < -summary->tolerance_db;
        summary->flagged += out->flagged;
        summary->outside += out->outside;
        if (out->outside && isnan(summary->f_dev))
            summary->f_dev = out->freq;
    }
    free(p);
    if (!isnan(summary->f_dev))
        summary->t_dev = time_of_fmax(real, summary->f_dev, settings->schedule, tau);
    compare_alpha(real, gen, summary);
    return n > 0 ? ST_OK : ST_NOT_READY;
}
