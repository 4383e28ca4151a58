/* The dataset accumulator (see spectide_accumulator.h): exact integer sums
 * on a fixed log-spaced grid and, while the images share it, on their ring
 * axis; per-image fit statistics; a versioned little-endian serialisation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_accumulator.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef __SIZEOF_INT128__
#error "the accumulator's exact sums need a compiler with 128-bit integers (gcc or clang, 64-bit)"
#endif

typedef __int128 int128;
typedef unsigned __int128 uint128;

#define FORMAT_VERSION 1
#define NAME_CAPACITY  64
/* Values are counted in units of 2^-32; |value| <= 512 = 2^9. */
#define FIXED_SCALE  4294967296.0
#define VALUE_LIMIT  512.0
#define LINEAR_WORDS 3
#define RING_NONE    0
#define RING_EXACT   1
#define RING_MIXED   2

/* Sums of values in units of 2^-32: exact, order-independent. */
typedef struct {
    uint64_t count;
    int128 sum;
    uint128 sum_squares;
} moment;

/* log10 P and P at one frequency. */
typedef struct {
    moment log10_power;
    uint64_t power[LINEAR_WORDS]; /* sum of P in units of 2^-112, lowest word first */
} point_stat;

struct st_accumulator {
    char channel[NAME_CAPACITY], mapping[NAME_CAPACITY], version[NAME_CAPACITY];
    uint64_t images, skipped, without_fit;
    uint32_t width_min, width_max, height_min, height_max, side_min, side_max;
    moment log2_side;
    int points_per_octave, grid_points;
    double *grid_freq;   /* grid_points */
    double *grid_log10f; /* log10 of grid_freq */
    point_stat dc;
    point_stat *grid; /* grid_points */
    moment alpha, c, r_squared;
    uint64_t histogram[ST_ALPHA_HISTOGRAM_BINS + 2];
    int ring_state, ring_side, rings;
    point_stat *ring; /* rings, while ring_state is RING_EXACT */
    /* Scratch of st_accumulator_add, grown to the largest image seen, and
     * log10 r for r < index_capacity (log10 0 = -inf). */
    double *scratch;
    size_t scratch_capacity;
    double *log10_index;
    int index_capacity;
};

/* ------------------------------------------------------------ exact sums */

static int64_t to_fixed(double value)
{
    return (int64_t)llround(value * FIXED_SCALE);
}

static void moment_add(moment *m, int64_t q)
{
    m->count++;
    m->sum += q;
    m->sum_squares += (uint128)((int128)q * q);
}

static void moment_merge(moment *into, const moment *from)
{
    into->count += from->count;
    into->sum += from->sum;
    into->sum_squares += from->sum_squares;
}

/* Adds P (0 <= P <= ST_ACCUMULATOR_MAX_POWER) in units of 2^-112, rounded
 * to nearest (ties up). From the bits of the double: P = M 2^(E - 1075)
 * with the 53-bit M = fraction | 2^52 and the biased exponent E, so P is
 * M 2^(E - 963) units. Subnormals (below 2^-1022) are 0 units. */
static void linear_add(uint64_t *words, double power)
{
    uint64_t bits;
    memcpy(&bits, &power, sizeof bits);
    int biased = (int)((bits >> 52) & 0x7ff);
    if (biased == 0)
        return;
    uint64_t m = (bits & ((UINT64_C(1) << 52) - 1)) | UINT64_C(1) << 52;
    int shift = biased - 963;
    uint64_t add[LINEAR_WORDS] = {0, 0, 0};
    if (shift >= 0) {
        int word = shift / 64, bit = shift % 64;
        add[word] = m << bit;
        if (bit && word + 1 < LINEAR_WORDS)
            add[word + 1] = m >> (64 - bit);
    } else if (shift > -64) {
        add[0] = (m + (UINT64_C(1) << (-shift - 1))) >> -shift;
    }
    uint64_t carry = 0;
    for (int i = 0; i < LINEAR_WORDS; i++) {
        uint64_t sum = words[i] + add[i];
        uint64_t carry_out = sum < words[i];
        sum += carry;
        carry_out |= sum < carry;
        words[i] = sum;
        carry = carry_out;
    }
}

static void linear_merge(uint64_t *into, const uint64_t *from)
{
    uint64_t carry = 0;
    for (int i = 0; i < LINEAR_WORDS; i++) {
        uint64_t sum = into[i] + from[i];
        uint64_t carry_out = sum < into[i];
        sum += carry;
        carry_out |= sum < carry;
        into[i] = sum;
        carry = carry_out;
    }
}

static double linear_value(const uint64_t *words)
{
    return ldexp((double)words[2], 128 - 112) + ldexp((double)words[1], 64 - 112) +
           ldexp((double)words[0], -112);
}

static void stat_add(point_stat *s, double log10_power, double power)
{
    moment_add(&s->log10_power, to_fixed(log10_power));
    linear_add(s->power, power);
}

static void stat_merge(point_stat *into, const point_stat *from)
{
    moment_merge(&into->log10_power, &from->log10_power);
    linear_merge(into->power, from->power);
}

