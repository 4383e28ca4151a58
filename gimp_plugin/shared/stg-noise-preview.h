/* The live preview of "Noise as Low-pass", both GIMP versions: core's tide
 * image in its MANY_LEVELS mode (the spectra made once, one inverse FFT per
 * channel for a new t, only the visible rows) and the 8-bit pixels of the
 * preview's visible area. The version layers own the GimpPreview widget
 * and ask this for the pixels to draw.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef STG_NOISE_PREVIEW_H
#define STG_NOISE_PREVIEW_H

#include "stg-procedures.h"
#include "stg-region.h"
#include "stg-spectrum.h"

typedef struct stg_noise_preview stg_noise_preview;

/* NULL (with a message) if memory is short. `analysis`: the channel whose
 * RAPSD gives f_max. `region` must outlive the preview. */
stg_noise_preview *stg_noise_preview_new(const stg_region *region, st_channel analysis,
                                         GError **error);
/* The pixels of the visible area (px, py, pw, ph in drawable coordinates),
 * in the drawable's u8 format (region->components bytes a pixel): the
 * drawable from `buffer` outside the selection bounds, the view of the
 * current params inside. The result belongs to the preview. */
const guchar *stg_noise_preview_render(stg_noise_preview *preview, GeglBuffer *buffer, gint px,
                                       gint py, gint pw, gint ph, const stg_noise_params *params);
void stg_noise_preview_free(stg_noise_preview *preview);

#endif
