/* spectide rapsd and spectide fmax: the spectrum of images and how far up
 * it reaches above the noise of each diffusion schedule.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "image_batch.h"
#include "image_spectrum.h"

#include "spectide_view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char rapsd_help[] =
    "usage: spectide rapsd [--channel green|luma|red|blue] [--average] [--csv FILE]\n"
    "                      [--plot FILE.png|FILE.svg] [--jobs N] [--skip-bad]\n"
    "                      [--files-from LIST] [--color-managed] [--threads N] PATH...\n"
    "\n"
    "Radially averaged power spectral density (RAPSD) of each image and its\n"
    "power-law fit P = 10^c f^-alpha. Pixels are the file's stored code values\n"
    "mapped to [-1,1] (x = 2v - 1, v = code / (2^bits - 1)), as PIL reads them:\n"
    "no gamma or colour profile is applied. The analysis channel is green by\n"
    "default (gray images as they are). Prints per image (or once with\n"
    "--average) the size, alpha, c and R^2.\n"
    "\n"
    "PATH is an image file or a folder (walked recursively: files ending in\n"
    ".png .jpg .jpeg .jpe .jfif .tif .tiff .webp, in sorted path order, hidden\n"
    "names left out).\n"
    "\n"
    "  --channel C      green (default), luma (Rec. 709), red or blue\n"
    "  --average        log-domain mean over all images (mean of log10 P on the\n"
    "                   ring axis of the largest image), fitted once\n"
    "  --csv FILE       header 'freq,power', one row per ring, freq in cycles/pixel\n"
    "                   (r/L, 0.5 = Nyquist); with --average power = 10^(mean log10 P).\n"
    "                   Several images need --average.\n"
    "  --plot FILE      log-log plot with the fit (PNG or SVG by extension)\n"
    "  --jobs N         images decoded and analysed in parallel (default: one per CPU);\n"
    "                   the results do not depend on N\n"
    "  --skip-bad       report each unreadable file (path and reason), go on, and\n"
    "                   exit 3; the result is that of the run without those files\n"
    "  --files-from F   more inputs, one file or folder per line (F = '-': standard\n"
    "                   input), read as the run goes, after the PATH arguments\n"
    "  --color-managed  convert to sRGB first, from the file's ICC profile (or PNG\n"
    "                   gAMA/cHRM); by default the stored values are analysed, as\n"
    "                   PIL reads them (CMYK is always converted as PIL does)\n"
    "  --threads N      FFTW threads per image of 512x512 or more (default 1)\n"
    "\n"
    "Images: PNG (1-16 bit gray, gray+alpha, RGB, RGBA, palette), JPEG (libjpeg-turbo\n"
    "as PIL: ISLOW, fancy upsampling; CMYK converted as PIL), TIFF (8/16-bit, float),\n"
    "WebP. A progress line is shown on a terminal for long runs.\n"
    "Exit status: 0 success, 1 unreadable image (the run stops at the first one,\n"
    "saying how many were done), 2 bad usage, 3 partial (--skip-bad skipped files).\n";

static const char fmax_help[] =
    "usage: spectide fmax --schedule NAME|all [--tau X] [--steps N] [--channel C]\n"
    "                     [--csv FILE] [--plot FILE.png|FILE.svg] IMAGE...\n"
    "\n"
    "f_max(t): the highest frequency whose power stays above the noise\n"
    "tau * s(t)^2 / a(t)^2 at the image scale, for t = 0..1, from the measured\n"
    "(log-averaged over all images) RAPSD and from its power-law fit.\n"
    "\n"
    "  --schedule S  a schedule name (see 'spectide schedules') or 'all': every\n"
    "                schedule together, i.e. which frequencies each spends its time on\n"
    "  --tau X       SNR threshold (default 1)\n"
    "  --steps N     number of t values, t = i/(N-1) (default 101, at least 2)\n"
    "  --csv FILE    header 't,fmax,fmax_fit' (cycles/pixel; 0 = nothing above the\n"
    "                noise); with --schedule all: 'schedule,t,fmax,fmax_fit'\n"
    "  --plot FILE   f_max against t (PNG or SVG by extension)\n"
    "\n"
    "Exit status: 0 success, 1 unreadable image, 2 bad usage.\n";

#define MAX_FILES 4096

static const uint32_t palette[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728,
                                   0x9467bd, 0x8c564b, 0xe377c2, 0x17becf};

static int write_spectrum_csv(cli_outputs *outputs, const char *path, const cli_spectrum *s)
{
    FILE *file = cli_output_open(outputs, path);
    if (!file)
        return CLI_BAD_INPUT;
    fputs("freq,power\n", file);
    for (int i = 0; i < s->rings; i++)
        fprintf(file, "%.9g,%.9g\n", s->freq[i], s->power[i]);
    return CLI_OK;
}

typedef struct {
    const cli_spectrum *spectra;
    const char *const *names;
    int count;
    const cli_spectrum *average; /* NULL without --average */
} rapsd_plot_data;

