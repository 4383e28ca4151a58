/* The GIMP 2.10 layer of the spectide plug-in: registration (query), run
 * dispatch, drawable ids to GEGL buffers, GTK 2 dialogs. Everything else is
 * in gimp_plugin/shared/ (the same code as the GIMP 3 layer uses).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef STG_GIMP2_H
#define STG_GIMP2_H

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include "stg-noise-lowpass.h"
#include "stg-noise-preview.h"
#include "stg-procedures.h"
#include "stg-region.h"
#include "stg-spectrum.h"

/* Registers a procedure described by the shared table. */
void stg2_install(const stg_procedure *procedure);
/* Fills params from the PDB arguments after run-mode, image, drawable;
 * FALSE with a message if their number or types do not match. */
gboolean stg2_read_arguments(const stg_procedure *procedure, gint nparams, const GimpParam *param,
                             void *params, GError **error);

/* FALSE with a message naming the problem for drawables the plug-in refuses. */
gboolean stg2_check_drawable(gint32 drawable_id, GError **error);
/* The selection bounds of the drawable, read (see stg_region_read). */
gboolean stg2_read_region(gint32 drawable_id, stg_region *region, GError **error);
/* A new RGB image with one layer showing the plot; returns its id. */
gint32 stg2_plot_image(const stg_spectrum *spectrum, const stg_tide *tide, const char *title);

/* Fills values[0..1] with a status and the message. */
void stg2_error_return(GimpParam *values, gint *nreturn_vals, GimpPDBStatusType status,
                       const char *message);
/* Combo box of one of core's lists (channel, schedule, view), by label. */
GtkWidget *stg2_choice_combo(const stg_choices *choices, gint active);

void stg2_rapsd_run(gint nparams, const GimpParam *param, gint *nreturn_vals,
                    GimpParam **return_vals);
void stg2_noise_run(gint nparams, const GimpParam *param, gint *nreturn_vals,
                    GimpParam **return_vals);

#endif
