/* Schedules: boundary values, invariants, strict SNR decrease, the discrete
 * tables against a product written here, and the inverse t(SNR).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "check.h"
#include "spectide.h"

/* abar after k steps of betas linear in `root` space from low to high
 * (power 1: DDPM linear; power 2: scaled-linear), as a plain product. */
static double product_abar(int k, double low, double high, int squared)
{
    double abar = 1.0;
    for (int i = 0; i < k; i++) {
        double value = low + (high - low) * i / 999.0;
        abar *= 1.0 - (squared ? value * value : value);
    }
    return abar;
}

static void check_invariants(st_schedule schedule)
{
    const char *name = st_schedule_name(schedule);
    double a, s;
    st_schedule_coefficients(schedule, 0.0, &a, &s);
    CHECK(a == 1.0 && s == 0.0, "%s: a(0) = 1, s(0) = 0", name);
    CHECK(isinf(st_schedule_snr(schedule, 0.0)), "%s: SNR(0) infinite", name);
    /* Strictly decreasing on a grid finer than the 1000-step tables. */
    const int grid = 20000;
    double previous = INFINITY;
    int decreasing = 1, invariant = 1;
    for (int i = 1; i <= grid; i++) {
        double t = (double)i / grid;
        double snr = st_schedule_snr(schedule, t);
        if (!(snr < previous))
            decreasing = 0;
        previous = snr;
        st_schedule_coefficients(schedule, t, &a, &s);
        if (schedule == ST_SCHEDULE_RECTIFIED_FLOW || schedule == ST_SCHEDULE_SHIFTED_FLOW)
            invariant &= fabs(a + s - 1.0) < 1e-15;
        else if (schedule == ST_SCHEDULE_EDM)
            invariant &= a == 1.0;
        else
            invariant &= fabs(a * a + s * s - 1.0) < 1e-12;
    }
    CHECK(decreasing, "%s: SNR strictly decreasing on %d points", name, grid);
    CHECK(invariant, "%s: %s", name,
          schedule <= ST_SCHEDULE_SHIFTED_FLOW ? "a + s = 1"
          : schedule == ST_SCHEDULE_EDM        ? "a = 1"
                                               : "a^2 + s^2 = 1");
    /* Inverse: t(SNR(t)) = t. */
    double worst = 0.0;
    for (int i = 1; i < 20; i++) {
        double t = i / 20.0;
        worst =
            fmax(worst, fabs(st_schedule_t_for_snr(schedule, st_schedule_snr(schedule, t)) - t));
    }
    CHECK(worst < 1e-9, "%s: t_for_snr inverts snr (worst %.3g)", name, worst);
    CHECK(st_schedule_t_for_snr(schedule, INFINITY) == 0.0, "%s: t(SNR = inf) = 0", name);
    CHECK(st_schedule_formula(schedule) != NULL, "%s: has a formula", name);
    st_schedule parsed;
    CHECK(st_schedule_from_name(name, &parsed) == ST_OK && parsed == schedule,
          "%s: name round-trips", name);
}

