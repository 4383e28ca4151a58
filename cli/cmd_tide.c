/* spectide tide: one noise level applied to a photo, and the low-pass
 * filters it is equivalent to (ideal cut at f_max, Wiener); spectide
 * schedules: the schedules and their formulas.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "image_spectrum.h"

#include "spectide_view.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char tide_help[] =
    "usage: spectide tide (--schedule NAME --t T | --sigma S) [--tau X] [--seed N]\n"
    "                     [--channel C] --out-dir DIR IMAGE\n"
    "\n"
    "Adds Gaussian noise x_t = a(t) x0 + s(t) eps to the image (pixels mapped to\n"
    "[-1,1]) and compares it with low-pass filters of the clean image. Writes into\n"
    "DIR (created if missing):\n"
    "  noisy.png    x_t / a: the noisy image at the clean image's scale\n"
    "  lowpass.png  the clean image, ideal radial low-pass at f_max\n"
    "  wiener.png   the Wiener filter a^2 S / (a^2 S + s^2) applied to x_t / a\n"
    "  tide.png     plot: image RAPSD and fit, noise level tau s^2/a^2, the noisy\n"
    "               image's RAPSD (the hinge), the low-passed RAPSD, f_max\n"
    "and prints f_max (cycles/pixel), measured and from the fit. Colour images are\n"
    "processed per channel (channel c uses noise indices c*W*H + y*W + x, as the\n"
    "GIMP plug-in); the plot and f_max use the analysis channel.\n"
    "\n"
    "  --schedule S --t T  noise of schedule S at time T in [0,1) (see 'spectide schedules')\n"
    "  --sigma S           or plain noise of standard deviation S (a = 1, s = S)\n"
    "  --tau X             SNR threshold for f_max (default 1)\n"
    "  --seed N            noise seed (default 0): same seed, same noise on every front\n"
    "  --channel C         analysis channel: green (default), luma, red, blue\n"
    "\n"
    "Exit status: 0 success, 1 unreadable image, 2 bad usage.\n";

static const char schedules_help[] = "usage: spectide schedules\n"
                                     "\n"
                                     "Lists the diffusion schedules x_t = a(t) x0 + s(t) eps with\n"
                                     "their formulas, a and s at t = 0.5, and their aliases.\n";

typedef struct {
    const cli_spectrum *clean, *noisy, *lowpass;
    double floor, fmax, fmax_fit;
    const char *note;
} tide_plot_data;

static void draw_tide(cairo_t *cr, double width, double height, void *user_data)
{
    const tide_plot_data *data = user_data;
    sv_plot *plot = sv_plot_new();
    sv_plot_set_title(plot, data->note);
    sv_plot_set_x_axis(plot, "frequency (cycles/pixel)", SV_AXIS_LOG, 0, 0, 0);
    const cli_spectrum *clean = data->clean;
    /* The ideal cut leaves ~1e-14 above f_max: keep the axis on the image's range. */
    double low = INFINITY, high = 0.0;
    for (int i = 1; i < clean->rings; i++) {
        low = fmin(low, clean->power[i]);
        high = fmax(high, clean->power[i]);
    }
    sv_plot_set_y_axis(plot, "power", SV_AXIS_LOG, fmin(low, data->floor) / 100.0,
                       fmax(high, data->floor) * 10.0);
    sv_plot_set_legend(plot, SV_LEGEND_BOTTOM_LEFT);
    sv_plot_add_curve(plot, clean->freq, clean->power, clean->rings, "image RAPSD", SV_COLOR_SIGNAL,
                      SV_LINE_SOLID);
    if (clean->fit_ok) {
        double x[2] = {clean->fit.f_low, clean->fit.f_high};
        double y[2] = {st_powerlaw_power(&clean->fit, x[0]), st_powerlaw_power(&clean->fit, x[1])};
        char label[64];
        snprintf(label, sizeof label, "fit: alpha = %.2f", clean->fit.alpha);
        sv_plot_add_curve(plot, x, y, 2, label, SV_COLOR_FIT, SV_LINE_DOTTED);
    }
    sv_plot_add_curve(plot, data->noisy->freq, data->noisy->power, data->noisy->rings,
                      "noisy x_t/a (hinge)", SV_COLOR_NOISY, SV_LINE_SOLID);
    sv_plot_add_curve(plot, data->lowpass->freq, data->lowpass->power, data->lowpass->rings,
                      "low-passed at f_max", SV_COLOR_LOWPASS, SV_LINE_SOLID);
    sv_plot_add_hline(plot, data->floor, "noise tau s^2/a^2", SV_COLOR_NOISE, SV_LINE_DASHED);
    if (data->fmax > 0.0) {
        char label[64];
        snprintf(label, sizeof label, "f_max = %.4f", data->fmax);
        sv_plot_add_vline(plot, data->fmax, label, SV_COLOR_FMAX, SV_LINE_DASHED);
    }
    sv_plot_draw(plot, cr, 0, 0, width, height);
    sv_plot_free(plot);
}

