/* spectide: the command line. Dispatches to one function per subcommand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"

#include "spectide_view.h"

#include <stdarg.h>
#include <string.h>

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
    "\n"
    "'spectide COMMAND --help' describes each command.\n"
    "Exit status: 0 success, 1 bad input file, 2 bad usage.\n";

void cli_error(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fputs("spectide: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
}

int cli_usage_error(const char *command, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fprintf(stderr, "spectide %s: ", command);
    vfprintf(stderr, format, args);
    fprintf(stderr, "\nTry 'spectide %s --help'.\n", command);
    va_end(args);
    return CLI_BAD_USAGE;
}

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
} command_entry;

static const command_entry commands[] = {
    {"rapsd", cmd_rapsd},     {"fmax", cmd_fmax},
    {"tide", cmd_tide},       {"schedules", cmd_schedules},
    {"audio", cmd_audio},     {"mfcc", cmd_mfcc},
    {"melspec", cmd_melspec}, {"tide-audio", cmd_tide_audio},
};

int main(int argc, char **argv)
{
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
        printf("spectide %s\n", SPECTIDE_VERSION);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            int status = commands[i].run(argc - 1, argv + 1);
            sv_release_caches();
            return status == CLI_HELP_SHOWN ? CLI_OK : status;
        }
    }
    fprintf(stderr, "spectide: unknown command '%s'\nTry 'spectide --help'.\n", argv[1]);
    return CLI_BAD_USAGE;
}