static void add_fit_curve(sv_plot *plot, const cli_spectrum *s, uint32_t rgb, const char *name)
{
    if (!s->fit_ok)
        return;
    double x[2] = {s->fit.f_low, s->fit.f_high};
    double y[2] = {st_powerlaw_power(&s->fit, x[0]), st_powerlaw_power(&s->fit, x[1])};
    char label[160];
    snprintf(label, sizeof label, "fit%s%s: alpha = %.2f", name ? " " : "", name ? name : "",
             s->fit.alpha);
    sv_plot_add_curve(plot, x, y, 2, label, rgb, SV_LINE_DOTTED);
}

static void draw_rapsd(cairo_t *cr, double width, double height, void *user_data)
{
    const rapsd_plot_data *data = user_data;
    sv_plot *plot = sv_plot_new();
    sv_plot_set_x_axis(plot, "frequency (cycles/pixel)", SV_AXIS_LOG, 0, 0, 0);
    sv_plot_set_y_axis(plot, "power", SV_AXIS_LOG, 0, 0);
    sv_plot_set_legend(plot, SV_LEGEND_BOTTOM_LEFT);
    if (data->average) {
        char title[96];
        snprintf(title, sizeof title, "RAPSD, log-domain mean of %d image%s", data->count,
                 data->count == 1 ? "" : "s");
        sv_plot_set_title(plot, title);
        for (int i = 0; i < data->count && data->count > 1; i++)
            sv_plot_add_curve(plot, data->spectra[i].freq, data->spectra[i].power,
                              data->spectra[i].rings, i == 0 ? "single images" : NULL,
                              SV_COLOR_PEAK, SV_LINE_SOLID);
        sv_plot_add_curve(plot, data->average->freq, data->average->power, data->average->rings,
                          "mean RAPSD", SV_COLOR_SIGNAL, SV_LINE_SOLID);
        add_fit_curve(plot, data->average, SV_COLOR_FIT, NULL);
    } else {
        sv_plot_set_title(plot, data->count == 1 ? "RAPSD" : "RAPSD of each image");
        for (int i = 0; i < data->count; i++) {
            uint32_t rgb = data->count == 1 ? SV_COLOR_SIGNAL : palette[i % 8];
            sv_plot_add_curve(plot, data->spectra[i].freq, data->spectra[i].power,
                              data->spectra[i].rings, data->names[i], rgb, SV_LINE_SOLID);
            add_fit_curve(plot, &data->spectra[i], data->count == 1 ? SV_COLOR_FIT : rgb, NULL);
        }
    }
    sv_plot_draw(plot, cr, 0, 0, width, height);
    sv_plot_free(plot);
}

static void print_fit(const char *what, const cli_spectrum *s)
{
    if (s->fit_ok)
        printf("%s: alpha %.3f  c %.3f  R^2 %.4f\n", what, s->fit.alpha, s->fit.c,
               s->fit.r_squared);
    else
        printf("%s: too few rings for a power-law fit\n", what);
}

