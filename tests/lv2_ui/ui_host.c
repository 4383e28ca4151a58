/* A small LV2 UI host for tests of spectide_ui.so, on a real X server (Xvfb).
 *
 * It loads the UI through lv2ui_descriptor, gives it a real parent window,
 * urid:map, ui:resize, options (ui:scaleFactor) and drives it through
 * ui:idleInterface, feeding port_events as the DSP would (control values
 * and st:Spectrum / st:MelColumns / st:Cepstral atoms built with the forge).
 *
 *   ui_host cycles SO N      N open/close cycles (run under valgrind): each
 *                            checks st:UiOn on open and st:UiOff on close, the
 *                            size request, a host resize (clamped at the
 *                            minimum) and draws with data at scale 1 and 2.
 *   ui_host interact SO DIR  clicks (XSendEvent) on the freeze toggle, the
 *                            tide selector, "export CSV" and "reset peaks"
 *                            (HOME=DIR): the ports written and the CSVs; then
 *                            the HiDPI scale from Xft.dpi (no scaleFactor).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "controls.h"
#include "uris.h"
#include "urid_table.h"

/* The forge before Xlib: Xlib defines Bool as a macro, the forge has a Bool field. */
#include <lv2/atom/forge.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <dlfcn.h>
#include <dirent.h>
#include <lv2/options/options.h>
#include <lv2/ui/ui.h>
#include <lv2/urid/urid.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define POINTS 300
#define BANDS  128

static test_urid_table urids; /* tests/common: a map that never allocates */

/* The mono plugin's port indices, as its TTL declares them. */
enum {
    MONO_CONTROL = 2,
    MONO_NOTIFY = 3,
    MONO_TIDE_MODE = 8,
    MONO_SIGMA_DB = 11,
    MONO_FREEZE = 14
};

static LV2_URID map_uri(LV2_URID_Map_Handle handle, const char *uri)
{
    (void)handle;
    return test_urid_map(&urids, uri);
}

static const char *unmap_uri(LV2_URID urid)
{
    return test_urid_unmap(&urids, urid);
}

/* What the UI wrote to the plugin. */
typedef struct {
    int ui_on, ui_off, state_requests, control_writes;
    float last_value[64];
    int written[64];
    int resize_width, resize_height;
} host_log;

static host_log written;
static int x_errors;

static int on_x_error(Display *display, XErrorEvent *event)
{
    char text[128];
    XGetErrorText(display, event->error_code, text, sizeof(text));
    fprintf(stderr, "X error in the test host: %s\n", text);
    x_errors++;
    return 0;
}

static void write_function(LV2UI_Controller controller, uint32_t port, uint32_t size,
                           uint32_t protocol, const void *buffer)
{
    (void)controller;
    if (protocol == 0 && size == sizeof(float) && port < 64) {
        written.control_writes++;
        written.written[port]++;
        written.last_value[port] = *(const float *)buffer;
        return;
    }
    if (protocol == map_uri(NULL, LV2_ATOM__eventTransfer)) {
        const LV2_Atom_Object *obj = (const LV2_Atom_Object *)buffer;
        if (port != MONO_CONTROL || obj->atom.type != map_uri(NULL, LV2_ATOM__Object)) {
            fprintf(stderr, "FAIL: atom of type %s on port %u\n", unmap_uri(obj->atom.type), port);
            exit(1);
        }
        const char *otype = unmap_uri(obj->body.otype);
        written.ui_on += !strcmp(otype, STL_URI_UI_ON);
        written.ui_off += !strcmp(otype, STL_URI_UI_OFF);
        written.state_requests += !strcmp(otype, STL_URI_STATE_REQUEST);
    }
}

