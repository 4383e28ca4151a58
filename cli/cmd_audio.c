/* spectide audio: the blog's comparison. The waveform's averaged spectrum is
 * not a power law (slope and monotonicity say how far from one it is); the
 * log-mel spectrogram seen as an image has a power-law RAPSD again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "audio_analysis.h"

#include "spectide_view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char audio_help[] =
    "usage: spectide audio [--rate HZ] [--n-fft N] [--hop H] [--mels M] [--average]\n"
    "                      [--csv FILE] [--plot FILE.png|FILE.svg] FILE...\n"
    "\n"
    "For each audio file (WAV, FLAC, Ogg/Vorbis, ...; several channels are mixed\n"
    "to mono), resampled to the analysis rate, prints the duration, the rate, and:\n"
    "  - the spectral slope (dB/octave) and the monotonicity (share of 1/3-octave\n"
    "    bands whose power decreases: 1 for a power law, ~0.5 for white noise) of\n"
    "    the Welch spectrum (periodic Hann, linear-power mean over all frames),\n"
    "    between max(50 Hz, 4 bins) and 0.45 x rate (0.4 x the lower rate when\n"
    "    resampled);\n"
    "  - alpha of the RAPSD of the log-mel spectrogram (mels x frames, centred\n"
    "    frames, dB floored at max - 80 dB) seen as an image.\n"
    "\n"
    "  --rate HZ     analysis rate (default 22050; libsamplerate SINC_FASTEST)\n"
    "  --n-fft N     FFT size, power of two 256..65536 (default 2048)\n"
    "  --hop H       hop in samples (default 512)\n"
    "  --mels M      mel bands (default 128, Slaney scale and area norm)\n"
    "  --average     one result over all files: log-domain mean of their spectra\n"
    "                and of their mel-spectrogram RAPSDs\n"
    "  --csv FILE    header 'freq_hz,power': the Welch spectrum as the per-bin\n"
    "                power of the file's own signal, in squared full-scale units:\n"
    "                white noise of variance v reads v at any file rate and any\n"
    "                --rate (the analysis power is scaled by file rate / analysis\n"
    "                rate). Resampled, it is flat up to 0.7 x the lower Nyquist;\n"
    "                above that the resampler's roll-off shows. With --average the\n"
    "                log-domain mean. Several files need --average.\n"
    "  --plot FILE   the averaged spectrum (not a power law; the scale of --csv)\n"
    "                beside the mel-spectrogram RAPSD with its fit (a power law);\n"
    "                for one file also its log-mel spectrogram. PNG or SVG.\n"
    "\n"
    "Conventions: docs/conventions.md (audio spectra).\n"
    "\n"
    "Exit status: 0 success, 1 unreadable/truncated/empty audio, 2 bad usage.\n";

#define MAX_FILES 256

static const uint32_t palette[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728,
                                   0x9467bd, 0x8c564b, 0xe377c2, 0x17becf};

typedef struct {
    const char *name;
    double duration;
    int file_rate, channels;
    int bins;
    double *freq_hz, *power; /* Welch spectrum */
    double slope, monotonicity;
    int rings;
    double *ring_freq, *ring_power; /* RAPSD of the log-mel image */
    st_powerlaw fit;
    int fit_ok;
    float *log_mel; /* frames * mels, kept for the plot of a single file */
    long mel_frames;
} audio_result;

typedef struct {
    int rate, n_fft, hop, mels;
} audio_settings;

static void free_result(audio_result *r)
{
    free(r->freq_hz);
    free(r->power);
    free(r->ring_freq);
    free(r->ring_power);
    free(r->log_mel);
    memset(r, 0, sizeof *r);
}

static void shape_band(const audio_settings *settings, int file_rate, double *low, double *high)
{
    double bin_hz = (double)settings->rate / settings->n_fft;
    *low = fmax(50.0, 4 * bin_hz);
    /* Below the resampler's roll-off (as the LV2 plugin). */
    *high =
        file_rate != settings->rate ? 0.4 * fmin(settings->rate, file_rate) : 0.45 * settings->rate;
}

