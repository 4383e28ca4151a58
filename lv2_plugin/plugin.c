/* spectide.lv2: the LV2 glue of the mono and stereo plugins (ports in
 * controls.h, messages in uris.h, the analysis in analysis_chain.c, the
 * mask and residual in audition.c, the inline display in inline_display.c).
 *
 * Host interaction, in the order a host meets it:
 * - instantiate: maps URIDs when urid:map is offered (it is optional: without
 *   it, as in lv2apply, audio, audition and control outputs still work and
 *   only the atom traffic stops), notes the worker and the inline display.
 * - activate: builds the analysis chain for the current control values
 *   (activate may allocate: it is in the instantiation threading class).
 * - run: audio first (bit-exact pass-through while audition is off), then
 *   the analysis. A change of FFT size, analysis rate or mel bands needs new
 *   plans: with the worker, a new chain is built in the worker thread and
 *   swapped in by work_response; without it (or while the host refuses
 *   jobs), the change waits for the next activate. Everything else applies
 *   at once. The worker may answer later from its own thread (jalv), or at
 *   once inside schedule_work() (Ardour while loading and exporting): see
 *   schedule_job(). The analysis and the mask spread every large FFT and
 *   the cepstral RAPSD over the samples after their frame (core's sliced
 *   objects), so each run() does work bounded by its length, with or
 *   without a worker, and all outputs are computed in run().
 * - notify: messages for the UI only while it listens, rate-limited and
 *   never larger than the buffer the host gave.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "analysis_chain.h"
#include "audition.h"
#include "controls.h"
#include "uris.h"
#ifdef STL_INLINE_DISPLAY
#include "inline_display.h"
#endif

#include <lv2/atom/forge.h>
#include <lv2/atom/util.h>
#include <lv2/core/lv2.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* run() works through the block in pieces of this many samples, on copies of
 * the inputs, so any aliasing of input and output buffers is harmless. */
#define PIECE STL_STAGE_SAMPLES
/* Inline display redraws per second, at most. */
#define DISPLAY_RATE_HZ 15
/* sigma from a schedule may leave the sigma port's range: at t = 0 there
 * is no water (s = 0), near t = 1 the noise is far above full scale. */
#define SIGMA_DB_MIN -200.0
#define SIGMA_DB_MAX 20.0

/* Worker messages: build a chain for a configuration (new plans and
 * buffers), or free a chain swapped out. One BUILD job is in flight at a
 * time. (The analysis itself needs no worker: every large transform is
 * spread over the samples after its frame, in run().) */
typedef struct {
    enum { JOB_BUILD, JOB_FREE } kind;
    stl_chain_config config;
    stl_chain *chain;
    stl_mask *masks[2];
} stl_job;

#define RETIRED_MAX 4

typedef struct {
    int stereo, channels;
    double rate;

    const float *in[2];
    float *out[2];
    const LV2_Atom_Sequence *control;
    LV2_Atom_Sequence *notify;
    float *port[STL_PORT_COUNT]; /* control ports by stl_port; NULL if unconnected */

    LV2_URID_Map *map;
    stl_uris uris;
    LV2_Atom_Forge forge;
    LV2_Atom_Forge_Frame notify_frame; /* the sequence being written in run() */
    LV2_Worker_Schedule *worker;
    /* A BUILD job was handed to the worker and its response has
     * not arrived. Audio thread only: set before schedule_work(), cleared by
     * work_response() (which may run inside schedule_work()), by a failed
     * schedule_work(), or when work() reports through `job_lost` that its
     * response could not be queued. */
    int job_in_flight;
    atomic_int job_lost;
    /* The configuration whose build failed (memory): not retried until the
     * controls ask for another one or activate() tries again. */
    stl_chain_config failed_config;
    int have_failed_config;
    /* Chains and masks swapped out, to free in the worker. Normally one at a
     * time; a few slots so that no response is ever dropped. */
    stl_job retired[RETIRED_MAX];
    int have_retired;

    stl_chain *chain;
    stl_mask *masks[2];
    float stage[PIECE];
    float in_copy[2][PIECE];

    /* Live state. */
    st_rng rng;
    double seed;
    int audition;
    double sigma;       /* noise standard deviation */
    double water_level; /* tau sigma^2 */
    double sigma_db, tau_db;
    int listening;
    int send_everything;
    long samples_since_message;
    long samples_since_draw;
    long cepstral_sent;

    /* Control outputs (kept so they hold between analysis frames). */
    float slope, alpha, above_bins, above_energy, latency;

#ifdef STL_INLINE_DISPLAY
    LV2_Inline_Display *queue_draw;
    stl_display *display;
    stl_display_frame display_frame;
#endif
    float log_frequency[STL_SPECTRUM_POINTS];
    float log_power[STL_SPECTRUM_POINTS];
    float log_peak[STL_SPECTRUM_POINTS];
    float ring_frequency[STL_CEPSTRAL_RINGS];
    float ring_power[STL_CEPSTRAL_RINGS];
} stl_plugin;

