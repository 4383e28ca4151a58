/* The tide level (core/tide.c): a, s, sigma = s/a, sigma in dB, the noise
 * power s^2/a^2 and the floor tau s^2/a^2 from a schedule at t, a plain
 * sigma, a sigma in dBFS and the GIMP/GEGL settings, against closed forms
 * written here (rectified flow: a = 1 - t, s = t; cosine from its abar);
 * every refusal with its status and a message; a = 0 filled in as
 * "everything under water" with ST_ERROR_NO_SIGNAL; no heap call once a
 * schedule has been used (the LV2 plugin computes levels in its audio
 * thread). The tables of views and channels, and every schedule's label.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "alloc_count.h"
#include "check.h"
#include "spectide_tide.h"

#include <string.h>

static void check_schedule_level(void)
{
    st_tide_level level;
    /* Rectified flow at t = 0.2: a = 0.8, s = 0.2, s/a = 1/4. */
    CHECK(st_tide_level_from_schedule(ST_SCHEDULE_RECTIFIED_FLOW, 0.2, 1.0, &level) == ST_OK &&
              level.problem == NULL,
          "rectified flow t = 0.2: ST_OK, no problem");
    CHECK_NEAR(level.a, 0.8, 1e-15, "a");
    CHECK_NEAR(level.s, 0.2, 1e-15, "s");
    CHECK_NEAR(level.sigma, 0.25, 1e-15, "sigma = s/a");
    CHECK_NEAR(level.sigma_db, 20.0 * log10(0.25), 1e-12, "sigma_db = 20 log10(1/4)");
    CHECK_NEAR(level.noise_power, 0.0625, 1e-15, "noise power s^2/a^2");
    CHECK_NEAR(level.noise_floor, 0.0625, 1e-15, "noise floor, tau 1");
    st_tide_level_from_schedule(ST_SCHEDULE_RECTIFIED_FLOW, 0.2, 3.0, &level);
    CHECK_NEAR(level.noise_floor, 3.0 * 0.04 / 0.64, 1e-15, "noise floor tau s^2/a^2, tau 3");
    CHECK(level.tau == 3.0, "tau kept");

    /* Cosine at t = 0.5 from its abar. */
    double c0 = cos(0.008 / 1.008 * M_PI / 2), c = cos(0.508 / 1.008 * M_PI / 2);
    double abar = c * c / (c0 * c0);
    st_tide_level_from_schedule(ST_SCHEDULE_COSINE, 0.5, 2.0, &level);
    CHECK_NEAR(level.noise_floor, 2.0 * (1.0 - abar) / abar, 1e-12,
               "cosine t = 0.5: floor tau (1 - abar) / abar");
    /* The floor is st_noise_floor's (one formula). */
    CHECK(level.noise_floor == st_noise_floor(ST_SCHEDULE_COSINE, 0.5, 2.0),
          "st_noise_floor gives the level's floor");

    /* t = 0: the clean image; a valid level with no noise. */
    CHECK(st_tide_level_from_schedule(ST_SCHEDULE_SHIFTED_FLOW, 0.0, 1.0, &level) == ST_OK &&
              level.sigma == 0.0 && level.noise_floor == 0.0 && isinf(level.sigma_db) &&
              level.sigma_db < 0.0,
          "t = 0: sigma 0, floor 0, sigma_db -inf, ST_OK");

    /* a = 0: filled in as everything under water, with its own status. */
    st_status status = st_tide_level_from_schedule(ST_SCHEDULE_RECTIFIED_FLOW, 1.0, 1.0, &level);
    CHECK(status == ST_ERROR_NO_SIGNAL, "rectified flow t = 1: ST_ERROR_NO_SIGNAL");
    CHECK(level.a == 0.0 && level.s == 1.0 && isinf(level.sigma) && isinf(level.noise_floor) &&
              isinf(level.noise_power) && isinf(level.sigma_db) && level.sigma_db > 0.0,
          "a = 0: a 0, s 1, sigma, power, floor and dB +inf");
    CHECK(level.problem && strstr(level.problem, "a = 0"), "a = 0 says so: \"%s\"",
          level.problem ? level.problem : "(null)");
    CHECK(strcmp(st_status_message(ST_ERROR_NO_SIGNAL), st_status_message(ST_ERROR_ARGUMENT)) != 0,
          "ST_ERROR_NO_SIGNAL has its own message: \"%s\"", st_status_message(ST_ERROR_NO_SIGNAL));
    CHECK(st_tide_level_from_schedule(ST_SCHEDULE_COSINE, 1.0, 1.0, &level) == ST_ERROR_NO_SIGNAL,
          "cosine t = 1: ST_ERROR_NO_SIGNAL");
    CHECK(st_tide_level_from_schedule(ST_SCHEDULE_EDM, 1.0, 1.0, &level) == ST_OK &&
              fabs(level.sigma - 80.0) < 1e-9,
          "edm t = 1: a = 1, sigma 80");
}

