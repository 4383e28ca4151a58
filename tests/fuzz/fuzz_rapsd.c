/* Fuzz target: image analysis on arbitrary sizes and pixel bytes.
 *
 * Input: width, height (16-bit each, any value: zero, negative-looking and
 * huge sizes must be refused with NULL, not crash), components, channel,
 * stride padding, a pixel mode (bytes/255 like an 8-bit image, or raw float
 * bit patterns with NaN/Inf/huge values), then the pixels. Runs pixels to
 * analysis channel, RAPSD, power-law fit, log-domain average, f_max and the
 * Fourier-domain filters, and checks what the API promises: ring count and
 * frequencies as docs/conventions.md defines them, non-negative finite power for
 * finite bounded pixels, finite filter outputs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz_input.h"
#include "spectide.h"

#include <math.h>

/* Fuzzing speed: larger valid sizes are only checked for refusal rules. */
#define FUZZ_MAX_PIXELS (1 << 16)

static double gain_half(double freq, void *user_data)
{
    (void)user_data;
    return freq < 0.25 ? 1.0 : 0.5;
}

static void check_size_rules(int width, int height)
{
    int valid = width >= 1 && height >= 1 && width <= ST_MAX_IMAGE_SIDE &&
                height <= ST_MAX_IMAGE_SIDE &&
                (uint64_t)width * (uint64_t)height <= ST_MAX_IMAGE_PIXELS;
    if (!valid) {
        FUZZ_CHECK(st_rapsd_new(width, height, NULL) == NULL);
        FUZZ_CHECK(st_filter_new(width, height, NULL) == NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size, 0};
    int width = (int16_t)take_u16(&in), height = (int16_t)take_u16(&in);
    int components = 1 + take_u8(&in) % 4;
    st_channel channel = (st_channel)(take_u8(&in) % 4);
    int padding = take_u8(&in) % 4;
    int raw_floats = take_u8(&in) & 1;
    double f_cut = take_u8(&in) / 255.0 * 0.6;

    check_size_rules(width, height);
    check_size_rules(width * 1000, height);
    if (width < 1 || height < 1 || (long)width * height > FUZZ_MAX_PIXELS) {
        return 0;
    }
    size_t stride = (size_t)width * (size_t)components + (size_t)padding;
    size_t values = stride * (size_t)height;
    float *pixels = malloc(values * sizeof(float));
    float *image = malloc((size_t)width * (size_t)height * sizeof(float));
    float *filtered = malloc((size_t)width * (size_t)height * sizeof(float));
    int bounded = 1; /* every pixel finite and within [-1000, 1000] */
    for (size_t i = 0; i < values; i++) {
        float v = raw_floats ? take_float_bits(&in) : take_u8(&in) / 255.0f;
        if (isfinite(v) && fabsf(v) > 1000.0f) {
            bounded = 0;
        }
        pixels[i] = v;
    }
    st_pixels_to_analysis(pixels, width, height, components, stride, channel, image);
    for (long i = 0; i < (long)width * height; i++) {
        FUZZ_CHECK(!bounded || isfinite(image[i]));
    }

    st_rapsd *rapsd = st_rapsd_new(width, height, NULL);
    FUZZ_CHECK(rapsd != NULL);
    int rings = st_rapsd_ring_count(rapsd);
    int longest = width > height ? width : height;
    FUZZ_CHECK(rings == (longest % 2 == 0 ? longest / 2 : (longest - 1) / 2 + 1));
    FUZZ_CHECK(rings == st_ring_count_for_size(width, height));
    double *freq = malloc((size_t)rings * sizeof(double));
    double *power = malloc((size_t)rings * sizeof(double));
    st_rapsd_frequencies(rapsd, freq);
    for (int r = 0; r < rings; r++) {
        FUZZ_CHECK(freq[r] == (double)r / longest);
    }
    st_rapsd_run(rapsd, image, power);
    for (int r = 0; r < rings; r++) {
        FUZZ_CHECK(!bounded || (isfinite(power[r]) && power[r] >= 0));
    }

    st_powerlaw fit;
    if (st_powerlaw_fit(freq, power, rings, 0, 0, 0, &fit) == ST_OK) {
        FUZZ_CHECK(!bounded || isfinite(fit.alpha) || fit.points < 2);
        st_fmax_from_fit(&fit, 1e-3);
    }
    st_fmax_measured(freq, power, rings, 1e-3);

    st_logavg *average = st_logavg_new(NULL);
    st_logavg_add(average, freq, power, rings);
    st_logavg_add(average, freq, power, rings > 1 ? rings / 2 : rings);
    const double *mean_freq, *mean_log;
    int points = st_logavg_result(average, &mean_freq, &mean_log);
    FUZZ_CHECK(points >= 0 && points <= rings);
    if (points >= 2 &&
        st_powerlaw_fit_log10(mean_freq, mean_log, points, 0, 0, 16, &fit) == ST_OK) {
        st_fmax_row rows[4];
        st_fmax_table(ST_SCHEDULE_COSINE, 1.0, freq, power, rings, &fit, 4, rows);
    }
    st_logavg_free(average);

    st_filter *filter = st_filter_new(width, height, NULL);
    FUZZ_CHECK(filter != NULL);
    st_filter_load(filter, image);
    st_filter_ideal_lowpass(filter, f_cut, filtered);
    for (long i = 0; i < (long)width * height; i++) {
        FUZZ_CHECK(!bounded || isfinite(filtered[i]));
    }
    st_filter_gaussian_lowpass(filter, f_cut + 1e-3, filtered);
    st_filter_wiener(filter, power, NULL, 0.5, 0.5, filtered);
    st_filter_apply(filter, gain_half, NULL, filtered);
    for (long i = 0; i < (long)width * height; i++) {
        FUZZ_CHECK(!bounded || isfinite(filtered[i]));
    }
    st_filter_free(filter);

    st_rapsd_free(rapsd);
    free(freq);
    free(power);
    free(filtered);
    free(image);
    free(pixels);
    return 0;
}
