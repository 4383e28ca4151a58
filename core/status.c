/* Status messages and the process-wide FFTW set-up shared by every core object.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide.h"

#include <fftw3.h>
#include <pthread.h>
#include <stdatomic.h>

const char *st_status_message(st_status status)
{
    switch (status) {
    case ST_OK:
        return "ok";
    case ST_ERROR_ARGUMENT:
        return "invalid argument (size, range or pointer)";
    case ST_ERROR_MEMORY:
        return "out of memory";
    case ST_ERROR_NOT_FINITE:
        return "input contains NaN or infinite values";
    case ST_NOT_READY:
        return "no result yet";
    case ST_ERROR_FORMAT:
        return "not the expected file format or version";
    case ST_ERROR_MISMATCH:
        return "objects that cannot be combined";
    }
    return "unknown status";
}

/* Read when a plan is made, possibly from another thread: atomic. */
static atomic_int requested_threads = 1;

void st_set_threads(int threads)
{
    atomic_store(&requested_threads, threads < 1 ? 1 : threads);
}

int st_get_threads(void)
{
    return atomic_load(&requested_threads);
}

static pthread_once_t fftw_once = PTHREAD_ONCE_INIT;

static void fftw_init_once(void)
{
    /* fftwf_init_threads must precede every other FFTW call that plans;
     * after fftwf_make_planner_thread_safe, plans may be made and destroyed
     * from any thread (FFTW >= 3.3.5). */
    fftwf_init_threads();
    fftwf_make_planner_thread_safe();
}

void st_fftw_init(void)
{
    pthread_once(&fftw_once, fftw_init_once);
}

int st_fftw_threads_for(int width, int height)
{
    /* Below 512x512 the thread start-up costs more than it saves. */
    if ((long long)width * height < 512LL * 512LL)
        return 1;
    return st_get_threads();
}
