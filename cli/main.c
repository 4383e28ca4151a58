/* spectide: the command line. Dispatches to one function per subcommand
 * (commands.c); nothing else lives here, so every other file links without
 * it (tests/fuzz).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"

#include "spectide.h"
#include "spectide_view.h"

#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

static const char main_help[] =
    "usage: spectide COMMAND [OPTIONS] FILE...\n"
    "\n"
    "Spectral analysis of images and audio: natural images have power-law spectra,\n"
    "so Gaussian noise acts as a low-pass filter (diffusion is spectral\n"
    "autoregression); audio waveforms are not power laws, but their log-mel\n"
    "spectrograms seen as images are.\n"
    "\n"
    "Images:\n"
    "  rapsd       radially averaged power spectrum, power-law fit (alpha)\n"
    "  fmax        highest frequency above the noise, over t, for a schedule\n"
    "  tide        noisy, low-passed and Wiener-filtered versions at one noise level\n"
    "  schedules   the diffusion schedules and their formulas\n"
    "Audio:\n"
    "  audio       waveform spectrum (slope, monotonicity) vs mel-spectrogram RAPSD\n"
    "  mfcc        MFCCs as CSV (librosa defaults)\n"
    "  melspec     log-mel spectrogram as CSV (librosa defaults)\n"
    "  tide-audio  add noise, or keep only the bins above the noise\n"
    "Datasets (folders, file lists, accumulators):\n"
    "  rapsd --accumulate OUT.stacc PATH...   one mergeable accumulator per shard\n"
    "  merge       merge accumulators into one\n"
    "  report      mean spectrum, 95% band and fits of accumulators\n"
    "  shift       the schedule shift between two sets (e.g. resolutions), from spectra\n"
    "  compare     real vs generated mean spectra: intervals, q-values, f_dev, t_dev\n"
    "\n"
    "'spectide COMMAND --help' describes each command.\n"
    "Exit status: 0 success, 1 bad input file, 2 bad usage, 3 partial (--skip-bad).\n";

/* A dataset run decodes one image after another into buffers of a few
 * hundred kB to a few MB. glibc hands blocks that large to mmap and back to
 * the kernel at every free, so each image faulted its pages in again (a
 * tenth of the system time of a folder run). Blocks up to 32 MB now come
 * from the heap and are reused; the heap keeps at most 64 MB free. Memory
 * stays bounded by the largest images in flight, not by the file count. */
static void keep_image_buffers(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

int main(int argc, char **argv)
{
    keep_image_buffers();
    if (argc < 2) {
        fputs(main_help, stderr);
        return CLI_BAD_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(main_help, stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("spectide %s\n", st_version());
        return CLI_OK;
    }
    const cli_command *command = cli_find_command(argv[1]);
    if (command) {
        int status = command->run(argc - 1, argv + 1);
        sv_release_caches();
        return status == CLI_HELP_SHOWN ? CLI_OK : status;
    }
    fprintf(stderr, "spectide: unknown command '%s'\nTry 'spectide --help'.\n", argv[1]);
    return CLI_BAD_USAGE;
}
