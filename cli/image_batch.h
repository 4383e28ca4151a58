/* The file loop of the image commands: inputs (inputs.h) through the worker
 * pool (pool.h), each file decoded (pixels.h) and its RAPSD and power-law
 * fit computed in a worker, the results handed to the command in input
 * order, with --skip-bad and a progress line.
 *
 * Unreadable files: each is reported on stderr with its path and the
 * reason. With skip_bad the run goes on, and ends with the count of files
 * skipped (the command then exits CLI_PARTIAL); without, it stops at the
 * first one, saying how many files were analysed before it.
 *
 * Progress: on a terminal (stderr), after 2 s (SPECTIDE_PROGRESS_DELAY
 * seconds), a line with the files done, files/s and files skipped, updated
 * four times a second and cleared at the end; nothing when stderr is not a
 * terminal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_CLI_IMAGE_BATCH_H
#define SPECTIDE_CLI_IMAGE_BATCH_H

#include "inputs.h"
#include "spectide.h"

typedef struct {
    const char *path;
    const char *format; /* what the loader read, e.g. "PNG 16-bit gray" */
    int width, height;
    int rings;
    const double *freq;  /* rings: r / L cycles/pixel */
    const double *power; /* rings: RAPSD, as st_rapsd_run */
    st_powerlaw fit;     /* st_powerlaw_fit over every ring but DC */
    int fit_ok;
} cli_batch_image;

/* Takes one result (main thread, input order; the arrays are valid during
 * the call). CLI_OK goes on; anything else stops the run with that status. */
typedef int (*cli_batch_take)(const cli_batch_image *image, void *user);

typedef struct {
    st_channel channel;
    int jobs;          /* workers (1 .. CLI_POOL_MAX_JOBS) */
    int skip_bad;      /* report unreadable files and go on */
    int color_managed; /* see pixels.h */
    int progress;      /* 1: progress line if stderr is a terminal; 0: never */
} cli_batch_settings;

typedef struct {
    unsigned long long analysed, skipped;
} cli_batch_counts;

/* CLI_OK when every input was handed to `take` or skipped (counts tell),
 * CLI_BAD_INPUT after the first unreadable file without skip_bad (message
 * printed), or the status `take` stopped with. */
int cli_batch_run(cli_inputs *inputs, const cli_batch_settings *settings, cli_batch_take take,
                  void *user, cli_batch_counts *counts);

/* --jobs: 0 means the CPU count; CLI_OK or a usage error for `command`. */
int cli_jobs_option(const char *command, int requested, int *jobs);

#endif
