/* plug-in-spectide-noise-lowpass in GIMP 2.10: Filters > Noise > Noise as Low-pass...
 *
 * The GTK 2 dialog with the live preview (shared stg_noise_preview), and
 * Apply: the three layers of stg_noise_make_layers in a layer group, in one
 * undo step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "gimp2.h"

/* ------------------------------------------------------------------ */
/* Apply                                                               */
/* ------------------------------------------------------------------ */

typedef struct {
    gint32 image_id, group_id;
    const stg_region *region;
    gint offset_x, offset_y; /* of the drawable in the image */
} LayerTarget;

static gboolean add_layer(const char *name, float *const *planes, void *user_data)
{
    LayerTarget *target = user_data;
    const stg_region *region = target->region;
    /* A grayscale channel of an RGB image still becomes an RGB layer. */
    gboolean rgb = gimp_image_base_type(target->image_id) == GIMP_RGB;
    GimpImageType type = rgb ? (region->has_alpha ? GIMP_RGBA_IMAGE : GIMP_RGB_IMAGE)
                             : (region->has_alpha ? GIMP_GRAYA_IMAGE : GIMP_GRAY_IMAGE);
    gint32 layer = gimp_layer_new(target->image_id, name, region->width, region->height, type,
                                  100.0, GIMP_LAYER_MODE_NORMAL);
    if (layer < 0)
        return FALSE;
    gimp_image_insert_layer(target->image_id, layer, target->group_id, 0);
    gimp_layer_set_offsets(layer, target->offset_x + region->x, target->offset_y + region->y);
    GeglBuffer *buffer = gimp_drawable_get_buffer(layer);
    stg_region_write_planes(region, buffer, rgb ? 3 : 1, planes);
    g_object_unref(buffer);
    return TRUE;
}

static void progress(double fraction, void *user_data)
{
    (void)user_data;
    gimp_progress_update(fraction);
}

static gint32 apply_layers(gint32 image_id, gint32 drawable_id, const stg_region *region,
                           const stg_noise_params *params, double *fmax, GError **error)
{
    if (!stg_tide_usable(&params->tide, error))
        return -1;
    char name[128];
    stg_noise_group_name(params, name, sizeof name);
    gimp_progress_init("Noise as low-pass");
    gimp_image_undo_group_start(image_id);
    gint32 group = gimp_layer_group_new(image_id);
    gimp_item_set_name(group, name);
    gint32 parent = 0, position = 0;
    if (gimp_item_is_layer(drawable_id)) {
        parent = gimp_item_get_parent(drawable_id);
        position = gimp_image_get_item_position(image_id, drawable_id);
    }
    gimp_image_insert_layer(image_id, group, MAX(parent, 0), position);
    LayerTarget target = {image_id, group, region, 0, 0};
    gimp_drawable_offsets(drawable_id, &target.offset_x, &target.offset_y);
    gboolean ok = stg_noise_make_layers(region, params, add_layer, progress, &target, fmax, error);
    if (!ok)
        gimp_image_remove_layer(image_id, group);
    gimp_image_undo_group_end(image_id);
    gimp_progress_update(1.0);
    return ok ? group : -1;
}

/* ------------------------------------------------------------------ */
/* Dialog with live preview                                            */
/* ------------------------------------------------------------------ */

typedef struct {
    gint32 drawable_id;
    const stg_region *region;
    stg_noise_params *params;
    stg_noise_preview *state;
    GtkWidget *preview;
} Dialog;

/* Called by the preview when it needs pixels (scroll, zoom, a control
 * changed): the shared preview renders only the visible area. */
static void preview_update(GimpPreview *preview, Dialog *dialog)
{
    gint px, py, pw, ph;
    gimp_preview_get_position(preview, &px, &py);
    gimp_preview_get_size(preview, &pw, &ph);
    GeglBuffer *buffer = gimp_drawable_get_buffer(dialog->drawable_id);
    const guchar *pixels =
        stg_noise_preview_render(dialog->state, buffer, px, py, pw, ph, dialog->params);
    g_object_unref(buffer);
    gimp_preview_draw_buffer(preview, pixels, pw * dialog->region->components);
}

