/* spectide rapsd and spectide fmax: the spectrum of images and how far up
 * it reaches above the noise of each diffusion schedule.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "dataset_input.h"
#include "image_batch.h"

#include "spectide_view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char rapsd_help[] =
    "usage: spectide rapsd [--channel green|luma|red|blue] [--average] [--accumulate OUT.stacc]\n"
    "                      [--skip-bad] [--files-from LIST] [--jobs N] [--color-managed]\n"
    "                      [--csv FILE] [--plot FILE.png|FILE.svg] [--threads N] PATH...\n"
    "\n"
    "Radially averaged power spectral density (RAPSD) of each image and its\n"
    "power-law fit P = 10^c f^-alpha. Pixels are the file's stored code values, as\n"
    "PIL reads them (no gamma or colour profile applied), mapped to [-1,1]:\n"
    "x = 2v - 1, v = code / (2^bits - 1). The analysis channel is green by default\n"
    "(gray images as they are). Prints per image (or once with --average) the\n"
    "size, alpha, c and R^2.\n"
    "\n"
    "PATH: image files and folders; a folder is walked recursively in the byte order\n"
    "of the full paths (find -L DIR -type f | LC_ALL=C sort), keeping .png .jpg .jpeg\n"
    ".jpe .jfif .tif .tiff .webp (hidden entries left out). Images are decoded and\n"
    "analysed by --jobs worker threads and taken in input order: the results do not\n"
    "depend on N, and memory does not grow with the number of images.\n"
    "\n"
    "  --channel C         green (default), luma (Rec. 709), red or blue\n"
    "  --average           log-domain mean over all images (mean of log10 P) and its\n"
    "                      fit, with the per-image fits; printed as 'spectide report'\n"
    "                      prints an accumulator. The mean is on the rings r/L when\n"
    "                      every image has the same longest side L (pysteps' rings),\n"
    "                      else on a fixed grid of 64 points per octave (1/65536 to\n"
    "                      0.5 cycles/pixel), each image inside its own range only\n"
    "  --accumulate FILE   write the images' accumulator (.stacc): exact sums that\n"
    "                      'spectide merge' combines and 'spectide report' reports\n"
    "                      (one per shard of a dataset, e.g. one per cluster task)\n"
    "  --skip-bad          name each unreadable or damaged file, go on, end with a\n"
    "                      count and exit 3; the result is that of the other files\n"
    "                      (without it the first bad file ends the run, exit 1)\n"
    "  --files-from LIST   more inputs, one path per line ('-': standard input),\n"
    "                      read as the run goes, after the PATH arguments\n"
    "  --jobs N            worker threads (default 0: one per CPU)\n"
    "  --color-managed     convert to sRGB first, from the file's ICC profile (or PNG\n"
    "                      gAMA/cHRM); by default the stored values are analysed\n"
    "                      (CMYK JPEG/TIFF are always converted as PIL does)\n"
    "  --csv FILE          one image: header 'freq,power', one row per ring (freq r/L\n"
    "                      cycles/pixel, 0.5 = Nyquist); with --average: the report's\n"
    "                      'freq,power,ci_low,ci_high,count,sd_log10,mean_power'\n"
    "                      (power = 10^(mean log10 P), its 95% confidence band, ...)\n"
    "  --plot FILE         log-log plot with the fit (PNG or SVG by extension); with\n"
    "                      --average the mean spectrum with its 95% band\n"
    "  --threads N         FFTW threads for large images (default 1)\n"
    "\n"
    "Images: PNG (1-16 bit gray, gray+alpha, RGB, RGBA, palette), JPEG (libjpeg-turbo\n"
    "as PIL: ISLOW, fancy upsampling; CMYK as PIL converts it), TIFF (1-16 bit, float),\n"
    "WebP; the format is read from the file's first bytes. A progress line shows on a\n"
    "terminal for long runs. FFTW's plans of the image sizes met are kept between runs\n"
    "in ~/.cache/spectide/fftwf-wisdom (SPECTIDE_WISDOM=FILE elsewhere, =off for none;\n"
    "the results do not depend on it).\n"
    "Exit status: 0 success, 1 unreadable image, 2 bad usage, 3 partial (--skip-bad).\n";

static const char fmax_help[] =
    "usage: spectide fmax --schedule NAME|all [--tau X] [--steps N] [--channel C]\n"
    "                     [--skip-bad] [--files-from LIST] [--jobs N] [--color-managed]\n"
    "                     [--csv FILE] [--plot FILE.png|FILE.svg] PATH...\n"
    "\n"
    "f_max(t): the highest frequency whose power stays above the noise\n"
    "tau * s(t)^2 / a(t)^2 at the image scale, for t = 0..1, from the measured\n"
    "RAPSD (log-averaged over all images, as 'spectide rapsd --average') and\n"
    "from its power-law fit. PATH: image files and folders (as for rapsd), and\n"
    "accumulators (.stacc from 'rapsd --accumulate': a dataset read once).\n"
    "\n"
    "  --schedule S  a schedule name (see 'spectide schedules') or 'all': every\n"
    "                schedule together, i.e. which frequencies each spends its time on\n"
    "  --tau X       SNR threshold (default 1)\n"
    "  --steps N     number of t values, t = i/(N-1) (default 101, at least 2)\n"
    "  --csv FILE    header 't,fmax,fmax_fit' (cycles/pixel; 0 = nothing above the\n"
    "                noise); with --schedule all: 'schedule,t,fmax,fmax_fit'\n"
    "  --plot FILE   f_max against t (PNG or SVG by extension)\n"
    "  --skip-bad, --files-from, --jobs, --color-managed   as for rapsd\n"
    "\n"
    "Exit status: 0 success, 1 unreadable image, 2 bad usage, 3 partial (--skip-bad).\n";

/* Single images kept for a per-image plot (the curves of each one). */
#define MAX_PLOTTED 4096

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