/* Mean and sample variance of a moment's values, from the exact integers.
 * With m = trunc(sum / n) and r = sum - m n: sum (q - m)^2 = sum_squares -
 * m (sum + r), exact in 128 bits (the true value lies in [0, sum_squares]),
 * and the squared deviations from the mean are that minus r^2 / n. */
static void moment_mean_variance(const moment *mo, double *mean, double *variance)
{
    double n = (double)mo->count;
    *mean = mo->count ? (double)mo->sum / n / FIXED_SCALE : NAN;
    if (mo->count < 2) {
        *variance = NAN;
        return;
    }
    int128 m = mo->sum / (int128)mo->count;
    int128 r = mo->sum - m * (int128)mo->count;
    uint128 around_m = mo->sum_squares - (uint128)m * (uint128)(mo->sum + r);
    double squares = (double)around_m - (double)r * (double)r / n;
    if (squares < 0.0)
        squares = 0.0;
    *variance = squares / (FIXED_SCALE * FIXED_SCALE) / (n - 1.0);
}

static void summarise(const moment *mo, st_sample_summary *out)
{
    double mean, variance;
    moment_mean_variance(mo, &mean, &variance);
    out->count = mo->count;
    out->mean = mean;
    out->sd = sqrt(variance);
    double half = mo->count >= 2 ? st_student_t_quantile(0.975, (double)(mo->count - 1)) * out->sd /
                                       sqrt((double)mo->count)
                                 : NAN;
    out->ci_low = mean - half;
    out->ci_high = mean + half;
}

/* ------------------------------------------------------------ life cycle */

static int copy_name(char *to, const char *from)
{
    size_t n = strlen(from);
    if (n == 0 || n >= NAME_CAPACITY)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (from[i] < 0x20 || from[i] > 0x7e)
            return 0;
    memcpy(to, from, n + 1);
    return 1;
}

static int make_grid(st_accumulator *acc, int points_per_octave)
{
    acc->points_per_octave = points_per_octave;
    acc->grid_points =
        (ST_ACCUMULATOR_HIGHEST_EXPONENT - ST_ACCUMULATOR_LOWEST_EXPONENT) * points_per_octave + 1;
    size_t n = (size_t)acc->grid_points;
    acc->grid_freq = malloc(n * sizeof(double));
    acc->grid_log10f = malloc(n * sizeof(double));
    acc->grid = calloc(n, sizeof(point_stat));
    if (!acc->grid_freq || !acc->grid_log10f || !acc->grid)
        return 0;
    for (int k = 0; k < acc->grid_points; k++) {
        double octaves =
            (double)(ST_ACCUMULATOR_LOWEST_EXPONENT * points_per_octave + k) / points_per_octave;
        acc->grid_freq[k] = exp2(octaves);
        acc->grid_log10f[k] = octaves * log10(2.0);
    }
    return 1;
}

static st_accumulator *fail(st_accumulator *acc, st_status *error, st_status status)
{
    st_accumulator_free(acc);
    if (error)
        *error = status;
    return NULL;
}

st_accumulator *st_accumulator_new(const st_accumulator_settings *settings, st_status *error)
{
    const char *channel = settings && settings->channel ? settings->channel : "green";
    const char *mapping =
        settings && settings->mapping ? settings->mapping : ST_ACCUMULATOR_DEFAULT_MAPPING;
    int density = settings && settings->points_per_octave ? settings->points_per_octave
                                                          : ST_ACCUMULATOR_POINTS_PER_OCTAVE;
    if (density < 1 || density > ST_ACCUMULATOR_MAX_POINTS_PER_OCTAVE)
        return fail(NULL, error, ST_ERROR_ARGUMENT);
    st_accumulator *acc = calloc(1, sizeof *acc);
    if (!acc)
        return fail(NULL, error, ST_ERROR_MEMORY);
    if (!copy_name(acc->channel, channel) || !copy_name(acc->mapping, mapping) ||
        !copy_name(acc->version, st_version()))
        return fail(acc, error, ST_ERROR_ARGUMENT);
    if (!make_grid(acc, density))
        return fail(acc, error, ST_ERROR_MEMORY);
    if (error)
        *error = ST_OK;
    return acc;
}

void st_accumulator_free(st_accumulator *acc)
{
    if (!acc)
        return;
    free(acc->grid_freq);
    free(acc->grid_log10f);
    free(acc->grid);
    free(acc->ring);
    free(acc->scratch);
    free(acc->log10_index);
    free(acc);
}

/* ------------------------------------------------------------ adding */

static int size_is_valid(int width, int height)
{
    return width >= 1 && height >= 1 && width <= ST_MAX_IMAGE_SIDE && height <= ST_MAX_IMAGE_SIDE &&
           (unsigned long long)width * (unsigned long long)height <= ST_MAX_IMAGE_PIXELS;
}

static int usable(double power)
{
    return isfinite(power) && power > 0.0;
}

/* Adds one image's interpolated log10 P to every grid point inside
 * [1/L, (rings-1)/L]. Positions are x = f L in ring units; a point within a
 * relative 1e-12 of a ring (rounding of f L) takes that ring's value, so
 * that 1/L itself is covered when it is a grid frequency. */