/* ------------------------------------------------------------------ */
/* Controls                                                            */
/* ------------------------------------------------------------------ */

/* A control as the DSP uses it: the table's default for NaN or Inf, else
 * clamped to the port's range (controls.c). */
static double control(const stl_plugin *self, stl_port port)
{
    return stl_port_value(port, self->port[port]);
}

static int integer_control(const stl_plugin *self, stl_port port)
{
    return stl_port_integer(port, self->port[port]);
}

static double clamp(double x, double low, double high)
{
    return x < low ? low : x > high ? high : x;
}

/* Mel bands are powers of two (32..256): FFTW executes the cepstral view's
 * mels x 128 transforms without allocating only for such heights, and they
 * run inside run(). */
static int mel_bands_from_control(double value)
{
    int bands = STL_MEL_BANDS_MIN;
    while (bands < STL_MEL_BANDS_MAX && bands * 1.5 <= value) {
        bands *= 2;
    }
    return bands;
}

static int fft_size_from_control(double value)
{
    int size = (int)stl_ports[STL_PORT_FFT_SIZE].minimum;
    while (size < stl_ports[STL_PORT_FFT_SIZE].maximum && size * 1.5 <= value) {
        size *= 2;
    }
    return size;
}

static stl_chain_config wanted_config(const stl_plugin *self)
{
    stl_chain_config config;
    config.fft_size = fft_size_from_control(control(self, STL_PORT_FFT_SIZE));
    config.host_rate = self->rate;
    /* The nearest of the port's choices: 0 (the host's rate), 16000, 22050. */
    double rate = control(self, STL_PORT_ANALYSIS_RATE);
    config.analysis_rate = rate < 8000 ? self->rate : rate < 19000 ? 16000.0 : 22050.0;
    config.mel_bands = mel_bands_from_control(control(self, STL_PORT_MEL_BANDS));
    return config;
}

/* sigma from the level, or s(t)/a(t) of the schedule (the x0 scale). */
static void update_tide(stl_plugin *self)
{
    int mode = integer_control(self, STL_PORT_TIDE_MODE);
    double sigma_db;
    if (mode == STL_TIDE_SCHEDULE) {
        int schedule = integer_control(self, STL_PORT_SCHEDULE);
        double a, s;
        st_schedule_coefficients((st_schedule)schedule, control(self, STL_PORT_T), &a, &s);
        sigma_db = a > 0 && s > 0 ? 20.0 * log10(s / a) : s > 0 ? SIGMA_DB_MAX : SIGMA_DB_MIN;
    } else {
        sigma_db = control(self, STL_PORT_SIGMA_DB);
    }
    self->sigma_db = clamp(sigma_db, SIGMA_DB_MIN, SIGMA_DB_MAX);
    self->tau_db = control(self, STL_PORT_TAU_DB);
    self->sigma = pow(10.0, self->sigma_db / 20.0);
    self->water_level = pow(10.0, self->tau_db / 10.0) * self->sigma * self->sigma;
}

static void update_seed(stl_plugin *self)
{
    double seed = integer_control(self, STL_PORT_SEED);
    if (seed != self->seed) {
        self->seed = seed;
        st_rng_seed(&self->rng, (uint64_t)seed);
    }
}

