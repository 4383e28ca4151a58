/* Counts heap calls (malloc, calloc, realloc, free, posix_memalign,
 * aligned_alloc, memalign) made while a flag is set: the test hosts set it
 * around every run() and work_response() so that an allocation in the
 * plugin's audio path is seen, wherever in the plugin or its libraries
 * (FFTW, libsamplerate) it happens. The executable that links this file
 * must be linked with export_dynamic, so that the dlopen()ed plugin binds
 * to these allocation functions. TEST_ABORT_ON_ALLOC=1 (or the torture
 * host's TORTURE_ABORT_ON_ALLOC) aborts at the first counted call, for a
 * backtrace in gdb.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_TEST_ALLOC_COUNT_H
#define SPECTIDE_TEST_ALLOC_COUNT_H

/* Call once before the plugin is loaded (installs the hooks under ASan). */
void alloc_count_init(void);
/* Start counting (clears nothing), stop counting. */
void alloc_count_begin(void);
void alloc_count_end(void);
/* Calls counted so far (while the flag was set). */
long alloc_count_total(void);
/* Every heap call of the process so far, counted or not (to check that
 * the counter sees them at all). */
long alloc_count_all(void);

#endif
