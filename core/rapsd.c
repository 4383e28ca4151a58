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
#include "constructor.h"
#include "planner.h"
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
    /* Ring geometry as runs. In a row of the half spectrum the ring
     * round(hypot(kx, |yc|)) never decreases with kx and grows by at most 1
     * per column, so a row is a sequence of runs, one per ring, starting at
     * ring row_first_ring[y]. run_end[row_offset[y] + j] is the column after
     * run j; columns after the last run lie beyond the last ring (corners)
     * and are skipped. Rows depend on |yc| only: H/2+1 rows cover all. The
     * run pass sums each run in registers, with no table read per bin. */
    int *row_first_ring;
    int *row_runs;
    size_t *row_offset;
    uint32_t *run_end;
    double *ring_bins; /* full-spectrum bins per ring, for the mean */
    double *sums;      /* per ring: power of the stored bins, weight 1 */
    double *edges;     /* per ring: power of the self-conjugate columns */
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

/* Columns that are their own conjugate partner (DC and, for even W, the
 * Nyquist column) count once; every other stored column stands for itself
 * and its mirror, which lies in the same ring (the conjugate of centred
 * (xc, yc) is (-xc, -yc), with -W/2 wrapping to itself). */
static int last_column_counted_once(int width)
{
    return width % 2 == 0 && width > 1 ? width / 2 : -1;
}

static int build_ring_runs(st_rapsd *rapsd)
{
    int rows = rapsd->height / 2 + 1;
    rapsd->row_first_ring = malloc((size_t)rows * sizeof(int));
    rapsd->row_runs = malloc((size_t)rows * sizeof(int));
    rapsd->row_offset = malloc((size_t)rows * sizeof(size_t));
    if (!rapsd->row_first_ring || !rapsd->row_runs || !rapsd->row_offset)
        return -1;
    size_t total = 0;
    for (int y = 0; y < rows; y++) {
        int first = st_ring_of(0, y);
        int last = st_ring_of(rapsd->half_width - 1, y);
        if (last > rapsd->ring_count - 1)
            last = rapsd->ring_count - 1;
        rapsd->row_first_ring[y] = first;
        rapsd->row_runs[y] = last >= first ? last - first + 1 : 0;
        rapsd->row_offset[y] = total;
        total += (size_t)rapsd->row_runs[y];
    }
    rapsd->run_end = malloc((total ? total : 1) * sizeof(uint32_t));
    if (!rapsd->run_end)
        return -1;
    /* A run of ring R ends at the first kx beyond it: ring(kx, y) <= R
     * exactly when 4 (kx^2 + y^2) < (2R + 1)^2, that is kx^2 + y^2 <= R^2 + R
     * in integers (st_ring_of's rule, without a square root per bin). */
    for (int y = 0; y < rows; y++) {
        uint32_t *ends = rapsd->run_end + rapsd->row_offset[y];
        long long kx = 0;
        for (int j = 0; j < rapsd->row_runs[y]; j++) {
            long long ring = rapsd->row_first_ring[y] + j;
            long long limit = ring * ring + ring - (long long)y * y;
            while (kx < rapsd->half_width && kx * kx <= limit)
                kx++;
            ends[j] = (uint32_t)kx;
        }
    }
    /* Bins per ring, counted through the same runs and weights as run. */
    int once = last_column_counted_once(rapsd->width);
    for (int r = 0; r < rapsd->ring_count; r++)
        rapsd->ring_bins[r] = 0.0;
    for (int ky = 0; ky < rapsd->height; ky++) {
        int y = ky < rapsd->height - ky ? ky : rapsd->height - ky;
        const uint32_t *ends = rapsd->run_end + rapsd->row_offset[y];
        int start = 0;
        for (int j = 0; j < rapsd->row_runs[y]; j++) {
            int ring = rapsd->row_first_ring[y] + j;
            rapsd->ring_bins[ring] += 2.0 * (ends[j] - start);
            if (start == 0)
                rapsd->ring_bins[ring] -= 1.0;
            if (once >= start && once < (int)ends[j])
                rapsd->ring_bins[ring] -= 1.0;
            start = (int)ends[j];
        }
    }
    return 0;
}

