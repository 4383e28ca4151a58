/* spectide.lv2 X11 UI: live spectrum with the noise tide, scrolling mel
 * spectrogram, cepstral RAPSD with its power-law fit beside the newest MFCCs.
 *
 * How it talks to the host:
 * - ui:parent gives the window to embed into; we open our own X connection
 *   and create a child window there (the usual X11UI contract, what suil's
 *   x11-in-gtk wrapper expects). Without a parent we make a top-level window.
 * - ui:idleInterface: the host calls idle() from its GUI loop; we drain our
 *   X events there and redraw at most 30 times a second (10 in low-CPU mode),
 *   only when something changed. Nothing runs between idle calls.
 * - ui:resize both ways: we ask for our default size through the host's
 *   feature, and the host resizes us through our extension data (or simply
 *   resizes the window: we follow ConfigureNotify either way).
 * - Controls write the plugin's control ports through write_function;
 *   port_event keeps them in sync with automation and presets.
 * - Data (spectrum, mel columns, cepstral RAPSD) arrives as atom objects on
 *   the notify port (protocol.h). We send st:UiOn when we open and st:UiOff
 *   from cleanup, so the DSP only sends while someone looks.
 * Everything is drawn by view/ (plots, matrix image); the widgets of the two
 * tool rows are in ui_widgets.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "protocol.h"
#include "spectide_audio.h"
#include "spectide_view.h"
#include "ui_widgets.h"

#include <X11/Xlib.h>
#include <X11/Xresource.h>
#include <X11/Xutil.h>
#include <cairo-xlib.h>
#include <cairo.h>
#include <lv2/atom/atom.h>
#include <lv2/atom/util.h>
#include <lv2/options/options.h>
#include <lv2/ui/ui.h>
#include <lv2/urid/urid.h>

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Logical sizes (multiplied by the HiDPI scale). */
#define UI_DEFAULT_WIDTH  960
#define UI_DEFAULT_HEIGHT 600
#define UI_MIN_WIDTH      720
#define UI_MIN_HEIGHT     450
#define UI_ROW_HEIGHT     24.0
#define UI_PAD            4.0
#define UI_HEADER_HEIGHT  18.0

#define UI_REDRAW_HZ         30.0
#define UI_REDRAW_HZ_LOW_CPU 10.0
#define MEL_HISTORY          256 /* columns of the scrolling spectrogram */
#define CEPSTRAL_POINTS_MAX  512

typedef enum { VIEW_SPECTRUM = 0, VIEW_MEL, VIEW_CEPSTRAL, VIEW_COUNT, VIEW_NONE = -1 } ui_view;

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

/* Relative widths of the widgets within their row. */
static const double widget_weight[W_COUNT] = {
    1.25, 1.7, 1.3, 1.6, 1.4, 1.9, 1.1, 0.8,      /* row 1 */
    1.1,  1.0, 1.1, 0.9, 1.0, 1.0, 1.1, 0.9, 1.0, /* row 2, then the status text */
};
#define STATUS_WEIGHT 2.2

typedef struct {
    LV2_URID atom_object, atom_blank, atom_float, atom_int, atom_bool, atom_vector;
    LV2_URID atom_event_transfer, ui_scale_factor;
    LV2_URID spectrum, mel_columns, cepstral, ui_on, ui_off, state_request;
    LV2_URID frequency, power, peak, sample_rate, host_rate, fft_size, sigma_db, tau_db, water_db;
    LV2_URID t, schedule, tide_mode, share_bins, share_energy, slope, frozen;
    LV2_URID mel, columns, mel_bands, mfcc, frame_rate, alpha, intercept, r_squared;
} ui_urids;

typedef struct {
    int count;
    double frequency[ST_SPECTRUM_POINTS];
    double power_db[ST_SPECTRUM_POINTS];
    double peak_db[ST_SPECTRUM_POINTS];
    double peak_hold_db[ST_SPECTRUM_POINTS];
    double sample_rate, host_rate, sigma_db, tau_db, water_db, t;
    double share_bins, share_energy, slope;
    int fft_size, schedule, tide_mode, frozen;
    int received;
} spectrum_data;

typedef struct {
    int bands;
    int head;   /* slot of the next column = oldest column */
    int filled; /* columns received, up to MEL_HISTORY */
    double frame_rate, sample_rate;
    double top_db; /* slowly decaying maximum: the colour range's top */
    float ring[MEL_HISTORY * ST_MEL_BANDS_MAX];
    float image[MEL_HISTORY * ST_MEL_BANDS_MAX]; /* oldest column first, for drawing */
    double mfcc[ST_MFCC_COUNT];
    int have_mfcc;
} mel_data;

typedef struct {
    int count;
    double frequency[CEPSTRAL_POINTS_MAX];
    double power[CEPSTRAL_POINTS_MAX];
    double fit[CEPSTRAL_POINTS_MAX];
    double alpha, intercept, r_squared;
    int columns, bands;
    int received;
} cepstral_data;

typedef struct {
    double x, y, width, height;
} ui_rect;

typedef struct {
    /* Host. */
    LV2UI_Write_Function write;
    LV2UI_Controller controller;
    LV2UI_Resize *host_resize;
    LV2_URID_Map *map;
    ui_urids uris;
    int stereo;
    int port_control; /* atom input of the plugin */
    int port_notify;
    int said_hello; /* st:UiOn sent from idle */

    /* X11 and cairo. */
    Display *display;
    Window window;
    int toplevel;
    Atom wm_delete;
    int window_gone; /* destroyed with the host's parent: no more requests on it */
    int closing;
    GC gc;
    Pixmap back;   /* cairo-xlib fallback for visuals other than 24-bit TrueColor */
    XImage *image; /* shares the image surface's pixels */
    cairo_surface_t *surface;
    cairo_device_t *device;      /* cairo's per-Display state, finished before XCloseDisplay */
    int back_width, back_height; /* device pixels of the back buffer */
    int width, height;           /* device pixels of the window */
    double scale;

    /* Redraw policy. */
    int dirty;
    double last_draw;

    /* Controls and display options. */
    st_widget widgets[W_COUNT];
    int widget_port[W_COUNT]; /* plugin port index or -1 for display options */
    int drag_widget;          /* slider being dragged, -1 none */
    int pressed_widget;       /* push button held, -1 none */
    char status[1200];

    /* Views. */
    ui_view enlarged;
    ui_rect view_rect[VIEW_COUNT]; /* including the header strip */
    ui_rect header_rect[VIEW_COUNT];
    ui_rect mfcc_rect;
    ui_rect status_rect;
    sv_plot *spectrum_plot, *cepstral_plot, *mfcc_plot;
    sv_matrix_style mel_style;

    /* Pointer, in logical units; hover < 0: outside. */
    double mouse_x, mouse_y;
    int hover;

    /* Data and plot scratch (no allocation while drawing). */
    spectrum_data spectrum;
    mel_data mel;
    cepstral_data cepstral;
    double plot_x[ST_SPECTRUM_POINTS], plot_y[ST_SPECTRUM_POINTS];
    double plot_peak[ST_SPECTRUM_POINTS], plot_water[ST_SPECTRUM_POINTS];
} spectide_ui;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ------------------------------------------------------------------ */
/* Host messages                                                        */
/* ------------------------------------------------------------------ */

