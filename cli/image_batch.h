/* The file loop of the image commands: inputs (inputs.h) through the worker
 * pool (pool.h); each file is decoded and its RAPSD and fit computed in a
 * worker (cli_image_analyse), and the results are handed to the command in
 * input order in the calling thread, so every output is the same for any
 * number of workers. dataset.h's cli_dataset_accumulate is built on it.
 *
 * Unreadable files: each is named on stderr with the reason, in input order.
 * With skip_bad the run goes on and ends with a count (CLI_PARTIAL); without,
 * it stops at the first one, saying how many files were done before it.
 *
 * Progress: on a terminal (stderr), after 2 s (SPECTIDE_PROGRESS_DELAY
 * seconds), a line with the files done, files/s and files skipped, updated
 * four times a second; its last state stays on its own line at the end.
 * Nothing when stderr is not a terminal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_CLI_IMAGE_BATCH_H
#define SPECTIDE_CLI_IMAGE_BATCH_H

#include "image_spectrum.h"
#include "inputs.h"

#include <stdint.h>

/* What `take` returns for a file that it cannot use (it printed why): the
 * file is then counted as unreadable (skipped with skip_bad). */
#define CLI_BATCH_UNUSABLE 64

/* Takes one result (calling thread, input order; the spectrum is valid
 * during the call). CLI_OK: used; CLI_BATCH_UNUSABLE: a bad file; anything
 * else stops the run with that status. */
typedef int (*cli_batch_take)(const char *path, const cli_spectrum *spectrum, void *user);

typedef struct {
    const char *command; /* names the subcommand in messages */
    cli_image_options image;
    int skip_bad;
    int progress; /* 1: the progress line on a terminal */
} cli_batch_settings;

typedef struct {
    uint64_t used;    /* images taken */
    uint64_t skipped; /* bad inputs passed over with skip_bad */
} cli_batch_counts;

/* CLI_OK, CLI_PARTIAL (skip_bad and something skipped), CLI_BAD_INPUT
 * (stopped at a bad file, or the pool could not start; message printed) or
 * the status `take` stopped with. */
int cli_batch_run(cli_inputs *inputs, const cli_batch_settings *settings, cli_batch_take take,
                  void *user, cli_batch_counts *counts);

/* --jobs: 0 means one per CPU; CLI_OK or a usage error for `command`. */
int cli_jobs_option(const char *command, int requested, int *jobs);

#endif
