/* spectide tide: one noise level applied to a photo, and the low-pass
 * filters it is equivalent to (ideal cut at f_max, Wiener); spectide
 * schedules: the schedules and their formulas.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "image_spectrum.h"

#include "spectide_tide.h"
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
    "processed per channel, each with its own noise (at the same seed the same\n"
    "noise as the GIMP plug-in and the GEGL operation); the plot and f_max use the\n"
    "analysis channel.\n"
    "\n"
    "  --schedule S --t T  noise of schedule S at time T in [0,1) (see 'spectide schedules')\n"
    "  --sigma S           or plain noise of standard deviation S (a = 1, s = S)\n"
    "  --tau X             SNR threshold for f_max (default 1)\n"
    "  --seed N            noise seed (default 0): same seed, same noise on every front\n"
    "  --channel C         analysis channel: green (default), luma, red, blue\n"
    "\n"
    "Exit status: 0 success, 1 unreadable image, 2 bad usage.\n";

static const char schedules_help[] =
    "usage: spectide schedules [--names]\n"
    "\n"
    "Lists the diffusion schedules x_t = a(t) x0 + s(t) eps with their formulas,\n"
    "a and s at t = 0.5, and the other names they are known by.\n"
    "\n"
    "  --names   only the names, one per line (for scripts)\n";

/* What the plot draws: the three spectra of the analysis plane and the
 * view's description of them. */
typedef struct {
    cli_spectrum spectra[3]; /* clean, noisy x_t / a, low-passed */
    sv_tide_spectrum tide;
} tide_plot_data;

