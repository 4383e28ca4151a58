/* plug-in-spectide-noise-lowpass: Filters > Noise > Noise as Low-pass...
 *
 * Shows that Gaussian noise acts as a low-pass filter on a natural image:
 * side by side, the noisy image x_t/a, the ideal radial low-pass of the
 * clean image at f_max(t) and the Wiener estimate from x_t/a. Apply adds the
 * three as layers in a layer group, in one undo step.
 *
 * Convention (docs/conventions.md): x0 = 2v - 1, x_t/a = x0 + (s/a) eps, back with
 * v = (x+1)/2. Float images keep values outside [0,1]; 8/16/32-bit integer
 * images cannot hold them, so their noisy layer is clamped on write.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "spectide-gimp.h"

typedef struct {
    TideParams tide;
    gint seed;
    gint view;    /* tide_view: what the preview shows */
    gint channel; /* analysis channel for S(f) and f_max */
} NoiseParams;

static NoiseParams noise_params = {
    {ST_SCHEDULE_RECTIFIED_FLOW, 0.3, 0.0, 1.0}, 1, TIDE_VIEW_SPLIT, ST_CHANNEL_GREEN};

void noise_lowpass_query(void)
{
    static const GimpParamDef args[] = {
        {GIMP_PDB_INT32, "run-mode",
         "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1) }"},
        {GIMP_PDB_IMAGE, "image", "Input image"},
        {GIMP_PDB_DRAWABLE, "drawable", "Drawable (its selection bounds)"},
        {GIMP_PDB_INT32, "schedule",
         "Diffusion schedule: rectified-flow (0), sd3 (1), cosine (2), ddpm (3), scaled-linear "
         "(4), edm (5)"},
        {GIMP_PDB_FLOAT, "t", "Diffusion time in [0, 1] (a(t) must be > 0)"},
        {GIMP_PDB_FLOAT, "sigma",
         "Plain noise level (pixels mapped to [-1,1]); > 0 overrides "
         "schedule and t"},
        {GIMP_PDB_FLOAT, "tau", "SNR threshold for f_max"},
        {GIMP_PDB_INT32, "seed", "Noise seed (channel c uses its own index range)"},
        {GIMP_PDB_INT32, "view-mode",
         "Preview only: noisy (0), low-pass (1), Wiener (2), split (3); Apply always adds all "
         "three layers"},
        {GIMP_PDB_INT32, "channel",
         "Analysis channel for the spectrum and f_max: green (0), luma (1), red (2), blue (3)"},
    };
    static const GimpParamDef return_values[] = {
        {GIMP_PDB_FLOAT, "fmax", "The low-pass cut-off f_max (cycles/pixel)"},
        {GIMP_PDB_LAYER, "layer-group", "The new layer group"},
    };
    gimp_install_procedure(
        NOISE_PROC, "Diffusion noise compared with the low-pass filter it amounts to",
        "Adds a layer group with three layers: the noisy image x_t/a = x0 + (s/a) eps of a "
        "diffusion schedule at time t (or a plain sigma), the ideal radial low-pass of the clean "
        "image at f_max (the highest frequency whose power stays above tau*s^2/a^2) and the "
        "Wiener estimate of the clean image from the noisy one. Colour channels are filtered "
        "with the f_max of the analysis channel; alpha is kept. Integer images clamp the noisy "
        "layer to [0,1]; float images keep the full range.",
        PLUG_IN_AUTHOR, PLUG_IN_AUTHOR, PLUG_IN_YEAR, "Noise as _Low-pass...", "RGB*, GRAY*",
        GIMP_PLUGIN, G_N_ELEMENTS(args), G_N_ELEMENTS(return_values), args, return_values);
    gimp_plugin_menu_register(NOISE_PROC, "<Image>/Filters/Noise");
}

/* ------------------------------------------------------------------ */
/* Apply: the three layers                                             */
/* ------------------------------------------------------------------ */

