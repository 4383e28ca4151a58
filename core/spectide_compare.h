/* spectide core: two datasets' mean spectra compared with confidence
 * intervals and a correction for testing many frequencies at once (a real
 * set against a generated one), and the two tests underneath: Welch's t
 * test from summary statistics and Benjamini-Hochberg q-values.
 *
 * Per point of the common frequency axis (the rings when both sets share
 * one ring axis, i.e. the same longest side; else the accumulators' log
 * grid), among the points that at least half of each set's images cover and
 * at least two images of each:
 *   d    = 10 (mean log10 P_gen - mean log10 P_real)                 dB
 *   se   = 10 sqrt(s_gen^2 / n_gen + s_real^2 / n_real)               dB
 *   df   = Welch-Satterthwaite (v_g + v_r)^2 / (v_g^2/(n_g-1) + v_r^2/(n_r-1)), v = s^2/n
 *   CI   = d -+ t(0.975, df) se, p two-sided, q Benjamini-Hochberg over the points;
 * s is the standard deviation of log10 P over the images of a set, so these
 * are statements about the mean log-spectrum of the two distributions the
 * images are drawn from, not about any single image. Neighbouring points
 * of the log grid interpolate the same rings and are positively
 * correlated; Benjamini-Hochberg keeps its false discovery rate under such
 * positive dependence (Benjamini & Yekutieli 2001, PRDS).
 *
 * f_dev is the lowest frequency whose whole interval lies outside
 * +-tolerance dB: where the generated spectrum departs from the real one by
 * more than the tolerance, beyond doubt at the 95% level. t_dev is the time
 * at which the real set's f_max(t) (st_fmax_curve, threshold tau) reaches
 * f_dev under the schedule: where in sampling (t from 1 down to 0) that
 * frequency emerges from the noise, so where the deviation is decided.
 * Delta alpha: Welch's test on the per-image power-law exponents.
 *
 * Threads: every function here is pure and thread-safe (concurrent calls on
 * accumulators that nobody writes).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_COMPARE_H
#define SPECTIDE_COMPARE_H

#include "spectide.h"
#include "spectide_accumulator.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Welch's t test from summary statistics ---- */

typedef struct {
    double difference;      /* mean_x - mean_y */
    double standard_error;  /* sqrt(sd_x^2 / n_x + sd_y^2 / n_y) */
    double df;              /* Welch-Satterthwaite degrees of freedom */
    double t;               /* difference / standard_error */
    double ci_low, ci_high; /* the `level` interval of the difference */
    double p;               /* two-sided p-value */
} st_welch_result;

/* Welch's unequal-variance test of mean_x - mean_y, level in (0, 1) (0.95
 * for a 95% interval). n >= 2 and sd >= 0 each, else ST_ERROR_ARGUMENT;
 * ST_ERROR_NOT_FINITE for a non-finite mean or sd. When both sd are 0 the
 * standard error is 0: the interval is the difference itself, df is
 * n_x + n_y - 2 and p is 1 for a zero difference, else 0. */
ST_API st_status st_welch(double mean_x, double sd_x, uint64_t n_x, double mean_y, double sd_y,
                          uint64_t n_y, double level, st_welch_result *result);

/* ---- Benjamini-Hochberg ---- */

/* q[i] = min over j with p_(j) >= p[i] of m p_(j) / rank(j), capped at 1,
 * over the m finite p-values (ties share the largest rank's value); NaN
 * where p[i] is NaN. q may be p. ST_ERROR_ARGUMENT for NULL or n < 0, or a
 * p outside [0, 1]; ST_ERROR_MEMORY. */
ST_API st_status st_benjamini_hochberg(const double *p, int n, double *q);

/* ---- two datasets ---- */

typedef struct {
    double tolerance_db;  /* D: f_dev needs the whole interval outside +-D; <= 0: 1 dB */
    double fdr;           /* q below which a point is flagged; <= 0: 0.05 */
    st_schedule schedule; /* for t_dev */
    double tau;           /* SNR threshold of f_max for t_dev; <= 0: 1 */
} st_compare_settings;

typedef struct {
    double freq; /* cycles/pixel */
    uint64_t n_real, n_gen;
    double mean_real_db, mean_gen_db; /* 10 mean log10 P */
    double sd_real_db, sd_gen_db;     /* 10 sd of log10 P over images */
    double diff_db;                   /* mean_gen_db - mean_real_db */
    double se_db, df;
    double ci_low_db, ci_high_db; /* 95% */
    double p, q;
    int flagged; /* q < fdr */
    int outside; /* ci_low_db > D or ci_high_db < -D */
} st_compare_point;

typedef struct {
    int on_rings;                 /* 1: the shared ring axis, 0: the log grid */
    int points;                   /* points compared */
    int flagged;                  /* with q < fdr */
    int outside;                  /* with the whole interval outside +-D */
    double tolerance_db;          /* D used */
    double fdr;                   /* the q threshold used */
    double f_dev;                 /* lowest frequency outside +-D; NaN if none */
    double t_dev;                 /* t at which the real set's f_max reaches f_dev; NaN if none or
                                     beyond the schedule's range */
    int alpha_ok;                 /* both sets have two or more per-image fits */
    double alpha_real, alpha_gen; /* mean per-image alpha */
    st_welch_result alpha;        /* delta alpha = alpha_gen - alpha_real, 95% */
} st_compare_summary;

/* The number of points st_compare_run fills (0 when the sets cannot be
 * compared or share no point). */
ST_API int st_compare_length(const st_accumulator *real, const st_accumulator *gen);
/* Fills points[length] (length = st_compare_length) in ascending frequency
 * and the summary. ST_ERROR_ARGUMENT for bad arguments, another length, or
 * a set with fewer than two images; ST_ERROR_MISMATCH for sets of different
 * channels, pixel mappings or grids; ST_NOT_READY when they share no point;
 * ST_ERROR_MEMORY. */
ST_API st_status st_compare_run(const st_accumulator *real, const st_accumulator *gen,
                                const st_compare_settings *settings, st_compare_point *points,
                                int length, st_compare_summary *summary);

#ifdef __cplusplus
}
#endif

#endif /* SPECTIDE_COMPARE_H */
