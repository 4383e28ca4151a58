/* plug-in-spectide-noise-lowpass in GIMP 3: Filters > Noise > Noise as Low-pass...
 *
 * A GimpProcedureDialog from the procedure's config with the live preview
 * (shared stg_noise_preview). OK either adds the three layers of
 * stg_noise_make_layers in a layer group (one undo step), or, with "Add as
 * a non-destructive filter", attaches the GEGL operation spectide:noise-
 * lowpass to the layer with the same values (the layer's pixels stay as
 * they are; the filter is edited, hidden or merged from the layer's filter
 * list, and saved in the XCF).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "gimp3.h"

/* ------------------------------------------------------------------ */
/* Apply: layers                                                       */
/* ------------------------------------------------------------------ */

typedef struct {
    GimpImage *image;
    GimpLayer *group;
    const stg_region *region;
    gint offset_x, offset_y; /* of the drawable in the image */
} LayerTarget;

static gboolean add_layer(const char *name, float *const *planes, void *user_data)
{
    LayerTarget *target = user_data;
    const stg_region *region = target->region;
    /* A grayscale channel of an RGB image still becomes an RGB layer. */
    gboolean rgb = gimp_image_get_base_type(target->image) == GIMP_RGB;
    GimpImageType type = rgb ? (region->has_alpha ? GIMP_RGBA_IMAGE : GIMP_RGB_IMAGE)
                             : (region->has_alpha ? GIMP_GRAYA_IMAGE : GIMP_GRAY_IMAGE);
    GimpLayer *layer = gimp_layer_new(target->image, name, region->width, region->height, type,
                                      100.0, GIMP_LAYER_MODE_NORMAL);
    if (!layer)
        return FALSE;
    gimp_image_insert_layer(target->image, layer, target->group, 0);
    gimp_layer_set_offsets(layer, target->offset_x + region->x, target->offset_y + region->y);
    GeglBuffer *buffer = gimp_drawable_get_buffer(GIMP_DRAWABLE(layer));
    stg_region_write_planes(region, buffer, rgb ? 3 : 1, planes);
    g_object_unref(buffer);
    return TRUE;
}

static void progress(double fraction, void *user_data)
{
    (void)user_data;
    gimp_progress_update(fraction);
}

static GimpLayer *apply_layers(GimpImage *image, GimpDrawable *drawable, const stg_region *region,
                               const stg_noise_params *params, double *fmax, GError **error)
{
    if (!stg_tide_usable(&params->tide, error))
        return NULL;
    char name[128];
    stg_noise_group_name(params, name, sizeof name);
    gimp_progress_init("Noise as low-pass");
    gimp_image_undo_group_start(image);
    GimpLayer *group = GIMP_LAYER(gimp_group_layer_new(image, name));
    GimpLayer *parent = NULL;
    gint position = 0;
    if (GIMP_IS_LAYER(drawable)) {
        GimpItem *item = gimp_item_get_parent(GIMP_ITEM(drawable));
        parent = item ? GIMP_LAYER(item) : NULL;
        position = gimp_image_get_item_position(image, GIMP_ITEM(drawable));
    }
    gimp_image_insert_layer(image, group, parent, position);
    LayerTarget target = {image, group, region, 0, 0};
    gimp_drawable_get_offsets(drawable, &target.offset_x, &target.offset_y);
    gboolean ok = stg_noise_make_layers(region, params, add_layer, progress, &target, fmax, error);
    if (!ok)
        gimp_image_remove_layer(image, group);
    gimp_image_undo_group_end(image);
    gimp_progress_update(1.0);
    return ok ? group : NULL;
}

/* ------------------------------------------------------------------ */
/* Apply: the non-destructive filter                                   */
/* ------------------------------------------------------------------ */

/* The GEGL operation is loaded in this process too (same GEGL_PATH as GIMP). */
static gboolean filter_available(void)
{
    return gegl_has_operation(STG_GEGL_OPERATION);
}

/* Sets an integer choice on the filter's config: libgimp hands GEGL enum
 * properties over as strings (their nicks); anything else takes the number. */
static void set_choice(GObject *config, const char *property, gint value, const char *nick)
{
    GParamSpec *pspec = g_object_class_find_property(G_OBJECT_GET_CLASS(config), property);
    if (!pspec)
        return;
    if (G_PARAM_SPEC_VALUE_TYPE(pspec) == G_TYPE_STRING)
        g_object_set(config, property, nick, NULL);
    else
        g_object_set(config, property, value, NULL);
}