/* Loads and analyses every file; on failure frees what was made. */
static int load_spectra(int count, const char **paths, st_channel channel, cli_spectrum *spectra)
{
    for (int i = 0; i < count; i++) {
        int status = cli_spectrum_of_file(paths[i], channel, &spectra[i]);
        if (status != CLI_OK) {
            for (int j = 0; j < i; j++)
                cli_spectrum_free(&spectra[j]);
            return status;
        }
    }
    return CLI_OK;
}

static int set_threads(const char *command, int threads)
{
    if (threads < 1 || threads > 256)
        return cli_usage_error(command, "--threads must be between 1 and 256");
    st_set_threads(threads);
    return CLI_OK;
}

/* What the file loop hands over is kept here: the spectra when they are
 * needed later (the plot, --average, the CSV of one image), else nothing. */
typedef struct {
    int average, keep;
    const char *csv;
    cli_spectrum *spectra;
    char **names;
    int count, capacity;
    unsigned long long seen;
} rapsd_run;

static int keep_spectrum(rapsd_run *run, const cli_batch_image *image)
{
    if (run->count == run->capacity) {
        int capacity = run->capacity ? 2 * run->capacity : 16;
        cli_spectrum *spectra = realloc(run->spectra, sizeof *spectra * capacity);
        if (spectra)
            run->spectra = spectra;
        char **names = realloc(run->names, sizeof *names * capacity);
        if (names)
            run->names = names;
        if (!spectra || !names)
            return CLI_BAD_INPUT;
        run->capacity = capacity;
    }
    cli_spectrum *s = &run->spectra[run->count];
    *s = (cli_spectrum){.width = image->width,
                        .height = image->height,
                        .rings = image->rings,
                        .fit = image->fit,
                        .fit_ok = image->fit_ok};
    s->freq = malloc(sizeof(double) * image->rings);
    s->power = malloc(sizeof(double) * image->rings);
    run->names[run->count] = strdup(cli_basename(image->path));
    if (!s->freq || !s->power || !run->names[run->count]) {
        cli_spectrum_free(s);
        free(run->names[run->count]);
        return CLI_BAD_INPUT;
    }
    memcpy(s->freq, image->freq, sizeof(double) * image->rings);
    memcpy(s->power, image->power, sizeof(double) * image->rings);
    run->count++;
    return CLI_OK;
}

static int take_rapsd(const cli_batch_image *image, void *user)
{
    rapsd_run *run = user;
    if (run->csv && !run->average && ++run->seen > 1)
        return cli_usage_error("rapsd", "--csv with several images needs --average");
    if (!run->average) {
        char what[4200];
        snprintf(what, sizeof what, "%s: %dx%d, %d rings", image->path, image->width, image->height,
                 image->rings);
        cli_spectrum s = {.fit = image->fit, .fit_ok = image->fit_ok};
        print_fit(what, &s);
    }
    if (run->keep && keep_spectrum(run, image) != CLI_OK) {
        cli_error("%s: out of memory for its spectrum", image->path);
        return CLI_BAD_INPUT;
    }
    return CLI_OK;
}

