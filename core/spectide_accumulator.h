/* spectide core: a streaming, mergeable accumulator of image spectra for
 * whole datasets, and the Student t distribution its confidence bands use.
 *
 * One accumulator takes the RAPSD of one image after another and keeps, in
 * memory that does not grow with the number of images:
 *   - on a fixed log-spaced frequency grid (the same for every dataset:
 *     f_k = 2^(-16 + k / points_per_octave), from 1/ST_MAX_IMAGE_SIDE to the
 *     Nyquist frequency 0.5), per grid point the count, the sum and the sum of
 *     squares of log10 P, and the sum of P; DC (f = 0) apart. An image
 *     contributes only inside its own ring range [1/L, r_last/L]: its rings
 *     are interpolated linearly in log10 f / log10 P onto the grid points
 *     between them (as st_logavg does), nothing is extrapolated, and a grid
 *     point next to a ring without usable power gets nothing from that image;
 *   - the same sums per ring while every image has the same ring axis (the
 *     same longest side L, so 500x375 and 375x500 share it): a single-size
 *     dataset keeps pysteps' rings exactly. The first image of another L
 *     drops the ring axis for good;
 *   - per image, its power-law fit (alpha, c, R^2, as st_powerlaw_fit over
 *     every ring but DC) as count, sum and sum of squares, and a histogram
 *     of alpha;
 *   - provenance: channel, pixel mapping, the spectide version, counts of
 *     images used and of files skipped, the range of image sides.
 *
 * Exactness. Every sum is an integer: log10 P (and alpha, c, R^2) are
 * rounded once, when an image is added, to multiples of 2^-32
 * (ST_ACCUMULATOR_LOG10_RESOLUTION, 2.3e-10 in log10 P, i.e. 5e-10 relative
 * in P: far below the float32 FFT's own rounding) and summed in 128-bit
 * integers; P is rounded to a multiple of 2^-112 (about 1.9e-34) and summed
 * in 192 bits. Integer sums do not depend on the order of the additions, so
 * st_accumulator_merge is associative and commutative to the last bit, and
 * merging shards gives the same bytes as one pass over their union.
 * Headroom: |log10 P| <= 324 for every positive double, |alpha|, |c|,
 * |R^2| <= 512 are counted (a fit outside is counted as "without fit"),
 * P <= ST_ACCUMULATOR_MAX_POWER (2^32; P <= w*h <= 2^28 for pixels in
 * [-1,1]) and at most ST_ACCUMULATOR_MAX_IMAGES (2^44, 1.7e13) images keep
 * every sum below 2^127 (resp. 2^192). (The RAPSD itself, made by FFTW with
 * SIMD code chosen per CPU, is bit-identical only on the same kind of
 * machine; the merge is exact everywhere.)
 *
 * Threads: one accumulator is used by one thread at a time (add, merge and
 * skip write it); the const functions (results, info, serialisation) may
 * run concurrently on one accumulator that nobody writes. new/free/parse of
 * different accumulators are thread-safe. A worker pool gives each worker
 * its own accumulator and merges them at the end: the result is the same
 * for any number of workers and any order of files.
 *
 * The file format (st_accumulator_serialize), version 1, all integers
 * little-endian, written byte by byte (endian-safe on every machine):
 *   magic "\x89STACC\r\n" (8 bytes), u32 format version, u64 total length,
 *   three strings (u32 length + bytes): channel, mapping, spectide version;
 *   u64 images, u64 files skipped, u64 images without a fit;
 *   u32 width min, width max, height min, height max, longest side min, max;
 *   moment of log2(longest side);
 *   i32 lowest exponent (-16), i32 highest exponent (-1), u32 points per
 *   octave, u32 grid points; stat of DC; stat of each grid point;
 *   moments of alpha, c, R^2; i32 histogram low edge, u32 bins per unit,
 *   u32 bins, u64 counts[bins + 2] (below, bins, above);
 *   u32 ring state (0 no image yet, 1 one ring axis, 2 mixed), u32 L, u32
 *   ring count, stat of each ring; u32 CRC-32 (zlib's) of all bytes before.
 *   A moment is u64 count, i128 sum, u128 sum of squares of the values in
 *   units of 2^-32 (16-byte integers as low u64 then high u64); a stat is a
 *   moment of log10 P followed by the u192 sum of P in units of 2^-112
 *   (three u64, lowest first). One accumulator has one serialisation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_ACCUMULATOR_H
#define SPECTIDE_ACCUMULATOR_H

#include "spectide.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The grid: f_k = 2^(ST_ACCUMULATOR_LOWEST_EXPONENT + k / points_per_octave),
 * k = 0 .. (HIGHEST - LOWEST) * points_per_octave. */
