/* The tide on an image (core/tide_image.c) against values written here from
 * docs/conventions.md: x0 = 2v - 1 of each colour channel; noisy pixels are
 * x0 + (s/a) eps with eps = st_gaussian_at(seed, c*W*H + y*W + x) in the
 * full image's coordinates (a block placed in a larger image gets the full
 * image's noise); f_max is the last ring of the analysis channel's RAPSD
 * above tau s^2/a^2; the low-pass removes every ring above it; the Wiener
 * view is W = a^2 S / (a^2 S + s^2) on the DFT of x_t / a with S the
 * channel's own RAPSD. RAPSDs, DFTs and rings are brute-force sums here.
 * Both modes (ONE_LEVEL, MANY_LEVELS) are checked, and against each other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "check.h"
#include "spectide_tide.h"

#include <stdlib.h>
#include <string.h>

/* A 24x16 block at (5, 3) of a 40x30 image, RGBA. */
enum { W = 24, H = 16, OX = 5, OY = 3, FW = 40, FH = 30, COMPONENTS = 4, RINGS = W / 2 };

static float pixels[H][W][COMPONENTS];
static double x0[4][H][W]; /* red, green, blue, luma */

static void make_pixels(void)
{
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            for (int c = 0; c < 3; c++)
                pixels[y][x][c] = (float)(0.5 + 0.4 * sin(0.3 * x + c) * cos(0.2 * y + 0.5 * c) +
                                          0.05 * sin(2.1 * x * (c + 1) + 1.3 * y));
            pixels[y][x][3] = 0.25f; /* alpha, never read */
            for (int c = 0; c < 3; c++)
                x0[c][y][x] = 2.0 * pixels[y][x][c] - 1.0;
            x0[3][y][x] = 2.0 * (0.2126 * pixels[y][x][0] + 0.7152 * pixels[y][x][1] +
                                 0.0722 * pixels[y][x][2]) -
                          1.0;
        }
}

/* The centred ring of DFT bin (u, v): pysteps' rings, written here. */
static int ring_of_bin(int u, int v)
{
    int fu = u <= W / 2 - 1 ? u : u - W, fv = v <= H / 2 - 1 ? v : v - H;
    return (int)lround(sqrt((double)fu * fu + (double)fv * fv));
}

static void dft(const double plane[H][W], double re[H][W], double im[H][W])
{
    for (int v = 0; v < H; v++)
        for (int u = 0; u < W; u++) {
            double sr = 0, si = 0;
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++) {
                    double phase = -2 * M_PI * ((double)u * x / W + (double)v * y / H);
                    sr += plane[y][x] * cos(phase);
                    si += plane[y][x] * sin(phase);
                }
            re[v][u] = sr;
            im[v][u] = si;
        }
}

/* RAPSD: mean of |X|^2 / (W H) over each ring 0 .. RINGS-1. */
static void rapsd(const double plane[H][W], double power[RINGS])
{
    static double re[H][W], im[H][W];
    double sum[RINGS] = {0}, count[RINGS] = {0};
    dft(plane, re, im);
    for (int v = 0; v < H; v++)
        for (int u = 0; u < W; u++) {
            int r = ring_of_bin(u, v);
            if (r < RINGS) {
                sum[r] += (re[v][u] * re[v][u] + im[v][u] * im[v][u]) / (W * H);
                count[r]++;
            }
        }
    for (int r = 0; r < RINGS; r++)
        power[r] = sum[r] / count[r];
}

/* Inverse DFT of gain(ring) * X, the gain of corner rings the last ring's. */
static void filter(const double plane[H][W], const double gain[RINGS], double out[H][W])
{
    static double re[H][W], im[H][W];
    dft(plane, re, im);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double value = 0;
            for (int v = 0; v < H; v++)
                for (int u = 0; u < W; u++) {
                    int r = ring_of_bin(u, v);
                    double g = gain[r < RINGS ? r : RINGS - 1];
                    double phase = 2 * M_PI * ((double)u * x / W + (double)v * y / H);
                    value += g * (re[v][u] * cos(phase) - im[v][u] * sin(phase));
                }
            out[y][x] = value / (W * H);
        }
}

static double eps(uint64_t seed, int channel, int x, int y)
{
    uint64_t index = (uint64_t)channel * FW * FH + (uint64_t)(OY + y) * FW + (uint64_t)(OX + x);
    return st_gaussian_at(seed, index);
}

