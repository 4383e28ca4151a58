/* Datasets on the command line: the loop over the inputs into an
 * accumulator, accumulator files, and the report every dataset command
 * prints and writes (dataset.c, report.c). The numbers come from core's
 * st_accumulator; this only moves them between files, the terminal and view/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_CLI_DATASET_H
#define SPECTIDE_CLI_DATASET_H

#include "image_spectrum.h"
#include "inputs.h"
#include "spectide_accumulator.h"

#include <stdint.h>

/* Sees each analysed image in input order (per-image output, plots). */
typedef int (*cli_spectrum_visitor)(const char *path, const cli_spectrum *spectrum, void *user);

typedef struct {
    uint64_t used;    /* images analysed (and added) */
    uint64_t skipped; /* bad inputs passed over with skip_bad */
} cli_dataset_counts;

/* Every input through cli_image_spectrum, one at a time (memory does not
 * grow with the number of files), added to `acc` (may be NULL) and shown to
 * `visit` (may be NULL; a status other than CLI_OK from it ends the run).
 * A file that cannot be used (unreadable, damaged, a constant image with no
 * power) is named on stderr with the reason; with skip_bad it is counted as
 * skipped (in acc too) and the run goes on, else the run ends there with
 * CLI_BAD_INPUT after saying how many files were done. Returns CLI_OK,
 * CLI_PARTIAL (skip_bad and something skipped) or CLI_BAD_INPUT. `command`
 * names the subcommand in messages. */
int cli_dataset_accumulate(const char *command, cli_inputs *inputs,
                           const cli_image_options *options, int skip_bad, st_accumulator *acc,
                           cli_spectrum_visitor visit, void *user, cli_dataset_counts *counts);

/* An empty accumulator for images analysed with `options`; NULL (message
 * printed) on failure. */
st_accumulator *cli_accumulator_new(const cli_image_options *options);
/* Reads an accumulator file (.stacc). NULL with a message naming the file
 * and the reason (not an accumulator, damaged, truncated, a later format). */
st_accumulator *cli_accumulator_load(const char *path);
/* Writes `acc` through `outputs` (a temporary file renamed at commit). */
int cli_accumulator_save(cli_outputs *outputs, const char *path, const st_accumulator *acc);

/* The summary of --average and report, on stdout: the fit of the mean
 * (count, alpha, c, R^2), the per-image fits, provenance. */
void cli_report_print(const st_accumulator *acc);
/* CSV freq,power,ci_low,ci_high,count,sd_log10,mean_power: one row per point
 * that some image covers (DC first): power = 10^(mean log10 P), its 95%
 * confidence band, the number of images, the spread of log10 P over images
 * and the arithmetic mean of P. */
int cli_report_csv(cli_outputs *outputs, const char *path, const st_accumulator *acc);
/* The mean spectrum with its 95% band, the spread over images and the fit. */
int cli_report_plot(cli_outputs *outputs, const char *path, const st_accumulator *acc);

#endif