static void add_to_grid(st_accumulator *acc, int side, int rings, const double *power,
                        const double *log10_power, const double *log10_ring)
{
    if (rings < 2)
        return;
    const double tolerance = 1e-12;
    double log10_side = log10((double)side);
    int first = (int)floor(acc->points_per_octave *
                           (-log2((double)side) - ST_ACCUMULATOR_LOWEST_EXPONENT)) -
                1;
    for (int k = first > 0 ? first : 0; k < acc->grid_points; k++) {
        double x = acc->grid_freq[k] * side;
        if (x < 1.0 - tolerance)
            continue;
        if (x > (rings - 1) * (1.0 + tolerance))
            break;
        double nearest = floor(x + 0.5);
        double value;
        if (fabs(x - nearest) <= tolerance * nearest) {
            int r = (int)nearest;
            if (!usable(power[r]))
                continue;
            value = log10_power[r];
        } else {
            int r = (int)floor(x); /* 1 <= r <= rings - 2 here */
            if (!usable(power[r]) || !usable(power[r + 1]))
                continue;
            double weight = (acc->grid_log10f[k] + log10_side - log10_ring[r]) /
                            (log10_ring[r + 1] - log10_ring[r]);
            value = log10_power[r] + weight * (log10_power[r + 1] - log10_power[r]);
        }
        stat_add(&acc->grid[k], value, exp(value * M_LN10));
    }
}

static void add_fit(st_accumulator *acc, const st_powerlaw *fit, int fit_ok)
{
    if (!fit_ok || !(fabs(fit->alpha) <= VALUE_LIMIT) || !(fabs(fit->c) <= VALUE_LIMIT) ||
        !(fabs(fit->r_squared) <= VALUE_LIMIT)) {
        acc->without_fit++;
        return;
    }
    moment_add(&acc->alpha, to_fixed(fit->alpha));
    moment_add(&acc->c, to_fixed(fit->c));
    moment_add(&acc->r_squared, to_fixed(fit->r_squared));
    double bin = floor((fit->alpha - ST_ALPHA_HISTOGRAM_LOW) / ST_ALPHA_HISTOGRAM_WIDTH);
    int index = bin < 0.0                        ? 0
                : bin >= ST_ALPHA_HISTOGRAM_BINS ? ST_ALPHA_HISTOGRAM_BINS + 1
                                                 : 1 + (int)bin;
    acc->histogram[index]++;
}

static void update_sides(st_accumulator *acc, uint32_t width, uint32_t height)
{
    uint32_t side = width > height ? width : height;
    if (acc->images == 0) {
        acc->width_min = acc->width_max = width;
        acc->height_min = acc->height_max = height;
        acc->side_min = acc->side_max = side;
    } else {
        acc->width_min = width < acc->width_min ? width : acc->width_min;
        acc->width_max = width > acc->width_max ? width : acc->width_max;
        acc->height_min = height < acc->height_min ? height : acc->height_min;
        acc->height_max = height > acc->height_max ? height : acc->height_max;
        acc->side_min = side < acc->side_min ? side : acc->side_min;
        acc->side_max = side > acc->side_max ? side : acc->side_max;
    }
    moment_add(&acc->log2_side, to_fixed(log2((double)side)));
}

st_status st_accumulator_add(st_accumulator *acc, int width, int height, const double *ring_power)
{
    if (!acc || !ring_power || !size_is_valid(width, height))
        return ST_ERROR_ARGUMENT;
    if (acc->images >= ST_ACCUMULATOR_MAX_IMAGES)
        return ST_ERROR_ARGUMENT;
    int rings = st_ring_count_for_size(width, height);
    int side = width > height ? width : height;
    int any = 0;
    for (int r = 0; r < rings; r++) {
        if (ring_power[r] > ST_ACCUMULATOR_MAX_POWER && isfinite(ring_power[r]))
            return ST_ERROR_ARGUMENT;
        any |= usable(ring_power[r]);
    }
    if (!any)
        return ST_ERROR_NOT_FINITE;

    /* Every allocation first, so that a failure changes nothing. Scratch:
     * log10 P, freq, then the fit's own. */
    size_t fit_scratch = st_powerlaw_scratch_size(rings, 0);
    size_t needed = 2 * (size_t)rings + fit_scratch;
    if (needed > acc->scratch_capacity) {
        double *grown = realloc(acc->scratch, needed * sizeof(double));
        if (!grown)
            return ST_ERROR_MEMORY;
        acc->scratch = grown;
        acc->scratch_capacity = needed;
    }
    if (rings > acc->index_capacity) {
        double *grown = realloc(acc->log10_index, (size_t)rings * sizeof(double));
        if (!grown)
            return ST_ERROR_MEMORY;
        for (int r = acc->index_capacity; r < rings; r++)
            grown[r] = r > 0 ? log10((double)r) : -INFINITY;
        acc->log10_index = grown;
        acc->index_capacity = rings;
    }
    if (acc->ring_state == RING_NONE) {
        acc->ring = calloc((size_t)rings, sizeof(point_stat));
        if (!acc->ring)
            return ST_ERROR_MEMORY;
        acc->ring_state = RING_EXACT;
        acc->ring_side = side;
        acc->rings = rings;
    } else if (acc->ring_state == RING_EXACT && acc->ring_side != side) {
        free(acc->ring);
        acc->ring = NULL;
        acc->ring_state = RING_MIXED;
        acc->ring_side = acc->rings = 0;
    }

    double *log10_power = acc->scratch, *freq = log10_power + rings, *fit_memory = freq + rings;
    for (int r = 0; r < rings; r++) {
        log10_power[r] = usable(ring_power[r]) ? log10(ring_power[r]) : NAN;
        freq[r] = (double)r / side;
    }
    if (usable(ring_power[0]))
        stat_add(&acc->dc, log10_power[0], ring_power[0]);
    add_to_grid(acc, side, rings, ring_power, log10_power, acc->log10_index);
    if (acc->ring_state == RING_EXACT)
        for (int r = 0; r < rings; r++)
            if (usable(ring_power[r]))
                stat_add(&acc->ring[r], log10_power[r], ring_power[r]);

    /* The image's own fit, as the command line fits one image. */
    st_powerlaw fit;
    int fit_ok =
        st_powerlaw_fit_scratch(freq, ring_power, rings, 0.0, 0.0, 0, fit_memory, &fit) == ST_OK;
    add_fit(acc, &fit, fit_ok);
    update_sides(acc, (uint32_t)width, (uint32_t)height);
    acc->images++;
    return ST_OK;
}

