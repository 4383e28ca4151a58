/* A tiny lilv host for the spectide.lv2 tests and benchmark: loads a plugin
 * from LV2_PATH, offers urid:map, a worker (jobs run between run() calls,
 * as a worker thread would, never inside run()) and the inline display's
 * queue_draw, and connects every port to a buffer it owns.
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

typedef struct {
    int with_map;          /* offer urid:map */
    int with_worker;       /* offer worker:schedule */
    int with_queue_draw;   /* offer the inline display's queue_draw */
    uint32_t notify_bytes; /* capacity given to the notify port (<= HOST_ATOM_CAPACITY) */
} host_options;

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
