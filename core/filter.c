/* Fourier-domain radial filters at the x0 scale.
 *
 * The gain of a bin depends only on its ring frequency ring / L, the same
 * rings the RAPSD averages over, so "the power above f_max" that a RAPSD of
 * the output measures is exactly what the filter removed. The gain is the
 * same for a bin and its conjugate partner (same ring), so the filtered half
 * spectrum stays Hermitian and the c2r inverse is exact.
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

struct st_filter {
    int width, height;
    int longest_side;
    int ring_count; /* rings of the RAPSD; bins beyond (corners) have larger rings */
    int max_ring;   /* largest ring of any bin */
    int half_width;
    float *image;            /* planned real buffer (input of forward, output of inverse) */
    fftwf_complex *spectrum; /* cached spectrum of the loaded image */
    fftwf_complex *work;     /* scaled copy; the c2r inverse destroys its input */
    fftwf_plan forward, inverse;
    int *ring_table;   /* (height/2+1) x half_width ring of each bin, by |yc| */
    double *ring_gain; /* max_ring + 1 gains of the current apply */
};

static int size_is_valid(int width, int height)
{
    return width >= 1 && height >= 1 && width <= ST_MAX_IMAGE_SIDE && height <= ST_MAX_IMAGE_SIDE &&
           (unsigned long long)width * (unsigned long long)height <= ST_MAX_IMAGE_PIXELS;
}

st_filter *st_filter_new(int width, int height, st_status *error)
{
    if (!size_is_valid(width, height))
        return st_failed(error, ST_ERROR_ARGUMENT);
    st_filter *filter = calloc(1, sizeof *filter);
    if (!filter)
        return st_failed(error, ST_ERROR_MEMORY);
    filter->width = width;
    filter->height = height;
    filter->longest_side = width > height ? width : height;
    filter->ring_count = st_ring_count_for_size(width, height);
    filter->half_width = width / 2 + 1;
    filter->max_ring = st_ring_of(width / 2, height / 2);
    size_t bins = (size_t)height * filter->half_width;
    size_t rows = (size_t)(height / 2 + 1);
    filter->image = fftwf_malloc((size_t)width * height * sizeof(float));
    filter->spectrum = fftwf_malloc(bins * sizeof(fftwf_complex));
    filter->work = fftwf_malloc(bins * sizeof(fftwf_complex));
    filter->ring_table = malloc(rows * filter->half_width * sizeof(int));
    filter->ring_gain = malloc((size_t)(filter->max_ring + 1) * sizeof(double));
    if (!filter->image || !filter->spectrum || !filter->work || !filter->ring_table ||
        !filter->ring_gain) {
        st_filter_free(filter);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    st_planner_enter(st_planner_threads_for(width, height));
    filter->forward = fftwf_plan_dft_r2c_2d(height, width, filter->image, filter->spectrum,
                                            FFTW_ESTIMATE | FFTW_PRESERVE_INPUT);
    filter->inverse =
        fftwf_plan_dft_c2r_2d(height, width, filter->work, filter->image, FFTW_ESTIMATE);
    st_planner_leave();
    if (!filter->forward || !filter->inverse) {
        st_filter_free(filter);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    for (size_t y = 0; y < rows; y++)
        for (int kx = 0; kx < filter->half_width; kx++)
            filter->ring_table[y * filter->half_width + kx] = st_ring_of(kx, (int)y);
    memset(filter->spectrum, 0, bins * sizeof(fftwf_complex));
    return st_made(error, filter);
}

void st_filter_load(st_filter *filter, const float *image)
{
    memcpy(filter->image, image, (size_t)filter->width * filter->height * sizeof(float));
    fftwf_execute(filter->forward);
}

/* work = gain(ring) * spectrum / (W H), then the inverse into out. */
static void apply_ring_gains(st_filter *filter, float *out)
{
    double normalisation = 1.0 / ((double)filter->width * filter->height);
    for (int ky = 0; ky < filter->height; ky++) {
        int y = ky < filter->height - ky ? ky : filter->height - ky;
        const int *rings = filter->ring_table + (size_t)y * filter->half_width;
        const fftwf_complex *in = filter->spectrum + (size_t)ky * filter->half_width;
        fftwf_complex *work = filter->work + (size_t)ky * filter->half_width;
        for (int kx = 0; kx < filter->half_width; kx++) {
            float gain = (float)(filter->ring_gain[rings[kx]] * normalisation);
            work[kx][0] = in[kx][0] * gain;
            work[kx][1] = in[kx][1] * gain;
        }
    }
    fftwf_execute(filter->inverse);
    memcpy(out, filter->image, (size_t)filter->width * filter->height * sizeof(float));
}

void st_filter_apply(st_filter *filter, st_radial_gain gain, void *user_data, float *out)
{
    for (int r = 0; r <= filter->max_ring; r++)
        filter->ring_gain[r] = gain((double)r / filter->longest_side, user_data);
    apply_ring_gains(filter, out);
}

static double ideal_gain(double freq, void *user_data)
{
    return freq <= *(const double *)user_data ? 1.0 : 0.0;
}

void st_filter_ideal_lowpass(st_filter *filter, double f_cut, float *out)
{
    st_filter_apply(filter, ideal_gain, &f_cut, out);
}

static double gaussian_gain(double freq, void *user_data)
{
    double f_sigma = *(const double *)user_data;
    if (!(f_sigma > 0.0))
        return freq == 0.0 ? 1.0 : 0.0;
    return exp(-freq * freq / (2.0 * f_sigma * f_sigma));
}

void st_filter_gaussian_lowpass(st_filter *filter, double f_sigma, float *out)
{
    st_filter_apply(filter, gaussian_gain, &f_sigma, out);
}

double st_wiener_gain(double signal_power, double a, double s)
{
    double signal = a * a * signal_power, noise = s * s;
    if (noise == 0.0)
        return 1.0; /* nothing to remove */
    if (isinf(signal))
        return 1.0;
    if (!(signal > 0.0))
        return 0.0;
    return signal / (signal + noise);
}

void st_filter_wiener(st_filter *filter, const double *ring_power, const st_powerlaw *fit, double a,
                      double s, float *out)
{
    for (int r = 0; r <= filter->max_ring; r++) {
        double power;
        if (ring_power) {
            /* Corner bins beyond the last ring take the last ring's power. */
            power = ring_power[r < filter->ring_count ? r : filter->ring_count - 1];
        } else if (fit) {
            power = r == 0 ? INFINITY : st_powerlaw_power(fit, (double)r / filter->longest_side);
        } else {
            power = INFINITY;
        }
        filter->ring_gain[r] = st_wiener_gain(power, a, s);
    }
    apply_ring_gains(filter, out);
}

void st_filter_free(st_filter *filter)
{
    if (!filter)
        return;
    st_planner_enter(1);
    if (filter->forward)
        fftwf_destroy_plan(filter->forward);
    if (filter->inverse)
        fftwf_destroy_plan(filter->inverse);
    st_planner_leave();
    fftwf_free(filter->image);
    fftwf_free(filter->spectrum);
    fftwf_free(filter->work);
    free(filter->ring_table);
    free(filter->ring_gain);
    free(filter);
}