static void map_uris(spectide_ui *ui)
{
    LV2_URID_Map *m = ui->map;
    ui_urids *u = &ui->uris;
    u->atom_object = m->map(m->handle, LV2_ATOM__Object);
    u->atom_blank = m->map(m->handle, LV2_ATOM__Blank);
    u->atom_float = m->map(m->handle, LV2_ATOM__Float);
    u->atom_int = m->map(m->handle, LV2_ATOM__Int);
    u->atom_bool = m->map(m->handle, LV2_ATOM__Bool);
    u->atom_vector = m->map(m->handle, LV2_ATOM__Vector);
    u->atom_event_transfer = m->map(m->handle, LV2_ATOM__eventTransfer);
    u->ui_scale_factor = m->map(m->handle, LV2_UI__scaleFactor);
    u->spectrum = m->map(m->handle, ST_URI_SPECTRUM);
    u->mel_columns = m->map(m->handle, ST_URI_MEL_COLUMNS);
    u->cepstral = m->map(m->handle, ST_URI_CEPSTRAL);
    u->ui_on = m->map(m->handle, ST_URI_UI_ON);
    u->ui_off = m->map(m->handle, ST_URI_UI_OFF);
    u->state_request = m->map(m->handle, ST_URI_STATE_REQUEST);
    u->frequency = m->map(m->handle, ST_URI_FREQUENCY);
    u->power = m->map(m->handle, ST_URI_POWER);
    u->peak = m->map(m->handle, ST_URI_PEAK);
    u->sample_rate = m->map(m->handle, ST_URI_SAMPLE_RATE);
    u->host_rate = m->map(m->handle, ST_URI_HOST_RATE);
    u->fft_size = m->map(m->handle, ST_URI_FFT_SIZE);
    u->sigma_db = m->map(m->handle, ST_URI_SIGMA_DB);
    u->tau_db = m->map(m->handle, ST_URI_TAU_DB);
    u->water_db = m->map(m->handle, ST_URI_WATER_DB);
    u->t = m->map(m->handle, ST_URI_T);
    u->schedule = m->map(m->handle, ST_URI_SCHEDULE);
    u->tide_mode = m->map(m->handle, ST_URI_TIDE_MODE);
    u->share_bins = m->map(m->handle, ST_URI_SHARE_BINS);
    u->share_energy = m->map(m->handle, ST_URI_SHARE_ENERGY);
    u->slope = m->map(m->handle, ST_URI_SLOPE);
    u->frozen = m->map(m->handle, ST_URI_FROZEN);
    u->mel = m->map(m->handle, ST_URI_MEL);
    u->columns = m->map(m->handle, ST_URI_COLUMNS);
    u->mel_bands = m->map(m->handle, ST_URI_MEL_BANDS);
    u->mfcc = m->map(m->handle, ST_URI_MFCC);
    u->frame_rate = m->map(m->handle, ST_URI_FRAME_RATE);
    u->alpha = m->map(m->handle, ST_URI_ALPHA);
    u->intercept = m->map(m->handle, ST_URI_INTERCEPT);
    u->r_squared = m->map(m->handle, ST_URI_R_SQUARED);
}

/* UI -> DSP: an atom:Object without properties (st:UiOn, st:UiOff, ...). */
static void send_message(spectide_ui *ui, LV2_URID otype)
{
    LV2_Atom_Object message;
    memset(&message, 0, sizeof(message));
    message.atom.type = ui->uris.atom_object;
    message.atom.size = sizeof(LV2_Atom_Object_Body);
    message.body.id = 0;
    message.body.otype = otype;
    ui->write(ui->controller, (uint32_t)ui->port_control, lv2_atom_total_size(&message.atom),
              ui->uris.atom_event_transfer, &message);
}

static int atom_number(const spectide_ui *ui, const LV2_Atom *atom, double *out)
{
    if (!atom)
        return 0;
    if (atom->type == ui->uris.atom_float && atom->size >= sizeof(float))
        *out = ((const LV2_Atom_Float *)atom)->body;
    else if ((atom->type == ui->uris.atom_int || atom->type == ui->uris.atom_bool) &&
             atom->size >= sizeof(int32_t))
        *out = ((const LV2_Atom_Int *)atom)->body;
    else
        return 0;
    return isfinite(*out);
}

/* A float vector's elements, or NULL (wrong type, too short). */
static const float *atom_floats(const spectide_ui *ui, const LV2_Atom *atom, int *count)
{
    if (!atom || atom->type != ui->uris.atom_vector || atom->size < sizeof(LV2_Atom_Vector_Body))
        return NULL;
    const LV2_Atom_Vector *vector = (const LV2_Atom_Vector *)atom;
    if (vector->body.child_type != ui->uris.atom_float || vector->body.child_size != sizeof(float))
        return NULL;
    *count = (int)((atom->size - sizeof(LV2_Atom_Vector_Body)) / sizeof(float));
    return (const float *)(&vector->body + 1);
}

static void read_spectrum(spectide_ui *ui, const LV2_Atom_Object *obj)
{
    const ui_urids *u = &ui->uris;
    const LV2_Atom *frequency = NULL, *power = NULL, *peak = NULL, *sample_rate = NULL,
                   *host_rate = NULL, *fft_size = NULL, *sigma = NULL, *tau = NULL, *water = NULL,
                   *t = NULL, *schedule = NULL, *mode = NULL, *bins = NULL, *energy = NULL,
                   *slope = NULL, *frozen = NULL;
    lv2_atom_object_get(obj, u->frequency, &frequency, u->power, &power, u->peak, &peak,
                        u->sample_rate, &sample_rate, u->host_rate, &host_rate, u->fft_size,
                        &fft_size, u->sigma_db, &sigma, u->tau_db, &tau, u->water_db, &water, u->t,
                        &t, u->schedule, &schedule, u->tide_mode, &mode, u->share_bins, &bins,
                        u->share_energy, &energy, u->slope, &slope, u->frozen, &frozen, 0);
    int n_frequency = 0, n_power = 0, n_peak = 0;
    const float *f = atom_floats(ui, frequency, &n_frequency);
    const float *p = atom_floats(ui, power, &n_power);
    const float *pk = atom_floats(ui, peak, &n_peak);
    if (!f || !p)
        return;
    spectrum_data *s = &ui->spectrum;
    int n = n_frequency < n_power ? n_frequency : n_power;
    if (n > ST_SPECTRUM_POINTS)
        n = ST_SPECTRUM_POINTS;
    /* New bins (FFT size, rate): the held peaks belong to other frequencies. */
    int same_bins = n == s->count;
    for (int i = 0; same_bins && i < n; i++)
        same_bins = s->frequency[i] == f[i];
    for (int i = 0; i < n; i++) {
        s->frequency[i] = f[i];
        s->power_db[i] = p[i];
        s->peak_db[i] = (pk && i < n_peak) ? pk[i] : p[i];
        if (!same_bins || !isfinite(s->peak_hold_db[i]) || s->peak_db[i] > s->peak_hold_db[i])
            s->peak_hold_db[i] = s->peak_db[i];
    }
    s->count = n;
    double v;
    if (atom_number(ui, sample_rate, &v) && v > 0)
        s->sample_rate = v;
    if (atom_number(ui, host_rate, &v) && v > 0)
        s->host_rate = v;
    if (atom_number(ui, fft_size, &v))
        s->fft_size = (int)v;
    if (atom_number(ui, sigma, &v))
        s->sigma_db = v;
    if (atom_number(ui, tau, &v))
        s->tau_db = v;
    if (atom_number(ui, water, &v))
        s->water_db = v;
    if (atom_number(ui, t, &v))
        s->t = v;
    if (atom_number(ui, schedule, &v))
        s->schedule = (int)v;
    if (atom_number(ui, mode, &v))
        s->tide_mode = (int)v;
    if (atom_number(ui, bins, &v))
        s->share_bins = v;
    if (atom_number(ui, energy, &v))
        s->share_energy = v;
    if (atom_number(ui, slope, &v))
        s->slope = v;
    if (atom_number(ui, frozen, &v))
        s->frozen = v > 0.5;
    s->received++;
    ui->dirty = 1;
}

static void mel_reset(mel_data *m, int bands)
{
    m->bands = bands;
    m->head = 0;
    m->filled = 0;
    m->top_db = -INFINITY;
    for (int i = 0; i < MEL_HISTORY * ST_MEL_BANDS_MAX; i++)
        m->ring[i] = NAN;
}

