/* LV2 torture host for spectide.lv2 (issue 7, deliverable 3).
 *
 * A small lilv host written for abuse: per plugin (mono and stereo) it runs
 * many instances for a given amount of simulated audio, each at a random
 * sample rate in 8000..192000, with random block sizes 1..8192, every input
 * control set to a random value every block (in range, at the bounds, far
 * out of range, NaN, +-Inf, denormal), input signals that switch between
 * noise, tones, silence and bursts of NaN, Inf, denormals and full-scale
 * square waves, random atom traffic on the control port, random notify
 * buffer capacities, with and without urid:map, in-place buffers
 * sometimes, and activate/deactivate cycles. The worker is one of those
 * real hosts have, at random per session: none (lv2apply), deferred
 * (jobs and responses when a simulated worker thread wakes: jalv),
 * synchronous (work() and work_response() inside schedule_work(): Ardour
 * while loading and exporting), refusing every job, or refusing half of
 * them at random; a session switches between deferred and synchronous now
 * and then, as Ardour does around an export.
 *
 * It asserts, block after block:
 *   - no crash (the process survives; ASan/UBSan builds catch the rest);
 *   - no NaN/Inf on any control output, nor on an audio output unless the
 *     plugin is passing through an input that was itself non-finite;
 *   - pass-through is bit-exact while audition is off (a finite control
 *     below 0.5, which rounds to "off" and clamps there);
 *   - no heap call (malloc, calloc, realloc, free, posix_memalign, ...)
 *     while run() or work_response() is on the stack;
 *   - the notify sequence stays inside the capacity the host gave and
 *     carries finite numbers only;
 *   - at the end of a session, a change of FFT size and mel bands reaches
 *     the spectrum and the mel columns within a second whenever the worker
 *     works (the analysis never waits forever for a lost job);
 * and, in a separate probe per burst kind, that the control outputs come
 * back to their pre-burst values within the bound stated at probe_bound().
 *
 * Usage: torture [--seconds S] [--minutes M] [--seed N] [--plugin mono|stereo|both]
 *        (S = simulated seconds per plugin; default 120; --minutes 10 is the
 *        developer's long run). LV2_PATH must find spectide.lv2.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "alloc_count.h"
#include "inlinedisplay.h" /* lv2_plugin/: the extension's small header */

#include <lilv/lilv.h>
#include <lv2/atom/atom.h>
#include <lv2/atom/forge.h>
#include <lv2/atom/util.h>
#include <lv2/buf-size/buf-size.h>
#include <lv2/core/lv2.h>
#include <lv2/options/options.h>
#include <lv2/parameters/parameters.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#include <dlfcn.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PORTS     32
#define MAX_BLOCK     8192
#define ATOM_CAPACITY 65536
#define MAX_URIS      256
#define MAX_JOBS      32
#define MAX_JOB_BYTES 512
#define URI_MONO      "urn:spectide:mono"
#define URI_STEREO    "urn:spectide:stereo"

/* ------------------------------------------------------------------ */
/* Random numbers (xoshiro-free: a 64-bit xorshift* is plenty here)     */
/* ------------------------------------------------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static double rng_uniform(void) /* [0,1) */
{
    return (double)(rng_next() >> 11) * 0x1.0p-53;
}

static int rng_below(int n)
{
    return (int)(rng_uniform() * n);
}