typedef struct {
    int width, height, planes;
    float *clean[4], *noisy[4], *lowpass[4], *wiener[4];
    int analysis; /* index of the analysis plane */
} tide_images;

static void free_tide_images(tide_images *images)
{
    for (int c = 0; c < 4; c++) {
        free(images->clean[c]);
        free(images->noisy[c]);
        free(images->lowpass[c]);
        free(images->wiener[c]);
    }
}

/* Colour planes R, G, B (or gray), plus the analysis plane when it is not
 * one of them (luma): that plane gets the noise indices of a fourth channel. */
static int split_planes(const cli_image *image, st_channel channel, tide_images *images)
{
    size_t n = (size_t)image->width * image->height;
    size_t stride = (size_t)image->width * image->components;
    static const st_channel colours[3] = {ST_CHANNEL_RED, ST_CHANNEL_GREEN, ST_CHANNEL_BLUE};
    images->width = image->width;
    images->height = image->height;
    images->planes = image->is_gray ? 1 : 3;
    images->analysis = image->is_gray                ? 0
                       : channel == ST_CHANNEL_RED   ? 0
                       : channel == ST_CHANNEL_GREEN ? 1
                       : channel == ST_CHANNEL_BLUE  ? 2
                                                     : 3;
    int total = images->analysis == 3 ? 4 : images->planes;
    for (int c = 0; c < total; c++) {
        images->clean[c] = malloc(sizeof(float) * n);
        images->noisy[c] = malloc(sizeof(float) * n);
        images->lowpass[c] = malloc(sizeof(float) * n);
        images->wiener[c] = malloc(sizeof(float) * n);
        if (!images->clean[c] || !images->noisy[c] || !images->lowpass[c] || !images->wiener[c])
            return CLI_BAD_INPUT;
        st_channel which = c == 3 ? channel : colours[c];
        st_pixels_to_analysis(image->pixels, image->width, image->height, image->components, stride,
                              which, images->clean[c]);
    }
    images->planes = total;
    return CLI_OK;
}

/* Noisy, low-passed and Wiener versions of one plane. */
static int process_plane(tide_images *images, int c, double a, double s, uint64_t seed, double fmax)
{
    int w = images->width, h = images->height;
    size_t n = (size_t)w * h;
    /* x_t / a = x0 + (s/a) eps, eps from the counter-based generator. */
    st_gaussian_fill(seed, (uint64_t)c * n, images->noisy[c], n);
    for (size_t i = 0; i < n; i++)
        images->noisy[c][i] = images->clean[c][i] + (float)(s / a) * images->noisy[c][i];
    cli_spectrum clean;
    st_filter *filter = st_filter_new(w, h, NULL);
    if (!filter || cli_spectrum_of_plane(images->clean[c], w, h, &clean) != CLI_OK) {
        st_filter_free(filter);
        return CLI_BAD_INPUT;
    }
    st_filter_load(filter, images->clean[c]);
    st_filter_ideal_lowpass(filter, fmax, images->lowpass[c]);
    st_filter_load(filter, images->noisy[c]);
    st_filter_wiener(filter, clean.power, NULL, a, s, images->wiener[c]);
    st_filter_free(filter);
    cli_spectrum_free(&clean);
    return CLI_OK;
}