static void check_sigma_levels(void)
{
    st_tide_level level;
    CHECK(st_tide_level_from_sigma(0.5, 1.0, &level) == ST_OK && level.a == 1.0 && level.s == 0.5 &&
              level.sigma == 0.5 && level.noise_floor == 0.25,
          "plain sigma 0.5: a 1, s 0.5, floor 0.25");
    CHECK(st_tide_level_from_sigma(0.0, 1.0, &level) == ST_OK && level.noise_floor == 0.0,
          "plain sigma 0: valid, floor 0");
    CHECK(st_tide_level_from_sigma_db(-30.0, 2.0, &level) == ST_OK, "-30 dBFS: ST_OK");
    CHECK_NEAR(level.sigma, pow(10.0, -1.5), 1e-15, "-30 dBFS: sigma 10^(-30/20)");
    CHECK_NEAR(level.noise_floor, 2.0e-3, 1e-15, "-30 dBFS, tau 2: water line 2 * 10^-3");
    CHECK(level.sigma_db == -30.0, "-30 dBFS: sigma_db as given");
    CHECK(st_tide_level_from_sigma_db(-INFINITY, 1.0, &level) == ST_OK && level.sigma == 0.0,
          "-inf dBFS: silence, sigma 0");
    /* The settings: sigma > 0 wins over the schedule, even where a(t) = 0. */
    CHECK(st_tide_level_from_settings(ST_SCHEDULE_RECTIFIED_FLOW, 1.0, 0.2, 1.0, &level) == ST_OK &&
              level.a == 1.0 && level.s == 0.2,
          "settings: sigma 0.2 wins over rectified flow at t = 1");
    CHECK(st_tide_level_from_settings(ST_SCHEDULE_RECTIFIED_FLOW, 0.3, 0.0, 1.0, &level) == ST_OK &&
              fabs(level.a - 0.7) < 1e-15 && fabs(level.s - 0.3) < 1e-15,
          "settings: sigma 0 means the schedule at t");
}

