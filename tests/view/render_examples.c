/* Writes example pictures of every view renderer, at 400x300 and 1600x1200
 * (and the audio spectrum at the Ardour inline size 200x80), from synthetic
 * data made here: the view only draws what it is given.
 *
 * usage: render_examples OUT_DIR
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_view.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* A small deterministic generator so the pictures do not change. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static double uniform(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return ((rng_state >> 11) + 0.5) / 9007199254740992.0;
}
static double gaussian(void)
{
    return sqrt(-2.0 * log(uniform())) * cos(2.0 * M_PI * uniform());
}

static int write_png(cairo_surface_t *s, const char *dir, const char *name)
{
    char path[1024], tmp[1100];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (cairo_surface_write_to_png(s, tmp) != CAIRO_STATUS_SUCCESS || rename(tmp, path) != 0) {
        fprintf(stderr, "render_examples: cannot write %s\n", path);
        remove(tmp);
        return 1;
    }
    printf("%s\n", path);
    return 0;
}

/* Image RAPSD of a photo-like power law, its fit, the noise level, the
 * noisy image's hinge, the low-passed RAPSD and f_max. */
static void build_rapsd(sv_plot *p)
{
    enum { N = 256 };
    double f[N], clean[N], fit[N], noisy[N], low[N];
    const double alpha = 2.05, c = 2e-3, sigma2 = 0.25;
    const double fmax = pow(c / sigma2, 1.0 / alpha);
    for (int k = 0; k < N; k++) {
        f[k] = (k + 1) / 512.0;
        /* periodogram scatter, averaged over a ring of ~6k pixels: small */
        double scatter = exp(0.25 * gaussian() / sqrt(k + 1.0));
        clean[k] = c * pow(f[k], -alpha) * scatter;
        fit[k] = c * pow(f[k], -alpha);
        noisy[k] = clean[k] + sigma2 * exp(0.1 * gaussian() / sqrt(k + 1.0));
        low[k] = f[k] <= fmax ? clean[k] : NAN; /* an ideal cut leaves nothing */
    }
    char fit_label[64], fmax_label[64];
    snprintf(fit_label, sizeof fit_label, "power-law fit, \xce\xb1 = %.2f", alpha);
    snprintf(fmax_label, sizeof fmax_label, "f_max = %.3f", fmax);
    sv_plot_set_title(p, "RAPSD of a photo and of its noisy version (t = 0.5)");
    sv_plot_set_x_axis(p, "frequency (cycles/pixel)", SV_AXIS_LOG, 0, 0, 0);
    sv_plot_set_y_axis(p, "power", SV_AXIS_LOG, 0, 0);
    sv_plot_add_curve(p, f, clean, N, "image RAPSD", SV_COLOR_SIGNAL, SV_LINE_SOLID);
    sv_plot_add_curve(p, f, fit, N, fit_label, SV_COLOR_FIT, SV_LINE_DOTTED);
    sv_plot_add_curve(p, f, noisy, N, "noisy image (hinge)", SV_COLOR_NOISY, SV_LINE_SOLID);
    sv_plot_add_curve(p, f, low, N, "low-passed at f_max", SV_COLOR_LOWPASS, SV_LINE_DASHED);
    sv_plot_add_hline(p, sigma2, "noise level \xcf\x83\xc2\xb2 = 0.25", SV_COLOR_NOISE,
                      SV_LINE_DASHED);
    sv_plot_add_vline(p, fmax, fmax_label, SV_COLOR_FMAX, SV_LINE_SOLID);
}

