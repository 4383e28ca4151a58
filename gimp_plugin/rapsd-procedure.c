/* plug-in-spectide-rapsd: Colors > Info > Radial Power Spectrum...
 *
 * Shows the drawable's RAPSD (selection bounds) with its power-law fit and
 * the tide: the noise floor of a schedule at t (or a plain sigma), the noisy
 * image's hinge and f_max, redrawn as the controls move. Exports the curve
 * as CSV and the plot as a new image.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "spectide-gimp.h"

enum { RESPONSE_EXPORT_CSV = 1, RESPONSE_PLOT_IMAGE = 2 };

#define PLOT_IMAGE_WIDTH  800
#define PLOT_IMAGE_HEIGHT 600

/* Last values, kept between runs with gimp_set_data. */
typedef struct {
    gint channel;
    TideParams tide;
} RapsdParams;

static RapsdParams rapsd_params = {ST_CHANNEL_GREEN, {ST_SCHEDULE_RECTIFIED_FLOW, 0.5, 0.0, 1.0}};

void rapsd_query(void)
{
    static const GimpParamDef args[] = {
        {GIMP_PDB_INT32, "run-mode",
         "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1) }"},
        {GIMP_PDB_IMAGE, "image", "Input image"},
        {GIMP_PDB_DRAWABLE, "drawable", "Drawable to analyse (its selection bounds)"},
        {GIMP_PDB_INT32, "channel",
         "Analysis channel of RGB: green (0), luma (1), red (2), blue (3)"},
        {GIMP_PDB_INT32, "schedule",
         "Diffusion schedule: rectified-flow (0), sd3 (1), cosine (2), ddpm (3), scaled-linear "
         "(4), edm (5)"},
        {GIMP_PDB_FLOAT, "t", "Diffusion time in [0, 1]"},
        {GIMP_PDB_FLOAT, "sigma",
         "Plain noise level (pixels mapped to [-1,1]); > 0 overrides "
         "schedule and t"},
        {GIMP_PDB_FLOAT, "tau", "SNR threshold for f_max (1 = noise power equals signal power)"},
        {GIMP_PDB_STRING, "csv-filename",
         "Write freq,power CSV (one row per ring) to this file; empty: no CSV"},
        {GIMP_PDB_INT32, "plot-as-image", "Also render the plot as a new image (TRUE, FALSE)"},
    };
    static const GimpParamDef return_values[] = {
        {GIMP_PDB_FLOAT, "alpha", "Spectral exponent of the power-law fit (P ~ f^-alpha)"},
        {GIMP_PDB_FLOAT, "c", "Intercept of the fit: log10 P at f = 1 cycle/pixel"},
        {GIMP_PDB_FLOAT, "r2", "R^2 of the fit in log-log"},
        {GIMP_PDB_FLOAT, "fmax", "Highest frequency (cycles/pixel) above tau*s^2/a^2"},
        {GIMP_PDB_IMAGE, "plot-image", "The plot image, or -1 if none was made"},
    };
    gimp_install_procedure(
        RAPSD_PROC, "Radially averaged power spectrum, power-law fit and noise tide",
        "Plots the RAPSD of the drawable (or of the selection's bounding box) on log-log axes "
        "with its power-law fit (alpha, R^2), and the tide of a diffusion schedule at time t (or "
        "a plain sigma): the noise floor tau*s^2/a^2, the expected spectrum of the noisy image "
        "x_t/a and f_max, the highest frequency still above the noise. Pixels are mapped to "
        "[-1,1] as diffusion models see them.",
        PLUG_IN_AUTHOR, PLUG_IN_AUTHOR, PLUG_IN_YEAR, "Radial _Power Spectrum...", "RGB*, GRAY*",
        GIMP_PLUGIN, G_N_ELEMENTS(args), G_N_ELEMENTS(return_values), args, return_values);
    gimp_plugin_menu_register(RAPSD_PROC, "<Image>/Colors/Info");
}

/* ------------------------------------------------------------------ */
/* Dialog                                                              */
/* ------------------------------------------------------------------ */

