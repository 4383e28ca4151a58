/* RAPSD: radially averaged power spectral density, pysteps `rapsd` compatible.
 *
 * P = |fftshift(fft2(x))|^2 / (W*H) averaged over rings r = round(|(xc, yc)|)
 * of the centred integer frequency coordinates. Only the r2c half spectrum
 * (H rows x W/2+1 columns) is computed: every other bin is the complex
 * conjugate of a stored one, with the same power. The conjugate of centred
 * (xc, yc) is (-xc, -yc) (where -W/2 wraps to itself for even sizes), so it
 * lies in the same ring: a stored bin simply counts twice, except in the
 * columns that are their own mirror (DC and, for even W, Nyquist).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct st_rapsd {
    int width, height;
    int longest_side; /* L = max(width, height) */
    int ring_count;
    int half_width; /* r2c columns: width/2 + 1 */
    float *input;
    fftwf_complex *spectrum;
    fftwf_plan plan;
    /* ring_table[|yc| * half_width + kx]: ring of the bin, or ring_count for
     * bins outside the last ring (corners), which go to a discarded slot.
     * Rows depend on |yc| only, so H/2+1 rows cover the spectrum. */
    uint16_t *ring_table;
    double *ring_bins; /* full-spectrum bins per ring, for the mean */
    double *sums;      /* ring_count + 1 accumulators used by run */
};

int st_ring_count_for_size(int width, int height)
{
    int longest = width > height ? width : height;
    return longest % 2 == 0 ? longest / 2 : (longest - 1) / 2 + 1;
}

int st_ring_of(int xc, int yc)
{
    long long d2 = (long long)xc * xc + (long long)yc * yc;
    long long r = llround(sqrt((double)d2));
    /* round(sqrt(d2)) exactly: r is the integer with (2r-1)^2 < 4 d2 < (2r+1)^2
     * (4 d2 is never an odd square, so there are no ties). */
    while (r > 0 && (2 * r - 1) * (2 * r - 1) > 4 * d2)
        r--;
    while ((2 * r + 1) * (2 * r + 1) < 4 * d2)
        r++;
    return (int)r;
}

static int size_is_valid(int width, int height)
{
    return width >= 1 && height >= 1 && width <= ST_MAX_IMAGE_SIDE && height <= ST_MAX_IMAGE_SIDE &&
           (unsigned long long)width * (unsigned long long)height <= ST_MAX_IMAGE_PIXELS;
}

/* How many full-spectrum bins the stored column kx stands for. */
static int column_weight(int kx, int width)
{
    if (kx == 0 || (width % 2 == 0 && kx == width / 2))
        return 1;
    return 2;
}

static void build_ring_tables(st_rapsd *rapsd)
{
    int rows = rapsd->height / 2 + 1;
    for (int r = 0; r <= rapsd->ring_count; r++)
        rapsd->ring_bins[r] = 0.0;
    for (int y = 0; y < rows; y++) {
        for (int kx = 0; kx < rapsd->half_width; kx++) {
            int ring = st_ring_of(kx, y);
            if (ring > rapsd->ring_count)
                ring = rapsd->ring_count;
            rapsd->ring_table[(size_t)y * rapsd->half_width + kx] = (uint16_t)ring;
        }
    }
    /* Count with the same row mapping and weights that run uses. */
    for (int ky = 0; ky < rapsd->height; ky++) {
        int y = ky < rapsd->height - ky ? ky : rapsd->height - ky;
        const uint16_t *row = rapsd->ring_table + (size_t)y * rapsd->half_width;
        for (int kx = 0; kx < rapsd->half_width; kx++)
            rapsd->ring_bins[row[kx]] += column_weight(kx, rapsd->width);
    }
}

