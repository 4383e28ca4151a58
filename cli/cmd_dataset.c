/* spectide merge and spectide report: accumulators of datasets (made by
 * `rapsd --accumulate`, one per shard) combined and reported.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "dataset.h"

#include <stdlib.h>
#include <string.h>

static const char merge_help[] =
    "usage: spectide merge -o OUT.stacc IN.stacc...\n"
    "\n"
    "Merges accumulators (from 'spectide rapsd --accumulate', e.g. one per shard\n"
    "of a dataset) into one. The sums are exact integers: the result is the same,\n"
    "byte for byte, for any order and grouping of the inputs, and equals one run\n"
    "over all their images. Inputs must share the channel, the pixel mapping, the\n"
    "frequency grid and the spectide version.\n"
    "\n"
    "  -o, --output FILE  the merged accumulator (written atomically)\n"
    "\n"
    "Exit status: 0 success, 1 unreadable or incompatible input, 2 bad usage.\n";

static const char report_help[] =
    "usage: spectide report [--csv FILE] [--plot FILE.png|FILE.svg] ACC.stacc...\n"
    "\n"
    "The result of one or more accumulators (merged first), as\n"
    "'spectide rapsd --average' prints it: the power-law fit of the log-domain\n"
    "mean spectrum (count, alpha, c, R^2), the per-image fits (mean, sd and 95%\n"
    "confidence interval of alpha) and the provenance (channel, image sizes,\n"
    "files skipped, spectide version).\n"
    "\n"
    "  --csv FILE    header 'freq,power,ci_low,ci_high,count,sd_log10,mean_power':\n"
    "                per frequency (the rings when every image has the same longest\n"
    "                side, else the accumulator's log-spaced grid; DC first) the\n"
    "                geometric mean power 10^(mean log10 P), the 95% confidence band\n"
    "                of that mean (Student t), the number of images covering the\n"
    "                point, the standard deviation of log10 P over those images and\n"
    "                the arithmetic mean of P\n"
    "  --plot FILE   the mean spectrum with its 95% band, the spread over images\n"
    "                and the fit (PNG or SVG by extension)\n"
    "\n"
    "Exit status: 0 success, 1 unreadable or incompatible input, 2 bad usage.\n";

/* Why two accumulators cannot be merged, in words. */
static void explain_mismatch(const char *first, const st_accumulator *a, const char *second,
                             const st_accumulator *b)
{
    st_accumulator_info x, y;
    st_accumulator_get_info(a, &x);
    st_accumulator_get_info(b, &y);
    if (strcmp(x.channel, y.channel) != 0)
        cli_error("%s: channel %s, but %s has channel %s: they cannot be merged", second, y.channel,
                  first, x.channel);
    else if (strcmp(x.mapping, y.mapping) != 0)
        cli_error("%s: pixel mapping '%s', but %s has '%s': they cannot be merged", second,
                  y.mapping, first, x.mapping);
    else if (strcmp(x.version, y.version) != 0)
        cli_error("%s: made by spectide %s, but %s by spectide %s: remake one with the same "
                  "version",
                  second, y.version, first, x.version);
    else
        cli_error("%s: a grid of %d points per octave, but %s has %d: they cannot be merged",
                  second, y.points_per_octave, first, x.points_per_octave);
}

/* Loads and merges every path. NULL (message printed) on failure. */
static st_accumulator *merge_files(const char *const *paths, int count)
{
    st_accumulator *total = cli_accumulator_load(paths[0]);
    for (int i = 1; total && i < count; i++) {
        st_accumulator *next = cli_accumulator_load(paths[i]);
        if (!next) {
            st_accumulator_free(total);
            return NULL;
        }
        st_status status = st_accumulator_merge(total, next);
        if (status == ST_ERROR_MISMATCH)
            explain_mismatch(paths[0], total, paths[i], next);
        else if (status != ST_OK)
            cli_error("%s: cannot be merged: %s", paths[i], st_status_message(status));
        st_accumulator_free(next);
        if (status != ST_OK) {
            st_accumulator_free(total);
            return NULL;
        }
    }
    return total;
}

