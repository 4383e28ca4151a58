/* See stg-tide-cache.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "stg-tide-cache.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct stg_tide_cache {
    int width, height, colors;
    int origin_x, origin_y, full_width, full_height;
    float *clean[STG_MAX_COLORS];
    st_filter *clean_filter[STG_MAX_COLORS]; /* holds FFT(x0) once loaded */
    st_filter *noise_filter[STG_MAX_COLORS]; /* holds FFT(eps) for noise_seed */
    uint64_t noise_seed[STG_MAX_COLORS];
    double *ring_power[STG_MAX_COLORS]; /* RAPSD of x0, the Wiener filter's S */
    float *scratch;                     /* width*height: the noise plane */
    /* eps of the last rendered block (the preview area) per channel: a new t
     * on the same area costs a multiply-add per pixel, not a Gaussian. */
    float *block_noise[STG_MAX_COLORS];
    size_t block_capacity;
    int block_key[4];
    uint64_t block_seed;
    int block_valid;
};

const char *stg_view_name(stg_view view)
{
    static const char *const names[STG_VIEW_COUNT] = {"noisy x_t/a", "ideal low-pass at f_max",
                                                      "Wiener", "split noisy | low-pass"};
    return view >= 0 && view < STG_VIEW_COUNT ? names[view] : NULL;
}

const char *stg_view_nick(stg_view view)
{
    static const char *const nicks[STG_VIEW_COUNT] = {"noisy", "low-pass", "wiener", "split"};
    return view >= 0 && view < STG_VIEW_COUNT ? nicks[view] : NULL;
}

void stg_add_noise(float *x, int width, int height, int origin_x, int origin_y, int full_width,
                   int full_height, int color, uint64_t seed, double scale)
{
    for (int row = 0; row < height; row++) {
        uint64_t first = stg_noise_index(color, origin_x, origin_y + row, full_width, full_height);
        float *line = x + (size_t)row * (size_t)width;
        for (int col = 0; col < width; col++)
            line[col] += (float)(scale * st_gaussian_at(seed, first + (uint64_t)col));
    }
}

stg_tide_cache *stg_tide_cache_new(int width, int height, int colors, const float *const *planes,
                                   int origin_x, int origin_y, int full_width, int full_height)
{
    if (width < 1 || height < 1 || colors < 1 || colors > STG_MAX_COLORS)
        return NULL;
    stg_tide_cache *cache = calloc(1, sizeof *cache);
    if (!cache)
        return NULL;
    size_t n = (size_t)width * (size_t)height;
    *cache = (stg_tide_cache){.width = width,
                              .height = height,
                              .colors = colors,
                              .origin_x = origin_x,
                              .origin_y = origin_y,
                              .full_width = full_width,
                              .full_height = full_height};
    cache->scratch = malloc(n * sizeof(float));
    for (int c = 0; c < colors; c++) {
        cache->clean[c] = malloc(n * sizeof(float));
        if (!cache->clean[c]) {
            stg_tide_cache_free(cache);
            return NULL;
        }
        memcpy(cache->clean[c], planes[c], n * sizeof(float));
    }
    if (!cache->scratch) {
        stg_tide_cache_free(cache);
        return NULL;
    }
    return cache;
}

int stg_tide_cache_width(const stg_tide_cache *cache)
{
    return cache->width;
}

int stg_tide_cache_height(const stg_tide_cache *cache)
{
    return cache->height;
}

int stg_tide_cache_colors(const stg_tide_cache *cache)
{
    return cache->colors;
}

/* 64 bytes: the widest SIMD alignment FFTW uses (AVX-512). */
#define PLANE_ALIGNMENT 64

size_t stg_tide_cache_plane_stride(const stg_tide_cache *cache)
{
    size_t floats = PLANE_ALIGNMENT / sizeof(float);
    size_t n = (size_t)cache->width * (size_t)cache->height;
    return (n + floats - 1) / floats * floats;
}

float *stg_tide_cache_new_planes(const stg_tide_cache *cache)
{
    void *planes = NULL;
    size_t bytes = stg_tide_cache_plane_stride(cache) * (size_t)cache->colors * sizeof(float);
    return posix_memalign(&planes, PLANE_ALIGNMENT, bytes) == 0 ? planes : NULL;
}

/* The transform of x0 is what every t shares: made once, on first need. */
static st_filter *clean_filter(stg_tide_cache *cache, int color)
{
    if (!cache->clean_filter[color]) {
        cache->clean_filter[color] = st_filter_new(cache->width, cache->height, NULL);
        if (cache->clean_filter[color])
            st_filter_load(cache->clean_filter[color], cache->clean[color]);
    }
    return cache->clean_filter[color];
}