/* A music-like long-term spectrum in dB, a peak hold, the tide. */
static void build_audio(sv_plot *p)
{
    enum { N = 1024 };
    double hz[N], db[N], peak[N];
    const double rate = 22050.0, water_db = -72.0;
    for (int k = 0; k < N; k++) {
        hz[k] = (k + 1) * rate / 2048.0;
        double tilt = -18.0 - 9.0 * log2(fmax(hz[k], 150.0) / 150.0);
        double harmonics = 0.0;
        for (int h = 1; h <= 12; h++) /* partials of a 220 Hz note */
            harmonics += 14.0 * exp(-0.5 * pow((hz[k] - 220.0 * h) / 12.0, 2.0)) / sqrt(h);
        double rolloff = hz[k] > 8000.0 ? -60.0 * (hz[k] - 8000.0) / 3000.0 : 0.0;
        db[k] = tilt + harmonics + rolloff + 2.0 * gaussian();
        peak[k] = db[k] + 4.0 + fabs(2.0 * gaussian());
    }
    sv_plot_set_title(p, "Live spectrum with the noise tide");
    sv_plot_set_x_axis(p, "frequency (Hz)", SV_AXIS_LOG, 20.0, rate / 2.0, 1);
    sv_plot_set_y_axis(p, "level (dB)", SV_AXIS_DB, -120.0, 0.0);
    sv_plot_set_legend(p, SV_LEGEND_BOTTOM_LEFT);
    int spectrum = sv_plot_add_curve(p, hz, db, N, "spectrum", SV_COLOR_SIGNAL, SV_LINE_SOLID);
    sv_plot_add_curve(p, hz, peak, N, "peak hold", SV_COLOR_PEAK, SV_LINE_SOLID);
    sv_plot_add_hline(p, water_db,
                      "water: \xcf\x84\xcf\x83\xc2\xb2 = \xe2\x88\x92"
                      "72 dB",
                      SV_COLOR_NOISE, SV_LINE_SOLID);
    sv_plot_shade_below(p, spectrum, water_db);
    sv_plot_set_note(p, "\xcf\x83 = \xe2\x88\x92"
                        "75 dBFS, t = 0.31 (rectified flow)\n"
                        "above water: 58% of bins, 99.7% of energy");
}

static void fill_spectrogram(float *mel, int rows, int cols)
{
    for (int c = 0; c < cols; c++) {
        double f0 = 8.0 + 6.0 * sin(2.0 * M_PI * c / 90.0); /* a gliding note */
        for (int r = 0; r < rows; r++) {
            double v = -75.0 - 0.15 * r + 4.0 * gaussian();
            for (int h = 1; h <= 6; h++) {
                double centre = 12.0 * log2(h * (f0 + 10.0)) - 30.0; /* mel-like spacing */
                v = fmax(v, -10.0 - 6.0 * h - 3.0 * pow(r - centre, 2.0));
            }
            if ((c / 25) % 2 == 1 && r < 12) /* a kick drum every other beat */
                v = fmax(v, -20.0 - 2.0 * (c % 25));
            mel[c * rows + r] = (float)v;
        }
    }
}

