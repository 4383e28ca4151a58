/* spectide.lv2 DSP: the mono and stereo plugins (URIs and ports in protocol.h).
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
 *   schedule_job().
 * - notify: messages for the UI only while it listens, rate-limited and
 *   never larger than the buffer the host gave.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "analysis.h"
#include "protocol.h"
#ifdef ST_INLINE_DISPLAY
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
#define PIECE ST_STAGE_SAMPLES
/* Inline display redraws per second, at most. */
#define DISPLAY_RATE_HZ 15
/* The sigma port's range (TTL); a schedule at t = 0 may go lower: no water. */
#define SIGMA_PORT_MIN -120.0
#define SIGMA_DB_MIN   -200.0
#define SIGMA_DB_MAX   20.0

typedef struct {
    LV2_URID atom_sequence, atom_object, atom_float, atom_int, atom_bool, atom_vector;
    LV2_URID spectrum, mel_columns, cepstral, ui_on, ui_off, state_request;
    LV2_URID frequency, power, peak, sample_rate, host_rate, fft_size, sigma_db, tau_db, water_db,
        t, schedule, tide_mode, share_bins, share_energy, slope, frozen, mel, columns, mel_bands,
        mfcc, frame_rate, alpha, intercept, r_squared;
} st_urids;

/* Worker messages: build a chain for a configuration, free a chain, or run
 * the cepstral RAPSD of a chain's snapshot. One BUILD or CEPSTRAL job is in
 * flight at a time, so the chain a CEPSTRAL job uses stays installed until
 * its response. `generation` tells a CEPSTRAL result computed before an
 * activate() (or a chain swap) from a current one. */
typedef struct {
    enum { JOB_BUILD, JOB_FREE, JOB_CEPSTRAL } kind;
    st_chain_config config;
    st_chain *chain;
    st_mask *masks[2];
    long generation;
} st_job;

#define RETIRED_MAX 4

typedef struct {
    int stereo, channels;
    double rate;

    const float *in[2];
    float *out[2];
    const LV2_Atom_Sequence *control;
    LV2_Atom_Sequence *notify;
    float *port[ST_COMMON_COUNT];
    const float *channel_port;

    LV2_URID_Map *map;
    st_urids uris;
    LV2_Atom_Forge forge;
    LV2_Atom_Forge_Frame notify_frame; /* the sequence being written in run() */
    LV2_Worker_Schedule *worker;
    /* A BUILD or CEPSTRAL job was handed to the worker and its response has
     * not arrived. Audio thread only: set before schedule_work(), cleared by
     * work_response() (which may run inside schedule_work()), by a failed
     * schedule_work(), or when work() reports through `job_lost` that its
     * response could not be queued. */
    int job_in_flight;
    atomic_int job_lost;
    long generation; /* increases whenever the chain is reset or replaced */
    /* The configuration whose build failed (memory): not retried until the
     * controls ask for another one or activate() tries again. */
    st_chain_config failed_config;
    int have_failed_config;
    /* Chains and masks swapped out, to free in the worker. Normally one at a
     * time; a few slots so that no response is ever dropped. */
    st_job retired[RETIRED_MAX];
    int have_retired;

    st_chain *chain;
    st_mask *masks[2];
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

#ifdef ST_INLINE_DISPLAY
    LV2_Inline_Display *queue_draw;
    st_display *display;
    st_display_frame display_frame;
#endif
    float log_frequency[ST_SPECTRUM_POINTS];
    float log_power[ST_SPECTRUM_POINTS];
    float log_peak[ST_SPECTRUM_POINTS];
} st_plugin;

/* ------------------------------------------------------------------ */
/* Controls                                                            */
/* ------------------------------------------------------------------ */

static double control(const st_plugin *self, st_common_port port, double fallback)
{
    const float *value = self->port[port];
    return value && isfinite(*value) ? *value : fallback;
}

static double clamp(double x, double low, double high)
{
    return x < low ? low : x > high ? high : x;
}

/* An integer control: clamp first, then round, so that huge values (1e30)
 * cannot overflow lround and land on an arbitrary setting. */
static int integer_control(const st_plugin *self, int port, double fallback, int low, int high)
{
    return (int)lround(clamp(control(self, port, fallback), low, high));
}