st_status st_accumulator_add_skipped(st_accumulator *acc, uint64_t files)
{
    if (!acc || files > ST_ACCUMULATOR_MAX_IMAGES - acc->skipped)
        return ST_ERROR_ARGUMENT;
    acc->skipped += files;
    return ST_OK;
}

/* ------------------------------------------------------------ merging */

static int same_kind(const st_accumulator *a, const st_accumulator *b)
{
    return a->points_per_octave == b->points_per_octave && strcmp(a->channel, b->channel) == 0 &&
           strcmp(a->mapping, b->mapping) == 0 && strcmp(a->version, b->version) == 0;
}

st_status st_accumulator_merge(st_accumulator *into, const st_accumulator *from)
{
    if (!into || !from)
        return ST_ERROR_ARGUMENT;
    if (!same_kind(into, from))
        return ST_ERROR_MISMATCH;
    if (from->images > ST_ACCUMULATOR_MAX_IMAGES - into->images ||
        from->skipped > ST_ACCUMULATOR_MAX_IMAGES - into->skipped)
        return ST_ERROR_ARGUMENT;
    if (from->images == 0) {
        into->skipped += from->skipped;
        return ST_OK;
    }
    /* The ring axis: none + X = X, L + L = L, anything else is mixed. */
    if (into->ring_state == RING_NONE && from->ring_state == RING_EXACT) {
        point_stat *copy = malloc((size_t)from->rings * sizeof(point_stat));
        if (!copy)
            return ST_ERROR_MEMORY;
        memcpy(copy, from->ring, (size_t)from->rings * sizeof(point_stat));
        into->ring = copy;
        into->ring_state = RING_EXACT;
        into->ring_side = from->ring_side;
        into->rings = from->rings;
    } else if (into->ring_state == RING_EXACT && from->ring_state == RING_EXACT &&
               into->ring_side == from->ring_side) {
        if (into != from)
            for (int r = 0; r < into->rings; r++)
                stat_merge(&into->ring[r], &from->ring[r]);
        else
            for (int r = 0; r < into->rings; r++)
                stat_merge(&into->ring[r], &into->ring[r]);
    } else if (into->ring_state != RING_NONE || from->ring_state != RING_NONE) {
        free(into->ring);
        into->ring = NULL;
        into->ring_state = RING_MIXED;
        into->ring_side = into->rings = 0;
    }
    if (into->images == 0) {
        into->width_min = from->width_min, into->width_max = from->width_max;
        into->height_min = from->height_min, into->height_max = from->height_max;
        into->side_min = from->side_min, into->side_max = from->side_max;
    } else {
        into->width_min = from->width_min < into->width_min ? from->width_min : into->width_min;
        into->width_max = from->width_max > into->width_max ? from->width_max : into->width_max;
        into->height_min =
            from->height_min < into->height_min ? from->height_min : into->height_min;
        into->height_max =
            from->height_max > into->height_max ? from->height_max : into->height_max;
        into->side_min = from->side_min < into->side_min ? from->side_min : into->side_min;
        into->side_max = from->side_max > into->side_max ? from->side_max : into->side_max;
    }
    into->images += from->images;
    into->skipped += from->skipped;
    into->without_fit += from->without_fit;
    moment_merge(&into->log2_side, &from->log2_side);
    stat_merge(&into->dc, &from->dc);
    for (int k = 0; k < into->grid_points; k++)
        stat_merge(&into->grid[k], &from->grid[k]);
    moment_merge(&into->alpha, &from->alpha);
    moment_merge(&into->c, &from->c);
    moment_merge(&into->r_squared, &from->r_squared);
    for (int i = 0; i < ST_ALPHA_HISTOGRAM_BINS + 2; i++)
        into->histogram[i] += from->histogram[i];
    return ST_OK;
}

