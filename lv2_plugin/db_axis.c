/* spectide.lv2: the top of the dB axis (see db_axis.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "db_axis.h"

#include "controls.h"

#include <math.h>

#define HEADROOM_DB 3.0
#define STEP_DB     10.0
#define HOLD_S      2.0
#define AUTO_START  20.0 /* before any data: the UI's old default top */

void stl_db_axis_init(stl_db_axis *axis)
{
    axis->top = AUTO_START;
    axis->lower_since = -1;
    axis->valid = 0;
}

double stl_db_axis_update(stl_db_axis *axis, double setting, double highest_db, double now)
{
    if (setting < STL_DISPLAY_TOP_AUTO - 0.5) {
        axis->valid = 0; /* back to Auto later: start from the data again */
        axis->lower_since = -1;
        return setting;
    }
    if (!isfinite(highest_db)) {
        return axis->top;
    }
    double wanted = STEP_DB * ceil((highest_db + HEADROOM_DB) / STEP_DB);
    if (!axis->valid || wanted > axis->top) {
        axis->top = wanted;
        axis->valid = 1;
        axis->lower_since = -1;
    } else if (wanted <= axis->top - STEP_DB) {
        if (axis->lower_since < 0 || now < axis->lower_since) {
            axis->lower_since = now;
        } else if (now - axis->lower_since >= HOLD_S) {
            axis->top = wanted;
            axis->lower_since = -1;
        }
    } else {
        axis->lower_since = -1;
    }
    return axis->top;
}
