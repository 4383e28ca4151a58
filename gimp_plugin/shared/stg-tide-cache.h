/* The per-t work of "Noise as Low-pass" (preview and layers), free of GIMP
 * so that the benchmark runs exactly the code the preview runs.
 *
 * The spectrum of every colour channel's clean image x0 is transformed once,
 * and that of the noise realisation eps once per seed; a new t then costs
 * one inverse FFT per channel for the ideal low-pass and for the Wiener
 * view alike (st_filter_wiener_with_noise forms W (X0 + (s/a) E) bin by bin).
 *
 * Conventions (docs/conventions.md): x0 = 2v - 1; x_t / a = x0 + (s/a) eps;
 * channel c of pixel (x, y) of a full_width x full_height drawable uses noise
 * index c * full_width * full_height + y * full_width + x, as `spectide tide`
 * does; the ideal low-pass cuts every colour channel at the analysis
 * channel's f_max; the Wiener filter of channel c uses channel c's own RAPSD.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef STG_TIDE_CACHE_H
#define STG_TIDE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "spectide.h"

#define STG_MAX_COLORS 3

/* What the preview, the GEGL operation and the layers show. */
typedef enum {
    STG_VIEW_NOISY = 0, /* x_t / a = x0 + (s/a) eps */
    STG_VIEW_LOWPASS,   /* ideal radial low-pass of x0 at f_max */
    STG_VIEW_WIENER,    /* Wiener filter of x_t / a */
    STG_VIEW_SPLIT,     /* left half noisy, right half low-pass */
    STG_VIEW_COUNT
} stg_view;

/* "noisy x_t/a", "ideal low-pass at f_max", ...: labels for menus. */
const char *stg_view_name(stg_view view);
/* "noisy", "low-pass", "wiener", "split": the nicks of the `view` property
 * of the GEGL operation spectide:noise-lowpass (gegl_op/), in this order. */
const char *stg_view_nick(stg_view view);

/* The noise index of pixel (x, y) of colour channel `color`. */
static inline uint64_t stg_noise_index(int color, int x, int y, int full_width, int full_height)
{
    return (uint64_t)color * (uint64_t)full_width * (uint64_t)full_height +
           (uint64_t)y * (uint64_t)full_width + (uint64_t)x;
}

/* x[i] += scale * eps for a width x height block whose top-left pixel sits at
 * (origin_x, origin_y) in the full drawable. */
void stg_add_noise(float *x, int width, int height, int origin_x, int origin_y, int full_width,
                   int full_height, int color, uint64_t seed, double scale);

typedef struct stg_tide_cache stg_tide_cache;

/* planes[c] holds the width*height clean values x0 (in [-1,1]) of colour
 * channel c; they are copied. origin/full sizes place the block in the
 * drawable for the noise indices. NULL if memory is short. */
stg_tide_cache *stg_tide_cache_new(int width, int height, int colors, const float *const *planes,
                                   int origin_x, int origin_y, int full_width, int full_height);
int stg_tide_cache_width(const stg_tide_cache *cache);
int stg_tide_cache_height(const stg_tide_cache *cache);
int stg_tide_cache_colors(const stg_tide_cache *cache);

/* A buffer for the filtered planes of stg_tide_cache_filter: colors planes
 * of width*height, plane c starting at c * stg_tide_cache_plane_stride(),
 * each aligned so that the inverse FFT writes into it directly. NULL if
 * memory is short; release with free(). */
float *stg_tide_cache_new_planes(const stg_tide_cache *cache);
size_t stg_tide_cache_plane_stride(const stg_tide_cache *cache);

/* The filtered planes a view needs (in a buffer from
 * stg_tide_cache_new_planes), rows [row_begin, row_end) only: low-pass at
 * fmax for STG_VIEW_LOWPASS and STG_VIEW_SPLIT, Wiener of x_t / a (noise
 * `seed`, a, s) for STG_VIEW_WIENER, nothing for STG_VIEW_NOISY. Each
 * channel costs one inverse FFT, of which only the column half and the
 * asked rows: the preview asks for its visible rows. Spectra are made on
 * first need and kept. Returns 0, or -1 if memory is short. */
int stg_tide_cache_filter(stg_tide_cache *cache, stg_view view, double fmax, uint64_t seed,
                          double a, double s, int row_begin, int row_end, float *filtered);
/* Renders the block [col_begin, col_end) x [row_begin, row_end) of the view
 * as 8-bit values v = (x+1)/2 into out (bpp bytes per pixel, the first
 * `colors` of them written; row stride in bytes). SPLIT shows noisy left of
 * split_col and low-pass from it on. `filtered` as from
 * stg_tide_cache_filter (NULL for the noisy view). The block's noise is kept
 * for the next call on the same block and seed. */
void stg_tide_cache_render_u8(stg_tide_cache *cache, stg_view view, uint64_t seed,
                              double noise_scale, const float *filtered, int col_begin, int col_end,
                              int row_begin, int row_end, int split_col, unsigned char *out,
                              size_t out_stride, int bpp);
void stg_tide_cache_free(stg_tide_cache *cache);

#endif