static void check_values(void)
{
    double a, s;
    st_schedule_coefficients(ST_SCHEDULE_RECTIFIED_FLOW, 0.3, &a, &s);
    CHECK_NEAR(s, 0.3, 1e-15, "rectified flow s(0.3)");
    st_schedule_coefficients(ST_SCHEDULE_SHIFTED_FLOW, 0.5, &a, &s);
    CHECK_NEAR(s, 0.75, 1e-15, "sd3 s(0.5) = 3*0.5/(1+2*0.5)");
    st_schedule_coefficients(ST_SCHEDULE_COSINE, 0.5, &a, &s);
    double c0 = cos(0.008 / 1.008 * M_PI / 2), c = cos(0.508 / 1.008 * M_PI / 2);
    CHECK_NEAR(a * a, c * c / (c0 * c0), 1e-12, "cosine abar(0.5)");
    st_schedule_coefficients(ST_SCHEDULE_COSINE, 1.0, &a, &s);
    CHECK(a == 0.0 && s == 1.0, "cosine: a(1) = 0, s(1) = 1");
    CHECK(st_schedule_snr(ST_SCHEDULE_COSINE, 1.0) == 0.0, "cosine: SNR(1) = 0");
    CHECK(isinf(st_noise_floor(ST_SCHEDULE_COSINE, 1.0, 1.0)), "cosine: noise floor at t=1 inf");
    st_schedule_coefficients(ST_SCHEDULE_RECTIFIED_FLOW, 1.0, &a, &s);
    CHECK(a == 0.0 && st_schedule_snr(ST_SCHEDULE_RECTIFIED_FLOW, 1.0) == 0.0,
          "rectified flow: a(1) = 0, SNR 0");
    CHECK_NEAR(st_noise_floor(ST_SCHEDULE_RECTIFIED_FLOW, 0.2, 2.0), 2.0 * 0.04 / 0.64, 1e-15,
               "noise floor tau s^2/a^2 at rf t=0.2, tau 2");

    for (int k = 1; k <= 1000; k += 333) {
        double t = k / 1000.0;
        st_schedule_coefficients(ST_SCHEDULE_DDPM_LINEAR, t, &a, &s);
        double want = product_abar(k, 1e-4, 0.02, 0);
        CHECK_NEAR(a * a / want, 1.0, 1e-10, "ddpm abar(k/1000) / product of (1 - beta)");
        st_schedule_coefficients(ST_SCHEDULE_SCALED_LINEAR, t, &a, &s);
        want = product_abar(k, sqrt(0.00085), sqrt(0.012), 1);
        CHECK_NEAR(a * a / want, 1.0, 1e-10, "scaled-linear abar(k/1000) / product");
    }
    /* Between steps 500 and 501, log abar is linear. */
    st_schedule_coefficients(ST_SCHEDULE_DDPM_LINEAR, 0.5005, &a, &s);
    double geometric = sqrt(product_abar(500, 1e-4, 0.02, 0) * product_abar(501, 1e-4, 0.02, 0));
    CHECK_NEAR(a * a / geometric, 1.0, 1e-10, "ddpm half-way between steps: geometric mean");

    st_schedule_coefficients(ST_SCHEDULE_EDM, 1.0, &a, &s);
    CHECK_NEAR(s, 80.0, 1e-9, "edm s(1) = 80");
    st_schedule_coefficients(ST_SCHEDULE_EDM, 1e-300, &a, &s);
    CHECK_NEAR(s, 0.002, 1e-12, "edm s(0+) = 0.002");
    double mid = pow(0.5 * (pow(0.002, 1 / 7.0) + pow(80.0, 1 / 7.0)), 7.0);
    st_schedule_coefficients(ST_SCHEDULE_EDM, 0.5, &a, &s);
    CHECK_NEAR(s, mid, 1e-9 * mid, "edm s(0.5) Karras rho 7");
    st_schedule_coefficients(ST_SCHEDULE_RECTIFIED_FLOW, -3.0, &a, &s);
    CHECK(a == 1.0 && s == 0.0, "t < 0 clamps to 0");
    st_schedule_coefficients(ST_SCHEDULE_RECTIFIED_FLOW, 7.0, &a, &s);
    CHECK(a == 0.0 && s == 1.0, "t > 1 clamps to 1");
    CHECK(st_schedule_t_for_snr(ST_SCHEDULE_RECTIFIED_FLOW, 1.0) == 0.5,
          "rectified flow: SNR 1 at t = 0.5");
}

static void check_names(void)
{
    static const struct {
        const char *name;
        st_schedule want;
    } cases[] = {
        {"rf", ST_SCHEDULE_RECTIFIED_FLOW},
        {"rectified_flow", ST_SCHEDULE_RECTIFIED_FLOW},
        {"vp-cosine", ST_SCHEDULE_COSINE},
        {"SD3", ST_SCHEDULE_SHIFTED_FLOW},
        {"scaled_linear", ST_SCHEDULE_SCALED_LINEAR},
        {"ve", ST_SCHEDULE_EDM},
        {"ddpm", ST_SCHEDULE_DDPM_LINEAR},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        st_schedule got = ST_SCHEDULE_COUNT;
        CHECK(st_schedule_from_name(cases[i].name, &got) == ST_OK && got == cases[i].want,
              "alias \"%s\"", cases[i].name);
    }
    st_schedule unused;
    CHECK(st_schedule_from_name("warp-drive", &unused) == ST_ERROR_ARGUMENT,
          "unknown name: ST_ERROR_ARGUMENT");
    CHECK(st_schedule_name(ST_SCHEDULE_COUNT) == NULL, "name out of range: NULL");
}

int main(void)
{
    for (int i = 0; i < ST_SCHEDULE_COUNT; i++)
        check_invariants((st_schedule)i);
    check_values();
    check_names();
    return check_done();
}
