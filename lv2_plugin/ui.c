/* spectide.lv2 X11 UI: live spectrum with the noise tide, scrolling mel
 * spectrogram, cepstral RAPSD with its power-law fit beside the newest MFCCs.
 *
 * How it talks to the host (the views are drawn in ui_views.c, the window
 * is x11_window.c's, the widgets ui_widgets.c's):
 * - ui:parent gives the window to embed into; without it the window is a
 *   top-level one.
 * - ui:idleInterface: the host calls idle() from its GUI loop; we drain the
 *   window's events there and redraw at most 30 times a second (10 in
 *   low-CPU mode), only when something changed. Nothing runs between idle
 *   calls.
 * - ui:resize both ways: we ask for our default size through the host's
 *   feature, and the host resizes us through our extension data (or simply
 *   resizes the window: we follow it either way).
 * - Controls write the plugin's control ports through write_function;
 *   port_event keeps them in sync with automation and presets. Their
 *   ranges, choices and formats are the table's (controls.c).
 * - Data (spectrum, mel columns, cepstral RAPSD) arrives as atom objects on
 *   the notify port, read with uris.c. We send st:UiOn when we open and
 *   st:UiOff from cleanup, so the DSP only sends while someone looks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui.h"

#include <lv2/atom/util.h>
#include <lv2/options/options.h>

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define UI_REDRAW_HZ         30.0
#define UI_REDRAW_HZ_LOW_CPU 10.0

double stl_ui_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ------------------------------------------------------------------ */
/* Messages                                                             */
/* ------------------------------------------------------------------ */

/* UI -> DSP: st:UiOn, st:UiOff or st:StateRequest. */
static void send_command(stl_ui *ui, stl_command command)
{
    uint64_t buffer[8];
    LV2_Atom_Forge forge;
    lv2_atom_forge_init(&forge, ui->map);
    lv2_atom_forge_set_buffer(&forge, (uint8_t *)buffer, sizeof buffer);
    stl_write_command(&forge, &ui->uris, command);
    const LV2_Atom *atom = (const LV2_Atom *)buffer;
    ui->write(ui->controller, (uint32_t)ui->port_control, lv2_atom_total_size(atom),
              ui->uris.atom_event_transfer, atom);
}

static void take_spectrum(stl_ui *ui, const stl_spectrum_message *m)
{
    stl_spectrum_data *s = &ui->spectrum;
    int n = m->points;
    /* New bins (FFT size, rate): the held peaks belong to other frequencies. */
    int same_bins = n == s->count;
    for (int i = 0; same_bins && i < n; i++)
        same_bins = s->frequency[i] == m->frequency[i];
    for (int i = 0; i < n; i++) {
        s->frequency[i] = m->frequency[i];
        s->power_db[i] = m->power_db[i];
        s->peak_db[i] = m->peak_db ? m->peak_db[i] : m->power_db[i];
        if (!same_bins || !isfinite(s->peak_hold_db[i]) || s->peak_db[i] > s->peak_hold_db[i])
            s->peak_hold_db[i] = s->peak_db[i];
    }
    s->count = n;
    /* Scalars the message lacks keep their values. */
    if (m->sample_rate > 0)
        s->sample_rate = m->sample_rate;
    if (m->host_rate > 0)
        s->host_rate = m->host_rate;
    if (m->fft_size > 0)
        s->fft_size = m->fft_size;
    if (isfinite(m->sigma_db))
        s->sigma_db = m->sigma_db;
    if (isfinite(m->tau_db))
        s->tau_db = m->tau_db;
    if (isfinite(m->water_db))
        s->water_db = m->water_db;
    if (isfinite(m->t))
        s->t = m->t;
    if (m->schedule >= 0)
        s->schedule = m->schedule;
    if (m->tide_mode >= 0)
        s->tide_mode = m->tide_mode;
    if (isfinite(m->share_bins))
        s->share_bins = m->share_bins;
    if (isfinite(m->share_energy))
        s->share_energy = m->share_energy;
    if (isfinite(m->slope))
        s->slope = m->slope;
    if (m->frozen >= 0)
        s->frozen = m->frozen > 0;
    s->received++;
    ui->dirty = 1;
}

