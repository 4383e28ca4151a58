/* Tests of st_fmax_curve and st_shift_measure on accumulators of analytic
 * spectra, whose f_max and shift follow in closed form:
 *   - a power law P = 10^c f^-alpha has f_max(floor) = (10^c / floor)^(1/alpha);
 *   - a 256 set whose spectrum is P_256(f) = P_512(f / 2) / 4 (what 2x2
 *     block averaging of the 512 set does below the small image's Nyquist,
 *     for any alpha, ignoring the box's own roll-off) is drowned at the
 *     same cycles per image by 4 times less noise variance: log-SNR offset
 *     ln 4, k = 2;
 *   - two power laws with c_b, alpha_b on side L_b and c_t, alpha_t on L_t
 *     at u cycles per image: delta(u) = ln 10 ((c_t + alpha_t log10 L_t -
 *     alpha_t log10 u) - (c_b + alpha_b log10 L_b - alpha_b log10 u)).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "check.h"
#include "spectide_shift.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STEPS 101

/* Adds `count` L x L images with ring r power 10^(c + offset_i - alpha
 * log10(r / L)) (offsets -0.02, 0, +0.02, ...: a spread, the same mean). */
static void add_power_law(st_accumulator *acc, int side, double c, double alpha, int count)
{
    int rings = st_ring_count_for_size(side, side);
    double *power = malloc(sizeof(double) * rings);
    for (int i = 0; i < count; i++) {
        double offset = count > 1 ? 0.02 * (i - (count - 1) / 2.0) : 0.0;
        power[0] = 1.0;
        for (int r = 1; r < rings; r++)
            power[r] = pow(10.0, c + offset - alpha * log10((double)r / side));
        st_accumulator_add(acc, side, side, power);
    }
    free(power);
}

static st_accumulator *power_law_set(int side, double c, double alpha, int count)
{
    st_accumulator *acc = st_accumulator_new(NULL, NULL);
    add_power_law(acc, side, c, alpha, count);
    return acc;
}

static double rf_floor(double t)
{
    return t * t / ((1.0 - t) * (1.0 - t)); /* tau s^2 / a^2, tau = 1 */
}