static double rng_gaussian(void)
{
    double u1 = rng_uniform() + 0x1.0p-54, u2 = rng_uniform();
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* Log-uniform integer in [low, high]: tiny and huge blocks equally often. */
static int rng_log_uniform(int low, int high)
{
    double x = exp(log(low) + rng_uniform() * (log(high + 1.0) - log(low)));
    int v = (int)x;
    return v < low ? low : v > high ? high : v;
}

/* ------------------------------------------------------------------ */
/* Failures                                                             */
/* ------------------------------------------------------------------ */

static long failures;
static int offer_display = 1; /* --no-display: never offer queue_draw */
static char context[256];     /* what the host was doing, for messages */

/* Distinct kinds of failure (the message up to its first '(') and counts,
 * for the summary at the end. */
static char failure_kind[16][96];
static long failure_count[16];
static int failure_kinds;

static void count_kind(const char *what)
{
    char kind[96];
    snprintf(kind, sizeof kind, "%s", what);
    char *paren = strchr(kind, '(');
    if (paren) {
        *paren = '\0';
    }
    for (int i = 0; i < failure_kinds; i++) {
        if (!strcmp(failure_kind[i], kind)) {
            failure_count[i]++;
            return;
        }
    }
    if (failure_kinds < 16) {
        strcpy(failure_kind[failure_kinds], kind);
        failure_count[failure_kinds++] = 1;
    }
}

static void fail(const char *what)
{
    failures++;
    count_kind(what);
    if (failures <= 40) {
        fprintf(stderr, "FAIL: %s [%s]\n", what, context);
    }
}

/* ------------------------------------------------------------------ */
/* URID map without allocation (map may be called from run())          */
/* ------------------------------------------------------------------ */

static char uri_table[MAX_URIS][128];
static int uri_count;

static LV2_URID map_uri(LV2_URID_Map_Handle handle, const char *uri)
{
    (void)handle;
    for (int i = 0; i < uri_count; i++) {
        if (!strcmp(uri_table[i], uri)) {
            return (LV2_URID)(i + 1);
        }
    }
    if (uri_count == MAX_URIS || strlen(uri) >= sizeof uri_table[0]) {
        return 0;
    }
    strcpy(uri_table[uri_count], uri);
    return (LV2_URID)++uri_count;
}

static LV2_URID map(const char *uri)
{
    return map_uri(NULL, uri);
}

/* ------------------------------------------------------------------ */
/* The host                                                             */
/* ------------------------------------------------------------------ */

enum { AUDIO_IN, AUDIO_OUT, CONTROL_IN, CONTROL_OUT, ATOM_IN, ATOM_OUT };

typedef struct {
    uint32_t size;
    uint8_t data[MAX_JOB_BYTES];
} job;

typedef enum {
    WORKER_NONE = 0,    /* no worker:schedule feature */
    WORKER_DEFERRED,    /* queued; run when the simulated thread wakes */
    WORKER_SYNCHRONOUS, /* work() and work_response() inside schedule_work() */
    WORKER_REFUSING,    /* schedule_work() always fails */
    WORKER_FLAKY,       /* schedule_work() fails half of the time */
    WORKER_MODES
} worker_mode;

static const char *worker_name[WORKER_MODES] = {"none", "deferred", "synchronous", "refusing",
                                                "flaky"};

typedef struct {
    const LilvPlugin *plugin;
    LilvInstance *instance;
    double rate;
    int ports;
    int kind[MAX_PORTS];
    char symbol[MAX_PORTS][32];
    float min[MAX_PORTS], max[MAX_PORTS], def[MAX_PORTS];
    float control[MAX_PORTS];
    int audio_in[2], audio_out[2], n_in, n_out;
    int atom_in_port, atom_out_port;
    float in_buffer[2][MAX_BLOCK], out_buffer[2][MAX_BLOCK];
    float saved_input[2][MAX_BLOCK];
    int in_place;
    uint64_t atom_in[ATOM_CAPACITY / 8], atom_out[ATOM_CAPACITY / 8];
    uint32_t notify_capacity;
    int with_map, with_worker, with_display;
    worker_mode worker_mode;
    LV2_Inline_Display queue_draw;
    const LV2_Inline_Display_Interface *display;
    int draw_requests;

    LV2_URID_Map map_feature;
    LV2_Worker_Schedule schedule;
    LV2_Options_Option options[5];
    int32_t max_block, min_block, sequence_size;
    float sample_rate_option;
    LV2_Feature features[6];
    const LV2_Feature *feature_list[7];
    const LV2_Worker_Interface *worker;
    job jobs[MAX_JOBS], responses[MAX_JOBS];
    int job_count, response_count;
    long worker_due; /* samples until the simulated worker thread wakes */
} host;

static LilvWorld *world;
static const LilvPlugins *all_plugins;
static host the_host, twin_host; /* large: static, not on the stack */

/* Synchronous mode: the response goes to the plugin at once, inside
 * work(), inside schedule_work(), inside run(): counted as run(). */
static LV2_Worker_Status respond_now(LV2_Worker_Respond_Handle handle, uint32_t size,
                                     const void *data)
{
    host *h = handle;
    alloc_count_begin();
    LV2_Worker_Status status =
        h->worker->work_response(lilv_instance_get_handle(h->instance), size, data);
    alloc_count_end();
    return status;
}

static LV2_Worker_Status schedule_work(LV2_Worker_Schedule_Handle handle, uint32_t size,
                                       const void *data)
{
    host *h = handle;
    if (h->worker_mode == WORKER_REFUSING || (h->worker_mode == WORKER_FLAKY && rng_next() % 2)) {
        return LV2_WORKER_ERR_NO_SPACE;
    }
    if (h->worker_mode == WORKER_SYNCHRONOUS) {
        /* work() itself may allocate: it is the host's choice to run it
         * here (Ardour does so outside real time). */
        alloc_count_end();
        LV2_Worker_Status status =
            h->worker->work(lilv_instance_get_handle(h->instance), respond_now, h, size, data);
        alloc_count_begin();
        return status;
    }
    if (h->job_count == MAX_JOBS || size > MAX_JOB_BYTES) {
        return LV2_WORKER_ERR_NO_SPACE;
    }
    h->jobs[h->job_count].size = size;
    memcpy(h->jobs[h->job_count].data, data, size);
    h->job_count++;
    return LV2_WORKER_SUCCESS;
}

static LV2_Worker_Status respond(LV2_Worker_Respond_Handle handle, uint32_t size, const void *data)
{
    host *h = handle;
    if (h->response_count == MAX_JOBS || size > MAX_JOB_BYTES) {
        return LV2_WORKER_ERR_NO_SPACE;
    }
    h->responses[h->response_count].size = size;
    memcpy(h->responses[h->response_count].data, data, size);
    h->response_count++;
    return LV2_WORKER_SUCCESS;
}

/* queue_draw comes from run(): it only notes the request. */
static void queue_draw(LV2_Inline_Display_Handle handle)
{
    ((host *)handle)->draw_requests++;
}

static int port_index(const host *h, const char *symbol)
{
    for (int i = 0; i < h->ports; i++) {
        if (!strcmp(h->symbol[i], symbol)) {
            return i;
        }
    }
    return -1;
}

static float *control_port(host *h, const char *symbol)
{
    int i = port_index(h, symbol);
    if (i < 0) {
        fprintf(stderr, "torture: the plugin has no port \"%s\"\n", symbol);
        exit(1);
    }
    return &h->control[i];
}

static void describe_ports(host *h)
{
    LilvNode *audio = lilv_new_uri(world, LV2_CORE__AudioPort);
    LilvNode *control = lilv_new_uri(world, LV2_CORE__ControlPort);
    LilvNode *atom = lilv_new_uri(world, LV2_ATOM__AtomPort);
    LilvNode *input = lilv_new_uri(world, LV2_CORE__InputPort);
    h->ports = (int)lilv_plugin_get_num_ports(h->plugin);
    if (h->ports > MAX_PORTS) {
        fprintf(stderr, "torture: %d ports, at most %d handled\n", h->ports, MAX_PORTS);
        exit(1);
    }
    lilv_plugin_get_port_ranges_float(h->plugin, h->min, h->max, h->def);
    h->n_in = h->n_out = 0;
    h->atom_in_port = h->atom_out_port = -1;
    for (int i = 0; i < h->ports; i++) {
        const LilvPort *port = lilv_plugin_get_port_by_index(h->plugin, (uint32_t)i);
        int is_input = lilv_port_is_a(h->plugin, port, input);
        snprintf(h->symbol[i], sizeof h->symbol[i], "%s",
                 lilv_node_as_string(lilv_port_get_symbol(h->plugin, port)));
        if (lilv_port_is_a(h->plugin, port, audio)) {
            h->kind[i] = is_input ? AUDIO_IN : AUDIO_OUT;
            if (is_input) {
                h->audio_in[h->n_in++] = i;
            } else {
                h->audio_out[h->n_out++] = i;
            }
        } else if (lilv_port_is_a(h->plugin, port, control)) {
            h->kind[i] = is_input ? CONTROL_IN : CONTROL_OUT;
            h->control[i] = isnan(h->def[i]) ? 0.0f : h->def[i];
        } else if (lilv_port_is_a(h->plugin, port, atom)) {
            h->kind[i] = is_input ? ATOM_IN : ATOM_OUT;
            if (is_input) {
                h->atom_in_port = i;
            } else {
                h->atom_out_port = i;
            }
        } else {
            fprintf(stderr, "torture: port %s has an unknown type\n", h->symbol[i]);
            exit(1);
        }
    }
    lilv_node_free(audio);
    lilv_node_free(control);
    lilv_node_free(atom);
    lilv_node_free(input);
}

static void connect_audio(host *h)
{
    for (int c = 0; c < h->n_in; c++) {
        lilv_instance_connect_port(h->instance, (uint32_t)h->audio_in[c], h->in_buffer[c]);
    }
    for (int c = 0; c < h->n_out; c++) {
        /* In place: the host hands the same buffer for input and output. */
        float *out = h->in_place && c < h->n_in ? h->in_buffer[c] : h->out_buffer[c];
        lilv_instance_connect_port(h->instance, (uint32_t)h->audio_out[c], out);
    }
}

/* Instantiates `uri` at `rate`; the features offered are part of the test. */
static int host_open(host *h, const char *uri, double rate, int with_map, worker_mode worker,
                     uint32_t notify_capacity)
{
    int with_worker = worker != WORKER_NONE;
    LilvNode *node = lilv_new_uri(world, uri);
    const LilvPlugin *plugin = lilv_plugins_get_by_uri(all_plugins, node);
    lilv_node_free(node);
    if (!plugin) {
        fprintf(stderr, "torture: %s not found in LV2_PATH=%s\n", uri,
                getenv("LV2_PATH") ? getenv("LV2_PATH") : "(unset)");
        exit(1);
    }
    memset(h, 0, sizeof *h);
    h->plugin = plugin;
    h->rate = rate;
    h->with_map = with_map;
    h->with_worker = with_worker;
    h->worker_mode = worker;
    h->notify_capacity = notify_capacity;
    describe_ports(h);

    int n = 0;
    h->map_feature = (LV2_URID_Map){NULL, map_uri};
    if (with_map) {
        h->features[n++] = (LV2_Feature){LV2_URID__map, &h->map_feature};
        /* Options need URIDs: offered only with urid:map. */
        h->max_block = MAX_BLOCK;
        h->min_block = 1;
        h->sequence_size = (int32_t)notify_capacity;
        h->sample_rate_option = (float)rate;
        LV2_URID int_type = map(LV2_ATOM__Int), float_type = map(LV2_ATOM__Float);
        h->options[0] =
            (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0,        map(LV2_BUF_SIZE__maxBlockLength),
                                 sizeof(int32_t),      int_type, &h->max_block};
        h->options[1] =
            (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0,        map(LV2_BUF_SIZE__minBlockLength),
                                 sizeof(int32_t),      int_type, &h->min_block};
        h->options[2] =
            (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0,        map(LV2_BUF_SIZE__sequenceSize),
                                 sizeof(int32_t),      int_type, &h->sequence_size};
        h->options[3] =
            (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0,          map(LV2_PARAMETERS__sampleRate),
                                 sizeof(float),        float_type, &h->sample_rate_option};
        h->options[4] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, NULL};
        h->features[n++] = (LV2_Feature){LV2_OPTIONS__options, h->options};
        h->features[n++] = (LV2_Feature){LV2_BUF_SIZE__boundedBlockLength, NULL};
    }
    if (with_worker) {
        h->schedule = (LV2_Worker_Schedule){h, schedule_work};
        h->features[n++] = (LV2_Feature){LV2_WORKER__schedule, &h->schedule};
    }
    h->with_display = rng_below(2) && offer_display;
    if (h->with_display) {
        h->queue_draw = (LV2_Inline_Display){h, queue_draw};
        h->features[n++] = (LV2_Feature){LV2_INLINEDISPLAY__queue_draw, &h->queue_draw};
    }
    for (int i = 0; i < n; i++) {
        h->feature_list[i] = &h->features[i];
    }
    h->feature_list[n] = NULL;

    h->instance = lilv_plugin_instantiate(plugin, rate, h->feature_list);
    if (!h->instance) {
        return 0;
    }
    h->worker =
        with_worker ? lilv_instance_get_extension_data(h->instance, LV2_WORKER__interface) : NULL;
    h->display = h->with_display
                     ? lilv_instance_get_extension_data(h->instance, LV2_INLINEDISPLAY__interface)
                     : NULL;
    for (int i = 0; i < h->ports; i++) {
        if (h->kind[i] == CONTROL_IN || h->kind[i] == CONTROL_OUT) {
            lilv_instance_connect_port(h->instance, (uint32_t)i, &h->control[i]);
        } else if (h->kind[i] == ATOM_IN) {
            lilv_instance_connect_port(h->instance, (uint32_t)i, h->atom_in);
        } else if (h->kind[i] == ATOM_OUT) {
            lilv_instance_connect_port(h->instance, (uint32_t)i, h->atom_out);
        }
    }
    connect_audio(h);
    return 1;
}

