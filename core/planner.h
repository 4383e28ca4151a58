/* Internal to the core: every FFTW plan is made and destroyed between
 * st_planner_enter() and st_planner_leave(), which hold the core's planner
 * lock and apply the st_fftw_mode (spectide.h) the first time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_PLANNER_H
#define SPECTIDE_PLANNER_H

/* Locks, and sets FFTW's thread count for the plans that follow to
 * `threads` (process-wide mode only; private mode plans single-threaded). */
void st_planner_enter(int threads);
void st_planner_leave(void);
/* Threads for an image plan of width x height: 1 below 512x512, else the
 * st_set_threads value (always 1 in private mode). */
int st_planner_threads_for(int width, int height);

#endif