int cmd_rapsd(int argc, char **argv)
{
    const char *channel_name = NULL, *csv = NULL, *plot = NULL, *files_from = NULL;
    int average = 0, threads = 1, jobs_requested = 0, skip_bad = 0, color_managed = 0;
    cli_option options[] = {
        {"channel", CLI_STRING, &channel_name, NULL},
        {"average", CLI_FLAG, &average, NULL},
        {"csv", CLI_STRING, &csv, NULL},
        {"plot", CLI_STRING, &plot, NULL},
        {"threads", CLI_INT, &threads, NULL},
        {"jobs", CLI_INT, &jobs_requested, NULL},
        {"skip-bad", CLI_FLAG, &skip_bad, NULL},
        {"files-from", CLI_STRING, &files_from, NULL},
        {"color-managed", CLI_FLAG, &color_managed, NULL},
    };
    const char **paths = calloc(argc > 0 ? argc : 1, sizeof *paths);
    if (!paths)
        return CLI_BAD_INPUT;
    int count = 0, jobs = 1;
    st_channel channel;
    int status = cli_parse("rapsd", rapsd_help, argc, argv, options,
                           (int)(sizeof options / sizeof options[0]), paths, &count, argc);
    if (status == CLI_OK)
        status = cli_channel_option("rapsd", channel_name, &channel);
    if (status == CLI_OK)
        status = set_threads("rapsd", threads);
    if (status == CLI_OK)
        status = cli_jobs_option("rapsd", jobs_requested, &jobs);
    if (status == CLI_OK && count == 0 && !files_from)
        status = cli_usage_error("rapsd", "no image given");
    if (status == CLI_OK && csv && count > 1 && !average)
        status = cli_usage_error("rapsd", "--csv with several images needs --average");
    if (status == CLI_OK && plot && !cli_is_plot_path(plot))
        status = cli_usage_error("rapsd", "--plot needs a .png or .svg file name, not '%s'", plot);
    cli_inputs *inputs = status == CLI_OK ? cli_inputs_new() : NULL;
    if (status == CLI_OK && !inputs)
        status = CLI_BAD_INPUT;
    for (int i = 0; status == CLI_OK && i < count; i++)
        if (cli_inputs_add_path(inputs, paths[i]) != 0)
            status = CLI_BAD_INPUT;
    if (status == CLI_OK && files_from && cli_inputs_add_list(inputs, files_from) != 0)
        status = CLI_BAD_INPUT;
    /* For the message when the inputs hold no image at all. */
    char first_input[512] = "";
    snprintf(first_input, sizeof first_input, "%s%s", count > 0 ? paths[0] : files_from,
             count + (files_from != NULL) > 1 ? " and the other inputs" : "");
    free(paths);
    if (status != CLI_OK) {
        cli_inputs_free(inputs);
        return status;
    }

    rapsd_run run = {.average = average, .keep = average || plot || csv, .csv = csv};
    cli_batch_settings batch = {.channel = channel,
                                .jobs = jobs,
                                .skip_bad = skip_bad,
                                .color_managed = color_managed,
                                .progress = 1};
    cli_batch_counts counts;
    status = cli_batch_run(inputs, &batch, take_rapsd, &run, &counts);
    cli_inputs_free(inputs);
    if (status == CLI_OK && counts.analysed == 0) {
        if (counts.skipped == 0)
            cli_error("%s: no image file found", first_input);
        else
            cli_error("no image to analyse (%llu unreadable file%s)", counts.skipped,
                      counts.skipped == 1 ? "" : "s");
        status = CLI_BAD_INPUT;
    }
    cli_spectrum mean = {0};
    if (status == CLI_OK && average &&
        cli_spectrum_average(run.spectra, run.count, &mean) != CLI_OK) {
        cli_error("cannot average the spectra");
        status = CLI_BAD_INPUT;
    }
    if (status == CLI_OK && average) {
        char what[128];
        snprintf(what, sizeof what, "log-domain mean of %d image%s, %d rings", run.count,
                 run.count == 1 ? "" : "s", mean.rings);
        print_fit(what, &mean);
    }
    cli_outputs *outputs = cli_outputs_new();
    if (status == CLI_OK && csv)
        status = write_spectrum_csv(outputs, csv, average ? &mean : &run.spectra[0]);
    rapsd_plot_data data = {run.spectra, (const char *const *)run.names, run.count,
                            average ? &mean : NULL};
    if (status == CLI_OK && plot)
        status = cli_output_plot(outputs, plot, 800, 600, draw_rapsd, &data);
    if (status == CLI_OK)
        status = cli_outputs_commit(outputs);
    cli_outputs_free(outputs);
    cli_spectrum_free(&mean);
    for (int i = 0; i < run.count; i++) {
        cli_spectrum_free(&run.spectra[i]);
        free(run.names[i]);
    }
    free(run.spectra);
    free(run.names);
    if (status == CLI_OK && counts.skipped > 0)
        status = CLI_PARTIAL;
    return status;
}

