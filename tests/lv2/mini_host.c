/* A tiny lilv host for the spectide.lv2 tests. See mini_host.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "mini_host.h"

#include "inlinedisplay.h"

#include <lv2/atom/forge.h>
#include <lv2/atom/util.h>
#include <lv2/worker/worker.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

volatile int host_in_run = 0;

#define MAX_URIS      512
#define MAX_JOBS      64
#define MAX_JOB_BYTES 256

typedef struct {
    uint32_t size;
    uint8_t data[MAX_JOB_BYTES];
} job;

struct mini_host {
    LilvInstance *instance;
    const LilvPlugin *plugin;
    int ports;
    char symbol[HOST_MAX_PORTS][64];
    int is_audio[HOST_MAX_PORTS], is_input[HOST_MAX_PORTS], is_atom[HOST_MAX_PORTS];
    float control[HOST_MAX_PORTS];
    float *audio_in[2], *audio_out[2];
    int audio_ins, audio_outs;
    LV2_Atom_Sequence *atom_in;
    LV2_Atom_Sequence *atom_out;
    uint32_t notify_bytes;
    int with_map;
    LV2_URID pending_object; /* otype to send on the next run, 0 = none */

    char *uris[MAX_URIS];
    int uri_count;
    LV2_URID_Map map;
    LV2_Worker_Schedule schedule;
    LV2_Inline_Display queue_draw;
    int queue_draw_calls;
    LV2_Feature features[3];
    const LV2_Feature *feature_list[4];
    const LV2_Worker_Interface *worker;

    job jobs[MAX_JOBS], responses[MAX_JOBS];
    int job_count, response_count;
    host_worker_mode worker_mode;
    long schedule_calls, worker_jobs, refusals;
    double last_run_cpu;
};

static double thread_cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

double host_last_run_cpu_seconds(const mini_host *host)
{
    return host->last_run_cpu;
}

static LilvWorld *world;

static LV2_URID map_uri(LV2_URID_Map_Handle handle, const char *uri)
{
    mini_host *host = handle;
    for (int i = 0; i < host->uri_count; i++) {
        if (!strcmp(host->uris[i], uri)) {
            return (LV2_URID)i + 1;
        }
    }
    if (host->uri_count == MAX_URIS) {
        return 0;
    }
    host->uris[host->uri_count] = strdup(uri);
    return (LV2_URID)++host->uri_count;
}

LV2_URID host_map(mini_host *host, const char *uri)
{
    return map_uri(host, uri);
}

/* A synchronous worker answers at once: work_response() inside work(),
 * inside schedule_work(), inside run(). The plugin's own allocations in
 * work() are the host's choice there (Ardour does it outside real time),
 * so they are not counted; those of work_response() are. */
static LV2_Worker_Status respond_now(LV2_Worker_Respond_Handle handle, uint32_t size,
                                     const void *data)
{
    mini_host *host = handle;
    int was_in_run = host_in_run;
    host_in_run = 1;
    LV2_Worker_Status status =
        host->worker->work_response(lilv_instance_get_handle(host->instance), size, data);
    host_in_run = was_in_run;
    return status;
}

/* Called from run(): copies the job, like a real host's ring buffer, or
 * (synchronous mode) runs it right here. */
static LV2_Worker_Status schedule_work(LV2_Worker_Schedule_Handle handle, uint32_t size,
                                       const void *data)
{
    mini_host *host = handle;
    host->schedule_calls++;
    if (host->worker_mode == HOST_WORKER_FAILING ||
        (host->worker_mode == HOST_WORKER_FLAKY && host->schedule_calls % 2 == 0)) {
        host->refusals++;
        return LV2_WORKER_ERR_NO_SPACE;
    }
    if (host->worker_mode == HOST_WORKER_SYNCHRONOUS) {
        int was_in_run = host_in_run;
        host_in_run = 0;
        host->worker_jobs++;
        LV2_Worker_Status status = host->worker->work(lilv_instance_get_handle(host->instance),
                                                      respond_now, host, size, data);
        host_in_run = was_in_run;
        return status;
    }
    if (size > MAX_JOB_BYTES || host->job_count == MAX_JOBS) {
        host->refusals++;
        return LV2_WORKER_ERR_NO_SPACE;
    }
    host->jobs[host->job_count].size = size;
    memcpy(host->jobs[host->job_count].data, data, size);
    host->job_count++;
    return LV2_WORKER_SUCCESS;
}