static void measure_shape(audio_result *r, const audio_settings *settings)
{
    double low, high, bin_hz = (double)settings->rate / settings->n_fft;
    shape_band(settings, r->file_rate, &low, &high);
    /* NaN (printed as such) when the band is too narrow to measure. */
    if (st_spectral_slope_db_per_octave(r->power, r->bins, bin_hz, low, high, &r->slope) != ST_OK)
        r->slope = NAN;
    if (st_monotonicity(r->power, r->bins, bin_hz, low, high, &r->monotonicity) != ST_OK)
        r->monotonicity = NAN;
}

/* RAPSD of the log-mel spectrogram through core's cepstral view. */
static int cepstral_rapsd(audio_result *r, int mels)
{
    if (r->mel_frames < 2)
        return CLI_BAD_INPUT;
    st_cepstral *view = st_cepstral_new(mels, (int)r->mel_frames, NULL);
    if (!view)
        return CLI_BAD_INPUT;
    for (long j = 0; j < r->mel_frames; j++)
        st_cepstral_push(view, r->log_mel + (size_t)j * mels);
    r->rings = st_cepstral_ring_count(view);
    r->ring_freq = malloc(sizeof(double) * r->rings);
    r->ring_power = malloc(sizeof(double) * r->rings);
    int status = r->ring_freq && r->ring_power ? CLI_OK : CLI_BAD_INPUT;
    if (status == CLI_OK)
        r->fit_ok = st_cepstral_run(view, r->ring_freq, r->ring_power, &r->fit) == ST_OK;
    st_cepstral_free(view);
    return status;
}

static int analyse_file(const char *path, const audio_settings *settings, audio_result *r)
{
    cli_audio audio;
    int status = cli_audio_load(path, &audio);
    if (status != CLI_OK)
        return status;
    r->name = cli_basename(path);
    r->file_rate = audio.rate;
    r->channels = audio.channels;
    r->duration = (double)audio.frames / audio.rate;
    status = cli_audio_resample(&audio, settings->rate, path);
    if (status == CLI_OK)
        status = cli_welch(audio.samples, audio.frames, settings->n_fft, settings->hop, &r->power,
                           &r->bins);
    /* The power of the file's own signal, whatever the analysis rate
     * (docs/conventions.md): white noise of variance v reads v. */
    double scale = st_rate_power_scale(r->file_rate, settings->rate);
    for (int k = 0; status == CLI_OK && k < r->bins; k++)
        r->power[k] *= scale;
    if (status == CLI_OK) {
        r->freq_hz = malloc(sizeof(double) * r->bins);
        if (!r->freq_hz)
            status = CLI_BAD_INPUT;
        for (int k = 0; status == CLI_OK && k < r->bins; k++)
            r->freq_hz[k] = (double)k * settings->rate / settings->n_fft;
    }
    if (status == CLI_OK)
        status = cli_log_mel(audio.samples, audio.frames, settings->rate, settings->n_fft,
                             settings->hop, settings->mels, 80.0, &r->log_mel, &r->mel_frames);
    if (status == CLI_OK && cepstral_rapsd(r, settings->mels) != CLI_OK) {
        cli_error("%s: too short for a mel spectrogram of 2 frames or more", path);
        status = CLI_BAD_INPUT;
    } else if (status != CLI_OK) {
        cli_error("%s: analysis failed (out of memory?)", path);
    }
    if (status == CLI_OK)
        measure_shape(r, settings);
    cli_audio_free(&audio);
    return status;
}