static void read_mel(spectide_ui *ui, const LV2_Atom_Object *obj)
{
    const ui_urids *u = &ui->uris;
    const LV2_Atom *mel = NULL, *columns = NULL, *bands = NULL, *mfcc = NULL, *frame_rate = NULL,
                   *sample_rate = NULL;
    lv2_atom_object_get(obj, u->mel, &mel, u->columns, &columns, u->mel_bands, &bands, u->mfcc,
                        &mfcc, u->frame_rate, &frame_rate, u->sample_rate, &sample_rate, 0);
    double n_columns = 0, n_bands = 0, v;
    int n_values = 0, n_mfcc = 0;
    const float *values = atom_floats(ui, mel, &n_values);
    if (!values || !atom_number(ui, columns, &n_columns) || !atom_number(ui, bands, &n_bands) ||
        n_bands < 1 || n_bands > ST_MEL_BANDS_MAX || n_columns < 1 ||
        n_columns * n_bands > n_values)
        return;
    mel_data *m = &ui->mel;
    int b = (int)n_bands;
    if (b != m->bands)
        mel_reset(m, b);
    if (atom_number(ui, frame_rate, &v) && v > 0)
        m->frame_rate = v;
    if (atom_number(ui, sample_rate, &v) && v > 0)
        m->sample_rate = v;
    for (int c = 0; c < (int)n_columns; c++) {
        float *column = m->ring + (size_t)m->head * (size_t)b;
        double column_max = -INFINITY;
        for (int i = 0; i < b; i++) {
            column[i] = values[(size_t)c * (size_t)b + (size_t)i];
            if (isfinite(column[i]) && column[i] > column_max)
                column_max = column[i];
        }
        /* The colour range follows the loudest recent column, falling slowly
         * (about 5 dB per second at 43 columns/s) so the map does not flicker. */
        if (column_max > m->top_db)
            m->top_db = column_max;
        else if (isfinite(m->top_db))
            m->top_db -= 0.12;
        m->head = (m->head + 1) % MEL_HISTORY;
        if (m->filled < MEL_HISTORY)
            m->filled++;
    }
    const float *coefficients = atom_floats(ui, mfcc, &n_mfcc);
    if (coefficients) {
        for (int i = 0; i < ST_MFCC_COUNT; i++)
            m->mfcc[i] = i < n_mfcc ? coefficients[i] : NAN;
        m->have_mfcc = 1;
    }
    ui->dirty = 1;
}

static void read_cepstral(spectide_ui *ui, const LV2_Atom_Object *obj)
{
    const ui_urids *u = &ui->uris;
    const LV2_Atom *frequency = NULL, *power = NULL, *alpha = NULL, *intercept = NULL,
                   *r_squared = NULL, *columns = NULL, *bands = NULL;
    lv2_atom_object_get(obj, u->frequency, &frequency, u->power, &power, u->alpha, &alpha,
                        u->intercept, &intercept, u->r_squared, &r_squared, u->columns, &columns,
                        u->mel_bands, &bands, 0);
    int n_frequency = 0, n_power = 0;
    const float *f = atom_floats(ui, frequency, &n_frequency);
    const float *p = atom_floats(ui, power, &n_power);
    if (!f || !p)
        return;
    cepstral_data *c = &ui->cepstral;
    int n = n_frequency < n_power ? n_frequency : n_power;
    if (n > CEPSTRAL_POINTS_MAX)
        n = CEPSTRAL_POINTS_MAX;
    c->count = n;
    double v;
    c->alpha = atom_number(ui, alpha, &v) ? v : NAN;
    c->intercept = atom_number(ui, intercept, &v) ? v : NAN;
    c->r_squared = atom_number(ui, r_squared, &v) ? v : NAN;
    c->columns = atom_number(ui, columns, &v) ? (int)v : 0;
    c->bands = atom_number(ui, bands, &v) ? (int)v : 0;
    for (int i = 0; i < n; i++) {
        c->frequency[i] = f[i];
        c->power[i] = p[i];
        /* The fit log10 P = c - alpha log10 f, drawn where it was fitted (f > 0). */
        c->fit[i] = f[i] > 0 ? pow(10.0, c->intercept - c->alpha * log10(f[i])) : NAN;
    }
    c->received++;
    ui->dirty = 1;
}

/* ------------------------------------------------------------------ */
/* Controls                                                             */
/* ------------------------------------------------------------------ */

static void init_widgets(spectide_ui *ui)
{
    static const char *const tide_names[] = {"sigma", "schedule"};
    static const double tide_values[] = {ST_TIDE_SIGMA, ST_TIDE_SCHEDULE};
    static const char *const schedule_names[] = {"rectified-flow", "sd3",           "cosine",
                                                 "ddpm",           "scaled-linear", "edm"};
    static const double schedule_values[] = {0, 1, 2, 3, 4, 5};
    static const char *const audition_names[] = {"off", "noise", "mask", "residual"};
    static const double audition_values[] = {ST_AUDITION_OFF, ST_AUDITION_NOISE, ST_AUDITION_MASK,
                                             ST_AUDITION_RESIDUAL};
    static const char *const fft_names[] = {"1024", "2048", "4096", "8192", "16k", "32k", "64k"};
    static const double fft_values[] = {1024, 2048, 4096, 8192, 16384, 32768, 65536};
    static const char *const range_names[] = {"60 dB", "80 dB", "100 dB", "120 dB", "140 dB"};
    static const double range_values[] = {60, 80, 100, 120, 140};
    static const char *const top_names[] = {"+40", "+20", "0", "-20", "-40"};
    static const double top_values[] = {40, 20, 0, -20, -40};
    static const char *const tilt_names[] = {"0", "3 dB/oct", "4.5 dB/oct"};
    static const double tilt_values[] = {0, 3, 4.5};
    static const char *const freq_names[] = {"log", "lin"};
    static const double freq_values[] = {0, 1};

    st_widget *w = ui->widgets;
    st_widget_init_selector(&w[W_TIDE_MODE], "tide", tide_names, tide_values, 2, ST_TIDE_SIGMA);
    st_widget_init_selector(&w[W_SCHEDULE], "sched", schedule_names, schedule_values, 6, 0);
    st_widget_init_slider(&w[W_T], "t", 0.0, 1.0, "%.2f", 0.5);
    st_widget_init_slider(&w[W_SIGMA], "\xcf\x83", -120.0, 20.0, "%.1f dB", -40.0);
    st_widget_init_slider(&w[W_TAU], "\xcf\x84", -20.0, 40.0, "%.1f dB", 0.0);
    st_widget_init_selector(&w[W_AUDITION], "hear", audition_names, audition_values, 4, 0);
    st_widget_init_selector(&w[W_FFT], "FFT", fft_names, fft_values, 7, 4096);
    st_widget_init_toggle(&w[W_FREEZE], "freeze", 0);
    st_widget_init_selector(&w[W_RANGE], "range", range_names, range_values, 5, 120);
    st_widget_init_selector(&w[W_TOP], "top", top_names, top_values, 5, 20);
    st_widget_init_selector(&w[W_TILT], "tilt", tilt_names, tilt_values, 3, 0);
    st_widget_init_selector(&w[W_FREQ_SCALE], "freq", freq_names, freq_values, 2, 0);
    st_widget_init_toggle(&w[W_PEAK_HOLD], "peak hold", 1);
    st_widget_init_button(&w[W_PEAK_RESET], "reset peaks");
    st_widget_init_button(&w[W_EXPORT], "export CSV");
    st_widget_init_toggle(&w[W_LOW_CPU], "low CPU", 0);
    static const char *const channel_names[] = {"mid", "left", "right", "side"};
    static const double channel_values[] = {ST_STEREO_MID, ST_STEREO_LEFT, ST_STEREO_RIGHT,
                                            ST_STEREO_SIDE};
    st_widget_init_selector(&w[W_CHANNEL], "ch", channel_names, channel_values, 4, ST_STEREO_MID);
    w[W_CHANNEL].visible = ui->stereo;

    static const st_common_port ports[W_ROW1_END] = {
        ST_COMMON_TIDE_MODE, ST_COMMON_SCHEDULE, ST_COMMON_T,        ST_COMMON_SIGMA_DB,
        ST_COMMON_TAU_DB,    ST_COMMON_AUDITION, ST_COMMON_FFT_SIZE, ST_COMMON_FREEZE};
    for (int i = 0; i < W_COUNT; i++)
        ui->widget_port[i] = i < W_ROW1_END ? st_port_index(ui->stereo, ports[i]) : -1;
    if (ui->stereo)
        ui->widget_port[W_CHANNEL] = ST_PORT_STEREO_CHANNEL;
    ui->drag_widget = -1;
    ui->pressed_widget = -1;
}

/* Sigma or schedule + t: only the controls of the current mode are live. */
static void update_tide_widgets(spectide_ui *ui)
{
    int schedule = ui->widgets[W_TIDE_MODE].value > 0.5;
    ui->widgets[W_SCHEDULE].enabled = schedule;
    ui->widgets[W_T].enabled = schedule;
    ui->widgets[W_SIGMA].enabled = !schedule;
}

static void write_control(spectide_ui *ui, int widget)
{
    int port = ui->widget_port[widget];
    if (port < 0)
        return;
    float value = (float)ui->widgets[widget].value;
    ui->write(ui->controller, (uint32_t)port, sizeof(float), 0, &value);
}

