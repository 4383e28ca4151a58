/* spectide shift: the resolution shift of a noise schedule measured from two
 * datasets' spectra (core: st_shift_measure).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "dataset_input.h"

#include "spectide_shift.h"
#include "spectide_view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char shift_help[] =
    "usage: spectide shift [--schedule NAME] [--weight uniform|logit-normal] [--tau X]\n"
    "                      [--steps N] [--channel C] [--skip-bad] [--csv FILE]\n"
    "                      [--plot FILE.png|FILE.svg] BASE TARGET\n"
    "\n"
    "The schedule shift from the BASE set (e.g. the resolution a model was trained\n"
    "at) to the TARGET set, measured from their mean spectra. At each t the base\n"
    "drowns every structure above u* = L_base f_max_base(t) cycles per image; t' is\n"
    "the time at which the target drowns the same u*: L_target f_max_target(t') = u*.\n"
    "Printed per t: t', the log-SNR offset ln SNR(t) - ln SNR(t') and the equivalent\n"
    "rectified-flow shift k(t) = exp(offset / 2) = (t'/(1-t')) / (t/(1-t)) (SD3's\n"
    "t' = k t / (1 + (k-1) t)); then one k fitted by least squares in ln k, weighted by\n"
    "the training density of t, with its spread, and the rules of thumb for the same\n"
    "sizes (SD3's sqrt(m/n), simple diffusion's 2 ln(L_target/L_base)). A spread\n"
    "above 0.2 in ln k means no single shift fits the pair: use the table.\n"
    "\n"
    "BASE and TARGET are each an image folder (recursive), an image file, @LIST (a\n"
    "file of paths, one per line; @- for stdin) or an accumulator (.stacc, from\n"
    "'spectide rapsd --accumulate', read without touching the images).\n"
    "L is the longest side of a set's images; for mixed sizes the geometric mean of\n"
    "the longest sides. f_max(t) is read off the log-domain mean spectrum, linear in\n"
    "log-log between points, so t' is not quantised to rings. The numbers describe\n"
    "the two distributions of images, not any single image.\n"
    "\n"
    "  --schedule S   the schedule of t (default rectified-flow; see 'spectide schedules')\n"
    "  --weight W     training density of t for the fit: uniform (default) or\n"
    "                 logit-normal (SD3's logit(t) ~ N(0, 1))\n"
    "  --tau X        SNR threshold of f_max (default 1)\n"
    "  --steps N      t = i/(N-1), i = 0..N-1 (default 101; at least 3)\n"
    "  --channel C    analysis channel of image inputs: green (default), luma, red, blue\n"
    "  --skip-bad     pass over unreadable images (named on stderr; exit 3)\n"
    "  --csv FILE     header 't,t_shifted,k,log_snr_shift,cycles,fmax_base,fmax_target,\n"
    "                 weight': every t; empty fields where t' or k is not defined\n"
    "  --plot FILE    both f_max curves in cycles per image against t, and k(t)\n"
    "\n"
    "Exit status: 0 success, 1 bad input or no t with a shift, 2 bad usage, 3 partial.\n";

typedef struct {
    const char *base_path, *target_path;
    st_shift_settings settings;
    int steps;
    st_shift_row *rows;
    st_shift_summary summary;
    double *own_target_cycles; /* L_target f_max_target(t) at the same t, for the plot */
    int mixed;                 /* a set of several sizes: L^2 stands for its pixel count */
} shift_result;

static void put_field(FILE *file, double value, const char *separator)
{
    if (isfinite(value))
        fprintf(file, "%.9g", value);
    fputs(separator, file);
}

static int write_csv(cli_outputs *outputs, const char *path, const shift_result *r)
{
    FILE *file = cli_output_open(outputs, path);
    if (!file)
        return CLI_BAD_INPUT;
    fputs("t,t_shifted,k,log_snr_shift,cycles,fmax_base,fmax_target,weight\n", file);
    for (int i = 0; i < r->steps; i++) {
        const st_shift_row *row = &r->rows[i];
        put_field(file, row->t, ",");
        put_field(file, row->t_shifted, ",");
        put_field(file, row->k, ",");
        put_field(file, row->log_snr_shift, ",");
        put_field(file, row->cycles, ",");
        put_field(file, row->fmax_base, ",");
        put_field(file, row->fmax_target, ",");
        put_field(file, row->weight, "\n");
    }
    return CLI_OK;
}