static void run_worker(host *h);

static void host_close(host *h)
{
    /* Jobs still queued are run, as a host drains its worker before cleanup
     * (the plugin frees retired chains that way). */
    for (int round = 0; h->worker && (h->job_count || h->response_count) && round < 8; round++) {
        run_worker(h); /* responses too: a built chain is handed over, then freed */
    }
    lilv_instance_free(h->instance);
    h->instance = NULL;
}

/* The simulated worker thread: runs the queued jobs outside run(), then
 * hands the responses to the plugin in the audio thread (counted). */
static void run_worker(host *h)
{
    LV2_Handle handle = lilv_instance_get_handle(h->instance);
    int jobs = h->job_count;
    h->job_count = 0;
    for (int i = 0; i < jobs; i++) {
        job current = h->jobs[i];
        h->worker->work(handle, respond, h, current.size, current.data);
    }
    alloc_count_begin();
    for (int i = 0; i < h->response_count; i++) {
        h->worker->work_response(handle, h->responses[i].size, h->responses[i].data);
    }
    if (h->worker->end_run) {
        h->worker->end_run(handle);
    }
    alloc_count_end();
    h->response_count = 0;
}

/* ------------------------------------------------------------------ */
/* Atom traffic                                                         */
/* ------------------------------------------------------------------ */

/* Fills the control port with a random, well-formed sequence: the UI's
 * messages, objects of unknown types, plain atoms. (Malformed bytes are the
 * fuzz target's job: a host never delivers them.) */
static void write_control_sequence(host *h, uint32_t frames, int ui_listening)
{
    LV2_Atom_Forge forge;
    LV2_URID_Map *m = &h->map_feature;
    lv2_atom_forge_init(&forge, m);
    lv2_atom_forge_set_buffer(&forge, (uint8_t *)h->atom_in, 4096);
    LV2_Atom_Forge_Frame sequence;
    lv2_atom_forge_sequence_head(&forge, &sequence, 0);
    int events = rng_below(4);
    for (int e = 0; e < events; e++) {
        uint32_t when = frames ? (uint32_t)rng_below((int)frames) : 0;
        LV2_Atom_Forge_Frame object;
        lv2_atom_forge_frame_time(&forge, when);
        switch (rng_below(6)) {
        case 0:
            lv2_atom_forge_object(&forge, &object, 0, map("urn:spectide:StateRequest"));
            lv2_atom_forge_pop(&forge, &object);
            break;
        case 1:
            lv2_atom_forge_object(&forge, &object, 0, map("urn:spectide:UiOff"));
            lv2_atom_forge_pop(&forge, &object);
            break;
        case 2:
            lv2_atom_forge_object(&forge, &object, 0, map("urn:torture:Unknown"));
            lv2_atom_forge_key(&forge, map("urn:spectide:power"));
            lv2_atom_forge_float(&forge, NAN);
            lv2_atom_forge_pop(&forge, &object);
            break;
        case 3:
            lv2_atom_forge_int(&forge, rng_below(1000));
            break;
        case 4:
            lv2_atom_forge_string(&forge, "torture", 7);
            break;
        default:
            lv2_atom_forge_object(&forge, &object, 0, map("urn:spectide:UiOn"));
            lv2_atom_forge_pop(&forge, &object);
        }
    }
    if (ui_listening) {
        LV2_Atom_Forge_Frame object;
        lv2_atom_forge_frame_time(&forge, frames ? frames - 1 : 0);
        lv2_atom_forge_object(&forge, &object, 0, map("urn:spectide:UiOn"));
        lv2_atom_forge_pop(&forge, &object);
    }
    lv2_atom_forge_pop(&forge, &sequence);
}