/* ------------------------------------------------------------ results */

void st_accumulator_get_info(const st_accumulator *acc, st_accumulator_info *info)
{
    memset(info, 0, sizeof *info);
    if (!acc)
        return;
    info->channel = acc->channel;
    info->mapping = acc->mapping;
    info->version = acc->version;
    info->images = acc->images;
    info->skipped = acc->skipped;
    info->images_without_fit = acc->without_fit;
    info->width_min = (int)acc->width_min, info->width_max = (int)acc->width_max;
    info->height_min = (int)acc->height_min, info->height_max = (int)acc->height_max;
    info->side_min = (int)acc->side_min, info->side_max = (int)acc->side_max;
    double mean, variance;
    moment_mean_variance(&acc->log2_side, &mean, &variance);
    info->side_geometric_mean = acc->images ? exp2(mean) : NAN;
    info->points_per_octave = acc->points_per_octave;
    info->grid_points = acc->grid_points;
    info->ring_side = acc->ring_state == RING_EXACT ? acc->ring_side : 0;
    info->rings = acc->ring_state == RING_EXACT ? acc->rings : 0;
}

static st_curve_axis resolve_axis(const st_accumulator *acc, st_curve_axis axis)
{
    if (axis == ST_CURVE_BEST)
        return acc->ring_state == RING_EXACT ? ST_CURVE_RINGS : ST_CURVE_GRID;
    return axis;
}

int st_accumulator_curve_length(const st_accumulator *acc, st_curve_axis axis)
{
    if (!acc)
        return 0;
    switch (resolve_axis(acc, axis)) {
    case ST_CURVE_GRID:
        return 1 + acc->grid_points;
    case ST_CURVE_RINGS:
        return acc->ring_state == RING_EXACT ? acc->rings : 0;
    case ST_CURVE_BEST:
        break;
    }
    return 0;
}

/* The point for one stat. t quantiles are kept for the last count seen:
 * neighbouring points usually share it. */
typedef struct {
    uint64_t count;
    double t;
} quantile_cache;

static void describe(const point_stat *s, double freq, quantile_cache *cache, st_curve_point *p)
{
    p->freq = freq;
    p->count = s->log10_power.count;
    double mean, variance;
    moment_mean_variance(&s->log10_power, &mean, &variance);
    p->mean_log10 = mean;
    p->sd_log10 = sqrt(variance);
    if (p->count >= 2) {
        if (cache->count != p->count) {
            cache->count = p->count;
            cache->t = st_student_t_quantile(0.975, (double)(p->count - 1));
        }
        double half = cache->t * p->sd_log10 / sqrt((double)p->count);
        p->ci_low_log10 = mean - half;
        p->ci_high_log10 = mean + half;
    } else {
        p->ci_low_log10 = p->ci_high_log10 = NAN;
    }
    p->mean_power = p->count ? linear_value(s->power) / (double)p->count : NAN;
}

st_status st_accumulator_curve(const st_accumulator *acc, st_curve_axis axis,
                               st_curve_point *points, int length)
{
    if (!acc || !points)
        return ST_ERROR_ARGUMENT;
    if (acc->images == 0)
        return ST_NOT_READY;
    int expected = st_accumulator_curve_length(acc, axis);
    if (expected == 0 || length != expected)
        return ST_ERROR_ARGUMENT;
    quantile_cache cache = {0, 0.0};
    if (resolve_axis(acc, axis) == ST_CURVE_GRID) {
        describe(&acc->dc, 0.0, &cache, &points[0]);
        for (int k = 0; k < acc->grid_points; k++)
            describe(&acc->grid[k], acc->grid_freq[k], &cache, &points[1 + k]);
    } else {
        for (int r = 0; r < acc->rings; r++)
            describe(&acc->ring[r], (double)r / acc->ring_side, &cache, &points[r]);
    }
    return ST_OK;
}

st_status st_accumulator_fit(const st_accumulator *acc, st_curve_axis axis, st_powerlaw *fit)
{
    if (!acc || !fit)
        return ST_ERROR_ARGUMENT;
    if (acc->images == 0)
        return ST_NOT_READY;
    int n = st_accumulator_curve_length(acc, axis);
    if (n == 0)
        return ST_ERROR_ARGUMENT;
    double *freq = malloc(2 * (size_t)n * sizeof(double));
    if (!freq)
        return ST_ERROR_MEMORY;
    double *mean = freq + n;
    /* Only the means are needed: no t quantiles. */
    int grid = resolve_axis(acc, axis) == ST_CURVE_GRID;
    for (int i = 0; i < n; i++) {
        const point_stat *s = grid ? (i == 0 ? &acc->dc : &acc->grid[i - 1]) : &acc->ring[i];
        freq[i] = grid ? (i == 0 ? 0.0 : acc->grid_freq[i - 1]) : (double)i / acc->ring_side;
        double variance;
        moment_mean_variance(&s->log10_power, &mean[i], &variance);
    }
    st_status status = st_powerlaw_fit_log10(freq, mean, n, 0.0, 0.0, 0, fit);
    free(freq);
    return status;
}

