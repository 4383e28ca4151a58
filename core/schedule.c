/* Diffusion schedules x_t = a(t) x0 + s(t) eps on t in [0,1], t = 0 clean.
 *
 * Every schedule is one row of the table at the end of this file (and one
 * constant of st_schedule): its name, label, formula, aliases and a(t),
 * s(t). Every list a front offers (the command line, the GEGL operation, the
 * GIMP procedures, the LV2 plugin's TTL) is read from that table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_tide.h"

#include <math.h>
#include <pthread.h>
#include <strings.h>

#define DISCRETE_STEPS 1000
#define SHIFT          3.0
#define COSINE_OFFSET  0.008
#define EDM_SIGMA_MIN  0.002
#define EDM_SIGMA_MAX  80.0
#define EDM_RHO        7.0
#define MAX_ALIASES    6

struct schedule_row {
    const char *name;    /* canonical, what every front shows and accepts */
    const char *label;   /* for menus */
    const char *formula; /* one line, for `spectide schedules` and tooltips */
    const char *aliases[MAX_ALIASES];
    /* a(t), s(t) for t already clamped to [0, 1]. */
    void (*coefficients)(double t, double *a, double *s);
};

/* The schedule table is at the end of this file: one row per st_schedule. */
static const struct schedule_row *row_of(st_schedule schedule);

const char *st_schedule_name(st_schedule schedule)
{
    const struct schedule_row *row = row_of(schedule);
    return row ? row->name : NULL;
}

const char *st_schedule_label(st_schedule schedule)
{
    const struct schedule_row *row = row_of(schedule);
    return row ? row->label : NULL;
}

const char *st_schedule_formula(st_schedule schedule)
{
    const struct schedule_row *row = row_of(schedule);
    return row ? row->formula : NULL;
}

const char *st_schedule_alias(st_schedule schedule, int index)
{
    const struct schedule_row *row = row_of(schedule);
    if (!row || index < 0 || index >= MAX_ALIASES)
        return NULL;
    return row->aliases[index];
}

st_status st_schedule_from_name(const char *name, st_schedule *schedule)
{
    if (!name || !schedule)
        return ST_ERROR_ARGUMENT;
    /* Canonical names first, then aliases, so an alias can never shadow a name. */
    for (int i = 0; i < ST_SCHEDULE_COUNT; i++) {
        if (strcasecmp(name, row_of((st_schedule)i)->name) == 0) {
            *schedule = (st_schedule)i;
            return ST_OK;
        }
    }
    for (int i = 0; i < ST_SCHEDULE_COUNT; i++) {
        for (int k = 0; k < MAX_ALIASES && row_of((st_schedule)i)->aliases[k]; k++) {
            if (strcasecmp(name, row_of((st_schedule)i)->aliases[k]) == 0) {
                *schedule = (st_schedule)i;
                return ST_OK;
            }
        }
    }
    return ST_ERROR_ARGUMENT;
}

/* log(abar) after k = 0..1000 steps of the two discrete schedules. Built
 * once (a few microseconds): a real-time caller should make one call outside
 * its audio thread first. */
static double ddpm_log_abar[DISCRETE_STEPS + 1];
static double scaled_log_abar[DISCRETE_STEPS + 1];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void build_discrete_tables(void)
{
    double ddpm_sum = 0.0, scaled_sum = 0.0;
    ddpm_log_abar[0] = scaled_log_abar[0] = 0.0;
    double root_low = sqrt(0.00085), root_high = sqrt(0.012);
    for (int k = 1; k <= DISCRETE_STEPS; k++) {
        double position = (double)(k - 1) / (DISCRETE_STEPS - 1);
        double beta_linear = 1e-4 + position * (0.02 - 1e-4);
        double root = root_low + position * (root_high - root_low);
        ddpm_sum += log1p(-beta_linear);
        scaled_sum += log1p(-root * root);
        ddpm_log_abar[k] = ddpm_sum;
        scaled_log_abar[k] = scaled_sum;
    }
}

/* log(abar) linear in t between the steps, so SNR decreases strictly. */
static double discrete_abar(const double *log_abar, double t)
{
    pthread_once(&tables_once, build_discrete_tables);
    double position = t * DISCRETE_STEPS;
    int k = (int)floor(position);
    if (k >= DISCRETE_STEPS)
        return exp(log_abar[DISCRETE_STEPS]);
    double weight = position - k;
    return exp(log_abar[k] + weight * (log_abar[k + 1] - log_abar[k]));
}

static double cosine_abar(double t)
{
    if (t >= 1.0)
        return 0.0; /* cos(pi/2) is 6e-17 in floating point, not 0 */
    double angle = (t + COSINE_OFFSET) / (1.0 + COSINE_OFFSET) * M_PI / 2.0;
    double angle0 = COSINE_OFFSET / (1.0 + COSINE_OFFSET) * M_PI / 2.0;
    double abar = cos(angle) * cos(angle) / (cos(angle0) * cos(angle0));
    return abar > 1.0 ? 1.0 : abar;
}

static double edm_sigma(double t)
{
    if (t <= 0.0)
        return 0.0;
    double low = pow(EDM_SIGMA_MIN, 1.0 / EDM_RHO), high = pow(EDM_SIGMA_MAX, 1.0 / EDM_RHO);
    return pow(low + t * (high - low), EDM_RHO);
}

static void rectified_flow(double t, double *a, double *s)
{
    *a = 1.0 - t;
    *s = t;
}

static void shifted_flow(double t, double *a, double *s)
{
    rectified_flow(SHIFT * t / (1.0 + (SHIFT - 1.0) * t), a, s);
}

