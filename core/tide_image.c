/* The tide on an image (see spectide_tide.h): x_t / a = x0 + (s/a) eps,
 * the ideal radial low-pass of x0 at f_max, the Wiener estimate of x0, for
 * every colour channel, from the pixels the front holds.
 *
 * Two ways to spend memory and FFTs. ONE_LEVEL runs what a run needs and
 * keeps one plane of scratch and one st_filter, reused channel after
 * channel; its Wiener view transforms x_t / a itself, so its numbers are
 * those `spectide tide` always wrote. MANY_LEVELS (a preview that moves t)
 * keeps every channel's spectra of x0 and of eps: a new level costs one
 * inverse FFT per channel, W (X0 + (s/a) E) being formed bin by bin.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "constructor.h"
#include "spectide_tide.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Colour planes, plus a derived analysis plane (luma of RGB). */
#define MAX_PLANES 4

typedef enum { FILTERED_NONE, FILTERED_LOWPASS, FILTERED_WIENER } filtered_kind;

/* What a MANY_LEVELS image keeps of one plane. */
typedef struct {
    st_filter *clean; /* holds FFT(x0) */
    st_filter *noise; /* holds FFT(eps) of noise_seed */
    uint64_t noise_seed;
    double *ring_power; /* x0's RAPSD: the Wiener filter's S */
    float *filtered;    /* the last filtered rows (full size, FFTW-aligned) */
    filtered_kind kind;
    double key[5];      /* fmax, or a, s, seed; and the rows */
    float *block_noise; /* eps of the last noisy block */
    size_t block_capacity;
    int block_key[4];
    uint64_t block_seed;
    int block_valid;
} plane_cache;

struct st_tide_image {
    const float *pixels;
    int width, height, components;
    size_t row_stride;
    int colors;         /* 1 or 3 */
    int analysis_plane; /* 0 .. colors - 1, or colors (derived) */
    st_channel analysis;
    st_tide_placement placement;
    st_tide_image_mode mode;

    int have_level;
    st_tide_level level;
    uint64_t seed;
    double fmax;
    int split_column;

    st_rapsd *rapsd; /* planned once: analysis and the Wiener's S */
    int rings;
    double *freq, *analysis_power;

    float *plane;       /* width * height scratch (FFTW-aligned): x0, x_t / a */
    float *row_noise;   /* one row of eps */
    st_filter *filter;  /* ONE_LEVEL: one filter for every plane */
    double *ring_power; /* ONE_LEVEL: the RAPSD of the plane at hand */
    float *filtered;    /* ONE_LEVEL: a full plane for blocks (FFTW-aligned) */
    plane_cache cache[MAX_PLANES];
};

static size_t pixel_count(const st_tide_image *image)
{
    return (size_t)image->width * (size_t)image->height;
}

/* The channel whose values make plane `plane`. */
static st_channel plane_channel(const st_tide_image *image, int plane)
{
    static const st_channel colours[3] = {ST_CHANNEL_RED, ST_CHANNEL_GREEN, ST_CHANNEL_BLUE};
    if (image->colors == 1)
        return ST_CHANNEL_GREEN; /* ignored for gray */
    return plane < 3 ? colours[plane] : image->analysis;
}

/* x0 of plane `plane` over the block (x, y, width, height), rows `stride`
 * floats apart in out: the mapping of st_pixels_to_analysis (2v - 1 in
 * double, rounded once; non-finite values 0). */
static void map_block(const st_tide_image *image, int plane, int x, int y, int width, int height,
                      float *out, size_t stride)
{
    st_channel channel = plane_channel(image, plane);
    for (int row = 0; row < height; row++) {
        const float *pixels =
            image->pixels + (size_t)(y + row) * image->row_stride + (size_t)x * image->components;
        st_pixels_to_analysis(pixels, width, 1, image->components, image->row_stride, channel,
                              out + (size_t)row * stride);
    }
}

static void map_plane(const st_tide_image *image, int plane, float *out)
{
    map_block(image, plane, 0, 0, image->width, image->height, out, (size_t)image->width);
}

