/* plug-in-spectide-rapsd in GIMP 2.10: Colors > Info > Radial Power Spectrum...
 *
 * The GTK 2 dialog around the shared plot: the RAPSD (selection bounds)
 * with its power-law fit and the tide, redrawn as the controls move; CSV
 * export and the plot as a new image.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "gimp2.h"
#include "stg-csv-dialog.h"

enum { RESPONSE_EXPORT_CSV = 1, RESPONSE_PLOT_IMAGE = 2 };

/* Last values (gimp_set_data): the controls, not the CSV path or the plot flag. */
typedef struct {
    gint channel;
    stg_tide tide;
} LastValues;

typedef struct {
    const stg_region *region;
    stg_spectrum spectrum;
    stg_rapsd_params *params;
    GtkWidget *area;
    gint32 plot_image;
    gchar title[256];
} Dialog;

static gboolean plot_expose(GtkWidget *widget, GdkEventExpose *event, Dialog *dialog)
{
    (void)event;
    GtkAllocation allocation;
    gtk_widget_get_allocation(widget, &allocation);
    cairo_t *cr = gdk_cairo_create(gtk_widget_get_window(widget));
    stg_spectrum_draw(&dialog->spectrum, &dialog->params->tide, dialog->title, cr, allocation.width,
                      allocation.height);
    cairo_destroy(cr);
    return TRUE;
}

static void redraw(Dialog *dialog)
{
    gtk_widget_queue_draw(dialog->area);
}

static void channel_changed(GtkWidget *combo, Dialog *dialog)
{
    gint channel;
    if (!gimp_int_combo_box_get_active(GIMP_INT_COMBO_BOX(combo), &channel) ||
        channel == dialog->params->channel)
        return;
    stg_spectrum spectrum;
    if (!stg_spectrum_compute(dialog->region, (st_channel)channel, &spectrum, NULL))
        return;
    stg_spectrum_clear(&dialog->spectrum);
    dialog->spectrum = spectrum;
    dialog->params->channel = channel;
    redraw(dialog);
}

static void schedule_changed(GtkWidget *combo, Dialog *dialog)
{
    gimp_int_combo_box_get_active(GIMP_INT_COMBO_BOX(combo), &dialog->params->tide.schedule);
    redraw(dialog);
}

static void add_scale(GtkWidget *table, int row, const char *name, Dialog *dialog)
{
    const stg_argument *argument = stg_argument_named(&stg_rapsd_procedure, name);
    gdouble *value = stg_argument_value(argument, dialog->params);
    gchar *label = g_strdup_printf("%s:", argument->label);
    GtkObject *adjustment = gimp_scale_entry_new(
        GTK_TABLE(table), 0, row, label, 200, 6, *value, argument->ui_minimum, argument->ui_maximum,
        argument->ui_step, argument->ui_step * 10, argument->ui_digits, FALSE, argument->minimum,
        argument->maximum, argument->blurb, NULL);
    g_free(label);
    g_signal_connect(adjustment, "value-changed", G_CALLBACK(gimp_double_adjustment_update), value);
    g_signal_connect_swapped(adjustment, "value-changed", G_CALLBACK(redraw), dialog);
}