typedef struct {
    const RegionPixels *region;
    Spectrum spectrum;
    RapsdParams *params;
    sv_plot *plot;
    GtkWidget *area;
    gint32 plot_image;
    gchar title[256];
} RapsdDialog;

static gboolean plot_expose(GtkWidget *widget, GdkEventExpose *event, RapsdDialog *dialog)
{
    (void)event;
    GtkAllocation allocation;
    gtk_widget_get_allocation(widget, &allocation);
    cairo_t *cr = gdk_cairo_create(gtk_widget_get_window(widget));
    spectrum_fill_plot(&dialog->spectrum, &dialog->params->tide, dialog->plot, dialog->title);
    sv_plot_draw(dialog->plot, cr, 0, 0, allocation.width, allocation.height);
    cairo_destroy(cr);
    return TRUE;
}

static void redraw(RapsdDialog *dialog)
{
    gtk_widget_queue_draw(dialog->area);
}

static void channel_changed(GtkWidget *combo, RapsdDialog *dialog)
{
    gint channel;
    if (!gimp_int_combo_box_get_active(GIMP_INT_COMBO_BOX(combo), &channel) ||
        channel == dialog->params->channel)
        return;
    Spectrum spectrum;
    if (!spectrum_compute(dialog->region, (st_channel)channel, &spectrum, NULL))
        return;
    spectrum_clear(&dialog->spectrum);
    dialog->spectrum = spectrum;
    dialog->params->channel = channel;
    redraw(dialog);
}

static void schedule_changed(GtkWidget *combo, RapsdDialog *dialog)
{
    gimp_int_combo_box_get_active(GIMP_INT_COMBO_BOX(combo), &dialog->params->tide.schedule);
    redraw(dialog);
}

static void export_csv(GtkWidget *parent, RapsdDialog *dialog)
{
    GtkWidget *chooser = gtk_file_chooser_dialog_new(
        "Export RAPSD as CSV", GTK_WINDOW(parent), GTK_FILE_CHOOSER_ACTION_SAVE, "_Cancel",
        GTK_RESPONSE_CANCEL, "_Save", GTK_RESPONSE_ACCEPT, NULL);
    gtk_file_chooser_set_do_overwrite_confirmation(GTK_FILE_CHOOSER(chooser), TRUE);
    gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(chooser), "rapsd.csv");
    if (gtk_dialog_run(GTK_DIALOG(chooser)) == GTK_RESPONSE_ACCEPT) {
        gchar *filename = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(chooser));
        GError *error = NULL;
        if (!spectrum_write_csv(&dialog->spectrum, filename, &error)) {
            g_message("%s", error->message);
            g_error_free(error);
        }
        g_free(filename);
    }
    gtk_widget_destroy(chooser);
}

static GtkObject *add_scale(GtkWidget *table, int row, const char *label, gdouble *value,
                            double lower, double upper, double step, int digits,
                            const char *tooltip, RapsdDialog *dialog)
{
    GtkObject *adjustment =
        gimp_scale_entry_new(GTK_TABLE(table), 0, row, label, 200, 6, *value, lower, upper, step,
                             step * 10, digits, TRUE, 0, 0, tooltip, NULL);
    g_signal_connect(adjustment, "value-changed", G_CALLBACK(gimp_double_adjustment_update), value);
    g_signal_connect_swapped(adjustment, "value-changed", G_CALLBACK(redraw), dialog);
    return adjustment;
}