/* ---------------------------------------------------------------- fmax */

typedef struct {
    int schedule_count;
    st_schedule schedules[ST_SCHEDULE_COUNT];
    int steps;
    st_fmax_row *rows; /* schedule_count * steps */
    double tau;
    double alpha;
} fmax_data;

static void draw_fmax(cairo_t *cr, double width, double height, void *user_data)
{
    const fmax_data *data = user_data;
    sv_plot *plot = sv_plot_new();
    char title[128];
    snprintf(title, sizeof title, "f_max(t) per schedule (alpha %.2f, tau %g)", data->alpha,
             data->tau);
    sv_plot_set_title(plot, title);
    sv_plot_set_x_axis(plot, "t", SV_AXIS_LINEAR, 0.0, 1.0, 0);
    sv_plot_set_y_axis(plot, "f_max (cycles/pixel)", SV_AXIS_LOG, 0, 0);
    sv_plot_set_legend(plot, SV_LEGEND_BOTTOM_LEFT);
    double *t = malloc(sizeof(double) * data->steps);
    double *f = malloc(sizeof(double) * data->steps);
    double *g = malloc(sizeof(double) * data->steps);
    for (int k = 0; t && f && g && k < data->schedule_count; k++) {
        const st_fmax_row *rows = data->rows + (size_t)k * data->steps;
        for (int i = 0; i < data->steps; i++) {
            t[i] = rows[i].t;
            f[i] = rows[i].fmax;
            g[i] = rows[i].fmax_fit;
        }
        uint32_t rgb = data->schedule_count == 1 ? SV_COLOR_SIGNAL : palette[k % 8];
        char label[96];
        snprintf(label, sizeof label, "%s (measured)", st_schedule_name(data->schedules[k]));
        sv_plot_add_curve(plot, t, f, data->steps,
                          data->schedule_count == 1 ? label : st_schedule_name(data->schedules[k]),
                          rgb, SV_LINE_SOLID);
        sv_plot_add_curve(plot, t, g, data->steps, k == 0 ? "from the fit (dotted)" : NULL,
                          data->schedule_count == 1 ? SV_COLOR_FIT : rgb, SV_LINE_DOTTED);
    }
    free(t);
    free(f);
    free(g);
    sv_plot_draw(plot, cr, 0, 0, width, height);
    sv_plot_free(plot);
}

static int write_fmax_csv(cli_outputs *outputs, const char *path, const fmax_data *data, int all)
{
    FILE *file = cli_output_open(outputs, path);
    if (!file)
        return CLI_BAD_INPUT;
    fputs(all ? "schedule,t,fmax,fmax_fit\n" : "t,fmax,fmax_fit\n", file);
    for (int k = 0; k < data->schedule_count; k++)
        for (int i = 0; i < data->steps; i++) {
            const st_fmax_row *row = &data->rows[(size_t)k * data->steps + i];
            if (all)
                fprintf(file, "%s,", st_schedule_name(data->schedules[k]));
            fprintf(file, "%.9g,%.9g,%.9g\n", row->t, row->fmax, row->fmax_fit);
        }
    return CLI_OK;
}