static void run_dialog(const stg_region *region, stg_spectrum *spectrum, stg_rapsd_params *params,
                       const char *title, gint32 *plot_image)
{
    Dialog dialog = {.region = region, .spectrum = *spectrum, .params = params, .plot_image = -1};
    g_strlcpy(dialog.title, title, sizeof dialog.title);

    gimp_ui_init(STG_BINARY, FALSE);
    GtkWidget *window = gimp_dialog_new(stg_rapsd_procedure.dialog_title, STG_BINARY, NULL, 0,
                                        gimp_standard_help_func, STG_RAPSD_PROC, NULL);
    gimp_dialog_add_button(GIMP_DIALOG(window), "Export C_SV...", RESPONSE_EXPORT_CSV);
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

    GtkWidget *channel = stg2_choice_combo(&stg_channel_choices, params->channel);
    gtk_widget_set_sensitive(channel, region->colors == 3);
    g_signal_connect(channel, "changed", G_CALLBACK(channel_changed), &dialog);
    gimp_table_attach_aligned(GTK_TABLE(table), 0, 0, "C_hannel:", 0.0, 0.5, channel, 2, FALSE);
    GtkWidget *schedule = stg2_choice_combo(&stg_schedule_choices, params->tide.schedule);
    g_signal_connect(schedule, "changed", G_CALLBACK(schedule_changed), &dialog);
    gimp_table_attach_aligned(GTK_TABLE(table), 0, 1, "Sche_dule:", 0.0, 0.5, schedule, 2, FALSE);
    add_scale(table, 2, "t", &dialog);
    add_scale(table, 3, "sigma", &dialog);
    add_scale(table, 4, "tau", &dialog);

    gtk_widget_show_all(window);
    /* Return closes the dialog (scripts and screenshot tests press it). */
    gtk_widget_grab_default(close);
    gtk_widget_grab_focus(close);

    for (;;) {
        gint response = gimp_dialog_run(GIMP_DIALOG(window));
        if (response == RESPONSE_EXPORT_CSV) {
            stg_export_csv_dialog(window, &dialog.spectrum);
        } else if (response == RESPONSE_PLOT_IMAGE) {
            dialog.plot_image = stg2_plot_image(&dialog.spectrum, &params->tide, dialog.title);
            gimp_display_new(dialog.plot_image);
            gimp_displays_flush();
        } else {
            break;
        }
    }
    gtk_widget_destroy(window);
    *spectrum = dialog.spectrum;
    *plot_image = dialog.plot_image;
}

void stg2_rapsd_run(gint nparams, const GimpParam *param, gint *nreturn_vals,
                    GimpParam **return_vals)
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
    GError *error = NULL;

    stg_rapsd_params params;
    stg_params_set_defaults(&stg_rapsd_procedure, &params);
    LastValues last = {params.channel, params.tide};
    if (gimp_get_data(STG_RAPSD_PROC, &last)) {
        params.channel = last.channel;
        params.tide = last.tide;
    }
    if (run_mode == GIMP_RUN_NONINTERACTIVE &&
        !(stg2_read_arguments(&stg_rapsd_procedure, nparams, param, &params, &error) &&
          stg_tide_validate(&params.tide, &error))) {
        stg2_error_return(values, nreturn_vals, GIMP_PDB_CALLING_ERROR, error->message);
        g_error_free(error);
        return;
    }

    stg_region region;
    stg_spectrum spectrum;
    if (!stg2_read_region(drawable_id, &region, &error) ||
        !stg_spectrum_compute(&region, (st_channel)params.channel, &spectrum, &error)) {
        if (run_mode == GIMP_RUN_INTERACTIVE)
            g_message("%s", error->message);
        stg2_error_return(values, nreturn_vals, GIMP_PDB_EXECUTION_ERROR, error->message);
        g_error_free(error);
        stg_region_clear(&region);
        return;
    }

    gchar title[256];
    stg_spectrum_title(title, sizeof title, gimp_item_get_name(drawable_id), region.width,
                       region.height);
    gint32 plot_image = -1;
    if (run_mode == GIMP_RUN_INTERACTIVE) {
        run_dialog(&region, &spectrum, &params, title, &plot_image);
    } else {
        if (params.csv_filename && params.csv_filename[0] &&
            !stg_spectrum_write_csv(&spectrum, params.csv_filename, &error)) {
            stg2_error_return(values, nreturn_vals, GIMP_PDB_EXECUTION_ERROR, error->message);
            g_error_free(error);
            stg_spectrum_clear(&spectrum);
            stg_region_clear(&region);
            return;
        }
        if (params.plot_as_image)
            plot_image = stg2_plot_image(&spectrum, &params.tide, title);
    }
    last = (LastValues){params.channel, params.tide};
    gimp_set_data(STG_RAPSD_PROC, &last, sizeof last);

    double results[4];
    stg_spectrum_results(&spectrum, &params.tide, results);
    *nreturn_vals = 6;
    for (int i = 0; i < 4; i++) {
        values[1 + i].type = GIMP_PDB_FLOAT;
        values[1 + i].data.d_float = results[i];
    }
    values[5].type = GIMP_PDB_IMAGE;
    values[5].data.d_image = plot_image;
    stg_spectrum_clear(&spectrum);
    stg_region_clear(&region);
}
