/* spectide mfcc and spectide melspec: librosa's defaults as CSV, the log-mel
 * floored at max - 80 dB as librosa.power_to_db does by default.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "audio_analysis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The librosa release whose documented defaults these follow (0.11.0, the
 * stable documentation of librosa.org; the same defaults since 0.10, when
 * the STFT padding became zeros). */
#define LIBROSA_VERSION "0.11.0"

static const char mfcc_help[] =
    "usage: spectide mfcc [--rate HZ] [--n-fft N] [--hop H] [--mels M] [--n-mfcc K]\n"
    "                     [--top-db D|none] --csv FILE AUDIO\n"
    "\n"
    "MFCCs with librosa's defaults (librosa " LIBROSA_VERSION "); the same numbers as\n"
    "  librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20, dct_type=2, norm='ortho', lifter=0)\n"
    "which computes librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=80.0) of\n"
    "  S = librosa.feature.melspectrogram(y=y, sr=sr, n_fft=2048, hop_length=512,\n"
    "      win_length=None, window='hann', center=True, pad_mode='constant', power=2.0,\n"
    "      n_mels=128, fmin=0.0, fmax=None, htk=False, norm='slaney')\n"
    "and keeps the first 20 coefficients of its orthonormal DCT-II, with\n"
    "  y, sr = librosa.load(AUDIO, sr=None, mono=True)\n"
    "(the file's own rate, channels averaged; --rate resamples with libsamplerate\n"
    "SINC_FASTEST, not librosa.load's soxr). That is: frames centred on multiples\n"
    "of the hop with n_fft/2 zeros padded at both ends, periodic Hann window,\n"
    "|X|^2, Slaney mel filters (fmax = rate/2, area normalised),\n"
    "10 log10(max(1e-10, S)) floored at its maximum over the whole file - 80 dB.\n"
    "\n"
    "  --top-db D    floor at max - D dB (default 80, librosa's); 'none': no floor\n"
    "                (librosa's top_db=None)\n"
    "  --n-mfcc K    coefficients kept (default 20)\n"
    "  --rate, --n-fft, --hop, --mels   override the defaults above\n"
    "CSV: header 'frame,c0,c1,...', one row per frame; 1 + floor(samples/hop) frames.\n"
    "Conventions: docs/conventions.md (mel, log-mel, MFCC).\n"
    "\n"
    "Exit status: 0 success, 1 unreadable/truncated/empty audio, 2 bad usage.\n";

static const char melspec_help[] =
    "usage: spectide melspec [--rate HZ] [--n-fft N] [--hop H] [--mels M]\n"
    "                        [--top-db D|none] --csv FILE AUDIO\n"
    "\n"
    "The log-mel spectrogram in dB with librosa's defaults (librosa " LIBROSA_VERSION "):\n"
    "  librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr, n_fft=2048,\n"
    "      hop_length=512, win_length=None, window='hann', center=True,\n"
    "      pad_mode='constant', power=2.0, n_mels=128, fmin=0.0, fmax=None,\n"
    "      htk=False, norm='slaney'), ref=1.0, amin=1e-10, top_db=80.0)\n"
    "with y, sr = librosa.load(AUDIO, sr=None, mono=True) (the file's own rate,\n"
    "channels averaged; --rate resamples with libsamplerate SINC_FASTEST). The\n"
    "values are floored at their maximum over the whole file - 80 dB.\n"
    "\n"
    "  --top-db D    floor at max - D dB (default 80, librosa's); 'none': no floor\n"
    "                (librosa's top_db=None)\n"
    "  --rate, --n-fft, --hop, --mels   override the defaults above\n"
    "CSV: header 'frame,m0,m1,...', one row per frame; 1 + floor(samples/hop) frames.\n"
    "Conventions: docs/conventions.md (mel, log-mel, MFCC).\n"
    "\n"
    "Exit status: 0 success, 1 unreadable/truncated/empty audio, 2 bad usage.\n";

/* --top-db: "none" (0: no floor) or a positive number of dB. */
static int parse_top_db(const char *command, const char *text, double *top_db)
{
    if (!text) {
        *top_db = 80.0;
        return CLI_OK;
    }
    if (strcmp(text, "none") == 0) {
        *top_db = 0.0;
        return CLI_OK;
    }
    char *end = NULL;
    double value = strtod(text, &end);
    if (end == text || *end != '\0' || !(value > 0.0) || !isfinite(value))
        return cli_usage_error(
            command, "--top-db must be a positive number of dB or 'none', not '%s'", text);
    *top_db = value;
    return CLI_OK;
}