static void draw_shift(cairo_t *cr, double width, double height, void *user_data)
{
    const shift_result *r = user_data;
    int n = r->steps;
    double *t = malloc(sizeof(double) * n), *base = malloc(sizeof(double) * n);
    double *k = malloc(sizeof(double) * n);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    if (!t || !base || !k) {
        free(t), free(base), free(k);
        return;
    }
    for (int i = 0; i < n; i++) {
        t[i] = r->rows[i].t;
        /* Where the base's f_max lies inside its curve (0 and the top are limits). */
        int inside =
            r->rows[i].limit == ST_SHIFT_DEFINED || r->rows[i].limit == ST_SHIFT_OUTSIDE_TARGET;
        base[i] = inside ? r->rows[i].cycles : NAN;
        k[i] = r->rows[i].k;
    }
    sv_plot *top = sv_plot_new();
    char title[160];
    snprintf(title, sizeof title, "f_max in cycles per image (%s, tau %g)",
             st_schedule_name(r->settings.schedule), r->settings.tau);
    sv_plot_set_title(top, title);
    sv_plot_set_x_axis(top, "t", SV_AXIS_LINEAR, 0.0, 1.0, 0);
    sv_plot_set_y_axis(top, "u = L f_max (cycles per image)", SV_AXIS_LOG, 0, 0);
    sv_plot_set_legend(top, SV_LEGEND_BOTTOM_LEFT);
    char label[200];
    snprintf(label, sizeof label, "base, L = %.4g px", r->summary.side_base);
    sv_plot_add_curve(top, t, base, n, label, SV_COLOR_SIGNAL, SV_LINE_SOLID);
    snprintf(label, sizeof label, "target, L = %.4g px", r->summary.side_target);
    sv_plot_add_curve(top, t, r->own_target_cycles, n, label, SV_COLOR_NOISY, SV_LINE_SOLID);
    sv_plot_draw(top, cr, 0, 0, width, height * 0.55);
    sv_plot_free(top);

    sv_plot *bottom = sv_plot_new();
    snprintf(title, sizeof title, "equivalent shift k(t) = exp((ln SNR(t) - ln SNR(t')) / 2)");
    sv_plot_set_title(bottom, title);
    sv_plot_set_x_axis(bottom, "t", SV_AXIS_LINEAR, 0.0, 1.0, 0);
    sv_plot_set_y_axis(bottom, "k", SV_AXIS_LINEAR, 0, 0);
    sv_plot_set_legend(bottom, SV_LEGEND_TOP_LEFT);
    sv_plot_add_curve(bottom, t, k, n, "k(t)", SV_COLOR_SIGNAL, SV_LINE_SOLID);
    if (isfinite(r->summary.k)) {
        double low[2] = {r->summary.k / r->summary.spread, r->summary.k / r->summary.spread};
        double high[2] = {r->summary.k * r->summary.spread, r->summary.k * r->summary.spread};
        double ends[2] = {0.0, 1.0};
        snprintf(label, sizeof label, "fitted k = %.3f, spread x/ %.3f (%s)", r->summary.k,
                 r->summary.spread, st_shift_weight_name(r->settings.weight));
        sv_plot_add_band(bottom, ends, low, high, 2, NULL, SV_COLOR_SIGNAL, 0.15);
        sv_plot_add_hline(bottom, r->summary.k, label, SV_COLOR_FIT, SV_LINE_DASHED);
    }
    snprintf(label, sizeof label, "SD3 sqrt(m/n) = %.3f", r->summary.k_sd3);
    sv_plot_add_hline(bottom, r->summary.k_sd3, label, SV_COLOR_NOISE, SV_LINE_DOTTED);
    if (fabs(r->summary.k_simple - r->summary.k_sd3) > 1e-9) {
        snprintf(label, sizeof label, "simple diffusion L_t/L_b = %.3f", r->summary.k_simple);
        sv_plot_add_hline(bottom, r->summary.k_simple, label, SV_COLOR_FMAX, SV_LINE_DOTTED);
    }
    sv_plot_draw(bottom, cr, 0, height * 0.55, width, height * 0.45);
    sv_plot_free(bottom);
    free(t), free(base), free(k);
}