/* ------------------------------------------------------------------ */
/* Instantiation                                                        */
/* ------------------------------------------------------------------ */

static LV2_Handle instantiate(const LV2_Descriptor *descriptor, double rate,
                              const char *bundle_path, const LV2_Feature *const *features)
{
    (void)bundle_path;
    if (!(rate >= 1000.0 && rate <= 1536000.0)) {
        return NULL;
    }
    /* A guest in the host's process: leave FFTW's process-wide state (thread
     * support, planner lock) to the host and the other plug-ins; the core
     * serialises its own planning. Fails only if already set otherwise in
     * this module, which cannot happen: the plugin is its only user. */
    st_fftw_configure(ST_FFTW_PRIVATE);
    stl_plugin *self = calloc(1, sizeof *self);
    if (!self) {
        return NULL;
    }
    self->stereo = strcmp(descriptor->URI, STL_URI_STEREO) == 0;
    self->channels = self->stereo ? 2 : 1;
    self->rate = rate;
    self->seed = -1;
    for (int i = 0; features && features[i]; i++) {
        if (!strcmp(features[i]->URI, LV2_URID__map)) {
            self->map = (LV2_URID_Map *)features[i]->data;
        } else if (!strcmp(features[i]->URI, LV2_WORKER__schedule)) {
            self->worker = (LV2_Worker_Schedule *)features[i]->data;
        }
#ifdef STL_INLINE_DISPLAY
        else if (!strcmp(features[i]->URI, LV2_INLINEDISPLAY__queue_draw)) {
            self->queue_draw = (LV2_Inline_Display *)features[i]->data;
        }
#endif
    }
    if (self->map) {
        stl_uris_map(&self->uris, self->map);
        lv2_atom_forge_init(&self->forge, self->map);
    }
#ifdef STL_INLINE_DISPLAY
    if (self->queue_draw) {
        self->display = stl_display_new();
    }
#endif
    return self;
}

static void connect_port(LV2_Handle instance, uint32_t index, void *data)
{
    stl_plugin *self = instance;
    int first = self->stereo ? STL_STEREO_FIRST : STL_MONO_FIRST;
    if ((int)index < first) {
        int channel = (int)index % self->channels;
        if ((int)index < self->channels) {
            self->in[channel] = data;
        } else {
            self->out[channel] = data;
        }
        return;
    }
    int port = stl_port_from_index(self->stereo, (int)index);
    if (port == STL_PORT_CONTROL) {
        self->control = data;
    } else if (port == STL_PORT_NOTIFY) {
        self->notify = data;
    } else if (port >= 0) {
        self->port[port] = data;
    }
}

static void free_job(stl_job *job)
{
    stl_chain_free(job->chain);
    stl_mask_free(job->masks[0]);
    stl_mask_free(job->masks[1]);
    job->chain = NULL;
    job->masks[0] = job->masks[1] = NULL;
}

/* Builds a chain and its masks; 0 on failure (nothing is kept then). */
static int build_job(stl_job *job, int channels)
{
    job->chain = stl_chain_new(&job->config);
    for (int c = 0; c < channels; c++) {
        job->masks[c] = stl_mask_new(job->config.fft_size);
    }
    if (!job->chain || !job->masks[0] || (channels == 2 && !job->masks[1])) {
        free_job(job);
        return 0;
    }
    return 1;
}

static void install_job(stl_plugin *self, stl_job *job)
{
    stl_chain_free(self->chain);
    stl_mask_free(self->masks[0]);
    stl_mask_free(self->masks[1]);
    self->chain = job->chain;
    self->masks[0] = job->masks[0];
    self->masks[1] = job->masks[1];
}

