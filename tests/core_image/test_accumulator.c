/* The dataset accumulator against a double-precision brute force written
 * here from the definition (log-log interpolation of each image's rings onto
 * f_k = 2^(-16 + k/64), only inside its own range), merges in every order
 * against one pass (bit for bit), the byte format (round trip, damaged,
 * truncated, future and inconsistent files), and the Student t quantiles
 * against closed forms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "check.h"
#include "test_random.h"
#include "spectide_accumulator.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ images */

typedef struct {
    int width, height, rings;
    double power[400];
    double alpha; /* of the exact power law before noise */
} test_image;

static const int sizes[][2] = {{37, 37},   {64, 64},   {100, 60},  {127, 127}, {256, 256},
                               {300, 200}, {500, 375}, {375, 500}, {799, 520}, {12, 9}};

/* A power law 10^c (r/L)^-alpha with log-normal scatter; a few images have
 * holes (rings without power). `noise` 0 gives an exact power law. */
static void make_image(uint64_t *state, int width, int height, double noise, test_image *image)
{
    image->width = width;
    image->height = height;
    image->rings = st_ring_count_for_size(width, height);
    int side = width > height ? width : height;
    image->alpha = 1.5 + 1.5 * test_random_uniform(state);
    double c = -3.0 + test_random_uniform(state);
    int holes = test_random_uniform(state) < 0.2;
    for (int r = 0; r < image->rings; r++) {
        double f = r > 0 ? (double)r / side : 0.5 / side;
        double log10_power = c - image->alpha * log10(f) + noise * test_random_gaussian(state);
        image->power[r] = pow(10.0, log10_power);
        if (holes && r > 0 && test_random_uniform(state) < 0.1)
            image->power[r] = r % 2 ? 0.0 : NAN;
    }
}

/* ------------------------------------------------- brute force reference */

static int valid(double p)
{
    return isfinite(p) && p > 0.0;
}

/* log10 P of the image at f by log-log interpolation between its rings r/L
 * with r/L <= f <= (r+1)/L; 0 (no value) outside [1/L, (rings-1)/L] or next
 * to a ring without power. */
static int reference_value(const test_image *image, double f, double *value)
{
    int side = image->width > image->height ? image->width : image->height;
    double position = f * side;
    if (position < 1.0 || position > image->rings - 1)
        return 0;
    int r = 1;
    while (r + 1 < image->rings && (double)(r + 1) / side <= f)
        r++;
    if ((double)r / side == f) {
        if (!valid(image->power[r]))
            return 0;
        *value = log10(image->power[r]);
        return 1;
    }
    if (!valid(image->power[r]) || !valid(image->power[r + 1]))
        return 0;
    double x0 = log10((double)r / side), x1 = log10((double)(r + 1) / side);
    double y0 = log10(image->power[r]), y1 = log10(image->power[r + 1]);
    *value = y0 + (log10(f) - x0) / (x1 - x0) * (y1 - y0);
    return 1;
}

typedef struct {
    int count;
    double mean, sd, mean_power;
} reference_point;

static void reference_at(const test_image *images, int n, double f, int ring, reference_point *out)
{
    double sum = 0.0, sum_power = 0.0;
    int count = 0;
    double values[512];
    for (int i = 0; i < n; i++) {
        double v;
        int ok = ring >= 0 ? valid(images[i].power[ring]) : reference_value(&images[i], f, &v);
        if (ring >= 0 && ok)
            v = log10(images[i].power[ring]);
        if (!ok)
            continue;
        values[count++] = v;
        sum += v;
        sum_power += ring >= 0 ? images[i].power[ring] : pow(10.0, v);
    }
    out->count = count;
    out->mean = count ? sum / count : NAN;
    double squares = 0.0;
    for (int i = 0; i < count; i++)
        squares += (values[i] - out->mean) * (values[i] - out->mean);
    out->sd = count > 1 ? sqrt(squares / (count - 1)) : NAN;
    out->mean_power = count ? sum_power / count : NAN;
}

/* ------------------------------------------------------------ helpers */

static st_accumulator *new_default(void)
{
    st_status status;
    st_accumulator *acc = st_accumulator_new(NULL, &status);
    if (!acc || status != ST_OK)
        abort();
    return acc;
}