/* The last Spectrum message's power vector (dB per log bin), for the
 * recovery probe. */
static float last_spectrum[1024];
static int last_spectrum_points;

static void keep_spectrum(const LV2_Atom_Object *object)
{
    if (object->body.otype != map("urn:spectide:Spectrum")) {
        return;
    }
    LV2_URID power = map("urn:spectide:power"), float_type = map(LV2_ATOM__Float);
    LV2_ATOM_OBJECT_FOREACH(object, property)
    {
        const LV2_Atom_Vector *vector = (const LV2_Atom_Vector *)&property->value;
        if (property->key == power && property->value.type == map(LV2_ATOM__Vector) &&
            vector->body.child_type == float_type && vector->body.child_size == sizeof(float)) {
            uint32_t count = (property->value.size - (uint32_t)sizeof(LV2_Atom_Vector_Body)) / 4;
            if (count > 1024) {
                count = 1024;
            }
            memcpy(last_spectrum, &vector->body + 1, 4 * count);
            last_spectrum_points = (int)count;
        }
    }
}

static void check_float_atom(const LV2_Atom *atom, LV2_URID float_type, LV2_URID vector_type)
{
    if (atom->type == float_type && atom->size >= sizeof(float)) {
        if (!isfinite(((const LV2_Atom_Float *)atom)->body)) {
            fail("non-finite atom:Float in a notify message");
        }
    } else if (atom->type == vector_type && atom->size >= sizeof(LV2_Atom_Vector_Body)) {
        const LV2_Atom_Vector *vector = (const LV2_Atom_Vector *)atom;
        if (vector->body.child_type == float_type && vector->body.child_size == sizeof(float)) {
            uint32_t count = (atom->size - (uint32_t)sizeof(LV2_Atom_Vector_Body)) / sizeof(float);
            const float *values = (const float *)(&vector->body + 1);
            for (uint32_t i = 0; i < count; i++) {
                if (!isfinite(values[i])) {
                    fail("non-finite value in a notify vector");
                    return;
                }
            }
        }
    }
}

/* The notify sequence must fit the capacity we gave and contain sane,
 * bounded objects with finite numbers. */
static void check_notify(host *h)
{
    const LV2_Atom_Sequence *sequence = (const LV2_Atom_Sequence *)h->atom_out;
    if (sequence->atom.size == 0) {
        return;
    }
    if (sequence->atom.size > h->notify_capacity - sizeof(LV2_Atom)) {
        fail("notify sequence larger than the buffer's capacity");
        return;
    }
    if (sequence->atom.type != map(LV2_ATOM__Sequence)) {
        fail("notify port holds something other than an atom:Sequence");
        return;
    }
    LV2_URID object_type = map(LV2_ATOM__Object), float_type = map(LV2_ATOM__Float);
    LV2_URID vector_type = map(LV2_ATOM__Vector);
    const uint8_t *end = (const uint8_t *)&sequence->body + sequence->atom.size;
    LV2_ATOM_SEQUENCE_FOREACH(sequence, event)
    {
        const uint8_t *event_end = (const uint8_t *)(&event->body + 1) + event->body.size;
        if (event_end > end) {
            fail("notify event runs past the sequence");
            return;
        }
        if (event->body.type != object_type) {
            fail("notify event that is not an atom:Object");
            continue;
        }
        LV2_ATOM_OBJECT_FOREACH((const LV2_Atom_Object *)&event->body, property)
        {
            check_float_atom(&property->value, float_type, vector_type);
        }
        keep_spectrum((const LV2_Atom_Object *)&event->body);
    }
}

/* ------------------------------------------------------------------ */
/* Controls and signals                                                 */
/* ------------------------------------------------------------------ */

/* Any value a careless host or automation lane could send. */
static float wild_value(float min, float max, float def)
{
    float span = max - min > 0 ? max - min : 1.0f;
    switch (rng_below(16)) {
    case 0:
        return min;
    case 1:
        return max;
    case 2:
        return def;
    case 3:
        return min - span * (float)(0.01 + 10 * rng_uniform());
    case 4:
        return max + span * (float)(0.01 + 10 * rng_uniform());
    case 5:
        return rng_below(2) ? FLT_MAX : -FLT_MAX;
    case 6:
        return rng_below(2) ? 1e30f : -1e30f;
    case 7:
        return NAN;
    case 8:
        return rng_below(2) ? INFINITY : -INFINITY;
    case 9:
        return rng_below(2) ? 1e-40f : -1e-40f; /* denormal */
    default:
        return min + span * (float)rng_uniform();
    }
}

typedef enum {
    SIGNAL_NOISE,
    SIGNAL_TONE,
    SIGNAL_SILENCE,
    SIGNAL_NAN,
    SIGNAL_INF,
    SIGNAL_DENORMAL,
    SIGNAL_SQUARE,
    SIGNAL_SPRINKLED, /* noise with scattered NaN/Inf samples */
    SIGNAL_KINDS
} signal_kind;

static const char *signal_name[SIGNAL_KINDS] = {"noise", "tone",     "silence", "NaN",
                                                "Inf",   "denormal", "square",  "sprinkled"};

static double signal_phase;

static float signal_sample(signal_kind kind, double rate, double amplitude)
{
    signal_phase += 997.0 / rate;
    signal_phase -= floor(signal_phase);
    switch (kind) {
    case SIGNAL_NOISE:
        return (float)(amplitude * rng_gaussian());
    case SIGNAL_TONE:
        return (float)(amplitude * sin(6.283185307179586 * signal_phase));
    case SIGNAL_SILENCE:
        return 0.0f;
    case SIGNAL_NAN:
        return NAN;
    case SIGNAL_INF:
        return rng_below(2) ? INFINITY : -INFINITY;
    case SIGNAL_DENORMAL:
        return (float)(1e-39 * rng_gaussian());
    case SIGNAL_SQUARE:
        return signal_phase < 0.5 ? 1.0f : -1.0f;
    default: {
        int r = rng_below(64);
        return r == 0   ? NAN
               : r == 1 ? INFINITY
               : r == 2 ? -INFINITY
                        : (float)(amplitude * rng_gaussian());
    }
    }
}

static signal_kind random_signal(void)
{
    int r = rng_below(20);
    if (r < 8) {
        return SIGNAL_NOISE;
    }
    if (r < 11) {
        return SIGNAL_TONE;
    }
    if (r < 12) {
        return SIGNAL_SILENCE;
    }
    return (signal_kind)(SIGNAL_NAN + (r - 12) % (SIGNAL_KINDS - SIGNAL_NAN));
}

/* ------------------------------------------------------------------ */
/* One block                                                            */
/* ------------------------------------------------------------------ */

typedef struct {
    long blocks, samples, allocations, sessions, cycles, failed_instantiations;
    long passthrough_blocks, nonfinite_input_blocks, worker_wakeups, renders;
    long sessions_by_worker[WORKER_MODES], worker_switches, liveness_checks;
    long output_out_of_range[MAX_PORTS];
} stats;

