/* What Apply of "Noise as Low-pass" computes, in both GIMP versions: the
 * noisy image, its ideal low-pass at f_max and the Wiener estimate, for every
 * colour channel. The version layers make the layer group and the layers and
 * hand them the planes through a callback.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef STG_NOISE_LOWPASS_H
#define STG_NOISE_LOWPASS_H

#include "stg-procedures.h"
#include "stg-region.h"
#include "stg-spectrum.h"

/* Receives one finished layer: its name and its colour planes (x in [-1,1],
 * region->colors of them). Called for Wiener, low-pass, then noisy, so that
 * layers inserted at the top of a group end up noisy on top. FALSE stops. */
typedef gboolean (*stg_layer_sink)(const char *name, float *const *planes, void *user_data);
typedef void (*stg_progress)(double fraction, void *user_data);

/* Computes the three layers with core's tide image (st_tide_image): f_max
 * from params->channel's RAPSD, each channel's Wiener filter from that
 * channel's own RAPSD, the noise of the region's place in the drawable.
 * *fmax is the cut. FALSE with a message if a(t) = 0 or memory is short. */
gboolean stg_noise_make_layers(const stg_region *region, const stg_noise_params *params,
                               stg_layer_sink sink, stg_progress progress, void *user_data,
                               double *fmax, GError **error);

/* "spectide t=0.3": the layer group's name (and the filter's). */
void stg_noise_group_name(const stg_noise_params *params, char *text, size_t size);

#endif