static const st_tide_placement placement = {OX, OY, FW, FH};

static st_tide_image *new_image(st_channel analysis, st_tide_image_mode mode)
{
    return st_tide_image_new(&pixels[0][0][0], W, H, COMPONENTS, W * COMPONENTS, analysis,
                             &placement, mode, NULL);
}

/* The worst |got - want| of a plane. */
static double worst(const float *got, const double want[H][W])
{
    double error = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            error = fmax(error, fabs(got[y * W + x] - want[y][x]));
    return error;
}

static void check_level_and_fmax(void)
{
    st_tide_image *image = new_image(ST_CHANNEL_GREEN, ST_TIDE_IMAGE_ONE_LEVEL);
    CHECK(image != NULL && st_tide_image_colors(image) == 3, "RGBA block: three colour planes");
    CHECK(st_tide_image_analysis_plane(image) == 1, "green analysis: colour plane 1");
    float out[H * W];
    CHECK(st_tide_image_run(image, ST_TIDE_VIEW_NOISY, 0, out) == ST_NOT_READY,
          "a run before a level: ST_NOT_READY");
    CHECK(isnan(st_tide_image_fmax(image)), "f_max before a level: NaN");

    double power[RINGS];
    rapsd(x0[1], power);
    const double *freq, *got_power;
    int rings = st_tide_image_analysis_rapsd(image, &freq, &got_power);
    double error = 0;
    for (int r = 0; r < RINGS && rings == RINGS; r++)
        error = fmax(error, fabs(got_power[r] - power[r]) / power[r]);
    CHECK(rings == RINGS && error < 1e-5, "analysis RAPSD = brute-force RAPSD of green (%.2g)",
          error);

    /* Several floors: f_max is the last ring (r / W) with power above it. */
    int fmax_ok = 1;
    for (double t = 0.05; t < 0.95; t += 0.1) {
        st_tide_level level;
        st_tide_level_from_schedule(ST_SCHEDULE_RECTIFIED_FLOW, t, 1.0, &level);
        st_tide_image_set_level(image, &level, 1);
        double floor = t * t / ((1 - t) * (1 - t)), want = 0;
        for (int r = 1; r < RINGS; r++)
            if (power[r] > floor)
                want = (double)r / W;
        fmax_ok &= fabs(st_tide_image_fmax(image) - want) < 1e-12;
    }
    CHECK(fmax_ok, "f_max = last ring above t^2/(1-t)^2, for t = 0.05 .. 0.85");

    st_tide_level level;
    st_tide_level_from_schedule(ST_SCHEDULE_RECTIFIED_FLOW, 1.0, 1.0, &level);
    CHECK(st_tide_image_set_level(image, &level, 1) == ST_ERROR_NO_SIGNAL,
          "a = 0: ST_ERROR_NO_SIGNAL");
    st_tide_level_from_schedule(ST_SCHEDULE_RECTIFIED_FLOW, 2.0, 1.0, &level);
    CHECK(st_tide_image_set_level(image, &level, 1) == ST_ERROR_ARGUMENT,
          "a refused level: ST_ERROR_ARGUMENT");
    st_tide_level_from_sigma(0.3, 1.0, &level);
    st_tide_image_set_level(image, &level, 1);
    CHECK(st_tide_image_run(image, ST_TIDE_VIEW_COUNT, 0, out) == ST_ERROR_ARGUMENT &&
              st_tide_image_run(image, ST_TIDE_VIEW_NOISY, 3, out) == ST_ERROR_ARGUMENT &&
              st_tide_image_run_block(image, ST_TIDE_VIEW_NOISY, 0, 20, 0, 5, 1, out, 5) ==
                  ST_ERROR_ARGUMENT &&
              st_tide_image_set_split(image, W + 1) == ST_ERROR_ARGUMENT,
          "view, plane, block and split column out of range refused");
    st_tide_image_free(image);

    st_status error_status = ST_OK;
    st_tide_placement outside = {20, 3, FW, FH}; /* 20 + 24 > 40 */
    CHECK(!st_tide_image_new(&pixels[0][0][0], W, H, COMPONENTS, W * COMPONENTS, ST_CHANNEL_GREEN,
                             &outside, ST_TIDE_IMAGE_ONE_LEVEL, &error_status) &&
              error_status == ST_ERROR_ARGUMENT,
          "a block reaching outside its full image: ST_ERROR_ARGUMENT");
    CHECK(!st_tide_image_new(&pixels[0][0][0], W, H, 5, W * 5, ST_CHANNEL_GREEN, NULL,
                             ST_TIDE_IMAGE_ONE_LEVEL, &error_status) &&
              error_status == ST_ERROR_ARGUMENT,
          "5 components: ST_ERROR_ARGUMENT");
    st_tide_image_free(NULL);
}

