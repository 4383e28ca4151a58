/* The report of a dataset (see dataset.h): what `rapsd --average` and
 * `report` print, the CSV and the plot with the 95% band. Everything here
 * is a function of the accumulator's state alone, so merged shards and one
 * run over their union give the same bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "dataset.h"

#include "spectide_view.h"

#include <math.h>
#include <stdlib.h>

static const char *plural(uint64_t n)
{
    return n == 1 ? "" : "s";
}

/* The points of the best axis (rings when every image shares them), or
 * NULL (message printed). */
static st_curve_point *best_curve(const st_accumulator *acc, int *length)
{
    *length = st_accumulator_curve_length(acc, ST_CURVE_BEST);
    st_curve_point *points = *length > 0 ? malloc(sizeof *points * (size_t)*length) : NULL;
    if (!points || st_accumulator_curve(acc, ST_CURVE_BEST, points, *length) != ST_OK) {
        free(points);
        cli_error("the accumulator holds no image");
        return NULL;
    }
    return points;
}

void cli_report_print(const st_accumulator *acc)
{
    st_accumulator_info info;
    st_accumulator_get_info(acc, &info);
    int length;
    st_curve_point *points = best_curve(acc, &length);
    if (!points)
        return;
    int covered = 0;
    for (int i = 1; i < length; i++)
        covered += points[i].count > 0;
    free(points);

    char what[160];
    if (info.rings)
        snprintf(what, sizeof what, "log-domain mean of %llu image%s, %d rings",
                 (unsigned long long)info.images, plural(info.images), info.rings);
    else
        snprintf(what, sizeof what, "log-domain mean of %llu image%s (mixed sizes), %d grid points",
                 (unsigned long long)info.images, plural(info.images), covered);
    st_powerlaw fit;
    if (st_accumulator_fit(acc, ST_CURVE_BEST, &fit) == ST_OK)
        printf("%s: alpha %.3f  c %.3f  R^2 %.4f\n", what, fit.alpha, fit.c, fit.r_squared);
    else
        printf("%s: too few rings for a power-law fit\n", what);

    st_image_fits fits;
    if (st_accumulator_image_fits(acc, &fits) == ST_OK) {
        printf("per-image fits of %llu image%s: alpha mean %.3f",
               (unsigned long long)fits.alpha.count, plural(fits.alpha.count), fits.alpha.mean);
        if (fits.alpha.count >= 2)
            printf(", sd %.3f, 95%% CI of the mean %.3f .. %.3f", fits.alpha.sd, fits.alpha.ci_low,
                   fits.alpha.ci_high);
        printf("; c mean %.3f; R^2 mean %.4f", fits.c.mean, fits.r_squared.mean);
        if (fits.images_without_fit)
            printf("; %llu without a fit", (unsigned long long)fits.images_without_fit);
        printf("\n");
    } else {
        printf("per-image fits: none (every image too small)\n");
    }
    printf("channel %s; images %d..%d x %d..%d px; %llu file%s skipped; spectide %s\n",
           info.channel, info.width_min, info.width_max, info.height_min, info.height_max,
           (unsigned long long)info.skipped, plural(info.skipped), info.version);
}

static void put_number(FILE *file, double value)
{
    if (isnan(value))
        fputs("nan", file);
    else
        fprintf(file, "%.9g", value);
}

int cli_report_csv(cli_outputs *outputs, const char *path, const st_accumulator *acc)
{
    int length;
    st_curve_point *points = best_curve(acc, &length);
    if (!points)
        return CLI_BAD_INPUT;
    FILE *file = cli_output_open(outputs, path);
    if (!file) {
        free(points);
        return CLI_BAD_INPUT;
    }
    fputs("freq,power,ci_low,ci_high,count,sd_log10,mean_power\n", file);
    for (int i = 0; i < length; i++) {
        const st_curve_point *p = &points[i];
        if (p->count == 0)
            continue;
        double values[4] = {p->freq, pow(10.0, p->mean_log10), pow(10.0, p->ci_low_log10),
                            pow(10.0, p->ci_high_log10)};
        for (int k = 0; k < 4; k++) {
            put_number(file, values[k]);
            fputc(',', file);
        }
        fprintf(file, "%llu,", (unsigned long long)p->count);
        put_number(file, p->sd_log10);
        fputc(',', file);
        put_number(file, p->mean_power);
        fputc('\n', file);
    }
    free(points);
    return CLI_OK;
}

typedef struct {
    const st_accumulator *acc;
    const st_curve_point *points;
    int length;
} report_plot;

/* The most images any frequency is covered by: a point covered by fewer
 * (images of other sizes do not reach it) is not the mean of the set. */