static gboolean tide_usable(const TideParams *tide, GError **error)
{
    double a, s;
    tide_coefficients(tide, &a, &s);
    if (!(a > 0.0)) {
        g_set_error(error, spectide_error_quark(), 1,
                    "a(t) = 0 at t = %g: x_t/a is undefined; choose a smaller t", tide->t);
        return FALSE;
    }
    return TRUE;
}

typedef enum { LAYER_NOISY, LAYER_LOWPASS, LAYER_WIENER } LayerKind;

/* Computes one kind of output for every colour channel into planes[]. One
 * filter is reused channel after channel to keep memory at a few planes. */
static void compute_planes(const RegionPixels *region, const Spectrum *spectrum,
                           const NoiseParams *params, st_filter *filter, LayerKind kind,
                           double fmax, float **planes, float *scratch, int *step, int steps)
{
    double a, s;
    tide_coefficients(&params->tide, &a, &s);
    for (int c = 0; c < region->colors; c++) {
        region_color_plane(region, c, scratch);
        switch (kind) {
        case LAYER_NOISY:
            memcpy(planes[c], scratch, (size_t)region->width * region->height * sizeof(float));
            tide_add_noise(planes[c], region->width, region->height, region->x, region->y,
                           region->full_width, region->full_height, c, (uint64_t)params->seed,
                           s / a);
            break;
        case LAYER_LOWPASS:
            st_filter_load(filter, scratch);
            st_filter_ideal_lowpass(filter, fmax, planes[c]);
            break;
        case LAYER_WIENER:
            tide_add_noise(scratch, region->width, region->height, region->x, region->y,
                           region->full_width, region->full_height, c, (uint64_t)params->seed,
                           s / a);
            st_filter_load(filter, scratch);
            st_filter_wiener(filter, spectrum->power, NULL, a, s, planes[c]);
            break;
        }
        gimp_progress_update((double)++*step / steps);
    }
}

static gint32 apply_layers(gint32 image_id, const RegionPixels *region, const Spectrum *spectrum,
                           const NoiseParams *params, double *fmax_out, GError **error)
{
    size_t n = (size_t)region->width * (size_t)region->height;
    float *planes[TIDE_MAX_COLORS] = {NULL, NULL, NULL};
    float *scratch = g_try_new(float, n);
    gboolean ok = scratch != NULL;
    for (int c = 0; c < region->colors && ok; c++)
        ok = (planes[c] = g_try_new(float, n)) != NULL;
    st_filter *filter = ok ? st_filter_new(region->width, region->height, NULL) : NULL;
    if (!filter) {
        for (int c = 0; c < TIDE_MAX_COLORS; c++)
            g_free(planes[c]);
        g_free(scratch);
        g_set_error(error, spectide_error_quark(), 1, "not enough memory to filter %dx%d pixels",
                    region->width, region->height);
        return -1;
    }

    double fmax = spectrum_fmax(spectrum, &params->tide);
    char tide_text[64], name[128];
    tide_describe(&params->tide, tide_text, sizeof tide_text);

    gimp_progress_init("Noise as low-pass");
    gimp_image_undo_group_start(image_id);
    gint32 group = gimp_layer_group_new(image_id);
    g_snprintf(name, sizeof name, "spectide %s", tide_text);
    gimp_item_set_name(group, name);
    gint32 parent = 0, position = 0;
    if (gimp_item_is_layer(region->drawable_id)) {
        parent = gimp_item_get_parent(region->drawable_id);
        position = gimp_image_get_item_position(image_id, region->drawable_id);
    }
    gimp_image_insert_layer(image_id, group, MAX(parent, 0), position);

    /* Inserted at the top of the group one after the other: the noisy
     * layer ends up on top, then low-pass, then Wiener. */
    int step = 0, steps = 3 * region->colors;
    compute_planes(region, spectrum, params, filter, LAYER_WIENER, fmax, planes, scratch, &step,
                   steps);
    layer_from_planes(image_id, group, region, "Wiener", planes);
    compute_planes(region, spectrum, params, filter, LAYER_LOWPASS, fmax, planes, scratch, &step,
                   steps);
    g_snprintf(name, sizeof name, "low-pass f=%.4g", fmax);
    layer_from_planes(image_id, group, region, name, planes);
    compute_planes(region, spectrum, params, filter, LAYER_NOISY, fmax, planes, scratch, &step,
                   steps);
    g_snprintf(name, sizeof name, "noisy %s", tide_text);
    layer_from_planes(image_id, group, region, name, planes);

    gimp_image_undo_group_end(image_id);
    gimp_progress_update(1.0);
    st_filter_free(filter);
    for (int c = 0; c < TIDE_MAX_COLORS; c++)
        g_free(planes[c]);
    g_free(scratch);
    *fmax_out = fmax;
    return group;
}