static void check_refusals(void)
{
    static const struct {
        const char *what;
        st_status want;
        int form; /* 0 schedule, 1 sigma, 2 dB, 3 settings */
        int schedule;
        double t, sigma, tau;
    } cases[] = {
        {"t = 1.5", ST_ERROR_ARGUMENT, 0, 0, 1.5, 0, 1},
        {"t = -0.1", ST_ERROR_ARGUMENT, 0, 0, -0.1, 0, 1},
        {"t NaN", ST_ERROR_NOT_FINITE, 0, 0, NAN, 0, 1},
        {"tau 0", ST_ERROR_ARGUMENT, 0, 0, 0.5, 0, 0},
        {"tau -1", ST_ERROR_ARGUMENT, 1, 0, 0, 0.5, -1},
        {"tau inf", ST_ERROR_ARGUMENT, 0, 0, 0.5, 0, INFINITY},
        {"tau NaN", ST_ERROR_NOT_FINITE, 1, 0, 0, 0.5, NAN},
        {"schedule ST_SCHEDULE_COUNT", ST_ERROR_ARGUMENT, 0, ST_SCHEDULE_COUNT, 0.5, 0, 1},
        {"schedule -1", ST_ERROR_ARGUMENT, 0, -1, 0.5, 0, 1},
        {"sigma -0.1", ST_ERROR_ARGUMENT, 1, 0, 0, -0.1, 1},
        {"sigma inf", ST_ERROR_NOT_FINITE, 1, 0, 0, INFINITY, 1},
        {"sigma NaN", ST_ERROR_NOT_FINITE, 1, 0, 0, NAN, 1},
        {"dB NaN", ST_ERROR_NOT_FINITE, 2, 0, 0, NAN, 1},
        {"dB +inf", ST_ERROR_NOT_FINITE, 2, 0, 0, INFINITY, 1},
        {"settings: unknown schedule with sigma > 0", ST_ERROR_ARGUMENT, 3, 99, 0.5, 0.2, 1},
        {"settings: t = 2 with sigma > 0", ST_ERROR_ARGUMENT, 3, 0, 2.0, 0.2, 1},
        {"settings: sigma -1", ST_ERROR_ARGUMENT, 3, 0, 0.5, -1, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        st_tide_level level;
        st_status got;
        st_schedule schedule = (st_schedule)cases[i].schedule;
        switch (cases[i].form) {
        case 0:
            got = st_tide_level_from_schedule(schedule, cases[i].t, cases[i].tau, &level);
            break;
        case 1:
            got = st_tide_level_from_sigma(cases[i].sigma, cases[i].tau, &level);
            break;
        case 2:
            got = st_tide_level_from_sigma_db(cases[i].sigma, cases[i].tau, &level);
            break;
        default:
            got = st_tide_level_from_settings(schedule, cases[i].t, cases[i].sigma, cases[i].tau,
                                              &level);
            break;
        }
        CHECK(got == cases[i].want && level.problem && isnan(level.noise_floor) &&
                  isnan(level.sigma),
              "%s: refused (%s: \"%s\"), numbers NaN", cases[i].what, st_status_message(got),
              level.problem ? level.problem : "(null)");
    }
    CHECK(st_tide_level_from_sigma(0.1, 1.0, NULL) == ST_ERROR_ARGUMENT, "NULL level refused");
}

/* The LV2 plugin works the level out in run(): not one heap call. */
static void check_allocation_free(void)
{
    st_tide_level level;
    for (int k = 0; k < ST_SCHEDULE_COUNT; k++) /* first use: the discrete tables */
        st_tide_level_from_schedule((st_schedule)k, 0.5, 1.0, &level);
    long before = alloc_count_total();
    alloc_count_begin();
    for (int k = 0; k < ST_SCHEDULE_COUNT; k++)
        st_tide_level_from_schedule((st_schedule)k, 0.25 * (k % 5), 1.5, &level);
    st_tide_level_from_sigma_db(-20.0, 1.0, &level);
    st_tide_level_from_sigma(0.3, 1.0, &level);
    st_tide_level_from_settings(ST_SCHEDULE_EDM, 0.7, 0.0, 2.0, &level);
    st_tide_level_from_schedule(ST_SCHEDULE_COSINE, 2.0, 1.0, &level); /* a refusal */
    alloc_count_end();
    CHECK(alloc_count_total() == before, "no heap call once every schedule was used (%ld)",
          alloc_count_total() - before);
}

/* Every list a front offers comes from these tables: each entry has a
 * name, a label, and names that read back. */
static void check_tables(void)
{
    int ok = 1;
    for (int k = 0; k < ST_SCHEDULE_COUNT; k++) {
        st_schedule back;
        const char *name = st_schedule_name((st_schedule)k);
        ok &= name && st_schedule_label((st_schedule)k) && st_schedule_formula((st_schedule)k) &&
              st_schedule_from_name(name, &back) == ST_OK && back == (st_schedule)k;
        for (int i = 0; st_schedule_alias((st_schedule)k, i); i++)
            ok &= st_schedule_from_name(st_schedule_alias((st_schedule)k, i), &back) == ST_OK &&
                  back == (st_schedule)k;
    }
    CHECK(ok, "every schedule: name, label, formula; name and aliases read back");
    CHECK(st_schedule_label(ST_SCHEDULE_COUNT) == NULL &&
              st_schedule_alias(ST_SCHEDULE_COUNT, 0) == NULL &&
              st_schedule_alias(ST_SCHEDULE_EDM, -1) == NULL,
          "schedule label and alias out of range: NULL");
    CHECK(strcmp(st_schedule_alias(ST_SCHEDULE_RECTIFIED_FLOW, 0), "rf") == 0,
          "rectified flow's first alias is rf");

    static const char *const views[] = {"noisy", "low-pass", "wiener", "split"};
    CHECK(ST_TIDE_VIEW_COUNT == 4, "four views");
    ok = 1;
    for (int v = 0; v < ST_TIDE_VIEW_COUNT; v++) {
        st_tide_view back;
        ok &= strcmp(st_tide_view_name((st_tide_view)v), views[v]) == 0 &&
              st_tide_view_label((st_tide_view)v) &&
              st_tide_view_from_name(views[v], &back) == ST_OK && back == (st_tide_view)v;
    }
    CHECK(ok, "views noisy, low-pass, wiener, split in that order, with labels");
    st_tide_view unused;
    CHECK(st_tide_view_name(ST_TIDE_VIEW_COUNT) == NULL &&
              st_tide_view_from_name("lowpass", &unused) == ST_ERROR_ARGUMENT,
          "view out of range: NULL; unknown name refused");

    static const char *const channels[] = {"green", "luma", "red", "blue"};
    ok = ST_CHANNEL_COUNT == 4;
    for (int c = 0; c < ST_CHANNEL_COUNT && ok; c++)
        ok &= strcmp(st_channel_name((st_channel)c), channels[c]) == 0 &&
              st_channel_label((st_channel)c) != NULL;
    CHECK(ok, "channels green, luma, red, blue in that order, with labels");
    CHECK(st_channel_label(ST_CHANNEL_COUNT) == NULL, "channel label out of range: NULL");
}

int main(void)
{
    alloc_count_init();
    check_schedule_level();
    check_sigma_levels();
    check_refusals();
    check_allocation_free();
    check_tables();
    return check_done();
}