static int block_has_nonfinite_input(const host *h, int n)
{
    for (int c = 0; c < h->n_in; c++) {
        for (int i = 0; i < n; i++) {
            if (!isfinite(h->saved_input[c][i])) {
                return 1;
            }
        }
    }
    return 0;
}

/* What a GUI thread does after queue_draw: render at a size of its choice
 * and read every pixel (ASan sees a surface smaller than it claims). */
static void render_display(host *h)
{
    uint32_t width = (uint32_t)rng_log_uniform(1, 600),
             max_height = (uint32_t)rng_log_uniform(1, 400);
    LV2_Inline_Display_Image_Surface *surface =
        h->display->render(lilv_instance_get_handle(h->instance), width, max_height);
    h->draw_requests = 0;
    if (!surface) {
        return;
    }
    if (!surface->data || surface->width < 1 || surface->width > (int)width ||
        surface->height < 1 || surface->height > (int)max_height ||
        surface->stride < 4 * surface->width) {
        char what[160];
        snprintf(what, sizeof what, "inline display surface %dx%d stride %d for w %u max_h %u",
                 surface->width, surface->height, surface->stride, width, max_height);
        fail(what);
        return;
    }
    volatile unsigned sum = 0;
    for (int y = 0; y < surface->height; y++) {
        for (int x = 0; x < 4 * surface->width; x++) {
            sum += surface->data[(size_t)y * (size_t)surface->stride + (size_t)x];
        }
    }
}

/* Runs one block of n frames (inputs already in in_buffer) and checks it. */
static void run_block(host *h, int n, int ui_listening, stats *st)
{
    for (int c = 0; c < h->n_in; c++) {
        memcpy(h->saved_input[c], h->in_buffer[c], sizeof(float) * (size_t)n);
    }
    /* Output buffers start as garbage (a NaN pattern) so that samples the
     * plugin forgets to write are caught. */
    for (int c = 0; c < h->n_out; c++) {
        if (!h->in_place) {
            for (int i = 0; i < n; i++) {
                h->out_buffer[c][i] = NAN;
            }
        }
    }
    LV2_Atom_Sequence *notify = (LV2_Atom_Sequence *)h->atom_out;
    notify->atom.size = h->notify_capacity - (uint32_t)sizeof(LV2_Atom);
    notify->atom.type = h->with_map ? map(LV2_ATOM__Chunk) : 0;
    if (h->with_map) {
        write_control_sequence(h, (uint32_t)n, ui_listening);
    } else {
        LV2_Atom_Sequence *control = (LV2_Atom_Sequence *)h->atom_in;
        control->atom.size = sizeof(LV2_Atom_Sequence_Body);
        control->atom.type = 0;
    }
    float audition_value = *control_port(h, "audition");

    long before = alloc_count_total();
    alloc_count_begin();
    lilv_instance_run(h->instance, (uint32_t)n);
    alloc_count_end();
    long allocations = alloc_count_total() - before;
    if (allocations) {
        st->allocations += allocations;
        fail("heap call inside run()");
    }

    int nonfinite_input = block_has_nonfinite_input(h, n);
    st->nonfinite_input_blocks += nonfinite_input;
    /* "Off" for certain: a finite value that rounds and clamps to 0. */
    int passthrough = isfinite(audition_value) && audition_value < 0.5f;
    for (int c = 0; c < h->n_out; c++) {
        const float *out = h->in_place && c < h->n_in ? h->in_buffer[c] : h->out_buffer[c];
        if (passthrough) {
            if (memcmp(out, h->saved_input[c < h->n_in ? c : 0], sizeof(float) * (size_t)n)) {
                fail("pass-through not bit-exact while audition is off");
            }
        } else if (!(nonfinite_input && !isfinite(audition_value))) {
            for (int i = 0; i < n; i++) {
                if (!isfinite(out[i])) {
                    char what[200];
                    snprintf(what, sizeof what,
                             "NaN/Inf on an audio output while auditioning (audition %g, sample "
                             "%d of %d, input there %g)",
                             audition_value, i, n, h->saved_input[c < h->n_in ? c : 0][i]);
                    fail(what);
                    break;
                }
            }
        }
    }
    st->passthrough_blocks += passthrough;
    for (int i = 0; i < h->ports; i++) {
        if (h->kind[i] != CONTROL_OUT) {
            continue;
        }
        if (!isfinite(h->control[i])) {
            fail("NaN/Inf on a control output");
        } else if (h->control[i] < h->min[i] || h->control[i] > h->max[i]) {
            st->output_out_of_range[i]++;
        }
    }
    if (h->with_map) {
        check_notify(h);
    }
    if (h->display && h->draw_requests) {
        render_display(h);
        st->renders++;
    }
    st->blocks++;
    st->samples += n;
}

/* ------------------------------------------------------------------ */
/* Random sessions                                                      */
/* ------------------------------------------------------------------ */

static double random_rate(void)
{
    static const double common[] = {8000,  11025, 16000, 22050,  32000, 44100,
                                    48000, 88200, 96000, 176400, 192000};
    if (rng_below(2)) {
        return common[rng_below((int)(sizeof common / sizeof common[0]))];
    }
    return 8000 + rng_below(192000 - 8000 + 1);
}

static uint32_t random_capacity(void)
{
    static const uint32_t capacities[] = {64, 1024, 4096, 16384, ATOM_CAPACITY};
    return capacities[rng_below(5)];
}

static void randomise_controls(host *h)
{
    for (int i = 0; i < h->ports; i++) {
        if (h->kind[i] == CONTROL_IN) {
            h->control[i] = wild_value(h->min[i], h->max[i], h->def[i]);
        }
    }
}

static worker_mode random_worker_mode(void)
{
    return (worker_mode)rng_below(WORKER_MODES);
}

static int worker_works(const host *h)
{
    return h->worker_mode == WORKER_DEFERRED || h->worker_mode == WORKER_SYNCHRONOUS ||
           h->worker_mode == WORKER_FLAKY;
}

/* The last Spectrum's FFT size and MelColumns' band count on the notify port. */
static void note_structure(host *h, int *fft_size, int *mel_bands)
{
    const LV2_Atom_Sequence *sequence = (const LV2_Atom_Sequence *)h->atom_out;
    if (sequence->atom.type != map(LV2_ATOM__Sequence)) {
        return;
    }
    LV2_URID int_type = map(LV2_ATOM__Int);
    LV2_ATOM_SEQUENCE_FOREACH(sequence, event)
    {
        if (event->body.type != map(LV2_ATOM__Object)) {
            continue;
        }
        const LV2_Atom_Object *object = (const LV2_Atom_Object *)&event->body;
        const LV2_Atom *size = NULL, *bands = NULL;
        lv2_atom_object_get(object, map("urn:spectide:fftSize"), &size,
                            map("urn:spectide:melBands"), &bands, 0);
        if (object->body.otype == map("urn:spectide:Spectrum") && size && size->type == int_type) {
            *fft_size = ((const LV2_Atom_Int *)size)->body;
        }
        if (object->body.otype == map("urn:spectide:MelColumns") && bands &&
            bands->type == int_type) {
            *mel_bands = ((const LV2_Atom_Int *)bands)->body;
        }
    }
}

