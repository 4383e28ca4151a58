/* The preview's per-t code (gimp_plugin/shared/stg-tide-cache.c) against values written
 * here from docs/conventions.md's conventions: noisy pixels are x0 + (s/a) eps with
 * eps = st_gaussian_at(seed, channel*W*H + y*W + x) in drawable coordinates
 * (so the preview of a crop and the applied layer agree), the low-pass view
 * removes every ring above the cut (checked by a brute-force DFT), and a
 * second render with a new noise scale reuses nothing stale.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "stg-tide-cache.h"

static int failures = 0;

static void check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    failures += !ok;
}

static unsigned char expected_u8(double x)
{
    double v = 0.5 * (x + 1.0) * 255.0 + 0.5;
    return v <= 0.0 ? 0 : v >= 255.0 ? 255 : (unsigned char)v;
}

int main(void)
{
    /* A 24x16 block at (5, 3) of a 40x30 drawable, three colour channels. */
    enum { W = 24, H = 16, OX = 5, OY = 3, FW = 40, FH = 30, C = 3 };
    static float planes[C][W * H];
    for (int c = 0; c < C; c++)
        for (int i = 0; i < W * H; i++)
            planes[c][i] = (float)(0.6 * sin(0.3 * (i % W) + c) * cos(0.2 * (i / W)));
    const float *const views[C] = {planes[0], planes[1], planes[2]};
    stg_tide_cache *cache = stg_tide_cache_new(W, H, C, views, OX, OY, FW, FH);
    check(cache != NULL, "cache for a 24x16 RGB block");

    /* Noisy view of the sub-block cols 4..20, rows 2..12, bpp 4. */
    enum { C0 = 4, C1 = 20, R0 = 2, R1 = 12, BPP = 4 };
    static unsigned char out[(R1 - R0) * (C1 - C0) * BPP];
    const uint64_t seed = 42;
    int worst = 0;
    for (int pass = 0; pass < 2; pass++) {
        double k = pass == 0 ? 0.3 : 0.7; /* a new t on the same area */
        stg_tide_cache_render_u8(cache, STG_VIEW_NOISY, seed, k, NULL, C0, C1, R0, R1, 0, out,
                                 (C1 - C0) * BPP, BPP);
        for (int c = 0; c < C; c++)
            for (int y = R0; y < R1; y++)
                for (int x = C0; x < C1; x++) {
                    uint64_t index = (uint64_t)c * FW * FH + (uint64_t)(OY + y) * FW + (OX + x);
                    double value = planes[c][y * W + x] + k * st_gaussian_at(seed, index);
                    int got = out[((y - R0) * (C1 - C0) + (x - C0)) * BPP + c];
                    int diff = abs(got - expected_u8(value));
                    worst = diff > worst ? diff : worst;
                }
    }
    check(worst <= 1, "noisy preview = x0 + (s/a) eps at drawable indices, for two noise levels");

    /* stg_add_noise (used by Apply) puts the same noise on the same pixel. */
    static float applied[W * H];
    for (int i = 0; i < W * H; i++)
        applied[i] = planes[2][i];
    stg_add_noise(applied, W, H, OX, OY, FW, FH, 2, seed, 0.5);
    double max_error = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            uint64_t index = 2ull * FW * FH + (uint64_t)(OY + y) * FW + (OX + x);
            double want = planes[2][y * W + x] + 0.5 * st_gaussian_at(seed, index);
            max_error = fmax(max_error, fabs(applied[y * W + x] - want));
        }
    check(max_error < 1e-5, "Apply's noise matches the preview's index convention");

    /* Low-pass: no power left above the cut, by a brute-force DFT. */
    float *filtered = stg_tide_cache_new_planes(cache);
    size_t stride = stg_tide_cache_plane_stride(cache);
    double cut = 0.15; /* cycles/pixel; rings r/L with L = 24 */
    check(stg_tide_cache_filter(cache, STG_VIEW_LOWPASS, cut, seed, 1, 0, 0, H, filtered) == 0,
          "low-pass planes computed");
    double above = 0, total = 0;
    for (int v = 0; v < H; v++)
        for (int u = 0; u < W; u++) {
            double re = 0, im = 0, re0 = 0, im0 = 0;
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++) {
                    double phase = -2 * M_PI * ((double)u * x / W + (double)v * y / H);
                    re += filtered[stride + y * W + x] * cos(phase);
                    im += filtered[stride + y * W + x] * sin(phase);
                    re0 += planes[1][y * W + x] * cos(phase);
                    im0 += planes[1][y * W + x] * sin(phase);
                }
            int fu = u <= W / 2 - 1 ? u : u - W, fv = v <= H / 2 - 1 ? v : v - H;
            int ring = (int)lround(sqrt((double)fu * fu + (double)fv * fv));
            if ((double)ring / W > cut) {
                above += re * re + im * im;
                total += re0 * re0 + im0 * im0;
            }
        }
    check(total > 0 && above < 1e-8 * total, "low-pass view: rings above the cut removed");

    /* Wiener view of channel 0 for rows 3..10 only, against a brute-force
     * DFT written here: x_t/a = x0 + k eps, S = the pysteps RAPSD of x0
     * (rings 0..L/2-1, corner bins take the last ring), W = a^2 S / (a^2 S
     * + s^2) per ring; the rows outside stay as they were. */
    const double a = 0.7, s = 0.3, k = s / a;
    enum { ROW0 = 3, ROW1 = 11, RINGS = W / 2 };
    static double noisy[W * H], ring_sum[RINGS + 20], ring_count[RINGS + 20], gain[W * H];
    static double spectrum_re[W * H], spectrum_im[W * H];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            uint64_t index = (uint64_t)(OY + y) * FW + (OX + x);
            noisy[y * W + x] = planes[0][y * W + x] + k * st_gaussian_at(seed, index);
        }
    for (int v = 0; v < H; v++)
        for (int u = 0; u < W; u++) {
            double re = 0, im = 0, re0 = 0, im0 = 0;
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++) {
                    double phase = -2 * M_PI * ((double)u * x / W + (double)v * y / H);
                    re += noisy[y * W + x] * cos(phase);
                    im += noisy[y * W + x] * sin(phase);
                    re0 += planes[0][y * W + x] * cos(phase);
                    im0 += planes[0][y * W + x] * sin(phase);
                }
            spectrum_re[v * W + u] = re;
            spectrum_im[v * W + u] = im;
            int fu = u <= W / 2 - 1 ? u : u - W, fv = v <= H / 2 - 1 ? v : v - H;
            int ring = (int)lround(sqrt((double)fu * fu + (double)fv * fv));
            ring_sum[ring] += (re0 * re0 + im0 * im0) / (W * H);
            ring_count[ring] += 1;
            gain[v * W + u] = ring;
        }
    for (int i = 0; i < W * H; i++) {
        int ring = (int)gain[i] < RINGS ? (int)gain[i] : RINGS - 1;
        double power = ring_sum[ring] / ring_count[ring];
        gain[i] = a * a * power / (a * a * power + s * s);
    }
    for (int i = 0; i < C * (int)stride; i++)
        filtered[i] = -9.0f;
    check(stg_tide_cache_filter(cache, STG_VIEW_WIENER, cut, seed, a, s, ROW0, ROW1, filtered) == 0,
          "Wiener planes of rows 3..10 computed");
    double wiener_error = 0;
    int untouched = 1;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            if (y < ROW0 || y >= ROW1) {
                untouched &= filtered[y * W + x] == -9.0f;
                continue;
            }
            double value = 0;
            for (int v = 0; v < H; v++)
                for (int u = 0; u < W; u++) {
                    double phase = 2 * M_PI * ((double)u * x / W + (double)v * y / H);
                    value += gain[v * W + u] * (spectrum_re[v * W + u] * cos(phase) -
                                                spectrum_im[v * W + u] * sin(phase));
                }
            wiener_error = fmax(wiener_error, fabs(filtered[y * W + x] - value / (W * H)));
        }
    check(wiener_error < 2e-5,
          "Wiener view = W (x0 + (s/a) eps) by a brute-force DFT, on the asked rows");
    check(untouched, "Wiener view: rows outside the asked ones untouched");
    free(filtered);
    stg_tide_cache_free(cache);
    return failures ? 1 : 0;
}