static GimpDrawableFilter *apply_filter(GimpDrawable *drawable, const stg_noise_params *params,
                                        GError **error)
{
    if (!filter_available()) {
        g_set_error(error, STG_ERROR, 1,
                    "the GEGL operation %s is not installed (scripts/demo.sh installs it)",
                    STG_GEGL_OPERATION);
        return NULL;
    }
    char name[128];
    stg_noise_group_name(params, name, sizeof name);
    GimpDrawableFilter *filter = gimp_drawable_filter_new(drawable, STG_GEGL_OPERATION, name);
    if (!filter) {
        g_set_error(error, STG_ERROR, 1, "GIMP refused the filter %s", STG_GEGL_OPERATION);
        return NULL;
    }
    GObject *config = G_OBJECT(gimp_drawable_filter_get_config(filter));
    set_choice(config, "schedule", params->tide.schedule,
               st_schedule_name((st_schedule)params->tide.schedule));
    g_object_set(config, "t", params->tide.t, "sigma", params->tide.sigma, "tau", params->tide.tau,
                 "seed", params->seed, NULL);
    set_choice(config, "view", params->view, st_tide_view_name((st_tide_view)params->view));
    set_choice(config, "channel", params->channel, st_channel_name((st_channel)params->channel));
    gimp_drawable_filter_set_blend_mode(filter, GIMP_LAYER_MODE_REPLACE);
    gimp_drawable_filter_set_opacity(filter, 1.0);
    gimp_drawable_append_filter(drawable, filter);
    return filter;
}

/* ------------------------------------------------------------------ */
/* Dialog with live preview                                            */
/* ------------------------------------------------------------------ */

typedef struct {
    GimpProcedureConfig *config;
    GimpDrawable *drawable;
    const stg_region *region;
    stg_noise_preview *state;
} Dialog;

static void preview_update(GimpPreview *preview, Dialog *dialog)
{
    gint px, py, pw, ph;
    gimp_preview_get_position(preview, &px, &py);
    gimp_preview_get_size(preview, &pw, &ph);
    stg_noise_params params;
    stg3_read_config(&stg_noise_procedure, dialog->config, &params);
    GeglBuffer *buffer = gimp_drawable_get_buffer(dialog->drawable);
    const guchar *pixels = stg_noise_preview_render(dialog->state, buffer, px, py, pw, ph, &params);
    g_object_unref(buffer);
    gimp_preview_draw_buffer(preview, pixels, pw * dialog->region->components);
}

static gboolean run_dialog(GimpProcedure *procedure, GimpProcedureConfig *config,
                           GimpDrawable *drawable, const stg_region *region, st_channel analysis)
{
    GError *error = NULL;
    Dialog dialog = {.config = config,
                     .drawable = drawable,
                     .region = region,
                     .state = stg_noise_preview_new(region, analysis, &error)};
    if (!dialog.state) {
        g_message("%s", error->message);
        g_error_free(error);
        return FALSE;
    }

    gimp_ui_init(STG_BINARY);
    GtkWidget *window =
        gimp_procedure_dialog_new(procedure, config, stg_noise_procedure.dialog_title);
    GimpProcedureDialog *procedure_dialog = GIMP_PROCEDURE_DIALOG(window);
    GtkWidget *preview =
        gimp_procedure_dialog_get_drawable_preview(procedure_dialog, "preview", drawable);
    g_signal_connect(preview, "invalidated", G_CALLBACK(preview_update), &dialog);

    const char *controls[] = {"view-mode", "schedule", "t", "sigma", "tau", "seed", "channel"};
    GList *names = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(controls); i++) {
        if (strcmp(controls[i], "channel") == 0 && region->colors != 3)
            continue;
        stg3_dialog_widget(procedure_dialog, &stg_noise_procedure, controls[i]);
        names = g_list_append(names, (gpointer)controls[i]);
    }
    GtkWidget *as_filter =
        gimp_procedure_dialog_get_widget(procedure_dialog, STG3_AS_FILTER, GTK_TYPE_CHECK_BUTTON);
    if (!filter_available()) {
        gtk_widget_set_sensitive(as_filter, FALSE);
        gtk_widget_set_tooltip_text(as_filter, "The GEGL operation " STG_GEGL_OPERATION
                                               " is not installed (scripts/demo.sh installs it)");
        g_object_set(config, STG3_AS_FILTER, FALSE, NULL);
    }
    names = g_list_append(names, (gpointer)STG3_AS_FILTER);
    GtkWidget *box = gimp_procedure_dialog_fill_box_list(procedure_dialog, "controls", names);
    g_list_free(names);
    gtk_container_set_border_width(GTK_CONTAINER(box), 6);
    gimp_procedure_dialog_fill(procedure_dialog, "preview", "controls", NULL);
    g_signal_connect_swapped(config, "notify", G_CALLBACK(gimp_preview_invalidate), preview);

    gtk_widget_show(window);
    /* Big enough to judge noise against blur at 100% zoom. */
    gtk_widget_set_size_request(gimp_preview_get_area(GIMP_PREVIEW(preview)),
                                MIN(region->full_width, 480), MIN(region->full_height, 360));
    gboolean run = gimp_procedure_dialog_run(procedure_dialog);
    g_signal_handlers_disconnect_by_data(config, preview);
    gtk_widget_destroy(window);
    stg_noise_preview_free(dialog.state);
    return run;
}