/* Mel bands are powers of two (32..256): FFTW executes the cepstral view's
 * mels x 128 transform without allocating only for such heights, and without
 * a host worker it runs inside run(). */
static int mel_bands_from_control(double value)
{
    int bands = ST_MEL_BANDS_MIN;
    while (bands < ST_MEL_BANDS_MAX && bands * 1.5 <= value) {
        bands *= 2;
    }
    return bands;
}

static int fft_size_from_control(double value)
{
    int size = 1024;
    while (size < 65536 && size * 1.5 <= value) {
        size *= 2;
    }
    return size;
}

static st_chain_config wanted_config(const st_plugin *self)
{
    st_chain_config config;
    config.fft_size = fft_size_from_control(control(self, ST_COMMON_FFT_SIZE, 4096));
    config.host_rate = self->rate;
    double rate = control(self, ST_COMMON_ANALYSIS_RATE, 22050);
    config.analysis_rate = rate < 8000 ? self->rate : rate < 19000 ? 16000.0 : 22050.0;
    config.mel_bands = mel_bands_from_control(control(self, ST_COMMON_MEL_BANDS, 128));
    return config;
}

/* sigma from the level, or s(t)/a(t) of the schedule (the x0 scale). */
static void update_tide(st_plugin *self)
{
    int mode = integer_control(self, ST_COMMON_TIDE_MODE, ST_TIDE_SIGMA, 0, 1);
    double sigma_db;
    if (mode == ST_TIDE_SCHEDULE) {
        int schedule = integer_control(self, ST_COMMON_SCHEDULE, 0, 0, ST_SCHEDULE_COUNT - 1);
        double a, s;
        st_schedule_coefficients((st_schedule)schedule,
                                 clamp(control(self, ST_COMMON_T, 0.5), 0, 1), &a, &s);
        sigma_db = a > 0 && s > 0 ? 20.0 * log10(s / a) : s > 0 ? SIGMA_DB_MAX : SIGMA_DB_MIN;
    } else {
        sigma_db = clamp(control(self, ST_COMMON_SIGMA_DB, -40), SIGMA_PORT_MIN, SIGMA_DB_MAX);
    }
    self->sigma_db = clamp(sigma_db, SIGMA_DB_MIN, SIGMA_DB_MAX);
    self->tau_db = clamp(control(self, ST_COMMON_TAU_DB, 0), -20, 40);
    self->sigma = pow(10.0, self->sigma_db / 20.0);
    self->water_level = pow(10.0, self->tau_db / 10.0) * self->sigma * self->sigma;
}

static void update_seed(st_plugin *self)
{
    double seed = integer_control(self, ST_COMMON_SEED, 1, 0, 16777215);
    if (seed != self->seed) {
        self->seed = seed;
        st_rng_seed(&self->rng, (uint64_t)seed);
    }
}

/* ------------------------------------------------------------------ */
/* Instantiation                                                        */
/* ------------------------------------------------------------------ */