void host_set_worker_mode(mini_host *host, host_worker_mode mode)
{
    host->worker_mode = mode;
}

long host_worker_jobs(const mini_host *host)
{
    return host->worker_jobs;
}

long host_worker_refusals(const mini_host *host)
{
    return host->refusals;
}

static LV2_Worker_Status respond(LV2_Worker_Respond_Handle handle, uint32_t size, const void *data)
{
    mini_host *host = handle;
    if (size > MAX_JOB_BYTES || host->response_count == MAX_JOBS) {
        return LV2_WORKER_ERR_NO_SPACE;
    }
    host->responses[host->response_count].size = size;
    memcpy(host->responses[host->response_count].data, data, size);
    host->response_count++;
    return LV2_WORKER_SUCCESS;
}

static void queue_draw(LV2_Inline_Display_Handle handle)
{
    ((mini_host *)handle)->queue_draw_calls++;
}

mini_host *host_new(const char *plugin_uri, double rate, const host_options *options)
{
    if (!world) {
        world = lilv_world_new();
        lilv_world_load_all(world);
    }
    LilvNode *uri = lilv_new_uri(world, plugin_uri);
    const LilvPlugin *plugin = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(world), uri);
    lilv_node_free(uri);
    if (!plugin) {
        fprintf(stderr, "mini_host: plugin %s not found (LV2_PATH=%s)\n", plugin_uri,
                getenv("LV2_PATH") ? getenv("LV2_PATH") : "");
        return NULL;
    }
    mini_host *host = calloc(1, sizeof *host);
    host->plugin = plugin;
    host->with_map = options->with_map;
    host->notify_bytes = options->notify_bytes ? options->notify_bytes : 65536;
    host->map = (LV2_URID_Map){host, map_uri};
    host->schedule = (LV2_Worker_Schedule){host, schedule_work};
    host->queue_draw = (LV2_Inline_Display){host, queue_draw};
    int f = 0;
    if (options->with_map) {
        host->features[f] = (LV2_Feature){LV2_URID__map, &host->map};
        host->feature_list[f] = &host->features[f];
        f++;
    }
    if (options->with_worker) {
        host->features[f] = (LV2_Feature){LV2_WORKER__schedule, &host->schedule};
        host->feature_list[f] = &host->features[f];
        f++;
    }
    if (options->with_queue_draw) {
        host->features[f] = (LV2_Feature){LV2_INLINEDISPLAY__queue_draw, &host->queue_draw};
        host->feature_list[f] = &host->features[f];
        f++;
    }
    host->feature_list[f] = NULL;

    host->ports = (int)lilv_plugin_get_num_ports(plugin);
    float minimum[HOST_MAX_PORTS], maximum[HOST_MAX_PORTS], defaults[HOST_MAX_PORTS];
    lilv_plugin_get_port_ranges_float(plugin, minimum, maximum, defaults);
    LilvNode *audio = lilv_new_uri(world, LV2_CORE__AudioPort);
    LilvNode *input = lilv_new_uri(world, LV2_CORE__InputPort);
    LilvNode *atom = lilv_new_uri(world, LV2_ATOM__AtomPort);
    host->atom_in = calloc(1, HOST_ATOM_CAPACITY);
    host->atom_out = calloc(1, HOST_ATOM_CAPACITY);
    host->instance = lilv_plugin_instantiate(plugin, rate, host->feature_list);
    if (!host->instance) {
        fprintf(stderr, "mini_host: %s refused to instantiate\n", plugin_uri);
        free(host);
        return NULL;
    }
    for (int p = 0; p < host->ports; p++) {
        const LilvPort *port = lilv_plugin_get_port_by_index(plugin, (uint32_t)p);
        snprintf(host->symbol[p], sizeof host->symbol[p], "%s",
                 lilv_node_as_string(lilv_port_get_symbol(plugin, port)));
        host->is_audio[p] = lilv_port_is_a(plugin, port, audio);
        host->is_input[p] = lilv_port_is_a(plugin, port, input);
        host->is_atom[p] = lilv_port_is_a(plugin, port, atom);
        void *buffer = &host->control[p];
        if (host->is_audio[p]) {
            float *samples = calloc(HOST_MAX_BLOCK, sizeof(float));
            if (host->is_input[p]) {
                host->audio_in[host->audio_ins++] = samples;
            } else {
                host->audio_out[host->audio_outs++] = samples;
            }
            buffer = samples;
        } else if (host->is_atom[p]) {
            buffer = host->is_input[p] ? (void *)host->atom_in : (void *)host->atom_out;
        } else {
            host->control[p] = isnan(defaults[p]) ? 0.0f : defaults[p];
        }
        lilv_instance_connect_port(host->instance, (uint32_t)p, buffer);
    }
    lilv_node_free(audio);
    lilv_node_free(input);
    lilv_node_free(atom);
    host->worker = lilv_instance_get_extension_data(host->instance, LV2_WORKER__interface);
    return host;
}