static unsigned char *bytes_of(const st_accumulator *acc, size_t *size)
{
    *size = st_accumulator_serialized_size(acc);
    unsigned char *bytes = malloc(*size);
    if (!bytes || st_accumulator_serialize(acc, bytes, *size) != ST_OK)
        abort();
    return bytes;
}

static int same_bytes(const st_accumulator *a, const st_accumulator *b)
{
    size_t na, nb;
    unsigned char *x = bytes_of(a, &na), *y = bytes_of(b, &nb);
    int same = na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

static st_accumulator *accumulate(const test_image *images, const int *order, int n)
{
    st_accumulator *acc = new_default();
    for (int i = 0; i < n; i++) {
        const test_image *image = &images[order ? order[i] : i];
        if (st_accumulator_add(acc, image->width, image->height, image->power) != ST_OK)
            abort();
    }
    return acc;
}

#define IMAGES 120

/* ------------------------------------------------------------ the checks */

static void check_against_brute_force(const test_image *images)
{
    st_accumulator *acc = accumulate(images, NULL, IMAGES);
    st_accumulator_info info;
    st_accumulator_get_info(acc, &info);
    CHECK(info.images == IMAGES && info.ring_side == 0 && info.rings == 0,
          "mixed sizes: %d images, no ring axis", (int)info.images);
    CHECK(info.grid_points == 15 * 64 + 1 && info.points_per_octave == 64,
          "grid: 64 points per octave, 2^-16 .. 2^-1: 961 points");
    CHECK(info.side_min == 12 && info.side_max == 799 && info.width_min == 12 &&
              info.height_max == 520,
          "image side range recorded");
    int n = st_accumulator_curve_length(acc, ST_CURVE_BEST);
    CHECK(n == 962 && st_accumulator_curve_length(acc, ST_CURVE_RINGS) == 0,
          "best axis of mixed sizes is the grid (DC + 961 points)");
    st_curve_point *points = malloc(sizeof *points * (size_t)n);
    CHECK(st_accumulator_curve(acc, ST_CURVE_BEST, points, n) == ST_OK, "curve");
    int count_errors = 0, covered = 0;
    double worst_mean = 0.0, worst_sd = 0.0, worst_power = 0.0;
    for (int k = 0; k < n - 1; k++) {
        double f = pow(2.0, -16.0 + k / 64.0);
        reference_point want;
        reference_at(images, IMAGES, f, -1, &want);
        const st_curve_point *got = &points[1 + k];
        count_errors += (int)got->count != want.count || fabs(got->freq / f - 1.0) > 1e-15;
        if (want.count == 0) {
            count_errors += !isnan(got->mean_log10);
            continue;
        }
        covered++;
        worst_mean = fmax(worst_mean, fabs(got->mean_log10 - want.mean));
        worst_power = fmax(worst_power, fabs(got->mean_power / want.mean_power - 1.0));
        if (want.count > 1)
            worst_sd = fmax(worst_sd, fabs(got->sd_log10 - want.sd));
    }
    CHECK(count_errors == 0, "counts and frequencies equal the brute force at all 961 points");
    CHECK(covered > 400, "%d points covered (1/799 .. 399/799)", covered);
    CHECK(worst_mean <= 2e-10, "mean log10 P within the 2^-32 resolution: worst %.3g", worst_mean);
    CHECK(worst_sd <= 1e-9, "sd of log10 P: worst %.3g", worst_sd);
    CHECK(worst_power <= 1e-12, "arithmetic mean of P: worst relative %.3g", worst_power);

    /* DC: every image with DC power. */
    reference_point dc;
    reference_at(images, IMAGES, 0.0, 0, &dc);
    CHECK(points[0].freq == 0.0 && (int)points[0].count == dc.count &&
              fabs(points[0].mean_log10 - dc.mean) <= 2e-10,
          "DC apart: count %d, mean %.6f", dc.count, dc.mean);

    /* The band: mean -+ t(0.975, n-1) sd / sqrt(n). */
    int band_errors = 0;
    for (int k = 1; k < n; k++) {
        const st_curve_point *p = &points[k];
        if (p->count < 2)
            continue;
        double half = st_student_t_quantile(0.975, (double)(p->count - 1)) * p->sd_log10 /
                      sqrt((double)p->count);
        band_errors += fabs(p->ci_low_log10 - (p->mean_log10 - half)) > 1e-12 ||
                       fabs(p->ci_high_log10 - (p->mean_log10 + half)) > 1e-12;
    }
    CHECK(band_errors == 0, "95%% band = mean -+ t sd / sqrt(n) at every point");

    /* An image's range: the 12x9 image (rings 0..5 at r/12) alone. */
    st_accumulator *small = new_default();
    st_accumulator_add(small, images[9].width, images[9].height, images[9].power);
    st_curve_point *one = malloc(sizeof *one * (size_t)n);
    st_accumulator_curve(small, ST_CURVE_GRID, one, n);
    int outside = 0, inside = 0;
    for (int k = 1; k < n; k++) {
        double f = one[k].freq;
        if (f < 1.0 / 12 || f > 5.0 / 12)
            outside += one[k].count != 0;
        else
            inside += one[k].count == 1;
    }
    CHECK(outside == 0, "no extrapolation: nothing below 1/L or above the last ring");
    CHECK(inside > 100, "the image covers its own range (%d points)", inside);
    free(one);
    st_accumulator_free(small);

    st_powerlaw fit;
    st_status fitted = st_accumulator_fit(acc, ST_CURVE_BEST, &fit);
    CHECK(fitted == ST_OK && fit.alpha > 1.5 && fit.alpha < 3.0, "fit of the mean: alpha %.3f",
          fit.alpha);
    free(points);
    st_accumulator_free(acc);
}

static void check_power_of_two_edges(void)
{
    /* 512x512: rings 0..255; 1/512 = 2^-9 is a grid point and covered. */
    double power[256];
    for (int r = 0; r < 256; r++)
        power[r] = 1.0 + r;
    st_accumulator *acc = new_default();
    st_accumulator_add(acc, 512, 512, power);
    int n = st_accumulator_curve_length(acc, ST_CURVE_GRID);
    st_curve_point *points = malloc(sizeof *points * (size_t)n);
    st_accumulator_curve(acc, ST_CURVE_GRID, points, n);
    int at = 1 + (16 - 9) * 64; /* f = 2^-9 */
    CHECK(points[at].freq == 1.0 / 512 && points[at].count == 1 && points[at - 1].count == 0,
          "1/L covered exactly, the point below not");
    CHECK_NEAR(points[at].mean_log10, log10(2.0), 2e-10, "at 1/L: ring 1's value");
    int eighth = 1 + (16 - 3) * 64; /* 2^-3 = ring 64 */
    CHECK_NEAR(points[eighth].mean_log10, log10(65.0), 2e-10, "1/8 = ring 64 exactly");
    double top = 255.0 / 512;
    int last = 0;
    for (int k = 1; k < n; k++)
        if (points[k].count)
            last = k;
    CHECK(points[last].freq <= top && (last + 1 == n || points[last + 1].freq > top),
          "highest covered point %.6f <= 255/512", points[last].freq);
    free(points);
    st_accumulator_free(acc);
}

static void check_single_size_rings(const test_image *images)
{
    /* 500x375 and 375x500 share the ring axis of L = 500: kept exactly. */
    const test_image *pair[2] = {&images[6], &images[7]};
    st_accumulator *acc = new_default();
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 2; i++)
            st_accumulator_add(acc, pair[i]->width, pair[i]->height, pair[i]->power);
    st_accumulator_info info;
    st_accumulator_get_info(acc, &info);
    CHECK(info.ring_side == 500 && info.rings == 250, "one ring axis: L = 500, 250 rings");
    int n = st_accumulator_curve_length(acc, ST_CURVE_BEST);
    CHECK(n == 250, "best axis is the rings");
    st_curve_point points[250];
    st_accumulator_curve(acc, ST_CURVE_BEST, points, n);
    test_image six[6];
    for (int i = 0; i < 6; i++)
        six[i] = *pair[i % 2];
    int errors = 0;
    double worst = 0.0;
    for (int r = 0; r < 250; r++) {
        reference_point want;
        reference_at(six, 6, 0.0, r, &want);
        errors += (int)points[r].count != want.count || points[r].freq != r / 500.0;
        if (want.count) {
            worst = fmax(worst, fabs(points[r].mean_log10 - want.mean));
            worst = fmax(worst, fabs(points[r].mean_power / want.mean_power - 1.0));
        }
    }
    CHECK(errors == 0, "ring counts and frequencies r/L");
    CHECK(worst <= 2e-10, "per-ring mean log10 P and mean P: worst %.3g", worst);

    /* Another L drops the ring axis; so does merging two single sizes. */
    st_accumulator *other = new_default();
    st_accumulator_add(other, images[4].width, images[4].height, images[4].power);
    st_accumulator *merged = new_default();
    st_accumulator_merge(merged, acc);
    st_accumulator_get_info(merged, &info);
    CHECK(info.rings == 250, "empty + single size keeps the rings");
    st_accumulator_merge(merged, other);
    st_accumulator_get_info(merged, &info);
    CHECK(info.rings == 0 && info.ring_side == 0 &&
              st_accumulator_curve_length(merged, ST_CURVE_RINGS) == 0,
          "500 + 256: the ring axis is dropped");
    st_accumulator_add(acc, images[4].width, images[4].height, images[4].power);
    CHECK(same_bytes(acc, merged), "adding the 256 image = merging it: same bytes");
    st_accumulator_free(other);
    st_accumulator_free(merged);
    st_accumulator_free(acc);
}

