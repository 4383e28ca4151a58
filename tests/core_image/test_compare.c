/* Tests of st_welch, st_benjamini_hochberg and st_compare_run with answers
 * known in advance: R's t.test on the sleep data (Welch), hand-worked
 * Benjamini-Hochberg step-ups, and accumulators of analytic spectra whose
 * per-point means and spreads are set by construction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "check.h"
#include "spectide_compare.h"

#include <math.h>
#include <stdlib.h>

/* t(0.975, 8): the 95% two-sided quantile for 8 degrees of freedom (tables). */
#define T_975_8 2.306004135033371

static void mean_sd(const double *x, int n, double *mean, double *sd)
{
    double sum = 0.0, squares = 0.0;
    for (int i = 0; i < n; i++)
        sum += x[i];
    *mean = sum / n;
    for (int i = 0; i < n; i++)
        squares += (x[i] - *mean) * (x[i] - *mean);
    *sd = sqrt(squares / (n - 1));
}

static void check_welch(void)
{
    /* R: t.test(extra ~ group, data = sleep): t = -1.8608, df = 17.776,
     * p-value = 0.07939, 95 percent CI -3.3654832 0.2054832. */
    const double group1[] = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
    const double group2[] = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};
    double m1, s1, m2, s2;
    mean_sd(group1, 10, &m1, &s1);
    mean_sd(group2, 10, &m2, &s2);
    st_welch_result w;
    CHECK(st_welch(m1, s1, 10, m2, s2, 10, 0.95, &w) == ST_OK, "Welch on the sleep data");
    CHECK_NEAR(w.difference, -1.58, 1e-12, "difference of the means");
    CHECK_NEAR(w.t, -1.8608, 5e-5, "t as R");
    CHECK_NEAR(w.df, 17.776, 5e-4, "Welch-Satterthwaite df as R");
    CHECK_NEAR(w.p, 0.07939, 5e-6, "two-sided p as R");
    CHECK_NEAR(w.ci_low, -3.3654832, 5e-7, "95% interval, low end as R");
    CHECK_NEAR(w.ci_high, 0.2054832, 5e-7, "95% interval, high end as R");

    /* Equal n and sd: df = 2 (n - 1) exactly. */
    CHECK(st_welch(1.0, 0.5, 5, 0.0, 0.5, 5, 0.95, &w) == ST_OK, "equal spreads");
    CHECK_NEAR(w.df, 8.0, 1e-12, "df = 2 (n - 1) for equal n and sd");
    CHECK_NEAR(w.ci_high - w.difference, T_975_8 * sqrt(2 * 0.25 / 5), 1e-9,
               "half width t(0.975, 8) se");

    CHECK(st_welch(2.0, 0.0, 3, 2.0, 0.0, 4, 0.95, &w) == ST_OK && w.p == 1.0 && w.ci_low == 0.0 &&
              w.ci_high == 0.0,
          "no spread, no difference: p = 1, interval [0, 0]");
    CHECK(st_welch(2.5, 0.0, 3, 2.0, 0.0, 4, 0.95, &w) == ST_OK && w.p == 0.0 && w.ci_low == 0.5,
          "no spread, a difference: p = 0");
    CHECK(st_welch(1, 1, 1, 0, 1, 5, 0.95, &w) == ST_ERROR_ARGUMENT &&
              st_welch(1, -1, 3, 0, 1, 5, 0.95, &w) == ST_ERROR_ARGUMENT &&
              st_welch(NAN, 1, 3, 0, 1, 5, 0.95, &w) == ST_ERROR_NOT_FINITE &&
              st_welch(1, 1, 3, 0, 1, 5, 1.0, &w) == ST_ERROR_ARGUMENT,
          "one value, negative sd, NaN, level 1: refused");
}

static void check_bh(void)
{
    const double p[] = {0.01, 0.04, 0.03, 0.005};
    const double want[] = {0.02, 0.04, 0.04, 0.02};
    double q[4];
    CHECK(st_benjamini_hochberg(p, 4, q) == ST_OK, "BH of four p-values");
    for (int i = 0; i < 4; i++)
        CHECK_NEAR(q[i], want[i], 1e-15, "q by hand");
    /* R: p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "BH") = 0.05 each. */
    double r[] = {0.01, 0.02, 0.03, 0.04, 0.05};
    st_benjamini_hochberg(r, 5, r);
    int all = 1;
    for (int i = 0; i < 5; i++)
        all &= fabs(r[i] - 0.05) < 1e-15;
    CHECK(all, "in place: p.adjust's 0.05 five times");
    double with_nan[] = {0.5, NAN, 0.9, 0.9};
    double q3[4];
    st_benjamini_hochberg(with_nan, 4, q3);
    CHECK(isnan(q3[1]) && fabs(q3[0] - 0.9) < 1e-15 && q3[2] == 0.9 && q3[3] == 0.9,
          "NaN left out (m = 3), ties share a value, capped by the running minimum");
    double one[] = {0.7, 0.8};
    st_benjamini_hochberg(one, 2, one);
    CHECK(one[0] == 0.8 && one[1] == 0.8, "q never above the next one up");
    double bad[] = {0.5, 1.5};
    CHECK(st_benjamini_hochberg(bad, 2, q) == ST_ERROR_ARGUMENT, "p > 1 refused");
}

