/* spectide.lv2 UI widgets: button, toggle, selector, slider (see ui_widgets.h).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui_widgets.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void widget_reset(stl_widget *w, stl_widget_kind kind, const char *label)
{
    memset(w, 0, sizeof(*w));
    w->kind = kind;
    w->label = label;
    w->enabled = 1;
    w->visible = 1;
}

void stl_widget_init_button(stl_widget *w, const char *label)
{
    widget_reset(w, STL_WIDGET_BUTTON, label);
}

void stl_widget_init_toggle(stl_widget *w, const char *label, double value)
{
    widget_reset(w, STL_WIDGET_TOGGLE, label);
    w->value = value > 0.5 ? 1.0 : 0.0;
}

void stl_widget_init_selector(stl_widget *w, const char *label, const char *const *names,
                              const double *values, int count, double value)
{
    widget_reset(w, STL_WIDGET_SELECTOR, label);
    if (count > STL_WIDGET_MAX_CHOICES)
        count = STL_WIDGET_MAX_CHOICES;
    for (int i = 0; i < count; i++) {
        w->choice_names[i] = names[i];
        w->choice_values[i] = values[i];
    }
    w->choice_count = count;
    stl_widget_set_value(w, value);
}

void stl_widget_init_slider(stl_widget *w, const char *label, double min, double max,
                            const char *format, double value)
{
    widget_reset(w, STL_WIDGET_SLIDER, label);
    w->min = min;
    w->max = max;
    w->format = format;
    stl_widget_set_value(w, value);
}

int stl_widget_contains(const stl_widget *w, double x, double y)
{
    return w->visible && x >= w->x && x < w->x + w->width && y >= w->y && y < w->y + w->height;
}

int stl_widget_choice_index(const stl_widget *w)
{
    int best = 0;
    for (int i = 1; i < w->choice_count; i++)
        if (fabs(w->choice_values[i] - w->value) < fabs(w->choice_values[best] - w->value))
            best = i;
    return best;
}

int stl_widget_set_value(stl_widget *w, double value)
{
    if (!isfinite(value))
        return 0;
    double old = w->value;
    switch (w->kind) {
    case STL_WIDGET_BUTTON:
        return 0;
    case STL_WIDGET_TOGGLE:
        w->value = value > 0.5 ? 1.0 : 0.0;
        break;
    case STL_WIDGET_SELECTOR:
        if (w->choice_count == 0)
            return 0;
        w->value = value;
        w->value = w->choice_values[stl_widget_choice_index(w)];
        break;
    case STL_WIDGET_SLIDER:
        w->value = value < w->min ? w->min : value > w->max ? w->max : value;
        break;
    }
    return w->value != old;
}

/* The slider's track leaves room for the label on the left. */
static void slider_track(const stl_widget *w, double *x0, double *x1)
{
    *x0 = w->x + 0.45 * w->width;
    *x1 = w->x + w->width - 6.0;
}

int stl_widget_drag(stl_widget *w, double x)
{
    if (w->kind != STL_WIDGET_SLIDER || !w->enabled)
        return 0;
    double x0, x1;
    slider_track(w, &x0, &x1);
    double u = (x - x0) / (x1 - x0);
    u = u < 0.0 ? 0.0 : u > 1.0 ? 1.0 : u;
    return stl_widget_set_value(w, w->min + u * (w->max - w->min));
}

int stl_widget_press(stl_widget *w, double x, double y, int button)
{
    if (!w->enabled || !stl_widget_contains(w, x, y))
        return 0;
    int back = button == 3 || button == 5;
    int wheel = button == 4 || button == 5;
    switch (w->kind) {
    case STL_WIDGET_BUTTON:
        return button == 1;
    case STL_WIDGET_TOGGLE:
        if (wheel)
            return 0;
        w->value = w->value > 0.5 ? 0.0 : 1.0;
        return 1;
    case STL_WIDGET_SELECTOR: {
        if (w->choice_count == 0)
            return 0;
        int i = stl_widget_choice_index(w);
        i = (i + (back ? w->choice_count - 1 : 1)) % w->choice_count;
        return stl_widget_set_value(w, w->choice_values[i]);
    }
    case STL_WIDGET_SLIDER:
        if (wheel) /* 1/100 of the range per notch */
            return stl_widget_set_value(w, w->value + (back ? -1 : 1) * (w->max - w->min) / 100.0);
        return stl_widget_drag(w, x);
    }
    return 0;
}