static int make_out_dir(const char *dir, int *created)
{
    struct stat info;
    *created = 0;
    if (stat(dir, &info) == 0) {
        if (S_ISDIR(info.st_mode))
            return CLI_OK;
        cli_error("%s: exists and is not a folder", dir);
        return CLI_BAD_INPUT;
    }
    if (mkdir(dir, 0777) != 0) {
        cli_error("%s: cannot create the folder: %s", dir, strerror(errno));
        return CLI_BAD_INPUT;
    }
    *created = 1;
    return CLI_OK;
}

static int write_panels(cli_outputs *outputs, const char *dir, const tide_images *images,
                        tide_plot_data *plot_data)
{
    int colour = images->planes >= 3 ? 3 : 1;
    const float *const *sets[3] = {(const float *const *)images->noisy,
                                   (const float *const *)images->lowpass,
                                   (const float *const *)images->wiener};
    static const char *const names[4] = {"noisy.png", "lowpass.png", "wiener.png", "tide.png"};
    char path[4096];
    for (int k = 0; k < 4; k++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        int status = k < 3 ? cli_output_png_planes(outputs, path, sets[k], colour, images->width,
                                                   images->height)
                           : cli_output_plot(outputs, path, 800, 600, draw_tide, plot_data);
        if (status != CLI_OK)
            return status;
    }
    return CLI_OK;
}

static int run_tide(const char *path, const char *dir, st_channel channel, double a, double s,
                    double tau, uint64_t seed, const char *level_text)
{
    cli_image image;
    int status = cli_image_load(path, &image);
    if (status != CLI_OK)
        return status;
    tide_images images = {0};
    status = split_planes(&image, channel, &images);
    cli_image_free(&image);
    cli_spectrum clean = {0}, noisy = {0}, lowpass = {0};
    double floor = tau * s * s / (a * a);
    double fmax = 0.0, fmax_fit = NAN;
    int w = images.width, h = images.height, an = images.analysis;
    if (status == CLI_OK)
        status = cli_spectrum_of_plane(images.clean[an], w, h, &clean);
    if (status == CLI_OK) {
        fmax = st_fmax_measured(clean.freq, clean.power, clean.rings, floor);
        fmax_fit = clean.fit_ok ? st_fmax_from_fit(&clean.fit, floor) : NAN;
        for (int c = 0; c < images.planes && status == CLI_OK; c++)
            status = process_plane(&images, c, a, s, seed, fmax);
    }
    if (status == CLI_OK)
        status = cli_spectrum_of_plane(images.noisy[an], w, h, &noisy);
    if (status == CLI_OK)
        status = cli_spectrum_of_plane(images.lowpass[an], w, h, &lowpass);
    if (status != CLI_OK)
        cli_error("%s: out of memory for %dx%d pixels", path, w, h);

    int created = 0;
    cli_outputs *outputs = cli_outputs_new();
    if (status == CLI_OK)
        status = make_out_dir(dir, &created);
    char note[256];
    snprintf(note, sizeof note, "%s (a %.3g, s %.3g, tau %g)", level_text, a, s, tau);
    tide_plot_data plot_data = {&clean, &noisy, &lowpass, floor, fmax, fmax_fit, note};
    if (status == CLI_OK)
        status = write_panels(outputs, dir, &images, &plot_data);
    if (status == CLI_OK)
        status = cli_outputs_commit(outputs);
    cli_outputs_free(outputs);
    if (status != CLI_OK && created)
        rmdir(dir);
    if (status == CLI_OK) {
        char alpha_text[32] = "n/a (too few rings)";
        if (clean.fit_ok)
            snprintf(alpha_text, sizeof alpha_text, "%.3f", clean.fit.alpha);
        printf("%s: %dx%d, alpha %s; %s: a %.4g, s %.4g, noise level tau s^2/a^2 = %.4g\n", path, w,
               h, alpha_text, level_text, a, s, floor);
        printf("f_max %.4f cycles/pixel (from the fit %.4f)\n", fmax, fmax_fit);
        printf("wrote %s/noisy.png, lowpass.png, wiener.png, tide.png\n", dir);
    }
    cli_spectrum_free(&clean);
    cli_spectrum_free(&noisy);
    cli_spectrum_free(&lowpass);
    free_tide_images(&images);
    return status;
}

