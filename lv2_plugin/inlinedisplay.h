/* The Ardour inline display extension, http://harrisonconsoles.com/lv2/inlinedisplay
 * Written for spectide from the extension's documentation: the plugin
 * returns an image through extension_data(LV2_INLINEDISPLAY__interface); the
 * host calls render() from its GUI thread, never concurrently with itself,
 * and the plugin asks for a redraw with queue_draw() (callable from run()).
 * The image is ARGB32 premultiplied, native endian (cairo's
 * CAIRO_FORMAT_ARGB32), owned by the plugin until the next render or cleanup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_INLINEDISPLAY_H
#define SPECTIDE_INLINEDISPLAY_H

#include <lv2/core/lv2.h>
#include <stdint.h>

#define LV2_INLINEDISPLAY_URI         "http://harrisonconsoles.com/lv2/inlinedisplay"
#define LV2_INLINEDISPLAY_PREFIX      LV2_INLINEDISPLAY_URI "#"
#define LV2_INLINEDISPLAY__interface  LV2_INLINEDISPLAY_PREFIX "interface"
#define LV2_INLINEDISPLAY__queue_draw LV2_INLINEDISPLAY_PREFIX "queue_draw"
#define LV2_INLINEDISPLAY__in_gui     LV2_INLINEDISPLAY_PREFIX "in_gui"

typedef struct {
    unsigned char *data; /* ARGB32 pixels, `stride` bytes per row */
    int width;
    int height;
    int stride;
} LV2_Inline_Display_Image_Surface;

typedef struct {
    /* w: the width the host offers; max_h: the tallest image it accepts. The
     * plugin may return a smaller height (and NULL to show nothing). */
    LV2_Inline_Display_Image_Surface *(*render)(LV2_Handle instance, uint32_t w, uint32_t max_h);
} LV2_Inline_Display_Interface;

typedef void *LV2_Inline_Display_Handle;

/* The feature (data of LV2_INLINEDISPLAY__queue_draw). */
typedef struct {
    LV2_Inline_Display_Handle handle;
    void (*queue_draw)(LV2_Inline_Display_Handle handle);
} LV2_Inline_Display;

#endif /* SPECTIDE_INLINEDISPLAY_H */
