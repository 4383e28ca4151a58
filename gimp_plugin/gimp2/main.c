/* spectide GIMP 2.10 plug-in: one binary, two PDB procedures.
 *
 *   plug-in-spectide-rapsd          Colors > Info > Radial Power Spectrum...
 *   plug-in-spectide-noise-lowpass  Filters > Noise > Noise as Low-pass...
 *
 * GIMP starts the binary once to query (register) and once per call to run;
 * this file only dispatches.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "gimp2.h"

static void query(void)
{
    stg2_install(&stg_rapsd_procedure);
    stg2_install(&stg_noise_procedure);
}

static void run(const gchar *name, gint nparams, const GimpParam *param, gint *nreturn_vals,
                GimpParam **return_vals)
{
    /* GEGL must be initialised before any drawable buffer is touched. */
    gegl_init(NULL, NULL);
    /* FFTs of large images (>= 512x512) use every core: a new t in the
     * preview re-runs one inverse FFT per channel on the whole image. */
    st_set_threads((int)g_get_num_processors());
    if (strcmp(name, STG_RAPSD_PROC) == 0) {
        stg2_rapsd_run(nparams, param, nreturn_vals, return_vals);
    } else if (strcmp(name, STG_NOISE_PROC) == 0) {
        stg2_noise_run(nparams, param, nreturn_vals, return_vals);
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