static void check_merges(const test_image *images)
{
    uint64_t state = 99;
    int order[IMAGES];
    for (int i = 0; i < IMAGES; i++)
        order[i] = i;
    for (int i = IMAGES - 1; i > 0; i--) {
        int j = (int)(test_random_next(&state) % (uint64_t)(i + 1));
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    st_accumulator *one_pass = accumulate(images, NULL, IMAGES);
    st_accumulator *shuffled = accumulate(images, order, IMAGES);
    CHECK(same_bytes(one_pass, shuffled), "any order of images: the same bytes");

    /* Three shards of the shuffled order. */
    st_accumulator *a = accumulate(images, order, 50);
    st_accumulator *b = accumulate(images, order + 50, 31);
    st_accumulator *c = accumulate(images, order + 81, IMAGES - 81);
    st_accumulator *ab = new_default(), *ba = new_default(), *ab_c = new_default(),
                   *a_bc = new_default(), *bc = new_default();
    st_accumulator_merge(ab, a);
    st_accumulator_merge(ab, b);
    st_accumulator_merge(ba, b);
    st_accumulator_merge(ba, a);
    CHECK(same_bytes(ab, ba), "merge(a, b) == merge(b, a), bit for bit");
    st_accumulator_merge(ab_c, ab);
    st_accumulator_merge(ab_c, c);
    st_accumulator_merge(bc, b);
    st_accumulator_merge(bc, c);
    st_accumulator_merge(a_bc, a);
    st_accumulator_merge(a_bc, bc);
    CHECK(same_bytes(ab_c, a_bc), "(a + b) + c == a + (b + c), bit for bit");
    CHECK(same_bytes(ab_c, one_pass), "merged shards == one pass over their union, bit for bit");
    int n = st_accumulator_curve_length(one_pass, ST_CURVE_BEST);
    st_curve_point *p = malloc(sizeof *p * (size_t)n), *q = malloc(sizeof *q * (size_t)n);
    st_accumulator_curve(one_pass, ST_CURVE_BEST, p, n);
    st_accumulator_curve(a_bc, ST_CURVE_BEST, q, n);
    CHECK(memcmp(p, q, sizeof *p * (size_t)n) == 0, "and the same curve, bit for bit");
    free(p);
    free(q);

    /* Self-merge doubles every count. */
    st_accumulator *twice = accumulate(images, NULL, IMAGES);
    st_accumulator_merge(twice, twice);
    st_accumulator *double_pass = accumulate(images, NULL, IMAGES);
    for (int i = 0; i < IMAGES; i++)
        st_accumulator_add(double_pass, images[i].width, images[i].height, images[i].power);
    CHECK(same_bytes(twice, double_pass), "merge(x, x) == every image twice");

    /* Skipped files are provenance, summed. */
    st_accumulator_add_skipped(a, 2);
    st_accumulator_add_skipped(b, 3);
    st_accumulator *skipped = new_default();
    st_accumulator_merge(skipped, a);
    st_accumulator_merge(skipped, b);
    st_accumulator_info info;
    st_accumulator_get_info(skipped, &info);
    CHECK(info.skipped == 5 && info.images == 81, "skipped files add up (5), images 81");

    st_accumulator *list[] = {one_pass, shuffled, a,  b,     c,           ab,     ba,
                              ab_c,     a_bc,     bc, twice, double_pass, skipped};
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
        st_accumulator_free(list[i]);
}

static void check_mismatch(const test_image *images)
{
    st_status status;
    st_accumulator_settings luma = {.channel = "luma"};
    st_accumulator_settings dense = {.points_per_octave = 96};
    st_accumulator *green = accumulate(images, NULL, 5);
    st_accumulator *l = st_accumulator_new(&luma, &status);
    st_accumulator *d = st_accumulator_new(&dense, &status);
    st_accumulator_add(l, images[0].width, images[0].height, images[0].power);
    st_accumulator *before = accumulate(images, NULL, 5);
    CHECK(st_accumulator_merge(green, l) == ST_ERROR_MISMATCH, "green + luma: ST_ERROR_MISMATCH");
    CHECK(st_accumulator_merge(green, d) == ST_ERROR_MISMATCH,
          "64 + 96 points per octave: ST_ERROR_MISMATCH");
    CHECK(same_bytes(green, before), "a refused merge changes nothing");
    st_accumulator_settings bad = {.channel = "gr\neen"};
    CHECK(st_accumulator_new(&bad, &status) == NULL && status == ST_ERROR_ARGUMENT,
          "a control character in a name: ST_ERROR_ARGUMENT");
    st_accumulator_settings sparse = {.points_per_octave = 5000};
    CHECK(st_accumulator_new(&sparse, &status) == NULL && status == ST_ERROR_ARGUMENT,
          "5000 points per octave refused");

    double zero[4] = {0.0, 0.0, -1.0, NAN};
    CHECK(st_accumulator_add(green, 8, 8, zero) == ST_ERROR_NOT_FINITE,
          "an image without usable power: ST_ERROR_NOT_FINITE");
    double huge[4] = {1e10, 1.0, 1.0, 1.0};
    CHECK(st_accumulator_add(green, 8, 8, huge) == ST_ERROR_ARGUMENT,
          "a power above 2^32: ST_ERROR_ARGUMENT");
    CHECK(st_accumulator_add(green, 0, 8, zero) == ST_ERROR_ARGUMENT &&
              st_accumulator_add(green, 8, 8, NULL) == ST_ERROR_ARGUMENT &&
              st_accumulator_add(NULL, 8, 8, huge) == ST_ERROR_ARGUMENT,
          "bad sizes and NULLs: ST_ERROR_ARGUMENT");
    CHECK(same_bytes(green, before), "refused images change nothing");
    st_accumulator *empty = new_default();
    st_curve_point point;
    st_powerlaw fit;
    st_image_fits fits;
    CHECK(st_accumulator_curve(empty, ST_CURVE_GRID, &point, 1) == ST_NOT_READY &&
              st_accumulator_fit(empty, ST_CURVE_BEST, &fit) == ST_NOT_READY &&
              st_accumulator_image_fits(empty, &fits) == ST_NOT_READY,
          "an empty accumulator: ST_NOT_READY");
    st_accumulator_free(NULL);
    st_accumulator_free(empty);
    st_accumulator_free(green);
    st_accumulator_free(before);
    st_accumulator_free(l);
    st_accumulator_free(d);
}

static void check_image_fits(void)
{
    /* Exact power laws: each image's fit is its alpha; the statistics of
     * the alphas are computed here in double precision. */
    uint64_t state = 5;
    test_image image;
    double alphas[40], sum = 0.0;
    st_accumulator *acc = new_default();
    uint64_t histogram[ST_ALPHA_HISTOGRAM_BINS + 2] = {0};
    for (int i = 0; i < 40; i++) {
        make_image(&state, sizes[i % 9][0], sizes[i % 9][1], 0.0, &image);
        /* An exact law without holes: 10^-2 f^-alpha (DC at f = 1/(2L)). */
        int side = image.width > image.height ? image.width : image.height;
        for (int r = 0; r < image.rings; r++)
            image.power[r] =
                pow(10.0, -2.0 - image.alpha * log10(r > 0 ? (double)r / side : 0.5 / side));
        alphas[i] = image.alpha;
        sum += image.alpha;
        histogram[1 + (int)floor((image.alpha + 2.0) * 32.0)]++;
        st_accumulator_add(acc, image.width, image.height, image.power);
    }
    double mean = sum / 40, squares = 0.0;
    for (int i = 0; i < 40; i++)
        squares += (alphas[i] - mean) * (alphas[i] - mean);
    double sd = sqrt(squares / 39);
    st_image_fits fits;
    CHECK(st_accumulator_image_fits(acc, &fits) == ST_OK && fits.alpha.count == 40 &&
              fits.images_without_fit == 0,
          "40 fits");
    CHECK_NEAR(fits.alpha.mean, mean, 1e-9, "mean of the per-image alphas");
    CHECK_NEAR(fits.alpha.sd, sd, 1e-9, "sd of the per-image alphas");
    CHECK_NEAR(fits.c.mean, -2.0, 1e-9, "c of every image is -2");
    CHECK_NEAR(fits.r_squared.mean, 1.0, 1e-9, "R^2 of exact power laws is 1");
    /* t(0.975, 39) = 2.02269092, from tables. */
    CHECK_NEAR(fits.alpha.ci_high - fits.alpha.mean, 2.0226909200367 * sd / sqrt(40.0), 1e-9,
               "95% interval of the mean alpha");
    uint64_t got[ST_ALPHA_HISTOGRAM_BINS + 2];
    st_accumulator_alpha_histogram(acc, got);
    CHECK(memcmp(got, histogram, sizeof got) == 0, "alpha histogram in bins of 1/32");

    /* A 2x2 image has only DC: counted, without a fit. */
    double dc_only[1] = {3.0};
    CHECK(st_accumulator_add(acc, 2, 2, dc_only) == ST_OK, "a DC-only image is accepted");
    st_accumulator_image_fits(acc, &fits);
    CHECK(fits.images_without_fit == 1 && fits.alpha.count == 40, "and counted without a fit");
    st_accumulator_free(acc);
}

/* ------------------------------------------------------------ bytes */

static void put_le(unsigned char *at, uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; i++)
        at[i] = (unsigned char)(value >> (8 * i));
}

