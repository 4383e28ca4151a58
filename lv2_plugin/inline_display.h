/* spectide.lv2: the Ardour inline display (a small spectrum with the tide
 * line for the mixer strip).
 *
 * run() publishes the newest log-binned spectrum into a triple buffer
 * (wait-free: a memcpy and one atomic exchange); render() runs in the host's
 * GUI thread, takes the newest published frame and draws it with view/ into
 * an ARGB32 image surface the display owns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_LV2_INLINE_DISPLAY_H
#define SPECTIDE_LV2_INLINE_DISPLAY_H

#include "inlinedisplay.h"
#include "protocol.h"

typedef struct st_display st_display;

typedef struct {
    int points;
    float frequency[ST_SPECTRUM_POINTS]; /* Hz */
    float power_db[ST_SPECTRUM_POINTS];
    float water_db;   /* 10 log10(tau sigma^2) */
    float share_bins; /* percent above water */
    float nyquist;    /* Hz, right end of the axis */
} st_display_frame;

st_display *st_display_new(void);
/* Real-time safe: copies the frame into the free slot, then publishes it. */
void st_display_publish(st_display *display, const st_display_frame *frame);
/* GUI thread only. NULL until a first frame was published. */
LV2_Inline_Display_Image_Surface *st_display_render(st_display *display, uint32_t width,
                                                    uint32_t max_height);
void st_display_free(st_display *display);

#endif /* SPECTIDE_LV2_INLINE_DISPLAY_H */
