/* spectide core: f_max(t) of a whole dataset as a continuous function, and
 * the schedule shift between two datasets measured from their spectra.
 *
 * Why a shift. At time t a diffusion schedule drowns every frequency of x0
 * whose power lies under the noise floor tau s(t)^2 / a(t)^2 (f_max, see
 * docs/conventions.md). A model trained on larger images sees the same
 * structures (the same number of cycles per image) at more pixels, with
 * more power per cycle: at the same t it drowns fewer of them. The shifted
 * time t' at which the target set drowns the structures the base set
 * drowns at t is measured here from the two mean spectra:
 *
 *   u*(t) = L_base f_max_base(t)             (cycles per image)
 *   t'    : L_target f_max_target(t') = u*(t)
 *
 * and expressed as the offset of log SNR (natural log, SNR = a^2 / s^2)
 *   delta(t) = ln SNR(t) - ln SNR(t')
 * and as the equivalent rectified-flow shift k(t) = exp(delta(t) / 2), which
 * for rectified flow is exactly (t'/(1-t')) / (t/(1-t)), the k of SD3's
 * t' = k t / (1 + (k-1) t). Both do not depend on the schedule as functions
 * of the noise floor (only the t at which a floor is reached does): delta =
 * ln(10) (log10 floor_target - log10 floor_base) with both floors read off
 * the two spectra at the same u*.
 *
 * The side L of a set (cycles per image u = f L): its images' longest side
 * when every image has the same one; for a set of mixed sizes the geometric
 * mean of the longest sides (st_accumulator_info.side_geometric_mean), so
 * that log u = log f + the mean of log L over the images: the set is read as
 * if every image had that side. This is exact for the shift when all images
 * are views of the same content at one pixel scale and only approximate
 * when the sizes come from different content (crops of different fields of
 * view).
 *
 * The curve. The mean log10 P of the set on its best axis (the rings when
 * every image shares them, else the accumulator's log grid), every point
 * but DC that at least half of the images cover (all points for a
 * single-size set), joined by straight lines in (log10 f, log10 P). f_max
 * of a noise floor is the largest f on this polyline with log10 P above
 * log10 floor: continuous in the floor (and so in t), never quantised to
 * rings. These are statements about the mean log-spectrum of a
 * distribution, not about any single image.
 *
 * Threads: an st_fmax_curve is immutable after st_fmax_curve_new: its const
 * functions may run in any threads at once; new/free of different curves
 * are thread-safe. st_shift_measure and the weight functions are pure and
 * thread-safe (concurrent calls on accumulators that nobody writes).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_SHIFT_H
#define SPECTIDE_SHIFT_H

#include "spectide.h"
#include "spectide_accumulator.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the continuous f_max of a dataset ---- */

typedef struct st_fmax_curve st_fmax_curve;

/* The curve of the accumulator's mean spectrum (see above). NULL on failure:
 * ST_ERROR_ARGUMENT for a NULL accumulator or fewer than two usable points
 * (images too small), ST_NOT_READY for an empty accumulator, ST_ERROR_MEMORY. */
ST_API st_fmax_curve *st_fmax_curve_new(const st_accumulator *acc, st_status *error);
ST_API void st_fmax_curve_free(st_fmax_curve *curve); /* NULL: no-op */

/* The frequency range of the curve, cycles/pixel (its first and last point).
 * ST_ERROR_ARGUMENT for NULL. */
ST_API st_status st_fmax_curve_range(const st_fmax_curve *curve, double *f_low, double *f_high);
/* The side L of the set (see above): cycles per image = f L. */
ST_API double st_fmax_curve_side(const st_fmax_curve *curve);
/* The interpolated mean log10 P at freq into *log10_power; ST_ERROR_ARGUMENT
 * outside the range (or NULL). */
ST_API st_status st_fmax_curve_log10_power(const st_fmax_curve *curve, double freq,
                                           double *log10_power);
/* f_max for a noise floor (tau s^2 / a^2, power at the x0 scale): the
 * largest f of the curve with power above the floor, the crossing placed by
 * linear interpolation in log-log; the top of the range when the whole
 * curve is above (f_max lies beyond what the images show), 0 when none of
 * it is (a floor <= 0 gives the top, +INFINITY 0). NaN for a NaN floor. */
ST_API double st_fmax_curve_fmax(const st_fmax_curve *curve, double noise_floor);
/* The inverse: the noise floor at which f_max reaches freq, i.e.
 * 10^(max over f' >= freq of log10 P(f')) (a local dip under a later bump is
 * not where f_max falls), into *noise_floor; ST_ERROR_ARGUMENT outside the
 * range (or NULL). */
ST_API st_status st_fmax_curve_noise_floor(const st_fmax_curve *curve, double freq,
                                           double *noise_floor);

/* ---- training densities of t ---- */

