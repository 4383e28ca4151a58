/* spectide.lv2: the top of the spectrum's dB axis, shared by the UI and
 * the inline display so that both show the same scale: the display_top
 * port's value, or, for Auto, a top that follows the signal. Auto keeps
 * the highest point of the curve (and the water line) at least 3 dB below
 * the top, in steps of 10 dB: it moves up at once, so nothing runs off the
 * top, and down only after the signal stayed 10 dB lower for two seconds,
 * so the scale does not flicker with every note.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_LV2_DB_AXIS_H
#define SPECTIDE_LV2_DB_AXIS_H

typedef struct {
    double top;         /* the current top, dB */
    double lower_since; /* when Auto first wanted a lower top; < 0: not now */
    int valid;
} stl_db_axis;

void stl_db_axis_init(stl_db_axis *axis);
/* setting: the display_top port (a dB value, or STL_DISPLAY_TOP_AUTO);
 * highest_db: the highest value to show (NaN if none); now: seconds on any
 * steady clock. Returns the top to draw with. */
double stl_db_axis_update(stl_db_axis *axis, double setting, double highest_db, double now);

#endif
