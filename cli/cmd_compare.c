/* spectide compare: a real and a generated set's mean spectra compared with
 * confidence intervals and false-discovery control (core: st_compare_run).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "dataset_input.h"

#include "spectide_compare.h"
#include "spectide_shift.h"
#include "spectide_view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char compare_help[] =
    "usage: spectide compare [--schedule NAME] [--tolerance-db D] [--tau X]\n"
    "                        [--group-by parent] [--channel C] [--skip-bad]\n"
    "                        [--csv FILE] [--plot FILE.png|FILE.svg] REAL GEN\n"
    "\n"
    "The mean log-spectrum of GEN (e.g. generated images) against that of REAL, per\n"
    "frequency: d = 10 (mean log10 P_gen - mean log10 P_real) dB, its standard error\n"
    "sqrt(s_gen^2/n_gen + s_real^2/n_real), a 95% interval with Welch-Satterthwaite\n"
    "degrees of freedom, a two-sided p-value and Benjamini-Hochberg q-values over all\n"
    "the frequencies compared. Printed: the share of frequencies with q < 0.05;\n"
    "f_dev, the lowest frequency whose whole 95% interval lies outside +-D dB; t_dev,\n"
    "the time at which the real set's f_max(t) reaches f_dev under the schedule (where\n"
    "in sampling that frequency emerges from the noise); delta alpha with its 95%\n"
    "interval from the per-image power-law fits (Welch). Frequencies: the rings when\n"
    "both sets have the same longest side, else the log-spaced grid; only where at\n"
    "least half of each set's images (and two or more) have that frequency.\n"
    "These are statements about the two distributions of images (their mean\n"
    "log-spectra), not about any single image.\n"
    "\n"
    "REAL and GEN are each an image folder (recursive), an image file, @LIST (a file\n"
    "of paths, one per line; @- for stdin) or an accumulator (.stacc).\n"
    "\n"
    "  --schedule S      the schedule of t_dev (default rectified-flow)\n"
    "  --tolerance-db D  the tolerance of f_dev in dB (default 1)\n"
    "  --tau X           SNR threshold of f_max for t_dev (default 1)\n"
    "  --group-by parent also per class: the images' parent folder names, matched\n"
    "                    between the sets (needs images, not accumulators)\n"
    "  --channel C       analysis channel of image inputs (default green)\n"
    "  --skip-bad        pass over unreadable images (named on stderr; exit 3)\n"
    "  --csv FILE        header 'freq,diff_db,ci_low_db,ci_high_db,q,n_real,n_gen';\n"
    "                    with --group-by a first column 'class' ('*' = whole sets)\n"
    "  --plot FILE       both mean spectra with their 95% bands above; the difference\n"
    "                    with its band, +-D and the flagged frequencies below\n"
    "\n"
    "Exit status: 0 success, 1 bad input, 2 bad usage, 3 partial (--skip-bad).\n";

#define MAX_CLASS_NAME 256

typedef struct {
    char name[MAX_CLASS_NAME];
    st_accumulator *acc;
} image_class;

typedef struct {
    image_class *items;
    int count, capacity;
    const cli_image_options *options;
} class_list;

typedef struct {
    const char *real_path, *gen_path;
    const st_accumulator *real, *gen;
    st_compare_settings settings;
    int length;
    st_compare_point *points;
    st_compare_summary summary;
} comparison;

static void class_list_free(class_list *list)
{
    for (int i = 0; i < list->count; i++)
        st_accumulator_free(list->items[i].acc);
    free(list->items);
}

/* The visitor of --group-by: each image into its class's accumulator. */
static int add_to_class(const char *path, const cli_spectrum *spectrum, void *user)
{
    class_list *list = user;
    char name[MAX_CLASS_NAME];
    cli_parent_name(path, name, sizeof name);
    int i = 0;
    while (i < list->count && strcmp(list->items[i].name, name) != 0)
        i++;
    if (i == list->count) {
        if (list->count == list->capacity) {
            int capacity = list->capacity ? 2 * list->capacity : 16;
            image_class *grown = realloc(list->items, sizeof *grown * (size_t)capacity);
            if (!grown) {
                cli_error("compare: out of memory");
                return CLI_BAD_INPUT;
            }
            list->items = grown;
            list->capacity = capacity;
        }
        image_class *item = &list->items[list->count];
        snprintf(item->name, sizeof item->name, "%s", name);
        item->acc = cli_accumulator_new(list->options);
        if (!item->acc)
            return CLI_BAD_INPUT;
        list->count++;
    }
    st_status added =
        st_accumulator_add(list->items[i].acc, spectrum->width, spectrum->height, spectrum->power);
    if (added != ST_OK) {
        cli_error("%s: %s", path, st_status_message(added));
        return CLI_BAD_INPUT;
    }
    return CLI_OK;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const image_class *)a)->name, ((const image_class *)b)->name);
}