/* The noise index of plane `plane` at block pixel (x, y). */
static uint64_t noise_index(const st_tide_image *image, int plane, int x, int y)
{
    const st_tide_placement *p = &image->placement;
    return st_tide_noise_index(plane, p->x + x, p->y + y, p->full_width, p->full_height);
}

/* out = x0 + (s/a) eps over the block, in the float operations the command
 * line always made: eps and s/a rounded to float, a multiply, then an add. */
static void noisy_block(st_tide_image *image, int plane, int x, int y, int width, int height,
                        const float *eps, size_t eps_stride, float *out, size_t stride)
{
    map_block(image, plane, x, y, width, height, out, stride);
    float k = (float)image->level.sigma;
    for (int row = 0; row < height; row++) {
        float *line = out + (size_t)row * stride;
        const float *noise = eps ? eps + (size_t)row * eps_stride : image->row_noise;
        if (!eps)
            st_gaussian_fill(image->seed, noise_index(image, plane, x, y + row), image->row_noise,
                             (size_t)width);
        for (int col = 0; col < width; col++)
            line[col] = line[col] + k * noise[col];
    }
}

static int placement_is_valid(const st_tide_placement *p, int width, int height)
{
    return p->x >= 0 && p->y >= 0 && p->full_width >= 1 && p->full_height >= 1 &&
           (long long)p->x + width <= p->full_width && (long long)p->y + height <= p->full_height;
}

