/* The image file loop (see image_batch.h).
 *
 * Each worker keeps its decoded picture's buffers and a few FFTW plans (one
 * st_rapsd per image size, the most recently used kept): a folder of
 * same-size photos plans once per worker. Every image is transformed by a
 * plan of its own size made the same way (FFTW_ESTIMATE) from aligned
 * planes, so its RAPSD does not depend on which worker computed it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "image_batch.h"

#include "cli.h"
#include "pixels.h"
#include "pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Plans kept per worker, and the pixels they may cover together. */
#define PLAN_CACHE        4
#define PLAN_CACHE_PIXELS (2u << 20)

typedef struct {
    char *path;
    size_t path_capacity;
    int input_failed; /* the inputs could not produce a file (problem set) */
    int status;
    char problem[320];
    char format[64];
    int width, height, rings;
    double *freq, *power;
    int capacity; /* rings the arrays hold */
    st_powerlaw fit;
    int fit_ok;
} batch_slot;

typedef struct {
    int width, height;
    st_rapsd *rapsd;
    unsigned long long used;
} cached_plan;

typedef struct {
    cli_picture picture;
    cached_plan plans[PLAN_CACHE];
    unsigned long long clock;
} batch_worker;

typedef struct {
    cli_inputs *inputs;
    const cli_batch_settings *settings;
    cli_load_settings load;
    cli_batch_take take;
    void *user;
    cli_batch_counts *counts;
    int stopped_on_bad; /* the run ended at an unreadable file */
    int out_of_memory;  /* an input could not be taken in */
    int single_file;    /* the inputs are one file: no summary lines */
    /* progress */
    int show_progress, progress_shown;
    double start, last_shown, delay;
} batch_run;

static double seconds_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + now.tv_nsec * 1e-9;
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
    unsigned long long done = run->counts->analysed + run->counts->skipped;
    double rate = now > run->start ? done / (now - run->start) : 0.0;
    fprintf(stderr, "\r\033[Kspectide: %llu files, %.0f files/s, %llu skipped", done, rate,
            run->counts->skipped);
    fflush(stderr);
    run->progress_shown = 1;
}

/* ------------------------------------------------------------ workers */

static void *worker_new(void *user)
{
    (void)user;
    return calloc(1, sizeof(batch_worker));
}

static void worker_free(void *state, void *user)
{
    (void)user;
    batch_worker *worker = state;
    for (int i = 0; i < PLAN_CACHE; i++)
        st_rapsd_free(worker->plans[i].rapsd);
    cli_picture_release(&worker->picture);
    free(worker);
}

/* A plan for width x height: cached, or new in the least recently used
 * place (plans of other sizes are dropped while the cache covers more than
 * PLAN_CACHE_PIXELS, so one huge image does not stay resident). */
static st_rapsd *plan_for(batch_worker *worker, int width, int height)
{
    worker->clock++;
    for (int i = 0; i < PLAN_CACHE; i++) {
        cached_plan *plan = &worker->plans[i];
        if (plan->rapsd && plan->width == width && plan->height == height) {
            plan->used = worker->clock;
            return plan->rapsd;
        }
    }
    int oldest = 0;
    for (int i = 1; i < PLAN_CACHE; i++)
        if (!worker->plans[i].rapsd ||
            (worker->plans[oldest].rapsd && worker->plans[i].used < worker->plans[oldest].used))
            oldest = i;
    st_rapsd_free(worker->plans[oldest].rapsd);
    worker->plans[oldest].rapsd = NULL;
    double pixels = (double)width * height;
    for (int i = 0; i < PLAN_CACHE; i++)
        if (worker->plans[i].rapsd)
            pixels += (double)worker->plans[i].width * worker->plans[i].height;
    for (int i = 0; i < PLAN_CACHE && pixels > PLAN_CACHE_PIXELS; i++)
        if (worker->plans[i].rapsd) {
            pixels -= (double)worker->plans[i].width * worker->plans[i].height;
            st_rapsd_free(worker->plans[i].rapsd);
            worker->plans[i].rapsd = NULL;
        }
    st_rapsd *rapsd = st_rapsd_new(width, height, NULL);
    worker->plans[oldest] = (cached_plan){width, height, rapsd, worker->clock};
    return rapsd;
}

static int ensure_rings(batch_slot *slot, int rings)
{
    if (rings <= slot->capacity)
        return 1;
    double *freq = realloc(slot->freq, sizeof(double) * rings);
    if (freq)
        slot->freq = freq;
    double *power = realloc(slot->power, sizeof(double) * rings);
    if (power)
        slot->power = power;
    if (!freq || !power)
        return 0;
    slot->capacity = rings;
    return 1;
}