/* Runs the comparison; on failure says why (message printed, CLI_BAD_INPUT). */
static int run_comparison(const char *label, comparison *c)
{
    c->length = st_compare_length(c->real, c->gen);
    c->points = malloc(sizeof *c->points * (size_t)(c->length > 0 ? c->length : 1));
    if (!c->points) {
        cli_error("compare: out of memory");
        return CLI_BAD_INPUT;
    }
    st_status status =
        st_compare_run(c->real, c->gen, &c->settings, c->points, c->length, &c->summary);
    if (status == ST_OK)
        return CLI_OK;
    if (status == ST_ERROR_MISMATCH)
        cli_explain_mismatch("compare", c->real_path, c->real, c->gen_path, c->gen);
    else if (status == ST_ERROR_ARGUMENT)
        cli_error("compare: %s: each set needs at least two images", label);
    else if (status == ST_NOT_READY)
        cli_error("compare: %s: no frequency is covered by both sets", label);
    else
        cli_error("compare: %s: %s", label, st_status_message(status));
    return CLI_BAD_INPUT;
}

static void print_comparison(const comparison *c, double real_side)
{
    const st_compare_summary *s = &c->summary;
    if (s->on_rings)
        printf("compared on %d rings (both sets have L = %.0f px)\n", s->points, real_side);
    else
        printf("compared on %d points of the log grid that both sets cover (they do not share "
               "one ring axis: sizes differ)\n",
               s->points);
    int low = 0, high = 0;
    for (int i = 1; i < c->length; i++) {
        low = c->points[i].diff_db < c->points[low].diff_db ? i : low;
        high = c->points[i].diff_db > c->points[high].diff_db ? i : high;
    }
    printf("difference gen - real: from %+.2f dB (at %.4g cycles/pixel) to %+.2f dB (at %.4g)\n",
           c->points[low].diff_db, c->points[low].freq, c->points[high].diff_db,
           c->points[high].freq);
    printf("flagged (q < %.2g, Benjamini-Hochberg): %d of %d points (%.1f%%)\n", s->fdr, s->flagged,
           s->points, 100.0 * s->flagged / s->points);
    printf("whole 95%% interval outside +-%g dB: %d points\n", s->tolerance_db, s->outside);
    if (isfinite(s->f_dev)) {
        const st_compare_point *p = NULL;
        for (int i = 0; i < c->length && !p; i++)
            if (c->points[i].freq == s->f_dev)
                p = &c->points[i];
        printf("f_dev = %.5g cycles/pixel (%.4g cycles per image of the real set): d = %+.2f dB, "
               "95%% [%+.2f, %+.2f], q = %.2g\n",
               s->f_dev, s->f_dev * real_side, p->diff_db, p->ci_low_db, p->ci_high_db, p->q);
        if (isfinite(s->t_dev))
            printf("t_dev = %.4f (%s, tau %g): the real set's f_max(t) reaches f_dev there\n",
                   s->t_dev, st_schedule_name(c->settings.schedule), c->settings.tau);
        else
            printf("t_dev: none (the real set's f_max does not reach f_dev inside the "
                   "schedule)\n");
    } else {
        printf("f_dev: none (no point's 95%% interval lies outside +-%g dB)\n", s->tolerance_db);
    }
    if (s->alpha_ok)
        printf("delta alpha = alpha_gen - alpha_real = %.3f - %.3f = %+.3f, 95%% [%+.3f, %+.3f] "
               "(Welch, df %.1f, p %.2g)\n",
               s->alpha_gen, s->alpha_real, s->alpha.difference, s->alpha.ci_low, s->alpha.ci_high,
               s->alpha.df, s->alpha.p);
    else
        printf("delta alpha: too few per-image fits (two per set needed)\n");
}

