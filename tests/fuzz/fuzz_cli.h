/* What the fuzz targets over the command line's code share: a private
 * working folder (every file the CLI reads or writes stays in it) and a way
 * to put the fuzz input there as a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_FUZZ_CLI_H
#define SPECTIDE_FUZZ_CLI_H

#include "fuzz_input.h"

#include <dirent.h>
#include <unistd.h>

static char fuzz_folder[256];

static void fuzz_remove_folder(void)
{
    DIR *dir = opendir(fuzz_folder);
    if (!dir) {
        return;
    }
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, "..")) {
            char path[600];
            snprintf(path, sizeof path, "%s/%s", fuzz_folder, entry->d_name);
            if (remove(path) != 0) {
                /* A folder the CLI made (tide --out-dir): empty it too. */
                DIR *inner = opendir(path);
                struct dirent *child;
                while (inner && (child = readdir(inner))) {
                    char child_path[900];
                    snprintf(child_path, sizeof child_path, "%s/%s", path, child->d_name);
                    remove(child_path);
                }
                if (inner) {
                    closedir(inner);
                }
                remove(path);
            }
        }
    }
    closedir(dir);
    remove(fuzz_folder);
}

/* Creates the folder once and makes it the working directory. */
static inline void fuzz_enter_folder(void)
{
    if (fuzz_folder[0]) {
        return;
    }
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(fuzz_folder, sizeof fuzz_folder, "%s/spectide-fuzz-XXXXXX", tmp);
    if (!mkdtemp(fuzz_folder) || chdir(fuzz_folder) != 0) {
        perror("fuzz: cannot make a working folder");
        abort();
    }
    atexit(fuzz_remove_folder);
    /* No FFTW wisdom file (cli/wisdom.h): the user's cache is not the
     * fuzzer's to read or write, and the planner is the same without it. */
    setenv("SPECTIDE_WISDOM", "off", 1);
}

/* Writes bytes to `name` in the working folder. */
static inline void fuzz_write_file(const char *name, const uint8_t *data, size_t size)
{
    FILE *file = fopen(name, "wb");
    if (!file || (size && fwrite(data, 1, size, file) != size) || fclose(file) != 0) {
        perror(name);
        abort();
    }
}

/* Copies a file of the source tree (data/) into the working folder. */
static inline void fuzz_copy_file(const char *from, const char *name)
{
    FILE *in = fopen(from, "rb");
    if (!in) {
        return; /* the seeds that name it then just fail to load */
    }
    FILE *out = fopen(name, "wb");
    char buffer[65536];
    size_t got;
    while (out && (got = fread(buffer, 1, sizeof buffer, in)) > 0) {
        fwrite(buffer, 1, got, out);
    }
    fclose(in);
    if (out) {
        fclose(out);
    }
}

#endif
