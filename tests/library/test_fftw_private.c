/* ST_FFTW_PRIVATE: chosen before the first object, it stays in force (a
 * different mode is refused), plans are single-threaded whatever
 * st_set_threads says, the process's FFTW wisdom is neither read nor
 * written, and the objects still compute. A separate process:
 * the mode is per process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "check.h"
#include "planner.h"
#include "spectide.h"

#include <stdlib.h>

int main(void)
{
    CHECK(st_fftw_configure(ST_FFTW_PRIVATE) == ST_OK, "private mode configured");
    CHECK(st_fftw_configure(ST_FFTW_PRIVATE) == ST_OK, "the same mode again: ok");
    CHECK(st_fftw_configure(ST_FFTW_PROCESS_WIDE) == ST_ERROR_MISMATCH,
          "another mode afterwards: ST_ERROR_MISMATCH");
    CHECK(st_fftw_current_mode() == ST_FFTW_PRIVATE, "mode in force: private");
    st_set_threads(4);
    CHECK(st_planner_threads_for(1024, 1024) == 1, "private mode plans with one thread");
    CHECK(st_fftw_export_wisdom() == NULL, "private mode: no wisdom handed out");
    CHECK(st_fftw_import_wisdom("(fftw-3.3.10 fftwf_wisdom)") == ST_ERROR_MISMATCH,
          "private mode: wisdom refused (ST_ERROR_MISMATCH)");

    /* A cosine of 8 cycles across a 64x64 image: all its power (1/2 per unit
     * amplitude squared, in the pysteps normalisation) lies in ring 8. */
    enum { SIDE = 64 };
    float *image = malloc(sizeof(float) * SIDE * SIDE);
    for (int y = 0; y < SIDE; y++)
        for (int x = 0; x < SIDE; x++)
            image[y * SIDE + x] = (float)cos(2.0 * M_PI * 8.0 * x / SIDE);
    st_rapsd *rapsd = st_rapsd_new(SIDE, SIDE, NULL);
    double power[SIDE / 2];
    st_rapsd_run(rapsd, image, power);
    int peak = 0;
    for (int r = 1; r < SIDE / 2; r++)
        if (power[r] > power[peak])
            peak = r;
    CHECK(peak == 8, "RAPSD of an 8-cycle cosine peaks at ring %d", peak);
    st_rapsd_free(rapsd);
    free(image);
    return check_done();
}
