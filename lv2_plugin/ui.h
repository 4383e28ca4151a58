/* spectide.lv2 UI: the state the UI's two files share: ui.c (the LV2 UI
 * glue: instantiate, port events, idle, the widgets' ports) and
 * ui_views.c (layout and drawing of the views). Not a public interface.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_LV2_UI_H
#define SPECTIDE_LV2_UI_H

#include "controls.h"
#include "db_axis.h"
#include "spectide_audio.h"
#include "spectide_view.h"
#include "ui_widgets.h"
#include "uris.h"
#include "x11_window.h"

#include <lv2/atom/forge.h>
#include <lv2/ui/ui.h>
#include <lv2/urid/urid.h>

/* Logical sizes (multiplied by the HiDPI scale). */
#define UI_DEFAULT_WIDTH  960
#define UI_DEFAULT_HEIGHT 600
#define UI_MIN_WIDTH      720
#define UI_MIN_HEIGHT     450
#define UI_ROW_HEIGHT     24.0
#define UI_PAD            4.0
#define UI_HEADER_HEIGHT  18.0

#define MEL_HISTORY 256 /* columns of the scrolling spectrogram */

typedef enum { VIEW_SPECTRUM = 0, VIEW_MEL, VIEW_CEPSTRAL, VIEW_COUNT, VIEW_NONE = -1 } stl_view;

/* The widgets of the two tool rows, in the order they are laid out. */
enum {
    W_TIDE_MODE = 0,
    W_SCHEDULE,
    W_T,
    W_SIGMA,
    W_TAU,
    W_AUDITION,
    W_FFT,
    W_FREEZE,
    W_ROW1_END,
    W_RANGE = W_ROW1_END,
    W_TOP,
    W_TILT,
    W_FREQ_SCALE,
    W_PEAK_HOLD,
    W_PEAK_RESET,
    W_EXPORT,
    W_LOW_CPU,
    W_CHANNEL, /* stereo plugin only: which signal is analysed */
    W_COUNT
};

/* Relative widths of the widgets within their row; the status text takes
 * STATUS_WEIGHT at the end of the second row. */
extern const double ui_widget_weight[W_COUNT];
#define STATUS_WEIGHT 2.2

typedef struct {
    int count;
    double frequency[STL_SPECTRUM_POINTS];
    double power_db[STL_SPECTRUM_POINTS];
    double peak_db[STL_SPECTRUM_POINTS];
    double peak_hold_db[STL_SPECTRUM_POINTS];
    double sample_rate, host_rate, sigma_db, tau_db, water_db, t;
    double share_bins, share_energy, slope;
    int fft_size, schedule, tide_mode, frozen;
    int received;
} stl_spectrum_data;

typedef struct {
    int bands;
    int head;   /* slot of the next column = oldest column */
    int filled; /* columns received, up to MEL_HISTORY */
    double frame_rate, sample_rate;
    double top_db; /* slowly decaying maximum: the colour range's top */
    float ring[MEL_HISTORY * STL_MEL_BANDS_MAX];
    float image[MEL_HISTORY * STL_MEL_BANDS_MAX]; /* oldest column first, for drawing */
    double mfcc[STL_MFCC_COUNT];
    int have_mfcc;
} stl_mel_data;

typedef struct {
    int count;
    double frequency[STL_CEPSTRAL_RINGS];
    double power[STL_CEPSTRAL_RINGS];
    double fit[STL_CEPSTRAL_RINGS];
    double alpha, intercept, r_squared;
    int columns, bands;
    int received;
} stl_cepstral_data;

typedef struct {
    double x, y, width, height;
} stl_rect;

typedef struct {
    /* Host. */
    LV2UI_Write_Function write;
    LV2UI_Controller controller;
    LV2UI_Resize *host_resize;
    LV2_URID_Map *map;
    stl_uris uris;
    LV2_URID ui_scale_factor;
    int stereo;
    int port_control; /* atom input of the plugin */
    int port_notify;
    int said_hello; /* st:UiOn sent from idle */

    stl_window *window;
    int width, height; /* device pixels, as last drawn */
    double scale;
    int closing;

    /* Redraw policy. */
    int dirty;
    double last_draw;

    /* Controls and display options. */
    stl_widget widgets[W_COUNT];
    int widget_port[W_COUNT]; /* plugin port index or -1 for display options */
    int drag_widget;          /* slider being dragged, -1 none */
    int pressed_widget;       /* push button held, -1 none */
    char status[1200];

    /* Views. */
    stl_view enlarged;
    stl_rect view_rect[VIEW_COUNT]; /* including the header strip */
    stl_rect header_rect[VIEW_COUNT];
    stl_rect mfcc_rect;
    stl_rect status_rect;
    sv_plot *spectrum_plot, *cepstral_plot, *mfcc_plot;
    sv_matrix_style mel_style;
    stl_db_axis axis; /* the spectrum's dB top, as the inline display's */

    /* Pointer, in logical units; hover < 0: outside. */
    double mouse_x, mouse_y;
    int hover;

    /* Data and plot scratch (no allocation while drawing). */
    stl_spectrum_data spectrum;
    stl_mel_data mel;
    stl_cepstral_data cepstral;
    double plot_x[STL_SPECTRUM_POINTS], plot_y[STL_SPECTRUM_POINTS];
    double plot_peak[STL_SPECTRUM_POINTS], plot_water[STL_SPECTRUM_POINTS];
} stl_ui;

double stl_ui_now(void);
/* ui_views.c: lays out the widgets and views for the window's size. */
void stl_ui_layout(stl_ui *ui);
/* ui_views.c: the whole window, background to readouts, in logical units. */
void stl_ui_draw(stl_ui *ui, cairo_t *cr);
/* ui_views.c: the view whose title strip is at (x, y), or VIEW_NONE. */
stl_view stl_ui_header_at(const stl_ui *ui, double x, double y);

#endif /* SPECTIDE_LV2_UI_H */
