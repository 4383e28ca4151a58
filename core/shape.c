/* Shape of a plain (Welch-averaged) power spectrum: the slope in dB/octave,
 * a monotonicity measure, and the share above a water level.
 *
 * Spectra of real audio are far from a power law; these numbers say how far.
 * Both measures look at the spectrum on a logarithmic frequency axis, since
 * a linear axis would let the many high bins outvote the few low ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_audio.h"

#include <math.h>

#define SLOPE_POINTS_PER_OCTAVE 12
#define TINY_POWER              1e-30

/* Usable range: bin 1 (DC has no log frequency) to the last bin. */
static int clamp_range(int bins, double bin_hz, double *f_low, double *f_high)
{
    if (bins < 3 || !(bin_hz > 0.0))
        return 0;
    double top = (bins - 1) * bin_hz;
    if (!(*f_low >= bin_hz))
        *f_low = bin_hz;
    if (!(*f_high > 0.0) || *f_high > top)
        *f_high = top;
    return *f_high > *f_low;
}

static double safe_power(double p)
{
    return isfinite(p) && p > TINY_POWER ? p : TINY_POWER;
}

/* Power at frequency f by linear interpolation in log f / log P between the
 * neighbouring bins (exact for a power law). Needs f >= bin_hz. */
static double interpolate(const double *power, int bins, double bin_hz, double f)
{
    double position = f / bin_hz;
    int below = (int)floor(position);
    if (below >= bins - 1)
        return safe_power(power[bins - 1]);
    if (below < 1)
        below = 1;
    double t = (log(f) - log(below * bin_hz)) / (log((below + 1) * bin_hz) - log(below * bin_hz));
    double lp = (1.0 - t) * log(safe_power(power[below])) + t * log(safe_power(power[below + 1]));
    return exp(lp);
}

/* Mean power of the bins in [lo, hi); when fewer than two bins fall inside,
 * the interpolated power at the band's geometric centre. */
static double band_power(const double *power, int bins, double bin_hz, double lo, double hi)
{
    int first = (int)ceil(lo / bin_hz), last = (int)ceil(hi / bin_hz) - 1;
    if (first < 1)
        first = 1;
    if (last > bins - 1)
        last = bins - 1;
    if (last - first + 1 < 2)
        return interpolate(power, bins, bin_hz, sqrt(lo * hi));
    double sum = 0.0;
    for (int k = first; k <= last; k++)
        sum += safe_power(power[k]);
    return sum / (last - first + 1);
}

st_status st_spectral_slope_db_per_octave(const double *power, int bins, double bin_hz,
                                          double f_low, double f_high, double *slope)
{
    if (!power || !slope || !clamp_range(bins, bin_hz, &f_low, &f_high))
        return ST_ERROR_ARGUMENT;
    double octaves = log2(f_high / f_low);
    int points = (int)ceil(octaves * SLOPE_POINTS_PER_OCTAVE) + 1;
    if (points < 2)
        points = 2;
    /* Each point stands for a band of its own width in log f: its mean
     * power, so that the many bins of a high band are not thrown away. */
    double half_band = pow(2.0, 0.5 * octaves / (points - 1));
    double sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0;
    for (int i = 0; i < points; i++) {
        double x = octaves * i / (points - 1); /* log2(f / f_low) */
        double f = f_low * exp2(x);
        double lo = fmax(f / half_band, f_low), hi = fmin(f * half_band, f_high);
        double y = 10.0 * log10(band_power(power, bins, bin_hz, lo, hi));
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    double denominator = points * sxx - sx * sx;
    *slope = (points * sxy - sx * sy) / denominator;
    return ST_OK;
}

st_status st_monotonicity(const double *power, int bins, double bin_hz, double f_low, double f_high,
                          double *share)
{
    if (!power || !share || !clamp_range(bins, bin_hz, &f_low, &f_high))
        return ST_ERROR_ARGUMENT;
    int bands = (int)floor(3.0 * log2(f_high / f_low) + 1e-9);
    if (bands < 2)
        return ST_ERROR_ARGUMENT;
    int decreasing = 0;
    double previous = band_power(power, bins, bin_hz, f_low, f_low * exp2(1.0 / 3.0));
    for (int j = 1; j < bands; j++) {
        double lo = f_low * exp2(j / 3.0), hi = f_low * exp2((j + 1) / 3.0);
        double current = band_power(power, bins, bin_hz, lo, hi);
        /* Relative margin: equal bands that differ by rounding are not a decrease. */
        if (current < previous * (1.0 - 1e-9))
            decreasing++;
        previous = current;
    }
    *share = (double)decreasing / (bands - 1);
    return ST_OK;
}

void st_above_water(const double *power, int bins, double level, double *share_bins,
                    double *share_energy)
{
    int above = 0;
    double energy = 0.0, energy_above = 0.0;
    for (int k = 0; k < bins; k++) {
        double p = power[k];
        if (!isfinite(p) || p < 0.0)
            continue;
        energy += p;
        if (p > level) {
            above++;
            energy_above += p;
        }
    }
    if (share_bins)
        *share_bins = bins > 0 ? (double)above / bins : 0.0;
    if (share_energy)
        *share_energy = energy > 0.0 ? energy_above / energy : 0.0;
}
