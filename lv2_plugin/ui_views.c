/* spectide.lv2 UI: the views: layout of the tool rows and the three views,
 * and their drawing with view/ (the live spectrum with the noise tide, the
 * scrolling mel spectrogram, the cepstral RAPSD with its fit beside the
 * newest MFCCs). No host interaction here: see ui.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ui.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const double ui_widget_weight[W_COUNT] = {
    1.25, 1.7, 1.3, 2.0, 1.4, 1.5, 1.1, 0.8,      /* row 1 */
    1.1,  1.0, 1.1, 0.9, 1.0, 1.0, 1.1, 0.9, 1.0, /* row 2, then the status text */
};

/* ------------------------------------------------------------------ */
/* Layout                                                               */
/* ------------------------------------------------------------------ */

static double logical_width(const stl_ui *ui)
{
    return ui->width / ui->scale;
}
static double logical_height(const stl_ui *ui)
{
    return ui->height / ui->scale;
}

/* Hidden widgets (the channel of the mono plugin) take no room. */
static void layout_row(stl_ui *ui, int first, int end, double y, double extra_weight)
{
    double total = extra_weight;
    int shown = 0;
    for (int i = first; i < end; i++)
        if (ui->widgets[i].visible) {
            total += ui_widget_weight[i];
            shown++;
        }
    double unit = (logical_width(ui) - UI_PAD * (shown + 1)) / total;
    double x = UI_PAD;
    for (int i = first; i < end; i++) {
        stl_widget *w = &ui->widgets[i];
        if (!w->visible)
            continue;
        w->x = x;
        w->y = y;
        w->width = ui_widget_weight[i] * unit;
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

static void set_view_rect(stl_ui *ui, stl_view view, double x, double y, double w, double h)
{
    ui->view_rect[view] = (stl_rect){x, y, w, h};
    ui->header_rect[view] = (stl_rect){x, y, w, UI_HEADER_HEIGHT};
}

/* Two tool rows on top; below, the spectrum across the full width over the
 * spectrogram (left) and the cepstral pair (right). An enlarged view takes
 * the whole area; the others are hidden until its title is clicked again. */
void stl_ui_layout(stl_ui *ui)
{
    layout_row(ui, 0, W_ROW1_END, UI_PAD, 0.0);
    layout_row(ui, W_ROW1_END, W_COUNT, 2 * UI_PAD + UI_ROW_HEIGHT, STATUS_WEIGHT);
    double top = 3 * UI_PAD + 2 * UI_ROW_HEIGHT;
    double width = logical_width(ui) - 2 * UI_PAD;
    double height = logical_height(ui) - top - UI_PAD;
    for (int v = 0; v < VIEW_COUNT; v++)
        set_view_rect(ui, (stl_view)v, 0, 0, 0, 0);
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
    stl_rect c = ui->view_rect[VIEW_CEPSTRAL];
    double body_y = c.y + UI_HEADER_HEIGHT, body_h = c.height - UI_HEADER_HEIGHT;
    double rapsd_w = floor(c.width * 0.6);
    ui->mfcc_rect = (stl_rect){c.x + rapsd_w, body_y, c.width - rapsd_w, body_h};
}

static int inside(const stl_rect *r, double x, double y)
{
    return r->width > 0 && x >= r->x && x < r->x + r->width && y >= r->y && y < r->y + r->height;
}

stl_view stl_ui_header_at(const stl_ui *ui, double x, double y)
{
    for (int v = 0; v < VIEW_COUNT; v++) {
        if (inside(&ui->header_rect[v], x, y)) {
            return (stl_view)v;
        }
    }
    return VIEW_NONE;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                              */
/* ------------------------------------------------------------------ */

static double tilt_at(const stl_ui *ui, double frequency)
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

static int nearest_bin(const stl_spectrum_data *s, double frequency)
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

static void draw_header(stl_ui *ui, cairo_t *cr, stl_view view, const char *title)
{
    const stl_rect *r = &ui->header_rect[view];
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

static void draw_spectrum(stl_ui *ui, cairo_t *cr)
{
    const stl_rect *r = &ui->view_rect[VIEW_SPECTRUM];
    if (r->width <= 0)
        return;
    draw_header(ui, cr, VIEW_SPECTRUM, "Live spectrum and noise tide");
    const stl_spectrum_data *s = &ui->spectrum;
    sv_plot *plot = ui->spectrum_plot;
    sv_plot_clear(plot);
    double nyquist = (s->sample_rate > 0 ? s->sample_rate : 22050.0) / 2.0;
    int linear = ui->widgets[W_FREQ_SCALE].value > 0.5;
    sv_plot_set_x_axis(plot, "frequency (Hz)", linear ? SV_AXIS_LINEAR : SV_AXIS_LOG,
                       linear ? 0.0 : 20.0, nyquist, 1);
    double tilt = ui->widgets[W_TILT].value;
    /* The top: the display_top port, or Auto following what is drawn (the
     * tilted curve, the held peaks, the water line), as the inline display does. */
    int peaks = ui->widgets[W_PEAK_HOLD].value > 0.5;
    double highest = NAN;
    for (int i = 0; i < s->count; i++) {
        if (!linear && s->frequency[i] < 20.0)
            continue; /* left of the log axis */
        double t = tilt_at(ui, s->frequency[i]);
        const double values[] = {s->power_db[i] + t, s->water_db + t,
                                 peaks ? s->peak_hold_db[i] + t : NAN};
        for (int k = 0; k < 3; k++)
            if (isfinite(values[k]) && !(values[k] <= highest))
                highest = values[k];
    }
    double range = ui->widgets[W_RANGE].value;
    double top = stl_db_axis_update(&ui->axis, ui->widgets[W_TOP].value, highest, stl_ui_now());
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
        const stl_port_info *schedules = &stl_ports[STL_PORT_SCHEDULE];
        if (s->tide_mode == STL_TIDE_SCHEDULE && s->schedule >= 0 &&
            s->schedule < schedules->choice_count)
            snprintf(level, sizeof(level), "%s t=%.2f", schedules->choices[s->schedule].label,
                     s->t);
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
static void mel_linearise(stl_mel_data *m)
{
    size_t bands = (size_t)m->bands;
    for (int c = 0; c < MEL_HISTORY; c++) {
        int slot = (m->head + c) % MEL_HISTORY;
        memcpy(m->image + (size_t)c * bands, m->ring + (size_t)slot * bands, bands * sizeof(float));
    }
}

static void draw_readout_box(cairo_t *cr, const char *text, double x, double y,
                             const stl_rect *clip)
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

static void draw_mel(stl_ui *ui, cairo_t *cr)
{
    const stl_rect *r = &ui->view_rect[VIEW_MEL];
    if (r->width <= 0)
        return;
    draw_header(ui, cr, VIEW_MEL, "Mel spectrogram");
    stl_mel_data *m = &ui->mel;
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

static void draw_cepstral(stl_ui *ui, cairo_t *cr)
{
    const stl_rect *r = &ui->view_rect[VIEW_CEPSTRAL];
    if (r->width <= 0)
        return;
    draw_header(ui, cr, VIEW_CEPSTRAL, "Cepstral: RAPSD of the log-mel image | MFCC");
    const stl_cepstral_data *c = &ui->cepstral;
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
    sv_plot_set_x_axis(mfcc, "coefficient", SV_AXIS_LINEAR, 0.5, STL_MFCC_COUNT - 0.5, 0);
    sv_plot_set_y_axis(mfcc, "MFCC", SV_AXIS_LINEAR, 0, 0);
    double index[STL_MFCC_COUNT];
    for (int i = 0; i < STL_MFCC_COUNT; i++)
        index[i] = i;
    if (ui->mel.have_mfcc) {
        char c0[48];
        sv_plot_add_curve(mfcc, index + 1, ui->mel.mfcc + 1, STL_MFCC_COUNT - 1, NULL,
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

/* The status text, shortened until it fits its box: a long path loses its
 * folders first ("saved .../spectide-spectrum-....csv"), then its start. */
static void draw_status(const stl_ui *ui, cairo_t *cr)
{
    const stl_rect *s = &ui->status_rect;
    if (s->width <= 0 || !ui->status[0])
        return;
    cairo_save(cr);
    cairo_rectangle(cr, s->x, s->y, s->width, s->height);
    cairo_clip(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 10.5);
    char text[sizeof ui->status + 8];
    snprintf(text, sizeof text, "%s", ui->status);
    double room = s->width - 4;
    cairo_text_extents_t ext;
    cairo_text_extents(cr, text, &ext);
    /* "saved /a/b/name.csv" -> "saved .../name.csv" -> "saved ...e.csv": the
     * first word stays, the path loses its folders, then its start. */
    const char *space = strchr(ui->status, ' ');
    const char *slash = strrchr(ui->status, '/');
    int keep = space ? (int)(space - ui->status) + 1 : 0;
    const char *tail = slash && slash >= ui->status + keep ? slash + 1 : ui->status + keep;
    char shown[sizeof text + 8];
    snprintf(shown, sizeof shown, "%s", text);
    if (ext.x_advance > room && tail != ui->status + keep) {
        snprintf(shown, sizeof shown, "%.*s.../%s", keep, ui->status, tail);
        cairo_text_extents(cr, shown, &ext);
    }
    size_t length = strlen(tail);
    for (size_t cut = 1; ext.x_advance > room && cut + 4 < length; cut++) {
        snprintf(shown, sizeof shown, "%.*s...%s", keep, ui->status, tail + cut);
        cairo_text_extents(cr, shown, &ext);
    }
    cairo_set_source_rgb(cr, 0.15, 0.3, 0.15);
    cairo_move_to(cr, s->x + 2, s->y + s->height / 2 + 4);
    cairo_show_text(cr, shown);
    cairo_restore(cr);
}

static void draw_toolbar(stl_ui *ui, cairo_t *cr)
{
    for (int i = 0; i < W_COUNT; i++)
        stl_widget_draw(&ui->widgets[i], cr, 1.0, i == ui->pressed_widget);
    draw_status(ui, cr);
}

void stl_ui_draw(stl_ui *ui, cairo_t *cr)
{
    stl_ui_layout(ui);
    cairo_set_source_rgb(cr, 0.97, 0.97, 0.98);
    cairo_paint(cr);
    draw_toolbar(ui, cr);
    draw_spectrum(ui, cr);
    draw_mel(ui, cr);
    draw_cepstral(ui, cr);
}