st_rapsd *st_rapsd_new(int width, int height)
{
    if (!size_is_valid(width, height))
        return NULL;
    st_fftw_init();
    st_rapsd *rapsd = calloc(1, sizeof *rapsd);
    if (!rapsd)
        return NULL;
    rapsd->width = width;
    rapsd->height = height;
    rapsd->longest_side = width > height ? width : height;
    rapsd->ring_count = st_ring_count_for_size(width, height);
    rapsd->half_width = width / 2 + 1;
    size_t pixels = (size_t)width * height;
    size_t bins = (size_t)height * rapsd->half_width;
    size_t table = (size_t)(height / 2 + 1) * rapsd->half_width;
    rapsd->input = fftwf_malloc(pixels * sizeof(float));
    rapsd->spectrum = fftwf_malloc(bins * sizeof(fftwf_complex));
    rapsd->ring_table = malloc(table * sizeof(uint16_t));
    rapsd->ring_bins = malloc((size_t)(rapsd->ring_count + 1) * sizeof(double));
    rapsd->sums = malloc((size_t)(rapsd->ring_count + 1) * sizeof(double));
    if (!rapsd->input || !rapsd->spectrum || !rapsd->ring_table || !rapsd->ring_bins ||
        !rapsd->sums) {
        st_rapsd_free(rapsd);
        return NULL;
    }
    fftwf_plan_with_nthreads(st_fftw_threads_for(width, height));
    /* FFTW_ESTIMATE leaves the arrays alone and plans in microseconds;
     * out-of-place r2c preserves its input, which run relies on. */
    rapsd->plan = fftwf_plan_dft_r2c_2d(height, width, rapsd->input, rapsd->spectrum,
                                        FFTW_ESTIMATE | FFTW_PRESERVE_INPUT);
    if (!rapsd->plan) {
        st_rapsd_free(rapsd);
        return NULL;
    }
    build_ring_tables(rapsd);
    return rapsd;
}

int st_rapsd_ring_count(const st_rapsd *rapsd)
{
    return rapsd->ring_count;
}

double st_rapsd_frequency(const st_rapsd *rapsd, int ring)
{
    return (double)ring / rapsd->longest_side;
}

void st_rapsd_frequencies(const st_rapsd *rapsd, double *freq)
{
    for (int r = 0; r < rapsd->ring_count; r++)
        freq[r] = st_rapsd_frequency(rapsd, r);
}

/* Adds the power of one spectrum row to the ring sums. */
static void accumulate_row(const fftwf_complex *bins, const uint16_t *rings, int half_width,
                           int width, double *sums)
{
    int last_mirrored = width % 2 == 0 ? half_width - 2 : half_width - 1;
    sums[rings[0]] += (double)(bins[0][0] * bins[0][0] + bins[0][1] * bins[0][1]);
    for (int kx = 1; kx <= last_mirrored; kx++) {
        float power = bins[kx][0] * bins[kx][0] + bins[kx][1] * bins[kx][1];
        sums[rings[kx]] += 2.0 * power;
    }
    if (width % 2 == 0 && half_width > 1) {
        int nyquist = half_width - 1;
        sums[rings[nyquist]] +=
            (double)(bins[nyquist][0] * bins[nyquist][0] + bins[nyquist][1] * bins[nyquist][1]);
    }
}

void st_rapsd_run(st_rapsd *rapsd, const float *image, double *power)
{
    /* Transform the caller's array directly when its SIMD alignment matches
     * the plan's (the usual case); otherwise copy it into the planned buffer. */
    if (fftwf_alignment_of((float *)image) == fftwf_alignment_of(rapsd->input)) {
        fftwf_execute_dft_r2c(rapsd->plan, (float *)image, rapsd->spectrum);
    } else {
        memcpy(rapsd->input, image, (size_t)rapsd->width * rapsd->height * sizeof(float));
        fftwf_execute(rapsd->plan);
    }
    memset(rapsd->sums, 0, (size_t)(rapsd->ring_count + 1) * sizeof(double));
    for (int ky = 0; ky < rapsd->height; ky++) {
        int y = ky < rapsd->height - ky ? ky : rapsd->height - ky;
        accumulate_row(rapsd->spectrum + (size_t)ky * rapsd->half_width,
                       rapsd->ring_table + (size_t)y * rapsd->half_width, rapsd->half_width,
                       rapsd->width, rapsd->sums);
    }
    double pixels = (double)rapsd->width * rapsd->height;
    for (int r = 0; r < rapsd->ring_count; r++)
        power[r] = rapsd->sums[r] / (rapsd->ring_bins[r] * pixels);
}

void st_rapsd_free(st_rapsd *rapsd)
{
    if (!rapsd)
        return;
    if (rapsd->plan)
        fftwf_destroy_plan(rapsd->plan);
    fftwf_free(rapsd->input);
    fftwf_free(rapsd->spectrum);
    free(rapsd->ring_table);
    free(rapsd->ring_bins);
    free(rapsd->sums);
    free(rapsd);
}