/* Log-domain mean of x/y curves (Welch spectra, or RAPSDs) into out. */
static int log_mean(const double *const *x, const double *const *y, const int *n, int count,
                    double **out_x, double **out_y, int *out_n)
{
    st_logavg *avg = st_logavg_new(NULL);
    if (!avg)
        return CLI_BAD_INPUT;
    for (int i = 0; i < count; i++)
        st_logavg_add(avg, x[i], y[i], n[i]);
    const double *fx = NULL, *ly = NULL;
    *out_n = st_logavg_result(avg, &fx, &ly);
    *out_x = malloc(sizeof(double) * (*out_n > 0 ? *out_n : 1));
    *out_y = malloc(sizeof(double) * (*out_n > 0 ? *out_n : 1));
    int status = *out_n > 0 && *out_x && *out_y ? CLI_OK : CLI_BAD_INPUT;
    for (int i = 0; status == CLI_OK && i < *out_n; i++) {
        (*out_x)[i] = fx[i];
        (*out_y)[i] = pow(10.0, ly[i]);
    }
    st_logavg_free(avg);
    return status;
}

static int average_results(const audio_result *results, int count, const audio_settings *settings,
                           audio_result *mean)
{
    memset(mean, 0, sizeof *mean);
    mean->name = "mean";
    const double *x[MAX_FILES] = {0}, *y[MAX_FILES] = {0};
    int n[MAX_FILES] = {0};
    int lowest_rate = results[0].file_rate;
    for (int i = 0; i < count; i++) {
        x[i] = results[i].freq_hz;
        y[i] = results[i].power;
        n[i] = results[i].bins;
        mean->duration += results[i].duration;
        if (results[i].file_rate < lowest_rate)
            lowest_rate = results[i].file_rate;
    }
    mean->file_rate = lowest_rate;
    if (log_mean(x, y, n, count, &mean->freq_hz, &mean->power, &mean->bins) != CLI_OK)
        return CLI_BAD_INPUT;
    for (int i = 0; i < count; i++) {
        x[i] = results[i].ring_freq;
        y[i] = results[i].ring_power;
        n[i] = results[i].rings;
    }
    if (log_mean(x, y, n, count, &mean->ring_freq, &mean->ring_power, &mean->rings) != CLI_OK)
        return CLI_BAD_INPUT;
    mean->fit_ok = st_powerlaw_fit(mean->ring_freq, mean->ring_power, mean->rings, 0.0, 0.0, 0,
                                   &mean->fit) == ST_OK;
    measure_shape(mean, settings);
    return CLI_OK;
}

static void print_result(const char *what, const audio_result *r, const audio_settings *s)
{
    printf("%s: %.2f s, %d Hz, %d channel%s, analysed at %d Hz\n", what, r->duration, r->file_rate,
           r->channels, r->channels == 1 ? "" : "s", s->rate);
    printf("  waveform spectrum: slope %.2f dB/octave, monotonicity %.2f\n", r->slope,
           r->monotonicity);
    if (r->fit_ok)
        printf("  mel-spectrogram RAPSD: alpha %.3f, R^2 %.4f\n", r->fit.alpha, r->fit.r_squared);
    else
        printf("  mel-spectrogram RAPSD: no power-law fit (constant spectrogram?)\n");
}

typedef struct {
    const audio_result *results;
    int count;
    const audio_settings *settings;
} audio_plot_data;

/* The file name without extension, at most 24 characters, for legends. */
static const char *short_name(const char *name)
{
    static char buffer[4][32];
    static int next;
    char *out = buffer[next++ % 4];
    snprintf(out, sizeof buffer[0], "%.24s", name);
    char *dot = strrchr(out, '.');
    if (dot && dot != out)
        *dot = '\0';
    return out;
}

