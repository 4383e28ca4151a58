/* Fuzz target: the command line's argument parsing and every subcommand's
 * handling of user text (option values, numbers, schedule and channel
 * names, file names, output paths).
 *
 * Input: one byte choosing the subcommand, then up to 12 arguments
 * separated by 0 bytes. The working folder holds a real image (a.png) and a
 * real recording (a.wav, b.ogg) so that valid arguments reach the analysis.
 * Arguments are confined to that folder ('/' becomes '_', a leading '.'
 * gets an 'x'). Standard input is empty (--files-from - reads it). Checks:
 * the exit status is 0, 1, 2 or 3 (or the help code), never a crash, a hang
 * or a sanitizer report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"
#include "fuzz_cli.h"

#define MAX_ARGS 12

static void confine(char *arg)
{
    for (char *c = arg; *c; c++) {
        if (*c == '/') {
            *c = '_';
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_enter_folder();
    static int copied;
    if (!copied) {
        if (!freopen("/dev/null", "r", stdin)) {
            perror("fuzz: cannot empty stdin");
            abort();
        }
        fuzz_copy_file(SPECTIDE_SOURCE_ROOT "/data/camera.png", "a.png");
        fuzz_copy_file(SPECTIDE_SOURCE_ROOT "/data/speech-front-center.wav", "a.wav");
        fuzz_copy_file(SPECTIDE_SOURCE_ROOT "/data/music-frozen-bubble.ogg", "b.ogg");
        copied = 1;
    }
    if (size == 0) {
        return 0;
    }
    const cli_command *command = &cli_commands[data[0] % cli_command_count];
    char *argv[MAX_ARGS + 2];
    char *storage = malloc(size + 1);
    memcpy(storage, data + 1, size - 1);
    storage[size - 1] = '\0';
    int argc = 0;
    argv[argc++] = (char *)command->name;
    char *start = storage, *end = storage + size - 1;
    while (argc < MAX_ARGS + 1 && start < end) {
        size_t length = strlen(start);
        confine(start);
        argv[argc++] = start;
        start += length + 1;
    }
    /* A leading '.' would name the folder or its parent: prefix it. */
    char prefixed[MAX_ARGS + 1][64];
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '.') {
            snprintf(prefixed[i], sizeof prefixed[i], "x%s", argv[i]);
            argv[i] = prefixed[i];
        }
    }
    argv[argc] = NULL;
    int status = command->run(argc, argv);
    FUZZ_CHECK(status == CLI_OK || status == CLI_BAD_INPUT || status == CLI_BAD_USAGE ||
               status == CLI_PARTIAL || status == CLI_HELP_SHOWN);
    free(storage);
    /* Outputs of this run are removed so that runs do not depend on each
     * other; the inputs stay. */
    DIR *dir = opendir(".");
    struct dirent *entry;
    while (dir && (entry = readdir(dir))) {
        if (strcmp(entry->d_name, "a.png") && strcmp(entry->d_name, "a.wav") &&
            strcmp(entry->d_name, "b.ogg") && entry->d_name[0] != '.') {
            if (remove(entry->d_name) != 0) {
                char path[600];
                DIR *inner = opendir(entry->d_name);
                struct dirent *child;
                while (inner && (child = readdir(inner))) {
                    snprintf(path, sizeof path, "%s/%s", entry->d_name, child->d_name);
                    remove(path);
                }
                if (inner) {
                    closedir(inner);
                }
                remove(entry->d_name);
            }
        }
    }
    if (dir) {
        closedir(dir);
    }
    return 0;
}
