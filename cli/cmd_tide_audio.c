/* spectide tide-audio: the audio counterpart of "noise versus low-pass".
 * --mode noise adds Gaussian noise of variance sigma^2; --mode mask keeps
 * only the STFT bins whose long-term power is above the water line
 * tau*sigma^2 (zeroes the others in every frame, overlap-add resynthesis).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "audio_analysis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char tide_audio_help[] =
    "usage: spectide tide-audio (--sigma-db D | --schedule NAME --t T) [--tau X]\n"
    "                           [--seed N] [--n-fft N] --mode noise|mask IN OUT\n"
    "\n"
    "The noise tide on a recording (several channels are mixed to mono; the file's\n"
    "own rate is kept). The noise level sigma^2:\n"
    "  --sigma-db D         noise at D dBFS RMS: sigma^2 = 10^(D/10) (full scale 1.0)\n"
    "  --schedule S --t T   sigma = s(t)/a(t): the schedule's noise at the signal's scale\n"
    "Modes:\n"
    "  noise   OUT = IN + sigma * eps (Gaussian, seeded xoshiro256**)\n"
    "  mask    keeps only the STFT bins whose long-term (Welch, linear mean) power\n"
    "          is above tau * sigma^2 and resynthesises by overlap-add (periodic\n"
    "          Hann, hop n_fft/4): what of the signal stays above water\n"
    "Prints the share of the spectrum (bins) and of the energy above tau*sigma^2.\n"
    "\n"
    "  --tau X     water line factor (default 1)\n"
    "  --seed N    noise seed (default 0)\n"
    "  --n-fft N   FFT size for the spectrum and the mask (default 2048)\n"
    "OUT: .wav (32-bit float), .flac (24-bit) or .ogg (Vorbis).\n"
    "\n"
    "Exit status: 0 success, 1 unreadable/truncated/empty audio, 2 bad usage.\n";

static void add_noise(float *samples, long frames, double sigma, uint64_t seed)
{
    st_rng rng;
    st_rng_seed(&rng, seed);
    for (long i = 0; i < frames; i++)
        samples[i] = (float)(samples[i] + sigma * st_rng_gaussian(&rng));
}

/* Static spectral mask: frames of the signal padded by n_fft zeros on each
 * side (so every sample is covered by the same number of windows), bins
 * below water zeroed, inverse FFT, overlap-add, divided by the sum of the
 * windows (4/2 = 2 in the interior for hop n_fft/4). */
static int apply_mask(float *samples, long frames, int n_fft, const unsigned char *keep)
{
    int hop = n_fft / 4;
    st_stft *stft = st_stft_new(n_fft, hop, NULL);
    if (!stft)
        return CLI_BAD_INPUT;
    int bins = st_stft_bins(stft);
    long padded = frames + 2L * n_fft;
    float *frame = malloc(sizeof(float) * n_fft);
    float *power = malloc(sizeof(float) * bins);
    float *spectrum = malloc(sizeof(float) * 2 * bins);
    double *sum = calloc(padded + n_fft, sizeof(double));
    double *window_sum = calloc(padded + n_fft, sizeof(double));
    int status = frame && power && spectrum && sum && window_sum ? CLI_OK : CLI_BAD_INPUT;
    const float *window = st_stft_window(stft);
    for (long start = 0; status == CLI_OK && start < padded - n_fft + hop; start += hop) {
        for (int i = 0; i < n_fft; i++) {
            long k = start + i - n_fft;
            frame[i] = k >= 0 && k < frames ? samples[k] : 0.0f;
        }
        st_stft_frame(stft, frame, power);
        memcpy(spectrum, st_stft_spectrum(stft), sizeof(float) * 2 * bins);
        for (int k = 0; k < bins; k++)
            if (!keep[k])
                spectrum[2 * k] = spectrum[2 * k + 1] = 0.0f;
        st_stft_inverse(stft, spectrum, frame);
        for (int i = 0; i < n_fft; i++) {
            sum[start + i] += frame[i];
            window_sum[start + i] += window[i];
        }
    }
    for (long i = 0; status == CLI_OK && i < frames; i++) {
        double w = window_sum[i + n_fft];
        samples[i] = w > 1e-6 ? (float)(sum[i + n_fft] / w) : 0.0f;
    }
    free(frame);
    free(power);
    free(spectrum);
    free(sum);
    free(window_sum);
    st_stft_free(stft);
    return status;
}

