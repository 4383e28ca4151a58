/* FFTW wisdom kept between runs of the image file loop: the first plan of
 * an image size costs about as much as its transform, and a dataset meets
 * the same sizes run after run (spectide.h, st_fftw_import_wisdom). Plans
 * and results are the same with and without it.
 *
 * The file: $SPECTIDE_WISDOM if set ('off' or empty: none), else
 * $XDG_CACHE_HOME/spectide/fftwf-wisdom, else
 * ~/.cache/spectide/fftwf-wisdom. A file that is not FFTW wisdom is named
 * on stderr and left alone; wisdom of another FFTW build is replaced. A
 * wisdom file that cannot be written is named on stderr; the run goes on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_CLI_WISDOM_H
#define SPECTIDE_CLI_WISDOM_H

typedef struct cli_wisdom cli_wisdom;

/* Reads the file into FFTW's planner; NULL when turned off. Call before
 * any thread plans. */
cli_wisdom *cli_wisdom_load(void);
/* Writes the file if the wisdom grew (after every thread has stopped
 * planning), then frees `wisdom` (NULL: nothing). */
void cli_wisdom_save(cli_wisdom *wisdom);

#endif