/* The CSV of the spectrum as shown (tilt applied), written to a temporary
 * file in the same folder and renamed, so a reader never sees half a file. */
static void export_csv(spectide_ui *ui)
{
    const spectrum_data *s = &ui->spectrum;
    if (s->count == 0) {
        snprintf(ui->status, sizeof(ui->status), "no spectrum yet: nothing exported");
        return;
    }
    const char *home = getenv("HOME");
    const char *folder = (home && home[0] && access(home, W_OK) == 0) ? home : "/tmp";
    char stamp[32], path[512], temporary[520];
    time_t now = time(NULL);
    struct tm local;
    localtime_r(&now, &local);
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &local);
    snprintf(path, sizeof(path), "%s/spectide-spectrum-%s.csv", folder, stamp);
    for (int i = 2; access(path, F_OK) == 0 && i < 100; i++)
        snprintf(path, sizeof(path), "%s/spectide-spectrum-%s-%d.csv", folder, stamp, i);
    snprintf(temporary, sizeof(temporary), "%s.tmp", path);
    FILE *file = fopen(temporary, "w");
    if (!file) {
        snprintf(ui->status, sizeof(ui->status), "export failed: %s: %s", temporary,
                 strerror(errno));
        return;
    }
    double tilt = ui->widgets[W_TILT].value;
    fprintf(file,
            "# spectide spectrum: analysis rate %.0f Hz, FFT %d, tilt %.1f dB/oct (at "
            "1 kHz), water line %.2f dB\n",
            s->sample_rate, s->fft_size, tilt, s->water_db);
    fprintf(file, "frequency_hz,power_db,peak_hold_db,under_water\n");
    for (int i = 0; i < s->count; i++) {
        double t = s->frequency[i] > 0 ? tilt * log2(s->frequency[i] / 1000.0) : 0.0;
        fprintf(file, "%.3f,%.3f,%.3f,%d\n", s->frequency[i], s->power_db[i] + t,
                s->peak_hold_db[i] + t, s->power_db[i] < s->water_db);
    }
    int failed = ferror(file);
    failed |= fclose(file) != 0;
    if (failed || rename(temporary, path) != 0) {
        snprintf(ui->status, sizeof(ui->status), "export failed: %s", path);
        remove(temporary);
        return;
    }
    snprintf(ui->status, sizeof(ui->status), "saved %s", path);
}

static void reset_peaks(spectide_ui *ui)
{
    spectrum_data *s = &ui->spectrum;
    for (int i = 0; i < s->count; i++)
        s->peak_hold_db[i] = s->power_db[i];
}

/* A widget changed by the mouse: write its port or apply the display option. */
static void widget_activated(spectide_ui *ui, int widget)
{
    if (ui->widget_port[widget] >= 0) {
        write_control(ui, widget);
        if (widget == W_TIDE_MODE)
            update_tide_widgets(ui);
    } else if (widget == W_PEAK_RESET) {
        reset_peaks(ui);
    } else if (widget == W_EXPORT) {
        export_csv(ui);
    } else if (widget == W_PEAK_HOLD && ui->widgets[widget].value > 0.5) {
        reset_peaks(ui);
    }
    ui->dirty = 1;
}

/* ------------------------------------------------------------------ */
/* Layout                                                               */
/* ------------------------------------------------------------------ */

static double logical_width(const spectide_ui *ui)
{
    return ui->width / ui->scale;
}
static double logical_height(const spectide_ui *ui)
{
    return ui->height / ui->scale;
}

/* Hidden widgets (the channel of the mono plugin) take no room. */
static void layout_row(spectide_ui *ui, int first, int end, double y, double extra_weight)
{
    double total = extra_weight;
    int shown = 0;
    for (int i = first; i < end; i++)
        if (ui->widgets[i].visible) {
            total += widget_weight[i];
            shown++;
        }
    double unit = (logical_width(ui) - UI_PAD * (shown + 1)) / total;
    double x = UI_PAD;
    for (int i = first; i < end; i++) {
        st_widget *w = &ui->widgets[i];
        if (!w->visible)
            continue;
        w->x = x;
        w->y = y;
        w->width = widget_weight[i] * unit;
        w->height = UI_ROW_HEIGHT;
        x += w->width + UI_PAD;
    }
    if (extra_weight > 0) {
        ui->status_rect.x = x;
        ui->status_rect.y = y;
        ui->status_rect.width = logical_width(ui) - x - UI_PAD;
        ui->status_rect.height = UI_ROW_HEIGHT;
    }
}

static void set_view_rect(spectide_ui *ui, ui_view view, double x, double y, double w, double h)
{
    ui->view_rect[view] = (ui_rect){x, y, w, h};
    ui->header_rect[view] = (ui_rect){x, y, w, UI_HEADER_HEIGHT};
}

/* Two tool rows on top; below, the spectrum across the full width over the
 * spectrogram (left) and the cepstral pair (right). An enlarged view takes
 * the whole area; the others are hidden until its title is clicked again. */
static void layout(spectide_ui *ui)
{
    layout_row(ui, 0, W_ROW1_END, UI_PAD, 0.0);
    layout_row(ui, W_ROW1_END, W_COUNT, 2 * UI_PAD + UI_ROW_HEIGHT, STATUS_WEIGHT);
    double top = 3 * UI_PAD + 2 * UI_ROW_HEIGHT;
    double width = logical_width(ui) - 2 * UI_PAD;
    double height = logical_height(ui) - top - UI_PAD;
    for (int v = 0; v < VIEW_COUNT; v++)
        set_view_rect(ui, (ui_view)v, 0, 0, 0, 0);
    if (ui->enlarged != VIEW_NONE) {
        set_view_rect(ui, ui->enlarged, UI_PAD, top, width, height);
    } else {
        double upper = floor(height * 0.54);
        double lower = height - upper - UI_PAD;
        double left = floor(width * 0.55);
        set_view_rect(ui, VIEW_SPECTRUM, UI_PAD, top, width, upper);
        set_view_rect(ui, VIEW_MEL, UI_PAD, top + upper + UI_PAD, left, lower);
        set_view_rect(ui, VIEW_CEPSTRAL, 2 * UI_PAD + left, top + upper + UI_PAD,
                      width - left - UI_PAD, lower);
    }
    /* The cepstral view holds the RAPSD (left) and the MFCCs (right). */
    ui_rect c = ui->view_rect[VIEW_CEPSTRAL];
    double body_y = c.y + UI_HEADER_HEIGHT, body_h = c.height - UI_HEADER_HEIGHT;
    double rapsd_w = floor(c.width * 0.6);
    ui->mfcc_rect = (ui_rect){c.x + rapsd_w, body_y, c.width - rapsd_w, body_h};
}

static int inside(const ui_rect *r, double x, double y)
{
    return r->width > 0 && x >= r->x && x < r->x + r->width && y >= r->y && y < r->y + r->height;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                              */
/* ------------------------------------------------------------------ */

static const char *const schedule_label[] = {"rectified-flow", "sd3",           "cosine",
                                             "ddpm",           "scaled-linear", "edm"};

static double tilt_at(const spectide_ui *ui, double frequency)
{
    double tilt = ui->widgets[W_TILT].value;
    return (tilt != 0.0 && frequency > 0) ? tilt * log2(frequency / 1000.0) : 0.0;
}

/* "A4 +3c" for 443 Hz: the nearest equal-tempered note and the offset in cents. */
static void note_name(double frequency, char *out, size_t size)
{
    static const char *const names[] = {"C",  "C#", "D",  "D#", "E",  "F",
                                        "F#", "G",  "G#", "A",  "A#", "B"};
    if (!(frequency > 0)) {
        snprintf(out, size, "-");
        return;
    }
    double midi = 69.0 + 12.0 * log2(frequency / 440.0);
    long nearest = lround(midi);
    int cents = (int)lround((midi - (double)nearest) * 100.0);
    int index = (int)(((nearest % 12) + 12) % 12);
    long octave = (long)floor((double)nearest / 12.0) - 1;
    snprintf(out, size, "%s%ld %+dc", names[index], octave, cents);
}

static void format_hz(double hz, char *out, size_t size)
{
    if (hz >= 1000.0)
        snprintf(out, size, "%.2f kHz", hz / 1000.0);
    else
        snprintf(out, size, "%.1f Hz", hz);
}

static int nearest_bin(const spectrum_data *s, double frequency)
{
    int best = -1;
    double best_distance = INFINITY;
    for (int i = 0; i < s->count; i++) {
        double d = fabs(s->frequency[i] > 0 && frequency > 0 ? log(s->frequency[i] / frequency)
                                                             : s->frequency[i] - frequency);
        if (d < best_distance) {
            best_distance = d;
            best = i;
        }
    }
    return best;
}

static void draw_header(spectide_ui *ui, cairo_t *cr, ui_view view, const char *title)
{
    const ui_rect *r = &ui->header_rect[view];
    cairo_rectangle(cr, r->x, r->y, r->width, r->height);
    cairo_set_source_rgb(cr, 0.85, 0.87, 0.9);
    cairo_fill(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 11.0);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.12);
    cairo_move_to(cr, r->x + 6, r->y + r->height - 5);
    cairo_show_text(cr, title);
    const char *hint =
        ui->enlarged == view ? "[click title: back to three views]" : "[click title: enlarge]";
    cairo_text_extents_t ext;
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 10.0);
    cairo_text_extents(cr, hint, &ext);
    cairo_set_source_rgb(cr, 0.35, 0.37, 0.4);
    cairo_move_to(cr, r->x + r->width - ext.x_advance - 6, r->y + r->height - 5);
    cairo_show_text(cr, hint);
}