void host_free(mini_host *host)
{
    if (!host) {
        return;
    }
    lilv_instance_free(host->instance);
    for (int c = 0; c < host->audio_ins; c++) {
        free(host->audio_in[c]);
    }
    for (int c = 0; c < host->audio_outs; c++) {
        free(host->audio_out[c]);
    }
    free(host->atom_in);
    free(host->atom_out);
    for (int i = 0; i < host->uri_count; i++) {
        free(host->uris[i]);
    }
    free(host);
}

int host_port_index(const mini_host *host, const char *symbol)
{
    for (int p = 0; p < host->ports; p++) {
        if (!strcmp(host->symbol[p], symbol)) {
            return p;
        }
    }
    return -1;
}

const char *host_port_symbol(const mini_host *host, int index)
{
    return index >= 0 && index < host->ports ? host->symbol[index] : NULL;
}

int host_port_count(const mini_host *host)
{
    return host->ports;
}

void host_set(mini_host *host, const char *symbol, float value)
{
    int p = host_port_index(host, symbol);
    if (p < 0) {
        fprintf(stderr, "mini_host: no port %s\n", symbol);
        abort();
    }
    host->control[p] = value;
}

float host_get(const mini_host *host, const char *symbol)
{
    int p = host_port_index(host, symbol);
    return p < 0 ? NAN : host->control[p];
}

float *host_audio_in(mini_host *host, int which)
{
    return host->audio_in[which];
}

float *host_audio_out(mini_host *host, int which)
{
    return host->audio_out[which];
}

int host_audio_channels(const mini_host *host)
{
    return host->audio_ins;
}

void host_activate(mini_host *host)
{
    lilv_instance_activate(host->instance);
}

void host_deactivate(mini_host *host)
{
    lilv_instance_deactivate(host->instance);
}

void host_send_object(mini_host *host, const char *otype_uri)
{
    host->pending_object = map_uri(host, otype_uri);
}

