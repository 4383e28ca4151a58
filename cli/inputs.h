/* The image inputs of a batch: files, folders and file lists, mixed freely,
 * handed out one path at a time in a reproducible order.
 *
 * - A file is taken as it is, whatever its name (the loader recognises the
 *   format by its content).
 * - A folder is walked recursively. It contributes its image files (names
 *   ending in .png .jpg .jpeg .jpe .jfif .tif .tiff .webp, any case), in the
 *   byte order of their full paths: the order of `find -L DIR -type f |
 *   LC_ALL=C sort`, so a list made that way gives the same run. Names
 *   starting with '.' (hidden files, macOS "._" companions) are left out;
 *   symbolic links are followed (as find -L), except a link back to a
 *   folder being walked.
 * - A list (--files-from FILE, "-" for standard input) names one input per
 *   line (a file or a folder; empty lines are skipped; no quoting: a name
 *   may contain spaces), read as the walk reaches it, so a list of millions
 *   of paths is never held in memory.
 *
 * Memory: one sorted listing per folder level being walked, and one line.
 * Threads: one cli_inputs per thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_CLI_INPUTS_H
#define SPECTIDE_CLI_INPUTS_H

typedef struct cli_inputs cli_inputs;

cli_inputs *cli_inputs_new(void);
void cli_inputs_free(cli_inputs *inputs);
/* A command's inputs: paths[count] (copied), then the list files_from (NULL:
 * none; "-": standard input). NULL if the list cannot be opened (message
 * printed) or memory is short. */
cli_inputs *cli_inputs_from(const char *const *paths, int count, const char *files_from);

/* Queues a path (file or folder) or a list file ("-": standard input; at
 * most one list may be "-"). Lists are opened when queued: 0, or -1 with a
 * message naming the list when it cannot be opened. */
int cli_inputs_add_path(cli_inputs *inputs, const char *path);
int cli_inputs_add_list(cli_inputs *inputs, const char *list_path);

/* The next input file: 1 with *path set (valid until the next call), 0 at
 * the end, or -1 for an entry that cannot be used (a folder that cannot be
 * read, a name longer than PATH_MAX, a read error in a list) with *path and
 * *problem set: the caller reports it like an unreadable file and may go
 * on. */
int cli_inputs_next(cli_inputs *inputs, const char **path, const char **problem);

/* 1 if `name` ends in one of the image extensions above. */
int cli_inputs_has_image_extension(const char *name);

#endif
