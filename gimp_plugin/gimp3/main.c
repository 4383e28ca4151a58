/* spectide GIMP 3 plug-in: one binary, two PDB procedures.
 *
 *   plug-in-spectide-rapsd          Colors > Info > Radial Power Spectrum...
 *   plug-in-spectide-noise-lowpass  Filters > Noise > Noise as Low-pass...
 *
 * A GimpPlugIn subclass lists and creates the procedures; GIMP_MAIN runs it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "gimp3.h"

typedef struct {
    GimpPlugIn parent_instance;
} StgPlugIn;

typedef struct {
    GimpPlugInClass parent_class;
} StgPlugInClass;

#define STG_TYPE_PLUG_IN (stg_plug_in_get_type())
GType stg_plug_in_get_type(void) G_GNUC_CONST;
G_DEFINE_TYPE(StgPlugIn, stg_plug_in, GIMP_TYPE_PLUG_IN)

static GList *query_procedures(GimpPlugIn *plug_in)
{
    (void)plug_in;
    return g_list_append(g_list_append(NULL, g_strdup(STG_RAPSD_PROC)), g_strdup(STG_NOISE_PROC));
}

static GimpProcedure *create_procedure(GimpPlugIn *plug_in, const gchar *name)
{
    if (strcmp(name, STG_RAPSD_PROC) == 0)
        return stg3_procedure_new(plug_in, &stg_rapsd_procedure, stg3_rapsd_run);
    if (strcmp(name, STG_NOISE_PROC) == 0) {
        GimpProcedure *procedure =
            stg3_procedure_new(plug_in, &stg_noise_procedure, stg3_noise_run);
        gimp_procedure_add_boolean_aux_argument(
            procedure, STG3_AS_FILTER, "Add as a non-destructive _filter (editable later)",
            "Attach the GEGL operation " STG_GEGL_OPERATION
            " to the layer, showing the chosen view, instead of adding three layers",
            FALSE, G_PARAM_READWRITE);
        return procedure;
    }
    return NULL;
}

/* No translations: without this GIMP looks for a catalogue. */
static gboolean set_i18n(GimpPlugIn *plug_in, const gchar *procedure_name, gchar **gettext_domain,
                         gchar **catalog_dir)
{
    (void)plug_in;
    (void)procedure_name;
    (void)gettext_domain;
    (void)catalog_dir;
    return FALSE;
}

static void stg_plug_in_class_init(StgPlugInClass *klass)
{
    GimpPlugInClass *plug_in_class = GIMP_PLUG_IN_CLASS(klass);
    plug_in_class->query_procedures = query_procedures;
    plug_in_class->create_procedure = create_procedure;
    plug_in_class->set_i18n = set_i18n;
}

static void stg_plug_in_init(StgPlugIn *plug_in)
{
    (void)plug_in;
}

GIMP_MAIN(STG_TYPE_PLUG_IN)
