/* spectide.lv2: the table of ports (see controls.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "controls.h"

#include <math.h>
#include <stdio.h>

const stl_group_info stl_groups[STL_GROUP_COUNT] = {
    [STL_GROUP_NONE] = {"", ""},
    [STL_GROUP_ANALYSIS] = {"analysis", "Analysis"},
    [STL_GROUP_TIDE] = {"tide", "Noise tide"},
    [STL_GROUP_AUDITION] = {"audition", "Audition"},
    [STL_GROUP_DISPLAY] = {"display", "Display"},
    [STL_GROUP_READINGS] = {"readings", "Readings"},
};

/* One decimal for levels, two for times and coefficients, none for counts;
 * the percentages and the slope fit the few characters Ardour's generic
 * editor gives an output ("-888.8g"): the slope's unit is in its name. */
const stl_unit_info stl_units[STL_UNIT_COUNT] = {
    [STL_UNIT_NONE] = {"", "", "", ""},
    [STL_UNIT_SAMPLES] = {"samples", "samples", "samples", "%.0f samples"},
    [STL_UNIT_SECONDS] = {"seconds", "seconds", "s", "%.2f s"},
    [STL_UNIT_HERTZ] = {"hertz", "hertz", "Hz", "%.0f Hz"},
    [STL_UNIT_BANDS] = {"bands", "mel bands", "bands", "%.0f bands"},
    [STL_UNIT_DBFS] = {"dbfs", "decibels relative to full scale", "dBFS", "%.1f dBFS"},
    [STL_UNIT_DB] = {"db", "decibels", "dB", "%.1f dB"},
    [STL_UNIT_DB_WHOLE] = {"db_whole", "decibels", "dB", "%.0f dB"},
    [STL_UNIT_TIME] = {"diffusion_time", "diffusion time", "t", "%.2f"},
    [STL_UNIT_SEED] = {"seed", "seed", "#", "%.0f"},
    [STL_UNIT_DB_PER_OCTAVE] = {"db_per_octave", "decibels per octave", "dB/oct", "%.2f"},
    [STL_UNIT_EXPONENT] = {"exponent", "power-law exponent", "", "%.2f"},
    [STL_UNIT_PERCENT] = {"percent", "percent", "%", "%.1f%%"},
};

