/* The image inputs of the dataset commands: files, folders (recursive,
 * sorted) and --files-from lists, streamed one path at a time (inputs.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_CLI_INPUTS_H
#define SPECTIDE_CLI_INPUTS_H

#include "cli.h"

typedef struct cli_inputs cli_inputs;

/* paths[count] as given (kept, not copied); files_from NULL, a file of one
 * path per line, or "-" for stdin. NULL if out of memory. */
cli_inputs *cli_inputs_new(const char *const *paths, int count, const char *files_from);
/* The next path, valid until the next call; NULL at the end. *status is
 * CLI_OK, or CLI_BAD_INPUT (message printed) either with a path (a folder
 * that cannot be read: one bad input, the walk goes on) or with NULL (the
 * list itself cannot be read: the end). */
const char *cli_inputs_next(cli_inputs *inputs, int *status);
void cli_inputs_free(cli_inputs *inputs);

/* 1 if the name ends in an image extension a folder walk keeps: .png, .jpg,
 * .jpeg, .jpe, .tif, .tiff, .webp (any case). */
int cli_is_image_name(const char *name);

#endif