static void check_curve(void)
{
    const double c = -3.0, alpha = 2.2;
    const int side = 256;
    st_accumulator *acc = power_law_set(side, c, alpha, 3);
    st_status status = ST_ERROR_MEMORY;
    st_fmax_curve *curve = st_fmax_curve_new(acc, &status);
    CHECK(curve && status == ST_OK, "a curve from a single-size power-law set");
    double low, high;
    st_fmax_curve_range(curve, &low, &high);
    CHECK_NEAR(low, 1.0 / side, 1e-12, "curve starts at ring 1");
    CHECK_NEAR(high, 127.0 / side, 1e-12, "curve ends at the last ring");
    CHECK_NEAR(st_fmax_curve_side(curve), side, 0, "side of a single-size set");
    double worst = 0.0;
    for (double floor = 1e-2; floor > 1e-5; floor *= 0.83) {
        double want = pow(pow(10.0, c) / floor, 1.0 / alpha);
        if (want <= low || want >= high)
            continue;
        double got = st_fmax_curve_fmax(curve, floor);
        worst = fmax(worst, fabs(got / want - 1.0));
    }
    CHECK(worst < 1e-8, "f_max between rings = (10^c / floor)^(1/alpha) (worst %.2g)", worst);
    CHECK_NEAR(st_fmax_curve_fmax(curve, 1e-30), high, 1e-15, "whole curve above: the top");
    CHECK_NEAR(st_fmax_curve_fmax(curve, 0.0), high, 1e-15, "floor 0: the top");
    CHECK(st_fmax_curve_fmax(curve, 1e30) == 0.0, "whole curve under: 0");
    CHECK(st_fmax_curve_fmax(curve, INFINITY) == 0.0, "infinite floor: 0");
    CHECK(isnan(st_fmax_curve_fmax(curve, NAN)), "NaN floor: NaN");
    double f = 0.0371;
    double value = NAN, floor = NAN;
    CHECK(st_fmax_curve_noise_floor(curve, f, &floor) == ST_OK, "a floor inside the curve");
    CHECK_NEAR(log10(floor), c - alpha * log10(f), 1e-8,
               "the floor at which f_max reaches f: P(f)");
    CHECK(st_fmax_curve_log10_power(curve, f, &value) == ST_OK, "a power inside the curve");
    CHECK_NEAR(value, c - alpha * log10(f), 1e-8, "interpolated mean log10 P");
    CHECK(st_fmax_curve_noise_floor(curve, 0.6, &floor) == ST_ERROR_ARGUMENT &&
              st_fmax_curve_noise_floor(curve, 0.5 / side, &floor) == ST_ERROR_ARGUMENT &&
              st_fmax_curve_log10_power(curve, 0.6, &value) == ST_ERROR_ARGUMENT &&
              st_fmax_curve_range(NULL, &low, &high) == ST_ERROR_ARGUMENT,
          "no floor or power outside the curve; NULL refused");
    st_fmax_curve_free(curve);
    st_fmax_curve_free(NULL);

    /* A bump: rings 60..70 raised by 2 decades. f_max for a floor between
     * the dip and the bump is the bump's last crossing, and the floor at a
     * frequency under the bump's level is the bump's peak. */
    int rings = st_ring_count_for_size(side, side);
    double *power = malloc(sizeof(double) * rings);
    power[0] = 1.0;
    for (int r = 1; r < rings; r++)
        power[r] = pow(10.0, c - alpha * log10((double)r / side) + (r >= 60 && r <= 70 ? 2 : 0));
    st_accumulator *bumpy = st_accumulator_new(NULL, NULL);
    st_accumulator_add(bumpy, side, side, power);
    curve = st_fmax_curve_new(bumpy, NULL);
    double level70 = c - alpha * log10(70.0 / side) + 2.0;
    double level71 = c - alpha * log10(71.0 / side);
    double level = 0.5 * (level70 + level71);
    double want = pow(10.0, (log10(70.0) + (level70 - level) / (level70 - level71) *
                                               (log10(71.0) - log10(70.0)))) /
                  side;
    CHECK_NEAR(st_fmax_curve_fmax(curve, pow(10.0, level)), want, 1e-9,
               "f_max: the last crossing, after the bump");
    double peak = c - alpha * log10(60.0 / side) + 2.0;
    double bump_floor = NAN;
    st_fmax_curve_noise_floor(curve, 40.0 / side, &bump_floor);
    CHECK_NEAR(log10(bump_floor), peak, 1e-8,
               "floor at a frequency lower than a higher bump: the bump's peak");
    st_fmax_curve_free(curve);
    st_accumulator_free(bumpy);
    free(power);

    status = ST_OK;
    st_accumulator *empty = st_accumulator_new(NULL, NULL);
    CHECK(!st_fmax_curve_new(empty, &status) && status == ST_NOT_READY, "empty set: not ready");
    CHECK(!st_fmax_curve_new(NULL, &status) && status == ST_ERROR_ARGUMENT, "NULL set refused");
    st_accumulator *tiny = st_accumulator_new(NULL, NULL);
    double two[2] = {1.0, 0.5};
    st_accumulator_add(tiny, 3, 3, two);
    CHECK(!st_fmax_curve_new(tiny, &status) && status == ST_ERROR_ARGUMENT, "one ring is no curve");
    st_accumulator_free(empty);
    st_accumulator_free(tiny);
    st_accumulator_free(acc);
}

