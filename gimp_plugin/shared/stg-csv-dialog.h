/* The RAPSD dialog's "Export CSV..." file chooser. GTK code that reads the
 * same in GTK 2 and GTK 3: each GIMP layer compiles this file against its
 * own GTK (it is not in the GTK-free shared library).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef STG_CSV_DIALOG_H
#define STG_CSV_DIALOG_H

#include <gtk/gtk.h>

#include "stg-spectrum.h"

/* Asks for a file name (overwrite confirmed) and writes the spectrum's CSV
 * there; a write error is shown with g_message. */
void stg_export_csv_dialog(GtkWidget *parent, const stg_spectrum *spectrum);

#endif