static void map_uris(st_plugin *self)
{
    LV2_URID_Map *map = self->map;
    st_urids *u = &self->uris;
#define MAP(field, uri) u->field = map->map(map->handle, uri)
    MAP(atom_sequence, LV2_ATOM__Sequence);
    MAP(atom_object, LV2_ATOM__Object);
    MAP(atom_float, LV2_ATOM__Float);
    MAP(atom_int, LV2_ATOM__Int);
    MAP(atom_bool, LV2_ATOM__Bool);
    MAP(atom_vector, LV2_ATOM__Vector);
    MAP(spectrum, ST_URI_SPECTRUM);
    MAP(mel_columns, ST_URI_MEL_COLUMNS);
    MAP(cepstral, ST_URI_CEPSTRAL);
    MAP(ui_on, ST_URI_UI_ON);
    MAP(ui_off, ST_URI_UI_OFF);
    MAP(state_request, ST_URI_STATE_REQUEST);
    MAP(frequency, ST_URI_FREQUENCY);
    MAP(power, ST_URI_POWER);
    MAP(peak, ST_URI_PEAK);
    MAP(sample_rate, ST_URI_SAMPLE_RATE);
    MAP(host_rate, ST_URI_HOST_RATE);
    MAP(fft_size, ST_URI_FFT_SIZE);
    MAP(sigma_db, ST_URI_SIGMA_DB);
    MAP(tau_db, ST_URI_TAU_DB);
    MAP(water_db, ST_URI_WATER_DB);
    MAP(t, ST_URI_T);
    MAP(schedule, ST_URI_SCHEDULE);
    MAP(tide_mode, ST_URI_TIDE_MODE);
    MAP(share_bins, ST_URI_SHARE_BINS);
    MAP(share_energy, ST_URI_SHARE_ENERGY);
    MAP(slope, ST_URI_SLOPE);
    MAP(frozen, ST_URI_FROZEN);
    MAP(mel, ST_URI_MEL);
    MAP(columns, ST_URI_COLUMNS);
    MAP(mel_bands, ST_URI_MEL_BANDS);
    MAP(mfcc, ST_URI_MFCC);
    MAP(frame_rate, ST_URI_FRAME_RATE);
    MAP(alpha, ST_URI_ALPHA);
    MAP(intercept, ST_URI_INTERCEPT);
    MAP(r_squared, ST_URI_R_SQUARED);
#undef MAP
    lv2_atom_forge_init(&self->forge, map);
}

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
    st_plugin *self = calloc(1, sizeof *self);
    if (!self) {
        return NULL;
    }
    self->stereo = strcmp(descriptor->URI, ST_URI_STEREO) == 0;
    self->channels = self->stereo ? 2 : 1;
    self->rate = rate;
    self->seed = -1;
    for (int i = 0; features && features[i]; i++) {
        if (!strcmp(features[i]->URI, LV2_URID__map)) {
            self->map = (LV2_URID_Map *)features[i]->data;
        } else if (!strcmp(features[i]->URI, LV2_WORKER__schedule)) {
            self->worker = (LV2_Worker_Schedule *)features[i]->data;
        }
#ifdef ST_INLINE_DISPLAY
        else if (!strcmp(features[i]->URI, LV2_INLINEDISPLAY__queue_draw)) {
            self->queue_draw = (LV2_Inline_Display *)features[i]->data;
        }
#endif
    }
    if (self->map) {
        map_uris(self);
    }
#ifdef ST_INLINE_DISPLAY
    if (self->queue_draw) {
        self->display = st_display_new();
    }
#endif
    return self;
}

static void connect_port(LV2_Handle instance, uint32_t port, void *data)
{
    st_plugin *self = instance;
    int first_common = self->stereo ? ST_PORT_STEREO_COMMON : ST_PORT_MONO_COMMON;
    if ((int)port < first_common) {
        int channel = (int)port % self->channels;
        if ((int)port < self->channels) {
            self->in[channel] = data;
        } else {
            self->out[channel] = data;
        }
        return;
    }
    int common = (int)port - first_common;
    if (common == ST_COMMON_CONTROL) {
        self->control = data;
    } else if (common == ST_COMMON_NOTIFY) {
        self->notify = data;
    } else if (common < ST_COMMON_COUNT) {
        self->port[common] = data;
    } else if (self->stereo && (int)port == ST_PORT_STEREO_CHANNEL) {
        self->channel_port = data;
    }
}

static void free_job(st_job *job)
{
    st_chain_free(job->chain);
    st_mask_free(job->masks[0]);
    st_mask_free(job->masks[1]);
    job->chain = NULL;
    job->masks[0] = job->masks[1] = NULL;
}

/* Builds a chain and its masks; 0 on failure (nothing is kept then). */
static int build_job(st_job *job, int channels)
{
    job->chain = st_chain_new(&job->config);
    for (int c = 0; c < channels; c++) {
        job->masks[c] = st_mask_new(job->config.fft_size);
    }
    if (!job->chain || !job->masks[0] || (channels == 2 && !job->masks[1])) {
        free_job(job);
        return 0;
    }
    return 1;
}

static void install_job(st_plugin *self, st_job *job)
{
    st_chain_free(self->chain);
    st_mask_free(self->masks[0]);
    st_mask_free(self->masks[1]);
    self->chain = job->chain;
    self->masks[0] = job->masks[0];
    self->masks[1] = job->masks[1];
}