/* After the abuse: sane controls, activate, run, then a change of FFT size
 * and mel bands while running. With a working worker it must reach the
 * spectrum and the mel columns within a second; without one (or while it
 * refuses every job) the chain of the last activate() stays. */
static void liveness_check(host *h, stats *st)
{
    for (int i = 0; i < h->ports; i++) {
        if (h->kind[i] == CONTROL_IN) {
            h->control[i] = h->def[i];
        }
    }
    static const float sizes[] = {1024, 2048, 8192}, bands[] = {32, 64, 256};
    h->notify_capacity = ATOM_CAPACITY;
    lilv_instance_activate(h->instance);
    st->cycles++;
    int fft_size = 0, mel_bands = 0, wanted_fft = (int)sizes[rng_below(3)],
        wanted_mels = (int)bands[rng_below(3)];
    for (double t = 0; t < 1.5; t += 256 / h->rate) {
        if (t >= 0.2) {
            *control_port(h, "fft_size") = (float)wanted_fft;
            *control_port(h, "mel_bands") = (float)wanted_mels;
        }
        for (int c = 0; c < h->n_in; c++) {
            for (int i = 0; i < 256; i++) {
                h->in_buffer[c][i] = signal_sample(SIGNAL_NOISE, h->rate, 0.1);
            }
        }
        run_block(h, 256, 1, st);
        note_structure(h, &fft_size, &mel_bands);
        h->worker_due -= 256;
        if (h->worker && h->worker_due <= 0) {
            run_worker(h);
            h->worker_due = (long)(h->rate * (0.02 + 0.2 * rng_uniform()));
        }
    }
    int expected_fft = worker_works(h) ? wanted_fft : (int)h->def[port_index(h, "fft_size")];
    int expected_mels = worker_works(h) ? wanted_mels : (int)h->def[port_index(h, "mel_bands")];
    if (fft_size != expected_fft || mel_bands != expected_mels) {
        char what[200];
        snprintf(what, sizeof what,
                 "analysis does not follow a structural change (%s worker: FFT %d, mel bands %d; "
                 "expected %d, %d)",
                 worker_name[h->worker_mode], fft_size, mel_bands, expected_fft, expected_mels);
        fail(what);
    }
    st->liveness_checks++;
    lilv_instance_deactivate(h->instance);
}

/* One instance: some activate/run/deactivate cycles, `seconds` of audio. */
static void torture_session(const char *uri, double seconds, stats *st)
{
    host *h = &the_host;
    double rate = random_rate();
    int with_map = rng_below(5) != 0;
    worker_mode worker = random_worker_mode();
    uint32_t capacity = random_capacity();
    snprintf(context, sizeof context, "%s rate %.0f map %d worker %s notify %u seed state %llu",
             uri, rate, with_map, worker_name[worker], capacity, (unsigned long long)rng_state);
    if (!host_open(h, uri, rate, with_map, worker, capacity)) {
        st->failed_instantiations++;
        fail("instantiate returned NULL for a supported sample rate");
        return;
    }
    st->sessions++;
    st->sessions_by_worker[worker]++;
    int cycles = 1 + rng_below(3);
    long total = (long)(seconds * rate);
    for (int cycle = 0; cycle < cycles; cycle++) {
        randomise_controls(h); /* structural controls take effect at activate */
        lilv_instance_activate(h->instance);
        st->cycles++;
        long remaining = total / cycles;
        signal_kind kind = SIGNAL_NOISE;
        int ui_listening = rng_below(2);
        h->worker_due = (long)(rate * (0.02 + 0.2 * rng_uniform()));
        while (remaining > 0) {
            int n = rng_log_uniform(1, MAX_BLOCK);
            if (n > remaining) {
                n = (int)remaining;
            }
            if (rng_below(8) == 0) {
                kind = random_signal();
            }
            if (rng_below(50) == 0) {
                ui_listening = !ui_listening;
            }
            if (rng_below(100) == 0) {
                h->in_place = !h->in_place;
                connect_audio(h);
            }
            if (rng_below(200) == 0 &&
                (h->worker_mode == WORKER_DEFERRED || h->worker_mode == WORKER_SYNCHRONOUS)) {
                /* An export starts or ends (Ardour's worker turns synchronous). */
                h->worker_mode =
                    h->worker_mode == WORKER_DEFERRED ? WORKER_SYNCHRONOUS : WORKER_DEFERRED;
                st->worker_switches++;
            }
            double amplitude = pow(10.0, -3.0 * rng_uniform());
            for (int c = 0; c < h->n_in; c++) {
                for (int i = 0; i < n; i++) {
                    h->in_buffer[c][i] = signal_sample(kind, rate, amplitude);
                }
            }
            randomise_controls(h);
            snprintf(context, sizeof context,
                     "%s rate %.0f map %d worker %s notify %u cycle %d block %d signal %s", uri,
                     rate, with_map, worker_name[h->worker_mode], capacity, cycle, n,
                     signal_name[kind]);
            run_block(h, n, ui_listening, st);
            remaining -= n;
            h->worker_due -= n;
            if (h->worker && h->worker_due <= 0) {
                run_worker(h);
                st->worker_wakeups++;
                h->worker_due = (long)(rate * (0.02 + 0.2 * rng_uniform()));
            }
        }
        lilv_instance_deactivate(h->instance);
    }
    if (with_map) {
        snprintf(context, sizeof context, "%s rate %.0f worker %s: liveness check", uri, rate,
                 worker_name[h->worker_mode]);
        liveness_check(h, st);
    }
    host_close(h);
}

/* ------------------------------------------------------------------ */
/* Recovery after bursts                                                */
/* ------------------------------------------------------------------ */

typedef struct {
    float slope, alpha, above_bins, above_energy;
    float spectrum[1024]; /* the UI's log spectrum, dB */
    int points;
} readings;

static readings read_outputs(host *h)
{
    readings r = {*control_port(h, "slope"),
                  *control_port(h, "alpha"),
                  *control_port(h, "above_bins"),
                  *control_port(h, "above_energy"),
                  {0},
                  last_spectrum_points};
    memcpy(r.spectrum, last_spectrum, sizeof r.spectrum);
    return r;
}

/* Mean difference in dB between two log spectra of the same layout (a level
 * shift), NaN if they cannot be compared. */
static double spectrum_shift_db(const readings *a, const readings *b)
{
    if (a->points != b->points || a->points == 0) {
        return NAN;
    }
    double sum = 0;
    for (int i = 0; i < a->points; i++) {
        sum += (double)b->spectrum[i] - a->spectrum[i];
    }
    return sum / a->points;
}

#define PROBE_SIGMA      0.1   /* white noise at -20 dBFS RMS */
#define PROBE_WATER_DB   -40.0 /* 20 dB below the noise */
#define PROBE_FFT        4096
#define PROBE_RATE       22050.0
#define PROBE_BURST_S    0.1
#define PROBE_MEL_WINDOW 3.5 /* s: 128 mel columns at hop 512, 22050 Hz is 2.97 s */
#define TOL_SLOPE        1.0 /* dB/octave */
#define TOL_SHARE        5.0 /* percentage points */
#define TOL_ALPHA        0.3
#define TOL_LEVEL_DB     1.5 /* mean shift of the log spectrum */