static void rapsd_dialog(const RegionPixels *region, Spectrum *spectrum, RapsdParams *params,
                         gint32 *plot_image)
{
    RapsdDialog dialog = {.region = region,
                          .spectrum = *spectrum,
                          .params = params,
                          .plot = sv_plot_new(),
                          .plot_image = -1};
    g_snprintf(dialog.title, sizeof dialog.title, "RAPSD of %s (%dx%d)",
               gimp_item_get_name(region->drawable_id), region->width, region->height);

    gimp_ui_init(PLUG_IN_BINARY, FALSE);
    GtkWidget *window = gimp_dialog_new("Radial Power Spectrum", PLUG_IN_ROLE, NULL, 0,
                                        gimp_standard_help_func, RAPSD_PROC, NULL);
    gimp_dialog_add_button(GIMP_DIALOG(window), "Export _CSV...", RESPONSE_EXPORT_CSV);
    gimp_dialog_add_button(GIMP_DIALOG(window), "_Plot as New Image", RESPONSE_PLOT_IMAGE);
    GtkWidget *close = gimp_dialog_add_button(GIMP_DIALOG(window), "_Close", GTK_RESPONSE_CLOSE);
    gtk_dialog_set_default_response(GTK_DIALOG(window), GTK_RESPONSE_CLOSE);
    gimp_window_set_transient(GTK_WINDOW(window));

    GtkWidget *vbox = gtk_vbox_new(FALSE, 6);
    gtk_container_set_border_width(GTK_CONTAINER(vbox), 12);
    gtk_box_pack_start(GTK_BOX(gtk_dialog_get_content_area(GTK_DIALOG(window))), vbox, TRUE, TRUE,
                       0);

    dialog.area = gtk_drawing_area_new();
    gtk_widget_set_size_request(dialog.area, 560, 400);
    g_signal_connect(dialog.area, "expose-event", G_CALLBACK(plot_expose), &dialog);
    gtk_box_pack_start(GTK_BOX(vbox), dialog.area, TRUE, TRUE, 0);

    GtkWidget *table = gtk_table_new(6, 3, FALSE);
    gtk_table_set_col_spacings(GTK_TABLE(table), 6);
    gtk_table_set_row_spacings(GTK_TABLE(table), 4);
    gtk_box_pack_start(GTK_BOX(vbox), table, FALSE, FALSE, 0);

    GtkWidget *channel = channel_combo_new(params->channel);
    gtk_widget_set_sensitive(channel, region->colors == 3);
    g_signal_connect(channel, "changed", G_CALLBACK(channel_changed), &dialog);
    gimp_table_attach_aligned(GTK_TABLE(table), 0, 0, "C_hannel:", 0.0, 0.5, channel, 2, FALSE);
    GtkWidget *schedule = schedule_combo_new(params->tide.schedule);
    g_signal_connect(schedule, "changed", G_CALLBACK(schedule_changed), &dialog);
    gimp_table_attach_aligned(GTK_TABLE(table), 0, 1, "_Schedule:", 0.0, 0.5, schedule, 2, FALSE);
    add_scale(table, 2, "_t:", &params->tide.t, 0.0, 1.0, 0.01, 3,
              "Diffusion time: x_t = a(t) x0 + s(t) eps", &dialog);
    add_scale(table, 3, "Si_gma:", &params->tide.sigma, 0.0, 4.0, 0.01, 3,
              "Plain noise level; > 0 overrides the schedule", &dialog);
    add_scale(table, 4, "T_au:", &params->tide.tau, 0.01, 100.0, 0.1, 2,
              "SNR threshold: f_max is the last ring above tau*s^2/a^2", &dialog);

    gtk_widget_show_all(window);
    /* Return closes the dialog (scripts and screenshot tests press it). */
    gtk_widget_grab_default(close);
    gtk_widget_grab_focus(close);

    for (;;) {
        gint response = gimp_dialog_run(GIMP_DIALOG(window));
        if (response == RESPONSE_EXPORT_CSV) {
            export_csv(window, &dialog);
        } else if (response == RESPONSE_PLOT_IMAGE) {
            dialog.plot_image = spectrum_plot_image(&dialog.spectrum, &params->tide, dialog.title,
                                                    PLOT_IMAGE_WIDTH, PLOT_IMAGE_HEIGHT);
            gimp_display_new(dialog.plot_image);
            gimp_displays_flush();
        } else {
            break;
        }
    }
    gtk_widget_destroy(window);
    sv_plot_free(dialog.plot);
    *spectrum = dialog.spectrum;
    *plot_image = dialog.plot_image;
}

/* ------------------------------------------------------------------ */
/* Run                                                                 */
/* ------------------------------------------------------------------ */

