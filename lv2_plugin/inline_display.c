/* spectide.lv2: the inline display (see inline_display.h).
 *
 * Drawn with cairo here rather than with view/'s sv_plot: sv_plot lays out
 * titles, axes and a legend around its plot, which in a strip 80-200 px
 * wide leaves no room for the plot and shrinks its text below reading
 * size. This display keeps view/'s palette and tick rules (sv_ticks_*),
 * and puts its few labels inside the plot, as x42's displays do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inline_display.h"

#include "db_axis.h"
#include "spectide_view.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Triple buffer: the writer owns slot `back`, the reader owns `front`, and
 * `middle` (with FRESH set when it holds a frame the reader has not taken)
 * is exchanged atomically. Neither side ever waits for the other. */
#define FRESH 4

/* Ardour offers max_h = 112 px per unit of its UI scale (at least 60). */
#define ARDOUR_HEIGHT_PER_SCALE 112.0
#define FONT_PX                 9.0

struct stl_display {
    stl_display_frame slots[3];
    int back;          /* run() only */
    int front;         /* render() only */
    atomic_int middle; /* slot index | FRESH */
    int have_frame;    /* render() only */
    cairo_surface_t *surface;
    LV2_Inline_Display_Image_Surface image;
    stl_db_axis axis;
};

stl_display *stl_display_new(void)
{
    stl_display *display = calloc(1, sizeof *display);
    if (!display) {
        return NULL;
    }
    display->back = 0;
    display->front = 1;
    atomic_init(&display->middle, 2);
    stl_db_axis_init(&display->axis);
    return display;
}

void stl_display_publish(stl_display *display, const stl_display_frame *frame)
{
    memcpy(&display->slots[display->back], frame, sizeof *frame);
    int previous = atomic_exchange(&display->middle, display->back | FRESH);
    display->back = previous & ~FRESH;
}

/* Takes the newest frame if there is one; returns 0 if none was ever seen. */
static int take_newest(stl_display *display)
{
    if (atomic_load(&display->middle) & FRESH) {
        int previous = atomic_exchange(&display->middle, display->front);
        display->front = previous & ~FRESH;
        display->have_frame = 1;
    }
    return display->have_frame;
}

static int ensure_surface(stl_display *display, int width, int height)
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

