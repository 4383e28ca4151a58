/* The image file loop (see image_batch.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "image_batch.h"

#include "pool.h"
#include "wisdom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    char *path;
    size_t path_capacity;
    int input_failed; /* the inputs could not produce a file (problem set) */
    int status;
    char problem[320];
    cli_spectrum spectrum;
} batch_slot;

typedef struct {
    cli_inputs *inputs;
    const cli_batch_settings *settings;
    cli_batch_take take;
    void *user;
    cli_batch_counts *counts;
    char *stopped_at;  /* the bad file the run stopped at */
    int out_of_memory; /* an input could not be taken in */
    /* progress */
    int show_progress, progress_shown;
    double start, last_shown, delay;
} batch_run;

static const char *plural(uint64_t n)
{
    return n == 1 ? "" : "s";
}

static double seconds_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + now.tv_nsec * 1e-9;
}

/* Seconds before the progress line appears: 2, or SPECTIDE_PROGRESS_DELAY
 * (the tests set 0). */
static double progress_delay(void)
{
    const char *text = getenv("SPECTIDE_PROGRESS_DELAY");
    char *end = NULL;
    double delay = text ? strtod(text, &end) : 2.0;
    return text && end != text && *end == '\0' && delay >= 0.0 ? delay : 2.0;
}

static void clear_progress(batch_run *run)
{
    if (run->progress_shown) {
        fputs("\r\033[K", stderr);
        run->progress_shown = 0;
    }
}

static void show_progress(batch_run *run, int final)
{
    if (!run->show_progress)
        return;
    double now = seconds_now();
    if (!final && (now - run->start < run->delay || now - run->last_shown < 0.25))
        return;
    if (final && !run->progress_shown)
        return;
    run->last_shown = now;
    uint64_t done = run->counts->used + run->counts->skipped;
    double rate = now > run->start ? (double)done / (now - run->start) : 0.0;
    fprintf(stderr, "\r\033[Kspectide: %llu files, %.0f files/s, %llu skipped",
            (unsigned long long)done, rate, (unsigned long long)run->counts->skipped);
    fflush(stderr);
    run->progress_shown = 1;
}

/* ------------------------------------------------------------ workers */

static void *worker_new(void *user)
{
    batch_run *run = user;
    return cli_image_worker_new(&run->settings->image);
}

static void worker_free(void *worker, void *user)
{
    (void)user;
    cli_image_worker_free(worker);
}

static void work(void *worker, void *slot_memory, void *user)
{
    (void)user;
    batch_slot *slot = slot_memory;
    if (!slot->input_failed)
        slot->status = cli_image_analyse(worker, slot->path, &slot->spectrum, slot->problem,
                                         sizeof slot->problem);
}

/* --------------------------------------------------------- main thread */

static int next_item(void *slot_memory, void *user)
{
    batch_slot *slot = slot_memory;
    batch_run *run = user;
    const char *path = NULL, *problem = NULL;
    int got = cli_inputs_next(run->inputs, &path, &problem);
    if (got == 0)
        return 0;
    size_t length = strlen(path) + 1;
    if (length > slot->path_capacity) {
        char *grown = realloc(slot->path, length);
        if (!grown) {
            run->out_of_memory = 1;
            return 0;
        }
        slot->path = grown;
        slot->path_capacity = length;
    }
    memcpy(slot->path, path, length);
    slot->input_failed = got < 0;
    slot->status = got < 0 ? CLI_BAD_INPUT : CLI_OK;
    snprintf(slot->problem, sizeof slot->problem, "%s", got < 0 ? problem : "");
    return 1;
}

/* A file that cannot be used: skipped, or the end of the run. */
static int bad_file(batch_run *run, const char *path)
{
    if (!run->settings->skip_bad) {
        run->stopped_at = strdup(path);
        return CLI_BAD_INPUT;
    }
    run->counts->skipped++;
    show_progress(run, 0);
    return 0;
}

static int take_item(void *slot_memory, void *user)
{
    batch_slot *slot = slot_memory;
    batch_run *run = user;
    int result = 0;
    if (slot->status != CLI_OK) {
        clear_progress(run);
        cli_error("%s: %s", slot->path, slot->problem);
        result = bad_file(run, slot->path);
    } else {
        int status = run->take(slot->path, &slot->spectrum, run->user);
        if (status == CLI_OK) {
            run->counts->used++;
            show_progress(run, 0);
        } else if (status == CLI_BATCH_UNUSABLE) {
            result = bad_file(run, slot->path);
        } else {
            result = status;
        }
    }
    cli_spectrum_free(&slot->spectrum);
    return result;
}

static void clear_slot(void *slot_memory, void *user)
{
    (void)user;
    batch_slot *slot = slot_memory;
    free(slot->path);
    cli_spectrum_free(&slot->spectrum);
}

int cli_batch_run(cli_inputs *inputs, const cli_batch_settings *settings, cli_batch_take take,
                  void *user, cli_batch_counts *counts)
{
    *counts = (cli_batch_counts){0, 0};
    batch_run run = {.inputs = inputs,
                     .settings = settings,
                     .take = take,
                     .user = user,
                     .counts = counts,
                     .show_progress = settings->progress && isatty(STDERR_FILENO),
                     .start = seconds_now(),
                     .delay = progress_delay()};
    int jobs = settings->image.jobs > 0 ? settings->image.jobs : cli_pool_cpu_count();
    cli_pool_settings pool = {.jobs = jobs,
                              .slot_size = sizeof(batch_slot),
                              .user = &run,
                              .worker_new = worker_new,
                              .worker_free = worker_free,
                              .next = next_item,
                              .work = work,
                              .done = take_item,
                              .slot_clear = clear_slot};
    cli_wisdom *wisdom = cli_wisdom_load();
    int result = cli_pool_run(&pool);
    cli_wisdom_save(wisdom);
    if (run.progress_shown) {
        show_progress(&run, 1);
        fputc('\n', stderr);
        run.progress_shown = 0;
    }
    int status = CLI_OK;
    if (result == -1) {
        cli_error("%s: cannot start %d worker threads", settings->command, jobs);
        status = CLI_BAD_INPUT;
    } else if (run.out_of_memory) {
        cli_error("%s: out of memory for the list of inputs", settings->command);
        status = CLI_BAD_INPUT;
    } else if (run.stopped_at) {
        cli_error("%s: stopped at %s, after %llu file%s done (--skip-bad passes over bad files)",
                  settings->command, run.stopped_at, (unsigned long long)counts->used,
                  plural(counts->used));
        status = CLI_BAD_INPUT;
    } else if (result != 0) {
        status = result;
    } else if (counts->skipped) {
        cli_error("%s: %llu file%s skipped, %llu used", settings->command,
                  (unsigned long long)counts->skipped, plural(counts->skipped),
                  (unsigned long long)counts->used);
        status = CLI_PARTIAL;
    }
    free(run.stopped_at);
    return status;
}

int cli_jobs_option(const char *command, int requested, int *jobs)
{
    if (requested < 0 || requested > CLI_POOL_MAX_JOBS)
        return cli_usage_error(command, "--jobs must be between 1 and %d (0: one per CPU)",
                               CLI_POOL_MAX_JOBS);
    *jobs = requested == 0 ? cli_pool_cpu_count() : requested;
    return CLI_OK;
}
