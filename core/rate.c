/* One spectrum scale at every rate (spectide_audio.h): the factor from the
 * analysis rate's per-bin power to the signal's, and the band in which the
 * analysis represents the signal.
 *
 * Why signal_rate / analysis_rate. For a stationary sequence at rate r with
 * two-sided power spectral density S(f) (power per Hz), the normalised
 * periodogram of st_stft reads E P(f) = r S(f) (white noise: S = v / r, so
 * P = v). An ideal resampler keeps S(f) where both rates have it. So the
 * analysis reads r_a S(f) where the signal's own samples read r_s S(f): the
 * factor is r_s / r_a, for down- and upsampling alike.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_audio.h"

#include <math.h>

double st_rate_power_scale(double signal_rate, double analysis_rate)
{
    return signal_rate / analysis_rate;
}

double st_rate_band_hz(double signal_rate, double analysis_rate, double flat_fraction)
{
    if (signal_rate == analysis_rate)
        return analysis_rate / 2.0;
    if (!(flat_fraction > 0.0) || flat_fraction > 1.0)
        flat_fraction = 1.0;
    return flat_fraction * fmin(signal_rate, analysis_rate) / 2.0;
}

int st_rate_band_bins(double signal_rate, double analysis_rate, double flat_fraction, int n_fft)
{
    int bins = n_fft / 2 + 1;
    if (!(signal_rate > 0.0) || !(analysis_rate > 0.0) || n_fft < 1)
        return bins > 0 ? bins : 1;
    /* k * analysis_rate / n_fft <= band, with a margin for the rounding of
     * the Nyquist bin itself. */
    double top = st_rate_band_hz(signal_rate, analysis_rate, flat_fraction) * n_fft / analysis_rate;
    int count = (int)floor(top + 1e-9) + 1;
    return count < 1 ? 1 : count > bins ? bins : count;
}
