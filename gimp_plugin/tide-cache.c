/* Per-t filtering for the GIMP preview and layers (see tide-cache.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "tide-cache.h"

#include <stdlib.h>
#include <string.h>

struct tide_cache {
    int width, height, colors;
    int origin_x, origin_y, full_width, full_height;
    float *clean[TIDE_MAX_COLORS];
    st_filter *clean_filter[TIDE_MAX_COLORS]; /* holds FFT(x0) once loaded */
    st_filter *noise_filter[TIDE_MAX_COLORS]; /* holds FFT(eps) for noise_seed */
    uint64_t noise_seed[TIDE_MAX_COLORS];
    float *scratch; /* width*height: noise plane, then W eps */
    /* eps of the last rendered block (the preview area) per channel: a new t
     * on the same area costs a multiply-add per pixel, not a Gaussian. */
    float *block_noise[TIDE_MAX_COLORS];
    size_t block_capacity;
    int block_key[4];
    uint64_t block_seed;
    int block_valid;
};

const char *tide_view_name(tide_view view)
{
    static const char *const names[TIDE_VIEW_COUNT] = {"noisy x_t/a", "ideal low-pass at f_max",
                                                       "Wiener", "split noisy | low-pass"};
    return view >= 0 && view < TIDE_VIEW_COUNT ? names[view] : NULL;
}

void tide_add_noise(float *x, int width, int height, int origin_x, int origin_y, int full_width,
                    int full_height, int color, uint64_t seed, double scale)
{
    for (int row = 0; row < height; row++) {
        uint64_t first = tide_noise_index(color, origin_x, origin_y + row, full_width, full_height);
        float *line = x + (size_t)row * (size_t)width;
        for (int col = 0; col < width; col++)
            line[col] += (float)(scale * st_gaussian_at(seed, first + (uint64_t)col));
    }
}

tide_cache *tide_cache_new(int width, int height, int colors, const float *const *planes,
                           int origin_x, int origin_y, int full_width, int full_height)
{
    if (width < 1 || height < 1 || colors < 1 || colors > TIDE_MAX_COLORS)
        return NULL;
    tide_cache *cache = calloc(1, sizeof *cache);
    if (!cache)
        return NULL;
    size_t n = (size_t)width * (size_t)height;
    *cache = (tide_cache){.width = width,
                          .height = height,
                          .colors = colors,
                          .origin_x = origin_x,
                          .origin_y = origin_y,
                          .full_width = full_width,
                          .full_height = full_height};
    cache->scratch = malloc(n * sizeof(float));
    for (int c = 0; c < colors; c++) {
        cache->clean[c] = malloc(n * sizeof(float));
        if (cache->clean[c])
            memcpy(cache->clean[c], planes[c], n * sizeof(float));
        if (!cache->clean[c]) {
            tide_cache_free(cache);
            return NULL;
        }
    }
    if (!cache->scratch) {
        tide_cache_free(cache);
        return NULL;
    }
    return cache;
}

int tide_cache_width(const tide_cache *cache)
{
    return cache->width;
}

int tide_cache_height(const tide_cache *cache)
{
    return cache->height;
}

const float *tide_cache_clean(const tide_cache *cache, int color)
{
    return cache->clean[color];
}

/* The transform of x0 is what every t shares: made once, on first need. */
static st_filter *clean_filter(tide_cache *cache, int color)
{
    if (!cache->clean_filter[color]) {
        cache->clean_filter[color] = st_filter_new(cache->width, cache->height, NULL);
        if (cache->clean_filter[color])
            st_filter_load(cache->clean_filter[color], cache->clean[color]);
    }
    return cache->clean_filter[color];
}

static st_filter *noise_filter(tide_cache *cache, int color, uint64_t seed)
{
    if (cache->noise_filter[color] && cache->noise_seed[color] == seed)
        return cache->noise_filter[color];
    if (!cache->noise_filter[color])
        cache->noise_filter[color] = st_filter_new(cache->width, cache->height, NULL);
    if (!cache->noise_filter[color])
        return NULL;
    memset(cache->scratch, 0, (size_t)cache->width * (size_t)cache->height * sizeof(float));
    tide_add_noise(cache->scratch, cache->width, cache->height, cache->origin_x, cache->origin_y,
                   cache->full_width, cache->full_height, color, seed, 1.0);
    st_filter_load(cache->noise_filter[color], cache->scratch);
    cache->noise_seed[color] = seed;
    return cache->noise_filter[color];
}

int tide_cache_lowpass(tide_cache *cache, int color, double f_cut, float *out)
{
    st_filter *filter = clean_filter(cache, color);
    if (!filter)
        return -1;
    st_filter_ideal_lowpass(filter, f_cut, out);
    return 0;
}

int tide_cache_wiener(tide_cache *cache, int color, uint64_t seed, const double *ring_power,
                      double a, double s, float *out)
{
    st_filter *clean = clean_filter(cache, color);
    st_filter *noise = noise_filter(cache, color, seed);
    if (!clean || !noise)
        return -1;
    if (!(a > 0.0)) {
        /* Pure noise: the best linear estimate of x0 is 0. */
        memset(out, 0, (size_t)cache->width * (size_t)cache->height * sizeof(float));
        return 0;
    }
    /* W(x0 + (s/a) eps) = W x0 + (s/a) W eps. */
    st_filter_wiener(clean, ring_power, NULL, a, s, out);
    st_filter_wiener(noise, ring_power, NULL, a, s, cache->scratch);
    float k = (float)(s / a);
    size_t n = (size_t)cache->width * (size_t)cache->height;
    for (size_t i = 0; i < n; i++)
        out[i] += k * cache->scratch[i];
    return 0;
}