/* Time after the end of a burst within which the spectrum readings (slope,
 * shares) must be back. Non-finite and denormal bursts are sanitised to
 * silence: one averaging time A (the exponential average then holds at
 * least 1 - 1/e of the noise power: -2 dB at worst, which moves neither the
 * slope nor the shares with the water 20 dB below) plus one FFT window (the
 * frames that overlap the burst). A full-scale square is a real signal whose
 * tones exceed the noise by a factor q = (d/A) (n_fft/6) / sigma^2 in their
 * bins (d the burst length; a tone reads A^2 n_fft/6 per bin, see
 * spectide_audio.h): the exponential average needs A ln(10 q) before they
 * sit 10 dB under the noise, so that is the bound there. */
static double probe_bound(signal_kind kind, double averaging)
{
    double window = PROBE_FFT / PROBE_RATE;
    if (kind != SIGNAL_SQUARE) {
        return averaging + window;
    }
    double q = (PROBE_BURST_S / averaging) * (PROBE_FFT / 6.0) / (PROBE_SIGMA * PROBE_SIGMA);
    return averaging * log(10.0 * q) + window;
}

static void feed(host *h, signal_kind kind, double seconds, stats *st)
{
    long remaining = (long)(seconds * h->rate);
    while (remaining > 0) {
        int n = remaining < 256 ? (int)remaining : 256;
        for (int c = 0; c < h->n_in; c++) {
            for (int i = 0; i < n; i++) {
                h->in_buffer[c][i] = signal_sample(kind, h->rate, PROBE_SIGMA);
            }
        }
        run_block(h, n, 1, st);
        remaining -= n;
        if (h->worker) {
            run_worker(h);
        }
    }
}

static int readings_close(const readings *pa, const readings *pb, int with_alpha)
{
    readings a = *pa, b = *pb;
    return fabs(spectrum_shift_db(pa, pb)) <= TOL_LEVEL_DB &&
           fabsf(a.slope - b.slope) <= TOL_SLOPE &&
           fabsf(a.above_bins - b.above_bins) <= TOL_SHARE &&
           fabsf(a.above_energy - b.above_energy) <= TOL_SHARE &&
           (!with_alpha || fabsf(a.alpha - b.alpha) <= TOL_ALPHA);
}

/* Steady white noise, one burst, and the readings must come back. Returns
 * the measured recovery time of the spectrum readings in averaging times. */
static double probe_recovery(const char *uri, signal_kind kind, double rate, stats *st)
{
    host *h = &the_host;
    double averaging = 0.25 + 0.25 * rng_uniform();
    snprintf(context, sizeof context, "recovery probe %s, %s burst, rate %.0f, averaging %.3f s",
             uri, signal_name[kind], rate, averaging);
    if (!host_open(h, uri, rate, 1, random_worker_mode(), ATOM_CAPACITY)) {
        fail("instantiate returned NULL");
        return NAN;
    }
    for (int i = 0; i < h->ports; i++) {
        if (h->kind[i] == CONTROL_IN) {
            h->control[i] = h->def[i];
        }
    }
    *control_port(h, "fft_size") = PROBE_FFT;
    *control_port(h, "analysis_rate") = (float)PROBE_RATE;
    *control_port(h, "averaging") = (float)averaging;
    *control_port(h, "tide_mode") = 0;
    *control_port(h, "sigma_db") = (float)PROBE_WATER_DB;
    *control_port(h, "tau_db") = 0;
    *control_port(h, "audition") = 0;
    lilv_instance_activate(h->instance);
    last_spectrum_points = 0;
    feed(h, SIGNAL_NOISE, PROBE_MEL_WINDOW + 10 * averaging, st);
    static readings baseline, now; /* large: not on the stack */
    baseline = read_outputs(h);
    if (getenv("TORTURE_VERBOSE")) {
        printf("  baseline: slope %.2f alpha %.2f above bins %.1f energy %.1f\n", baseline.slope,
               baseline.alpha, baseline.above_bins, baseline.above_energy);
    }
    feed(h, kind, PROBE_BURST_S, st);

    /* Follow the readings after the burst; remember the last time they
     * were off, for the report. */
    double bound = probe_bound(kind, averaging);
    double alpha_bound = bound + PROBE_MEL_WINDOW;
    double step = 256 / rate, t = 0, last_off = 0;
    while (t < alpha_bound + 1.0) {
        feed(h, SIGNAL_NOISE, step, st);
        t += step;
        now = read_outputs(h);
        if (getenv("TORTURE_VERBOSE") && fmod(t, 0.1) < step) {
            printf("    t %.2f: level %+.2f dB slope %.2f alpha %.2f above bins %.1f energy %.1f\n",
                   t, spectrum_shift_db(&baseline, &now), now.slope, now.alpha, now.above_bins,
                   now.above_energy);
        }
        if (!readings_close(&baseline, &now, 0)) {
            last_off = t;
        }
        if (t >= bound && t < bound + step && !readings_close(&baseline, &now, 0)) {
            char what[256];
            snprintf(what, sizeof what,
                     "readings not back %.2f s after the burst (level %+.2f dB, slope %.2f -> "
                     "%.2f, above bins %.1f -> %.1f, energy %.1f -> %.1f)",
                     bound, spectrum_shift_db(&baseline, &now), baseline.slope, now.slope,
                     baseline.above_bins, now.above_bins, baseline.above_energy, now.above_energy);
            fail(what);
        }
        if (t >= alpha_bound && t < alpha_bound + step &&
            fabsf(baseline.alpha - now.alpha) > TOL_ALPHA) {
            char what[160];
            snprintf(what, sizeof what,
                     "cepstral alpha not back %.2f s after the burst (%.2f -> %.2f)", alpha_bound,
                     baseline.alpha, now.alpha);
            fail(what);
        }
    }
    lilv_instance_deactivate(h->instance);
    host_close(h);
    printf(
        "  recovery %-8s %-6s rate %6.0f: back after %.2f s = %.2f averaging times (bound %.2f)\n",
        signal_name[kind], strstr(uri, "stereo") ? "stereo" : "mono", rate, last_off,
        last_off / averaging, bound / averaging);
    return last_off / averaging;
}

/* ------------------------------------------------------------------ */
/* Clamping: an out-of-range value acts exactly like the bound          */
/* ------------------------------------------------------------------ */

/* Two instances, same input, same controls except one: `value` (outside the
 * declared range) in the first, the bound it should clamp to in the second.
 * Audio and control outputs must be identical, bit for bit. The audition is
 * "noise" (seeded) so that the level controls reach the audio too. */