/* ------------------------------------------------------------------ */
/* Dialog with live preview                                            */
/* ------------------------------------------------------------------ */

typedef struct {
    const RegionPixels *region;
    const Spectrum *spectrum;
    NoiseParams *params;
    GtkWidget *preview;
    tide_cache *cache;
    float *filtered;        /* colors planes of the last low-pass or Wiener output */
    int filtered_view;      /* the view they belong to, -1: none yet */
    double filtered_key[3]; /* fmax, or a, s, seed: recomputed only when changed */
    guchar *background;     /* drawable pixels under the preview, u8 */
} NoiseDialog;

/* The low-pass or Wiener planes for the current controls, or NULL for the
 * noisy view (or short memory). */
static const float *filtered_planes(NoiseDialog *dialog, tide_view view, double fmax, double a,
                                    double s)
{
    if (view == TIDE_VIEW_NOISY)
        return NULL;
    if (view == TIDE_VIEW_SPLIT)
        view = TIDE_VIEW_LOWPASS;
    const RegionPixels *region = dialog->region;
    double key[3] = {view == TIDE_VIEW_WIENER ? a : fmax, view == TIDE_VIEW_WIENER ? s : 0.0,
                     view == TIDE_VIEW_WIENER ? (double)dialog->params->seed : 0.0};
    if (!dialog->filtered) {
        dialog->filtered =
            g_try_new(float, (size_t)region->width *(size_t)region->height * region->colors);
        dialog->filtered_view = -1;
        if (!dialog->filtered)
            return NULL;
    }
    if (dialog->filtered_view == (int)view && memcmp(key, dialog->filtered_key, sizeof key) == 0)
        return dialog->filtered;
    if (tide_cache_filter(dialog->cache, view, fmax, (uint64_t)dialog->params->seed,
                          dialog->spectrum->power, a, s, dialog->filtered) != 0)
        return NULL;
    dialog->filtered_view = (int)view;
    memcpy(dialog->filtered_key, key, sizeof key);
    return dialog->filtered;
}

/* Called by the preview when it needs pixels (scroll, zoom, a control
 * changed): filters with the cached spectra, renders only the visible area. */