static double side_of(const st_accumulator *acc)
{
    st_accumulator_info info;
    st_accumulator_get_info(acc, &info);
    return info.side_min == info.side_max ? info.side_min : info.side_geometric_mean;
}

static void put_rows(FILE *file, const char *class_name, const comparison *c)
{
    for (int i = 0; i < c->length; i++) {
        const st_compare_point *p = &c->points[i];
        if (class_name)
            fprintf(file, "%s,", class_name);
        fprintf(file, "%.9g,%.9g,%.9g,%.9g,%.9g,%llu,%llu\n", p->freq, p->diff_db, p->ci_low_db,
                p->ci_high_db, p->q, (unsigned long long)p->n_real, (unsigned long long)p->n_gen);
    }
}

/* ---- the plot ---- */

static void add_mean(sv_plot *plot, const st_accumulator *acc, int on_rings, const char *label,
                     uint32_t rgb)
{
    st_curve_axis axis = on_rings ? ST_CURVE_RINGS : ST_CURVE_GRID;
    int n = st_accumulator_curve_length(acc, axis);
    st_curve_point *points = malloc(sizeof *points * (size_t)n);
    double *buffer = malloc(sizeof(double) * 4 * (size_t)n);
    if (!points || !buffer || st_accumulator_curve(acc, axis, points, n) != ST_OK) {
        free(points);
        free(buffer);
        return;
    }
    double *x = buffer, *y = buffer + n, *low = buffer + 2 * n, *high = buffer + 3 * n;
    st_accumulator_info info;
    st_accumulator_get_info(acc, &info);
    for (int i = 0; i < n; i++) {
        /* The points compare uses: two images or more, and half of the set. */
        int usable = i > 0 && points[i].count >= 2 && 2 * points[i].count >= info.images;
        x[i] = usable ? points[i].freq : NAN;
        y[i] = usable ? pow(10.0, points[i].mean_log10) : NAN;
        low[i] = usable ? pow(10.0, points[i].ci_low_log10) : NAN;
        high[i] = usable ? pow(10.0, points[i].ci_high_log10) : NAN;
    }
    sv_plot_add_band(plot, x, low, high, n, NULL, rgb, 0.3);
    sv_plot_add_curve(plot, x, y, n, label, rgb, SV_LINE_SOLID);
    free(points);
    free(buffer);
}

