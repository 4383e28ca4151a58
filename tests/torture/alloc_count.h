/* Counts heap calls (malloc, calloc, realloc, free, posix_memalign,
 * aligned_alloc, memalign) made while a flag is set: the torture host sets
 * it around every run() so that an allocation inside the plugin's audio
 * path is seen, wherever in the plugin or its libraries (FFTW,
 * libsamplerate) it happens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_TORTURE_ALLOC_COUNT_H
#define SPECTIDE_TORTURE_ALLOC_COUNT_H

/* Call once before the plugin is loaded (installs the hooks under ASan). */
void alloc_count_init(void);
/* Start counting (clears nothing), stop counting. */
void alloc_count_begin(void);
void alloc_count_end(void);
/* Calls counted so far. */
long alloc_count_total(void);

#endif