static void invalidate(Dialog *dialog)
{
    gimp_preview_invalidate(GIMP_PREVIEW(dialog->preview));
}

static void int_combo_changed(GtkWidget *combo, gint *value)
{
    gimp_int_combo_box_get_active(GIMP_INT_COMBO_BOX(combo), value);
}

static const stg_argument *argument_named(const char *name)
{
    return stg_argument_named(&stg_noise_procedure, name);
}

static void add_scale(GtkWidget *table, int row, const char *name, Dialog *dialog)
{
    const stg_argument *argument = argument_named(name);
    void *value = stg_argument_value(argument, dialog->params);
    gboolean integer = argument->type == STG_VALUE_INT;
    gchar *label = g_strdup_printf("%s:", argument->label);
    GtkObject *adjustment = gimp_scale_entry_new(
        GTK_TABLE(table), 0, row, label, 200, 6, integer ? *(gint *)value : *(gdouble *)value,
        argument->ui_minimum, argument->ui_maximum, argument->ui_step, argument->ui_step * 10,
        argument->ui_digits, FALSE, argument->minimum, argument->maximum, argument->blurb, NULL);
    g_free(label);
    g_signal_connect(adjustment, "value-changed",
                     integer ? G_CALLBACK(gimp_int_adjustment_update)
                             : G_CALLBACK(gimp_double_adjustment_update),
                     value);
    g_signal_connect_swapped(adjustment, "value-changed", G_CALLBACK(invalidate), dialog);
}

static void add_combo(GtkWidget *table, int row, const char *name, Dialog *dialog)
{
    const stg_argument *argument = argument_named(name);
    gint *value = stg_argument_value(argument, dialog->params);
    GtkWidget *combo = stg2_choice_combo(argument->choices, *value);
    g_signal_connect(combo, "changed", G_CALLBACK(int_combo_changed), value);
    g_signal_connect_swapped(combo, "changed", G_CALLBACK(invalidate), dialog);
    gchar *label = g_strdup_printf("%s:", argument->label);
    gimp_table_attach_aligned(GTK_TABLE(table), 0, row, label, 0.0, 0.5, combo, 2, FALSE);
    g_free(label);
}

