/* spectide.lv2 UI: the X11 window layer, behind a narrow interface: a
 * window of our own X connection (embedded in the host's ui:parent, or
 * top-level), its HiDPI scale, a back buffer cairo draws into, the events
 * the UI needs in logical units, and resizing. Nothing of Xlib leaks out:
 * ui.c sees a cairo_t and a few events.
 *
 * The X11UI contract, as suil's x11-in-gtk wrapper expects it: we open our
 * own connection and create a child of the host's window; the host may
 * resize that window (we follow ConfigureNotify) or ask us to (resize);
 * the host may destroy its parent, and our window with it, before it calls
 * our cleanup (stl_window_free copes).
 *
 * Threads: one window per UI instance, used from the host's GUI thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_LV2_X11_WINDOW_H
#define SPECTIDE_LV2_X11_WINDOW_H

#include <cairo.h>
#include <stdint.h>

typedef struct stl_window stl_window;

typedef enum {
    STL_EVENT_EXPOSE = 1, /* redraw */
    STL_EVENT_RESIZE,     /* the window's size changed: redraw */
    STL_EVENT_PRESS,      /* x, y, button (1 left, 3 right, 4/5 wheel) */
    STL_EVENT_RELEASE,
    STL_EVENT_MOTION, /* x, y */
    STL_EVENT_LEAVE,
    STL_EVENT_CLOSE /* a top-level window's close button */
} stl_window_event_type;

typedef struct {
    stl_window_event_type type;
    double x, y; /* logical units (device pixels / scale) */
    int button;
} stl_window_event;

/* parent: the host's window (ui:parent), 0 for a top-level window.
 * Sizes in logical units; host_scale: the host's ui:scaleFactor, or 0 to
 * use the X server's Xft.dpi (96 dpi is scale 1). NULL if the display
 * cannot be opened (a message names it on stderr). */
stl_window *stl_window_new(uintptr_t parent, const char *title, double width, double height,
                           double min_width, double min_height, double host_scale);
void stl_window_free(stl_window *window);

/* The X window id (the LV2UI_Widget of an X11UI). */
uintptr_t stl_window_id(const stl_window *window);
double stl_window_scale(const stl_window *window);
/* Size in device pixels. */
void stl_window_size(const stl_window *window, int *width, int *height);
/* The next pending event; 0 when there is none. */
int stl_window_next_event(stl_window *window, stl_window_event *event);
/* A cairo context for the back buffer, scaled to logical units, or NULL
 * (window gone, no memory); stl_window_present shows it and destroys cr. */
cairo_t *stl_window_begin_draw(stl_window *window);
void stl_window_present(stl_window *window, cairo_t *cr);
/* The host resizes us; clamped at the minimum size. Device pixels. */
void stl_window_resize(stl_window *window, int width, int height);
/* The host destroyed our window with its parent: no more X requests on it. */
int stl_window_gone(const stl_window *window);

#endif /* SPECTIDE_LV2_X11_WINDOW_H */
