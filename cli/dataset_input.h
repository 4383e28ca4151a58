/* The dataset arguments of the commands that read whole sets (shift,
 * compare, fmax): any mix of accumulator files (.stacc, read and merged),
 * image files, folders and file lists, into one accumulator. Images go
 * through the one loop of the dataset commands (cli_dataset_accumulate), so
 * a set is analysed the same way whatever command reads it, and a set read
 * once (`rapsd --accumulate`) never needs to be read again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_CLI_DATASET_INPUT_H
#define SPECTIDE_CLI_DATASET_INPUT_H

#include "dataset.h"

typedef struct {
    const char *command;              /* names the subcommand in messages */
    const cli_image_options *options; /* how images are analysed */
    int skip_bad;                     /* pass over bad image files (exit 3) */
    /* Optional: sees every analysed image (not those inside accumulator
     * files: with a visitor an accumulator argument is refused). */
    cli_spectrum_visitor visit;
    void *user;
} cli_gather_settings;

/* 1 if `path` names an accumulator file (ends in .stacc, any case). */
int cli_is_accumulator_name(const char *path);

/* One dataset from paths[count] and the lines of files_from (NULL: none;
 * "-": stdin): accumulator files are read and merged, image files and
 * folders (walked recursively) analysed into the same accumulator; an
 * argument "@FILE" is the file list FILE (one path per line; "@-": stdin),
 * so that two sets can each have their list. *acc is the result (the
 * caller frees it) or NULL. Returns CLI_OK, CLI_PARTIAL (skip_bad and some
 * files skipped; *acc holds the others) or CLI_BAD_INPUT (message printed,
 * *acc NULL), also when no image at all was found. */
int cli_dataset_gather(const cli_gather_settings *settings, const char *const *paths, int count,
                       const char *files_from, st_accumulator **acc);

/* The parent folder's name of an image path ("." for a bare file name):
 * the class of --group-by parent. Writes at most `size` bytes. */
void cli_parent_name(const char *path, char *name, size_t size);

/* Explains on stderr why two sets cannot be combined or compared (channel,
 * pixel mapping or grid). */
void cli_explain_mismatch(const char *command, const char *first, const st_accumulator *a,
                          const char *second, const st_accumulator *b);

/* One line on stdout describing a set: "LABEL: PATH: N images, W..WxH..H px,
 * side L px (geometric mean of the longest sides when they differ)". */
void cli_print_set(const char *label, const char *path, const st_accumulator *acc);

#endif
