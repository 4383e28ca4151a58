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

/* ------------------------------------------------------------------ */
/* The tide on an image: noisy, ideal low-pass at f_max, Wiener        */
/* ------------------------------------------------------------------ */

/* The noise of an image, one convention for every front: colour channel c
 * of pixel (x, y) of a full_width x full_height image gets
 * eps = st_gaussian_at(seed, st_tide_noise_index(c, x, y, full_width,
 * full_height)) = index c * W * H + y * W + x. A crop, a selection or a
 * preview block placed in the full image therefore gets the same noise at
 * the same pixel as the whole image, on the command line, in GIMP and in
 * the GEGL operation. A derived analysis plane (luma of RGB) is channel 3. */
static inline uint64_t st_tide_noise_index(int channel, int x, int y, int full_width,
                                           int full_height)
{
    return (uint64_t)channel * (uint64_t)full_width * (uint64_t)full_height +
           (uint64_t)y * (uint64_t)full_width + (uint64_t)x;
}

/* Where the pixels handed to st_tide_image_new sit in the full image (for
 * the noise indices): a GIMP selection inside its drawable. */
typedef struct {
    int x, y;                    /* the block's top-left pixel in the full image */
    int full_width, full_height; /* the full image */
} st_tide_placement;

/* What a tide image keeps between runs. */
typedef enum {
    /* One level, one render (the command line, the GEGL operation, GIMP's
     * layers): nothing is kept but one channel's transforms at a time; the
     * Wiener view transforms x_t / a itself. */
    ST_TIDE_IMAGE_ONE_LEVEL = 0,
    /* A preview that moves t: every channel's spectrum of x0, and of the
     * noise for the seed in use, is made once and kept, as is the last
     * block's noise and each channel's last filtered rows. A new level then
     * costs one inverse FFT per channel for the low-pass and the Wiener view
     * alike (W (X0 + (s/a) E) is formed bin by bin, the same image as
     * ONE_LEVEL's to float rounding, about 1e-6), and none for the noisy
     * view. */
    ST_TIDE_IMAGE_MANY_LEVELS = 1
} st_tide_image_mode;

/* The analysis plane as a `plane` argument: the analysis channel's plane
 * (a colour plane, or the derived luma plane of an RGB image). */
#define ST_TIDE_ANALYSIS_PLANE (-1)

typedef struct st_tide_image st_tide_image;

/* A tide image over interleaved pixel values v in [0, 1] (as stored, not
 * linearised): `components` 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA (alpha is
 * never read), `row_stride` floats between rows (>= width * components).
 * Each colour channel is x0 = 2v - 1 (non-finite values 0), as
 * st_pixels_to_analysis maps it; `analysis` chooses the plane whose RAPSD
 * gives f_max (gray images: their one plane). `pixels` is borrowed: it is
 * read by every run and must stay valid and unchanged until
 * st_tide_image_free. placement NULL: the pixels are the whole image.
 * NULL on error: ST_ERROR_ARGUMENT (a size, component count or placement
 * that makes no sense), ST_ERROR_MEMORY.
 * Threads: one st_tide_image is used by one thread at a time. */
ST_API st_tide_image *st_tide_image_new(const float *pixels, int width, int height, int components,
                                        size_t row_stride, st_channel analysis,
                                        const st_tide_placement *placement, st_tide_image_mode mode,
                                        st_status *error);
/* 1 for gray, 3 for colour: the planes 0 .. colors - 1 of the runs. */
ST_API int st_tide_image_colors(const st_tide_image *image);
/* The colour plane the analysis plane is (0 .. colors - 1), or
 * ST_TIDE_ANALYSIS_PLANE when it is a plane of its own (luma of RGB). */
ST_API int st_tide_image_analysis_plane(const st_tide_image *image);
/* The analysis plane's RAPSD (x0's): its ring count, and *freq, *power
 * (ring_count values each) owned by the image. */
ST_API int st_tide_image_analysis_rapsd(const st_tide_image *image, const double **freq,
                                        const double **power);

/* The level and the noise seed of the next runs, and the cut: f_max, the
 * last ring of the analysis plane's RAPSD above level->noise_floor (0 if
 * none). ST_OK; ST_ERROR_NO_SIGNAL where level->a = 0 (x_t / a is
 * undefined: the image keeps its previous level); ST_ERROR_ARGUMENT for a
 * NULL or refused level. */
ST_API st_status st_tide_image_set_level(st_tide_image *image, const st_tide_level *level,
                                         uint64_t seed);
/* f_max of the current level, cycles per pixel (NaN before a level). */
ST_API double st_tide_image_fmax(const st_tide_image *image);
/* The split view shows noisy pixels left of `column`, low-pass ones from it
 * on (column in image coordinates, 0 .. width; default width / 2).
 * ST_ERROR_ARGUMENT outside. */
ST_API st_status st_tide_image_set_split(st_tide_image *image, int column);

/* One plane of a view at the x0 scale, x in [-1, 1] up to the noise
 * (v = (x + 1) / 2 to show it): width * height floats into out, for plane
 * 0 .. colors - 1 or ST_TIDE_ANALYSIS_PLANE.
 *   noisy     x_t / a = x0 + (s/a) eps, eps as st_tide_noise_index says
 *   low-pass  x0 with every ring above f_max removed (the analysis
 *             plane's f_max for every plane)
 *   wiener    W = a^2 S / (a^2 S + s^2) applied to x_t / a, S the plane's
 *             own RAPSD
 *   split     noisy left of the split column, low-pass from it on
 * ST_OK; ST_NOT_READY before a level; ST_ERROR_ARGUMENT for a view or
 * plane out of range; ST_ERROR_MEMORY. Memory is taken on first need (the
 * filter, and for MANY_LEVELS each plane's spectra and kept rows). */
ST_API st_status st_tide_image_run(st_tide_image *image, st_tide_view view, int plane, float *out);
/* The same for the block of columns [x, x + width) and rows [y, y + height)
 * (image coordinates) only, into out (the block's first pixel) with
 * out_stride floats between rows. The filtered views compute only those
 * rows of their inverse FFT (a preview's visible area); a MANY_LEVELS image
 * keeps them, so a block moved along the same rows costs a copy. */
ST_API st_status st_tide_image_run_block(st_tide_image *image, st_tide_view view, int plane, int x,
                                         int y, int width, int height, float *out,
                                         size_t out_stride);
ST_API void st_tide_image_free(st_tide_image *image);

#ifdef __cplusplus
}
#endif

#endif /* SPECTIDE_TIDE_H */