st_rapsd *st_rapsd_new(int width, int height, st_status *error)
{
    if (!size_is_valid(width, height))
        return st_failed(error, ST_ERROR_ARGUMENT);
    st_rapsd *rapsd = calloc(1, sizeof *rapsd);
    if (!rapsd)
        return st_failed(error, ST_ERROR_MEMORY);
    rapsd->width = width;
    rapsd->height = height;
    rapsd->longest_side = width > height ? width : height;
    rapsd->ring_count = st_ring_count_for_size(width, height);
    rapsd->half_width = width / 2 + 1;
    size_t pixels = (size_t)width * height;
    size_t bins = (size_t)height * rapsd->half_width;
    size_t rings = (size_t)rapsd->ring_count;
    rapsd->input = fftwf_malloc(pixels * sizeof(float));
    rapsd->spectrum = fftwf_malloc(bins * sizeof(fftwf_complex));
    rapsd->ring_bins = malloc(rings * sizeof(double));
    rapsd->sums = malloc(rings * sizeof(double));
    rapsd->edges = malloc(rings * sizeof(double));
    if (!rapsd->input || !rapsd->spectrum || !rapsd->ring_bins || !rapsd->sums || !rapsd->edges ||
        build_ring_runs(rapsd) != 0) {
        st_rapsd_free(rapsd);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    /* FFTW_ESTIMATE leaves the arrays alone and plans in microseconds;
     * out-of-place r2c preserves its input, which run relies on. */
    st_planner_enter(st_planner_threads_for(width, height));
    rapsd->plan = fftwf_plan_dft_r2c_2d(height, width, rapsd->input, rapsd->spectrum,
                                        FFTW_ESTIMATE | FFTW_PRESERVE_INPUT);
    st_planner_leave();
    if (!rapsd->plan) {
        st_rapsd_free(rapsd);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    return st_made(error, rapsd);
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

static float bin_power(const fftwf_complex bin)
{
    return bin[0] * bin[0] + bin[1] * bin[1];
}

/* Sum of |X|^2 over columns [start, end) of one row, two independent
 * accumulators so that the additions overlap. */
static double run_power(const fftwf_complex *bins, int start, int end)
{
    double even = 0.0, odd = 0.0;
    int kx = start;
    for (; kx + 1 < end; kx += 2) {
        even += bin_power(bins[kx]);
        odd += bin_power(bins[kx + 1]);
    }
    if (kx < end)
        even += bin_power(bins[kx]);
    return even + odd;
}

/* The same over two rows that share their ring runs (ky and H - ky). */
static double run_power_pair(const fftwf_complex *first, const fftwf_complex *second, int start,
                             int end)
{
    double one = 0.0, other = 0.0;
    for (int kx = start; kx < end; kx++) {
        one += bin_power(first[kx]);
        other += bin_power(second[kx]);
    }
    return one + other;
}

/* Adds the row(s) with |yc| = y (ky = y, and ky = H - y when that is
 * another row; `second` is then non-NULL) to the ring sums: weight 1 per
 * stored bin, and the self-conjugate columns also go to `edges`, to be
 * counted once. Walking both rows in one pass over the runs halves the
 * per-run work, which dominates where runs are short. */
static void accumulate_rows(const st_rapsd *rapsd, const fftwf_complex *first,
                            const fftwf_complex *second, int y)
{
    const uint32_t *ends = rapsd->run_end + rapsd->row_offset[y];
    double *sums = rapsd->sums + rapsd->row_first_ring[y];
    int runs = rapsd->row_runs[y];
    if (runs == 0)
        return;
    int start = 0;
    if (second) {
        for (int j = 0; j < runs; j++) {
            sums[j] += run_power_pair(first, second, start, (int)ends[j]);
            start = (int)ends[j];
        }
    } else {
        for (int j = 0; j < runs; j++) {
            sums[j] += run_power(first, start, (int)ends[j]);
            start = (int)ends[j];
        }
    }
    double *edges = rapsd->edges + rapsd->row_first_ring[y];
    edges[0] += bin_power(first[0]) + (second ? bin_power(second[0]) : 0.0f);
    /* The Nyquist column of an even width is the row's last column: in the
     * last run when it lies inside the rings at all. */
    int once = last_column_counted_once(rapsd->width);
    if (once >= 0 && once < (int)ends[runs - 1])
        edges[runs - 1] += bin_power(first[once]) + (second ? bin_power(second[once]) : 0.0f);
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
    size_t rings = (size_t)rapsd->ring_count;
    memset(rapsd->sums, 0, rings * sizeof(double));
    memset(rapsd->edges, 0, rings * sizeof(double));
    for (int y = 0; y <= rapsd->height / 2; y++) {
        int mirror = rapsd->height - y; /* the other row with |yc| = y */
        const fftwf_complex *first = rapsd->spectrum + (size_t)y * rapsd->half_width;
        const fftwf_complex *second =
            y > 0 && mirror != y ? rapsd->spectrum + (size_t)mirror * rapsd->half_width : NULL;
        accumulate_rows(rapsd, first, second, y);
    }
    double pixels = (double)rapsd->width * rapsd->height;
    for (int r = 0; r < rapsd->ring_count; r++) {
        double ring_power = 2.0 * rapsd->sums[r] - rapsd->edges[r];
        power[r] = ring_power / (rapsd->ring_bins[r] * pixels);
    }
}

void st_rapsd_free(st_rapsd *rapsd)
{
    if (!rapsd)
        return;
    if (rapsd->plan) {
        st_planner_enter(1);
        fftwf_destroy_plan(rapsd->plan);
        st_planner_leave();
    }
    fftwf_free(rapsd->input);
    fftwf_free(rapsd->spectrum);
    free(rapsd->row_first_ring);
    free(rapsd->row_runs);
    free(rapsd->row_offset);
    free(rapsd->run_end);
    free(rapsd->ring_bins);
    free(rapsd->sums);
    free(rapsd->edges);
    free(rapsd);
}