static void check_weights(void)
{
    st_shift_weight w;
    CHECK(st_shift_weight_from_name("logit-normal", &w) == ST_OK &&
              w == ST_SHIFT_WEIGHT_LOGIT_NORMAL &&
              st_shift_weight_from_name("Uniform", &w) == ST_OK && w == ST_SHIFT_WEIGHT_UNIFORM &&
              st_shift_weight_from_name("beta", &w) != ST_OK,
          "weight names");
    CHECK_NEAR(st_shift_weight_density(ST_SHIFT_WEIGHT_LOGIT_NORMAL, 0.5), 4.0 / sqrt(2.0 * M_PI),
               1e-15, "logit-normal density at 1/2: 4 / sqrt(2 pi)");
    CHECK(st_shift_weight_density(ST_SHIFT_WEIGHT_LOGIT_NORMAL, 0.0) == 0.0 &&
              st_shift_weight_density(ST_SHIFT_WEIGHT_UNIFORM, 1.0) == 0.0,
          "no weight at the ends");
    /* Both integrate to 1 (midpoint rule; the logit-normal tails vanish). */
    for (int k = 0; k < 2; k++) {
        double sum = 0.0;
        const int n = 200000;
        for (int i = 0; i < n; i++)
            sum += st_shift_weight_density((st_shift_weight)k, (i + 0.5) / n) / n;
        CHECK_NEAR(sum, 1.0, 1e-6, k ? "logit-normal integrates to 1" : "uniform integrates to 1");
    }
}

/* The rows that must be defined for base side L_b: f_max strictly inside
 * (1/L_b, (L_b/2 - 1)/L_b). */
static int expected_defined(double c, double alpha, int side, double t)
{
    double f = pow(pow(10.0, c) / rf_floor(t), 1.0 / alpha);
    return f > 1.0 / side && f < (side / 2 - 1.0) / side;
}

static void check_downsampled_pair(void)
{
    /* Target 512 (P = 10^c f^-alpha), base 256 with P_256(f) = P_512(f/2)/4. */
    const double c = -3.0, alpha = 2.3;
    double c_small = c + alpha * log10(2.0) - log10(4.0);
    st_accumulator *target = power_law_set(512, c, alpha, 4);
    st_accumulator *base = power_law_set(256, c_small, alpha, 4);
    st_shift_settings settings = {ST_SCHEDULE_RECTIFIED_FLOW, 1.0, ST_SHIFT_WEIGHT_UNIFORM};
    st_shift_row rows[STEPS];
    st_shift_summary summary;
    CHECK(st_shift_measure(base, target, &settings, rows, STEPS, &summary) == ST_OK,
          "shift 256 -> 512 measured");
    int defined_ok = 1, count = 0;
    double worst_k = 0.0, worst_t = 0.0, worst_u = 0.0;
    for (int i = 0; i < STEPS; i++) {
        const st_shift_row *row = &rows[i];
        int want = i > 0 && i < STEPS - 1 && expected_defined(c_small, alpha, 256, row->t);
        defined_ok &= row->defined == want;
        if (!row->defined)
            continue;
        count++;
        worst_k = fmax(worst_k, fabs(row->k - 2.0));
        /* Rectified flow: t'/(1-t') = 2 t/(1-t). */
        worst_t = fmax(worst_t, fabs(row->t_shifted - 2.0 * row->t / (1.0 + row->t)));
        double f = pow(pow(10.0, c_small) / rf_floor(row->t), 1.0 / alpha);
        worst_u = fmax(worst_u, fabs(row->cycles / (256.0 * f) - 1.0));
        worst_u = fmax(worst_u, fabs(row->fmax_target / (f / 2.0) - 1.0));
    }
    CHECK(defined_ok && count > 30, "rows defined exactly where f_max_base is inside (%d rows)",
          count);
    CHECK(worst_k < 1e-7, "k(t) = 2 at every defined t (worst |k - 2| %.2g)", worst_k);
    CHECK(worst_t < 1e-7, "t' = 2t/(1+t) (worst %.2g)", worst_t);
    CHECK(worst_u < 1e-8, "u* = 256 f_max_base, f_max_target = u*/512 (worst %.2g)", worst_u);
    CHECK_NEAR(summary.k, 2.0, 1e-7, "fitted k");
    CHECK_NEAR(summary.log_snr_shift, 2.0 * log(2.0), 1e-7, "fitted log-SNR offset 2 ln 2");
    CHECK(summary.log_k_sd < 1e-7 && summary.single_shift_fits, "no spread: one shift fits");
    CHECK_NEAR(summary.k_sd3, 2.0, 1e-15, "SD3 rule sqrt(m/n) = sqrt(512^2 / 256^2)");
    CHECK_NEAR(summary.log_snr_shift_simple, 2.0 * log(2.0), 1e-15,
               "simple diffusion 2 ln(512/256)");
    CHECK_NEAR(summary.side_base, 256, 0, "side of the base");
    CHECK_NEAR(summary.side_target, 512, 0, "side of the target");
    double covered = 0.0;
    for (int i = 1; i < STEPS - 1; i++)
        covered += rows[i].defined;
    CHECK_NEAR(summary.weight_covered, covered / (STEPS - 2), 1e-12,
               "uniform weight covered = share of defined rows");

    /* The log-SNR offset does not depend on the schedule. */
    const st_schedule others[] = {ST_SCHEDULE_COSINE, ST_SCHEDULE_DDPM_LINEAR, ST_SCHEDULE_EDM,
                                  ST_SCHEDULE_SHIFTED_FLOW};
    for (size_t s = 0; s < sizeof others / sizeof others[0]; s++) {
        settings.schedule = others[s];
        st_shift_measure(base, target, &settings, rows, STEPS, &summary);
        double worst = 0.0, worst_snr = 0.0;
        int n = 0, beyond = 0;
        for (int i = 0; i < STEPS; i++) {
            if (!rows[i].defined)
                continue;
            n++;
            worst = fmax(worst, fabs(rows[i].log_snr_shift - log(4.0)));
            if (isnan(rows[i].t_shifted)) {
                beyond++;
                continue;
            }
            double got = log(st_schedule_snr(others[s], rows[i].t)) -
                         log(st_schedule_snr(others[s], rows[i].t_shifted));
            worst_snr = fmax(worst_snr, fabs(got - log(4.0)));
        }
        CHECK(n > 10 && worst < 1e-7 && worst_snr < 1e-6,
              "%s: offset ln 4 on %d rows (worst %.2g), ln SNR(t) - ln SNR(t') = ln 4 (worst "
              "%.2g, %d beyond the schedule)",
              st_schedule_name(others[s]), n, worst, worst_snr, beyond);
    }
    st_accumulator_free(base);
    st_accumulator_free(target);
}

