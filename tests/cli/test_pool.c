/* Unit test of the batch worker pool (cli/pool.c): results come back in
 * input order for any number of workers and any spread of work per item,
 * never more items are in flight than the window, every worker state and
 * every slot is freed, and a `done` that stops the run stops it at once.
 *
 * The work per item is a deterministic amount of arithmetic that varies
 * from item to item (by a factor of 100), so that workers finish out of
 * order; no sleeps, no timing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pool.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int failures;
#define CHECK(condition, ...)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            failures++;                                                                            \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                   \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)

typedef struct {
    long index;
    uint64_t *buffer; /* allocated on first use, like a real slot's arrays */
    uint64_t result;
    int worker_id;
} slot;

typedef struct {
    long items, next_index, next_expected, stop_at;
    int window;
    atomic_int in_flight, max_in_flight;
    atomic_int workers_made, workers_freed, next_worker_id;
    int slots_cleared;
    int out_of_order; /* items handed back out of input order */
    int wrong_results;
    uint64_t checksum;
    int ids_seen[64];
} batch;

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

/* The "analysis": a chain of mixes, 100 to 10000 long depending on the item. */
static uint64_t compute(long index)
{
    long rounds = 100 + (long)(mix((uint64_t)index) % 9901);
    uint64_t x = (uint64_t)index;
    for (long i = 0; i < rounds; i++)
        x = mix(x + (uint64_t)i);
    return x;
}

static void *worker_new(void *user)
{
    batch *b = user;
    atomic_fetch_add(&b->workers_made, 1);
    int *id = malloc(sizeof *id);
    if (id)
        *id = atomic_fetch_add(&b->next_worker_id, 1);
    return id;
}

static void worker_free(void *worker, void *user)
{
    batch *b = user;
    atomic_fetch_add(&b->workers_freed, 1);
    free(worker);
}

static int next(void *memory, void *user)
{
    batch *b = user;
    slot *s = memory;
    if (b->next_index == b->items)
        return 0;
    s->index = b->next_index++;
    int now = atomic_fetch_add(&b->in_flight, 1) + 1;
    int seen = atomic_load(&b->max_in_flight);
    while (now > seen && !atomic_compare_exchange_weak(&b->max_in_flight, &seen, now))
        ;
    return 1;
}

static void work(void *worker, void *memory, void *user)
{
    (void)user;
    slot *s = memory;
    if (!s->buffer)
        s->buffer = calloc(4, sizeof *s->buffer);
    if (s->buffer)
        s->buffer[s->index % 4] = (uint64_t)s->index;
    s->result = compute(s->index);
    s->worker_id = *(int *)worker;
}

static int done(void *memory, void *user)
{
    batch *b = user;
    slot *s = memory;
    atomic_fetch_sub(&b->in_flight, 1);
    if (s->index != b->next_expected)
        b->out_of_order++;
    if (s->result != compute(s->index) || !s->buffer ||
        s->buffer[s->index % 4] != (uint64_t)s->index)
        b->wrong_results++;
    if (s->worker_id >= 0 && s->worker_id < 64)
        b->ids_seen[s->worker_id] = 1;
    b->checksum = mix(b->checksum ^ s->result);
    b->next_expected++;
    return s->index == b->stop_at ? 42 : 0;
}

static void clear(void *memory, void *user)
{
    batch *b = user;
    slot *s = memory;
    free(s->buffer);
    b->slots_cleared++;
}

static int run_batch(batch *b, int jobs, int window)
{
    cli_pool_settings settings = {.jobs = jobs,
                                  .window = window,
                                  .slot_size = sizeof(slot),
                                  .user = b,
                                  .worker_new = worker_new,
                                  .worker_free = worker_free,
                                  .next = next,
                                  .work = work,
                                  .done = done,
                                  .slot_clear = clear};
    return cli_pool_run(&settings);
}

int main(void)
{
    uint64_t reference = 0;
    const int jobs_list[] = {1, 2, 3, 4, 8};
    const int windows[] = {0, 1, 5, 64};
    for (size_t j = 0; j < sizeof jobs_list / sizeof jobs_list[0]; j++) {
        for (size_t w = 0; w < sizeof windows / sizeof windows[0]; w++) {
            int jobs = jobs_list[j], window = windows[w];
            int effective = jobs == 1 ? 1 : window == 0 ? 4 * jobs : window < jobs ? jobs : window;
            batch b = {.items = 2000, .stop_at = -1, .window = effective};
            int result = run_batch(&b, jobs, window);
            CHECK(result == 0, "jobs %d window %d: result %d", jobs, window, result);
            CHECK(b.next_expected == 2000, "jobs %d window %d: %ld items handed back", jobs, window,
                  b.next_expected);
            CHECK(b.out_of_order == 0, "jobs %d window %d: %d items out of order", jobs, window,
                  b.out_of_order);
            CHECK(b.wrong_results == 0, "jobs %d window %d: %d wrong results", jobs, window,
                  b.wrong_results);
            CHECK(atomic_load(&b.max_in_flight) <= effective,
                  "jobs %d window %d: %d in flight, window %d", jobs, window,
                  atomic_load(&b.max_in_flight), effective);
            CHECK(atomic_load(&b.workers_made) == jobs && atomic_load(&b.workers_freed) == jobs,
                  "jobs %d: %d workers made, %d freed", jobs, atomic_load(&b.workers_made),
                  atomic_load(&b.workers_freed));
            CHECK(b.slots_cleared == effective, "jobs %d window %d: %d slots cleared of %d", jobs,
                  window, b.slots_cleared, effective);
            if (reference == 0)
                reference = b.checksum;
            CHECK(b.checksum == reference, "jobs %d window %d: results differ from jobs 1", jobs,
                  window);
            int used = 0;
            for (int i = 0; i < 64; i++)
                used += b.ids_seen[i];
            CHECK(jobs == 1 || used >= 1, "jobs %d: no worker did any work", jobs);
        }
    }

    /* A `done` that stops: nothing after the stopping item is handed back,
     * the stopping value comes out, everything is freed. */
    for (size_t j = 0; j < sizeof jobs_list / sizeof jobs_list[0]; j++) {
        int jobs = jobs_list[j];
        batch b = {.items = 500, .stop_at = 123};
        int result = run_batch(&b, jobs, 0);
        CHECK(result == 42, "jobs %d: stop returns %d", jobs, result);
        CHECK(b.next_expected == 124, "jobs %d: %ld items handed back after a stop at 123", jobs,
              b.next_expected);
        CHECK(b.next_index <= 124 + 4 * jobs, "jobs %d: %ld items taken in after the stop", jobs,
              b.next_index);
        CHECK(atomic_load(&b.workers_freed) == jobs, "jobs %d: workers freed after a stop", jobs);
    }

    /* Nothing to do, and settings that cannot work. */
    batch empty = {.items = 0, .stop_at = -1};
    CHECK(run_batch(&empty, 3, 0) == 0 && empty.next_expected == 0, "an empty batch");
    batch bad = {.items = 10, .stop_at = -1};
    CHECK(run_batch(&bad, 0, 0) == -1 && bad.next_index == 0,
          "jobs 0 is refused, nothing taken in");
    CHECK(run_batch(&bad, CLI_POOL_MAX_JOBS + 1, 0) == -1, "too many jobs are refused");
    CHECK(cli_pool_cpu_count() >= 1, "cpu count %d", cli_pool_cpu_count());

    if (failures)
        fprintf(stderr, "%d failure(s)\n", failures);
    else
        printf(
            "pool: results in input order for 1-8 workers and windows 1-64, stop, cleanup: ok\n");
    return failures ? 1 : 0;
}