static int host_resize(LV2UI_Feature_Handle handle, int width, int height)
{
    (void)handle;
    written.resize_width = width;
    written.resize_height = height;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Messages as the DSP sends them (lv2_plugin/uris.h)                 */
/* ------------------------------------------------------------------ */

static double spectrum_frequency(int i)
{
    return 20.0 * pow(11025.0 / 20.0, (double)i / (POINTS - 1));
}

/* A falling spectrum: -10 dB at 20 Hz, -6 dB per octave. */
static double spectrum_power(int i)
{
    return -10.0 - 6.0 * log2(spectrum_frequency(i) / 20.0);
}

static void forge_floats(LV2_Atom_Forge *forge, const char *key, const float *values, int n)
{
    lv2_atom_forge_key(forge, map_uri(NULL, key));
    lv2_atom_forge_vector(forge, sizeof(float), forge->Float, (uint32_t)n, values);
}

static void forge_float(LV2_Atom_Forge *forge, const char *key, float value)
{
    lv2_atom_forge_key(forge, map_uri(NULL, key));
    lv2_atom_forge_float(forge, value);
}

static void forge_int(LV2_Atom_Forge *forge, const char *key, int value)
{
    lv2_atom_forge_key(forge, map_uri(NULL, key));
    lv2_atom_forge_int(forge, value);
}

static const LV2_Atom *forge_spectrum(LV2_Atom_Forge *forge, uint8_t *buffer, uint32_t size)
{
    float f[POINTS], p[POINTS], peak[POINTS];
    for (int i = 0; i < POINTS; i++) {
        f[i] = (float)spectrum_frequency(i);
        p[i] = (float)spectrum_power(i);
        peak[i] = p[i] + 6.0f;
    }
    LV2_Atom_Forge_Frame frame;
    lv2_atom_forge_set_buffer(forge, buffer, size);
    lv2_atom_forge_object(forge, &frame, 0, map_uri(NULL, STL_URI_SPECTRUM));
    forge_floats(forge, STL_URI_FREQUENCY, f, POINTS);
    forge_floats(forge, STL_URI_POWER, p, POINTS);
    forge_floats(forge, STL_URI_PEAK, peak, POINTS);
    forge_float(forge, STL_URI_SAMPLE_RATE, 22050.0f);
    forge_float(forge, STL_URI_HOST_RATE, 48000.0f);
    forge_int(forge, STL_URI_FFT_SIZE, 4096);
    forge_float(forge, STL_URI_SIGMA_DB, -20.0f);
    forge_float(forge, STL_URI_TAU_DB, 0.0f);
    forge_float(forge, STL_URI_WATER_DB, -40.0f);
    forge_float(forge, STL_URI_T, 0.5f);
    forge_int(forge, STL_URI_SCHEDULE, 1);
    forge_int(forge, STL_URI_TIDE_MODE, STL_TIDE_SCHEDULE);
    forge_float(forge, STL_URI_SHARE_BINS, 42.0f);
    forge_float(forge, STL_URI_SHARE_ENERGY, 99.0f);
    forge_float(forge, STL_URI_SLOPE, -6.0f);
    lv2_atom_forge_key(forge, map_uri(NULL, STL_URI_FROZEN));
    lv2_atom_forge_bool(forge, 0);
    lv2_atom_forge_pop(forge, &frame);
    return (const LV2_Atom *)buffer;
}

static const LV2_Atom *forge_mel(LV2_Atom_Forge *forge, uint8_t *buffer, uint32_t size, int step)
{
    enum { COLUMNS = 8 };
    static float mel[COLUMNS * BANDS];
    float mfcc[STL_MFCC_COUNT];
    for (int c = 0; c < COLUMNS; c++)
        for (int b = 0; b < BANDS; b++)
            mel[c * BANDS + b] = (float)(-30.0 - 0.4 * b + 10.0 * sin(0.3 * (step * COLUMNS + c)));
    for (int i = 0; i < STL_MFCC_COUNT; i++)
        mfcc[i] = (float)(i == 0 ? -300.0 : 40.0 / i);
    LV2_Atom_Forge_Frame frame;
    lv2_atom_forge_set_buffer(forge, buffer, size);
    lv2_atom_forge_object(forge, &frame, 0, map_uri(NULL, STL_URI_MEL_COLUMNS));
    forge_floats(forge, STL_URI_MEL, mel, COLUMNS * BANDS);
    forge_int(forge, STL_URI_COLUMNS, COLUMNS);
    forge_int(forge, STL_URI_MEL_BANDS, BANDS);
    forge_floats(forge, STL_URI_MFCC, mfcc, STL_MFCC_COUNT);
    forge_float(forge, STL_URI_FRAME_RATE, 22050.0f / 512.0f);
    forge_float(forge, STL_URI_SAMPLE_RATE, 22050.0f);
    lv2_atom_forge_pop(forge, &frame);
    return (const LV2_Atom *)buffer;
}

static const LV2_Atom *forge_cepstral(LV2_Atom_Forge *forge, uint8_t *buffer, uint32_t size)
{
    enum { RINGS = 64 };
    float f[RINGS], p[RINGS];
    for (int r = 0; r < RINGS; r++) {
        f[r] = (float)r / 128.0f;
        p[r] = r == 0 ? 1e6f : (float)(0.01 * pow(f[r], -2.0));
    }
    LV2_Atom_Forge_Frame frame;
    lv2_atom_forge_set_buffer(forge, buffer, size);
    lv2_atom_forge_object(forge, &frame, 0, map_uri(NULL, STL_URI_CEPSTRAL));
    forge_floats(forge, STL_URI_FREQUENCY, f, RINGS);
    forge_floats(forge, STL_URI_POWER, p, RINGS);
    forge_float(forge, STL_URI_ALPHA, 2.0f);
    forge_float(forge, STL_URI_INTERCEPT, -2.0f);
    forge_float(forge, STL_URI_R_SQUARED, 1.0f);
    forge_int(forge, STL_URI_COLUMNS, STL_CEPSTRAL_COLUMNS);
    forge_int(forge, STL_URI_MEL_BANDS, BANDS);
    lv2_atom_forge_pop(forge, &frame);
    return (const LV2_Atom *)buffer;
}

/* ------------------------------------------------------------------ */
/* Driving the UI                                                       */
/* ------------------------------------------------------------------ */

typedef struct {
    const LV2UI_Descriptor *descriptor;
    const LV2UI_Idle_Interface *idle;
    const LV2UI_Resize *resize;
    LV2UI_Handle handle;
    Window window;
} ui_instance;

static Display *display;
static Window parent;

static void sleep_ms(int ms)
{
    struct timespec ts = {0, (long)ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* Idle a few times, 40 ms apart: above the UI's redraw interval, so it draws. */
static void run_idle(ui_instance *ui, int times)
{
    for (int i = 0; i < times; i++) {
        if (ui->idle->idle(ui->handle)) {
            fprintf(stderr, "FAIL: idle() asked to close an embedded UI\n");
            exit(1);
        }
        sleep_ms(40);
    }
}

static int open_ui(ui_instance *ui, void *library, float scale)
{
    LV2UI_DescriptorFunction get = (LV2UI_DescriptorFunction)dlsym(library, "lv2ui_descriptor");
    if (!get || !(ui->descriptor = get(0)) || strcmp(ui->descriptor->URI, STL_URI_UI)) {
        fprintf(stderr, "FAIL: no lv2ui_descriptor(0) with URI %s\n", STL_URI_UI);
        return 0;
    }
    LV2UI_Resize resize_feature = {NULL, host_resize};
    LV2_Options_Option options[] = {{LV2_OPTIONS_INSTANCE, 0, map_uri(NULL, LV2_UI__scaleFactor),
                                     sizeof(float), map_uri(NULL, LV2_ATOM__Float), &scale},
                                    {LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, NULL}};
    if (scale <= 0.0f) /* no ui:scaleFactor: the UI falls back to Xft.dpi */
        options[0] = options[1];
    LV2_Feature map_feature = {LV2_URID__map, &urids.map};
    LV2_Feature parent_feature = {LV2_UI__parent, (void *)(uintptr_t)parent};
    LV2_Feature resize = {LV2_UI__resize, &resize_feature};
    LV2_Feature options_feature = {LV2_OPTIONS__options, options};
    LV2_Feature idle_feature = {LV2_UI__idleInterface, NULL};
    const LV2_Feature *features[] = {&map_feature,     &parent_feature, &resize,
                                     &options_feature, &idle_feature,   NULL};
    LV2UI_Widget widget = NULL;
    ui->handle = ui->descriptor->instantiate(ui->descriptor, STL_URI_MONO, "/nonexistent",
                                             write_function, NULL, &widget, features);
    if (!ui->handle) {
        fprintf(stderr, "FAIL: instantiate returned NULL\n");
        return 0;
    }
    ui->window = (Window)(uintptr_t)widget;
    ui->idle = (const LV2UI_Idle_Interface *)ui->descriptor->extension_data(LV2_UI__idleInterface);
    ui->resize = (const LV2UI_Resize *)ui->descriptor->extension_data(LV2_UI__resize);
    if (!ui->window || !ui->idle || !ui->resize) {
        fprintf(stderr, "FAIL: no window, idle interface or resize interface\n");
        return 0;
    }
    return 1;
}

static void feed(ui_instance *ui, int step)
{
    static uint8_t buffer[65536];
    LV2_Atom_Forge forge;
    lv2_atom_forge_init(&forge, &urids.map);
    uint32_t transfer = map_uri(NULL, LV2_ATOM__eventTransfer);
    uint32_t notify = MONO_NOTIFY;
    float sigma = -20.0f, mode = STL_TIDE_SCHEDULE;
    ui->descriptor->port_event(ui->handle, MONO_SIGMA_DB, sizeof(float), 0, &sigma);
    ui->descriptor->port_event(ui->handle, MONO_TIDE_MODE, sizeof(float), 0, &mode);
    const LV2_Atom *atom = forge_spectrum(&forge, buffer, sizeof(buffer));
    ui->descriptor->port_event(ui->handle, notify, lv2_atom_total_size(atom), transfer, atom);
    atom = forge_mel(&forge, buffer, sizeof(buffer), step);
    ui->descriptor->port_event(ui->handle, notify, lv2_atom_total_size(atom), transfer, atom);
    atom = forge_cepstral(&forge, buffer, sizeof(buffer));
    ui->descriptor->port_event(ui->handle, notify, lv2_atom_total_size(atom), transfer, atom);
    /* A truncated buffer must be ignored, not read past its end. */
    ui->descriptor->port_event(ui->handle, notify, 12, transfer, atom);
}

static int window_size(Window window, int *width, int *height)
{
    XWindowAttributes attributes;
    XSync(display, False);
    if (!XGetWindowAttributes(display, window, &attributes))
        return 0;
    *width = attributes.width;
    *height = attributes.height;
    return 1;
}

static int expect(int condition, const char *what, int cycle)
{
    if (!condition)
        fprintf(stderr, "FAIL (cycle %d): %s\n", cycle, what);
    return condition;
}

static void click(ui_instance *ui, int x, int y, int button);
static void hover(ui_instance *ui, int x, int y);

/* The pointer over each view (readouts), a click on a title (enlarge) and
 * back: the code paths of the mouse, under valgrind too. */
static void exercise_mouse(ui_instance *ui)
{
    static const int points[][2] = {{300, 200}, {200, 450}, {650, 470}, {880, 470}};
    for (int i = 0; i < 4; i++)
        hover(ui, points[i][0], points[i][1]);
    click(ui, 100, 69, 1); /* spectrum title: enlarged */
    hover(ui, 500, 300);
    click(ui, 100, 69, 1);  /* back to three views */
    click(ui, 650, 362, 1); /* cepstral title */
    hover(ui, 300, 300);
    click(ui, 100, 69, 1);
}

static int run_cycles(void *library, int cycles)
{
    int ok = 1;
    for (int cycle = 0; cycle < cycles && ok; cycle++) {
        float scale = cycle % 5 == 4 ? 2.0f : 1.0f; /* HiDPI every fifth cycle */
        host_log before = written;
        /* A parent of its own per cycle: on odd cycles the host destroys it
         * (and so our window) before cleanup, as suil does when a GTK host
         * closes the plugin window; on even cycles after. */
        Window shared_parent = parent;
        parent = XCreateSimpleWindow(display, DefaultRootWindow(display), 0, 0, 1400, 900, 0, 0,
                                     0xffffff);
        XMapWindow(display, parent);
        XSync(display, False);
        ui_instance ui;
        memset(&ui, 0, sizeof(ui));
        if (!open_ui(&ui, library, scale))
            return 0;
        run_idle(&ui, 1);
        ok &= expect(written.ui_on > before.ui_on, "st:UiOn sent on open", cycle);
        ok &= expect(written.resize_width == (int)(960 * scale) &&
                         written.resize_height == (int)(600 * scale),
                     "asked the host for the default size", cycle);
        feed(&ui, cycle);
        run_idle(&ui, 2);
        if (cycle < 2)
            exercise_mouse(&ui);
        /* The host resizes us: to 1400x900, then below the minimum. */
        int width = 0, height = 0;
        ui.resize->ui_resize(ui.handle, 1400, 900);
        run_idle(&ui, 2);
        int min_width = (int)(720 * scale), min_height = (int)(450 * scale);
        ok &= expect(window_size(ui.window, &width, &height) &&
                         width == (min_width > 1400 ? min_width : 1400) &&
                         height == (min_height > 900 ? min_height : 900),
                     "host resize to 1400x900", cycle);
        ui.resize->ui_resize(ui.handle, 100, 100);
        feed(&ui, cycle + 1);
        run_idle(&ui, 2);
        ok &= expect(window_size(ui.window, &width, &height) && width == min_width &&
                         height == min_height,
                     "resize below the minimum keeps the minimum size", cycle);
        int off = written.ui_off;
        if (cycle % 2 == 1) {
            XDestroyWindow(display, parent);
            XSync(display, False);
            /* The UI may still get idle calls: it must not draw on a dead window. */
            feed(&ui, cycle + 2);
            run_idle(&ui, 2);
        }
        ui.descriptor->cleanup(ui.handle);
        if (cycle % 2 == 0)
            XDestroyWindow(display, parent);
        XSync(display, False);
        parent = shared_parent;
        ok &= expect(written.ui_off == off + 1, "st:UiOff sent from cleanup", cycle);
    }
    if (ok)
        printf("%d open/close cycles: UiOn %d, UiOff %d, state requests %d\n", cycles,
               written.ui_on, written.ui_off, written.state_requests);
    return ok;
}

/* ------------------------------------------------------------------ */
/* Clicks                                                               */
/* ------------------------------------------------------------------ */

static void click(ui_instance *ui, int x, int y, int button)
{
    XEvent event;
    memset(&event, 0, sizeof(event));
    event.xbutton.type = ButtonPress;
    event.xbutton.display = display;
    event.xbutton.window = ui->window;
    event.xbutton.x = x;
    event.xbutton.y = y;
    event.xbutton.button = (unsigned)button;
    event.xbutton.same_screen = True;
    XSendEvent(display, ui->window, False, ButtonPressMask, &event);
    event.xbutton.type = ButtonRelease;
    XSendEvent(display, ui->window, False, ButtonReleaseMask, &event);
    XSync(display, False);
    run_idle(ui, 2);
}

static void hover(ui_instance *ui, int x, int y)
{
    XEvent event;
    memset(&event, 0, sizeof(event));
    event.xmotion.type = MotionNotify;
    event.xmotion.display = display;
    event.xmotion.window = ui->window;
    event.xmotion.x = x;
    event.xmotion.y = y;
    event.xmotion.same_screen = True;
    XSendEvent(display, ui->window, False, PointerMotionMask, &event);
    XSync(display, False);
    run_idle(ui, 2);
}

/* Centre of widget `index` of a tool row laid out like ui.c (scale 1). */
static void widget_centre(const double *weights, int count, double extra, int index, int row,
                          int window_width, int *x, int *y)
{
    double total = extra;
    for (int i = 0; i < count; i++)
        total += weights[i];
    double unit = (window_width - 4.0 * (count + 1)) / total;
    double left = 4.0;
    for (int i = 0; i < index; i++)
        left += weights[i] * unit + 4.0;
    *x = (int)(left + weights[index] * unit / 2);
    *y = (int)(4 + row * 28 + 12);
}

/* Checks the one CSV in `folder` against the fed spectrum (held peaks at
 * power + peak_offset dB) and removes it. */
static int check_csv(const char *folder, double peak_offset)
{
    DIR *dir = opendir(folder);
    if (!dir) {
        fprintf(stderr, "FAIL: cannot open %s\n", folder);
        return 0;
    }
    char path[1024] = "";
    struct dirent *entry;
    while ((entry = readdir(dir)))
        if (!strncmp(entry->d_name, "spectide-spectrum-", 18) && strstr(entry->d_name, ".csv") &&
            !strstr(entry->d_name, ".tmp"))
            snprintf(path, sizeof(path), "%s/%s", folder, entry->d_name);
    closedir(dir);
    FILE *file = path[0] ? fopen(path, "r") : NULL;
    if (!file) {
        fprintf(stderr, "FAIL: no spectide-spectrum-*.csv in %s\n", folder);
        return 0;
    }
    char line[256];
    int rows = 0, ok = 1;
    while (fgets(line, sizeof(line), file)) {
        double f, p, peak;
        int under;
        if (line[0] == '#' || !strncmp(line, "frequency_hz", 12))
            continue;
        if (sscanf(line, "%lf,%lf,%lf,%d", &f, &p, &peak, &under) != 4) {
            fprintf(stderr, "FAIL: bad CSV line %s", line);
            ok = 0;
            break;
        }
        /* The CSV must hold what was fed (float precision, 3 decimals). */
        double f_ref = spectrum_frequency(rows), p_ref = spectrum_power(rows);
        if (fabs(f - f_ref) > 1e-3 * f_ref + 1e-3 || fabs(p - p_ref) > 2e-3 ||
            fabs(peak - (p_ref + peak_offset)) > 2e-3 || under != (p_ref < -40.0)) {
            fprintf(stderr, "FAIL: CSV row %d: %s", rows, line);
            ok = 0;
            break;
        }
        rows++;
    }
    fclose(file);
    remove(path);
    printf("CSV %s: %d rows, held peaks %+.0f dB over the spectrum\n", path, rows, peak_offset);
    return ok && rows == POINTS;
}

static int run_interact(void *library, const char *folder)
{
    ui_instance ui;
    memset(&ui, 0, sizeof(ui));
    if (!open_ui(&ui, library, 1.0f))
        return 0;
    run_idle(&ui, 1);
    feed(&ui, 0);
    run_idle(&ui, 2);
    static const double row1[] = {1.25, 1.7, 1.3, 2.0, 1.4, 1.5, 1.1, 0.8};
    static const double row2[] = {1.1, 1.0, 1.1, 0.9, 1.0, 1.0, 1.1, 0.9};
    int x, y, ok = 1;
    int freeze = MONO_FREEZE;
    int tide = MONO_TIDE_MODE;
    widget_centre(row1, 8, 0.0, 7, 0, 960, &x, &y);
    click(&ui, x, y, 1);
    ok &= expect(written.written[freeze] == 1 && written.last_value[freeze] == 1.0f,
                 "a click on freeze writes 1 to the freeze port", 0);
    click(&ui, x, y, 1);
    ok &= expect(written.written[freeze] == 2 && written.last_value[freeze] == 0.0f,
                 "a second click writes 0", 0);
    /* The host said schedule mode (feed); a click steps back to sigma. */
    widget_centre(row1, 8, 0.0, 0, 0, 960, &x, &y);
    click(&ui, x, y, 1);
    ok &= expect(written.written[tide] == 1 && written.last_value[tide] == STL_TIDE_SIGMA,
                 "the tide selector follows port_event and writes the next mode", 0);
    widget_centre(row2, 8, 2.2, 6, 1, 960, &x, &y);
    click(&ui, x, y, 1);
    ok &= check_csv(folder, 6.0); /* the fed peaks are 6 dB over the average */
    /* "reset peaks": the held peaks restart from the current spectrum. */
    int reset_x, reset_y;
    widget_centre(row2, 8, 2.2, 5, 1, 960, &reset_x, &reset_y);
    click(&ui, reset_x, reset_y, 1);
    click(&ui, x, y, 1);
    ok &= check_csv(folder, 0.0);
    ui.descriptor->cleanup(ui.handle);
    return ok;
}

/* HiDPI without the host's ui:scaleFactor: Xft.dpi 192 in the server's
 * resource database (as xrdb would set it) means scale 2. */
static int run_dpi(void *library)
{
    static const char resources[] = "Xft.dpi:\t192\n";
    Atom property = XInternAtom(display, "RESOURCE_MANAGER", False);
    XChangeProperty(display, DefaultRootWindow(display), property, XA_STRING, 8, PropModeReplace,
                    (const unsigned char *)resources, (int)strlen(resources));
    XSync(display, False);
    ui_instance ui;
    memset(&ui, 0, sizeof(ui));
    int ok = open_ui(&ui, library, 0.0f);
    if (ok) {
        run_idle(&ui, 1);
        ok &= expect(written.resize_width == 1920 && written.resize_height == 1200,
                     "Xft.dpi 192: the UI asks for 2 x 960x600", 0);
        int width = 0, height = 0;
        ui.resize->ui_resize(ui.handle, 800, 600);
        run_idle(&ui, 2);
        ok &= expect(window_size(ui.window, &width, &height) && width == 1440 && height == 900,
                     "Xft.dpi 192: the minimum size is 2 x 720x450", 0);
        ui.descriptor->cleanup(ui.handle);
        printf("Xft.dpi 192: default %dx%d, minimum %dx%d\n", written.resize_width,
               written.resize_height, width, height);
    }
    XDeleteProperty(display, DefaultRootWindow(display), property);
    XSync(display, False);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s cycles SO N | interact SO DIR\n", argv[0]);
        return 2;
    }
    test_urid_table_init(&urids);
    display = XOpenDisplay(NULL);
    if (!display) {
        fprintf(stderr, "FAIL: cannot open the X display (DISPLAY=%s)\n",
                getenv("DISPLAY") ? getenv("DISPLAY") : "");
        return 1;
    }
    XSetErrorHandler(on_x_error);
    parent =
        XCreateSimpleWindow(display, DefaultRootWindow(display), 0, 0, 1400, 900, 0, 0, 0xffffff);
    XMapWindow(display, parent);
    XSync(display, False);
    void *library = dlopen(argv[2], RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        fprintf(stderr, "FAIL: %s\n", dlerror());
        return 1;
    }
    int ok = 0;
    if (!strcmp(argv[1], "cycles"))
        ok = run_cycles(library, atoi(argv[3]));
    else if (!strcmp(argv[1], "interact"))
        ok = run_interact(library, argv[3]) && run_dpi(library);
    XDestroyWindow(display, parent);
    XCloseDisplay(display);
    /* At the very end, as a host exits: release cairo's and fontconfig's
     * process-wide font caches (reached through the UI's own dependencies), so
     * valgrind shows only what the UI itself leaked. No dlclose: unloading
     * would unmap those libraries with their caches. */
    void (*reset_cairo)(void) = (void (*)(void))dlsym(library, "cairo_debug_reset_static_data");
    void (*reset_fontconfig)(void) = (void (*)(void))dlsym(library, "FcFini");
    if (reset_cairo)
        reset_cairo();
    if (reset_fontconfig)
        reset_fontconfig();
    if (x_errors)
        ok = 0;
    printf("%s\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}