const stl_port_info stl_ports[STL_PORT_COUNT] = {
    [STL_PORT_CONTROL] = {.symbol = "control",
                          .name = "Control",
                          .comment = "Messages from the UI (listening on/off, state request).",
                          .kind = STL_KIND_ATOM_INPUT},
    [STL_PORT_NOTIFY] = {.symbol = "notify",
                         .name = "Notify",
                         .comment = "Spectrum, mel columns and cepstral view for the UI, only "
                                    "while it listens.",
                         .kind = STL_KIND_ATOM_OUTPUT},
    [STL_PORT_FFT_SIZE] = {.symbol = "fft_size",
                           .name = "FFT size",
                           .comment = "Window length of the spectrum analysis, in samples at "
                                      "the analysis rate; the mask and residual auditions use "
                                      "as many samples at the host rate.",
                           .kind = STL_KIND_ENUMERATION,
                           .group = STL_GROUP_ANALYSIS,
                           .minimum = 1024,
                           .maximum = 65536,
                           .fallback = 4096,
                           .unit = STL_UNIT_SAMPLES,
                           .choice_count = 7,
                           .choices = {{1024, "1024", "1024"},
                                       {2048, "2048", "2048"},
                                       {4096, "4096", "4096"},
                                       {8192, "8192", "8192"},
                                       {16384, "16384", "16k"},
                                       {32768, "32768", "32k"},
                                       {65536, "65536", "64k"}}},
    [STL_PORT_AVERAGING] = {.symbol = "averaging",
                            .name = "Averaging time",
                            .comment = "Time constant of the exponential average of the power "
                                       "spectrum (linear in power).",
                            .kind = STL_KIND_FLOAT,
                            .group = STL_GROUP_ANALYSIS,
                            .minimum = 0.01f,
                            .maximum = 30,
                            .fallback = 1,
                            .logarithmic = 1,
                            .unit = STL_UNIT_SECONDS},
    [STL_PORT_ANALYSIS_RATE] = {.symbol = "analysis_rate",
                                .name = "Analysis rate",
                                .comment = "Sample rate of the analysis: the host's, or a fixed "
                                           "rate through libsamplerate so that mel views mean the "
                                           "same at every host rate.",
                                .kind = STL_KIND_ENUMERATION,
                                .group = STL_GROUP_ANALYSIS,
                                .minimum = 0,
                                .maximum = 22050,
                                .fallback = 22050,
                                .unit = STL_UNIT_HERTZ,
                                .choice_count = 3,
                                .choices = {{0, "Host rate", "host"},
                                            {16000, "16000 Hz", "16 kHz"},
                                            {22050, "22050 Hz", "22.05 kHz"}}},
    [STL_PORT_MEL_BANDS] = {.symbol = "mel_bands",
                            .name = "Mel bands",
                            .comment = "Number of Slaney mel filters of the mel spectrogram and "
                                       "the cepstral view (a power of two: other values are "
                                       "rounded to the nearest one).",
                            .kind = STL_KIND_ENUMERATION,
                            .group = STL_GROUP_ANALYSIS,
                            .minimum = 32,
                            .maximum = 256,
                            .fallback = 128,
                            .unit = STL_UNIT_BANDS,
                            .choice_count = 4,
                            .choices = {{32, "32 bands", "32"},
                                        {64, "64 bands", "64"},
                                        {128, "128 bands", "128"},
                                        {256, "256 bands", "256"}}},
    [STL_PORT_TIDE_MODE] = {.symbol = "tide_mode",
                            .name = "Tide mode",
                            .comment = "How the noise tide level is given: a plain sigma in "
                                       "dBFS, or a diffusion schedule at time t (sigma = "
                                       "s(t)/a(t)).",
                            .kind = STL_KIND_ENUMERATION,
                            .group = STL_GROUP_TIDE,
                            .minimum = 0,
                            .maximum = 1,
                            .fallback = STL_TIDE_SIGMA,
                            .choice_count = 2,
                            .choices = {{STL_TIDE_SIGMA, "Sigma (dBFS)", "sigma"},
                                        {STL_TIDE_SCHEDULE, "Schedule and t", "schedule"}}},
    [STL_PORT_SCHEDULE] = {.symbol = "schedule",
                           .name = "Schedule",
                           .comment = "Diffusion schedule x_t = a(t) x0 + s(t) eps used in "
                                      "schedule mode.",
                           .kind = STL_KIND_ENUMERATION,
                           .group = STL_GROUP_TIDE,
                           .minimum = 0,
                           .maximum = 5,
                           .fallback = 0,
                           .choice_count = 6,
                           .choices = {{0, "rectified-flow", "rectified-flow"},
                                       {1, "sd3", "sd3"},
                                       {2, "cosine", "cosine"},
                                       {3, "ddpm", "ddpm"},
                                       {4, "scaled-linear", "scaled-linear"},
                                       {5, "edm", "edm"}}},
    [STL_PORT_T] = {.symbol = "t",
                    .name = "t",
                    .comment = "Diffusion time in schedule mode: 0 is the clean signal, 1 pure "
                               "noise.",
                    .kind = STL_KIND_FLOAT,
                    .group = STL_GROUP_TIDE,
                    .minimum = 0,
                    .maximum = 1,
                    .fallback = 0.5f,
                    .unit = STL_UNIT_TIME},
    [STL_PORT_SIGMA_DB] = {.symbol = "sigma_db",
                           .name = "Sigma",
                           .comment = "Noise tide level in sigma mode: standard deviation of the "
                                      "Gaussian noise, dBFS.",
                           .kind = STL_KIND_FLOAT,
                           .group = STL_GROUP_TIDE,
                           .minimum = -120,
                           .maximum = 20,
                           .fallback = -40,
                           .unit = STL_UNIT_DBFS},
    [STL_PORT_TAU_DB] = {.symbol = "tau_db",
                         .name = "SNR threshold",
                         .comment = "tau: bins whose power is below tau * sigma^2 are under "
                                    "water.",
                         .kind = STL_KIND_FLOAT,
                         .group = STL_GROUP_TIDE,
                         .minimum = -20,
                         .maximum = 40,
                         .fallback = 0,
                         .unit = STL_UNIT_DB},
    [STL_PORT_AUDITION] = {.symbol = "audition",
                           .name = "Audition",
                           .comment = "What is heard: the input unchanged, the input plus the "
                                      "noise tide, the STFT bins above water, or the bins below "
                                      "water.",
                           .kind = STL_KIND_ENUMERATION,
                           .group = STL_GROUP_AUDITION,
                           .minimum = 0,
                           .maximum = 3,
                           .fallback = STL_AUDITION_OFF,
                           .choice_count = 4,
                           .choices = {{STL_AUDITION_OFF, "Off", "off"},
                                       {STL_AUDITION_NOISE, "Noise", "noise"},
                                       {STL_AUDITION_MASK, "Mask: what survives", "mask"},
                                       {STL_AUDITION_RESIDUAL, "Residual: what drowns",
                                        "residual"}}},
    [STL_PORT_FREEZE] = {.symbol = "freeze",
                         .name = "Freeze",
                         .comment = "Holds the analysis (display and output controls); audio "
                                    "keeps running.",
                         .kind = STL_KIND_TOGGLE,
                         .group = STL_GROUP_ANALYSIS,
                         .minimum = 0,
                         .maximum = 1,
                         .fallback = 0},
    [STL_PORT_SEED] = {.symbol = "seed",
                       .name = "Seed",
                       .comment = "Seed of the reproducible Gaussian noise of the noise "
                                  "audition.",
                       .kind = STL_KIND_INTEGER,
                       .group = STL_GROUP_AUDITION,
                       .minimum = 0,
                       .maximum = 16777215,
                       .fallback = 1,
                       .unit = STL_UNIT_SEED},
    [STL_PORT_SLOPE] = {.symbol = "slope",
                        .name = "Slope (dB/oct)",
                        .comment = "Least-squares slope of the averaged spectrum, dB per octave "
                                   "(white noise 0, pink -3).",
                        .kind = STL_KIND_OUTPUT_FLOAT,
                        .group = STL_GROUP_READINGS,
                        .minimum = -30,
                        .maximum = 30,
                        .fallback = 0,
                        .unit = STL_UNIT_DB_PER_OCTAVE},
    [STL_PORT_ALPHA] = {.symbol = "alpha",
                        .name = "Cepstral alpha",
                        .comment = "Power-law exponent alpha of the RAPSD of the log-mel "
                                   "spectrogram seen as an image.",
                        .kind = STL_KIND_OUTPUT_FLOAT,
                        .group = STL_GROUP_READINGS,
                        .minimum = 0,
                        .maximum = 6,
                        .fallback = 0,
                        .unit = STL_UNIT_EXPONENT},
    [STL_PORT_ABOVE_BINS] = {.symbol = "above_bins",
                             .name = "Spectrum above water",
                             .comment = "Share of the spectrum bins above tau * sigma^2, "
                                        "percent.",
                             .kind = STL_KIND_OUTPUT_FLOAT,
                             .group = STL_GROUP_READINGS,
                             .minimum = 0,
                             .maximum = 100,
                             .fallback = 0,
                             .unit = STL_UNIT_PERCENT},
    [STL_PORT_ABOVE_ENERGY] = {.symbol = "above_energy",
                               .name = "Energy above water",
                               .comment = "Share of the spectral energy in bins above tau * "
                                          "sigma^2, percent.",
                               .kind = STL_KIND_OUTPUT_FLOAT,
                               .group = STL_GROUP_READINGS,
                               .minimum = 0,
                               .maximum = 100,
                               .fallback = 0,
                               .unit = STL_UNIT_PERCENT},
    [STL_PORT_LATENCY] = {.symbol = "latency",
                          .name = "Latency",
                          .comment = "Latency of the audition in mask and residual modes: "
                                     "the FFT size, plus FFT size / 8 above 4096 points (each "
                                     "frame's work spread over half a hop); 0 otherwise.",
                          .kind = STL_KIND_OUTPUT_INTEGER,
                          .group = STL_GROUP_READINGS,
                          .minimum = 0,
                          .maximum = 65536 + 65536 / 8,
                          .fallback = 0,
                          .unit = STL_UNIT_SAMPLES},
    [STL_PORT_CHANNEL] = {.symbol = "channel",
                          .name = "Analysed channel",
                          .comment = "Which signal the analysis sees; the audition modes process "
                                     "both channels.",
                          .kind = STL_KIND_ENUMERATION,
                          .group = STL_GROUP_ANALYSIS,
                          .minimum = 0,
                          .maximum = 3,
                          .fallback = STL_CHANNEL_MID,
                          .choice_count = 4,
                          .choices = {{STL_CHANNEL_MID, "Mid (L+R)/2", "mid"},
                                      {STL_CHANNEL_LEFT, "Left", "left"},
                                      {STL_CHANNEL_RIGHT, "Right", "right"},
                                      {STL_CHANNEL_SIDE, "Side (L-R)/2", "side"}},
                          .stereo_only = 1},
    [STL_PORT_DISPLAY_TOP] = {.symbol = "display_top",
                              .name = "Display top",
                              .comment = "Top of the dB axis of the spectrum, in the UI and the "
                                         "mixer strip's inline display; Auto follows the signal "
                                         "so that nothing runs off the top.",
                              .kind = STL_KIND_ENUMERATION,
                              .group = STL_GROUP_DISPLAY,
                              .minimum = -40,
                              .maximum = STL_DISPLAY_TOP_AUTO,
                              .fallback = STL_DISPLAY_TOP_AUTO,
                              .unit = STL_UNIT_DB_WHOLE,
                              .choice_count = 6,
                              .choices = {{STL_DISPLAY_TOP_AUTO, "Auto", "auto"},
                                          {40, "+40 dB", "+40"},
                                          {20, "+20 dB", "+20"},
                                          {0, "0 dB", "0"},
                                          {-20, "-20 dB", "-20"},
                                          {-40, "-40 dB", "-40"}}},
    [STL_PORT_DISPLAY_RANGE] = {.symbol = "display_range",
                                .name = "Display range",
                                .comment = "How many dB the spectrum's axis shows below its top "
                                           "(and the mel spectrogram's colours).",
                                .kind = STL_KIND_ENUMERATION,
                                .group = STL_GROUP_DISPLAY,
                                .minimum = 60,
                                .maximum = 140,
                                .fallback = 120,
                                .unit = STL_UNIT_DB_WHOLE,
                                .choice_count = 5,
                                .choices = {{60, "60 dB", "60 dB"},
                                            {80, "80 dB", "80 dB"},
                                            {100, "100 dB", "100 dB"},
                                            {120, "120 dB", "120 dB"},
                                            {140, "140 dB", "140 dB"}}},
};