st_status st_accumulator_image_fits(const st_accumulator *acc, st_image_fits *fits)
{
    if (!acc || !fits)
        return ST_ERROR_ARGUMENT;
    summarise(&acc->alpha, &fits->alpha);
    summarise(&acc->c, &fits->c);
    summarise(&acc->r_squared, &fits->r_squared);
    fits->images_without_fit = acc->without_fit;
    return acc->alpha.count ? ST_OK : ST_NOT_READY;
}

void st_accumulator_alpha_histogram(const st_accumulator *acc, uint64_t *counts)
{
    if (!acc || !counts)
        return;
    memcpy(counts, acc->histogram, sizeof acc->histogram);
}

/* ------------------------------------------------------------ bytes */

static const unsigned char magic[8] = {0x89, 'S', 'T', 'A', 'C', 'C', '\r', '\n'};

/* A writer that only counts when bytes is NULL: size and bytes come from
 * the same code. */
typedef struct {
    unsigned char *bytes;
    size_t at;
} writer;

static void put_u8(writer *w, unsigned value)
{
    if (w->bytes)
        w->bytes[w->at] = (unsigned char)value;
    w->at++;
}

static void put_u32(writer *w, uint32_t value)
{
    for (int i = 0; i < 4; i++)
        put_u8(w, (value >> (8 * i)) & 0xff);
}

static void put_u64(writer *w, uint64_t value)
{
    for (int i = 0; i < 8; i++)
        put_u8(w, (unsigned)((value >> (8 * i)) & 0xff));
}

static void put_u128(writer *w, uint128 value)
{
    put_u64(w, (uint64_t)value);
    put_u64(w, (uint64_t)(value >> 64));
}

static void put_string(writer *w, const char *text)
{
    size_t n = strlen(text);
    put_u32(w, (uint32_t)n);
    for (size_t i = 0; i < n; i++)
        put_u8(w, (unsigned char)text[i]);
}

static void put_moment(writer *w, const moment *m)
{
    put_u64(w, m->count);
    put_u128(w, (uint128)m->sum);
    put_u128(w, m->sum_squares);
}

static void put_stat(writer *w, const point_stat *s)
{
    put_moment(w, &s->log10_power);
    for (int i = 0; i < LINEAR_WORDS; i++)
        put_u64(w, s->power[i]);
}

/* CRC-32 of zlib / PNG (reflected polynomial 0xedb88320). */
static uint32_t crc32_of(const unsigned char *bytes, size_t size)
{
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < size; i++)
        crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >> 8);
    return crc ^ 0xffffffffu;
}

static size_t encode(const st_accumulator *acc, unsigned char *bytes)
{
    writer w = {bytes, 0};
    for (int i = 0; i < 8; i++)
        put_u8(&w, magic[i]);
    put_u32(&w, FORMAT_VERSION);
    size_t length_at = w.at;
    put_u64(&w, 0); /* total length, filled in below */
    put_string(&w, acc->channel);
    put_string(&w, acc->mapping);
    put_string(&w, acc->version);
    put_u64(&w, acc->images);
    put_u64(&w, acc->skipped);
    put_u64(&w, acc->without_fit);
    put_u32(&w, acc->width_min);
    put_u32(&w, acc->width_max);
    put_u32(&w, acc->height_min);
    put_u32(&w, acc->height_max);
    put_u32(&w, acc->side_min);
    put_u32(&w, acc->side_max);
    put_moment(&w, &acc->log2_side);
    put_u32(&w, (uint32_t)ST_ACCUMULATOR_LOWEST_EXPONENT);
    put_u32(&w, (uint32_t)ST_ACCUMULATOR_HIGHEST_EXPONENT);
    put_u32(&w, (uint32_t)acc->points_per_octave);
    put_u32(&w, (uint32_t)acc->grid_points);
    put_stat(&w, &acc->dc);
    for (int k = 0; k < acc->grid_points; k++)
        put_stat(&w, &acc->grid[k]);
    put_moment(&w, &acc->alpha);
    put_moment(&w, &acc->c);
    put_moment(&w, &acc->r_squared);
    put_u32(&w, (uint32_t)(int32_t)llround(ST_ALPHA_HISTOGRAM_LOW / ST_ALPHA_HISTOGRAM_WIDTH));
    put_u32(&w, (uint32_t)llround(1.0 / ST_ALPHA_HISTOGRAM_WIDTH));
    put_u32(&w, ST_ALPHA_HISTOGRAM_BINS);
    for (int i = 0; i < ST_ALPHA_HISTOGRAM_BINS + 2; i++)
        put_u64(&w, acc->histogram[i]);
    put_u32(&w, (uint32_t)acc->ring_state);
    put_u32(&w, (uint32_t)(acc->ring_state == RING_EXACT ? acc->ring_side : 0));
    put_u32(&w, (uint32_t)(acc->ring_state == RING_EXACT ? acc->rings : 0));
    if (acc->ring_state == RING_EXACT)
        for (int r = 0; r < acc->rings; r++)
            put_stat(&w, &acc->ring[r]);
    size_t total = w.at + 4;
    if (bytes) {
        writer length = {bytes, length_at};
        put_u64(&length, (uint64_t)total);
        put_u32(&w, crc32_of(bytes, w.at));
    }
    return total;
}