int cmd_tide(int argc, char **argv)
{
    const char *schedule_name = NULL, *channel_name = NULL, *dir = NULL;
    double t = NAN, sigma = NAN, tau = 1.0, seed_value = 0;
    int have_t = 0, have_sigma = 0;
    cli_option options[] = {
        {"schedule", CLI_STRING, &schedule_name, NULL, 0},
        {"t", CLI_DOUBLE, &t, &have_t, 0},
        {"sigma", CLI_DOUBLE, &sigma, &have_sigma, 0},
        {"tau", CLI_DOUBLE, &tau, NULL, 0},
        {"seed", CLI_DOUBLE, &seed_value, NULL, 0},
        {"channel", CLI_STRING, &channel_name, NULL, 0},
        {"out-dir", CLI_STRING, &dir, NULL, 0},
    };
    const char *files[1];
    int count = 0;
    int status = cli_parse("tide", tide_help, argc, argv, CLI_OPTIONS(options), files, &count,
                           CLI_COUNT(files));
    if (status != CLI_OK)
        return status;
    st_channel channel;
    if ((status = cli_channel_option("tide", channel_name, &channel)) != CLI_OK)
        return status;
    if (count != 1)
        return cli_usage_error("tide", "one image is needed");
    if (!dir)
        return cli_usage_error("tide", "--out-dir is required");
    if (!(tau > 0.0))
        return cli_usage_error("tide", "--tau must be positive");
    if (seed_value < 0 || seed_value > 9007199254740992.0 || seed_value != floor(seed_value))
        return cli_usage_error("tide", "--seed must be a whole number >= 0");
    double a = 1.0, s = 0.0;
    char level[128];
    if (have_sigma == (schedule_name != NULL))
        return cli_usage_error("tide", "give either --schedule NAME --t T or --sigma S");
    if (have_sigma) {
        if (!(sigma >= 0.0))
            return cli_usage_error("tide", "--sigma must be >= 0");
        s = sigma;
        snprintf(level, sizeof level, "sigma %g", sigma);
    } else {
        st_schedule schedule;
        if (st_schedule_from_name(schedule_name, &schedule) != ST_OK)
            return cli_usage_error("tide", "unknown schedule '%s' (see 'spectide schedules')",
                                   schedule_name);
        if (!have_t || t < 0.0 || t > 1.0)
            return cli_usage_error("tide", "--t in [0,1] is required with --schedule");
        st_schedule_coefficients(schedule, t, &a, &s);
        snprintf(level, sizeof level, "%s at t = %g", st_schedule_name(schedule), t);
        if (!(a > 0.0))
            return cli_usage_error("tide", "at t = %g the %s schedule leaves no image (a = 0)", t,
                                   st_schedule_name(schedule));
    }
    return run_tide(files[0], dir, channel, a, s, tau, (uint64_t)seed_value, level);
}

int cmd_schedules(int argc, char **argv)
{
    const char *unused[1];
    int count = 0;
    int status = cli_parse("schedules", schedules_help, argc, argv, NULL, 0, unused, &count, 0);
    if (status != CLI_OK)
        return status;
    printf("x_t = a(t) x0 + s(t) eps, t in [0,1]; SNR(t) = a^2/s^2 decreases strictly.\n\n");
    for (int k = 0; k < ST_SCHEDULE_COUNT; k++) {
        double a, s;
        st_schedule_coefficients((st_schedule)k, 0.5, &a, &s);
        printf("%-14s %s\n%-14s at t = 0.5: a = %.4f, s = %.4f, SNR = %.4g\n\n",
               st_schedule_name((st_schedule)k), st_schedule_formula((st_schedule)k), "", a, s,
               st_schedule_snr((st_schedule)k, 0.5));
    }
    printf("A plain noise level is always allowed instead: --sigma S means a = 1, s = S.\n");
    return CLI_OK;
}