static void activate(LV2_Handle instance)
{
    st_plugin *self = instance;
    st_chain_config config = wanted_config(self);
    /* With a job in flight the worker may be using the chain: then the new
     * configuration comes through the worker, as during run(). */
    int changed = !self->chain || !st_chain_config_equal(st_chain_get_config(self->chain), &config);
    if (atomic_exchange(&self->job_lost, 0)) {
        self->job_in_flight = 0;
    }
    self->have_failed_config = 0;
    if (changed && !self->job_in_flight) {
        st_job job = {.kind = JOB_BUILD, .config = config};
        if (build_job(&job, self->channels)) {
            install_job(self, &job);
        }
    }
    if (self->chain) {
        st_chain_set_cepstral_inline(self->chain, self->worker == NULL);
        st_chain_reset(self->chain);
        for (int c = 0; c < self->channels; c++) {
            st_mask_reset(self->masks[c]);
        }
    }
    self->generation++;
    self->seed = -1;
    update_seed(self);
    self->audition = ST_AUDITION_OFF;
    self->samples_since_message = 0;
    self->slope = self->alpha = self->above_bins = self->above_energy = 0;
}

static void deactivate(LV2_Handle instance)
{
    (void)instance;
}

static void cleanup(LV2_Handle instance)
{
    st_plugin *self = instance;
    st_chain_free(self->chain);
    st_mask_free(self->masks[0]);
    st_mask_free(self->masks[1]);
    for (int i = 0; i < self->have_retired; i++) {
        free_job(&self->retired[i]);
    }
#ifdef ST_INLINE_DISPLAY
    st_display_free(self->display);
#endif
    free(self);
}

/* ------------------------------------------------------------------ */
/* Worker                                                               */
/* ------------------------------------------------------------------ */

/* Worker thread (or, for a host that works synchronously, inside
 * schedule_work() in the audio thread). Builds, frees or computes; touches
 * nothing the audio thread uses except the chain of a CEPSTRAL job, whose
 * snapshot and cepstral state run() leaves alone while the job is in flight. */
static LV2_Worker_Status work(LV2_Handle instance, LV2_Worker_Respond_Function respond,
                              LV2_Worker_Respond_Handle handle, uint32_t size, const void *data)
{
    st_plugin *self = instance;
    if (size != sizeof(st_job)) {
        return LV2_WORKER_ERR_UNKNOWN;
    }
    st_job job;
    memcpy(&job, data, sizeof job);
    if (job.kind == JOB_FREE) {
        free_job(&job);
        return LV2_WORKER_SUCCESS;
    }
    if (job.kind == JOB_CEPSTRAL) {
        st_chain_cepstral_compute(job.chain);
    } else {
        build_job(&job, self->channels); /* a failed build answers with no chain */
    }
    LV2_Worker_Status status = respond(handle, sizeof job, &job);
    if (status != LV2_WORKER_SUCCESS) {
        /* The host could not queue the response: the job never comes back,
         * so say so to run(), which would otherwise wait for it forever. */
        if (job.kind == JOB_BUILD) {
            free_job(&job);
        }
        atomic_store(&self->job_lost, 1);
    }
    return status;
}

/* Audio thread, between run() calls or inside schedule_work(). */
static LV2_Worker_Status work_response(LV2_Handle instance, uint32_t size, const void *data)
{
    st_plugin *self = instance;
    if (size != sizeof(st_job)) {
        return LV2_WORKER_ERR_UNKNOWN;
    }
    st_job job;
    memcpy(&job, data, sizeof job);
    self->job_in_flight = 0;
    if (job.kind == JOB_CEPSTRAL) {
        /* A result from before an activate() or a swap describes old audio. */
        if (job.chain == self->chain && job.generation == self->generation) {
            st_chain_cepstral_publish(self->chain);
        }
        return LV2_WORKER_SUCCESS;
    }
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
    self->retired[self->have_retired++] =
        (st_job){.kind = JOB_FREE, .chain = self->chain, .masks = {self->masks[0], self->masks[1]}};
    self->chain = job.chain;
    self->masks[0] = job.masks[0];
    self->masks[1] = job.masks[1];
    st_chain_set_cepstral_inline(self->chain, 0);
    st_chain_reset(self->chain);
    for (int c = 0; c < self->channels; c++) {
        st_mask_reset(self->masks[c]);
    }
    self->generation++;
    return LV2_WORKER_SUCCESS;
}