static void draw_compare(cairo_t *cr, double width, double height, void *user_data)
{
    const comparison *c = user_data;
    const st_compare_summary *s = &c->summary;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    sv_plot *top = sv_plot_new();
    sv_plot_set_title(top, "mean spectra (log-domain) with 95% intervals of the means");
    sv_plot_set_x_axis(top, "frequency (cycles/pixel)", SV_AXIS_LOG, 0, 0, 0);
    sv_plot_set_y_axis(top, "power", SV_AXIS_LOG, 0, 0);
    sv_plot_set_legend(top, SV_LEGEND_BOTTOM_LEFT);
    char label[320];
    snprintf(label, sizeof label, "real: %s", cli_basename(c->real_path));
    add_mean(top, c->real, s->on_rings, label, SV_COLOR_SIGNAL);
    snprintf(label, sizeof label, "gen: %s", cli_basename(c->gen_path));
    add_mean(top, c->gen, s->on_rings, label, SV_COLOR_NOISY);
    sv_plot_draw(top, cr, 0, 0, width, height * 0.55);
    sv_plot_free(top);

    int n = c->length;
    double *buffer = malloc(sizeof(double) * 4 * (size_t)(n > 0 ? n : 1));
    double *span = malloc(sizeof(double) * 9 * (size_t)(n > 0 ? n : 1));
    if (!buffer || !span) {
        free(buffer);
        free(span);
        return;
    }
    double *x = buffer, *d = buffer + n, *low = buffer + 2 * n, *high = buffer + 3 * n;
    double y_min = -s->tolerance_db, y_max = s->tolerance_db;
    for (int i = 0; i < n; i++) {
        x[i] = c->points[i].freq;
        d[i] = c->points[i].diff_db;
        low[i] = c->points[i].ci_low_db;
        high[i] = c->points[i].ci_high_db;
        y_min = fmin(y_min, low[i]);
        y_max = fmax(y_max, high[i]);
    }
    /* Flagged frequencies as vertical spans from half-way to each neighbour
     * (in log f): an isolated point shows too. */
    double *sx = span, *slow = span + 3 * n, *shigh = span + 6 * n;
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (!c->points[i].flagged) {
            sx[m] = slow[m] = shigh[m] = NAN;
            m++;
            continue;
        }
        double left = i > 0 ? sqrt(x[i - 1] * x[i]) : x[i];
        double right = i + 1 < n ? sqrt(x[i] * x[i + 1]) : x[i];
        sx[m] = left, slow[m] = y_min, shigh[m] = y_max, m++;
        sx[m] = right, slow[m] = y_min, shigh[m] = y_max, m++;
    }
    sv_plot *bottom = sv_plot_new();
    snprintf(label, sizeof label, "gen - real: %d of %d frequencies flagged (q < %.2g)", s->flagged,
             s->points, s->fdr);
    sv_plot_set_title(bottom, label);
    sv_plot_set_x_axis(bottom, "frequency (cycles/pixel)", SV_AXIS_LOG, 0, 0, 0);
    sv_plot_set_y_axis(bottom, "difference (dB)", SV_AXIS_DB, 0, 0);
    sv_plot_set_legend(bottom, SV_LEGEND_BOTTOM_LEFT);
    snprintf(label, sizeof label, "flagged (q < %.2g)", s->fdr);
    sv_plot_add_band(bottom, sx, slow, shigh, m, label, SV_COLOR_NOISE, 0.25);
    sv_plot_add_band(bottom, x, low, high, n, "95% interval", SV_COLOR_SIGNAL, 0.3);
    sv_plot_add_curve(bottom, x, d, n, "difference", SV_COLOR_SIGNAL, SV_LINE_SOLID);
    snprintf(label, sizeof label, "+-%g dB tolerance", s->tolerance_db);
    sv_plot_add_hline(bottom, s->tolerance_db, label, SV_COLOR_FIT, SV_LINE_DASHED);
    sv_plot_add_hline(bottom, -s->tolerance_db, NULL, SV_COLOR_FIT, SV_LINE_DASHED);
    sv_plot_add_hline(bottom, 0.0, NULL, SV_COLOR_PEAK, SV_LINE_DOTTED);
    if (isfinite(s->f_dev)) {
        snprintf(label, sizeof label, "f_dev = %.3g", s->f_dev);
        sv_plot_add_vline(bottom, s->f_dev, label, SV_COLOR_FMAX, SV_LINE_SOLID);
    }
    sv_plot_draw(bottom, cr, 0, height * 0.55, width, height * 0.45);
    sv_plot_free(bottom);
    free(buffer);
    free(span);
}

/* ---- --group-by parent ---- */

