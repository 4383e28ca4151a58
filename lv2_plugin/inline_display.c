/* spectide.lv2: the Ardour inline display. See inline_display.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inline_display.h"

#include "spectide_view.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Triple buffer: the writer owns slot `back`, the reader owns `front`, and
 * `middle` (with FRESH set when it holds a frame the reader has not taken)
 * is exchanged atomically. Neither side ever waits for the other. */
#define FRESH 4

struct st_display {
    st_display_frame slots[3];
    int back;          /* run() only */
    int front;         /* render() only */
    atomic_int middle; /* slot index | FRESH */
    int have_frame;    /* render() only */
    cairo_surface_t *surface;
    LV2_Inline_Display_Image_Surface image;
    sv_plot *plot;
    double x[ST_SPECTRUM_POINTS];
    double y[ST_SPECTRUM_POINTS];
};

st_display *st_display_new(void)
{
    st_display *display = calloc(1, sizeof *display);
    if (!display) {
        return NULL;
    }
    display->back = 0;
    display->front = 1;
    atomic_init(&display->middle, 2);
    display->plot = sv_plot_new();
    if (!display->plot) {
        free(display);
        return NULL;
    }
    return display;
}

void st_display_publish(st_display *display, const st_display_frame *frame)
{
    memcpy(&display->slots[display->back], frame, sizeof *frame);
    int previous = atomic_exchange(&display->middle, display->back | FRESH);
    display->back = previous & ~FRESH;
}

/* Takes the newest frame if there is one; returns 0 if none was ever seen. */
static int take_newest(st_display *display)
{
    if (atomic_load(&display->middle) & FRESH) {
        int previous = atomic_exchange(&display->middle, display->front);
        display->front = previous & ~FRESH;
        display->have_frame = 1;
    }
    return display->have_frame;
}

static int ensure_surface(st_display *display, int width, int height)
{
    if (display->surface && cairo_image_surface_get_width(display->surface) == width &&
        cairo_image_surface_get_height(display->surface) == height) {
        return 1;
    }
    if (display->surface) {
        cairo_surface_destroy(display->surface);
    }
    display->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    if (cairo_surface_status(display->surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(display->surface);
        display->surface = NULL;
        return 0;
    }
    return 1;
}

LV2_Inline_Display_Image_Surface *st_display_render(st_display *display, uint32_t width,
                                                    uint32_t max_height)
{
    if (width < 8 || max_height < 8 || width > 4096 || !take_newest(display)) {
        return NULL;
    }
    /* A mixer strip is narrow: a 2:1 plot reads well, within what is offered. */
    int w = (int)width;
    int h = (int)fmin((double)max_height, ceil(w * 0.5));
    if (!ensure_surface(display, w, h)) {
        return NULL;
    }
    const st_display_frame *frame = &display->slots[display->front];
    int n = frame->points;
    for (int i = 0; i < n; i++) {
        display->x[i] = frame->frequency[i];
        display->y[i] = frame->power_db[i];
    }
    sv_plot_clear(display->plot);
    double low = n > 0 && frame->frequency[0] > 0 ? frame->frequency[0] : 20.0;
    double high = frame->nyquist > low ? frame->nyquist : low * 1000.0;
    sv_plot_set_x_axis(display->plot, NULL, SV_AXIS_LOG, low, high, 1);
    sv_plot_set_y_axis(display->plot, NULL, SV_AXIS_DB, -120.0, 0.0);
    int curve = sv_plot_add_curve(display->plot, display->x, display->y, n, NULL, SV_COLOR_SIGNAL,
                                  SV_LINE_SOLID);
    if (isfinite(frame->water_db)) {
        sv_plot_add_hline(display->plot, frame->water_db, NULL, SV_COLOR_NOISE, SV_LINE_SOLID);
        sv_plot_shade_below(display->plot, curve, frame->water_db);
    }
    char note[32];
    snprintf(note, sizeof note, "%.0f%%", frame->share_bins);
    sv_plot_set_note(display->plot, note);

    cairo_t *cr = cairo_create(display->surface);
    sv_plot_draw(display->plot, cr, 0, 0, w, h);
    cairo_destroy(cr);
    cairo_surface_flush(display->surface);

    display->image.data = cairo_image_surface_get_data(display->surface);
    display->image.width = w;
    display->image.height = h;
    display->image.stride = cairo_image_surface_get_stride(display->surface);
    return &display->image;
}

void st_display_free(st_display *display)
{
    if (!display) {
        return;
    }
    if (display->surface) {
        cairo_surface_destroy(display->surface);
    }
    sv_plot_free(display->plot);
    free(display);
}
