/* Fuzz targets: image and audio files through the command line's own
 * decoding and analysis (the image loader cli/pixels*.c, cli/audio_io.c with
 * libsndfile, then the subcommand that analyses them).
 *
 * Built twice: with FUZZ_IMAGE as fuzz_image_file (runs `spectide rapsd
 * --csv out.csv FILE`), without as fuzz_audio_file (runs `spectide audio
 * --csv out.csv FILE`). Input: one byte choosing the file name's extension,
 * then the file's bytes (images: bits 3 and 4 of that byte add
 * --color-managed and --channel luma). Corrupt, truncated, empty files and files whose
 * extension lies must give exit status 1 and no output, never a crash.
 * Status 2 (bad usage) cannot happen with these arguments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"
#include "fuzz_cli.h"

#include <sys/stat.h>

#ifdef FUZZ_IMAGE
static const char *const extensions[] = {".png", ".jpg", ".tif", ".webp",
                                         ".gif", ".bmp", ".ppm", ""};
#define RUN     cmd_rapsd
#define COMMAND "rapsd"
#else
static const char *const extensions[] = {".wav", ".flac", ".ogg", ".aiff",
                                         ".au",  ".caf",  ".w64", ""};
#define RUN     cmd_audio
#define COMMAND "audio"
#endif

/* Decompression bombs (a 124-byte WebP claiming 14872x15872 pixels) are
 * valid images that need GBs: the budget keeps the fuzzer on parsing. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("SPECTIDE_MAX_PIXELS", "4000000", 1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_enter_folder();
    if (size == 0) {
        return 0;
    }
    char name[32];
    snprintf(name, sizeof name, "input%s", extensions[data[0] % 8]);
    fuzz_write_file(name, data + 1, size - 1);
    char *argv[8] = {COMMAND, "--csv", "out.csv"};
    int argc = 3;
#ifdef FUZZ_IMAGE
    /* Bits 3 and 4 of the first byte: colour management (the ICC, gAMA and
     * cHRM readers), the luma channel (every sample unfiltered). */
    if (data[0] & 8)
        argv[argc++] = "--color-managed";
    if (data[0] & 16) {
        argv[argc++] = "--channel";
        argv[argc++] = "luma";
    }
#endif
    argv[argc++] = name;
    argv[argc] = NULL;
    int status = RUN(argc, argv);
    struct stat info;
    int wrote = stat("out.csv", &info) == 0;
    FUZZ_CHECK(status == CLI_OK || status == CLI_BAD_INPUT);
    FUZZ_CHECK(status == CLI_OK ? wrote : !wrote); /* nothing written on failure */
    remove("out.csv");
    remove(name);
    return 0;
}
