/* See stg-procedures.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "stg-procedures.h"

#include <math.h>
#include <string.h>

#define RAPSD_AT(field) offsetof(stg_rapsd_params, field)
#define NOISE_AT(field) offsetof(stg_noise_params, field)

#define CHANNEL_BLURB "Analysis channel of RGB: green (0), luma (1), red (2), blue (3)"
#define SCHEDULE_BLURB                                                                             \
    "Diffusion schedule: rectified-flow (0), sd3 (1), cosine (2), ddpm (3), scaled-linear "        \
    "(4), edm (5)"
#define SIGMA_BLURB "Plain noise level (pixels mapped to [-1,1]); > 0 overrides schedule and t"

static const stg_argument rapsd_arguments[] = {
    {STG_VALUE_INT, "channel", "C_hannel", CHANNEL_BLURB, 0, 3, 0, 0, 3, 1, 0, RAPSD_AT(channel)},
    {STG_VALUE_INT, "schedule", "Sche_dule", SCHEDULE_BLURB, 0, ST_SCHEDULE_COUNT - 1, 0, 0,
     ST_SCHEDULE_COUNT - 1, 1, 0, RAPSD_AT(tide.schedule)},
    {STG_VALUE_DOUBLE, "t", "_t", "Diffusion time in [0, 1]", 0.0, 1.0, 0.5, 0.0, 1.0, 0.01, 3,
     RAPSD_AT(tide.t)},
    {STG_VALUE_DOUBLE, "sigma", "Si_gma", SIGMA_BLURB, 0.0, 1000.0, 0.0, 0.0, 4.0, 0.01, 3,
     RAPSD_AT(tide.sigma)},
    {STG_VALUE_DOUBLE, "tau", "T_au",
     "SNR threshold for f_max (1 = noise power equals signal power)", 1e-6, 1e6, 1.0, 0.01, 100.0,
     0.1, 2, RAPSD_AT(tide.tau)},
    {STG_VALUE_STRING, "csv-filename", "CSV file",
     "Write freq,power CSV (one row per ring) to this file; empty: no CSV", 0, 0, 0, 0, 0, 0, 0,
     RAPSD_AT(csv_filename)},
    {STG_VALUE_BOOLEAN, "plot-as-image", "Plot as new image",
     "Also render the plot as a new image (TRUE, FALSE)", 0, 1, 0, 0, 1, 1, 0,
     RAPSD_AT(plot_as_image)},
};

static const stg_return_value rapsd_return_values[] = {
    {STG_RETURN_DOUBLE, "alpha", "Alpha", "Spectral exponent of the power-law fit (P ~ f^-alpha)"},
    {STG_RETURN_DOUBLE, "c", "C", "Intercept of the fit: log10 P at f = 1 cycle/pixel"},
    {STG_RETURN_DOUBLE, "r2", "R2", "R^2 of the fit in log-log"},
    {STG_RETURN_DOUBLE, "fmax", "f_max", "Highest frequency (cycles/pixel) above tau*s^2/a^2"},
    {STG_RETURN_IMAGE, "plot-image", "Plot image",
     "The plot image, or none (-1 in GIMP 2.10) if none was made"},
};

const stg_procedure stg_rapsd_procedure = {
    .name = STG_RAPSD_PROC,
    .blurb = "Radially averaged power spectrum, power-law fit and noise tide",
    .help = "Plots the RAPSD of the drawable (or of the selection's bounding box) on log-log "
            "axes with its power-law fit (alpha, R^2), and the tide of a diffusion schedule at "
            "time t (or a plain sigma): the noise floor tau*s^2/a^2, the expected spectrum of "
            "the noisy image x_t/a and f_max, the highest frequency still above the noise. "
            "Pixels are mapped to [-1,1] as diffusion models see them.",
    .menu_label = "Radial _Power Spectrum...",
    .menu_path = "<Image>/Colors/Info",
    .dialog_title = "Radial Power Spectrum",
    .arguments = rapsd_arguments,
    .argument_count = G_N_ELEMENTS(rapsd_arguments),
    .return_values = rapsd_return_values,
    .return_count = G_N_ELEMENTS(rapsd_return_values),
};

static const stg_argument noise_arguments[] = {
    {STG_VALUE_INT, "schedule", "Sche_dule", SCHEDULE_BLURB, 0, ST_SCHEDULE_COUNT - 1, 0, 0,
     ST_SCHEDULE_COUNT - 1, 1, 0, NOISE_AT(tide.schedule)},
    {STG_VALUE_DOUBLE, "t", "_t", "Diffusion time in [0, 1] (a(t) must be > 0)", 0.0, 1.0, 0.3, 0.0,
     0.99, 0.01, 3, NOISE_AT(tide.t)},
    {STG_VALUE_DOUBLE, "sigma", "Si_gma", SIGMA_BLURB, 0.0, 1000.0, 0.0, 0.0, 4.0, 0.01, 3,
     NOISE_AT(tide.sigma)},
    {STG_VALUE_DOUBLE, "tau", "T_au", "SNR threshold for f_max", 1e-6, 1e6, 1.0, 0.01, 100.0, 0.1,
     2, NOISE_AT(tide.tau)},
    {STG_VALUE_INT, "seed", "S_eed", "Noise seed (channel c uses its own index range)", 0, G_MAXINT,
     1, 0, 9999, 1, 0, NOISE_AT(seed)},
    {STG_VALUE_INT, "view-mode", "_View",
     "What the preview (and in GIMP 3 a non-destructive filter) shows: noisy (0), low-pass (1), "
     "Wiener (2), split (3); the new layers are always all three",
     0, STG_VIEW_COUNT - 1, STG_VIEW_SPLIT, 0, STG_VIEW_COUNT - 1, 1, 0, NOISE_AT(view)},
    {STG_VALUE_INT, "channel", "C_hannel",
     "Analysis channel for the spectrum and f_max: green (0), luma (1), red (2), blue (3)", 0, 3, 0,
     0, 3, 1, 0, NOISE_AT(channel)},
};

static const stg_return_value noise_return_values[] = {
    {STG_RETURN_DOUBLE, "fmax", "f_max", "The low-pass cut-off f_max (cycles/pixel)"},
    {STG_RETURN_LAYER, "layer-group", "Layer group",
     "The new layer group (none when GIMP 3 added a filter instead)"},
};

const stg_procedure stg_noise_procedure = {
    .name = STG_NOISE_PROC,
    .blurb = "Diffusion noise compared with the low-pass filter it amounts to",
    .help = "Adds a layer group with three layers: the noisy image x_t/a = x0 + (s/a) eps of a "
            "diffusion schedule at time t (or a plain sigma), the ideal radial low-pass of the "
            "clean image at f_max (the highest frequency whose power stays above tau*s^2/a^2) "
            "and the Wiener estimate of the clean image from the noisy one. Colour channels are "
            "cut at the analysis channel's f_max; each channel's Wiener filter uses its own "
            "spectrum; alpha is kept. Integer images clamp the noisy layer to [0,1]; float "
            "images keep the full range. In GIMP 3 the dialog can instead add the GEGL "
            "operation " STG_GEGL_OPERATION " to the layer as a non-destructive filter.",
    .menu_label = "Noise as _Low-pass...",
    .menu_path = "<Image>/Filters/Noise",
    .dialog_title = "Noise as Low-pass",
    .arguments = noise_arguments,
    .argument_count = G_N_ELEMENTS(noise_arguments),
    .return_values = noise_return_values,
    .return_count = G_N_ELEMENTS(noise_return_values),
};

void stg_params_set_defaults(const stg_procedure *procedure, void *params)
{
    for (int i = 0; i < procedure->argument_count; i++) {
        const stg_argument *argument = &procedure->arguments[i];
        void *value = stg_argument_value(argument, params);
        switch (argument->type) {
        case STG_VALUE_INT:
        case STG_VALUE_BOOLEAN:
            *(gint *)value = (gint)argument->default_value;
            break;
        case STG_VALUE_DOUBLE:
            *(gdouble *)value = argument->default_value;
            break;
        case STG_VALUE_STRING:
            *(const gchar **)value = "";
            break;
        }
    }
}

gboolean stg_params_validate(const stg_procedure *procedure, const void *params, GError **error)
{
    for (int i = 0; i < procedure->argument_count; i++) {
        const stg_argument *argument = &procedure->arguments[i];
        const void *value = (const char *)params + argument->offset;
        double number;
        switch (argument->type) {
        case STG_VALUE_INT:
            number = *(const gint *)value;
            break;
        case STG_VALUE_DOUBLE:
            number = *(const gdouble *)value;
            break;
        default:
            continue;
        }
        if (!(number >= argument->minimum && number <= argument->maximum)) {
            g_set_error(error, STG_ERROR, 1, "%s: %s = %g is outside [%g, %g] (%s)",
                        procedure->name, argument->name, number, argument->minimum,
                        argument->maximum, argument->blurb);
            return FALSE;
        }
    }
    return TRUE;
}

int stg_choice_count(const char *argument)
{
    if (strcmp(argument, "channel") == 0)
        return 4;
    if (strcmp(argument, "schedule") == 0)
        return ST_SCHEDULE_COUNT;
    if (strcmp(argument, "view-mode") == 0)
        return STG_VIEW_COUNT;
    return 0;
}

const char *stg_choice_label(const char *argument, int value)
{
    if (value < 0 || value >= stg_choice_count(argument))
        return NULL;
    if (strcmp(argument, "channel") == 0)
        return st_channel_name((st_channel)value);
    if (strcmp(argument, "schedule") == 0)
        return st_schedule_name((st_schedule)value);
    return stg_view_name((stg_view)value);
}
