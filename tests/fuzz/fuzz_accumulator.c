/* Fuzz target: the dataset accumulator's loader, adder and merge.
 *
 * The first input byte picks the mode:
 *   even: the rest are accumulator bytes. The loader either refuses them
 *     (NULL and ST_ERROR_FORMAT) or accepts them, and then serialising gives
 *     back exactly the input (one accumulator, one serialisation), and a
 *     merge with itself, the curves, the fits and a second round trip work;
 *   odd: the rest describe images (width, height, then ring powers as float
 *     bit patterns: NaN, Inf, zero, negative and huge values), added to one
 *     accumulator in order and to two shards split by a bit of each image;
 *     merged shards must equal the one pass byte for byte, and the bytes
 *     must round-trip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz_input.h"
#include "spectide_accumulator.h"

#include <math.h>

static unsigned char *bytes_of(const st_accumulator *acc, size_t *size)
{
    *size = st_accumulator_serialized_size(acc);
    unsigned char *bytes = malloc(*size);
    FUZZ_CHECK(bytes && st_accumulator_serialize(acc, bytes, *size) == ST_OK);
    return bytes;
}

static int same(const st_accumulator *a, const st_accumulator *b)
{
    size_t na, nb;
    unsigned char *x = bytes_of(a, &na), *y = bytes_of(b, &nb);
    int equal = na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return equal;
}

/* Results of an accepted accumulator: they must not crash. */
static void exercise(const st_accumulator *acc)
{
    for (int axis = ST_CURVE_BEST; axis <= ST_CURVE_RINGS; axis++) {
        int n = st_accumulator_curve_length(acc, (st_curve_axis)axis);
        if (n <= 0)
            continue;
        st_curve_point *points = malloc(sizeof *points * (size_t)n);
        FUZZ_CHECK(points);
        st_status status = st_accumulator_curve(acc, (st_curve_axis)axis, points, n);
        FUZZ_CHECK(status == ST_OK || status == ST_NOT_READY);
        free(points);
        st_powerlaw fit;
        st_accumulator_fit(acc, (st_curve_axis)axis, &fit);
    }
    st_image_fits fits;
    st_accumulator_image_fits(acc, &fits);
    st_accumulator_info info;
    st_accumulator_get_info(acc, &info);
}

static void parse_bytes(const uint8_t *data, size_t size)
{
    st_status status;
    st_accumulator *acc = st_accumulator_new_from_bytes(data, size, &status);
    if (!acc) {
        FUZZ_CHECK(status == ST_ERROR_FORMAT || status == ST_ERROR_MEMORY);
        return;
    }
    FUZZ_CHECK(status == ST_OK);
    size_t n;
    unsigned char *again = bytes_of(acc, &n);
    FUZZ_CHECK(n == size && memcmp(again, data, size) == 0);
    free(again);
    exercise(acc);
    st_accumulator_info info;
    st_accumulator_get_info(acc, &info);
    status = st_accumulator_merge(acc, acc);
    if (status == ST_OK) {
        st_accumulator_info twice;
        st_accumulator_get_info(acc, &twice);
        FUZZ_CHECK(twice.images == 2 * info.images && twice.skipped == 2 * info.skipped);
        exercise(acc);
        unsigned char *bytes = bytes_of(acc, &n);
        st_accumulator *back = st_accumulator_new_from_bytes(bytes, n, &status);
        FUZZ_CHECK(back && same(back, acc));
        st_accumulator_free(back);
        free(bytes);
    } else {
        FUZZ_CHECK(status == ST_ERROR_ARGUMENT || status == ST_ERROR_MEMORY);
    }
    st_accumulator_free(acc);
}

#define MAX_IMAGES 16

static void build(fuzz_input *in)
{
    st_accumulator *one = st_accumulator_new(NULL, NULL);
    st_accumulator *shard[2] = {st_accumulator_new(NULL, NULL), st_accumulator_new(NULL, NULL)};
    FUZZ_CHECK(one && shard[0] && shard[1]);
    double power[64];
    for (int image = 0; image < MAX_IMAGES && remaining(in) > 0; image++) {
        int width = 1 + take_u8(in) % 96, height = 1 + take_u8(in) % 96;
        int side = take_u8(in) & 1;
        int rings = st_ring_count_for_size(width, height);
        for (int r = 0; r < rings; r++) {
            uint8_t kind = take_u8(in);
            /* Mostly plausible powers, sometimes any bit pattern. */
            power[r] = kind < 200 ? pow(10.0, (kind - 100) / 20.0) : (double)take_float_bits(in);
        }
        st_status a = st_accumulator_add(one, width, height, power);
        st_status b = st_accumulator_add(shard[side], width, height, power);
        FUZZ_CHECK(a == b);
        FUZZ_CHECK(a == ST_OK || a == ST_ERROR_NOT_FINITE || a == ST_ERROR_ARGUMENT);
        if (take_u8(in) % 7 == 0) {
            FUZZ_CHECK(st_accumulator_add_skipped(one, 1) == ST_OK);
            FUZZ_CHECK(st_accumulator_add_skipped(shard[!side], 1) == ST_OK);
        }
    }
    st_accumulator *merged = st_accumulator_new(NULL, NULL);
    FUZZ_CHECK(merged);
    FUZZ_CHECK(st_accumulator_merge(merged, shard[1]) == ST_OK);
    FUZZ_CHECK(st_accumulator_merge(merged, shard[0]) == ST_OK);
    FUZZ_CHECK(same(merged, one));
    size_t n;
    unsigned char *bytes = bytes_of(one, &n);
    st_status status;
    st_accumulator *back = st_accumulator_new_from_bytes(bytes, n, &status);
    FUZZ_CHECK(back && status == ST_OK && same(back, one));
    exercise(back);
    free(bytes);
    st_accumulator_free(back);
    st_accumulator_free(merged);
    st_accumulator_free(one);
    st_accumulator_free(shard[0]);
    st_accumulator_free(shard[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (data[0] % 2 == 0) {
        parse_bytes(data + 1, size - 1);
    } else {
        fuzz_input in = {data + 1, size - 1, 0};
        build(&in);
    }
    return 0;
}
