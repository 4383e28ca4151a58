/* Audio files through libsndfile (WAV, FLAC, Ogg/Vorbis, AIFF, ...), mixed
 * to mono. libsndfile opens a cut WAV or Ogg file without complaint and
 * reads what is there; its log says what was missing, so the log is checked
 * and a damaged file is refused rather than analysed in part.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"

#include "spectide_audio.h"

#include <math.h>
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* About 6 hours at 48 kHz: beyond this a file is refused, not swapped. */
#define MAX_FRAMES (1L << 30)

/* Lines of libsndfile's log that mean the file is cut or damaged:
 * "data : 137090 (should be 59956)" (a chunk longer than the file),
 * "File ended unexpectedly" (Ogg), "ERROR : ..." / "Error : ..." (FLAC, short reads). */
static const char *find_in_line(const char *line, size_t length, const char *word)
{
    size_t word_length = strlen(word);
    for (size_t i = 0; i + word_length <= length; i++)
        if (strncmp(line + i, word, word_length) == 0)
            return line + i;
    return NULL;
}

static const char *log_problem(const char *log)
{
    for (const char *line = log; *line;) {
        const char *end = strchr(line, '\n');
        size_t length = end ? (size_t)(end - line) : strlen(line);
        const char *should = find_in_line(line, length, "should be");
        const char *colon = find_in_line(line, length, ":");
        if (strncmp(line, "data", 4) == 0 && should && colon &&
            strtol(should + 9, NULL, 10) < strtol(colon + 1, NULL, 10))
            return line;
        if (find_in_line(line, length, "unexpectedly") || strncasecmp(line, "error", 5) == 0)
            return line;
        line = end ? end + 1 : line + length;
    }
    return NULL;
}

static int read_all(SNDFILE *file, const SF_INFO *info, const char *path, cli_audio *audio)
{
    int channels = info->channels;
    long capacity = 1L << 16, frames = 0;
    float *mono = malloc(sizeof(float) * capacity);
    float *block = malloc(sizeof(float) * 4096 * channels);
    int status = mono && block ? CLI_OK : CLI_BAD_INPUT;
    sf_count_t got;
    while (status == CLI_OK && (got = sf_readf_float(file, block, 4096)) > 0) {
        if (frames + got > MAX_FRAMES) {
            cli_error("%s: longer than %ld samples, refused", path, MAX_FRAMES);
            status = CLI_BAD_INPUT;
            break;
        }
        if (frames + got > capacity) {
            capacity *= 2;
            float *grown = realloc(mono, sizeof(float) * capacity);
            if (!grown) {
                status = CLI_BAD_INPUT;
                break;
            }
            mono = grown;
        }
        for (sf_count_t i = 0; i < got; i++) {
            double sum = 0.0;
            for (int c = 0; c < channels; c++)
                sum += block[i * channels + c];
            if (!isfinite(sum)) {
                cli_error("%s: contains NaN or infinite samples (at %.3f s)", path,
                          (double)(frames + i) / info->samplerate);
                status = CLI_BAD_INPUT;
                break;
            }
            mono[frames + i] = (float)(sum / channels);
        }
        frames += got;
    }
    free(block);
    if (status == CLI_OK && !mono)
        cli_error("%s: out of memory", path);
    audio->samples = mono;
    audio->frames = frames;
    return status;
}

int cli_audio_load(const char *path, cli_audio *audio)
{
    memset(audio, 0, sizeof *audio);
    int status = cli_check_input_file(path, "audio");
    if (status != CLI_OK)
        return status;
    SF_INFO info = {0};
    SNDFILE *file = sf_open(path, SFM_READ, &info);
    if (!file) {
        cli_error("%s: not a readable audio file: unknown format or damaged (libsndfile: %s)", path,
                  sf_strerror(NULL));
        return CLI_BAD_INPUT;
    }
    if (info.channels < 1 || info.samplerate < 1) {
        cli_error("%s: no channels or no sample rate", path);
        sf_close(file);
        return CLI_BAD_INPUT;
    }
    /* Reading float from integer formats gives [-1, 1): full scale 1.0. */
    status = read_all(file, &info, path, audio);
    char log[8192] = "";
    sf_command(file, SFC_GET_LOG_INFO, log, sizeof log);
    const char *problem = log_problem(log);
    if (status == CLI_OK && (problem || sf_error(file) != SF_ERR_NO_ERROR ||
                             (info.frames != SF_COUNT_MAX && audio->frames < info.frames))) {
        if (problem)
            cli_error("%s: truncated or damaged audio file (%.*s)", path,
                      (int)strcspn(problem, "\n"), problem);
        else
            cli_error("%s: truncated or damaged audio file (%ld of %lld frames read)", path,
                      audio->frames, (long long)info.frames);
        status = CLI_BAD_INPUT;
    }
    if (status == CLI_OK && audio->frames == 0) {
        cli_error("%s: contains no samples", path);
        status = CLI_BAD_INPUT;
    }
    sf_close(file);
    audio->rate = info.samplerate;
    audio->channels = info.channels;
    if (status != CLI_OK)
        cli_audio_free(audio);
    return status;
}

