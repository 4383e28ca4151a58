/* The batch worker pool (see pool.h).
 *
 * Slots form a ring indexed by sequence number: item s lives in slot
 * s % window. The main thread fills item `filled` when that slot was handed
 * back (filled - handed < window), workers start items in sequence order
 * (`started`), and the main thread waits for item `handed` to be done. Only
 * the counters and the done flags are shared, under one mutex; a slot's
 * contents belong to the main thread until it is published by `filled`,
 * then to one worker until its done flag is set, then to the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_pool_cpu_count(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int count = CPU_COUNT(&set);
        if (count >= 1)
            return count > CLI_POOL_MAX_JOBS ? CLI_POOL_MAX_JOBS : count;
    }
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online < 1 ? 1 : online > CLI_POOL_MAX_JOBS ? CLI_POOL_MAX_JOBS : (int)online;
}

typedef struct {
    const cli_pool_settings *settings;
    unsigned char *slots;
    unsigned char *done; /* per slot: work finished */
    int window;
    pthread_mutex_t lock;
    pthread_cond_t work_ready; /* workers wait: an item to start, or stop */
    pthread_cond_t item_done;  /* the main thread waits: an item finished */
    unsigned long long filled, started;
    int stopping;
} pool;

static void *slot_at(pool *p, unsigned long long sequence)
{
    return p->slots + (size_t)(sequence % (unsigned long long)p->window) * p->settings->slot_size;
}

typedef struct {
    pool *pool;
    pthread_t thread;
    void *state;
    int running;
} worker;

static void *worker_main(void *argument)
{
    worker *self = argument;
    pool *p = self->pool;
    const cli_pool_settings *s = p->settings;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stopping && p->started == p->filled)
            pthread_cond_wait(&p->work_ready, &p->lock);
        if (p->started == p->filled) /* stopping, and nothing left to start */
            break;
        unsigned long long sequence = p->started++;
        pthread_mutex_unlock(&p->lock);
        s->work(self->state, slot_at(p, sequence), s->user);
        pthread_mutex_lock(&p->lock);
        p->done[sequence % (unsigned long long)p->window] = 1;
        pthread_cond_signal(&p->item_done);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* jobs = 1: the same callbacks in this thread, one item at a time. */
static int run_inline(const cli_pool_settings *s, void *slot)
{
    void *state = s->worker_new ? s->worker_new(s->user) : NULL;
    if (s->worker_new && !state)
        return -1;
    int result = 0;
    while (result == 0 && s->next(slot, s->user) == 1) {
        s->work(state, slot, s->user);
        result = s->done(slot, s->user);
    }
    if (s->worker_free)
        s->worker_free(state, s->user);
    return result;
}

static int run_threads(pool *p, worker *workers, int jobs)
{
    const cli_pool_settings *s = p->settings;
    unsigned long long handed = 0;
    int more = 1, result = 0;
    for (;;) {
        /* Take in items while there is room; publish them together. */
        unsigned long long fill = p->filled;
        while (more && fill - handed < (unsigned long long)p->window) {
            void *slot = slot_at(p, fill);
            if (s->next(slot, s->user) != 1) {
                more = 0;
                break;
            }
            p->done[fill % (unsigned long long)p->window] = 0;
            fill++;
        }
        pthread_mutex_lock(&p->lock);
        if (fill != p->filled) {
            p->filled = fill;
            pthread_cond_broadcast(&p->work_ready);
        }
        if (handed == p->filled) {
            pthread_mutex_unlock(&p->lock);
            break;
        }
        size_t index = (size_t)(handed % (unsigned long long)p->window);
        while (!p->done[index])
            pthread_cond_wait(&p->item_done, &p->lock);
        pthread_mutex_unlock(&p->lock);
        result = s->done(slot_at(p, handed), s->user);
        handed++;
        if (result != 0)
            break;
    }
    /* Stop: workers finish what they started; nothing else starts. */
    pthread_mutex_lock(&p->lock);
    p->stopping = 1;
    p->filled = p->started;
    pthread_cond_broadcast(&p->work_ready);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < jobs; i++)
        if (workers[i].running)
            pthread_join(workers[i].thread, NULL);
    return result;
}

int cli_pool_run(const cli_pool_settings *settings)
{
    const cli_pool_settings *s = settings;
    if (!s || !s->next || !s->work || !s->done || s->slot_size == 0 || s->jobs < 1 ||
        s->jobs > CLI_POOL_MAX_JOBS)
        return -1;
    int jobs = s->jobs;
    int window = s->window > 0 ? s->window : 4 * jobs;
    if (window < jobs)
        window = jobs;
    if (jobs == 1)
        window = 1;
    pool p = {.settings = s, .window = window};
    p.slots = calloc((size_t)window, s->slot_size);
    p.done = calloc((size_t)window, 1);
    worker *workers = calloc((size_t)jobs, sizeof *workers);
    int result = -1;
    if (p.slots && p.done && workers) {
        if (jobs == 1) {
            result = run_inline(s, p.slots);
        } else {
            pthread_mutex_init(&p.lock, NULL);
            pthread_cond_init(&p.work_ready, NULL);
            pthread_cond_init(&p.item_done, NULL);
            int started = 0;
            for (int i = 0; i < jobs; i++) {
                workers[i].pool = &p;
                workers[i].state = s->worker_new ? s->worker_new(s->user) : NULL;
                if (s->worker_new && !workers[i].state)
                    break;
                if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) != 0)
                    break;
                workers[i].running = 1;
                started++;
            }
            if (started == jobs) {
                result = run_threads(&p, workers, jobs);
            } else {
                pthread_mutex_lock(&p.lock);
                p.stopping = 1;
                pthread_cond_broadcast(&p.work_ready);
                pthread_mutex_unlock(&p.lock);
                for (int i = 0; i < jobs; i++)
                    if (workers[i].running)
                        pthread_join(workers[i].thread, NULL);
            }
            for (int i = 0; i < jobs; i++)
                if (s->worker_free && workers[i].state)
                    s->worker_free(workers[i].state, s->user);
            pthread_cond_destroy(&p.item_done);
            pthread_cond_destroy(&p.work_ready);
            pthread_mutex_destroy(&p.lock);
        }
        if (s->slot_clear)
            for (int i = 0; i < window; i++)
                s->slot_clear(p.slots + (size_t)i * s->slot_size, s->user);
    }
    free(workers);
    free(p.done);
    free(p.slots);
    return result;
}