static void draw_spectrum(spectide_ui *ui, cairo_t *cr)
{
    const ui_rect *r = &ui->view_rect[VIEW_SPECTRUM];
    if (r->width <= 0)
        return;
    draw_header(ui, cr, VIEW_SPECTRUM, "Live spectrum and noise tide");
    const spectrum_data *s = &ui->spectrum;
    sv_plot *plot = ui->spectrum_plot;
    sv_plot_clear(plot);
    double nyquist = (s->sample_rate > 0 ? s->sample_rate : 22050.0) / 2.0;
    int linear = ui->widgets[W_FREQ_SCALE].value > 0.5;
    sv_plot_set_x_axis(plot, "frequency (Hz)", linear ? SV_AXIS_LINEAR : SV_AXIS_LOG,
                       linear ? 0.0 : 20.0, nyquist, 1);
    double top = ui->widgets[W_TOP].value, range = ui->widgets[W_RANGE].value;
    double tilt = ui->widgets[W_TILT].value;
    sv_plot_set_y_axis(plot, tilt != 0 ? "power (dB, tilted)" : "power (dB)", SV_AXIS_DB,
                       top - range, top);
    char note[512];
    int used = 0;
    if (s->count > 0) {
        for (int i = 0; i < s->count; i++) {
            double t = tilt_at(ui, s->frequency[i]);
            ui->plot_x[i] = s->frequency[i];
            ui->plot_y[i] = s->power_db[i] + t;
            ui->plot_peak[i] = s->peak_hold_db[i] + t;
            ui->plot_water[i] = s->water_db + t;
        }
        if (ui->widgets[W_PEAK_HOLD].value > 0.5)
            sv_plot_add_curve(plot, ui->plot_x, ui->plot_peak, s->count, "peak hold", SV_COLOR_PEAK,
                              SV_LINE_SOLID);
        int curve = sv_plot_add_curve(plot, ui->plot_x, ui->plot_y, s->count, "spectrum",
                                      SV_COLOR_SIGNAL, SV_LINE_SOLID);
        if (tilt == 0.0) {
            sv_plot_shade_below(plot, curve, s->water_db);
            sv_plot_add_hline(plot, s->water_db, "water line", SV_COLOR_NOISE, SV_LINE_SOLID);
        } else {
            sv_plot_add_curve(plot, ui->plot_x, ui->plot_water, s->count, "water line",
                              SV_COLOR_NOISE, SV_LINE_SOLID);
        }
        char level[96];
        if (s->tide_mode == ST_TIDE_SCHEDULE && s->schedule >= 0 && s->schedule < 6)
            snprintf(level, sizeof(level), "%s t=%.2f", schedule_label[s->schedule], s->t);
        else
            snprintf(level, sizeof(level), "sigma level");
        used = snprintf(note, sizeof(note),
                        "sigma %.1f dBFS (%s), tau %.1f dB\n"
                        "above water: %.1f%% of spectrum, %.1f%% of energy\n"
                        "slope %.2f dB/oct, FFT %d at %.0f Hz%s",
                        s->sigma_db, level, s->tau_db, s->share_bins, s->share_energy, s->slope,
                        s->fft_size, s->sample_rate, s->frozen ? "\nFROZEN" : "");
    } else {
        used = snprintf(note, sizeof(note), "waiting for the plugin's analysis...");
    }
    double f, db;
    if (ui->hover && s->count > 0 &&
        sv_plot_pixel_to_data(plot, ui->mouse_x, ui->mouse_y, &f, &db)) {
        int bin = nearest_bin(s, f);
        char hz[32], name[32];
        format_hz(f, hz, sizeof(hz));
        note_name(f, name, sizeof(name));
        if (bin >= 0 && used >= 0 && used < (int)sizeof(note))
            snprintf(note + used, sizeof(note) - (size_t)used, "\n> %s  %s  %.1f dB", hz, name,
                     ui->plot_y[bin]);
        sv_plot_add_vline(plot, f, NULL, SV_COLOR_FMAX, SV_LINE_DOTTED);
    }
    sv_plot_set_note(plot, note);
    sv_plot_set_legend(plot, SV_LEGEND_BOTTOM_LEFT);
    sv_plot_draw(plot, cr, r->x, r->y + UI_HEADER_HEIGHT, r->width, r->height - UI_HEADER_HEIGHT);
}

/* The ring of columns, oldest first, as sv_matrix_draw wants it. */
static void mel_linearise(mel_data *m)
{
    size_t bands = (size_t)m->bands;
    for (int c = 0; c < MEL_HISTORY; c++) {
        int slot = (m->head + c) % MEL_HISTORY;
        memcpy(m->image + (size_t)c * bands, m->ring + (size_t)slot * bands, bands * sizeof(float));
    }
}

static void draw_readout_box(cairo_t *cr, const char *text, double x, double y, const ui_rect *clip)
{
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 11.0);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, text, &ext);
    double w = ext.x_advance + 10, h = 18;
    double bx = x + 12, by = y - h - 6;
    if (bx + w > clip->x + clip->width)
        bx = x - w - 12;
    if (by < clip->y)
        by = y + 10;
    cairo_rectangle(cr, bx, by, w, h);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 1.0);
    cairo_stroke(cr);
    cairo_move_to(cr, bx + 5, by + 13);
    cairo_show_text(cr, text);
}

static void draw_mel(spectide_ui *ui, cairo_t *cr)
{
    const ui_rect *r = &ui->view_rect[VIEW_MEL];
    if (r->width <= 0)
        return;
    draw_header(ui, cr, VIEW_MEL, "Mel spectrogram");
    mel_data *m = &ui->mel;
    mel_linearise(m);
    double frame_rate = m->frame_rate > 0 ? m->frame_rate : 22050.0 / 512.0;
    double top = isfinite(m->top_db) ? ceil(m->top_db / 10.0) * 10.0 : 0.0;
    sv_matrix_style *style = &ui->mel_style;
    style->title = NULL;
    style->x_title = "time (s)";
    style->y_title = "mel band";
    style->unit = "dB";
    style->x_min = -MEL_HISTORY / frame_rate;
    style->x_max = 0.0;
    style->y_min = 0.0;
    style->y_max = m->bands;
    style->value_max = top;
    style->value_min = top - ui->widgets[W_RANGE].value;
    style->diverging = 0;
    double y = r->y + UI_HEADER_HEIGHT, h = r->height - UI_HEADER_HEIGHT;
    sv_matrix_draw(cr, r->x, y, r->width, h, m->image, m->bands, MEL_HISTORY, style);

    double ix, iy, iw, ih;
    sv_matrix_image_rect(r->x, y, r->width, h, style, &ix, &iy, &iw, &ih);
    if (ui->hover && iw > 0 && ih > 0 && ui->mouse_x >= ix && ui->mouse_x < ix + iw &&
        ui->mouse_y >= iy && ui->mouse_y < iy + ih) {
        int column = (int)((ui->mouse_x - ix) / iw * MEL_HISTORY);
        int band = (int)((iy + ih - ui->mouse_y) / ih * m->bands);
        column = column < 0 ? 0 : column >= MEL_HISTORY ? MEL_HISTORY - 1 : column;
        band = band < 0 ? 0 : band >= m->bands ? m->bands - 1 : band;
        /* Slaney mel, fmin 0, fmax sr/2: centres at n_mels + 2 equal mel steps. */
        double sr = m->sample_rate > 0 ? m->sample_rate : 22050.0;
        double mel_top = st_hz_to_mel(sr / 2.0, ST_MEL_SLANEY);
        double centre = st_mel_to_hz(mel_top * (band + 1) / (m->bands + 1), ST_MEL_SLANEY);
        double value = m->image[(size_t)column * (size_t)m->bands + (size_t)band];
        char hz[32], text[128];
        format_hz(centre, hz, sizeof(hz));
        if (isfinite(value))
            snprintf(text, sizeof(text), "band %d (%s)  %.1f dB  %.2f s", band, hz, value,
                     style->x_min + (column + 0.5) / frame_rate);
        else
            snprintf(text, sizeof(text), "band %d (%s)  no data", band, hz);
        draw_readout_box(cr, text, ui->mouse_x, ui->mouse_y, r);
    }
}

