/* plug-in-spectide-rapsd in GIMP 3: Colors > Info > Radial Power Spectrum...
 *
 * A GimpProcedureDialog built from the procedure's config: the shared plot
 * (RAPSD of the selection bounds, fit, tide), redrawn whenever a value of
 * the config changes; CSV export and the plot as a new image from two more
 * buttons. GIMP keeps the last values (the config) itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "gimp3.h"
#include "stg-csv-dialog.h"

enum { RESPONSE_EXPORT_CSV = 1, RESPONSE_PLOT_IMAGE = 2 };

typedef struct {
    GimpProcedureConfig *config;
    const stg_region *region;
    stg_spectrum spectrum;
    gint channel; /* of the spectrum */
    GtkWidget *area;
    GimpImage *plot_image;
    gchar title[256];
} Dialog;

static void current_params(Dialog *dialog, stg_rapsd_params *params)
{
    stg3_read_config(&stg_rapsd_procedure, dialog->config, params);
}

static gboolean plot_draw(GtkWidget *widget, cairo_t *cr, Dialog *dialog)
{
    stg_rapsd_params params;
    current_params(dialog, &params);
    stg_spectrum_draw(&dialog->spectrum, &params.tide, dialog->title, cr,
                      gtk_widget_get_allocated_width(widget),
                      gtk_widget_get_allocated_height(widget));
    stg3_params_free_strings(&stg_rapsd_procedure, &params);
    return TRUE;
}

/* Any value changed: a new channel needs a new spectrum, the rest a redraw. */
static void config_changed(Dialog *dialog)
{
    gint channel = 0;
    g_object_get(dialog->config, "channel", &channel, NULL);
    if (channel != dialog->channel) {
        stg_spectrum spectrum;
        if (stg_spectrum_compute(dialog->region, (st_channel)channel, &spectrum, NULL)) {
            stg_spectrum_clear(&dialog->spectrum);
            dialog->spectrum = spectrum;
            dialog->channel = channel;
        }
    }
    gtk_widget_queue_draw(dialog->area);
}

/* The two extra buttons act without closing the dialog: their responses are
 * handled here and stopped before the dialog's run loop sees them. */
static void response(GtkWidget *window, gint response_id, Dialog *dialog)
{
    if (response_id == RESPONSE_EXPORT_CSV) {
        stg_export_csv_dialog(window, &dialog->spectrum);
    } else if (response_id == RESPONSE_PLOT_IMAGE) {
        stg_rapsd_params params;
        current_params(dialog, &params);
        dialog->plot_image = stg3_plot_image(&dialog->spectrum, &params.tide, dialog->title);
        stg3_params_free_strings(&stg_rapsd_procedure, &params);
        gimp_display_new(dialog->plot_image);
        gimp_displays_flush();
    } else {
        return;
    }
    g_signal_stop_emission_by_name(window, "response");
}

static gboolean run_dialog(GimpProcedure *procedure, GimpProcedureConfig *config,
                           const stg_region *region, stg_spectrum *spectrum, gint channel,
                           const char *title, GimpImage **plot_image)
{
    Dialog dialog = {.config = config,
                     .region = region,
                     .spectrum = *spectrum,
                     .channel = channel,
                     .plot_image = NULL};
    g_strlcpy(dialog.title, title, sizeof dialog.title);

    gimp_ui_init(STG_BINARY);
    GtkWidget *window =
        gimp_procedure_dialog_new(procedure, config, stg_rapsd_procedure.dialog_title);
    /* "Cl_ose": _C is Cancel's. */
    gimp_procedure_dialog_set_ok_label(GIMP_PROCEDURE_DIALOG(window), "Cl_ose");
    gtk_dialog_add_button(GTK_DIALOG(window), "Export C_SV...", RESPONSE_EXPORT_CSV);
    gtk_dialog_add_button(GTK_DIALOG(window), "_Plot as New Image", RESPONSE_PLOT_IMAGE);
    g_signal_connect(window, "response", G_CALLBACK(response), &dialog);

    dialog.area = gtk_drawing_area_new();
    gtk_widget_set_size_request(dialog.area, 560, 400);
    gtk_widget_set_vexpand(dialog.area, TRUE);
    g_signal_connect(dialog.area, "draw", G_CALLBACK(plot_draw), &dialog);
    GtkWidget *content = gtk_dialog_get_content_area(GTK_DIALOG(window));
    gtk_box_pack_start(GTK_BOX(content), dialog.area, TRUE, TRUE, 0);
    gtk_widget_show(dialog.area);

    GimpProcedureDialog *procedure_dialog = GIMP_PROCEDURE_DIALOG(window);
    GtkWidget *channel_combo =
        stg3_dialog_widget(procedure_dialog, &stg_rapsd_procedure, "channel");
    gtk_widget_set_sensitive(channel_combo, region->colors == 3);
    stg3_dialog_widget(procedure_dialog, &stg_rapsd_procedure, "schedule");
    stg3_dialog_widget(procedure_dialog, &stg_rapsd_procedure, "t");
    stg3_dialog_widget(procedure_dialog, &stg_rapsd_procedure, "sigma");
    stg3_dialog_widget(procedure_dialog, &stg_rapsd_procedure, "tau");
    GtkWidget *controls = gimp_procedure_dialog_fill_box(procedure_dialog, "controls", "channel",
                                                         "schedule", "t", "sigma", "tau", NULL);
    gtk_container_set_border_width(GTK_CONTAINER(controls), 6);
    gimp_procedure_dialog_fill(procedure_dialog, "controls", NULL);
    g_signal_connect_swapped(config, "notify", G_CALLBACK(config_changed), &dialog);

    gtk_widget_show(window);
    gboolean closed = gimp_procedure_dialog_run(procedure_dialog);
    g_signal_handlers_disconnect_by_data(config, &dialog);
    gtk_widget_destroy(window);
    *spectrum = dialog.spectrum;
    *plot_image = dialog.plot_image;
    return closed;
}