static int compare_classes(comparison *whole, class_list *real, class_list *gen, FILE *csv)
{
    qsort(real->items, (size_t)real->count, sizeof *real->items, by_name);
    qsort(gen->items, (size_t)gen->count, sizeof *gen->items, by_name);
    printf("\nper class (parent folder), %s, tolerance %g dB:\n",
           st_schedule_name(whole->settings.schedule), whole->settings.tolerance_db);
    printf("%-24s %6s %6s %6s %8s %10s %8s %22s\n", "class", "n_real", "n_gen", "points", "flagged",
           "f_dev", "t_dev", "delta alpha [95%]");
    int i = 0, j = 0, status = CLI_OK;
    while (i < real->count || j < gen->count) {
        int order = i == real->count  ? 1
                    : j == gen->count ? -1
                                      : strcmp(real->items[i].name, gen->items[j].name);
        if (order != 0) {
            const image_class *only = order < 0 ? &real->items[i++] : &gen->items[j++];
            printf("%-24s only in %s\n", only->name, order < 0 ? "REAL" : "GEN");
            continue;
        }
        const image_class *r = &real->items[i++], *g = &gen->items[j++];
        st_accumulator_info ri, gi;
        st_accumulator_get_info(r->acc, &ri);
        st_accumulator_get_info(g->acc, &gi);
        comparison c = *whole;
        c.real = r->acc;
        c.gen = g->acc;
        c.points = NULL;
        c.length = st_compare_length(c.real, c.gen);
        c.points = malloc(sizeof *c.points * (size_t)(c.length > 0 ? c.length : 1));
        st_status done =
            c.points ? st_compare_run(c.real, c.gen, &c.settings, c.points, c.length, &c.summary)
                     : ST_ERROR_MEMORY;
        if (done != ST_OK) {
            printf("%-24s %6llu %6llu  %s\n", r->name, (unsigned long long)ri.images,
                   (unsigned long long)gi.images,
                   done == ST_ERROR_ARGUMENT ? "fewer than two images in a set"
                   : done == ST_NOT_READY    ? "no frequency in common"
                                             : st_status_message(done));
            free(c.points);
            if (done == ST_ERROR_MEMORY)
                status = CLI_BAD_INPUT;
            continue;
        }
        const st_compare_summary *s = &c.summary;
        char f_dev[16] = "-", t_dev[16] = "-", alpha[48] = "-";
        if (isfinite(s->f_dev))
            snprintf(f_dev, sizeof f_dev, "%.4g", s->f_dev);
        if (isfinite(s->t_dev))
            snprintf(t_dev, sizeof t_dev, "%.3f", s->t_dev);
        if (s->alpha_ok)
            snprintf(alpha, sizeof alpha, "%+.3f [%+.3f, %+.3f]", s->alpha.difference,
                     s->alpha.ci_low, s->alpha.ci_high);
        printf("%-24s %6llu %6llu %6d %7.1f%% %10s %8s %22s\n", r->name,
               (unsigned long long)ri.images, (unsigned long long)gi.images, s->points,
               100.0 * s->flagged / s->points, f_dev, t_dev, alpha);
        if (csv)
            put_rows(csv, r->name, &c);
        free(c.points);
    }
    return status;
}

