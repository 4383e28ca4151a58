/* Replays fuzz inputs through a target without libFuzzer: the seed corpus
 * and the kept crash inputs (regressions/) run as ordinary meson tests in
 * every build, gcc or clang, sanitized or not.
 *
 * Usage: replay FILE_OR_DIR...
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz_input.h"

#include <dirent.h>
#include <sys/stat.h>

static int replay_file(const char *path)
{
    FILE *file = fopen(path, "rb");
    if (!file) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    uint8_t *data = NULL;
    size_t size = 0, capacity = 0;
    for (;;) {
        if (size == capacity) {
            capacity = capacity ? 2 * capacity : 4096;
            uint8_t *grown = realloc(data, capacity);
            if (!grown) {
                free(data);
                fclose(file);
                return 1;
            }
            data = grown;
        }
        size_t got = fread(data + size, 1, capacity - size, file);
        if (got == 0) {
            break;
        }
        size += got;
    }
    fclose(file);
    /* Exactly sized copy, so that ASan sees reads past the input's end. */
    uint8_t *exact = malloc(size ? size : 1);
    memcpy(exact, data, size);
    free(data);
    LLVMFuzzerTestOneInput(exact, size);
    free(exact);
    return 0;
}

static int replay_path(const char *path, int *count)
{
    struct stat info;
    if (stat(path, &info) != 0) {
        fprintf(stderr, "replay: %s does not exist\n", path);
        return 1;
    }
    if (!S_ISDIR(info.st_mode)) {
        ++*count;
        return replay_file(path);
    }
    DIR *dir = opendir(path);
    if (!dir) {
        return 1;
    }
    int errors = 0;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        if (entry->d_name[0] == '.' || !strcmp(entry->d_name, "README")) {
            continue;
        }
        char child[4096];
        snprintf(child, sizeof child, "%s/%s", path, entry->d_name);
        errors += replay_path(child, count);
    }
    closedir(dir);
    return errors;
}

/* Optional in a target, as in libFuzzer: called once before the inputs. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize) {
        LLVMFuzzerInitialize(&argc, &argv);
    }
    int errors = 0, count = 0;
    for (int i = 1; i < argc; i++) {
        errors += replay_path(argv[i], &count);
    }
    printf("replayed %d inputs\n", count);
    return errors ? 1 : 0;
}