static void draw_cepstral(spectide_ui *ui, cairo_t *cr)
{
    const ui_rect *r = &ui->view_rect[VIEW_CEPSTRAL];
    if (r->width <= 0)
        return;
    draw_header(ui, cr, VIEW_CEPSTRAL, "Cepstral: RAPSD of the log-mel image | MFCC");
    const cepstral_data *c = &ui->cepstral;
    sv_plot *plot = ui->cepstral_plot;
    sv_plot_clear(plot);
    sv_plot_set_x_axis(plot, "frequency (cycles/pixel)", SV_AXIS_LOG, 0, 0, 0);
    sv_plot_set_y_axis(plot, "power", SV_AXIS_LOG, 0, 0);
    char note[256];
    int used;
    if (c->count > 0) {
        sv_plot_add_curve(plot, c->frequency, c->power, c->count, "RAPSD", SV_COLOR_SIGNAL,
                          SV_LINE_SOLID);
        if (isfinite(c->alpha))
            sv_plot_add_curve(plot, c->frequency, c->fit, c->count, "fit", SV_COLOR_FIT,
                              SV_LINE_DOTTED);
        used = snprintf(note, sizeof(note), "alpha %.2f  R\xc2\xb2 %.3f\n%d mels x %d frames",
                        c->alpha, c->r_squared, c->bands, c->columns);
    } else {
        sv_plot_set_x_axis(plot, "frequency (cycles/pixel)", SV_AXIS_LOG, 0.005, 0.5, 0);
        sv_plot_set_y_axis(plot, "power", SV_AXIS_LOG, 1e-2, 1e4);
        used = snprintf(note, sizeof(note), "waiting...");
    }
    double f, p;
    if (ui->hover && c->count > 0 &&
        sv_plot_pixel_to_data(plot, ui->mouse_x, ui->mouse_y, &f, &p) && f > 0 && used >= 0 &&
        used < (int)sizeof(note)) {
        int best = -1;
        for (int i = 0; i < c->count; i++)
            if (c->frequency[i] > 0 &&
                (best < 0 || fabs(log(c->frequency[i] / f)) < fabs(log(c->frequency[best] / f))))
                best = i;
        if (best >= 0)
            snprintf(note + used, sizeof(note) - (size_t)used,
                     "\n> %.4f cyc/px\nperiod %.1f px, P %.3g", f, 1.0 / f, c->power[best]);
        sv_plot_add_vline(plot, f, NULL, SV_COLOR_FMAX, SV_LINE_DOTTED);
    }
    sv_plot_set_note(plot, note);
    sv_plot_set_legend(plot, SV_LEGEND_BOTTOM_LEFT);
    double y = r->y + UI_HEADER_HEIGHT;
    sv_plot_draw(plot, cr, r->x, y, ui->mfcc_rect.x - r->x, r->height - UI_HEADER_HEIGHT);

    /* c0 is the frame's log energy, hundreds of dB below the shape
     * coefficients in silence: it goes into the note, the curve shows 1..19. */
    sv_plot *mfcc = ui->mfcc_plot;
    sv_plot_clear(mfcc);
    sv_plot_set_x_axis(mfcc, "coefficient", SV_AXIS_LINEAR, 0.5, ST_MFCC_COUNT - 0.5, 0);
    sv_plot_set_y_axis(mfcc, "MFCC", SV_AXIS_LINEAR, 0, 0);
    double index[ST_MFCC_COUNT];
    for (int i = 0; i < ST_MFCC_COUNT; i++)
        index[i] = i;
    if (ui->mel.have_mfcc) {
        char c0[48];
        sv_plot_add_curve(mfcc, index + 1, ui->mel.mfcc + 1, ST_MFCC_COUNT - 1, NULL,
                          SV_COLOR_LOWPASS, SV_LINE_SOLID);
        sv_plot_add_hline(mfcc, 0.0, NULL, SV_COLOR_PEAK, SV_LINE_DOTTED);
        snprintf(c0, sizeof(c0), "c0 %.0f", ui->mel.mfcc[0]);
        sv_plot_set_note(mfcc, c0);
    } else {
        sv_plot_set_y_axis(mfcc, "MFCC", SV_AXIS_LINEAR, -100, 100);
    }
    sv_plot_set_legend(mfcc, SV_LEGEND_NONE);
    sv_plot_draw(mfcc, cr, ui->mfcc_rect.x, ui->mfcc_rect.y, ui->mfcc_rect.width,
                 ui->mfcc_rect.height);
}

static void draw_toolbar(spectide_ui *ui, cairo_t *cr)
{
    for (int i = 0; i < W_COUNT; i++)
        st_widget_draw(&ui->widgets[i], cr, 1.0, i == ui->pressed_widget);
    const ui_rect *s = &ui->status_rect;
    if (s->width > 0 && ui->status[0]) {
        cairo_save(cr);
        cairo_rectangle(cr, s->x, s->y, s->width, s->height);
        cairo_clip(cr);
        cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr, 10.5);
        cairo_set_source_rgb(cr, 0.15, 0.3, 0.15);
        cairo_move_to(cr, s->x + 2, s->y + s->height / 2 + 4);
        cairo_show_text(cr, ui->status);
        cairo_restore(cr);
    }
}

/* The back buffer. On the usual 24-bit TrueColor visual, cairo draws into
 * an image surface whose pixels an XImage shares, sent with XPutImage: no
 * cairo-xlib device, whose per-connection state cairo 1.16 never frees when
 * a UI closes its X connection (valgrind: ~29 kB per open/close cycle).
 * Other visuals fall back to a Pixmap drawn through cairo-xlib. */
static int pixels_match_visual(spectide_ui *ui)
{
    int screen = DefaultScreen(ui->display);
    Visual *visual = DefaultVisual(ui->display, screen);
    return DefaultDepth(ui->display, screen) == 24 && visual->red_mask == 0xff0000 &&
           visual->green_mask == 0xff00 && visual->blue_mask == 0xff;
}

static void free_back_buffer(spectide_ui *ui)
{
    if (ui->image) {
        ui->image->data = NULL; /* cairo owns the pixels */
        XDestroyImage(ui->image);
        ui->image = NULL;
    }
    if (ui->surface) {
        cairo_surface_destroy(ui->surface);
        ui->surface = NULL;
    }
    if (ui->back) {
        XFreePixmap(ui->display, ui->back);
        ui->back = 0;
    }
}