static void draw_spectrum_panel(cairo_t *cr, double x, double y, double w, double h,
                                const audio_plot_data *data)
{
    sv_plot *plot = sv_plot_new();
    sv_plot_set_title(plot, "waveform spectrum: not a power law");
    sv_plot_set_scale(plot, 0.85); /* room for the readouts in the legend */
    sv_plot_set_x_axis(plot, "frequency (Hz)", SV_AXIS_LOG, 20.0, data->settings->rate / 2.0, 1);
    sv_plot_set_legend(plot, SV_LEGEND_BOTTOM_LEFT);
    /* 90 dB below the loudest bin: the resampler's stop band is not of interest. */
    double top_db = -INFINITY;
    for (int i = 0; i < data->count; i++)
        for (int k = 1; k < data->results[i].bins; k++)
            top_db = fmax(top_db, 10.0 * log10(fmax(data->results[i].power[k], 1e-20)));
    sv_plot_set_y_axis(plot, "power (dB)", SV_AXIS_DB, top_db - 90.0, top_db + 5.0);
    for (int i = 0; i < data->count; i++) {
        const audio_result *r = &data->results[i];
        double *db = malloc(sizeof(double) * r->bins);
        if (!db)
            continue;
        for (int k = 0; k < r->bins; k++)
            db[k] = 10.0 * log10(r->power[k] > 1e-20 ? r->power[k] : 1e-20);
        char label[160];
        snprintf(label, sizeof label, "%.14s: %.1f dB/oct, monot. %.2f", short_name(r->name),
                 r->slope, r->monotonicity);
        sv_plot_add_curve(plot, r->freq_hz, db, r->bins, label,
                          data->count == 1 ? SV_COLOR_SIGNAL : palette[i % 8], SV_LINE_SOLID);
        free(db);
    }
    sv_plot_draw(plot, cr, x, y, w, h);
    sv_plot_free(plot);
}

static void draw_rapsd_panel(cairo_t *cr, double x, double y, double w, double h,
                             const audio_plot_data *data)
{
    sv_plot *plot = sv_plot_new();
    sv_plot_set_title(plot, "RAPSD of the log-mel spectrogram: a power law");
    sv_plot_set_x_axis(plot, "frequency (cycles/pixel)", SV_AXIS_LOG, 0, 0, 0);
    sv_plot_set_y_axis(plot, "power", SV_AXIS_LOG, 0, 0);
    sv_plot_set_legend(plot, SV_LEGEND_BOTTOM_LEFT);
    for (int i = 0; i < data->count; i++) {
        const audio_result *r = &data->results[i];
        uint32_t rgb = data->count == 1 ? SV_COLOR_SIGNAL : palette[i % 8];
        sv_plot_add_curve(plot, r->ring_freq, r->ring_power, r->rings, short_name(r->name), rgb,
                          SV_LINE_SOLID);
        if (r->fit_ok) {
            char label[64];
            sv_powerlaw_label(&r->fit, label, sizeof label);
            sv_plot_add_powerlaw(plot, &r->fit, NULL, 0, label,
                                 data->count == 1 ? SV_COLOR_FIT : rgb);
        }
    }
    sv_plot_draw(plot, cr, x, y, w, h);
    sv_plot_free(plot);
}

static void draw_audio(cairo_t *cr, double width, double height, void *user_data)
{
    const audio_plot_data *data = user_data;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    double top = 0.0;
    const audio_result *r = &data->results[0];
    if (data->count == 1 && r->log_mel) {
        /* The spectrogram itself, above the two spectra. */
        top = height * 0.42;
        char title[256];
        snprintf(title, sizeof title, "log-mel spectrogram of %s (the 'image')", r->name);
        double seconds = (double)r->mel_frames * data->settings->hop / data->settings->rate;
        sv_matrix_style style = {title, "time (s)",           "mel band", "dB", 0.0, seconds,
                                 0.0,   data->settings->mels, 0,          0,    0};
        sv_matrix_draw(cr, 0, 0, width, top, r->log_mel, data->settings->mels, (int)r->mel_frames,
                       &style);
    }
    draw_spectrum_panel(cr, 0, top, width / 2, height - top, data);
    draw_rapsd_panel(cr, width / 2, top, width / 2, height - top, data);
}

static int write_csv(cli_outputs *outputs, const char *path, const audio_result *r)
{
    FILE *file = cli_output_open(outputs, path);
    if (!file)
        return CLI_BAD_INPUT;
    fputs("freq_hz,power\n", file);
    for (int k = 0; k < r->bins; k++)
        fprintf(file, "%.9g,%.9g\n", r->freq_hz[k], r->power[k]);
    return CLI_OK;
}

