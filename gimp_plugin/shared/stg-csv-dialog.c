/* See stg-csv-dialog.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "stg-csv-dialog.h"

void stg_export_csv_dialog(GtkWidget *parent, const stg_spectrum *spectrum)
{
    GtkWidget *chooser = gtk_file_chooser_dialog_new(
        "Export RAPSD as CSV", GTK_WINDOW(parent), GTK_FILE_CHOOSER_ACTION_SAVE, "_Cancel",
        GTK_RESPONSE_CANCEL, "_Save", GTK_RESPONSE_ACCEPT, NULL);
    gtk_file_chooser_set_do_overwrite_confirmation(GTK_FILE_CHOOSER(chooser), TRUE);
    gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(chooser), "rapsd.csv");
    if (gtk_dialog_run(GTK_DIALOG(chooser)) == GTK_RESPONSE_ACCEPT) {
        gchar *filename = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(chooser));
        GError *error = NULL;
        if (!stg_spectrum_write_csv(spectrum, filename, &error)) {
            g_message("%s", error->message);
            g_error_free(error);
        }
        g_free(filename);
    }
    gtk_widget_destroy(chooser);
}