/* ------------------------------------------------------------------ */
/* Run                                                                 */
/* ------------------------------------------------------------------ */

GimpValueArray *stg3_noise_run(GimpProcedure *procedure, GimpRunMode run_mode, GimpImage *image,
                               GimpDrawable **drawables, GimpProcedureConfig *config,
                               gpointer run_data)
{
    (void)run_data;
    gegl_init(NULL, NULL);
    st_set_threads((int)g_get_num_processors());
    GError *error = NULL;
    stg_region region;
    stg_spectrum spectrum;
    memset(&region, 0, sizeof region);
    memset(&spectrum, 0, sizeof spectrum);
    stg_noise_params params;
    stg3_read_config(&stg_noise_procedure, config, &params);
    GimpDrawable *drawable = stg3_single_drawable(&stg_noise_procedure, drawables, &error);
    if (!drawable || !stg_params_validate(&stg_noise_procedure, &params, &error) ||
        !stg_tide_validate(&params.tide, &error) || !stg3_read_region(drawable, &region, &error) ||
        !stg_spectrum_compute(&region, (st_channel)params.channel, &spectrum, &error)) {
        stg_region_clear(&region);
        return gimp_procedure_new_return_values(procedure, GIMP_PDB_EXECUTION_ERROR, error);
    }
    if (run_mode == GIMP_RUN_INTERACTIVE) {
        if (!run_dialog(procedure, config, drawable, &region, (st_channel)params.channel)) {
            stg_spectrum_clear(&spectrum);
            stg_region_clear(&region);
            return gimp_procedure_new_return_values(procedure, GIMP_PDB_CANCEL, NULL);
        }
        /* The analysis channel may have changed in the dialog. */
        stg3_read_config(&stg_noise_procedure, config, &params);
        stg_spectrum_clear(&spectrum);
        if (!stg_spectrum_compute(&region, (st_channel)params.channel, &spectrum, &error)) {
            stg_region_clear(&region);
            return gimp_procedure_new_return_values(procedure, GIMP_PDB_EXECUTION_ERROR, error);
        }
    }

    gboolean as_filter = FALSE;
    g_object_get(config, STG3_AS_FILTER, &as_filter, NULL);
    double fmax = stg_spectrum_fmax(&spectrum, &params.tide);
    GimpLayer *group = NULL;
    gboolean ok =
        as_filter
            ? apply_filter(drawable, &params, &error) != NULL
            : (group = apply_layers(image, drawable, &region, &params, &fmax, &error)) != NULL;
    stg_spectrum_clear(&spectrum);
    stg_region_clear(&region);
    if (!ok)
        return gimp_procedure_new_return_values(procedure, GIMP_PDB_EXECUTION_ERROR, error);
    if (run_mode != GIMP_RUN_NONINTERACTIVE)
        gimp_displays_flush();
    GimpValueArray *values = gimp_procedure_new_return_values(procedure, GIMP_PDB_SUCCESS, NULL);
    GIMP_VALUES_SET_DOUBLE(values, 1, fmax);
    GIMP_VALUES_SET_LAYER(values, 2, group);
    return values;
}