static void fill_mfcc(const float *mel, int mel_rows, float *mfcc, int n_mfcc, int cols)
{
    /* An orthonormal DCT-II of each column, written out for the example. */
    for (int c = 0; c < cols; c++)
        for (int k = 0; k < n_mfcc; k++) {
            double s = 0.0;
            for (int r = 0; r < mel_rows; r++)
                s += mel[c * mel_rows + r] * cos(M_PI * k * (r + 0.5) / mel_rows);
            s *= sqrt((k == 0 ? 1.0 : 2.0) / mel_rows);
            if (k > 0) /* c0 left out: it dwarfs the rest */
                mfcc[c * (n_mfcc - 1) + k - 1] = (float)s;
        }
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    static const int sizes[3][2] = {{400, 300}, {1600, 1200}, {200, 80}};
    enum { ROWS = 128, COLS = 240, NMFCC = 20 };
    static float mel[ROWS * COLS], mfcc[NMFCC * COLS];
    fill_spectrogram(mel, ROWS, COLS);
    fill_mfcc(mel, ROWS, mfcc, NMFCC, COLS);
    sv_plot *rapsd = sv_plot_new(), *audio = sv_plot_new();
    if (!rapsd || !audio)
        return 1;
    build_rapsd(rapsd);
    build_audio(audio);
    int failed = 0;
    for (int i = 0; i < 3; i++) {
        int w = sizes[i][0], h = sizes[i][1];
        char name[64];
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
        cairo_t *cr = cairo_create(s);

        sv_plot_draw(audio, cr, 0, 0, w, h);
        snprintf(name, sizeof name, "audio-spectrum-%dx%d.png", w, h);
        failed |= write_png(s, dir, name);
        if (i < 2) { /* the UI's linear frequency switch */
            sv_plot_set_x_axis(audio, "frequency (Hz)", SV_AXIS_LINEAR, 0.0, 11025.0, 1);
            sv_plot_draw(audio, cr, 0, 0, w, h);
            snprintf(name, sizeof name, "audio-spectrum-linear-%dx%d.png", w, h);
            failed |= write_png(s, dir, name);
            sv_plot_set_x_axis(audio, "frequency (Hz)", SV_AXIS_LOG, 20.0, 11025.0, 1);
        }
        if (i == 2) { /* the inline display size: only the spectrum */
            cairo_destroy(cr);
            cairo_surface_destroy(s);
            continue;
        }
        sv_plot_draw(rapsd, cr, 0, 0, w, h);
        snprintf(name, sizeof name, "rapsd-tide-%dx%d.png", w, h);
        failed |= write_png(s, dir, name);

        sv_matrix_style spec = {"Mel spectrogram",
                                "time (s)",
                                "mel band",
                                "dB",
                                0.0,
                                COLS * 512.0 / 22050.0,
                                0,
                                ROWS,
                                -90.0,
                                0.0,
                                0};
        sv_matrix_draw(cr, 0, 0, w, h, mel, ROWS, COLS, &spec);
        snprintf(name, sizeof name, "spectrogram-%dx%d.png", w, h);
        failed |= write_png(s, dir, name);

        /* rows are c1..c19: y from 0.5 to 19.5 puts each index at its cell centre */
        sv_matrix_style cep = {
            "MFCC (c1..c19)", "time (s)", "coefficient", "", 0.0, COLS * 512.0 / 22050.0, 0.5,
            NMFCC - 0.5,      0.0,        0.0,           1};
        sv_matrix_draw(cr, 0, 0, w, h, mfcc, NMFCC - 1, COLS, &cep);
        snprintf(name, sizeof name, "mfcc-%dx%d.png", w, h);
        failed |= write_png(s, dir, name);

        /* the MFCCs of the newest frame, as bars (the UI's cepstral view) */
        sv_plot *frame = sv_plot_new();
        double k[NMFCC - 1], value[NMFCC - 1];
        for (int j = 0; j < NMFCC - 1; j++)
            k[j] = j + 1, value[j] = mfcc[(COLS - 1) * (NMFCC - 1) + j];
        sv_plot_set_title(frame, "MFCC of the newest frame");
        sv_plot_set_x_axis(frame, "coefficient", SV_AXIS_LINEAR, 0.5, NMFCC - 0.5, 0);
        sv_plot_set_y_axis(frame, "value", SV_AXIS_LINEAR, 0, 0);
        sv_plot_add_curve(frame, k, value, NMFCC - 1, NULL, SV_COLOR_LOWPASS, SV_LINE_BARS);
        sv_plot_add_hline(frame, 0.0, NULL, SV_COLOR_PEAK, SV_LINE_SOLID);
        sv_plot_draw(frame, cr, 0, 0, w, h);
        sv_plot_free(frame);
        snprintf(name, sizeof name, "mfcc-frame-%dx%d.png", w, h);
        failed |= write_png(s, dir, name);

        cairo_destroy(cr);
        cairo_surface_destroy(s);
    }
    sv_plot_free(rapsd);
    sv_plot_free(audio);
    sv_release_caches();
    return failed;
}