static int parse_level(const char *schedule_name, int have_t, double t, int have_sigma_db,
                       double sigma_db, double *sigma, char *text, size_t size)
{
    if (have_sigma_db == (schedule_name != NULL))
        return cli_usage_error("tide-audio", "give either --sigma-db D or --schedule NAME --t T");
    if (have_sigma_db) {
        *sigma = pow(10.0, sigma_db / 20.0);
        snprintf(text, size, "noise at %.1f dBFS", sigma_db);
        return CLI_OK;
    }
    st_schedule schedule;
    if (st_schedule_from_name(schedule_name, &schedule) != ST_OK)
        return cli_usage_error("tide-audio", "unknown schedule '%s' (see 'spectide schedules')",
                               schedule_name);
    if (!have_t || t < 0.0 || t > 1.0)
        return cli_usage_error("tide-audio", "--t in [0,1] is required with --schedule");
    double a, s;
    st_schedule_coefficients(schedule, t, &a, &s);
    if (!(a > 0.0))
        return cli_usage_error("tide-audio", "at t = %g nothing of the signal is left (a = 0)", t);
    *sigma = s / a;
    snprintf(text, size, "%s at t = %g (s/a = %.4g, %.1f dBFS)", st_schedule_name(schedule), t,
             *sigma, 20.0 * log10(*sigma > 0 ? *sigma : 1e-30));
    return CLI_OK;
}

int cmd_tide_audio(int argc, char **argv)
{
    const char *schedule_name = NULL, *mode = NULL;
    double t = 0.0, sigma_db = 0.0, tau = 1.0, seed_value = 0.0;
    int have_t = 0, have_sigma_db = 0, n_fft = 2048;
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
    double sigma = 0.0;
    char level[160];
    status =
        parse_level(schedule_name, have_t, t, have_sigma_db, sigma_db, &sigma, level, sizeof level);
    if (status != CLI_OK)
        return status;
    if (!mode || (strcmp(mode, "noise") != 0 && strcmp(mode, "mask") != 0))
        return cli_usage_error("tide-audio", "--mode noise or --mode mask is required");
    if (count != 2)
        return cli_usage_error("tide-audio", "IN and OUT files are needed");
    if (!(tau > 0.0))
        return cli_usage_error("tide-audio", "--tau must be positive");
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
    double water = tau * sigma * sigma, share_bins = 0.0, share_energy = 0.0;
    unsigned char *keep = malloc(bins > 0 ? bins : 1);
    if (status == CLI_OK && keep) {
        st_above_water(power, bins, water, &share_bins, &share_energy);
        for (int k = 0; k < bins; k++)
            keep[k] = power[k] > water;
        if (strcmp(mode, "noise") == 0)
            add_noise(audio.samples, audio.frames, sigma, (uint64_t)seed_value);
        else
            status = apply_mask(audio.samples, audio.frames, n_fft, keep);
    } else {
        status = CLI_BAD_INPUT;
    }
    cli_outputs *outputs = cli_outputs_new();
    if (status == CLI_OK)
        status = cli_audio_save(outputs, files[1], audio.samples, audio.frames, audio.rate);
    if (status == CLI_OK)
        status = cli_outputs_commit(outputs);
    if (status == CLI_OK) {
        printf("%s: %s, water line tau*sigma^2 = %.4g (%.1f dB)\n", files[0], level, water,
               10.0 * log10(water > 0 ? water : 1e-30));
        printf("above water: %.1f%% of the spectrum (bins), %.1f%% of the energy\n",
               100.0 * share_bins, 100.0 * share_energy);
        printf("%s -> %s (%s)\n", files[0], files[1],
               strcmp(mode, "noise") == 0 ? "noise added" : "bins under water removed");
    }
    cli_outputs_free(outputs);
    free(keep);
    free(power);
    cli_audio_free(&audio);
    return status;
}
