/* GIMP 2.10 glue shared by both procedures (see gimp2.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "gimp2.h"

static GimpPDBArgType pdb_type(stg_value_type type)
{
    switch (type) {
    case STG_VALUE_DOUBLE:
        return GIMP_PDB_FLOAT;
    case STG_VALUE_STRING:
        return GIMP_PDB_STRING;
    default: /* integers, booleans and the choices: a choice is its index */
        return GIMP_PDB_INT32;
    }
}

void stg2_install(const stg_procedure *procedure)
{
    int count = 3 + procedure->argument_count;
    GimpParamDef *args = g_new0(GimpParamDef, count);
    args[0] = (GimpParamDef){GIMP_PDB_INT32, "run-mode",
                             "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1) }"};
    args[1] = (GimpParamDef){GIMP_PDB_IMAGE, "image", "Input image"};
    args[2] =
        (GimpParamDef){GIMP_PDB_DRAWABLE, "drawable", "Drawable to work on (its selection bounds)"};
    /* A choice's blurb lists core's names with their numbers. */
    gchar **blurbs = g_new0(gchar *, procedure->argument_count);
    for (int i = 0; i < procedure->argument_count; i++) {
        const stg_argument *argument = &procedure->arguments[i];
        blurbs[i] = stg_argument_blurb(argument);
        args[3 + i] = (GimpParamDef){pdb_type(argument->type), (gchar *)argument->name, blurbs[i]};
    }
    GimpParamDef *returns = g_new0(GimpParamDef, procedure->return_count);
    for (int i = 0; i < procedure->return_count; i++) {
        const stg_return_value *value = &procedure->return_values[i];
        GimpPDBArgType type = value->type == STG_RETURN_DOUBLE  ? GIMP_PDB_FLOAT
                              : value->type == STG_RETURN_IMAGE ? GIMP_PDB_IMAGE
                                                                : GIMP_PDB_LAYER;
        returns[i] = (GimpParamDef){type, (gchar *)value->name, (gchar *)value->blurb};
    }
    gimp_install_procedure(procedure->name, procedure->blurb, procedure->help, STG_AUTHORS,
                           STG_AUTHORS, STG_DATE, procedure->menu_label, STG_IMAGE_TYPES,
                           GIMP_PLUGIN, count, procedure->return_count, args, returns);
    gimp_plugin_menu_register(procedure->name, procedure->menu_path);
    for (int i = 0; i < procedure->argument_count; i++)
        g_free(blurbs[i]);
    g_free(blurbs);
    g_free(args);
    g_free(returns);
}

gboolean stg2_read_arguments(const stg_procedure *procedure, gint nparams, const GimpParam *param,
                             void *params, GError **error)
{
    if (nparams != 3 + procedure->argument_count) {
        g_set_error(error, STG_ERROR, 1, "%s takes %d arguments, got %d", procedure->name,
                    3 + procedure->argument_count, nparams);
        return FALSE;
    }
    for (int i = 0; i < procedure->argument_count; i++) {
        const stg_argument *argument = &procedure->arguments[i];
        const GimpParam *given = &param[3 + i];
        void *value = stg_argument_value(argument, params);
        if (given->type != pdb_type(argument->type)) {
            g_set_error(error, STG_ERROR, 1, "%s: argument %s has the wrong type", procedure->name,
                        argument->name);
            return FALSE;
        }
        switch (argument->type) {
        case STG_VALUE_INT:
        case STG_VALUE_BOOLEAN:
        case STG_VALUE_CHOICE:
            *(gint *)value = given->data.d_int32;
            break;
        case STG_VALUE_DOUBLE:
            *(gdouble *)value = given->data.d_float;
            break;
        case STG_VALUE_STRING:
            *(const gchar **)value = given->data.d_string ? given->data.d_string : "";
            break;
        }
    }
    return stg_params_validate(procedure, params, error);
}

gboolean stg2_check_drawable(gint32 drawable_id, GError **error)
{
    if (!gimp_item_is_valid(drawable_id) || !gimp_item_is_drawable(drawable_id)) {
        g_set_error(error, STG_ERROR, 1, "%d is not a valid drawable", drawable_id);
        return FALSE;
    }
    if (gimp_drawable_is_indexed(drawable_id)) {
        g_set_error(error, STG_ERROR, 1, STG_MESSAGE_INDEXED);
        return FALSE;
    }
    return TRUE;
}

gboolean stg2_read_region(gint32 drawable_id, stg_region *region, GError **error)
{
    memset(region, 0, sizeof *region);
    if (!stg2_check_drawable(drawable_id, error))
        return FALSE;
    /* Selections are honoured by working on their bounds, like GIMP's own
     * frequency-domain filters (the FFT needs a rectangle). */
    gint x = 0, y = 0, width = 0, height = 0;
    if (!gimp_drawable_mask_intersect(drawable_id, &x, &y, &width, &height))
        width = height = 0;
    GeglBuffer *buffer = gimp_drawable_get_buffer(drawable_id);
    gboolean ok =
        stg_region_read(buffer, x, y, width, height, gimp_drawable_width(drawable_id),
                        gimp_drawable_height(drawable_id), gimp_drawable_is_rgb(drawable_id),
                        gimp_drawable_has_alpha(drawable_id), region, error);
    g_object_unref(buffer);
    return ok;
}

gint32 stg2_plot_image(const stg_spectrum *spectrum, const stg_tide *tide, const char *title)
{
    gint width = STG_PLOT_IMAGE_WIDTH, height = STG_PLOT_IMAGE_HEIGHT;
    guchar *rgb = stg_spectrum_render_rgb(spectrum, tide, title, width, height);
    gint32 image = gimp_image_new(width, height, GIMP_RGB);
    gint32 layer = gimp_layer_new(image, "RAPSD", width, height, GIMP_RGB_IMAGE, 100.0,
                                  GIMP_LAYER_MODE_NORMAL);
    gimp_image_insert_layer(image, layer, 0, 0);
    GeglBuffer *buffer = gimp_drawable_get_buffer(layer);
    gegl_buffer_set(buffer, GEGL_RECTANGLE(0, 0, width, height), 0, babl_format("R'G'B' u8"), rgb,
                    GEGL_AUTO_ROWSTRIDE);
    g_object_unref(buffer);
    g_free(rgb);
    return image;
}

void stg2_error_return(GimpParam *values, gint *nreturn_vals, GimpPDBStatusType status,
                       const char *message)
{
    static gchar *last_message = NULL;
    g_free(last_message);
    last_message = g_strdup(message);
    values[0].type = GIMP_PDB_STATUS;
    values[0].data.d_status = status;
    values[1].type = GIMP_PDB_STRING;
    values[1].data.d_string = last_message;
    *nreturn_vals = 2;
}

GtkWidget *stg2_choice_combo(const stg_choices *choices, gint active)
{
    GtkWidget *combo = g_object_new(GIMP_TYPE_INT_COMBO_BOX, NULL);
    for (int i = 0; i < choices->count; i++)
        gimp_int_combo_box_append(GIMP_INT_COMBO_BOX(combo), GIMP_INT_STORE_VALUE, i,
                                  GIMP_INT_STORE_LABEL, choices->label(i), -1);
    gimp_int_combo_box_set_active(GIMP_INT_COMBO_BOX(combo), active);
    return combo;
}