static void draw_tide(cairo_t *cr, double width, double height, void *user_data)
{
    const tide_plot_data *data = user_data;
    sv_plot *plot = sv_plot_new();
    sv_tide_plot_measured(plot, &data->tide, data->spectra[1].power, data->spectra[2].power);
    sv_plot_draw(plot, cr, 0, 0, width, height);
    sv_plot_free(plot);
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

/* The colour planes of one view (1 gray or 3 RGB, w*h floats each) and, for
 * the noisy and low-pass views, the RAPSD of the analysis plane. */
static int view_planes(st_tide_image *tide, st_tide_view view, int analysis, float *const *planes,
                       float *scratch, int width, int height, cli_spectrum *spectrum)
{
    int colors = st_tide_image_colors(tide);
    for (int c = 0; c < colors; c++)
        if (st_tide_image_run(tide, view, c, planes[c]) != ST_OK)
            return CLI_BAD_INPUT;
    if (!spectrum)
        return CLI_OK;
    /* The analysis plane is a colour plane, or derived (luma): made apart. */
    const float *plane = analysis >= 0 ? planes[analysis] : scratch;
    if (analysis < 0 && st_tide_image_run(tide, view, ST_TIDE_ANALYSIS_PLANE, scratch) != ST_OK)
        return CLI_BAD_INPUT;
    return cli_spectrum_of_plane(plane, width, height, spectrum);
}

/* noisy.png, lowpass.png, wiener.png, then the plot tide.png. */
static int write_panels(cli_outputs *outputs, const char *dir, st_tide_image *tide, int width,
                        int height, tide_plot_data *plot)
{
    static const st_tide_view views[3] = {ST_TIDE_VIEW_NOISY, ST_TIDE_VIEW_LOWPASS,
                                          ST_TIDE_VIEW_WIENER};
    static const char *const names[4] = {"noisy.png", "lowpass.png", "wiener.png", "tide.png"};
    size_t n = (size_t)width * height;
    float *buffer = malloc(sizeof(float) * n * 4);
    if (!buffer)
        return CLI_BAD_INPUT;
    float *planes[3] = {buffer, buffer + n, buffer + 2 * n};
    int colors = st_tide_image_colors(tide);
    int analysis = st_tide_image_analysis_plane(tide);
    char path[4096];
    int status = CLI_OK;
    for (int k = 0; k < 3 && status == CLI_OK; k++) {
        cli_spectrum *spectrum = k < 2 ? &plot->spectra[1 + k] : NULL;
        status =
            view_planes(tide, views[k], analysis, planes, buffer + 3 * n, width, height, spectrum);
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        if (status == CLI_OK)
            status = cli_output_png_planes(outputs, path, (const float *const *)planes, colors,
                                           width, height);
    }
    free(buffer);
    if (status != CLI_OK)
        return status;
    snprintf(path, sizeof path, "%s/%s", dir, names[3]);
    return cli_output_plot(outputs, path, 800, 600, draw_tide, plot);
}

/* The clean analysis plane's spectrum, as the pipeline measured it, and its fit. */
static int clean_spectrum(const st_tide_image *tide, int width, int height, cli_spectrum *clean)
{
    const double *freq, *power;
    int rings = st_tide_image_analysis_rapsd(tide, &freq, &power);
    *clean = (cli_spectrum){.width = width, .height = height, .rings = rings};
    clean->freq = malloc(sizeof(double) * rings);
    clean->power = malloc(sizeof(double) * rings);
    if (!clean->freq || !clean->power)
        return CLI_BAD_INPUT;
    memcpy(clean->freq, freq, sizeof(double) * rings);
    memcpy(clean->power, power, sizeof(double) * rings);
    clean->fit_ok =
        st_powerlaw_fit(clean->freq, clean->power, rings, 0.0, 0.0, 0, &clean->fit) == ST_OK;
    return CLI_OK;
}

static void print_result(const char *path, const char *dir, int width, int height,
                         const tide_plot_data *plot, const char *level_text, double fmax_fit)
{
    const cli_spectrum *clean = &plot->spectra[0];
    const st_tide_level *level = plot->tide.level;
    char alpha_text[32] = "n/a (too few rings)";
    if (clean->fit_ok)
        snprintf(alpha_text, sizeof alpha_text, "%.3f", clean->fit.alpha);
    printf("%s: %dx%d, alpha %s; %s: a %.4g, s %.4g, noise level tau s^2/a^2 = %.4g\n", path, width,
           height, alpha_text, level_text, level->a, level->s, level->noise_floor);
    printf("f_max %.4f cycles/pixel (from the fit %.4f)\n", plot->tide.fmax, fmax_fit);
    printf("wrote %s/noisy.png, lowpass.png, wiener.png, tide.png\n", dir);
}

static int run_tide(const char *path, const char *dir, st_channel channel,
                    const st_tide_level *level, uint64_t seed, const char *level_text)
{
    cli_image image;
    int status = cli_image_load(path, &image);
    if (status != CLI_OK)
        return status;
    int w = image.width, h = image.height;
    st_tide_image *tide =
        st_tide_image_new(image.pixels, w, h, image.components, (size_t)w * image.components,
                          channel, NULL, ST_TIDE_IMAGE_ONE_LEVEL, NULL);
    tide_plot_data plot = {0};
    if (!tide || st_tide_image_set_level(tide, level, seed) != ST_OK ||
        clean_spectrum(tide, w, h, &plot.spectra[0]) != CLI_OK)
        status = CLI_BAD_INPUT;
    char title[256];
    snprintf(title, sizeof title, "%s (a %.3g, s %.3g, tau %g)", level_text, level->a, level->s,
             level->tau);
    plot.tide = (sv_tide_spectrum){title,
                                   plot.spectra[0].freq,
                                   plot.spectra[0].power,
                                   plot.spectra[0].rings,
                                   plot.spectra[0].fit_ok ? &plot.spectra[0].fit : NULL,
                                   level,
                                   st_tide_image_fmax(tide)};
    double fmax_fit =
        plot.spectra[0].fit_ok ? st_fmax_from_fit(&plot.spectra[0].fit, level->noise_floor) : NAN;

    int created = 0;
    cli_outputs *outputs = cli_outputs_new();
    if (status == CLI_OK)
        status = make_out_dir(dir, &created);
    if (status == CLI_OK)
        status = write_panels(outputs, dir, tide, w, h, &plot);
    else if (!created)
        cli_error("%s: out of memory for %dx%d pixels", path, w, h);
    if (status == CLI_OK)
        status = cli_outputs_commit(outputs);
    cli_outputs_free(outputs);
    if (status != CLI_OK && created)
        rmdir(dir);
    if (status == CLI_OK)
        print_result(path, dir, w, h, &plot, level_text, fmax_fit);
    for (int k = 0; k < 3; k++)
        cli_spectrum_free(&plot.spectra[k]);
    st_tide_image_free(tide);
    cli_image_free(&image);
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
    if (seed_value < 0 || seed_value > 9007199254740992.0 || seed_value != floor(seed_value))
        return cli_usage_error("tide", "--seed must be a whole number >= 0");
    if (have_sigma == (schedule_name != NULL))
        return cli_usage_error("tide", "give either --schedule NAME --t T or --sigma S");
    st_tide_level level;
    st_status level_status;
    char level_text[128];
    if (have_sigma) {
        level_status = st_tide_level_from_sigma(sigma, tau, &level);
        snprintf(level_text, sizeof level_text, "sigma %g", sigma);
    } else {
        st_schedule schedule;
        if (st_schedule_from_name(schedule_name, &schedule) != ST_OK)
            return cli_usage_error("tide", "unknown schedule '%s' (see 'spectide schedules')",
                                   schedule_name);
        if (!have_t)
            return cli_usage_error("tide", "--t in [0,1] is required with --schedule");
        level_status = st_tide_level_from_schedule(schedule, t, tau, &level);
        snprintf(level_text, sizeof level_text, "%s at t = %g", st_schedule_name(schedule), t);
        if (level_status == ST_ERROR_NO_SIGNAL)
            return cli_usage_error("tide", "at t = %g the %s schedule leaves no image (a = 0)", t,
                                   st_schedule_name(schedule));
    }
    if (level_status != ST_OK)
        return cli_usage_error("tide", "%s (--schedule/--t, --sigma, --tau)", level.problem);
    return run_tide(files[0], dir, channel, &level, (uint64_t)seed_value, level_text);
}

int cmd_schedules(int argc, char **argv)
{
    const char *unused[1];
    int count = 0, names_only = 0;
    cli_option options[] = {{"names", CLI_FLAG, &names_only, NULL, 0}};
    int status =
        cli_parse("schedules", schedules_help, argc, argv, CLI_OPTIONS(options), unused, &count, 0);
    if (status != CLI_OK)
        return status;
    if (names_only) {
        for (int k = 0; k < ST_SCHEDULE_COUNT; k++)
            printf("%s\n", st_schedule_name((st_schedule)k));
        return CLI_OK;
    }
    printf("x_t = a(t) x0 + s(t) eps, t in [0,1]; SNR(t) = a^2/s^2 decreases strictly.\n\n");
    for (int k = 0; k < ST_SCHEDULE_COUNT; k++) {
        st_schedule schedule = (st_schedule)k;
        double a, s;
        st_schedule_coefficients(schedule, 0.5, &a, &s);
        printf("%-14s %s\n%-14s at t = 0.5: a = %.4f, s = %.4f, SNR = %.4g\n",
               st_schedule_name(schedule), st_schedule_formula(schedule), "", a, s,
               st_schedule_snr(schedule, 0.5));
        for (int i = 0; st_schedule_alias(schedule, i); i++)
            printf("%s%s", i == 0 ? "               also: " : ", ", st_schedule_alias(schedule, i));
        printf(st_schedule_alias(schedule, 0) ? "\n\n" : "\n");
    }
    printf("A plain noise level is always allowed instead: --sigma S means a = 1, s = S.\n");
    return CLI_OK;
}