int cli_audio_resample(cli_audio *audio, int rate, const char *path)
{
    if (rate == audio->rate)
        return CLI_OK;
    const int block = 8192;
    st_resampler *resampler = st_resampler_new(audio->rate, rate, -1, block, NULL);
    if (!resampler) {
        cli_error("%s: cannot resample from %d Hz to %d Hz", path, audio->rate, rate);
        return CLI_BAD_INPUT;
    }
    /* Zeros after the signal flush the sinc filter, so the result keeps the
     * whole signal (delayed by a few dozen samples, which no spectrum sees). */
    long wanted = (long)floor((double)audio->frames * rate / audio->rate + 0.5);
    int capacity = st_resampler_max_output(resampler, block);
    float *scratch = malloc(sizeof(float) * capacity);
    float *out = malloc(sizeof(float) * (wanted + (size_t)capacity + 1));
    float *zeros = calloc(block, sizeof(float));
    int status = scratch && out && zeros ? CLI_OK : CLI_BAD_INPUT;
    long produced = 0, position = 0, zero_blocks = 0;
    while (status == CLI_OK && produced < wanted && zero_blocks < 64) {
        const float *in = zeros;
        int n = block;
        if (position < audio->frames) {
            in = audio->samples + position;
            n = (int)(audio->frames - position < block ? audio->frames - position : block);
            position += n;
        } else {
            zero_blocks++;
        }
        int got = st_resampler_run(resampler, in, n, scratch, capacity);
        if (got < 0) {
            status = CLI_BAD_INPUT;
            break;
        }
        memcpy(out + produced, scratch, sizeof(float) * got);
        produced += got;
    }
    st_resampler_free(resampler);
    free(scratch);
    free(zeros);
    if (status != CLI_OK || produced < wanted) {
        cli_error("%s: resampling to %d Hz failed", path, rate);
        free(out);
        return CLI_BAD_INPUT;
    }
    free(audio->samples);
    audio->samples = out;
    audio->frames = wanted;
    audio->rate = rate;
    return CLI_OK;
}

void cli_audio_free(cli_audio *audio)
{
    free(audio->samples);
    memset(audio, 0, sizeof *audio);
}

static int format_for(const char *path)
{
    size_t n = strlen(path);
    if (n > 5 && strcasecmp(path + n - 5, ".flac") == 0)
        return SF_FORMAT_FLAC | SF_FORMAT_PCM_24;
    if (n > 4 && strcasecmp(path + n - 4, ".ogg") == 0)
        return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
    if (n > 4 && strcasecmp(path + n - 4, ".wav") == 0)
        return SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    return 0;
}

int cli_audio_save(cli_outputs *outputs, const char *path, const float *samples, long frames,
                   int rate)
{
    SF_INFO info = {.samplerate = rate, .channels = 1, .format = format_for(path)};
    if (!info.format || !sf_format_check(&info)) {
        cli_error("%s: unknown output format (use .wav, .flac or .ogg)", path);
        return CLI_BAD_INPUT;
    }
    FILE *file = cli_output_open(outputs, path);
    if (!file)
        return CLI_BAD_INPUT;
    SNDFILE *sound = sf_open_fd(fileno(file), SFM_WRITE, &info, 0);
    if (!sound) {
        cli_error("%s: cannot write audio: %s", path, sf_strerror(NULL));
        return CLI_BAD_INPUT;
    }
    /* Integer formats clip instead of wrapping around. */
    sf_command(sound, SFC_SET_CLIPPING, NULL, SF_TRUE);
    sf_count_t written = sf_writef_float(sound, samples, frames);
    int error = sf_error(sound);
    sf_close(sound);
    if (written != frames || error) {
        cli_error("%s: write error", path);
        return CLI_BAD_INPUT;
    }
    return CLI_OK;
}