static void preview_update(GimpPreview *preview, NoiseDialog *dialog)
{
    const RegionPixels *region = dialog->region;
    NoiseParams *params = dialog->params;
    gint px, py, pw, ph;
    gimp_preview_get_position(preview, &px, &py);
    gimp_preview_get_size(preview, &pw, &ph);
    /* The drawable preview draws 8-bit data with the drawable's channels;
     * outside the selection bounds it shows the drawable itself. */
    int bpp = region->components;
    dialog->background = g_realloc(dialog->background, (size_t)pw * ph * bpp);
    GeglBuffer *buffer = gimp_drawable_get_buffer(region->drawable_id);
    gegl_buffer_get(buffer, GEGL_RECTANGLE(px, py, pw, ph), 1.0, region_u8_format(bpp),
                    dialog->background, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
    g_object_unref(buffer);

    double a, s;
    tide_coefficients(&params->tide, &a, &s);
    int col_begin = MAX(px - region->x, 0), col_end = MIN(px + pw - region->x, region->width);
    int row_begin = MAX(py - region->y, 0), row_end = MIN(py + ph - region->y, region->height);
    if (a > 0.0 && col_begin < col_end && row_begin < row_end) {
        double fmax = spectrum_fmax(dialog->spectrum, &params->tide);
        tide_view view = (tide_view)params->view;
        const float *filtered = filtered_planes(dialog, view, fmax, a, s);
        guchar *out =
            dialog->background +
            ((size_t)(region->y + row_begin - py) * pw + (region->x + col_begin - px)) * bpp;
        tide_cache_render_u8(dialog->cache,
                             filtered || view == TIDE_VIEW_NOISY ? view : TIDE_VIEW_NOISY,
                             (uint64_t)params->seed, s / a, filtered, col_begin, col_end, row_begin,
                             row_end, (col_begin + col_end) / 2, out, (size_t)pw * bpp, bpp);
    }
    gimp_preview_draw_buffer(preview, dialog->background, pw * bpp);
}

static void invalidate(NoiseDialog *dialog)
{
    gimp_preview_invalidate(GIMP_PREVIEW(dialog->preview));
}

static void int_combo_changed(GtkWidget *combo, gint *value)
{
    gimp_int_combo_box_get_active(GIMP_INT_COMBO_BOX(combo), value);
}

static void add_scale(GtkWidget *table, int row, const char *label, gdouble *value, double lower,
                      double upper, double step, int digits, const char *tooltip,
                      NoiseDialog *dialog)
{
    GtkObject *adjustment =
        gimp_scale_entry_new(GTK_TABLE(table), 0, row, label, 200, 6, *value, lower, upper, step,
                             step * 10, digits, TRUE, 0, 0, tooltip, NULL);
    g_signal_connect(adjustment, "value-changed", G_CALLBACK(gimp_double_adjustment_update), value);
    g_signal_connect_swapped(adjustment, "value-changed", G_CALLBACK(invalidate), dialog);
}

static gboolean noise_dialog(const RegionPixels *region, const Spectrum *spectrum,
                             NoiseParams *params)
{
    NoiseDialog dialog = {.region = region, .spectrum = spectrum, .params = params};
    float *planes[TIDE_MAX_COLORS];
    size_t n = (size_t)region->width * (size_t)region->height;
    for (int c = 0; c < region->colors; c++) {
        planes[c] = g_new(float, n);
        region_color_plane(region, c, planes[c]);
    }
    dialog.cache =
        tide_cache_new(region->width, region->height, region->colors, (const float *const *)planes,
                       region->x, region->y, region->full_width, region->full_height);
    for (int c = 0; c < region->colors; c++)
        g_free(planes[c]);
    if (!dialog.cache) {
        g_message("Not enough memory for the preview of %dx%d pixels", region->width,
                  region->height);
        return FALSE;
    }

    gimp_ui_init(PLUG_IN_BINARY, FALSE);
    GtkWidget *window =
        gimp_dialog_new("Noise as Low-pass", PLUG_IN_ROLE, NULL, 0, gimp_standard_help_func,
                        NOISE_PROC, "_Cancel", GTK_RESPONSE_CANCEL, NULL);
    GtkWidget *ok = gimp_dialog_add_button(GIMP_DIALOG(window), "_OK", GTK_RESPONSE_OK);
    gtk_dialog_set_default_response(GTK_DIALOG(window), GTK_RESPONSE_OK);
    gimp_window_set_transient(GTK_WINDOW(window));

    GtkWidget *vbox = gtk_vbox_new(FALSE, 6);
    gtk_container_set_border_width(GTK_CONTAINER(vbox), 12);
    gtk_box_pack_start(GTK_BOX(gtk_dialog_get_content_area(GTK_DIALOG(window))), vbox, TRUE, TRUE,
                       0);

    dialog.preview = gimp_drawable_preview_new_from_drawable_id(region->drawable_id);
    gtk_box_pack_start(GTK_BOX(vbox), dialog.preview, TRUE, TRUE, 0);
    g_signal_connect(dialog.preview, "invalidated", G_CALLBACK(preview_update), &dialog);

    GtkWidget *table = gtk_table_new(8, 3, FALSE);
    gtk_table_set_col_spacings(GTK_TABLE(table), 6);
    gtk_table_set_row_spacings(GTK_TABLE(table), 4);
    gtk_box_pack_start(GTK_BOX(vbox), table, FALSE, FALSE, 0);

    GtkWidget *view = g_object_new(GIMP_TYPE_INT_COMBO_BOX, NULL);
    for (int i = 0; i < TIDE_VIEW_COUNT; i++)
        gimp_int_combo_box_append(GIMP_INT_COMBO_BOX(view), GIMP_INT_STORE_VALUE, i,
                                  GIMP_INT_STORE_LABEL, tide_view_name((tide_view)i), -1);
    gimp_int_combo_box_set_active(GIMP_INT_COMBO_BOX(view), params->view);
    g_signal_connect(view, "changed", G_CALLBACK(int_combo_changed), &params->view);
    g_signal_connect_swapped(view, "changed", G_CALLBACK(invalidate), &dialog);
    gimp_table_attach_aligned(GTK_TABLE(table), 0, 0, "_View:", 0.0, 0.5, view, 2, FALSE);

    GtkWidget *schedule = schedule_combo_new(params->tide.schedule);
    g_signal_connect(schedule, "changed", G_CALLBACK(int_combo_changed), &params->tide.schedule);
    g_signal_connect_swapped(schedule, "changed", G_CALLBACK(invalidate), &dialog);
    gimp_table_attach_aligned(GTK_TABLE(table), 0, 1, "_Schedule:", 0.0, 0.5, schedule, 2, FALSE);

    add_scale(table, 2, "_t:", &params->tide.t, 0.0, 0.99, 0.01, 3,
              "Diffusion time: x_t = a(t) x0 + s(t) eps", &dialog);
    add_scale(table, 3, "Si_gma:", &params->tide.sigma, 0.0, 4.0, 0.01, 3,
              "Plain noise level; > 0 overrides the schedule", &dialog);
    add_scale(table, 4, "T_au:", &params->tide.tau, 0.01, 100.0, 0.1, 2,
              "SNR threshold: f_max is the last ring above tau*s^2/a^2", &dialog);
    GtkObject *seed =
        gimp_scale_entry_new(GTK_TABLE(table), 0, 5, "S_eed:", 200, 6, params->seed, 0, 9999, 1, 10,
                             0, FALSE, 0, G_MAXINT, "Noise seed", NULL);
    g_signal_connect(seed, "value-changed", G_CALLBACK(gimp_int_adjustment_update), &params->seed);
    g_signal_connect_swapped(seed, "value-changed", G_CALLBACK(invalidate), &dialog);

    gtk_widget_show_all(window);
    /* Big enough to judge noise against blur at 100% zoom; set after
     * realize, where the preview applies its 200-pixel style default. */
    gtk_widget_set_size_request(gimp_preview_get_area(GIMP_PREVIEW(dialog.preview)),
                                MIN(region->full_width, 480), MIN(region->full_height, 360));
    gtk_widget_grab_default(ok);
    gtk_widget_grab_focus(ok);
    gboolean run = gimp_dialog_run(GIMP_DIALOG(window)) == GTK_RESPONSE_OK;
    gtk_widget_destroy(window);
    tide_cache_free(dialog.cache);
    g_free(dialog.filtered);
    g_free(dialog.background);
    return run;
}

/* ------------------------------------------------------------------ */
/* Run                                                                 */
/* ------------------------------------------------------------------ */

static gboolean read_arguments(gint nparams, const GimpParam *param, NoiseParams *params,
                               GError **error)
{
    if (nparams != 10) {
        g_set_error(error, spectide_error_quark(), 1, "%s takes 10 arguments, got %d", NOISE_PROC,
                    nparams);
        return FALSE;
    }
    params->tide.schedule = param[3].data.d_int32;
    params->tide.t = param[4].data.d_float;
    params->tide.sigma = param[5].data.d_float;
    params->tide.tau = param[6].data.d_float;
    params->seed = param[7].data.d_int32;
    params->view = param[8].data.d_int32;
    params->channel = param[9].data.d_int32;
    if (params->view < 0 || params->view >= TIDE_VIEW_COUNT) {
        g_set_error(error, spectide_error_quark(), 1, "view-mode %d is not one of 0..3",
                    params->view);
        return FALSE;
    }
    if (params->channel < ST_CHANNEL_GREEN || params->channel > ST_CHANNEL_BLUE) {
        g_set_error(error, spectide_error_quark(), 1, "channel %d is not one of 0..3",
                    params->channel);
        return FALSE;
    }
    return tide_validate(&params->tide, error);
}

void noise_lowpass_run(gint nparams, const GimpParam *param, gint *nreturn_vals,
                       GimpParam **return_vals)
{
    static GimpParam values[3];
    *return_vals = values;
    *nreturn_vals = 1;
    values[0].type = GIMP_PDB_STATUS;
    values[0].data.d_status = GIMP_PDB_SUCCESS;
    if (nparams < 3) {
        values[0].data.d_status = GIMP_PDB_CALLING_ERROR;
        return;
    }
    GimpRunMode run_mode = param[0].data.d_int32;
    gint32 image_id = param[1].data.d_image;
    gint32 drawable_id = param[2].data.d_drawable;
    GError *error = NULL;

    gimp_get_data(NOISE_PROC, &noise_params);
    if (run_mode == GIMP_RUN_NONINTERACTIVE &&
        !read_arguments(nparams, param, &noise_params, &error)) {
        set_error_return(values, nreturn_vals, error->message);
        values[0].data.d_status = GIMP_PDB_CALLING_ERROR;
        g_error_free(error);
        return;
    }

    RegionPixels region;
    Spectrum spectrum;
    memset(&spectrum, 0, sizeof spectrum);
    if (!region_read(drawable_id, &region, &error) ||
        !spectrum_compute(&region, (st_channel)noise_params.channel, &spectrum, &error)) {
        if (run_mode == GIMP_RUN_INTERACTIVE)
            g_message("%s", error->message);
        set_error_return(values, nreturn_vals, error->message);
        g_error_free(error);
        region_clear(&region);
        return;
    }

    if (run_mode == GIMP_RUN_INTERACTIVE && !noise_dialog(&region, &spectrum, &noise_params)) {
        values[0].data.d_status = GIMP_PDB_CANCEL;
        spectrum_clear(&spectrum);
        region_clear(&region);
        return;
    }

    double fmax = 0.0;
    gint32 group = -1;
    if (!tide_usable(&noise_params.tide, &error) ||
        (group = apply_layers(image_id, &region, &spectrum, &noise_params, &fmax, &error)) < 0) {
        if (run_mode == GIMP_RUN_INTERACTIVE)
            g_message("%s", error->message);
        set_error_return(values, nreturn_vals, error->message);
        g_error_free(error);
    } else {
        gimp_set_data(NOISE_PROC, &noise_params, sizeof noise_params);
        if (run_mode != GIMP_RUN_NONINTERACTIVE)
            gimp_displays_flush();
        *nreturn_vals = 3;
        values[1].type = GIMP_PDB_FLOAT;
        values[1].data.d_float = fmax;
        values[2].type = GIMP_PDB_LAYER;
        values[2].data.d_layer = group;
    }
    spectrum_clear(&spectrum);
    region_clear(&region);
}
