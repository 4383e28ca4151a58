/* Averaging spectra over time in linear power (Welch).
 *
 * Linear, not log: the mean of periodograms is an unbiased estimate of the
 * power spectrum, so a white-noise line sits exactly at sigma^2 (a log-mean
 * of exponentially distributed periodogram bins reads 2.5 dB low). Averaging
 * across different files is done in the log domain by st_logavg instead.
 *
 * Exponential mode starts as a plain mean and switches to the constant
 * weight once that many frames arrived: y += max(a, 1/n) (x - y). This
 * avoids the ramp from zero of a plain one-pole filter and the bias of
 * seeding it with the first (noisy) frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "constructor.h"
#include "spectide_audio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct st_average {
    int bins;
    double weight; /* 0: plain mean; else the one-pole weight per frame */
    long frames;
    double *power;
};

st_average *st_average_new(int bins, double time_constant_s, double frame_rate, st_status *error)
{
    if (bins < 1)
        return st_failed(error, ST_ERROR_ARGUMENT);
    st_average *avg = calloc(1, sizeof *avg);
    if (!avg)
        return st_failed(error, ST_ERROR_MEMORY);
    avg->bins = bins;
    avg->power = calloc((size_t)bins, sizeof(double));
    if (!avg->power) {
        free(avg);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    st_average_set_time_constant(avg, time_constant_s, frame_rate);
    return st_made(error, avg);
}

void st_average_set_time_constant(st_average *avg, double time_constant_s, double frame_rate)
{
    /* The weight that makes a step response reach 1 - 1/e after
     * time_constant_s seconds of frames. */
    if (time_constant_s > 0.0 && frame_rate > 0.0 && isfinite(time_constant_s) &&
        isfinite(frame_rate))
        avg->weight = 1.0 - exp(-1.0 / (time_constant_s * frame_rate));
    else
        avg->weight = 0.0;
}

void st_average_add(st_average *avg, const float *power)
{
    avg->frames++;
    double weight = 1.0 / (double)avg->frames;
    if (avg->weight > weight)
        weight = avg->weight;
    for (int k = 0; k < avg->bins; k++) {
        double x = power[k];
        if (!isfinite(x))
            x = avg->power[k]; /* a bad bin keeps the running value */
        avg->power[k] += weight * (x - avg->power[k]);
    }
}

const double *st_average_power(const st_average *avg)
{
    return avg->power;
}

long st_average_frames(const st_average *avg)
{
    return avg->frames;
}

void st_average_reset(st_average *avg)
{
    avg->frames = 0;
    memset(avg->power, 0, sizeof(double) * (size_t)avg->bins);
}

void st_average_free(st_average *avg)
{
    if (!avg)
        return;
    free(avg->power);
    free(avg);
}
