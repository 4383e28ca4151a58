/* spectide.lv2: the inline display of Ardour's mixer strip: a small
 * spectrum with the noise tide, in the idiom of x42's inline displays
 * (fil4, meters): a dark plot that sits in Ardour's dark theme, text the
 * size the host's scale asks for, nothing the strip has no room for.
 *
 * What it shows (see lv2_plugin/README.md):
 *   - the averaged spectrum (light blue), log frequency from the lowest bin
 *     to the analysis Nyquist; decade ticks labelled 100, 1k, 10k when the
 *     strip is tall enough;
 *   - the water line tau*sigma^2 (red), and in translucent blue the parts
 *     of the spectrum under it (what the noise drowns);
 *   - the dB scale of the display_top / display_range ports: Auto follows
 *     the signal (db_axis.h), as the UI does; the top and one more grid
 *     line are labelled in dB;
 *   - at the top, the share of the spectrum's bins above the water line
 *     (the "Spectrum above water" output), labelled as such ("87% of bins
 *     above water", shorter when the strip is narrow), and "frozen" while
 *     the analysis is.
 * Text is 9 px at Ardour's scale 1 (max_h 112) and grows with the height
 * Ardour offers (112 px per unit of its UI scale).
 *
 * Threads: run() publishes the newest frame into a triple buffer
 * (wait-free: a memcpy and one atomic exchange); render() runs in the
 * host's GUI thread, takes the newest frame and draws it into an ARGB32
 * surface the display owns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_LV2_INLINE_DISPLAY_H
#define SPECTIDE_LV2_INLINE_DISPLAY_H

#include "inlinedisplay.h"
#include "uris.h"

/* Colours on the dark background, 0xRRGGBB (the tests look for them). */
#define STL_DISPLAY_BACKGROUND 0x262626
#define STL_DISPLAY_CURVE      0x6cb6f0 /* the view palette's signal blue, lightened */
#define STL_DISPLAY_WATER_LINE 0xf0564a /* the view palette's noise red, lightened */
#define STL_DISPLAY_DROWNED    0x3d8fd1 /* SV_COLOR_WATER, translucent */
#define STL_DISPLAY_TEXT       0xc8c8c8

typedef struct stl_display stl_display;

typedef struct {
    int points;
    float frequency[STL_SPECTRUM_POINTS]; /* Hz */
    float power_db[STL_SPECTRUM_POINTS];
    float water_db;   /* 10 log10(tau sigma^2) */
    float share_bins; /* percent of the spectrum above water */
    float nyquist;    /* Hz, right end of the axis */
    float top_db;     /* display_top port: dB, or STL_DISPLAY_TOP_AUTO */
    float range_db;   /* display_range port */
    int frozen;
} stl_display_frame;

stl_display *stl_display_new(void);
/* Real-time safe: copies the frame into the free slot, then publishes it. */
void stl_display_publish(stl_display *display, const stl_display_frame *frame);
/* GUI thread only. NULL until a first frame was published. */
LV2_Inline_Display_Image_Surface *stl_display_render(stl_display *display, uint32_t width,
                                                     uint32_t max_height);
void stl_display_free(stl_display *display);

#endif /* SPECTIDE_LV2_INLINE_DISPLAY_H */
