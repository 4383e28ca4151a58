/* spectide core: the noise tide. How much noise (the tide level, for images
 * and audio alike) and what it does to an image (the tide pipeline: the
 * noisy image, the low-pass it amounts to, the Wiener estimate). Every front
 * (the command line, the GIMP plug-ins, the GEGL operation, the LV2 plugin)
 * works the tide out here; the conventions are in docs/conventions.md
 * ("The noise tide").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_TIDE_H
#define SPECTIDE_TIDE_H

#include "spectide.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* The tide level                                                      */
/* ------------------------------------------------------------------ */

/* How much noise: x_t = a x0 + s eps, seen at the clean signal's scale.
 * A plain struct filled by the st_tide_level_from_* functions, which
 * neither allocate nor lock (after a schedule's first use: see
 * st_schedule_coefficients), so an LV2 plugin computes it in its audio
 * thread when a control moves. */
typedef struct {
    double a, s;        /* x_t = a x0 + s eps (a plain sigma: a = 1, s = sigma) */
    double sigma;       /* s / a: the noise's standard deviation at the clean scale */
    double sigma_db;    /* 20 log10(sigma): dB re full scale 1.0 (audio: dBFS RMS) */
    double noise_power; /* s^2 / a^2: the noise's flat spectrum at the clean scale */
    double tau;         /* the SNR threshold */
    /* tau s^2 / a^2: the images' noise floor (f_max is the last ring above
     * it) and the audio's water line (bins at or below it are under water). */
    double noise_floor;
    /* NULL for a usable level; otherwise a short English clause saying what
     * is wrong ("t must be in [0, 1]"), for the front's message. */
    const char *problem;
} st_tide_level;

/* Where a = 0 (the end of rectified flow or cosine), the level is filled in
 * all the same, with sigma, sigma_db, noise_power and noise_floor INFINITY
 * (everything is under water), and the call returns ST_ERROR_NO_SIGNAL:
 * x_t / a is undefined there, which a plot can show and a noisy image
 * cannot. For every other error the numbers are NaN and `problem` says
 * why: ST_ERROR_NOT_FINITE for a NaN (or an infinite sigma), else
 * ST_ERROR_ARGUMENT (an unknown schedule, t outside [0, 1], tau not > 0 or
 * infinite, sigma < 0). ST_OK otherwise (problem NULL). s = 0 (t = 0, sigma
 * 0) is a valid level: sigma 0, sigma_db -INFINITY, noise_floor 0. */

/* A schedule at time t. */
ST_API st_status st_tide_level_from_schedule(st_schedule schedule, double t, double tau,
                                             st_tide_level *level);
/* A plain sigma at the clean scale: a = 1, s = sigma (>= 0). */
ST_API st_status st_tide_level_from_sigma(double sigma, double tau, st_tide_level *level);
/* A sigma in dB re full scale (audio: dBFS RMS, sigma = 10^(D/20));
 * -INFINITY is silence (sigma 0). */
ST_API st_status st_tide_level_from_sigma_db(double sigma_db, double tau, st_tide_level *level);
/* The settings of the GIMP procedures and the GEGL operation: a schedule at
 * time t, unless sigma > 0, which wins (a plain sigma). Every argument is
 * checked either way. */
ST_API st_status st_tide_level_from_settings(st_schedule schedule, double t, double sigma,
                                             double tau, st_tide_level *level);

/* ------------------------------------------------------------------ */
/* The views of a tide image                                           */
/* ------------------------------------------------------------------ */

/* What the GEGL operation, the GIMP preview and the command line show. */
typedef enum {
    ST_TIDE_VIEW_NOISY = 0, /* "noisy": x_t / a = x0 + (s/a) eps */
    ST_TIDE_VIEW_LOWPASS,   /* "low-pass": the ideal radial low-pass of x0 at f_max */
    ST_TIDE_VIEW_WIENER,    /* "wiener": the Wiener estimate of x0 from x_t / a */
    ST_TIDE_VIEW_SPLIT,     /* "split": noisy left of the split column, low-pass from it on */
    ST_TIDE_VIEW_COUNT
} st_tide_view;

/* "noisy", "low-pass", "wiener", "split" (NULL out of range): the names
 * every front offers, in the enum's order. */
ST_API const char *st_tide_view_name(st_tide_view view);
/* "Noisy x_t/a", "Ideal low-pass at f_max", ...: labels for menus. */
ST_API const char *st_tide_view_label(st_tide_view view);
/* A name above -> ST_OK, or ST_ERROR_ARGUMENT if unknown. */
ST_API st_status st_tide_view_from_name(const char *name, st_tide_view *view);

#ifdef __cplusplus
}
#endif

#endif /* SPECTIDE_TIDE_H */