int cmd_merge(int argc, char **argv)
{
    const char *output = NULL;
    cli_option options[] = {
        {"output", CLI_STRING, &output, NULL, 'o'},
    };
    const char **inputs = malloc(sizeof *inputs * (size_t)(argc > 0 ? argc : 1));
    if (!inputs)
        return CLI_BAD_INPUT;
    int count = 0;
    int status =
        cli_parse("merge", merge_help, argc, argv, CLI_OPTIONS(options), inputs, &count, argc);
    if (status == CLI_OK && !output)
        status = cli_usage_error("merge", "-o OUT.stacc is required");
    if (status == CLI_OK && count == 0)
        status = cli_usage_error("merge", "no accumulator given");
    st_accumulator *total = status == CLI_OK ? merge_files(inputs, count) : NULL;
    if (status == CLI_OK && !total)
        status = CLI_BAD_INPUT;
    if (status == CLI_OK) {
        cli_outputs *outputs = cli_outputs_new();
        status = outputs ? cli_accumulator_save(outputs, output, total) : CLI_BAD_INPUT;
        if (status == CLI_OK)
            status = cli_outputs_commit(outputs);
        cli_outputs_free(outputs);
    }
    if (status == CLI_OK) {
        st_accumulator_info info;
        st_accumulator_get_info(total, &info);
        printf("merged %d accumulator%s: %llu image%s, %llu file%s skipped, into %s\n", count,
               count == 1 ? "" : "s", (unsigned long long)info.images, info.images == 1 ? "" : "s",
               (unsigned long long)info.skipped, info.skipped == 1 ? "" : "s", output);
    }
    st_accumulator_free(total);
    free(inputs);
    return status;
}

int cmd_report(int argc, char **argv)
{
    const char *csv = NULL, *plot = NULL;
    cli_option options[] = {
        {"csv", CLI_STRING, &csv, NULL, 0},
        {"plot", CLI_STRING, &plot, NULL, 0},
    };
    const char **inputs = malloc(sizeof *inputs * (size_t)(argc > 0 ? argc : 1));
    if (!inputs)
        return CLI_BAD_INPUT;
    int count = 0;
    int status =
        cli_parse("report", report_help, argc, argv, CLI_OPTIONS(options), inputs, &count, argc);
    if (status == CLI_OK && count == 0)
        status = cli_usage_error("report", "no accumulator given");
    if (status == CLI_OK && plot && !cli_is_plot_path(plot))
        status = cli_usage_error("report", "--plot needs a .png or .svg file name, not '%s'", plot);
    st_accumulator *total = status == CLI_OK ? merge_files(inputs, count) : NULL;
    if (status == CLI_OK && !total)
        status = CLI_BAD_INPUT;
    if (status == CLI_OK) {
        st_accumulator_info info;
        st_accumulator_get_info(total, &info);
        if (info.images == 0) {
            cli_error("%s: no image in the accumulator%s (%llu file%s skipped)", inputs[0],
                      count == 1 ? "" : "s", (unsigned long long)info.skipped,
                      info.skipped == 1 ? "" : "s");
            status = CLI_BAD_INPUT;
        }
    }
    if (status == CLI_OK) {
        cli_outputs *outputs = cli_outputs_new();
        if (!outputs)
            status = CLI_BAD_INPUT;
        if (status == CLI_OK && csv)
            status = cli_report_csv(outputs, csv, total);
        if (status == CLI_OK && plot)
            status = cli_report_plot(outputs, plot, total);
        if (status == CLI_OK)
            status = cli_outputs_commit(outputs);
        cli_outputs_free(outputs);
        if (status == CLI_OK)
            cli_report_print(total);
    }
    st_accumulator_free(total);
    free(inputs);
    return status;
}
