/* spectide.lv2 UI: the few widgets the X11 UI needs, drawn with cairo.
 * No toolkit: a host embeds our window, so a toolkit would have to share the
 * host's main loop (and Ardour links its own GTK). Three kinds are enough:
 *   button   - a toggle (freeze, peak hold) or a push button (reset, export)
 *   selector - a list of named choices; click steps forward, right click or
 *              the wheel steps back (schedule, audition, FFT size, tilt)
 *   slider   - a horizontal value with a format; drag, click or wheel
 * Sizes are in device pixels; the UI passes its HiDPI scale to draw.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_LV2_UI_WIDGETS_H
#define SPECTIDE_LV2_UI_WIDGETS_H

#include <cairo.h>

#define STL_WIDGET_MAX_CHOICES 8

typedef enum {
    STL_WIDGET_BUTTON = 0,
    STL_WIDGET_TOGGLE,
    STL_WIDGET_SELECTOR,
    STL_WIDGET_SLIDER
} stl_widget_kind;

typedef struct {
    stl_widget_kind kind;
    const char *label; /* shown before the value ("FFT", "tau") */
    /* Selector: the choices and their values (port values or display steps). */
    const char *choice_names[STL_WIDGET_MAX_CHOICES];
    double choice_values[STL_WIDGET_MAX_CHOICES];
    int choice_count;
    /* Slider: range and printf format of the value ("%.1f dB"). */
    double min, max;
    const char *format;
    double value; /* toggle: 0/1; selector: a choice value; slider: in range */
    int enabled;  /* a disabled widget is drawn greyed and ignores the mouse */
    int visible;
    double x, y, width, height; /* set by the layout */
} stl_widget;

void stl_widget_init_button(stl_widget *w, const char *label);
void stl_widget_init_toggle(stl_widget *w, const char *label, double value);
/* names/values: count entries (<= STL_WIDGET_MAX_CHOICES). */
void stl_widget_init_selector(stl_widget *w, const char *label, const char *const *names,
                              const double *values, int count, double value);
void stl_widget_init_slider(stl_widget *w, const char *label, double min, double max,
                            const char *format, double value);

int stl_widget_contains(const stl_widget *w, double x, double y);
/* Index of the choice whose value is nearest to w->value. */
int stl_widget_choice_index(const stl_widget *w);
/* Mouse press at (x, y) with X button number (1 left, 3 right, 4/5 wheel).
 * Returns 1 if the widget's value changed or a push button was pressed. */
int stl_widget_press(stl_widget *w, double x, double y, int button);
/* Pointer moved to x while the press that started on w is held (sliders). */
int stl_widget_drag(stl_widget *w, double x);
/* Sets the value from the host (port_event), clamped / snapped. Returns 1 if changed. */
int stl_widget_set_value(stl_widget *w, double value);
void stl_widget_draw(const stl_widget *w, cairo_t *cr, double scale, int pressed);

#endif /* SPECTIDE_LV2_UI_WIDGETS_H */