static void check_self(void)
{
    st_accumulator *set = power_law_set(384, -2.7, 2.1, 5);
    st_shift_row rows[STEPS];
    st_shift_summary summary;
    st_shift_settings settings = {ST_SCHEDULE_RECTIFIED_FLOW, 1.0, ST_SHIFT_WEIGHT_LOGIT_NORMAL};
    CHECK(st_shift_measure(set, set, &settings, rows, STEPS, &summary) == ST_OK,
          "a set against itself");
    int exact = 1, n = 0;
    for (int i = 0; i < STEPS; i++)
        if (rows[i].defined) {
            n++;
            exact &=
                rows[i].k == 1.0 && rows[i].log_snr_shift == 0.0 && rows[i].t_shifted == rows[i].t;
        }
    CHECK(n > 30 && exact, "k = 1, offset 0 and t' = t exactly on all %d defined rows", n);
    CHECK(summary.k == 1.0 && summary.log_k_sd == 0.0 && summary.k_sd3 == 1.0 &&
              summary.log_snr_shift_simple == 0.0,
          "fitted k = 1 exactly, no spread, rules of thumb 1 and 0");
    st_accumulator_free(set);
}

/* Two power laws of different alpha: k(t) varies; the fit is the weighted
 * mean of ln k and the spread its weighted standard deviation. */
