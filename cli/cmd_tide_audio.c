/* spectide tide-audio: the audio counterpart of "noise versus low-pass".
 * --mode noise adds Gaussian noise of variance sigma^2; --mode mask keeps,
 * frame by frame, the STFT bins above the water line tau*sigma^2 (core's
 * st_wola with st_water_mask: the rule the LV2 plugin's mask audition uses,
 * so both give the same samples); --mode residual writes what drowned.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "audio_analysis.h"
#include "spectide_realtime.h"
#include "spectide_tide.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The LV2 plugin's default FFT size: the same recording through the plugin's
 * mask audition and through this command gives the same samples. */
#define MASK_FFT_DEFAULT 4096

static const char tide_audio_help[] =
    "usage: spectide tide-audio (--sigma-db D | --schedule NAME --t T) [--tau X]\n"
    "                           [--seed N] [--n-fft N] --mode noise|mask|residual IN OUT\n"
    "\n"
    "The noise tide on a recording (several channels are mixed to mono; the file's\n"
    "own rate is kept). The noise level sigma^2:\n"
    "  --sigma-db D         noise at D dBFS RMS: sigma^2 = 10^(D/10) (full scale 1.0)\n"
    "  --schedule S --t T   sigma = s(t)/a(t): the schedule's noise at the signal's scale\n"
    "Modes:\n"
    "  noise     OUT = IN + sigma * eps (Gaussian, seeded xoshiro256**)\n"
    "  mask      what stays above water, decided frame by frame: each frame of\n"
    "            n_fft samples (periodic Hann, hop n_fft/4) keeps the bins whose\n"
    "            power |X|^2/sum(w^2) is above tau * sigma^2 and drops the others\n"
    "            (a hard 0/1 mask); resynthesis by weighted overlap-add (Hann\n"
    "            again, divided by the sum of the squared windows). With the water\n"
    "            below every bin, OUT = IN. The same samples as the LV2 plugin's\n"
    "            mask audition at the same settings, after its reported latency.\n"
    "  residual  what drowned: OUT = IN - mask, sample by sample\n"
    "Prints the share of the spectrum (bins) and of the energy above tau*sigma^2\n"
    "in the file's long-term (Welch, linear mean) spectrum.\n"
    "\n"
    "  --tau X     water line factor (default 1)\n"
    "  --seed N    noise seed (default 0)\n"
    "  --n-fft N   FFT size of the spectrum and the mask (default 4096, as the\n"
    "              LV2 plugin)\n"
    "OUT: .wav (32-bit float), .flac (24-bit) or .ogg (Vorbis).\n"
    "Conventions: docs/conventions.md (the noise tide in audio, the mask).\n"
    "\n"
    "Exit status: 0 success, 1 unreadable/truncated/empty audio, 2 bad usage.\n";

static void add_noise(float *samples, long frames, double sigma, uint64_t seed)
{
    st_rng rng;
    st_rng_seed(&rng, seed);
    for (long i = 0; i < frames; i++)
        samples[i] = (float)(samples[i] + sigma * st_rng_gaussian(&rng));
}

/* The streaming mask over the whole file, realigned: the first `latency`
 * outputs are dropped and as many zeros follow the signal, so out[i] is the
 * masked (or drowned) sample i. In place. */
static int apply_mask(float *samples, long frames, int n_fft, double water, int residual)
{
    /* The plugin's parameters (lv2_plugin/audition.c): hop n_fft / 4 and the
     * real-time delay, so that both report the same latency. */
    int hop = n_fft / 4;
    st_wola *wola =
        st_wola_new(n_fft, hop, st_realtime_delay(n_fft, hop), st_water_mask, &water, NULL);
    if (!wola)
        return CLI_BAD_INPUT;
    const int block = 8192;
    long latency = st_wola_latency(wola);
    float *in = calloc(block, sizeof(float)), *kept = malloc(sizeof(float) * block);
    float *drowned = malloc(sizeof(float) * block);
    int status = in && kept && drowned ? CLI_OK : CLI_BAD_INPUT;
    for (long start = 0; status == CLI_OK && start < frames + latency; start += block) {
        int n = (int)(frames + latency - start < block ? frames + latency - start : block);
        for (int i = 0; i < n; i++)
            in[i] = start + i < frames ? samples[start + i] : 0.0f;
        st_wola_run(wola, in, kept, drowned, n);
        const float *result = residual ? drowned : kept;
        for (int i = 0; i < n; i++)
            if (start + i >= latency)
                samples[start + i - latency] = result[i];
    }
    free(in);
    free(kept);
    free(drowned);
    st_wola_free(wola);
    return status;
}

/* The level of --sigma-db or --schedule/--t, and --tau (core's tide level:
 * sigma, and the water line tau sigma^2). */