size_t st_accumulator_serialized_size(const st_accumulator *acc)
{
    return acc ? encode(acc, NULL) : 0;
}

st_status st_accumulator_serialize(const st_accumulator *acc, unsigned char *bytes, size_t size)
{
    if (!acc || !bytes || size < encode(acc, NULL))
        return ST_ERROR_ARGUMENT;
    encode(acc, bytes);
    return ST_OK;
}

/* A reader that fails once and stays failed. */
typedef struct {
    const unsigned char *bytes;
    size_t size, at;
    int failed;
} reader;

static uint64_t get_bytes(reader *r, int count)
{
    if (r->failed || r->size - r->at < (size_t)count) {
        r->failed = 1;
        return 0;
    }
    uint64_t value = 0;
    for (int i = 0; i < count; i++)
        value |= (uint64_t)r->bytes[r->at + i] << (8 * i);
    r->at += (size_t)count;
    return value;
}

static uint32_t get_u32(reader *r)
{
    return (uint32_t)get_bytes(r, 4);
}

static uint64_t get_u64(reader *r)
{
    return get_bytes(r, 8);
}

static uint128 get_u128(reader *r)
{
    uint64_t low = get_u64(r);
    return (uint128)low | (uint128)get_u64(r) << 64;
}

static void get_string(reader *r, char *to)
{
    uint32_t n = get_u32(r);
    if (r->failed || n == 0 || n >= NAME_CAPACITY || r->size - r->at < n) {
        r->failed = 1;
        return;
    }
    char text[NAME_CAPACITY];
    memcpy(text, r->bytes + r->at, n);
    text[n] = '\0';
    r->at += n;
    if (strlen(text) != n || !copy_name(to, text))
        r->failed = 1;
}

/* A moment some sequence of additions could give: |value| <= limit each,
 * so |sum| <= count limit and sum_squares <= count limit^2. Keeps every
 * later merge inside the headroom. */
static void get_moment(reader *r, moment *m, uint64_t max_count, double limit)
{
    m->count = get_u64(r);
    m->sum = (int128)get_u128(r);
    m->sum_squares = get_u128(r);
    if (r->failed)
        return;
    uint128 units = (uint128)(limit * FIXED_SCALE);
    uint128 magnitude = m->sum < 0 ? (uint128)(-m->sum) : (uint128)m->sum;
    if (m->count > max_count || magnitude > (uint128)m->count * units ||
        m->sum_squares > (uint128)m->count * units * units ||
        (m->count == 0 && (m->sum != 0 || m->sum_squares != 0)))
        r->failed = 1;
}

static void get_stat(reader *r, point_stat *s, uint64_t max_count)
{
    get_moment(r, &s->log10_power, max_count, 324.0);
    for (int i = 0; i < LINEAR_WORDS; i++)
        s->power[i] = get_u64(r);
    /* P <= 2^32 each: the sum in units of 2^-112 is below count 2^144. */
    if (!r->failed && (s->power[2] >> 16) > s->log10_power.count)
        r->failed = 1;
    if (!r->failed && s->log10_power.count == 0 && (s->power[0] | s->power[1] | s->power[2]))
        r->failed = 1;
}