int cli_check_audio_settings(const char *command, int rate, int n_fft, int hop, int mels)
{
    if (rate < 1000 || rate > 768000)
        return cli_usage_error(command, "--rate must be between 1000 and 768000 Hz");
    if (n_fft < ST_FFT_SIZE_MIN || n_fft > ST_FFT_SIZE_MAX || (n_fft & (n_fft - 1)))
        return cli_usage_error(command, "--n-fft must be a power of two in %d..%d", ST_FFT_SIZE_MIN,
                               ST_FFT_SIZE_MAX);
    if (hop < 1 || hop > n_fft)
        return cli_usage_error(command, "--hop must be in 1..n_fft");
    if (mels < 2 || mels > 1024)
        return cli_usage_error(command, "--mels must be in 2..1024");
    return CLI_OK;
}

int cmd_audio(int argc, char **argv)
{
    audio_settings settings = {22050, 2048, 512, 128};
    const char *csv = NULL, *plot = NULL;
    int average = 0;
    cli_option options[] = {
        {"rate", CLI_INT, &settings.rate, NULL, 0}, {"n-fft", CLI_INT, &settings.n_fft, NULL, 0},
        {"hop", CLI_INT, &settings.hop, NULL, 0},   {"mels", CLI_INT, &settings.mels, NULL, 0},
        {"average", CLI_FLAG, &average, NULL, 0},   {"csv", CLI_STRING, &csv, NULL, 0},
        {"plot", CLI_STRING, &plot, NULL, 0},
    };
    const char *files[MAX_FILES];
    int count = 0;
    int status = cli_parse("audio", audio_help, argc, argv, CLI_OPTIONS(options), files, &count,
                           CLI_COUNT(files));
    if (status != CLI_OK)
        return status;
    status = cli_check_audio_settings("audio", settings.rate, settings.n_fft, settings.hop,
                                      settings.mels);
    if (status != CLI_OK)
        return status;
    if (count == 0)
        return cli_usage_error("audio", "no audio file given");
    if (csv && count > 1 && !average)
        return cli_usage_error("audio", "--csv with several files needs --average");
    if (plot && !cli_is_plot_path(plot))
        return cli_usage_error("audio", "--plot needs a .png or .svg file name, not '%s'", plot);

    audio_result results[MAX_FILES];
    memset(results, 0, sizeof results);
    for (int i = 0; i < count && status == CLI_OK; i++)
        status = analyse_file(files[i], &settings, &results[i]);
    audio_result mean = {0};
    if (status == CLI_OK && average && average_results(results, count, &settings, &mean)) {
        cli_error("cannot average the spectra");
        status = CLI_BAD_INPUT;
    }
    if (status == CLI_OK && average) {
        char what[64];
        snprintf(what, sizeof what, "log-domain mean of %d file%s", count, count == 1 ? "" : "s");
        mean.channels = results[0].channels;
        print_result(what, &mean, &settings);
    }
    for (int i = 0; status == CLI_OK && !average && i < count; i++)
        print_result(files[i], &results[i], &settings);

    cli_outputs *outputs = cli_outputs_new();
    if (status == CLI_OK && csv)
        status = write_csv(outputs, csv, average ? &mean : &results[0]);
    audio_plot_data data = {average ? &mean : results, average ? 1 : count, &settings};
    int height = data.count == 1 && data.results[0].log_mel ? 1000 : 560;
    if (status == CLI_OK && plot)
        status = cli_output_plot(outputs, plot, 1600, height, draw_audio, &data);
    if (status == CLI_OK)
        status = cli_outputs_commit(outputs);
    cli_outputs_free(outputs);
    free_result(&mean);
    for (int i = 0; i < count; i++)
        free_result(&results[i]);
    return status;
}