int cmd_compare(int argc, char **argv)
{
    const char *schedule_name = "rectified-flow", *group_by = NULL, *channel_name = NULL;
    const char *csv = NULL, *plot = NULL;
    double tolerance = 1.0, tau = 1.0;
    int skip_bad = 0;
    cli_option options[] = {
        {"schedule", CLI_STRING, &schedule_name, NULL, 0},
        {"tolerance-db", CLI_DOUBLE, &tolerance, NULL, 0},
        {"tau", CLI_DOUBLE, &tau, NULL, 0},
        {"group-by", CLI_STRING, &group_by, NULL, 0},
        {"channel", CLI_STRING, &channel_name, NULL, 0},
        {"skip-bad", CLI_FLAG, &skip_bad, NULL, 0},
        {"csv", CLI_STRING, &csv, NULL, 0},
        {"plot", CLI_STRING, &plot, NULL, 0},
    };
    const char *paths[2];
    int count = 0;
    int status =
        cli_parse("compare", compare_help, argc, argv, CLI_OPTIONS(options), paths, &count, 2);
    if (status != CLI_OK)
        return status;
    cli_image_options image = {ST_CHANNEL_GREEN};
    if ((status = cli_channel_option("compare", channel_name, &image.channel)) != CLI_OK)
        return status;
    comparison whole = {.real_path = paths[0], .gen_path = paths[1]};
    whole.settings.fdr = 0.05;
    if (st_schedule_from_name(schedule_name, &whole.settings.schedule) != ST_OK)
        return cli_usage_error("compare", "unknown schedule '%s' (see 'spectide schedules')",
                               schedule_name);
    if (!(tolerance > 0.0))
        return cli_usage_error("compare", "--tolerance-db must be positive");
    if (!(tau > 0.0))
        return cli_usage_error("compare", "--tau must be positive");
    whole.settings.tolerance_db = tolerance;
    whole.settings.tau = tau;
    if (group_by && strcmp(group_by, "parent") != 0)
        return cli_usage_error("compare", "--group-by knows only 'parent', not '%s'", group_by);
    if (count != 2)
        return cli_usage_error("compare", "needs two sets, REAL and GEN");
    if (plot && !cli_is_plot_path(plot))
        return cli_usage_error("compare", "--plot needs a .png or .svg file name, not '%s'", plot);

    class_list real_classes = {.options = &image}, gen_classes = {.options = &image};
    cli_gather_settings gather = {"compare", &image, skip_bad, group_by ? add_to_class : NULL,
                                  &real_classes};
    st_accumulator *real = NULL, *gen = NULL;
    int partial = 0;
    status = cli_dataset_gather(&gather, &paths[0], 1, NULL, &real);
    partial |= status == CLI_PARTIAL;
    gather.user = &gen_classes;
    if (real)
        status = cli_dataset_gather(&gather, &paths[1], 1, NULL, &gen);
    partial |= status == CLI_PARTIAL;
    status = real && gen ? CLI_OK : CLI_BAD_INPUT;
    whole.real = real;
    whole.gen = gen;
    if (status == CLI_OK)
        status = run_comparison("the whole sets", &whole);
    cli_outputs *outputs = status == CLI_OK ? cli_outputs_new() : NULL;
    if (status == CLI_OK && !outputs)
        status = CLI_BAD_INPUT;
    FILE *csv_file = NULL;
    if (status == CLI_OK && csv) {
        csv_file = cli_output_open(outputs, csv);
        if (!csv_file)
            status = CLI_BAD_INPUT;
    }
    if (status == CLI_OK) {
        cli_print_set("real", whole.real_path, real);
        cli_print_set("gen", whole.gen_path, gen);
        print_comparison(&whole, side_of(real));
        if (csv_file) {
            fputs(group_by ? "class,freq,diff_db,ci_low_db,ci_high_db,q,n_real,n_gen\n"
                           : "freq,diff_db,ci_low_db,ci_high_db,q,n_real,n_gen\n",
                  csv_file);
            put_rows(csv_file, group_by ? "*" : NULL, &whole);
        }
        if (group_by)
            status = compare_classes(&whole, &real_classes, &gen_classes, csv_file);
    }
    if (status == CLI_OK && plot)
        status = cli_output_plot(outputs, plot, 800, 800, draw_compare, &whole);
    if (status == CLI_OK)
        status = cli_outputs_commit(outputs);
    cli_outputs_free(outputs);
    free(whole.points);
    class_list_free(&real_classes);
    class_list_free(&gen_classes);
    st_accumulator_free(real);
    st_accumulator_free(gen);
    return status == CLI_OK && partial ? CLI_PARTIAL : status;
}