static int ensure_back_buffer(spectide_ui *ui)
{
    if (ui->surface && ui->back_width == ui->width && ui->back_height == ui->height)
        return 1;
    free_back_buffer(ui);
    int screen = DefaultScreen(ui->display);
    Visual *visual = DefaultVisual(ui->display, screen);
    ui->back_width = ui->width;
    ui->back_height = ui->height;
    if (pixels_match_visual(ui)) {
        ui->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, ui->width, ui->height);
        if (cairo_surface_status(ui->surface) != CAIRO_STATUS_SUCCESS)
            return 0;
        ui->image =
            XCreateImage(ui->display, visual, 24, ZPixmap, 0,
                         (char *)cairo_image_surface_get_data(ui->surface), (unsigned)ui->width,
                         (unsigned)ui->height, 32, cairo_image_surface_get_stride(ui->surface));
        if (!ui->image)
            return 0;
        /* cairo stores native-endian 32-bit words; Xlib swaps if the server differs. */
        const uint32_t one = 1;
        ui->image->byte_order = *(const uint8_t *)&one ? LSBFirst : MSBFirst;
        return 1;
    }
    ui->back = XCreatePixmap(ui->display, ui->window, (unsigned)ui->width, (unsigned)ui->height,
                             (unsigned)DefaultDepth(ui->display, screen));
    ui->surface = cairo_xlib_surface_create(ui->display, ui->back, visual, ui->width, ui->height);
    if (!ui->device && cairo_surface_get_device(ui->surface))
        ui->device = cairo_device_reference(cairo_surface_get_device(ui->surface));
    return cairo_surface_status(ui->surface) == CAIRO_STATUS_SUCCESS;
}

static void draw(spectide_ui *ui)
{
    if (ui->window_gone || ui->width < 1 || ui->height < 1 || !ensure_back_buffer(ui))
        return;
    layout(ui);
    cairo_t *cr = cairo_create(ui->surface);
    cairo_scale(cr, ui->scale, ui->scale);
    cairo_set_source_rgb(cr, 0.97, 0.97, 0.98);
    cairo_paint(cr);
    draw_toolbar(ui, cr);
    draw_spectrum(ui, cr);
    draw_mel(ui, cr);
    draw_cepstral(ui, cr);
    cairo_destroy(cr);
    cairo_surface_flush(ui->surface);
    if (ui->image)
        XPutImage(ui->display, ui->window, ui->gc, ui->image, 0, 0, 0, 0, (unsigned)ui->width,
                  (unsigned)ui->height);
    else
        XCopyArea(ui->display, ui->back, ui->window, ui->gc, 0, 0, (unsigned)ui->width,
                  (unsigned)ui->height, 0, 0);
    XFlush(ui->display);
    ui->dirty = 0;
    ui->last_draw = now_seconds();
}

/* ------------------------------------------------------------------ */
/* X11 events                                                           */
/* ------------------------------------------------------------------ */

static void on_press(spectide_ui *ui, double x, double y, int button)
{
    for (int i = 0; i < W_COUNT; i++) {
        st_widget *w = &ui->widgets[i];
        if (!st_widget_contains(w, x, y))
            continue;
        if (st_widget_press(w, x, y, button)) {
            if (w->kind == ST_WIDGET_BUTTON)
                ui->pressed_widget = i;
            widget_activated(ui, i);
        }
        if (w->kind == ST_WIDGET_SLIDER && button == 1 && w->enabled)
            ui->drag_widget = i;
        ui->dirty = 1;
        return;
    }
    if (button != 1)
        return;
    for (int v = 0; v < VIEW_COUNT; v++) {
        if (inside(&ui->header_rect[v], x, y)) {
            ui->enlarged = ui->enlarged == (ui_view)v ? VIEW_NONE : (ui_view)v;
            ui->dirty = 1;
            return;
        }
    }
}

static void handle_event(spectide_ui *ui, XEvent *event)
{
    double s = ui->scale;
    switch (event->type) {
    case Expose:
        if (event->xexpose.count == 0)
            ui->dirty = 1;
        break;
    case ConfigureNotify:
        if (event->xconfigure.width != ui->width || event->xconfigure.height != ui->height) {
            ui->width = event->xconfigure.width;
            ui->height = event->xconfigure.height;
            ui->dirty = 1;
        }
        break;
    case ButtonPress:
        on_press(ui, event->xbutton.x / s, event->xbutton.y / s, (int)event->xbutton.button);
        break;
    case ButtonRelease:
        ui->drag_widget = -1;
        if (ui->pressed_widget >= 0) {
            ui->pressed_widget = -1;
            ui->dirty = 1;
        }
        break;
    case MotionNotify:
        ui->mouse_x = event->xmotion.x / s;
        ui->mouse_y = event->xmotion.y / s;
        ui->hover = 1;
        if (ui->drag_widget >= 0 && st_widget_drag(&ui->widgets[ui->drag_widget], ui->mouse_x))
            widget_activated(ui, ui->drag_widget);
        ui->dirty = 1;
        break;
    case LeaveNotify:
        ui->hover = 0;
        ui->dirty = 1;
        break;
    case DestroyNotify:
        if (event->xdestroywindow.window == ui->window)
            ui->window_gone = 1;
        break;
    case ClientMessage:
        if ((Atom)event->xclient.data.l[0] == ui->wm_delete)
            ui->closing = 1;
        break;
    default:
        break;
    }
}

static int ui_idle(LV2UI_Handle handle)
{
    spectide_ui *ui = (spectide_ui *)handle;
    if (!ui->said_hello) {
        /* Again from the first idle: some hosts drop writes made during instantiate. */
        send_message(ui, ui->uris.ui_on);
        send_message(ui, ui->uris.state_request);
        ui->said_hello = 1;
    }
    while (XPending(ui->display) > 0) {
        XEvent event;
        XNextEvent(ui->display, &event);
        handle_event(ui, &event);
    }
    double rate = ui->widgets[W_LOW_CPU].value > 0.5 ? UI_REDRAW_HZ_LOW_CPU : UI_REDRAW_HZ;
    /* 0.75: a host idling at exactly our rate calls a little early or late;
     * a strict 1/rate would skip every other call and halve the rate. */
    if (ui->dirty && now_seconds() - ui->last_draw >= 0.75 / rate)
        draw(ui);
    return ui->closing;
}