static gboolean run_dialog(gint32 drawable_id, const stg_region *region, stg_noise_params *params)
{
    GError *error = NULL;
    Dialog dialog = {.drawable_id = drawable_id,
                     .region = region,
                     .params = params,
                     .state = stg_noise_preview_new(region, (st_channel)params->channel, &error)};
    if (!dialog.state) {
        g_message("%s", error->message);
        g_error_free(error);
        return FALSE;
    }

    gimp_ui_init(STG_BINARY, FALSE);
    GtkWidget *window = gimp_dialog_new(stg_noise_procedure.dialog_title, STG_BINARY, NULL, 0,
                                        gimp_standard_help_func, STG_NOISE_PROC, "_Cancel",
                                        GTK_RESPONSE_CANCEL, NULL);
    GtkWidget *ok = gimp_dialog_add_button(GIMP_DIALOG(window), "_OK", GTK_RESPONSE_OK);
    gtk_dialog_set_default_response(GTK_DIALOG(window), GTK_RESPONSE_OK);
    gimp_window_set_transient(GTK_WINDOW(window));

    GtkWidget *vbox = gtk_vbox_new(FALSE, 6);
    gtk_container_set_border_width(GTK_CONTAINER(vbox), 12);
    gtk_box_pack_start(GTK_BOX(gtk_dialog_get_content_area(GTK_DIALOG(window))), vbox, TRUE, TRUE,
                       0);
    dialog.preview = gimp_drawable_preview_new_from_drawable_id(drawable_id);
    gtk_box_pack_start(GTK_BOX(vbox), dialog.preview, TRUE, TRUE, 0);
    g_signal_connect(dialog.preview, "invalidated", G_CALLBACK(preview_update), &dialog);

    GtkWidget *table = gtk_table_new(8, 3, FALSE);
    gtk_table_set_col_spacings(GTK_TABLE(table), 6);
    gtk_table_set_row_spacings(GTK_TABLE(table), 4);
    gtk_box_pack_start(GTK_BOX(vbox), table, FALSE, FALSE, 0);
    add_combo(table, 0, "view-mode", &dialog);
    add_combo(table, 1, "schedule", &dialog);
    add_scale(table, 2, "t", &dialog);
    add_scale(table, 3, "sigma", &dialog);
    add_scale(table, 4, "tau", &dialog);
    add_scale(table, 5, "seed", &dialog);
    if (region->colors == 3)
        add_combo(table, 6, "channel", &dialog);

    gtk_widget_show_all(window);
    /* Big enough to judge noise against blur at 100% zoom; set after
     * realize, where the preview applies its 200-pixel style default. */
    gtk_widget_set_size_request(gimp_preview_get_area(GIMP_PREVIEW(dialog.preview)),
                                MIN(region->full_width, 480), MIN(region->full_height, 360));
    gtk_widget_grab_default(ok);
    gtk_widget_grab_focus(ok);
    gboolean run = gimp_dialog_run(GIMP_DIALOG(window)) == GTK_RESPONSE_OK;
    gtk_widget_destroy(window);
    stg_noise_preview_free(dialog.state);
    return run;
}

/* ------------------------------------------------------------------ */
/* Run                                                                 */
/* ------------------------------------------------------------------ */

void stg2_noise_run(gint nparams, const GimpParam *param, gint *nreturn_vals,
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

    stg_noise_params params;
    stg_params_set_defaults(&stg_noise_procedure, &params);
    gimp_get_data(STG_NOISE_PROC, &params);
    if (run_mode == GIMP_RUN_NONINTERACTIVE &&
        !(stg2_read_arguments(&stg_noise_procedure, nparams, param, &params, &error) &&
          stg_tide_validate(&params.tide, &error))) {
        stg2_error_return(values, nreturn_vals, GIMP_PDB_CALLING_ERROR, error->message);
        g_error_free(error);
        return;
    }

    stg_region region;
    if (!stg2_read_region(drawable_id, &region, &error)) {
        if (run_mode == GIMP_RUN_INTERACTIVE)
            g_message("%s", error->message);
        stg2_error_return(values, nreturn_vals, GIMP_PDB_EXECUTION_ERROR, error->message);
        g_error_free(error);
        stg_region_clear(&region);
        return;
    }

    if (run_mode == GIMP_RUN_INTERACTIVE && !run_dialog(drawable_id, &region, &params)) {
        values[0].data.d_status = GIMP_PDB_CANCEL;
        stg_region_clear(&region);
        return;
    }

    double fmax = 0.0;
    gint32 group = apply_layers(image_id, drawable_id, &region, &params, &fmax, &error);
    if (group < 0) {
        if (run_mode == GIMP_RUN_INTERACTIVE)
            g_message("%s", error->message);
        stg2_error_return(values, nreturn_vals, GIMP_PDB_EXECUTION_ERROR, error->message);
        g_error_free(error);
    } else {
        gimp_set_data(STG_NOISE_PROC, &params, sizeof params);
        if (run_mode != GIMP_RUN_NONINTERACTIVE)
            gimp_displays_flush();
        *nreturn_vals = 3;
        values[1].type = GIMP_PDB_FLOAT;
        values[1].data.d_float = fmax;
        values[2].type = GIMP_PDB_LAYER;
        values[2].data.d_layer = group;
    }
    stg_region_clear(&region);
}
