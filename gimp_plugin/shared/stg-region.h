/* Pixels in and out of GEGL buffers: the part of pixel I/O that is the same
 * in GIMP 2.10 and GIMP 3 (both hand out a drawable's pixels as a
 * GeglBuffer). The version layers find the buffer and the bounds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef STG_REGION_H
#define STG_REGION_H

#include <gegl.h>

/* The pixels of a drawable's selection bounds as float values (R'G'B'(A)
 * or Y'(A): the non-linear values a PNG stores), and where they sit. */
typedef struct {
    gint x, y, width, height;     /* bounds, drawable coordinates */
    gint full_width, full_height; /* the whole drawable */
    gint components;              /* 1 Y', 2 Y'A, 3 R'G'B', 4 R'G'B'A */
    gint colors;                  /* 1 or 3 */
    gboolean has_alpha;
    float *pixels; /* width*height*components */
} stg_region;

/* Babl formats of 1..4 components: "Y' float" .. "R'G'B'A float", u8 likewise. */
const Babl *stg_float_format(gint components);
const Babl *stg_u8_format(gint components);

/* Reads the rectangle (x, y, width, height) of `buffer` (a drawable of
 * full_width x full_height). GEGL converts every precision (8/16/32-bit
 * integer, half, float; linear or perceptual) to non-linear float. FALSE
 * with a message if the rectangle is empty or memory is short. */
gboolean stg_region_read(GeglBuffer *buffer, gint x, gint y, gint width, gint height,
                         gint full_width, gint full_height, gboolean rgb, gboolean has_alpha,
                         stg_region *region, GError **error);
void stg_region_clear(stg_region *region);

/* Writes colour planes (x in [-1,1], back to v: st_x_to_value) and the region's
 * alpha into `buffer` (a new layer of the region's size, at 0,0) with
 * `colors` colour channels (3: gray planes are repeated). Float layers keep
 * values outside [0,1]; integer precisions clamp on write. Strips of rows:
 * no second full-size interleaved copy. */
void stg_region_write_planes(const stg_region *region, GeglBuffer *buffer, gint colors,
                             float *const *planes);

#endif