static int run_mel(const char *command, const char *help, int want_mfcc, int argc, char **argv)
{
    int rate = 0, n_fft = 2048, hop = 512, mels = 128, n_mfcc = 20;
    double top_db = 80.0;
    const char *csv = NULL, *top_db_text = NULL;
    cli_option options[] = {
        {"rate", CLI_INT, &rate, NULL, 0},     {"n-fft", CLI_INT, &n_fft, NULL, 0},
        {"hop", CLI_INT, &hop, NULL, 0},       {"mels", CLI_INT, &mels, NULL, 0},
        {"csv", CLI_STRING, &csv, NULL, 0},    {"top-db", CLI_STRING, &top_db_text, NULL, 0},
        {"n-mfcc", CLI_INT, &n_mfcc, NULL, 0},
    };
    const char *files[1];
    int count = 0;
    /* n-mfcc, the last option, only for mfcc. */
    int option_count = CLI_COUNT(options) - (want_mfcc ? 0 : 1);
    int status = cli_parse(command, help, argc, argv, options, option_count, files, &count,
                           CLI_COUNT(files));
    if (status != CLI_OK)
        return status;
    status = cli_check_audio_settings(command, rate ? rate : 22050, n_fft, hop, mels);
    if (status != CLI_OK)
        return status;
    if (count != 1)
        return cli_usage_error(command, "one audio file is needed");
    if (!csv)
        return cli_usage_error(command, "--csv FILE is required");
    if ((status = parse_top_db(command, top_db_text, &top_db)) != CLI_OK)
        return status;
    if (want_mfcc && (n_mfcc < 1 || n_mfcc > mels))
        return cli_usage_error(command, "--n-mfcc must be in 1..mels");

    cli_audio audio;
    if ((status = cli_audio_load(files[0], &audio)) != CLI_OK)
        return status;
    if (rate)
        status = cli_audio_resample(&audio, rate, files[0]);
    float *log_mel = NULL;
    long frames = 0;
    if (status == CLI_OK)
        status = cli_log_mel(audio.samples, audio.frames, audio.rate, n_fft, hop, mels, top_db,
                             &log_mel, &frames);
    if (status == CLI_BAD_USAGE)
        cli_error("%s: no mel filterbank for %d Hz, n_fft %d, %d mels", files[0], audio.rate, n_fft,
                  mels);
    st_mfcc *mfcc = status == CLI_OK && want_mfcc ? st_mfcc_new(mels, n_mfcc, NULL) : NULL;
    float *coefficients = malloc(sizeof(float) * (size_t)mels);
    if (status == CLI_OK && ((want_mfcc && !mfcc) || !coefficients))
        status = CLI_BAD_INPUT;

    cli_outputs *outputs = cli_outputs_new();
    FILE *file = status == CLI_OK ? cli_output_open(outputs, csv) : NULL;
    if (status == CLI_OK && !file)
        status = CLI_BAD_INPUT;
    if (status == CLI_OK) {
        int columns = want_mfcc ? n_mfcc : mels;
        fputs("frame", file);
        for (int k = 0; k < columns; k++)
            fprintf(file, ",%c%d", want_mfcc ? 'c' : 'm', k);
        fputc('\n', file);
        for (long j = 0; j < frames; j++) {
            const float *column = log_mel + (size_t)j * mels;
            if (want_mfcc)
                st_mfcc_run(mfcc, column, coefficients);
            fprintf(file, "%ld", j);
            for (int k = 0; k < columns; k++)
                fprintf(file, ",%.7g", want_mfcc ? coefficients[k] : column[k]);
            fputc('\n', file);
        }
        status = cli_outputs_commit(outputs);
    }
    if (status == CLI_OK)
        printf("%s: %ld frames x %d %s at %d Hz -> %s\n", files[0], frames,
               want_mfcc ? n_mfcc : mels, want_mfcc ? "coefficients" : "mel bands", audio.rate,
               csv);
    cli_outputs_free(outputs);
    st_mfcc_free(mfcc);
    free(coefficients);
    free(log_mel);
    cli_audio_free(&audio);
    return status == CLI_BAD_USAGE ? CLI_BAD_INPUT : status;
}

int cmd_mfcc(int argc, char **argv)
{
    return run_mel("mfcc", mfcc_help, 1, argc, argv);
}

int cmd_melspec(int argc, char **argv)
{
    return run_mel("melspec", melspec_help, 0, argc, argv);
}