static st_accumulator *decode(reader *r, st_status *status)
{
    *status = ST_ERROR_FORMAT;
    for (int i = 0; i < 8; i++)
        if (get_bytes(r, 1) != magic[i])
            return NULL;
    uint32_t version = get_u32(r);
    if (r->failed || version != FORMAT_VERSION)
        return NULL; /* a later spectide's file, or not one at all */
    uint64_t total = get_u64(r);
    if (r->failed || total != r->size || r->size < r->at + 4)
        return NULL; /* truncated, or bytes after the end */
    uint32_t stored_crc = (uint32_t)r->bytes[r->size - 4] | (uint32_t)r->bytes[r->size - 3] << 8 |
                          (uint32_t)r->bytes[r->size - 2] << 16 |
                          (uint32_t)r->bytes[r->size - 1] << 24;
    if (crc32_of(r->bytes, r->size - 4) != stored_crc)
        return NULL;
    r->size -= 4; /* the checksum is not content */

    st_accumulator *acc = calloc(1, sizeof *acc);
    if (!acc) {
        *status = ST_ERROR_MEMORY;
        return NULL;
    }
    get_string(r, acc->channel);
    get_string(r, acc->mapping);
    get_string(r, acc->version);
    acc->images = get_u64(r);
    acc->skipped = get_u64(r);
    acc->without_fit = get_u64(r);
    acc->width_min = get_u32(r);
    acc->width_max = get_u32(r);
    acc->height_min = get_u32(r);
    acc->height_max = get_u32(r);
    acc->side_min = get_u32(r);
    acc->side_max = get_u32(r);
    uint64_t n = acc->images;
    int failed = r->failed || n > ST_ACCUMULATOR_MAX_IMAGES ||
                 acc->skipped > ST_ACCUMULATOR_MAX_IMAGES || acc->without_fit > n;
    if (!failed && n == 0)
        failed = acc->width_min | acc->width_max | acc->height_min | acc->height_max |
                 acc->side_min | acc->side_max;
    if (!failed && n > 0)
        failed =
            acc->width_min < 1 || acc->height_min < 1 || acc->width_min > acc->width_max ||
            acc->height_min > acc->height_max || acc->width_max > ST_MAX_IMAGE_SIDE ||
            acc->height_max > ST_MAX_IMAGE_SIDE || acc->side_min > acc->side_max ||
            acc->side_max !=
                (acc->width_max > acc->height_max ? acc->width_max : acc->height_max) ||
            acc->side_min < (acc->width_min > acc->height_min ? acc->width_min : acc->height_min);
    get_moment(r, &acc->log2_side, n, 16.0);
    failed |= !r->failed && acc->log2_side.count != n;
    int32_t lowest = (int32_t)get_u32(r), highest = (int32_t)get_u32(r);
    uint32_t density = get_u32(r), points = get_u32(r);
    if (failed || r->failed || lowest != ST_ACCUMULATOR_LOWEST_EXPONENT ||
        highest != ST_ACCUMULATOR_HIGHEST_EXPONENT || density < 1 ||
        density > ST_ACCUMULATOR_MAX_POINTS_PER_OCTAVE ||
        points != (uint32_t)(highest - lowest) * density + 1)
        goto refuse;
    if (!make_grid(acc, (int)density)) {
        *status = ST_ERROR_MEMORY;
        goto refuse;
    }
    get_stat(r, &acc->dc, n);
    for (int k = 0; k < acc->grid_points && !r->failed; k++)
        get_stat(r, &acc->grid[k], n);
    get_moment(r, &acc->alpha, n, VALUE_LIMIT);
    get_moment(r, &acc->c, n, VALUE_LIMIT);
    get_moment(r, &acc->r_squared, n, VALUE_LIMIT);
    int32_t low = (int32_t)get_u32(r);
    uint32_t per_unit = get_u32(r), bins = get_u32(r);
    if (r->failed || low != (int32_t)llround(ST_ALPHA_HISTOGRAM_LOW / ST_ALPHA_HISTOGRAM_WIDTH) ||
        per_unit != (uint32_t)llround(1.0 / ST_ALPHA_HISTOGRAM_WIDTH) ||
        bins != ST_ALPHA_HISTOGRAM_BINS)
        goto refuse;
    uint64_t histogram_total = 0;
    for (int i = 0; i < ST_ALPHA_HISTOGRAM_BINS + 2; i++) {
        acc->histogram[i] = get_u64(r);
        histogram_total += acc->histogram[i] <= n ? acc->histogram[i] : n + 1;
    }
    if (r->failed || acc->alpha.count != n - acc->without_fit || acc->c.count != acc->alpha.count ||
        acc->r_squared.count != acc->alpha.count || histogram_total != acc->alpha.count)
        goto refuse;
    uint32_t state = get_u32(r), side = get_u32(r), rings = get_u32(r);
    /* One ring axis exactly when every image has the same longest side. */
    if (r->failed || state > RING_MIXED || (state == RING_NONE) != (n == 0) ||
        (n > 0 && (state == RING_EXACT) != (acc->side_min == acc->side_max)) ||
        (state != RING_EXACT && (side || rings)))
        goto refuse;
    if (state == RING_EXACT) {
        if (side < 1 || side > ST_MAX_IMAGE_SIDE || side != acc->side_min ||
            side != acc->side_max || rings != (uint32_t)st_ring_count_for_size((int)side, 1))
            goto refuse;
        acc->ring = calloc(rings, sizeof(point_stat));
        if (!acc->ring) {
            *status = ST_ERROR_MEMORY;
            goto refuse;
        }
        acc->ring_side = (int)side;
        acc->rings = (int)rings;
        for (uint32_t i = 0; i < rings && !r->failed; i++)
            get_stat(r, &acc->ring[i], n);
    }
    acc->ring_state = (int)state;
    if (r->failed || r->at != r->size)
        goto refuse;
    *status = ST_OK;
    return acc;
refuse:
    st_accumulator_free(acc);
    if (*status == ST_OK)
        *status = ST_ERROR_FORMAT;
    return NULL;
}

st_accumulator *st_accumulator_new_from_bytes(const unsigned char *bytes, size_t size,
                                              st_status *error)
{
    st_status status = ST_ERROR_ARGUMENT;
    st_accumulator *acc = NULL;
    if (bytes) {
        reader r = {bytes, size, 0, 0};
        acc = decode(&r, &status);
    }
    if (error)
        *error = status;
    return acc;
}