static void mel_reset(stl_mel_data *m, int bands)
{
    m->bands = bands;
    m->head = 0;
    m->filled = 0;
    m->top_db = -INFINITY;
    for (int i = 0; i < MEL_HISTORY * STL_MEL_BANDS_MAX; i++)
        m->ring[i] = NAN;
}

static void take_mel(stl_ui *ui, const stl_mel_message *message)
{
    stl_mel_data *m = &ui->mel;
    int b = message->mel_bands;
    if (b != m->bands)
        mel_reset(m, b);
    if (message->frame_rate > 0)
        m->frame_rate = message->frame_rate;
    if (message->sample_rate > 0)
        m->sample_rate = message->sample_rate;
    for (int c = 0; c < message->columns; c++) {
        float *column = m->ring + (size_t)m->head * (size_t)b;
        double column_max = -INFINITY;
        for (int i = 0; i < b; i++) {
            column[i] = message->values[(size_t)c * (size_t)b + (size_t)i];
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
    if (message->mfcc) {
        for (int i = 0; i < STL_MFCC_COUNT; i++)
            m->mfcc[i] = i < message->mfcc_count ? message->mfcc[i] : NAN;
        m->have_mfcc = 1;
    }
    ui->dirty = 1;
}

static void take_cepstral(stl_ui *ui, const stl_cepstral_message *m)
{
    stl_cepstral_data *c = &ui->cepstral;
    c->count = m->rings;
    c->alpha = m->alpha;
    c->intercept = m->intercept;
    c->r_squared = m->r_squared;
    c->columns = m->columns > 0 ? m->columns : 0;
    c->bands = m->mel_bands > 0 ? m->mel_bands : 0;
    for (int i = 0; i < m->rings; i++) {
        c->frequency[i] = m->frequency[i];
        c->power[i] = m->power[i];
        /* The fit log10 P = c - alpha log10 f, drawn where it was fitted (f > 0). */
        c->fit[i] =
            m->frequency[i] > 0 ? pow(10.0, c->intercept - c->alpha * log10(c->frequency[i])) : NAN;
    }
    c->received++;
    ui->dirty = 1;
}

/* ------------------------------------------------------------------ */
/* Controls                                                             */
/* ------------------------------------------------------------------ */

/* A selector or slider for a port, from the table: its choices (short
 * labels) or its range and its unit's format. */
static void init_port_widget(stl_widget *w, stl_port port, const char *label)
{
    const stl_port_info *info = &stl_ports[port];
    if (info->kind == STL_KIND_TOGGLE) {
        stl_widget_init_toggle(w, label, info->fallback);
    } else if (info->choice_count > 0) {
        const char *names[STL_CHOICES_MAX];
        double values[STL_CHOICES_MAX];
        for (int i = 0; i < info->choice_count; i++) {
            names[i] = info->choices[i].short_label;
            values[i] = info->choices[i].value;
        }
        stl_widget_init_selector(w, label, names, values, info->choice_count, info->fallback);
    } else {
        stl_widget_init_slider(w, label, info->minimum, info->maximum, stl_units[info->unit].render,
                               info->fallback);
    }
}

static void init_widgets(stl_ui *ui)
{
    static const char *const tilt_names[] = {"0", "3 dB/oct", "4.5 dB/oct"};
    static const double tilt_values[] = {0, 3, 4.5};
    static const char *const freq_names[] = {"log", "lin"};
    static const double freq_values[] = {0, 1};

    stl_widget *w = ui->widgets;
    init_port_widget(&w[W_TIDE_MODE], STL_PORT_TIDE_MODE, "tide");
    init_port_widget(&w[W_SCHEDULE], STL_PORT_SCHEDULE, "sched");
    init_port_widget(&w[W_T], STL_PORT_T, "t");
    init_port_widget(&w[W_SIGMA], STL_PORT_SIGMA_DB, "\xcf\x83");
    init_port_widget(&w[W_TAU], STL_PORT_TAU_DB, "\xcf\x84");
    init_port_widget(&w[W_AUDITION], STL_PORT_AUDITION, "hear");
    init_port_widget(&w[W_FFT], STL_PORT_FFT_SIZE, "FFT");
    init_port_widget(&w[W_FREEZE], STL_PORT_FREEZE, "freeze");
    init_port_widget(&w[W_RANGE], STL_PORT_DISPLAY_RANGE, "range");
    init_port_widget(&w[W_TOP], STL_PORT_DISPLAY_TOP, "top");
    stl_widget_init_selector(&w[W_TILT], "tilt", tilt_names, tilt_values, 3, 0);
    stl_widget_init_selector(&w[W_FREQ_SCALE], "freq", freq_names, freq_values, 2, 0);
    stl_widget_init_toggle(&w[W_PEAK_HOLD], "peak hold", 1);
    stl_widget_init_button(&w[W_PEAK_RESET], "reset peaks");
    stl_widget_init_button(&w[W_EXPORT], "export CSV");
    stl_widget_init_toggle(&w[W_LOW_CPU], "low CPU", 0);
    init_port_widget(&w[W_CHANNEL], STL_PORT_CHANNEL, "ch");
    w[W_CHANNEL].visible = ui->stereo;

    /* The port of each widget; 0 (the atom port, never a widget's) for the
     * display options, which are the UI's own. */
    static const stl_port ports[W_COUNT] = {[W_TIDE_MODE] = STL_PORT_TIDE_MODE,
                                            [W_SCHEDULE] = STL_PORT_SCHEDULE,
                                            [W_T] = STL_PORT_T,
                                            [W_SIGMA] = STL_PORT_SIGMA_DB,
                                            [W_TAU] = STL_PORT_TAU_DB,
                                            [W_AUDITION] = STL_PORT_AUDITION,
                                            [W_FFT] = STL_PORT_FFT_SIZE,
                                            [W_FREEZE] = STL_PORT_FREEZE,
                                            [W_RANGE] = STL_PORT_DISPLAY_RANGE,
                                            [W_TOP] = STL_PORT_DISPLAY_TOP,
                                            [W_CHANNEL] = STL_PORT_CHANNEL};
    for (int i = 0; i < W_COUNT; i++)
        ui->widget_port[i] = ports[i] ? stl_port_index(ui->stereo, ports[i]) : -1;
    ui->drag_widget = -1;
    ui->pressed_widget = -1;
}

/* Sigma or schedule + t: only the controls of the current mode are live. */
static void update_tide_widgets(stl_ui *ui)
{
    int schedule = ui->widgets[W_TIDE_MODE].value > 0.5;
    ui->widgets[W_SCHEDULE].enabled = schedule;
    ui->widgets[W_T].enabled = schedule;
    ui->widgets[W_SIGMA].enabled = !schedule;
}

static void write_control(stl_ui *ui, int widget)
{
    int port = ui->widget_port[widget];
    if (port < 0)
        return;
    float value = (float)ui->widgets[widget].value;
    ui->write(ui->controller, (uint32_t)port, sizeof(float), 0, &value);
}

/* The CSV of the spectrum as shown (tilt applied), written to a temporary
 * file in the same folder and renamed, so a reader never sees half a file. */
static void export_csv(stl_ui *ui)
{
    const stl_spectrum_data *s = &ui->spectrum;
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

static void reset_peaks(stl_ui *ui)
{
    stl_spectrum_data *s = &ui->spectrum;
    for (int i = 0; i < s->count; i++)
        s->peak_hold_db[i] = s->power_db[i];
}

/* A widget changed by the mouse: write its port or apply the display option. */
static void widget_activated(stl_ui *ui, int widget)
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
/* Window events                                                        */
/* ------------------------------------------------------------------ */

static void on_press(stl_ui *ui, double x, double y, int button)
{
    for (int i = 0; i < W_COUNT; i++) {
        stl_widget *w = &ui->widgets[i];
        if (!stl_widget_contains(w, x, y))
            continue;
        if (stl_widget_press(w, x, y, button)) {
            if (w->kind == STL_WIDGET_BUTTON)
                ui->pressed_widget = i;
            widget_activated(ui, i);
        }
        if (w->kind == STL_WIDGET_SLIDER && button == 1 && w->enabled)
            ui->drag_widget = i;
        ui->dirty = 1;
        return;
    }
    stl_view view = button == 1 ? stl_ui_header_at(ui, x, y) : VIEW_NONE;
    if (view != VIEW_NONE) {
        ui->enlarged = ui->enlarged == view ? VIEW_NONE : view;
        ui->dirty = 1;
    }
}

static void handle_event(stl_ui *ui, const stl_window_event *event)
{
    switch (event->type) {
    case STL_EVENT_EXPOSE:
    case STL_EVENT_RESIZE:
        ui->dirty = 1;
        break;
    case STL_EVENT_PRESS:
        on_press(ui, event->x, event->y, event->button);
        break;
    case STL_EVENT_RELEASE:
        ui->drag_widget = -1;
        if (ui->pressed_widget >= 0) {
            ui->pressed_widget = -1;
            ui->dirty = 1;
        }
        break;
    case STL_EVENT_MOTION:
        ui->mouse_x = event->x;
        ui->mouse_y = event->y;
        ui->hover = 1;
        if (ui->drag_widget >= 0 && stl_widget_drag(&ui->widgets[ui->drag_widget], ui->mouse_x))
            widget_activated(ui, ui->drag_widget);
        ui->dirty = 1;
        break;
    case STL_EVENT_LEAVE:
        ui->hover = 0;
        ui->dirty = 1;
        break;
    case STL_EVENT_CLOSE:
        ui->closing = 1;
        break;
    }
}

static void draw(stl_ui *ui)
{
    cairo_t *cr = stl_window_begin_draw(ui->window);
    if (!cr)
        return;
    stl_window_size(ui->window, &ui->width, &ui->height);
    stl_ui_draw(ui, cr);
    stl_window_present(ui->window, cr);
    ui->dirty = 0;
    ui->last_draw = stl_ui_now();
}

static int ui_idle(LV2UI_Handle handle)
{
    stl_ui *ui = (stl_ui *)handle;
    if (!ui->said_hello) {
        /* Again from the first idle: some hosts drop writes made during instantiate. */
        send_command(ui, STL_COMMAND_UI_ON);
        send_command(ui, STL_COMMAND_STATE_REQUEST);
        ui->said_hello = 1;
    }
    stl_window_event event;
    while (stl_window_next_event(ui->window, &event))
        handle_event(ui, &event);
    double rate = ui->widgets[W_LOW_CPU].value > 0.5 ? UI_REDRAW_HZ_LOW_CPU : UI_REDRAW_HZ;
    /* 0.75: a host idling at exactly our rate calls a little early or late;
     * a strict 1/rate would skip every other call and halve the rate. */
    if (ui->dirty && stl_ui_now() - ui->last_draw >= 0.75 / rate)
        draw(ui);
    return ui->closing;
}

/* The host resizes us (ui:resize extension data of the UI). */
static int ui_resize(LV2UI_Feature_Handle handle, int width, int height)
{
    stl_ui *ui = (stl_ui *)handle;
    if (stl_window_gone(ui->window))
        return 1;
    stl_window_resize(ui->window, width, height);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Port events from the host                                            */
/* ------------------------------------------------------------------ */

static void port_event(LV2UI_Handle handle, uint32_t port, uint32_t buffer_size, uint32_t format,
                       const void *buffer)
{
    stl_ui *ui = (stl_ui *)handle;
    if (format == 0) {
        if (buffer_size < sizeof(float))
            return;
        float value = *(const float *)buffer;
        for (int i = 0; i < W_COUNT; i++) {
            if (ui->widget_port[i] == (int)port && stl_widget_set_value(&ui->widgets[i], value)) {
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
    if (lv2_atom_total_size(atom) > buffer_size || atom->size < sizeof(LV2_Atom_Object_Body))
        return;
    const LV2_Atom_Object *object = (const LV2_Atom_Object *)atom;
    stl_spectrum_message spectrum;
    stl_mel_message mel;
    stl_cepstral_message cepstral;
    if (stl_read_spectrum(&ui->uris, object, &spectrum))
        take_spectrum(ui, &spectrum);
    else if (stl_read_mel(&ui->uris, object, &mel))
        take_mel(ui, &mel);
    else if (stl_read_cepstral(&ui->uris, object, &cepstral))
        take_cepstral(ui, &cepstral);
}

/* ------------------------------------------------------------------ */
/* Instantiate / cleanup                                                */
/* ------------------------------------------------------------------ */

static void cleanup(LV2UI_Handle handle);

static LV2UI_Handle instantiate(const LV2UI_Descriptor *descriptor, const char *plugin_uri,
                                const char *bundle_path, LV2UI_Write_Function write_function,
                                LV2UI_Controller controller, LV2UI_Widget *widget,
                                const LV2_Feature *const *features)
{
    (void)descriptor;
    (void)bundle_path;
    stl_ui *ui = (stl_ui *)calloc(1, sizeof(stl_ui));
    if (!ui)
        return NULL;
    ui->write = write_function;
    ui->controller = controller;
    ui->stereo = plugin_uri && strcmp(plugin_uri, STL_URI_STEREO) == 0;
    ui->port_control = stl_port_index(ui->stereo, STL_PORT_CONTROL);
    ui->port_notify = stl_port_index(ui->stereo, STL_PORT_NOTIFY);
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
    stl_uris_map(&ui->uris, ui->map);
    ui->ui_scale_factor = ui->map->map(ui->map->handle, LV2_UI__scaleFactor);
    double host_scale = 0;
    for (int i = 0; options && options[i].key; i++)
        if (options[i].key == ui->ui_scale_factor && options[i].type == ui->uris.atom_float &&
            options[i].value)
            host_scale = *(const float *)options[i].value;

    ui->enlarged = VIEW_NONE;
    ui->spectrum.water_db = NAN;
    ui->spectrum.sample_rate = 22050.0;
    for (int i = 0; i < STL_SPECTRUM_POINTS; i++)
        ui->spectrum.peak_hold_db[i] = NAN;
    mel_reset(&ui->mel, 128);
    ui->mel.frame_rate = 22050.0 / 512.0;
    ui->mel.sample_rate = 22050.0;
    ui->cepstral.alpha = NAN;
    stl_db_axis_init(&ui->axis);
    init_widgets(ui);
    update_tide_widgets(ui);
    ui->spectrum_plot = sv_plot_new();
    ui->cepstral_plot = sv_plot_new();
    ui->mfcc_plot = sv_plot_new();
    ui->window = stl_window_new((uintptr_t)parent, "spectide-ui", UI_DEFAULT_WIDTH,
                                UI_DEFAULT_HEIGHT, UI_MIN_WIDTH, UI_MIN_HEIGHT, host_scale);
    if (!ui->spectrum_plot || !ui->cepstral_plot || !ui->mfcc_plot || !ui->window) {
        cleanup(ui);
        return NULL;
    }
    ui->scale = stl_window_scale(ui->window);
    stl_window_size(ui->window, &ui->width, &ui->height);
    if (ui->host_resize)
        ui->host_resize->ui_resize(ui->host_resize->handle, ui->width, ui->height);
    *widget = (LV2UI_Widget)stl_window_id(ui->window);

    send_command(ui, STL_COMMAND_UI_ON);
    send_command(ui, STL_COMMAND_STATE_REQUEST);
    ui->dirty = 1;
    return ui;
}

static void cleanup(LV2UI_Handle handle)
{
    stl_ui *ui = (stl_ui *)handle;
    if (ui->window) {
        /* The DSP stops sending when nobody listens. */
        send_command(ui, STL_COMMAND_UI_OFF);
        stl_window_free(ui->window);
    }
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

static const LV2UI_Descriptor descriptor = {STL_URI_UI, instantiate, cleanup, port_event,
                                            extension_data};

LV2_SYMBOL_EXPORT const LV2UI_Descriptor *lv2ui_descriptor(uint32_t index)
{
    return index == 0 ? &descriptor : NULL;
}
