/* The core's use of FFTW's process-wide planner state (see st_fftw_mode in
 * spectide.h for what each mode does to the process, and why).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "planner.h"
#include "spectide.h"

#include <fftw3.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

enum { MODE_UNSET = -1 };

/* The requested mode; fixed at the first plan (`applied`). */
static atomic_int requested_mode = MODE_UNSET;
static int applied = 0; /* written under planner_lock only */
static pthread_mutex_t planner_lock = PTHREAD_MUTEX_INITIALIZER;
/* Read when a plan is made, possibly from another thread: atomic. */
static atomic_int requested_threads = 1;

static st_fftw_mode mode_from_environment(void)
{
    const char *value = getenv("SPECTIDE_FFTW");
    return value && strcmp(value, "private") == 0 ? ST_FFTW_PRIVATE : ST_FFTW_PROCESS_WIDE;
}

st_status st_fftw_configure(st_fftw_mode mode)
{
    if (mode != ST_FFTW_PROCESS_WIDE && mode != ST_FFTW_PRIVATE)
        return ST_ERROR_ARGUMENT;
    int expected = MODE_UNSET;
    if (atomic_compare_exchange_strong(&requested_mode, &expected, (int)mode))
        return ST_OK;
    return expected == (int)mode ? ST_OK : ST_ERROR_MISMATCH;
}

st_fftw_mode st_fftw_current_mode(void)
{
    int mode = atomic_load(&requested_mode);
    return mode == MODE_UNSET ? mode_from_environment() : (st_fftw_mode)mode;
}

void st_set_threads(int threads)
{
    atomic_store(&requested_threads, threads < 1 ? 1 : threads);
}

int st_get_threads(void)
{
    return atomic_load(&requested_threads);
}

int st_planner_threads_for(int width, int height)
{
    if (st_fftw_current_mode() == ST_FFTW_PRIVATE)
        return 1;
    /* Below 512x512 the thread start-up costs more than it saves. */
    if ((long long)width * height < 512LL * 512LL)
        return 1;
    return st_get_threads();
}

void st_planner_enter(int threads)
{
    pthread_mutex_lock(&planner_lock);
    if (!applied) {
        /* Fix the mode: a later st_fftw_configure with another one fails. */
        st_fftw_configure(st_fftw_current_mode());
        if (st_fftw_current_mode() == ST_FFTW_PROCESS_WIDE) {
            /* fftwf_init_threads must precede every other FFTW call that
             * plans; after fftwf_make_planner_thread_safe, any FFTW user in
             * the process may plan from any thread (FFTW >= 3.3.5). */
            fftwf_init_threads();
            fftwf_make_planner_thread_safe();
        }
        applied = 1;
    }
    /* The thread count is FFTW global state: set it under our lock, right
     * before the plan it is meant for. */
    if (st_fftw_current_mode() == ST_FFTW_PROCESS_WIDE)
        fftwf_plan_with_nthreads(threads < 1 ? 1 : threads);
}

void st_planner_leave(void)
{
    pthread_mutex_unlock(&planner_lock);
}

char *st_fftw_export_wisdom(void)
{
    if (st_fftw_current_mode() != ST_FFTW_PROCESS_WIDE)
        return NULL;
    st_planner_enter(1);
    char *text = fftwf_export_wisdom_to_string();
    st_planner_leave();
    return text;
}

st_status st_fftw_import_wisdom(const char *text)
{
    if (st_fftw_current_mode() != ST_FFTW_PROCESS_WIDE)
        return ST_ERROR_MISMATCH;
    if (!text)
        return ST_ERROR_ARGUMENT;
    st_planner_enter(1);
    int imported = fftwf_import_wisdom_from_string(text);
    st_planner_leave();
    return imported ? ST_OK : ST_ERROR_FORMAT;
}
