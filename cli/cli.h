/* spectide command line: what the subcommand files share.
 *
 * Exit codes: 0 success, 1 bad input (a file that cannot be read or makes no
 * sense), 2 bad usage (unknown option, missing argument), 3 partial (with
 * --skip-bad: some files were skipped, the result is that of the others).
 * Every message names the file or option at fault. Numbers come from core/,
 * pictures from view/; this folder only reads, parses and writes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_CLI_H
#define SPECTIDE_CLI_H

#include <cairo.h>
#include <stdio.h>

enum { CLI_OK = 0, CLI_BAD_INPUT = 1, CLI_BAD_USAGE = 2, CLI_PARTIAL = 3, CLI_HELP_SHOWN = -1 };

/* Elements of an array, counted by the compiler. */
#define CLI_COUNT(array) ((int)(sizeof(array) / sizeof((array)[0])))
/* An option table and its length, for cli_parse. */
#define CLI_OPTIONS(table) (table), CLI_COUNT(table)

/* ---- messages (messages.c) ---- */
void cli_error(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* Prints "spectide CMD: message" and the hint to --help; returns CLI_BAD_USAGE. */
int cli_usage_error(const char *command, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- the subcommands (commands.c) ---- */
typedef struct {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the command's name */
} cli_command;

extern const cli_command cli_commands[];
extern const int cli_command_count;
/* The command called `name`, or NULL. */
const cli_command *cli_find_command(const char *name);

/* ---- option parsing (args.c) ---- */
typedef enum { CLI_FLAG, CLI_STRING, CLI_INT, CLI_DOUBLE } cli_option_type;

typedef struct {
    const char *name; /* without the leading "--" */
    cli_option_type type;
    void *target; /* int* (flag, int), const char** (string), double* */
    int *seen;    /* optional: set to 1 when given */
    char letter;  /* optional one-letter form "-o VALUE" / "-oVALUE"; 0: none */
} cli_option;

/* Parses argv[1..argc-1] ("--name value", "--name=value", "-x value" for an
 * option with a letter, "--" ends options; "-h"/"--help" prints `help` and
 * returns CLI_HELP_SHOWN). Positional arguments go to positional[] (at most
 * max_positional). Pass the table as CLI_OPTIONS(table). Returns CLI_OK or
 * CLI_BAD_USAGE (message printed). */
int cli_parse(const char *command, const char *help, int argc, char **argv,
              const cli_option *options, int option_count, const char **positional,
              int *positional_count, int max_positional);
/* Checks a plot file name: ".png" or ".svg" (case-insensitive). */
int cli_is_plot_path(const char *path);
/* An input file must exist, be a readable, non-empty regular file; `what`
 * names the expected content in the message ("an image file", "audio").
 * CLI_OK or CLI_BAD_INPUT with a message naming the file. */
int cli_check_input_file(const char *path, const char *what);
/* 1 if libjpeg decodes the whole file; else 0 and libjpeg's reason. */
int cli_jpeg_is_decodable(const char *path, char *problem, size_t problem_size);

/* ---- atomic outputs (output.c) ---- */
typedef struct cli_outputs cli_outputs;

/* A set of output files written under temporary names in their own folder;
 * cli_outputs_commit renames them all, cli_outputs_free removes whatever was
 * not committed: a failed run leaves nothing behind. */
cli_outputs *cli_outputs_new(void);
/* Opens a temporary file next to `path`; NULL (message printed) on error.
 * Keep writing to the returned FILE; do not fclose it. */
FILE *cli_output_open(cli_outputs *outputs, const char *path);
/* Closes and renames every open output. CLI_OK or CLI_BAD_INPUT. */
int cli_outputs_commit(cli_outputs *outputs);
void cli_outputs_free(cli_outputs *outputs);

/* Draws with `draw` on a width x height surface and adds it to `outputs` as
 * PNG or SVG (by the extension of `path`). CLI_OK or CLI_BAD_INPUT. */
typedef void (*cli_draw_fn)(cairo_t *cr, double width, double height, void *user_data);
int cli_output_plot(cli_outputs *outputs, const char *path, int width, int height, cli_draw_fn draw,
                    void *user_data);
/* Writes planes (1 gray or 3 RGB, width*height floats in [-1,1] each) as an
 * 8-bit PNG. CLI_OK or CLI_BAD_INPUT. */
int cli_output_png_planes(cli_outputs *outputs, const char *path, const float *const *planes,
                          int plane_count, int width, int height);

/* ---- images (image_io.c) ---- */
typedef struct {
    int width, height;
    int components; /* 2 (gray + alpha) or 4 (RGBA); values in [0,1], non-linear */
    int is_gray;    /* the file stores gray: analysis ignores the channel choice */
    float *pixels;  /* width * height * components */
} cli_image;

/* Loads PNG (8/16 bit), JPEG, TIFF, WebP... through GEGL. CLI_OK, or
 * CLI_BAD_INPUT with a message naming the file. */
int cli_image_load(const char *path, cli_image *image);
void cli_image_free(cli_image *image);
/* Releases GEGL if it was started (at exit). */
void cli_image_shutdown(void);
/* The file name without folders, for labels. */
const char *cli_basename(const char *path);

/* ---- audio (audio_io.c) ---- */
typedef struct {
    float *samples; /* mono: the mean of all channels */
    long frames;
    int rate;
    int channels; /* in the file */
} cli_audio;

/* Reads WAV, FLAC, Ogg/Vorbis, ... through libsndfile, mixes to mono.
 * Refuses unreadable, truncated, empty files and NaN/Inf samples. */
int cli_audio_load(const char *path, cli_audio *audio);
/* Resamples in place to `rate` through core's libsamplerate stage (no-op if
 * equal). CLI_OK or CLI_BAD_INPUT. */
int cli_audio_resample(cli_audio *audio, int rate, const char *path);
void cli_audio_free(cli_audio *audio);
/* Writes mono samples to `path` (format by extension: .wav float, .flac
 * 24-bit, .ogg Vorbis), through `outputs`. */
int cli_audio_save(cli_outputs *outputs, const char *path, const float *samples, long frames,
                   int rate);

/* ---- subcommands ---- */
/* Range checks of --rate, --n-fft, --hop, --mels (cmd_audio.c). */
int cli_check_audio_settings(const char *command, int rate, int n_fft, int hop, int mels);

int cmd_rapsd(int argc, char **argv);
int cmd_fmax(int argc, char **argv);
int cmd_tide(int argc, char **argv);
int cmd_schedules(int argc, char **argv);
int cmd_audio(int argc, char **argv);
int cmd_mfcc(int argc, char **argv);
int cmd_melspec(int argc, char **argv);
int cmd_tide_audio(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif /* SPECTIDE_CLI_H */