static void print_result(const shift_result *r)
{
    const st_shift_summary *s = &r->summary;
    printf("schedule %s, tau %g, weight %s; u* = L_base f_max_base(t) (cycles per image)\n",
           st_schedule_name(r->settings.schedule), r->settings.tau,
           st_shift_weight_name(r->settings.weight));
    printf("%6s %8s %8s %10s %10s %10s %10s\n", "t", "t'", "k(t)", "dlogSNR", "u*", "fmax_base",
           "fmax_targ");
    int every = (r->steps - 1) / 20 > 1 ? (r->steps - 1) / 20 : 1;
    for (int i = 1; i < r->steps - 1; i++) {
        const st_shift_row *row = &r->rows[i];
        if (i % every != 0)
            continue;
        if (!row->defined) {
            const char *why = row->limit == ST_SHIFT_BASE_DROWNED ? "the base is drowned"
                              : row->limit == ST_SHIFT_BASE_CLEAR
                                  ? "the base is clear up to its last ring"
                              : row->limit == ST_SHIFT_OUTSIDE_TARGET ? "u* beyond the target"
                                                                      : "no noise floor";
            printf("%6.3f %8s %8s %10s %10.4g %10.4g %10s  (%s)\n", row->t, "-", "-", "-",
                   row->cycles, row->fmax_base, "-", why);
            continue;
        }
        char shifted[16];
        if (isfinite(row->t_shifted))
            snprintf(shifted, sizeof shifted, "%.4f", row->t_shifted);
        else
            snprintf(shifted, sizeof shifted, "beyond");
        printf("%6.3f %8s %8.4f %10.4f %10.4g %10.4g %10.4g\n", row->t, shifted, row->k,
               row->log_snr_shift, row->cycles, row->fmax_base, row->fmax_target);
    }
    printf("(every %d%s of %d t; --csv has all)\n", every,
           every == 1   ? "st"
           : every == 2 ? "nd"
           : every == 3 ? "rd"
                        : "th",
           r->steps);
    if (isfinite(s->k)) {
        printf("fitted k = %.4f (log-SNR offset %.4f), spread x/ %.4f (weighted sd of ln k %.4f)\n",
               s->k, s->log_snr_shift, s->spread, s->log_k_sd);
        printf("  over %d of %d t, %.1f%% of the %s training weight\n", s->rows_defined,
               r->steps - 2, 100.0 * s->weight_covered, st_shift_weight_name(r->settings.weight));
    }
    printf("rules of thumb: SD3 sqrt(m/n) = %.4f (m = %.0f, n = %.0f %s); simple diffusion "
           "2 ln(L_target/L_base) = %.4f (k = %.4f)\n",
           s->k_sd3, s->pixels_target, s->pixels_base, r->mixed ? "= L^2, mixed sizes" : "px",
           s->log_snr_shift_simple, s->k_simple);
    if (isfinite(s->k) && s->single_shift_fits)
        printf("one shift fits: the spread of ln k is %.3f, within the limit %.2f\n", s->log_k_sd,
               ST_SHIFT_SPREAD_LIMIT);
    else if (isfinite(s->k))
        printf("NO SINGLE SHIFT FITS: the spread of ln k is %.3f, above the limit %.2f (k varies "
               "by more than x/ %.2f over the training times); use k(t) from the table\n",
               s->log_k_sd, ST_SHIFT_SPREAD_LIMIT, exp(ST_SHIFT_SPREAD_LIMIT));
}

/* L_target f_max_target(t) of the target's own curve at each t. */
static int target_cycles(const st_accumulator *target, shift_result *r)
{
    r->own_target_cycles = malloc(sizeof(double) * r->steps);
    st_fmax_curve *curve = st_fmax_curve_new(target, NULL);
    if (!r->own_target_cycles || !curve) {
        st_fmax_curve_free(curve);
        return CLI_BAD_INPUT;
    }
    double low, high, side = st_fmax_curve_side(curve);
    st_fmax_curve_range(curve, &low, &high);
    for (int i = 0; i < r->steps; i++) {
        double floor = st_noise_floor(r->settings.schedule, r->rows[i].t, r->settings.tau);
        double f = st_fmax_curve_fmax(curve, floor);
        /* Only where f_max is inside the curve (0 and the top are limits). */
        r->own_target_cycles[i] = f > 0.0 && f < high ? f * side : NAN;
    }
    st_fmax_curve_free(curve);
    return CLI_OK;
}

