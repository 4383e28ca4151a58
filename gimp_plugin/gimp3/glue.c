/* GIMP 3 glue shared by both procedures (see gimp3.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "gimp3.h"

/* A GimpChoice of one of core's lists: nick = core's name, id = core's enum. */
static GimpChoice *choice_of(const stg_choices *choices)
{
    GimpChoice *choice = gimp_choice_new();
    for (int i = 0; i < choices->count; i++)
        gimp_choice_add(choice, choices->name(i), i, choices->label(i), NULL);
    return choice;
}

GimpProcedure *stg3_procedure_new(GimpPlugIn *plug_in, const stg_procedure *description,
                                  GimpRunImageFunc run)
{
    GimpProcedure *procedure = gimp_image_procedure_new(plug_in, description->name,
                                                        GIMP_PDB_PROC_TYPE_PLUGIN, run, NULL, NULL);
    gimp_procedure_set_image_types(procedure, STG_IMAGE_TYPES);
    gimp_procedure_set_sensitivity_mask(procedure, GIMP_PROCEDURE_SENSITIVE_DRAWABLE);
    gimp_procedure_set_menu_label(procedure, description->menu_label);
    gimp_procedure_add_menu_path(procedure, description->menu_path);
    gimp_procedure_set_documentation(procedure, description->blurb, description->help,
                                     description->name);
    gimp_procedure_set_attribution(procedure, STG_AUTHORS, STG_AUTHORS, STG_DATE);

    for (int i = 0; i < description->argument_count; i++) {
        const stg_argument *a = &description->arguments[i];
        switch (a->type) {
        case STG_VALUE_INT:
            gimp_procedure_add_int_argument(procedure, a->name, a->label, a->blurb,
                                            (gint)a->minimum, (gint)a->maximum,
                                            (gint)a->default_value, G_PARAM_READWRITE);
            break;
        case STG_VALUE_DOUBLE:
            gimp_procedure_add_double_argument(procedure, a->name, a->label, a->blurb, a->minimum,
                                               a->maximum, a->default_value, G_PARAM_READWRITE);
            break;
        case STG_VALUE_STRING:
            gimp_procedure_add_string_argument(procedure, a->name, a->label, a->blurb, "",
                                               G_PARAM_READWRITE);
            break;
        case STG_VALUE_BOOLEAN:
            gimp_procedure_add_boolean_argument(procedure, a->name, a->label, a->blurb,
                                                a->default_value != 0, G_PARAM_READWRITE);
            break;
        case STG_VALUE_CHOICE: /* the procedure takes the choice */
            gimp_procedure_add_choice_argument(
                procedure, a->name, a->label, a->blurb, choice_of(a->choices),
                a->choices->name((int)a->default_value), G_PARAM_READWRITE);
            break;
        }
    }
    for (int i = 0; i < description->return_count; i++) {
        const stg_return_value *v = &description->return_values[i];
        switch (v->type) {
        case STG_RETURN_DOUBLE:
            gimp_procedure_add_double_return_value(procedure, v->name, v->label, v->blurb,
                                                   -G_MAXDOUBLE, G_MAXDOUBLE, 0.0,
                                                   G_PARAM_READWRITE);
            break;
        case STG_RETURN_IMAGE:
            gimp_procedure_add_image_return_value(procedure, v->name, v->label, v->blurb, TRUE,
                                                  G_PARAM_READWRITE);
            break;
        case STG_RETURN_LAYER:
            gimp_procedure_add_layer_return_value(procedure, v->name, v->label, v->blurb, TRUE,
                                                  G_PARAM_READWRITE);
            break;
        }
    }
    return procedure;
}

void stg3_read_config(const stg_procedure *description, GimpProcedureConfig *config, void *params)
{
    for (int i = 0; i < description->argument_count; i++) {
        const stg_argument *a = &description->arguments[i];
        void *value = stg_argument_value(a, params);
        switch (a->type) {
        case STG_VALUE_INT:
            g_object_get(config, a->name, (gint *)value, NULL);
            break;
        case STG_VALUE_DOUBLE:
            g_object_get(config, a->name, (gdouble *)value, NULL);
            break;
        case STG_VALUE_STRING: {
            gchar *text = NULL;
            g_object_get(config, a->name, &text, NULL);
            *(const gchar **)value = text ? text : g_strdup("");
            break;
        }
        case STG_VALUE_BOOLEAN:
            g_object_get(config, a->name, (gboolean *)value, NULL);
            break;
        case STG_VALUE_CHOICE:
            *(gint *)value = gimp_procedure_config_get_choice_id(config, a->name);
            break;
        }
    }
}