static void prepare_atoms(mini_host *host)
{
    /* Control input: an empty sequence, or one object at frame 0. */
    LV2_Atom_Forge forge;
    lv2_atom_forge_init(&forge, &host->map);
    lv2_atom_forge_set_buffer(&forge, (uint8_t *)host->atom_in, HOST_ATOM_CAPACITY);
    LV2_Atom_Forge_Frame sequence, object;
    lv2_atom_forge_sequence_head(&forge, &sequence, 0);
    if (host->pending_object) {
        lv2_atom_forge_frame_time(&forge, 0);
        lv2_atom_forge_object(&forge, &object, 0, host->pending_object);
        lv2_atom_forge_pop(&forge, &object);
        host->pending_object = 0;
    }
    lv2_atom_forge_pop(&forge, &sequence);
    /* Notify output: the capacity in atom.size, as the LV2 atom spec says.
     * The rest of the buffer is poisoned to catch writes past capacity. */
    memset(host->atom_out, 0xAB, HOST_ATOM_CAPACITY);
    host->atom_out->atom.type = map_uri(host, LV2_ATOM__Chunk);
    host->atom_out->atom.size = host->notify_bytes - sizeof(LV2_Atom);
}

void host_run(mini_host *host, uint32_t n)
{
    if (host->with_map) {
        prepare_atoms(host);
    }
    host_in_run = 1;
    double start = thread_cpu_seconds();
    lilv_instance_run(host->instance, n);
    /* Responses are delivered in the audio thread, right after run(). */
    for (int i = 0; i < host->response_count; i++) {
        host->worker->work_response(lilv_instance_get_handle(host->instance),
                                    host->responses[i].size, host->responses[i].data);
    }
    host->response_count = 0;
    if (host->worker && host->worker->end_run) {
        host->worker->end_run(lilv_instance_get_handle(host->instance));
    }
    host->last_run_cpu = thread_cpu_seconds() - start;
    host_in_run = 0;
    /* The "worker thread": jobs queued during run. */
    int jobs = host->job_count;
    host->job_count = 0;
    for (int i = 0; i < jobs; i++) {
        host->worker_jobs++;
        host->worker->work(lilv_instance_get_handle(host->instance), respond, host,
                           host->jobs[i].size, host->jobs[i].data);
    }
}

static void set_port_value(const char *symbol, void *user_data, const void *value, uint32_t size,
                           uint32_t type)
{
    mini_host *host = user_data;
    int p = host_port_index(host, symbol);
    if (p < 0 || host->is_audio[p] || host->is_atom[p]) {
        fprintf(stderr, "mini_host: a preset sets %s, which is no control port\n", symbol);
        return;
    }
    if (type == map_uri(host, LV2_ATOM__Float) && size == sizeof(float)) {
        host->control[p] = *(const float *)value;
    } else if (type == map_uri(host, LV2_ATOM__Double) && size == sizeof(double)) {
        host->control[p] = (float)*(const double *)value;
    } else if (type == map_uri(host, LV2_ATOM__Int) && size == sizeof(int32_t)) {
        host->control[p] = (float)*(const int32_t *)value;
    } else {
        fprintf(stderr, "mini_host: preset value of %s has an unexpected type\n", symbol);
    }
}

int host_load_preset(mini_host *host, const char *preset_uri)
{
    LilvNode *uri = lilv_new_uri(world, preset_uri);
    lilv_world_load_resource(world, uri);
    LilvState *state = lilv_state_new_from_world(world, &host->map, uri);
    lilv_node_free(uri);
    if (!state) {
        return 0;
    }
    lilv_state_restore(state, host->instance, set_port_value, host, 0, NULL);
    lilv_state_free(state);
    return 1;
}

const LV2_Atom_Sequence *host_notify(const mini_host *host)
{
    return host->with_map ? host->atom_out : NULL;
}

uint32_t host_notify_capacity(const mini_host *host)
{
    return host->notify_bytes;
}

int host_queue_draw_calls(const mini_host *host)
{
    return host->queue_draw_calls;
}

const void *host_extension(const mini_host *host, const char *uri)
{
    return lilv_instance_get_extension_data(host->instance, uri);
}

void *host_handle(const mini_host *host)
{
    return lilv_instance_get_handle(host->instance);
}