/* Variance preserving: a = sqrt(abar), s = sqrt(1 - abar). */
static void variance_preserving(double abar, double *a, double *s)
{
    *a = sqrt(abar);
    *s = sqrt(1.0 - abar);
}

static void cosine(double t, double *a, double *s)
{
    variance_preserving(cosine_abar(t), a, s);
}

static void ddpm_linear(double t, double *a, double *s)
{
    variance_preserving(discrete_abar(ddpm_log_abar, t), a, s);
}

static void scaled_linear(double t, double *a, double *s)
{
    variance_preserving(discrete_abar(scaled_log_abar, t), a, s);
}

static void edm(double t, double *a, double *s)
{
    *a = 1.0;
    *s = edm_sigma(t);
}

void st_schedule_coefficients(st_schedule schedule, double t, double *a, double *s)
{
    if (!(t > 0.0))
        t = 0.0; /* also NaN */
    if (t > 1.0)
        t = 1.0;
    const struct schedule_row *row = row_of(schedule);
    /* An index outside the table is read as rectified flow (as it always was). */
    (row ? row->coefficients : rectified_flow)(t, a, s);
}

double st_schedule_snr(st_schedule schedule, double t)
{
    double a, s;
    st_schedule_coefficients(schedule, t, &a, &s);
    if (a == 0.0)
        return 0.0;
    if (s == 0.0)
        return INFINITY;
    return (a * a) / (s * s);
}

double st_schedule_t_for_snr(st_schedule schedule, double snr)
{
    if (isnan(snr))
        return NAN;
    if (snr >= st_schedule_snr(schedule, 0.0))
        return 0.0;
    if (snr <= st_schedule_snr(schedule, 1.0))
        return 1.0;
    /* Invariant: SNR(low) > snr >= SNR(high). */
    double low = 0.0, high = 1.0;
    for (int i = 0; i < 200 && high - low > 1e-15; i++) {
        double middle = 0.5 * (low + high);
        if (st_schedule_snr(schedule, middle) > snr)
            low = middle;
        else
            high = middle;
    }
    return high;
}

double st_noise_floor(st_schedule schedule, double t, double tau)
{
    /* t clamped as st_schedule_coefficients clamps it; the floor itself is
     * the tide level's (one formula for every front). */
    if (!(t > 0.0))
        t = 0.0;
    if (t > 1.0)
        t = 1.0;
    st_tide_level level;
    st_tide_level_from_schedule(schedule, t, tau, &level);
    return level.noise_floor;
}

/* ------------------------------------------------------------------ */
/* The table: one row per st_schedule, in the enum's order             */
/* ------------------------------------------------------------------ */

static const struct schedule_row schedule_table[] = {
    [ST_SCHEDULE_RECTIFIED_FLOW] = {"rectified-flow",
                                    "Rectified flow",
                                    "rectified flow: a = 1 - t, s = t",
                                    {"rf", "rectified_flow", "rectified", "flow"},
                                    rectified_flow},
    [ST_SCHEDULE_SHIFTED_FLOW] = {"sd3",
                                  "Shifted rectified flow (SD3, shift 3)",
                                  "shifted rectified flow (SD3, shift 3): t' = 3t / (1 + 2t), "
                                  "a = 1 - t', s = t'",
                                  {"shifted-flow", "shifted_flow", "shifted-rectified-flow",
                                   "sd3-flow"},
                                  shifted_flow},
    [ST_SCHEDULE_COSINE] = {"cosine",
                            "Cosine (variance preserving)",
                            "variance-preserving cosine: abar = cos^2((t + 0.008)/1.008 * pi/2) / "
                            "cos^2(0.008/1.008 * pi/2), a = sqrt(abar), s = sqrt(1 - abar)",
                            {"vp-cosine", "vp_cosine", "cos"},
                            cosine},
    [ST_SCHEDULE_DDPM_LINEAR] = {"ddpm",
                                 "DDPM linear betas",
                                 "DDPM linear: betas 1e-4..0.02 linear over 1000 steps, abar = "
                                 "prod(1 - beta) at t = k/1000, a = sqrt(abar), s = sqrt(1 - abar)",
                                 {"ddpm-linear", "ddpm_linear", "linear"},
                                 ddpm_linear},
    [ST_SCHEDULE_SCALED_LINEAR] =
        {"scaled-linear",
         "Stable Diffusion scaled-linear",
         "Stable Diffusion scaled-linear: betas = (linspace(sqrt(0.00085), "
         "sqrt(0.012), 1000))^2, abar = prod(1 - beta) at t = k/1000, "
         "a = sqrt(abar), s = sqrt(1 - abar)",
         {"scaled_linear", "sd", "stable-diffusion", "ldm"},
         scaled_linear},
    [ST_SCHEDULE_EDM] = {"edm",
                         "EDM (variance exploding)",
                         "EDM / variance exploding: a = 1, s = (0.002^(1/7) + t (80^(1/7) - "
                         "0.002^(1/7)))^7 for t > 0 (Karras rho = 7), s(0) = 0",
                         {"ve", "karras", "variance-exploding"},
                         edm},
};

/* A constant added at the end of st_schedule without its row does not
 * compile; a row missing in the middle has no name, which
 * tests/core_image/test_tide_level reports. */
_Static_assert(sizeof schedule_table / sizeof schedule_table[0] == ST_SCHEDULE_COUNT,
               "core/schedule.c: one row of schedule_table per st_schedule");

static const struct schedule_row *row_of(st_schedule schedule)
{
    if ((int)schedule < 0 || schedule >= ST_SCHEDULE_COUNT)
        return NULL;
    return &schedule_table[schedule];
}