#define ST_ACCUMULATOR_LOWEST_EXPONENT       (-16) /* 1 / 65536 = 1 / ST_MAX_IMAGE_SIDE */
#define ST_ACCUMULATOR_HIGHEST_EXPONENT      (-1)  /* 0.5 cycles/pixel, Nyquist */
#define ST_ACCUMULATOR_POINTS_PER_OCTAVE     64    /* default density: 1.09% apart */
#define ST_ACCUMULATOR_MAX_POINTS_PER_OCTAVE 1024
/* Limits of the exact sums (see above). */
#define ST_ACCUMULATOR_LOG10_RESOLUTION (1.0 / 4294967296.0) /* 2^-32 */
#define ST_ACCUMULATOR_MAX_POWER        4294967296.0         /* 2^32 */
#define ST_ACCUMULATOR_MAX_IMAGES       (UINT64_C(1) << 44)
/* The pixel mapping of st_pixels_to_analysis, recorded by default. */
#define ST_ACCUMULATOR_DEFAULT_MAPPING "stored code values v in [0,1], x = 2v - 1"
/* The alpha histogram: bins of 1/32 from -2 to 6, plus one bin below and one
 * above: counts[0] alpha < -2, counts[1 + i] in [-2 + i/32, -2 + (i+1)/32),
 * counts[ST_ALPHA_HISTOGRAM_BINS + 1] alpha >= 6. */
#define ST_ALPHA_HISTOGRAM_BINS  256
#define ST_ALPHA_HISTOGRAM_LOW   (-2.0)
#define ST_ALPHA_HISTOGRAM_WIDTH (1.0 / 32.0)

typedef struct st_accumulator st_accumulator;

typedef struct {
    const char *channel;   /* analysis channel name, e.g. st_channel_name(); NULL: "green" */
    const char *mapping;   /* pixel mapping; NULL: ST_ACCUMULATOR_DEFAULT_MAPPING */
    int points_per_octave; /* grid density; 0: ST_ACCUMULATOR_POINTS_PER_OCTAVE */
} st_accumulator_settings;

/* An empty accumulator (settings may be NULL: defaults). Names are 1 to 63
 * printable ASCII characters (ST_ERROR_ARGUMENT otherwise). NULL on failure,
 * with the reason in *error (when error is not NULL). */
ST_API st_accumulator *st_accumulator_new(const st_accumulator_settings *settings,
                                          st_status *error);
ST_API void st_accumulator_free(st_accumulator *acc); /* NULL: no-op */

/* Adds the RAPSD of one width x height image: ring_power holds
 * st_ring_count_for_size(width, height) values as st_rapsd_run gives them
 * (ring r at r / L, L = max(width, height)). Powers that are not positive and
 * finite count as missing. ST_ERROR_NOT_FINITE if no ring is usable,
 * ST_ERROR_ARGUMENT for a bad size, a power above ST_ACCUMULATOR_MAX_POWER or
 * a full accumulator, ST_ERROR_MEMORY; on any error nothing is changed.
 * Allocates only when the first image (or a larger one) is seen. */
ST_API st_status st_accumulator_add(st_accumulator *acc, int width, int height,
                                    const double *ring_power);
/* Counts files that could not be used (provenance only). */
ST_API st_status st_accumulator_add_skipped(st_accumulator *acc, uint64_t files);
/* into += from (from may be into). ST_ERROR_MISMATCH (nothing changed) when
 * their grids, channels, mappings or spectide versions differ;
 * ST_ERROR_ARGUMENT when the sum would exceed ST_ACCUMULATOR_MAX_IMAGES. */
ST_API st_status st_accumulator_merge(st_accumulator *into, const st_accumulator *from);

/* Serialisation to memory (the front writes the file): the size in bytes,
 * then the bytes into a buffer of at least that size (ST_ERROR_ARGUMENT if
 * smaller). */
ST_API size_t st_accumulator_serialized_size(const st_accumulator *acc);
ST_API st_status st_accumulator_serialize(const st_accumulator *acc, unsigned char *bytes,
                                          size_t size);