static void add_fit_curve(sv_plot *plot, const cli_spectrum *s, uint32_t rgb)
{
    if (!s->fit_ok)
        return;
    char label[160];
    sv_powerlaw_label(&s->fit, label, sizeof label);
    sv_plot_add_powerlaw(plot, &s->fit, NULL, 0, label, rgb);
}

/* What the per-image mode keeps: the spectra and names of a plot. */
typedef struct {
    cli_spectrum *spectra;
    char **names;
    int count;
    int keep; /* --plot or --csv: keep every spectrum */
} single_images;

static void draw_rapsd(cairo_t *cr, double width, double height, void *user_data)
{
    const single_images *data = user_data;
    sv_plot *plot = sv_plot_new();
    sv_plot_set_x_axis(plot, "frequency (cycles/pixel)", SV_AXIS_LOG, 0, 0, 0);
    sv_plot_set_y_axis(plot, "power", SV_AXIS_LOG, 0, 0);
    sv_plot_set_legend(plot, SV_LEGEND_BOTTOM_LEFT);
    sv_plot_set_title(plot, data->count == 1 ? "RAPSD" : "RAPSD of each image");
    for (int i = 0; i < data->count; i++) {
        uint32_t rgb = data->count == 1 ? SV_COLOR_SIGNAL : palette[i % 8];
        sv_plot_add_curve(plot, data->spectra[i].freq, data->spectra[i].power,
                          data->spectra[i].rings, data->names[i], rgb, SV_LINE_SOLID);
        add_fit_curve(plot, &data->spectra[i], data->count == 1 ? SV_COLOR_FIT : rgb);
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

/* Per-image mode: print each image as it comes; keep it for a plot or the
 * CSV of one image. */
static int visit_single(const char *path, const cli_spectrum *spectrum, void *user)
{
    single_images *data = user;
    char what[512];
    snprintf(what, sizeof what, "%s: %dx%d, %d rings", path, spectrum->width, spectrum->height,
             spectrum->rings);
    print_fit(what, spectrum);
    if (!data->keep)
        return CLI_OK;
    if (data->count == MAX_PLOTTED) {
        cli_error("rapsd: --plot of single images shows at most %d: use --average for more",
                  MAX_PLOTTED);
        return CLI_BAD_INPUT;
    }
    int status = cli_copy_spectrum(spectrum, &data->spectra[data->count]);
    data->names[data->count] = strdup(cli_basename(path));
    if (status != CLI_OK || !data->names[data->count]) {
        cli_spectrum_free(&data->spectra[data->count]);
        free(data->names[data->count]);
        data->names[data->count] = NULL;
        cli_error("%s: out of memory", path);
        return CLI_BAD_INPUT;
    }
    data->count++;
    return CLI_OK;
}

/* No image came out of the inputs: say where none was found. */
static void no_image(const char *command, const char *first, uint64_t skipped)
{
    if (skipped)
        cli_error("%s: no usable image (%llu file%s skipped)", command, (unsigned long long)skipped,
                  skipped == 1 ? "" : "s");
    else
        cli_error("%s: %s: no image file found (folders are searched for .png, .jpg, .jpeg, "
                  ".jpe, .tif, .tiff, .webp)",
                  command, first);
}

static int set_threads(const char *command, int threads)
{
    if (threads < 1 || threads > 256)
        return cli_usage_error(command, "--threads must be between 1 and 256");
    st_set_threads(threads);
    return CLI_OK;
}

/* 1 if the inputs are a single path that is not a folder. */
static int single_file(const char *const *paths, int count, const char *files_from)
{
    struct stat info;
    return count == 1 && !files_from && !(stat(paths[0], &info) == 0 && S_ISDIR(info.st_mode));
}

/* --average / --accumulate: every image into one accumulator. */
static int run_dataset(cli_inputs *inputs, const char *first, const cli_image_options *image,
                       int skip_bad, int average, const char *accumulate, const char *csv,
                       const char *plot)
{
    st_accumulator *acc = cli_accumulator_new(image);
    if (!acc)
        return CLI_BAD_INPUT;
    cli_dataset_counts counts;
    int status = cli_dataset_accumulate("rapsd", inputs, image, skip_bad, acc, NULL, NULL, &counts);
    int result = status; /* CLI_OK or CLI_PARTIAL when the outputs are written */
    if (status != CLI_BAD_INPUT && counts.used == 0 && (average || csv || plot)) {
        no_image("rapsd", first, counts.skipped);
        status = CLI_BAD_INPUT;
    }
    if (status == CLI_BAD_INPUT) {
        st_accumulator_free(acc);
        return status;
    }
    cli_outputs *outputs = cli_outputs_new();
    status = outputs ? CLI_OK : CLI_BAD_INPUT;
    if (status == CLI_OK && accumulate)
        status = cli_accumulator_save(outputs, accumulate, acc);
    if (status == CLI_OK && csv)
        status = cli_report_csv(outputs, csv, acc);
    if (status == CLI_OK && plot)
        status = cli_report_plot(outputs, plot, acc);
    if (status == CLI_OK)
        status = cli_outputs_commit(outputs);
    cli_outputs_free(outputs);
    if (status == CLI_OK && (average || csv || plot))
        cli_report_print(acc);
    if (status == CLI_OK && accumulate && !average)
        printf("accumulated %llu image%s (%llu file%s skipped) into %s\n",
               (unsigned long long)counts.used, counts.used == 1 ? "" : "s",
               (unsigned long long)counts.skipped, counts.skipped == 1 ? "" : "s", accumulate);
    st_accumulator_free(acc);
    return status == CLI_OK ? result : status;
}

/* One image or several, each on its own. */
static int run_single(cli_inputs *inputs, const char *first, const cli_image_options *image,
                      int skip_bad, const char *csv, const char *plot)
{
    single_images data = {0};
    data.keep = plot || csv; /* a CSV is of one image (checked before) */
    if (data.keep) {
        data.spectra = calloc(MAX_PLOTTED, sizeof *data.spectra);
        data.names = calloc(MAX_PLOTTED, sizeof *data.names);
        if (!data.spectra || !data.names) {
            free(data.spectra);
            free(data.names);
            return CLI_BAD_INPUT;
        }
    }
    cli_dataset_counts counts;
    int status = cli_dataset_accumulate("rapsd", inputs, image, skip_bad, NULL, visit_single, &data,
                                        &counts);
    int result = status;
    if (status != CLI_BAD_INPUT && counts.used == 0) {
        no_image("rapsd", first, counts.skipped);
        status = CLI_BAD_INPUT;
    }
    if (status != CLI_BAD_INPUT) {
        cli_outputs *outputs = cli_outputs_new();
        status = outputs ? CLI_OK : CLI_BAD_INPUT;
        if (status == CLI_OK && csv)
            status = write_spectrum_csv(outputs, csv, &data.spectra[0]);
        if (status == CLI_OK && plot)
            status = cli_output_plot(outputs, plot, 800, 600, draw_rapsd, &data);
        if (status == CLI_OK)
            status = cli_outputs_commit(outputs);
        cli_outputs_free(outputs);
    }
    for (int i = 0; i < data.count; i++) {
        cli_spectrum_free(&data.spectra[i]);
        free(data.names[i]);
    }
    free(data.spectra);
    free(data.names);
    return status == CLI_OK ? result : status;
}

int cmd_rapsd(int argc, char **argv)
{
    const char *channel_name = NULL, *csv = NULL, *plot = NULL, *accumulate = NULL,
               *files_from = NULL;
    int average = 0, threads = 1, skip_bad = 0, jobs = 0, color_managed = 0;
    cli_option options[] = {
        {"channel", CLI_STRING, &channel_name, NULL, 0},
        {"average", CLI_FLAG, &average, NULL, 0},
        {"accumulate", CLI_STRING, &accumulate, NULL, 0},
        {"skip-bad", CLI_FLAG, &skip_bad, NULL, 0},
        {"files-from", CLI_STRING, &files_from, NULL, 0},
        {"csv", CLI_STRING, &csv, NULL, 0},
        {"plot", CLI_STRING, &plot, NULL, 0},
        {"threads", CLI_INT, &threads, NULL, 0},
        {"jobs", CLI_INT, &jobs, NULL, 0},
        {"color-managed", CLI_FLAG, &color_managed, NULL, 0},
    };
    const char **paths = malloc(sizeof *paths * (size_t)(argc > 0 ? argc : 1));
    if (!paths)
        return CLI_BAD_INPUT;
    int count = 0;
    int status =
        cli_parse("rapsd", rapsd_help, argc, argv, CLI_OPTIONS(options), paths, &count, argc);
    cli_image_options image = {ST_CHANNEL_GREEN, color_managed, 0};
    if (status == CLI_OK)
        status = cli_channel_option("rapsd", channel_name, &image.channel);
    if (status == CLI_OK)
        status = cli_jobs_option("rapsd", jobs, &image.jobs);
    if (status == CLI_OK)
        status = set_threads("rapsd", threads);
    int dataset = average || accumulate;
    if (status == CLI_OK && count == 0 && !files_from)
        status = cli_usage_error("rapsd", "no image given");
    if (status == CLI_OK && csv && !dataset && !single_file(paths, count, files_from))
        status = cli_usage_error("rapsd", "--csv with several images needs --average");
    if (status == CLI_OK && plot && !cli_is_plot_path(plot))
        status = cli_usage_error("rapsd", "--plot needs a .png or .svg file name, not '%s'", plot);
    if (status != CLI_OK) {
        free(paths);
        return status;
    }
    const char *first = count > 0 ? paths[0] : files_from;
    cli_inputs *inputs = cli_inputs_from(paths, count, files_from);
    if (!inputs)
        status = CLI_BAD_INPUT;
    else if (dataset)
        status = run_dataset(inputs, first, &image, skip_bad, average, accumulate, csv, plot);
    else
        status = run_single(inputs, first, &image, skip_bad, csv, plot);
    cli_inputs_free(inputs);
    free(paths);
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

/* The mean curve of the accumulator (its best axis) as freq / power
 * arrays (10^(mean log10 P); NaN where no image covers a point) and its
 * fit. CLI_OK or CLI_BAD_INPUT (message printed). */
static int mean_curve(const st_accumulator *acc, double **freq, double **power, int *n,
                      st_powerlaw *fit)
{
    *n = st_accumulator_curve_length(acc, ST_CURVE_BEST);
    st_curve_point *points = malloc(sizeof *points * (size_t)(*n > 0 ? *n : 1));
    *freq = malloc(sizeof(double) * (size_t)(*n > 0 ? *n : 1));
    *power = malloc(sizeof(double) * (size_t)(*n > 0 ? *n : 1));
    int status = points && *freq && *power &&
                         st_accumulator_curve(acc, ST_CURVE_BEST, points, *n) == ST_OK &&
                         st_accumulator_fit(acc, ST_CURVE_BEST, fit) == ST_OK
                     ? CLI_OK
                     : CLI_BAD_INPUT;
    for (int i = 0; status == CLI_OK && i < *n; i++) {
        (*freq)[i] = points[i].freq;
        (*power)[i] = points[i].count ? pow(10.0, points[i].mean_log10) : NAN;
    }
    free(points);
    if (status != CLI_OK) {
        free(*freq);
        free(*power);
        *freq = *power = NULL;
    }
    return status;
}

int cmd_fmax(int argc, char **argv)
{
    const char *schedule_name = NULL, *channel_name = NULL, *csv = NULL, *plot = NULL,
               *files_from = NULL;
    double tau = 1.0;
    int steps = 101, skip_bad = 0, jobs = 0, color_managed = 0;
    cli_option options[] = {
        {"schedule", CLI_STRING, &schedule_name, NULL, 0},
        {"tau", CLI_DOUBLE, &tau, NULL, 0},
        {"steps", CLI_INT, &steps, NULL, 0},
        {"channel", CLI_STRING, &channel_name, NULL, 0},
        {"skip-bad", CLI_FLAG, &skip_bad, NULL, 0},
        {"files-from", CLI_STRING, &files_from, NULL, 0},
        {"csv", CLI_STRING, &csv, NULL, 0},
        {"plot", CLI_STRING, &plot, NULL, 0},
        {"jobs", CLI_INT, &jobs, NULL, 0},
        {"color-managed", CLI_FLAG, &color_managed, NULL, 0},
    };
    const char **paths = malloc(sizeof *paths * (size_t)(argc > 0 ? argc : 1));
    if (!paths)
        return CLI_BAD_INPUT;
    int count = 0;
    int status =
        cli_parse("fmax", fmax_help, argc, argv, CLI_OPTIONS(options), paths, &count, argc);
    cli_image_options image = {ST_CHANNEL_GREEN, color_managed, 0};
    if (status == CLI_OK)
        status = cli_channel_option("fmax", channel_name, &image.channel);
    if (status == CLI_OK)
        status = cli_jobs_option("fmax", jobs, &image.jobs);
    fmax_data data = {.steps = steps, .tau = tau};
    int all = schedule_name && strcmp(schedule_name, "all") == 0;
    if (status == CLI_OK && !schedule_name)
        status = cli_usage_error("fmax", "--schedule is required (a name or 'all')");
    if (status == CLI_OK && all) {
        for (int k = 0; k < ST_SCHEDULE_COUNT; k++)
            data.schedules[data.schedule_count++] = (st_schedule)k;
    } else if (status == CLI_OK &&
               st_schedule_from_name(schedule_name, &data.schedules[0]) != ST_OK) {
        status = cli_usage_error("fmax", "unknown schedule '%s' (see 'spectide schedules')",
                                 schedule_name);
    } else {
        data.schedule_count = 1;
    }
    if (status == CLI_OK && !(tau > 0.0))
        status = cli_usage_error("fmax", "--tau must be positive");
    if (status == CLI_OK && (steps < 2 || steps > 100000))
        status = cli_usage_error("fmax", "--steps must be between 2 and 100000");
    if (status == CLI_OK && count == 0 && !files_from)
        status = cli_usage_error("fmax", "no image given");
    if (status == CLI_OK && plot && !cli_is_plot_path(plot))
        status = cli_usage_error("fmax", "--plot needs a .png or .svg file name, not '%s'", plot);
    if (status != CLI_OK) {
        free(paths);
        return status;
    }

    /* Images, folders, lists and accumulators (.stacc) alike (dataset_input.h). */
    cli_gather_settings gather = {"fmax", &image, skip_bad, NULL, NULL};
    st_accumulator *acc = NULL;
    status = cli_dataset_gather(&gather, paths, count, files_from, &acc);
    int result = status;
    double *freq = NULL, *power = NULL;
    int n = 0;
    st_powerlaw fit;
    st_accumulator_info info = {0};
    st_accumulator_get_info(acc, &info);
    if (status != CLI_BAD_INPUT && mean_curve(acc, &freq, &power, &n, &fit) != CLI_OK) {
        cli_error("fmax: no power-law fit possible (image too small?)");
        status = CLI_BAD_INPUT;
    }
    if (status != CLI_BAD_INPUT) {
        data.rows = calloc((size_t)data.schedule_count * steps, sizeof(st_fmax_row));
        status = data.rows ? CLI_OK : CLI_BAD_INPUT;
    }
    if (status == CLI_OK) {
        data.alpha = fit.alpha;
        for (int k = 0; k < data.schedule_count; k++)
            st_fmax_table(data.schedules[k], tau, freq, power, n, &fit, steps,
                          data.rows + (size_t)k * steps);
        printf("RAPSD of %llu image%s: alpha %.3f, c %.3f, R^2 %.4f\n",
               (unsigned long long)info.images, info.images == 1 ? "" : "s", fit.alpha, fit.c,
               fit.r_squared);
        for (int k = 0; k < data.schedule_count; k++) {
            const st_fmax_row *rows = data.rows + (size_t)k * steps;
            const st_fmax_row *half = &rows[(steps - 1) / 2];
            printf("%-14s f_max at t = %.2f: %.4f cycles/pixel (fit %.4f)\n",
                   st_schedule_name(data.schedules[k]), half->t, half->fmax, half->fmax_fit);
        }
        cli_outputs *outputs = cli_outputs_new();
        status = outputs ? CLI_OK : CLI_BAD_INPUT;
        if (status == CLI_OK && csv)
            status = write_fmax_csv(outputs, csv, &data, all);
        if (status == CLI_OK && plot)
            status = cli_output_plot(outputs, plot, 800, 600, draw_fmax, &data);
        if (status == CLI_OK)
            status = cli_outputs_commit(outputs);
        cli_outputs_free(outputs);
    }
    free(data.rows);
    free(freq);
    free(power);
    st_accumulator_free(acc);
    free(paths);
    return status == CLI_OK ? result : status;
}