static LV2_Worker_Status end_run(LV2_Handle instance)
{
    (void)instance;
    return LV2_WORKER_SUCCESS;
}

/* Hands a BUILD or CEPSTRAL job to the worker; returns 0 if the host
 * refused it. The in-flight state is set *before* schedule_work(): a host
 * may run work() and work_response() inside schedule_work() (Ardour does
 * while it loads a session and while it exports; the worker extension
 * allows it), and work_response() then clears it before schedule_work()
 * returns. Nothing of the plugin may be cached across the call either:
 * the response may already have swapped the chain. */
static int schedule_job(st_plugin *self, const st_job *job)
{
    self->job_in_flight = 1;
    if (self->worker->schedule_work(self->worker->handle, sizeof *job, job) == LV2_WORKER_SUCCESS) {
        return 1;
    }
    self->job_in_flight = 0;
    return 0;
}

/* Frees what was swapped out, then asks for a chain matching the controls,
 * or for the cepstral RAPSD when it is due. */
static void schedule_jobs(st_plugin *self)
{
    if (atomic_exchange(&self->job_lost, 0)) {
        self->job_in_flight = 0;
    }
    if (!self->worker) {
        return;
    }
    while (self->have_retired > 0) {
        st_job job = self->retired[--self->have_retired];
        if (self->worker->schedule_work(self->worker->handle, sizeof job, &job) !=
            LV2_WORKER_SUCCESS) {
            self->retired[self->have_retired++] = job; /* again at the next run */
            break;
        }
    }
    if (self->job_in_flight || self->have_retired || !self->chain) {
        return;
    }
    st_chain_config config = wanted_config(self);
    if (!st_chain_config_equal(st_chain_get_config(self->chain), &config) &&
        (!self->have_failed_config || !st_chain_config_equal(&self->failed_config, &config))) {
        st_job job = {.kind = JOB_BUILD, .config = config};
        if (schedule_job(self, &job)) {
            return;
        }
        /* Refused: asked again at the next run; the current chain goes on. */
    }
    if (st_chain_cepstral_due(self->chain)) {
        st_chain_cepstral_snapshot(self->chain);
        st_job job = {.kind = JOB_CEPSTRAL, .chain = self->chain, .generation = self->generation};
        if (!schedule_job(self, &job)) {
            /* The worker refused: run the transform here, as for a host
             * without a worker (once per run at most; FFTW executes it
             * without allocating for the power-of-two mel band counts). */
            st_chain_cepstral_compute(self->chain);
            st_chain_cepstral_publish(self->chain);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Audio                                                                */
/* ------------------------------------------------------------------ */

static void set_audition(st_plugin *self, int audition)
{
    int masking = audition == ST_AUDITION_MASK || audition == ST_AUDITION_RESIDUAL;
    int was_masking = self->audition == ST_AUDITION_MASK || self->audition == ST_AUDITION_RESIDUAL;
    if (masking && !was_masking && self->chain) {
        for (int c = 0; c < self->channels; c++) {
            st_mask_reset(self->masks[c]);
        }
    }
    self->audition = audition;
}

static void process_audio(st_plugin *self, int offset, int n)
{
    for (int c = 0; c < self->channels; c++) {
        const float *in = self->in_copy[c];
        float *out = self->out[c] + offset;
        switch (self->audition) {
        case ST_AUDITION_NOISE:
            for (int i = 0; i < n; i++) {
                float x = isfinite(in[i]) ? in[i] : 0.0f;
                out[i] = x + (float)(self->sigma * st_rng_gaussian(&self->rng));
            }
            break;
        case ST_AUDITION_MASK:
            st_mask_run(self->masks[c], in, out, NULL, n, self->water_level);
            break;
        case ST_AUDITION_RESIDUAL:
            /* The mask writes what survives into the scratch buffer and what
             * it removed into the output. */
            st_mask_run(self->masks[c], in, self->stage, out, n, self->water_level);
            break;
        default:
            memcpy(out, in, sizeof(float) * (size_t)n);
        }
    }
}

/* The signal the analysis sees: mono, or mid/left/right/side of a stereo
 * pair; non-finite samples become 0 and denormals 0, so that neither the
 * resampler's filter state nor the average is ever poisoned. */
static void stage_analysis(st_plugin *self, int n)
{
    int which = self->channel_port ? (int)lround(clamp(*self->channel_port, 0, 3)) : 0;
    for (int i = 0; i < n; i++) {
        float x;
        if (!self->stereo || which == ST_STEREO_LEFT) {
            x = self->in_copy[0][i];
        } else if (which == ST_STEREO_RIGHT) {
            x = self->in_copy[1][i];
        } else if (which == ST_STEREO_SIDE) {
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

/* Bytes of a property whose value is a scalar, and of a float vector. */
#define SCALAR_PROPERTY_BYTES 24u
static uint32_t vector_property_bytes(uint32_t count)
{
    return 8u + 16u + lv2_atom_pad_size(4u * count);
}
/* Event header (time + atom header) and object body. */
#define MESSAGE_BYTES 24u

static int fits(const st_plugin *self, uint32_t bytes)
{
    const LV2_Atom_Forge *forge = &self->forge;
    return forge->buf && forge->offset + bytes <= forge->size;
}

static void put_float(st_plugin *self, LV2_URID key, double value)
{
    lv2_atom_forge_key(&self->forge, key);
    lv2_atom_forge_float(&self->forge, (float)value);
}

static void put_int(st_plugin *self, LV2_URID key, int value)
{
    lv2_atom_forge_key(&self->forge, key);
    lv2_atom_forge_int(&self->forge, value);
}

static void put_vector(st_plugin *self, LV2_URID key, const float *values, uint32_t count)
{
    lv2_atom_forge_key(&self->forge, key);
    lv2_atom_forge_vector(&self->forge, sizeof(float), self->uris.atom_float, count, values);
}

static uint32_t spectrum_bytes(int points)
{
    return MESSAGE_BYTES + 3 * vector_property_bytes((uint32_t)points) + 15 * SCALAR_PROPERTY_BYTES;
}

/* A small buffer gets a coarser spectrum (every 2nd, 4th... point), down to
 * 32 points, rather than none. Decimates the log arrays in place. */
static void send_spectrum(st_plugin *self, uint32_t frames, int points)
{
    const st_urids *u = &self->uris;
    int step = 1;
    while (!fits(self, spectrum_bytes(points / step)) && points / step > 32) {
        step *= 2;
    }
    if (!fits(self, spectrum_bytes(points / step))) {
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
    const st_chain_config *config = st_chain_get_config(self->chain);
    LV2_Atom_Forge_Frame object;
    lv2_atom_forge_frame_time(&self->forge, frames);
    lv2_atom_forge_object(&self->forge, &object, 0, u->spectrum);
    put_vector(self, u->frequency, self->log_frequency, (uint32_t)points);
    put_vector(self, u->power, self->log_power, (uint32_t)points);
    put_vector(self, u->peak, self->log_peak, (uint32_t)points);
    put_float(self, u->sample_rate, config->analysis_rate);
    put_float(self, u->host_rate, self->rate);
    put_int(self, u->fft_size, config->fft_size);
    put_float(self, u->sigma_db, self->sigma_db);
    put_float(self, u->tau_db, self->tau_db);
    put_float(self, u->water_db, 10.0 * log10(self->water_level));
    put_float(self, u->t, control(self, ST_COMMON_T, 0.5));
    put_int(self, u->schedule,
            integer_control(self, ST_COMMON_SCHEDULE, 0, 0, ST_SCHEDULE_COUNT - 1));
    put_int(self, u->tide_mode, integer_control(self, ST_COMMON_TIDE_MODE, 0, 0, 1));
    put_float(self, u->share_bins, self->above_bins);
    put_float(self, u->share_energy, self->above_energy);
    put_float(self, u->slope, self->slope);
    lv2_atom_forge_key(&self->forge, u->frozen);
    lv2_atom_forge_bool(&self->forge, control(self, ST_COMMON_FREEZE, 0) > 0.5);
    lv2_atom_forge_pop(&self->forge, &object);
}

static void send_mel_columns(st_plugin *self, uint32_t frames)
{
    const st_urids *u = &self->uris;
    int mels = st_chain_get_config(self->chain)->mel_bands;
    const float *values, *mfcc;
    int columns = st_chain_take_mel_columns(self->chain, &values, &mfcc);
    if (columns == 0) {
        return;
    }
    /* Columns that do not fit are dropped, oldest first. */
    uint32_t fixed =
        MESSAGE_BYTES + vector_property_bytes(ST_MFCC_COUNT) + 4 * SCALAR_PROPERTY_BYTES;
    while (columns > 0 && !fits(self, fixed + vector_property_bytes((uint32_t)(columns * mels)))) {
        values += mels;
        columns--;
    }
    if (columns == 0) {
        return;
    }
    LV2_Atom_Forge_Frame object;
    lv2_atom_forge_frame_time(&self->forge, frames);
    lv2_atom_forge_object(&self->forge, &object, 0, u->mel_columns);
    put_vector(self, u->mel, values, (uint32_t)(columns * mels));
    put_int(self, u->columns, columns);
    put_int(self, u->mel_bands, mels);
    put_vector(self, u->mfcc, mfcc, ST_MFCC_COUNT);
    put_float(self, u->frame_rate, st_chain_mel_frame_rate(self->chain));
    put_float(self, u->sample_rate, st_chain_get_config(self->chain)->analysis_rate);
    lv2_atom_forge_pop(&self->forge, &object);
}

static void send_cepstral(st_plugin *self, uint32_t frames)
{
    const st_urids *u = &self->uris;
    const double *freq, *power;
    long version;
    int rings = st_chain_cepstral(self->chain, &freq, &power, &version);
    if (rings == 0 || (version == self->cepstral_sent && !self->send_everything)) {
        return;
    }
    if (rings > ST_SPECTRUM_POINTS) {
        rings = ST_SPECTRUM_POINTS;
    }
    uint32_t bytes =
        MESSAGE_BYTES + 2 * vector_property_bytes((uint32_t)rings) + 5 * SCALAR_PROPERTY_BYTES;
    if (!fits(self, bytes)) {
        return;
    }
    /* Reuse the log-spectrum buffers' storage pattern: convert to float. */
    float ring_freq[ST_SPECTRUM_POINTS], ring_power[ST_SPECTRUM_POINTS];
    for (int i = 0; i < rings; i++) {
        ring_freq[i] = (float)freq[i];
        ring_power[i] = (float)power[i];
    }
    double alpha, c, r_squared;
    st_chain_cepstral_fit(self->chain, &alpha, &c, &r_squared);
    LV2_Atom_Forge_Frame object;
    lv2_atom_forge_frame_time(&self->forge, frames);
    lv2_atom_forge_object(&self->forge, &object, 0, u->cepstral);
    put_vector(self, u->frequency, ring_freq, (uint32_t)rings);
    put_vector(self, u->power, ring_power, (uint32_t)rings);
    put_float(self, u->alpha, alpha);
    put_float(self, u->intercept, c);
    put_float(self, u->r_squared, r_squared);
    put_int(self, u->columns, ST_CEPSTRAL_COLUMNS);
    put_int(self, u->mel_bands, st_chain_get_config(self->chain)->mel_bands);
    lv2_atom_forge_pop(&self->forge, &object);
    self->cepstral_sent = version;
}

static void read_control_messages(st_plugin *self)
{
    if (!self->control || !self->map) {
        return;
    }
    LV2_ATOM_SEQUENCE_FOREACH(self->control, event)
    {
        /* A malformed object too short for its otype is ignored, not read past. */
        if (event->body.type != self->uris.atom_object ||
            event->body.size < sizeof(LV2_Atom_Object_Body)) {
            continue;
        }
        const LV2_Atom_Object *object = (const LV2_Atom_Object *)&event->body;
        if (object->body.otype == self->uris.ui_on) {
            self->listening = 1;
            self->send_everything = 1;
        } else if (object->body.otype == self->uris.ui_off) {
            self->listening = 0;
        } else if (object->body.otype == self->uris.state_request) {
            self->send_everything = 1;
        }
    }
}

static void start_notify(st_plugin *self)
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
static void publish(st_plugin *self, uint32_t n_samples)
{
    self->samples_since_message += n_samples;
    self->samples_since_draw += n_samples;
    long message_period = (long)(self->rate / ST_NOTIFY_RATE_HZ);
    int ui_due = self->listening && self->forge.buf &&
                 (self->send_everything || self->samples_since_message >= message_period);
    int display_due = 0;
#ifdef ST_INLINE_DISPLAY
    display_due = self->display && self->samples_since_draw >= (long)(self->rate / DISPLAY_RATE_HZ);
#endif
    if (!self->chain || (!ui_due && !display_due)) {
        return;
    }
    int points = st_chain_log_spectrum(self->chain, self->log_frequency, self->log_power,
                                       ui_due ? self->log_peak : NULL);
    uint32_t when = n_samples > 0 ? n_samples - 1 : 0;
#ifdef ST_INLINE_DISPLAY
    if (display_due) {
        st_display_frame *frame = &self->display_frame;
        frame->points = points;
        memcpy(frame->frequency, self->log_frequency, sizeof(float) * (size_t)points);
        memcpy(frame->power_db, self->log_power, sizeof(float) * (size_t)points);
        frame->water_db = (float)(10.0 * log10(self->water_level));
        frame->share_bins = self->above_bins;
        frame->nyquist = (float)(st_chain_get_config(self->chain)->analysis_rate / 2);
        st_display_publish(self->display, frame);
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

static void write_outputs(st_plugin *self)
{
    float *out[] = {self->port[ST_COMMON_SLOPE], self->port[ST_COMMON_ALPHA],
                    self->port[ST_COMMON_ABOVE_BINS], self->port[ST_COMMON_ABOVE_ENERGY],
                    self->port[ST_COMMON_LATENCY]};
    float value[] = {self->slope, self->alpha, self->above_bins, self->above_energy, self->latency};
    for (int i = 0; i < 5; i++) {
        if (out[i]) {
            *out[i] = value[i];
        }
    }
}

static void run(LV2_Handle instance, uint32_t n_samples)
{
    st_plugin *self = instance;
    start_notify(self);
    read_control_messages(self);
    schedule_jobs(self);

    update_tide(self);
    update_seed(self);
    int audition = integer_control(self, ST_COMMON_AUDITION, 0, 0, 3);
    if (!self->chain) {
        audition = ST_AUDITION_OFF; /* activate() failed: pass audio through */
    }
    set_audition(self, audition);
    int frozen = control(self, ST_COMMON_FREEZE, 0) > 0.5;
    if (self->chain) {
        st_chain_set_averaging(self->chain,
                               clamp(control(self, ST_COMMON_AVERAGING, 1.0), 0.01, 30.0));
        st_chain_set_water_level(self->chain, self->water_level);
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
            st_chain_feed(self->chain, self->stage, n);
        }
        if (have_outputs) {
            process_audio(self, (int)offset, n);
        }
    }

    if (self->chain) {
        if (!frozen) {
            self->slope = (float)st_chain_slope(self->chain);
            self->alpha = (float)st_chain_alpha(self->chain);
            self->above_bins = (float)(100.0 * st_chain_share_bins(self->chain));
            self->above_energy = (float)(100.0 * st_chain_share_energy(self->chain));
        }
        int masking = self->audition == ST_AUDITION_MASK || self->audition == ST_AUDITION_RESIDUAL;
        self->latency = masking ? (float)st_mask_latency(self->masks[0]) : 0.0f;
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

#ifdef ST_INLINE_DISPLAY
static LV2_Inline_Display_Image_Surface *render(LV2_Handle instance, uint32_t w, uint32_t max_h)
{
    st_plugin *self = instance;
    return self->display ? st_display_render(self->display, w, max_h) : NULL;
}
#endif

static const void *extension_data(const char *uri)
{
    static const LV2_Worker_Interface worker = {work, work_response, end_run};
    if (!strcmp(uri, LV2_WORKER__interface)) {
        return &worker;
    }
#ifdef ST_INLINE_DISPLAY
    static const LV2_Inline_Display_Interface display = {render};
    if (!strcmp(uri, LV2_INLINEDISPLAY__interface)) {
        return &display;
    }
#endif
    return NULL;
}

static const LV2_Descriptor descriptors[] = {
    {ST_URI_MONO, instantiate, connect_port, activate, run, deactivate, cleanup, extension_data},
    {ST_URI_STEREO, instantiate, connect_port, activate, run, deactivate, cleanup, extension_data},
};

LV2_SYMBOL_EXPORT const LV2_Descriptor *lv2_descriptor(uint32_t index)
{
    return index < sizeof descriptors / sizeof descriptors[0] ? &descriptors[index] : NULL;
}