/* Every view of every plane, in one mode, against the brute force. */
static void check_views(st_tide_image_mode mode, const char *name)
{
    const double a = 0.7, s = 0.3, k = s / a;
    const uint64_t seed = 42;
    st_tide_level level;
    st_tide_level_from_schedule(ST_SCHEDULE_RECTIFIED_FLOW, 0.3, 1.0, &level);
    st_tide_image *image = new_image(ST_CHANNEL_GREEN, mode);
    CHECK(st_tide_image_set_level(image, &level, seed) == ST_OK, "%s: level set", name);
    double cut = st_tide_image_fmax(image);
    static float out[H * W];
    static double want[H][W], noisy[H][W];
    double noisy_error = 0, lowpass_error = 0, wiener_error = 0, split_error = 0;
    for (int c = 0; c < 3; c++) {
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                noisy[y][x] = x0[c][y][x] + k * eps(seed, c, x, y);
        st_tide_image_run(image, ST_TIDE_VIEW_NOISY, c, out);
        noisy_error = fmax(noisy_error, worst(out, noisy));

        double gain[RINGS];
        for (int r = 0; r < RINGS; r++)
            gain[r] = (double)r / W <= cut ? 1.0 : 0.0;
        filter(x0[c], gain, want);
        st_tide_image_run(image, ST_TIDE_VIEW_LOWPASS, c, out);
        lowpass_error = fmax(lowpass_error, worst(out, want));

        /* Split at column 9: noisy left of it, low-pass from it on. */
        for (int y = 0; y < H; y++)
            for (int x = 0; x < 9; x++)
                want[y][x] = noisy[y][x];
        st_tide_image_set_split(image, 9);
        st_tide_image_run(image, ST_TIDE_VIEW_SPLIT, c, out);
        split_error = fmax(split_error, worst(out, want));

        double power[RINGS];
        rapsd(x0[c], power);
        for (int r = 0; r < RINGS; r++)
            gain[r] = a * a * power[r] / (a * a * power[r] + s * s);
        filter(noisy, gain, want);
        st_tide_image_run(image, ST_TIDE_VIEW_WIENER, c, out);
        wiener_error = fmax(wiener_error, worst(out, want));
    }
    CHECK(noisy_error < 1e-6,
          "%s: noisy = x0 + (s/a) eps at c*W*H + y*W + x of the full image "
          "(worst %.2g)",
          name, noisy_error);
    CHECK(lowpass_error < 2e-5, "%s: low-pass = rings above f_max %.4f removed (worst %.2g)", name,
          cut, lowpass_error);
    CHECK(split_error < 2e-5, "%s: split = noisy left of column 9, low-pass from it (worst %.2g)",
          name, split_error);
    CHECK(wiener_error < 2e-5, "%s: Wiener = W(own RAPSD) on the DFT of x_t / a (worst %.2g)", name,
          wiener_error);

    /* A block: rows 3..10, columns 4..19, written with a wider stride; the
     * rest of the buffer untouched. */
    enum { BX = 4, BY = 3, BW = 16, BH = 8, STRIDE = 20 };
    static float block[BH * STRIDE];
    int block_ok = 1, untouched = 1;
    for (int view = 0; view < ST_TIDE_VIEW_COUNT; view++) {
        for (int i = 0; i < BH * STRIDE; i++)
            block[i] = -9.0f;
        st_tide_image_set_split(image, 12);
        st_tide_image_run(image, (st_tide_view)view, 2, out);
        block_ok &= st_tide_image_run_block(image, (st_tide_view)view, 2, BX, BY, BW, BH, block,
                                            STRIDE) == ST_OK;
        for (int y = 0; y < BH; y++)
            for (int x = 0; x < STRIDE; x++) {
                if (x >= BW)
                    untouched &= block[y * STRIDE + x] == -9.0f;
                else
                    block_ok &= fabs(block[y * STRIDE + x] - out[(BY + y) * W + BX + x]) < 2e-6;
            }
    }
    CHECK(block_ok, "%s: every view of a block = those pixels of the whole plane", name);
    CHECK(untouched, "%s: a block run writes its block only", name);
    st_tide_image_free(image);
}