/* Adds 5 L x L images, log10 P at ring r = c - alpha log10(r/L) +
 * offsets[i] + step(r), step = step_log10 for r/L >= step_from. */
static const double offsets[5] = {-0.02, -0.01, 0.0, 0.01, 0.02};

static void add_images(st_accumulator *acc, int side, double c, double alpha, double step_from,
                       double step_log10)
{
    int rings = st_ring_count_for_size(side, side);
    double *power = malloc(sizeof(double) * rings);
    for (int i = 0; i < 5; i++) {
        power[0] = 1.0;
        for (int r = 1; r < rings; r++) {
            double f = (double)r / side;
            power[r] =
                pow(10.0, c - alpha * log10(f) + offsets[i] + (f >= step_from ? step_log10 : 0));
        }
        st_accumulator_add(acc, side, side, power);
    }
    free(power);
}

static void check_datasets(void)
{
    const int side = 128;
    const double c = -3.0, alpha = 2.0;
    st_accumulator *real = st_accumulator_new(NULL, NULL);
    st_accumulator *gen = st_accumulator_new(NULL, NULL);
    add_images(real, side, c, alpha, 1.0, 0.0);
    add_images(gen, side, c, alpha, 0.25, 0.3); /* +3 dB from 0.25 cycles/pixel up */
    int n = st_compare_length(real, gen);
    CHECK(n == side / 2 - 1, "compared on the shared rings but DC: %d points", n);
    st_compare_point *points = malloc(sizeof *points * n);
    st_compare_summary summary;
    st_compare_settings settings = {1.0, 0.05, ST_SCHEDULE_RECTIFIED_FLOW, 1.0};
    CHECK(st_compare_run(real, gen, &settings, points, n, &summary) == ST_OK, "compared");
    CHECK(summary.on_rings && summary.points == n, "on the rings");
    double sd = 0.0, mean = 0.0;
    mean_sd(offsets, 5, &mean, &sd);
    double se = 10.0 * sqrt(2.0 * sd * sd / 5.0);
    int low_ok = 1, high_ok = 1, above = 0;
    for (int i = 0; i < n; i++) {
        const st_compare_point *p = &points[i];
        if (p->freq < 0.25) {
            low_ok &= fabs(p->diff_db) < 1e-6 && p->p > 0.999 && !p->flagged && !p->outside;
        } else {
            above++;
            high_ok &= fabs(p->diff_db - 3.0) < 1e-6 && fabs(p->se_db - se) < 1e-6 &&
                       fabs(p->df - 8.0) < 1e-6 &&
                       fabs(p->ci_low_db - (3.0 - T_975_8 * se)) < 1e-5 && p->flagged &&
                       p->outside && p->n_real == 5 && p->n_gen == 5;
        }
    }
    CHECK(low_ok, "below 0.25: d = 0 dB, p = 1, nothing flagged");
    CHECK(high_ok, "from 0.25 up: d = 3 dB, se and df of the construction, interval 3 -+ t se");
    CHECK(summary.flagged == above && summary.outside == above, "%d flagged, %d outside +-1 dB",
          summary.flagged, summary.outside);
    CHECK_NEAR(summary.f_dev, 0.25, 1e-15, "f_dev = the first ring at 0.25");
    /* Rectified flow: SNR = ((1 - t) / t)^2 = 1 / P_real(0.25). */
    double snr = 1.0 / pow(10.0, c - alpha * log10(0.25));
    CHECK_NEAR(summary.t_dev, 1.0 / (1.0 + sqrt(snr)), 1e-9,
               "t_dev: where the real f_max(t) reaches f_dev");

    /* Tolerance 4 dB: the 3 dB step stays inside, flagged all the same. */
    settings.tolerance_db = 4.0;
    st_compare_run(real, gen, &settings, points, n, &summary);
    CHECK(isnan(summary.f_dev) && isnan(summary.t_dev) && summary.outside == 0 &&
              summary.flagged == above,
          "a 3 dB step within a 4 dB tolerance: no f_dev, still significant");

    /* Against itself: nothing. */
    settings.tolerance_db = 1.0;
    st_compare_run(real, real, &settings, points, n, &summary);
    int zero = 1;
    for (int i = 0; i < n; i++)
        zero &= points[i].diff_db == 0.0 && points[i].q == 1.0;
    CHECK(zero && summary.flagged == 0 && isnan(summary.f_dev), "a set against itself: d = 0");
    free(points);
    st_accumulator_free(real);
    st_accumulator_free(gen);
}

