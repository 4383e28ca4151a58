/* The per-t work of "Noise as Low-pass", free of GIMP so that the benchmark
 * runs exactly the code the preview runs.
 *
 * The clean image spectrum of every colour channel is transformed once
 * (st_filter_load) and the noise realisation's spectrum once per seed; a new
 * t then costs one inverse FFT per channel for the ideal low-pass and two for
 * the Wiener view (the Wiener filter is linear: W(x0 + k eps) = W x0 + k W eps).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_TIDE_CACHE_H
#define SPECTIDE_TIDE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "spectide.h"

#define TIDE_MAX_COLORS 3

/* What the preview and the layers show. */
typedef enum {
    TIDE_VIEW_NOISY = 0, /* x_t / a = x0 + (s/a) eps */
    TIDE_VIEW_LOWPASS,   /* ideal radial low-pass of x0 at f_max */
    TIDE_VIEW_WIENER,    /* Wiener filter of x_t / a */
    TIDE_VIEW_SPLIT,     /* left half noisy, right half low-pass */
    TIDE_VIEW_COUNT
} tide_view;

const char *tide_view_name(tide_view view);

/* The noise index of pixel (x, y) of colour channel `color` in a drawable of
 * full_width x full_height: channels use disjoint index ranges, so R, G and
 * B get independent noise from one seed, and a crop gets the same noise as
 * the whole image at the same pixel. */
static inline uint64_t tide_noise_index(int color, int x, int y, int full_width, int full_height)
{
    return (uint64_t)color * (uint64_t)full_width * (uint64_t)full_height +
           (uint64_t)y * (uint64_t)full_width + (uint64_t)x;
}

/* x[i] += scale * eps for a width x height block whose top-left pixel sits at
 * (origin_x, origin_y) in the full drawable. */
void tide_add_noise(float *x, int width, int height, int origin_x, int origin_y, int full_width,
                    int full_height, int color, uint64_t seed, double scale);

typedef struct tide_cache tide_cache;

/* planes[c] holds the width*height clean values x0 (in [-1,1]) of colour
 * channel c; they are copied. origin/full sizes place the block in the
 * drawable for the noise indices. NULL if memory is short. */
tide_cache *tide_cache_new(int width, int height, int colors, const float *const *planes,
                           int origin_x, int origin_y, int full_width, int full_height);
int tide_cache_width(const tide_cache *cache);
int tide_cache_height(const tide_cache *cache);
const float *tide_cache_clean(const tide_cache *cache, int color);

/* Ideal low-pass of channel `color` at f_cut into out[width*height]. Loads
 * the channel's spectrum on first use. Returns 0, or -1 if memory is short. */
int tide_cache_lowpass(tide_cache *cache, int color, double f_cut, float *out);
/* Wiener estimate of x0 from x_t / a (noise `seed`), with S = ring_power
 * (the analysis channel's RAPSD). The noise spectrum is loaded on first use
 * and again only when the seed changes. Returns 0 or -1. */
int tide_cache_wiener(tide_cache *cache, int color, uint64_t seed, const double *ring_power,
                      double a, double s, float *out);
/* x_t / a for the rows [row_begin, row_end) and columns [col_begin, col_end)
 * of channel `color`, written to out with row stride out_stride (floats). */
void tide_cache_noisy_block(const tide_cache *cache, int color, uint64_t seed, double noise_scale,
                            int col_begin, int col_end, int row_begin, int row_end, float *out,
                            size_t out_stride);
/* The filtered planes a view needs (colors planes of width*height, one after
 * the other) for the current t: low-pass for TIDE_VIEW_LOWPASS and
 * TIDE_VIEW_SPLIT, Wiener for TIDE_VIEW_WIENER; nothing for TIDE_VIEW_NOISY.
 * Returns 0 or -1. */
int tide_cache_filter(tide_cache *cache, tide_view view, double fmax, uint64_t seed,
                      const double *ring_power, double a, double s, float *filtered);
/* Renders the block [col_begin, col_end) x [row_begin, row_end) of the view
 * as 8-bit values v = (x+1)/2 into out (bpp bytes per pixel, the first
 * `colors` of them written; row stride in bytes). SPLIT shows noisy left of
 * split_col and low-pass from it on. `filtered` as from tide_cache_filter.
 * The block's noise is kept for the next call on the same block and seed. */
void tide_cache_render_u8(tide_cache *cache, tide_view view, uint64_t seed, double noise_scale,
                          const float *filtered, int col_begin, int col_end, int row_begin,
                          int row_end, int split_col, unsigned char *out, size_t out_stride,
                          int bpp);
void tide_cache_free(tide_cache *cache);

#endif