void stg3_params_free_strings(const stg_procedure *description, void *params)
{
    for (int i = 0; i < description->argument_count; i++)
        if (description->arguments[i].type == STG_VALUE_STRING) {
            gchar **text = stg_argument_value(&description->arguments[i], params);
            g_free(*text);
            *text = NULL;
        }
}

GimpDrawable *stg3_single_drawable(const stg_procedure *description, GimpDrawable **drawables,
                                   GError **error)
{
    if (!drawables || gimp_core_object_array_get_length((GObject **)drawables) != 1) {
        g_set_error(error, STG_ERROR, 1, "%s works on exactly one drawable", description->name);
        return NULL;
    }
    if (gimp_drawable_is_indexed(drawables[0])) {
        g_set_error(error, STG_ERROR, 1, STG_MESSAGE_INDEXED);
        return NULL;
    }
    return drawables[0];
}

gboolean stg3_read_region(GimpDrawable *drawable, stg_region *region, GError **error)
{
    memset(region, 0, sizeof *region);
    /* Selections are honoured by working on their bounds, like GIMP's own
     * frequency-domain filters (the FFT needs a rectangle). */
    gint x = 0, y = 0, width = 0, height = 0;
    if (!gimp_drawable_mask_intersect(drawable, &x, &y, &width, &height))
        width = height = 0;
    GeglBuffer *buffer = gimp_drawable_get_buffer(drawable);
    gboolean ok =
        stg_region_read(buffer, x, y, width, height, gimp_drawable_get_width(drawable),
                        gimp_drawable_get_height(drawable), gimp_drawable_is_rgb(drawable),
                        gimp_drawable_has_alpha(drawable), region, error);
    g_object_unref(buffer);
    return ok;
}

GimpImage *stg3_plot_image(const stg_spectrum *spectrum, const stg_tide *tide, const char *title)
{
    gint width = STG_PLOT_IMAGE_WIDTH, height = STG_PLOT_IMAGE_HEIGHT;
    guchar *rgb = stg_spectrum_render_rgb(spectrum, tide, title, width, height);
    GimpImage *image = gimp_image_new(width, height, GIMP_RGB);
    GimpLayer *layer = gimp_layer_new(image, "RAPSD", width, height, GIMP_RGB_IMAGE, 100.0,
                                      GIMP_LAYER_MODE_NORMAL);
    gimp_image_insert_layer(image, layer, NULL, 0);
    GeglBuffer *buffer = gimp_drawable_get_buffer(GIMP_DRAWABLE(layer));
    gegl_buffer_set(buffer, GEGL_RECTANGLE(0, 0, width, height), 0, babl_format("R'G'B' u8"), rgb,
                    GEGL_AUTO_ROWSTRIDE);
    g_object_unref(buffer);
    g_free(rgb);
    return image;
}

GtkWidget *stg3_dialog_widget(GimpProcedureDialog *dialog, const stg_procedure *description,
                              const char *name)
{
    const stg_argument *argument = stg_argument_named(description, name);
    /* A choice: GIMP's own combo box of the GimpChoice's labels. */
    if (argument && argument->type == STG_VALUE_CHOICE)
        return gimp_procedure_dialog_get_widget(dialog, name, G_TYPE_NONE);
    GtkWidget *scale = gimp_procedure_dialog_get_scale_entry(dialog, name, 1.0);
    if (argument) {
        gimp_scale_entry_set_bounds(GIMP_SCALE_ENTRY(scale), argument->ui_minimum,
                                    argument->ui_maximum, TRUE);
        gimp_label_spin_set_increments(GIMP_LABEL_SPIN(scale), argument->ui_step,
                                       argument->ui_step * 10);
        gimp_label_spin_set_digits(GIMP_LABEL_SPIN(scale), argument->ui_digits);
    }
    return scale;
}
