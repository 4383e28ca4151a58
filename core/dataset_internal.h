/* Internal to the core: the rules the two-dataset analyses (shift.c,
 * compare.c) share, so that "the curve of a set" means one thing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_DATASET_INTERNAL_H
#define SPECTIDE_DATASET_INTERNAL_H

#include "spectide_accumulator.h"

#include <math.h>

/* A point of a set's mean spectrum is used when at least half of the set's
 * images cover it (every point of a single-size set): at the edges of a
 * mixed-size set a mean over a few large images describes another
 * population. DC never (frequency 0). */
static inline int point_is_covered(const st_curve_point *point, uint64_t images)
{
    return point->freq > 0.0 && point->count > 0 && 2 * point->count >= images &&
           isfinite(point->mean_log10);
}

/* The side L of a set: the longest side when all images share it, else the
 * geometric mean of the longest sides. */
static inline double dataset_side(const st_accumulator_info *info)
{
    return info->side_min == info->side_max ? (double)info->side_min : info->side_geometric_mean;
}

#endif
