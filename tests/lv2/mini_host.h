/* A tiny lilv host for the spectide.lv2 tests and benchmark: loads a plugin
 * from LV2_PATH, offers urid:map, a worker and the inline display's
 * queue_draw, and connects every port to a buffer it owns.
 *
 * The worker behaves as one of the legal hosts does (host_worker_mode):
 * deferred (jobs run after run() returns, as a worker thread would, and the
 * responses come with the next run: jalv), synchronous (work() and
 * work_response() run inside schedule_work(): Ardour while it loads a
 * session and while it exports), or refusing jobs (schedule_work() fails:
 * a full queue), always or every other time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_TEST_MINI_HOST_H
#define SPECTIDE_TEST_MINI_HOST_H

#include <lilv/lilv.h>
#include <lv2/atom/atom.h>
#include <lv2/urid/urid.h>
#include <stdint.h>

#define HOST_MAX_PORTS     32
#define HOST_MAX_BLOCK     8192
#define HOST_ATOM_CAPACITY 131072

typedef enum {
    HOST_WORKER_DEFERRED = 0, /* responses with the next run (a worker thread) */
    HOST_WORKER_SYNCHRONOUS,  /* work() and work_response() inside schedule_work() */
    HOST_WORKER_FAILING,      /* schedule_work() always fails */
    HOST_WORKER_FLAKY,        /* schedule_work() fails every other call */
    HOST_WORKER_MODES
} host_worker_mode;

typedef struct {
    int with_map;          /* offer urid:map */
    int with_worker;       /* offer worker:schedule */
    int with_queue_draw;   /* offer the inline display's queue_draw */
    uint32_t notify_bytes; /* capacity given to the notify port (<= HOST_ATOM_CAPACITY) */
} host_options;            /* the worker starts deferred: see host_set_worker_mode */

typedef struct mini_host mini_host;

/* Loads the world once (LV2_PATH decides where plugins come from). */
mini_host *host_new(const char *plugin_uri, double rate, const host_options *options);
void host_free(mini_host *host);

int host_port_index(const mini_host *host, const char *symbol); /* -1 if none */
const char *host_port_symbol(const mini_host *host, int index);
int host_port_count(const mini_host *host);
void host_set(mini_host *host, const char *symbol, float value);
float host_get(const mini_host *host, const char *symbol);
/* Audio buffers by order among audio inputs / outputs. */
float *host_audio_in(mini_host *host, int which);
float *host_audio_out(mini_host *host, int which);
int host_audio_channels(const mini_host *host);

/* Changes the worker's behaviour from the next schedule_work() on (an
 * export switches Ardour's worker to synchronous and back). */
void host_set_worker_mode(mini_host *host, host_worker_mode mode);
/* Jobs handed to work() so far, and schedule_work() calls refused. */
long host_worker_jobs(const mini_host *host);
long host_worker_refusals(const mini_host *host);

/* Applies an LV2 preset (pset:Preset URI) as hosts do, through
 * lilv_state_restore: the port values it lists. Returns 0 if unknown. */
int host_load_preset(mini_host *host, const char *preset_uri);

void host_activate(mini_host *host);
void host_deactivate(mini_host *host);
/* One run() of n frames (<= HOST_MAX_BLOCK): prepares the atom ports,
 * calls run, then delivers worker responses and runs queued jobs. */
void host_run(mini_host *host, uint32_t n);

/* Thread CPU time of the last host_run's audio-thread part (run() and the
 * worker responses), without the worker jobs that a real host runs in
 * another thread. */
double host_last_run_cpu_seconds(const mini_host *host);

/* Queues an object with this otype (no properties) on the control port
 * for the next run. */
void host_send_object(mini_host *host, const char *otype_uri);
/* The notify port's sequence after the last run (NULL without map). */
const LV2_Atom_Sequence *host_notify(const mini_host *host);
uint32_t host_notify_capacity(const mini_host *host);
LV2_URID host_map(mini_host *host, const char *uri);

int host_queue_draw_calls(const mini_host *host);
/* The inline display interface (NULL if the plugin has none). */
const void *host_extension(const mini_host *host, const char *uri);
void *host_handle(const mini_host *host);

/* While nonzero, the code is "inside run()" (for the allocation counter). */
extern volatile int host_in_run;

#endif /* SPECTIDE_TEST_MINI_HOST_H */