static void clamp_pair(const char *uri, int port, float value, float bound, stats *st)
{
    host *a = &the_host, *b = &twin_host;
    double rate = 48000;
    if (!host_open(a, uri, rate, 1, WORKER_NONE, ATOM_CAPACITY) ||
        !host_open(b, uri, rate, 1, WORKER_NONE, ATOM_CAPACITY)) {
        fail("instantiate returned NULL");
        return;
    }
    snprintf(context, sizeof context, "clamping %s: %s = %g must act as %g", uri, a->symbol[port],
             value, bound);
    for (int i = 0; i < a->ports; i++) {
        if (a->kind[i] == CONTROL_IN) {
            a->control[i] = b->control[i] = a->def[i];
        }
    }
    int audition = port_index(a, "audition");
    if (port != audition) {
        a->control[audition] = b->control[audition] = 1; /* noise */
    }
    a->control[port] = value;
    b->control[port] = bound;
    lilv_instance_activate(a->instance);
    lilv_instance_activate(b->instance);
    int differ = 0;
    for (int block = 0; block < 40 && !differ; block++) {
        int n = 1200;
        for (int c = 0; c < a->n_in; c++) {
            for (int i = 0; i < n; i++) {
                a->in_buffer[c][i] = b->in_buffer[c][i] = signal_sample(SIGNAL_NOISE, rate, 0.1);
            }
        }
        run_block(a, n, 0, st);
        run_block(b, n, 0, st);
        for (int c = 0; c < a->n_out; c++) {
            differ |= memcmp(a->out_buffer[c], b->out_buffer[c], sizeof(float) * (size_t)n) != 0;
        }
        for (int i = 0; i < a->ports; i++) {
            differ |= a->kind[i] == CONTROL_OUT && memcmp(&a->control[i], &b->control[i], 4) != 0;
        }
    }
    if (differ) {
        fail("out-of-range control value not clamped to its bound");
    }
    host_close(a);
    host_close(b);
}

static void clamp_check(const char *uri, stats *st)
{
    host *h = &the_host;
    host_open(h, uri, 48000, 0, WORKER_NONE, 1024);
    int ports = h->ports, kind[MAX_PORTS];
    float min[MAX_PORTS], max[MAX_PORTS];
    memcpy(kind, h->kind, sizeof kind);
    memcpy(min, h->min, sizeof min);
    memcpy(max, h->max, sizeof max);
    host_close(h);
    for (int port = 0; port < ports; port++) {
        if (kind[port] != CONTROL_IN) {
            continue;
        }
        float span = max[port] - min[port];
        const float above[] = {max[port] + 0.5f * span, 1e30f, FLT_MAX};
        const float below[] = {min[port] - 0.5f * span, -1e30f, -FLT_MAX};
        for (int i = 0; i < 3; i++) {
            clamp_pair(uri, port, above[i], max[port], st);
            clamp_pair(uri, port, below[i], min[port], st);
        }
    }
}

/* lilv unloads the plugin's binary with its last instance; the binary's
 * one-time state (FFTW's planner) then looks leaked to LeakSanitizer and its
 * stack frames lose their names. Loading it once more, never to be closed,
 * keeps both. */
static void keep_binary_loaded(const char *uri)
{
    LilvNode *node = lilv_new_uri(world, uri);
    const LilvPlugin *plugin = lilv_plugins_get_by_uri(all_plugins, node);
    lilv_node_free(node);
    if (!plugin) {
        return;
    }
    char *path = lilv_file_uri_parse(lilv_node_as_uri(lilv_plugin_get_library_uri(plugin)), NULL);
    if (path && !dlopen(path, RTLD_NOW | RTLD_NODELETE)) {
        fprintf(stderr, "torture: cannot load %s: %s\n", path, dlerror());
    }
    lilv_free(path);
}

/* ------------------------------------------------------------------ */
/* Main                                                                 */
/* ------------------------------------------------------------------ */

static void torture_plugin(const char *uri, double seconds)
{
    stats st;
    memset(&st, 0, sizeof st);
    clock_t start = clock();
    double done = 0;
    while (done < seconds) {
        double session = 1.0 + 9.0 * rng_uniform();
        if (session > seconds - done) {
            session = seconds - done;
        }
        torture_session(uri, session, &st);
        done += session;
    }
    clamp_check(uri, &st);
    static const signal_kind bursts[] = {SIGNAL_NAN, SIGNAL_INF, SIGNAL_DENORMAL, SIGNAL_SQUARE};
    for (int i = 0; i < 4; i++) {
        probe_recovery(uri, bursts[i], random_rate(), &st);
    }
    printf("%s: %.0f s of audio in %ld sessions, %ld activate cycles, %ld blocks, %ld samples, "
           "%ld pass-through blocks, %ld blocks with NaN/Inf input, %ld worker wake-ups, %ld "
           "inline display renders; "
           "%ld heap calls inside run(); %.1f s CPU\n",
           uri, seconds, st.sessions, st.cycles, st.blocks, st.samples, st.passthrough_blocks,
           st.nonfinite_input_blocks, st.worker_wakeups, st.renders, st.allocations,
           (double)(clock() - start) / CLOCKS_PER_SEC);
    printf("  workers: ");
    for (int m = 0; m < WORKER_MODES; m++) {
        printf("%s%ld %s", m ? ", " : "", st.sessions_by_worker[m], worker_name[m]);
    }
    printf(" sessions; %ld deferred/synchronous switches; %ld liveness checks\n",
           st.worker_switches, st.liveness_checks);
    host *h = &the_host;
    for (int i = 0; i < h->ports; i++) {
        if (st.output_out_of_range[i]) {
            printf("  note: output %s left its declared range [%g, %g] in %ld blocks\n",
                   h->symbol[i], h->min[i], h->max[i], st.output_out_of_range[i]);
        }
    }
}

int main(int argc, char **argv)
{
    double seconds = 120;
    const char *which = "both";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
            seconds = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--minutes") && i + 1 < argc) {
            seconds = 60 * atof(argv[++i]);
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            rng_state = strtoull(argv[++i], NULL, 0) * 0x9e3779b97f4a7c15ull + 1;
        } else if (!strcmp(argv[i], "--no-display")) {
            offer_display = 0;
        } else if (!strcmp(argv[i], "--plugin") && i + 1 < argc) {
            which = argv[++i];
        } else {
            fprintf(stderr, "usage: torture [--seconds S | --minutes M] [--seed N] "
                            "[--plugin mono|stereo|both] [--no-display]\n");
            return 2;
        }
    }
    alloc_count_init();
    world = lilv_world_new();
    lilv_world_load_all(world);
    all_plugins = lilv_world_get_all_plugins(world);
    keep_binary_loaded(URI_MONO);
    printf("torture: %.0f s of simulated audio per plugin, seed state %llu\n", seconds,
           (unsigned long long)rng_state);
    if (strcmp(which, "stereo")) {
        torture_plugin(URI_MONO, seconds);
    }
    if (strcmp(which, "mono")) {
        torture_plugin(URI_STEREO, seconds);
    }
    lilv_world_free(world);
    if (failures) {
        fprintf(stderr, "torture: %ld failures (the first 40 are printed above):\n", failures);
        for (int i = 0; i < failure_kinds; i++) {
            fprintf(stderr, "  %6ld x %s\n", failure_count[i], failure_kind[i]);
        }
        return 1;
    }
    printf("torture: no failure\n");
    return 0;
}