static void check_varying_shift(void)
{
    const double c_b = -3.0, a_b = 2.0, c_t = -2.5, a_t = 2.6;
    const int side_b = 256, side_t = 512;
    st_accumulator *base = power_law_set(side_b, c_b, a_b, 2);
    st_accumulator *target = power_law_set(side_t, c_t, a_t, 2);
    for (int k = 0; k < 2; k++) {
        st_shift_weight weight = (st_shift_weight)k;
        st_shift_settings settings = {ST_SCHEDULE_RECTIFIED_FLOW, 1.0, weight};
        st_shift_row rows[STEPS];
        st_shift_summary summary;
        st_shift_measure(base, target, &settings, rows, STEPS, &summary);
        double sum_w = 0.0, sum = 0.0, squares = 0.0, worst = 0.0;
        int agree = 1;
        for (int i = 1; i < STEPS - 1; i++) {
            double t = i / (STEPS - 1.0);
            double f_b = pow(pow(10.0, c_b) / rf_floor(t), 1.0 / a_b);
            double u = f_b * side_b, f_t = u / side_t;
            int want = f_b > 1.0 / side_b && f_b < 127.0 / side_b && f_t >= 1.0 / side_t &&
                       f_t <= 255.0 / side_t;
            agree &= rows[i].defined == want;
            if (!want)
                continue;
            double delta = M_LN10 * ((c_t + a_t * log10(side_t) - a_t * log10(u)) -
                                     (c_b + a_b * log10(side_b) - a_b * log10(u)));
            worst = fmax(worst, fabs(rows[i].log_snr_shift - delta));
            double w =
                k ? exp(-0.5 * pow(log(t / (1 - t)), 2)) / (sqrt(2 * M_PI) * t * (1 - t)) : 1.0;
            sum_w += w;
            sum += w * delta / 2.0;
            squares += w * delta * delta / 4.0;
        }
        double mean = sum / sum_w, sd = sqrt(squares / sum_w - mean * mean);
        CHECK(agree && worst < 1e-7, "%s: delta(u) in closed form on every row (worst %.2g)",
              st_shift_weight_name(weight), worst);
        CHECK_NEAR(log(summary.k), mean, 1e-7, "fitted ln k = weighted mean of ln k(t)");
        CHECK_NEAR(summary.log_k_sd, sd, 1e-6, "spread = weighted sd of ln k(t)");
        CHECK(summary.log_k_sd > ST_SHIFT_SPREAD_LIMIT && !summary.single_shift_fits,
              "alpha 2.0 vs 2.6: no single shift fits (sd %.3f)", summary.log_k_sd);
    }
    st_accumulator_free(base);
    st_accumulator_free(target);
}

static void check_bad_input(void)
{
    st_accumulator *green = power_law_set(64, -3, 2, 2);
    st_accumulator_settings luma_settings = {"luma", NULL, 0};
    st_accumulator *luma = st_accumulator_new(&luma_settings, NULL);
    add_power_law(luma, 64, -3, 2, 2);
    st_accumulator *empty = st_accumulator_new(NULL, NULL);
    st_shift_settings settings = {ST_SCHEDULE_RECTIFIED_FLOW, 1.0, ST_SHIFT_WEIGHT_UNIFORM};
    st_shift_row rows[STEPS];
    st_shift_summary summary;
    CHECK(st_shift_measure(green, luma, &settings, rows, STEPS, &summary) == ST_ERROR_MISMATCH,
          "green against luma: mismatch");
    CHECK(st_shift_measure(green, empty, &settings, rows, STEPS, &summary) == ST_NOT_READY,
          "an empty set: not ready");
    CHECK(st_shift_measure(green, green, &settings, rows, 2, &summary) == ST_ERROR_ARGUMENT &&
              st_shift_measure(NULL, green, &settings, rows, STEPS, &summary) == ST_ERROR_ARGUMENT,
          "too few steps, NULL: argument errors");
    settings.weight = (st_shift_weight)7;
    CHECK(st_shift_measure(green, green, &settings, rows, STEPS, &summary) == ST_ERROR_ARGUMENT,
          "unknown weight refused");
    st_accumulator_free(green);
    st_accumulator_free(luma);
    st_accumulator_free(empty);
}

int main(void)
{
    check_curve();
    check_weights();
    check_downsampled_pair();
    check_self();
    check_varying_shift();
    check_bad_input();
    return check_done();
}