static void activate(LV2_Handle instance)
{
    stl_plugin *self = instance;
    stl_chain_config config = wanted_config(self);
    /* With a job in flight the worker may be using the chain: then the new
     * configuration comes through the worker, as during run(). */
    int changed =
        !self->chain || !stl_chain_config_equal(stl_chain_get_config(self->chain), &config);
    if (atomic_exchange(&self->job_lost, 0)) {
        self->job_in_flight = 0;
    }
    self->have_failed_config = 0;
    if (changed && !self->job_in_flight) {
        stl_job job = {.kind = JOB_BUILD, .config = config};
        if (build_job(&job, self->channels)) {
            install_job(self, &job);
        }
    }
    if (self->chain) {
        stl_chain_reset(self->chain);
        for (int c = 0; c < self->channels; c++) {
            stl_mask_reset(self->masks[c]);
        }
    }
    self->cepstral_sent = 0;
    self->seed = -1;
    update_seed(self);
    self->audition = STL_AUDITION_OFF;
    self->samples_since_message = 0;
    self->slope = self->alpha = self->above_bins = self->above_energy = 0;
}

static void deactivate(LV2_Handle instance)
{
    (void)instance;
}

static void cleanup(LV2_Handle instance)
{
    stl_plugin *self = instance;
    stl_chain_free(self->chain);
    stl_mask_free(self->masks[0]);
    stl_mask_free(self->masks[1]);
    for (int i = 0; i < self->have_retired; i++) {
        free_job(&self->retired[i]);
    }
#ifdef STL_INLINE_DISPLAY
    stl_display_free(self->display);
#endif
    free(self);
}

/* ------------------------------------------------------------------ */
/* Worker                                                               */
/* ------------------------------------------------------------------ */

/* Worker thread (or, for a host that works synchronously, inside
 * schedule_work() in the audio thread). Builds or frees; touches nothing the
 * audio thread uses. */
static LV2_Worker_Status work(LV2_Handle instance, LV2_Worker_Respond_Function respond,
                              LV2_Worker_Respond_Handle handle, uint32_t size, const void *data)
{
    stl_plugin *self = instance;
    if (size != sizeof(stl_job)) {
        return LV2_WORKER_ERR_UNKNOWN;
    }
    stl_job job;
    memcpy(&job, data, sizeof job);
    if (job.kind == JOB_FREE) {
        free_job(&job);
        return LV2_WORKER_SUCCESS;
    }
    if (job.kind != JOB_BUILD) {
        return LV2_WORKER_ERR_UNKNOWN;
    }
    build_job(&job, self->channels); /* a failed build answers with no chain */
    LV2_Worker_Status status = respond(handle, sizeof job, &job);
    if (status != LV2_WORKER_SUCCESS) {
        /* The host could not queue the response: the job never comes back,
         * so say so to run(), which would otherwise wait for it forever. */
        free_job(&job);
        atomic_store(&self->job_lost, 1);
    }
    return status;
}

/* Audio thread, between run() calls or inside schedule_work(). */
static LV2_Worker_Status work_response(LV2_Handle instance, uint32_t size, const void *data)
{
    stl_plugin *self = instance;
    if (size != sizeof(stl_job)) {
        return LV2_WORKER_ERR_UNKNOWN;
    }
    stl_job job;
    memcpy(&job, data, sizeof job);
    self->job_in_flight = 0;
    if (job.kind != JOB_BUILD) {
        return LV2_WORKER_ERR_UNKNOWN;
    }
    if (!job.chain) {
        /* The build failed: keep the current chain, do not ask again for
         * the same configuration at every run. */
        self->failed_config = job.config;
        self->have_failed_config = 1;
        return LV2_WORKER_SUCCESS;
    }
    if (self->have_retired == RETIRED_MAX) {
        /* Unreachable: a BUILD is only scheduled when nothing waits to be
         * freed. Bounds the array rather than trusting that (the new chain
         * would leak then: it cannot be freed here). */
        return LV2_WORKER_SUCCESS;
    }
    self->retired[self->have_retired++] = (stl_job){
        .kind = JOB_FREE, .chain = self->chain, .masks = {self->masks[0], self->masks[1]}};
    self->chain = job.chain;
    self->masks[0] = job.masks[0];
    self->masks[1] = job.masks[1];
    stl_chain_reset(self->chain);
    for (int c = 0; c < self->channels; c++) {
        stl_mask_reset(self->masks[c]);
    }
    self->cepstral_sent = 0; /* the new chain counts its results from 1 */
    return LV2_WORKER_SUCCESS;
}