int cmd_fmax(int argc, char **argv)
{
    const char *schedule_name = NULL, *channel_name = NULL, *csv = NULL, *plot = NULL;
    double tau = 1.0;
    int steps = 101;
    cli_option options[] = {
        {"schedule", CLI_STRING, &schedule_name, NULL},
        {"tau", CLI_DOUBLE, &tau, NULL},
        {"steps", CLI_INT, &steps, NULL},
        {"channel", CLI_STRING, &channel_name, NULL},
        {"csv", CLI_STRING, &csv, NULL},
        {"plot", CLI_STRING, &plot, NULL},
    };
    const char *files[MAX_FILES];
    int count = 0;
    int status = cli_parse("fmax", fmax_help, argc, argv, options, 6, files, &count, MAX_FILES);
    if (status != CLI_OK)
        return status;
    st_channel channel;
    if ((status = cli_channel_option("fmax", channel_name, &channel)) != CLI_OK)
        return status;
    fmax_data data = {.steps = steps, .tau = tau};
    int all = schedule_name && strcmp(schedule_name, "all") == 0;
    if (!schedule_name)
        return cli_usage_error("fmax", "--schedule is required (a name or 'all')");
    if (all) {
        for (int k = 0; k < ST_SCHEDULE_COUNT; k++)
            data.schedules[data.schedule_count++] = (st_schedule)k;
    } else if (st_schedule_from_name(schedule_name, &data.schedules[0]) != ST_OK) {
        return cli_usage_error("fmax", "unknown schedule '%s' (see 'spectide schedules')",
                               schedule_name);
    } else {
        data.schedule_count = 1;
    }
    if (!(tau > 0.0))
        return cli_usage_error("fmax", "--tau must be positive");
    if (steps < 2 || steps > 100000)
        return cli_usage_error("fmax", "--steps must be between 2 and 100000");
    if (count == 0)
        return cli_usage_error("fmax", "no image given");
    if (plot && !cli_is_plot_path(plot))
        return cli_usage_error("fmax", "--plot needs a .png or .svg file name, not '%s'", plot);

    cli_spectrum *spectra = calloc(count, sizeof *spectra);
    if (!spectra)
        return CLI_BAD_INPUT;
    if ((status = load_spectra(count, files, channel, spectra)) != CLI_OK) {
        free(spectra);
        return status;
    }
    cli_spectrum mean = {0};
    if (cli_spectrum_average(spectra, count, &mean) != CLI_OK || !mean.fit_ok) {
        cli_error("%s: no power-law fit possible (image too small?)", files[0]);
        status = CLI_BAD_INPUT;
    }
    data.rows = calloc((size_t)data.schedule_count * steps, sizeof(st_fmax_row));
    if (status == CLI_OK && !data.rows)
        status = CLI_BAD_INPUT;
    if (status == CLI_OK) {
        data.alpha = mean.fit.alpha;
        for (int k = 0; k < data.schedule_count; k++)
            st_fmax_table(data.schedules[k], tau, mean.freq, mean.power, mean.rings, &mean.fit,
                          steps, data.rows + (size_t)k * steps);
        printf("RAPSD of %d image%s: alpha %.3f, c %.3f, R^2 %.4f\n", count, count == 1 ? "" : "s",
               mean.fit.alpha, mean.fit.c, mean.fit.r_squared);
        for (int k = 0; k < data.schedule_count; k++) {
            const st_fmax_row *rows = data.rows + (size_t)k * steps;
            const st_fmax_row *half = &rows[(steps - 1) / 2];
            printf("%-14s f_max at t = %.2f: %.4f cycles/pixel (fit %.4f)\n",
                   st_schedule_name(data.schedules[k]), half->t, half->fmax, half->fmax_fit);
        }
    }
    cli_outputs *outputs = cli_outputs_new();
    if (status == CLI_OK && csv)
        status = write_fmax_csv(outputs, csv, &data, all);
    if (status == CLI_OK && plot)
        status = cli_output_plot(outputs, plot, 800, 600, draw_fmax, &data);
    if (status == CLI_OK)
        status = cli_outputs_commit(outputs);
    cli_outputs_free(outputs);
    free(data.rows);
    cli_spectrum_free(&mean);
    for (int i = 0; i < count; i++)
        cli_spectrum_free(&spectra[i]);
    free(spectra);
    return status;
}