void tide_cache_noisy_block(const tide_cache *cache, int color, uint64_t seed, double noise_scale,
                            int col_begin, int col_end, int row_begin, int row_end, float *out,
                            size_t out_stride)
{
    const float *clean = cache->clean[color];
    for (int row = row_begin; row < row_end; row++) {
        float *line = out + (size_t)(row - row_begin) * out_stride;
        const float *src = clean + (size_t)row * (size_t)cache->width;
        uint64_t first = tide_noise_index(color, cache->origin_x, cache->origin_y + row,
                                          cache->full_width, cache->full_height);
        for (int col = col_begin; col < col_end; col++)
            line[col - col_begin] =
                src[col] + (float)(noise_scale * st_gaussian_at(seed, first + (uint64_t)col));
    }
}

int tide_cache_filter(tide_cache *cache, tide_view view, double fmax, uint64_t seed,
                      const double *ring_power, double a, double s, float *filtered)
{
    size_t n = (size_t)cache->width * (size_t)cache->height;
    for (int c = 0; c < cache->colors && view != TIDE_VIEW_NOISY; c++) {
        float *out = filtered + (size_t)c * n;
        int status = view == TIDE_VIEW_WIENER
                         ? tide_cache_wiener(cache, c, seed, ring_power, a, s, out)
                         : tide_cache_lowpass(cache, c, fmax, out);
        if (status != 0)
            return -1;
    }
    return 0;
}

static unsigned char to_u8(float x)
{
    float v = 0.5f * (x + 1.0f) * 255.0f + 0.5f;
    return v <= 0.0f ? 0 : v >= 255.0f ? 255 : (unsigned char)v;
}

/* The noise of block [col_begin, col_end) x [row_begin, row_end), all
 * channels, made once per block and seed. Returns 0 or -1 (memory). */
static int block_noise(tide_cache *cache, uint64_t seed, int col_begin, int col_end, int row_begin,
                       int row_end)
{
    int key[4] = {col_begin, col_end, row_begin, row_end};
    if (cache->block_valid && cache->block_seed == seed &&
        memcmp(key, cache->block_key, sizeof key) == 0)
        return 0;
    size_t block = (size_t)(col_end - col_begin) * (size_t)(row_end - row_begin);
    if (block > cache->block_capacity) {
        for (int c = 0; c < cache->colors; c++) {
            free(cache->block_noise[c]);
            cache->block_noise[c] = malloc(block * sizeof(float));
            if (!cache->block_noise[c]) {
                cache->block_capacity = 0;
                cache->block_valid = 0;
                return -1;
            }
        }
        cache->block_capacity = block;
    }
    for (int c = 0; c < cache->colors; c++)
        for (int row = row_begin; row < row_end; row++) {
            float *line =
                cache->block_noise[c] + (size_t)(row - row_begin) * (size_t)(col_end - col_begin);
            uint64_t first = tide_noise_index(c, cache->origin_x + col_begin, cache->origin_y + row,
                                              cache->full_width, cache->full_height);
            for (int col = col_begin; col < col_end; col++)
                line[col - col_begin] =
                    (float)st_gaussian_at(seed, first + (uint64_t)(col - col_begin));
        }
    memcpy(cache->block_key, key, sizeof key);
    cache->block_seed = seed;
    cache->block_valid = 1;
    return 0;
}

void tide_cache_render_u8(tide_cache *cache, tide_view view, uint64_t seed, double noise_scale,
                          const float *filtered, int col_begin, int col_end, int row_begin,
                          int row_end, int split_col, unsigned char *out, size_t out_stride,
                          int bpp)
{
    size_t n = (size_t)cache->width * (size_t)cache->height;
    int block = col_end - col_begin;
    int noisy_end = view == TIDE_VIEW_NOISY   ? col_end
                    : view == TIDE_VIEW_SPLIT ? (split_col < col_end ? split_col : col_end)
                                              : col_begin;
    if (noisy_end < col_begin)
        noisy_end = col_begin;
    /* The whole block's noise is cached even in split view, so moving the
     * split or switching views costs nothing either. */
    if (noisy_end > col_begin &&
        block_noise(cache, seed, col_begin, col_end, row_begin, row_end) != 0)
        noisy_end = col_begin;
    float k = (float)noise_scale;
    for (int row = row_begin; row < row_end; row++) {
        unsigned char *line = out + (size_t)(row - row_begin) * out_stride;
        for (int c = 0; c < cache->colors; c++) {
            const float *clean = cache->clean[c] + (size_t)row * cache->width;
            const float *plane =
                filtered ? filtered + (size_t)c * n + (size_t)row * cache->width : clean;
            const float *eps = noisy_end > col_begin ? cache->block_noise[c] +
                                                           (size_t)(row - row_begin) * (size_t)block
                                                     : NULL;
            for (int col = col_begin; col < col_end; col++) {
                float x = col < noisy_end ? clean[col] + k * eps[col - col_begin] : plane[col];
                line[(size_t)(col - col_begin) * (size_t)bpp + (size_t)c] = to_u8(x);
            }
        }
    }
}

void tide_cache_free(tide_cache *cache)
{
    if (!cache)
        return;
    for (int c = 0; c < TIDE_MAX_COLORS; c++) {
        free(cache->clean[c]);
        free(cache->block_noise[c]);
        if (cache->clean_filter[c])
            st_filter_free(cache->clean_filter[c]);
        if (cache->noise_filter[c])
            st_filter_free(cache->noise_filter[c]);
    }
    free(cache->scratch);
    free(cache);
}