static LV2_Worker_Status end_run(LV2_Handle instance)
{
    (void)instance;
    return LV2_WORKER_SUCCESS;
}

/* Hands a BUILD job to the worker; returns 0 if the host
 * refused it. The in-flight state is set *before* schedule_work(): a host
 * may run work() and work_response() inside schedule_work() (Ardour does
 * while it loads a session and while it exports; the worker extension
 * allows it), and work_response() then clears it before schedule_work()
 * returns. Nothing of the plugin may be cached across the call either:
 * the response may already have swapped the chain. */
static int schedule_job(stl_plugin *self, const stl_job *job)
{
    self->job_in_flight = 1;
    if (self->worker->schedule_work(self->worker->handle, sizeof *job, job) == LV2_WORKER_SUCCESS) {
        return 1;
    }
    self->job_in_flight = 0;
    return 0;
}

/* Frees what was swapped out, then asks for a chain matching the controls. */
static void schedule_jobs(stl_plugin *self)
{
    if (atomic_exchange(&self->job_lost, 0)) {
        self->job_in_flight = 0;
    }
    if (!self->worker) {
        return;
    }
    while (self->have_retired > 0) {
        stl_job job = self->retired[--self->have_retired];
        if (self->worker->schedule_work(self->worker->handle, sizeof job, &job) !=
            LV2_WORKER_SUCCESS) {
            self->retired[self->have_retired++] = job; /* again at the next run */
            break;
        }
    }
    if (self->job_in_flight || self->have_retired || !self->chain) {
        return;
    }
    stl_chain_config config = wanted_config(self);
    if (!stl_chain_config_equal(stl_chain_get_config(self->chain), &config) &&
        (!self->have_failed_config || !stl_chain_config_equal(&self->failed_config, &config))) {
        stl_job job = {.kind = JOB_BUILD, .config = config};
        if (schedule_job(self, &job)) {
            return;
        }
        /* Refused: asked again at the next run; the current chain goes on. */
    }
}

/* ------------------------------------------------------------------ */
/* Audio                                                                */
/* ------------------------------------------------------------------ */

static void set_audition(stl_plugin *self, int audition)
{
    int masking = audition == STL_AUDITION_MASK || audition == STL_AUDITION_RESIDUAL;
    int was_masking =
        self->audition == STL_AUDITION_MASK || self->audition == STL_AUDITION_RESIDUAL;
    if (masking && !was_masking && self->chain) {
        for (int c = 0; c < self->channels; c++) {
            stl_mask_reset(self->masks[c]);
        }
    }
    self->audition = audition;
}

static void process_audio(stl_plugin *self, int offset, int n)
{
    for (int c = 0; c < self->channels; c++) {
        const float *in = self->in_copy[c];
        float *out = self->out[c] + offset;
        switch (self->audition) {
        case STL_AUDITION_NOISE:
            for (int i = 0; i < n; i++) {
                float x = isfinite(in[i]) ? in[i] : 0.0f;
                out[i] = x + (float)(self->sigma * st_rng_gaussian(&self->rng));
            }
            break;
        case STL_AUDITION_MASK:
            stl_mask_run(self->masks[c], in, out, NULL, n, self->water_level);
            break;
        case STL_AUDITION_RESIDUAL:
            /* The mask writes what survives into the scratch buffer and what
             * it removed into the output. */
            stl_mask_run(self->masks[c], in, self->stage, out, n, self->water_level);
            break;
        default:
            memcpy(out, in, sizeof(float) * (size_t)n);
        }
    }
}

/* The signal the analysis sees: mono, or mid/left/right/side of a stereo
 * pair; non-finite samples become 0 and denormals 0, so that neither the
 * resampler's filter state nor the average is ever poisoned. */
static void stage_analysis(stl_plugin *self, int n)
{
    int which = self->stereo ? integer_control(self, STL_PORT_CHANNEL) : STL_CHANNEL_LEFT;
    for (int i = 0; i < n; i++) {
        float x;
        if (which == STL_CHANNEL_LEFT) {
            x = self->in_copy[0][i];
        } else if (which == STL_CHANNEL_RIGHT) {
            x = self->in_copy[1][i];
        } else if (which == STL_CHANNEL_SIDE) {
            x = 0.5f * (self->in_copy[0][i] - self->in_copy[1][i]);
        } else {
            x = 0.5f * (self->in_copy[0][i] + self->in_copy[1][i]);
        }
        self->stage[i] = isfinite(x) && fabsf(x) > 1e-30f ? x : 0.0f;
    }
}

