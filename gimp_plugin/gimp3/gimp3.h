/* The GIMP 3 layer of the spectide plug-in: a GimpPlugIn subclass,
 * procedures whose arguments come from the shared tables, values through
 * the GimpProcedureConfig (GIMP keeps the last ones), GimpProcedureDialog
 * dialogs, and the non-destructive filter. Everything else is in
 * gimp_plugin/shared/ (the same code as the GIMP 2.10 layer uses).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef STG_GIMP3_H
#define STG_GIMP3_H

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include "stg-noise-lowpass.h"
#include "stg-noise-preview.h"
#include "stg-procedures.h"
#include "stg-region.h"
#include "stg-spectrum.h"

/* A procedure of the shared table: documentation, menu, arguments, return
 * values. */
GimpProcedure *stg3_procedure_new(GimpPlugIn *plug_in, const stg_procedure *description,
                                  GimpRunImageFunc run);
/* Copies the config's values into params (strings are duplicated: free them
 * with stg3_params_free_strings). */
void stg3_read_config(const stg_procedure *description, GimpProcedureConfig *config, void *params);
void stg3_params_free_strings(const stg_procedure *description, void *params);

/* The one drawable a procedure works on, checked: FALSE with a message if
 * there is not exactly one or it is indexed. */
GimpDrawable *stg3_single_drawable(const stg_procedure *description, GimpDrawable **drawables,
                                   GError **error);
/* The selection bounds of the drawable, read (see stg_region_read). */
gboolean stg3_read_region(GimpDrawable *drawable, stg_region *region, GError **error);
/* A new RGB image with one layer showing the plot. */
GimpImage *stg3_plot_image(const stg_spectrum *spectrum, const stg_tide *tide, const char *title);

/* A scale or combo box for argument `name` in a procedure dialog: combo
 * boxes for the choices (channel, schedule, view-mode), scales with the
 * table's slider range and digits for numbers. */
GtkWidget *stg3_dialog_widget(GimpProcedureDialog *dialog, const stg_procedure *description,
                              const char *name);

GimpValueArray *stg3_rapsd_run(GimpProcedure *procedure, GimpRunMode run_mode, GimpImage *image,
                               GimpDrawable **drawables, GimpProcedureConfig *config,
                               gpointer run_data);
GimpValueArray *stg3_noise_run(GimpProcedure *procedure, GimpRunMode run_mode, GimpImage *image,
                               GimpDrawable **drawables, GimpProcedureConfig *config,
                               gpointer run_data);
/* Noise as Low-pass's extra (aux) argument: add the GEGL operation as a
 * filter instead of layers. Not part of the PDB signature. */
#define STG3_AS_FILTER "as-filter"

#endif