st_tide_image *st_tide_image_new(const float *pixels, int width, int height, int components,
                                 size_t row_stride, st_channel analysis,
                                 const st_tide_placement *placement, st_tide_image_mode mode,
                                 st_status *error)
{
    st_tide_placement whole = {0, 0, width, height};
    if (!pixels || components < 1 || components > 4 || width < 1 || height < 1 ||
        row_stride < (size_t)width * (size_t)components || !st_channel_name(analysis) ||
        (mode != ST_TIDE_IMAGE_ONE_LEVEL && mode != ST_TIDE_IMAGE_MANY_LEVELS) ||
        (placement && !placement_is_valid(placement, width, height)))
        return st_failed(error, ST_ERROR_ARGUMENT);
    st_status status = ST_OK;
    st_rapsd *rapsd = st_rapsd_new(width, height, &status);
    if (!rapsd)
        return st_failed(error, status);
    st_tide_image *image = calloc(1, sizeof *image);
    if (!image) {
        st_rapsd_free(rapsd);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    *image = (st_tide_image){.pixels = pixels,
                             .width = width,
                             .height = height,
                             .components = components,
                             .row_stride = row_stride,
                             .colors = components >= 3 ? 3 : 1,
                             .analysis = analysis,
                             .placement = placement ? *placement : whole,
                             .mode = mode,
                             .fmax = NAN,
                             .split_column = width / 2,
                             .rapsd = rapsd,
                             .rings = st_rapsd_ring_count(rapsd)};
    /* Gray: the one plane; RGB: red, green or blue, else a derived plane. */
    image->analysis_plane = image->colors == 1             ? 0
                            : analysis == ST_CHANNEL_RED   ? 0
                            : analysis == ST_CHANNEL_GREEN ? 1
                            : analysis == ST_CHANNEL_BLUE  ? 2
                                                           : 3;
    image->freq = malloc((size_t)image->rings * sizeof(double));
    image->analysis_power = malloc((size_t)image->rings * sizeof(double));
    image->ring_power = malloc((size_t)image->rings * sizeof(double));
    image->plane = fftwf_malloc(pixel_count(image) * sizeof(float));
    image->row_noise = malloc((size_t)width * sizeof(float));
    if (!image->freq || !image->analysis_power || !image->ring_power || !image->plane ||
        !image->row_noise) {
        st_tide_image_free(image);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    st_rapsd_frequencies(rapsd, image->freq);
    map_plane(image, image->analysis_plane, image->plane);
    st_rapsd_run(rapsd, image->plane, image->analysis_power);
    return st_made(error, image);
}

int st_tide_image_colors(const st_tide_image *image)
{
    return image ? image->colors : 0;
}

int st_tide_image_analysis_plane(const st_tide_image *image)
{
    if (!image)
        return ST_TIDE_ANALYSIS_PLANE;
    return image->analysis_plane < image->colors ? image->analysis_plane : ST_TIDE_ANALYSIS_PLANE;
}

int st_tide_image_analysis_rapsd(const st_tide_image *image, const double **freq,
                                 const double **power)
{
    if (!image)
        return 0;
    if (freq)
        *freq = image->freq;
    if (power)
        *power = image->analysis_power;
    return image->rings;
}

st_status st_tide_image_set_level(st_tide_image *image, const st_tide_level *level, uint64_t seed)
{
    if (!image || !level)
        return ST_ERROR_ARGUMENT;
    if (level->a == 0.0)
        return ST_ERROR_NO_SIGNAL;
    /* Only what st_tide_level_from_* accepted. */
    if (level->problem || !(level->a > 0.0) || !isfinite(level->sigma) || !(level->sigma >= 0.0) ||
        !(level->noise_floor >= 0.0))
        return ST_ERROR_ARGUMENT;
    image->level = *level;
    image->seed = seed;
    image->fmax =
        st_fmax_measured(image->freq, image->analysis_power, image->rings, level->noise_floor);
    image->have_level = 1;
    return ST_OK;
}

double st_tide_image_fmax(const st_tide_image *image)
{
    return image && image->have_level ? image->fmax : NAN;
}

st_status st_tide_image_set_split(st_tide_image *image, int column)
{
    if (!image || column < 0 || column > image->width)
        return ST_ERROR_ARGUMENT;
    image->split_column = column;
    return ST_OK;
}

/* ------------------------------------------------------------------ */
/* ONE_LEVEL: compute what is asked, one filter for every plane        */
/* ------------------------------------------------------------------ */

static st_filter *one_filter(st_tide_image *image)
{
    if (!image->filter)
        image->filter = st_filter_new(image->width, image->height, NULL);
    return image->filter;
}

/* The low-pass or Wiener plane of `plane` into out (full size), rows
 * [row_begin, row_end) only. */
static st_status one_level_filtered(st_tide_image *image, st_tide_view view, int plane,
                                    int row_begin, int row_end, float *out)
{
    st_filter *filter = one_filter(image);
    if (!filter)
        return ST_ERROR_MEMORY;
    st_filter_set_output_rows(filter, row_begin, row_end);
    map_plane(image, plane, image->plane);
    if (view == ST_TIDE_VIEW_WIENER) {
        /* S is this plane's own RAPSD; x_t / a is transformed as a whole. */
        st_rapsd_run(image->rapsd, image->plane, image->ring_power);
        float k = (float)image->level.sigma;
        for (int y = 0; y < image->height; y++) {
            float *line = image->plane + (size_t)y * image->width;
            st_gaussian_fill(image->seed, noise_index(image, plane, 0, y), image->row_noise,
                             (size_t)image->width);
            for (int x = 0; x < image->width; x++)
                line[x] = line[x] + k * image->row_noise[x];
        }
        st_filter_load(filter, image->plane);
        st_filter_wiener(filter, image->ring_power, NULL, image->level.a, image->level.s, out);
    } else {
        st_filter_load(filter, image->plane);
        st_filter_ideal_lowpass(filter, image->fmax, out);
    }
    return ST_OK;
}

/* ------------------------------------------------------------------ */
/* MANY_LEVELS: spectra kept per plane                                 */
/* ------------------------------------------------------------------ */

/* The transform of x0 is what every level shares: made on first need. */
static st_filter *clean_filter(st_tide_image *image, int plane)
{
    plane_cache *cache = &image->cache[plane];
    if (!cache->clean) {
        cache->clean = st_filter_new(image->width, image->height, NULL);
        if (!cache->clean)
            return NULL;
        map_plane(image, plane, image->plane);
        st_filter_load(cache->clean, image->plane);
    }
    return cache->clean;
}

static st_filter *noise_filter(st_tide_image *image, int plane)
{
    plane_cache *cache = &image->cache[plane];
    if (cache->noise && cache->noise_seed == image->seed)
        return cache->noise;
    if (!cache->noise)
        cache->noise = st_filter_new(image->width, image->height, NULL);
    if (!cache->noise)
        return NULL;
    for (int y = 0; y < image->height; y++)
        st_gaussian_fill(image->seed, noise_index(image, plane, 0, y),
                         image->plane + (size_t)y * image->width, (size_t)image->width);
    st_filter_load(cache->noise, image->plane);
    cache->noise_seed = image->seed;
    return cache->noise;
}

static const double *cached_ring_power(st_tide_image *image, int plane)
{
    plane_cache *cache = &image->cache[plane];
    if (!cache->ring_power) {
        cache->ring_power = malloc((size_t)image->rings * sizeof(double));
        if (!cache->ring_power)
            return NULL;
        map_plane(image, plane, image->plane);
        st_rapsd_run(image->rapsd, image->plane, cache->ring_power);
    }
    return cache->ring_power;
}

/* The filtered rows [row_begin, row_end) of `plane` for the current level,
 * recomputed only when the level, the seed (Wiener), f_max (low-pass) or
 * the rows changed. */
static const float *many_levels_filtered(st_tide_image *image, st_tide_view view, int plane,
                                         int row_begin, int row_end)
{
    plane_cache *cache = &image->cache[plane];
    filtered_kind kind = view == ST_TIDE_VIEW_WIENER ? FILTERED_WIENER : FILTERED_LOWPASS;
    int wiener = kind == FILTERED_WIENER;
    double key[5] = {wiener ? image->level.a : image->fmax, wiener ? image->level.s : 0.0,
                     wiener ? (double)image->seed : 0.0, row_begin, row_end};
    if (cache->kind == kind && memcmp(key, cache->key, sizeof key) == 0)
        return cache->filtered;
    if (!cache->filtered)
        cache->filtered = fftwf_malloc(pixel_count(image) * sizeof(float));
    st_filter *clean = cache->filtered ? clean_filter(image, plane) : NULL;
    if (!clean)
        return NULL;
    st_filter_set_output_rows(clean, row_begin, row_end);
    if (wiener) {
        st_filter *noise = noise_filter(image, plane);
        const double *power = cached_ring_power(image, plane);
        if (!noise || !power ||
            st_filter_wiener_with_noise(clean, noise, image->level.sigma, power, NULL,
                                        image->level.a, image->level.s, cache->filtered) != ST_OK)
            return NULL;
    } else {
        st_filter_ideal_lowpass(clean, image->fmax, cache->filtered);
    }
    cache->kind = kind;
    memcpy(cache->key, key, sizeof key);
    return cache->filtered;
}

/* eps of the block, made once per block and seed: a new level on the same
 * area costs a multiply-add per pixel, not a Gaussian. */
static const float *cached_block_noise(st_tide_image *image, int plane, int x, int y, int width,
                                       int height)
{
    plane_cache *cache = &image->cache[plane];
    int key[4] = {x, y, width, height};
    if (cache->block_valid && cache->block_seed == image->seed &&
        memcmp(key, cache->block_key, sizeof key) == 0)
        return cache->block_noise;
    size_t count = (size_t)width * (size_t)height;
    if (count > cache->block_capacity) {
        free(cache->block_noise);
        cache->block_noise = malloc(count * sizeof(float));
        cache->block_capacity = cache->block_noise ? count : 0;
        cache->block_valid = 0;
        if (!cache->block_noise)
            return NULL;
    }
    for (int row = 0; row < height; row++)
        st_gaussian_fill(image->seed, noise_index(image, plane, x, y + row),
                         cache->block_noise + (size_t)row * (size_t)width, (size_t)width);
    memcpy(cache->block_key, key, sizeof key);
    cache->block_seed = image->seed;
    cache->block_valid = 1;
    return cache->block_noise;
}

/* ------------------------------------------------------------------ */
/* Runs                                                                */
/* ------------------------------------------------------------------ */

static void copy_block(const float *plane, int plane_width, int x, int y, int width, int height,
                       float *out, size_t stride)
{
    for (int row = 0; row < height; row++)
        memcpy(out + (size_t)row * stride, plane + (size_t)(y + row) * plane_width + x,
               (size_t)width * sizeof(float));
}

/* The first `columns` columns of the block's noisy view into out. A
 * MANY_LEVELS image keeps the whole block's noise even when the split view
 * shows only part of it: moving the split or switching views costs no
 * Gaussian either. */
static st_status run_noisy(st_tide_image *image, int plane, int x, int y, int width, int height,
                           int columns, float *out, size_t stride)
{
    if (columns < 1)
        return ST_OK;
    const float *eps = NULL;
    if (image->mode == ST_TIDE_IMAGE_MANY_LEVELS) {
        eps = cached_block_noise(image, plane, x, y, width, height);
        if (!eps)
            return ST_ERROR_MEMORY;
    }
    noisy_block(image, plane, x, y, columns, height, eps, (size_t)width, out, stride);
    return ST_OK;
}

/* The low-pass or Wiener view of the block into out. */
static st_status run_filtered(st_tide_image *image, st_tide_view view, int plane, int x, int y,
                              int width, int height, float *out, size_t stride)
{
    if (image->mode == ST_TIDE_IMAGE_MANY_LEVELS) {
        const float *filtered = many_levels_filtered(image, view, plane, y, y + height);
        if (!filtered)
            return ST_ERROR_MEMORY;
        copy_block(filtered, image->width, x, y, width, height, out, stride);
        return ST_OK;
    }
    if (x == 0 && y == 0 && width == image->width && height == image->height &&
        stride == (size_t)image->width)
        return one_level_filtered(image, view, plane, 0, image->height, out);
    if (!image->filtered)
        image->filtered = fftwf_malloc(pixel_count(image) * sizeof(float));
    if (!image->filtered)
        return ST_ERROR_MEMORY;
    st_status status = one_level_filtered(image, view, plane, y, y + height, image->filtered);
    if (status == ST_OK)
        copy_block(image->filtered, image->width, x, y, width, height, out, stride);
    return status;
}

st_status st_tide_image_run_block(st_tide_image *image, st_tide_view view, int plane, int x, int y,
                                  int width, int height, float *out, size_t out_stride)
{
    if (!image || !out || (int)view < 0 || view >= ST_TIDE_VIEW_COUNT || x < 0 || y < 0 ||
        width < 1 || height < 1 || x + width > image->width || y + height > image->height ||
        out_stride < (size_t)width)
        return ST_ERROR_ARGUMENT;
    if (plane == ST_TIDE_ANALYSIS_PLANE)
        plane = image->analysis_plane;
    if (plane < 0 || (plane >= image->colors && plane != image->analysis_plane))
        return ST_ERROR_ARGUMENT;
    if (!image->have_level)
        return ST_NOT_READY;
    switch (view) {
    case ST_TIDE_VIEW_NOISY:
        return run_noisy(image, plane, x, y, width, height, width, out, out_stride);
    case ST_TIDE_VIEW_WIENER:
        return run_filtered(image, view, plane, x, y, width, height, out, out_stride);
    case ST_TIDE_VIEW_LOWPASS:
    case ST_TIDE_VIEW_SPLIT:
    default: {
        st_status status =
            run_filtered(image, ST_TIDE_VIEW_LOWPASS, plane, x, y, width, height, out, out_stride);
        if (status != ST_OK || view != ST_TIDE_VIEW_SPLIT)
            return status;
        /* Noisy left of the split column. */
        int noisy_end = image->split_column < x + width ? image->split_column : x + width;
        return run_noisy(image, plane, x, y, width, height, noisy_end - x, out, out_stride);
    }
    }
}

st_status st_tide_image_run(st_tide_image *image, st_tide_view view, int plane, float *out)
{
    if (!image)
        return ST_ERROR_ARGUMENT;
    return st_tide_image_run_block(image, view, plane, 0, 0, image->width, image->height, out,
                                   (size_t)image->width);
}

void st_tide_image_free(st_tide_image *image)
{
    if (!image)
        return;
    for (int p = 0; p < MAX_PLANES; p++) {
        plane_cache *cache = &image->cache[p];
        st_filter_free(cache->clean);
        st_filter_free(cache->noise);
        free(cache->ring_power);
        fftwf_free(cache->filtered);
        free(cache->block_noise);
    }
    st_filter_free(image->filter);
    st_rapsd_free(image->rapsd);
    free(image->freq);
    free(image->analysis_power);
    free(image->ring_power);
    fftwf_free(image->plane);
    fftwf_free(image->filtered);
    free(image->row_noise);
    free(image);
}