static void add_alpha_images(st_accumulator *acc, double alpha)
{
    int side = 64, rings = st_ring_count_for_size(side, side);
    double power[64];
    for (int i = 0; i < 5; i++) {
        power[0] = 1.0;
        for (int r = 1; r < rings; r++)
            power[r] = pow(10.0, -3.0 - (alpha + 0.1 * offsets[i]) * log10((double)r / side));
        st_accumulator_add(acc, side, side, power);
    }
}

static void check_delta_alpha(void)
{
    st_accumulator *real = st_accumulator_new(NULL, NULL);
    st_accumulator *gen = st_accumulator_new(NULL, NULL);
    add_alpha_images(real, 2.0);
    add_alpha_images(gen, 2.3);
    int n = st_compare_length(real, gen);
    st_compare_point *points = malloc(sizeof *points * n);
    st_compare_summary summary;
    st_compare_settings settings = {0, 0, ST_SCHEDULE_COSINE, 0};
    st_compare_run(real, gen, &settings, points, n, &summary);
    double mean, sd;
    mean_sd(offsets, 5, &mean, &sd);
    double se = sqrt(2.0 * 0.01 * sd * sd / 5.0);
    CHECK(summary.alpha_ok, "per-image alphas compared");
    CHECK_NEAR(summary.alpha_real, 2.0, 1e-6, "alpha of the real set");
    CHECK_NEAR(summary.alpha.difference, 0.3, 1e-6, "delta alpha");
    CHECK_NEAR(summary.alpha.df, 8.0, 1e-4, "its df");
    CHECK_NEAR(summary.alpha.ci_low, 0.3 - T_975_8 * se, 1e-6, "its 95% interval");
    CHECK(summary.tolerance_db == 1.0 && summary.fdr == 0.05, "defaults: 1 dB, q < 0.05");
    free(points);
    st_accumulator_free(real);
    st_accumulator_free(gen);
}

static void check_mixed_and_bad(void)
{
    st_accumulator *real = st_accumulator_new(NULL, NULL);
    st_accumulator *gen = st_accumulator_new(NULL, NULL);
    add_images(real, 256, -3.0, 2.0, 1.0, 0.0);
    add_images(gen, 128, -3.0, 2.0, 1.0, 0.0);
    int n = st_compare_length(real, gen);
    st_compare_point *points = malloc(sizeof *points * (n > 0 ? n : 1));
    st_compare_summary summary;
    st_compare_settings settings = {1.0, 0.05, ST_SCHEDULE_RECTIFIED_FLOW, 1.0};
    CHECK(n > 300 && st_compare_run(real, gen, &settings, points, n, &summary) == ST_OK &&
              !summary.on_rings,
          "256 against 128: on the log grid (%d points)", n);
    int inside = 1, zero = 1;
    for (int i = 0; i < n; i++) {
        inside &= points[i].freq >= 1.0 / 128 && points[i].freq <= 63.0 / 128;
        zero &= fabs(points[i].diff_db) < 1e-6 && !points[i].flagged;
    }
    CHECK(inside, "only where both cover: [1/128, 63/128]");
    CHECK(zero && isnan(summary.f_dev), "the same power law in cycles/pixel: d = 0");
    CHECK(st_compare_run(real, gen, &settings, points, n + 1, &summary) == ST_ERROR_ARGUMENT,
          "a wrong length refused");
    free(points);

    st_accumulator_settings luma_settings = {"luma", NULL, 0};
    st_accumulator *luma = st_accumulator_new(&luma_settings, NULL);
    add_images(luma, 128, -3.0, 2.0, 1.0, 0.0);
    CHECK(st_compare_length(luma, gen) == 0 &&
              st_compare_run(luma, gen, &settings, NULL, 0, &summary) == ST_ERROR_MISMATCH,
          "luma against green: mismatch");
    st_accumulator *one = st_accumulator_new(NULL, NULL);
    double power[32];
    for (int r = 0; r < 32; r++)
        power[r] = 1.0 / (1 + r);
    st_accumulator_add(one, 64, 64, power);
    CHECK(st_compare_run(one, gen, &settings, NULL, 0, &summary) == ST_ERROR_ARGUMENT,
          "a set of one image refused");
    st_accumulator_free(one);
    st_accumulator_free(luma);
    st_accumulator_free(real);
    st_accumulator_free(gen);
}

int main(void)
{
    check_welch();
    check_bh();
    check_datasets();
    check_delta_alpha();
    check_mixed_and_bad();
    return check_done();
}
