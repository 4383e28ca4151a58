/* f_max of a synthetic power law against its closed form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "check.h"
#include "spectide.h"

enum { LONGEST = 256, RINGS = LONGEST / 2 };
static const double alpha = 2.2, c = -2.0;

int main(void)
{
    double freq[RINGS], power[RINGS];
    for (int r = 0; r < RINGS; r++) {
        freq[r] = (double)r / LONGEST;
        power[r] = r == 0 ? 1e6 : pow(10.0, c) * pow(freq[r], -alpha);
    }
    st_powerlaw fit;
    CHECK(st_powerlaw_fit(freq, power, RINGS, 0, 0, 0, &fit) == ST_OK, "fit of the power law");

    static const double times[] = {0.05, 0.2, 0.5, 0.8};
    for (int i = 0; i < 4; i++) {
        for (double tau = 1.0; tau <= 4.0; tau *= 4.0) {
            double a = 1.0 - times[i], s = times[i];
            double floor = tau * s * s / (a * a);
            /* 10^c f^-alpha = floor  <=>  f = (10^c / floor)^(1/alpha). */
            double crossing = pow(pow(10.0, c) / floor, 1.0 / alpha);
            double want_fit = crossing > 0.5 ? 0.5 : crossing;
            /* P(f) > floor exactly for f < crossing: the last such ring. */
            int ring = (int)ceil(crossing * LONGEST) - 1;
            if (ring > RINGS - 1)
                ring = RINGS - 1;
            double want_measured = ring >= 1 ? (double)ring / LONGEST : 0.0;
            double got_floor = st_noise_floor(ST_SCHEDULE_RECTIFIED_FLOW, times[i], tau);
            CHECK_NEAR(got_floor, floor, 1e-12 * floor, "noise floor");
            char what[80];
            snprintf(what, sizeof what, "t %.2f tau %.0f: f_max from the fit", times[i], tau);
            CHECK_NEAR(st_fmax_from_fit(&fit, got_floor), want_fit, 1e-9, what);
            snprintf(what, sizeof what, "t %.2f tau %.0f: measured f_max", times[i], tau);
            CHECK_NEAR(st_fmax_measured(freq, power, RINGS, got_floor), want_measured, 0, what);
        }
    }
    CHECK(st_fmax_measured(freq, power, RINGS, INFINITY) == 0.0, "infinite floor: f_max 0");
    CHECK(st_fmax_from_fit(&fit, INFINITY) == 0.0, "infinite floor: fit f_max 0");
    CHECK(st_fmax_from_fit(&fit, 0.0) == 0.5, "zero floor: fit f_max 0.5");
    CHECK(st_fmax_measured(freq, power, RINGS, 0.0) == freq[RINGS - 1], "zero floor: last ring");
    /* DC alone above the floor does not count. */
    CHECK(st_fmax_measured(freq, power, RINGS, 1e5) == 0.0, "DC excluded");

    enum { STEPS = 11 };
    st_fmax_row rows[STEPS];
    st_fmax_table(ST_SCHEDULE_RECTIFIED_FLOW, 1.0, freq, power, RINGS, &fit, STEPS, rows);
    int ok = 1;
    for (int i = 0; i < STEPS; i++) {
        double t = i / 10.0;
        double floor = t * t / ((1 - t) * (1 - t));
        ok &= fabs(rows[i].t - t) < 1e-15 && fabs(rows[i].a - (1 - t)) < 1e-15 &&
              fabs(rows[i].s - t) < 1e-15;
        ok &= rows[i].fmax == st_fmax_measured(freq, power, RINGS, floor);
        ok &= i == STEPS - 1 ? rows[i].fmax_fit == 0.0
                             : fabs(rows[i].fmax_fit - st_fmax_from_fit(&fit, floor)) < 1e-12;
        if (i > 0)
            ok &= rows[i].fmax <= rows[i - 1].fmax;
    }
    CHECK(ok, "table over t: rows match, f_max non-increasing");
    CHECK(rows[0].fmax == freq[RINGS - 1] && rows[0].fmax_fit == 0.5, "table: t = 0 keeps all");
    st_fmax_table(ST_SCHEDULE_RECTIFIED_FLOW, 1.0, NULL, NULL, 0, NULL, STEPS, rows);
    CHECK(isnan(rows[3].fmax) && isnan(rows[3].fmax_fit), "table without data: NaN");
    return check_done();
}
