/* Multi-threaded FFTW and planning from several threads at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "check.h"
#include "test_random.h"
#include "planner.h"
#include "spectide.h"

#include <pthread.h>
#include <stdlib.h>

enum { WORKERS = 4 };

typedef struct {
    int width, height;
    const float *image;
    double *power;
    int ok;
} job;

/* Plans, runs and frees RAPSDs and filters repeatedly, concurrently with
 * the other workers: needs FFTW's thread-safe planner. */
static void *worker(void *argument)
{
    job *work = argument;
    work->ok = 1;
    for (int round = 0; round < 20; round++) {
        st_rapsd *rapsd = st_rapsd_new(work->width, work->height, NULL);
        st_filter *filter = st_filter_new(work->width, work->height, NULL);
        if (!rapsd || !filter) {
            work->ok = 0;
            return NULL;
        }
        st_rapsd_run(rapsd, work->image, work->power);
        st_rapsd_free(rapsd);
        st_filter_free(filter);
    }
    return NULL;
}

static double worst_relative(const double *a, const double *b, int n)
{
    double worst = 0.0;
    for (int i = 0; i < n; i++)
        worst = fmax(worst, fabs(a[i] - b[i]) / fabs(b[i]));
    return worst;
}

int main(void)
{
    const int size = 600; /* above 512x512: plans use the thread setting */
    float *image = malloc((size_t)size * size * sizeof *image);
    uint64_t seed = 9;
    for (int i = 0; i < size * size; i++)
        image[i] = (float)test_random_gaussian(&seed);
    int rings = st_ring_count_for_size(size, size);
    double *serial = malloc((size_t)rings * sizeof *serial);
    double *threaded = malloc((size_t)rings * sizeof *threaded);

    CHECK(st_get_threads() == 1, "one FFTW thread by default");
    st_rapsd *rapsd = st_rapsd_new(size, size, NULL);
    st_rapsd_run(rapsd, image, serial);
    st_rapsd_free(rapsd);
    st_set_threads(2);
    CHECK(st_get_threads() == 2 && st_planner_threads_for(size, size) == 2 &&
              st_planner_threads_for(100, 100) == 1,
          "st_set_threads(2): large plans use 2 threads, small ones 1");
    rapsd = st_rapsd_new(size, size, NULL);
    st_rapsd_run(rapsd, image, threaded);
    st_rapsd_free(rapsd);
    CHECK(worst_relative(threaded, serial, rings) < 1e-4,
          "2-thread RAPSD equals the 1-thread one (worst %.3g)",
          worst_relative(threaded, serial, rings));
    st_set_threads(0);
    CHECK(st_get_threads() == 1, "st_set_threads(0) means 1");

    /* Several threads planning at once, with sizes that differ per worker. */
    job jobs[WORKERS];
    pthread_t threads[WORKERS];
    double *powers[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        int width = 96 + 17 * i, height = 64 + 5 * i;
        powers[i] = malloc((size_t)st_ring_count_for_size(width, height) * sizeof(double));
        jobs[i] = (job){width, height, image, powers[i], 0};
        pthread_create(&threads[i], NULL, worker, &jobs[i]);
    }
    int all_ok = 1, all_same = 1;
    for (int i = 0; i < WORKERS; i++) {
        pthread_join(threads[i], NULL);
        all_ok &= jobs[i].ok;
        int n = st_ring_count_for_size(jobs[i].width, jobs[i].height);
        double *alone = malloc((size_t)n * sizeof *alone);
        st_rapsd *single = st_rapsd_new(jobs[i].width, jobs[i].height, NULL);
        st_rapsd_run(single, image, alone);
        st_rapsd_free(single);
        all_same &= worst_relative(powers[i], alone, n) < 1e-5;
        free(alone);
        free(powers[i]);
    }
    CHECK(all_ok, "%d threads planned and ran RAPSDs and filters concurrently", WORKERS);
    CHECK(all_same, "concurrent results equal single-threaded ones");
    free(serial);
    free(threaded);
    free(image);
    return check_done();
}