/* ------------------------------------------------------------------ */
/* Messages to the UI                                                   */
/* ------------------------------------------------------------------ */

/* Room for `bytes` more in the notify sequence? */
static int fits(const stl_plugin *self, uint32_t bytes)
{
    const LV2_Atom_Forge *forge = &self->forge;
    return forge->buf && forge->offset + bytes <= forge->size;
}

/* A small buffer gets a coarser spectrum (every 2nd, 4th... point), down to
 * STL_SPECTRUM_MIN points, rather than none. Decimates the log arrays in place. */
static void send_spectrum(stl_plugin *self, uint32_t frames, int points)
{
    int step = 1;
    while (!fits(self, stl_spectrum_event_size(points / step)) &&
           points / step > STL_SPECTRUM_MIN) {
        step *= 2;
    }
    if (!fits(self, stl_spectrum_event_size(points / step))) {
        return;
    }
    if (step > 1) {
        points /= step;
        for (int i = 0; i < points; i++) {
            self->log_frequency[i] = self->log_frequency[i * step];
            self->log_power[i] = self->log_power[i * step];
            self->log_peak[i] = self->log_peak[i * step];
        }
    }
    const stl_chain_config *config = stl_chain_get_config(self->chain);
    stl_spectrum_message message = {
        .points = points,
        .frequency = self->log_frequency,
        .power_db = self->log_power,
        .peak_db = self->log_peak,
        .sample_rate = (float)config->analysis_rate,
        .host_rate = (float)self->rate,
        .fft_size = config->fft_size,
        .sigma_db = (float)self->sigma_db,
        .tau_db = (float)self->tau_db,
        .water_db = (float)(10.0 * log10(self->water_level)),
        .t = (float)control(self, STL_PORT_T),
        .schedule = integer_control(self, STL_PORT_SCHEDULE),
        .tide_mode = integer_control(self, STL_PORT_TIDE_MODE),
        .share_bins = self->above_bins,
        .share_energy = self->above_energy,
        .slope = self->slope,
        .frozen = control(self, STL_PORT_FREEZE) > 0.5,
    };
    stl_write_spectrum(&self->forge, &self->uris, frames, &message);
}

static void send_mel_columns(stl_plugin *self, uint32_t frames)
{
    stl_mel_message message = {.mel_bands = stl_chain_get_config(self->chain)->mel_bands,
                               .mfcc_count = STL_MFCC_COUNT,
                               .frame_rate = (float)stl_chain_mel_frame_rate(self->chain),
                               .sample_rate =
                                   (float)stl_chain_get_config(self->chain)->analysis_rate};
    message.columns = stl_chain_take_mel_columns(self->chain, &message.values, &message.mfcc);
    /* Columns that do not fit are dropped, oldest first. */
    while (message.columns > 0 &&
           !fits(self, stl_mel_event_size(message.columns, message.mel_bands, STL_MFCC_COUNT))) {
        message.values += message.mel_bands;
        message.columns--;
    }
    if (message.columns > 0) {
        stl_write_mel(&self->forge, &self->uris, frames, &message);
    }
}

