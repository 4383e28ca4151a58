/* spectide GIMP plug-in: one binary, two PDB procedures.
 *
 *   plug-in-spectide-rapsd          Colors > Info > Radial Power Spectrum...
 *   plug-in-spectide-noise-lowpass  Filters > Noise > Noise as Low-pass...
 *
 * GIMP starts the binary once to query (register) and once per call to run;
 * this file only dispatches to the procedure files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "spectide-gimp.h"

static void query(void)
{
    rapsd_query();
    noise_lowpass_query();
}

static void run(const gchar *name, gint nparams, const GimpParam *param, gint *nreturn_vals,
                GimpParam **return_vals)
{
    /* GEGL must be initialised before any drawable buffer is touched. */
    gegl_init(NULL, NULL);
    /* FFTs of large images (>= 512x512) use every core: a new t in the
     * preview re-runs one inverse FFT per channel on the whole image. */
    st_set_threads((int)g_get_num_processors());
    if (strcmp(name, RAPSD_PROC) == 0) {
        rapsd_run(nparams, param, nreturn_vals, return_vals);
    } else if (strcmp(name, NOISE_PROC) == 0) {
        noise_lowpass_run(nparams, param, nreturn_vals, return_vals);
    } else {
        static GimpParam values[1];
        values[0].type = GIMP_PDB_STATUS;
        values[0].data.d_status = GIMP_PDB_CALLING_ERROR;
        *nreturn_vals = 1;
        *return_vals = values;
    }
    gegl_exit();
}

const GimpPlugInInfo PLUG_IN_INFO = {NULL, NULL, query, run};

MAIN()