GimpValueArray *stg3_rapsd_run(GimpProcedure *procedure, GimpRunMode run_mode, GimpImage *image,
                               GimpDrawable **drawables, GimpProcedureConfig *config,
                               gpointer run_data)
{
    (void)image;
    (void)run_data;
    gegl_init(NULL, NULL);
    st_set_threads((int)g_get_num_processors());
    GError *error = NULL;
    stg_region region;
    stg_spectrum spectrum;
    memset(&region, 0, sizeof region);
    stg_rapsd_params params;
    stg3_read_config(&stg_rapsd_procedure, config, &params);
    GimpDrawable *drawable = stg3_single_drawable(&stg_rapsd_procedure, drawables, &error);
    if (!drawable || !stg_params_validate(&stg_rapsd_procedure, &params, &error) ||
        !stg_tide_validate(&params.tide, &error) || !stg3_read_region(drawable, &region, &error) ||
        !stg_spectrum_compute(&region, (st_channel)params.channel, &spectrum, &error)) {
        stg3_params_free_strings(&stg_rapsd_procedure, &params);
        stg_region_clear(&region);
        return gimp_procedure_new_return_values(procedure, GIMP_PDB_EXECUTION_ERROR, error);
    }

    gchar title[256];
    gchar *name = gimp_item_get_name(GIMP_ITEM(drawable));
    stg_spectrum_title(title, sizeof title, name, region.width, region.height);
    g_free(name);
    GimpImage *plot_image = NULL;
    GimpPDBStatusType status = GIMP_PDB_SUCCESS;
    if (run_mode == GIMP_RUN_INTERACTIVE) {
        if (!run_dialog(procedure, config, &region, &spectrum, params.channel, title, &plot_image))
            status = GIMP_PDB_CANCEL;
        /* The values the dialog ended with are the ones returned. */
        stg3_params_free_strings(&stg_rapsd_procedure, &params);
        stg3_read_config(&stg_rapsd_procedure, config, &params);
    } else {
        if (params.csv_filename && params.csv_filename[0] &&
            !stg_spectrum_write_csv(&spectrum, params.csv_filename, &error)) {
            stg3_params_free_strings(&stg_rapsd_procedure, &params);
            stg_spectrum_clear(&spectrum);
            stg_region_clear(&region);
            return gimp_procedure_new_return_values(procedure, GIMP_PDB_EXECUTION_ERROR, error);
        }
        if (params.plot_as_image)
            plot_image = stg3_plot_image(&spectrum, &params.tide, title);
    }

    double results[4];
    stg_spectrum_results(&spectrum, &params.tide, results);
    GimpValueArray *values = gimp_procedure_new_return_values(procedure, status, NULL);
    for (int i = 0; i < 4; i++)
        GIMP_VALUES_SET_DOUBLE(values, 1 + i, results[i]);
    GIMP_VALUES_SET_IMAGE(values, 5, plot_image);
    stg3_params_free_strings(&stg_rapsd_procedure, &params);
    stg_spectrum_clear(&spectrum);
    stg_region_clear(&region);
    return values;
}