int cmd_shift(int argc, char **argv)
{
    const char *schedule_name = "rectified-flow", *weight_name = "uniform", *channel_name = NULL;
    const char *csv = NULL, *plot = NULL;
    double tau = 1.0;
    int steps = 101, skip_bad = 0;
    cli_option options[] = {
        {"schedule", CLI_STRING, &schedule_name, NULL, 0},
        {"weight", CLI_STRING, &weight_name, NULL, 0},
        {"tau", CLI_DOUBLE, &tau, NULL, 0},
        {"steps", CLI_INT, &steps, NULL, 0},
        {"channel", CLI_STRING, &channel_name, NULL, 0},
        {"skip-bad", CLI_FLAG, &skip_bad, NULL, 0},
        {"csv", CLI_STRING, &csv, NULL, 0},
        {"plot", CLI_STRING, &plot, NULL, 0},
    };
    const char *paths[2];
    int count = 0;
    int status = cli_parse("shift", shift_help, argc, argv, CLI_OPTIONS(options), paths, &count, 2);
    if (status != CLI_OK)
        return status;
    shift_result r = {.steps = steps};
    cli_image_options image = {ST_CHANNEL_GREEN};
    if ((status = cli_channel_option("shift", channel_name, &image.channel)) != CLI_OK)
        return status;
    if (st_schedule_from_name(schedule_name, &r.settings.schedule) != ST_OK)
        return cli_usage_error("shift", "unknown schedule '%s' (see 'spectide schedules')",
                               schedule_name);
    if (st_shift_weight_from_name(weight_name, &r.settings.weight) != ST_OK)
        return cli_usage_error("shift", "--weight must be uniform or logit-normal, not '%s'",
                               weight_name);
    if (!(tau > 0.0))
        return cli_usage_error("shift", "--tau must be positive");
    r.settings.tau = tau;
    if (steps < 3 || steps > 100000)
        return cli_usage_error("shift", "--steps must be between 3 and 100000");
    if (count != 2)
        return cli_usage_error("shift", "needs two sets, BASE and TARGET");
    if (plot && !cli_is_plot_path(plot))
        return cli_usage_error("shift", "--plot needs a .png or .svg file name, not '%s'", plot);
    r.base_path = paths[0];
    r.target_path = paths[1];

    cli_gather_settings gather = {"shift", &image, skip_bad, NULL, NULL};
    st_accumulator *base = NULL, *target = NULL;
    int partial = 0;
    status = cli_dataset_gather(&gather, &paths[0], 1, NULL, &base);
    partial |= status == CLI_PARTIAL;
    if (base)
        status = cli_dataset_gather(&gather, &paths[1], 1, NULL, &target);
    partial |= status == CLI_PARTIAL;
    if (!base || !target) {
        st_accumulator_free(base);
        st_accumulator_free(target);
        return CLI_BAD_INPUT;
    }
    r.rows = calloc((size_t)steps, sizeof *r.rows);
    st_status measured =
        r.rows ? st_shift_measure(base, target, &r.settings, r.rows, steps, &r.summary)
               : ST_ERROR_MEMORY;
    status = CLI_OK;
    if (measured == ST_ERROR_MISMATCH) {
        cli_explain_mismatch("shift", r.base_path, base, r.target_path, target);
        status = CLI_BAD_INPUT;
    } else if (measured == ST_ERROR_ARGUMENT) {
        cli_error("shift: a set's images are too small for a spectrum (two rings or more)");
        status = CLI_BAD_INPUT;
    } else if (measured == ST_ERROR_MEMORY) {
        cli_error("shift: out of memory");
        status = CLI_BAD_INPUT;
    }
    if (status == CLI_OK)
        status = target_cycles(target, &r);
    st_accumulator_info base_info, target_info;
    st_accumulator_get_info(base, &base_info);
    st_accumulator_get_info(target, &target_info);
    r.mixed = base_info.width_min != base_info.width_max ||
              base_info.height_min != base_info.height_max ||
              target_info.width_min != target_info.width_max ||
              target_info.height_min != target_info.height_max;
    if (status == CLI_OK) {
        cli_print_set("base", r.base_path, base);
        cli_print_set("target", r.target_path, target);
        print_result(&r);
        if (measured == ST_NOT_READY) {
            cli_error("shift: no t of the grid has a shift: the base's f_max never lies inside "
                      "its spectrum while the same cycles per image lie inside the target's");
            status = CLI_BAD_INPUT;
        }
    }
    cli_outputs *outputs = status == CLI_OK ? cli_outputs_new() : NULL;
    if (status == CLI_OK && !outputs)
        status = CLI_BAD_INPUT;
    if (status == CLI_OK && csv)
        status = write_csv(outputs, csv, &r);
    if (status == CLI_OK && plot)
        status = cli_output_plot(outputs, plot, 800, 800, draw_shift, &r);
    if (status == CLI_OK)
        status = cli_outputs_commit(outputs);
    cli_outputs_free(outputs);
    free(r.rows);
    free(r.own_target_cycles);
    st_accumulator_free(base);
    st_accumulator_free(target);
    return status == CLI_OK && partial ? CLI_PARTIAL : status;
}
