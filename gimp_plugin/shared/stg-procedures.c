/* See stg-procedures.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "stg-procedures.h"

#include <math.h>
#include <string.h>

#define RAPSD_AT(field) offsetof(stg_rapsd_params, field)
#define NOISE_AT(field) offsetof(stg_noise_params, field)

#define CHANNEL_BLURB  "Analysis channel of RGB"
#define SCHEDULE_BLURB "Diffusion schedule"
#define SIGMA_BLURB    "Plain noise level (pixels mapped to [-1,1]); > 0 overrides schedule and t"

/* Core's lists, as the procedures offer them. */
static const char *schedule_name(int index)
{
    return st_schedule_name((st_schedule)index);
}

static const char *schedule_label(int index)
{
    return st_schedule_label((st_schedule)index);
}

static const char *channel_name(int index)
{
    return st_channel_name((st_channel)index);
}

static const char *channel_label(int index)
{
    return st_channel_label((st_channel)index);
}

static const char *view_name(int index)
{
    return st_tide_view_name((st_tide_view)index);
}

static const char *view_label(int index)
{
    return st_tide_view_label((st_tide_view)index);
}

const stg_choices stg_schedule_choices = {ST_SCHEDULE_COUNT, schedule_name, schedule_label};
const stg_choices stg_channel_choices = {ST_CHANNEL_COUNT, channel_name, channel_label};
const stg_choices stg_view_choices = {ST_TIDE_VIEW_COUNT, view_name, view_label};

/* A choice argument: its range is the list's (the maximum is read from the
 * list, see stg_argument_maximum), its slider unused. */
#define CHOICE(name, label, blurb, list, default_value, field)                                     \
    {                                                                                              \
        STG_VALUE_CHOICE, name, label, blurb, &list, 0, 0, default_value, 0, 0, 0, 0, field        \
    }

static const stg_argument rapsd_arguments[] = {
    CHOICE("channel", "C_hannel", CHANNEL_BLURB, stg_channel_choices, ST_CHANNEL_GREEN,
           RAPSD_AT(channel)),
    CHOICE("schedule", "Sche_dule", SCHEDULE_BLURB, stg_schedule_choices,
           ST_SCHEDULE_RECTIFIED_FLOW, RAPSD_AT(tide.schedule)),
    {STG_VALUE_DOUBLE, "t", "_t", "Diffusion time in [0, 1]", NULL, 0.0, 1.0, 0.5, 0.0, 1.0, 0.01,
     3, RAPSD_AT(tide.t)},
    {STG_VALUE_DOUBLE, "sigma", "Si_gma", SIGMA_BLURB, NULL, 0.0, 1000.0, 0.0, 0.0, 4.0, 0.01, 3,
     RAPSD_AT(tide.sigma)},
    {STG_VALUE_DOUBLE, "tau", "T_au",
     "SNR threshold for f_max (1 = noise power equals signal power)", NULL, 1e-6, 1e6, 1.0, 0.01,
     100.0, 0.1, 2, RAPSD_AT(tide.tau)},
    {STG_VALUE_STRING, "csv-filename", "CSV file",
     "Write freq,power CSV (one row per ring) to this file; empty: no CSV", NULL, 0, 0, 0, 0, 0, 0,
     0, RAPSD_AT(csv_filename)},
    {STG_VALUE_BOOLEAN, "plot-as-image", "Plot as new image",
     "Also render the plot as a new image (TRUE, FALSE)", NULL, 0, 1, 0, 0, 1, 1, 0,
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
    CHOICE("schedule", "Sche_dule", SCHEDULE_BLURB, stg_schedule_choices,
           ST_SCHEDULE_RECTIFIED_FLOW, NOISE_AT(tide.schedule)),
    {STG_VALUE_DOUBLE, "t", "_t", "Diffusion time in [0, 1] (a(t) must be > 0)", NULL, 0.0, 1.0,
     0.3, 0.0, 0.99, 0.01, 3, NOISE_AT(tide.t)},
    {STG_VALUE_DOUBLE, "sigma", "Si_gma", SIGMA_BLURB, NULL, 0.0, 1000.0, 0.0, 0.0, 4.0, 0.01, 3,
     NOISE_AT(tide.sigma)},
    {STG_VALUE_DOUBLE, "tau", "T_au", "SNR threshold for f_max", NULL, 1e-6, 1e6, 1.0, 0.01, 100.0,
     0.1, 2, NOISE_AT(tide.tau)},
    {STG_VALUE_INT, "seed", "S_eed", "Noise seed (channel c uses its own index range)", NULL, 0,
     G_MAXINT, 1, 0, 9999, 1, 0, NOISE_AT(seed)},
    CHOICE("view-mode", "_View",
           "What the preview (and in GIMP 3 a non-destructive filter) shows; the new layers are "
           "always noisy, low-pass and Wiener",
           stg_view_choices, ST_TIDE_VIEW_SPLIT, NOISE_AT(view)),
    CHOICE("channel", "C_hannel", "Analysis channel for the spectrum and f_max",
           stg_channel_choices, ST_CHANNEL_GREEN, NOISE_AT(channel)),
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
        case STG_VALUE_CHOICE:
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
        case STG_VALUE_CHOICE:
            number = *(const gint *)value;
            break;
        case STG_VALUE_DOUBLE:
            number = *(const gdouble *)value;
            break;
        default:
            continue;
        }
        double maximum = stg_argument_maximum(argument);
        if (!(number >= argument->minimum && number <= maximum)) {
            gchar *blurb = stg_argument_blurb(argument);
            g_set_error(error, STG_ERROR, 1, "%s: %s = %g is outside [%g, %g] (%s)",
                        procedure->name, argument->name, number, argument->minimum, maximum, blurb);
            g_free(blurb);
            return FALSE;
        }
    }
    return TRUE;
}

const stg_argument *stg_argument_named(const stg_procedure *procedure, const char *name)
{
    for (int i = 0; i < procedure->argument_count; i++)
        if (strcmp(procedure->arguments[i].name, name) == 0)
            return &procedure->arguments[i];
    return NULL;
}

double stg_argument_maximum(const stg_argument *argument)
{
    return argument->choices ? argument->choices->count - 1 : argument->maximum;
}

gchar *stg_argument_blurb(const stg_argument *argument)
{
    const stg_choices *choices = argument->choices;
    if (!choices)
        return g_strdup(argument->blurb);
    GString *text = g_string_new(argument->blurb);
    for (int i = 0; i < choices->count; i++)
        g_string_append_printf(text, "%s%s (%d)", i == 0 ? ": " : ", ", choices->name(i), i);
    return g_string_free(text, FALSE);
}