static void work(void *state, void *slot_memory, void *user)
{
    batch_worker *worker = state;
    batch_slot *slot = slot_memory;
    batch_run *run = user;
    if (slot->input_failed)
        return;
    slot->status = cli_picture_load(&worker->picture, slot->path, &run->load, slot->problem,
                                    sizeof slot->problem);
    if (slot->status != CLI_OK)
        return;
    cli_picture *picture = &worker->picture;
    snprintf(slot->format, sizeof slot->format, "%s", picture->format);
    slot->width = picture->width;
    slot->height = picture->height;
    st_rapsd *rapsd = plan_for(worker, picture->width, picture->height);
    slot->rings = rapsd ? st_rapsd_ring_count(rapsd) : 0;
    if (!rapsd || !ensure_rings(slot, slot->rings)) {
        slot->status = CLI_BAD_INPUT;
        snprintf(slot->problem, sizeof slot->problem,
                 "cannot analyse a %dx%d image (out of memory)", picture->width, picture->height);
        return;
    }
    st_rapsd_frequencies(rapsd, slot->freq);
    st_rapsd_run(rapsd, picture->plane[0], slot->power);
    slot->fit_ok =
        st_powerlaw_fit(slot->freq, slot->power, slot->rings, 0.0, 0.0, 0, &slot->fit) == ST_OK;
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
    slot->problem[0] = '\0';
    if (got < 0)
        snprintf(slot->problem, sizeof slot->problem, "%s", problem);
    slot->fit_ok = 0;
    slot->rings = 0;
    return 1;
}

static int take_item(void *slot_memory, void *user)
{
    batch_slot *slot = slot_memory;
    batch_run *run = user;
    if (slot->status != CLI_OK) {
        clear_progress(run);
        cli_error("%s: %s", slot->path, slot->problem);
        if (!run->settings->skip_bad) {
            run->stopped_on_bad = 1;
            return CLI_BAD_INPUT;
        }
        run->counts->skipped++;
        show_progress(run, 0);
        return 0;
    }
    cli_batch_image image = {slot->path, slot->format, slot->width, slot->height, slot->rings,
                             slot->freq, slot->power,  slot->fit,   slot->fit_ok};
    int status = run->take(&image, run->user);
    if (status != CLI_OK)
        return status;
    run->counts->analysed++;
    show_progress(run, 0);
    return 0;
}

static void clear_slot(void *slot_memory, void *user)
{
    (void)user;
    batch_slot *slot = slot_memory;
    free(slot->path);
    free(slot->freq);
    free(slot->power);
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

int cli_batch_run(cli_inputs *inputs, const cli_batch_settings *settings, cli_batch_take take,
                  void *user, cli_batch_counts *counts)
{
    *counts = (cli_batch_counts){0, 0};
    batch_run run = {.inputs = inputs,
                     .settings = settings,
                     .load = {.channel = settings->channel,
                              .color_managed = settings->color_managed,
                              .max_pixels = cli_max_pixels()},
                     .take = take,
                     .user = user,
                     .counts = counts,
                     .show_progress = settings->progress && isatty(STDERR_FILENO),
                     .single_file = cli_inputs_is_single_file(inputs),
                     .start = seconds_now(),
                     .delay = progress_delay()};
    cli_pool_settings pool = {.jobs = settings->jobs,
                              .slot_size = sizeof(batch_slot),
                              .user = &run,
                              .worker_new = worker_new,
                              .worker_free = worker_free,
                              .next = next_item,
                              .work = work,
                              .done = take_item,
                              .slot_clear = clear_slot};
    int result = cli_pool_run(&pool);
    if (run.progress_shown) {
        /* The last state stays on the terminal, on its own line. */
        show_progress(&run, 1);
        fputc('\n', stderr);
        run.progress_shown = 0;
    }
    if (result == -1) {
        cli_error("cannot start %d worker threads", settings->jobs);
        return CLI_BAD_INPUT;
    }
    if (run.out_of_memory) {
        cli_error("out of memory for the list of inputs");
        return CLI_BAD_INPUT;
    }
    if (run.stopped_on_bad) {
        if (!run.single_file)
            cli_error("stopped at the first unreadable file, after %llu file%s analysed "
                      "(--skip-bad goes on past unreadable files)",
                      counts->analysed, counts->analysed == 1 ? "" : "s");
        return CLI_BAD_INPUT;
    }
    if (result != 0)
        return result;
    if (counts->skipped > 0)
        cli_error("%llu unreadable file%s skipped, %llu analysed", counts->skipped,
                  counts->skipped == 1 ? "" : "s", counts->analysed);
    return CLI_OK;
}

int cli_jobs_option(const char *command, int requested, int *jobs)
{
    if (requested < 0 || requested > CLI_POOL_MAX_JOBS)
        return cli_usage_error(command, "--jobs must be between 1 and %d (0: one per CPU)",
                               CLI_POOL_MAX_JOBS);
    *jobs = requested == 0 ? cli_pool_cpu_count() : requested;
    return CLI_OK;
}