static void send_cepstral(stl_plugin *self, uint32_t frames)
{
    const double *freq, *power;
    long version;
    int rings = stl_chain_cepstral(self->chain, &freq, &power, &version);
    if (rings == 0 || (version == self->cepstral_sent && !self->send_everything)) {
        return;
    }
    if (rings > STL_CEPSTRAL_RINGS) {
        rings = STL_CEPSTRAL_RINGS;
    }
    if (!fits(self, stl_cepstral_event_size(rings))) {
        return;
    }
    for (int i = 0; i < rings; i++) {
        self->ring_frequency[i] = (float)freq[i];
        self->ring_power[i] = (float)power[i];
    }
    double alpha, c, r_squared;
    stl_chain_cepstral_fit(self->chain, &alpha, &c, &r_squared);
    stl_cepstral_message message = {.rings = rings,
                                    .frequency = self->ring_frequency,
                                    .power = self->ring_power,
                                    .alpha = (float)alpha,
                                    .intercept = (float)c,
                                    .r_squared = (float)r_squared,
                                    .columns = STL_CEPSTRAL_COLUMNS,
                                    .mel_bands = stl_chain_get_config(self->chain)->mel_bands};
    stl_write_cepstral(&self->forge, &self->uris, frames, &message);
    self->cepstral_sent = version;
}

static void read_control_messages(stl_plugin *self)
{
    if (!self->control || !self->map) {
        return;
    }
    LV2_ATOM_SEQUENCE_FOREACH(self->control, event)
    {
        switch (stl_read_command(&self->uris, &event->body)) {
        case STL_COMMAND_UI_ON:
            self->listening = 1;
            self->send_everything = 1;
            break;
        case STL_COMMAND_UI_OFF:
            self->listening = 0;
            break;
        case STL_COMMAND_STATE_REQUEST:
            self->send_everything = 1;
            break;
        default:
            break;
        }
    }
}

static void start_notify(stl_plugin *self)
{
    self->forge.buf = NULL;
    if (!self->notify) {
        return;
    }
    uint32_t capacity = self->notify->atom.size;
    if (!self->map || capacity < sizeof(LV2_Atom_Sequence)) {
        /* Nothing valid can be written without URIDs: an empty atom. */
        self->notify->atom.size = 0;
        return;
    }
    lv2_atom_forge_set_buffer(&self->forge, (uint8_t *)self->notify, capacity);
    lv2_atom_forge_sequence_head(&self->forge, &self->notify_frame, 0);
}

/* The views: messages for a listening UI, frames for the inline display,
 * both at a bounded rate. */
static void publish(stl_plugin *self, uint32_t n_samples)
{
    self->samples_since_message += n_samples;
    self->samples_since_draw += n_samples;
    long message_period = (long)(self->rate / STL_NOTIFY_RATE_HZ);
    int ui_due = self->listening && self->forge.buf &&
                 (self->send_everything || self->samples_since_message >= message_period);
    int display_due = 0;
#ifdef STL_INLINE_DISPLAY
    display_due = self->display && self->samples_since_draw >= (long)(self->rate / DISPLAY_RATE_HZ);
#endif
    if (!self->chain || (!ui_due && !display_due)) {
        return;
    }
    int points = stl_chain_log_spectrum(self->chain, self->log_frequency, self->log_power,
                                        ui_due ? self->log_peak : NULL);
    uint32_t when = n_samples > 0 ? n_samples - 1 : 0;
#ifdef STL_INLINE_DISPLAY
    if (display_due) {
        stl_display_frame *frame = &self->display_frame;
        frame->points = points;
        memcpy(frame->frequency, self->log_frequency, sizeof(float) * (size_t)points);
        memcpy(frame->power_db, self->log_power, sizeof(float) * (size_t)points);
        frame->water_db = (float)(10.0 * log10(self->water_level));
        frame->share_bins = self->above_bins;
        frame->nyquist = (float)(stl_chain_get_config(self->chain)->analysis_rate / 2);
        frame->top_db = (float)control(self, STL_PORT_DISPLAY_TOP);
        frame->range_db = (float)control(self, STL_PORT_DISPLAY_RANGE);
        frame->frozen = control(self, STL_PORT_FREEZE) > 0.5;
        stl_display_publish(self->display, frame);
        self->queue_draw->queue_draw(self->queue_draw->handle);
        self->samples_since_draw = 0;
    }
#endif
    if (ui_due) {
        send_spectrum(self, when, points);
        send_mel_columns(self, when);
        send_cepstral(self, when);
        self->samples_since_message = 0;
        self->send_everything = 0;
    }
}

/* ------------------------------------------------------------------ */
/* run                                                                  */
/* ------------------------------------------------------------------ */