static void set_colour(cairo_t *cr, uint32_t rgb, double alpha)
{
    cairo_set_source_rgba(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                          (rgb & 0xff) / 255.0, alpha);
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The plot's mapping from data to pixels. */
typedef struct {
    double x0, x1, y0, y1;    /* plot area */
    double log_low, log_high; /* log10 of the frequency range */
    double bottom_db, top_db;
} mapping;

static double x_of(const mapping *m, double hz)
{
    return m->x0 + (log10(hz) - m->log_low) / (m->log_high - m->log_low) * (m->x1 - m->x0);
}

static double y_of(const mapping *m, double db)
{
    double y = m->y0 + (m->top_db - db) / (m->top_db - m->bottom_db) * (m->y1 - m->y0);
    /* Keep far-off values near the area: the path stays drawable. */
    return fmax(m->y0 - 10, fmin(m->y1 + 10, y));
}

static double text_width(cairo_t *cr, const char *text)
{
    cairo_text_extents_t extents;
    cairo_text_extents(cr, text, &extents);
    return extents.x_advance;
}

/* Text with a rim of the background colour: readable over the curve and
 * the water line. */
static void draw_label(cairo_t *cr, double x, double y, const char *text, uint32_t rgb,
                       double scale)
{
    cairo_move_to(cr, x, y);
    cairo_text_path(cr, text);
    set_colour(cr, STL_DISPLAY_BACKGROUND, 0.9);
    cairo_set_line_width(cr, 2.5 * scale);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke_preserve(cr);
    set_colour(cr, rgb, 1);
    cairo_fill(cr);
}

static void format_hz(double hz, char *out, size_t size)
{
    if (hz >= 1000) {
        snprintf(out, size, "%gk", hz / 1000);
    } else {
        snprintf(out, size, "%g", hz);
    }
}

/* The readout: what the number is, as long as the strip allows. */
static void draw_readout(cairo_t *cr, const stl_display_frame *frame, double width, double font,
                         double line)
{
    char text[64];
    /* The Spectrum above water output: a share of the FFT bins (linear in
     * frequency, while the plot is logarithmic: "of bins" says so). Shorter
     * forms drop words from the front: "above water" is what the number
     * means, so it goes last. */
    const char *forms[] = {"%.0f%% of bins above water", "%.0f%% bins above water",
                           "%.0f%% above water", "%.0f%%"};
    double room = width - 2 * 3;
    char frozen[] = "frozen";
    if (frame->frozen) {
        room -= text_width(cr, frozen) + font;
    }
    for (int i = 0; i < 4; i++) {
        snprintf(text, sizeof text, forms[i], frame->share_bins);
        if (text_width(cr, text) <= room || i == 3) {
            break;
        }
    }
    set_colour(cr, STL_DISPLAY_TEXT, 1);
    if (text_width(cr, text) <= room) {
        cairo_move_to(cr, 3, line - 0.3 * font);
        cairo_show_text(cr, text);
    }
    if (frame->frozen) {
        set_colour(cr, STL_DISPLAY_WATER_LINE, 1);
        cairo_move_to(cr, width - 3 - text_width(cr, frozen), line - 0.3 * font);
        cairo_show_text(cr, frozen);
    }
}

static void draw_grid(cairo_t *cr, const mapping *m, double scale, double font, double line,
                      int frequency_labels, double height)
{
    const double dash[] = {1.0 * scale, 2.0 * scale};
    double ticks[16];
    char label[32];
    cairo_save(cr);
    cairo_set_line_width(cr, 1.0);
    cairo_set_dash(cr, dash, 2, 0);
    set_colour(cr, STL_DISPLAY_TEXT, 0.3);
    int n = sv_ticks_log(pow(10, m->log_low), pow(10, m->log_high), ticks, 16);
    for (int i = 0; i < n; i++) {
        double x = floor(x_of(m, ticks[i])) + 0.5;
        cairo_move_to(cr, x, m->y0);
        cairo_line_to(cr, x, m->y1);
    }
    /* dB grid lines far enough apart for a label each (two at least). */
    int wanted = (int)fmax(2, floor((m->y1 - m->y0) / (1.8 * line)));
    double db[16];
    int rows = sv_ticks_nice(m->bottom_db, m->top_db, wanted, db, 16);
    for (int i = 0; i < rows; i++) {
        double y = floor(y_of(m, db[i])) + 0.5;
        cairo_move_to(cr, m->x0, y);
        cairo_line_to(cr, m->x1, y);
    }
    cairo_stroke(cr);
    cairo_restore(cr);

    /* Each label just below its line at the left, or above it at the bottom. */
    double last_y = -1e9;
    for (int i = rows - 1; i >= 0; i--) {
        double y = y_of(m, db[i]) + 0.9 * font;
        if (y > m->y1 - 0.1 * font) {
            y = y_of(m, db[i]) - 0.3 * font;
        }
        if (y - font < m->y0 || y - last_y < line) {
            continue;
        }
        snprintf(label, sizeof label, db[i] == 0 ? "0 dB" : "%+.0f dB", db[i]);
        draw_label(cr, m->x0 + 2, y, label, STL_DISPLAY_TEXT, scale);
        last_y = y;
    }
    if (frequency_labels) {
        double right_of_last = -1e9;
        for (int i = 0; i < n; i++) {
            format_hz(ticks[i], label, sizeof label);
            double w = text_width(cr, label), x = x_of(m, ticks[i]) - w / 2;
            if (x < m->x0 || x + w > m->x1 || x < right_of_last + 0.5 * font) {
                continue;
            }
            set_colour(cr, STL_DISPLAY_TEXT, 1);
            cairo_move_to(cr, x, height - 0.3 * font);
            cairo_show_text(cr, label);
            right_of_last = x + w;
        }
    }
}

static void curve_path(cairo_t *cr, const mapping *m, const stl_display_frame *frame)
{
    int started = 0;
    for (int i = 0; i < frame->points; i++) {
        double hz = frame->frequency[i], db = frame->power_db[i];
        if (!(hz > 0) || !isfinite(db)) {
            continue;
        }
        double x = x_of(m, hz), y = y_of(m, db);
        if (!started) {
            cairo_move_to(cr, x, y);
            started = 1;
        } else {
            cairo_line_to(cr, x, y);
        }
    }
}

LV2_Inline_Display_Image_Surface *stl_display_render(stl_display *display, uint32_t width,
                                                     uint32_t max_height)
{
    if (width < 8 || max_height < 8 || width > 4096 || !take_newest(display)) {
        return NULL;
    }
    const stl_display_frame *frame = &display->slots[display->front];
    double scale = fmax(1.0, max_height / ARDOUR_HEIGHT_PER_SCALE);
    double font = FONT_PX * scale, line = ceil(1.35 * font);
    int w = (int)width;
    /* About 5:3 like x42's displays, and tall enough for the readout and a
     * plot of three text lines, within what the host allows. */
    int h = (int)fmin((double)max_height, fmax(ceil(w * 0.6), 5 * line));
    if (!ensure_surface(display, w, h)) {
        return NULL;
    }
    int with_text = h >= 4 * line && w >= 6 * font;
    int frequency_labels = with_text && h >= 6 * line;

    /* From 20 Hz (or the lowest bin above it) to the analysis Nyquist. */
    double low_hz = frame->points > 0 && frame->frequency[0] > 20.0 ? frame->frequency[0] : 20.0;
    double high_hz = frame->nyquist > low_hz ? frame->nyquist : low_hz * 1000.0;
    /* The dB scale: the display ports; Auto follows what is drawn (the
     * curve from low_hz up, and the water line). */
    double highest = frame->water_db;
    for (int i = 0; i < frame->points; i++) {
        if (frame->frequency[i] >= low_hz && isfinite(frame->power_db[i]) &&
            !(frame->power_db[i] <= highest)) {
            highest = frame->power_db[i];
        }
    }
    double top = stl_db_axis_update(&display->axis, frame->top_db, highest, seconds_now());
    double range = frame->range_db > 0 ? frame->range_db : 120.0;
    mapping m = {.x0 = 0,
                 .x1 = w,
                 .y0 = with_text ? line : 0,
                 .y1 = frequency_labels ? h - line : h,
                 .log_low = log10(low_hz),
                 .log_high = log10(high_hz),
                 .bottom_db = top - range,
                 .top_db = top};

    cairo_t *cr = cairo_create(display->surface);
    set_colour(cr, STL_DISPLAY_BACKGROUND, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, font);
    if (with_text) {
        draw_readout(cr, frame, w, font, line);
    }
    draw_grid(cr, &m, scale, font, line, frequency_labels, h);

    cairo_save(cr);
    cairo_rectangle(cr, m.x0, m.y0, m.x1 - m.x0, m.y1 - m.y0);
    cairo_clip(cr);
    double water_y = y_of(&m, frame->water_db);
    if (isfinite(frame->water_db) && frame->points > 1) {
        /* What drowns: between the curve and the water line, below the line. */
        cairo_save(cr);
        cairo_rectangle(cr, m.x0, water_y, m.x1 - m.x0, m.y1 + 10 - water_y);
        cairo_clip(cr);
        curve_path(cr, &m, frame);
        cairo_line_to(cr, m.x1, water_y);
        cairo_line_to(cr, m.x0, water_y);
        cairo_close_path(cr);
        set_colour(cr, STL_DISPLAY_DROWNED, 0.45);
        cairo_fill(cr);
        cairo_restore(cr);
    }
    curve_path(cr, &m, frame);
    set_colour(cr, STL_DISPLAY_CURVE, 1);
    cairo_set_line_width(cr, 1.5 * scale);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    if (isfinite(frame->water_db)) {
        double y = fmax(m.y0 + 1, fmin(m.y1 - 1, water_y));
        cairo_move_to(cr, m.x0, y);
        cairo_line_to(cr, m.x1, y);
        set_colour(cr, STL_DISPLAY_WATER_LINE, 1);
        cairo_set_line_width(cr, 1.5 * scale);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
    cairo_destroy(cr);
    cairo_surface_flush(display->surface);

    display->image.data = cairo_image_surface_get_data(display->surface);
    display->image.width = w;
    display->image.height = h;
    display->image.stride = cairo_image_surface_get_stride(display->surface);
    return &display->image;
}

void stl_display_free(stl_display *display)
{
    if (!display) {
        return;
    }
    if (display->surface) {
        cairo_surface_destroy(display->surface);
    }
    free(display);
}