/* ONE_LEVEL and MANY_LEVELS give the same planes to float rounding, for a
 * series of levels and seeds (MANY_LEVELS reuses what it kept). */
static void check_modes_agree(void)
{
    st_tide_image *one = new_image(ST_CHANNEL_LUMA, ST_TIDE_IMAGE_ONE_LEVEL);
    st_tide_image *many = new_image(ST_CHANNEL_LUMA, ST_TIDE_IMAGE_MANY_LEVELS);
    static float a[H * W], b[H * W];
    double error = 0;
    for (int step = 0; step < 6; step++) {
        st_tide_level level;
        st_tide_level_from_schedule(ST_SCHEDULE_COSINE, 0.1 + 0.15 * step, 2.0, &level);
        uint64_t seed = step < 3 ? 7 : 8;
        st_tide_image_set_level(one, &level, seed);
        st_tide_image_set_level(many, &level, seed);
        for (int view = 0; view < ST_TIDE_VIEW_COUNT; view++)
            for (int plane = -1; plane < 3; plane++) {
                st_tide_image_run(one, (st_tide_view)view, plane, a);
                st_tide_image_run(many, (st_tide_view)view, plane, b);
                for (int i = 0; i < H * W; i++)
                    error = fmax(error, fabs(a[i] - b[i]));
            }
    }
    CHECK(error < 1e-5, "ONE_LEVEL and MANY_LEVELS agree over 6 levels, 2 seeds (worst %.2g)",
          error);

    /* The luma analysis plane is a plane of its own, with channel 3's noise. */
    CHECK(st_tide_image_analysis_plane(one) == ST_TIDE_ANALYSIS_PLANE,
          "luma analysis: a plane of its own");
    st_tide_level level;
    st_tide_level_from_sigma(0.5, 1.0, &level);
    st_tide_image_set_level(one, &level, 3);
    st_tide_image_run(one, ST_TIDE_VIEW_NOISY, ST_TIDE_ANALYSIS_PLANE, a);
    static double want[H][W];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            want[y][x] = x0[3][y][x] + 0.5 * eps(3, 3, x, y);
    CHECK(worst(a, want) < 1e-6, "luma plane: Rec. 709 of v, mapped, noise of channel 3 (%.2g)",
          worst(a, want));
    st_tide_image_free(one);
    st_tide_image_free(many);
}

/* Gray + alpha: one plane, channel 0's noise; a NaN pixel is 0. */
static void check_gray(void)
{
    static float gray[H][W][2];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            gray[y][x][0] = pixels[y][x][1];
            gray[y][x][1] = 1.0f;
        }
    gray[2][3][0] = NAN;
    st_tide_image *image = st_tide_image_new(&gray[0][0][0], W, H, 2, W * 2, ST_CHANNEL_RED,
                                             &placement, ST_TIDE_IMAGE_ONE_LEVEL, NULL);
    CHECK(image && st_tide_image_colors(image) == 1 && st_tide_image_analysis_plane(image) == 0,
          "gray + alpha: one plane, the analysis plane whatever the channel");
    st_tide_level level;
    st_tide_level_from_sigma(0.2, 1.0, &level);
    st_tide_image_set_level(image, &level, 5);
    static float out[H * W];
    static double want[H][W];
    st_tide_image_run(image, ST_TIDE_VIEW_NOISY, 0, out);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            want[y][x] = (y == 2 && x == 3 ? 0.0 : x0[1][y][x]) + 0.2 * eps(5, 0, x, y);
    CHECK(worst(out, want) < 1e-6, "gray noisy: channel 0's noise, the NaN pixel as 0 (%.2g)",
          worst(out, want));
    CHECK(st_tide_image_run(image, ST_TIDE_VIEW_NOISY, 1, out) == ST_ERROR_ARGUMENT,
          "gray: plane 1 refused");
    st_tide_image_free(image);
}

int main(void)
{
    make_pixels();
    check_level_and_fmax();
    check_views(ST_TIDE_IMAGE_ONE_LEVEL, "one level");
    check_views(ST_TIDE_IMAGE_MANY_LEVELS, "many levels");
    check_modes_agree();
    check_gray();
    return check_done();
}