static void write_outputs(stl_plugin *self)
{
    float *out[] = {self->port[STL_PORT_SLOPE], self->port[STL_PORT_ALPHA],
                    self->port[STL_PORT_ABOVE_BINS], self->port[STL_PORT_ABOVE_ENERGY],
                    self->port[STL_PORT_LATENCY]};
    float value[] = {self->slope, self->alpha, self->above_bins, self->above_energy, self->latency};
    for (int i = 0; i < 5; i++) {
        if (out[i]) {
            *out[i] = value[i];
        }
    }
}

static void run(LV2_Handle instance, uint32_t n_samples)
{
    stl_plugin *self = instance;
    start_notify(self);
    read_control_messages(self);
    schedule_jobs(self);

    update_tide(self);
    update_seed(self);
    int audition = integer_control(self, STL_PORT_AUDITION);
    if (!self->chain) {
        audition = STL_AUDITION_OFF; /* activate() failed: pass audio through */
    }
    set_audition(self, audition);
    int frozen = control(self, STL_PORT_FREEZE) > 0.5;
    if (self->chain) {
        stl_chain_set_averaging(self->chain, control(self, STL_PORT_AVERAGING));
        stl_chain_set_water_level(self->chain, self->water_level);
    }

    int have_outputs = self->out[0] && (self->channels == 1 || self->out[1]);
    for (uint32_t offset = 0; offset < n_samples; offset += PIECE) {
        int n = n_samples - offset < PIECE ? (int)(n_samples - offset) : PIECE;
        for (int c = 0; c < self->channels; c++) {
            if (self->in[c]) {
                memcpy(self->in_copy[c], self->in[c] + offset, sizeof(float) * (size_t)n);
            } else {
                memset(self->in_copy[c], 0, sizeof(float) * (size_t)n);
            }
        }
        if (self->chain && !frozen) {
            stage_analysis(self, n);
            stl_chain_feed(self->chain, self->stage, n);
        }
        if (have_outputs) {
            process_audio(self, (int)offset, n);
        }
    }

    if (self->chain) {
        if (!frozen) {
            self->slope = (float)stl_chain_slope(self->chain);
            self->alpha = (float)stl_chain_alpha(self->chain);
            self->above_bins = (float)(100.0 * stl_chain_share_bins(self->chain));
            self->above_energy = (float)(100.0 * stl_chain_share_energy(self->chain));
        }
        int masking =
            self->audition == STL_AUDITION_MASK || self->audition == STL_AUDITION_RESIDUAL;
        self->latency = masking ? (float)stl_mask_latency(self->masks[0]) : 0.0f;
    }
    write_outputs(self);
    publish(self, n_samples);
    if (self->forge.buf) {
        lv2_atom_forge_pop(&self->forge, &self->notify_frame);
    }
}

/* ------------------------------------------------------------------ */
/* Extension data and descriptors                                       */
/* ------------------------------------------------------------------ */

#ifdef STL_INLINE_DISPLAY
static LV2_Inline_Display_Image_Surface *render(LV2_Handle instance, uint32_t w, uint32_t max_h)
{
    stl_plugin *self = instance;
    return self->display ? stl_display_render(self->display, w, max_h) : NULL;
}
#endif

static const void *extension_data(const char *uri)
{
    static const LV2_Worker_Interface worker = {work, work_response, end_run};
    if (!strcmp(uri, LV2_WORKER__interface)) {
        return &worker;
    }
#ifdef STL_INLINE_DISPLAY
    static const LV2_Inline_Display_Interface display = {render};
    if (!strcmp(uri, LV2_INLINEDISPLAY__interface)) {
        return &display;
    }
#endif
    return NULL;
}

static const LV2_Descriptor descriptors[] = {
    {STL_URI_MONO, instantiate, connect_port, activate, run, deactivate, cleanup, extension_data},
    {STL_URI_STEREO, instantiate, connect_port, activate, run, deactivate, cleanup, extension_data},
};

LV2_SYMBOL_EXPORT const LV2_Descriptor *lv2_descriptor(uint32_t index)
{
    return index < sizeof descriptors / sizeof descriptors[0] ? &descriptors[index] : NULL;
}
