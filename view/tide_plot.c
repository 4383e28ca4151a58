/* The tide plots (see spectide_view.h): what `spectide tide` and the GIMP
 * dialog draw of an image's spectrum under a tide level.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char frequency_title[] = "frequency (cycles/pixel)";

void sv_tide_plot_measured(sv_plot *plot, const sv_tide_spectrum *tide, const double *noisy_power,
                           const double *lowpass_power)
{
    if (!plot || !tide || !tide->level)
        return;
    double floor = tide->level->noise_floor;
    sv_plot_clear(plot);
    sv_plot_set_title(plot, tide->title);
    sv_plot_set_x_axis(plot, frequency_title, SV_AXIS_LOG, 0, 0, 0);
    /* The ideal cut leaves ~1e-14 above f_max: keep the axis on the image's range. */
    double low = INFINITY, high = 0.0;
    for (int i = 1; i < tide->rings; i++) {
        low = fmin(low, tide->power[i]);
        high = fmax(high, tide->power[i]);
    }
    sv_plot_set_y_axis(plot, "power", SV_AXIS_LOG, fmin(low, floor) / 100.0,
                       fmax(high, floor) * 10.0);
    sv_plot_set_legend(plot, SV_LEGEND_BOTTOM_LEFT);
    sv_plot_add_curve(plot, tide->freq, tide->power, tide->rings, "image RAPSD", SV_COLOR_SIGNAL,
                      SV_LINE_SOLID);
    if (tide->fit) {
        char label[64];
        sv_powerlaw_label(tide->fit, label, sizeof label);
        sv_plot_add_powerlaw(plot, tide->fit, NULL, 0, label, SV_COLOR_FIT);
    }
    if (noisy_power)
        sv_plot_add_curve(plot, tide->freq, noisy_power, tide->rings, "noisy x_t/a (hinge)",
                          SV_COLOR_NOISY, SV_LINE_SOLID);
    if (lowpass_power)
        sv_plot_add_curve(plot, tide->freq, lowpass_power, tide->rings, "low-passed at f_max",
                          SV_COLOR_LOWPASS, SV_LINE_SOLID);
    sv_plot_add_hline(plot, floor, "noise tau s^2/a^2", SV_COLOR_NOISE, SV_LINE_DASHED);
    if (tide->fmax > 0.0) {
        char label[64];
        snprintf(label, sizeof label, "f_max = %.4f", tide->fmax);
        sv_plot_add_vline(plot, tide->fmax, label, SV_COLOR_FMAX, SV_LINE_DASHED);
    }
}

/* The expected hinge and the water, where the level has a floor to draw. */
static void add_expected_tide(sv_plot *plot, const sv_tide_spectrum *tide, int signal,
                              const char *level_text)
{
    double floor = tide->level->noise_floor;
    if (!(isfinite(floor) && floor > 0.0))
        return;
    /* What x_t / a shows on average: the clean spectrum plus the flat noise
     * s^2/a^2, a hinge where the two cross. */
    double *noisy = malloc(sizeof(double) * (size_t)(tide->rings > 0 ? tide->rings : 1));
    if (noisy) {
        for (int i = 0; i < tide->rings; i++)
            noisy[i] = tide->power[i] + tide->level->noise_power;
        char label[128];
        snprintf(label, sizeof label, "noisy x_t/a %s", level_text ? level_text : "");
        sv_plot_add_curve(plot, tide->freq, noisy, tide->rings, label, SV_COLOR_NOISY,
                          SV_LINE_SOLID);
        free(noisy);
    }
    sv_plot_add_hline(plot, floor, "noise floor tau*s\xc2\xb2/a\xc2\xb2", SV_COLOR_NOISE,
                      SV_LINE_DASHED);
    sv_plot_shade_below(plot, signal, floor);
}

void sv_tide_plot_expected(sv_plot *plot, const sv_tide_spectrum *tide, const char *level_text)
{
    if (!plot || !tide || !tide->level)
        return;
    sv_plot_clear(plot);
    sv_plot_set_title(plot, tide->title);
    sv_plot_set_x_axis(plot, frequency_title, SV_AXIS_LOG, 0.0, 0.0, 0);
    sv_plot_set_y_axis(plot, "power", SV_AXIS_LOG, 0.0, 0.0);
    /* DC (f = 0) is a gap on the log axis by the view's own rule. */
    int signal = sv_plot_add_curve(plot, tide->freq, tide->power, tide->rings, "image RAPSD",
                                   SV_COLOR_SIGNAL, SV_LINE_SOLID);
    char text[256];
    if (tide->fit) {
        snprintf(text, sizeof text, "fit alpha=%.2f R\xc2\xb2=%.3f", tide->fit->alpha,
                 tide->fit->r_squared);
        sv_plot_add_powerlaw(plot, tide->fit, tide->freq, tide->rings, text, SV_COLOR_FIT);
    }
    add_expected_tide(plot, tide, signal, level_text);
    if (tide->fmax > 0.0) {
        snprintf(text, sizeof text, "f_max=%.4g", tide->fmax);
        sv_plot_add_vline(plot, tide->fmax, text, SV_COLOR_FMAX, SV_LINE_DASHED);
    }
    if (tide->fit)
        snprintf(text, sizeof text, "alpha = %.3f\nR\xc2\xb2 = %.4f\nf_max = %.4g c/px",
                 tide->fit->alpha, tide->fit->r_squared, tide->fmax);
    else
        snprintf(text, sizeof text, "too few rings to fit\nf_max = %.4g c/px", tide->fmax);
    sv_plot_set_note(plot, text);
}