/* zlib's CRC-32, written here bit by bit. */
static uint32_t reference_crc32(const unsigned char *bytes, size_t size)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < size; i++) {
        crc ^= bytes[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static void reseal(unsigned char *bytes, size_t size)
{
    put_le(bytes + size - 4, reference_crc32(bytes, size - 4), 4);
}

static void check_bytes(const test_image *images)
{
    st_accumulator *acc = accumulate(images + 6, NULL, 2); /* 500x375, 375x500: rings kept */
    st_accumulator_add_skipped(acc, 7);
    size_t size;
    unsigned char *bytes = bytes_of(acc, &size);
    static const unsigned char magic[8] = {0x89, 'S', 'T', 'A', 'C', 'C', '\r', '\n'};
    CHECK(memcmp(bytes, magic, 8) == 0, "magic \\x89STACC\\r\\n");
    CHECK(bytes[8] == 1 && bytes[9] == 0 && bytes[10] == 0 && bytes[11] == 0,
          "format version 1, little-endian");
    uint64_t length = 0;
    for (int i = 0; i < 8; i++)
        length |= (uint64_t)bytes[12 + i] << (8 * i);
    CHECK(length == size, "the length field is the size (%zu)", size);
    uint32_t stored = (uint32_t)bytes[size - 4] | (uint32_t)bytes[size - 3] << 8 |
                      (uint32_t)bytes[size - 2] << 16 | (uint32_t)bytes[size - 1] << 24;
    CHECK(stored == reference_crc32(bytes, size - 4), "CRC-32 of zlib at the end");
    CHECK(memcmp(bytes + 20, "\5\0\0\0green", 9) == 0, "channel name stored as u32 length + text");

    st_status status;
    st_accumulator *back = st_accumulator_new_from_bytes(bytes, size, &status);
    CHECK(back && status == ST_OK && same_bytes(acc, back), "round trip: parse(serialize) == x");
    st_accumulator_info info;
    st_accumulator_get_info(back, &info);
    CHECK(info.images == 2 && info.skipped == 7 && info.rings == 250 &&
              strcmp(info.channel, "green") == 0 &&
              strcmp(info.mapping, ST_ACCUMULATOR_DEFAULT_MAPPING) == 0,
          "provenance survives the round trip");
    size_t version_length = strlen(info.version);
    st_accumulator_free(back);

    /* Every single damaged byte (CRC-32 catches each), every truncation. */
    int accepted = 0;
    unsigned char *copy = malloc(size + 1);
    for (size_t i = 0; i < size; i += 1 + i / 64) {
        memcpy(copy, bytes, size);
        copy[i] ^= (unsigned char)(1u << (i % 8));
        st_accumulator *damaged = st_accumulator_new_from_bytes(copy, size, &status);
        accepted += damaged != NULL || status != ST_ERROR_FORMAT;
        st_accumulator_free(damaged);
    }
    CHECK(accepted == 0, "damaged bytes: ST_ERROR_FORMAT every time");
    accepted = 0;
    for (size_t n = 0; n < size; n += 1 + n / 32) {
        st_accumulator *cut = st_accumulator_new_from_bytes(bytes, n, &status);
        accepted += cut != NULL || status != ST_ERROR_FORMAT;
        st_accumulator_free(cut);
    }
    CHECK(accepted == 0, "truncated bytes: ST_ERROR_FORMAT at every length");
    memcpy(copy, bytes, size);
    copy[size] = 0;
    CHECK(!st_accumulator_new_from_bytes(copy, size + 1, &status) && status == ST_ERROR_FORMAT,
          "a trailing byte: ST_ERROR_FORMAT");

    /* A future version, sealed with a correct checksum. */
    memcpy(copy, bytes, size);
    put_le(copy + 8, 2, 4);
    reseal(copy, size);
    CHECK(!st_accumulator_new_from_bytes(copy, size, &status) && status == ST_ERROR_FORMAT,
          "version 2 (a later spectide): ST_ERROR_FORMAT");
    /* Sums no additions can give, sealed: more fits than images. */
    memcpy(copy, bytes, size);
    size_t images_at = 20 + 4 + 5 + 4 + strlen(ST_ACCUMULATOR_DEFAULT_MAPPING) + 4 + version_length;
    CHECK(copy[images_at] == 2, "images field found at %zu", images_at);
    put_le(copy + images_at, 1, 8);
    reseal(copy, size);
    CHECK(!st_accumulator_new_from_bytes(copy, size, &status) && status == ST_ERROR_FORMAT,
          "an inconsistent file (1 image, 2 fits) with a valid checksum: ST_ERROR_FORMAT");
    memcpy(copy, bytes, size);
    put_le(copy + images_at, UINT64_C(1) << 50, 8);
    reseal(copy, size);
    CHECK(!st_accumulator_new_from_bytes(copy, size, &status) && status == ST_ERROR_FORMAT,
          "2^50 images (beyond the headroom): ST_ERROR_FORMAT");
    CHECK(!st_accumulator_new_from_bytes(NULL, 4, &status) && status == ST_ERROR_ARGUMENT,
          "NULL bytes: ST_ERROR_ARGUMENT");
    unsigned char small[3];
    CHECK(st_accumulator_serialize(acc, small, sizeof small) == ST_ERROR_ARGUMENT,
          "a buffer too small: ST_ERROR_ARGUMENT");

    /* An empty accumulator round-trips too. */
    st_accumulator *empty = new_default();
    size_t empty_size;
    unsigned char *empty_bytes = bytes_of(empty, &empty_size);
    back = st_accumulator_new_from_bytes(empty_bytes, empty_size, &status);
    CHECK(back && same_bytes(back, empty), "an empty accumulator round-trips");
    st_accumulator_free(back);
    free(empty_bytes);
    st_accumulator_free(empty);
    free(copy);
    free(bytes);
    st_accumulator_free(acc);
}

/* ------------------------------------------------------------ Student t */

static void check_student_t(void)
{
    /* Closed forms: df 1 is Cauchy, t = tan(pi (p - 1/2)); df 2,
     * t = (2p - 1) / sqrt(2 p (1 - p)); df 4, t = 2 sqrt(q - 1) with
     * q = cos(acos(sqrt(a)) / 3) / sqrt(a), a = 4 p (1 - p). */
    double ps[] = {0.6, 0.9, 0.975, 0.995, 0.9999, 0.025, 1e-6};
    double worst = 0.0;
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        double p = ps[i];
        double t1 = tan(M_PI * (p - 0.5));
        double t2 = (2 * p - 1) / sqrt(2 * p * (1 - p));
        double a = 4 * p * (1 - p), q = cos(acos(sqrt(a)) / 3) / sqrt(a);
        double t4 = (p > 0.5 ? 2 : -2) * sqrt(q - 1);
        worst = fmax(worst, fabs(st_student_t_quantile(p, 1) / t1 - 1));
        worst = fmax(worst, fabs(st_student_t_quantile(p, 2) / t2 - 1));
        worst = fmax(worst, fabs(st_student_t_quantile(p, 4) / t4 - 1));
        /* CDFs of df 1 and 2 */
        worst = fmax(worst, fabs(st_student_t_cdf(t1, 1) - p) / fmin(p, 1 - p));
        worst = fmax(worst, fabs(st_student_t_cdf(t2, 2) - p) / fmin(p, 1 - p));
    }
    CHECK(worst < 1e-10, "quantiles and CDF against closed forms for df 1, 2, 4: worst %.2g",
          worst);
    /* Table values of t(0.975, df) and the normal limit. */
    double df[] = {3, 5, 10, 30, 100, 1e9};
    /* df 1e9: the normal quantile z plus Cornish-Fisher's (z^3 + z) / (4 df). */
    double z = 1.959963984540054;
    double want[] = {3.182446305284263, 2.570581835636314, 2.228138851986274,
                     2.042272456301238, 1.983971518523552, z + (z * z * z + z) / 4e9};
    worst = 0.0;
    for (int i = 0; i < 6; i++)
        worst = fmax(worst, fabs(st_student_t_quantile(0.975, df[i]) - want[i]));
    CHECK(worst < 1e-9, "t(0.975, df) for df 3..1e9 against tables: worst %.2g", worst);
    /* Inverse and CDF agree for non-integer df (Welch). */
    double dfs[] = {0.7, 1.5, 7.3, 55.5, 2500.5, 3e4, 2e7};
    worst = 0.0;
    for (int i = 0; i < 7; i++)
        for (double p = 0.01; p < 1.0; p += 0.07)
            worst =
                fmax(worst, fabs(st_student_t_cdf(st_student_t_quantile(p, dfs[i]), dfs[i]) - p));
    CHECK(worst < 1e-12, "cdf(quantile(p)) = p for non-integer df: worst %.2g", worst);
    CHECK(isnan(st_student_t_quantile(1.0, 3)) && isnan(st_student_t_cdf(1.0, 0)) &&
              st_student_t_quantile(0.5, 3) == 0.0,
          "out of range: NaN; median 0");
}

int main(void)
{
    uint64_t state = 2024;
    static test_image images[IMAGES];
    for (int i = 0; i < IMAGES; i++)
        make_image(&state, sizes[i % 10][0], sizes[i % 10][1], 0.3, &images[i]);
    check_against_brute_force(images);
    check_power_of_two_edges();
    check_single_size_rings(images);
    check_merges(images);
    check_mismatch(images);
    check_image_fits();
    check_bytes(images);
    check_student_t();
    return check_done();
}