static st_filter *noise_filter(stg_tide_cache *cache, int color, uint64_t seed)
{
    if (cache->noise_filter[color] && cache->noise_seed[color] == seed)
        return cache->noise_filter[color];
    if (!cache->noise_filter[color])
        cache->noise_filter[color] = st_filter_new(cache->width, cache->height, NULL);
    if (!cache->noise_filter[color])
        return NULL;
    memset(cache->scratch, 0, (size_t)cache->width * (size_t)cache->height * sizeof(float));
    stg_add_noise(cache->scratch, cache->width, cache->height, cache->origin_x, cache->origin_y,
                  cache->full_width, cache->full_height, color, seed, 1.0);
    st_filter_load(cache->noise_filter[color], cache->scratch);
    cache->noise_seed[color] = seed;
    return cache->noise_filter[color];
}

static const double *ring_power(stg_tide_cache *cache, int color)
{
    if (!cache->ring_power[color]) {
        st_rapsd *rapsd = st_rapsd_new(cache->width, cache->height, NULL);
        double *power = rapsd ? malloc((size_t)st_rapsd_ring_count(rapsd) * sizeof(double)) : NULL;
        if (power)
            st_rapsd_run(rapsd, cache->clean[color], power);
        st_rapsd_free(rapsd);
        cache->ring_power[color] = power;
    }
    return cache->ring_power[color];
}

static int wiener(stg_tide_cache *cache, int color, uint64_t seed, double a, double s, float *out)
{
    if (!(a > 0.0)) {
        /* Pure noise: the best linear estimate of x0 is 0. */
        memset(out, 0, (size_t)cache->width * (size_t)cache->height * sizeof(float));
        return 0;
    }
    st_filter *clean = clean_filter(cache, color);
    st_filter *noise = noise_filter(cache, color, seed);
    const double *power = ring_power(cache, color);
    if (!clean || !noise || !power)
        return -1;
    return st_filter_wiener_with_noise(clean, noise, s / a, power, NULL, a, s, out) == ST_OK ? 0
                                                                                             : -1;
}

int stg_tide_cache_filter(stg_tide_cache *cache, stg_view view, double fmax, uint64_t seed,
                          double a, double s, int row_begin, int row_end, float *filtered)
{
    size_t stride = stg_tide_cache_plane_stride(cache);
    for (int c = 0; c < cache->colors && view != STG_VIEW_NOISY; c++) {
        float *out = filtered + (size_t)c * stride;
        st_filter *clean = clean_filter(cache, c);
        if (!clean || st_filter_set_output_rows(clean, row_begin, row_end) != ST_OK)
            return -1;
        if (view == STG_VIEW_WIENER) {
            if (wiener(cache, c, seed, a, s, out) != 0)
                return -1;
        } else {
            st_filter_ideal_lowpass(clean, fmax, out);
        }
    }
    return 0;
}

/* v = (x+1)/2 in 8 bits: round(255 v) clamped to [0, 255], NaN to 0. The
 * comparisons compile to min/max instructions (fminf would be a call). */
static inline unsigned char to_u8(float x)
{
    float v = 127.5f * x + 128.0f;
    v = v >= 0.0f ? v : 0.0f;
    v = v <= 255.0f ? v : 255.0f;
    return (unsigned char)(int)v;
}

/* The noise of block [col_begin, col_end) x [row_begin, row_end), all
 * channels, made once per block and seed. Returns 0 or -1 (memory). */
static int block_noise(stg_tide_cache *cache, uint64_t seed, int col_begin, int col_end,
                       int row_begin, int row_end)
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
            uint64_t first = stg_noise_index(c, cache->origin_x + col_begin, cache->origin_y + row,
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

void stg_tide_cache_render_u8(stg_tide_cache *cache, stg_view view, uint64_t seed,
                              double noise_scale, const float *filtered, int col_begin, int col_end,
                              int row_begin, int row_end, int split_col, unsigned char *out,
                              size_t out_stride, int bpp)
{
    size_t stride = stg_tide_cache_plane_stride(cache);
    int block = col_end - col_begin;
    int noisy_end = view == STG_VIEW_NOISY   ? col_end
                    : view == STG_VIEW_SPLIT ? (split_col < col_end ? split_col : col_end)
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
                filtered ? filtered + (size_t)c * stride + (size_t)row * cache->width : clean;
            unsigned char *dest = line + c - (size_t)col_begin * (size_t)bpp;
            /* Two plain loops, noisy part then filtered part. */
            if (noisy_end > col_begin) {
                const float *eps =
                    cache->block_noise[c] + (size_t)(row - row_begin) * (size_t)block - col_begin;
                for (int col = col_begin; col < noisy_end; col++)
                    dest[(size_t)col * (size_t)bpp] = to_u8(clean[col] + k * eps[col]);
            }
            for (int col = noisy_end; col < col_end; col++)
                dest[(size_t)col * (size_t)bpp] = to_u8(plane[col]);
        }
    }
}

void stg_tide_cache_free(stg_tide_cache *cache)
{
    if (!cache)
        return;
    for (int c = 0; c < STG_MAX_COLORS; c++) {
        free(cache->clean[c]);
        free(cache->block_noise[c]);
        free(cache->ring_power[c]);
        st_filter_free(cache->clean_filter[c]);
        st_filter_free(cache->noise_filter[c]);
    }
    free(cache->scratch);
    free(cache);
}