static int parse_level(const char *schedule_name, int have_t, double t, int have_sigma_db,
                       double sigma_db, double tau, st_tide_level *level, char *text, size_t size)
{
    if (have_sigma_db == (schedule_name != NULL))
        return cli_usage_error("tide-audio", "give either --sigma-db D or --schedule NAME --t T");
    st_status status;
    if (have_sigma_db) {
        status = st_tide_level_from_sigma_db(sigma_db, tau, level);
        snprintf(text, size, "noise at %.1f dBFS", sigma_db);
    } else {
        st_schedule schedule;
        if (st_schedule_from_name(schedule_name, &schedule) != ST_OK)
            return cli_usage_error("tide-audio", "unknown schedule '%s' (see 'spectide schedules')",
                                   schedule_name);
        if (!have_t)
            return cli_usage_error("tide-audio", "--t in [0,1] is required with --schedule");
        status = st_tide_level_from_schedule(schedule, t, tau, level);
        if (status == ST_ERROR_NO_SIGNAL)
            return cli_usage_error("tide-audio", "at t = %g nothing of the signal is left (a = 0)",
                                   t);
        snprintf(text, size, "%s at t = %g (s/a = %.4g, %.1f dBFS)", st_schedule_name(schedule), t,
                 level->sigma, level->sigma_db);
    }
    if (status != ST_OK)
        return cli_usage_error("tide-audio", "%s (--sigma-db or --schedule/--t, --tau)",
                               level->problem);
    return CLI_OK;
}

int cmd_tide_audio(int argc, char **argv)
{
    const char *schedule_name = NULL, *mode = NULL;
    double t = 0.0, sigma_db = 0.0, tau = 1.0, seed_value = 0.0;
    int have_t = 0, have_sigma_db = 0, n_fft = MASK_FFT_DEFAULT;
    cli_option options[] = {
        {"sigma-db", CLI_DOUBLE, &sigma_db, &have_sigma_db, 0},
        {"schedule", CLI_STRING, &schedule_name, NULL, 0},
        {"t", CLI_DOUBLE, &t, &have_t, 0},
        {"tau", CLI_DOUBLE, &tau, NULL, 0},
        {"seed", CLI_DOUBLE, &seed_value, NULL, 0},
        {"n-fft", CLI_INT, &n_fft, NULL, 0},
        {"mode", CLI_STRING, &mode, NULL, 0},
    };
    const char *files[2];
    int count = 0;
    int status = cli_parse("tide-audio", tide_audio_help, argc, argv, CLI_OPTIONS(options), files,
                           &count, CLI_COUNT(files));
    if (status != CLI_OK)
        return status;
    st_tide_level level;
    char level_text[160];
    status = parse_level(schedule_name, have_t, t, have_sigma_db, sigma_db, tau, &level, level_text,
                         sizeof level_text);
    if (status != CLI_OK)
        return status;
    if (!mode ||
        (strcmp(mode, "noise") != 0 && strcmp(mode, "mask") != 0 && strcmp(mode, "residual") != 0))
        return cli_usage_error("tide-audio", "--mode noise, mask or residual is required");
    if (count != 2)
        return cli_usage_error("tide-audio", "IN and OUT files are needed");
    if (seed_value < 0 || seed_value > 9007199254740992.0 || seed_value != floor(seed_value))
        return cli_usage_error("tide-audio", "--seed must be a whole number >= 0");
    if ((status = cli_check_audio_settings("tide-audio", 22050, n_fft, n_fft / 4, 128)) != CLI_OK)
        return status;

    cli_audio audio;
    if ((status = cli_audio_load(files[0], &audio)) != CLI_OK)
        return status;
    double *power = NULL;
    int bins = 0;
    status = cli_welch(audio.samples, audio.frames, n_fft, n_fft / 4, &power, &bins);
    double water = level.noise_floor, share_bins = 0.0, share_energy = 0.0;
    if (status == CLI_OK) {
        /* No resampling here: the file's spectrum, every bin. */
        st_above_water(power, st_rate_band_bins(audio.rate, audio.rate, 1.0, n_fft), water,
                       &share_bins, &share_energy);
        if (strcmp(mode, "noise") == 0)
            add_noise(audio.samples, audio.frames, level.sigma, (uint64_t)seed_value);
        else
            status = apply_mask(audio.samples, audio.frames, n_fft, water,
                                strcmp(mode, "residual") == 0);
    }
    cli_outputs *outputs = cli_outputs_new();
    if (status == CLI_OK)
        status = cli_audio_save(outputs, files[1], audio.samples, audio.frames, audio.rate);
    if (status == CLI_OK)
        status = cli_outputs_commit(outputs);
    if (status == CLI_OK) {
        printf("%s: %s, water line tau*sigma^2 = %.4g (%.1f dB)\n", files[0], level_text, water,
               10.0 * log10(water > 0 ? water : 1e-30));
        printf("above water: %.1f%% of the spectrum (bins), %.1f%% of the energy\n",
               100.0 * share_bins, 100.0 * share_energy);
        printf("%s -> %s (%s)\n", files[0], files[1],
               strcmp(mode, "noise") == 0  ? "noise added"
               : strcmp(mode, "mask") == 0 ? "bins under water removed, frame by frame"
                                           : "what drowned: input - mask");
    }
    cli_outputs_free(outputs);
    free(power);
    cli_audio_free(&audio);
    return status;
}