static void rounded_rect(cairo_t *cr, double x, double y, double w, double h, double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 1.5 * M_PI);
    cairo_close_path(cr);
}

static void draw_text_centered(cairo_t *cr, const char *text, double cx, double cy)
{
    cairo_text_extents_t ext;
    cairo_text_extents(cr, text, &ext);
    cairo_move_to(cr, cx - ext.width / 2 - ext.x_bearing, cy - ext.height / 2 - ext.y_bearing);
    cairo_show_text(cr, text);
}

void stl_widget_draw(const stl_widget *w, cairo_t *cr, double scale, int pressed)
{
    if (!w->visible || w->width <= 0 || w->height <= 0)
        return;
    char text[96];
    int active = (w->kind == STL_WIDGET_TOGGLE && w->value > 0.5) || pressed;
    cairo_save(cr);
    cairo_rectangle(cr, w->x, w->y, w->width, w->height);
    cairo_clip(cr);
    rounded_rect(cr, w->x + 0.5, w->y + 0.5, w->width - 1, w->height - 1, 3.0 * scale);
    if (active)
        cairo_set_source_rgb(cr, 0.23, 0.45, 0.66);
    else
        cairo_set_source_rgb(cr, 0.93, 0.94, 0.95);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.62, 0.64, 0.67);
    cairo_set_line_width(cr, 1.0);
    cairo_stroke(cr);

    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 11.0 * scale);
    double grey = w->enabled ? 0.1 : 0.6;
    if (active)
        cairo_set_source_rgb(cr, 1, 1, 1);
    else
        cairo_set_source_rgb(cr, grey, grey, grey);
    double cy = w->y + w->height / 2;

    switch (w->kind) {
    case STL_WIDGET_BUTTON:
    case STL_WIDGET_TOGGLE:
        draw_text_centered(cr, w->label, w->x + w->width / 2, cy);
        break;
    case STL_WIDGET_SELECTOR:
        snprintf(text, sizeof(text), "%s: %s \xe2\x96\xb8", w->label,
                 w->choice_count ? w->choice_names[stl_widget_choice_index(w)] : "-");
        draw_text_centered(cr, text, w->x + w->width / 2, cy);
        break;
    case STL_WIDGET_SLIDER: {
        double x0, x1;
        slider_track(w, &x0, &x1);
        char value[48];
        snprintf(value, sizeof(value), w->format ? w->format : "%.2f", w->value);
        snprintf(text, sizeof(text), "%s %s", w->label, value);
        /* The text has the left 45% of the widget: a smaller font (down to
         * 8 px) rather than text running over the track. */
        cairo_text_extents_t ext;
        cairo_text_extents(cr, text, &ext);
        double room = x0 - w->x - 6.0 * scale;
        if (ext.x_advance > room && room > 0)
            cairo_set_font_size(cr, fmax(8.0 * scale, 11.0 * scale * room / ext.x_advance));
        draw_text_centered(cr, text, w->x + 0.225 * w->width + 2, cy);
        double u = w->max > w->min ? (w->value - w->min) / (w->max - w->min) : 0.0;
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_line_width(cr, 3.0 * scale);
        cairo_set_source_rgb(cr, 0.75, 0.77, 0.8);
        cairo_move_to(cr, x0, cy);
        cairo_line_to(cr, x1, cy);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, w->enabled ? 0.23 : 0.6, w->enabled ? 0.45 : 0.6,
                             w->enabled ? 0.66 : 0.6);
        cairo_move_to(cr, x0, cy);
        cairo_line_to(cr, x0 + u * (x1 - x0), cy);
        cairo_stroke(cr);
        cairo_arc(cr, x0 + u * (x1 - x0), cy, 4.5 * scale, 0, 2 * M_PI);
        cairo_fill(cr);
        break;
    }
    }
    cairo_restore(cr);
}