int stl_port_index(int stereo, stl_port port)
{
    if (port < 0 || port >= STL_PORT_COUNT) {
        return -1;
    }
    if (stereo) {
        return STL_STEREO_FIRST + (int)port;
    }
    if (port == STL_PORT_CHANNEL) {
        return -1;
    }
    return STL_MONO_FIRST + (int)port - (port > STL_PORT_CHANNEL ? 1 : 0);
}

int stl_port_from_index(int stereo, int index)
{
    for (int port = 0; port < STL_PORT_COUNT; port++) {
        if (stl_port_index(stereo, (stl_port)port) == index) {
            return port;
        }
    }
    return -1;
}

double stl_port_value(stl_port port, const float *value)
{
    const stl_port_info *info = &stl_ports[port];
    if (!value || !isfinite(*value)) {
        return info->fallback;
    }
    double x = *value;
    return x < info->minimum ? info->minimum : x > info->maximum ? info->maximum : x;
}

int stl_port_integer(stl_port port, const float *value)
{
    return (int)lround(stl_port_value(port, value));
}

const char *stl_port_format(stl_port port, double value, char *out, unsigned size)
{
    const stl_port_info *info = &stl_ports[port];
    for (int i = 0; i < info->choice_count; i++) {
        if (info->choices[i].value == value) {
            snprintf(out, size, "%s", info->choices[i].label);
            return out;
        }
    }
    const char *render = stl_units[info->unit].render;
    snprintf(out, size, render[0] ? render : "%g", value);
    return out;
}