/* An accumulator from serialised bytes. ST_ERROR_FORMAT for anything that is
 * not a complete, undamaged version-1 accumulator: wrong magic, a future
 * version, a wrong length (truncated or trailing bytes), a bad checksum, or
 * sums no sequence of additions can give. */
ST_API st_accumulator *st_accumulator_new_from_bytes(const unsigned char *bytes, size_t size,
                                                     st_status *error);

typedef struct {
    const char *channel, *mapping, *version; /* owned by the accumulator */
    uint64_t images;                         /* spectra added */
    uint64_t skipped;                        /* files counted by st_accumulator_add_skipped */
    uint64_t images_without_fit;             /* too few rings, or a fit outside the limits */
    int width_min, width_max, height_min, height_max; /* 0 while empty */
    int side_min, side_max;                           /* longest side L */
    double side_geometric_mean;                       /* 2^(mean log2 L); NaN while empty */
    int points_per_octave;
    int grid_points; /* points of the grid, DC not included */
    int ring_side;   /* L when every image shares one ring axis, else 0 */
    int rings;       /* its ring count (DC included), else 0 */
} st_accumulator_info;

ST_API void st_accumulator_get_info(const st_accumulator *acc, st_accumulator_info *info);

/* ---- results ---- */

typedef enum {
    ST_CURVE_BEST = 0, /* the rings when every image shares them, else the grid */
    ST_CURVE_GRID,     /* DC, then every grid point */
    ST_CURVE_RINGS     /* ring 0 (DC) .. rings-1; only while one ring axis is kept */
} st_curve_axis;

typedef struct {
    double freq;       /* cycles/pixel; 0 for DC (index 0) */
    uint64_t count;    /* images that cover the point */
    double mean_log10; /* mean of log10 P; NaN if count is 0 */
    double sd_log10;   /* sample standard deviation (n - 1); NaN if count < 2 */
    double
        ci_low_log10; /* 95% confidence interval of the mean: mean -+ t(0.975, n-1) sd / sqrt(n) */
    double ci_high_log10;
    double mean_power; /* arithmetic mean of P; NaN if count is 0 */
} st_curve_point;

/* Number of points of the axis (DC included): 1 + grid points, or the ring
 * count; 0 if the axis is not available (rings of a mixed or empty set). */
ST_API int st_accumulator_curve_length(const st_accumulator *acc, st_curve_axis axis);
/* Fills points[length] (length = st_accumulator_curve_length). ST_NOT_READY
 * while no image was added; ST_ERROR_ARGUMENT for another length or an
 * axis that is not available. */
ST_API st_status st_accumulator_curve(const st_accumulator *acc, st_curve_axis axis,
                                      st_curve_point *points, int length);
/* The power-law fit of the mean log10 P on that axis, through
 * st_powerlaw_fit_log10 over every covered point but DC (one resampled
 * point per point, as `spectide rapsd --average`). ST_NOT_READY while empty. */
ST_API st_status st_accumulator_fit(const st_accumulator *acc, st_curve_axis axis,
                                    st_powerlaw *fit);

typedef struct {
    uint64_t count;
    double mean;
    double sd;              /* sample standard deviation; NaN if count < 2 */
    double ci_low, ci_high; /* 95% interval of the mean (Student t); NaN if count < 2 */
} st_sample_summary;

typedef struct {
    st_sample_summary alpha, c, r_squared; /* over the images with a fit */
    uint64_t images_without_fit;
} st_image_fits;

/* The per-image fits; ST_NOT_READY while no image has a fit. */
ST_API st_status st_accumulator_image_fits(const st_accumulator *acc, st_image_fits *fits);
/* counts[ST_ALPHA_HISTOGRAM_BINS + 2] as described above. */
ST_API void st_accumulator_alpha_histogram(const st_accumulator *acc, uint64_t *counts);

/* ---- Student t distribution (confidence bands, tests) ---- */

/* P(T <= t) for Student's t with df > 0 degrees of freedom (df need not be
 * an integer: Welch-Satterthwaite); NaN for df <= 0 or NaN input. Through the
 * regularised incomplete beta function, about 1e-14 absolute. Thread-safe. */
ST_API double st_student_t_cdf(double t, double df);
/* The t with P(T <= t) = p, 0 < p < 1; NaN outside. Thread-safe. */
ST_API double st_student_t_quantile(double p, double df);

#ifdef __cplusplus
}
#endif

#endif /* SPECTIDE_ACCUMULATOR_H */