typedef enum {
    ST_SHIFT_WEIGHT_UNIFORM = 0, /* "uniform": t ~ U(0, 1) */
    ST_SHIFT_WEIGHT_LOGIT_NORMAL /* "logit-normal": SD3's logit(t) ~ N(0, 1) */
} st_shift_weight;

/* "uniform" | "logit-normal" (also "logit_normal", "lognorm") -> ST_OK, else
 * ST_ERROR_ARGUMENT. */
ST_API st_status st_shift_weight_from_name(const char *name, st_shift_weight *weight);
ST_API const char *st_shift_weight_name(st_shift_weight weight); /* NULL if out of range */
/* The density at t: 1 on (0, 1) for uniform; exp(-logit(t)^2 / 2) /
 * (sqrt(2 pi) t (1 - t)) for logit-normal; 0 at t <= 0 and t >= 1. */
ST_API double st_shift_weight_density(st_shift_weight weight, double t);

/* ---- the shift ---- */

/* The limit of the spread: when the weighted standard deviation of ln k(t)
 * over the training times exceeds it (k varying by more than a factor 1.22
 * either way), no single shift fits the pair. */
#define ST_SHIFT_SPREAD_LIMIT 0.2

typedef struct {
    st_schedule schedule;   /* the schedule of the t grid */
    double tau;             /* SNR threshold of f_max; <= 0: 1 */
    st_shift_weight weight; /* training density of t for the fitted k */
} st_shift_settings;

/* Why a row has no k. */
typedef enum {
    ST_SHIFT_DEFINED = 0,    /* it has */
    ST_SHIFT_END,            /* t = 0 or t = 1 */
    ST_SHIFT_BASE_DROWNED,   /* the base's whole spectrum is under the noise (f_max 0) */
    ST_SHIFT_BASE_CLEAR,     /* the base is above the noise up to its last point */
    ST_SHIFT_OUTSIDE_TARGET, /* u* / L_target lies outside the target's curve */
    ST_SHIFT_NO_FLOOR        /* the schedule's floor is 0 or infinite there */
} st_shift_limit;

typedef struct {
    double t;             /* i / (steps - 1) */
    double t_shifted;     /* t'; NaN where not defined or beyond the schedule's range */
    double fmax_base;     /* f_max of the base at t, cycles/pixel */
    double fmax_target;   /* f_max of the target at t' (= cycles / L_target); NaN if undefined */
    double cycles;        /* u* = L_base fmax_base, cycles per image */
    double log_snr_shift; /* ln SNR(t) - ln SNR(t'); NaN if undefined */
    double k;             /* exp(log_snr_shift / 2); NaN if undefined */
    double weight;        /* the training density at t */
    int defined;          /* 1 when k exists: the base's f_max lies inside its curve (neither
                             0 nor its top) and u* / L_target inside the target's */
    st_shift_limit limit; /* ST_SHIFT_DEFINED, or why not */
} st_shift_row;

typedef struct {
    double side_base, side_target; /* L of each set */
    int rows_defined;              /* rows with k */
    double k;                      /* exp of the weighted mean of ln k(t) over defined rows */
    double log_snr_shift;          /* 2 ln k: the fitted log-SNR offset */
    double log_k_sd;               /* weighted standard deviation of ln k(t) */
    double spread;                 /* exp(log_k_sd): k is within k/spread .. k*spread (1 sd) */
    double weight_covered;         /* share of the training weight (t grid) on defined rows */
    int single_shift_fits;         /* log_k_sd <= ST_SHIFT_SPREAD_LIMIT */
    double pixels_base;            /* n: width*height when both sets have one size each, */
    double pixels_target;          /* m: else L^2 for both */
    double k_sd3;                  /* SD3's rule of thumb sqrt(m / n) */
    double log_snr_shift_simple;   /* simple diffusion's 2 ln(L_target / L_base) */
    double k_simple;               /* its equivalent k: L_target / L_base */
} st_shift_summary;

/* The shift from `base` to `target` on t = i / (steps - 1), i = 0 ..
 * steps - 1 (steps >= 3; rows[steps], the ends never defined) and its fit
 * (least squares of ln k weighted by the training density: the weighted
 * mean of ln k(t)). ST_ERROR_ARGUMENT for bad arguments or images too small
 * for a curve, ST_ERROR_MISMATCH for sets of different channels or pixel
 * mappings, ST_NOT_READY when a set is empty or no row is defined (rows and
 * summary are still filled), ST_ERROR_MEMORY. */
ST_API st_status st_shift_measure(const st_accumulator *base, const st_accumulator *target,
                                  const st_shift_settings *settings, st_shift_row *rows, int steps,
                                  st_shift_summary *summary);

#ifdef __cplusplus
}
#endif

#endif /* SPECTIDE_SHIFT_H */
