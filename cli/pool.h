/* A worker pool for batches: items come in from the main thread, the work
 * runs in worker threads, and the results are handed back in the main
 * thread in input order. So a batch gives the same results, printed and
 * summed in the same order, with any number of workers.
 *
 * At most `window` items are in flight (taken in, not yet handed back): the
 * memory of a run does not grow with the number of items. Every slot is
 * `slot_size` bytes owned by the pool and reused; the callbacks keep their
 * buffers in it (allocated on first use, freed by `slot_clear`).
 *
 * Threads: cli_pool_run is called from one thread, which runs `next` and
 * `done`; `work` runs in the workers, one slot per call, with that worker's
 * own state. With jobs = 1 everything runs in the calling thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_CLI_POOL_H
#define SPECTIDE_CLI_POOL_H

#include <stddef.h>

typedef struct {
    int jobs;         /* worker threads, 1 .. CLI_POOL_MAX_JOBS */
    int window;       /* items in flight, >= jobs (0: 4 per job) */
    size_t slot_size; /* bytes per slot, zeroed before the first use */
    void *user;       /* passed to every callback */

    /* Per-worker state (NULL callbacks: none). */
    void *(*worker_new)(void *user);
    void (*worker_free)(void *worker, void *user);
    /* Main thread: fills `slot` with the next item. 1 = an item, 0 = no more. */
    int (*next)(void *slot, void *user);
    /* A worker: does the work of one slot. */
    void (*work)(void *worker, void *slot, void *user);
    /* Main thread, input order: takes the result. 0 goes on; anything else
     * stops the run (nothing more is taken in; the items in flight finish
     * and are not handed back) and is returned by cli_pool_run. */
    int (*done)(void *slot, void *user);
    /* Frees what a slot holds (at the end; NULL: nothing to free). */
    void (*slot_clear)(void *slot, void *user);
} cli_pool_settings;

#define CLI_POOL_MAX_JOBS 256

/* The number of processors this process may run on (at least 1). */
int cli_pool_cpu_count(void);

/* Runs the batch. Returns 0 when every item was handed back, the value a
 * `done` returned to stop, or -1 if the pool could not start (no memory, no
 * threads: nothing was taken in). */
int cli_pool_run(const cli_pool_settings *settings);

#endif