/* The host resizes us (ui:resize extension data of the UI). */
static int ui_resize(LV2UI_Feature_Handle handle, int width, int height)
{
    spectide_ui *ui = (spectide_ui *)handle;
    if (ui->window_gone)
        return 1;
    int min_w = (int)ceil(UI_MIN_WIDTH * ui->scale), min_h = (int)ceil(UI_MIN_HEIGHT * ui->scale);
    width = width < min_w ? min_w : width;
    height = height < min_h ? min_h : height;
    XResizeWindow(ui->display, ui->window, (unsigned)width, (unsigned)height);
    XFlush(ui->display);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Port events from the host                                            */
/* ------------------------------------------------------------------ */

static void port_event(LV2UI_Handle handle, uint32_t port, uint32_t buffer_size, uint32_t format,
                       const void *buffer)
{
    spectide_ui *ui = (spectide_ui *)handle;
    if (format == 0) {
        if (buffer_size < sizeof(float))
            return;
        float value = *(const float *)buffer;
        for (int i = 0; i < W_COUNT; i++) {
            if (ui->widget_port[i] == (int)port && st_widget_set_value(&ui->widgets[i], value)) {
                if (i == W_TIDE_MODE)
                    update_tide_widgets(ui);
                ui->dirty = 1;
            }
        }
        return;
    }
    if (format != ui->uris.atom_event_transfer || (int)port != ui->port_notify ||
        buffer_size < sizeof(LV2_Atom))
        return;
    const LV2_Atom *atom = (const LV2_Atom *)buffer;
    if ((atom->type != ui->uris.atom_object && atom->type != ui->uris.atom_blank) ||
        lv2_atom_total_size(atom) > buffer_size || atom->size < sizeof(LV2_Atom_Object_Body))
        return;
    const LV2_Atom_Object *obj = (const LV2_Atom_Object *)atom;
    if (obj->body.otype == ui->uris.spectrum)
        read_spectrum(ui, obj);
    else if (obj->body.otype == ui->uris.mel_columns)
        read_mel(ui, obj);
    else if (obj->body.otype == ui->uris.cepstral)
        read_cepstral(ui, obj);
}

/* ------------------------------------------------------------------ */
/* Instantiate / cleanup                                                */
/* ------------------------------------------------------------------ */

/* Xft.dpi of the X server's resource database (what desktop toolkits use). */
static double xft_scale(Display *display)
{
    double scale = 1.0;
    const char *resources = XResourceManagerString(display);
    if (!resources)
        return scale;
    XrmInitialize();
    XrmDatabase database = XrmGetStringDatabase(resources);
    if (!database)
        return scale;
    char *type = NULL;
    XrmValue value;
    if (XrmGetResource(database, "Xft.dpi", "Xft.Dpi", &type, &value) && value.addr) {
        double dpi = atof(value.addr);
        if (dpi > 0)
            scale = dpi / 96.0;
    }
    XrmDestroyDatabase(database);
    return scale;
}

static void cleanup(LV2UI_Handle handle);

static void set_size_hints(spectide_ui *ui, int width, int height)
{
    XSizeHints *hints = XAllocSizeHints();
    if (!hints)
        return;
    hints->flags = PMinSize | PBaseSize;
    hints->min_width = (int)ceil(UI_MIN_WIDTH * ui->scale);
    hints->min_height = (int)ceil(UI_MIN_HEIGHT * ui->scale);
    hints->base_width = width;
    hints->base_height = height;
    XSetWMNormalHints(ui->display, ui->window, hints);
    XFree(hints);
}

static LV2UI_Handle instantiate(const LV2UI_Descriptor *descriptor, const char *plugin_uri,
                                const char *bundle_path, LV2UI_Write_Function write_function,
                                LV2UI_Controller controller, LV2UI_Widget *widget,
                                const LV2_Feature *const *features)
{
    (void)descriptor;
    (void)bundle_path;
    spectide_ui *ui = (spectide_ui *)calloc(1, sizeof(spectide_ui));
    if (!ui)
        return NULL;
    ui->write = write_function;
    ui->controller = controller;
    ui->stereo = plugin_uri && strcmp(plugin_uri, ST_URI_STEREO) == 0;
    ui->port_control = st_port_index(ui->stereo, ST_COMMON_CONTROL);
    ui->port_notify = st_port_index(ui->stereo, ST_COMMON_NOTIFY);
    void *parent = NULL;
    const LV2_Options_Option *options = NULL;
    for (int i = 0; features && features[i]; i++) {
        if (!strcmp(features[i]->URI, LV2_URID__map))
            ui->map = (LV2_URID_Map *)features[i]->data;
        else if (!strcmp(features[i]->URI, LV2_UI__parent))
            parent = features[i]->data;
        else if (!strcmp(features[i]->URI, LV2_UI__resize))
            ui->host_resize = (LV2UI_Resize *)features[i]->data;
        else if (!strcmp(features[i]->URI, LV2_OPTIONS__options))
            options = (const LV2_Options_Option *)features[i]->data;
    }
    if (!ui->map) {
        fprintf(stderr, "spectide UI: the host gives no urid:map; cannot read the plugin's data\n");
        free(ui);
        return NULL;
    }
    map_uris(ui);
    ui->display = XOpenDisplay(NULL);
    if (!ui->display) {
        fprintf(stderr, "spectide UI: cannot open the X display \"%s\"\n",
                getenv("DISPLAY") ? getenv("DISPLAY") : "");
        free(ui);
        return NULL;
    }

    /* HiDPI: the host's ui:scaleFactor wins over the server's Xft.dpi. */
    ui->scale = xft_scale(ui->display);
    for (int i = 0; options && options[i].key; i++)
        if (options[i].key == ui->uris.ui_scale_factor && options[i].type == ui->uris.atom_float &&
            options[i].value)
            ui->scale = *(const float *)options[i].value;
    if (!(ui->scale >= 0.5 && ui->scale <= 4.0))
        ui->scale = 1.0;

    ui->enlarged = VIEW_NONE;
    ui->spectrum.water_db = NAN;
    ui->spectrum.sample_rate = 22050.0;
    for (int i = 0; i < ST_SPECTRUM_POINTS; i++)
        ui->spectrum.peak_hold_db[i] = NAN;
    mel_reset(&ui->mel, 128);
    ui->mel.frame_rate = 22050.0 / 512.0;
    ui->mel.sample_rate = 22050.0;
    ui->cepstral.alpha = NAN;
    init_widgets(ui);
    update_tide_widgets(ui);
    ui->spectrum_plot = sv_plot_new();
    ui->cepstral_plot = sv_plot_new();
    ui->mfcc_plot = sv_plot_new();
    if (!ui->spectrum_plot || !ui->cepstral_plot || !ui->mfcc_plot) {
        cleanup(ui);
        return NULL;
    }

    int screen = DefaultScreen(ui->display);
    ui->width = (int)lround(UI_DEFAULT_WIDTH * ui->scale);
    ui->height = (int)lround(UI_DEFAULT_HEIGHT * ui->scale);
    ui->toplevel = parent == NULL;
    Window parent_window = parent ? (Window)(uintptr_t)parent : RootWindow(ui->display, screen);
    /* Our own visual and colormap (the default ones), with an explicit border
     * pixel: the host's parent may use another visual (e.g. ARGB), and the
     * back buffer must match our window for XCopyArea. */
    XSetWindowAttributes attributes;
    memset(&attributes, 0, sizeof(attributes));
    attributes.background_pixel = WhitePixel(ui->display, screen);
    attributes.border_pixel = BlackPixel(ui->display, screen);
    attributes.colormap = DefaultColormap(ui->display, screen);
    attributes.bit_gravity = NorthWestGravity;
    attributes.event_mask = ExposureMask | StructureNotifyMask | ButtonPressMask |
                            ButtonReleaseMask | PointerMotionMask | LeaveWindowMask;
    ui->window = XCreateWindow(
        ui->display, parent_window, 0, 0, (unsigned)ui->width, (unsigned)ui->height, 0,
        DefaultDepth(ui->display, screen), InputOutput, DefaultVisual(ui->display, screen),
        CWBackPixel | CWBorderPixel | CWColormap | CWEventMask | CWBitGravity, &attributes);
    XStoreName(ui->display, ui->window, "spectide-ui");
    set_size_hints(ui, ui->width, ui->height);
    if (ui->toplevel) {
        ui->wm_delete = XInternAtom(ui->display, "WM_DELETE_WINDOW", False);
        XSetWMProtocols(ui->display, ui->window, &ui->wm_delete, 1);
    }
    ui->gc = XCreateGC(ui->display, ui->window, 0, NULL);
    XMapRaised(ui->display, ui->window);
    XFlush(ui->display);
    if (ui->host_resize)
        ui->host_resize->ui_resize(ui->host_resize->handle, ui->width, ui->height);
    *widget = (LV2UI_Widget)(uintptr_t)ui->window;

    send_message(ui, ui->uris.ui_on);
    send_message(ui, ui->uris.state_request);
    ui->dirty = 1;
    return ui;
}

static void cleanup(LV2UI_Handle handle)
{
    spectide_ui *ui = (spectide_ui *)handle;
    if (ui->window) {
        /* The DSP stops sending when nobody listens. */
        send_message(ui, ui->uris.ui_off);
        free_back_buffer(ui);
        XFreeGC(ui->display, ui->gc);
        /* Hosts (suil) may destroy the parent, and with it our window, before
         * calling cleanup: destroying it again would be an X error, fatal
         * under Xlib's default handler. After a round trip, the server has
         * told us if that happened; the host cannot act in between (same thread). */
        XSync(ui->display, False);
        XEvent event;
        while (XCheckTypedWindowEvent(ui->display, ui->window, DestroyNotify, &event))
            ui->window_gone = 1;
        if (!ui->window_gone)
            XDestroyWindow(ui->display, ui->window);
    }
    if (ui->device) {
        /* cairo keeps one device per X connection; without finishing it here
         * every open/close cycle of the UI would leak it with its caches. */
        cairo_device_finish(ui->device);
        cairo_device_destroy(ui->device);
    }
    if (ui->display)
        XCloseDisplay(ui->display);
    sv_plot_free(ui->spectrum_plot);
    sv_plot_free(ui->cepstral_plot);
    sv_plot_free(ui->mfcc_plot);
    free(ui);
}

static const void *extension_data(const char *uri)
{
    static const LV2UI_Idle_Interface idle = {ui_idle};
    static const LV2UI_Resize resize = {NULL, ui_resize};
    if (!strcmp(uri, LV2_UI__idleInterface))
        return &idle;
    if (!strcmp(uri, LV2_UI__resize))
        return &resize;
    return NULL;
}

static const LV2UI_Descriptor descriptor = {ST_URI_UI, instantiate, cleanup, port_event,
                                            extension_data};

LV2_SYMBOL_EXPORT const LV2UI_Descriptor *lv2ui_descriptor(uint32_t index)
{
    return index == 0 ? &descriptor : NULL;
}