static gboolean read_arguments(gint nparams, const GimpParam *param, RapsdParams *params,
                               const gchar **csv_filename, gboolean *plot_as_image, GError **error)
{
    if (nparams != 10) {
        g_set_error(error, spectide_error_quark(), 1, "%s takes 10 arguments, got %d", RAPSD_PROC,
                    nparams);
        return FALSE;
    }
    params->channel = param[3].data.d_int32;
    params->tide.schedule = param[4].data.d_int32;
    params->tide.t = param[5].data.d_float;
    params->tide.sigma = param[6].data.d_float;
    params->tide.tau = param[7].data.d_float;
    *csv_filename = param[8].data.d_string;
    *plot_as_image = param[9].data.d_int32 != 0;
    if (params->channel < ST_CHANNEL_GREEN || params->channel > ST_CHANNEL_BLUE) {
        g_set_error(error, spectide_error_quark(), 1, "channel %d is not one of 0..3",
                    params->channel);
        return FALSE;
    }
    return tide_validate(&params->tide, error);
}

void rapsd_run(gint nparams, const GimpParam *param, gint *nreturn_vals, GimpParam **return_vals)
{
    static GimpParam values[6];
    *return_vals = values;
    *nreturn_vals = 1;
    values[0].type = GIMP_PDB_STATUS;
    values[0].data.d_status = GIMP_PDB_SUCCESS;
    if (nparams < 3) {
        values[0].data.d_status = GIMP_PDB_CALLING_ERROR;
        return;
    }
    GimpRunMode run_mode = param[0].data.d_int32;
    gint32 drawable_id = param[2].data.d_drawable;
    const gchar *csv_filename = NULL;
    gboolean plot_as_image = FALSE;
    GError *error = NULL;

    gimp_get_data(RAPSD_PROC, &rapsd_params);
    if (run_mode == GIMP_RUN_NONINTERACTIVE &&
        !read_arguments(nparams, param, &rapsd_params, &csv_filename, &plot_as_image, &error)) {
        set_error_return(values, nreturn_vals, error->message);
        values[0].data.d_status = GIMP_PDB_CALLING_ERROR;
        g_error_free(error);
        return;
    }

    RegionPixels region;
    Spectrum spectrum;
    if (!region_read(drawable_id, &region, &error) ||
        !spectrum_compute(&region, (st_channel)rapsd_params.channel, &spectrum, &error)) {
        if (run_mode == GIMP_RUN_INTERACTIVE)
            g_message("%s", error->message);
        set_error_return(values, nreturn_vals, error->message);
        g_error_free(error);
        region_clear(&region);
        return;
    }

    gint32 plot_image = -1;
    if (run_mode == GIMP_RUN_INTERACTIVE) {
        rapsd_dialog(&region, &spectrum, &rapsd_params, &plot_image);
    } else {
        if (csv_filename && csv_filename[0] &&
            !spectrum_write_csv(&spectrum, csv_filename, &error)) {
            set_error_return(values, nreturn_vals, error->message);
            g_error_free(error);
            spectrum_clear(&spectrum);
            region_clear(&region);
            return;
        }
        if (plot_as_image) {
            gchar title[256];
            g_snprintf(title, sizeof title, "RAPSD of %s (%dx%d)", gimp_item_get_name(drawable_id),
                       region.width, region.height);
            plot_image = spectrum_plot_image(&spectrum, &rapsd_params.tide, title, PLOT_IMAGE_WIDTH,
                                             PLOT_IMAGE_HEIGHT);
        }
    }
    gimp_set_data(RAPSD_PROC, &rapsd_params, sizeof rapsd_params);

    *nreturn_vals = 6;
    values[1].type = GIMP_PDB_FLOAT;
    values[1].data.d_float = spectrum.fit_ok ? spectrum.fit.alpha : 0.0;
    values[2].type = GIMP_PDB_FLOAT;
    values[2].data.d_float = spectrum.fit_ok ? spectrum.fit.c : 0.0;
    values[3].type = GIMP_PDB_FLOAT;
    values[3].data.d_float = spectrum.fit_ok ? spectrum.fit.r_squared : 0.0;
    values[4].type = GIMP_PDB_FLOAT;
    values[4].data.d_float = spectrum_fmax(&spectrum, &rapsd_params.tide);
    values[5].type = GIMP_PDB_IMAGE;
    values[5].data.d_image = plot_image;
    spectrum_clear(&spectrum);
    region_clear(&region);
}
