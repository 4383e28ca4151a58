/* Diffusion schedules x_t = a(t) x0 + s(t) eps on t in [0,1], t = 0 clean.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide.h"

#include <math.h>
#include <pthread.h>
#include <strings.h>

#define DISCRETE_STEPS 1000
#define SHIFT          3.0
#define COSINE_OFFSET  0.008
#define EDM_SIGMA_MIN  0.002
#define EDM_SIGMA_MAX  80.0
#define EDM_RHO        7.0

static const char *const canonical_names[ST_SCHEDULE_COUNT] = {
    "rectified-flow", "sd3", "cosine", "ddpm", "scaled-linear", "edm",
};

static const char *const formulas[ST_SCHEDULE_COUNT] = {
    "rectified flow: a = 1 - t, s = t",
    "shifted rectified flow (SD3, shift 3): t' = 3t / (1 + 2t), a = 1 - t', s = t'",
    "variance-preserving cosine: abar = cos^2((t + 0.008)/1.008 * pi/2) / cos^2(0.008/1.008 * "
    "pi/2), a = sqrt(abar), s = sqrt(1 - abar)",
    "DDPM linear: betas 1e-4..0.02 linear over 1000 steps, abar = prod(1 - beta) at t = k/1000, "
    "a = sqrt(abar), s = sqrt(1 - abar)",
    "Stable Diffusion scaled-linear: betas = (linspace(sqrt(0.00085), sqrt(0.012), 1000))^2, "
    "abar = prod(1 - beta) at t = k/1000, a = sqrt(abar), s = sqrt(1 - abar)",
    "EDM / variance exploding: a = 1, s = (0.002^(1/7) + t (80^(1/7) - 0.002^(1/7)))^7 for t > 0 "
    "(Karras rho = 7), s(0) = 0",
};

static const struct {
    const char *name;
    st_schedule schedule;
} aliases[] = {
    {"rf", ST_SCHEDULE_RECTIFIED_FLOW},
    {"rectified_flow", ST_SCHEDULE_RECTIFIED_FLOW},
    {"rectified", ST_SCHEDULE_RECTIFIED_FLOW},
    {"flow", ST_SCHEDULE_RECTIFIED_FLOW},
    {"shifted-flow", ST_SCHEDULE_SHIFTED_FLOW},
    {"shifted_flow", ST_SCHEDULE_SHIFTED_FLOW},
    {"shifted-rectified-flow", ST_SCHEDULE_SHIFTED_FLOW},
    {"sd3-flow", ST_SCHEDULE_SHIFTED_FLOW},
    {"vp-cosine", ST_SCHEDULE_COSINE},
    {"vp_cosine", ST_SCHEDULE_COSINE},
    {"cos", ST_SCHEDULE_COSINE},
    {"ddpm-linear", ST_SCHEDULE_DDPM_LINEAR},
    {"ddpm_linear", ST_SCHEDULE_DDPM_LINEAR},
    {"linear", ST_SCHEDULE_DDPM_LINEAR},
    {"scaled_linear", ST_SCHEDULE_SCALED_LINEAR},
    {"sd", ST_SCHEDULE_SCALED_LINEAR},
    {"stable-diffusion", ST_SCHEDULE_SCALED_LINEAR},
    {"ldm", ST_SCHEDULE_SCALED_LINEAR},
    {"ve", ST_SCHEDULE_EDM},
    {"karras", ST_SCHEDULE_EDM},
    {"variance-exploding", ST_SCHEDULE_EDM},
};

const char *st_schedule_name(st_schedule schedule)
{
    if ((int)schedule < 0 || schedule >= ST_SCHEDULE_COUNT)
        return NULL;
    return canonical_names[schedule];
}

const char *st_schedule_formula(st_schedule schedule)
{
    if ((int)schedule < 0 || schedule >= ST_SCHEDULE_COUNT)
        return NULL;
    return formulas[schedule];
}

st_status st_schedule_from_name(const char *name, st_schedule *schedule)
{
    if (!name || !schedule)
        return ST_ERROR_ARGUMENT;
    for (int i = 0; i < ST_SCHEDULE_COUNT; i++) {
        if (strcasecmp(name, canonical_names[i]) == 0) {
            *schedule = (st_schedule)i;
            return ST_OK;
        }
    }
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        if (strcasecmp(name, aliases[i].name) == 0) {
            *schedule = aliases[i].schedule;
            return ST_OK;
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

void st_schedule_coefficients(st_schedule schedule, double t, double *a, double *s)
{
    if (!(t > 0.0))
        t = 0.0; /* also NaN */
    if (t > 1.0)
        t = 1.0;
    double abar;
    switch (schedule) {
    case ST_SCHEDULE_SHIFTED_FLOW:
        t = SHIFT * t / (1.0 + (SHIFT - 1.0) * t);
        /* fall through */
    case ST_SCHEDULE_RECTIFIED_FLOW:
    default:
        *a = 1.0 - t;
        *s = t;
        return;
    case ST_SCHEDULE_EDM:
        *a = 1.0;
        *s = edm_sigma(t);
        return;
    case ST_SCHEDULE_COSINE:
        abar = cosine_abar(t);
        break;
    case ST_SCHEDULE_DDPM_LINEAR:
        abar = discrete_abar(ddpm_log_abar, t);
        break;
    case ST_SCHEDULE_SCALED_LINEAR:
        abar = discrete_abar(scaled_log_abar, t);
        break;
    }
    *a = sqrt(abar);
    *s = sqrt(1.0 - abar);
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
    double a, s;
    st_schedule_coefficients(schedule, t, &a, &s);
    if (a == 0.0)
        return INFINITY;
    return tau * (s * s) / (a * a);
}
