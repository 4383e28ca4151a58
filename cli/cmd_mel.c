/* spectide mfcc and spectide melspec: librosa's defaults as CSV.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "audio_analysis.h"

#include <stdlib.h>
#include <string.h>

static const char mfcc_help[] =
    "usage: spectide mfcc [--rate HZ] [--n-fft N] [--hop H] [--mels M] [--n-mfcc K]\n"
    "                     [--top-db D] --csv FILE AUDIO\n"
    "\n"
    "MFCCs as librosa.feature.mfcc with its defaults: several channels mixed to\n"
    "mono, the file's own rate (unless --rate: libsamplerate SINC_FASTEST),\n"
    "n_fft 2048, hop 512, centred frames (n_fft/2 zeros padded on both sides, as\n"
    "librosa >= 0.10), periodic Hann, power |X|^2, 128 Slaney mel bands (fmin 0,\n"
    "fmax rate/2, area normalised), 10 log10(max(1e-10, S)) with no floor unless\n"
    "--top-db, orthonormal DCT-II, 20 coefficients.\n"
    "CSV: header 'frame,c0,c1,...', one row per frame; 1 + floor(samples/hop) frames.\n"
    "\n"
    "Exit status: 0 success, 1 unreadable/truncated/empty audio, 2 bad usage.\n";

static const char melspec_help[] =
    "usage: spectide melspec [--rate HZ] [--n-fft N] [--hop H] [--mels M]\n"
    "                        [--top-db D] --csv FILE AUDIO\n"
    "\n"
    "The log-mel spectrogram in dB, as librosa.power_to_db(librosa.feature.\n"
    "melspectrogram(y, sr)) with top_db=None: mono mix, the file's own rate unless\n"
    "--rate, n_fft 2048, hop 512, centred zero-padded frames, power 2, 128 Slaney\n"
    "mel bands; --top-db D floors at max - D dB.\n"
    "CSV: header 'frame,m0,m1,...', one row per frame; 1 + floor(samples/hop) frames.\n"
    "\n"
    "Exit status: 0 success, 1 unreadable/truncated/empty audio, 2 bad usage.\n";

static int run_mel(const char *command, const char *help, int want_mfcc, int argc, char **argv)
{
    int rate = 0, n_fft = 2048, hop = 512, mels = 128, n_mfcc = 20;
    double top_db = 0.0;
    int have_top_db = 0;
    const char *csv = NULL;
    cli_option options[] = {
        {"rate", CLI_INT, &rate, NULL, 0},     {"n-fft", CLI_INT, &n_fft, NULL, 0},
        {"hop", CLI_INT, &hop, NULL, 0},       {"mels", CLI_INT, &mels, NULL, 0},
        {"csv", CLI_STRING, &csv, NULL, 0},    {"top-db", CLI_DOUBLE, &top_db, &have_top_db, 0},
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
    if (have_top_db && !(top_db > 0.0))
        return cli_usage_error(command, "--top-db must be positive");
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