static uint64_t full_coverage(const st_curve_point *points, int n)
{
    uint64_t most = 0;
    for (int i = 0; i < n; i++)
        most = points[i].count > most ? points[i].count : most;
    return most;
}

/* x of the points covered by fewer images, and of their fully covered
 * neighbours (so the two lines meet); NaN elsewhere. Returns how many
 * points are partly covered. */
static int partly_covered(const st_curve_point *points, int n, uint64_t full, double *x)
{
    int partial = 0;
    for (int i = 0; i < n; i++) {
        int is_partial = points[i].count > 0 && points[i].count < full;
        int beside = (i > 0 && points[i - 1].count > 0 && points[i - 1].count < full) ||
                     (i + 1 < n && points[i + 1].count > 0 && points[i + 1].count < full);
        x[i] = is_partial || (points[i].count > 0 && beside) ? points[i].freq : NAN;
        partial += is_partial;
    }
    return partial;
}

static void draw_report(cairo_t *cr, double width, double height, void *user_data)
{
    const report_plot *data = user_data;
    int n = data->length;
    double *x = malloc(sizeof(double) * 8 * (size_t)n);
    sv_plot *plot = sv_plot_new();
    if (!x || !plot) {
        free(x);
        sv_plot_free(plot);
        return;
    }
    double *mean = x + n, *ci_low = mean + n, *ci_high = ci_low + n, *sd_low = ci_high + n,
           *sd_high = sd_low + n, *partial_x = sd_high + n;
    /* The mean and its bands where every image that reaches any frequency
     * covers the point; where images of other sizes stop, fewer images make
     * the mean, which steps as the set changes: that part is drawn apart. */
    uint64_t full = full_coverage(data->points, n);
    int partial = partly_covered(data->points, n, full, partial_x);
    for (int i = 0; i < n; i++) {
        const st_curve_point *p = &data->points[i];
        x[i] = p->count == full && full > 0 ? p->freq : NAN; /* DC is a gap on the log axis */
        mean[i] = pow(10.0, p->mean_log10);
        ci_low[i] = pow(10.0, p->ci_low_log10);
        ci_high[i] = pow(10.0, p->ci_high_log10);
        sd_low[i] = pow(10.0, p->mean_log10 - p->sd_log10);
        sd_high[i] = pow(10.0, p->mean_log10 + p->sd_log10);
    }
    st_accumulator_info info;
    st_accumulator_get_info(data->acc, &info);
    char title[128];
    snprintf(title, sizeof title, "RAPSD, log-domain mean of %llu image%s",
             (unsigned long long)info.images, plural(info.images));
    sv_plot_set_title(plot, title);
    sv_plot_set_x_axis(plot, "frequency (cycles/pixel)", SV_AXIS_LOG, 0, 0, 0);
    sv_plot_set_y_axis(plot, "power", SV_AXIS_LOG, 0, 0);
    sv_plot_set_legend(plot, SV_LEGEND_BOTTOM_LEFT);
    sv_plot_add_curve(plot, x, mean, n, "mean RAPSD (geometric)", SV_COLOR_SIGNAL, SV_LINE_SOLID);
    st_powerlaw fit;
    if (st_accumulator_fit(data->acc, ST_CURVE_BEST, &fit) == ST_OK) {
        char label[96];
        sv_powerlaw_label(&fit, label, sizeof label);
        sv_plot_add_powerlaw(plot, &fit, NULL, 0, label, SV_COLOR_FIT);
    }
    if (partial) {
        char label[128];
        snprintf(label, sizeof label, "mean of fewer than %llu images", (unsigned long long)full);
        sv_plot_add_curve(plot, partial_x, mean, n, label, SV_COLOR_SIGNAL, SV_LINE_DASHED);
    }
    sv_plot_add_band(plot, x, sd_low, sd_high, n, "+-1 sd of log10 P over images", SV_COLOR_SIGNAL,
                     0.15);
    sv_plot_add_band(plot, x, ci_low, ci_high, n, "95% confidence band of the mean",
                     SV_COLOR_SIGNAL, 0.4);
    sv_plot_draw(plot, cr, 0, 0, width, height);
    sv_plot_free(plot);
    free(x);
}

int cli_report_plot(cli_outputs *outputs, const char *path, const st_accumulator *acc)
{
    report_plot data = {acc, NULL, 0};
    st_curve_point *points = best_curve(acc, &data.length);
    if (!points)
        return CLI_BAD_INPUT;
    data.points = points;
    int status = cli_output_plot(outputs, path, 800, 600, draw_report, &data);
    free(points);
    return status;
}
